//! A throwaway PostgreSQL cluster for tests and benchmarks: Debian's (or any installed)
//! PostgreSQL binaries, `initdb` into a temporary directory, a server on a free loopback port,
//! with TLS (a certificate for `localhost` made by `openssl`, when it is installed).
//!
//! Run as root, the cluster belongs to an unprivileged user (`postgres` if it exists, else
//! `nobody`), since PostgreSQL refuses to run as root. The server is a child of a small shell
//! that stops it when its standard input closes, so it never outlives the process that started
//! it, even one that is killed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Set to `1` (as CI does) to make a cluster that cannot be started a failure, not a skip.
pub const ENV_REQUIRE_POSTGRES: &str = "WASMCRYPT_REQUIRE_POSTGRES";

/// The superuser's name and password in a test cluster.
pub const TEST_USER: &str = "wasmcrypt";
/// The superuser's password (password authentication over TCP, trust over the socket).
pub const TEST_PASSWORD: &str = "wasmcrypt-test-password";

/// A running throwaway cluster, stopped and deleted on drop.
pub struct TestCluster {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    run_as: Option<String>,
    tls: bool,
    server: Mutex<Option<Child>>,
}

fn find_bin() -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("initdb").is_file() && b.join("postgres").is_file())
        .collect();
    // The newest major version last.
    candidates.sort_by_key(|p| {
        p.parent().and_then(|v| v.file_name()).and_then(|v| v.to_str()).and_then(|v| v.parse::<u32>().ok())
    });
    if let Some(best) = candidates.pop() {
        return Some(best);
    }
    let out = Command::new("pg_config").arg("--bindir").output().ok()?;
    let bin = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    bin.join("initdb").is_file().then_some(bin)
}

fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

fn user_ids(user: &str) -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        (f.len() > 3 && f[0] == user).then(|| Some((f[2].parse().ok()?, f[3].parse().ok()?)))?
    })
}

fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn chown_tree(path: &Path, uid: u32, gid: u32) -> std::io::Result<()> {
    std::os::unix::fs::chown(path, Some(uid), Some(gid))?;
    if path.is_dir() {
        for entry in std::fs::read_dir(path)? {
            chown_tree(&entry?.path(), uid, gid)?;
        }
    }
    Ok(())
}

fn run(cmd: &mut Command, what: &str) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("{what}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{what} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}

/// Makes a CA and a server certificate for `localhost` (DNS name only) with `openssl`.
fn make_certificates(dir: &Path) -> Result<(), String> {
    let openssl =
        |args: &[&str]| run(Command::new("openssl").args(args).current_dir(dir).stdin(Stdio::null()), "openssl");
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=wasmcrypt test CA",
    ])?;
    openssl(&[
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost",
    ])?;
    std::fs::write(dir.join("san.ext"), "subjectAltName=DNS:localhost\n").map_err(|e| e.to_string())?;
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "san.ext",
    ])?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir.join("server.key"), std::fs::Permissions::from_mode(0o600)).map_err(|e| e.to_string())
}

