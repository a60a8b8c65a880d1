//! `wasmcrypt run` limits, end to end with the real binary: `-W timeout`, `-W fuel`,
//! `-W max-memory-size`, `-W help`, and the WASI-crypto limit flags.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Builds the `runaway` guest once per test run and returns its path.
fn runaway() -> &'static Path {
    static WASM: OnceLock<PathBuf> = OnceLock::new();
    WASM.get_or_init(|| {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let target = repo.join("guests/target");
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--release", "--target", "wasm32-wasip1", "-p", "runaway", "--manifest-path"])
            .arg(repo.join("guests/Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the runaway guest failed (is the wasm32-wasip1 target installed?)");
        target.join("wasm32-wasip1/release/runaway.wasm")
    })
}

/// The outcome of one `wasmcrypt` run.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

fn wasmcrypt(args: &[&str]) -> Run {
    let start = Instant::now();
    let Output { status, stdout, stderr } = Command::new(env!("CARGO_BIN_EXE_wasmcrypt"))
        .args(args)
        .env_remove("WASMCRYPT_KEYSTORE")
        .env_remove("WASMCRYPT_KEYSTORE_NAMESPACE")
        .output()
        .expect("wasmcrypt runs");
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        elapsed: start.elapsed(),
    }
}

/// `wasmcrypt run OPTIONS runaway.wasm GUEST_ARGS`.
fn run_runaway(options: &[&str], guest_args: &[&str]) -> Run {
    let wasm = runaway().to_str().unwrap().to_owned();
    let mut args = vec!["run"];
    args.extend_from_slice(options);
    args.push(&wasm);
    args.extend_from_slice(guest_args);
    wasmcrypt(&args)
}

/// Asserts exit status 1 and that `wasmcrypt`'s own output is the single line `expected`.
fn stopped_with(run: &Run, expected: &str) {
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    let ours: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("wasmcrypt:")).collect();
    assert_eq!(ours, [expected], "{}", run.stderr);
    assert!(run.stderr.ends_with(&format!("{expected}\n")), "{}", run.stderr);
}

#[test]
fn timeout_stops_an_endless_loop() {
    let run = run_runaway(&["-W", "timeout=2s"], &["spin"]);
    stopped_with(&run, "wasmcrypt: error: the guest exceeded its time limit of 2s (-W timeout)");
    assert!(run.elapsed >= Duration::from_secs(2), "stopped early: {:?}", run.elapsed);
    assert!(run.elapsed < Duration::from_secs(10), "stopped late: {:?}", run.elapsed);
    eprintln!("-W timeout=2s: endless loop stopped after {:?}", run.elapsed);
}

#[test]
fn timeout_stops_a_loop_of_wasi_crypto_calls() {
    let run = run_runaway(&["-W", "timeout=500ms"], &["crypto-spin"]);
    stopped_with(&run, "wasmcrypt: error: the guest exceeded its time limit of 500ms (-W timeout)");
    assert!(run.elapsed >= Duration::from_millis(500), "stopped early: {:?}", run.elapsed);
    assert!(run.elapsed < Duration::from_secs(8), "stopped late: {:?}", run.elapsed);
}

/// Epochs cannot interrupt a host call; the timer ends the process one second later.
#[test]
fn timeout_stops_a_guest_blocked_in_a_host_call() {
    let run = run_runaway(&["-W", "timeout=1s"], &["sleep", "60"]);
    stopped_with(
        &run,
        "wasmcrypt: error: the guest exceeded its time limit of 1s (-W timeout) and was stopped inside a host call",
    );
    assert!(!run.stdout.contains("awake"), "{}", run.stdout);
    assert!(run.elapsed >= Duration::from_secs(1), "stopped early: {:?}", run.elapsed);
    assert!(run.elapsed < Duration::from_secs(8), "stopped late: {:?}", run.elapsed);
}

#[test]
fn a_guest_within_its_limits_runs_normally() {
    // Comma-separated and repeated -W options; the timer must not delay the exit.
    let run = run_runaway(&["-W", "timeout=60s,fuel=1000000000", "-W", "max-memory-size=64MiB"], &["count", "1000"]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.starts_with("counted 1000 ("), "{}", run.stdout);
    assert_eq!(run.stderr, "");
    assert!(run.elapsed < Duration::from_secs(30), "{:?}", run.elapsed);
    let run = run_runaway(&["-W", "timeout=60s"], &["sleep", "1"]);
    assert_eq!((run.code, run.stdout.as_str()), (Some(0), "awake\n"), "{}", run.stderr);
}

