//! `wasmcrypt keys`: the operator's view of a keystore namespace.

use crate::json::{Json, print_json};
use crate::keystore_args::KeystoreArgs;
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;
use wasmcrypt::secrets::operator::{OperatorPolicy, generate_record, import_record, public_key_of};
use wasmcrypt::secrets::{
    Actor, KeyStore, MAX_ID_LEN, NamespaceUsage, SecretKind, SecretRecord, StoreError, VersionInfo, VersionSelector,
};
use wasmcrypt::{KeyPairEncoding, PublicKeyEncoding};
use wasmcrypt_keystore::defaults::ENV_NAMESPACE;
use wasmcrypt_keystore::id_to_hex;
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

fn parse_hex(hex: &str) -> Result<Vec<u8>> {
    let hex = hex.trim();
    if !hex.is_ascii() || !hex.len().is_multiple_of(2) {
        bail!("invalid hexadecimal '{hex}'");
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| format_err!("invalid hexadecimal '{hex}'")))
        .collect()
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

fn info_json(info: &VersionInfo) -> Json {
    Json::object([
        ("id", id_text(&info.id).map_or(Json::Null, Json::string)),
        ("id_hex", Json::string(id_to_hex(&info.id))),
        ("version", Json::Number(info.version)),
        ("kind", Json::string(info.kind.name())),
        ("algorithm", Json::string(&info.algorithm)),
        ("exportable", Json::Bool(info.exportable)),
        ("guest_mutable", Json::Bool(info.guest_mutable)),
        ("expiration", info.expiration.map_or(Json::Null, Json::Number)),
    ])
}

fn info_line(info: &VersionInfo) -> String {
    let id = id_text(&info.id).map_or_else(|| format!("hex:{}", id_to_hex(&info.id)), str::to_owned);
    let export = if info.exportable { "exportable" } else { "non-exportable" };
    let mutable = if info.guest_mutable { "guest-mutable" } else { "guest-read-only" };
    format!("{id}\tv{}\t{}\t{}\t{export}\t{mutable}", info.version, info.kind.name(), info.algorithm)
}

fn info_of(id: &[u8], version: u64, record: &SecretRecord) -> VersionInfo {
    VersionInfo {
        id: id.to_vec(),
        version,
        kind: record.kind,
        algorithm: record.algorithm.clone(),
        exportable: record.exportable,
        expiration: record.expiration,
        guest_mutable: record.guest_mutable,
    }
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

fn usage_json(usage: &NamespaceUsage) -> Json {
    Json::object([
        ("namespace", Json::string(&usage.namespace)),
        ("records", Json::Number(usage.records)),
        ("bytes", Json::Number(usage.bytes)),
        ("purgeable_records", Json::Number(usage.purgeable_records)),
    ])
}

fn status(store: &wasmcrypt_keystore::SqliteKeyStore, json: bool) -> Result<()> {
    let usage = store.usage()?;
    let quotas = store.quotas();
    let on_disk = store.size_on_disk();
    if json {
        print_json(&Json::Object(vec![
            ("keystore", Json::string(store.path().display().to_string())),
            ("file_bytes", Json::Number(on_disk)),
            ("max_records", Json::Number(quotas.max_records)),
            ("max_bytes", Json::Number(quotas.max_bytes)),
            ("namespaces", Json::Array(usage.iter().map(usage_json).collect())),
        ]));
        return Ok(());
    }
    println!("keystore {}: {on_disk} bytes on disk", store.path().display());
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
    Ok(info_of(&id, version, record))
}

fn report(json: bool, info: &VersionInfo) {
    if json {
        print_json(&info_json(info));
    } else {
        println!("{}", info_line(info));
    }
}

/// Runs a `keys` command.
pub fn keys(args: KeysArgs) -> Result<i32> {
    let path = args.keystore.path_or_default()?;
    let store = args.keystore.open(&path)?;
    let ns = args.namespace.as_str();
    match args.command {
        KeysCommand::Generate { algorithm, id, policy } => {
            let record = generate_record(&algorithm, policy.policy()).with_context(|| algorithm.clone())?;
            report(args.json, &store_new(&store, ns, id.bytes()?, &record)?);
        }
        KeysCommand::Import { algorithm, file, encoding, id, policy } => {
            let data = zeroize::Zeroizing::new(
                std::fs::read(&file).with_context(|| format!("cannot read '{}'", file.display()))?,
            );
            let record = import_record(&algorithm, &data, keypair_encoding(encoding)?, policy.policy())
                .with_context(|| format!("cannot import '{}' as {algorithm}", file.display()))?;
            report(args.json, &store_new(&store, ns, id.bytes()?, &record)?);
        }
        KeysCommand::List => {
            let list = store.list(ns)?;
            if args.json {
                print_json(&Json::Array(list.iter().map(info_json).collect()));
            } else {
                list.iter().for_each(|i| println!("{}", info_line(i)));
            }
        }
        KeysCommand::Status => status(&store, args.json)?,
        KeysCommand::Purge => {
            let report = store.purge()?;
            let (before, after) = (report.size_before.unwrap_or(0), report.size_after.unwrap_or(0));
            if args.json {
                print_json(&Json::object([
                    ("expired_records", Json::Number(report.expired_records)),
                    ("empty_ids", Json::Number(report.empty_ids)),
                    ("file_bytes_before", Json::Number(before)),
                    ("file_bytes_after", Json::Number(after)),
                ]));
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
            report(args.json, &info_of(&id, version, &record));
        }
        KeysCommand::Revoke { id, version } => {
            let id = id.bytes()?;
            let removed = store.invalidate(ns, &id, parse_version(&version)?, Actor::Operator)?;
            if args.json {
                print_json(&Json::object([("revoked", Json::Number(removed as u64))]));
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
                _ => id_to_hex(&public),
            };
            if args.json {
                print_json(&Json::object([
                    ("version", Json::Number(stored.version)),
                    ("algorithm", Json::string(&stored.record.algorithm)),
                    ("public_key", Json::string(text)),
                ]));
            } else {
                println!("{}", text.trim_end());
            }
        }
    }
    Ok(0)
}
