//! One conformance suite for every keystore backend: `conformance_sqlite.rs` and
//! `conformance_postgres.rs` instantiate it with `conformance_tests!`.

#![allow(dead_code)]

use std::sync::Arc;
use wasmcrypt::secrets::{Actor, KeyStore, Quotas, SecretKind, SecretRecord, StoreError, VersionSelector, unix_now};
use wasmcrypt_keystore::{
    AdminStore, KeystoreLocation, MasterKey, SqliteKeyStore, SqliteOptions, StoreOptions, open_store,
};
use zeroize::Zeroizing;

/// A place a backend can open fresh, empty stores in, and tamper with their rows.
pub trait Backend {
    /// The location of the store number `n` of a test (an empty one the first time).
    fn location(&self, test: &str) -> KeystoreLocation;
    /// Runs one SQL statement on the store's database (tables named as the backend names them:
    /// `secrets` is `wasmcrypt.secrets` on PostgreSQL, and so on).
    fn execute(&self, location: &KeystoreLocation, sql: &str);
    /// The backend's qualified name of a table.
    fn table(&self, name: &str) -> String;
    /// The schema version the backend records.
    fn schema_version(&self) -> u64;
    /// The backend's short name.
    fn name(&self) -> &'static str;
    /// An SQL literal of a byte string.
    fn bytes_literal(&self, bytes: &[u8]) -> String;
    /// A statement that records `version` as the store's schema version.
    fn set_schema_version(&self, version: u64) -> String;
}

pub fn master() -> MasterKey {
    MasterKey::from_bytes([0x42; 32])
}

pub fn other_master() -> MasterKey {
    MasterKey::from_bytes([0x43; 32])
}

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

fn external(material: &[u8], expiration: Option<u64>) -> SecretRecord {
    SecretRecord {
        kind: SecretKind::External,
        algorithm: String::new(),
        material: Zeroizing::new(material.to_vec()),
        exportable: false,
        expiration,
        guest_mutable: true,
    }
}

fn open(_: &dyn Backend, location: &KeystoreLocation, quotas: Quotas) -> Box<dyn AdminStore> {
    open_store(location, &master(), StoreOptions { quotas, ..Default::default() }).unwrap()
}

pub fn versions_are_never_reused(b: &dyn Backend) {
    let loc = b.location("versions");
    {
        let store = open(b, &loc, Quotas::default());
        assert_eq!(store.insert_new("ns", b"k", &hmac_record(&[1; 32])), Ok(1));
        assert_eq!(store.insert_new("ns", b"k", &hmac_record(&[1; 32])), Err(StoreError::AlreadyExists));
        assert_eq!(store.insert_version("ns", b"k", &hmac_record(&[2; 32]), Actor::Operator), Ok(2));
        assert_eq!(store.insert_version("ns", b"k", &hmac_record(&[3; 32]), Actor::Operator), Ok(3));
        assert_eq!(store.invalidate("ns", b"k", VersionSelector::Latest, Actor::Operator), Ok(1));
    }
    let store = open(b, &loc, Quotas::default());
    let latest = store.get("ns", b"k", VersionSelector::Latest).unwrap();
    assert_eq!((latest.version, latest.record.material.as_slice()), (2, &[2u8; 32][..]));
    assert_eq!(store.insert_version("ns", b"k", &hmac_record(&[4; 32]), Actor::Operator), Ok(4), "3 is not reused");
    assert_eq!(store.get("ns", b"k", VersionSelector::Exact(3)).err(), Some(StoreError::NotFound));
    assert_eq!(store.get("ns", b"k", VersionSelector::Exact(u64::MAX)).err(), Some(StoreError::NotFound));
    let listed: Vec<u64> = store.list("ns").unwrap().iter().map(|v| v.version).collect();
    assert_eq!(listed, vec![1, 2, 4]);
    assert_eq!(store.invalidate("ns", b"k", VersionSelector::All, Actor::Operator), Ok(3));
    assert_eq!(store.invalidate("ns", b"k", VersionSelector::All, Actor::Operator), Err(StoreError::NotFound));
    assert_eq!(store.insert_version("ns", b"k", &hmac_record(&[6; 32]), Actor::Operator), Err(StoreError::NotFound));
    // The emptied id's mark went to the namespace's floor: new ids start above it, even after
    // a purge; another namespace starts at 1.
    assert_eq!(store.purge().unwrap().empty_ids, 0, "already folded at invalidation");
    assert_eq!(store.insert_new("ns", b"k", &hmac_record(&[7; 32])), Ok(5));
    assert_eq!(store.insert_new("ns", b"fresh", &hmac_record(&[8; 32])), Ok(5));
    assert_eq!(store.insert_new("other", b"k", &hmac_record(&[9; 32])), Ok(1));
}

