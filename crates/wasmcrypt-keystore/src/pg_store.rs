//! [`PgKeyStore`]: the [`KeyStore`] on a PostgreSQL database that a fleet of hosts shares.
//!
//! Records are sealed exactly as in the SQLite store (`src/sealing.rs`): the database sees
//! ciphertexts bound to their namespace, id, version and flags, never key material.
//!
//! Concurrency: every write is one transaction that first locks its namespace's row in
//! `wasmcrypt.namespaces` (`INSERT … ON CONFLICT DO UPDATE`, which takes the row lock even when
//! the row exists). Writes to one namespace are therefore serialized across all hosts, exactly
//! as SQLite serializes writers, so version allocation, the version floor and the quota check
//! see every committed write, and versions stay contiguous and unique; writes to different
//! namespaces run in parallel, and reads (one statement, READ COMMITTED) never wait. A writer
//! waits at most [`PgOptions::lock_timeout`] for the lock (`lock_timeout`), then fails with
//! [`StoreError::Busy`]; every statement is bounded by [`PgOptions::statement_timeout`].
//!
//! Visibility: nothing is cached, so a rotation or invalidation committed by one host is seen by
//! every host's next lookup.
//!
//! Faults: connections come from a small pool; one that fails is dropped, and a call that finds
//! a pooled connection dead before it did anything retries once on a new one, so hosts recover
//! by themselves once the server is back. A server that is down fails calls within
//! [`PgOptions::connect_timeout`] with [`StoreError::Unavailable`] (guests: `in_progress`);
//! TCP keepalives and `tcp_user_timeout` bound the wait on a peer that went silent. A
//! transaction that did not commit leaves nothing behind.

use crate::admin::{AdminStore, NamespaceDump, RotationReport};
use crate::master_key::MasterKey;
use crate::pg_config::{self, PgTarget};
use crate::pg_schema;
use crate::sealing::{Keys, RecordHeader, Rewrap};
use postgres::error::SqlState;
use postgres::types::{ToSql, Type};
use postgres::{Client, Row};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use tokio_postgres_rustls::MakeRustlsConnect;
use wasmcrypt::secrets::{
    Actor, EnvelopeKey, KeyStore, NamespaceUsage, PurgeReport, Quotas, SecretKind, SecretRecord, StoreError,
    StoredSecret, VERSION_UNSPECIFIED, VersionInfo, VersionSelector, record_bytes, unix_now,
};

/// How long a writer waits, by default, for another host's lock on its namespace.
pub const DEFAULT_PG_LOCK_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a statement may run, by default.
pub const DEFAULT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long connecting may take, by default (unless the URL or `PGCONNECT_TIMEOUT` says).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// The most expired external secrets a write deletes in its namespace.
const PURGE_PER_WRITE: i64 = 64;
/// The tag length of a sealed record.
const TAG_LEN: i64 = 16;
/// Records re-wrapped per transaction by a master-key rotation.
const ROTATION_BATCH: i64 = 256;

/// How a [`PgKeyStore`] behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PgOptions {
    /// The per-namespace quotas (default: [`Quotas::default`]).
    pub quotas: Quotas,
    /// How long a writer waits for another one's lock on its namespace.
    pub lock_timeout: Duration,
    /// How long one statement may run.
    pub statement_timeout: Duration,
    /// How long connecting may take, unless the URL or `PGCONNECT_TIMEOUT` says.
    pub connect_timeout: Duration,
    /// The most idle connections kept open.
    pub max_idle_connections: usize,
}

impl Default for PgOptions {
    fn default() -> Self {
        Self {
            quotas: Quotas::default(),
            lock_timeout: DEFAULT_PG_LOCK_TIMEOUT,
            statement_timeout: DEFAULT_STATEMENT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_idle_connections: 8,
        }
    }
}

/// A persistent, encrypted [`KeyStore`] in a PostgreSQL database, shared by any number of hosts.
pub struct PgKeyStore {
    config: postgres::Config,
    tls: MakeRustlsConnect,
    display: String,
    idle: Mutex<Vec<Client>>,
    keys: Keys,
    options: PgOptions,
}

/// A connection taken from the pool, given back when dropped unless it failed.
struct Pooled<'a> {
    client: Option<Client>,
    reused: bool,
    broken: bool,
    store: &'a PgKeyStore,
}

impl Pooled<'_> {
    fn client(&mut self) -> &mut Client {
        self.client.as_mut().unwrap_or_else(|| unreachable!("taken only on drop"))
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        if let Some(client) = self.client.take()
            && !self.broken
            && !client.is_closed()
            && let Ok(mut idle) = self.store.idle.lock()
            && idle.len() < self.store.options.max_idle_connections
        {
            idle.push(client);
        }
    }
}

