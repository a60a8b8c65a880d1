//! A [`KeyStore`] in process memory, for tests and for hosts that want managed keys without
//! persistence. Everything is lost when the store is dropped.

use super::store::{
    Actor, EnvelopeKey, KeyStore, NamespaceUsage, PurgeReport, Quotas, SecretRecord, StoreError, StoredSecret,
    VersionInfo, VersionSelector, record_bytes, unix_now,
};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};
use zeroize::Zeroizing;

/// The most expired external secrets a write deletes in its namespace before the quota check.
const PURGE_PER_WRITE: usize = 64;

#[derive(Default)]
struct IdEntry {
    /// The last version ever issued (0: none yet).
    last_version: u64,
    /// The live versions (never empty: an id whose last version goes is removed).
    versions: BTreeMap<u64, SecretRecord>,
}

#[derive(Default)]
struct Namespace {
    /// The version high-water mark of the ids removed so far.
    floor: u64,
    ids: HashMap<Vec<u8>, IdEntry>,
}

impl Namespace {
    fn records(&self) -> u64 {
        self.ids.values().map(|e| e.versions.len() as u64).sum()
    }

    fn bytes(&self) -> u64 {
        self.ids.iter().flat_map(|(id, e)| e.versions.values().map(|r| record_bytes(id, r))).sum()
    }

    /// Removes an id without live versions, folding its high-water mark into the floor.
    fn forget_if_empty(&mut self, id: &[u8]) {
        if let Some(entry) = self.ids.get(id).filter(|e| e.versions.is_empty()) {
            self.floor = self.floor.max(entry.last_version);
            self.ids.remove(id);
        }
    }

    /// Deletes up to `limit` expired external secrets; returns how many.
    fn purge_expired(&mut self, limit: usize) -> u64 {
        let now = unix_now();
        let expired: Vec<(Vec<u8>, u64)> = self
            .ids
            .iter()
            .flat_map(|(id, e)| e.versions.iter().filter(|(_, r)| r.is_expired_at(now)).map(|(v, _)| (id.clone(), *v)))
            .take(limit)
            .collect();
        for (id, version) in &expired {
            if let Some(entry) = self.ids.get_mut(id) {
                entry.versions.remove(version);
            }
            self.forget_if_empty(id);
        }
        expired.len() as u64
    }

    /// Makes room for `record` under `id`: bounded purge, then the quota check.
    fn admit(&mut self, quotas: &Quotas, namespace: &str, id: &[u8], record: &SecretRecord) -> Result<(), StoreError> {
        self.purge_expired(PURGE_PER_WRITE);
        quotas.check(namespace, self.records(), self.bytes(), record_bytes(id, record))
    }
}

/// An in-memory [`KeyStore`].
pub struct MemoryStore {
    namespaces: Mutex<HashMap<String, Namespace>>,
    envelope_key: EnvelopeKey,
    quotas: Quotas,
}

impl MemoryStore {
    /// An empty store with a fresh random envelope key and the default [`Quotas`].
    pub fn new() -> Result<Self, StoreError> {
        Self::with_quotas(Quotas::default())
    }

    /// An empty store with a fresh random envelope key, holding every namespace to `quotas`.
    pub fn with_quotas(quotas: Quotas) -> Result<Self, StoreError> {
        let mut key = Zeroizing::new([0u8; 32]);
        getrandom::fill(&mut key[..]).map_err(|e| StoreError::Backend(e.to_string()))?;
        Ok(Self { namespaces: Mutex::new(HashMap::new()), envelope_key: key, quotas })
    }

    fn lock(&self) -> Result<MutexGuard<'_, HashMap<String, Namespace>>, StoreError> {
        self.namespaces.lock().map_err(|_| StoreError::Backend("lock poisoned".into()))
    }
}

fn select(entry: &IdEntry, version: VersionSelector) -> Option<u64> {
    match version {
        VersionSelector::Exact(v) => entry.versions.contains_key(&v).then_some(v),
        VersionSelector::Latest => entry.versions.keys().next_back().copied(),
        VersionSelector::All => None,
    }
}

fn next_version(after: u64) -> Result<u64, StoreError> {
    after
        .checked_add(1)
        .filter(|v| *v < super::VERSION_UNSPECIFIED)
        .ok_or_else(|| StoreError::Backend("version overflow".into()))
}