pub fn kinds_flags_and_protection(b: &dyn Backend) {
    let store = open(b, &b.location("flags"), Quotas::default());
    let mut protected = hmac_record(&[1; 32]);
    protected.exportable = false;
    protected.guest_mutable = false;
    assert_eq!(store.insert_new("ns", b"op", &protected), Ok(1));
    let got = store.get("ns", b"op", VersionSelector::Latest).unwrap();
    assert!(!got.record.exportable && !got.record.guest_mutable);
    assert_eq!(got.record.material.as_slice(), &[1; 32]);
    assert_eq!(store.insert_version("ns", b"op", &hmac_record(&[2; 32]), Actor::Guest), Err(StoreError::Protected));
    assert_eq!(store.invalidate("ns", b"op", VersionSelector::All, Actor::Guest), Err(StoreError::Protected));
    assert_eq!(store.get("ns", b"op", VersionSelector::Latest).unwrap().version, 1, "nothing was deleted");
    assert_eq!(store.insert_version("ns", b"op", &hmac_record(&[2; 32]), Actor::Operator), Ok(2));
    assert_eq!(store.insert_version("ns", b"op", &hmac_record(&[3; 32]), Actor::Guest), Ok(3), "v2 is guest-mutable");
    let mut other = hmac_record(&[5; 64]);
    other.algorithm = "HMAC/SHA-512".into();
    assert_eq!(store.insert_version("ns", b"op", &other, Actor::Operator), Err(StoreError::Incompatible));
    let info = store.list("ns").unwrap();
    assert_eq!(
        info.iter().map(|i| (i.version, i.exportable, i.guest_mutable)).collect::<Vec<_>>(),
        vec![(1, false, false), (2, true, true), (3, true, true)]
    );
    assert_eq!(info[0].kind, SecretKind::Symmetric);
    assert_eq!(info[0].algorithm, "HMAC/SHA-256");
    // Namespaces are disjoint.
    assert_eq!(store.get("other", b"op", VersionSelector::Latest).err(), Some(StoreError::NotFound));
    assert_eq!(store.list("other").unwrap(), vec![]);
    assert_eq!(store.invalidate("other", b"op", VersionSelector::All, Actor::Operator), Err(StoreError::NotFound));
}

pub fn external_secrets_expire_and_are_purged(b: &dyn Backend) {
    let store = open(b, &b.location("external"), Quotas::default());
    let past = unix_now() - 10;
    // (A write purges the namespace's expired secrets first: the expired one comes last.)
    assert_eq!(store.insert_new("ns", b"new", &external(b"live secret", Some(u64::MAX))), Ok(1));
    assert_eq!(store.insert_new("ns", b"old", &external(b"expired secret", Some(past))), Ok(1));
    let old = store.get("ns", b"old", VersionSelector::Latest).unwrap();
    assert!(old.record.is_expired_at(unix_now()));
    let new = store.get("ns", b"new", VersionSelector::Latest).unwrap();
    assert_eq!(new.record.expiration, Some(u64::MAX), "every u64 round-trips");
    let usage = store.usage().unwrap();
    assert_eq!(usage.len(), 1);
    assert_eq!((usage[0].records, usage[0].purgeable_records), (2, 1));
    assert_eq!(usage[0].bytes, (3 + 14 + 3 + 11) as u64);
    let report = store.purge().unwrap();
    assert_eq!((report.expired_records, report.empty_ids), (1, 1));
    assert!(report.size_before.is_some() && report.size_after.is_some());
    assert_eq!(store.get("ns", b"old", VersionSelector::Latest).err(), Some(StoreError::NotFound));
    assert_eq!(store.insert_new("ns", b"old", &external(b"again", None)), Ok(2), "above the floor");
}

