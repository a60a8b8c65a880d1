//! A fleet of `wasmcrypt` processes sharing one PostgreSQL keystore: the operator commands,
//! many hosts hammering one key, and a server crash in the middle of a run.
//!
//! Each test starts a throwaway cluster; without PostgreSQL the tests print a notice and pass,
//! unless WASMCRYPT_REQUIRE_POSTGRES=1 (as in CI).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use wasmcrypt::secrets::{KeyStore, StoreError, VersionSelector};
use wasmcrypt_keystore::test_cluster::TestCluster;
use wasmcrypt_keystore::{MasterKey, PgKeyStore};

const MASTER_HEX: &str = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";
const NOT_FOUND: u32 = 26;
const IN_PROGRESS: u32 = 28;
/// The namespace of the `managed-keys` guest.
const NS: &str = "managed-keys";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Builds the `managed-keys` guest once per test run.
fn guest() -> &'static Path {
    static WASM: OnceLock<PathBuf> = OnceLock::new();
    WASM.get_or_init(|| {
        let target = repo().join("guests/target");
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--release", "--target", "wasm32-wasip1", "-p", "managed-keys", "--manifest-path"])
            .arg(repo().join("guests/Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the guests failed (is the wasm32-wasip1 target installed?)");
        target.join("wasm32-wasip1/release/managed-keys.wasm")
    })
}

/// `wasmcrypt` with the fleet's master key, the keystore from WASMCRYPT_KEYSTORE.
fn wasmcrypt(url: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wasmcrypt"));
    c.env("WASMCRYPT_KEYSTORE", url)
        .env("WASMCRYPT_MASTER_KEY", MASTER_HEX)
        .env_remove("WASMCRYPT_KEYSTORE_NAMESPACE")
        .env_remove("WASMCRYPT_MASTER_KEY_FILE")
        .env_remove(wasmcrypt_keystore::ENV_ROTATION_STOP_AFTER);
    c
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// `wasmcrypt keys --json ARGS…` on `url`; the parsed output.
fn keys_json(url: &str, args: &[&str]) -> serde_json::Value {
    let out = wasmcrypt(url).args(["keys", "--namespace", NS, "--json"]).args(args).output().unwrap();
    assert!(out.status.success(), "keys {args:?}: {}", text(&out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)))
}