#[test]
fn fuel_exhaustion_stops_the_guest() {
    let run = run_runaway(&["-W", "fuel=1000000"], &["spin"]);
    stopped_with(&run, "wasmcrypt: error: the guest ran out of fuel after 1000000 units (-W fuel)");
    // The same budget is enough for a short loop, not for a long one.
    let run = run_runaway(&["-W", "fuel=1000000"], &["count", "1000"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let run = run_runaway(&["-W", "fuel=1000000"], &["count", "10000000"]);
    stopped_with(&run, "wasmcrypt: error: the guest ran out of fuel after 1000000 units (-W fuel)");
}

#[test]
fn memory_limit_stops_a_memory_hog() {
    let run = run_runaway(&["-W", "max-memory-size=32MiB"], &["hog"]);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    let ours: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("wasmcrypt:")).collect();
    assert_eq!(ours.len(), 1, "{}", run.stderr);
    assert!(
        ours[0].starts_with(
            "wasmcrypt: error: the guest exceeded its memory limit of 33554432 bytes (-W max-memory-size): "
        ),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("holding 16 MiB"), "{}", run.stdout);
    assert!(!run.stdout.contains("holding 32 MiB"), "{}", run.stdout);
}

#[test]
fn memory_limit_below_the_initial_memory_refuses_to_start() {
    let run = run_runaway(&["-W", "max-memory-size=64KiB"], &["count", "1"]);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("wasmcrypt: error: the guest exceeded its memory limit of 65536 bytes (-W max-memory-size): "),
        "{}",
        run.stderr
    );
}

#[test]
fn w_help_lists_the_options() {
    let run = wasmcrypt(&["run", "-W", "help"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    for option in ["-W timeout=DURATION", "-W fuel=N", "-W max-memory-size=BYTES", "-W help"] {
        assert!(run.stdout.contains(option), "{option} missing from {}", run.stdout);
    }
}

#[test]
fn bad_options_are_usage_errors() {
    let wasm = runaway().to_str().unwrap();
    for (args, needle) in [
        (vec!["run", "-W", "timeout=soon", wasm], "invalid duration `soon`"),
        (vec!["run", "-W", "fuel=-5", wasm], "invalid fuel `-5`"),
        (vec!["run", "-W", "max-memory-size=lots", wasm], "invalid size `lots`"),
        (vec!["run", "-W", "opt-level=2", wasm], "unknown -W option `opt-level`"),
        (vec!["run", "-W", "timeout", wasm], "`-W timeout` needs a value"),
        (vec!["run", "--max-buffered-bytes", "12T", wasm], "invalid size `12T`"),
    ] {
        let run = wasmcrypt(&args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(needle), "{args:?}: {}", run.stderr);
    }
    let run = wasmcrypt(&["run", "-W", "timeout=1s"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("no module to run"), "{}", run.stderr);
}

#[test]
fn max_buffered_bytes_caps_what_the_guest_buffers() {
    const OVERFLOW: &str = "absorb=16\n";
    let run = run_runaway(&[], &["absorb-ad", "100000"]);
    assert_eq!((run.code, run.stdout.as_str()), (Some(0), "absorb=0\n"), "{}", run.stderr);
    let run = run_runaway(&["--max-buffered-bytes", "64KiB"], &["absorb-ad", "100000"]);
    assert_eq!((run.code, run.stdout.as_str()), (Some(0), OVERFLOW), "{}", run.stderr);
    let run = run_runaway(&["--max-buffered-bytes", "64KiB"], &["absorb-ad", "30000"]);
    assert_eq!((run.code, run.stdout.as_str()), (Some(0), "absorb=0\n"), "{}", run.stderr);
    let run = run_runaway(&["--max-buffered-bytes", "1M"], &["absorb-ad", "1048577"]);
    assert_eq!((run.code, run.stdout.as_str()), (Some(0), OVERFLOW), "{}", run.stderr);
}
