//! `wasi-ephemeral-crypto-common`: option sets, array outputs, the secrets manager, and the
//! drop of every resource.

use super::bindings::wasi::crypto::wasi_ephemeral_crypto_common::{
    AlgorithmType, ArrayOutput, Host, HostArrayOutput, HostKeypair, HostOptions, HostPublickey, HostSecretkey,
    HostSecretsManager, HostSignature, HostSignatureState, HostSignatureVerificationState, HostSymmetricKey,
    HostSymmetricState, HostSymmetricTag, Keypair, Options, Publickey, Secretkey, SecretsManager, Signature,
    SignatureState, SignatureVerificationState, Size, SymmetricKey, SymmetricState, SymmetricTag, Version,
};
use super::convert::{WitResult, algorithm_type, version_in};
use super::pull::Pull;
use crate::WasiCryptoCtx;
use ::wasmcrypt::{CryptoError, Handle};
use wasmtime::component::Resource;

/// A new owned resource for a core handle.
pub(crate) fn own<T: 'static>(handle: Handle) -> Resource<T> {
    Resource::new_own(handle)
}

/// The core handle of an optional borrowed resource.
pub(crate) fn opt<T: 'static>(resource: &Option<Resource<T>>) -> Option<Handle> {
    resource.as_ref().map(Resource::rep)
}

/// A length the core reports, as the WIT `size` (`overflow` if it does not fit 32 bits).
pub(crate) fn size(len: usize) -> WitResult<Size> {
    Ok(Size::try_from(len).map_err(|_| CryptoError::Overflow)?)
}

impl Host for WasiCryptoCtx {
    fn options_open(&mut self, t: AlgorithmType) -> WitResult<Resource<Options>> {
        Ok(own(self.core().options_open(algorithm_type(t))?))
    }

    fn options_close(&mut self, options: Resource<Options>) -> WitResult<()> {
        Ok(self.core().options_close(options.rep())?)
    }

    fn options_set(&mut self, options: Resource<Options>, name: String, value: Vec<u8>) -> WitResult<()> {
        let value = zeroize::Zeroizing::new(value);
        Ok(self.core().options_set(options.rep(), &name, &value)?)
    }

    fn options_set_u64(&mut self, options: Resource<Options>, name: String, value: u64) -> WitResult<()> {
        Ok(self.core().options_set_u64(options.rep(), &name, value)?)
    }

    /// The list is a copy, so the host keeps it as the scratch memory of a memory-hard function
    /// (`memory`: Argon2's m is its length in KiB, scrypt's N·r·128 bytes must fit, as for
    /// modules), charged to the context's budget (`overflow` beyond) for as long as the option
    /// set or a state opened with it lives, and wiped when freed.
    fn options_set_guest_buffer(&mut self, options: Resource<Options>, name: String, buffer: Vec<u8>) -> WitResult<()> {
        Ok(self.core().options_set_host_buffer(options.rep(), &name, buffer)?)
    }

    fn array_output_len(&mut self, output: Resource<ArrayOutput>) -> WitResult<Size> {
        size(self.core().array_output_len(output.rep())?)
    }

    fn array_output_pull(&mut self, output: Resource<ArrayOutput>) -> WitResult<Vec<u8>> {
        Ok(Pull::ArrayOutput.run_to_vec(self.core(), output.rep())?)
    }

    fn secrets_manager_open(&mut self, options: Option<Resource<Options>>) -> WitResult<Resource<SecretsManager>> {
        Ok(own(self.core().secrets_manager_open(opt(&options))?))
    }

    fn secrets_manager_close(&mut self, sm: Resource<SecretsManager>) -> WitResult<()> {
        Ok(self.core().secrets_manager_close(sm.rep())?)
    }

    fn secrets_manager_invalidate(
        &mut self,
        sm: Resource<SecretsManager>,
        key_id: Vec<u8>,
        version: Version,
    ) -> WitResult<()> {
        Ok(self.core().secrets_manager_invalidate(sm.rep(), &key_id, version_in(version)?)?)
    }
}

/// Implements the drop of a resource: the core handle closes exactly as its `*_close` closes
/// it. A handle the core already closed (an array output drained by a pull) is ignored.
macro_rules! drop_closes {
    ($($host:ident, $ty:ident, $close:ident;)*) => {
        $(
            impl $host for WasiCryptoCtx {
                fn drop(&mut self, resource: Resource<$ty>) -> wasmtime::Result<()> {
                    let _ = self.core().$close(resource.rep());
                    Ok(())
                }
            }
        )*
    };
}

drop_closes! {
    HostArrayOutput, ArrayOutput, array_output_close;
    HostOptions, Options, options_close;
    HostSecretsManager, SecretsManager, secrets_manager_close;
    HostKeypair, Keypair, keypair_close;
    HostSignatureState, SignatureState, signature_state_close;
    HostSignature, Signature, signature_close;
    HostPublickey, Publickey, publickey_close;
    HostSecretkey, Secretkey, secretkey_close;
    HostSignatureVerificationState, SignatureVerificationState, signature_verification_state_close;
    HostSymmetricState, SymmetricState, symmetric_state_close;
    HostSymmetricKey, SymmetricKey, symmetric_key_close;
    HostSymmetricTag, SymmetricTag, symmetric_tag_close;
}
