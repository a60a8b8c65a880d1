//! `wasi_ephemeral_crypto_asymmetric_common`, `_signatures` and `_kx`.
//!
//! Not implemented yet: every function answers `not_implemented` (managed-key functions answer
//! `unsupported_feature`, as the spec asks of a host without a secrets manager).

mod encoding;

pub use encoding::{KeyPairEncoding, PublicKeyEncoding, SecretKeyEncoding, SignatureEncoding};

use crate::ctx::CryptoCtx;
use crate::error::{CryptoError, Result};
use crate::handles::Handle;
use crate::options::AlgorithmType;

const TODO: CryptoError = CryptoError::NotImplemented;

#[allow(missing_docs, unused_variables)]
impl CryptoCtx {
    pub fn keypair_generate(&mut self, alg_type: AlgorithmType, alg: &str, options: Option<Handle>) -> Result<Handle> {
        Err(TODO)
    }
    pub fn keypair_import(
        &mut self,
        alg_type: AlgorithmType,
        alg: &str,
        encoded: &[u8],
        encoding: KeyPairEncoding,
    ) -> Result<Handle> {
        Err(TODO)
    }
    pub fn keypair_generate_managed(
        &mut self,
        sm: Handle,
        alg_type: AlgorithmType,
        alg: &str,
        options: Option<Handle>,
    ) -> Result<Handle> {
        Err(CryptoError::UnsupportedFeature)
    }
    pub fn keypair_store_managed(&mut self, sm: Handle, kp: Handle, id_out: &mut [u8]) -> Result<()> {
        Err(CryptoError::UnsupportedFeature)
    }
    pub fn keypair_replace_managed(&mut self, sm: Handle, old: Handle, new: Handle) -> Result<u64> {
        Err(CryptoError::UnsupportedFeature)
    }
    pub fn keypair_id(&mut self, kp: Handle, id_out: &mut [u8]) -> Result<(usize, u64)> {
        Err(CryptoError::UnsupportedFeature)
    }
    pub fn keypair_from_id(&mut self, sm: Handle, id: &[u8], version: u64) -> Result<Handle> {
        Err(CryptoError::UnsupportedFeature)
    }
    pub fn keypair_from_pk_and_sk(&mut self, pk: Handle, sk: Handle) -> Result<Handle> {
        Err(TODO)
    }
    pub fn keypair_export(&mut self, kp: Handle, encoding: KeyPairEncoding) -> Result<Handle> {
        Err(TODO)
    }
    pub fn keypair_publickey(&mut self, kp: Handle) -> Result<Handle> {
        Err(TODO)
    }
    pub fn keypair_secretkey(&mut self, kp: Handle) -> Result<Handle> {
        Err(TODO)
    }
    pub fn keypair_close(&mut self, kp: Handle) -> Result<()> {
        Err(TODO)
    }
    pub fn publickey_import(
        &mut self,
        alg_type: AlgorithmType,
        alg: &str,
        encoded: &[u8],
        encoding: PublicKeyEncoding,
    ) -> Result<Handle> {
        Err(TODO)
    }
    pub fn publickey_export(&mut self, pk: Handle, encoding: PublicKeyEncoding) -> Result<Handle> {
        Err(TODO)
    }
    pub fn publickey_verify(&mut self, pk: Handle) -> Result<()> {
        Err(TODO)
    }
    pub fn publickey_from_secretkey(&mut self, sk: Handle) -> Result<Handle> {
        Err(TODO)
    }
    pub fn publickey_close(&mut self, pk: Handle) -> Result<()> {
        Err(TODO)
    }
    pub fn secretkey_import(
        &mut self,
        alg_type: AlgorithmType,
        alg: &str,
        encoded: &[u8],
        encoding: SecretKeyEncoding,
    ) -> Result<Handle> {
        Err(TODO)
    }
    pub fn secretkey_export(&mut self, sk: Handle, encoding: SecretKeyEncoding) -> Result<Handle> {
        Err(TODO)
    }
    pub fn secretkey_close(&mut self, sk: Handle) -> Result<()> {
        Err(TODO)
    }
    pub fn signature_export(&mut self, sig: Handle, encoding: SignatureEncoding) -> Result<Handle> {
        Err(TODO)
    }
    pub fn signature_import(&mut self, alg: &str, encoded: &[u8], encoding: SignatureEncoding) -> Result<Handle> {
        Err(TODO)
    }
    pub fn signature_state_open(&mut self, kp: Handle) -> Result<Handle> {
        Err(TODO)
    }
    pub fn signature_state_update(&mut self, state: Handle, data: &[u8]) -> Result<()> {
        Err(TODO)
    }
    pub fn signature_state_sign(&mut self, state: Handle) -> Result<Handle> {
        Err(TODO)
    }
    pub fn signature_state_close(&mut self, state: Handle) -> Result<()> {
        Err(TODO)
    }
    pub fn signature_verification_state_open(&mut self, pk: Handle) -> Result<Handle> {
        Err(TODO)
    }
    pub fn signature_verification_state_update(&mut self, state: Handle, data: &[u8]) -> Result<()> {
        Err(TODO)
    }
    pub fn signature_verification_state_verify(&mut self, state: Handle, sig: Handle) -> Result<()> {
        Err(TODO)
    }
    pub fn signature_verification_state_close(&mut self, state: Handle) -> Result<()> {
        Err(TODO)
    }
    pub fn signature_close(&mut self, sig: Handle) -> Result<()> {
        Err(TODO)
    }
    pub fn kx_dh(&mut self, pk: Handle, sk: Handle) -> Result<Handle> {
        Err(TODO)
    }
    /// Returns (shared secret, ciphertext) array outputs, in that order.
    pub fn kx_encapsulate(&mut self, pk: Handle) -> Result<(Handle, Handle)> {
        Err(TODO)
    }
    pub fn kx_decapsulate(&mut self, sk: Handle, encapsulated: &[u8]) -> Result<Handle> {
        Err(TODO)
    }
}
