//! Many guest instances on many threads sharing one `Engine`, one `Module` and one SQLite
//! keystore: no deadlock (a watchdog bounds the run), no lost keystore write, and no instance
//! ever sees another's keys or results.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Barrier, mpsc};
use std::time::Duration;
use wasmcrypt::secrets::KeyStore;
use wasmcrypt::{AlgorithmType, CryptoCtx, InOut};
use wasmcrypt_keystore::{MasterKey, SqliteKeyStore};
use wasmcrypt_wasmtime::WasiCryptoCtx;
use wasmtime::{Engine, Instance, Linker, Module, Store, TypedFunc};
use wasmtime_wasi::WasiCtxBuilder;
use wasmtime_wasi::p1::WasiP1Ctx;

const THREADS: u32 = 8;
const INSTANCES_PER_THREAD: u32 = 2;
const PASSES: u32 = 4;
/// Rounds per `work` call; a multiple of 8, so that every call stores one managed key.
const ROUNDS_PER_PASS: u32 = 16;
/// The whole test must finish within this, or it is taken for a deadlock.
const WATCHDOG: Duration = Duration::from_secs(300);
const NAMESPACE: &str = "stress";

/// Builds the `stress-guest` module once per test run and returns its path.
fn stress_guest() -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let target = repo.join("guests/target");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--target", "wasm32-wasip1", "-p", "stress-guest", "--manifest-path"])
        .arg(repo.join("guests/Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building the stress guest failed (is the wasm32-wasip1 target installed?)");
    target.join("wasm32-wasip1/release/stress_guest.wasm")
}

struct Host {
    wasi: WasiP1Ctx,
    crypto: WasiCryptoCtx,
}

/// One guest instance and its exports.
struct Guest {
    seed: u32,
    store: Store<Host>,
    instance: Instance,
    work: TypedFunc<u32, u32>,
    rounds: TypedFunc<(), u32>,
    ciphertext: TypedFunc<(), u32>,
}

impl Guest {
    fn new(linker: &Linker<Host>, module: &Module, keystore: &Arc<SqliteKeyStore>, seed: u32) -> Self {
        let crypto = CryptoCtx::builder().key_store(keystore.clone()).namespace(NAMESPACE).build();
        // Half the contexts find their memory by export index, half by name.
        let crypto = WasiCryptoCtx::from_core(crypto);
        let crypto = if seed.is_multiple_of(2) { crypto.with_module(module) } else { crypto };
        let host = Host { wasi: WasiCtxBuilder::new().inherit_stderr().build_p1(), crypto };
        let mut store = Store::new(module.engine(), host);
        let instance = linker.instantiate(&mut store, module).unwrap();
        if let Ok(init) = instance.get_typed_func::<(), ()>(&mut store, "_initialize") {
            init.call(&mut store, ()).unwrap();
        }
        let setup: TypedFunc<u32, u32> = instance.get_typed_func(&mut store, "setup").unwrap();
        assert_eq!(setup.call(&mut store, seed).unwrap(), 0, "setup of instance {seed}");
        let work = instance.get_typed_func(&mut store, "work").unwrap();
        let rounds = instance.get_typed_func(&mut store, "rounds").unwrap();
        let ciphertext = instance.get_typed_func(&mut store, "ciphertext").unwrap();
        Self { seed, store, instance, work, rounds, ciphertext }
    }

    /// Runs one pass and checks the last round's ciphertext against a native computation.
    fn pass(&mut self) {
        let failure = self.work.call(&mut self.store, ROUNDS_PER_PASS).unwrap();
        assert_eq!(failure, 0, "instance {}: step {} failed with errno {}", self.seed, failure >> 8, failure & 0xff);
        let round = self.rounds.call(&mut self.store, ()).unwrap();
        let at = self.ciphertext.call(&mut self.store, ()).unwrap() as usize;
        let memory = self.instance.get_memory(&mut self.store, "memory").unwrap();
        let got = &memory.data(&self.store)[at..at + 48];
        assert_eq!(got, expected_ciphertext(self.seed, round), "instance {} round {round}", self.seed);
    }
}

