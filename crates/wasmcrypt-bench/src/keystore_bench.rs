//! `cargo run --release -p wasmcrypt-bench -- keystore`: managed-key lookups
//! (`symmetric_key_from_id`, `keypair_from_id`, latest version) through the secrets manager,
//! on a SQLite file and on PostgreSQL on loopback (a throwaway cluster; TCP, no TLS), with 1
//! and 8 hosts. Each host is a thread with its own store (its own connection pool) and its own
//! `CryptoCtx`, as separate processes would have. Every call is timed; the table gives the
//! median and 99th percentile latency and the throughput of all hosts together.

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};
use wasmcrypt::CryptoCtx;
use wasmcrypt::secrets::operator::{OperatorPolicy, generate_record};
use wasmcrypt::secrets::{KeyStore, VERSION_LATEST};
use wasmcrypt_keystore::test_cluster::TestCluster;
use wasmcrypt_keystore::{KeystoreLocation, MasterKey, StoreOptions, open_store};

/// How long each host looks keys up, per row.
const WINDOW: Duration = Duration::from_secs(3);
const NAMESPACE: &str = "bench";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lookup {
    Symmetric,
    KeyPair,
}

struct Row {
    p50_us: f64,
    p99_us: f64,
    per_second: f64,
}

fn master() -> MasterKey {
    MasterKey::from_bytes([7; 32])
}

fn open(location: &KeystoreLocation) -> Arc<dyn KeyStore> {
    let store = open_store(location, &master(), StoreOptions::default()).expect("open the keystore");
    Arc::<dyn wasmcrypt_keystore::AdminStore>::from(store)
}

fn provision(location: &KeystoreLocation) {
    let store = open(location);
    let policy = OperatorPolicy { exportable: false, guest_mutable: false };
    for (id, algorithm) in [("sym", "HMAC/SHA-256"), ("kp", "Ed25519")] {
        let record = generate_record(algorithm, policy).expect("generate");
        // Already there from an earlier row: fine.
        let _ = store.insert_new(NAMESPACE, id.as_bytes(), &record);
    }
}

/// One host: looks the key up until `deadline`; the latency of every call, in ns.
fn host(location: &KeystoreLocation, lookup: Lookup, start: &Barrier) -> Vec<u64> {
    let store = open(location);
    let mut ctx = CryptoCtx::builder().key_store(store).namespace(NAMESPACE).build();
    let sm = ctx.secrets_manager_open(None).expect("secrets manager");
    // Warm the pool.
    let _ = ctx.symmetric_key_from_id(sm, b"sym", VERSION_LATEST).map(|h| ctx.symmetric_key_close(h));
    start.wait();
    let deadline = Instant::now() + WINDOW;
    let mut latencies = Vec::with_capacity(1 << 16);
    while Instant::now() < deadline {
        let t = Instant::now();
        match lookup {
            Lookup::Symmetric => {
                let h = ctx.symmetric_key_from_id(sm, b"sym", VERSION_LATEST).expect("lookup");
                ctx.symmetric_key_close(h).expect("close");
            }
            Lookup::KeyPair => {
                let h = ctx.keypair_from_id(sm, b"kp", VERSION_LATEST).expect("lookup");
                ctx.keypair_close(h).expect("close");
            }
        }
        latencies.push(t.elapsed().as_nanos() as u64);
    }
    latencies
}

fn run(location: &KeystoreLocation, lookup: Lookup, hosts: usize) -> Row {
    let start = Arc::new(Barrier::new(hosts));
    let threads: Vec<_> = (0..hosts)
        .map(|_| {
            let (location, start) = (location.clone(), start.clone());
            std::thread::spawn(move || host(&location, lookup, &start))
        })
        .collect();
    let mut all: Vec<u64> = threads.into_iter().flat_map(|t| t.join().expect("host thread")).collect();
    all.sort_unstable();
    let at = |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)] as f64 / 1000.0;
    Row { p50_us: at(0.50), p99_us: at(0.99), per_second: all.len() as f64 / WINDOW.as_secs_f64() }
}

/// Runs the keystore table.
pub fn keystore() {
    let dir = std::env::temp_dir().join(format!("wasmcrypt-bench-keystore-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut backends = vec![("SQLite file", KeystoreLocation::File(dir.join("bench.db")))];
    let cluster = match TestCluster::start() {
        Ok(cluster) => Some(cluster),
        Err(why) => {
            println!("PostgreSQL rows skipped: {why}");
            None
        }
    };
    if let Some(cluster) = &cluster {
        let url = cluster.create_database("bench").expect("create the database");
        backends.push(("PostgreSQL, loopback", KeystoreLocation::Postgres(url)));
    }
    println!("{:<22} {:<22} {:>5} {:>10} {:>10} {:>12}", "keystore", "call", "hosts", "p50 µs", "p99 µs", "lookups/s");
    for (name, location) in &backends {
        provision(location);
        for (call, lookup) in [("symmetric_key_from_id", Lookup::Symmetric), ("keypair_from_id", Lookup::KeyPair)] {
            for hosts in [1, 8] {
                let row = run(location, lookup, hosts);
                println!(
                    "{name:<22} {call:<22} {hosts:>5} {:>10.1} {:>10.1} {:>12.0}",
                    row.p50_us, row.p99_us, row.per_second
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
