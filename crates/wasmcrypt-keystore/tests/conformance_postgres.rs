//! The conformance suite on PostgreSQL: a throwaway cluster per test binary, a database per
//! test. Skipped with a notice when no PostgreSQL can be started here (a failure instead with
//! WASMCRYPT_REQUIRE_POSTGRES=1, as in CI).

mod conformance;

use conformance::Backend;
use std::sync::OnceLock;
use wasmcrypt_keystore::KeystoreLocation;
use wasmcrypt_keystore::test_cluster::TestCluster;

fn cluster() -> Option<&'static TestCluster> {
    static CLUSTER: OnceLock<Option<TestCluster>> = OnceLock::new();
    CLUSTER.get_or_init(|| TestCluster::start_or_skip("conformance_postgres")).as_ref()
}

struct Postgres {
    cluster: &'static TestCluster,
    prefix: String,
}

fn backend() -> Option<Postgres> {
    let test = std::thread::current().name().unwrap_or("t").replace(|c: char| !c.is_ascii_alphanumeric(), "_");
    cluster().map(|cluster| Postgres { cluster, prefix: test })
}

impl Backend for Postgres {
    fn location(&self, test: &str) -> KeystoreLocation {
        let database = format!("{}_{}", self.prefix, test.replace('-', "_"));
        let url = match self.cluster.create_database(&database) {
            Ok(url) => url,
            Err(e) if e.contains("already exists") => self.cluster.url(&database),
            Err(e) => panic!("{e}"),
        };
        KeystoreLocation::Postgres(url)
    }

    fn execute(&self, location: &KeystoreLocation, sql: &str) {
        let KeystoreLocation::Postgres(url) = location else { unreachable!() };
        let database = url.rsplit('/').next().unwrap().split('?').next().unwrap();
        self.cluster.execute(database, sql).unwrap();
    }

    fn table(&self, name: &str) -> String {
        format!("wasmcrypt.{name}")
    }

    fn schema_version(&self) -> u64 {
        1
    }

    fn name(&self) -> &'static str {
        "postgres"
    }

    fn bytes_literal(&self, bytes: &[u8]) -> String {
        format!("'\\x{}'::bytea", hex::encode(bytes))
    }

    fn set_schema_version(&self, version: u64) -> String {
        format!(
            "UPDATE wasmcrypt.meta SET value = {} WHERE name = 'schema_version'",
            self.bytes_literal(&version.to_be_bytes())
        )
    }
}

conformance_tests!(backend());
