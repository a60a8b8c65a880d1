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
}

impl fmt::Debug for SecretRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretRecord")
            .field("kind", &self.kind)
            .field("algorithm", &self.algorithm)
            .field("material", &"<redacted>")
            .field("exportable", &self.exportable)
            .field("expiration", &self.expiration)
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
    /// The backend failed (I/O, lock, connection).
    Backend(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFound => write!(f, "not found"),
            Self::AlreadyExists => write!(f, "the id already exists"),
            Self::Incompatible => write!(f, "the new version's kind or algorithm differs from the id's"),
            Self::Corrupted(why) => write!(f, "keystore corrupted: {why}"),
            Self::Backend(why) => write!(f, "keystore error: {why}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<StoreError> for CryptoError {
    /// A corrupted record is reported to guests as `verification_failed`, a backend failure as
    /// `internal_error`; neither carries details into the guest.
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => CryptoError::NotFound,
            StoreError::AlreadyExists => CryptoError::ProhibitedOperation,
            StoreError::Incompatible => CryptoError::IncompatibleKeys,
            StoreError::Corrupted(_) => CryptoError::VerificationFailed,
            StoreError::Backend(_) => CryptoError::InternalError,
        }
    }
}

/// The envelope key of a store: 32 bytes, wiped on drop.
pub type EnvelopeKey = Zeroizing<[u8; 32]>;

/// A versioned secret store shared by any number of contexts and threads.
///
/// Rules every backend follows:
/// - versions of an id are unique and increasing, start at 1 and are never reused, not even
///   after invalidation;
/// - all versions of an id have the same kind and algorithm;
/// - namespaces are disjoint: no operation in one namespace sees another's records;
/// - an invalidated version is gone: reads give [`StoreError::NotFound`];
/// - a record that fails authentication gives [`StoreError::Corrupted`], never material.
pub trait KeyStore: Send + Sync {
    /// Stores the first version (1) of a new id; [`StoreError::AlreadyExists`] if the id was
    /// ever used in the namespace.
    fn insert_new(&self, namespace: &str, id: &[u8], record: &SecretRecord) -> Result<u64, StoreError>;

    /// Adds a version to an id that has a live version, and returns the new version number.
    /// [`StoreError::NotFound`] if there is no live version, [`StoreError::Incompatible`] if
    /// the kind or algorithm differs.
    fn insert_version(&self, namespace: &str, id: &[u8], record: &SecretRecord) -> Result<u64, StoreError>;

    /// Reads one version, or the newest live one. [`VersionSelector::All`] gives
    /// [`StoreError::NotFound`].
    fn get(&self, namespace: &str, id: &[u8], version: VersionSelector) -> Result<StoredSecret, StoreError>;

    /// Deletes one version, the newest, or all versions of an id, and returns how many were
    /// deleted; [`StoreError::NotFound`] if none matched.
    fn invalidate(&self, namespace: &str, id: &[u8], version: VersionSelector) -> Result<usize, StoreError>;

    /// Every live version in a namespace, ordered by id and version.
    fn list(&self, namespace: &str) -> Result<Vec<VersionInfo>, StoreError>;

    /// The key that seals external-secret envelopes (`external_secret_encapsulate`). Guests
    /// never see it. It must stay the same for the life of the store, so that envelopes
    /// outlive processes.
    fn envelope_key(&self) -> Result<EnvelopeKey, StoreError>;
}
