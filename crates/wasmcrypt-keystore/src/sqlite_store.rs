//! [`SqliteKeyStore`]: the [`KeyStore`] on one SQLite file.
//!
//! The database runs in WAL mode with `synchronous = FULL`, so a committed change survives a
//! crash of the process or of the machine, and a change that was not committed leaves no trace.
//! Every write is one `BEGIN IMMEDIATE` transaction; other processes wait for the lock (up to
//! [`BUSY_TIMEOUT`]), so any number of `wasmcrypt` processes can share a store. A new store
//! file is created readable by its owner only.

use crate::master_key::MasterKey;
use crate::schema;
use crate::sealing::{Keys, RecordHeader, hex};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, TransactionBehavior, params};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use wasmcrypt::secrets::{
    EnvelopeKey, KeyStore, SecretKind, SecretRecord, StoreError, StoredSecret, VERSION_UNSPECIFIED, VersionInfo,
    VersionSelector,
};

/// How long a process waits for another one's write lock.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest namespace accepted.
pub const MAX_NAMESPACE_LEN: usize = 255;

/// A persistent, encrypted [`KeyStore`] in one SQLite file.
pub struct SqliteKeyStore {
    conn: Mutex<Connection>,
    keys: Keys,
    path: PathBuf,
}

fn backend(e: rusqlite::Error) -> StoreError {
    match e {
        rusqlite::Error::SqliteFailure(ref f, _) if f.code == rusqlite::ErrorCode::DatabaseCorrupt => {
            StoreError::Corrupted(e.to_string())
        }
        rusqlite::Error::SqliteFailure(ref f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
            StoreError::Corrupted(e.to_string())
        }
        e => StoreError::Backend(e.to_string()),
    }
}

fn to_sql_version(version: u64) -> Result<i64, StoreError> {
    i64::try_from(version).map_err(|_| StoreError::NotFound)
}

/// The columns of a `secrets` row, before authentication.
struct Row9 {
    version: i64,
    kind: i64,
    algorithm: String,
    exportable: i64,
    expiration: Option<i64>,
    nonce: Vec<u8>,
    sealed: Vec<u8>,
}

const ROW_COLUMNS: &str = "version, kind, algorithm, exportable, expiration, nonce, sealed";

fn read_row(row: &Row<'_>) -> rusqlite::Result<Row9> {
    Ok(Row9 {
        version: row.get(0)?,
        kind: row.get(1)?,
        algorithm: row.get(2)?,
        exportable: row.get(3)?,
        expiration: row.get(4)?,
        nonce: row.get(5)?,
        sealed: row.get(6)?,
    })
}

fn corrupted(what: &str) -> StoreError {
    StoreError::Corrupted(what.to_owned())
}

impl Row9 {
    /// Authenticates the row as (namespace, id) and decrypts it.
    fn open(self, keys: &Keys, namespace: &str, id: &[u8]) -> Result<StoredSecret, StoreError> {
        let version = u64::try_from(self.version).map_err(|_| corrupted("negative version"))?;
        let kind = u8::try_from(self.kind).ok().and_then(SecretKind::from_code).ok_or_else(|| corrupted("kind"))?;
        let exportable = match self.exportable {
            0 => false,
            1 => true,
            _ => return Err(corrupted("exportable flag")),
        };
        let expiration = self.expiration.map(i64::cast_unsigned);
        let header = RecordHeader { namespace, id, version, kind, algorithm: &self.algorithm, exportable, expiration };
        let material = keys.open(&header, &self.nonce, &self.sealed)?;
        let record = SecretRecord { kind, algorithm: self.algorithm, material, exportable, expiration };
        Ok(StoredSecret { id: id.to_vec(), version, record })
    }
}

