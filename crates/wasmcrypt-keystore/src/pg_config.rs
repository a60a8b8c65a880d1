//! Where a PostgreSQL keystore is and how to reach it, resolved the way libpq does.
//!
//! A `postgres://` (or `postgresql://`) URL gives what it gives; what it leaves out comes from
//! the usual environment: `PGHOST` (default: the socket directory `/var/run/postgresql` if it
//! exists, else `localhost`), `PGPORT` (5432), `PGUSER` (else `USER`), `PGDATABASE` (else the
//! user name), `PGCONNECT_TIMEOUT`, `PGSSLMODE` (default `prefer`), `PGSSLROOTCERT`, then the
//! password from `PGPASSWORD`, else from the password file (`passfile=` in the URL,
//! `PGPASSFILE`, else `~/.pgpass`; a file readable by group or others is ignored, as libpq does).
//!
//! `sslmode` is one of `disable`, `allow` (treated as `disable`), `prefer`, `require`,
//! `verify-ca` and `verify-full`: `prefer` and `require` encrypt without checking the server's
//! certificate (as libpq does without a root certificate), `verify-ca` checks its chain, and
//! `verify-full` its chain and host name, against `sslrootcert` (a PEM file) or else the system's
//! trusted roots.

use postgres::config::{Host, SslMode as WireSslMode};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio_postgres_rustls::MakeRustlsConnect;
use wasmcrypt::secrets::StoreError;

/// How the connection is protected, as libpq's `sslmode` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SslMode {
    /// No TLS.
    Disable,
    /// TLS if the server offers it, without checking its certificate.
    Prefer,
    /// TLS, without checking the server's certificate.
    Require,
    /// TLS, with the server's certificate chain checked.
    VerifyCa,
    /// TLS, with the server's certificate chain and host name checked.
    VerifyFull,
}

impl SslMode {
    fn parse(text: &str) -> Result<Self, StoreError> {
        match text {
            "disable" | "allow" => Ok(Self::Disable),
            "prefer" => Ok(Self::Prefer),
            "require" => Ok(Self::Require),
            "verify-ca" => Ok(Self::VerifyCa),
            "verify-full" => Ok(Self::VerifyFull),
            other => Err(StoreError::Backend(format!("unknown sslmode '{other}'"))),
        }
    }
}

/// A resolved connection target.
pub(crate) struct PgTarget {
    pub(crate) config: postgres::Config,
    pub(crate) tls: MakeRustlsConnect,
    /// The URL without its password, for messages.
    pub(crate) display: String,
}

/// The environment, as a function, so that tests can give their own.
pub(crate) type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The process environment (empty values count as unset).
pub(crate) fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn bad(what: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("invalid PostgreSQL URL: {what}"))
}

fn percent_decode(text: &str) -> Result<String, StoreError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let pair = text.get(i + 1..i + 3).ok_or_else(|| bad("truncated %-escape"))?;
            out.push(u8::from_str_radix(pair, 16).map_err(|_| bad("invalid %-escape"))?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| bad("a %-escape that is not UTF-8"))
}

/// The parameters this module handles itself, taken out of the URL's query.
#[derive(Default)]
struct OwnParams {
    sslmode: Option<String>,
    sslrootcert: Option<String>,
    passfile: Option<String>,
}

/// Splits our own parameters off the URL; the rest is left for the driver.
fn split_params(url: &str) -> Result<(String, OwnParams), StoreError> {
    let Some((base, query)) = url.split_once('?') else { return Ok((url.to_owned(), OwnParams::default())) };
    let mut own = OwnParams::default();
    let mut rest = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "sslmode" => own.sslmode = Some(percent_decode(value)?),
            "sslrootcert" => own.sslrootcert = Some(percent_decode(value)?),
            "passfile" => own.passfile = Some(percent_decode(value)?),
            _ => rest.push(pair),
        }
    }
    Ok((if rest.is_empty() { base.to_owned() } else { format!("{base}?{}", rest.join("&")) }, own))
}

