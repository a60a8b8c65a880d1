//! Authentication tags (`symmetric_tag`): wiped on close, compared in constant time.

use super::algorithm::SymmetricAlgorithm;
use crate::error::{CryptoError, Result};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The longest tag any supported algorithm produces (HMAC-SHA-512).
pub const MAX_TAG_LEN: usize = 64;

/// Tag bytes held inline (no allocation), wiped on drop.
#[derive(Clone)]
pub(crate) struct TagBytes {
    raw: Zeroizing<[u8; MAX_TAG_LEN]>,
    len: usize,
}

impl TagBytes {
    /// Copies a tag of at most [`MAX_TAG_LEN`] bytes (longer input is truncated, which no
    /// algorithm of the registry produces).
    pub(crate) fn new(bytes: &[u8]) -> Self {
        let len = bytes.len().min(MAX_TAG_LEN);
        let mut raw = Zeroizing::new([0u8; MAX_TAG_LEN]);
        raw[..len].copy_from_slice(&bytes[..len]);
        Self { raw, len }
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.raw[..self.len]
    }
}

/// The value of a tag: raw bytes, or a password hash's encoded string.
enum TagValue {
    Raw(TagBytes),
    Encoded(Zeroizing<Box<[u8]>>),
}

/// A computed authentication tag.
pub struct SymmetricTag {
    alg: SymmetricAlgorithm,
    value: TagValue,
}

impl SymmetricTag {
    pub(crate) fn new(alg: SymmetricAlgorithm, bytes: TagBytes) -> Self {
        Self { alg, value: TagValue::Raw(bytes) }
    }

    /// A password hash's encoded string (a PHC string, at most a few hundred bytes).
    pub(crate) fn encoded(alg: SymmetricAlgorithm, encoded: &[u8]) -> Self {
        Self { alg, value: TagValue::Encoded(Zeroizing::new(encoded.into())) }
    }

    fn as_slice(&self) -> &[u8] {
        match &self.value {
            TagValue::Raw(bytes) => bytes.as_slice(),
            TagValue::Encoded(encoded) => encoded,
        }
    }

    /// The algorithm that computed the tag.
    pub fn algorithm(&self) -> SymmetricAlgorithm {
        self.alg
    }

    /// The tag length.
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// Whether the tag is empty (never, for the algorithms of this host).
    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }

    /// Copies the tag into `buf`; `overflow` if `buf` is too short.
    pub fn pull(&self, buf: &mut [u8]) -> Result<usize> {
        let tag = self.as_slice();
        buf.get_mut(..tag.len()).ok_or(CryptoError::Overflow)?.copy_from_slice(tag);
        Ok(tag.len())
    }

    /// Compares with `expected` in constant time; `invalid_tag` if they differ.
    pub fn verify(&self, expected: &[u8]) -> Result<()> {
        if bool::from(self.as_slice().ct_eq(expected)) { Ok(()) } else { Err(CryptoError::InvalidTag) }
    }
}
