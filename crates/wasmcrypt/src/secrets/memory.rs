//! A [`KeyStore`] in process memory, for tests and for hosts that want managed keys without
//! persistence. Everything is lost when the store is dropped.

use super::store::{EnvelopeKey, KeyStore, SecretRecord, StoreError, StoredSecret, VersionInfo, VersionSelector};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};
use zeroize::Zeroizing;

#[derive(Default)]
struct IdEntry {
    /// The last version ever issued (0: none yet).
    last_version: u64,
    /// The live versions.
    versions: BTreeMap<u64, SecretRecord>,
}

/// The ids of every namespace, keyed by (namespace, id).
type Entries = HashMap<(String, Vec<u8>), IdEntry>;

/// An in-memory [`KeyStore`].
pub struct MemoryStore {
    entries: Mutex<Entries>,
    envelope_key: EnvelopeKey,
}

impl MemoryStore {
    /// An empty store with a fresh random envelope key.
    pub fn new() -> Result<Self, StoreError> {
        let mut key = Zeroizing::new([0u8; 32]);
        getrandom::fill(&mut key[..]).map_err(|e| StoreError::Backend(e.to_string()))?;
        Ok(Self { entries: Mutex::new(HashMap::new()), envelope_key: key })
    }

    fn lock(&self) -> Result<MutexGuard<'_, Entries>, StoreError> {
        self.entries.lock().map_err(|_| StoreError::Backend("lock poisoned".into()))
    }
}

fn key(namespace: &str, id: &[u8]) -> (String, Vec<u8>) {
    (namespace.to_owned(), id.to_vec())
}

fn select(entry: &IdEntry, version: VersionSelector) -> Option<u64> {
    match version {
        VersionSelector::Exact(v) => entry.versions.contains_key(&v).then_some(v),
        VersionSelector::Latest => entry.versions.keys().next_back().copied(),
        VersionSelector::All => None,
    }
}

impl KeyStore for MemoryStore {
    fn insert_new(&self, namespace: &str, id: &[u8], record: &SecretRecord) -> Result<u64, StoreError> {
        let mut entries = self.lock()?;
        let entry = entries.entry(key(namespace, id)).or_default();
        if entry.last_version != 0 {
            return Err(StoreError::AlreadyExists);
        }
        entry.last_version = 1;
        entry.versions.insert(1, record.clone());
        Ok(1)
    }

    fn insert_version(&self, namespace: &str, id: &[u8], record: &SecretRecord) -> Result<u64, StoreError> {
        let mut entries = self.lock()?;
        let entry = entries.get_mut(&key(namespace, id)).ok_or(StoreError::NotFound)?;
        let latest = entry.versions.values().next_back().ok_or(StoreError::NotFound)?;
        if latest.kind != record.kind || latest.algorithm != record.algorithm {
            return Err(StoreError::Incompatible);
        }
        let version = entry.last_version.checked_add(1).ok_or(StoreError::Backend("version overflow".into()))?;
        if version >= super::VERSION_UNSPECIFIED {
            return Err(StoreError::Backend("version overflow".into()));
        }
        entry.last_version = version;
        entry.versions.insert(version, record.clone());
        Ok(version)
    }

    fn get(&self, namespace: &str, id: &[u8], version: VersionSelector) -> Result<StoredSecret, StoreError> {
        let entries = self.lock()?;
        let entry = entries.get(&key(namespace, id)).ok_or(StoreError::NotFound)?;
        let v = select(entry, version).ok_or(StoreError::NotFound)?;
        let record = entry.versions.get(&v).ok_or(StoreError::NotFound)?.clone();
        Ok(StoredSecret { id: id.to_vec(), version: v, record })
    }

    fn invalidate(&self, namespace: &str, id: &[u8], version: VersionSelector) -> Result<usize, StoreError> {
        let mut entries = self.lock()?;
        let entry = entries.get_mut(&key(namespace, id)).ok_or(StoreError::NotFound)?;
        let removed = match version {
            VersionSelector::All => std::mem::take(&mut entry.versions).len(),
            selector => {
                let v = select(entry, selector).ok_or(StoreError::NotFound)?;
                usize::from(entry.versions.remove(&v).is_some())
            }
        };
        if removed == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(removed)
    }

    fn list(&self, namespace: &str) -> Result<Vec<VersionInfo>, StoreError> {
        let entries = self.lock()?;
        let mut out: Vec<VersionInfo> = entries
            .iter()
            .filter(|((ns, _), _)| ns == namespace)
            .flat_map(|((_, id), entry)| {
                entry.versions.iter().map(|(v, r)| VersionInfo {
                    id: id.clone(),
                    version: *v,
                    kind: r.kind,
                    algorithm: r.algorithm.clone(),
                    exportable: r.exportable,
                    expiration: r.expiration,
                })
            })
            .collect();
        out.sort_by(|a, b| (&a.id, a.version).cmp(&(&b.id, b.version)));
        Ok(out)
    }

    fn envelope_key(&self) -> Result<EnvelopeKey, StoreError> {
        Ok(self.envelope_key.clone())
    }
}
