//! `wasmcrypt keys`: the operator's view of a keystore namespace.

use crate::json::{Json, print_json};
use crate::keystore_args::KeystoreArgs;
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;
use wasmcrypt::secrets::operator::{generate_record, import_record, public_key_of};
use wasmcrypt::secrets::{KeyStore, MAX_ID_LEN, SecretKind, SecretRecord, VersionInfo, VersionSelector};
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

#[derive(Clone, Copy, ValueEnum)]
enum Encoding {
    Raw,
    Pkcs8,
    Pem,
    Sec,
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Generates a key (symmetric key or key pair) as version 1 of a new id.
    Generate {
        /// The algorithm, by its spec name (for example `HMAC/SHA-256`, `Ed25519`, `X25519`).
        #[arg(long)]
        algorithm: String,
        #[command(flatten)]
        id: NewIdArg,
        /// Guests may use the key but not export it.
        #[arg(long)]
        non_exportable: bool,
    },
    /// Imports a key from a file as version 1 of a new id.
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
        /// Guests may use the key but not export it.
        #[arg(long)]
        non_exportable: bool,
    },
    /// Lists every live version in the namespace.
    List,
    /// Generates a fresh key of the same algorithm as the next version of an id.
    Rotate {
        #[command(flatten)]
        id: IdArg,
        /// Guests may use the new version but not export it.
        #[arg(long)]
        non_exportable: bool,
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
        ("expiration", info.expiration.map_or(Json::Null, Json::Number)),
    ])
}

fn info_line(info: &VersionInfo) -> String {
    let id = id_text(&info.id).map_or_else(|| format!("hex:{}", id_to_hex(&info.id)), str::to_owned);
    let export = if info.exportable { "exportable" } else { "non-exportable" };
    format!("{id}\tv{}\t{}\t{}\t{export}", info.version, info.kind.name(), info.algorithm)
}

fn info_of(id: &[u8], version: u64, record: &SecretRecord) -> VersionInfo {
    VersionInfo {
        id: id.to_vec(),
        version,
        kind: record.kind,
        algorithm: record.algorithm.clone(),
        exportable: record.exportable,
        expiration: record.expiration,
    }
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
        wasmcrypt::secrets::StoreError::AlreadyExists => format_err!("the id already exists; use `keys rotate`"),
        e => e.into(),
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
        KeysCommand::Generate { algorithm, id, non_exportable } => {
            let record = generate_record(&algorithm, !non_exportable).with_context(|| algorithm.clone())?;
            report(args.json, &store_new(&store, ns, id.bytes()?, &record)?);
        }
        KeysCommand::Import { algorithm, file, encoding, id, non_exportable } => {
            let data = zeroize::Zeroizing::new(
                std::fs::read(&file).with_context(|| format!("cannot read '{}'", file.display()))?,
            );
            let record = import_record(&algorithm, &data, keypair_encoding(encoding)?, !non_exportable)
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
        KeysCommand::Rotate { id, non_exportable } => {
            let id = id.bytes()?;
            let latest = store.get(ns, &id, VersionSelector::Latest)?;
            if latest.record.kind == SecretKind::External {
                bail!("external secrets are rotated by their guest");
            }
            let record = generate_record(&latest.record.algorithm, !non_exportable)?;
            let version = store.insert_version(ns, &id, &record)?;
            report(args.json, &info_of(&id, version, &record));
        }
        KeysCommand::Revoke { id, version } => {
            let id = id.bytes()?;
            let removed = store.invalidate(ns, &id, parse_version(&version)?)?;
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