/// The fields of a `.pgpass` line (`host:port:database:user:password`), with `\:` and `\\`
/// unescaped.
fn pgpass_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => field.extend(chars.next()),
            ':' if fields.len() < 4 => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// The password for (host, port, database, user) in a `.pgpass` text: the first matching line.
pub(crate) fn pgpass_lookup(text: &str, hosts: &[String], port: u16, database: &str, user: &str) -> Option<String> {
    let port = port.to_string();
    text.lines().filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty()).find_map(|line| {
        let f = pgpass_fields(line);
        if f.len() != 5 {
            return None;
        }
        let matches = |pattern: &str, value: &str| pattern == "*" || pattern == value;
        let host_ok = f[0] == "*" || hosts.iter().any(|h| h == &f[0]);
        (host_ok && matches(&f[1], &port) && matches(&f[2], database) && matches(&f[3], user)).then(|| f[4].clone())
    })
}

fn home() -> Option<PathBuf> {
    process_env("HOME").map(PathBuf::from)
}

/// Reads a password file, unless others may read it (libpq's rule).
fn read_passfile(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            return None;
        }
    }
    if !meta.is_file() {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// The default socket directory of Debian's PostgreSQL.
const DEFAULT_SOCKET_DIR: &str = "/var/run/postgresql";

/// Resolves a URL and the environment into a connection target; `connect_timeout` applies when
/// neither the URL nor `PGCONNECT_TIMEOUT` sets one.
pub(crate) fn resolve(url: &str, env: Env<'_>, connect_timeout: Duration) -> Result<PgTarget, StoreError> {
    let (driver_url, own) = split_params(url)?;
    let mut config = postgres::Config::from_str(&driver_url).map_err(bad)?;
    if config.get_hosts().is_empty() {
        match env("PGHOST") {
            Some(hosts) => {
                for host in hosts.split(',') {
                    if host.starts_with('/') {
                        config.host_path(host);
                    } else {
                        config.host(host);
                    }
                }
            }
            None if Path::new(DEFAULT_SOCKET_DIR).is_dir() => {
                config.host_path(DEFAULT_SOCKET_DIR);
            }
            None => {
                config.host("localhost");
            }
        }
    }
    if config.get_ports().is_empty() {
        let port = env("PGPORT").map_or(Ok(5432), |p| p.parse::<u16>().map_err(|_| bad("PGPORT is not a port")))?;
        config.port(port);
    }
    if config.get_user().is_none() {
        let user = env("PGUSER").or_else(|| env("USER")).unwrap_or_else(|| "postgres".to_owned());
        config.user(&user);
    }
    let user = config.get_user().unwrap_or_default().to_owned();
    if config.get_dbname().is_none() {
        config.dbname(&env("PGDATABASE").unwrap_or_else(|| user.clone()));
    }
    let database = config.get_dbname().unwrap_or_default().to_owned();
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .flat_map(|h| match h {
            Host::Tcp(name) => vec![name.clone()],
            // A socket in the default directory matches `localhost` lines too, as in libpq.
            Host::Unix(path) => vec![path.display().to_string(), "localhost".to_owned()],
        })
        .collect();
    if config.get_password().is_none() {
        if let Some(password) = env("PGPASSWORD") {
            config.password(password);
        } else {
            let file = own
                .passfile
                .clone()
                .map(PathBuf::from)
                .or_else(|| env("PGPASSFILE").map(PathBuf::from))
                .or_else(|| home().map(|h| h.join(".pgpass")));
            if let Some(password) =
                file.and_then(|f| read_passfile(&f)).and_then(|t| pgpass_lookup(&t, &hosts, port, &database, &user))
            {
                config.password(password);
            }
        }
    }
    if config.get_connect_timeout().is_none() {
        let timeout = match env("PGCONNECT_TIMEOUT") {
            Some(t) => Duration::from_secs(t.parse().map_err(|_| bad("PGCONNECT_TIMEOUT is not a number"))?),
            None => connect_timeout,
        };
        config.connect_timeout(timeout);
    }
    if config.get_application_name().is_none() {
        config.application_name("wasmcrypt");
    }
    // A dead peer is noticed within about 10 s even when no packet comes back.
    config
        .keepalives(true)
        .keepalives_idle(Duration::from_secs(5))
        .keepalives_interval(Duration::from_secs(1))
        .keepalives_retries(3)
        .tcp_user_timeout(Duration::from_secs(10));
    let mode = SslMode::parse(&own.sslmode.or_else(|| env("PGSSLMODE")).unwrap_or_else(|| "prefer".to_owned()))?;
    let root_cert = own.sslrootcert.or_else(|| env("PGSSLROOTCERT")).map(PathBuf::from);
    config.ssl_mode(match mode {
        SslMode::Disable => WireSslMode::Disable,
        SslMode::Prefer => WireSslMode::Prefer,
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => WireSslMode::Require,
    });
    let tls = MakeRustlsConnect::new(tls_config(mode, root_cert.as_deref())?);
    let host_text = hosts.first().cloned().unwrap_or_default();
    let display = format!("postgres://{user}@{host_text}:{port}/{database}");
    Ok(PgTarget { config, tls, display })
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The trusted roots: a PEM file, or the system's.
fn roots(root_cert: Option<&Path>) -> Result<RootCertStore, StoreError> {
    let mut roots = RootCertStore::empty();
    match root_cert {
        Some(path) => {
            let certs = CertificateDer::pem_file_iter(path)
                .map_err(|e| StoreError::Backend(format!("sslrootcert {}: {e}", path.display())))?;
            for cert in certs {
                let cert = cert.map_err(|e| StoreError::Backend(format!("sslrootcert {}: {e}", path.display())))?;
                roots.add(cert).map_err(|e| StoreError::Backend(format!("sslrootcert {}: {e}", path.display())))?;
            }
        }
        None => {
            for cert in rustls_native_certs::load_native_certs().certs {
                // A system root rustls cannot parse is skipped, as browsers do.
                let _ = roots.add(cert);
            }
        }
    }
    if roots.is_empty() {
        return Err(StoreError::Backend("no trusted root certificate for sslmode verify-ca/verify-full".into()));
    }
    Ok(roots)
}

fn tls_config(mode: SslMode, root_cert: Option<&Path>) -> Result<rustls::ClientConfig, StoreError> {
    let provider = provider();
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::Backend(format!("TLS: {e}")))?;
    let verifier: Arc<dyn ServerCertVerifier> = match mode {
        SslMode::Disable | SslMode::Prefer | SslMode::Require => {
            Arc::new(Unverified { algorithms: provider.signature_verification_algorithms })
        }
        SslMode::VerifyCa | SslMode::VerifyFull => {
            let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots(root_cert)?), provider)
                .build()
                .map_err(|e| StoreError::Backend(format!("TLS: {e}")))?;
            Arc::new(Checked { inner: webpki, check_name: mode == SslMode::VerifyFull })
        }
    };
    Ok(builder.dangerous().with_custom_certificate_verifier(verifier).with_no_client_auth())
}

