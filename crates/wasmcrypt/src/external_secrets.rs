//! `wasi_ephemeral_crypto_external_secrets`: needs the secrets manager, which this host does not
//! have yet, so every function answers `unsupported_feature` as the spec asks.

use crate::ctx::CryptoCtx;
use crate::error::{CryptoError, Result};
use crate::handles::Handle;

#[allow(unused_variables)]
impl CryptoCtx {
    /// `external_secret_store`.
    pub fn external_secret_store(
        &mut self,
        sm: Handle,
        secret: &[u8],
        expiration: u64,
        id_out: &mut [u8],
    ) -> Result<()> {
        Err(CryptoError::UnsupportedFeature)
    }
    /// `external_secret_replace`.
    pub fn external_secret_replace(&mut self, sm: Handle, secret: &[u8], expiration: u64, id: &[u8]) -> Result<u64> {
        Err(CryptoError::UnsupportedFeature)
    }
    /// `external_secret_from_id`.
    pub fn external_secret_from_id(&mut self, sm: Handle, id: &[u8], version: u64) -> Result<Handle> {
        Err(CryptoError::UnsupportedFeature)
    }
    /// `external_secret_invalidate`.
    pub fn external_secret_invalidate(&mut self, sm: Handle, id: &[u8], version: u64) -> Result<()> {
        Err(CryptoError::UnsupportedFeature)
    }
    /// `external_secret_encapsulate`.
    pub fn external_secret_encapsulate(&mut self, sm: Handle, secret: &[u8], expiration: u64) -> Result<Handle> {
        Err(CryptoError::UnsupportedFeature)
    }
    /// `external_secret_decapsulate`.
    pub fn external_secret_decapsulate(&mut self, sm: Handle, encrypted: &[u8]) -> Result<Handle> {
        Err(CryptoError::UnsupportedFeature)
    }
}
