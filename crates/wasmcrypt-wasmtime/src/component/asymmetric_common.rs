//! `wasi-ephemeral-crypto-asymmetric-common`: key pairs, public keys, secret keys.

use super::bindings::wasi::crypto::wasi_ephemeral_crypto_asymmetric_common::{Host, KpId};
use super::bindings::wasi::crypto::wasi_ephemeral_crypto_common::{
    AlgorithmType, ArrayOutput, Keypair, KeypairEncoding, Options, Publickey, PublickeyEncoding, Secretkey,
    SecretkeyEncoding, SecretsManager, Version,
};
use super::common::{opt, own};
use super::convert::{
    WitResult, algorithm_type, keypair_encoding, publickey_encoding, secretkey_encoding, version_in, version_out,
};
use crate::WasiCryptoCtx;
use ::wasmcrypt::secrets::{ID_LEN, MAX_ID_LEN};
use wasmtime::component::Resource;
use zeroize::Zeroizing;

impl Host for WasiCryptoCtx {
    fn keypair_generate(
        &mut self,
        t: AlgorithmType,
        alg: String,
        options: Option<Resource<Options>>,
    ) -> WitResult<Resource<Keypair>> {
        Ok(own(self.core().keypair_generate(algorithm_type(t), &alg, opt(&options))?))
    }

    fn keypair_import(
        &mut self,
        t: AlgorithmType,
        alg: String,
        encoded: Vec<u8>,
        encoding: KeypairEncoding,
    ) -> WitResult<Resource<Keypair>> {
        let encoded = Zeroizing::new(encoded);
        Ok(own(self.core().keypair_import(algorithm_type(t), &alg, &encoded, keypair_encoding(encoding))?))
    }

    fn keypair_generate_managed(
        &mut self,
        sm: Resource<SecretsManager>,
        t: AlgorithmType,
        alg: String,
        options: Option<Resource<Options>>,
    ) -> WitResult<Resource<Keypair>> {
        Ok(own(self.core().keypair_generate_managed(sm.rep(), algorithm_type(t), &alg, opt(&options))?))
    }

    fn keypair_store_managed(&mut self, sm: Resource<SecretsManager>, kp: Resource<Keypair>) -> WitResult<KpId> {
        let mut id = vec![0u8; ID_LEN];
        self.core().keypair_store_managed(sm.rep(), kp.rep(), &mut id)?;
        Ok(id)
    }

    /// `old` is consumed: if the core refuses the replacement, its handle is closed here.
    fn keypair_replace_managed(
        &mut self,
        sm: Resource<SecretsManager>,
        old: Resource<Keypair>,
        new: Resource<Keypair>,
    ) -> WitResult<Version> {
        let result = self.core().keypair_replace_managed(sm.rep(), old.rep(), new.rep());
        if result.is_err() {
            let _ = self.core().keypair_close(old.rep());
        }
        Ok(version_out(result?))
    }

    fn keypair_id(&mut self, kp: Resource<Keypair>) -> WitResult<(KpId, Version)> {
        let mut id = vec![0u8; MAX_ID_LEN];
        let (len, version) = self.core().keypair_id(kp.rep(), &mut id)?;
        id.truncate(len);
        Ok((id, version_out(version)))
    }

    fn keypair_from_id(
        &mut self,
        sm: Resource<SecretsManager>,
        id: KpId,
        version: Version,
    ) -> WitResult<Resource<Keypair>> {
        Ok(own(self.core().keypair_from_id(sm.rep(), &id, version_in(version)?)?))
    }

    fn keypair_from_pk_and_sk(
        &mut self,
        pk: Resource<Publickey>,
        sk: Resource<Secretkey>,
    ) -> WitResult<Resource<Keypair>> {
        Ok(own(self.core().keypair_from_pk_and_sk(pk.rep(), sk.rep())?))
    }

    fn keypair_export(&mut self, kp: Resource<Keypair>, encoding: KeypairEncoding) -> WitResult<Resource<ArrayOutput>> {
        Ok(own(self.core().keypair_export(kp.rep(), keypair_encoding(encoding))?))
    }

    fn keypair_publickey(&mut self, kp: Resource<Keypair>) -> WitResult<Resource<Publickey>> {
        Ok(own(self.core().keypair_publickey(kp.rep())?))
    }

    fn keypair_secretkey(&mut self, kp: Resource<Keypair>) -> WitResult<Resource<Secretkey>> {
        Ok(own(self.core().keypair_secretkey(kp.rep())?))
    }

    fn keypair_close(&mut self, kp: Resource<Keypair>) -> WitResult<()> {
        Ok(self.core().keypair_close(kp.rep())?)
    }

    fn publickey_import(
        &mut self,
        t: AlgorithmType,
        alg: String,
        encoded: Vec<u8>,
        encoding: PublickeyEncoding,
    ) -> WitResult<Resource<Publickey>> {
        Ok(own(self.core().publickey_import(algorithm_type(t), &alg, &encoded, publickey_encoding(encoding))?))
    }

    fn publickey_export(
        &mut self,
        pk: Resource<Publickey>,
        encoding: PublickeyEncoding,
    ) -> WitResult<Resource<ArrayOutput>> {
        Ok(own(self.core().publickey_export(pk.rep(), publickey_encoding(encoding))?))
    }

    fn publickey_verify(&mut self, pk: Resource<Publickey>) -> WitResult<()> {
        Ok(self.core().publickey_verify(pk.rep())?)
    }

    fn publickey_from_secretkey(&mut self, sk: Resource<Secretkey>) -> WitResult<Resource<Publickey>> {
        Ok(own(self.core().publickey_from_secretkey(sk.rep())?))
    }

    fn publickey_close(&mut self, pk: Resource<Publickey>) -> WitResult<()> {
        Ok(self.core().publickey_close(pk.rep())?)
    }

    fn secretkey_import(
        &mut self,
        t: AlgorithmType,
        alg: String,
        encoded: Vec<u8>,
        encoding: SecretkeyEncoding,
    ) -> WitResult<Resource<Secretkey>> {
        let encoded = Zeroizing::new(encoded);
        Ok(own(self.core().secretkey_import(algorithm_type(t), &alg, &encoded, secretkey_encoding(encoding))?))
    }

    fn secretkey_export(
        &mut self,
        sk: Resource<Secretkey>,
        encoding: SecretkeyEncoding,
    ) -> WitResult<Resource<ArrayOutput>> {
        Ok(own(self.core().secretkey_export(sk.rep(), secretkey_encoding(encoding))?))
    }

    fn secretkey_close(&mut self, sk: Resource<Secretkey>) -> WitResult<()> {
        Ok(self.core().secretkey_close(sk.rep())?)
    }
}
