//! The SQLite schema (format 1).
//!
//! - `meta(name, value)`: `format` = 1; `check_nonce` / `check_tag`, an AEAD tag over nothing
//!   under a key derived from the master key, so that a wrong master key is refused at open.
//! - `ids(namespace, id, last_version)`: the last version ever issued per id, so that versions
//!   are never reused after invalidation.
//! - `secrets(namespace, id, version, kind, algorithm, exportable, expiration, nonce, sealed)`:
//!   one row per live version; `sealed` is the AES-256-GCM ciphertext and tag of the material;
//!   `expiration` holds the 64 bits of the u64 UNIX time as a signed integer.

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
CREATE TABLE IF NOT EXISTS secrets (
    namespace  TEXT NOT NULL,
    id         BLOB NOT NULL,
    version    INTEGER NOT NULL,
    kind       INTEGER NOT NULL,
    algorithm  TEXT NOT NULL,
    exportable INTEGER NOT NULL,
    expiration INTEGER,
    nonce      BLOB NOT NULL,
    sealed     BLOB NOT NULL,
    PRIMARY KEY (namespace, id, version)
) STRICT;
";
