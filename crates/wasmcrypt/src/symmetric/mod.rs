//! `wasi_ephemeral_crypto_symmetric`: hashes, MACs, HKDF, AEADs, Xoodyak sessions and password
//! hashes.

mod aead;
mod aead_key;
mod algorithm;
mod blake;
mod ciphers;
mod digest;
mod families;
mod hash;
mod hkdf;
mod inout;
mod keccak;
mod key;
mod mac;
pub mod password;
mod squeeze_len;
mod state;
mod tag;
mod xoodyak;

pub use aead_key::{AesGcmBackend, aes_gcm_backend};
pub use algorithm::{
    AeadAlgorithm, CipherAlgorithm, DigestAlgorithm, Family, HashFunction, KeyUse, MAX_HMAC_KEY_LEN, Output,
    SYMMETRIC_ALGORITHMS, SymmetricAlgorithm, Tier,
};
pub use inout::InOut;
pub use key::SymmetricKey;
pub use squeeze_len::XOODYAK_DEFAULT_SQUEEZE_LEN;
pub use state::SymmetricState;
pub use tag::{MAX_TAG_LEN, SymmetricTag};

use crate::ctx::CryptoCtx;
use crate::error::{CryptoError, Result};
use crate::handles::Handle;
use crate::options::AlgorithmType;
use std::sync::Arc;

impl CryptoCtx {
    fn symmetric_key(&self, handle: Handle) -> Result<&Arc<SymmetricKey>> {
        self.handles.get::<Arc<SymmetricKey>>(handle)
    }

    fn symmetric_state(&mut self, handle: Handle) -> Result<&mut SymmetricState> {
        Ok(self.handles.get_mut::<Box<SymmetricState>>(handle)?)
    }

    /// `symmetric_key_generate`. Options are accepted and not needed by any supported algorithm.
    pub fn symmetric_key_generate(&mut self, alg: &str, options: Option<Handle>) -> Result<Handle> {
        let alg = SymmetricAlgorithm::from_name(alg)?;
        self.options_of(options, AlgorithmType::Symmetric)?;
        let len = alg.generated_key_len().ok_or(CryptoError::KeyNotSupported)?;
        self.reserve(SymmetricKey::estimated_footprint(alg, len))?;
        let key = SymmetricKey::generate(alg)?;
        self.handles.insert(Arc::new(key))
    }

    /// `symmetric_key_import`: `invalid_key` if the key does not fit the algorithm (including
    /// HMAC and HKDF keys longer than [`MAX_HMAC_KEY_LEN`]), `overflow` if it is longer than the
    /// context's input cap or does not fit its budget.
    pub fn symmetric_key_import(&mut self, alg: &str, raw: &[u8]) -> Result<Handle> {
        let alg = SymmetricAlgorithm::from_name(alg)?;
        alg.check_key_len(raw.len())?;
        self.budget.check_input(raw.len())?;
        self.reserve(SymmetricKey::estimated_footprint(alg, raw.len()))?;
        let key = SymmetricKey::import(alg, raw)?;
        self.handles.insert(Arc::new(key))
    }

    /// `symmetric_key_export`: the raw key as an `array_output`.
    pub fn symmetric_key_export(&mut self, key: Handle) -> Result<Handle> {
        let key = self.symmetric_key(key)?;
        crate::secrets::check_exportable(key.managed())?;
        let raw = key.raw().to_vec();
        self.output(raw)
    }

    /// `symmetric_key_close`. States opened with the key keep their own reference.
    pub fn symmetric_key_close(&mut self, key: Handle) -> Result<()> {
        self.close::<Arc<SymmetricKey>>(key)
    }

    /// `symmetric_state_open`.
    pub fn symmetric_state_open(&mut self, alg: &str, key: Option<Handle>, options: Option<Handle>) -> Result<Handle> {
        let alg = SymmetricAlgorithm::from_name(alg)?;
        let key = key.map(|k| self.symmetric_key(k).cloned()).transpose()?;
        let options = self.options_of(options, AlgorithmType::Symmetric)?.map(|o| o.symmetric().clone());
        let options = options.unwrap_or_default();
        let state = SymmetricState::open(alg, key, options, &self.budget)?;
        self.handles.insert(Box::new(state))
    }

    /// `symmetric_state_options_get`: copies a byte option into `out` and returns its length;
    /// `overflow` if `out` is too short.
    pub fn symmetric_state_options_get(&mut self, state: Handle, name: &str, out: &mut [u8]) -> Result<usize> {
        let value = self.symmetric_state_option_of_algorithm(state, name)?.options().get(name)?;
        out.get_mut(..value.len()).ok_or(CryptoError::Overflow)?.copy_from_slice(value);
        Ok(value.len())
    }

    /// `symmetric_state_options_get_u64`.
    pub fn symmetric_state_options_get_u64(&mut self, state: Handle, name: &str) -> Result<u64> {
        self.symmetric_state_option_of_algorithm(state, name)?.options().get_u64(name)
    }

