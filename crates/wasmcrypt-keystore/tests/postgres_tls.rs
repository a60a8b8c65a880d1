//! TLS to PostgreSQL through rustls, for each `sslmode`, against a throwaway cluster whose
//! certificate (made by `openssl`) is for the DNS name `localhost` only.

use wasmcrypt::secrets::{KeyStore, StoreError, VersionSelector};
use wasmcrypt_keystore::test_cluster::{ENV_REQUIRE_POSTGRES, TEST_PASSWORD, TEST_USER, TestCluster};
use wasmcrypt_keystore::{MasterKey, PgKeyStore};

fn open(url: &str) -> Result<PgKeyStore, StoreError> {
    PgKeyStore::open(url, &MasterKey::from_bytes([9; 32]))
}

/// How many connections named `app` are encrypted.
fn tls_connections(cluster: &TestCluster, app: &str) -> u64 {
    let mut client = postgres::Client::connect(&cluster.url("postgres"), postgres::NoTls).unwrap();
    let row = client
        .query_one(
            "SELECT COUNT(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
             WHERE a.application_name = $1 AND s.ssl",
            &[&app],
        )
        .unwrap();
    row.get::<_, i64>(0) as u64
}

#[test]
fn ssl_modes_encrypt_and_verify_as_libpq_does() {
    let Some(cluster) = TestCluster::start_or_skip("ssl_modes_encrypt_and_verify_as_libpq_does") else { return };
    if !cluster.has_tls() {
        assert!(
            std::env::var(ENV_REQUIRE_POSTGRES).is_err(),
            "the test cluster has no TLS certificate (is openssl installed?)"
        );
        eprintln!("notice: TLS test skipped: openssl could not make a certificate");
        return;
    }
    cluster.create_database("tls").unwrap();
    let port = cluster.port();
    let ca = cluster.ca_file();
    let ca = ca.display();
    let url = |host: &str, mode: &str| {
        format!(
            "postgres://{TEST_USER}:{TEST_PASSWORD}@{host}:{port}/tls?sslmode={mode}&sslrootcert={ca}&application_name={mode}"
        )
    };
    // verify-full: the chain and the name.
    let store = open(&url("localhost", "verify-full")).unwrap();
    store.insert_new("ns", b"k", &record()).unwrap();
    assert_eq!(tls_connections(&cluster, "verify-full"), 1, "the pooled connection is encrypted");
    drop(store);
    // The certificate is not for 127.0.0.1: verify-full refuses, verify-ca accepts.
    let e = open(&url("127.0.0.1", "verify-full")).unwrap_err();
    assert!(matches!(&e, StoreError::Unavailable(m) if m.to_lowercase().contains("certificate")), "{e:?}");
    let store = open(&url("127.0.0.1", "verify-ca")).unwrap();
    assert_eq!(store.get("ns", b"k", VersionSelector::Latest).unwrap().version, 1);
    drop(store);
    // Without the test CA the chain does not verify (the system's roots do not know it).
    let e =
        open(&format!("postgres://{TEST_USER}:{TEST_PASSWORD}@localhost:{port}/tls?sslmode=verify-full")).unwrap_err();
    assert!(matches!(&e, StoreError::Unavailable(_) | StoreError::Backend(_)), "{e:?}");
    // require and prefer encrypt without checking.
    for mode in ["require", "prefer"] {
        let store = open(&format!(
            "postgres://{TEST_USER}:{TEST_PASSWORD}@127.0.0.1:{port}/tls?sslmode={mode}&application_name={mode}"
        ))
        .unwrap();
        assert_eq!(tls_connections(&cluster, mode), 1, "{mode}");
        drop(store);
    }
    let store = open(&format!("{}&application_name=plain", cluster.url("tls"))).unwrap();
    assert_eq!(tls_connections(&cluster, "plain"), 0, "sslmode=disable");
    drop(store);
}

fn record() -> wasmcrypt::secrets::SecretRecord {
    wasmcrypt::secrets::SecretRecord {
        kind: wasmcrypt::secrets::SecretKind::Symmetric,
        algorithm: "HMAC/SHA-256".into(),
        material: zeroize::Zeroizing::new(vec![1; 32]),
        exportable: false,
        expiration: None,
        guest_mutable: false,
    }
}
