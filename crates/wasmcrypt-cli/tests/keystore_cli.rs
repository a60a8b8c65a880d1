//! `wasmcrypt keys` as an operator uses it: policies, quotas, `status` and `purge`.

use std::path::PathBuf;
use std::process::Command;

/// A fresh directory for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wasmcrypt-keys-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `wasmcrypt keys --keystore KS ARGS…` with a master key in the environment: (status,
/// stdout, stderr).
fn keys(keystore: &PathBuf, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_wasmcrypt"))
        .arg("keys")
        .arg("--keystore")
        .arg(keystore)
        .args(args)
        .env("WASMCRYPT_MASTER_KEY", "33".repeat(32))
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

fn json(keystore: &PathBuf, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = keys(keystore, &all);
    assert_eq!(code, 0, "{args:?}: {stdout}{stderr}");
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

#[test]
fn operator_keys_are_locked_unless_the_operator_opens_them() {
    let ks = temp_dir("policy").join("ks.db");
    let locked = json(&ks, &["generate", "--algorithm", "HMAC/SHA-256", "--id", "a"]);
    assert_eq!((locked["exportable"].as_bool(), locked["guest_mutable"].as_bool()), (Some(false), Some(false)));
    let open = json(&ks, &["generate", "--algorithm", "X25519", "--id", "b", "--exportable", "--guest-mutable"]);
    assert_eq!((open["exportable"].as_bool(), open["guest_mutable"].as_bool()), (Some(true), Some(true)));
    let rotated = json(&ks, &["rotate", "--id", "a", "--exportable"]);
    assert_eq!((rotated["version"].as_u64(), rotated["exportable"].as_bool()), (Some(2), Some(true)));
    let (code, stdout, _) = keys(&ks, &["list"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "a\tv1\tsymmetric\tHMAC/SHA-256\tnon-exportable\tguest-read-only",
            "a\tv2\tsymmetric\tHMAC/SHA-256\texportable\tguest-read-only",
            "b\tv1\tkey_exchange\tX25519\texportable\tguest-mutable",
        ]
    );
    // A symmetric key longer than 1024 bytes is refused.
    let big = ks.with_file_name("big.key");
    std::fs::write(&big, vec![1u8; 1025]).unwrap();
    let (code, _, stderr) =
        keys(&ks, &["import", "--algorithm", "HMAC/SHA-256", "--file", big.to_str().unwrap(), "--id", "big"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("cannot import") && stderr.contains("invalid_key"), "{stderr}");
}

#[test]
fn quota_refusals_are_one_clear_line() {
    let ks = temp_dir("quota").join("ks.db");
    json(&ks, &["--max-records", "2", "generate", "--algorithm", "HMAC/SHA-256"]);
    json(&ks, &["--max-records", "2", "generate", "--algorithm", "HMAC/SHA-256", "--id", "k"]);
    let (code, stdout, stderr) = keys(&ks, &["--max-records", "2", "generate", "--algorithm", "HMAC/SHA-256"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(
            "wasmcrypt: error: keystore quota exceeded: namespace 'default' holds 2 records, its quota is 2 (raise it"
        ),
        "{stderr}"
    );
    let (code, _, stderr) = keys(&ks, &["--max-records", "2", "rotate", "--id", "k"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("holds 2 records, its quota is 2"), "{stderr}");
    // HMAC/SHA-256: 32-byte key, 12-byte name, 1-byte id: 45 bytes.
    let (code, _, stderr) =
        keys(&ks, &["--namespace", "n2", "--max-bytes", "44", "generate", "--algorithm", "HMAC/SHA-256", "--id", "x"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("namespace 'n2' holds 0 bytes, a new record of 45 bytes exceeds its quota of 44"),
        "{stderr}"
    );
    json(&ks, &["--namespace", "n2", "--max-bytes", "45", "generate", "--algorithm", "HMAC/SHA-256", "--id", "x"]);
    let (code, _, stderr) = keys(&ks, &["--max-bytes", "lots", "list"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("is not a byte count"), "{stderr}");
}

#[test]
fn status_and_purge_report_usage_and_reclaimed_space() {
    let ks = temp_dir("status").join("ks.db");
    json(&ks, &["--namespace", "app", "generate", "--algorithm", "HMAC/SHA-512", "--id", "m"]);
    json(&ks, &["--namespace", "app", "generate", "--algorithm", "Ed25519", "--id", "s"]);
    json(&ks, &["--namespace", "other", "generate", "--algorithm", "AES-128-GCM", "--id", "k"]);
    let status = json(&ks, &["--max-records", "50", "status"]);
    assert_eq!(status["max_records"], 50);
    assert_eq!(status["max_bytes"], 64 << 20);
    assert!(status["file_bytes"].as_u64().unwrap() > 0);
    let app = &status["namespaces"][0];
    assert_eq!((app["namespace"].as_str(), app["records"].as_u64()), (Some("app"), Some(2)));
    // HMAC/SHA-512: 1 + 12 + 64; Ed25519 PKCS#8 (48 bytes): 1 + 7 + 48.
    assert_eq!(app["bytes"], 1 + 12 + 64 + 1 + 7 + 48);
    assert_eq!(app["purgeable_records"], 0);
    let other = &status["namespaces"][1];
    assert_eq!(
        (other["namespace"].as_str(), other["records"].as_u64(), other["bytes"].as_u64()),
        (Some("other"), Some(1), Some(1 + 11 + 16))
    );

    let (code, stdout, _) = keys(&ks, &["status"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("keystore ") && lines[0].ends_with(" bytes on disk"), "{stdout}");
    assert_eq!(
        &lines[1..],
        [
            "quota per namespace: 10000 records, 67108864 bytes",
            "namespace\trecords\tbytes\tpurgeable",
            "app\t2\t133\t0",
            "other\t1\t28\t0"
        ]
    );

    json(&ks, &["--namespace", "app", "revoke", "--id", "m"]);
    let purged = json(&ks, &["purge"]);
    assert_eq!((purged["expired_records"].as_u64(), purged["empty_ids"].as_u64()), (Some(0), Some(0)));
    assert!(purged["file_bytes_after"].as_u64().unwrap() <= purged["file_bytes_before"].as_u64().unwrap());
    let (code, stdout, _) = keys(&ks, &["purge"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("purged 0 expired secret(s) and 0 empty id(s); "), "{stdout}");
    // The revoked id's versions are never reused: a new `m` starts above them.
    let again = json(&ks, &["--namespace", "app", "generate", "--algorithm", "HMAC/SHA-512", "--id", "m"]);
    assert_eq!(again["version"], 2);
}

#[test]
fn a_keystore_url_of_an_unknown_scheme_is_an_error_never_a_file() {
    let dir = temp_dir("scheme");
    for (via_env, location) in
        [(false, "mysql://db/keys"), (true, "redis://cache:6379/0"), (false, "file:///tmp/ks.db")]
    {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wasmcrypt"));
        cmd.current_dir(&dir).env("WASMCRYPT_MASTER_KEY", "33".repeat(32)).env_remove("WASMCRYPT_MASTER_KEY_FILE");
        if via_env {
            cmd.env("WASMCRYPT_KEYSTORE", location).args(["keys", "list"]);
        } else {
            cmd.env_remove("WASMCRYPT_KEYSTORE").args(["keys", "--keystore", location, "list"]);
        }
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{location}: {stderr}");
        assert!(stderr.contains("unsupported keystore URL scheme"), "{location}: {stderr}");
    }
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "nothing was created");
    // A PostgreSQL keystore never makes up a master key.
    let out = Command::new(env!("CARGO_BIN_EXE_wasmcrypt"))
        .args(["keys", "--keystore", "postgres://fleet@127.0.0.1:1/keys", "list"])
        .env_remove("WASMCRYPT_MASTER_KEY")
        .env_remove("WASMCRYPT_MASTER_KEY_FILE")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs the fleet's master key"), "{out:?}");
}
