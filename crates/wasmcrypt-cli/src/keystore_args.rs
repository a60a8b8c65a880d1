//! Options that locate the keystore and its master key, shared by `run` and `keys`.

use clap::Args;
use std::path::{Path, PathBuf};
use wasmcrypt_keystore::defaults::{
    ENV_KEYSTORE, ENV_MASTER_KEY, ENV_MASTER_KEY_FILE, default_keystore_path, default_master_key_path,
};
use wasmcrypt_keystore::{MasterKey, SqliteKeyStore};
use wasmtime::Result;
use wasmtime::error::{Context, bail, format_err};

/// Where the keystore and its master key are.
#[derive(Args, Clone, Debug)]
pub struct KeystoreArgs {
    /// The keystore file (default for `keys`: `$XDG_DATA_HOME/wasmcrypt/keystore.db`).
    #[arg(long, value_name = "PATH", env = ENV_KEYSTORE, global = true)]
    pub keystore: Option<PathBuf>,
    /// A file holding the master key (32 bytes, or 64 hex digits). Without it, the key comes
    /// from WASMCRYPT_MASTER_KEY, else from `master.key` beside the keystore, created on first use.
    #[arg(long, value_name = "PATH", env = ENV_MASTER_KEY_FILE, global = true)]
    pub master_key_file: Option<PathBuf>,
}

impl KeystoreArgs {
    /// The keystore path given, or the per-user default.
    pub fn path_or_default(&self) -> Result<PathBuf> {
        match &self.keystore {
            Some(p) => Ok(p.clone()),
            None => {
                default_keystore_path().ok_or_else(|| format_err!("no --keystore and neither HOME nor XDG_DATA_HOME"))
            }
        }
    }

    fn master_key(&self, keystore: &Path) -> Result<MasterKey> {
        if let Some(file) = &self.master_key_file {
            return Ok(MasterKey::from_file(file)?);
        }
        if let Ok(hex) = std::env::var(ENV_MASTER_KEY) {
            return MasterKey::from_hex(&hex).context(ENV_MASTER_KEY);
        }
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

    /// Opens the keystore at `path`.
    pub fn open(&self, path: &Path) -> Result<SqliteKeyStore> {
        let master = self.master_key(path)?;
        SqliteKeyStore::open(path, &master).with_context(|| format!("cannot open keystore '{}'", path.display()))
    }
}
