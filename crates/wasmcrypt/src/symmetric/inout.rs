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
    fn within_rejects_out_of_bounds() {
        let mut mem = [0u8; 8];
        assert!(InOut::within(&mut mem, 0..9, 0..1).is_err());
        #[allow(clippy::reversed_empty_ranges)]
        let reversed = 5..4;
        assert!(InOut::within(&mut mem, reversed, 0..1).is_err());
    }
}