/// Whether an error says the connection is gone (rather than a statement failed).
fn is_connection_error(e: &postgres::Error) -> bool {
    match e.code() {
        Some(code) => {
            let c = code.code();
            c.starts_with("08") || c.starts_with("57P") || c.starts_with("53")
        }
        None => true,
    }
}

fn pg(e: postgres::Error) -> StoreError {
    let detail = match e.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => match std::error::Error::source(&e) {
            Some(cause) => format!("{e}: {cause}"),
            None => e.to_string(),
        },
    };
    match e.code() {
        Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE || *c == SqlState::QUERY_CANCELED => StoreError::Busy(detail),
        Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED => {
            StoreError::Busy(detail)
        }
        Some(c) if *c == SqlState::DATA_CORRUPTED || *c == SqlState::INDEX_CORRUPTED => StoreError::Corrupted(detail),
        _ if is_connection_error(&e) => StoreError::Unavailable(detail),
        _ => StoreError::Backend(detail),
    }
}

fn corrupted(what: &str) -> StoreError {
    StoreError::Corrupted(what.to_owned())
}

fn to_sql_version(version: u64) -> Result<i64, StoreError> {
    i64::try_from(version).map_err(|_| StoreError::NotFound)
}

fn from_sql_version(version: i64) -> Result<u64, StoreError> {
    u64::try_from(version).map_err(|_| corrupted("negative version"))
}

fn next_version(after: u64) -> Result<u64, StoreError> {
    after
        .checked_add(1)
        .filter(|v| *v < VERSION_UNSPECIFIED)
        .ok_or_else(|| StoreError::Backend("version overflow".into()))
}

/// The columns of a `secrets` row, before authentication.
struct PgRow {
    version: i64,
    kind: i16,
    algorithm: String,
    exportable: bool,
    expiration: Option<i64>,
    nonce: Vec<u8>,
    sealed: Vec<u8>,
    guest_mutable: bool,
}

const ROW_COLUMNS: &str = "version, kind, algorithm, exportable, expiration, nonce, sealed, guest_mutable";

impl PgRow {
    fn read(row: &Row, at: usize) -> Result<Self, StoreError> {
        Ok(Self {
            version: row.try_get(at).map_err(pg)?,
            kind: row.try_get(at + 1).map_err(pg)?,
            algorithm: row.try_get(at + 2).map_err(pg)?,
            exportable: row.try_get(at + 3).map_err(pg)?,
            expiration: row.try_get(at + 4).map_err(pg)?,
            nonce: row.try_get(at + 5).map_err(pg)?,
            sealed: row.try_get(at + 6).map_err(pg)?,
            guest_mutable: row.try_get(at + 7).map_err(pg)?,
        })
    }

    fn kind(&self) -> Result<SecretKind, StoreError> {
        u8::try_from(self.kind).ok().and_then(SecretKind::from_code).ok_or_else(|| corrupted("kind"))
    }

    fn header<'a>(&'a self, namespace: &'a str, id: &'a [u8]) -> Result<RecordHeader<'a>, StoreError> {
        Ok(RecordHeader {
            namespace,
            id,
            version: from_sql_version(self.version)?,
            kind: self.kind()?,
            algorithm: &self.algorithm,
            exportable: self.exportable,
            expiration: self.expiration.map(i64::cast_unsigned),
            guest_mutable: self.guest_mutable,
        })
    }

    /// Authenticates the row as (namespace, id) and decrypts it.
    fn open(self, keys: &Keys, namespace: &str, id: &[u8]) -> Result<StoredSecret, StoreError> {
        let header = self.header(namespace, id)?;
        let material = keys.open(&header, &self.nonce, &self.sealed)?;
        let (version, kind, expiration) = (header.version, header.kind, header.expiration);
        let record = SecretRecord {
            kind,
            algorithm: self.algorithm,
            material,
            exportable: self.exportable,
            expiration,
            guest_mutable: self.guest_mutable,
        };
        Ok(StoredSecret { id: id.to_vec(), version, record })
    }
}

fn check_namespace(namespace: &str) -> Result<(), StoreError> {
    if namespace.len() > crate::MAX_NAMESPACE_LEN || namespace.contains('\0') {
        return Err(StoreError::Backend(format!(
            "namespaces are at most {} bytes, without NUL",
            crate::MAX_NAMESPACE_LEN
        )));
    }
    Ok(())
}

/// Creates the namespace's row if needed and locks it until the transaction ends.
fn lock_namespace(c: &mut Client, namespace: &str) -> Result<(), StoreError> {
    c.execute(
        "INSERT INTO wasmcrypt.namespaces AS n (namespace, version_floor) VALUES ($1, 0)
         ON CONFLICT (namespace) DO UPDATE SET version_floor = n.version_floor",
        &[&namespace],
    )
    .map_err(pg)?;
    Ok(())
}

