//! Replays the committed corpora (`fuzz/corpus/<target>/`) and the generated seeds through the
//! fuzz targets, on stable: `cargo test --workspace` runs it in CI.

use std::path::PathBuf;
use wasmcrypt::symmetric::Family;
use wasmcrypt_fuzz::{TARGETS, abi, api, decoders, seeds};

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    files.sort();
    files.into_iter().map(|p| (p.clone(), std::fs::read(&p).expect("corpus file"))).collect()
}

fn replay(target: &str) {
    let (_, run) = TARGETS.iter().find(|(name, _)| *name == target).expect("target");
    let files = corpus(target);
    assert!(files.len() >= 10, "{target}: only {} corpus files", files.len());
    for (path, data) in &files {
        let result = std::panic::catch_unwind(|| run(data));
        assert!(result.is_ok(), "{target}: {} fails", path.display());
    }
    let seeds: Vec<_> = seeds::seeds().into_iter().filter(|s| s.target == target).collect();
    assert!(!seeds.is_empty(), "{target}: no seeds");
    for seed in &seeds {
        run(&seed.data);
    }
}

#[test]
fn replay_api_sequence_corpus() {
    replay("api_sequence");
}

#[test]
fn replay_wasm_abi_corpus() {
    replay("wasm_abi");
}

#[test]
fn replay_decoders_corpus() {
    replay("decoders");
}

/// The "happy" seeds exercise whole flows: every call they make succeeds (for the decoders:
/// the decoder accepts the key, exported from a real one).
#[test]
fn happy_seeds_make_no_failing_call() {
    let mut checked = 0;
    for seed in seeds::seeds().into_iter().filter(|s| s.happy) {
        let trace = match seed.target {
            "api_sequence" => api::trace(&seed.data),
            "wasm_abi" => abi::trace(&seed.data),
            _ => {
                let trace = decoders::trace(&seed.data);
                assert!(matches!(trace.first(), Some((_, None))), "{}: not decoded: {trace:?}", seed.name);
                checked += 1;
                continue;
            }
        };
        assert!(trace.len() >= 3, "{}/{}: only {} calls", seed.target, seed.name, trace.len());
        let failed: Vec<_> = trace.iter().filter(|(_, e)| e.is_some()).collect();
        assert!(failed.is_empty(), "{}/{}: failing calls {failed:?} in {trace:?}", seed.target, seed.name);
        checked += 1;
    }
    assert!(checked >= 100, "only {checked} happy seeds");
}

/// Leaks and overruns are caught: a run that leaves a charged object behind fails the check.
#[test]
fn the_leak_check_fails_on_a_leak() {
    let mut c = wasmcrypt_fuzz::Checked::new(wasmcrypt::CryptoCtx::new());
    let h = c.call("symmetric_key_import", |x| x.symmetric_key_import("HMAC/SHA-256", &[1; 32])).expect("import");
    assert!(c.ctx.buffered_bytes() > 0, "imported keys are charged");
    let leaked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| c.close_all(&[])));
    assert!(leaked.is_err(), "a handle left open must fail the leak check");
    c.close_all(&[h]);
    assert_eq!(c.ctx.open_handles(), 0);
}

/// Every registered algorithm name is reachable by the input decoding of `api_sequence` and
/// `wasm_abi` (they index the registry listing, so a new name is covered without edits), and
/// every symmetric family added for the spec's optional list has a seed.
#[test]
fn every_algorithm_name_is_reachable() {
    let names = wasmcrypt_fuzz::algorithm_names();
    let listed: usize = wasmcrypt::supported_algorithms().iter().map(|(_, n)| n.len()).sum();
    assert_eq!(names.len(), listed);
    for &name in names {
        let mut e = wasmcrypt_fuzz::input::Encoder::new();
        seeds::encode_api_name(&mut e, name);
        assert_eq!(api::name_from(&mut wasmcrypt_fuzz::input::Input::new(&e.bytes)), name);
        let (tag, byte) = seeds::encode_abi_name(name);
        assert!((abi::WRITE_NAME..abi::CALL).contains(&tag));
        assert_eq!(names[abi::name_index(tag, byte)], name);
    }
    // The wide forms reach beyond the one-byte range.
    let wide = [api::WIDE_NAME, 0x2c, 0x01];
    assert_eq!(api::name_from(&mut wasmcrypt_fuzz::input::Input::new(&wide)), names[0x12c % names.len()]);
    assert_eq!(abi::name_index(abi::WRITE_NAME + 1, 0x2c), 0x12c % names.len());
    let seeded: Vec<String> =
        seeds::seeds().into_iter().filter(|s| s.target == "api_sequence").map(|s| s.name).collect();
    for alg in wasmcrypt::symmetric::SYMMETRIC_ALGORITHMS {
        let slug: String =
            alg.name().chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
        let prefix = match alg.family() {
            Family::Digest(_) => "digest",
            Family::Cipher(_) => "cipher",
            Family::Password(_) => "password",
            Family::Hash(_)
            | Family::Hmac(_)
            | Family::HkdfExtract(_)
            | Family::HkdfExpand(_)
            | Family::Aead(_)
            | Family::Xoodyak(_) => continue,
        };
        assert!(seeded.contains(&format!("{prefix}_{slug}")), "no seed for {}", alg.name());
    }
}
