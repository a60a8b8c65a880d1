//! `wasmcrypt keys`: the operator's view of a keystore namespace.

use crate::keystore_args::{KeystoreArgs, parse_location, shown};
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use std::path::PathBuf;
use wasmcrypt::secrets::operator::{OperatorPolicy, generate_record, import_record, public_key_of};
use wasmcrypt::secrets::{
    Actor, KeyStore, MAX_ID_LEN, NamespaceUsage, SecretKind, SecretRecord, StoreError, VersionInfo, VersionSelector,
};
use wasmcrypt::{KeyPairEncoding, PublicKeyEncoding};
use wasmcrypt_keystore::defaults::ENV_NAMESPACE;
use wasmcrypt_keystore::{AdminStore, ENV_ROTATION_STOP_AFTER, MasterKey};
use wasmtime::Result;
use wasmtime::error::{Context, bail, format_err};

/// Arguments of `wasmcrypt keys`.
#[derive(Args)]
pub struct KeysArgs {
    #[command(flatten)]
    keystore: KeystoreArgs,
    /// The namespace to work in (a guest's default namespace is its module's file name).
    #[arg(long, value_name = "NS", env = ENV_NAMESPACE, default_value = wasmcrypt::DEFAULT_NAMESPACE, global = true)]
    namespace: String,
    /// Prints JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: KeysCommand,
}

/// A key id, as text or as hexadecimal.
#[derive(Args, Clone)]
#[group(required = true, multiple = false)]
struct IdArg {
    /// The key id, as text (its UTF-8 bytes are the id).
    #[arg(long)]
    id: Option<String>,
    /// The key id, as hexadecimal (for generated ids).
    #[arg(long, value_name = "HEX")]
    id_hex: Option<String>,
}

/// An optional key id for new keys; a random one is generated without it.
#[derive(Args, Clone)]
#[group(multiple = false)]
struct NewIdArg {
    /// The key id, as text (default: 16 random bytes).
    #[arg(long)]
    id: Option<String>,
    /// The key id, as hexadecimal.
    #[arg(long, value_name = "HEX")]
    id_hex: Option<String>,
}

/// What guests may do with an operator's key (by default: use it, nothing more).
#[derive(Args, Clone, Copy)]
struct PolicyArgs {
    /// Guests may export the key (`symmetric_key_export`, `keypair_export`, `secretkey_export`).
    #[arg(long)]
    exportable: bool,
    /// Guests may replace the id with new versions (`*_replace_managed`) and invalidate it.
    #[arg(long)]
    guest_mutable: bool,
}

