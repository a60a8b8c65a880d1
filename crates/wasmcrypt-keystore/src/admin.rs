//! What operators do with a keystore beyond the [`KeyStore`] trait, on either backend: describe
//! it, copy a namespace between stores, and re-wrap every record under a new master key.

use crate::master_key::MasterKey;
use wasmcrypt::secrets::{KeyStore, StoreError, StoredSecret};

/// A whole namespace, as [`AdminStore::export_namespace`] reads it: every live record (opened
/// and authenticated), and the version marks that keep versions from being reused.
#[derive(Debug)]
pub struct NamespaceDump {
    /// The namespace.
    pub namespace: String,
    /// The version high-water mark of the ids that were emptied.
    pub version_floor: u64,
    /// Every id with live versions and the last version issued for it.
    pub ids: Vec<(Vec<u8>, u64)>,
    /// Every live record, ordered by id and version.
    pub records: Vec<StoredSecret>,
}

/// What a master-key rotation did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RotationReport {
    /// Records re-wrapped by this run.
    pub rewrapped: u64,
    /// Records found already under the new key (re-wrapped by an interrupted run).
    pub already_done: u64,
    /// Whether the rotation finished: the store now opens with the new key only.
    pub finished: bool,
}

/// The environment variable that stops a master-key rotation after re-wrapping that many
/// records, as a crash would (for tests of the resumption).
pub const ENV_ROTATION_STOP_AFTER: &str = "WASMCRYPT_TEST_ROTATION_STOP_AFTER";

/// Operator operations every backend offers.
pub trait AdminStore: KeyStore {
    /// Where the store is, for messages: a file path, or a URL without its password.
    fn location(&self) -> String;

    /// The bytes the store takes (file and journal, or the database tables), if known.
    fn size_on_disk(&self) -> Option<u64>;

    /// The schema version recorded in the store.
    fn schema_version(&self) -> Result<u64, StoreError>;

    /// Reads a whole namespace, every record authenticated.
    fn export_namespace(&self, namespace: &str) -> Result<NamespaceDump, StoreError>;

    /// Writes a namespace read by [`AdminStore::export_namespace`] (from this store or another)
    /// with the same ids and versions, sealed under this store's master key, in one transaction.
    /// Refused with [`StoreError::AlreadyExists`] if the namespace holds records here, and with
    /// [`StoreError::Backend`] if one of the versions is not above this namespace's version
    /// floor (it could have been issued here before, with other material). Quotas apply.
    /// Returns the number of records written.
    fn import_namespace(&self, dump: &NamespaceDump) -> Result<u64, StoreError>;

    /// Re-wraps every record under `new` (the store is open under the current key), one batch
    /// per transaction, so a crash loses no record: each record opens under exactly one of the
    /// two keys at any time. Run it again after an interruption, with the same two keys: it
    /// resumes. When every record is under the new key, the store's key check is replaced in
    /// one transaction and from then on it opens with the new key only. `stop_after` stops
    /// after re-wrapping that many records (for tests).
    fn rotate_master_key(&self, new: &MasterKey, stop_after: Option<u64>) -> Result<RotationReport, StoreError>;
}

/// Checks a dump against the destination namespace's version floor and quotas.
pub(crate) fn check_importable(
    dump: &NamespaceDump,
    floor: u64,
    quotas: &wasmcrypt::secrets::Quotas,
) -> Result<(), StoreError> {
    if let Some(low) = dump.records.iter().map(|r| r.version).filter(|v| *v <= floor).min() {
        return Err(StoreError::Backend(format!(
            "namespace '{}': version {low} is not above the destination's version floor {floor}; \
             those versions may have been issued there before",
            dump.namespace
        )));
    }
    let (mut records, mut bytes) = (0u64, 0u64);
    for r in &dump.records {
        quotas.check(&dump.namespace, records, bytes, wasmcrypt::secrets::record_bytes(&r.id, &r.record))?;
        records += 1;
        bytes += wasmcrypt::secrets::record_bytes(&r.id, &r.record);
    }
    Ok(())
}
