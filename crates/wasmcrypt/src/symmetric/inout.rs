//! Input and output buffers of `encrypt`/`decrypt`, separate or within one memory.

use crate::error::{CryptoError, Result};
use std::ops::Range;

/// The data and output buffers of an encryption or decryption.
///
/// `Within` describes two regions of one memory (a guest's linear memory), which may overlap or
/// be identical: the core moves the input into place at most once (a `memmove`) and then works in
/// place, so a guest that encrypts in place pays no copy at all.
pub enum InOut<'a> {
    /// Two distinct buffers.
    Separate {
        /// The data to process.
        input: &'a [u8],
        /// Where the result goes.
        output: &'a mut [u8],
    },
    /// Two regions of one memory.
    Within {
        /// The whole memory.
        memory: &'a mut [u8],
        /// The data to process.
        input: Range<usize>,
        /// Where the result goes.
        output: Range<usize>,
    },
}

/// The input and output of a transform, as [`InOut::place`] lays them out.
pub(crate) struct Placed<'a> {
    /// The input bytes when they lie apart from the output; `None` when the output already
    /// starts with them and the transform works in place.
    pub(crate) input: Option<&'a [u8]>,
    /// The whole output.
    pub(crate) output: &'a mut [u8],
}

/// Copies `input`, if given, over `output` of the same length.
pub(crate) fn copy_in(input: Option<&[u8]>, output: &mut [u8]) -> Result<()> {
    if let Some(input) = input {
        if input.len() != output.len() {
            return Err(CryptoError::InvalidLength);
        }
        output.copy_from_slice(input);
    }
    Ok(())
}

fn in_bounds(range: &Range<usize>, len: usize) -> bool {
    range.start <= range.end && range.end <= len
}

impl<'a> InOut<'a> {
    /// Two distinct buffers.
    pub fn separate(input: &'a [u8], output: &'a mut [u8]) -> Self {
        Self::Separate { input, output }
    }

    /// Two regions of one memory; `guest_error` if either lies outside it.
    pub fn within(memory: &'a mut [u8], input: Range<usize>, output: Range<usize>) -> Result<Self> {
        if !in_bounds(&input, memory.len()) || !in_bounds(&output, memory.len()) {
            return Err(CryptoError::GuestError);
        }
        Ok(Self::Within { memory, input, output })
    }

    /// The length of the input.
    pub fn input_len(&self) -> usize {
        match self {
            Self::Separate { input, .. } => input.len(),
            Self::Within { input, .. } => input.len(),
        }
    }

    /// The length of the output.
    pub fn output_len(&self) -> usize {
        match self {
            Self::Separate { output, .. } => output.len(),
            Self::Within { output, .. } => output.len(),
        }
    }

    fn input(&self) -> &[u8] {
        match self {
            Self::Separate { input, .. } => input,
            Self::Within { memory, input, .. } => &memory[input.clone()],
        }
    }

    /// Copies `dest.len()` input bytes starting at `offset` into `dest`.
    pub(crate) fn read_input(&self, offset: usize, dest: &mut [u8]) -> Result<()> {
        let src = offset
            .checked_add(dest.len())
            .and_then(|end| self.input().get(offset..end))
            .ok_or(CryptoError::InvalidLength)?;
        dest.copy_from_slice(src);
        Ok(())
    }

    /// Lays out a transform of the first `len` input bytes. When input and output do not
    /// overlap they stay apart, so a backend that reads one buffer and writes another needs no
    /// copy; otherwise the input is moved to the start of the output (see
    /// [`InOut::into_output`]) and the transform works in place.
    pub(crate) fn place(self, len: usize) -> Result<Placed<'a>> {
        if len > self.input_len() || len > self.output_len() {
            return Err(CryptoError::InvalidLength);
        }
        match self {
            Self::Separate { input, output } => Ok(Placed { input: Some(&input[..len]), output }),
            Self::Within { memory, input, output } => {
                let read = input.start..input.start + len;
                if read.end <= output.start {
                    let (low, high) = memory.split_at_mut(output.start);
                    let low: &'a [u8] = low;
                    Ok(Placed { input: Some(&low[read]), output: &mut high[..output.len()] })
                } else if output.end <= read.start {
                    let (low, high) = memory.split_at_mut(read.start);
                    let high: &'a [u8] = high;
                    Ok(Placed { input: Some(&high[..len]), output: &mut low[output] })
                } else {
                    let output = Self::Within { memory, input, output }.into_output(len)?;
                    Ok(Placed { input: None, output })
                }
            }
        }
    }

    /// Places the first `len` input bytes at the start of the output and returns the output.
    pub(crate) fn into_output(self, len: usize) -> Result<&'a mut [u8]> {
        if len > self.input_len() || len > self.output_len() {
            return Err(CryptoError::InvalidLength);
        }
        match self {
            Self::Separate { input, output } => {
                output[..len].copy_from_slice(&input[..len]);
                Ok(output)
            }
            Self::Within { memory, input, output } => {
                if input.start != output.start {
                    memory.copy_within(input.start..input.start + len, output.start);
                }
                Ok(&mut memory[output])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_moves_overlapping_input() {
        let mut mem: Vec<u8> = (0..16).collect();
        let io = InOut::within(&mut mem, 0..8, 2..10).unwrap();
        let out = io.into_output(8).unwrap();
        assert_eq!(out, &[0, 1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(&mem[..2], &[0, 1]);
    }

    #[test]
    fn place_keeps_disjoint_regions_apart_and_moves_overlapping_ones() {
        let mut mem: Vec<u8> = (0..16).collect();
        let placed = InOut::within(&mut mem, 0..4, 8..14).unwrap().place(4).unwrap();
        assert_eq!(placed.input, Some(&[0, 1, 2, 3][..]));
        assert_eq!(placed.output, &[8, 9, 10, 11, 12, 13]);

        let placed = InOut::within(&mut mem, 10..14, 2..6).unwrap().place(4).unwrap();
        assert_eq!(placed.input, Some(&[10, 11, 12, 13][..]));
        assert_eq!(placed.output, &[2, 3, 4, 5]);

        let placed = InOut::within(&mut mem, 0..8, 2..10).unwrap().place(8).unwrap();
        assert_eq!(placed.input, None);
        assert_eq!(placed.output, &[0, 1, 2, 3, 4, 5, 6, 7]);

        let placed = InOut::within(&mut mem, 4..8, 4..12).unwrap().place(4).unwrap();
        assert_eq!(placed.input, None, "the same start works in place");

        let mut out = [0u8; 3];
        let placed = InOut::separate(&[1, 2, 3, 4], &mut out).place(3).unwrap();
        assert_eq!(placed.input, Some(&[1, 2, 3][..]));
        assert!(InOut::separate(&[1, 2], &mut [0u8; 3]).place(3).is_err());
        assert!(InOut::separate(&[1, 2, 3], &mut [0u8; 2]).place(3).is_err());
    }

    #[test]
    fn within_rejects_out_of_bounds() {
        let mut mem = [0u8; 8];
        assert!(InOut::within(&mut mem, 0..9, 0..1).is_err());
        #[allow(clippy::reversed_empty_ranges)]
        let reversed = 5..4;
        assert!(InOut::within(&mut mem, reversed, 0..1).is_err());
    }
}
