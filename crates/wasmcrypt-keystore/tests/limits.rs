//! Bounds of the SQLite store: per-namespace quotas (also across concurrent writers), purge and
//! space reclaim, versions after a purge, operator protection, and lock waits.

mod common;

use common::{hmac_record, master, temp_dir};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wasmcrypt::secrets::{
    Actor, KeyStore, Quotas, SecretKind, SecretRecord, StoreError, VERSION_LATEST, VersionSelector, unix_now,
};
use wasmcrypt::{CryptoCtx, CryptoError};
use wasmcrypt_keystore::{SqliteKeyStore, SqliteOptions};

fn quotas(max_records: u64, max_bytes: u64) -> SqliteOptions {
    SqliteOptions { quotas: Quotas { max_records, max_bytes }, ..SqliteOptions::default() }
}

fn secret(len: usize, expiration: u64) -> SecretRecord {
    let mut record = hmac_record(&vec![0x33; len]);
    record.kind = SecretKind::External;
    record.algorithm = String::new();
    record.expiration = Some(expiration);
    record
}

fn is_quota(result: Result<u64, StoreError>) -> bool {
    matches!(result, Err(StoreError::QuotaExceeded(_)))
}

#[test]
fn record_and_byte_quotas_hold_per_namespace() {
    let dir = temp_dir("quotas");
    let path = dir.join("ks.db");
    let store = SqliteKeyStore::open_with(&path, &master(), quotas(3, 1000)).unwrap();
    assert_eq!(store.insert_new("a", b"k", &hmac_record(&[1; 32])), Ok(1));
    assert_eq!(store.insert_version("a", b"k", &hmac_record(&[2; 32]), Actor::Operator), Ok(2));
    assert_eq!(store.insert_new("a", b"j", &hmac_record(&[3; 32])), Ok(1));
    assert!(is_quota(store.insert_new("a", b"x", &hmac_record(&[4; 32]))));
    assert!(is_quota(store.insert_version("a", b"k", &hmac_record(&[4; 32]), Actor::Operator)));
    assert_eq!(store.list("a").unwrap().len(), 3, "nothing stored past the quota");
    // Bytes: 1 (id) + 12 (algorithm) + material; "b" holds 1 + 12 + 900 = 913, 88 more do not fit.
    assert_eq!(store.insert_new("b", b"k", &hmac_record(&[1; 900])), Ok(1));
    assert_eq!(
        store.insert_new("b", b"j", &hmac_record(&[1; 75])),
        Err(StoreError::QuotaExceeded(
            "namespace 'b' holds 913 bytes, a new record of 88 bytes exceeds its quota of 1000".into()
        ))
    );
    assert_eq!(store.insert_new("b", b"j", &hmac_record(&[1; 74])), Ok(1), "exactly the quota");
    let usage = store.usage().unwrap();
    let usage: Vec<(&str, u64, u64)> = usage.iter().map(|u| (u.namespace.as_str(), u.records, u.bytes)).collect();
    assert_eq!(usage, [("a", 3, 3 * 45), ("b", 2, 913 + 87)]);
    // Other limits reopen the same file: quotas belong to the opener, not to the file.
    let bigger = SqliteKeyStore::open_with(&path, &master(), quotas(4, u64::MAX)).unwrap();
    assert_eq!(bigger.insert_new("a", b"x", &hmac_record(&[4; 32])), Ok(1));
    // A guest sees `overflow`.
    let mut ctx = CryptoCtx::builder().key_store(Arc::new(store)).namespace("a").build();
    let sm = ctx.secrets_manager_open(None).unwrap();
    let mut id = [0u8; 16];
    assert_eq!(ctx.external_secret_store(sm, b"s", u64::MAX, &mut id), Err(CryptoError::Overflow));
}

#[test]
fn concurrent_writers_cannot_exceed_the_quota() {
    let dir = temp_dir("quota-race");
    let path = dir.join("ks.db");
    SqliteKeyStore::open(&path, &master()).unwrap();
    let writers: Vec<_> = (0..4u8)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                let options = SqliteOptions { busy_timeout: Duration::from_secs(30), ..quotas(25, u64::MAX) };
                let store = SqliteKeyStore::open_with(&path, &master(), options).unwrap();
                (0..20u8).filter(|i| store.insert_new("ns", &[w, *i], &hmac_record(&[w; 32])).is_ok()).count()
            })
        })
        .collect();
    let stored: usize = writers.into_iter().map(|w| w.join().unwrap()).sum();
    assert_eq!(stored, 25);
    assert_eq!(SqliteKeyStore::open(&path, &master()).unwrap().list("ns").unwrap().len(), 25);
}