fn version_floor(c: &mut Client, namespace: &str) -> Result<u64, StoreError> {
    let row = c
        .query_opt("SELECT version_floor FROM wasmcrypt.namespaces WHERE namespace = $1", &[&namespace])
        .map_err(pg)?;
    from_sql_version(row.map_or(0, |r| r.get(0)))
}

/// If the id has no live version left, folds its last version into the namespace's floor and
/// deletes its `ids` row. Returns whether it did.
fn forget_if_empty(c: &mut Client, namespace: &str, id: &[u8]) -> Result<bool, StoreError> {
    let row = c
        .query_opt(
            "DELETE FROM wasmcrypt.ids WHERE namespace = $1 AND id = $2
             AND NOT EXISTS (SELECT 1 FROM wasmcrypt.secrets s WHERE s.namespace = $1 AND s.id = $2)
             RETURNING last_version",
            &[&namespace, &id],
        )
        .map_err(pg)?;
    let Some(row) = row else { return Ok(false) };
    let last: i64 = row.get(0);
    c.execute(
        "INSERT INTO wasmcrypt.namespaces AS n (namespace, version_floor) VALUES ($1, $2)
         ON CONFLICT (namespace) DO UPDATE SET version_floor = GREATEST(n.version_floor, excluded.version_floor)",
        &[&namespace, &last],
    )
    .map_err(pg)?;
    Ok(true)
}

fn now_sql() -> i64 {
    i64::try_from(unix_now()).unwrap_or(i64::MAX)
}

/// Deletes up to `limit` expired external secrets, of one namespace or of all; returns how many
/// secrets and how many emptied ids.
fn purge_expired(c: &mut Client, namespace: Option<&str>, limit: i64) -> Result<(u64, u64), StoreError> {
    let rows = c
        .query(
            "DELETE FROM wasmcrypt.secrets WHERE (namespace, id, version) IN (
                 SELECT namespace, id, version FROM wasmcrypt.secrets
                 WHERE kind = 4 AND ($1::TEXT IS NULL OR namespace = $1) AND expiration BETWEEN 0 AND $2
                 LIMIT $3)
             RETURNING namespace, id",
            &[&namespace, &now_sql(), &limit],
        )
        .map_err(pg)?;
    let mut emptied = 0;
    let mut seen: Vec<(String, Vec<u8>)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    let deleted = seen.len() as u64;
    seen.sort();
    seen.dedup();
    for (ns, id) in &seen {
        emptied += u64::from(forget_if_empty(c, ns, id)?);
    }
    Ok((deleted, emptied))
}

/// The (records, bytes) a namespace holds; bytes as [`record_bytes`] counts them.
fn namespace_usage(c: &mut Client, namespace: &str) -> Result<(u64, u64), StoreError> {
    let row = c
        .query_one(
            &format!(
                "SELECT COUNT(*)::BIGINT,
                        COALESCE(SUM(octet_length(id) + octet_length(algorithm) + octet_length(sealed) - {TAG_LEN}), 0)::BIGINT
                 FROM wasmcrypt.secrets WHERE namespace = $1"
            ),
            &[&namespace],
        )
        .map_err(pg)?;
    let (records, bytes): (i64, i64) = (row.get(0), row.get(1));
    Ok((records.max(0).cast_unsigned(), bytes.max(0).cast_unsigned()))
}

fn select(
    keys: &Keys,
    c: &mut Client,
    namespace: &str,
    id: &[u8],
    version: VersionSelector,
) -> Result<StoredSecret, StoreError> {
    let row = match version {
        VersionSelector::Exact(v) => {
            let Ok(v) = i64::try_from(v) else { return Err(StoreError::NotFound) };
            let params: [(&(dyn ToSql + Sync), Type); 3] =
                [(&namespace, Type::TEXT), (&id, Type::BYTEA), (&v, Type::INT8)];
            c.query_typed_opt(
                &format!(
                    "SELECT {ROW_COLUMNS} FROM wasmcrypt.secrets WHERE namespace = $1 AND id = $2 AND version = $3"
                ),
                &params,
            )
        }
        VersionSelector::Latest => {
            let params: [(&(dyn ToSql + Sync), Type); 2] = [(&namespace, Type::TEXT), (&id, Type::BYTEA)];
            c.query_typed_opt(
                &format!(
                    "SELECT {ROW_COLUMNS} FROM wasmcrypt.secrets WHERE namespace = $1 AND id = $2
                     ORDER BY version DESC LIMIT 1"
                ),
                &params,
            )
        }
        VersionSelector::All => return Err(StoreError::NotFound),
    };
    let row = row.map_err(pg)?.ok_or(StoreError::NotFound)?;
    let stored = PgRow::read(&row, 0)?.open(keys, namespace, id)?;
    if let VersionSelector::Exact(v) = version
        && stored.version != v
    {
        return Err(corrupted("version"));
    }
    Ok(stored)
}