impl KeyStore for MemoryStore {
    fn insert_new(&self, namespace: &str, id: &[u8], record: &SecretRecord) -> Result<u64, StoreError> {
        let mut namespaces = self.lock()?;
        let ns = namespaces.entry(namespace.to_owned()).or_default();
        ns.admit(&self.quotas, namespace, id, record)?;
        if ns.ids.contains_key(id) {
            return Err(StoreError::AlreadyExists);
        }
        let version = next_version(ns.floor)?;
        let entry = IdEntry { last_version: version, versions: BTreeMap::from([(version, record.clone())]) };
        ns.ids.insert(id.to_vec(), entry);
        Ok(version)
    }

    fn insert_version(
        &self,
        namespace: &str,
        id: &[u8],
        record: &SecretRecord,
        actor: Actor,
    ) -> Result<u64, StoreError> {
        let mut namespaces = self.lock()?;
        let ns = namespaces.get_mut(namespace).ok_or(StoreError::NotFound)?;
        ns.admit(&self.quotas, namespace, id, record)?;
        let entry = ns.ids.get_mut(id).ok_or(StoreError::NotFound)?;
        let latest = entry.versions.values().next_back().ok_or(StoreError::NotFound)?;
        if latest.kind != record.kind || latest.algorithm != record.algorithm {
            return Err(StoreError::Incompatible);
        }
        if actor == Actor::Guest && !latest.guest_mutable {
            return Err(StoreError::Protected);
        }
        let version = next_version(entry.last_version)?;
        entry.last_version = version;
        entry.versions.insert(version, record.clone());
        Ok(version)
    }

    fn get(&self, namespace: &str, id: &[u8], version: VersionSelector) -> Result<StoredSecret, StoreError> {
        let namespaces = self.lock()?;
        let entry = namespaces.get(namespace).and_then(|ns| ns.ids.get(id)).ok_or(StoreError::NotFound)?;
        let v = select(entry, version).ok_or(StoreError::NotFound)?;
        let record = entry.versions.get(&v).ok_or(StoreError::NotFound)?.clone();
        Ok(StoredSecret { id: id.to_vec(), version: v, record })
    }

    fn invalidate(
        &self,
        namespace: &str,
        id: &[u8],
        version: VersionSelector,
        actor: Actor,
    ) -> Result<usize, StoreError> {
        let mut namespaces = self.lock()?;
        let ns = namespaces.get_mut(namespace).ok_or(StoreError::NotFound)?;
        let entry = ns.ids.get_mut(id).ok_or(StoreError::NotFound)?;
        let targets: Vec<u64> = match version {
            VersionSelector::All => entry.versions.keys().copied().collect(),
            selector => vec![select(entry, selector).ok_or(StoreError::NotFound)?],
        };
        if actor == Actor::Guest && targets.iter().any(|v| entry.versions.get(v).is_some_and(|r| !r.guest_mutable)) {
            return Err(StoreError::Protected);
        }
        let removed = targets.iter().filter(|v| entry.versions.remove(v).is_some()).count();
        ns.forget_if_empty(id);
        if removed == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(removed)
    }

    fn list(&self, namespace: &str) -> Result<Vec<VersionInfo>, StoreError> {
        let namespaces = self.lock()?;
        let Some(ns) = namespaces.get(namespace) else { return Ok(Vec::new()) };
        let mut out: Vec<VersionInfo> = ns
            .ids
            .iter()
            .flat_map(|(id, entry)| entry.versions.iter().map(|(v, r)| VersionInfo::of(id, *v, r)))
            .collect();
        out.sort_by(|a, b| (&a.id, a.version).cmp(&(&b.id, b.version)));
        Ok(out)
    }

    fn envelope_key(&self) -> Result<EnvelopeKey, StoreError> {
        Ok(self.envelope_key.clone())
    }

    fn quotas(&self) -> Quotas {
        self.quotas
    }

    fn usage(&self) -> Result<Vec<NamespaceUsage>, StoreError> {
        let namespaces = self.lock()?;
        let now = unix_now();
        let mut out: Vec<NamespaceUsage> = namespaces
            .iter()
            .filter(|(_, ns)| !ns.ids.is_empty())
            .map(|(name, ns)| NamespaceUsage {
                namespace: name.clone(),
                records: ns.records(),
                bytes: ns.bytes(),
                purgeable_records: ns
                    .ids
                    .values()
                    .flat_map(|e| e.versions.values())
                    .filter(|r| r.is_expired_at(now))
                    .count() as u64,
            })
            .collect();
        out.sort_by(|a, b| a.namespace.cmp(&b.namespace));
        Ok(out)
    }

    fn purge(&self) -> Result<PurgeReport, StoreError> {
        let mut namespaces = self.lock()?;
        let mut report = PurgeReport::default();
        for ns in namespaces.values_mut() {
            report.expired_records += ns.purge_expired(usize::MAX);
        }
        Ok(report)
    }
}