/// Deletes the directories of clusters whose process is gone (a cluster kept in a `static`
/// is never dropped: its server stops with the process, its directory stays until then).
fn remove_stale_clusters(base: &Path) {
    for entry in std::fs::read_dir(base).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("wasmcrypt-pg-").and_then(|rest| rest.split('-').next()) else { continue };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

impl TestCluster {
    /// Starts a cluster, or says why none can be started here.
    pub fn start() -> Result<Self, String> {
        let bin = find_bin().ok_or("no PostgreSQL server binaries (initdb, postgres) are installed")?;
        let run_as = running_as_root()
            .then(|| if user_ids("postgres").is_some() { "postgres".to_owned() } else { "nobody".to_owned() });
        // The server's user must reach the directory: as root, TMPDIR may be private.
        let base = if run_as.is_some() { PathBuf::from("/tmp") } else { std::env::temp_dir() };
        remove_stale_clusters(&base);
        let dir = base.join(format!(
            "wasmcrypt-pg-{}-{}",
            std::process::id(),
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
        ));
        std::fs::create_dir_all(dir.join("data")).map_err(|e| format!("{}: {e}", dir.display()))?;
        std::fs::write(dir.join("pwfile"), TEST_PASSWORD).map_err(|e| e.to_string())?;
        let tls = make_certificates(&dir).is_ok();
        if let Some(user) = &run_as {
            let (uid, gid) = user_ids(user).ok_or_else(|| format!("no user {user}"))?;
            chown_tree(&dir, uid, gid).map_err(|e| format!("chown {}: {e}", dir.display()))?;
        }
        let cluster =
            Self { dir, bin, port: free_port().map_err(|e| e.to_string())?, run_as, tls, server: Mutex::new(None) };
        let data = cluster.data_dir();
        let pwfile = cluster.dir.join("pwfile");
        let mut initdb = cluster.command("initdb");
        initdb.args(["-D", &data, "-U", TEST_USER, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8"]);
        initdb.arg(format!("--pwfile={}", pwfile.display()));
        run(&mut initdb, "initdb")?;
        cluster.launch()?;
        Ok(cluster)
    }

    /// [`TestCluster::start`], or `None` after printing why, unless
    /// [`ENV_REQUIRE_POSTGRES`] is `1`: then a failure panics.
    pub fn start_or_skip(test: &str) -> Option<Self> {
        match Self::start() {
            Ok(cluster) => Some(cluster),
            Err(why) if std::env::var(ENV_REQUIRE_POSTGRES).is_ok_and(|v| v == "1") => {
                panic!("{test}: PostgreSQL is required ({ENV_REQUIRE_POSTGRES}=1) but cannot be started: {why}")
            }
            Err(why) => {
                eprintln!("notice: {test} skipped: no PostgreSQL can be started here ({why})");
                None
            }
        }
    }

    fn data_dir(&self) -> String {
        self.dir.join("data").display().to_string()
    }

    /// A command run as the cluster's user, in the cluster's directory (the user may not be
    /// allowed into the caller's).
    fn command(&self, tool: &str) -> Command {
        let path = self.bin.join(tool);
        let mut c = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(path);
                c
            }
            None => Command::new(path),
        };
        c.current_dir(&self.dir);
        c
    }

    /// Starts the server under a shell that stops it when its standard input closes.
    fn launch(&self) -> Result<(), String> {
        let mut settings = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            self.port,
            self.dir.display()
        );
        if self.tls {
            settings.push_str(&format!(
                " -c ssl=on -c ssl_cert_file={0}/server.pem -c ssl_key_file={0}/server.key",
                self.dir.display()
            ));
        }
        let script = format!(
            "{} -D {} {settings} >{}/server.log 2>&1 & pid=$!; read _; kill -INT $pid 2>/dev/null; wait $pid",
            self.bin.join("postgres").display(),
            self.data_dir(),
            self.dir.display()
        );
        let mut sh = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--", "sh", "-c", &script]);
                c
            }
            None => {
                let mut c = Command::new("sh");
                c.args(["-c", &script]);
                c
            }
        };
        let child = sh
            .current_dir(&self.dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("postgres: {e}"))?;
        *self.server.lock().map_err(|_| "poisoned")? = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let ready = self
                .command("pg_isready")
                .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", TEST_USER])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if ready {
                return Ok(());
            }
            if Instant::now() > deadline {
                let log = std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
                return Err(format!("the server did not start within 60 s: {log}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The loopback port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Whether the server speaks TLS (with [`TestCluster::ca_file`] as its root).
    pub fn has_tls(&self) -> bool {
        self.tls
    }

    /// The CA certificate (PEM) that signed the server's certificate for `localhost`.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    /// A URL of `database` over TCP with the password and `sslmode=disable`.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://{TEST_USER}:{TEST_PASSWORD}@127.0.0.1:{}/{database}?sslmode=disable", self.port)
    }

    /// Creates a database and returns its [`TestCluster::url`].
    pub fn create_database(&self, database: &str) -> Result<String, String> {
        let mut client =
            postgres::Client::connect(&self.url("postgres"), postgres::NoTls).map_err(|e| e.to_string())?;
        client.batch_execute(&format!("CREATE DATABASE \"{database}\"")).map_err(|e| e.to_string())?;
        Ok(self.url(database))
    }

    /// Runs SQL as the superuser in `database` (for tests that tamper with rows).
    pub fn execute(&self, database: &str, sql: &str) -> Result<u64, String> {
        let mut client = postgres::Client::connect(&self.url(database), postgres::NoTls).map_err(|e| e.to_string())?;
        client.execute(sql, &[]).map_err(|e| e.to_string())
    }

    /// Stops the server the way a crash does: `pg_ctl stop -m immediate`.
    pub fn stop_immediate(&self) -> Result<(), String> {
        run(self.command("pg_ctl").args(["stop", "-m", "immediate", "-D", &self.data_dir()]), "pg_ctl stop")?;
        if let Ok(mut server) = self.server.lock()
            && let Some(mut child) = server.take()
        {
            drop(child.stdin.take());
            let _ = child.wait();
        }
        Ok(())
    }

    /// Starts the server again after [`TestCluster::stop_immediate`] (crash recovery runs).
    pub fn restart(&self) -> Result<(), String> {
        self.launch()
    }
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        if let Ok(mut server) = self.server.lock()
            && let Some(mut child) = server.take()
        {
            if let Some(mut stdin) = child.stdin.take() {
                let _ = stdin.flush();
            }
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