fn meta(c: &mut Client, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(c.query_opt("SELECT value FROM wasmcrypt.meta WHERE name = $1", &[&name]).map_err(pg)?.map(|r| r.get(0)))
}

fn set_meta(c: &mut Client, name: &str, value: &[u8]) -> Result<(), StoreError> {
    c.execute(
        "INSERT INTO wasmcrypt.meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        &[&name, &value],
    )
    .map_err(pg)?;
    Ok(())
}

impl PgKeyStore {
    /// Connects to the database of `url` (`postgres://…` or `postgresql://…`, completed from
    /// the libpq environment: see the `pg_config` module docs) with the default [`PgOptions`],
    /// creating or migrating the schema. A store created under another master key is refused.
    pub fn open(url: &str, master: &MasterKey) -> Result<Self, StoreError> {
        Self::open_with(url, master, PgOptions::default())
    }

    /// [`PgKeyStore::open`] with `options`.
    pub fn open_with(url: &str, master: &MasterKey, options: PgOptions) -> Result<Self, StoreError> {
        let PgTarget { mut config, tls, display } =
            pg_config::resolve(url, &pg_config::process_env, options.connect_timeout)?;
        // Set in the start-up packet: no extra round trip per connection.
        let settings = format!(
            "-c lock_timeout={} -c statement_timeout={} -c idle_in_transaction_session_timeout={}",
            options.lock_timeout.as_millis(),
            options.statement_timeout.as_millis(),
            options.statement_timeout.as_millis().saturating_mul(2),
        );
        let settings = match config.get_options() {
            Some(given) => format!("{given} {settings}"),
            None => settings,
        };
        config.options(&settings);
        let store = Self { config, tls, display, idle: Mutex::new(Vec::new()), keys: Keys::new(master)?, options };
        store.initialize()?;
        Ok(store)
    }

    /// The options the store was opened with.
    pub fn options(&self) -> PgOptions {
        self.options
    }

