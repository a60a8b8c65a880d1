//! The output length of a squeeze that names none (the component ABI's `symmetric-state-squeeze`).

use super::algorithm::Family;
use super::password::PasswordAlgorithm;
use super::state::SymmetricState;
use crate::ctx::CryptoCtx;
use crate::error::{CryptoError, Result};
use crate::handles::Handle;

/// The length of a Xoodyak squeeze that names none: the digest length of Xoodyak's hash mode.
pub const XOODYAK_DEFAULT_SQUEEZE_LEN: usize = 32;

impl CryptoCtx {
    /// How many bytes a squeeze with no length gives for `state`: the whole digest for a hash,
    /// one hash output for HKDF-Expand, [`XOODYAK_DEFAULT_SQUEEZE_LEN`] for Xoodyak, the
    /// families' own default for the other hashes and XOFs
    /// ([`super::DigestAlgorithm::default_squeeze_len`]), 32 bytes for password hashes (64 for
    /// PBKDF2-HMAC/SHA-512); `invalid_operation` for states that cannot squeeze (MACs,
    /// HKDF-Extract, AEADs and ciphers).
    pub fn symmetric_state_squeeze_len(&self, state: Handle) -> Result<usize> {
        match self.handles.get::<Box<SymmetricState>>(state)?.algorithm().family() {
            Family::Hash(h) | Family::HkdfExpand(h) => Ok(h.output_len()),
            Family::Xoodyak(_) => Ok(XOODYAK_DEFAULT_SQUEEZE_LEN),
            Family::Digest(d) => d.default_squeeze_len().ok_or(CryptoError::InvalidOperation),
            Family::Password(PasswordAlgorithm::Pbkdf2Sha512) => Ok(64),
            Family::Password(_) => Ok(32),
            Family::Hmac(_) | Family::HkdfExtract(_) | Family::Aead(_) | Family::Cipher(_) => {
                Err(CryptoError::InvalidOperation)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{CryptoCtx, CryptoError};

    #[test]
    fn default_squeeze_lengths() {
        let mut ctx = CryptoCtx::new();
        let sha384 = ctx.symmetric_state_open("SHA-384", None, None).unwrap();
        assert_eq!(ctx.symmetric_state_squeeze_len(sha384), Ok(48));
        let prk = ctx.symmetric_key_import("HKDF-EXPAND/SHA-256", &[7; 32]).unwrap();
        let expand = ctx.symmetric_state_open("HKDF-EXPAND/SHA-256", Some(prk), None).unwrap();
        assert_eq!(ctx.symmetric_state_squeeze_len(expand), Ok(32));
        let xoodyak = ctx.symmetric_state_open("Xoodyak-128", None, None).unwrap();
        assert_eq!(ctx.symmetric_state_squeeze_len(xoodyak), Ok(32));
        for (alg, len) in [("SHA3-384", 48), ("SHAKE-256", 64), ("TupleHash128", 32), ("BLAKE3", 32)] {
            let s = ctx.symmetric_state_open(alg, None, None).unwrap();
            assert_eq!(ctx.symmetric_state_squeeze_len(s), Ok(len), "{alg}");
        }
        let key = ctx.symmetric_key_import("HMAC/SHA-256", b"k").unwrap();
        let mac = ctx.symmetric_state_open("HMAC/SHA-256", Some(key), None).unwrap();
        assert_eq!(ctx.symmetric_state_squeeze_len(mac), Err(CryptoError::InvalidOperation));
        assert_eq!(ctx.symmetric_state_squeeze_len(key), Err(CryptoError::InvalidHandle));
    }
}