impl PolicyArgs {
    fn policy(self) -> OperatorPolicy {
        OperatorPolicy { exportable: self.exportable, guest_mutable: self.guest_mutable }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Encoding {
    Raw,
    Pkcs8,
    Pem,
    Sec,
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Generates a key (symmetric key or key pair) as the first version of a new id. Guests may
    /// use it, but neither export, replace nor invalidate it unless allowed.
    Generate {
        /// The algorithm, by its spec name (for example `HMAC/SHA-256`, `Ed25519`, `X25519`).
        #[arg(long)]
        algorithm: String,
        #[command(flatten)]
        id: NewIdArg,
        #[command(flatten)]
        policy: PolicyArgs,
    },
    /// Imports a key from a file as the first version of a new id (same guest rules as generate).
    Import {
        /// The algorithm, by its spec name.
        #[arg(long)]
        algorithm: String,
        /// The file: raw bytes for a symmetric key, a key pair in --encoding otherwise.
        #[arg(long)]
        file: PathBuf,
        /// The encoding of a key pair.
        #[arg(long, value_enum, default_value = "pem")]
        encoding: Encoding,
        #[command(flatten)]
        id: NewIdArg,
        #[command(flatten)]
        policy: PolicyArgs,
    },
    /// Lists every live version in the namespace.
    List,
    /// Shows every namespace's records, bytes and purgeable records against the quotas.
    Status,
    /// Deletes expired external secrets and gives the freed space back to the file system.
    Purge,
    /// Generates a fresh key of the same algorithm as the next version of an id.
    Rotate {
        #[command(flatten)]
        id: IdArg,
        #[command(flatten)]
        policy: PolicyArgs,
    },
    /// Invalidates one version, the latest, or all versions (default) of an id.
    Revoke {
        #[command(flatten)]
        id: IdArg,
        /// A version number, `latest` or `all`.
        #[arg(long, default_value = "all")]
        version: String,
    },
    /// Copies every record of the namespace, with its ids and versions, from one keystore to
    /// another (SQLite file or postgres:// URL, either way); the destination namespace must be
    /// empty. Records are opened under the master key and sealed again under the destination's.
    CopyNamespace {
        /// The source keystore: a path or a postgres:// URL.
        #[arg(long, value_name = "PATH|URL")]
        from: String,
        /// The destination keystore: a path or a postgres:// URL.
        #[arg(long, value_name = "PATH|URL")]
        to: String,
        /// The destination's master key file (default: the same master key as the source).
        #[arg(long, value_name = "PATH")]
        to_master_key_file: Option<PathBuf>,
    },
    /// Re-wraps every record of the keystore under a new master key, one batch per
    /// transaction: crash-safe, and resumed by running it again with the same two keys. When
    /// it finishes the keystore opens with the new key only (and external-secret envelopes
    /// made under the old key no longer open).
    RotateMaster {
        /// The new master key file; created with a fresh random key if it does not exist.
        #[arg(long, value_name = "PATH")]
        new_master_key_file: PathBuf,
    },
    /// Prints the public key of a key pair (PEM by default; binary encodings as hexadecimal).
    ExportPublic {
        #[command(flatten)]
        id: IdArg,
        /// A version number or `latest`.
        #[arg(long, default_value = "latest")]
        version: String,
        /// The encoding.
        #[arg(long, value_enum, default_value = "pem")]
        encoding: Encoding,
    },
}

fn parse_hex(text: &str) -> Result<Vec<u8>> {
    let text = text.trim();
    hex::decode(text).map_err(|_| format_err!("invalid hexadecimal '{text}'"))
}

fn checked_id(id: Vec<u8>) -> Result<Vec<u8>> {
    if id.is_empty() || id.len() > MAX_ID_LEN {
        bail!("an id is 1 to {MAX_ID_LEN} bytes");
    }
    Ok(id)
}

impl IdArg {
    fn bytes(&self) -> Result<Vec<u8>> {
        match (&self.id, &self.id_hex) {
            (Some(text), _) => checked_id(text.as_bytes().to_vec()),
            (None, Some(hex)) => checked_id(parse_hex(hex)?),
            (None, None) => bail!("give --id or --id-hex"),
        }
    }
}

impl NewIdArg {
    fn bytes(&self) -> Result<Option<Vec<u8>>> {
        match (&self.id, &self.id_hex) {
            (Some(text), _) => checked_id(text.as_bytes().to_vec()).map(Some),
            (None, Some(hex)) => checked_id(parse_hex(hex)?).map(Some),
            (None, None) => Ok(None),
        }
    }
}

fn parse_version(text: &str) -> Result<VersionSelector> {
    match text {
        "latest" => Ok(VersionSelector::Latest),
        "all" => Ok(VersionSelector::All),
        n => Ok(VersionSelector::Exact(n.parse::<u64>().with_context(|| format!("invalid version '{n}'"))?)),
    }
}

/// The id as text when it is printable UTF-8.
fn id_text(id: &[u8]) -> Option<&str> {
    std::str::from_utf8(id).ok().filter(|s| !s.chars().any(char::is_control))
}

/// Prints a value as one line of JSON.
fn print_json(value: &impl Serialize) -> Result<()> {
    println!("{}", serde_json::to_string(value)?);
    Ok(())
}

/// A version as `--json` shows it.
#[derive(Serialize)]
struct InfoJson<'a> {
    id: Option<&'a str>,
    id_hex: String,
    version: u64,
    kind: &'static str,
    algorithm: &'a str,
    exportable: bool,
    guest_mutable: bool,
    expiration: Option<u64>,
}

fn info_json(info: &VersionInfo) -> InfoJson<'_> {
    InfoJson {
        id: id_text(&info.id),
        id_hex: hex::encode(&info.id),
        version: info.version,
        kind: info.kind.name(),
        algorithm: &info.algorithm,
        exportable: info.exportable,
        guest_mutable: info.guest_mutable,
        expiration: info.expiration,
    }
}