impl SqliteKeyStore {
    /// Opens the store at `path`, creating the file (and its directory) if needed. A store
    /// created under another master key is refused.
    pub fn open(path: &Path, master: &MasterKey) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Backend(format!("{}: {e}", dir.display())))?;
        }
        create_private(path)?;
        let conn = Connection::open(path).map_err(backend)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(backend)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(backend)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(backend)?;
        let keys = Keys::new(master)?;
        let store = Self { conn: Mutex::new(conn), keys, path: path.to_owned() };
        store.initialize()?;
        Ok(store)
    }

    /// The file the store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.conn.lock().map_err(|_| StoreError::Backend("lock poisoned".into()))
    }

    fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let mut conn = self.lock()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(backend)?;
        let out = f(&tx)?;
        tx.commit().map_err(backend)?;
        Ok(out)
    }

    fn initialize(&self) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute_batch(schema::CREATE).map_err(backend)?;
            let meta = |name: &str| -> Result<Option<Vec<u8>>, StoreError> {
                tx.query_row("SELECT value FROM meta WHERE name = ?1", [name], |r| r.get(0)).optional().map_err(backend)
            };
            match (meta("format")?, meta("check_nonce")?, meta("check_tag")?) {
                (None, None, None) => {
                    let (nonce, tag) = self.keys.make_check()?;
                    let mut insert = tx.prepare("INSERT INTO meta (name, value) VALUES (?1, ?2)").map_err(backend)?;
                    insert.execute(params!["format", schema::FORMAT.to_be_bytes().to_vec()]).map_err(backend)?;
                    insert.execute(params!["check_nonce", nonce]).map_err(backend)?;
                    insert.execute(params!["check_tag", tag]).map_err(backend)?;
                    Ok(())
                }
                (Some(format), Some(nonce), Some(tag)) => {
                    if format != schema::FORMAT.to_be_bytes() {
                        return Err(StoreError::Backend("unknown keystore format".into()));
                    }
                    if !self.keys.verify_check(&nonce, &tag) {
                        return Err(StoreError::Backend("wrong master key for this keystore".into()));
                    }
                    Ok(())
                }
                _ => Err(corrupted("keystore metadata")),
            }
        })
    }

    fn insert_row(
        &self,
        tx: &Transaction<'_>,
        namespace: &str,
        id: &[u8],
        version: u64,
        record: &SecretRecord,
    ) -> Result<(), StoreError> {
        let header = RecordHeader {
            namespace,
            id,
            version,
            kind: record.kind,
            algorithm: &record.algorithm,
            exportable: record.exportable,
            expiration: record.expiration,
        };
        let (nonce, sealed) = self.keys.seal(&header, &record.material)?;
        // Stored as the same 64 bits, so that every u64 (u64::MAX included) round-trips.
        let expiration = record.expiration.map(u64::cast_signed);
        tx.execute(
            "INSERT INTO secrets (namespace, id, version, kind, algorithm, exportable, expiration, nonce, sealed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                namespace,
                id,
                to_sql_version(version)?,
                i64::from(record.kind.code()),
                record.algorithm,
                i64::from(record.exportable),
                expiration,
                nonce,
                sealed
            ],
        )
        .map_err(backend)?;
        Ok(())
    }

    fn select(
        &self,
        conn: &Connection,
        namespace: &str,
        id: &[u8],
        version: VersionSelector,
    ) -> Result<StoredSecret, StoreError> {
        let row = match version {
            VersionSelector::Exact(v) => {
                let Ok(v) = i64::try_from(v) else { return Err(StoreError::NotFound) };
                conn.query_row(
                    &format!("SELECT {ROW_COLUMNS} FROM secrets WHERE namespace = ?1 AND id = ?2 AND version = ?3"),
                    params![namespace, id, v],
                    read_row,
                )
            }
            VersionSelector::Latest => conn.query_row(
                &format!(
                    "SELECT {ROW_COLUMNS} FROM secrets WHERE namespace = ?1 AND id = ?2 ORDER BY version DESC LIMIT 1"
                ),
                params![namespace, id],
                read_row,
            ),
            VersionSelector::All => return Err(StoreError::NotFound),
        };
        let row = row.optional().map_err(backend)?.ok_or(StoreError::NotFound)?;
        let stored = row.open(&self.keys, namespace, id)?;
        if let VersionSelector::Exact(v) = version
            && stored.version != v
        {
            return Err(corrupted("version"));
        }
        Ok(stored)
    }
}

/// Creates an empty store file readable by its owner only (SQLite gives its `-wal` and `-shm`
/// files the same mode), unless it exists.
fn create_private(path: &Path) -> Result<(), StoreError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::Backend(format!("{}: {e}", path.display()))),
    }
}

fn check_namespace(namespace: &str) -> Result<(), StoreError> {
    if namespace.len() > MAX_NAMESPACE_LEN {
        return Err(StoreError::Backend(format!("namespaces are at most {MAX_NAMESPACE_LEN} bytes")));
    }
    Ok(())
}

impl KeyStore for SqliteKeyStore {
    fn insert_new(&self, namespace: &str, id: &[u8], record: &SecretRecord) -> Result<u64, StoreError> {
        check_namespace(namespace)?;
        self.write(|tx| {
            let inserted = tx
                .execute(
                    "INSERT INTO ids (namespace, id, last_version) VALUES (?1, ?2, 1) ON CONFLICT DO NOTHING",
                    params![namespace, id],
                )
                .map_err(backend)?;
            if inserted == 0 {
                return Err(StoreError::AlreadyExists);
            }
            self.insert_row(tx, namespace, id, 1, record)?;
            Ok(1)
        })
    }

