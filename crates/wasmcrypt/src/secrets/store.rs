//! The storage interface of the secrets manager.
//!
//! A [`KeyStore`] keeps versioned records keyed by (namespace, id, version). The API layer
//! (`CryptoCtx`) only talks to this trait, so a backend can live in memory ([`MemoryStore`]),
//! in a local file (the `wasmcrypt-keystore` crate) or behind a network connection, without the
//! API layer changing. Backends see key material already serialized; they must never return a
//! record they cannot authenticate.
//!
//! [`MemoryStore`]: super::MemoryStore

use crate::error::CryptoError;
use std::fmt;
use zeroize::Zeroizing;

/// What a record holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SecretKind {
    /// A symmetric key; the material is the raw key.
    Symmetric,
    /// A signature key pair; the material is its PKCS#8 DER encoding.
    Signatures,
    /// A key-exchange key pair; the material is its PKCS#8 DER encoding.
    KeyExchange,
    /// An external secret; the material is the secret itself.
    External,
}

impl SecretKind {
    /// Every kind, in code order.
    pub const ALL: [SecretKind; 4] = [Self::Symmetric, Self::Signatures, Self::KeyExchange, Self::External];

    /// A stable one-byte code, for storage formats.
    pub fn code(self) -> u8 {
        match self {
            Self::Symmetric => 1,
            Self::Signatures => 2,
            Self::KeyExchange => 3,
            Self::External => 4,
        }
    }

    /// The kind of a code written by [`SecretKind::code`].
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// A short lower-case name (`symmetric`, `signatures`, `key_exchange`, `external`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Symmetric => "symmetric",
            Self::Signatures => "signatures",
            Self::KeyExchange => "key_exchange",
            Self::External => "external",
        }
    }

    /// The kind of a name written by [`SecretKind::name`].
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// One version of a managed key or external secret.
#[derive(Clone)]
pub struct SecretRecord {
    /// What the record holds.
    pub kind: SecretKind,
    /// The spec name of the algorithm (empty for external secrets).
    pub algorithm: String,
    /// The serialized key material or secret. Wiped on drop.
    pub material: Zeroizing<Vec<u8>>,
    /// Whether a guest may export the key.
    pub exportable: bool,
    /// For external secrets: the UNIX time (seconds) from which the secret is expired.
    pub expiration: Option<u64>,
    /// Whether a guest may replace or invalidate the id while this is its newest version
    /// (and invalidate this version). Records a guest creates always are; an operator's are
    /// not unless it allowed it.
    pub guest_mutable: bool,
}

impl SecretRecord {
    /// Whether an external secret has expired at `now` (UNIX seconds). Keys never expire.
    pub fn is_expired_at(&self, now: u64) -> bool {
        self.kind == SecretKind::External && self.expiration.is_some_and(|e| now >= e)
    }
}

impl fmt::Debug for SecretRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretRecord")
            .field("kind", &self.kind)
            .field("algorithm", &self.algorithm)
            .field("material", &"<redacted>")
            .field("exportable", &self.exportable)
            .field("expiration", &self.expiration)
            .field("guest_mutable", &self.guest_mutable)
            .finish()
    }
}

/// A record as read back from a store, with its place.
#[derive(Clone, Debug)]
pub struct StoredSecret {
    /// The identifier.
    pub id: Vec<u8>,
    /// The version.
    pub version: u64,
    /// The record.
    pub record: SecretRecord,
}

/// What a listing shows of one version: everything but the material.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionInfo {
    /// The identifier.
    pub id: Vec<u8>,
    /// The version.
    pub version: u64,
    /// What the record holds.
    pub kind: SecretKind,
    /// The algorithm name.
    pub algorithm: String,
    /// Whether a guest may export the key.
    pub exportable: bool,
    /// The expiration of an external secret.
    pub expiration: Option<u64>,
    /// Whether a guest may replace or invalidate it.
    pub guest_mutable: bool,
}

impl VersionInfo {
    /// What a listing shows of `record`, version `version` of `id`.
    pub fn of(id: &[u8], version: u64, record: &SecretRecord) -> Self {
        Self {
            id: id.to_vec(),
            version,
            kind: record.kind,
            algorithm: record.algorithm.clone(),
            exportable: record.exportable,
            expiration: record.expiration,
            guest_mutable: record.guest_mutable,
        }
    }
}

/// Which versions of an id an operation applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VersionSelector {
    /// One version.
    Exact(u64),
    /// The newest live version.
    Latest,
    /// Every version (invalidation only).
    All,
}

