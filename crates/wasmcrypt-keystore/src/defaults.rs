//! Where the keystore and its master key come from when nothing is given on the command line.

use std::path::PathBuf;

/// The environment variable naming the keystore file.
pub const ENV_KEYSTORE: &str = "WASMCRYPT_KEYSTORE";
/// The environment variable naming the guest's namespace.
pub const ENV_NAMESPACE: &str = "WASMCRYPT_KEYSTORE_NAMESPACE";
/// The environment variable holding the master key, as 64 hexadecimal digits.
pub const ENV_MASTER_KEY: &str = "WASMCRYPT_MASTER_KEY";
/// The environment variable naming the master key file.
pub const ENV_MASTER_KEY_FILE: &str = "WASMCRYPT_MASTER_KEY_FILE";

/// The per-user data directory of wasmcrypt: `$XDG_DATA_HOME/wasmcrypt`, else
/// `$HOME/.local/share/wasmcrypt`; `None` if neither variable is set.
pub fn data_dir() -> Option<PathBuf> {
    let from = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    from("XDG_DATA_HOME")
        .map(|d| d.join("wasmcrypt"))
        .or_else(|| from("HOME").map(|h| h.join(".local").join("share").join("wasmcrypt")))
}

/// The default keystore file: `keystore.db` in [`data_dir`].
pub fn default_keystore_path() -> Option<PathBuf> {
    data_dir().map(|d| d.join("keystore.db"))
}

/// The master key file used when neither a file nor [`ENV_MASTER_KEY`] is given: `master.key`
/// beside the keystore file (created, readable by its owner only, on first use).
pub fn default_master_key_path(keystore: &std::path::Path) -> PathBuf {
    keystore.with_file_name("master.key")
}

/// The default namespace of a module: its file name without the `.wasm` extension.
pub fn namespace_for_module(module: &std::path::Path) -> String {
    let stem = module.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if stem.is_empty() { wasmcrypt::DEFAULT_NAMESPACE.to_owned() } else { stem }
}
