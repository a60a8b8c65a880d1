//! Symmetric states: one variant per family, dispatched by `match` (no allocation per call).

use super::aead::{AeadState, TAG_LEN};
use super::algorithm::{Family, SymmetricAlgorithm};
use super::hash::HashState;
use super::hkdf;
use super::inout::InOut;
use super::key::{Prepared, SymmetricKey};
use super::mac::MacState;
use super::tag::{SymmetricTag, TagBytes};
use super::xoodyak::Xoodyak;
use crate::budget::{Budget, Buffered};
use crate::error::{CryptoError, Result};
use crate::options::SymmetricOptions;
use std::sync::Arc;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

#[derive(Clone)]
enum Inner {
    Hash(Box<HashState>),
    Mac(Box<MacState>),
    HkdfExtract { ikm: Arc<SymmetricKey>, salt: Buffered },
    HkdfExpand { prk: Arc<SymmetricKey>, info: Buffered },
    Aead(AeadState),
    Xoodyak(Box<Xoodyak>),
}

/// A symmetric state (`symmetric_state`).
#[derive(Clone)]
pub struct SymmetricState {
    alg: SymmetricAlgorithm,
    options: Arc<SymmetricOptions>,
    inner: Inner,
}

impl SymmetricState {
    /// Opens a state. `key_required`, `key_not_supported`, `invalid_key` (key of another
    /// algorithm), `nonce_required` and `invalid_nonce` as the spec says.
    pub(crate) fn open(
        alg: SymmetricAlgorithm,
        key: Option<Arc<SymmetricKey>>,
        options: Arc<SymmetricOptions>,
        budget: &Arc<Budget>,
    ) -> Result<Self> {
        if let Some(key) = &key
            && key.algorithm() != alg
        {
            return Err(if matches!(alg.family(), Family::Hash(_)) {
                CryptoError::KeyNotSupported
            } else {
                CryptoError::InvalidKey
            });
        }
        let mut options = options;
        let inner = match (alg.family(), key) {
            (Family::Hash(h), None) => Inner::Hash(Box::new(HashState::new(h))),
            (Family::Hash(_), Some(_)) => return Err(CryptoError::KeyNotSupported),
            (Family::Xoodyak(_), None) => Inner::Xoodyak(Box::new(Xoodyak::hash())),
            (_, None) => return Err(CryptoError::KeyRequired),
            (Family::Hmac(_), Some(key)) => match key.prepared() {
                Prepared::Mac(mac) => Inner::Mac(Box::new(mac.clone())),
                _ => return Err(CryptoError::InvalidKey),
            },
            (Family::HkdfExtract(_), Some(ikm)) => Inner::HkdfExtract { ikm, salt: Buffered::new(budget) },
            (Family::HkdfExpand(_), Some(prk)) => Inner::HkdfExpand { prk, info: Buffered::new(budget) },
            (Family::Aead(a), Some(key)) => {
                if options.nonce.is_none() && a.nonce_len() >= 24 {
                    // Random nonces of 192 bits are safe; the guest reads it back with options_get.
                    let mut random = Zeroizing::new(vec![0u8; a.nonce_len()]);
                    crate::random::fill(&mut random)?;
                    budget.check(options.byte_len() + random.len())?;
                    let mut nonce = Buffered::new(budget);
                    nonce.extend(&random)?;
                    Arc::make_mut(&mut options).nonce = Some(nonce);
                }
                let nonce = options.nonce.as_deref().ok_or(CryptoError::NonceRequired)?;
                Inner::Aead(AeadState::new(a, &key, nonce, budget)?)
            }
            (Family::Xoodyak(_), Some(key)) => {
                // The final-round Xoodyak AEAD: the nonce is the key ID, Cyclist(K, N, ε).
                let nonce = options.nonce.as_deref().unwrap_or(&[]);
                let x = Xoodyak::keyed(key.raw(), nonce, &[]).map_err(|_| CryptoError::InvalidNonce)?;
                Inner::Xoodyak(Box::new(x))
            }
        };
        Ok(Self { alg, options, inner })
    }