impl VersionSelector {
    /// Decodes a spec `version`: [`super::VERSION_LATEST`], [`super::VERSION_ALL`], or a number.
    pub fn from_raw(version: u64) -> Self {
        match version {
            super::VERSION_LATEST => Self::Latest,
            super::VERSION_ALL => Self::All,
            v => Self::Exact(v),
        }
    }
}

/// A storage failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// No live record matches.
    NotFound,
    /// The id is already in use in the namespace.
    AlreadyExists,
    /// The new version's kind or algorithm differs from the id's.
    Incompatible,
    /// A record failed authentication or is malformed: the store was modified or damaged.
    Corrupted(String),
    /// The write would take the namespace past its [`Quotas`]; the message says which.
    QuotaExceeded(String),
    /// A guest tried to replace or invalidate a key an operator protected.
    Protected,
    /// Another writer held the store's lock for longer than the store waits.
    Busy(String),
    /// The store cannot be reached now (a database server down or unreachable); a later call
    /// may succeed once it is back.
    Unavailable(String),
    /// The backend failed (I/O, connection).
    Backend(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFound => write!(f, "not found"),
            Self::AlreadyExists => write!(f, "the id already exists"),
            Self::Incompatible => write!(f, "the new version's kind or algorithm differs from the id's"),
            Self::Corrupted(why) => write!(f, "keystore corrupted: {why}"),
            Self::QuotaExceeded(why) => write!(f, "keystore quota exceeded: {why}"),
            Self::Protected => write!(f, "the key is protected by the operator"),
            Self::Busy(why) => write!(f, "keystore busy: {why}"),
            Self::Unavailable(why) => write!(f, "keystore unavailable: {why}"),
            Self::Backend(why) => write!(f, "keystore error: {why}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<StoreError> for CryptoError {
    /// A corrupted record is reported to guests as `verification_failed`, a quota refusal as
    /// `overflow`, an operator-protected key as `prohibited_operation`, a lock held too long by
    /// another writer or an unreachable store as `in_progress` (try again later), a backend failure as
    /// `internal_error`; none carries details into the guest.
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => CryptoError::NotFound,
            StoreError::AlreadyExists | StoreError::Protected => CryptoError::ProhibitedOperation,
            StoreError::Incompatible => CryptoError::IncompatibleKeys,
            StoreError::Corrupted(_) => CryptoError::VerificationFailed,
            StoreError::QuotaExceeded(_) => CryptoError::Overflow,
            StoreError::Busy(_) | StoreError::Unavailable(_) => CryptoError::InProgress,
            StoreError::Backend(_) => CryptoError::InternalError,
        }
    }
}

/// The envelope key of a store: 32 bytes, wiped on drop.
pub type EnvelopeKey = Zeroizing<[u8; 32]>;

/// The default of [`Quotas::max_records`].
pub const DEFAULT_MAX_RECORDS: u64 = 10_000;
/// The default of [`Quotas::max_bytes`]: 64 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 64 << 20;

/// Per-namespace limits a store enforces on every write, guest or operator. Each namespace has
/// its own allowance; one namespace filling up does not affect another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quotas {
    /// The most live records (versions) a namespace may hold.
    pub max_records: u64,
    /// The most bytes its live records may add up to, as counted by [`record_bytes`].
    pub max_bytes: u64,
}

impl Default for Quotas {
    fn default() -> Self {
        Self { max_records: DEFAULT_MAX_RECORDS, max_bytes: DEFAULT_MAX_BYTES }
    }
}

impl Quotas {
    /// [`StoreError::QuotaExceeded`] unless a namespace holding `records` records of `bytes`
    /// bytes may take one more record of `new_bytes` bytes.
    pub fn check(&self, namespace: &str, records: u64, bytes: u64, new_bytes: u64) -> Result<(), StoreError> {
        if records.saturating_add(1) > self.max_records {
            return Err(StoreError::QuotaExceeded(format!(
                "namespace '{namespace}' holds {records} records, its quota is {}",
                self.max_records
            )));
        }
        if bytes.saturating_add(new_bytes) > self.max_bytes {
            return Err(StoreError::QuotaExceeded(format!(
                "namespace '{namespace}' holds {bytes} bytes, a new record of {new_bytes} bytes exceeds its quota of {}",
                self.max_bytes
            )));
        }
        Ok(())
    }
}

/// The bytes a record counts against its namespace's quota: the id, the algorithm name and the
/// material (what a guest chose the size of; the fixed per-record overhead is bounded by the
/// record quota).
pub fn record_bytes(id: &[u8], record: &SecretRecord) -> u64 {
    (id.len() + record.algorithm.len() + record.material.len()) as u64
}