fn info_line(info: &VersionInfo) -> String {
    let id = id_text(&info.id).map_or_else(|| format!("hex:{}", hex::encode(&info.id)), str::to_owned);
    let export = if info.exportable { "exportable" } else { "non-exportable" };
    let mutable = if info.guest_mutable { "guest-mutable" } else { "guest-read-only" };
    format!("{id}\tv{}\t{}\t{}\t{export}\t{mutable}", info.version, info.kind.name(), info.algorithm)
}

/// A store error as the operator reads it, with what to do about a full namespace.
fn explain(e: StoreError) -> wasmtime::Error {
    match e {
        StoreError::QuotaExceeded(_) => format_err!(
            "{e} (raise it with --max-records / --max-bytes, or free space with `keys revoke` and `keys purge`)"
        ),
        e => e.into(),
    }
}

/// A namespace's usage as `--json` shows it.
#[derive(Serialize)]
struct UsageJson<'a> {
    namespace: &'a str,
    records: u64,
    bytes: u64,
    purgeable_records: u64,
}

/// `keys status --json`.
#[derive(Serialize)]
struct StatusJson<'a> {
    keystore: String,
    schema_version: u64,
    file_bytes: u64,
    max_records: u64,
    max_bytes: u64,
    namespaces: Vec<UsageJson<'a>>,
}

fn status(store: &dyn AdminStore, json: bool) -> Result<()> {
    let usage = store.usage()?;
    let quotas = store.quotas();
    let on_disk = store.size_on_disk().unwrap_or(0);
    if json {
        return print_json(&StatusJson {
            keystore: store.location(),
            schema_version: store.schema_version()?,
            file_bytes: on_disk,
            max_records: quotas.max_records,
            max_bytes: quotas.max_bytes,
            namespaces: usage
                .iter()
                .map(|u: &NamespaceUsage| UsageJson {
                    namespace: &u.namespace,
                    records: u.records,
                    bytes: u.bytes,
                    purgeable_records: u.purgeable_records,
                })
                .collect(),
        });
    }
    println!("keystore {}: {on_disk} bytes on disk", store.location());
    println!("quota per namespace: {} records, {} bytes", quotas.max_records, quotas.max_bytes);
    println!("namespace\trecords\tbytes\tpurgeable");
    for u in &usage {
        println!("{}\t{}\t{}\t{}", u.namespace, u.records, u.bytes, u.purgeable_records);
    }
    Ok(())
}

fn keypair_encoding(e: Encoding) -> Result<KeyPairEncoding> {
    match e {
        Encoding::Raw => Ok(KeyPairEncoding::Raw),
        Encoding::Pkcs8 => Ok(KeyPairEncoding::Pkcs8),
        Encoding::Pem => Ok(KeyPairEncoding::Pem),
        Encoding::Sec => bail!("key pairs have no `sec` encoding"),
    }
}

fn public_encoding(e: Encoding) -> PublicKeyEncoding {
    match e {
        Encoding::Raw => PublicKeyEncoding::Raw,
        Encoding::Pkcs8 => PublicKeyEncoding::Pkcs8,
        Encoding::Pem => PublicKeyEncoding::Pem,
        Encoding::Sec => PublicKeyEncoding::Sec,
    }
}

