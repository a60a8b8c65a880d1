//! `wasi-ephemeral-crypto-external-secrets`.

use super::bindings::wasi::crypto::wasi_ephemeral_crypto_common::{ArrayOutput, SecretsManager, Timestamp, Version};
use super::bindings::wasi::crypto::wasi_ephemeral_crypto_external_secrets::{Host, SecretId};
use super::common::own;
use super::convert::{WitResult, version_in};
use crate::WasiCryptoCtx;
use ::wasmcrypt::CryptoError;
use ::wasmcrypt::secrets::ID_LEN;
use wasmtime::component::Resource;
use zeroize::Zeroizing;

impl Host for WasiCryptoCtx {
    fn external_secret_store(
        &mut self,
        sm: Resource<SecretsManager>,
        secret: Vec<u8>,
        expiration: Timestamp,
    ) -> WitResult<SecretId> {
        let secret = Zeroizing::new(secret);
        let mut id = vec![0u8; ID_LEN];
        self.core().external_secret_store(sm.rep(), &secret, expiration, &mut id)?;
        Ok(id)
    }

    /// `unsupported_feature`: the upstream signature has no parameter naming the secret to
    /// replace. `wasmcrypt:crypto/external-secrets-ext.external-secret-replace-id` has one.
    fn external_secret_replace(
        &mut self,
        _: Resource<SecretsManager>,
        secret: Vec<u8>,
        _: Timestamp,
    ) -> WitResult<(SecretId, Version)> {
        drop(Zeroizing::new(secret));
        Err(CryptoError::UnsupportedFeature.into())
    }

    fn external_secret_from_id(
        &mut self,
        sm: Resource<SecretsManager>,
        id: SecretId,
        version: Version,
    ) -> WitResult<Resource<ArrayOutput>> {
        Ok(own(self.core().external_secret_from_id(sm.rep(), &id, version_in(version)?)?))
    }

    fn external_secret_invalidate(
        &mut self,
        sm: Resource<SecretsManager>,
        id: SecretId,
        version: Version,
    ) -> WitResult<()> {
        Ok(self.core().external_secret_invalidate(sm.rep(), &id, version_in(version)?)?)
    }

    fn external_secret_encapsulate(
        &mut self,
        sm: Resource<SecretsManager>,
        secret: Vec<u8>,
        expiration: Timestamp,
    ) -> WitResult<Resource<ArrayOutput>> {
        let secret = Zeroizing::new(secret);
        Ok(own(self.core().external_secret_encapsulate(sm.rep(), &secret, expiration)?))
    }

    fn external_secret_decapsulate(
        &mut self,
        sm: Resource<SecretsManager>,
        encrypted: Vec<u8>,
    ) -> WitResult<Resource<ArrayOutput>> {
        Ok(own(self.core().external_secret_decapsulate(sm.rep(), &encrypted)?))
    }
}
