//! [`SqliteKeyStore`]: the [`KeyStore`] on one SQLite file.
//!
//! The database runs in WAL mode with `synchronous = FULL`, so a committed change survives a
//! crash of the process or of the machine, and a change that was not committed leaves no trace.
//!
//! Concurrency: each call takes a connection of its own from a small pool (no lock is held
//! while SQLite works), so a thread waiting for the write lock never holds up another thread.
//! Reads are WAL snapshots: a writer, in this process or another, never blocks them. Every
//! write is one `BEGIN IMMEDIATE` transaction; a writer waits for another one's lock for at
//! most [`SqliteOptions::busy_timeout`] (default [`DEFAULT_BUSY_TIMEOUT`]) and then fails with
//! [`StoreError::Busy`]. Any number of `wasmcrypt` processes can share a store.
//!
//! Every insertion checks the namespace's [`Quotas`] inside its write transaction, after
//! deleting up to [`PURGE_PER_WRITE`] expired external secrets of the namespace; every write
//! gives up to [`VACUUM_PAGES_PER_WRITE`] free pages back to the file system. A new store file
//! is created readable by its owner only.

use crate::admin::{AdminStore, NamespaceDump, RotationReport};
use crate::master_key::MasterKey;
use crate::schema;
use crate::sealing::{Keys, RecordHeader, Rewrap};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, TransactionBehavior, params};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use wasmcrypt::secrets::{
    Actor, EnvelopeKey, KeyStore, NamespaceUsage, PurgeReport, Quotas, SecretKind, SecretRecord, StoreError,
    StoredSecret, VERSION_UNSPECIFIED, VersionInfo, VersionSelector, record_bytes, unix_now,
};

/// How long a writer waits, by default, for another one's write lock.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(2);

/// The most expired external secrets a write deletes in its namespace.
pub const PURGE_PER_WRITE: u32 = 64;

/// The most free pages a write gives back to the file system.
pub const VACUUM_PAGES_PER_WRITE: u32 = 128;

/// The most idle connections kept open.
const MAX_IDLE_CONNECTIONS: usize = 8;

/// The longest namespace accepted.
pub const MAX_NAMESPACE_LEN: usize = 255;

/// The tag length of a sealed record.
const TAG_LEN: i64 = 16;

/// How a [`SqliteKeyStore`] behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SqliteOptions {
    /// The per-namespace quotas (default: [`Quotas::default`]).
    pub quotas: Quotas,
    /// How long a writer waits for another one's write lock (default
    /// [`DEFAULT_BUSY_TIMEOUT`]).
    pub busy_timeout: Duration,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        Self { quotas: Quotas::default(), busy_timeout: DEFAULT_BUSY_TIMEOUT }
    }
}

/// A persistent, encrypted [`KeyStore`] in one SQLite file.
pub struct SqliteKeyStore {
    idle: Mutex<Vec<Connection>>,
    keys: Keys,
    path: PathBuf,
    options: SqliteOptions,
}

/// A connection taken from the pool, given back when dropped.
struct Pooled<'a> {
    conn: Option<Connection>,
    store: &'a SqliteKeyStore,
}

impl std::ops::Deref for Pooled<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn.as_ref().unwrap_or_else(|| unreachable!("taken only on drop"))
    }
}

impl std::ops::DerefMut for Pooled<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        self.conn.as_mut().unwrap_or_else(|| unreachable!("taken only on drop"))
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        if let (Some(conn), Ok(mut idle)) = (self.conn.take(), self.store.idle.lock())
            && idle.len() < MAX_IDLE_CONNECTIONS
        {
            idle.push(conn);
        }
    }
}

fn backend(e: rusqlite::Error) -> StoreError {
    match e {
        rusqlite::Error::SqliteFailure(ref f, _)
            if matches!(f.code, rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) =>
        {
            StoreError::Corrupted(e.to_string())
        }
        rusqlite::Error::SqliteFailure(ref f, _)
            if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) =>
        {
            StoreError::Busy(e.to_string())
        }
        e => StoreError::Backend(e.to_string()),
    }
}