    fn lock_idle(&self) -> Result<MutexGuard<'_, Vec<Client>>, StoreError> {
        self.idle.lock().map_err(|_| StoreError::Backend("lock poisoned".into()))
    }

    fn fresh(&self) -> Result<Pooled<'_>, StoreError> {
        let client = self.config.connect(self.tls.clone()).map_err(|e| match pg(e) {
            StoreError::Backend(m) | StoreError::Unavailable(m) => {
                StoreError::Unavailable(format!("cannot connect to {}: {m}", self.display))
            }
            other => other,
        })?;
        Ok(Pooled { client: Some(client), reused: false, broken: false, store: self })
    }

    /// A connection of the pool, or a new one.
    fn conn(&self) -> Result<Pooled<'_>, StoreError> {
        let idle = self.lock_idle()?.pop();
        match idle {
            Some(client) => Ok(Pooled { client: Some(client), reused: true, broken: false, store: self }),
            None => self.fresh(),
        }
    }

    /// Drops every idle connection (after one was found dead: the others likely are too).
    fn forget_idle(&self) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.clear();
        }
    }

    /// Runs `f` on a connection; a pooled connection found dead is replaced once.
    fn read<T>(&self, f: impl Fn(&mut Client) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let mut conn = self.conn()?;
        match f(conn.client()) {
            Err(StoreError::Unavailable(_)) if conn.reused => {
                conn.broken = true;
                drop(conn);
                self.forget_idle();
                let mut conn = self.fresh()?;
                let out = f(conn.client());
                conn.broken = matches!(out, Err(StoreError::Unavailable(_)));
                out
            }
            out => {
                conn.broken = matches!(out, Err(StoreError::Unavailable(_)));
                out
            }
        }
    }

    /// A connection with a transaction begun; a pooled connection found dead is replaced once
    /// (nothing was sent but `BEGIN`, so retrying is safe).
    fn begin(&self) -> Result<Pooled<'_>, StoreError> {
        let mut conn = self.conn()?;
        match conn.client().batch_execute("BEGIN") {
            Ok(()) => Ok(conn),
            Err(e) if conn.reused && is_connection_error(&e) => {
                conn.broken = true;
                drop(conn);
                self.forget_idle();
                let mut conn = self.fresh()?;
                conn.client().batch_execute("BEGIN").map_err(pg)?;
                Ok(conn)
            }
            Err(e) => Err(pg(e)),
        }
    }

    /// Runs `f` in one transaction, committed if it succeeds and rolled back otherwise.
    fn write<T>(&self, f: impl FnOnce(&mut Client) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let mut conn = self.begin()?;
        let out = f(conn.client()).and_then(|v| conn.client().batch_execute("COMMIT").map(|()| v).map_err(pg));
        match out {
            Ok(v) => Ok(v),
            Err(e) => {
                if conn.client().batch_execute("ROLLBACK").is_err() {
                    conn.broken = true;
                }
                Err(self.explain(e))
            }
        }
    }

    /// Says which store and which limit, for a writer that waited too long.
    fn explain(&self, e: StoreError) -> StoreError {
        match e {
            StoreError::Busy(m) => StoreError::Busy(format!(
                "{m} (keystore {}; lock timeout {} ms, statement timeout {} ms)",
                self.display,
                self.options.lock_timeout.as_millis(),
                self.options.statement_timeout.as_millis()
            )),
            StoreError::Unavailable(m) if !m.contains(&self.display) => {
                StoreError::Unavailable(format!("{}: {m}", self.display))
            }
            e => e,
        }
    }

    fn initialize(&self) -> Result<(), StoreError> {
        self.write(|c| {
            c.execute("SELECT pg_advisory_xact_lock($1)", &[&pg_schema::INIT_LOCK]).map_err(pg)?;
            c.batch_execute(pg_schema::BOOTSTRAP).map_err(pg)?;
            let recorded = match meta(c, "schema_version")? {
                None => 0,
                Some(v) => u64::from_be_bytes(v.try_into().map_err(|_| corrupted("schema_version"))?),
            };
            let current = pg_schema::current_version();
            if recorded > current {
                return Err(StoreError::Backend(format!(
                    "the keystore's schema is version {recorded}; this program knows up to {current}"
                )));
            }
            for migration in &pg_schema::MIGRATIONS[recorded as usize..] {
                c.batch_execute(migration).map_err(pg)?;
            }
            if recorded != current {
                set_meta(c, "schema_version", &current.to_be_bytes())?;
            }
            match (meta(c, "check_nonce")?, meta(c, "check_tag")?) {
                (None, None) => {
                    let (nonce, tag) = self.keys.make_check()?;
                    set_meta(c, "check_nonce", &nonce)?;
                    set_meta(c, "check_tag", &tag)
                }
                (Some(nonce), Some(tag)) if self.keys.verify_check(&nonce, &tag) => Ok(()),
                (Some(_), Some(_)) => {
                    let pending = matches!(
                        (meta(c, "next_check_nonce")?, meta(c, "next_check_tag")?),
                        (Some(n), Some(t)) if self.keys.verify_check(&n, &t)
                    );
                    Err(StoreError::Backend(if pending {
                        "a master-key rotation to this key is not finished: run `wasmcrypt keys rotate-master` again with the old key".into()
                    } else {
                        "wrong master key for this keystore".into()
                    }))
                }
                _ => Err(corrupted("keystore metadata")),
            }
        })
    }

    fn insert_row(
        &self,
        c: &mut Client,
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
        c.execute(
            "INSERT INTO wasmcrypt.secrets
             (namespace, id, version, kind, algorithm, exportable, expiration, nonce, sealed, guest_mutable)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            &[
                &namespace,
                &id,
                &to_sql_version(version)?,
                &i16::from(record.kind.code()),
                &record.algorithm,
                &record.exportable,
                &record.expiration.map(u64::cast_signed),
                &nonce,
                &sealed,
                &record.guest_mutable,
            ],
        )
        .map_err(pg)?;
        Ok(())
    }

    /// Locks the namespace, purges a few expired secrets and checks the quota.
    fn admit(&self, c: &mut Client, namespace: &str, id: &[u8], record: &SecretRecord) -> Result<(), StoreError> {
        lock_namespace(c, namespace)?;
        purge_expired(c, Some(namespace), PURGE_PER_WRITE)?;
        let (records, bytes) = namespace_usage(c, namespace)?;
        self.options.quotas.check(namespace, records, bytes, record_bytes(id, record))
    }

    fn tables_size(&self) -> Result<u64, StoreError> {
        self.read(|c| {
            let row = c
                .query_one(
                    "SELECT (pg_total_relation_size('wasmcrypt.secrets') + pg_total_relation_size('wasmcrypt.ids')
                            + pg_total_relation_size('wasmcrypt.namespaces') + pg_total_relation_size('wasmcrypt.meta'))::BIGINT",
                    &[],
                )
                .map_err(pg)?;
            Ok(row.get::<_, i64>(0).max(0).cast_unsigned())
        })
    }
}

