//! Symmetric keys: raw bytes (wiped on drop) plus the backend key, prepared once per key.

use super::aead::{self, AEAD_KEY_FOOTPRINT};
use super::aead_key::AeadKey;
use super::algorithm::{AeadAlgorithm, Family, HashFunction, SymmetricAlgorithm};
use super::mac::MacState;
use crate::error::{CryptoError, Result};
use crate::handles::ARC_OVERHEAD;
use crate::secrets::ManagedKey;
use std::sync::Arc;
use zeroize::Zeroizing;

/// Backend state derived from the raw key when it is created, so that states and calls reuse it.
pub(crate) enum Prepared {
    /// The raw bytes are all the algorithm needs (HKDF-Extract, Xoodyak, XChaCha20-Poly1305).
    Raw,
    /// A keyed HMAC, cloned by each state.
    Mac(MacState),
    /// An HKDF PRK, keyed once.
    Prk(MacState),
    /// An expanded AEAD key (ring), wiped on drop.
    Aead(Arc<AeadKey>),
}

/// A symmetric key.
pub struct SymmetricKey {
    alg: SymmetricAlgorithm,
    raw: Zeroizing<Vec<u8>>,
    prepared: Prepared,
    managed: Option<ManagedKey>,
}

impl SymmetricKey {
    /// Imports raw key material; `invalid_key` if it does not fit the algorithm,
    /// `key_not_supported` if the algorithm takes no key.
    pub fn import(alg: SymmetricAlgorithm, raw: &[u8]) -> Result<Self> {
        alg.check_key_len(raw.len())?;
        let prepared = match alg.family() {
            Family::Hash(_) => return Err(CryptoError::KeyNotSupported),
            Family::Hmac(h) => Prepared::Mac(MacState::new(h, raw)?),
            Family::HkdfExpand(h) => Prepared::Prk(MacState::new(h, raw)?),
            Family::HkdfExtract(_)
            | Family::Xoodyak(_)
            | Family::Digest(_)
            | Family::Cipher(_)
            | Family::Password(_) => Prepared::Raw,
            Family::Aead(a) => aead::prepare(a, raw)?,
        };
        Ok(Self { alg, raw: Zeroizing::new(raw.to_vec()), prepared, managed: None })
    }

    /// The heap memory a key of `alg` with `raw_len` raw bytes will hold behind its handle (see
    /// [`SymmetricKey::footprint`]), to check the budget before creating it.
    pub(crate) fn estimated_footprint(alg: SymmetricAlgorithm, raw_len: usize) -> usize {
        let prepared = match alg.family() {
            Family::Aead(AeadAlgorithm::Aes128Gcm | AeadAlgorithm::Aes256Gcm | AeadAlgorithm::ChaCha20Poly1305) => {
                AEAD_KEY_FOOTPRINT
            }
            Family::Aead(AeadAlgorithm::XChaCha20Poly1305)
            | Family::Hash(_)
            | Family::Hmac(_)
            | Family::HkdfExtract(_)
            | Family::HkdfExpand(_)
            | Family::Xoodyak(_)
            | Family::Digest(_)
            | Family::Cipher(_)
            | Family::Password(_) => 0,
        };
        (ARC_OVERHEAD + size_of::<Self>() + prepared).saturating_add(raw_len)
    }

    /// The heap memory the key holds (charged to the budget of every context holding it).
    pub(crate) fn footprint(&self) -> usize {
        let prepared = match self.prepared {
            Prepared::Aead(_) => AEAD_KEY_FOOTPRINT,
            Prepared::Raw | Prepared::Mac(_) | Prepared::Prk(_) => 0,
        };
        size_of::<Self>() + self.raw.capacity() + prepared
    }

    /// Generates a random key of the algorithm's usual length.
    pub fn generate(alg: SymmetricAlgorithm) -> Result<Self> {
        let len = alg.generated_key_len().ok_or(CryptoError::KeyNotSupported)?;
        let mut raw = Zeroizing::new(vec![0u8; len]);
        crate::random::fill(&mut raw)?;
        Self::import(alg, &raw)
    }

    /// The algorithm the key belongs to.
    pub fn algorithm(&self) -> SymmetricAlgorithm {
        self.alg
    }

    /// The raw key bytes.
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// The id and version of a managed key.
    pub(crate) fn managed(&self) -> Option<&ManagedKey> {
        self.managed.as_ref()
    }

    /// The key, as the managed key `managed`.
    pub(crate) fn with_managed(mut self, managed: ManagedKey) -> Self {
        self.managed = Some(managed);
        self
    }

    /// A copy of the key that is the managed key `managed`. The copy takes the place of the key
    /// behind its handle, whose charge covers it (same algorithm, same length).
    pub(crate) fn to_managed(&self, managed: ManagedKey) -> Result<Self> {
        let mut key = Self::import(self.alg, &self.raw)?;
        key.managed = Some(managed);
        Ok(key)
    }

    pub(crate) fn prepared(&self) -> &Prepared {
        &self.prepared
    }

    /// The HKDF PRK as a keyed HMAC, for HKDF-Expand keys.
    pub(crate) fn prk(&self) -> Result<(&MacState, HashFunction)> {
        match (&self.prepared, self.alg.family()) {
            (Prepared::Prk(mac), Family::HkdfExpand(h)) => Ok((mac, h)),
            (Prepared::Raw | Prepared::Mac(_) | Prepared::Prk(_) | Prepared::Aead(_), _) => {
                Err(CryptoError::InvalidKey)
            }
        }
    }
}
