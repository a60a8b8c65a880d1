//! Symmetric keys: raw bytes (wiped on drop) plus the backend key, prepared once per key.

use super::algorithm::{AeadAlgorithm, Family, HashFunction, SymmetricAlgorithm};
use super::mac::MacState;
use crate::budget::Charge;
use crate::error::{CryptoError, Result};
use crate::secrets::ManagedKey;
use ring::aead::{AES_128_GCM, AES_256_GCM, CHACHA20_POLY1305, LessSafeKey, UnboundKey};
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
    /// An expanded AEAD key (ring).
    Aead(Arc<LessSafeKey>),
}

/// A symmetric key.
pub struct SymmetricKey {
    alg: SymmetricAlgorithm,
    raw: Zeroizing<Vec<u8>>,
    prepared: Prepared,
    managed: Option<ManagedKey>,
    /// For keys imported by a guest: the context's budget is charged for the raw bytes.
    charge: Option<Charge>,
}

fn ring_aead(alg: AeadAlgorithm, raw: &[u8]) -> Result<Prepared> {
    let algorithm = match alg {
        AeadAlgorithm::Aes128Gcm => &AES_128_GCM,
        AeadAlgorithm::Aes256Gcm => &AES_256_GCM,
        AeadAlgorithm::ChaCha20Poly1305 => &CHACHA20_POLY1305,
        AeadAlgorithm::XChaCha20Poly1305 => return Ok(Prepared::Raw),
    };
    let key = UnboundKey::new(algorithm, raw).map_err(|_| CryptoError::InvalidKey)?;
    Ok(Prepared::Aead(Arc::new(LessSafeKey::new(key))))
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
            Family::HkdfExtract(_) | Family::Xoodyak(_) => Prepared::Raw,
            Family::Aead(a) => ring_aead(a, raw)?,
        };
        Ok(Self { alg, raw: Zeroizing::new(raw.to_vec()), prepared, managed: None, charge: None })
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

    /// Charges the key's raw bytes to a context's budget until the key is dropped.
    pub(crate) fn with_charge(mut self, charge: Charge) -> Self {
        self.charge = Some(charge);
        self
    }

    /// The key, as the managed key `managed`.
    pub(crate) fn with_managed(mut self, managed: ManagedKey) -> Self {
        self.managed = Some(managed);
        self
    }

    /// A copy of the key that is the managed key `managed`.
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
            _ => Err(CryptoError::InvalidKey),
        }
    }
}
