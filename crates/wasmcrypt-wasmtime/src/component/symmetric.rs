//! `wasi-ephemeral-crypto-symmetric`. The linker serves the bulk-data functions from
//! [`super::list_args`], which reads their input in the guest's memory; the methods here run the
//! same calls ([`Bulk`]) on the lifted copies the generated bindings pass.

use super::bindings::wasi::crypto::wasi_ephemeral_crypto_common::{
    ArrayOutput, Options, SecretsManager, Size, SymmetricKey, SymmetricState, SymmetricTag, Version,
};
use super::bindings::wasi::crypto::wasi_ephemeral_crypto_symmetric::{Host, StoredKeyId};
use super::bulk::Bulk;
use super::common::{opt, own, size};
use super::convert::{WitResult, version_in, version_out};
use super::pull::Pull;
use crate::WasiCryptoCtx;
use ::wasmcrypt::secrets::{ID_LEN, MAX_ID_LEN};
use ::wasmcrypt::{CryptoCtx, CryptoError, Handle};
use wasmtime::component::Resource;

/// The first buffer tried for a byte option (nonces, contexts, salts); longer values are read
/// again with a buffer of the context's input cap, the longest value an option can hold.
const SHORT_OPTION_LEN: usize = 64;

fn options_get(cx: &mut CryptoCtx, state: Handle, name: &str) -> Result<Vec<u8>, CryptoError> {
    let mut value = vec![0u8; SHORT_OPTION_LEN];
    let len = match cx.symmetric_state_options_get(state, name, &mut value) {
        Err(CryptoError::Overflow) => {
            value = vec![0u8; cx.max_input_len()];
            cx.symmetric_state_options_get(state, name, &mut value)?
        }
        other => other?,
    };
    value.truncate(len);
    Ok(value)
}

impl Host for WasiCryptoCtx {
    fn symmetric_key_generate(
        &mut self,
        alg: String,
        options: Option<Resource<Options>>,
    ) -> WitResult<Resource<SymmetricKey>> {
        Ok(own(self.core().symmetric_key_generate(&alg, opt(&options))?))
    }

    fn symmetric_key_import(&mut self, alg: String, raw: Vec<u8>) -> WitResult<Resource<SymmetricKey>> {
        let raw = zeroize::Zeroizing::new(raw);
        Ok(own(self.core().symmetric_key_import(&alg, &raw)?))
    }

    fn symmetric_key_export(&mut self, key: Resource<SymmetricKey>) -> WitResult<Resource<ArrayOutput>> {
        Ok(own(self.core().symmetric_key_export(key.rep())?))
    }

    fn symmetric_key_close(&mut self, key: Resource<SymmetricKey>) -> WitResult<()> {
        Ok(self.core().symmetric_key_close(key.rep())?)
    }

    fn symmetric_key_generate_managed(
        &mut self,
        sm: Resource<SecretsManager>,
        alg: String,
        options: Option<Resource<Options>>,
    ) -> WitResult<Resource<SymmetricKey>> {
        Ok(own(self.core().symmetric_key_generate_managed(sm.rep(), &alg, opt(&options))?))
    }

    fn symmetric_key_store_managed(
        &mut self,
        sm: Resource<SecretsManager>,
        key: Resource<SymmetricKey>,
    ) -> WitResult<StoredKeyId> {
        let mut id = vec![0u8; ID_LEN];
        self.core().symmetric_key_store_managed(sm.rep(), key.rep(), &mut id)?;
        Ok(id)
    }

    /// `old` is consumed: if the core refuses the replacement, its handle is closed here.
    fn symmetric_key_replace_managed(
        &mut self,
        sm: Resource<SecretsManager>,
        old: Resource<SymmetricKey>,
        new: Resource<SymmetricKey>,
    ) -> WitResult<Version> {
        let result = self.core().symmetric_key_replace_managed(sm.rep(), old.rep(), new.rep());
        if result.is_err() {
            let _ = self.core().symmetric_key_close(old.rep());
        }
        Ok(version_out(result?))
    }

    fn symmetric_key_id(&mut self, key: Resource<SymmetricKey>) -> WitResult<(StoredKeyId, Version)> {
        let mut id = vec![0u8; MAX_ID_LEN];
        let (len, version) = self.core().symmetric_key_id(key.rep(), &mut id)?;
        id.truncate(len);
        Ok((id, version_out(version)))
    }

    fn symmetric_key_from_id(
        &mut self,
        sm: Resource<SecretsManager>,
        id: StoredKeyId,
        version: Version,
    ) -> WitResult<Resource<SymmetricKey>> {
        Ok(own(self.core().symmetric_key_from_id(sm.rep(), &id, version_in(version)?)?))
    }

    fn symmetric_state_open(
        &mut self,
        alg: String,
        key: Option<Resource<SymmetricKey>>,
        options: Option<Resource<Options>>,
    ) -> WitResult<Resource<SymmetricState>> {
        Ok(own(self.core().symmetric_state_open(&alg, opt(&key), opt(&options))?))
    }