    /// The state's algorithm.
    pub fn algorithm(&self) -> SymmetricAlgorithm {
        self.alg
    }

    /// The options the state was opened with, including a generated nonce.
    pub fn options(&self) -> &SymmetricOptions {
        &self.options
    }

    /// The number of guest bytes the state buffers.
    pub(crate) fn buffered_len(&self) -> usize {
        match &self.inner {
            Inner::HkdfExtract { salt, .. } => salt.len(),
            Inner::HkdfExpand { info, .. } => info.len(),
            Inner::Aead(a) => a.associated_data_len(),
            Inner::Hash(_) | Inner::Mac(_) | Inner::Xoodyak(_) => 0,
        }
    }

    /// `symmetric_state_absorb`.
    pub fn absorb(&mut self, data: &[u8]) -> Result<()> {
        match &mut self.inner {
            Inner::Hash(h) => h.update(data),
            Inner::Mac(m) => m.update(data),
            Inner::HkdfExtract { salt, .. } => salt.extend(data)?,
            Inner::HkdfExpand { info, .. } => info.extend(data)?,
            Inner::Aead(a) => a.associated_data().extend(data)?,
            Inner::Xoodyak(x) => x.absorb(data),
        }
        Ok(())
    }

    /// `symmetric_state_squeeze`.
    pub fn squeeze(&mut self, out: &mut [u8]) -> Result<()> {
        match &mut self.inner {
            Inner::Hash(h) => h.squeeze(out),
            Inner::HkdfExpand { prk, info } => {
                let (mac, hash) = prk.prk()?;
                hkdf::expand(mac, hash, info, out)
            }
            Inner::Xoodyak(x) => {
                x.squeeze(out);
                Ok(())
            }
            Inner::Mac(_) | Inner::HkdfExtract { .. } | Inner::Aead(_) => Err(CryptoError::InvalidOperation),
        }
    }

    /// `symmetric_state_squeeze_tag`.
    pub fn squeeze_tag(&mut self) -> Result<SymmetricTag> {
        let bytes = match &mut self.inner {
            Inner::Mac(m) => m.tag(),
            Inner::Xoodyak(x) => {
                let mut tag = [0u8; TAG_LEN];
                x.squeeze(&mut tag);
                TagBytes::new(&tag)
            }
            _ => return Err(CryptoError::InvalidOperation),
        };
        Ok(SymmetricTag::new(self.alg, bytes))
    }

    /// `symmetric_state_squeeze_key`: a key for `target` (the PRK for HKDF-Extract).
    pub fn squeeze_key(&mut self, target: SymmetricAlgorithm) -> Result<SymmetricKey> {
        match &mut self.inner {
            Inner::HkdfExtract { ikm, salt } => {
                let Family::HkdfExtract(hash) = self.alg.family() else {
                    return Err(CryptoError::InternalError);
                };
                let prk = hkdf::extract(hash, salt, ikm.raw())?;
                SymmetricKey::import(target, &prk)
            }
            Inner::Xoodyak(x) => {
                let len = target.generated_key_len().ok_or(CryptoError::KeyNotSupported)?;
                let mut raw = Zeroizing::new(vec![0u8; len]);
                x.squeeze_key(&mut raw)?;
                SymmetricKey::import(target, &raw)
            }
            _ => Err(CryptoError::InvalidOperation),
        }
    }

    /// `symmetric_state_max_tag_len`.
    pub fn max_tag_len(&self) -> Result<usize> {
        self.alg.tag_len().ok_or(CryptoError::InvalidOperation)
    }