impl KeyStore for PgKeyStore {
    fn insert_new(&self, namespace: &str, id: &[u8], record: &SecretRecord) -> Result<u64, StoreError> {
        check_namespace(namespace)?;
        self.write(|c| {
            self.admit(c, namespace, id, record)?;
            let live = c
                .query_opt(
                    "SELECT 1 FROM wasmcrypt.secrets WHERE namespace = $1 AND id = $2 LIMIT 1",
                    &[&namespace, &id],
                )
                .map_err(pg)?;
            if live.is_some() {
                return Err(StoreError::AlreadyExists);
            }
            let earlier = c
                .query_opt(
                    "SELECT last_version FROM wasmcrypt.ids WHERE namespace = $1 AND id = $2",
                    &[&namespace, &id],
                )
                .map_err(pg)?
                .map_or(0, |r| r.get::<_, i64>(0));
            let version = next_version(version_floor(c, namespace)?.max(from_sql_version(earlier)?))?;
            c.execute(
                "INSERT INTO wasmcrypt.ids (namespace, id, last_version) VALUES ($1, $2, $3)
                 ON CONFLICT (namespace, id) DO UPDATE SET last_version = excluded.last_version",
                &[&namespace, &id, &to_sql_version(version)?],
            )
            .map_err(pg)?;
            self.insert_row(c, namespace, id, version, record)?;
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
        self.write(|c| {
            self.admit(c, namespace, id, record)?;
            let latest = select(&self.keys, c, namespace, id, VersionSelector::Latest)?;
            if latest.record.kind != record.kind || latest.record.algorithm != record.algorithm {
                return Err(StoreError::Incompatible);
            }
            if actor == Actor::Guest && !latest.record.guest_mutable {
                return Err(StoreError::Protected);
            }
            let last: i64 = c
                .query_opt(
                    "SELECT last_version FROM wasmcrypt.ids WHERE namespace = $1 AND id = $2",
                    &[&namespace, &id],
                )
                .map_err(pg)?
                .ok_or_else(|| corrupted("a version without its id"))?
                .get(0);
            let version = next_version(from_sql_version(last)?.max(latest.version))?;
            c.execute(
                "UPDATE wasmcrypt.ids SET last_version = $3 WHERE namespace = $1 AND id = $2",
                &[&namespace, &id, &to_sql_version(version)?],
            )
            .map_err(pg)?;
            self.insert_row(c, namespace, id, version, record)?;
            Ok(version)
        })
    }

    fn get(&self, namespace: &str, id: &[u8], version: VersionSelector) -> Result<StoredSecret, StoreError> {
        self.read(|c| select(&self.keys, c, namespace, id, version)).map_err(|e| self.explain(e))
    }

    fn invalidate(
        &self,
        namespace: &str,
        id: &[u8],
        version: VersionSelector,
        actor: Actor,
    ) -> Result<usize, StoreError> {
        let condition = match version {
            VersionSelector::All => "namespace = $1 AND id = $2 AND $3::BIGINT IS NULL",
            VersionSelector::Exact(_) => "namespace = $1 AND id = $2 AND version = $3",
            VersionSelector::Latest => {
                "namespace = $1 AND id = $2 AND $3::BIGINT IS NULL AND version =
                 (SELECT MAX(version) FROM wasmcrypt.secrets WHERE namespace = $1 AND id = $2)"
            }
        };
        let exact = match version {
            VersionSelector::Exact(v) => Some(i64::try_from(v).map_err(|_| StoreError::NotFound)?),
            _ => None,
        };
        check_namespace(namespace)?;
        self.write(|c| {
            lock_namespace(c, namespace)?;
            if actor == Actor::Guest {
                let protected: i64 = c
                    .query_one(
                        &format!("SELECT COUNT(*) FROM wasmcrypt.secrets WHERE {condition} AND NOT guest_mutable"),
                        &[&namespace, &id, &exact],
                    )
                    .map_err(pg)?
                    .get(0);
                if protected > 0 {
                    return Err(StoreError::Protected);
                }
            }
            let removed = c
                .execute(&format!("DELETE FROM wasmcrypt.secrets WHERE {condition}"), &[&namespace, &id, &exact])
                .map_err(pg)?;
            if removed == 0 {
                return Err(StoreError::NotFound);
            }
            forget_if_empty(c, namespace, id)?;
            Ok(removed as usize)
        })
    }

    fn list(&self, namespace: &str) -> Result<Vec<VersionInfo>, StoreError> {
        let rows = self
            .read(|c| {
                c.query(
                    &format!(
                        "SELECT id, {ROW_COLUMNS} FROM wasmcrypt.secrets WHERE namespace = $1 ORDER BY id, version"
                    ),
                    &[&namespace],
                )
                .map_err(pg)
            })
            .map_err(|e| self.explain(e))?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: Vec<u8> = row.try_get(0).map_err(pg)?;
            let stored = PgRow::read(row, 1)?.open(&self.keys, namespace, &id)?;
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
        self.read(|c| {
            let rows = c
                .query(
                    &format!(
                        "SELECT namespace, COUNT(*)::BIGINT,
                            COALESCE(SUM(octet_length(id) + octet_length(algorithm) + octet_length(sealed) - {TAG_LEN}), 0)::BIGINT,
                            (COUNT(*) FILTER (WHERE kind = 4 AND expiration BETWEEN 0 AND $1))::BIGINT
                         FROM wasmcrypt.secrets GROUP BY namespace ORDER BY namespace"
                    ),
                    &[&now_sql()],
                )
                .map_err(pg)?;
            Ok(rows
                .iter()
                .map(|r| NamespaceUsage {
                    namespace: r.get(0),
                    records: r.get::<_, i64>(1).max(0).cast_unsigned(),
                    bytes: r.get::<_, i64>(2).max(0).cast_unsigned(),
                    purgeable_records: r.get::<_, i64>(3).max(0).cast_unsigned(),
                })
                .collect())
        })
        .map_err(|e| self.explain(e))
    }

    fn purge(&self) -> Result<PurgeReport, StoreError> {
        let size_before = self.tables_size()?;
        let (expired_records, empty_ids) = self.write(|c| {
            // Every namespace, in one order, so that purges never deadlock each other.
            c.query("SELECT namespace FROM wasmcrypt.namespaces ORDER BY namespace FOR UPDATE", &[]).map_err(pg)?;
            let (expired, mut emptied) = purge_expired(c, None, i64::MAX)?;
            let empty = c
                .query(
                    "SELECT namespace, id FROM wasmcrypt.ids i WHERE NOT EXISTS
                     (SELECT 1 FROM wasmcrypt.secrets s WHERE s.namespace = i.namespace AND s.id = i.id)",
                    &[],
                )
                .map_err(pg)?;
            for row in &empty {
                let (ns, id): (String, Vec<u8>) = (row.get(0), row.get(1));
                emptied += u64::from(forget_if_empty(c, &ns, &id)?);
            }
            Ok((expired, emptied))
        })?;
        // Gives dead rows' space back for reuse (not run in a transaction).
        self.read(|c| c.batch_execute("VACUUM wasmcrypt.secrets, wasmcrypt.ids").map_err(pg))
            .map_err(|e| self.explain(e))?;
        Ok(PurgeReport {
            expired_records,
            empty_ids,
            size_before: Some(size_before),
            size_after: Some(self.tables_size()?),
        })
    }
}

impl AdminStore for PgKeyStore {
    fn location(&self) -> String {
        self.display.clone()
    }

    fn size_on_disk(&self) -> Option<u64> {
        self.tables_size().ok()
    }

    fn schema_version(&self) -> Result<u64, StoreError> {
        let v = self.read(|c| meta(c, "schema_version"))?.ok_or_else(|| corrupted("no schema_version"))?;
        Ok(u64::from_be_bytes(v.try_into().map_err(|_| corrupted("schema_version"))?))
    }

    fn export_namespace(&self, namespace: &str) -> Result<NamespaceDump, StoreError> {
        // One snapshot for the three reads.
        self.write(|c| {
            c.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").map_err(pg)?;
            let version_floor = version_floor(c, namespace)?;
            let ids = c
                .query("SELECT id, last_version FROM wasmcrypt.ids WHERE namespace = $1 ORDER BY id", &[&namespace])
                .map_err(pg)?
                .iter()
                .map(|r| Ok((r.get::<_, Vec<u8>>(0), from_sql_version(r.get(1))?)))
                .collect::<Result<Vec<_>, StoreError>>()?;
            let rows = c
                .query(
                    &format!(
                        "SELECT id, {ROW_COLUMNS} FROM wasmcrypt.secrets WHERE namespace = $1 ORDER BY id, version"
                    ),
                    &[&namespace],
                )
                .map_err(pg)?;
            let mut records = Vec::with_capacity(rows.len());
            for row in &rows {
                let id: Vec<u8> = row.try_get(0).map_err(pg)?;
                records.push(PgRow::read(row, 1)?.open(&self.keys, namespace, &id)?);
            }
            Ok(NamespaceDump { namespace: namespace.to_owned(), version_floor, ids, records })
        })
    }

    fn import_namespace(&self, dump: &NamespaceDump) -> Result<u64, StoreError> {
        let namespace = dump.namespace.as_str();
        check_namespace(namespace)?;
        self.write(|c| {
            lock_namespace(c, namespace)?;
            let (records, _) = namespace_usage(c, namespace)?;
            if records > 0 {
                return Err(StoreError::AlreadyExists);
            }
            let floor = version_floor(c, namespace)?;
            crate::admin::check_importable(dump, floor, &self.options.quotas)?;
            c.execute(
                "UPDATE wasmcrypt.namespaces SET version_floor = GREATEST(version_floor, $2) WHERE namespace = $1",
                &[&namespace, &to_sql_version(dump.version_floor)?],
            )
            .map_err(pg)?;
            c.execute("DELETE FROM wasmcrypt.ids WHERE namespace = $1", &[&namespace]).map_err(pg)?;
            for (id, last) in &dump.ids {
                c.execute(
                    "INSERT INTO wasmcrypt.ids (namespace, id, last_version) VALUES ($1, $2, $3)",
                    &[&namespace, id, &to_sql_version(*last)?],
                )
                .map_err(pg)?;
            }
            for stored in &dump.records {
                self.insert_row(c, namespace, &stored.id, stored.version, &stored.record)?;
            }
            Ok(dump.records.len() as u64)
        })
    }

    fn rotate_master_key(&self, new: &MasterKey, stop_after: Option<u64>) -> Result<RotationReport, StoreError> {
        let new_keys = Keys::new(new)?;
        self.write(|c| {
            c.query("SELECT name FROM wasmcrypt.meta FOR UPDATE", &[]).map_err(pg)?;
            match (meta(c, "next_check_nonce")?, meta(c, "next_check_tag")?) {
                (Some(n), Some(t)) if new_keys.verify_check(&n, &t) => Ok(()),
                (Some(_), Some(_)) => Err(StoreError::Backend(
                    "an unfinished master-key rotation to another key: finish it with that key first".into(),
                )),
                _ => {
                    let (nonce, tag) = new_keys.make_check()?;
                    set_meta(c, "next_check_nonce", &nonce)?;
                    set_meta(c, "next_check_tag", &tag)
                }
            }
        })?;
        let mut report = RotationReport::default();
        let mut cursor: (String, Vec<u8>, i64) = (String::new(), Vec::new(), -1);
        loop {
            let batch = self.write(|c| {
                let rows = c
                    .query(
                        &format!(
                            "SELECT namespace, id, {ROW_COLUMNS} FROM wasmcrypt.secrets
                             WHERE (namespace, id, version) > ($1, $2, $3)
                             ORDER BY namespace, id, version LIMIT $4 FOR UPDATE"
                        ),
                        &[&cursor.0, &cursor.1, &cursor.2, &ROTATION_BATCH],
                    )
                    .map_err(pg)?;
                let mut last = None;
                for row in &rows {
                    if stop_after.is_some_and(|n| report.rewrapped >= n) {
                        return Ok((last, true));
                    }
                    let (ns, id): (String, Vec<u8>) = (row.try_get(0).map_err(pg)?, row.try_get(1).map_err(pg)?);
                    let raw = PgRow::read(row, 2)?;
                    let header = raw.header(&ns, &id)?;
                    match self.keys.rewrap(&new_keys, &header, &raw.nonce, &raw.sealed)? {
                        Rewrap::Done => report.already_done += 1,
                        Rewrap::Sealed(nonce, sealed) => {
                            c.execute(
                                "UPDATE wasmcrypt.secrets SET nonce = $4, sealed = $5
                                 WHERE namespace = $1 AND id = $2 AND version = $3",
                                &[&ns, &id, &raw.version, &nonce, &sealed],
                            )
                            .map_err(pg)?;
                            report.rewrapped += 1;
                        }
                    }
                    last = Some((ns, id, raw.version));
                }
                Ok((last, false))
            })?;
            match batch {
                (_, true) => return Ok(report),
                (Some(last), false) => cursor = last,
                (None, false) => break,
            }
        }
        self.write(|c| {
            let (Some(nonce), Some(tag)) = (meta(c, "next_check_nonce")?, meta(c, "next_check_tag")?) else {
                return Err(corrupted("the rotation's key check disappeared"));
            };
            set_meta(c, "check_nonce", &nonce)?;
            set_meta(c, "check_tag", &tag)?;
            c.execute("DELETE FROM wasmcrypt.meta WHERE name IN ('next_check_nonce', 'next_check_tag')", &[])
                .map_err(pg)?;
            Ok(())
        })?;
        report.finished = true;
        Ok(report)
    }
}

impl std::fmt::Debug for PgKeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgKeyStore").field("url", &self.display).finish_non_exhaustive()
    }
}
