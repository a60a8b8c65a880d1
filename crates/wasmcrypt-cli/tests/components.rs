//! Components: wasm32-wasip2 guests from `guests-p2/`, built with wit-bindgen against the
//! project's WIT, run by the `wasmcrypt` binary and, for the handle count, through the real
//! component linker in this process.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Builds the component workspace once per test run and returns the folder of the `.wasm` files.
fn components() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = repo().join("guests-p2");
        let status = cargo()
            .current_dir(&dir)
            .args(["build", "--release", "--target", "wasm32-wasip2"])
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the components failed (is the wasm32-wasip2 target installed?)");
        dir.join("target/wasm32-wasip2/release")
    })
}

/// Builds the wasip1 guest workspace once (for `--invoke` on a module).
fn modules() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let target = repo().join("guests/target");
        let status = cargo()
            .args(["build", "--release", "--target", "wasm32-wasip1", "-p", "bench-guest", "--manifest-path"])
            .arg(repo().join("guests/Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the bench guest failed");
        target.join("wasm32-wasip1/release")
    })
}

fn wasm(name: &str) -> String {
    components().join(name).to_str().unwrap().to_owned()
}

/// Runs `wasmcrypt ARGS…` with a master key and no keystore inherited from the environment:
/// (status, stdout, stderr).
fn wasmcrypt(args: &[&str]) -> (i32, String, String) {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_wasmcrypt"))
        .args(args)
        .env("WASMCRYPT_MASTER_KEY", "22".repeat(32))
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

/// Runs the test component in `mode` and checks that every check line passed; returns the
/// number of checks.
fn checks(extra: &[&str], mode: &[&str]) -> usize {
    let guest = wasm("crypto-p2.wasm");
    let mut args = vec!["run"];
    args.extend_from_slice(extra);
    args.push(&guest);
    args.extend_from_slice(mode);
    let (code, stdout, stderr) = wasmcrypt(&args);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(!stdout.contains("FAIL"), "{stdout}");
    stdout.lines().filter(|l| l.ends_with("=ok")).count()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wasmcrypt-components-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn known_answers_of_every_interface() {
    assert_eq!(checks(&[], &["kat"]), 49);
}

#[test]
fn errors_arrive_as_crypto_errno_cases() {
    assert_eq!(checks(&[], &["errno"]), 26);
}

#[test]
fn memory_hard_password_hashes_with_a_guest_buffer() {
    assert_eq!(checks(&["--max-buffered-bytes", "4MiB"], &["password"]), 19);
}

#[test]
fn dropping_resources_frees_host_handles() {
    let (code, stdout, stderr) =
        wasmcrypt(&["run", "--max-handles", "1000", &wasm("crypto-p2.wasm"), "hold", "100000"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.starts_with("held=1000 errno=Some(CryptoErrno::TooManyHandles)\nreopen=ok"), "{stdout}");
    // 100 000 rounds of five resources each under a 64-handle cap: only drops make room.
    let (code, stdout, stderr) = wasmcrypt(&["run", "--max-handles", "64", &wasm("crypto-p2.wasm"), "drops", "100000"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout, "dropped=100000\n");
}

#[test]
fn components_without_close_functions_link_and_release_by_dropping() {
    let (code, stdout, stderr) = wasmcrypt(&["run", "--max-handles", "32", &wasm("no-close-p2.wasm"), "2000"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout, "rounds=2000\nsha256=ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n");
}

#[test]
fn guest_managed_keys_and_external_secrets() {
    let keystore = temp_dir("managed").join("ks.db");
    let ks = keystore.to_str().unwrap();
    assert_eq!(checks(&["--keystore", ks], &["managed"]), 21);
    // A key stored in one run is found by id in the next.
    let (code, stored, stderr) = wasmcrypt(&["run", "--keystore", ks, &wasm("crypto-p2.wasm"), "persist-store"]);
    assert_eq!(code, 0, "{stderr}");
    let id = stored.lines().next().unwrap().strip_prefix("id=").unwrap();
    let (code, loaded, stderr) = wasmcrypt(&["run", "--keystore", ks, &wasm("crypto-p2.wasm"), "persist-load", id]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(loaded.trim(), stored.lines().nth(1).unwrap());
}

#[test]
fn operator_keys_serve_components_as_they_serve_modules() {
    // RFC 4231 test case 1: HMAC-SHA-256, key 0x0b × 20, "Hi There".
    const TAG: &str = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
    let dir = temp_dir("operator");
    let ks = dir.join("ks.db");
    let ks = ks.to_str().unwrap();
    let key_file = dir.join("hmac.key");
    std::fs::write(&key_file, [0x0b; 20]).unwrap();
    let key_file = key_file.to_str().unwrap();
    let import = ["keys", "--keystore", ks, "--namespace", "crypto-p2", "import", "--algorithm", "HMAC/SHA-256"];
    let (code, _, stderr) = wasmcrypt(&[&import[..], &["--file", key_file, "--id", "mac-key"]].concat());
    assert_eq!(code, 0, "{stderr}");
    let guest = wasm("crypto-p2.wasm");
    let (code, stdout, stderr) = wasmcrypt(&["run", "--keystore", ks, &guest, "managed-hmac", "mac-key", "Hi There"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, format!("hmac={TAG}\nexport=Some(CryptoErrno::ProhibitedOperation)\n"));
    let (_, stdout, _) = wasmcrypt(&["run", "--keystore", ks, &guest, "managed-hmac", "nope", "x"]);
    assert_eq!(stdout, "from_id=CryptoErrno::NotFound\n");
}

#[test]
fn invoke_calls_exports_of_modules_and_components() {
    let module = modules().join("bench_guest.wasm");
    let (code, stdout, stderr) = wasmcrypt(&["run", "--invoke", "absorb_sha256", module.to_str().unwrap(), "10", "64"]);
    assert_eq!((code, stdout.as_str()), (0, "0\n"), "{stderr}");
    let bench = wasm("bench_p2.wasm");
    let (code, stdout, stderr) = wasmcrypt(&["run", "--invoke", "seal-aes128gcm(3, 1024)", &bench]);
    assert_eq!((code, stdout.as_str()), (0, "0\n"), "{stderr}");
    let (code, _, stderr) = wasmcrypt(&["run", "--invoke", "absorb-sha256(\"x\", 1)", &bench]);
    assert_eq!(code, 1);
    assert!(stderr.contains("invalid value `\"x\"` for `iters`"), "{stderr}");
    let (code, _, stderr) = wasmcrypt(&["run", &bench]);
    assert_eq!(code, 1);
    assert!(stderr.contains("does not export `wasi:cli/run`"), "{stderr}");
    let (code, _, stderr) = wasmcrypt(&["run", "--invoke", "nope", &bench]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no exported function `nope`"), "{stderr}");
}

#[test]
fn invoke_finds_functions_inside_exported_interfaces() {
    let command = wasm("no-close-p2.wasm");
    let sha256_abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    // `run` of `wasi:cli/run`, by its full name and by its own name; the command's output comes
    // first, then the function's result.
    for name in ["wasi:cli/run@0.2.0#run()", "run()"] {
        let (code, stdout, stderr) = wasmcrypt(&["run", "--invoke", name, &command]);
        assert_eq!(code, 0, "{name}: {stderr}");
        assert_eq!(stdout, format!("rounds=1000\nsha256={sha256_abc}\nok\n"), "{name}");
    }
    let (code, _, stderr) = wasmcrypt(&["run", "--invoke", "wasi:cli/nope@0.2.0#run()", &command]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no exported interface `wasi:cli/nope@0.2.0` with a function `run`"), "{stderr}");
    let (code, _, stderr) = wasmcrypt(&["run", "--invoke", "wasi:cli/run@0.2.0#nope()", &command]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no exported interface `wasi:cli/run@0.2.0` with a function `nope`"), "{stderr}");
}

#[test]
fn limits_and_cache_switch_apply_to_components() {
    let guest = wasm("crypto-p2.wasm");
    let (code, _, stderr) = wasmcrypt(&["run", "-W", "fuel=1000", &guest, "kat"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("ran out of fuel after 1000 units"), "{stderr}");
    let (code, stdout, stderr) = wasmcrypt(&["run", "-C", "cache=n", &guest, "kat"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let (code, _, stderr) = wasmcrypt(&["run", "-C", "cache=perhaps", &guest, "kat"]);
    assert_eq!(code, 2, "{stderr}");
}

/// Through the component linker of this process: after 100 000 resources were opened and
/// dropped, the context holds exactly as many handles as before the run.
#[test]
fn host_handle_count_returns_to_baseline() {
    use wasmcrypt_wasmtime::WasiCryptoCtx;
    use wasmcrypt_wasmtime::component::WasiCryptoView;
    use wasmtime::component::{Component, Linker, ResourceTable};
    use wasmtime::{Config, Engine, Store};
    use wasmtime_wasi::p2::bindings::sync::Command as WasiCommand;
    use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

    struct Host {
        wasi: WasiCtx,
        table: ResourceTable,
        crypto: WasiCryptoCtx,
    }
    impl WasiView for Host {
        fn ctx(&mut self) -> WasiCtxView<'_> {
            WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
        }
    }
    impl WasiCryptoView for Host {
        fn crypto(&mut self) -> &mut WasiCryptoCtx {
            &mut self.crypto
        }
    }

    let engine = Engine::new(Config::new().wasm_component_model(true)).unwrap();
    let component = Component::from_file(&engine, wasm("crypto-p2.wasm")).unwrap();
    let mut linker = Linker::<Host>::new(&engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).unwrap();
    wasmcrypt_wasmtime::component::add_to_linker(&mut linker).unwrap();
    let wasi = WasiCtxBuilder::new().args(&["crypto-p2", "drops", "100000"]).build();
    let mut crypto = WasiCryptoCtx::new();
    let baseline_key = crypto.core().symmetric_key_generate("AES-128-GCM", None).unwrap();
    let mut store = Store::new(&engine, Host { wasi, table: ResourceTable::new(), crypto });
    let before = (store.data_mut().crypto.core().open_handles(), store.data_mut().crypto.core().buffered_bytes());
    assert_eq!(before.0, 1);
    let command = WasiCommand::instantiate(&mut store, &component, &linker).unwrap();
    assert_eq!(command.wasi_cli_run().call_run(&mut store).unwrap(), Ok(()));
    let kept = store.data().crypto.kept_list_bytes();
    assert!(kept > 0, "the last pulled list is kept");
    let core = store.data_mut().crypto.core();
    assert_eq!((core.open_handles(), core.buffered_bytes() - kept), before);
    assert_eq!(core.symmetric_key_close(baseline_key), Ok(()));
}
