//! Where a keystore is: a file path or a `postgres://` URL, and opening either.

use crate::admin::AdminStore;
use crate::master_key::MasterKey;
use crate::sqlite_store::{SqliteKeyStore, SqliteOptions};
use std::path::{Path, PathBuf};
use std::time::Duration;
use wasmcrypt::secrets::{Quotas, StoreError};

/// A keystore location, as given to `--keystore` or `WASMCRYPT_KEYSTORE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeystoreLocation {
    /// A SQLite file.
    File(PathBuf),
    /// A PostgreSQL database: a `postgres://` or `postgresql://` URL.
    Postgres(String),
}

/// The URL scheme of `text` (`scheme://…`), if it has one.
fn url_scheme(text: &str) -> Option<&str> {
    let (scheme, _) = text.split_once("://")?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .then_some(scheme)
}

impl KeystoreLocation {
    /// Reads a location: a `postgres://` or `postgresql://` URL, another `scheme://` (an error:
    /// never taken for a file name), or a file path.
    pub fn parse(text: &str) -> Result<Self, StoreError> {
        match url_scheme(text) {
            Some(scheme) if scheme.eq_ignore_ascii_case("postgres") || scheme.eq_ignore_ascii_case("postgresql") => {
                Ok(Self::Postgres(text.to_owned()))
            }
            Some(scheme) => Err(StoreError::Backend(format!(
                "unsupported keystore URL scheme '{scheme}://' (a keystore is a file path or a postgres:// URL)"
            ))),
            None => Ok(Self::File(PathBuf::from(text))),
        }
    }

    /// The file, for a SQLite location.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Self::File(path) => Some(path),
            Self::Postgres(_) => None,
        }
    }
}

/// What any store is opened with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoreOptions {
    /// The per-namespace quotas.
    pub quotas: Quotas,
    /// How long a writer waits for another writer's lock.
    pub lock_timeout: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self { quotas: Quotas::default(), lock_timeout: crate::DEFAULT_BUSY_TIMEOUT }
    }
}

/// Opens the store at `location` under `master`.
pub fn open_store(
    location: &KeystoreLocation,
    master: &MasterKey,
    options: StoreOptions,
) -> Result<Box<dyn AdminStore>, StoreError> {
    match location {
        KeystoreLocation::File(path) => Ok(Box::new(SqliteKeyStore::open_with(
            path,
            master,
            SqliteOptions { quotas: options.quotas, busy_timeout: options.lock_timeout },
        )?)),
        #[cfg(feature = "postgres")]
        KeystoreLocation::Postgres(url) => Ok(Box::new(crate::PgKeyStore::open_with(
            url,
            master,
            crate::PgOptions { quotas: options.quotas, lock_timeout: options.lock_timeout, ..Default::default() },
        )?)),
        #[cfg(not(feature = "postgres"))]
        KeystoreLocation::Postgres(_) => Err(StoreError::Backend(
            "this build has no PostgreSQL support (the `postgres` feature of wasmcrypt-keystore)".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations() {
        assert_eq!(
            KeystoreLocation::parse("postgres://u@h/db").unwrap(),
            KeystoreLocation::Postgres("postgres://u@h/db".into())
        );
        assert_eq!(
            KeystoreLocation::parse("PostgreSQL://h/db").unwrap(),
            KeystoreLocation::Postgres("PostgreSQL://h/db".into())
        );
        assert_eq!(KeystoreLocation::parse("dir/ks.db").unwrap(), KeystoreLocation::File("dir/ks.db".into()));
        assert_eq!(KeystoreLocation::parse("a:b/c").unwrap(), KeystoreLocation::File("a:b/c".into()));
        for bad in ["mysql://h/db", "file:///tmp/x", "s3+tls://b"] {
            let e = KeystoreLocation::parse(bad).unwrap_err();
            assert!(e.to_string().contains("unsupported keystore URL scheme"), "{bad}: {e}");
        }
    }
}
