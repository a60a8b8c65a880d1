//! Helpers shared by the keystore tests.

#![allow(dead_code)]

use std::path::PathBuf;
use wasmcrypt::secrets::{SecretKind, SecretRecord};
use wasmcrypt_keystore::MasterKey;
use zeroize::Zeroizing;

/// A fresh, empty directory under the system temporary directory.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wasmcrypt-keystore-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A fixed master key.
pub fn master() -> MasterKey {
    MasterKey::from_bytes([0x42; 32])
}

/// An HMAC-SHA-256 record whose material is `material`.
pub fn hmac_record(material: &[u8]) -> SecretRecord {
    SecretRecord {
        kind: SecretKind::Symmetric,
        algorithm: "HMAC/SHA-256".into(),
        material: Zeroizing::new(material.to_vec()),
        exportable: true,
        expiration: None,
        guest_mutable: true,
    }
}

/// The material of version `v` in the crash test: the version, repeated.
pub fn material_of(version: u64) -> Vec<u8> {
    version.to_be_bytes().repeat(4)
}
