//! AEAD states: AES-GCM and ChaCha20-Poly1305 on ring; XChaCha20-Poly1305 as HChaCha20
//! (RustCrypto `chacha20`) plus ring's ChaCha20-Poly1305.

use super::algorithm::AeadAlgorithm;
use super::key::{Prepared, SymmetricKey};
use crate::budget::{Budget, Buffered};
use crate::error::{CryptoError, Result};
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, Nonce, Tag, UnboundKey};
use std::sync::Arc;
use zeroize::Zeroizing;

/// The tag length of every supported AEAD.
pub(crate) const TAG_LEN: usize = 16;

/// An AEAD state: key, nonce and associated data.
#[derive(Clone)]
pub(crate) struct AeadState {
    key: Arc<LessSafeKey>,
    nonce: [u8; 12],
    /// A nonce seals one message: a second seal on the same state gives `nonce_required`.
    sealed: bool,
    ad: Buffered,
}

/// Derives the XChaCha20-Poly1305 subkey and 12-byte nonce from a 32-byte key and 24-byte nonce.
fn xchacha_subkey(key: &[u8], nonce: &[u8]) -> Result<(LessSafeKey, [u8; 12])> {
    let key: &[u8; 32] = key.try_into().map_err(|_| CryptoError::InvalidKey)?;
    let (prefix, suffix) = nonce.split_at_checked(16).ok_or(CryptoError::InvalidNonce)?;
    let prefix: &[u8; 16] = prefix.try_into().map_err(|_| CryptoError::InvalidNonce)?;
    let subkey =
        Zeroizing::new(<[u8; 32]>::from(chacha20::hchacha::<chacha20::R20>(&(*key).into(), &(*prefix).into())));
    let mut nonce12 = [0u8; 12];
    nonce12[4..].copy_from_slice(suffix);
    let key = UnboundKey::new(&CHACHA20_POLY1305, subkey.as_slice()).map_err(|_| CryptoError::InvalidKey)?;
    Ok((LessSafeKey::new(key), nonce12))
}

impl AeadState {
    /// Opens a state for `key` and `nonce` (already checked to be of the algorithm's length).
    pub(crate) fn new(alg: AeadAlgorithm, key: &SymmetricKey, nonce: &[u8], budget: &Arc<Budget>) -> Result<Self> {
        if nonce.len() != alg.nonce_len() {
            return Err(CryptoError::InvalidNonce);
        }
        let (key, nonce) = match (alg, key.prepared()) {
            (AeadAlgorithm::XChaCha20Poly1305, _) => {
                let (subkey, nonce) = xchacha_subkey(key.raw(), nonce)?;
                (Arc::new(subkey), nonce)
            }
            (_, Prepared::Aead(prepared)) => {
                let nonce = nonce.try_into().map_err(|_| CryptoError::InvalidNonce)?;
                (prepared.clone(), nonce)
            }
            _ => return Err(CryptoError::InvalidKey),
        };
        Ok(Self { key, nonce, sealed: false, ad: Buffered::new(budget) })
    }

    /// The length of the associated data absorbed so far.
    pub(crate) fn associated_data_len(&self) -> usize {
        self.ad.len()
    }

    /// The associated data absorbed so far, to append to.
    pub(crate) fn associated_data(&mut self) -> &mut Buffered {
        &mut self.ad
    }

    /// `nonce_required` if the state's nonce already sealed a message.
    pub(crate) fn check_unsealed(&self) -> Result<()> {
        if self.sealed { Err(CryptoError::NonceRequired) } else { Ok(()) }
    }

    /// Encrypts `buf` in place and returns the tag.
    pub(crate) fn seal(&mut self, buf: &mut [u8]) -> Result<[u8; TAG_LEN]> {
        self.check_unsealed()?;
        let nonce = Nonce::assume_unique_for_key(self.nonce);
        let tag = self
            .key
            .seal_in_place_separate_tag(nonce, Aad::from(&*self.ad), buf)
            .map_err(|_| CryptoError::InvalidLength)?;
        self.sealed = true;
        let mut out = [0u8; TAG_LEN];
        out.copy_from_slice(tag.as_ref());
        Ok(out)
    }

    /// Decrypts `buf` in place if `tag` authenticates it; otherwise zeroes `buf` and gives
    /// `invalid_tag`.
    pub(crate) fn open(&self, buf: &mut [u8], tag: &[u8]) -> Result<()> {
        let Ok(tag) = Tag::try_from(tag) else {
            buf.fill(0);
            return Err(CryptoError::InvalidTag);
        };
        let nonce = Nonce::assume_unique_for_key(self.nonce);
        match self.key.open_in_place_separate_tag(nonce, Aad::from(&*self.ad), tag, buf, 0..) {
            Ok(_) => Ok(()),
            Err(_) => {
                buf.fill(0);
                Err(CryptoError::InvalidTag)
            }
        }
    }
}