fn to_sql_version(version: u64) -> Result<i64, StoreError> {
    i64::try_from(version).map_err(|_| StoreError::NotFound)
}

fn from_sql_version(version: i64) -> Result<u64, StoreError> {
    u64::try_from(version).map_err(|_| corrupted("negative version"))
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
    guest_mutable: i64,
}

const ROW_COLUMNS: &str = "version, kind, algorithm, exportable, expiration, nonce, sealed, guest_mutable";

fn read_row_at(row: &Row<'_>, at: usize) -> rusqlite::Result<Row9> {
    Ok(Row9 {
        version: row.get(at)?,
        kind: row.get(at + 1)?,
        algorithm: row.get(at + 2)?,
        exportable: row.get(at + 3)?,
        expiration: row.get(at + 4)?,
        nonce: row.get(at + 5)?,
        sealed: row.get(at + 6)?,
        guest_mutable: row.get(at + 7)?,
    })
}

fn read_row(row: &Row<'_>) -> rusqlite::Result<Row9> {
    read_row_at(row, 0)
}

fn corrupted(what: &str) -> StoreError {
    StoreError::Corrupted(what.to_owned())
}

fn flag(value: i64, what: &str) -> Result<bool, StoreError> {
    match value {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(corrupted(what)),
    }
}

impl Row9 {
    fn header<'a>(&'a self, namespace: &'a str, id: &'a [u8]) -> Result<RecordHeader<'a>, StoreError> {
        Ok(RecordHeader {
            namespace,
            id,
            version: from_sql_version(self.version)?,
            kind: u8::try_from(self.kind).ok().and_then(SecretKind::from_code).ok_or_else(|| corrupted("kind"))?,
            algorithm: &self.algorithm,
            exportable: flag(self.exportable, "exportable flag")?,
            expiration: self.expiration.map(i64::cast_unsigned),
            guest_mutable: flag(self.guest_mutable, "guest_mutable flag")?,
        })
    }

    /// Re-seals the row's material under `new` (see [`Keys::rewrap`]).
    fn rewrap(&self, keys: &Keys, new: &Keys, namespace: &str, id: &[u8]) -> Result<Rewrap, StoreError> {
        keys.rewrap(new, &self.header(namespace, id)?, &self.nonce, &self.sealed)
    }

    /// Authenticates the row as (namespace, id) and decrypts it.
    fn open(self, keys: &Keys, namespace: &str, id: &[u8]) -> Result<StoredSecret, StoreError> {
        let header = self.header(namespace, id)?;
        let material = keys.open(&header, &self.nonce, &self.sealed)?;
        let (version, kind, exportable, expiration, guest_mutable) =
            (header.version, header.kind, header.exportable, header.expiration, header.guest_mutable);
        let record = SecretRecord { kind, algorithm: self.algorithm, material, exportable, expiration, guest_mutable };
        Ok(StoredSecret { id: id.to_vec(), version, record })
    }
}

/// Opens one connection to the file, set up for the store.
fn connect(path: &Path, busy_timeout: Duration) -> Result<Connection, StoreError> {
    let conn = Connection::open(path).map_err(backend)?;
    conn.busy_timeout(busy_timeout).map_err(backend)?;
    conn.pragma_update(None, "synchronous", "FULL").map_err(backend)?;
    Ok(conn)
}

/// The size of the store's file and journal, in bytes.
fn files_size(path: &Path) -> u64 {
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    size(path) + size(Path::new(&wal))
}

/// The version high-water mark of the namespace's emptied ids.
fn version_floor(tx: &Transaction<'_>, namespace: &str) -> Result<u64, StoreError> {
    let floor: Option<i64> = tx
        .query_row("SELECT version_floor FROM namespaces WHERE namespace = ?1", [namespace], |r| r.get(0))
        .optional()
        .map_err(backend)?;
    from_sql_version(floor.unwrap_or(0))
}