pub fn quotas_are_enforced(b: &dyn Backend) {
    let store = open(b, &b.location("quotas"), Quotas { max_records: 3, max_bytes: 200 });
    assert_eq!(store.quotas(), Quotas { max_records: 3, max_bytes: 200 });
    assert_eq!(store.insert_new("ns", b"a", &hmac_record(&[1; 32])), Ok(1));
    assert_eq!(store.insert_version("ns", b"a", &hmac_record(&[2; 32]), Actor::Guest), Ok(2));
    assert_eq!(store.insert_new("ns", b"b", &hmac_record(&[3; 32])), Ok(1));
    let e = store.insert_new("ns", b"c", &hmac_record(&[4; 32])).unwrap_err();
    assert!(matches!(&e, StoreError::QuotaExceeded(m) if m.contains("3 records")), "{e:?}");
    assert_eq!(store.insert_new("ns2", b"big", &hmac_record(&[0; 150])), Ok(1));
    let e = store.insert_version("ns2", b"big", &hmac_record(&[0; 150]), Actor::Operator).unwrap_err();
    assert!(matches!(&e, StoreError::QuotaExceeded(m) if m.contains("bytes")), "{e:?}");
    assert_eq!(store.invalidate("ns", b"a", VersionSelector::Exact(1), Actor::Operator), Ok(1));
    assert_eq!(store.insert_new("ns", b"c", &hmac_record(&[4; 32])), Ok(1), "room again");
}

pub fn wrong_master_key_is_refused_and_schema_version_recorded(b: &dyn Backend) {
    let loc = b.location("wrong-key");
    open(b, &loc, Quotas::default()).insert_new("ns", b"k", &hmac_record(&[1; 32])).unwrap();
    let err = open_store(&loc, &other_master(), StoreOptions::default()).err().unwrap();
    assert_eq!(err, StoreError::Backend("wrong master key for this keystore".into()));
    let store = open(b, &loc, Quotas::default());
    assert_eq!(store.schema_version(), Ok(b.schema_version()));
}

pub fn a_newer_schema_is_refused(b: &dyn Backend) {
    let loc = b.location("future");
    open(b, &loc, Quotas::default()).insert_new("ns", b"k", &hmac_record(&[1; 32])).unwrap();
    b.execute(&loc, &b.set_schema_version(b.schema_version() + 1));
    let e = open_store(&loc, &master(), StoreOptions::default()).err().unwrap();
    assert!(matches!(&e, StoreError::Backend(m) if m.contains("format") || m.contains("schema")), "{e:?}");
    b.execute(&loc, &b.set_schema_version(b.schema_version()));
    let store = open(b, &loc, Quotas::default());
    assert_eq!(store.get("ns", b"k", VersionSelector::Latest).unwrap().version, 1);
}

pub fn tampered_rows_are_reported(b: &dyn Backend) {
    let loc = b.location("tamper");
    let store = open(b, &loc, Quotas::default());
    store.insert_new("ns", b"k", &hmac_record(&[1; 32])).unwrap();
    store.insert_version("ns", b"k", &hmac_record(&[2; 32]), Actor::Operator).unwrap();
    store.insert_new("ns", b"j", &hmac_record(&[3; 32])).unwrap();
    let secrets = b.table("secrets");
    // Flags are bound: making a key exportable breaks it.
    b.execute(&loc, &format!("UPDATE {secrets} SET exportable = NOT exportable WHERE id = {}", b.bytes_literal(b"j")));
    assert!(matches!(store.get("ns", b"j", VersionSelector::Latest), Err(StoreError::Corrupted(_))));
    // Moving version 1 over the deleted version 2: bound to its version.
    assert_eq!(store.invalidate("ns", b"k", VersionSelector::Exact(2), Actor::Operator), Ok(1));
    b.execute(&loc, &format!("UPDATE {secrets} SET version = 2 WHERE id = {}", b.bytes_literal(b"k")));
    assert!(matches!(store.get("ns", b"k", VersionSelector::Latest), Err(StoreError::Corrupted(_))));
    // Moving it to another namespace: bound to its namespace.
    b.execute(
        &loc,
        &format!("UPDATE {secrets} SET version = 1, namespace = 'evil' WHERE id = {}", b.bytes_literal(b"k")),
    );
    assert!(matches!(store.get("evil", b"k", VersionSelector::Latest), Err(StoreError::Corrupted(_))));
    assert!(matches!(store.list("evil"), Err(StoreError::Corrupted(_))));
}