fn store(url: &str) -> PgKeyStore {
    PgKeyStore::open(url, &MasterKey::from_hex(MASTER_HEX).unwrap()).unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wasmcrypt-fleet-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn keys_commands_copy_and_master_rotation_on_postgres() {
    let Some(cluster) = TestCluster::start_or_skip("keys_commands_copy_and_master_rotation_on_postgres") else {
        return;
    };
    let url = cluster.create_database("ops").unwrap();
    // The password from a password file instead of the URL.
    let dir = temp_dir("ops");
    let passfile = dir.join("pgpass");
    std::fs::write(
        &passfile,
        format!("127.0.0.1:{}:*:wasmcrypt:{}\n", cluster.port(), wasmcrypt_keystore::test_cluster::TEST_PASSWORD),
    )
    .unwrap();
    std::fs::set_permissions(&passfile, <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o600))
        .unwrap();
    let url_no_password = format!("postgres://wasmcrypt@127.0.0.1:{}/ops?sslmode=disable", cluster.port());
    let out = wasmcrypt(&url_no_password)
        .env("PGPASSFILE", &passfile)
        .args(["keys", "--namespace", NS, "--json", "generate", "--algorithm", "HMAC/SHA-256", "--id", "k"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let out = wasmcrypt(&url_no_password).env("PGPASSFILE", "/nonexistent").args(["keys", "list"]).output().unwrap();
    assert!(!out.status.success() && text(&out).contains("password"), "{}", text(&out));

    let rotated = keys_json(&url, &["rotate", "--id", "k", "--guest-mutable"]);
    assert_eq!(rotated["version"], 2);
    keys_json(&url, &["generate", "--algorithm", "Ed25519", "--id", "sig"]);
    let public = keys_json(&url, &["export-public", "--id", "sig", "--encoding", "raw"]);
    assert_eq!(public["public_key"].as_str().unwrap().len(), 64);
    assert_eq!(keys_json(&url, &["revoke", "--id", "k", "--version", "1"])["revoked"], 1);
    let list = keys_json(&url, &["list"]);
    let listed: Vec<(String, u64)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["id"].as_str().unwrap().to_owned(), v["version"].as_u64().unwrap()))
        .collect();
    assert_eq!(listed, [("k".to_owned(), 2), ("sig".to_owned(), 1)]);
    let status = keys_json(&url, &["status"]);
    assert_eq!(status["schema_version"], 1);
    assert!(status["keystore"].as_str().unwrap().starts_with("postgres://wasmcrypt@127.0.0.1:"), "{status}");
    assert!(!status.to_string().contains(wasmcrypt_keystore::test_cluster::TEST_PASSWORD));
    assert_eq!(status["namespaces"][0]["records"], 2);

    // A guest uses the PostgreSQL keystore through `wasmcrypt run --keystore URL`.
    let out =
        wasmcrypt(&url).args(["run", "--keystore", &url]).arg(guest()).args(["hmac", "k", "msg"]).output().unwrap();
    assert!(text(&out).starts_with("sm=0\nhmac="), "{}", text(&out));

    // PostgreSQL -> SQLite -> a second PostgreSQL database.
    let file = dir.join("copy.db");
    let file = file.to_str().unwrap();
    let copied = keys_json(&url, &["copy-namespace", "--from", &url, "--to", file]);
    assert_eq!(copied["records"], 2);
    let sqlite_list = keys_json(file, &["list"]);
    assert_eq!(sqlite_list, list);
    let url2 = cluster.create_database("ops2").unwrap();
    keys_json(&url, &["copy-namespace", "--from", file, "--to", &url2]);
    assert_eq!(keys_json(&url2, &["list"]), list);
    let out = wasmcrypt(&url)
        .args(["keys", "--namespace", NS, "copy-namespace", "--from", file, "--to", &url2])
        .output()
        .unwrap();
    assert!(!out.status.success() && text(&out).contains("is not empty"), "{}", text(&out));

    // Master-key rotation, interrupted after one record, then resumed, on both backends.
    for target in [url.as_str(), file] {
        let new_key = dir.join(format!("new-{}.key", target.len()));
        let out = wasmcrypt(target)
            .env(wasmcrypt_keystore::ENV_ROTATION_STOP_AFTER, "1")
            .args(["keys", "rotate-master", "--new-master-key-file"])
            .arg(&new_key)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{}", text(&out));
        let out = wasmcrypt(target).args(["keys", "--master-key-file"]).arg(&new_key).arg("list").output().unwrap();
        assert!(!out.status.success() && text(&out).contains("not finished"), "{}", text(&out));
        let done = keys_json(target, &["rotate-master", "--new-master-key-file", new_key.to_str().unwrap()]);
        assert_eq!(
            (done["rewrapped"].as_u64(), done["already_done"].as_u64(), done["finished"].as_bool()),
            (Some(1), Some(1), Some(true))
        );
        let out = wasmcrypt(target).args(["keys", "list"]).output().unwrap();
        assert!(text(&out).contains("wrong master key"), "{}", text(&out));
        let out = wasmcrypt(target)
            .env_remove("WASMCRYPT_MASTER_KEY")
            .args(["keys", "--namespace", NS, "--json", "--master-key-file"])
            .arg(&new_key)
            .args(["export-public", "--id", "sig", "--encoding", "raw"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out));
        let again: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(again["public_key"], public["public_key"], "the key survived the rotation");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// What one fleet host reported.
#[derive(Default)]
struct Report {
    /// version -> (seed, round)
    created: BTreeMap<u64, (u8, u8)>,
    invalidated: BTreeSet<u64>,
    /// Versions whose invalidation failed: it may or may not have committed.
    uncertain: BTreeSet<u64>,
    errors: Vec<u32>,
}

fn parse_fleet(out: &str, report: &mut Report) {
    for line in out.lines() {
        let fields: BTreeMap<&str, &str> = line.split(' ').filter_map(|f| f.split_once('=')).collect();
        if let (Some(v), Some(seed), Some(round)) = (fields.get("v"), fields.get("seed"), fields.get("round")) {
            let prev = report.created.insert(v.parse().unwrap(), (seed.parse().unwrap(), round.parse().unwrap()));
            assert!(prev.is_none(), "version {v} was handed out twice");
        } else if let Some(v) = fields.get("inv") {
            if fields["errno"] == "0" {
                assert_eq!(fields["after"], NOT_FOUND.to_string(), "an invalidation is visible at once: {line}");
                report.invalidated.insert(v.parse().unwrap());
            } else {
                assert_eq!(fields["errno"], IN_PROGRESS.to_string(), "{line}");
                report.uncertain.insert(v.parse().unwrap());
            }
        } else if let Some(e) = fields.get("err") {
            report.errors.push(e.parse().unwrap());
        }
    }
}

/// Checks the store against what the hosts reported: versions unique and contiguous (the live
/// ones plus the invalidated ones make up 1..=max), every reported version present with its
/// material unless invalidated, and every invalidated version gone.
fn check_invariants(url: &str, id: &[u8], report: &Report) -> u64 {
    let store = store(url);
    let live: BTreeSet<u64> = store.list(NS).unwrap().into_iter().filter(|i| i.id == id).map(|i| i.version).collect();
    let max = live.iter().chain(&report.invalidated).max().copied().unwrap();
    assert!(live.is_disjoint(&report.invalidated));
    let all: BTreeSet<u64> = live.union(&report.invalidated).copied().collect();
    // Versions whose commit the host could not learn of (a crash between commit and reply)
    // are live but unreported; none is missing but those whose invalidation may have committed.
    let missing: BTreeSet<u64> = (1..=max).filter(|v| !all.contains(v)).collect();
    assert!(missing.is_subset(&report.uncertain), "versions are contiguous: {missing:?} missing");
    for (v, (seed, round)) in &report.created {
        if report.uncertain.contains(v) && missing.contains(v) {
            continue;
        }
        if report.invalidated.contains(v) {
            assert_eq!(store.get(NS, id, VersionSelector::Exact(*v)).err(), Some(StoreError::NotFound));
        } else {
            let got = store.get(NS, id, VersionSelector::Exact(*v)).unwrap();
            assert_eq!(got.record.material.as_slice(), &[*seed, *round].repeat(16)[..], "no lost update at v{v}");
        }
    }
    max
}

fn spawn_fleet(url: &str, id: &str, hosts: u8, rounds: u32) -> Vec<Child> {
    (0..hosts)
        .map(|seed| {
            wasmcrypt(url)
                .args(["run", "--lock-timeout", "10s"])
                .arg(guest())
                .args(["fleet", id, &rounds.to_string(), &(seed + 1).to_string()])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect()
}

#[test]
fn eight_hosts_hammer_one_key() {
    let Some(cluster) = TestCluster::start_or_skip("eight_hosts_hammer_one_key") else { return };
    let url = cluster.create_database("fleet").unwrap();
    keys_json(&url, &["generate", "--algorithm", "HMAC/SHA-256", "--id", "hot", "--guest-mutable", "--exportable"]);
    let hosts = spawn_fleet(&url, "hot", 8, 24);
    // Meanwhile the operator rotates the same id from other processes.
    let mut operator_versions = BTreeSet::new();
    for _ in 0..6 {
        let v = keys_json(&url, &["--lock-timeout", "10s", "rotate", "--id", "hot", "--guest-mutable", "--exportable"]);
        assert!(operator_versions.insert(v["version"].as_u64().unwrap()));
    }
    let mut report = Report::default();
    for host in hosts {
        let out = host.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", text(&out));
        parse_fleet(&String::from_utf8_lossy(&out.stdout), &mut report);
    }
    assert_eq!(report.errors, Vec::<u32>::new());
    assert_eq!(report.created.len(), 8 * 24);
    assert!(report.created.keys().all(|v| !operator_versions.contains(v)), "guest and operator versions are disjoint");
    let max = check_invariants(&url, b"hot", &report);
    assert_eq!(max, 1 + 8 * 24 + 6, "every replacement and rotation took exactly one version");
}

/// A host that looks the key up once per line it is sent.
struct Serving {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Serving {
    fn start(url: &str, id: &str) -> Self {
        let mut child = wasmcrypt(url)
            .arg("run")
            .arg(guest())
            .args(["serve", id])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        assert_eq!(first, "sm=0\n");
        Self { child, stdin, stdout }
    }

    /// One lookup: its answer and how long it took.
    fn lookup(&mut self) -> (String, Duration) {
        let start = Instant::now();
        self.stdin.write_all(b"\n").unwrap();
        self.stdin.flush().unwrap();
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        (line.trim().to_owned(), start.elapsed())
    }
}

#[test]
fn visibility_and_a_server_crash_in_the_middle_of_a_run() {
    let Some(cluster) = TestCluster::start_or_skip("visibility_and_a_server_crash_in_the_middle_of_a_run") else {
        return;
    };
    let url = cluster.create_database("faults").unwrap();
    keys_json(&url, &["generate", "--algorithm", "HMAC/SHA-256", "--id", "k", "--guest-mutable"]);
    let mut host = Serving::start(&url, "k");
    assert_eq!(host.lookup().0, "latest=1");
    // Another host's rotation and invalidation are seen by the next lookup.
    keys_json(&url, &["rotate", "--id", "k", "--guest-mutable"]);
    assert_eq!(host.lookup().0, "latest=2");
    keys_json(&url, &["revoke", "--id", "k", "--version", "latest"]);
    assert_eq!(host.lookup().0, "latest=1");

    // A fleet is writing when the server crashes.
    keys_json(&url, &["generate", "--algorithm", "HMAC/SHA-256", "--id", "busy", "--guest-mutable"]);
    let writers = spawn_fleet(&url, "busy", 4, 3000);
    let observer = store(&url);
    let started = Instant::now();
    while observer.list(NS).unwrap().len() < 40 {
        assert!(started.elapsed() < Duration::from_secs(120), "the writers never got going");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(observer);
    cluster.stop_immediate().unwrap();
    // The serving host fails fast and clearly while the server is down.
    let (answer, took) = host.lookup();
    assert_eq!(answer, format!("from_id={IN_PROGRESS}"));
    assert!(took < Duration::from_secs(10), "a lookup with the server down took {took:?}");
    let mut report = Report::default();
    for writer in writers {
        let out = writer.wait_with_output().unwrap();
        assert!(out.status.success(), "no panic: {}", text(&out));
        assert!(!text(&out).contains("panicked"), "{}", text(&out));
        parse_fleet(&String::from_utf8_lossy(&out.stdout), &mut report);
    }
    assert!(report.errors.iter().all(|e| *e == IN_PROGRESS), "{:?}", report.errors);
    assert!(!report.errors.is_empty(), "the writers saw the crash");
    cluster.restart().unwrap();
    // The same host process recovers, and every committed key is there.
    assert_eq!(host.lookup().0, "latest=1");
    check_invariants(&url, b"busy", &report);
    drop(host.stdin);
    assert!(host.child.wait().unwrap().success());
}
