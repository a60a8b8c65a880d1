//! Managed key pairs: `keypair_*_managed`, `keypair_id`, `keypair_from_id`.

use super::{Actor, ManagedKey, SecretKind, SecretRecord};
use crate::asymmetric::{AsymmetricAlgorithm, KeyPair, KeyPairEncoding};
use crate::ctx::CryptoCtx;
use crate::error::{CryptoError, Result};
use crate::handles::Handle;
use crate::options::AlgorithmType;
use std::sync::Arc;

/// The record kind of an algorithm type.
fn kind_of(alg_type: AlgorithmType) -> SecretKind {
    match alg_type {
        AlgorithmType::Signatures => SecretKind::Signatures,
        AlgorithmType::KeyExchange => SecretKind::KeyExchange,
        AlgorithmType::Symmetric => SecretKind::Symmetric,
    }
}

/// The record of a key pair: its PKCS#8 encoding.
fn record_of(kp: &KeyPair, exportable: bool) -> Result<SecretRecord> {
    let alg = kp.algorithm();
    Ok(SecretRecord {
        kind: kind_of(alg.algorithm_type()),
        algorithm: alg.name().to_owned(),
        material: kp.export(KeyPairEncoding::Pkcs8)?,
        exportable,
        expiration: None,
        guest_mutable: true,
    })
}

/// Whether a key pair stays exportable once stored (see the symmetric rule; a key pair built
/// on a non-exportable secret key is not exportable either).
fn stays_exportable(kp: &KeyPair) -> bool {
    kp.exportable()
}

impl CryptoCtx {
    fn keypair_arc(&self, kp: Handle) -> Result<Arc<KeyPair>> {
        self.handles.get::<Arc<KeyPair>>(kp).cloned()
    }

    /// `keypair_generate_managed`: a new key pair, stored under a fresh id as version 1; its
    /// secret key cannot be exported.
    pub fn keypair_generate_managed(
        &mut self,
        sm: Handle,
        alg_type: AlgorithmType,
        alg: &str,
        options: Option<Handle>,
    ) -> Result<Handle> {
        let secrets = self.secrets(sm)?;
        let alg = AsymmetricAlgorithm::from_name(alg_type, alg)?;
        self.options_of(options, alg_type)?;
        let kp = KeyPair::generate(alg)?;
        let managed = self.store_new_in(&secrets, &record_of(&kp, false)?)?;
        self.handles.insert(Arc::new(kp.with_managed(managed)))
    }

    /// `keypair_store_managed`: stores the key pair under a fresh id ([`super::ID_LEN`] bytes,
    /// written to `id_out`; `overflow` if it does not fit). The handle becomes that managed key.
    pub fn keypair_store_managed(&mut self, sm: Handle, kp: Handle, id_out: &mut [u8]) -> Result<()> {
        let k = self.keypair_arc(kp)?;
        let managed = self.store_new(sm, &record_of(&k, stays_exportable(&k))?, id_out)?;
        *self.handles.get_mut::<Arc<KeyPair>>(kp)? = Arc::new(k.to_managed(managed));
        Ok(())
    }

    /// `keypair_replace_managed`: stores `new` as the next version of `old`'s id, makes `new`
    /// that version, closes `old`, and returns the version. `unsupported_feature` if `old` is
    /// not managed, `incompatible_keys` if the algorithms differ, `not_found` if the id was
    /// invalidated.
    pub fn keypair_replace_managed(&mut self, sm: Handle, old: Handle, new: Handle) -> Result<u64> {
        let secrets = self.secrets(sm)?;
        let old_kp = self.keypair_arc(old)?;
        let new_kp = self.keypair_arc(new)?;
        let id = old_kp.managed().ok_or(CryptoError::UnsupportedFeature)?.id.clone();
        if old_kp.algorithm() != new_kp.algorithm() {
            return Err(CryptoError::IncompatibleKeys);
        }
        let record = record_of(&new_kp, stays_exportable(&new_kp))?;
        let version = secrets.store.insert_version(&secrets.namespace, &id, &record, Actor::Guest)?;
        let managed = ManagedKey { id, version, exportable: record.exportable };
        *self.handles.get_mut::<Arc<KeyPair>>(new)? = Arc::new(new_kp.to_managed(managed));
        if old != new {
            self.close::<Arc<KeyPair>>(old)?;
        }
        Ok(version)
    }

    /// `keypair_id`: the id (copied to `id_out`) and version of a managed key pair;
    /// `unsupported_feature` if it is not managed, `overflow` if `id_out` is too short.
    pub fn keypair_id(&mut self, kp: Handle, id_out: &mut [u8]) -> Result<(usize, u64)> {
        self.keypair_arc(kp)?.managed().ok_or(CryptoError::UnsupportedFeature)?.write_id(id_out)
    }

    /// `keypair_from_id`: opens a version (or `version.latest`) of a managed key pair;
    /// `not_found` if there is none in this namespace.
    pub fn keypair_from_id(&mut self, sm: Handle, id: &[u8], version: u64) -> Result<Handle> {
        let stored = self.load(sm, id, version, &[SecretKind::Signatures, SecretKind::KeyExchange])?;
        let alg_type = match stored.record.kind {
            SecretKind::Signatures => AlgorithmType::Signatures,
            SecretKind::KeyExchange | SecretKind::Symmetric | SecretKind::External => AlgorithmType::KeyExchange,
        };
        let alg = AsymmetricAlgorithm::from_name(alg_type, &stored.record.algorithm)?;
        let kp = KeyPair::import(alg, &stored.record.material, KeyPairEncoding::Pkcs8)?;
        let managed = ManagedKey { id: stored.id, version: stored.version, exportable: stored.record.exportable };
        self.handles.insert(Arc::new(kp.with_managed(managed)))
    }
}