/// Stores a record under `id` (or a fresh random id) as version 1.
fn store_new(store: &dyn KeyStore, namespace: &str, id: Option<Vec<u8>>, record: &SecretRecord) -> Result<VersionInfo> {
    let id = match id {
        Some(id) => id,
        None => {
            let mut id = vec![0u8; wasmcrypt::secrets::ID_LEN];
            getrandom::fill(&mut id).map_err(|e| format_err!("random: {e}"))?;
            id
        }
    };
    let version = store.insert_new(namespace, &id, record).map_err(|e| match e {
        StoreError::AlreadyExists => format_err!("the id already exists; use `keys rotate`"),
        e => explain(e),
    })?;
    Ok(VersionInfo::of(&id, version, record))
}

fn report(json: bool, info: &VersionInfo) -> Result<()> {
    if json {
        print_json(&info_json(info))
    } else {
        println!("{}", info_line(info));
        Ok(())
    }
}

/// `keys copy-namespace`: one transaction on the destination.
fn copy_namespace(args: &KeysArgs, from: &str, to: &str, to_master_key_file: Option<&std::path::Path>) -> Result<()> {
    let (from, to) = (parse_location(from)?, parse_location(to)?);
    let master = args.keystore.master_key(&from)?;
    let source = args.keystore.open_with(&from, &master)?;
    let to_master = match to_master_key_file {
        Some(file) => MasterKey::from_file(file)?,
        None => master,
    };
    let destination = args.keystore.open_with(&to, &to_master)?;
    let dump = source.export_namespace(&args.namespace)?;
    let copied = destination.import_namespace(&dump).map_err(|e| match e {
        StoreError::AlreadyExists => {
            format_err!("namespace '{}' is not empty in '{}'", args.namespace, shown(&to))
        }
        e => explain(e),
    })?;
    if args.json {
        #[derive(Serialize)]
        struct Copied<'a> {
            namespace: &'a str,
            records: u64,
            ids: usize,
            version_floor: u64,
        }
        return print_json(&Copied {
            namespace: &args.namespace,
            records: copied,
            ids: dump.ids.len(),
            version_floor: dump.version_floor,
        });
    }
    println!(
        "copied {copied} record(s) of {} id(s) of namespace '{}' from {} to {}",
        dump.ids.len(),
        args.namespace,
        source.location(),
        destination.location()
    );
    Ok(())
}

/// `keys rotate-master`.
fn rotate_master(store: &dyn AdminStore, new_key_file: &std::path::Path, json: bool) -> Result<i32> {
    let new = if new_key_file.exists() {
        MasterKey::from_file(new_key_file)?
    } else {
        let key = MasterKey::generate()?;
        key.write_new_file(new_key_file)?;
        key
    };
    let stop_after = match std::env::var(ENV_ROTATION_STOP_AFTER) {
        Ok(n) => Some(n.parse::<u64>().with_context(|| ENV_ROTATION_STOP_AFTER)?),
        Err(_) => None,
    };
    let report = store.rotate_master_key(&new, stop_after)?;
    if json {
        #[derive(Serialize)]
        struct Rotated {
            rewrapped: u64,
            already_done: u64,
            finished: bool,
        }
        print_json(&Rotated {
            rewrapped: report.rewrapped,
            already_done: report.already_done,
            finished: report.finished,
        })?;
    } else if report.finished {
        println!(
            "re-wrapped {} record(s) ({} already done by an earlier run); {} now opens with {} only",
            report.rewrapped,
            report.already_done,
            store.location(),
            new_key_file.display()
        );
    } else {
        println!("stopped after re-wrapping {} record(s); run the same command again to finish", report.rewrapped);
    }
    Ok(if report.finished { 0 } else { 3 })
}

