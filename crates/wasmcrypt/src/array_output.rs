//! `array_output`: host-allocated results that a guest pulls, whole or as a stream.

use crate::budget::Charge;
use zeroize::Zeroizing;

/// A byte array waiting to be pulled by the guest. Wiped when dropped.
pub(crate) struct ArrayOutput {
    data: Zeroizing<Vec<u8>>,
    position: usize,
    /// The context's budget is charged for the bytes until the output is dropped.
    _charge: Option<Charge>,
}

impl ArrayOutput {
    /// Wraps bytes for the guest to pull, charged to a budget if one is given.
    pub fn new(data: Zeroizing<Vec<u8>>, charge: Option<Charge>) -> Self {
        Self { data, position: 0, _charge: charge }
    }

    /// The total length, as `array_output_len` reports it.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Copies min(`buf.len()`, remaining) bytes and returns the count.
    pub fn pull(&mut self, buf: &mut [u8]) -> usize {
        let remaining = &self.data[self.position..];
        let n = remaining.len().min(buf.len());
        buf[..n].copy_from_slice(&remaining[..n]);
        self.position += n;
        n
    }

    /// Whether every byte has been pulled.
    pub fn is_consumed(&self) -> bool {
        self.position == self.data.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pulls_stream() {
        let mut a = ArrayOutput::new(Zeroizing::new((0u8..10).collect()), None);
        let mut buf = [0u8; 4];
        assert_eq!(a.pull(&mut buf), 4);
        assert_eq!(buf, [0, 1, 2, 3]);
        assert_eq!(a.pull(&mut buf), 4);
        assert_eq!(a.pull(&mut buf), 2);
        assert_eq!(&buf[..2], &[8, 9]);
        assert!(a.is_consumed());
        assert_eq!(a.pull(&mut buf), 0);
        assert_eq!(a.len(), 10);
    }
}