#[test]
fn purge_deletes_expired_secrets_and_gives_the_space_back() {
    let dir = temp_dir("purge");
    let path = dir.join("ks.db");
    let store = SqliteKeyStore::open(&path, &master()).unwrap();
    // Ten seconds: inserting the 150 secrets must end before they expire, even on a loaded machine.
    let soon = unix_now() + 10;
    // One namespace each, so that no later write in the namespace deletes them first.
    for i in 0..150u16 {
        store.insert_new(&format!("ns{i}"), b"s", &secret(64 * 1024, soon)).unwrap();
    }
    store.insert_new("kept", b"s", &secret(16, u64::MAX)).unwrap();
    let full = store.purge().unwrap().size_after.unwrap();
    assert!(full > 150 * 64 * 1024, "{full}");
    while unix_now() < soon {
        std::thread::sleep(Duration::from_millis(100));
    }
    let purgeable: u64 = store.usage().unwrap().iter().map(|u| u.purgeable_records).sum();
    assert_eq!(purgeable, 150);
    let report = store.purge().unwrap();
    assert_eq!((report.expired_records, report.empty_ids), (150, 150));
    let after = report.size_after.unwrap();
    eprintln!("purge of 150 expired 64 KiB secrets: {} -> {after} bytes", report.size_before.unwrap());
    assert!(after < full / 20, "{full} -> {after}");
    assert_eq!(store.list("kept").unwrap().len(), 1);
    let usage = store.usage().unwrap();
    assert_eq!((usage.len(), usage[0].namespace.as_str(), usage[0].purgeable_records), (1, "kept", 0));
}

