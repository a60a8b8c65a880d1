//! Crash safety: a writer process rotating a key in a loop is killed with SIGKILL, again and
//! again; every version it reported as committed is then intact, and nothing is half-written.

mod common;

use common::{hmac_record, master, material_of, temp_dir};
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::Duration;
use wasmcrypt::secrets::{Actor, KeyStore, StoreError, VersionSelector};
use wasmcrypt_keystore::SqliteKeyStore;

const ENV_STORE: &str = "WASMCRYPT_CRASH_TEST_STORE";
const NAMESPACE: &str = "crash";
const ID: &[u8] = b"rotating";

/// The writer, run in a child process by `killed_writers_leave_every_committed_version_intact`.
#[test]
#[ignore = "run as a child process by the crash test"]
fn crash_writer() {
    let Some(path) = std::env::var_os(ENV_STORE) else { return };
    let store = SqliteKeyStore::open(path.as_ref(), &master()).unwrap();
    loop {
        let next = match store.get(NAMESPACE, ID, VersionSelector::Latest) {
            Ok(latest) => latest.version + 1,
            Err(StoreError::NotFound) => 1,
            Err(e) => panic!("{e}"),
        };
        let record = hmac_record(&material_of(next));
        let version = if next == 1 {
            store.insert_new(NAMESPACE, ID, &record).unwrap()
        } else {
            store.insert_version(NAMESPACE, ID, &record, Actor::Operator).unwrap()
        };
        assert_eq!(version, next);
        println!("committed {version}");
    }
}

#[test]
fn killed_writers_leave_every_committed_version_intact() {
    let dir = temp_dir("crash");
    let path = dir.join("ks.db");
    let mut committed = Vec::new();
    for round in 0..10u64 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "crash_writer", "--ignored", "--nocapture", "--test-threads=1"])
            .env(ENV_STORE, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        // Wait for the first commit of this round, then let it run a little and kill it.
        let mut line = String::new();
        loop {
            line.clear();
            assert_ne!(stdout.read_line(&mut line).unwrap(), 0, "writer exited early");
            if let Some(v) = line.trim().strip_prefix("committed ") {
                committed.push(v.parse::<u64>().unwrap());
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(20 + 37 * round));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert!(!status.success(), "killed");
        let mut rest = String::new();
        stdout.read_to_string(&mut rest).unwrap();
        committed.extend(rest.lines().filter_map(|l| l.strip_prefix("committed ")?.parse::<u64>().ok()));
    }
    let max_committed = *committed.iter().max().unwrap();
    assert!(max_committed >= 10, "only {max_committed} versions were committed");

    let conn = rusqlite::Connection::open(&path).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    drop(conn);

    let store = SqliteKeyStore::open(&path, &master()).unwrap();
    let versions: Vec<u64> = store.list(NAMESPACE).unwrap().iter().map(|v| v.version).collect();
    let last = *versions.last().unwrap();
    assert_eq!(versions, (1..=last).collect::<Vec<_>>(), "no gaps, no duplicates");
    assert!(last >= max_committed, "every reported commit is there ({last} < {max_committed})");
    for v in versions {
        let stored = store.get(NAMESPACE, ID, VersionSelector::Exact(v)).unwrap();
        assert_eq!(stored.record.material.as_slice(), material_of(v), "version {v}");
    }
}
