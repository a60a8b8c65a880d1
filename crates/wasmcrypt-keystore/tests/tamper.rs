//! A flipped byte anywhere in the store file is an error or has no effect; it never yields
//! other key material.

mod common;

use common::{hmac_record, master, temp_dir};
use std::path::Path;
use wasmcrypt::secrets::{KeyStore, StoreError, VersionSelector};
use wasmcrypt_keystore::SqliteKeyStore;

const MATERIAL: [u8; 32] = [0x5a; 32];

/// Writes a store with one record and checkpoints it into the main file.
fn make_store(path: &Path) {
    let store = SqliteKeyStore::open(path, &master()).unwrap();
    store.insert_new("ns", b"key-id", &hmac_record(&MATERIAL)).unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
}

/// What reading the record gives: the material, or the error.
fn read(path: &Path) -> Result<Vec<u8>, StoreError> {
    let store = SqliteKeyStore::open(path, &master())?;
    store.list("ns")?;
    Ok(store.get("ns", b"key-id", VersionSelector::Latest)?.record.material.to_vec())
}

#[test]
fn flipping_a_byte_of_the_sealed_material_is_reported() {
    let dir = temp_dir("tamper-sealed");
    let path = dir.join("ks.db");
    make_store(&path);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let sealed: Vec<u8> = conn.query_row("SELECT sealed FROM secrets", [], |r| r.get(0)).unwrap();
    drop(conn);
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.windows(sealed.len()).position(|w| w == sealed).expect("sealed blob in the file");
    bytes[at + 3] ^= 0x01;
    std::fs::write(&path, &bytes).unwrap();
    assert!(matches!(read(&path), Err(StoreError::Corrupted(_))), "{:?}", read(&path));
}

#[test]
fn relabelling_a_record_is_reported() {
    let dir = temp_dir("tamper-columns");
    for (column, value) in
        [("algorithm", "'HMAC/SHA-512'"), ("exportable", "0"), ("guest_mutable", "0"), ("kind", "4"), ("id", "x'00'")]
    {
        let path = dir.join(format!("{column}.db"));
        make_store(&path);
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute(&format!("UPDATE secrets SET {column} = {value}"), []).unwrap();
        if column == "id" {
            conn.execute("UPDATE ids SET id = x'00'", []).unwrap();
            let store = SqliteKeyStore::open(&path, &master()).unwrap();
            assert!(matches!(store.get("ns", b"\0", VersionSelector::Latest), Err(StoreError::Corrupted(_))));
            continue;
        }
        drop(conn);
        assert!(matches!(read(&path), Err(StoreError::Corrupted(_))), "{column}: {:?}", read(&path));
    }
}

#[test]
fn every_flipped_byte_is_an_error_or_harmless() {
    let dir = temp_dir("tamper-sweep");
    let path = dir.join("ks.db");
    make_store(&path);
    let original = std::fs::read(&path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let sealed: Vec<u8> = conn.query_row("SELECT sealed FROM secrets", [], |r| r.get(0)).unwrap();
    drop(conn);
    let record = original.windows(sealed.len()).position(|w| w == sealed).expect("sealed blob in the file");
    // Every byte around the record (its cell: header, columns, nonce, sealed material), and a
    // sample of the rest of the file.
    let near = record.saturating_sub(160)..(record + sealed.len() + 16).min(original.len());
    let offsets = near.clone().chain((0..original.len()).step_by(31).filter(|at| !near.contains(at)));
    let (mut errors, mut harmless) = (0, 0);
    for at in offsets {
        let mut bytes = original.clone();
        bytes[at] ^= 0x10;
        std::fs::write(&path, &bytes).unwrap();
        let _ = std::fs::remove_file(dir.join("ks.db-wal"));
        let _ = std::fs::remove_file(dir.join("ks.db-shm"));
        match read(&path) {
            Ok(material) => {
                assert_eq!(material, MATERIAL, "byte {at} changed the key");
                harmless += 1;
            }
            Err(_) => errors += 1,
        }
    }
    assert!(errors > 0 && harmless > 0, "errors {errors}, harmless {harmless}");
}
