//! The byte format every target decodes its input with, and the matching encoder the seed
//! generator writes seeds with.
//!
//! Every read succeeds: past the end of the input, reads yield zeros and empty slices, so any
//! byte string is a valid input and a mutation never makes the rest of an input unreadable.

/// Reads values from a fuzz input, front to back.
pub struct Input<'a> {
    data: &'a [u8],
}

/// The tag byte of [`Input::data`] from which a length is read as a `u16`.
pub const LONG_DATA: u8 = 0xF0;
/// The first tag byte of [`Input::data`] that refers to the pool of earlier outputs.
pub const POOL_DATA: u8 = 0xE0;

impl<'a> Input<'a> {
    /// Wraps a fuzz input.
    pub fn new(data: &'a [u8]) -> Self {
        Self { data }
    }

    /// Whether every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The next byte, or 0 at the end.
    pub fn u8(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    fn array<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        let n = N.min(self.data.len());
        out[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        out
    }

    /// A little-endian `u16` (missing bytes are zeros).
    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes(self.array())
    }

    /// A little-endian `u32`.
    pub fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.array())
    }

    /// A little-endian `u64`.
    pub fn u64(&mut self) -> u64 {
        u64::from_le_bytes(self.array())
    }

    /// Up to `len` bytes (fewer at the end of the input).
    pub fn take(&mut self, len: usize) -> &'a [u8] {
        let (head, rest) = self.data.split_at(len.min(self.data.len()));
        self.data = rest;
        head
    }

    /// A byte string: a tag byte below [`POOL_DATA`] is its length; [`LONG_DATA`] and above
    /// read a `u16` length; from [`POOL_DATA`] to [`LONG_DATA`] the next byte picks an entry of
    /// `pool` (the outputs seen so far) counting from the most recent (0), or the empty string if
    /// the pool is empty.
    pub fn data<'p>(&mut self, pool: &'p [Vec<u8>]) -> &'p [u8]
    where
        'a: 'p,
    {
        let tag = self.u8();
        if tag < POOL_DATA {
            self.take(usize::from(tag))
        } else if tag < LONG_DATA {
            let back = usize::from(self.u8()) % pool.len().max(1);
            pool.len().checked_sub(back + 1).map_or(&[], |i| pool[i].as_slice())
        } else {
            let len = usize::from(self.u16());
            self.take(len)
        }
    }
}

/// Writes inputs in the format [`Input`] reads, for the seed generator.
#[derive(Default)]
pub struct Encoder {
    /// The bytes written so far.
    pub bytes: Vec<u8>,
}

impl Encoder {
    /// An empty input.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a byte.
    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.bytes.push(v);
        self
    }

    /// Appends a little-endian `u16`.
    pub fn u16(&mut self, v: u16) -> &mut Self {
        self.bytes.extend_from_slice(&v.to_le_bytes());
        self
    }

    /// Appends a little-endian `u32`.
    pub fn u32(&mut self, v: u32) -> &mut Self {
        self.bytes.extend_from_slice(&v.to_le_bytes());
        self
    }

    /// Appends a little-endian `u64`.
    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.bytes.extend_from_slice(&v.to_le_bytes());
        self
    }

    /// Appends raw bytes.
    pub fn raw(&mut self, v: &[u8]) -> &mut Self {
        self.bytes.extend_from_slice(v);
        self
    }

    /// Appends a byte string as [`Input::data`] reads it.
    pub fn data(&mut self, v: &[u8]) -> &mut Self {
        match u8::try_from(v.len()) {
            Ok(len) if len < POOL_DATA => self.u8(len),
            _ => {
                let len = u16::try_from(v.len()).expect("seed data longer than 64 KiB");
                self.u8(LONG_DATA).u16(len)
            }
        };
        self.raw(v)
    }

    /// Appends a reference to an entry of the pool of outputs: 0 is the most recent.
    pub fn pooled(&mut self, i: u8) -> &mut Self {
        self.u8(POOL_DATA).u8(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoder_and_input_agree() {
        let long = vec![7u8; 300];
        let mut e = Encoder::new();
        e.u8(9).u16(0x1234).u32(0xdead_beef).u64(u64::MAX - 1).data(b"abc").data(&long).pooled(1);
        let pool = vec![b"zero".to_vec(), b"one".to_vec()];
        let mut i = Input::new(&e.bytes);
        assert_eq!(i.u8(), 9);
        assert_eq!(i.u16(), 0x1234);
        assert_eq!(i.u32(), 0xdead_beef);
        assert_eq!(i.u64(), u64::MAX - 1);
        assert_eq!(i.data(&pool), b"abc");
        assert_eq!(i.data(&pool), &long[..]);
        assert_eq!(i.data(&pool), b"zero", "1 back from the most recent");
        assert!(i.is_empty());
        assert_eq!(i.u32(), 0, "reads past the end give zeros");
        assert_eq!(i.data(&pool), b"", "and empty strings");
    }

    #[test]
    fn truncated_reads_keep_what_is_there() {
        let mut i = Input::new(&[1, 2, 3]);
        assert_eq!(i.u32(), 0x0003_0201);
        let mut i = Input::new(&[5, 1, 2]);
        assert_eq!(i.data(&[]), &[1, 2]);
        let mut i = Input::new(&[POOL_DATA, 3]);
        assert_eq!(i.data(&[]), b"", "empty pool");
    }
}
