//! `cargo run --release -p wasmcrypt-bench`: measures WASI-crypto calls made by a real guest
//! through the real linker, beside the same operation on the native backend in the same process,
//! and prints the ratios.
//!
//! Method: each measurement calibrates a batch size until one batch takes at least 20 ms, then
//! takes 11 samples of about 100 ms and reports the median time per operation.
//!
//! Then, for AEAD and signatures, it runs one instance on one thread and two instances (one
//! `Engine`, one `Module`, a `Store` each) on two threads for [`SCALING_WINDOW`] each, and prints
//! the throughput ratio (2 on 2 cores would be perfect scaling).
//!
//! Component rows (`component:`) run the same loops from a wasm32-wasip2 component through the
//! component ABI, whose lists the canonical ABI copies in and out.
//!
//! `-- overhead` measures only the SHA-256 absorb rows (the per-call overhead); `-- scaling`
//! only the two-thread table; `-- families` the AES-GCM and SHA-256 rows and the hash, XOF, MAC
//! and cipher families of the spec's optional list (SHA-3 … AEGIS, at 1 MiB); `-- asymmetric`
//! only the signature, key-exchange and KEM rows; `-- password` only the password-hash rows;
//! `-- components` the component rows beside their module counterparts;
//! `-- keystore` managed-key lookups on SQLite and PostgreSQL (`keystore_bench.rs`).

mod families;
mod keystore_bench;

mod component;

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Barrier;
use std::time::{Duration, Instant};
use wasmcrypt::symmetric::AesGcmBackend;
use wasmcrypt_wasmtime::WasiCryptoCtx;
use wasmtime::{Engine, Instance, Linker, Module, Store, TypedFunc, Val};
use wasmtime_wasi::WasiCtxBuilder;
use wasmtime_wasi::p1::WasiP1Ctx;

struct Host {
    wasi: WasiP1Ctx,
    crypto: WasiCryptoCtx,
}

/// How many operations of `run(n)` (which performs `n`) take about `seconds`.
fn batch_for(run: &mut impl FnMut(u32), seconds: f64) -> u32 {
    let mut n = 1u32;
    loop {
        let t = Instant::now();
        run(n);
        if t.elapsed() >= Duration::from_millis(20) || n >= 1 << 30 {
            break;
        }
        n = n.saturating_mul(2);
    }
    let t = Instant::now();
    run(n);
    let per_op = t.elapsed().as_secs_f64() / f64::from(n);
    ((seconds / per_op) as u32).max(1)
}

