//! `wasmcrypt:crypto/symmetric-ext` and `wasmcrypt:crypto/external-secrets-ext`: what the
//! upstream WIT cannot express.

use super::bindings::wasi::crypto::wasi_ephemeral_crypto_common::{SecretsManager, SymmetricState, Version};
use super::bindings::wasmcrypt::crypto::{external_secrets_ext, symmetric_ext};
use super::common::size;
use super::convert::{WitResult, version_out};
use super::pull::Pull;
use crate::WasiCryptoCtx;
use wasmtime::component::Resource;
use zeroize::Zeroizing;

impl symmetric_ext::Host for WasiCryptoCtx {
    fn squeeze_n(&mut self, state: Resource<SymmetricState>, len: u32) -> WitResult<Vec<u8>> {
        Ok(Pull::Squeeze(Some(len)).run_to_vec(self.core(), state.rep())?)
    }

    fn squeeze_len(&mut self, state: Resource<SymmetricState>) -> WitResult<u32> {
        size(self.core().symmetric_state_squeeze_len(state.rep())?)
    }
}

impl external_secrets_ext::Host for WasiCryptoCtx {
    fn external_secret_replace_id(
        &mut self,
        sm: Resource<SecretsManager>,
        secret: Vec<u8>,
        expiration: u64,
        id: Vec<u8>,
    ) -> WitResult<Version> {
        let secret = Zeroizing::new(secret);
        Ok(version_out(self.core().external_secret_replace(sm.rep(), &secret, expiration, &id)?))
    }
}