pub fn namespaces_copy_between_backends(b: &dyn Backend) {
    let src_loc = b.location("copy-src");
    let src = open(b, &src_loc, Quotas::default());
    src.insert_new("app", b"gone", &hmac_record(&[9; 32])).unwrap();
    src.invalidate("app", b"gone", VersionSelector::All, Actor::Operator).unwrap();
    assert_eq!(src.insert_new("app", b"k", &hmac_record(&[1; 32])), Ok(2));
    src.insert_version("app", b"k", &hmac_record(&[2; 32]), Actor::Operator).unwrap();
    src.insert_version("app", b"k", &hmac_record(&[3; 32]), Actor::Operator).unwrap();
    src.invalidate("app", b"k", VersionSelector::Exact(4), Actor::Operator).unwrap();
    src.insert_new("app", b"ext", &external(b"s", Some(u64::MAX))).unwrap();
    src.insert_new("unrelated", b"x", &hmac_record(&[4; 32])).unwrap();
    let dump = src.export_namespace("app").unwrap();
    assert_eq!(dump.version_floor, 1);
    assert_eq!(dump.records.len(), 3);
    // To a SQLite file under another master key, and back into this backend.
    let dir = std::env::temp_dir().join(format!("wasmcrypt-conf-copy-{}-{}", std::process::id(), b.name()));
    let _ = std::fs::remove_dir_all(&dir);
    let file = SqliteKeyStore::open_with(&dir.join("copy.db"), &other_master(), SqliteOptions::default()).unwrap();
    assert_eq!(file.import_namespace(&dump), Ok(3));
    assert_eq!(file.import_namespace(&dump), Err(StoreError::AlreadyExists), "the destination must be empty");
    let listed =
        |s: &dyn KeyStore| s.list("app").unwrap().iter().map(|i| (i.id.clone(), i.version)).collect::<Vec<_>>();
    assert_eq!(listed(&file), listed(src.as_ref()));
    assert_eq!(file.get("app", b"k", VersionSelector::Latest).unwrap().record.material.as_slice(), &[2; 32]);
    assert_eq!(file.insert_version("app", b"k", &hmac_record(&[5; 32]), Actor::Operator), Ok(5), "4 is not reused");
    assert_eq!(file.insert_new("app", b"new", &hmac_record(&[5; 32])), Ok(2), "the floor came along");
    let back = file.export_namespace("app").unwrap();
    let dst_loc = b.location("copy-dst");
    let dst = open(b, &dst_loc, Quotas::default());
    assert_eq!(dst.import_namespace(&back), Ok(5));
    assert_eq!(listed(dst.as_ref()), listed(&file));
    assert_eq!(dst.get("app", b"k", VersionSelector::Exact(5)).unwrap().record.material.as_slice(), &[5; 32]);
    assert_eq!(dst.insert_version("app", b"k", &hmac_record(&[6; 32]), Actor::Operator), Ok(6));
    assert_eq!(dst.list("unrelated").unwrap(), vec![]);
    // A destination whose floor is above an imported version refuses it.
    let floor_loc = b.location("copy-floor");
    let floored = open(b, &floor_loc, Quotas::default());
    floored.insert_new("app", b"z", &hmac_record(&[1; 32])).unwrap();
    floored.insert_version("app", b"z", &hmac_record(&[1; 32]), Actor::Operator).unwrap();
    floored.invalidate("app", b"z", VersionSelector::All, Actor::Operator).unwrap();
    let e = floored.import_namespace(&dump).unwrap_err();
    assert!(e.to_string().contains("version floor"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

pub fn master_key_rotation_resumes(b: &dyn Backend) {
    let loc = b.location("rotation");
    {
        let store = open(b, &loc, Quotas::default());
        for i in 0..6u8 {
            store.insert_new(if i % 2 == 0 { "a" } else { "b" }, &[i], &hmac_record(&[i; 32])).unwrap();
        }
        let report = store.rotate_master_key(&other_master(), Some(4)).unwrap();
        assert_eq!(report, wasmcrypt_keystore::RotationReport { rewrapped: 4, already_done: 0, finished: false });
        // Interrupted: the old key still opens the store; the new one is refused with a hint.
        let e = open_store(&loc, &other_master(), StoreOptions::default()).err().unwrap();
        assert!(e.to_string().contains("not finished"), "{e}");
        // A different new key cannot take over an unfinished rotation.
        let third = MasterKey::from_bytes([0x44; 32]);
        assert!(store.rotate_master_key(&third, None).unwrap_err().to_string().contains("another key"));
    }
    let store = open(b, &loc, Quotas::default());
    let report = store.rotate_master_key(&other_master(), None).unwrap();
    assert_eq!(report, wasmcrypt_keystore::RotationReport { rewrapped: 2, already_done: 4, finished: true });
    drop(store);
    let e = open_store(&loc, &master(), StoreOptions::default()).err().unwrap();
    assert_eq!(e, StoreError::Backend("wrong master key for this keystore".into()));
    let store = open_store(&loc, &other_master(), StoreOptions::default()).unwrap();
    for i in 0..6u8 {
        let got = store.get(if i % 2 == 0 { "a" } else { "b" }, &[i], VersionSelector::Latest).unwrap();
        assert_eq!(got.record.material.as_slice(), &[i; 32]);
    }
}

pub fn concurrent_writers_get_contiguous_versions(b: &dyn Backend) {
    let loc = b.location("concurrent");
    let first = open(b, &loc, Quotas::default());
    first.insert_new("ns", b"hot", &hmac_record(&[0; 32])).unwrap();
    let threads = 8;
    let per_thread = 15;
    let stores: Vec<Arc<dyn AdminStore>> = (0..threads).map(|_| Arc::from(open(b, &loc, Quotas::default()))).collect();
    let handles: Vec<_> = stores
        .into_iter()
        .enumerate()
        .map(|(t, store)| {
            std::thread::spawn(move || {
                let mut mine = Vec::new();
                for i in 0..per_thread {
                    let material = [t as u8, i as u8].repeat(16);
                    loop {
                        match store.insert_version("ns", b"hot", &hmac_record(&material), Actor::Guest) {
                            Ok(v) => {
                                mine.push((v, material));
                                break;
                            }
                            Err(StoreError::Busy(_)) => continue,
                            Err(e) => panic!("{e}"),
                        }
                    }
                }
                mine
            })
        })
        .collect();
    let mut all: Vec<(u64, Vec<u8>)> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    all.sort();
    let versions: Vec<u64> = all.iter().map(|(v, _)| *v).collect();
    assert_eq!(versions, (2..=(1 + threads * per_thread) as u64).collect::<Vec<_>>());
    for (v, material) in &all {
        assert_eq!(
            first.get("ns", b"hot", VersionSelector::Exact(*v)).unwrap().record.material.as_slice(),
            &material[..]
        );
    }
}

/// Declares one `#[test]` per conformance check; `$backend` is an expression giving
/// `Option<impl Backend>` (`None`: skipped, with a notice printed by the backend).
#[macro_export]
macro_rules! conformance_tests {
    ($backend:expr) => {
        $crate::conformance_tests!(@each $backend;
            versions_are_never_reused,
            kinds_flags_and_protection,
            external_secrets_expire_and_are_purged,
            quotas_are_enforced,
            wrong_master_key_is_refused_and_schema_version_recorded,
            tampered_rows_are_reported,
            a_newer_schema_is_refused,
            namespaces_copy_between_backends,
            master_key_rotation_resumes,
            concurrent_writers_get_contiguous_versions
        );
    };
    (@each $backend:expr; $($name:ident),*) => {
        $(
            #[test]
            fn $name() {
                if let Some(backend) = $backend {
                    conformance::$name(&backend);
                }
            }
        )*
    };
}
