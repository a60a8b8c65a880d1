//! The PostgreSQL schema, created and migrated by the store itself.
//!
//! Everything lives in the schema `wasmcrypt` of the database the URL names:
//!
//! - `meta(name, value)`: `schema_version` (8 bytes, big-endian: the number of
//!   [`MIGRATIONS`] applied); `check_nonce` / `check_tag`, an AEAD tag over nothing under a key
//!   derived from the master key, so that a wrong master key is refused at open;
//!   `next_check_nonce` / `next_check_tag` while a master-key rotation is under way.
//! - `namespaces(namespace, version_floor)`: one row per namespace ever written. Every write
//!   locks its namespace's row (`SELECT … FOR UPDATE`), so writes to one namespace are
//!   serialized across every host while reads never wait; `version_floor` is the highest
//!   version of the ids that lost their last live version.
//! - `ids(namespace, id, last_version)`: the last version issued per id with live versions.
//! - `secrets(namespace, id, version, kind, algorithm, exportable, expiration, nonce, sealed,
//!   guest_mutable)`: one row per live version, sealed exactly as in the SQLite store
//!   (`src/sealing.rs`), with a partial index on the expirations of external secrets.
//!
//! Namespaces use the "C" collation, so that they sort byte by byte as in SQLite.
//!
//! Opening a store takes a transaction-scoped advisory lock ([`INIT_LOCK`]) before it creates
//! or migrates anything, so that hosts starting together do not race.

/// The advisory lock key taken while the schema is created or migrated.
pub(crate) const INIT_LOCK: i64 = 0x7761_736d_6372_7970; // "wasmcryp"

/// Run first, before the schema version can be read.
pub(crate) const BOOTSTRAP: &str = "
CREATE SCHEMA IF NOT EXISTS wasmcrypt;
CREATE TABLE IF NOT EXISTS wasmcrypt.meta (
    name  TEXT PRIMARY KEY,
    value BYTEA NOT NULL
);
";

/// Migration `i` takes the schema from version `i` to `i + 1`; the current version is their
/// number.
pub(crate) const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE wasmcrypt.namespaces (
    namespace     TEXT COLLATE "C" PRIMARY KEY,
    version_floor BIGINT NOT NULL
);
CREATE TABLE wasmcrypt.ids (
    namespace    TEXT COLLATE "C" NOT NULL,
    id           BYTEA NOT NULL,
    last_version BIGINT NOT NULL,
    PRIMARY KEY (namespace, id)
);
CREATE TABLE wasmcrypt.secrets (
    namespace     TEXT COLLATE "C" NOT NULL,
    id            BYTEA NOT NULL,
    version       BIGINT NOT NULL,
    kind          SMALLINT NOT NULL,
    algorithm     TEXT NOT NULL,
    exportable    BOOLEAN NOT NULL,
    expiration    BIGINT,
    nonce         BYTEA NOT NULL,
    sealed        BYTEA NOT NULL,
    guest_mutable BOOLEAN NOT NULL,
    PRIMARY KEY (namespace, id, version)
);
CREATE INDEX secrets_expiring ON wasmcrypt.secrets (namespace, expiration) WHERE kind = 4;
"#];

/// The schema version this program writes.
pub(crate) fn current_version() -> u64 {
    MIGRATIONS.len() as u64
}