/// Runs a `keys` command.
pub fn keys(args: KeysArgs) -> Result<i32> {
    if let KeysCommand::CopyNamespace { from, to, to_master_key_file } = &args.command {
        copy_namespace(&args, from, to, to_master_key_file.as_deref())?;
        return Ok(0);
    }
    let location = args.keystore.location_or_default()?;
    let store = args.keystore.open(&location)?;
    let store = store.as_ref();
    let ns = args.namespace.as_str();
    match args.command {
        KeysCommand::CopyNamespace { .. } => unreachable!("handled above"),
        KeysCommand::RotateMaster { new_master_key_file } => {
            return rotate_master(store, &new_master_key_file, args.json);
        }
        KeysCommand::Generate { algorithm, id, policy } => {
            let record = generate_record(&algorithm, policy.policy()).with_context(|| algorithm.clone())?;
            report(args.json, &store_new(store, ns, id.bytes()?, &record)?)?;
        }
        KeysCommand::Import { algorithm, file, encoding, id, policy } => {
            let data = zeroize::Zeroizing::new(
                std::fs::read(&file).with_context(|| format!("cannot read '{}'", file.display()))?,
            );
            let record = import_record(&algorithm, &data, keypair_encoding(encoding)?, policy.policy())
                .with_context(|| format!("cannot import '{}' as {algorithm}", file.display()))?;
            report(args.json, &store_new(store, ns, id.bytes()?, &record)?)?;
        }
        KeysCommand::List => {
            let list = store.list(ns)?;
            if args.json {
                print_json(&list.iter().map(info_json).collect::<Vec<_>>())?;
            } else {
                list.iter().for_each(|i| println!("{}", info_line(i)));
            }
        }
        KeysCommand::Status => status(store, args.json)?,
        KeysCommand::Purge => {
            let report = store.purge()?;
            let (before, after) = (report.size_before.unwrap_or(0), report.size_after.unwrap_or(0));
            if args.json {
                #[derive(Serialize)]
                struct Purged {
                    expired_records: u64,
                    empty_ids: u64,
                    file_bytes_before: u64,
                    file_bytes_after: u64,
                }
                print_json(&Purged {
                    expired_records: report.expired_records,
                    empty_ids: report.empty_ids,
                    file_bytes_before: before,
                    file_bytes_after: after,
                })?;
            } else {
                println!(
                    "purged {} expired secret(s) and {} empty id(s); {before} -> {after} bytes on disk",
                    report.expired_records, report.empty_ids
                );
            }
        }
        KeysCommand::Rotate { id, policy } => {
            let id = id.bytes()?;
            let latest = store.get(ns, &id, VersionSelector::Latest)?;
            if latest.record.kind == SecretKind::External {
                bail!("external secrets are rotated by their guest");
            }
            let record = generate_record(&latest.record.algorithm, policy.policy())?;
            let version = store.insert_version(ns, &id, &record, Actor::Operator).map_err(explain)?;
            report(args.json, &VersionInfo::of(&id, version, &record))?;
        }
        KeysCommand::Revoke { id, version } => {
            let id = id.bytes()?;
            let removed = store.invalidate(ns, &id, parse_version(&version)?, Actor::Operator)?;
            if args.json {
                #[derive(Serialize)]
                struct Revoked {
                    revoked: usize,
                }
                print_json(&Revoked { revoked: removed })?;
            } else {
                println!("revoked {removed} version(s)");
            }
        }
        KeysCommand::ExportPublic { id, version, encoding } => {
            let id = id.bytes()?;
            let stored = store.get(ns, &id, parse_version(&version)?)?;
            if !matches!(stored.record.kind, SecretKind::Signatures | SecretKind::KeyExchange) {
                bail!("this id holds a {} key, not a key pair", stored.record.kind.name());
            }
            let public = public_key_of(&stored.record, public_encoding(encoding))?;
            let text = match encoding {
                Encoding::Pem => String::from_utf8_lossy(&public).into_owned(),
                _ => hex::encode(&public),
            };
            if args.json {
                #[derive(Serialize)]
                struct Public<'a> {
                    version: u64,
                    algorithm: &'a str,
                    public_key: &'a str,
                }
                print_json(&Public {
                    version: stored.version,
                    algorithm: &stored.record.algorithm,
                    public_key: &text,
                })?;
            } else {
                println!("{}", text.trim_end());
            }
        }
    }
    Ok(0)
}