/// If the id has no live version left, folds its last version into the namespace's floor and
/// deletes its `ids` row. Returns whether it did.
fn forget_if_empty(tx: &Transaction<'_>, namespace: &str, id: &[u8]) -> Result<bool, StoreError> {
    let last: Option<i64> = tx
        .query_row(
            "SELECT last_version FROM ids WHERE namespace = ?1 AND id = ?2
             AND NOT EXISTS (SELECT 1 FROM secrets WHERE namespace = ?1 AND id = ?2)",
            params![namespace, id],
            |r| r.get(0),
        )
        .optional()
        .map_err(backend)?;
    let Some(last) = last else { return Ok(false) };
    tx.execute(
        "INSERT INTO namespaces (namespace, version_floor) VALUES (?1, ?2)
         ON CONFLICT (namespace) DO UPDATE SET version_floor = MAX(version_floor, excluded.version_floor)",
        params![namespace, last],
    )
    .map_err(backend)?;
    tx.execute("DELETE FROM ids WHERE namespace = ?1 AND id = ?2", params![namespace, id]).map_err(backend)?;
    Ok(true)
}

/// Deletes up to `limit` expired external secrets, of one namespace or of all; returns how many
/// secrets and how many emptied ids.
fn purge_expired(tx: &Transaction<'_>, namespace: Option<&str>, limit: u32) -> Result<(u64, u64), StoreError> {
    // Expirations are u64 stored as i64: those past i64::MAX are negative and far in the future.
    let now = i64::try_from(unix_now()).unwrap_or(i64::MAX);
    // One namespace: a range of the `secrets_expiring` index.
    let which = if namespace.is_some() { "namespace = ?1" } else { "?1 IS NULL" };
    let expired: Vec<(String, Vec<u8>, i64)> = {
        let mut stmt = tx
            .prepare(&format!(
                "SELECT namespace, id, version FROM secrets
                 WHERE kind = 4 AND {which} AND expiration BETWEEN 0 AND ?2 LIMIT ?3"
            ))
            .map_err(backend)?;
        let rows = stmt
            .query_map(params![namespace, now, i64::from(limit)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(backend)?;
        rows.collect::<rusqlite::Result<_>>().map_err(backend)?
    };
    let mut emptied = 0;
    for (ns, id, version) in &expired {
        tx.execute("DELETE FROM secrets WHERE namespace = ?1 AND id = ?2 AND version = ?3", params![ns, id, version])
            .map_err(backend)?;
        emptied += u64::from(forget_if_empty(tx, ns, id)?);
    }
    Ok((expired.len() as u64, emptied))
}

/// Gives up to `pages` (default: all) free pages back to the file system. The pragma frees one
/// page per step, so it is stepped to its end.
fn incremental_vacuum(conn: &Connection, pages: Option<u32>) -> Result<(), StoreError> {
    let sql = match pages {
        Some(n) => format!("PRAGMA incremental_vacuum({n})"),
        None => "PRAGMA incremental_vacuum".to_owned(),
    };
    let mut stmt = conn.prepare(&sql).map_err(backend)?;
    let mut rows = stmt.query([]).map_err(backend)?;
    while rows.next().map_err(backend)?.is_some() {}
    Ok(())
}

/// The (records, bytes) a namespace holds; bytes as [`record_bytes`] counts them.
fn namespace_usage(conn: &Connection, namespace: &str) -> Result<(u64, u64), StoreError> {
    let (records, bytes): (i64, i64) = conn
        .query_row(
            &format!(
                "SELECT COUNT(*), COALESCE(SUM(length(id) + length(CAST(algorithm AS BLOB)) + length(sealed) - {TAG_LEN}), 0)
                 FROM secrets WHERE namespace = ?1"
            ),
            [namespace],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(backend)?;
    Ok((records.max(0).cast_unsigned(), bytes.max(0).cast_unsigned()))
}

impl SqliteKeyStore {
    /// Opens the store at `path` with the default [`SqliteOptions`], creating the file (and its
    /// directory) if needed. A store created under another master key is refused.
    pub fn open(path: &Path, master: &MasterKey) -> Result<Self, StoreError> {
        Self::open_with(path, master, SqliteOptions::default())
    }

    /// Opens the store at `path` with `options` (quotas, lock wait), creating the file (and its
    /// directory) if needed. A store created under another master key is refused.
    pub fn open_with(path: &Path, master: &MasterKey, options: SqliteOptions) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Backend(format!("{}: {e}", dir.display())))?;
        }
        create_private(path)?;
        let mut conn = connect(path, options.busy_timeout)?;
        // Takes effect only on a file without tables, that is a new one.
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL").map_err(backend)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(backend)?;
        let keys = Keys::new(master)?;
        let store = Self { idle: Mutex::new(Vec::new()), keys, path: path.to_owned(), options };
        store.initialize(&mut conn)?;
        store.lock_idle()?.push(conn);
        Ok(store)
    }

    /// The file the store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The bytes the store takes on disk: its file and its write-ahead log.
    pub fn size_on_disk(&self) -> u64 {
        files_size(&self.path)
    }

    /// The options the store was opened with.
    pub fn options(&self) -> SqliteOptions {
        self.options
    }

    fn lock_idle(&self) -> Result<MutexGuard<'_, Vec<Connection>>, StoreError> {
        self.idle.lock().map_err(|_| StoreError::Backend("lock poisoned".into()))
    }

    /// A connection of the pool, or a new one. The pool's lock is held only to take it.
    fn conn(&self) -> Result<Pooled<'_>, StoreError> {
        let idle = self.lock_idle()?.pop();
        let conn = match idle {
            Some(conn) => conn,
            None => connect(&self.path, self.options.busy_timeout)?,
        };
        Ok(Pooled { conn: Some(conn), store: self })
    }

    /// The error of a writer that waited for the lock for too long.
    fn busy(&self, e: StoreError) -> StoreError {
        match e {
            StoreError::Busy(_) => StoreError::Busy(format!(
                "another writer held the keystore '{}' for more than {} ms",
                self.path.display(),
                self.options.busy_timeout.as_millis()
            )),
            e => e,
        }
    }

    fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let mut conn = self.conn()?;
        self.write_on(&mut conn, f)
    }

    fn write_on<T>(
        &self,
        conn: &mut Connection,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let run = || {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(backend)?;
            let out = f(&tx)?;
            tx.commit().map_err(backend)?;
            Ok(out)
        };
        run().map_err(|e| self.busy(e))
    }

    fn initialize(&self, conn: &mut Connection) -> Result<(), StoreError> {
        self.write_on(conn, |tx| {
            tx.execute_batch(schema::CREATE).map_err(backend)?;
            let has_flag: i64 = tx
                .query_row("SELECT COUNT(*) FROM pragma_table_info('secrets') WHERE name = 'guest_mutable'", [], |r| {
                    r.get(0)
                })
                .map_err(backend)?;
            if has_flag == 0 {
                tx.execute_batch(schema::ADD_GUEST_MUTABLE).map_err(backend)?;
            }
            tx.execute_batch(schema::CREATE_INDEXES).map_err(backend)?;
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
                        let pending = matches!(
                            (meta("next_check_nonce")?, meta("next_check_tag")?),
                            (Some(n), Some(t)) if self.keys.verify_check(&n, &t)
                        );
                        return Err(StoreError::Backend(if pending {
                            "a master-key rotation to this key is not finished: run `wasmcrypt keys rotate-master` again with the old key".into()
                        } else {
                            "wrong master key for this keystore".into()
                        }));
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
            guest_mutable: record.guest_mutable,
        };
        let (nonce, sealed) = self.keys.seal(&header, &record.material)?;
        // Stored as the same 64 bits, so that every u64 (u64::MAX included) round-trips.
        let expiration = record.expiration.map(u64::cast_signed);
        tx.execute(
            "INSERT INTO secrets
             (namespace, id, version, kind, algorithm, exportable, expiration, nonce, sealed, guest_mutable)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                namespace,
                id,
                to_sql_version(version)?,
                i64::from(record.kind.code()),
                record.algorithm,
                i64::from(record.exportable),
                expiration,
                nonce,
                sealed,
                i64::from(record.guest_mutable)
            ],
        )
        .map_err(backend)?;
        Ok(())
    }

    /// Makes room for a new record in the namespace: a bounded purge of its expired secrets,
    /// then the quota check, inside the write transaction.
    fn admit(&self, tx: &Transaction<'_>, namespace: &str, id: &[u8], record: &SecretRecord) -> Result<(), StoreError> {
        purge_expired(tx, Some(namespace), PURGE_PER_WRITE)?;
        let (records, bytes) = namespace_usage(tx, namespace)?;
        self.options.quotas.check(namespace, records, bytes, record_bytes(id, record))
    }

    /// Gives up to [`VACUUM_PAGES_PER_WRITE`] free pages back (a no-op on files made before
    /// `auto_vacuum`, until a purge converts them).
    fn reclaim_some(tx: &Transaction<'_>) -> Result<(), StoreError> {
        let free: i64 = tx.query_row("PRAGMA freelist_count", [], |r| r.get(0)).map_err(backend)?;
        if free > 0 {
            incremental_vacuum(tx, Some(VACUUM_PAGES_PER_WRITE))?;
        }
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

    /// Gives every free page back to the file system and truncates the journal: converts a
    /// file made before `auto_vacuum` (one full `VACUUM`), else an incremental vacuum.
    fn reclaim_all(&self) -> Result<(), StoreError> {
        let conn = self.conn()?;
        let mode: i64 = conn.query_row("PRAGMA auto_vacuum", [], |r| r.get(0)).map_err(backend)?;
        let reclaim = if mode == 2 {
            incremental_vacuum(&conn, None)
        } else {
            conn.execute_batch("PRAGMA auto_vacuum = INCREMENTAL; VACUUM").map_err(backend)
        };
        reclaim.map_err(|e| self.busy(e))?;
        // Copies the WAL back and truncates it; readers still using it only make it partial.
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).map_err(backend)?;
        Ok(())
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
            self.admit(tx, namespace, id, record)?;
            let live: Option<i64> = tx
                .query_row(
                    "SELECT 1 FROM secrets WHERE namespace = ?1 AND id = ?2 LIMIT 1",
                    params![namespace, id],
                    |r| r.get(0),
                )
                .optional()
                .map_err(backend)?;
            if live.is_some() {
                return Err(StoreError::AlreadyExists);
            }
            // An `ids` row without live versions is left by files written before ids were folded.
            let earlier: Option<i64> = tx
                .query_row(
                    "SELECT last_version FROM ids WHERE namespace = ?1 AND id = ?2",
                    params![namespace, id],
                    |r| r.get(0),
                )
                .optional()
                .map_err(backend)?;
            let after = version_floor(tx, namespace)?.max(from_sql_version(earlier.unwrap_or(0))?);
            let version = after.checked_add(1).filter(|v| *v < VERSION_UNSPECIFIED);
            let version = version.ok_or_else(|| StoreError::Backend("version overflow".into()))?;
            tx.execute(
                "INSERT INTO ids (namespace, id, last_version) VALUES (?1, ?2, ?3)
                 ON CONFLICT (namespace, id) DO UPDATE SET last_version = excluded.last_version",
                params![namespace, id, to_sql_version(version)?],
            )
            .map_err(backend)?;
            self.insert_row(tx, namespace, id, version, record)?;
            Self::reclaim_some(tx)?;
            Ok(version)
        })
    }

    fn insert_version(
        &self,
        namespace: &str,
        id: &[u8],
        record: &SecretRecord,
        actor: Actor,
    ) -> Result<u64, StoreError> {
        check_namespace(namespace)?;
        self.write(|tx| {
            self.admit(tx, namespace, id, record)?;
            let latest = self.select(tx, namespace, id, VersionSelector::Latest)?;
            if latest.record.kind != record.kind || latest.record.algorithm != record.algorithm {
                return Err(StoreError::Incompatible);
            }
            if actor == Actor::Guest && !latest.record.guest_mutable {
                return Err(StoreError::Protected);
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
            let last = from_sql_version(last)?;
            let version = last.max(latest.version).checked_add(1).filter(|v| *v < VERSION_UNSPECIFIED);
            let version = version.ok_or_else(|| StoreError::Backend("version overflow".into()))?;
            tx.execute(
                "UPDATE ids SET last_version = ?3 WHERE namespace = ?1 AND id = ?2",
                params![namespace, id, to_sql_version(version)?],
            )
            .map_err(backend)?;
            self.insert_row(tx, namespace, id, version, record)?;
            Self::reclaim_some(tx)?;
            Ok(version)
        })
    }

    fn get(&self, namespace: &str, id: &[u8], version: VersionSelector) -> Result<StoredSecret, StoreError> {
        let conn = self.conn()?;
        self.select(&conn, namespace, id, version)
    }

    fn invalidate(
        &self,
        namespace: &str,
        id: &[u8],
        version: VersionSelector,
        actor: Actor,
    ) -> Result<usize, StoreError> {
        // The versions a selector means, as a condition on `secrets` (?1 namespace, ?2 id, ?3 version).
        let condition = match version {
            VersionSelector::All => "namespace = ?1 AND id = ?2 AND ?3 IS NULL",
            VersionSelector::Exact(_) => "namespace = ?1 AND id = ?2 AND version = ?3",
            VersionSelector::Latest => {
                "namespace = ?1 AND id = ?2 AND ?3 IS NULL AND version =
                 (SELECT MAX(version) FROM secrets WHERE namespace = ?1 AND id = ?2)"
            }
        };
        let exact = match version {
            VersionSelector::Exact(v) => match i64::try_from(v) {
                Ok(v) => Some(v),
                Err(_) => return Err(StoreError::NotFound),
            },
            _ => None,
        };
        self.write(|tx| {
            if actor == Actor::Guest {
                let protected: i64 = tx
                    .query_row(
                        &format!("SELECT COUNT(*) FROM secrets WHERE {condition} AND guest_mutable = 0"),
                        params![namespace, id, exact],
                        |r| r.get(0),
                    )
                    .map_err(backend)?;
                if protected > 0 {
                    return Err(StoreError::Protected);
                }
            }
            let removed = tx
                .execute(&format!("DELETE FROM secrets WHERE {condition}"), params![namespace, id, exact])
                .map_err(backend)?;
            if removed == 0 {
                return Err(StoreError::NotFound);
            }
            forget_if_empty(tx, namespace, id)?;
            Self::reclaim_some(tx)?;
            Ok(removed)
        })
    }

    fn list(&self, namespace: &str) -> Result<Vec<VersionInfo>, StoreError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare(&format!("SELECT id, {ROW_COLUMNS} FROM secrets WHERE namespace = ?1 ORDER BY id, version"))
            .map_err(backend)?;
        let rows =
            stmt.query_map([namespace], |r| Ok((r.get::<_, Vec<u8>>(0)?, read_row_at(r, 1)?))).map_err(backend)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, row) = row.map_err(backend)?;
            let stored = row.open(&self.keys, namespace, &id)?;
            out.push(VersionInfo::of(&stored.id, stored.version, &stored.record));
        }
        Ok(out)
    }

    fn envelope_key(&self) -> Result<EnvelopeKey, StoreError> {
        Ok(self.keys.envelope())
    }

    fn quotas(&self) -> Quotas {
        self.options.quotas
    }

    fn usage(&self) -> Result<Vec<NamespaceUsage>, StoreError> {
        let now = i64::try_from(unix_now()).unwrap_or(i64::MAX);
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare(&format!(
                "SELECT namespace, COUNT(*),
                        COALESCE(SUM(length(id) + length(CAST(algorithm AS BLOB)) + length(sealed) - {TAG_LEN}), 0),
                        COALESCE(SUM(kind = 4 AND expiration BETWEEN 0 AND ?1), 0)
                 FROM secrets GROUP BY namespace ORDER BY namespace"
            ))
            .map_err(backend)?;
        let rows = stmt
            .query_map([now], |r| {
                Ok(NamespaceUsage {
                    namespace: r.get(0)?,
                    records: r.get::<_, i64>(1)?.max(0).cast_unsigned(),
                    bytes: r.get::<_, i64>(2)?.max(0).cast_unsigned(),
                    purgeable_records: r.get::<_, i64>(3)?.max(0).cast_unsigned(),
                })
            })
            .map_err(backend)?;
        rows.collect::<rusqlite::Result<_>>().map_err(backend)
    }

    fn purge(&self) -> Result<PurgeReport, StoreError> {
        let size_before = files_size(&self.path);
        let (expired_records, empty_ids) = self.write(|tx| {
            let (expired, mut emptied) = purge_expired(tx, None, u32::MAX)?;
            let empty: Vec<(String, Vec<u8>)> = {
                let mut stmt = tx
                    .prepare(
                        "SELECT namespace, id FROM ids WHERE NOT EXISTS
                         (SELECT 1 FROM secrets WHERE secrets.namespace = ids.namespace AND secrets.id = ids.id)",
                    )
                    .map_err(backend)?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).map_err(backend)?;
                rows.collect::<rusqlite::Result<_>>().map_err(backend)?
            };
            for (ns, id) in &empty {
                emptied += u64::from(forget_if_empty(tx, ns, id)?);
            }
            Ok((expired, emptied))
        })?;
        self.reclaim_all()?;
        Ok(PurgeReport {
            expired_records,
            empty_ids,
            size_before: Some(size_before),
            size_after: Some(files_size(&self.path)),
        })
    }
}