/// Median nanoseconds per operation of `run(n)`, which performs `n` operations.
fn measure(mut run: impl FnMut(u32)) -> f64 {
    let n = batch_for(&mut run, 0.1);
    let mut samples: Vec<f64> = (0..11)
        .map(|_| {
            let t = Instant::now();
            run(n);
            t.elapsed().as_secs_f64() * 1e9 / f64::from(n)
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[5]
}

fn build_guest() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let target = root.join("guests/target");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--target", "wasm32-wasip1", "-p", "bench-guest", "--manifest-path"])
        .arg(root.join("guests/Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building the bench guest failed");
    target.join("wasm32-wasip1/release/bench_guest.wasm")
}

/// An instance of `module`, whose `WasiCryptoCtx` knows the module
/// ([`WasiCryptoCtx::with_module`]) if `by_index`.
fn instantiate_with(module: &Module, by_index: bool) -> wasmtime::Result<(Store<Host>, Instance)> {
    let engine = module.engine();
    let mut linker = Linker::<Host>::new(engine);
    wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |h: &mut Host| &mut h.wasi)?;
    wasmcrypt_wasmtime::add_to_linker(&mut linker, |h: &mut Host| &mut h.crypto)?;
    let crypto = if by_index { WasiCryptoCtx::new().with_module(module) } else { WasiCryptoCtx::new() };
    let host = Host { wasi: WasiCtxBuilder::new().build_p1(), crypto };
    let mut store = Store::new(engine, host);
    let instance = linker.instantiate(&mut store, module)?;
    if let Ok(init) = instance.get_typed_func::<(), ()>(&mut store, "_initialize") {
        init.call(&mut store, ())?;
    }
    Ok((store, instance))
}

/// An instance of `module` set up as embedders should: with [`WasiCryptoCtx::with_module`].
fn instantiate(module: &Module) -> wasmtime::Result<(Store<Host>, Instance)> {
    instantiate_with(module, true)
}

/// Median nanoseconds per operation of a guest loop `f(store, n)` that returns its failure count.
fn guest_ns(store: &mut Store<Host>, f: &mut dyn FnMut(&mut Store<Host>, u32) -> u32) -> f64 {
    measure(|n| assert_eq!(f(store, n), 0, "a WASI-crypto call failed in the guest"))
}

/// Signatures, key exchange and KEM: the guest loops beside aws-lc-rs, the fastest native
/// backend for these on this machine, with keys parsed once (as wasmcrypt keeps them).
fn asymmetric_rows(store: &mut Store<Host>, instance: &Instance) -> wasmtime::Result<Vec<Row>> {
    use aws_lc_rs::signature::{self, KeyPair};
    use aws_lc_rs::{agreement, kem, rand::SystemRandom};
    let sign: TypedFunc<(u32, u32), u32> = instance.get_typed_func(&mut *store, "sign")?;
    let verify: TypedFunc<(u32, u32), u32> = instance.get_typed_func(&mut *store, "verify")?;
    let x25519: TypedFunc<u32, u32> = instance.get_typed_func(&mut *store, "x25519")?;
    let x448: TypedFunc<u32, u32> = instance.get_typed_func(&mut *store, "x448")?;
    let mlkem: TypedFunc<(u32, u32), u32> = instance.get_typed_func(&mut *store, "mlkem768")?;
    let msg = [9u8; 64];
    let rng = SystemRandom::new();
    let mut rows = Vec::new();

    let ed = signature::Ed25519KeyPair::generate().unwrap();
    let ed_sig = ed.sign(&msg);
    let ed_pk = signature::ParsedPublicKey::new(&signature::ED25519, ed.public_key().as_ref()).unwrap();
    let ecdsa = |signing, verifying| {
        let kp = signature::EcdsaKeyPair::generate(signing).unwrap();
        let sig = kp.sign(&rng, &msg).unwrap();
        let pk = signature::ParsedPublicKey::new(verifying, kp.public_key().as_ref()).unwrap();
        (kp, sig, pk)
    };
    let p256 = ecdsa(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &signature::ECDSA_P256_SHA256_FIXED);
    let p384 = ecdsa(&signature::ECDSA_P384_SHA384_FIXED_SIGNING, &signature::ECDSA_P384_SHA384_FIXED);
    // Ed448: the native backend is ed448-goldilocks (aws-lc-rs has no Ed448).
    let ed448 = ed448_goldilocks::SigningKey::from(ed448_goldilocks::SecretKey::from([7u8; 57]));
    let ed448_sig = ed448.sign_raw(&msg);
    let ed448_pk = ed448.verifying_key();
    // ML-DSA-65: aws-lc-rs, as in the host.
    let mldsa = signature::PqdsaKeyPair::generate(&signature::ML_DSA_65_SIGNING).unwrap();
    let mut mldsa_sig = vec![0u8; signature::ML_DSA_65_SIGNING.signature_len()];
    mldsa.sign(&msg, &mut mldsa_sig).unwrap();
    let mldsa_pk = signature::ParsedPublicKey::new(&signature::ML_DSA_65, mldsa.public_key().as_ref()).unwrap();

    let natives: [(&str, u32, f64, f64); 5] = [
        (
            "Ed25519",
            0,
            measure(|n| {
                (0..n).for_each(|_| {
                    std::hint::black_box(ed.sign(&msg));
                })
            }),
            measure(|n| (0..n).for_each(|_| ed_pk.verify_sig(&msg, ed_sig.as_ref()).unwrap())),
        ),
        (
            "ECDSA P-256",
            1,
            measure(|n| {
                (0..n).for_each(|_| {
                    std::hint::black_box(p256.0.sign(&rng, &msg).unwrap());
                })
            }),
            measure(|n| (0..n).for_each(|_| p256.2.verify_sig(&msg, p256.1.as_ref()).unwrap())),
        ),
        (
            "ECDSA P-384",
            2,
            measure(|n| {
                (0..n).for_each(|_| {
                    std::hint::black_box(p384.0.sign(&rng, &msg).unwrap());
                })
            }),
            measure(|n| (0..n).for_each(|_| p384.2.verify_sig(&msg, p384.1.as_ref()).unwrap())),
        ),
        (
            "Ed448",
            3,
            measure(|n| {
                (0..n).for_each(|_| {
                    std::hint::black_box(ed448.sign_raw(&msg));
                })
            }),
            measure(|n| (0..n).for_each(|_| ed448_pk.verify_raw(&ed448_sig, &msg).unwrap())),
        ),
        (
            "ML-DSA-65",
            4,
            measure(|n| {
                let mut sig = vec![0u8; mldsa_sig.len()];
                (0..n).for_each(|_| {
                    std::hint::black_box(mldsa.sign(&msg, &mut sig).unwrap());
                })
            }),
            measure(|n| (0..n).for_each(|_| mldsa_pk.verify_sig(&msg, &mldsa_sig).unwrap())),
        ),
    ];
    let mut guest_mldsa = (0.0, 0.0);
    for (name, alg, native_sign, native_verify) in natives {
        let g_sign = guest_ns(store, &mut |s, n| sign.call(s, (alg, n)).unwrap());
        rows.push(Row { name: format!("{name} sign 64 B"), guest_ns: g_sign, native_ns: native_sign, bytes: None });
        let g_verify = guest_ns(store, &mut |s, n| verify.call(s, (alg, n)).unwrap());
        rows.push(Row {
            name: format!("{name} verify 64 B"),
            guest_ns: g_verify,
            native_ns: native_verify,
            bytes: None,
        });
        if alg == 4 {
            guest_mldsa = (g_sign, g_verify);
        }
    }
    // The other well-kept ML-DSA backend, RustCrypto `ml-dsa` (deterministic signing), beside
    // the same guest figures: why the host uses aws-lc-rs.
    use ml_dsa::Keypair as _;
    let rc = ml_dsa::SigningKey::<ml_dsa::MlDsa65>::from_seed(&ml_dsa::Seed::from([7u8; 32]));
    let rc_sig = rc.expanded_key().sign_deterministic(&msg, &[]).unwrap();
    let rc_vk = rc.verifying_key();
    let native = measure(|n| {
        (0..n).for_each(|_| {
            std::hint::black_box(rc.expanded_key().sign_deterministic(&msg, &[]).unwrap());
        })
    });
    rows.push(Row {
        name: "ML-DSA-65 sign, vs RustCrypto ml-dsa".into(),
        guest_ns: guest_mldsa.0,
        native_ns: native,
        bytes: None,
    });
    let native = measure(|n| (0..n).for_each(|_| assert!(rc_vk.verify_with_context(&msg, &[], &rc_sig))));
    rows.push(Row {
        name: "ML-DSA-65 verify, vs RustCrypto ml-dsa".into(),
        guest_ns: guest_mldsa.1,
        native_ns: native,
        bytes: None,
    });

    let ours = agreement::PrivateKey::generate(&agreement::X25519).unwrap();
    let peer = agreement::PrivateKey::generate(&agreement::X25519).unwrap().compute_public_key().unwrap();
    let native = measure(|n| {
        for _ in 0..n {
            let peer = agreement::UnparsedPublicKey::new(&agreement::X25519, peer.as_ref());
            agreement::agree(&ours, peer, (), |k| Ok(std::hint::black_box(k[0]))).unwrap();
        }
    });
    let g = guest_ns(store, &mut |s, n| x25519.call(s, n).unwrap());
    rows.push(Row { name: "X25519 DH (static key)".into(), guest_ns: g, native_ns: native, bytes: None });

    // X448: the native backend is the x448 crate (aws-lc-rs has no X448).
    let (ours, peer) =
        ([3u8; 56], x448::x448_unchecked([5u8; 56], *ed448_goldilocks::MontgomeryPoint::GENERATOR.as_bytes()));
    let native = measure(|n| {
        (0..n).for_each(|_| {
            std::hint::black_box(x448::x448_unchecked(ours, peer));
        })
    });
    let g = guest_ns(store, &mut |s, n| x448.call(s, n).unwrap());
    rows.push(Row { name: "X448 DH (static key)".into(), guest_ns: g, native_ns: native, bytes: None });

    let dk = kem::DecapsulationKey::generate(&kem::ML_KEM_768).unwrap();
    let ek = dk.encapsulation_key().unwrap();
    let (ct, _) = ek.encapsulate().unwrap();
    let ct = ct.as_ref().to_vec();
    let native = measure(|n| (0..n).for_each(|_| drop(std::hint::black_box(ek.encapsulate().unwrap()))));
    let g = guest_ns(store, &mut |s, n| mlkem.call(s, (0, n)).unwrap());
    rows.push(Row { name: "ML-KEM-768 encapsulate".into(), guest_ns: g, native_ns: native, bytes: None });
    let native = measure(|n| {
        (0..n).for_each(|_| {
            std::hint::black_box(dk.decapsulate(kem::Ciphertext::from(ct.as_slice())).unwrap());
        })
    });
    let g = guest_ns(store, &mut |s, n| mlkem.call(s, (1, n)).unwrap());
    rows.push(Row { name: "ML-KEM-768 decapsulate".into(), guest_ns: g, native_ns: native, bytes: None });
    Ok(rows)
}

/// Argon2id (m = 64 MiB, t = 3, p = 1) and scrypt (N = 2^15, r = 8, p = 1) from the guest, with
/// its own memory lent as scratch buffer, beside the `argon2` and `scrypt` crates at the same
/// parameters. The native Argon2 reuses one preallocated memory, as the guest does; the `scrypt`
/// crate allocates its 32 MiB per call (it has no other API).
fn password_rows(store: &mut Store<Host>, instance: &Instance) -> wasmtime::Result<Vec<Row>> {
    let hash: TypedFunc<(u32, u32), u32> = instance.get_typed_func(&mut *store, "password_hash")?;
    let (password, salt) = (b"correct horse battery staple", [3u8; 16]);
    let mut key = [0u8; 32];
    let params = argon2::Params::new(64 << 10, 3, 1, Some(32)).unwrap();
    let argon2 = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut blocks = vec![argon2::Block::default(); 64 << 10];
    let native_argon2 = measure(|n| {
        for _ in 0..n {
            argon2.hash_password_into_with_memory(password, &salt, &mut key, &mut blocks).unwrap();
        }
    });
    let params = scrypt::Params::new(15, 8, 1).unwrap();
    let native_scrypt = measure(|n| {
        for _ in 0..n {
            scrypt::scrypt(password, &salt, &params, &mut key).unwrap();
        }
    });
    let mut rows = Vec::new();
    for (alg, name, native_ns) in
        [(0, "Argon2id m=64 MiB, t=3, p=1", native_argon2), (1, "scrypt N=2^15, r=8, p=1", native_scrypt)]
    {
        let guest_ns = guest_ns(store, &mut |s, n| hash.call(s, (alg, n)).unwrap());
        rows.push(Row { name: name.into(), guest_ns, native_ns, bytes: None });
    }
    Ok(rows)
}

struct Row {
    name: String,
    guest_ns: f64,
    native_ns: f64,
    bytes: Option<usize>,
}

/// How long each thread of a scaling measurement runs.
const SCALING_WINDOW: Duration = Duration::from_secs(2);

/// Operations per second of `threads` instances of `module`, one per thread, each calling the
/// export `name` with `args(batch)` (which performs `batch` operations) for [`SCALING_WINDOW`].
fn throughput(module: &Module, threads: usize, name: &str, args: Args, batch: u32) -> f64 {
    let start = Barrier::new(threads);
    let ops_per_sec: Vec<f64> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let (mut store, instance) = instantiate(module).unwrap();
                    let f = instance.get_func(&mut store, name).unwrap();
                    let (params, mut failures) = (args(batch), [Val::I32(-1)]);
                    let mut call = |store: &mut Store<Host>| {
                        f.call(store, &params, &mut failures).unwrap();
                        assert_eq!(failures[0].unwrap_i32(), 0, "{name} failed in the guest");
                    };
                    call(&mut store);
                    start.wait();
                    let (t, mut ops) = (Instant::now(), 0u64);
                    while t.elapsed() < SCALING_WINDOW {
                        call(&mut store);
                        ops += u64::from(batch);
                    }
                    ops as f64 / t.elapsed().as_secs_f64()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    ops_per_sec.iter().sum()
}

/// The guest arguments of a batch of `n` operations.
type Args = fn(u32) -> Vec<Val>;

/// One instance on one thread against two instances on two threads, for AEAD and signatures.
fn scaling(module: &Module) {
    fn i32s(v: &[u32]) -> Vec<Val> {
        v.iter().map(|&x| Val::I32(x as i32)).collect()
    }
    let rows: [(&str, &str, Args, u32); 4] = [
        ("AES-128-GCM seal 16 KiB, in place", "seal_aes128gcm", |n| i32s(&[n, 16 << 10, 1]), 200),
        ("AES-128-GCM seal 1 MiB, in place", "seal_aes128gcm", |n| i32s(&[n, 1 << 20, 1]), 4),
        ("Ed25519 sign 64 B", "sign", |n| i32s(&[0, n]), 200),
        ("ECDSA P-256 sign 64 B", "sign", |n| i32s(&[1, n]), 100),
    ];
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!();
    println!("Two instances on two threads against one (one Engine and Module, {cores} cores visible):");
    println!();
    println!("| operation | 1 instance, 1 thread | 2 instances, 2 threads | scaling |");
    println!("|---|---|---|---|");
    for (label, name, args, batch) in rows {
        let one = throughput(module, 1, name, args, batch);
        let two = throughput(module, 2, name, args, batch);
        println!("| {label} | {one:.0} op/s | {two:.0} op/s | {:.2}× |", two / one);
    }
}

fn main() -> wasmtime::Result<()> {
    if std::env::args().nth(1).as_deref() == Some("keystore") {
        keystore_bench::keystore();
        return Ok(());
    }
    let wasm = build_guest();
    let engine = Engine::default();
    let module = Module::from_file(&engine, &wasm)?;
    let mode = std::env::args().nth(1).unwrap_or_default();
    if mode == "scaling" {
        scaling(&module);
        return Ok(());
    }
    let (mut store, instance) = instantiate(&module)?;
    let seal: TypedFunc<(u32, u32, u32), u32> = instance.get_typed_func(&mut store, "seal_aes128gcm")?;
    let absorb: TypedFunc<(u32, u32), u32> = instance.get_typed_func(&mut store, "absorb_sha256")?;
    let mut guest = |f: &mut dyn FnMut(&mut Store<Host>, u32) -> u32| guest_ns(&mut store, f);

    const MIB: usize = 1 << 20;
    const SEALS: [(&str, usize, u32); 3] = [
        ("AES-128-GCM seal 1 MiB, in place", MIB, 1),
        ("AES-128-GCM seal 1 MiB, separate output", MIB, 0),
        ("AES-128-GCM seal 64 B, in place", 64, 1),
    ];
    let backend = wasmcrypt::symmetric::aes_gcm_backend();
    let mut buf = vec![7u8; MIB];
    let native_seal = |buf: &mut Vec<u8>, len: usize| native_aes_gcm_seal(backend, &mut buf[..len]);
    let native_absorb = |len: usize| {
        let data = vec![5u8; len];
        let mut h = Sha256::new();
        let ns = measure(|n| {
            for _ in 0..n {
                h.update(std::hint::black_box(&data));
            }
        });
        std::hint::black_box(h.finalize());
        ns
    };

    let mut rows = Vec::new();
    if mode == "password" {
        rows.extend(password_rows(&mut store, &instance)?);
        print_rows(rows);
        return Ok(());
    }
    // `-- asymmetric` runs the signature, key-exchange and KEM rows only.
    let seals: &[(&str, usize, u32)] = match mode.as_str() {
        "overhead" | "asymmetric" => &[],
        "components" => &SEALS[..2],
        _ => &SEALS,
    };
    for &(name, len, in_place) in seals {
        let guest_ns = guest(&mut |s, n| seal.call(s, (n, len as u32, in_place)).unwrap());
        rows.push(Row { name: name.into(), guest_ns, native_ns: native_seal(&mut buf, len), bytes: Some(len) });
    }
    let absorbs: &[(&str, usize)] = if mode == "asymmetric" {
        &[]
    } else {
        &[("SHA-256 absorb 64 B", 64), ("SHA-256 absorb 0 B (call overhead)", 0)]
    };
    for &(name, len) in absorbs {
        let guest_ns = guest(&mut |s, n| absorb.call(s, (n, len as u32)).unwrap());
        rows.push(Row { name: name.into(), guest_ns, native_ns: native_absorb(len), bytes: None });
    }
    let mut bench =
        component::BenchComponent::new(&wasmtime::Engine::new(wasmtime::Config::new().wasm_component_model(true))?)?;
    let component_seals: &[(&str, usize)] = if mode == "overhead" {
        &[]
    } else {
        &[("component: AES-128-GCM seal 1 MiB (lists copied)", MIB), ("component: AES-128-GCM seal 64 B", 64)]
    };
    for &(name, len) in component_seals {
        let guest_ns = measure(|n| assert_eq!(bench.call(|b| &b.seal, n, len as u32), 0));
        rows.push(Row { name: name.into(), guest_ns, native_ns: native_seal(&mut buf, len), bytes: Some(len) });
    }
    for (name, len) in
        [("component: SHA-256 absorb 64 B", 64usize), ("component: SHA-256 absorb 0 B (call overhead)", 0)]
    {
        let guest_ns = measure(|n| assert_eq!(bench.call(|b| &b.absorb, n, len as u32), 0));
        rows.push(Row { name: name.into(), guest_ns, native_ns: native_absorb(len), bytes: None });
    }
    // The 64-byte absorb of a component against a module's, timed in alternating batches so
    // that a burst of load on the shared machine hits both sides of a ratio alike.
    let absorb_ratio = paired_ratio(
        |n| assert_eq!(absorb.call(&mut store, (n, 64)).unwrap(), 0),
        |n| assert_eq!(bench.call(|b| &b.absorb, n, 64), 0),
    );
    let other = match backend {
        AesGcmBackend::Ring => AesGcmBackend::AwsLc,
        AesGcmBackend::AwsLc => AesGcmBackend::Ring,
    };
    let component_seal =
        rows.iter().find(|r| r.name.starts_with("component: AES-128-GCM seal 1 MiB")).map(|r| r.guest_ns);
    let other_seal = (backend, other, native_seal(&mut buf, MIB), native_aes_gcm_seal(other, &mut buf));
    if mode == "components" {
        print_rows(rows);
        print_component_ratio(absorb_ratio);
        print_backends(other_seal, component_seal);
        return Ok(());
    }
    // The same call when the context finds the caller's memory by name.
    let (mut by_name, by_name_instance) = instantiate_with(&module, false)?;
    let absorb_by_name: TypedFunc<(u32, u32), u32> = by_name_instance.get_typed_func(&mut by_name, "absorb_sha256")?;
    let guest_ns = guest_ns(&mut by_name, &mut |s, n| absorb_by_name.call(s, (n, 0)).unwrap());
    let name = "SHA-256 absorb 0 B, memory looked up by name";
    rows.push(Row { name: name.into(), guest_ns, native_ns: native_absorb(0), bytes: None });

    if mode != "overhead" && mode != "families" {
        rows.extend(asymmetric_rows(&mut store, &instance)?);
    }
    if mode != "overhead" && mode != "asymmetric" {
        rows.extend(families::family_rows(&mut store, &instance)?);
    }
    if mode.is_empty() {
        rows.extend(password_rows(&mut store, &instance)?);
    }
    print_rows(rows);
    print_component_ratio(absorb_ratio);
    print_backends(other_seal, component_seal);
    if mode.is_empty() {
        scaling(&module);
    }
    Ok(())
}

/// The median time of a native AES-128-GCM seal of `buf`, in place, on `backend` (aws-lc-rs
/// mirrors ring's `aead` API, so one loop serves both).
fn native_aes_gcm_seal(backend: AesGcmBackend, buf: &mut [u8]) -> f64 {
    macro_rules! seal_loop {
        ($backend:ident) => {{
            use $backend::aead::{AES_128_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
            let key = LessSafeKey::new(UnboundKey::new(&AES_128_GCM, &[1; 16]).unwrap());
            measure(|n| {
                for _ in 0..n {
                    let nonce = Nonce::assume_unique_for_key([2; 12]);
                    let tag = key.seal_in_place_separate_tag(nonce, Aad::empty(), buf).unwrap();
                    let _ = std::hint::black_box(tag);
                }
            })
        }};
    }
    match backend {
        AesGcmBackend::Ring => seal_loop!(ring),
        AesGcmBackend::AwsLc => seal_loop!(aws_lc_rs),
    }
}

/// Prints which backend wasmcrypt chose for AES-GCM on this CPU, the other backend's native
/// time, and the component seal of 1 MiB against both.
fn print_backends(
    (chosen, other, chosen_ns, other_ns): (AesGcmBackend, AesGcmBackend, f64, f64),
    component: Option<f64>,
) {
    println!();
    println!(
        "AES-GCM backend on this CPU: {} ({chosen_ns:.0} ns per 1 MiB seal natively); {} takes {other_ns:.0} ns ({:.2}× the chosen one's time)",
        chosen.name(),
        other.name(),
        other_ns / chosen_ns
    );
    if let Some(component) = component {
        println!(
            "component AES-128-GCM seal 1 MiB, throughput vs native: {:.2}× {}, {:.2}× {}",
            chosen_ns / component,
            chosen.name(),
            other_ns / component,
            other.name()
        );
    }
}

/// The ratio of `b`'s time per operation to `a`'s, from 21 pairs of ~50 ms batches run
/// alternately: the median, the lowest and the highest.
fn paired_ratio(mut a: impl FnMut(u32), mut b: impl FnMut(u32)) -> (f64, f64, f64) {
    let (n_a, n_b) = (batch_for(&mut a, 0.05), batch_for(&mut b, 0.05));
    let time = |run: &mut dyn FnMut(u32), n: u32| {
        let t = Instant::now();
        run(n);
        t.elapsed().as_secs_f64() / f64::from(n)
    };
    let mut ratios: Vec<f64> = (0..21).map(|_| time(&mut b, n_b) / time(&mut a, n_a)).collect();
    ratios.sort_by(f64::total_cmp);
    (ratios[10], ratios[0], ratios[20])
}

/// Prints how much longer a 64-byte absorb takes from a component than from a module.
fn print_component_ratio((median, low, high): (f64, f64, f64)) {
    println!();
    println!(
        "SHA-256 absorb 64 B, component ÷ module time, 21 alternating pairs: median {median:.2}× (range {low:.2}–{high:.2}×)"
    );
}

/// Prints the table of guest against native times.
fn print_rows(rows: Vec<Row>) {
    println!("| operation | guest via wasmcrypt | native, same process | guest ÷ native time | throughput ratio |");
    println!("|---|---|---|---|---|");
    for r in rows {
        let fmt = |ns: f64| match r.bytes {
            Some(b) if b >= 1024 => format!("{ns:.0} ns ({:.2} GB/s)", b as f64 / ns),
            _ if ns >= 1000.0 => format!("{:.1} µs ({:.1} k/s)", ns / 1000.0, 1e6 / ns),
            _ => format!("{ns:.1} ns"),
        };
        println!(
            "| {} | {} | {} | {:.2}× | {:.2}× native |",
            r.name,
            fmt(r.guest_ns),
            fmt(r.native_ns),
            r.guest_ns / r.native_ns,
            r.native_ns / r.guest_ns
        );
    }
}
