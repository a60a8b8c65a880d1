//! Bounds-checked access to guest linear memory, borrowed for the duration of one host call.

use std::ops::Range;
use wasmcrypt::{CryptoError, Handle, InOut, Result};

/// A guest's linear memory, borrowed for one host call. Every access is bounds-checked and
/// answers `guest_error` when out of bounds; nothing outlives the call.
pub(crate) struct Mem<'a>(pub(crate) &'a mut [u8]);

/// Reinterprets a wasm `i32` as the guest's unsigned 32-bit address or size.
pub(crate) fn u32_of(v: i32) -> u32 {
    v as u32
}

impl Mem<'_> {
    /// The byte range `[ptr, ptr + len)`, checked against the memory size.
    pub(crate) fn range(&self, ptr: i32, len: i32) -> Result<Range<usize>> {
        let start = u32_of(ptr) as usize;
        let end = start.checked_add(u32_of(len) as usize).ok_or(CryptoError::GuestError)?;
        if end > self.0.len() {
            return Err(CryptoError::GuestError);
        }
        Ok(start..end)
    }

    /// The guest bytes at `[ptr, ptr + len)`.
    pub(crate) fn slice(&self, ptr: i32, len: i32) -> Result<&[u8]> {
        let r = self.range(ptr, len)?;
        Ok(&self.0[r])
    }

    /// The guest bytes at `[ptr, ptr + len)`, writable.
    pub(crate) fn slice_mut(&mut self, ptr: i32, len: i32) -> Result<&mut [u8]> {
        let r = self.range(ptr, len)?;
        Ok(&mut self.0[r])
    }

    /// A UTF-8 string at `[ptr, ptr + len)`; `guest_error` if it is not UTF-8.
    pub(crate) fn str(&self, ptr: i32, len: i32) -> Result<&str> {
        std::str::from_utf8(self.slice(ptr, len)?).map_err(|_| CryptoError::GuestError)
    }

    /// A UTF-8 name copied out of guest memory, for calls that also write guest memory. Names
    /// longer than [`MAX_NAME_LEN`] are not copied: they come back empty, a name no call
    /// accepts, so that no guest-sized copy is ever made.
    pub(crate) fn name(&self, ptr: i32, len: i32) -> Result<String> {
        let name = self.str(ptr, len)?;
        Ok(if name.len() <= MAX_NAME_LEN { name.to_owned() } else { String::new() })
    }

    /// The `data` and `out` buffers of an encryption or decryption, which may overlap.
    pub(crate) fn in_out(&mut self, out: i32, out_len: i32, data: i32, data_len: i32) -> Result<InOut<'_>> {
        let (input, output) = (self.range(data, data_len)?, self.range(out, out_len)?);
        InOut::within(self.0, input, output)
    }

    /// Checks that an out-pointer to `len` bytes is writable, before any side effect happens.
    pub(crate) fn out(&self, ptr: i32, len: usize) -> Result<Out> {
        let len = i32::try_from(len).map_err(|_| CryptoError::GuestError)?;
        Ok(Out(self.range(ptr, len)?))
    }

    /// Writes a value through a checked out-pointer.
    fn put(&mut self, out: Out, bytes: &[u8]) {
        // `out` was checked against this memory, which cannot shrink during a call.
        self.0[out.0].copy_from_slice(bytes);
    }

    /// Writes a handle or other `u32` through a checked out-pointer.
    pub(crate) fn put_u32(&mut self, out: Out, v: u32) -> Result<()> {
        self.put(out, &v.to_le_bytes());
        Ok(())
    }

    /// Writes a `u64` or `version` through a checked out-pointer.
    pub(crate) fn put_u64(&mut self, out: Out, v: u64) -> Result<()> {
        self.put(out, &v.to_le_bytes());
        Ok(())
    }

    /// Writes a `size` (u32 on wasm32) through a checked out-pointer; `overflow` if it does not fit.
    pub(crate) fn put_size(&mut self, out: Out, n: usize) -> Result<()> {
        let n = u32::try_from(n).map_err(|_| CryptoError::Overflow)?;
        self.put(out, &n.to_le_bytes());
        Ok(())
    }

    /// Reads an `opt_options` / `opt_symmetric_key`: a u8 tag at +0 (0 = some, 1 = none) and a
    /// u32 handle at +4.
    pub(crate) fn opt_handle(&self, ptr: i32) -> Result<Option<Handle>> {
        let raw = self.slice(ptr, 8)?;
        match raw[0] {
            0 => Ok(Some(u32::from_le_bytes([raw[4], raw[5], raw[6], raw[7]]))),
            1 => Ok(None),
            _ => Err(CryptoError::GuestError),
        }
    }
}

/// The longest name [`Mem::name`] copies; every option name of the spec is much shorter.
pub(crate) const MAX_NAME_LEN: usize = 64;

/// A checked out-pointer range.
pub(crate) struct Out(Range<usize>);

/// The out-pointer of a `u32`-sized result (a handle or a `size`).
pub(crate) const U32: usize = 4;
/// The out-pointer of a `u64`-sized result (a `version` or a `u64`).
pub(crate) const U64: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        let mut buf = [0u8; 16];
        let mem = Mem(&mut buf);
        assert_eq!(mem.range(0, 16), Ok(0..16));
        assert_eq!(mem.range(16, 0), Ok(16..16));
        assert_eq!(mem.range(17, 0), Err(CryptoError::GuestError));
        assert_eq!(mem.range(1, 16), Err(CryptoError::GuestError));
        assert_eq!(mem.range(-1, 2), Err(CryptoError::GuestError));
        assert_eq!(mem.range(8, -1), Err(CryptoError::GuestError));
        assert!(mem.out(13, 4).is_err());
    }

    #[test]
    fn opt_handle_tags() {
        let mut buf = [0u8; 16];
        buf[4..8].copy_from_slice(&7u32.to_le_bytes());
        buf[8] = 1;
        buf[12] = 9;
        let mem = Mem(&mut buf);
        assert_eq!(mem.opt_handle(0), Ok(Some(7)));
        assert_eq!(mem.opt_handle(8), Ok(None));
        assert_eq!(mem.opt_handle(12), Err(CryptoError::GuestError));
        assert_eq!(mem.str(0, 1), Ok("\0"));
    }

    #[test]
    fn long_names_are_not_copied() {
        let mut buf = vec![b'n'; MAX_NAME_LEN + 1];
        let mem = Mem(&mut buf);
        assert_eq!(mem.name(0, 5).unwrap(), "nnnnn");
        assert_eq!(mem.name(0, MAX_NAME_LEN as i32).unwrap().len(), MAX_NAME_LEN);
        assert_eq!(mem.name(0, MAX_NAME_LEN as i32 + 1).unwrap(), "");
        assert_eq!(mem.name(1, MAX_NAME_LEN as i32 + 1), Err(CryptoError::GuestError));
    }
}