/// Records re-wrapped per transaction by a master-key rotation.
const ROTATION_BATCH: i64 = 256;

fn meta_value(tx: &Transaction<'_>, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
    tx.query_row("SELECT value FROM meta WHERE name = ?1", [name], |r| r.get(0)).optional().map_err(backend)
}

fn set_meta(tx: &Transaction<'_>, name: &str, value: &[u8]) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO meta (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        params![name, value],
    )
    .map_err(backend)?;
    Ok(())
}

impl AdminStore for SqliteKeyStore {
    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn size_on_disk(&self) -> Option<u64> {
        Some(files_size(&self.path))
    }

    fn schema_version(&self) -> Result<u64, StoreError> {
        let conn = self.conn()?;
        let v: Vec<u8> =
            conn.query_row("SELECT value FROM meta WHERE name = 'format'", [], |r| r.get(0)).map_err(backend)?;
        let v = i64::from_be_bytes(v.try_into().map_err(|_| corrupted("format"))?);
        from_sql_version(v)
    }

    fn export_namespace(&self, namespace: &str) -> Result<NamespaceDump, StoreError> {
        let mut conn = self.conn()?;
        // One read transaction: one snapshot for the three reads.
        let tx = conn.transaction().map_err(backend)?;
        let version_floor = version_floor(&tx, namespace)?;
        let ids = {
            let mut stmt =
                tx.prepare("SELECT id, last_version FROM ids WHERE namespace = ?1 ORDER BY id").map_err(backend)?;
            let rows =
                stmt.query_map([namespace], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, i64>(1)?))).map_err(backend)?;
            let mut ids = Vec::new();
            for row in rows {
                let (id, last) = row.map_err(backend)?;
                ids.push((id, from_sql_version(last)?));
            }
            ids
        };
        let records = {
            let mut stmt = tx
                .prepare(&format!("SELECT id, {ROW_COLUMNS} FROM secrets WHERE namespace = ?1 ORDER BY id, version"))
                .map_err(backend)?;
            let rows =
                stmt.query_map([namespace], |r| Ok((r.get::<_, Vec<u8>>(0)?, read_row_at(r, 1)?))).map_err(backend)?;
            let mut records = Vec::new();
            for row in rows {
                let (id, row) = row.map_err(backend)?;
                records.push(row.open(&self.keys, namespace, &id)?);
            }
            records
        };
        Ok(NamespaceDump { namespace: namespace.to_owned(), version_floor, ids, records })
    }

    fn import_namespace(&self, dump: &NamespaceDump) -> Result<u64, StoreError> {
        let namespace = dump.namespace.as_str();
        check_namespace(namespace)?;
        self.write(|tx| {
            let (records, _) = namespace_usage(tx, namespace)?;
            if records > 0 {
                return Err(StoreError::AlreadyExists);
            }
            let floor = version_floor(tx, namespace)?;
            crate::admin::check_importable(dump, floor, &self.options.quotas)?;
            tx.execute(
                "INSERT INTO namespaces (namespace, version_floor) VALUES (?1, ?2)
                 ON CONFLICT (namespace) DO UPDATE SET version_floor = MAX(version_floor, excluded.version_floor)",
                params![namespace, to_sql_version(dump.version_floor.max(floor))?],
            )
            .map_err(backend)?;
            tx.execute("DELETE FROM ids WHERE namespace = ?1", [namespace]).map_err(backend)?;
            for (id, last) in &dump.ids {
                tx.execute(
                    "INSERT INTO ids (namespace, id, last_version) VALUES (?1, ?2, ?3)",
                    params![namespace, id, to_sql_version(*last)?],
                )
                .map_err(backend)?;
            }
            for stored in &dump.records {
                self.insert_row(tx, namespace, &stored.id, stored.version, &stored.record)?;
            }
            Ok(dump.records.len() as u64)
        })
    }

    fn rotate_master_key(&self, new: &MasterKey, stop_after: Option<u64>) -> Result<RotationReport, StoreError> {
        let new_keys = Keys::new(new)?;
        self.write(|tx| match (meta_value(tx, "next_check_nonce")?, meta_value(tx, "next_check_tag")?) {
            (Some(n), Some(t)) if new_keys.verify_check(&n, &t) => Ok(()),
            (Some(_), Some(_)) => Err(StoreError::Backend(
                "an unfinished master-key rotation to another key: finish it with that key first".into(),
            )),
            _ => {
                let (nonce, tag) = new_keys.make_check()?;
                set_meta(tx, "next_check_nonce", &nonce)?;
                set_meta(tx, "next_check_tag", &tag)
            }
        })?;
        let mut report = RotationReport::default();
        let mut cursor: (String, Vec<u8>, i64) = (String::new(), Vec::new(), -1);
        loop {
            let (last, stopped) = self.write(|tx| {
                let rows: Vec<(String, Vec<u8>, Row9)> = {
                    let mut stmt = tx
                        .prepare(&format!(
                            "SELECT namespace, id, {ROW_COLUMNS} FROM secrets
                             WHERE (namespace, id, version) > (?1, ?2, ?3)
                             ORDER BY namespace, id, version LIMIT ?4"
                        ))
                        .map_err(backend)?;
                    let rows = stmt
                        .query_map(params![cursor.0, cursor.1, cursor.2, ROTATION_BATCH], |r| {
                            Ok((r.get(0)?, r.get(1)?, read_row_at(r, 2)?))
                        })
                        .map_err(backend)?;
                    rows.collect::<rusqlite::Result<_>>().map_err(backend)?
                };
                let mut last = None;
                for (ns, id, row) in rows {
                    if stop_after.is_some_and(|n| report.rewrapped >= n) {
                        return Ok((last, true));
                    }
                    let version = row.version;
                    match row.rewrap(&self.keys, &new_keys, &ns, &id)? {
                        Rewrap::Done => report.already_done += 1,
                        Rewrap::Sealed(nonce, sealed) => {
                            tx.execute(
                                "UPDATE secrets SET nonce = ?4, sealed = ?5
                                 WHERE namespace = ?1 AND id = ?2 AND version = ?3",
                                params![ns, id, version, nonce, sealed],
                            )
                            .map_err(backend)?;
                            report.rewrapped += 1;
                        }
                    }
                    last = Some((ns, id, version));
                }
                Ok((last, false))
            })?;
            match (last, stopped) {
                (_, true) => return Ok(report),
                (Some(last), false) => cursor = last,
                (None, false) => break,
            }
        }
        self.write(|tx| {
            let (Some(nonce), Some(tag)) = (meta_value(tx, "next_check_nonce")?, meta_value(tx, "next_check_tag")?)
            else {
                return Err(corrupted("the rotation's key check disappeared"));
            };
            set_meta(tx, "check_nonce", &nonce)?;
            set_meta(tx, "check_tag", &tag)?;
            tx.execute("DELETE FROM meta WHERE name IN ('next_check_nonce', 'next_check_tag')", []).map_err(backend)?;
            Ok(())
        })?;
        report.finished = true;
        Ok(report)
    }
}

impl std::fmt::Debug for SqliteKeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteKeyStore").field("path", &self.path).finish_non_exhaustive()
    }
}
