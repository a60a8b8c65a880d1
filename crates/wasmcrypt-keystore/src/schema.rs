//! The SQLite schema (format 1).
//!
//! - `meta(name, value)`: `format` = 1; `check_nonce` / `check_tag`, an AEAD tag over nothing
//!   under a key derived from the master key, so that a wrong master key is refused at open.
//! - `ids(namespace, id, last_version)`: the last version issued per id that has live
//!   versions, so that versions are never reused after invalidation.
//! - `namespaces(namespace, version_floor)`: the highest version of the ids of the namespace
//!   that lost their last live version (their `ids` row is then deleted); a new id starts
//!   above it, so no (id, version) pair is ever reused, and invalidated ids leave nothing
//!   behind.
//! - `secrets(namespace, id, version, kind, algorithm, exportable, expiration, nonce, sealed,
//!   guest_mutable)`: one row per live version; `sealed` is the AES-256-GCM ciphertext and tag
//!   of the material; `expiration` holds the 64 bits of the u64 UNIX time as a signed integer;
//!   `guest_mutable` (added after the first release: [`ADD_GUEST_MUTABLE`] on older files,
//!   whose records stay guest-mutable) is 0 for operator keys guests may not replace or
//!   invalidate.
//! - `secrets_expiring`: a partial index on the expirations of external secrets, so that
//!   expired ones are found without a scan.
//!
//! New files use `auto_vacuum = INCREMENTAL`, so that freed pages can be given back to the file
//! system a few at a time; `wasmcrypt keys purge` converts an older file.

/// The format written in `meta`.
pub(crate) const FORMAT: i64 = 1;

/// Creates the tables if they do not exist.
pub(crate) const CREATE: &str = "
CREATE TABLE IF NOT EXISTS meta (
    name  TEXT PRIMARY KEY NOT NULL,
    value BLOB NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS ids (
    namespace    TEXT NOT NULL,
    id           BLOB NOT NULL,
    last_version INTEGER NOT NULL,
    PRIMARY KEY (namespace, id)
) STRICT;
CREATE TABLE IF NOT EXISTS namespaces (
    namespace     TEXT PRIMARY KEY NOT NULL,
    version_floor INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS secrets (
    namespace     TEXT NOT NULL,
    id            BLOB NOT NULL,
    version       INTEGER NOT NULL,
    kind          INTEGER NOT NULL,
    algorithm     TEXT NOT NULL,
    exportable    INTEGER NOT NULL,
    expiration    INTEGER,
    nonce         BLOB NOT NULL,
    sealed        BLOB NOT NULL,
    guest_mutable INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (namespace, id, version)
) STRICT;
";

/// Adds `guest_mutable` to a `secrets` table made before it existed.
pub(crate) const ADD_GUEST_MUTABLE: &str = "ALTER TABLE secrets ADD COLUMN guest_mutable INTEGER NOT NULL DEFAULT 1";

/// The index of external-secret expirations (created after any migration).
pub(crate) const CREATE_INDEXES: &str =
    "CREATE INDEX IF NOT EXISTS secrets_expiring ON secrets (namespace, expiration) WHERE kind = 4;";
