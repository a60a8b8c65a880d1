//! `wasi-ephemeral-crypto-signatures`.

use super::bindings::wasi::crypto::wasi_ephemeral_crypto_common::{
    ArrayOutput, Keypair, Publickey, Signature, SignatureEncoding, SignatureState, SignatureVerificationState,
};
use super::bindings::wasi::crypto::wasi_ephemeral_crypto_signatures::Host;
use super::common::own;
use super::convert::{WitResult, signature_encoding};
use crate::WasiCryptoCtx;
use wasmtime::component::Resource;

impl Host for WasiCryptoCtx {
    fn signature_export(
        &mut self,
        sig: Resource<Signature>,
        encoding: SignatureEncoding,
    ) -> WitResult<Resource<ArrayOutput>> {
        Ok(own(self.core().signature_export(sig.rep(), signature_encoding(encoding))?))
    }

    fn signature_import(
        &mut self,
        alg: String,
        encoded: Vec<u8>,
        encoding: SignatureEncoding,
    ) -> WitResult<Resource<Signature>> {
        Ok(own(self.core().signature_import(&alg, &encoded, signature_encoding(encoding))?))
    }

    fn signature_state_open(&mut self, kp: Resource<Keypair>) -> WitResult<Resource<SignatureState>> {
        Ok(own(self.core().signature_state_open(kp.rep())?))
    }

    fn signature_state_update(&mut self, state: Resource<SignatureState>, input: Vec<u8>) -> WitResult<()> {
        Ok(self.core().signature_state_update(state.rep(), &input)?)
    }

    fn signature_state_sign(&mut self, state: Resource<SignatureState>) -> WitResult<Resource<Signature>> {
        Ok(own(self.core().signature_state_sign(state.rep())?))
    }

    fn signature_state_close(&mut self, state: Resource<SignatureState>) -> WitResult<()> {
        Ok(self.core().signature_state_close(state.rep())?)
    }

    fn signature_verification_state_open(
        &mut self,
        pk: Resource<Publickey>,
    ) -> WitResult<Resource<SignatureVerificationState>> {
        Ok(own(self.core().signature_verification_state_open(pk.rep())?))
    }

    fn signature_verification_state_update(
        &mut self,
        state: Resource<SignatureVerificationState>,
        input: Vec<u8>,
    ) -> WitResult<()> {
        Ok(self.core().signature_verification_state_update(state.rep(), &input)?)
    }

    fn signature_verification_state_verify(
        &mut self,
        state: Resource<SignatureVerificationState>,
        sig: Resource<Signature>,
    ) -> WitResult<()> {
        Ok(self.core().signature_verification_state_verify(state.rep(), sig.rep())?)
    }

    fn signature_verification_state_close(&mut self, state: Resource<SignatureVerificationState>) -> WitResult<()> {
        Ok(self.core().signature_verification_state_close(state.rep())?)
    }

    fn signature_close(&mut self, sig: Resource<Signature>) -> WitResult<()> {
        Ok(self.core().signature_close(sig.rep())?)
    }
}