    /// The state, if `name` is an option of its algorithm: `unsupported_option` otherwise (the
    /// spec's rule for options that do not exist for the chosen algorithm).
    fn symmetric_state_option_of_algorithm(&self, state: Handle, name: &str) -> Result<&SymmetricState> {
        let state = self.handles.get::<Box<SymmetricState>>(state)?;
        if state.algorithm().accepted_options().iter().any(|n| n.eq_ignore_ascii_case(name)) {
            Ok(state)
        } else {
            Err(CryptoError::UnsupportedOption)
        }
    }

    /// `symmetric_state_clone`: a deep, independent copy, charged to the budget. The copy never
    /// reuses a nonce: see [`SymmetricState`]'s rules.
    pub fn symmetric_state_clone(&mut self, state: Handle) -> Result<Handle> {
        let original = self.handles.get::<Box<SymmetricState>>(state)?;
        self.reserve(original.footprint())?;
        let copy = original.try_clone(&self.budget)?;
        self.handles.insert(Box::new(copy))
    }

    /// `symmetric_state_close`.
    pub fn symmetric_state_close(&mut self, state: Handle) -> Result<()> {
        self.close::<Box<SymmetricState>>(state)
    }

    /// `symmetric_state_absorb`.
    pub fn symmetric_state_absorb(&mut self, state: Handle, data: &[u8]) -> Result<()> {
        self.symmetric_state(state)?.absorb(data)
    }

    /// `symmetric_state_squeeze`: `overflow` for a Xoodyak squeeze longer than the context's
    /// input cap.
    pub fn symmetric_state_squeeze(&mut self, state: Handle, out: &mut [u8]) -> Result<()> {
        self.handles.get_mut::<Box<SymmetricState>>(state)?.squeeze(out, &self.budget)
    }

    /// `symmetric_state_squeeze_tag`.
    pub fn symmetric_state_squeeze_tag(&mut self, state: Handle) -> Result<Handle> {
        let tag = self.symmetric_state(state)?.squeeze_tag()?;
        self.handles.insert(tag)
    }

    /// `symmetric_state_squeeze_key`.
    pub fn symmetric_state_squeeze_key(&mut self, state: Handle, alg: &str) -> Result<Handle> {
        let target = SymmetricAlgorithm::from_name(alg)?;
        self.reserve(SymmetricKey::estimated_footprint(target, target.generated_key_len().unwrap_or(0)))?;
        let key = self.symmetric_state(state)?.squeeze_key(target)?;
        self.handles.insert(Arc::new(key))
    }

    /// `symmetric_state_max_tag_len`.
    pub fn symmetric_state_max_tag_len(&mut self, state: Handle) -> Result<usize> {
        self.symmetric_state(state)?.max_tag_len()
    }

    /// `symmetric_state_encrypt`.
    pub fn symmetric_state_encrypt(&mut self, state: Handle, io: InOut<'_>) -> Result<usize> {
        self.symmetric_state(state)?.encrypt(io)
    }

    /// `symmetric_state_encrypt_detached`.
    pub fn symmetric_state_encrypt_detached(&mut self, state: Handle, io: InOut<'_>) -> Result<Handle> {
        let tag = self.symmetric_state(state)?.encrypt_detached(io)?;
        self.handles.insert(tag)
    }

    /// `symmetric_state_decrypt`.
    pub fn symmetric_state_decrypt(&mut self, state: Handle, io: InOut<'_>) -> Result<usize> {
        self.symmetric_state(state)?.decrypt(io)
    }

    /// `symmetric_state_decrypt_detached`.
    pub fn symmetric_state_decrypt_detached(&mut self, state: Handle, io: InOut<'_>, raw_tag: &[u8]) -> Result<usize> {
        self.symmetric_state(state)?.decrypt_detached(io, raw_tag)
    }

    /// `symmetric_state_ratchet`.
    pub fn symmetric_state_ratchet(&mut self, state: Handle) -> Result<()> {
        self.symmetric_state(state)?.ratchet()
    }

    /// `symmetric_tag_len`.
    pub fn symmetric_tag_len(&self, tag: Handle) -> Result<usize> {
        Ok(self.handles.get::<SymmetricTag>(tag)?.len())
    }

    /// `symmetric_tag_pull`: copies the tag and closes its handle; `overflow` (handle kept) if
    /// `buf` is too short.
    pub fn symmetric_tag_pull(&mut self, tag: Handle, buf: &mut [u8]) -> Result<usize> {
        let n = self.handles.get::<SymmetricTag>(tag)?.pull(buf)?;
        self.close::<SymmetricTag>(tag)?;
        Ok(n)
    }

    /// `symmetric_tag_verify`: constant-time comparison.
    pub fn symmetric_tag_verify(&self, tag: Handle, expected: &[u8]) -> Result<()> {
        self.handles.get::<SymmetricTag>(tag)?.verify(expected)
    }

    /// `symmetric_tag_close`.
    pub fn symmetric_tag_close(&mut self, tag: Handle) -> Result<()> {
        self.close::<SymmetricTag>(tag)
    }
}