/// `prefer` / `require`: the channel is encrypted and the handshake signed, but the
/// certificate is not checked (libpq's behaviour without a root certificate).
#[derive(Debug)]
struct Unverified {
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Unverified {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// `verify-ca` / `verify-full`: the chain is checked against the roots; the host name only for
/// `verify-full`.
#[derive(Debug)]
struct Checked {
    inner: Arc<WebPkiServerVerifier>,
    check_name: bool,
}

impl ServerCertVerifier for Checked {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.check_name => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn pgpass_matching_escapes_and_wildcards() {
        let text = "# comment\nother:5432:db:u:nope\nh\\:x:*:db:u:first\n*:5433:*:u:pa\\:ss\n*:*:*:*:last\n";
        let hosts = |h: &str| vec![h.to_owned()];
        assert_eq!(pgpass_lookup(text, &hosts("h:x"), 5432, "db", "u").as_deref(), Some("first"));
        assert_eq!(pgpass_lookup(text, &hosts("db1"), 5433, "any", "u").as_deref(), Some("pa:ss"));
        assert_eq!(pgpass_lookup(text, &hosts("db1"), 5432, "x", "v").as_deref(), Some("last"));
        assert_eq!(pgpass_lookup("a:1:b:c:d\n", &hosts("a"), 2, "b", "c"), None);
    }

    #[test]
    fn environment_fills_what_the_url_leaves_out() {
        let env = env_of(&[("PGHOST", "db.example"), ("PGPORT", "6543"), ("PGUSER", "svc"), ("PGPASSWORD", "pw")]);
        let t = resolve("postgres://", &env, Duration::from_secs(3)).unwrap();
        assert_eq!(t.display, "postgres://svc@db.example:6543/svc");
        assert_eq!(t.config.get_password(), Some(&b"pw"[..]));
        assert_eq!(t.config.get_connect_timeout(), Some(&Duration::from_secs(3)));
        assert_eq!(t.config.get_ssl_mode(), WireSslMode::Prefer);
        // The URL wins over the environment.
        let t = resolve("postgresql://me:secret@h:1/d?sslmode=disable&connect_timeout=7", &env, Duration::from_secs(3))
            .unwrap();
        assert_eq!(t.display, "postgres://me@h:1/d");
        assert_eq!(t.config.get_password(), Some(&b"secret"[..]));
        assert_eq!(t.config.get_connect_timeout(), Some(&Duration::from_secs(7)));
        assert_eq!(t.config.get_ssl_mode(), WireSslMode::Disable);
    }

    #[test]
    fn password_file_is_read_unless_others_can_read_it() {
        let dir = std::env::temp_dir().join(format!("wasmcrypt-pgpass-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("pgpass");
        std::fs::write(&file, "h:5432:d:u:from-file\n").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let env = env_of(&[("PGPASSFILE", file.to_str().unwrap())]);
        let t = resolve("postgres://u@h/d", &env, Duration::from_secs(1)).unwrap();
        assert_eq!(t.config.get_password(), Some(&b"from-file"[..]));
        let url = format!("postgres://u@h/d?passfile={}", file.display());
        let t = resolve(&url, &env_of(&[]), Duration::from_secs(1)).unwrap();
        assert_eq!(t.config.get_password(), Some(&b"from-file"[..]));
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let t = resolve("postgres://u@h/d", &env, Duration::from_secs(1)).unwrap();
        assert_eq!(t.config.get_password(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn ssl_modes() {
        let env = env_of(&[]);
        for (mode, wire) in
            [("disable", WireSslMode::Disable), ("prefer", WireSslMode::Prefer), ("require", WireSslMode::Require)]
        {
            let t = resolve(&format!("postgres://u@h/d?sslmode={mode}"), &env, Duration::from_secs(1)).unwrap();
            assert_eq!(t.config.get_ssl_mode(), wire, "{mode}");
        }
        let env = env_of(&[("PGSSLMODE", "require")]);
        assert_eq!(
            resolve("postgres://u@h/d", &env, Duration::from_secs(1)).unwrap().config.get_ssl_mode(),
            WireSslMode::Require
        );
        let err = resolve("postgres://u@h/d?sslmode=sometimes", &env, Duration::from_secs(1)).err().unwrap();
        assert!(err.to_string().contains("unknown sslmode"), "{err}");
        let err =
            resolve("postgres://u@h/d?sslmode=verify-full&sslrootcert=/nonexistent.pem", &env, Duration::from_secs(1))
                .err()
                .unwrap();
        assert!(err.to_string().contains("sslrootcert"), "{err}");
    }
}
