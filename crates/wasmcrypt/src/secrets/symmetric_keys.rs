//! Managed symmetric keys: `symmetric_key_*_managed`, `symmetric_key_id`, `symmetric_key_from_id`.

use super::{Actor, MAX_MANAGED_KEY_LEN, ManagedKey, SecretKind, SecretRecord};
use crate::ctx::CryptoCtx;
use crate::error::{CryptoError, Result};
use crate::handles::Handle;
use crate::options::AlgorithmType;
use crate::symmetric::{SymmetricAlgorithm, SymmetricKey};
use std::sync::Arc;
use zeroize::Zeroizing;

/// The record of a symmetric key: its raw bytes.
fn record_of(key: &SymmetricKey, exportable: bool) -> SecretRecord {
    SecretRecord {
        kind: SecretKind::Symmetric,
        algorithm: key.algorithm().name().to_owned(),
        material: Zeroizing::new(key.raw().to_vec()),
        exportable,
        expiration: None,
        guest_mutable: true,
    }
}

/// `invalid_key` if a key is too long to be managed ([`MAX_MANAGED_KEY_LEN`]).
fn check_manageable(key: &SymmetricKey) -> Result<()> {
    if key.raw().len() > MAX_MANAGED_KEY_LEN {
        return Err(CryptoError::InvalidKey);
    }
    Ok(())
}

/// Whether a key stays exportable once stored: a key a guest holds already is, unless it is a
/// non-exportable managed key.
fn stays_exportable(key: &SymmetricKey) -> bool {
    key.managed().is_none_or(|m| m.exportable)
}

impl CryptoCtx {
    fn symmetric_key_arc(&self, key: Handle) -> Result<Arc<SymmetricKey>> {
        self.handles.get::<Arc<SymmetricKey>>(key).cloned()
    }

    /// `symmetric_key_generate_managed`: a new key, stored under a fresh id as version 1; it
    /// cannot be exported.
    pub fn symmetric_key_generate_managed(&mut self, sm: Handle, alg: &str, options: Option<Handle>) -> Result<Handle> {
        let secrets = self.secrets(sm)?;
        let alg = SymmetricAlgorithm::from_name(alg)?;
        self.options_of(options, AlgorithmType::Symmetric)?;
        let key = SymmetricKey::generate(alg)?;
        let managed = self.store_new_in(&secrets, &record_of(&key, false))?;
        self.handles.insert(Arc::new(key.with_managed(managed)))
    }

    /// `symmetric_key_store_managed`: stores the key under a fresh id ([`super::ID_LEN`] bytes,
    /// written to `id_out`; `overflow` if it does not fit). The handle becomes that managed key.
    /// `invalid_key` for a key longer than [`MAX_MANAGED_KEY_LEN`], `overflow` if the namespace
    /// is full.
    pub fn symmetric_key_store_managed(&mut self, sm: Handle, key: Handle, id_out: &mut [u8]) -> Result<()> {
        let k = self.symmetric_key_arc(key)?;
        check_manageable(&k)?;
        let managed = self.store_new(sm, &record_of(&k, stays_exportable(&k)), id_out)?;
        *self.handles.get_mut::<Arc<SymmetricKey>>(key)? = Arc::new(k.to_managed(managed)?);
        Ok(())
    }

    /// `symmetric_key_replace_managed`: stores `new` as the next version of `old`'s id, makes
    /// `new` that version, closes `old`, and returns the version. `unsupported_feature` if
    /// `old` is not managed, `incompatible_keys` if the algorithms differ, `not_found` if the id
    /// was invalidated, `prohibited_operation` if it is an operator's key that guests may not
    /// replace, `invalid_key` if `new` is longer than [`MAX_MANAGED_KEY_LEN`].
    pub fn symmetric_key_replace_managed(&mut self, sm: Handle, old: Handle, new: Handle) -> Result<u64> {
        let secrets = self.secrets(sm)?;
        let old_key = self.symmetric_key_arc(old)?;
        let new_key = self.symmetric_key_arc(new)?;
        let id = old_key.managed().ok_or(CryptoError::UnsupportedFeature)?.id.clone();
        if old_key.algorithm() != new_key.algorithm() {
            return Err(CryptoError::IncompatibleKeys);
        }
        check_manageable(&new_key)?;
        let record = record_of(&new_key, stays_exportable(&new_key));
        let version = secrets.store.insert_version(&secrets.namespace, &id, &record, Actor::Guest)?;
        let managed = ManagedKey { id, version, exportable: record.exportable };
        *self.handles.get_mut::<Arc<SymmetricKey>>(new)? = Arc::new(new_key.to_managed(managed)?);
        if old != new {
            self.close::<Arc<SymmetricKey>>(old)?;
        }
        Ok(version)
    }

    /// `symmetric_key_id`: the id (copied to `id_out`) and version of a managed key;
    /// `unsupported_feature` if the key is not managed, `overflow` if `id_out` is too short.
    pub fn symmetric_key_id(&mut self, key: Handle, id_out: &mut [u8]) -> Result<(usize, u64)> {
        self.symmetric_key_arc(key)?.managed().ok_or(CryptoError::UnsupportedFeature)?.write_id(id_out)
    }

    /// `symmetric_key_from_id`: opens a version (or `version.latest`) of a managed key;
    /// `not_found` if there is none in this namespace.
    pub fn symmetric_key_from_id(&mut self, sm: Handle, id: &[u8], version: u64) -> Result<Handle> {
        let stored = self.load(sm, id, version, &[SecretKind::Symmetric])?;
        let alg = SymmetricAlgorithm::from_name(&stored.record.algorithm)?;
        let key = SymmetricKey::import(alg, &stored.record.material)?;
        let managed = ManagedKey { id: stored.id, version: stored.version, exportable: stored.record.exportable };
        self.handles.insert(Arc::new(key.with_managed(managed)))
    }
}
