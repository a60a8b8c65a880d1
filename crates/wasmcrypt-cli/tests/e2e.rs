//! End-to-end tests: real guests, built for wasm32-wasip1, run by the `wasmcrypt` binary through
//! the real linker.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Builds the guest workspace once per test run and returns the folder of the `.wasm` files.
fn guests() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let target = repo().join("guests/target");
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--release", "--target", "wasm32-wasip1", "--manifest-path"])
            .arg(repo().join("guests/Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the guests failed (is the wasm32-wasip1 target installed?)");
        target.join("wasm32-wasip1/release")
    })
}

/// Runs `wasmcrypt` without any keystore configuration inherited from the environment.
fn wasmcrypt(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wasmcrypt"))
        .args(args)
        .env_remove("WASMCRYPT_KEYSTORE")
        .env_remove("WASMCRYPT_KEYSTORE_NAMESPACE")
        .output()
        .expect("wasmcrypt runs")
}

fn run_guest(name: &str, extra: &[&str]) -> (i32, String, String) {
    let wasm = guests().join(name);
    let mut args = vec!["run"];
    args.extend_from_slice(extra);
    let wasm = wasm.to_str().unwrap().to_owned();
    args.push(&wasm);
    let out = wasmcrypt(&args);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn wasi_crypto_guest_symmetric_api() {
    let (code, stdout, stderr) = run_guest("symmetric-e2e.wasm", &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("guest: 9 passed, 0 failed"), "{stdout}");
}

/// Every usage example of the spec text, run as written (password hashing with its 1 GB guest
/// buffer, t = 5 and p = 8 included), each checked against independently computed answers.
#[test]
fn every_usage_example_of_the_spec() {
    let (code, stdout, stderr) = run_guest("spec-examples.wasm", &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("spec-examples: 21 passed, 0 failed"), "{stdout}");
}

#[test]
fn raw_imports_errnos_and_hostile_pointers() {
    let (code, stdout, stderr) = run_guest("raw-errno.wasm", &["--max-handles", "200"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

/// The spec's password-hashing example and verification against stored strings, through the
/// real linker; the host then checks the guest's Argon2id and scrypt strings with the
/// reference crates.
#[test]
fn password_hashing_guest() {
    use password_hash::PasswordVerifier;
    use password_hash::phc::PasswordHash;
    let (code, stdout, stderr) = run_guest("password-hash.wasm", &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("password-hash: 30 passed, 0 failed"), "{stdout}");
    let stored: Vec<&str> = stdout.lines().filter_map(|l| l.strip_prefix("stored: ")).collect();
    assert_eq!(stored.len(), 3, "{stdout}");
    let argon2 = PasswordHash::new(stored[0]).unwrap();
    assert_eq!(argon2::Argon2::default().verify_password(b"password", &argon2), Ok(()));
    assert!(argon2::Argon2::default().verify_password(b"passwore", &argon2).is_err());
    let scrypt = PasswordHash::new(stored[1]).unwrap();
    assert_eq!(scrypt::Scrypt::default().verify_password(b"correct horse", &scrypt), Ok(()));
}

#[test]
fn arguments_environment_directories_and_exit_code() {
    let dir = std::env::temp_dir().join(format!("wasmcrypt-probe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("probe.txt"), "hello from the host\n").unwrap();
    let wasm = guests().join("cli-probe.wasm");
    let dir_arg = format!("{}::/data", dir.display());
    let out = wasmcrypt(&[
        "run",
        "--dir",
        &dir_arg,
        "--env",
        "PROBE=yes",
        wasm.to_str().unwrap(),
        "--test-threads=1",
        "--dir",
        "x",
        "--exit=7",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(7), "{stdout}");
    assert!(stdout.contains(r#"args=["--test-threads=1", "--dir", "x", "--exit=7"]"#), "{stdout}");
    assert!(stdout.contains(r#"env=Some("yes")"#), "{stdout}");
    assert!(stdout.contains("file=hello from the host"), "{stdout}");
    std::fs::remove_dir_all(&dir).ok();
}

fn one_line_error(out: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains(needle), "{stderr}");
    assert!(!stderr.contains("backtrace"), "{stderr}");
}

#[test]
fn clear_errors_for_bad_modules() {
    one_line_error(&wasmcrypt(&["run", "/nonexistent/app.wasm"]), "cannot read");
    let dir = std::env::temp_dir();
    let garbage = dir.join(format!("wasmcrypt-garbage-{}.wasm", std::process::id()));
    std::fs::write(&garbage, b"not wasm").unwrap();
    one_line_error(&wasmcrypt(&["run", garbage.to_str().unwrap()]), "not a valid WebAssembly module");
    // (module (import "foo" "bar" (func)) (func (export "_start")))
    let unknown_import: &[u8] = &[
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x02, 0x0b, 0x01, 0x03,
        b'f', b'o', b'o', 0x03, b'b', b'a', b'r', 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x07, 0x0a, 0x01, 0x06, b'_',
        b's', b't', b'a', b'r', b't', 0x00, 0x01, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
    ];
    let path = dir.join(format!("wasmcrypt-import-{}.wasm", std::process::id()));
    std::fs::write(&path, unknown_import).unwrap();
    one_line_error(&wasmcrypt(&["run", path.to_str().unwrap()]), "foo::bar");
    std::fs::remove_file(garbage).ok();
    std::fs::remove_file(path).ok();
}

#[test]
fn algorithms_lists_every_family() {
    let out = wasmcrypt(&["algorithms"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    for name in [
        "symmetric:",
        "AES-128-GCM",
        "XCHACHA20-POLY1305",
        "XOODYAK-160",
        "HKDF-EXPAND/SHA-512",
        "ARGON2-ID-13",
        "PBKDF2-HMAC/SHA-512",
        "signatures:",
        "key_exchange:",
    ] {
        assert!(stdout.contains(name), "{name} missing from {stdout}");
    }
    // Every algorithm of the registries is listed with its tier.
    for (_, names) in wasmcrypt::supported_algorithms() {
        for (name, tier) in names {
            let line = format!("  {name:<24} {}", tier.name());
            assert!(stdout.lines().any(|l| l == line), "{line:?} missing from {stdout}");
        }
    }
    assert!(stdout.contains("  AEGIS-256X4              optional\n"), "{stdout}");
    assert!(stdout.contains("  SHA-256                  required\n"), "{stdout}");
    assert!(stdout.contains("  ML-DSA-65                optional\n"), "{stdout}");
}

/// The crates.io client's own test suite, run by `cargo test --target wasm32-wasip1` with
/// `wasmcrypt run` as the cargo runner: symmetric, signatures (Ed25519, RSA), key exchange
/// (X25519) and KEMs (ML-KEM-512/768/1024, X-Wing).
#[test]
fn wasi_crypto_guest_test_suite_with_wasmcrypt_as_cargo_runner() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let metadata = Command::new(&cargo)
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(repo().join("guests/Cargo.toml"))
        .output()
        .expect("cargo metadata runs");
    assert!(metadata.status.success());
    let metadata: serde_json::Value = serde_json::from_slice(&metadata.stdout).unwrap();
    let manifest = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "wasi-crypto-guest")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("wasi-crypto-guest is a guest dependency")
        .to_owned();
    let runner = format!("{} run", env!("CARGO_BIN_EXE_wasmcrypt"));
    let out = Command::new(&cargo)
        .args(["test", "--lib", "--target", "wasm32-wasip1", "--manifest-path", &manifest])
        .env("CARGO_TARGET_DIR", repo().join("guests/target/wasi-crypto-guest"))
        .env("CARGO_TARGET_WASM32_WASIP1_RUNNER", runner)
        .output()
        .expect("cargo test runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("test result: ok. 10 passed; 0 failed"), "{stdout}");
}

/// Runs `wasmcrypt` with the master key in the environment.
fn wasmcrypt_with_master(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_wasmcrypt"))
        .args(args)
        .env("WASMCRYPT_MASTER_KEY", "11".repeat(32))
        .env_remove("WASMCRYPT_KEYSTORE")
        .env_remove("WASMCRYPT_KEYSTORE_NAMESPACE")
        .env_remove("WASMCRYPT_MASTER_KEY_FILE")
        .output()
        .expect("wasmcrypt runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn keys_json(keystore: &str, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["keys", "--keystore", keystore, "--namespace", "managed-keys", "--json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = wasmcrypt_with_master(&all);
    assert_eq!(code, 0, "{args:?}: {stdout}{stderr}");
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

#[test]
fn operator_provisions_keys_that_a_guest_uses_by_id() {
    // RFC 4231 test case 1: HMAC-SHA-256, key 0x0b × 20, "Hi There".
    const RFC4231_TAG: &str = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
    let dir = std::env::temp_dir().join(format!("wasmcrypt-managed-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let keystore = dir.join("keystore.db");
    let ks = keystore.to_str().unwrap();
    let key_file = dir.join("hmac.key");
    std::fs::write(&key_file, [0x0b; 20]).unwrap();
    let wasm = guests().join("managed-keys.wasm");
    let wasm = wasm.to_str().unwrap();

    let imported = keys_json(
        ks,
        &["import", "--algorithm", "HMAC/SHA-256", "--file", key_file.to_str().unwrap(), "--id", "mac-key"],
    );
    assert_eq!(imported["id"], "mac-key");
    assert_eq!(imported["version"], 1);
    assert_eq!(imported["exportable"], false, "operator keys are non-exportable by default");
    assert_eq!(imported["guest_mutable"], false, "and guests may not replace or invalidate them");

    // The guest's namespace defaults to its module name, `managed-keys`.
    let (code, stdout, stderr) = wasmcrypt_with_master(&["run", "--keystore", ks, wasm, "hmac", "mac-key", "Hi There"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout, format!("sm=0\nhmac={RFC4231_TAG}\nexport=4\n"), "prohibited_operation = 4");

    let generated = keys_json(ks, &["generate", "--algorithm", "Ed25519", "--id", "signer"]);
    assert_eq!((generated["kind"].as_str(), generated["version"].as_u64()), (Some("signatures"), Some(1)));
    let public = keys_json(ks, &["export-public", "--id", "signer", "--encoding", "raw"]);
    let public = public["public_key"].as_str().unwrap().to_owned();
    assert_eq!(public.len(), 64);
    let (_, stdout, _) = wasmcrypt_with_master(&["run", "--keystore", ks, wasm, "keypair", "signer"]);
    assert_eq!(stdout, format!("sm=0\npk={public}\nexport=4\n"));

    // Another namespace sees nothing (not_found = 26).
    let (_, stdout, _) =
        wasmcrypt_with_master(&["run", "--keystore", ks, "--keystore-namespace", "other", wasm, "keypair", "signer"]);
    assert_eq!(stdout, "sm=0\nfrom_id=26\n");

    // Rotation: the guest picks up the new version without redeploying.
    let rotated = keys_json(ks, &["rotate", "--id", "mac-key"]);
    assert_eq!(rotated["version"], 2);
    let (_, stdout, _) = wasmcrypt_with_master(&["run", "--keystore", ks, wasm, "hmac", "mac-key", "Hi There"]);
    assert!(stdout.starts_with("sm=0\nhmac=") && !stdout.contains(RFC4231_TAG), "{stdout}");

    let listed = keys_json(ks, &["list"]);
    let versions: Vec<(String, u64)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["id"].as_str().unwrap().to_owned(), v["version"].as_u64().unwrap()))
        .collect();
    assert_eq!(versions, [("mac-key".to_owned(), 1), ("mac-key".to_owned(), 2), ("signer".to_owned(), 1)]);

    let revoked = keys_json(ks, &["revoke", "--id", "mac-key"]);
    assert_eq!(revoked["revoked"], 2);
    let (_, stdout, _) = wasmcrypt_with_master(&["run", "--keystore", ks, wasm, "hmac", "mac-key", "Hi There"]);
    assert_eq!(stdout, "sm=0\nfrom_id=26\n");

    // Without a keystore there is no secrets manager (unsupported_feature = 3).
    let (_, stdout, _) = wasmcrypt_with_master(&["run", wasm, "hmac", "mac-key", "Hi There"]);
    assert_eq!(stdout, "sm=3\n");
    // A wrong master key is refused.
    let out = Command::new(env!("CARGO_BIN_EXE_wasmcrypt"))
        .args(["keys", "--keystore", ks, "list"])
        .env("WASMCRYPT_MASTER_KEY", "22".repeat(32))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrong master key"));
}

#[test]
fn guest_created_managed_keys_and_external_secrets_through_the_linker() {
    let dir = std::env::temp_dir().join(format!("wasmcrypt-lifecycle-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let keystore = dir.join("keystore.db");
    let wasm = guests().join("managed-keys.wasm");
    let (code, stdout, stderr) =
        wasmcrypt_with_master(&["run", "--keystore", keystore.to_str().unwrap(), wasm.to_str().unwrap(), "lifecycle"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let expected = [
        "sm=0",
        "generate=0",
        "id=0 len=16 version=1",
        "export=4",
        "replace=0 version=2",
        &format!("from_id=0 raw={}", "07".repeat(32)),
        "invalidate=0 then=26",
        "store=0 from_id=0 secret=s3cret",
        "encapsulate=0 len=47 decapsulate=0 secret=s3cret",
        "tampered=10",
    ];
    assert_eq!(stdout.lines().collect::<Vec<_>>(), expected);
}

#[test]
fn keystore_quota_and_operator_protection_through_the_linker() {
    let dir = std::env::temp_dir().join(format!("wasmcrypt-quota-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let keystore = dir.join("keystore.db");
    let ks = keystore.to_str().unwrap();
    let wasm = guests().join("managed-keys.wasm");
    let wasm = wasm.to_str().unwrap();

    // Records quota: the sixth secret is refused with `overflow` (16), nothing more is stored.
    let (code, stdout, stderr) = wasmcrypt_with_master(&["run", "--keystore", ks, "--max-records", "5", wasm, "quota"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout, "sm=0\nstored=5 errno=16\n");
    // Bytes quota: 1 KiB secrets with 16-byte ids count 1040 bytes each; 4 fit in 4 KiB + 200.
    let (_, stdout, _) = wasmcrypt_with_master(&[
        "run",
        "--keystore",
        ks,
        "--keystore-namespace",
        "b",
        "--max-bytes",
        "4296",
        wasm,
        "quota",
    ]);
    assert_eq!(stdout, "sm=0\nstored=4 errno=16\n");
    let status = keys_json(ks, &["status"]);
    let namespaces: Vec<(String, u64, u64)> = status["namespaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (n["namespace"].as_str().unwrap().to_owned(), n["records"].as_u64().unwrap(), n["bytes"].as_u64().unwrap())
        })
        .collect();
    assert_eq!(namespaces, [("b".to_owned(), 4, 4 * 1040), ("managed-keys".to_owned(), 5, 5 * 1040)]);

    // Operator keys: prohibited_operation (4) for a guest's replace and invalidate, unless
    // the operator made the key guest-mutable.
    keys_json(ks, &["generate", "--algorithm", "HMAC/SHA-256", "--id", "locked"]);
    keys_json(ks, &["generate", "--algorithm", "HMAC/SHA-256", "--id", "open", "--guest-mutable"]);
    let (_, stdout, _) =
        wasmcrypt_with_master(&["run", "--keystore", ks, "--max-records", "20", wasm, "operator", "locked"]);
    assert_eq!(stdout, "sm=0\nreplace=4 invalidate=4 from_id=0\n");
    let (_, stdout, _) =
        wasmcrypt_with_master(&["run", "--keystore", ks, "--max-records", "20", wasm, "operator", "open"]);
    assert_eq!(stdout, "sm=0\nreplace=0 invalidate=0 from_id=26\n");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn keys_generate_works_for_ed448_x448_and_ml_dsa() {
    let dir = std::env::temp_dir().join(format!("wasmcrypt-new-asym-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let keystore = dir.join("keystore.db");
    let ks = keystore.to_str().unwrap();
    // (algorithm, kind, raw public key length in hex digits).
    for (alg, kind, hex_len) in [
        ("Ed448", "signatures", 2 * 57),
        ("X448", "key_exchange", 2 * 56),
        ("ML-DSA-44", "signatures", 2 * 1312),
        ("ML-DSA-65", "signatures", 2 * 1952),
        ("ML-DSA-87", "signatures", 2 * 2592),
    ] {
        let id = alg.to_lowercase();
        let generated = keys_json(ks, &["generate", "--algorithm", alg, "--id", &id]);
        assert_eq!(generated["kind"].as_str(), Some(kind), "{alg}: {generated}");
        let public = keys_json(ks, &["export-public", "--id", &id, "--encoding", "raw"]);
        assert_eq!(public["public_key"].as_str().map(str::len), Some(hex_len), "{alg}: {public}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