    fn symmetric_state_options_get(&mut self, state: Resource<SymmetricState>, name: String) -> WitResult<Vec<u8>> {
        Ok(options_get(self.core(), state.rep(), &name)?)
    }

    fn symmetric_state_options_get_u64(&mut self, state: Resource<SymmetricState>, name: String) -> WitResult<u64> {
        Ok(self.core().symmetric_state_options_get_u64(state.rep(), &name)?)
    }

    fn symmetric_state_clone(&mut self, state: Resource<SymmetricState>) -> WitResult<Resource<SymmetricState>> {
        Ok(own(self.core().symmetric_state_clone(state.rep())?))
    }

    fn symmetric_state_close(&mut self, state: Resource<SymmetricState>) -> WitResult<()> {
        Ok(self.core().symmetric_state_close(state.rep())?)
    }

    fn symmetric_state_absorb(&mut self, state: Resource<SymmetricState>, data: Vec<u8>) -> WitResult<()> {
        let data = zeroize::Zeroizing::new(data);
        Ok(self.core().symmetric_state_absorb(state.rep(), &data)?)
    }

    /// The whole digest of a hash, one hash output of HKDF-Expand, 32 bytes of Xoodyak
    /// (`CryptoCtx::symmetric_state_squeeze_len`); `squeeze-n` of the extension for any length.
    fn symmetric_state_squeeze(&mut self, state: Resource<SymmetricState>) -> WitResult<Vec<u8>> {
        Ok(Pull::Squeeze(None).run_to_vec(self.core(), state.rep())?)
    }

    fn symmetric_state_squeeze_tag(&mut self, state: Resource<SymmetricState>) -> WitResult<Resource<SymmetricTag>> {
        Ok(own(self.core().symmetric_state_squeeze_tag(state.rep())?))
    }

    fn symmetric_state_squeeze_key(
        &mut self,
        state: Resource<SymmetricState>,
        alg: String,
    ) -> WitResult<Resource<SymmetricKey>> {
        Ok(own(self.core().symmetric_state_squeeze_key(state.rep(), &alg)?))
    }

    fn symmetric_state_max_tag_len(&mut self, state: Resource<SymmetricState>) -> WitResult<Size> {
        size(self.core().symmetric_state_max_tag_len(state.rep())?)
    }

    fn symmetric_state_encrypt(&mut self, state: Resource<SymmetricState>, data: Vec<u8>) -> WitResult<Vec<u8>> {
        Ok(Bulk::Encrypt.run_to_vec(self.core(), state.rep(), &data)?.0)
    }

    fn symmetric_state_encrypt_detached(
        &mut self,
        state: Resource<SymmetricState>,
        data: Vec<u8>,
    ) -> WitResult<(Vec<u8>, Resource<SymmetricTag>)> {
        match Bulk::EncryptDetached.run_to_vec(self.core(), state.rep(), &data)? {
            (sealed, Some(tag)) => Ok((sealed, own(tag))),
            (_, None) => Err(CryptoError::InternalError.into()),
        }
    }

    fn symmetric_state_decrypt(
        &mut self,
        state: Resource<SymmetricState>,
        data: Vec<u8>,
        out_len: Size,
    ) -> WitResult<Vec<u8>> {
        Ok(Bulk::Decrypt { out_len }.run_to_vec(self.core(), state.rep(), &data)?.0)
    }

    fn symmetric_state_decrypt_detached(
        &mut self,
        state: Resource<SymmetricState>,
        data: Vec<u8>,
        raw_tag: Vec<u8>,
    ) -> WitResult<Vec<u8>> {
        Ok(Bulk::DecryptDetached { tag: &raw_tag }.run_to_vec(self.core(), state.rep(), &data)?.0)
    }

    fn symmetric_state_ratchet(&mut self, state: Resource<SymmetricState>) -> WitResult<()> {
        Ok(self.core().symmetric_state_ratchet(state.rep())?)
    }

    fn symmetric_tag_len(&mut self, tag: Resource<SymmetricTag>) -> WitResult<Size> {
        size(self.core().symmetric_tag_len(tag.rep())?)
    }

    /// The tag is consumed: closed even if it could not be read.
    fn symmetric_tag_pull(&mut self, tag: Resource<SymmetricTag>) -> WitResult<Vec<u8>> {
        Ok(Pull::Tag.run_to_vec(self.core(), tag.rep())?)
    }

    fn symmetric_tag_verify(&mut self, tag: Resource<SymmetricTag>, expected: Vec<u8>) -> WitResult<()> {
        Ok(self.core().symmetric_tag_verify(tag.rep(), &expected)?)
    }

    fn symmetric_tag_close(&mut self, tag: Resource<SymmetricTag>) -> WitResult<()> {
        Ok(self.core().symmetric_tag_close(tag.rep())?)
    }
}