#[test]
fn invalidated_records_are_reclaimed_on_writes_and_old_files_are_converted() {
    let dir = temp_dir("reclaim");
    let path = dir.join("ks.db");
    {
        // A file made before auto_vacuum: turn it off as older versions had it.
        let store = SqliteKeyStore::open(&path, &master()).unwrap();
        store.insert_new("ns", b"seed", &hmac_record(&[1; 32])).unwrap();
        drop(store);
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA auto_vacuum = NONE; VACUUM;").unwrap();
        let mode: i64 = conn.query_row("PRAGMA auto_vacuum", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, 0);
    }
    let store = SqliteKeyStore::open(&path, &master()).unwrap();
    for i in 0..100u8 {
        store.insert_new("ns", &[i], &hmac_record(&vec![i; 64 * 1024])).unwrap();
    }
    for i in 0..100u8 {
        store.invalidate("ns", &[i], VersionSelector::All, Actor::Operator).unwrap();
    }
    let report = store.purge().unwrap();
    let (before, after) = (report.size_before.unwrap(), report.size_after.unwrap());
    eprintln!("purge of 100 invalidated 64 KiB keys (old file): {before} -> {after} bytes");
    assert!(before > 100 * 64 * 1024 && after < before / 20, "{before} -> {after}");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: i64 = conn.query_row("PRAGMA auto_vacuum", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, 2, "converted to incremental");
    drop(conn);
    // From now on, writes give freed pages back a few at a time, without a purge.
    for i in 0..40u8 {
        store.insert_new("ns", &[i], &hmac_record(&vec![i; 64 * 1024])).unwrap();
    }
    for i in 0..40u8 {
        store.invalidate("ns", &[i], VersionSelector::All, Actor::Operator).unwrap();
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    let free: i64 = conn.query_row("PRAGMA freelist_count", [], |r| r.get(0)).unwrap();
    eprintln!("free pages after 40 insert/invalidate cycles of 64 KiB keys, no purge: {free}");
    assert!(free < 2 * 128, "{free} free pages left");
}

#[test]
fn versions_are_never_reused_after_a_purge_even_across_reopening() {
    let dir = temp_dir("versions-purge");
    let path = dir.join("ks.db");
    {
        let store = SqliteKeyStore::open(&path, &master()).unwrap();
        assert_eq!(store.insert_new("ns", b"k", &hmac_record(&[1; 32])), Ok(1));
        assert_eq!(store.insert_version("ns", b"k", &hmac_record(&[2; 32]), Actor::Operator), Ok(2));
        assert_eq!(store.insert_version("ns", b"k", &hmac_record(&[3; 32]), Actor::Operator), Ok(3));
        assert_eq!(store.invalidate("ns", b"k", VersionSelector::All, Actor::Operator), Ok(3));
        store.purge().unwrap();
        let conn = rusqlite::Connection::open(&path).unwrap();
        let ids: i64 = conn.query_row("SELECT COUNT(*) FROM ids", [], |r| r.get(0)).unwrap();
        assert_eq!(ids, 0, "an emptied id leaves no row behind");
    }
    let store = SqliteKeyStore::open(&path, &master()).unwrap();
    assert_eq!(store.insert_new("ns", b"k", &hmac_record(&[4; 32])), Ok(4), "the same id starts above 3");
    assert_eq!(store.get("ns", b"k", VersionSelector::Exact(3)).err(), Some(StoreError::NotFound));
    assert_eq!(store.insert_new("ns", b"other", &hmac_record(&[5; 32])), Ok(4), "so does any new id");
    assert_eq!(store.insert_new("fresh", b"k", &hmac_record(&[6; 32])), Ok(1), "other namespaces start at 1");
    // Files written before ids were folded keep empty `ids` rows: still never reused.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("INSERT INTO ids (namespace, id, last_version) VALUES ('legacy', x'01', 9)", []).unwrap();
    assert_eq!(store.insert_new("legacy", &[1], &hmac_record(&[7; 32])), Ok(10));
    conn.execute("INSERT INTO ids (namespace, id, last_version) VALUES ('legacy', x'02', 20)", []).unwrap();
    assert_eq!(store.purge().unwrap().empty_ids, 1);
    assert_eq!(store.insert_new("legacy", &[3], &hmac_record(&[7; 32])), Ok(21));
}

#[test]
fn operator_protection_is_enforced_and_authenticated() {
    let dir = temp_dir("protect");
    let path = dir.join("ks.db");
    let store = SqliteKeyStore::open(&path, &master()).unwrap();
    let mut locked = hmac_record(&[1; 32]);
    locked.guest_mutable = false;
    store.insert_new("ns", b"op", &locked).unwrap();
    assert_eq!(store.insert_version("ns", b"op", &hmac_record(&[2; 32]), Actor::Guest), Err(StoreError::Protected));
    for selector in [VersionSelector::Exact(1), VersionSelector::Latest, VersionSelector::All] {
        assert_eq!(store.invalidate("ns", b"op", selector, Actor::Guest), Err(StoreError::Protected));
    }
    assert_eq!(store.insert_version("ns", b"op", &hmac_record(&[2; 32]), Actor::Operator), Ok(2));
    assert_eq!(store.invalidate("ns", b"op", VersionSelector::Latest, Actor::Guest), Ok(1), "v2 is guest-mutable");
    assert!(!store.get("ns", b"op", VersionSelector::Latest).unwrap().record.guest_mutable);
    assert!(!store.list("ns").unwrap()[0].guest_mutable);
    drop(store);
    // Lifting the protection in the file breaks the record's authentication.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE secrets SET guest_mutable = 1", []).unwrap();
    let store = SqliteKeyStore::open(&path, &master()).unwrap();
    assert!(matches!(store.get("ns", b"op", VersionSelector::Latest), Err(StoreError::Corrupted(_))));
}

/// Holds the write lock of `path` from another connection for `hold`, then rolls back.
fn hold_write_lock(path: &std::path::Path, hold: Duration) -> std::thread::JoinHandle<()> {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE; DELETE FROM secrets;").unwrap();
    std::thread::spawn(move || {
        std::thread::sleep(hold);
        conn.execute_batch("ROLLBACK").unwrap();
    })
}

#[test]
fn a_held_write_lock_blocks_no_reader_and_writers_give_up_within_the_bound() {
    let dir = temp_dir("locks");
    let path = dir.join("ks.db");
    let options = SqliteOptions { busy_timeout: Duration::from_millis(500), ..SqliteOptions::default() };
    let store = Arc::new(SqliteKeyStore::open_with(&path, &master(), options).unwrap());
    store.insert_new("app", b"k", &hmac_record(&[7; 32])).unwrap();
    let holder = hold_write_lock(&path, Duration::from_secs(4));

    // A writer of this store waits on one thread ...
    let waiting = {
        let store = store.clone();
        std::thread::spawn(move || {
            let start = Instant::now();
            let result = store.insert_new("app", b"w", &hmac_record(&[8; 32]));
            (result, start.elapsed())
        })
    };
    std::thread::sleep(Duration::from_millis(100));
    // ... while readers on others go through at once, through the API too.
    let start = Instant::now();
    let read = store.get("app", b"k", VersionSelector::Latest).unwrap();
    assert_eq!(read.record.material.as_slice(), &[7; 32], "the writer's uncommitted delete is invisible");
    let mut ctx = CryptoCtx::builder().key_store(store.clone()).namespace("app").build();
    let sm = ctx.secrets_manager_open(None).unwrap();
    ctx.symmetric_key_from_id(sm, b"k", VERSION_LATEST).unwrap();
    let read_time = start.elapsed();
    eprintln!("reads under a held write lock: {read_time:?}");
    assert!(read_time < Duration::from_millis(300), "{read_time:?}");

    let (result, waited) = waiting.join().unwrap();
    eprintln!("write under a held write lock failed after {waited:?}: {result:?}");
    assert!(matches!(&result, Err(StoreError::Busy(m)) if m.contains("for more than 500 ms")), "{result:?}");
    assert!(waited >= Duration::from_millis(450) && waited < Duration::from_millis(1500), "{waited:?}");
    let start = Instant::now();
    assert_eq!(ctx.symmetric_key_generate_managed(sm, "HMAC/SHA-256", None), Err(CryptoError::InProgress));
    assert!(start.elapsed() < Duration::from_millis(1500));
    holder.join().unwrap();
    assert!(ctx.symmetric_key_generate_managed(sm, "HMAC/SHA-256", None).is_ok(), "the lock is free again");
}

#[test]
fn the_default_lock_wait_is_two_seconds() {
    assert_eq!(SqliteOptions::default().busy_timeout, Duration::from_secs(2));
    assert_eq!(SqliteOptions::default().quotas, Quotas { max_records: 10_000, max_bytes: 64 << 20 });
}
