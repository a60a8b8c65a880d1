//! The conformance suite on SQLite files.

mod conformance;

use conformance::Backend;
use std::path::PathBuf;
use wasmcrypt_keystore::KeystoreLocation;

struct Sqlite {
    dir: PathBuf,
}

impl Sqlite {
    fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("wasmcrypt-conformance-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self { dir }
    }
}

impl Backend for Sqlite {
    fn location(&self, test: &str) -> KeystoreLocation {
        KeystoreLocation::File(self.dir.join(format!("{test}.db")))
    }

    fn execute(&self, location: &KeystoreLocation, sql: &str) {
        let conn = rusqlite::Connection::open(location.file().unwrap()).unwrap();
        conn.execute(sql, []).unwrap();
    }

    fn table(&self, name: &str) -> String {
        name.to_owned()
    }

    fn schema_version(&self) -> u64 {
        1
    }

    fn name(&self) -> &'static str {
        "sqlite"
    }

    fn bytes_literal(&self, bytes: &[u8]) -> String {
        format!("x'{}'", hex::encode(bytes))
    }

    fn set_schema_version(&self, version: u64) -> String {
        format!("UPDATE meta SET value = {} WHERE name = 'format'", self.bytes_literal(&version.to_be_bytes()))
    }
}

impl Drop for Sqlite {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

conformance_tests!(Some(Sqlite::new(&std::thread::current().name().unwrap_or("t").replace(':', "_"))));