/// Who asks for a change: guests are held to the operator's protection of its keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    /// A guest, through the secrets manager: [`StoreError::Protected`] on an operator's key
    /// that is not guest-mutable.
    Guest,
    /// The operator (for example `wasmcrypt keys`): no protection applies.
    Operator,
}

/// What a namespace holds, for operators.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamespaceUsage {
    /// The namespace.
    pub namespace: String,
    /// Its live records (versions), expired external secrets included until they are purged.
    pub records: u64,
    /// The bytes they count against the quota ([`record_bytes`]).
    pub bytes: u64,
    /// Records a purge would delete now: expired external secrets.
    pub purgeable_records: u64,
}

/// What a purge did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PurgeReport {
    /// Expired external secrets deleted.
    pub expired_records: u64,
    /// Ids left without a live version whose version high-water mark was folded into their
    /// namespace's (see [`KeyStore`]).
    pub empty_ids: u64,
    /// The size of the store (file and journal) before the purge, in bytes, if it has one.
    pub size_before: Option<u64>,
    /// The size after the purge and the reclaiming of free space.
    pub size_after: Option<u64>,
}

/// The current UNIX time in seconds.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// A versioned secret store shared by any number of contexts and threads.
///
/// Rules every backend follows:
/// - versions of an id are unique and increasing and never reused, not even after
///   invalidation or a purge: while an id has live versions the store remembers the last
///   version it issued; when its last version goes, that mark is folded into a per-namespace
///   floor, and the first version of any new id is the floor plus one (1 in a namespace where
///   no id was ever emptied), so no (id, version) pair can come back with other material;
/// - all versions of an id have the same kind and algorithm;
/// - namespaces are disjoint: no operation in one namespace sees another's records;
/// - an invalidated version is gone: reads give [`StoreError::NotFound`], and its space is
///   freed (reclaimed at a bounded cost on later writes, or at once by [`KeyStore::purge`]);
/// - every insertion is checked against the store's [`Quotas`] in the same transaction, so
///   concurrent writers cannot exceed them; expired external secrets of the namespace are
///   deleted (a bounded number per write) before the check;
/// - a guest ([`Actor::Guest`]) may not replace or invalidate a record whose
///   [`SecretRecord::guest_mutable`] is false: [`StoreError::Protected`];
/// - a record that fails authentication gives [`StoreError::Corrupted`], never material.
pub trait KeyStore: Send + Sync {
    /// Stores the first version of a new id and returns its number (see the version rule);
    /// [`StoreError::AlreadyExists`] if the id has live versions in the namespace,
    /// [`StoreError::QuotaExceeded`] if the namespace is full.
    fn insert_new(&self, namespace: &str, id: &[u8], record: &SecretRecord) -> Result<u64, StoreError>;

    /// Adds a version to an id that has a live version, and returns the new version number.
    /// [`StoreError::NotFound`] if there is no live version, [`StoreError::Incompatible`] if
    /// the kind or algorithm differs, [`StoreError::Protected`] if a guest asks and the newest
    /// version is not guest-mutable, [`StoreError::QuotaExceeded`] if the namespace is full.
    fn insert_version(
        &self,
        namespace: &str,
        id: &[u8],
        record: &SecretRecord,
        actor: Actor,
    ) -> Result<u64, StoreError>;

    /// Reads one version, or the newest live one. [`VersionSelector::All`] gives
    /// [`StoreError::NotFound`].
    fn get(&self, namespace: &str, id: &[u8], version: VersionSelector) -> Result<StoredSecret, StoreError>;

    /// Deletes one version, the newest, or all versions of an id, and returns how many were
    /// deleted; [`StoreError::NotFound`] if none matched, [`StoreError::Protected`] (deleting
    /// nothing) if a guest asks and one of them is not guest-mutable.
    fn invalidate(
        &self,
        namespace: &str,
        id: &[u8],
        version: VersionSelector,
        actor: Actor,
    ) -> Result<usize, StoreError>;

    /// Every live version in a namespace, ordered by id and version.
    fn list(&self, namespace: &str) -> Result<Vec<VersionInfo>, StoreError>;

    /// The key that seals external-secret envelopes (`external_secret_encapsulate`). Guests
    /// never see it. It must stay the same for the life of the store, so that envelopes
    /// outlive processes.
    fn envelope_key(&self) -> Result<EnvelopeKey, StoreError>;

    /// The quotas every namespace is held to.
    fn quotas(&self) -> Quotas;

    /// The usage of every namespace that holds a record, ordered by namespace.
    fn usage(&self) -> Result<Vec<NamespaceUsage>, StoreError>;

    /// Deletes every expired external secret of every namespace, forgets ids without live
    /// versions (keeping the version rule) and gives the freed space back.
    fn purge(&self) -> Result<PurgeReport, StoreError>;
}
