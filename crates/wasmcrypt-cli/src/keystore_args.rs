//! Options that locate the keystore and its master key, shared by `run` and `keys`.

use clap::Args;
use std::path::PathBuf;
use std::time::Duration;
use wasmcrypt::secrets::{DEFAULT_MAX_RECORDS, Quotas};
use wasmcrypt_keystore::defaults::{
    ENV_KEYSTORE, ENV_MASTER_KEY, ENV_MASTER_KEY_FILE, default_keystore_path, default_master_key_path,
};
use wasmcrypt_keystore::{AdminStore, KeystoreLocation, MasterKey, StoreOptions, open_store};
use wasmtime::Result;
use wasmtime::error::{Context, bail, format_err};

/// Where the keystore and its master key are.
#[derive(Args, Clone, Debug)]
pub struct KeystoreArgs {
    /// The keystore: a SQLite file, or a PostgreSQL database as a `postgres://` URL (completed
    /// from PGHOST, PGUSER, PGPASSWORD, ~/.pgpass, PGSSLMODE… as libpq does). Default for
    /// `keys`: `$XDG_DATA_HOME/wasmcrypt/keystore.db`.
    #[arg(long, value_name = "PATH|URL", env = ENV_KEYSTORE, global = true)]
    pub keystore: Option<String>,
    /// A file holding the master key (32 bytes, or 64 hex digits). Without it, the key comes
    /// from WASMCRYPT_MASTER_KEY, else (SQLite only) from `master.key` beside the keystore,
    /// created on first use.
    #[arg(long, value_name = "PATH", env = ENV_MASTER_KEY_FILE, global = true)]
    pub master_key_file: Option<PathBuf>,
    /// The most records (key versions and external secrets) each namespace may hold; a write
    /// past it is refused (guests get `overflow`).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_RECORDS, global = true)]
    pub max_records: u64,
    /// The most bytes (ids, algorithm names and key material) each namespace may hold: a number
    /// with an optional K, M or G suffix (KiB, MiB, GiB).
    #[arg(long, value_name = "BYTES", default_value = "64M", value_parser = parse_bytes, global = true)]
    pub max_bytes: u64,
    /// How long a write waits for another writer's lock before failing: `500ms`, `2s`, or
    /// seconds.
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = parse_duration, global = true)]
    pub lock_timeout: Duration,
}

/// Parses a byte count: digits and an optional `K`, `M` or `G` (powers of 1024; `KiB`, `MiB`,
/// `GiB` and a trailing `B` are accepted too).
pub fn parse_bytes(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let shift = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("'{text}' is not a byte count (e.g. 65536, 64K, 64M)")),
    };
    let n: u64 = number.parse().map_err(|_| format!("'{text}' is not a byte count (e.g. 65536, 64K, 64M)"))?;
    n.checked_mul(1 << shift).ok_or_else(|| format!("'{text}' is too large"))
}

/// Parses a duration: digits followed by `ms` or `s`, or digits alone (seconds).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let bad = || format!("'{text}' is not a duration (e.g. 500ms, 2s)");
    if let Some(ms) = t.strip_suffix("ms") {
        return ms.parse().map(Duration::from_millis).map_err(|_| bad());
    }
    t.strip_suffix('s').unwrap_or(t).parse().map(Duration::from_secs).map_err(|_| bad())
}

/// Reads a keystore location: a path, or a `postgres://` URL; any other `scheme://` is an error.
pub fn parse_location(text: &str) -> Result<KeystoreLocation> {
    Ok(KeystoreLocation::parse(text)?)
}

impl KeystoreArgs {
    /// The keystore given, or the per-user default file.
    pub fn location_or_default(&self) -> Result<KeystoreLocation> {
        match &self.keystore {
            Some(text) => parse_location(text),
            None => default_keystore_path()
                .map(KeystoreLocation::File)
                .ok_or_else(|| format_err!("no --keystore and neither HOME nor XDG_DATA_HOME")),
        }
    }

    /// The master key of the store at `location`.
    pub fn master_key(&self, location: &KeystoreLocation) -> Result<MasterKey> {
        if let Some(file) = &self.master_key_file {
            return Ok(MasterKey::from_file(file)?);
        }
        if let Ok(hex) = std::env::var(ENV_MASTER_KEY) {
            return MasterKey::from_hex(&hex).context(ENV_MASTER_KEY);
        }
        let KeystoreLocation::File(keystore) = location else {
            bail!(
                "a PostgreSQL keystore needs the fleet's master key: give --master-key-file, \
                 {ENV_MASTER_KEY_FILE} or {ENV_MASTER_KEY}"
            );
        };
        let default = default_master_key_path(keystore);
        if default.exists() {
            return Ok(MasterKey::from_file(&default)?);
        }
        if keystore.exists() {
            bail!(
                "no master key for '{}': give --master-key-file, {ENV_MASTER_KEY_FILE} or {ENV_MASTER_KEY}",
                keystore.display()
            );
        }
        let key = MasterKey::generate()?;
        key.write_new_file(&default)?;
        Ok(key)
    }

    /// The store options these arguments give.
    pub fn options(&self) -> StoreOptions {
        StoreOptions {
            quotas: Quotas { max_records: self.max_records, max_bytes: self.max_bytes },
            lock_timeout: self.lock_timeout,
        }
    }

    /// Opens the keystore at `location` under its master key.
    pub fn open(&self, location: &KeystoreLocation) -> Result<Box<dyn AdminStore>> {
        let master = self.master_key(location)?;
        self.open_with(location, &master)
    }

    /// Opens the keystore at `location` under `master`.
    pub fn open_with(&self, location: &KeystoreLocation, master: &MasterKey) -> Result<Box<dyn AdminStore>> {
        open_store(location, master, self.options())
            .with_context(|| format!("cannot open keystore '{}'", shown(location)))
    }
}

/// A location as messages show it: the path, or the URL without its password.
pub fn shown(location: &KeystoreLocation) -> String {
    match location {
        KeystoreLocation::File(path) => path.display().to_string(),
        KeystoreLocation::Postgres(url) => match (url.split_once("://"), url.rfind('@')) {
            (Some((scheme, rest)), Some(at)) if rest.contains('@') => {
                let userinfo = &url[scheme.len() + 3..at];
                let user = userinfo.split(':').next().unwrap_or_default();
                format!("{scheme}://{user}@{}", &url[at + 1..])
            }
            _ => url.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_counts_and_durations() {
        assert_eq!(parse_bytes("65536"), Ok(65536));
        assert_eq!(parse_bytes("64K"), Ok(64 << 10));
        assert_eq!(parse_bytes("64MiB"), Ok(64 << 20));
        assert_eq!(parse_bytes("1g"), Ok(1 << 30));
        assert!(parse_bytes("12X").is_err());
        assert!(parse_bytes("M").is_err());
        assert!(parse_bytes(&format!("{}G", u64::MAX)).is_err());
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
        assert!(parse_duration("fast").is_err());
    }

    #[test]
    fn locations_hide_passwords() {
        let pg = parse_location("postgres://fleet:s3cret@db:5432/keys?sslmode=require").unwrap();
        assert_eq!(shown(&pg), "postgres://fleet@db:5432/keys?sslmode=require");
        assert_eq!(shown(&parse_location("postgresql://db/keys").unwrap()), "postgresql://db/keys");
        assert_eq!(shown(&parse_location("ks.db").unwrap()), "ks.db");
        assert!(parse_location("redis://db").is_err());
    }
}
