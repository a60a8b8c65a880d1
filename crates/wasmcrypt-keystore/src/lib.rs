//! wasmcrypt-keystore: the persistent, encrypted [`KeyStore`](wasmcrypt::secrets::KeyStore) of
//! wasmcrypt, on one SQLite file in WAL mode that several processes can share, or (feature
//! `postgres`) on a PostgreSQL database that a fleet of hosts shares ([`PgKeyStore`]). Both
//! seal records the same way and offer the same operator tools ([`AdminStore`]);
//! [`open_store`] opens either from a [`KeystoreLocation`].
//!
//! Key material is encrypted at rest with AES-256-GCM under keys derived from a [`MasterKey`]
//! that is never written to the store; every other column of a record is bound as associated
//! data (layout: `src/sealing.rs`). A modified byte in a record gives
//! [`StoreError::Corrupted`](wasmcrypt::secrets::StoreError::Corrupted), never a key.
//!
//! Each namespace is held to [`Quotas`](wasmcrypt::secrets::Quotas) (default 10 000 records and
//! 64 MiB), writers wait at most [`SqliteOptions::busy_timeout`] (default 2 s) for another
//! writer's lock, and readers never wait for writers: see [`SqliteOptions`] and
//! [`SqliteKeyStore::open_with`].
//!
//! ```no_run
//! use std::sync::Arc;
//! use wasmcrypt_keystore::{MasterKey, SqliteKeyStore};
//!
//! let master = MasterKey::from_hex(&std::env::var("WASMCRYPT_MASTER_KEY")?)?;
//! let store = SqliteKeyStore::open("keystore.db".as_ref(), &master)?;
//! let ctx = wasmcrypt::CryptoCtx::builder().key_store(Arc::new(store)).namespace("app").build();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod admin;
pub mod defaults;
mod location;
mod master_key;
#[cfg(feature = "postgres")]
mod pg_config;
#[cfg(feature = "postgres")]
mod pg_schema;
#[cfg(feature = "postgres")]
mod pg_store;
mod schema;
mod sealing;
mod sqlite_store;
#[cfg(feature = "postgres")]
pub mod test_cluster;

pub use admin::{AdminStore, ENV_ROTATION_STOP_AFTER, NamespaceDump, RotationReport};
pub use location::{KeystoreLocation, StoreOptions, open_store};
pub use master_key::{MASTER_KEY_LEN, MasterKey};
#[cfg(feature = "postgres")]
pub use pg_store::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_PG_LOCK_TIMEOUT, DEFAULT_STATEMENT_TIMEOUT, PgKeyStore, PgOptions,
};
pub use sqlite_store::{
    DEFAULT_BUSY_TIMEOUT, MAX_NAMESPACE_LEN, PURGE_PER_WRITE, SqliteKeyStore, SqliteOptions, VACUUM_PAGES_PER_WRITE,
};
