//! SHA-2 hash states (RustCrypto `sha2`, SHA-NI at run time).

use super::algorithm::HashFunction;
use crate::error::{CryptoError, Result};
use sha2::{Digest, Sha256, Sha384, Sha512, Sha512_256};

/// An incremental SHA-2 computation.
#[derive(Clone)]
pub(crate) enum HashState {
    Sha256(Sha256),
    Sha384(Sha384),
    Sha512(Sha512),
    Sha512_256(Sha512_256),
}

impl HashState {
    pub(crate) fn new(hash: HashFunction) -> Self {
        match hash {
            HashFunction::Sha256 => Self::Sha256(Sha256::new()),
            HashFunction::Sha384 => Self::Sha384(Sha384::new()),
            HashFunction::Sha512 => Self::Sha512(Sha512::new()),
            HashFunction::Sha512_256 => Self::Sha512_256(Sha512_256::new()),
        }
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        match self {
            Self::Sha256(h) => h.update(data),
            Self::Sha384(h) => h.update(data),
            Self::Sha512(h) => h.update(data),
            Self::Sha512_256(h) => h.update(data),
        }
    }

    /// Writes the digest of everything absorbed so far, truncated to `out.len()`; the state
    /// stays usable. `invalid_length` if `out` is longer than the digest.
    pub(crate) fn squeeze(&self, out: &mut [u8]) -> Result<()> {
        fn put(digest: &[u8], out: &mut [u8]) -> Result<()> {
            let src = digest.get(..out.len()).ok_or(CryptoError::InvalidLength)?;
            out.copy_from_slice(src);
            Ok(())
        }
        match self {
            Self::Sha256(h) => put(&h.clone().finalize(), out),
            Self::Sha384(h) => put(&h.clone().finalize(), out),
            Self::Sha512(h) => put(&h.clone().finalize(), out),
            Self::Sha512_256(h) => put(&h.clone().finalize(), out),
        }
    }
}
