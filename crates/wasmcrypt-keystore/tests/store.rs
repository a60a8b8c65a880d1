//! The KeyStore rules on the SQLite store, and the whole secrets manager on top of it.

mod common;

use common::{hmac_record, master, temp_dir};
use std::sync::Arc;
use wasmcrypt::secrets::{Actor, KeyStore, SecretKind, StoreError, VERSION_LATEST, VersionSelector};
use wasmcrypt::{CryptoCtx, CryptoError};
use wasmcrypt_keystore::{MasterKey, SqliteKeyStore};

#[test]
fn versions_increase_survive_reopen_and_are_never_reused() {
    let dir = temp_dir("versions");
    let path = dir.join("ks.db");
    {
        let store = SqliteKeyStore::open(&path, &master()).unwrap();
        assert_eq!(store.insert_new("ns", b"k", &hmac_record(&[1; 32])), Ok(1));
        assert_eq!(store.insert_new("ns", b"k", &hmac_record(&[1; 32])), Err(StoreError::AlreadyExists));
        assert_eq!(store.insert_version("ns", b"k", &hmac_record(&[2; 32]), Actor::Operator), Ok(2));
        assert_eq!(store.insert_version("ns", b"k", &hmac_record(&[3; 32]), Actor::Operator), Ok(3));
        assert_eq!(store.invalidate("ns", b"k", VersionSelector::Latest, Actor::Operator), Ok(1));
    }
    let store = SqliteKeyStore::open(&path, &master()).unwrap();
    let latest = store.get("ns", b"k", VersionSelector::Latest).unwrap();
    assert_eq!((latest.version, latest.record.material.as_slice()), (2, &[2u8; 32][..]));
    assert_eq!(store.insert_version("ns", b"k", &hmac_record(&[4; 32]), Actor::Operator), Ok(4), "3 is not reused");
    assert_eq!(store.get("ns", b"k", VersionSelector::Exact(3)).err(), Some(StoreError::NotFound));
    let mut other = hmac_record(&[5; 64]);
    other.algorithm = "HMAC/SHA-512".into();
    assert_eq!(store.insert_version("ns", b"k", &other, Actor::Operator), Err(StoreError::Incompatible));
    assert_eq!(store.get("other", b"k", VersionSelector::Latest).err(), Some(StoreError::NotFound));
    let listed: Vec<u64> = store.list("ns").unwrap().iter().map(|v| v.version).collect();
    assert_eq!(listed, vec![1, 2, 4]);
    assert_eq!(store.list("other").unwrap(), vec![]);
    assert_eq!(store.invalidate("ns", b"k", VersionSelector::All, Actor::Operator), Ok(3));
    assert_eq!(store.invalidate("ns", b"k", VersionSelector::All, Actor::Operator), Err(StoreError::NotFound));
    assert_eq!(store.insert_version("ns", b"k", &hmac_record(&[6; 32]), Actor::Operator), Err(StoreError::NotFound));
}

#[test]
fn a_wrong_master_key_is_refused() {
    let dir = temp_dir("wrong-key");
    let path = dir.join("ks.db");
    SqliteKeyStore::open(&path, &master()).unwrap().insert_new("ns", b"k", &hmac_record(&[1; 32])).unwrap();
    let err = SqliteKeyStore::open(&path, &MasterKey::from_bytes([0x43; 32])).unwrap_err();
    assert_eq!(err, StoreError::Backend("wrong master key for this keystore".into()));
}

#[test]
fn key_material_is_never_written_in_clear() {
    let dir = temp_dir("clear");
    let path = dir.join("ks.db");
    let material = b"THIS-IS-SECRET-KEY-MATERIAL-0123";
    let store = SqliteKeyStore::open(&path, &master()).unwrap();
    store.insert_new("ns", b"k", &hmac_record(material)).unwrap();
    drop(store);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend(std::fs::read(dir.join("ks.db-wal")).unwrap_or_default());
    assert!(!bytes.windows(material.len()).any(|w| w == material));
    assert!(!bytes.windows(32).any(|w| w == [0x42; 32]), "nor the master key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
}

#[test]
fn managed_keys_persist_across_contexts_through_the_api() {
    let dir = temp_dir("api");
    let path = dir.join("ks.db");
    let id = {
        let store = Arc::new(SqliteKeyStore::open(&path, &master()).unwrap());
        let mut ctx = CryptoCtx::builder().key_store(store).namespace("app").build();
        let sm = ctx.secrets_manager_open(None).unwrap();
        let kp = ctx.keypair_generate_managed(sm, wasmcrypt::AlgorithmType::Signatures, "ECDSA_P256_SHA256", None);
        let mut id = [0u8; 64];
        let (len, version) = ctx.keypair_id(kp.unwrap(), &mut id).unwrap();
        assert_eq!(version, 1);
        id[..len].to_vec()
    };
    let store = Arc::new(SqliteKeyStore::open(&path, &master()).unwrap());
    let mut ctx = CryptoCtx::builder().key_store(store.clone()).namespace("app").build();
    let sm = ctx.secrets_manager_open(None).unwrap();
    let kp = ctx.keypair_from_id(sm, &id, VERSION_LATEST).unwrap();
    assert_eq!(ctx.keypair_export(kp, wasmcrypt::KeyPairEncoding::Pkcs8), Err(CryptoError::ProhibitedOperation));
    let info = store.list("app").unwrap();
    assert_eq!(
        (info.len(), info[0].kind, info[0].algorithm.as_str()),
        (1, SecretKind::Signatures, "ECDSA_P256_SHA256")
    );
    let mut other = CryptoCtx::builder().key_store(store).namespace("intruder").build();
    let sm = other.secrets_manager_open(None).unwrap();
    assert_eq!(other.keypair_from_id(sm, &id, VERSION_LATEST), Err(CryptoError::NotFound));
}

#[test]
fn several_connections_share_one_file() {
    let dir = temp_dir("shared");
    let path = dir.join("ks.db");
    SqliteKeyStore::open(&path, &master()).unwrap().insert_new("ns", b"k", &hmac_record(&[0; 32])).unwrap();
    let writers: Vec<_> = (0..4u8)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                let store = SqliteKeyStore::open(&path, &master()).unwrap();
                (0..10)
                    .map(|_| store.insert_version("ns", b"k", &hmac_record(&[w; 32]), Actor::Operator).unwrap())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut versions: Vec<u64> = writers.into_iter().flat_map(|w| w.join().unwrap()).collect();
    versions.sort_unstable();
    assert_eq!(versions, (2..=41).collect::<Vec<_>>(), "every version issued once");
    let store = SqliteKeyStore::open(&path, &master()).unwrap();
    assert_eq!(store.list("ns").unwrap().len(), 41);
}

#[test]
fn external_secret_expirations_round_trip_every_u64() {
    let dir = temp_dir("expiration");
    let store = SqliteKeyStore::open(&dir.join("ks.db"), &master()).unwrap();
    for (i, expiration) in [1u64, i64::MAX as u64, i64::MAX as u64 + 1, u64::MAX].into_iter().enumerate() {
        let mut record = hmac_record(b"secret");
        record.kind = SecretKind::External;
        record.algorithm = String::new();
        record.expiration = Some(expiration);
        store.insert_new("ns", &[i as u8 + 1], &record).unwrap();
        let stored = store.get("ns", &[i as u8 + 1], VersionSelector::Latest).unwrap();
        assert_eq!(stored.record.expiration, Some(expiration));
    }
}