    fn seal_detached(&mut self, buf: &mut [u8]) -> Result<[u8; TAG_LEN]> {
        match &mut self.inner {
            Inner::Aead(a) => a.seal(buf),
            Inner::Xoodyak(x) => {
                x.encrypt_in_place(buf)?;
                let mut tag = [0u8; TAG_LEN];
                x.squeeze(&mut tag);
                Ok(tag)
            }
            _ => Err(CryptoError::InvalidOperation),
        }
    }

    fn open_detached(&mut self, buf: &mut [u8], tag: &[u8]) -> Result<()> {
        match &mut self.inner {
            Inner::Aead(a) => a.open(buf, tag),
            Inner::Xoodyak(x) => {
                x.decrypt_in_place(buf)?;
                let mut expected = [0u8; TAG_LEN];
                x.squeeze(&mut expected);
                if bool::from(expected.ct_eq(tag)) {
                    Ok(())
                } else {
                    buf.fill(0);
                    Err(CryptoError::InvalidTag)
                }
            }
            _ => Err(CryptoError::InvalidOperation),
        }
    }

    fn encryption_tag_len(&self) -> Result<usize> {
        match self.inner {
            Inner::Aead(_) | Inner::Xoodyak(_) => Ok(TAG_LEN),
            _ => Err(CryptoError::InvalidOperation),
        }
    }

    /// Checks, before any output is written, that the state can encrypt now.
    fn check_can_seal(&self) -> Result<usize> {
        if let Inner::Aead(a) = &self.inner {
            a.check_unsealed()?;
        }
        self.encryption_tag_len()
    }

    /// `symmetric_state_encrypt`: the output must be exactly input + tag long. Returns its length.
    pub fn encrypt(&mut self, io: InOut<'_>) -> Result<usize> {
        let tag_len = self.check_can_seal()?;
        let len = io.input_len();
        if io.output_len() != len.checked_add(tag_len).ok_or(CryptoError::Overflow)? {
            return Err(CryptoError::InvalidLength);
        }
        let out = io.into_output(len)?;
        let (body, tag_out) = out.split_at_mut(len);
        let tag = self.seal_detached(body)?;
        tag_out.copy_from_slice(&tag);
        Ok(len + tag_len)
    }

    /// `symmetric_state_encrypt_detached`: output and input have the same length.
    pub fn encrypt_detached(&mut self, io: InOut<'_>) -> Result<SymmetricTag> {
        self.check_can_seal()?;
        let len = io.input_len();
        if io.output_len() != len {
            return Err(CryptoError::InvalidLength);
        }
        let tag = self.seal_detached(io.into_output(len)?)?;
        Ok(SymmetricTag::new(self.alg, TagBytes::new(&tag)))
    }

    /// `symmetric_state_decrypt`: the input is ciphertext ‖ tag, the output exactly the
    /// ciphertext's length. Returns the plaintext length.
    pub fn decrypt(&mut self, io: InOut<'_>) -> Result<usize> {
        let tag_len = self.encryption_tag_len()?;
        let len = io.input_len().checked_sub(tag_len).ok_or(CryptoError::InvalidLength)?;
        if io.output_len() != len {
            return Err(CryptoError::InvalidLength);
        }
        let mut tag = [0u8; TAG_LEN];
        io.read_input(len, &mut tag)?;
        let out = io.into_output(len)?;
        self.open_detached(out, &tag)?;
        Ok(len)
    }

    /// `symmetric_state_decrypt_detached`: output and input have the same length.
    pub fn decrypt_detached(&mut self, io: InOut<'_>, raw_tag: &[u8]) -> Result<usize> {
        self.encryption_tag_len()?;
        let len = io.input_len();
        if io.output_len() != len {
            return Err(CryptoError::InvalidLength);
        }
        let out = io.into_output(len)?;
        self.open_detached(out, raw_tag)?;
        Ok(len)
    }

    /// `symmetric_state_ratchet`.
    pub fn ratchet(&mut self) -> Result<()> {
        match &mut self.inner {
            Inner::Xoodyak(x) => x.ratchet(),
            _ => Err(CryptoError::InvalidOperation),
        }
    }
}
