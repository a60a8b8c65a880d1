//! wasmcrypt-keystore: the persistent, encrypted [`KeyStore`](wasmcrypt::secrets::KeyStore) of
//! wasmcrypt, on one SQLite file in WAL mode that several processes can share.
//!
//! Key material is encrypted at rest with AES-256-GCM under keys derived from a [`MasterKey`]
//! that is never written to the store; every other column of a record is bound as associated
//! data (layout: `src/sealing.rs`). A modified byte in a record gives
//! [`StoreError::Corrupted`](wasmcrypt::secrets::StoreError::Corrupted), never a key.
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

pub mod defaults;
mod master_key;
mod schema;
mod sealing;
mod sqlite_store;

pub use master_key::{MASTER_KEY_LEN, MasterKey};
pub use sqlite_store::{BUSY_TIMEOUT, MAX_NAMESPACE_LEN, SqliteKeyStore, id_to_hex};