    fn insert_version(&self, namespace: &str, id: &[u8], record: &SecretRecord) -> Result<u64, StoreError> {
        check_namespace(namespace)?;
        self.write(|tx| {
            let latest = self.select(tx, namespace, id, VersionSelector::Latest)?;
            if latest.record.kind != record.kind || latest.record.algorithm != record.algorithm {
                return Err(StoreError::Incompatible);
            }
            let last: i64 = tx
                .query_row(
                    "SELECT last_version FROM ids WHERE namespace = ?1 AND id = ?2",
                    params![namespace, id],
                    |r| r.get(0),
                )
                .optional()
                .map_err(backend)?
                .ok_or_else(|| corrupted("a version without its id"))?;
            let last = u64::try_from(last).map_err(|_| corrupted("negative version"))?;
            let version = last.max(latest.version).checked_add(1).filter(|v| *v < VERSION_UNSPECIFIED);
            let version = version.ok_or_else(|| StoreError::Backend("version overflow".into()))?;
            tx.execute(
                "UPDATE ids SET last_version = ?3 WHERE namespace = ?1 AND id = ?2",
                params![namespace, id, to_sql_version(version)?],
            )
            .map_err(backend)?;
            self.insert_row(tx, namespace, id, version, record)?;
            Ok(version)
        })
    }

    fn get(&self, namespace: &str, id: &[u8], version: VersionSelector) -> Result<StoredSecret, StoreError> {
        let conn = self.lock()?;
        self.select(&conn, namespace, id, version)
    }

    fn invalidate(&self, namespace: &str, id: &[u8], version: VersionSelector) -> Result<usize, StoreError> {
        self.write(|tx| {
            let removed = match version {
                VersionSelector::All => tx
                    .execute("DELETE FROM secrets WHERE namespace = ?1 AND id = ?2", params![namespace, id])
                    .map_err(backend)?,
                VersionSelector::Exact(v) => {
                    let Ok(v) = i64::try_from(v) else { return Err(StoreError::NotFound) };
                    tx.execute(
                        "DELETE FROM secrets WHERE namespace = ?1 AND id = ?2 AND version = ?3",
                        params![namespace, id, v],
                    )
                    .map_err(backend)?
                }
                VersionSelector::Latest => tx
                    .execute(
                        "DELETE FROM secrets WHERE namespace = ?1 AND id = ?2 AND version =
                         (SELECT MAX(version) FROM secrets WHERE namespace = ?1 AND id = ?2)",
                        params![namespace, id],
                    )
                    .map_err(backend)?,
            };
            if removed == 0 {
                return Err(StoreError::NotFound);
            }
            Ok(removed)
        })
    }

    fn list(&self, namespace: &str) -> Result<Vec<VersionInfo>, StoreError> {
        let conn = self.lock()?;
        let mut stmt = conn
            .prepare(&format!("SELECT id, {ROW_COLUMNS} FROM secrets WHERE namespace = ?1 ORDER BY id, version"))
            .map_err(backend)?;
        let rows = stmt
            .query_map([namespace], |r| {
                let id: Vec<u8> = r.get(0)?;
                let row = Row9 {
                    version: r.get(1)?,
                    kind: r.get(2)?,
                    algorithm: r.get(3)?,
                    exportable: r.get(4)?,
                    expiration: r.get(5)?,
                    nonce: r.get(6)?,
                    sealed: r.get(7)?,
                };
                Ok((id, row))
            })
            .map_err(backend)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, row) = row.map_err(backend)?;
            let stored = row.open(&self.keys, namespace, &id)?;
            out.push(VersionInfo {
                id: stored.id,
                version: stored.version,
                kind: stored.record.kind,
                algorithm: stored.record.algorithm,
                exportable: stored.record.exportable,
                expiration: stored.record.expiration,
            });
        }
        Ok(out)
    }

    fn envelope_key(&self) -> Result<EnvelopeKey, StoreError> {
        Ok(self.keys.envelope())
    }
}

impl std::fmt::Debug for SqliteKeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteKeyStore").field("path", &self.path).finish_non_exhaustive()
    }
}

/// Lower-case hexadecimal of an id, as the CLI prints it.
pub fn id_to_hex(id: &[u8]) -> String {
    hex(id)
}