/// The guest's message of `round` for instance `seed` (see guests/stress-guest).
fn message(seed: u32, round: u32) -> [u8; 32] {
    let mut m = [0u8; 32];
    m[..4].copy_from_slice(&seed.to_le_bytes());
    m[4..8].copy_from_slice(&round.to_le_bytes());
    for (j, b) in m.iter_mut().enumerate().skip(8) {
        *b = (seed as u8).wrapping_mul(7).wrapping_add(j as u8);
    }
    m
}

/// AES-128-GCM of the guest's message, with the guest's key and nonce, computed by the core.
fn expected_ciphertext(seed: u32, round: u32) -> Vec<u8> {
    let mut cx = CryptoCtx::new();
    let key: Vec<u8> = (0..4).flat_map(|_| seed.to_le_bytes()).collect();
    let mut nonce = [0u8; 12];
    nonce[..4].copy_from_slice(&round.to_le_bytes());
    nonce[4..8].copy_from_slice(&seed.to_le_bytes());
    let k = cx.symmetric_key_import("AES-128-GCM", &key).unwrap();
    let o = cx.options_open(AlgorithmType::Symmetric).unwrap();
    cx.options_set(o, "nonce", &nonce).unwrap();
    let s = cx.symmetric_state_open("AES-128-GCM", Some(k), Some(o)).unwrap();
    let mut out = vec![0u8; 48];
    let n = cx.symmetric_state_encrypt(s, InOut::separate(&message(seed, round), &mut out)).unwrap();
    assert_eq!(n, 48);
    out
}

#[test]
fn many_instances_share_one_engine_and_one_keystore() {
    let dir = std::env::temp_dir().join(format!("wasmcrypt-stress-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let keystore = Arc::new(SqliteKeyStore::open(&dir.join("keystore.db"), &MasterKey::from_bytes([7; 32])).unwrap());
    let engine = Engine::default();
    let module = Module::from_file(&engine, stress_guest()).unwrap();
    let mut linker = Linker::<Host>::new(&engine);
    wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |h: &mut Host| &mut h.wasi).unwrap();
    wasmcrypt_wasmtime::add_to_linker(&mut linker, |h: &mut Host| &mut h.crypto).unwrap();
    let linker = Arc::new(linker);

    // Distinct expected results per instance: a confusion could not go unnoticed.
    assert_ne!(expected_ciphertext(0, 1), expected_ciphertext(1, 1));

    let start = Arc::new(Barrier::new(THREADS as usize));
    let (done, finished) = mpsc::channel();
    for t in 0..THREADS {
        let (linker, module, keystore, start, done) =
            (linker.clone(), module.clone(), keystore.clone(), start.clone(), done.clone());
        std::thread::spawn(move || {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                start.wait();
                let mut guests: Vec<Guest> = (0..INSTANCES_PER_THREAD)
                    .map(|i| Guest::new(&linker, &module, &keystore, t * INSTANCES_PER_THREAD + i))
                    .collect();
                // The instances of a thread take turns, so that their calls interleave.
                for _ in 0..PASSES {
                    guests.iter_mut().for_each(Guest::pass);
                }
                guests.iter_mut().map(|g| g.rounds.call(&mut g.store, ()).unwrap()).sum::<u32>()
            }));
            let _ = done.send((
                t,
                outcome.map_err(|e| {
                    e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                }),
            ));
        });
    }
    drop(done);
    let mut rounds = 0;
    for _ in 0..THREADS {
        match finished.recv_timeout(WATCHDOG) {
            Ok((_, Ok(n))) => rounds += n,
            Ok((t, Err(message))) => panic!("thread {t} failed: {message:?}"),
            Err(e) => panic!("no thread finished within {WATCHDOG:?} (deadlock?): {e}"),
        }
    }
    let instances = THREADS * INSTANCES_PER_THREAD;
    assert_eq!(rounds, instances * PASSES * ROUNDS_PER_PASS);
    // One managed key per instance at setup, then one every 8 rounds: none lost.
    let stored = keystore.list(NAMESPACE).unwrap().len() as u32;
    assert_eq!(stored, instances * (1 + PASSES * ROUNDS_PER_PASS / 8));
    drop(keystore);
    std::fs::remove_dir_all(&dir).ok();
}
