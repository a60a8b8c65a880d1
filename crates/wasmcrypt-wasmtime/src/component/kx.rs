//! `wasi-ephemeral-crypto-kx`.

use super::bindings::wasi::crypto::wasi_ephemeral_crypto_common::{ArrayOutput, Publickey, Secretkey};
use super::bindings::wasi::crypto::wasi_ephemeral_crypto_kx::Host;
use super::common::own;
use super::convert::WitResult;
use crate::WasiCryptoCtx;
use wasmtime::component::Resource;

impl Host for WasiCryptoCtx {
    fn kx_dh(&mut self, pk: Resource<Publickey>, sk: Resource<Secretkey>) -> WitResult<Resource<ArrayOutput>> {
        Ok(own(self.core().kx_dh(pk.rep(), sk.rep())?))
    }

    /// The shared secret, then its encapsulation.
    fn kx_encapsulate(&mut self, pk: Resource<Publickey>) -> WitResult<(Resource<ArrayOutput>, Resource<ArrayOutput>)> {
        let (secret, ciphertext) = self.core().kx_encapsulate(pk.rep())?;
        Ok((own(secret), own(ciphertext)))
    }

    fn kx_decapsulate(&mut self, sk: Resource<Secretkey>, encapsulated: Vec<u8>) -> WitResult<Resource<ArrayOutput>> {
        Ok(own(self.core().kx_decapsulate(sk.rep(), &encapsulated)?))
    }
}
