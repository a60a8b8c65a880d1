//! `wasmcrypt run`: a WASI preview1 command module, or a WASI 0.2 component, with WASI-crypto
//! linked in.

use crate::codegen_options::{self, CodegenOption};
use crate::keystore_args::KeystoreArgs;
use crate::wasm_options::{self, HumanDuration, WasmOption};
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;
use wasmcrypt_keystore::defaults::{ENV_NAMESPACE, namespace_for_module};
use wasmcrypt_wasmtime::WasiCryptoCtx;
use wasmtime::error::{Context, bail, format_err};
use wasmtime::{
    Config, Engine, Error, Linker, Module, ResourceLimiter, Result, Store, StoreLimits, StoreLimitsBuilder, Trap,
};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtxBuilder};

/// How long a guest may outlive its `-W timeout` while it is inside a host call (which epoch
/// interruption cannot stop) before the process exits anyway.
const TIMEOUT_GRACE: Duration = Duration::from_secs(1);

/// Arguments of `wasmcrypt run`.
#[derive(Args)]
pub struct RunArgs {
    /// wasmtime-style limits, repeatable or comma-separated: `timeout=DURATION`, `fuel=N`,
    /// `max-memory-size=BYTES`; `-W help` lists them.
    #[arg(short = 'W', value_name = "OPT=VALUE,...", value_delimiter = ',', value_parser = WasmOption::parse)]
    wasm: Vec<WasmOption>,
    /// wasmtime-style code generation options: `cache=n` turns off the on-disk cache of
    /// compiled code (on by default).
    #[arg(short = 'C', value_name = "OPT=VALUE,...", value_delimiter = ',', value_parser = CodegenOption::parse)]
    codegen: Vec<CodegenOption>,
    /// Calls this export instead of the command's entry point and prints its results. For a
    /// module: `--invoke NAME` with one argument per parameter after the module; for a
    /// component: a call expression such as `--invoke 'hash("abc")'`.
    #[arg(long, value_name = "NAME")]
    pub(crate) invoke: Option<String>,
    /// Grants access to a host directory: `HOST_DIR[::GUEST_DIR]` (repeatable).
    #[arg(long = "dir", value_name = "HOST_DIR[::GUEST_DIR]")]
    dirs: Vec<String>,
    /// Sets an environment variable: `NAME=VALUE`, or `NAME` to pass the host's value (repeatable).
    #[arg(long = "env", value_name = "NAME[=VALUE]")]
    envs: Vec<String>,
    /// Caps the number of WASI-crypto handles the guest may hold open.
    #[arg(long, value_name = "N", default_value_t = wasmcrypt::DEFAULT_MAX_HANDLES)]
    max_handles: usize,
    /// Caps the bytes of guest data the WASI-crypto context holds (options, keys, states,
    /// outputs): `67108864`, `64MiB`, `16M` (K, M, G are powers of 1024).
    #[arg(long, value_name = "BYTES", value_parser = wasm_options::parse_size, default_value = "64MiB")]
    max_buffered_bytes: usize,
    /// Caps the length of any single input a WASI-crypto call copies from the guest, and of one
    /// squeeze (same syntax as --max-buffered-bytes).
    #[arg(long, value_name = "BYTES", value_parser = wasm_options::parse_size, default_value = "16MiB")]
    max_input_len: usize,
    #[command(flatten)]
    keystore: KeystoreArgs,
    /// Enables managed keys on the per-user default keystore when --keystore is not given.
    #[arg(long)]
    default_keystore: bool,
    /// The namespace of the guest's managed keys (default: the module's file name without `.wasm`).
    #[arg(long, value_name = "NS", env = ENV_NAMESPACE)]
    keystore_namespace: Option<String>,
    /// The WebAssembly module or component to run.
    #[arg(required_unless_present = "wasm")]
    pub(crate) module: Option<PathBuf>,
    /// Arguments passed to the guest unchanged, even those that start with `--`.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub(crate) args: Vec<String>,
}

/// The `-W` limits, merged (a later option wins).
#[derive(Default)]
pub(crate) struct Limits {
    pub(crate) timeout: Option<Duration>,
    pub(crate) fuel: Option<u64>,
    pub(crate) max_memory_size: Option<usize>,
    help: bool,
}

impl Limits {
    fn new(options: &[WasmOption]) -> Self {
        let mut limits = Self::default();
        for option in options {
            match *option {
                WasmOption::Timeout(d) => limits.timeout = Some(d),
                WasmOption::Fuel(n) => limits.fuel = Some(n),
                WasmOption::MaxMemorySize(n) => limits.max_memory_size = Some(n),
                WasmOption::Help => limits.help = true,
            }
        }
        limits
    }
}

struct Host {
    wasi: WasiP1Ctx,
    crypto: WasiCryptoCtx,
    memory: MemoryLimiter,
}

/// `-W max-memory-size`: wasmtime's [`StoreLimits`], remembering whether it refused a growth so
/// that the trap that usually follows (an allocation failure) can be explained.
pub(crate) struct MemoryLimiter {
    limits: StoreLimits,
    max: usize,
    pub(crate) refused: bool,
}

impl MemoryLimiter {
    /// The limiter of `-W max-memory-size` (none given: no limit).
    pub(crate) fn new(limits: &Limits) -> Self {
        let max = limits.max_memory_size.unwrap_or(usize::MAX);
        Self { limits: StoreLimitsBuilder::new().memory_size(max).build(), max, refused: false }
    }
}

impl ResourceLimiter for MemoryLimiter {
    fn memory_growing(&mut self, current: usize, desired: usize, maximum: Option<usize>) -> Result<bool> {
        self.refused |= desired > self.max;
        self.limits.memory_growing(current, desired, maximum)
    }

    fn table_growing(&mut self, current: usize, desired: usize, maximum: Option<usize>) -> Result<bool> {
        self.limits.table_growing(current, desired, maximum)
    }

    fn instances(&self) -> usize {
        self.limits.instances()
    }

    fn tables(&self) -> usize {
        self.limits.tables()
    }

    fn memories(&self) -> usize {
        self.limits.memories()
    }
}

/// The WASI context of the guest: its arguments, environment, stdio and directories.
pub(crate) fn wasi_builder(args: &RunArgs, module: &std::path::Path) -> Result<WasiCtxBuilder> {
    let mut builder = WasiCtxBuilder::new();
    builder.inherit_stdio();
    builder.arg(module.to_string_lossy());
    builder.args(&args.args);
    for env in &args.envs {
        match env.split_once('=') {
            Some((name, value)) => builder.env(name, value),
            None => builder.env(env, std::env::var(env).unwrap_or_default()),
        };
    }
    for dir in &args.dirs {
        let (host, guest) = dir.split_once("::").unwrap_or((dir, dir));
        builder
            .preopened_dir(host, guest, FsPerms::ReadWrite)
            .with_context(|| format!("cannot open directory '{host}'"))?;
    }
    Ok(builder)
}

/// The engine: `-W` limits and the `-C cache` switch.
pub(crate) fn engine(args: &RunArgs, limits: &Limits) -> Result<Engine> {
    let mut config = Config::new();
    config.epoch_interruption(limits.timeout.is_some()).consume_fuel(limits.fuel.is_some());
    codegen_options::configure(&mut config, &args.codegen);
    Engine::new(&config)
}

/// The guest's WASI-crypto context, with the limit and keystore flags applied.
pub(crate) fn crypto_ctx(args: &RunArgs, path: &std::path::Path) -> Result<WasiCryptoCtx> {
    let mut crypto = wasmcrypt::CryptoCtx::builder()
        .max_handles(args.max_handles)
        .max_buffered_bytes(args.max_buffered_bytes)
        .max_input_len(args.max_input_len);
    if args.keystore.keystore.is_some() || args.default_keystore {
        let keystore = args.keystore.location_or_default()?;
        let store: Arc<dyn wasmcrypt::secrets::KeyStore> =
            Arc::<dyn wasmcrypt_keystore::AdminStore>::from(args.keystore.open(&keystore)?);
        let namespace = args.keystore_namespace.clone().unwrap_or_else(|| namespace_for_module(path));
        crypto = crypto.key_store(store).namespace(namespace);
    }
    Ok(WasiCryptoCtx::from_core(crypto.build()))
}

/// Applies `-W fuel` and `-W timeout` to a store; the returned timer stops when dropped.
pub(crate) fn arm_limits<T>(store: &mut Store<T>, engine: &Engine, limits: &Limits) -> Result<Option<Timer>> {
    if let Some(fuel) = limits.fuel {
        store.set_fuel(fuel)?;
    }
    store.set_epoch_deadline(1);
    Ok(limits.timeout.map(|timeout| Timer::start(engine, timeout)))
}

/// Runs the module and returns the guest's exit code.
pub fn run(args: RunArgs) -> Result<i32> {
    let limits = Limits::new(&args.wasm);
    if limits.help {
        print!("{}", wasm_options::help());
        return Ok(0);
    }
    let Some(path) = &args.module else { bail!("no module to run: `wasmcrypt run [OPTIONS] <MODULE> [ARGS]...`") };
    let bytes = std::fs::read(path).with_context(|| format!("cannot read '{}'", path.display()))?;
    if is_component(&bytes) {
        return crate::component_run::run(&args, &limits, path, &bytes);
    }
    let engine = engine(&args, &limits)?;
    let module = Module::new(&engine, &bytes)
        .map_err(|e| format_err!("{}", e.root_cause()))
        .with_context(|| format!("'{}' is not a valid WebAssembly module or component", path.display()))?;
    let mut linker = Linker::<Host>::new(&engine);
    wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |h: &mut Host| &mut h.wasi)?;
    wasmcrypt_wasmtime::add_to_linker(&mut linker, |h: &mut Host| &mut h.crypto)?;
    let host = Host {
        wasi: wasi_builder(&args, path)?.build_p1(),
        crypto: crypto_ctx(&args, path)?.with_module(&module),
        memory: MemoryLimiter::new(&limits),
    };
    let mut store = Store::new(&engine, host);
    store.limiter(|h| &mut h.memory);
    // Dropping `_timer` stops the timer thread.
    let _timer = arm_limits(&mut store, &engine, &limits)?;
    let instance = match linker.instantiate(&mut store, &module) {
        Ok(instance) => instance,
        Err(e) => {
            return Err(limit_error(&e, &limits, store.data().memory.refused).unwrap_or_else(|| {
                format_err!("{}", e.root_cause()).context(format!("cannot instantiate '{}'", path.display()))
            }));
        }
    };
    let outcome = match &args.invoke {
        Some(name) => {
            let Some(func) = instance.get_func(&mut store, name) else {
                bail!("'{}' has no exported function `{name}`", path.display());
            };
            crate::invoke::call_module_func(&mut store, name, func, &args.args)?.map(|results| {
                results.iter().for_each(|r| println!("{r}"));
            })
        }
        None => {
            let Ok(start) = instance.get_typed_func::<(), ()>(&mut store, "_start") else {
                bail!("'{}' has no `_start` function: it is not a WASI command module", path.display());
            };
            start.call(&mut store, ())
        }
    };
    exit_code(outcome, &limits, store.data().memory.refused)
}

/// Whether `bytes` are a binary component rather than a core module: the same magic number,
/// then a 16-bit version and a 16-bit layer, which is 1 for components and 0 for modules.
pub(crate) fn is_component(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\0asm") && bytes.get(6..8) == Some(&[1, 0])
}

/// The guest's exit code: 0, the code it passed to `exit`, or the error that stopped it.
pub(crate) fn exit_code(outcome: Result<()>, limits: &Limits, memory_refused: bool) -> Result<i32> {
    match outcome {
        Ok(()) => Ok(0),
        Err(e) => match e.downcast_ref::<I32Exit>() {
            Some(exit) => Ok(exit.0),
            None => Err(limit_error(&e, limits, memory_refused)
                .unwrap_or_else(|| format_err!("{}", e.root_cause()).context("the guest trapped"))),
        },
    }
}

/// The one-line error for a guest stopped by one of its `-W` limits, if one stopped it.
pub(crate) fn limit_error(e: &Error, limits: &Limits, memory_refused: bool) -> Option<Error> {
    match (e.downcast_ref::<Trap>(), limits) {
        (Some(Trap::Interrupt), Limits { timeout: Some(t), .. }) => {
            Some(format_err!("the guest exceeded its time limit of {} (-W timeout)", HumanDuration(*t)))
        }
        (Some(Trap::OutOfFuel), Limits { fuel: Some(n), .. }) => {
            Some(format_err!("the guest ran out of fuel after {n} units (-W fuel)"))
        }
        (_, Limits { max_memory_size: Some(max), .. }) if memory_refused => Some(format_err!(
            "the guest exceeded its memory limit of {max} bytes (-W max-memory-size): {}",
            e.root_cause()
        )),
        _ => None,
    }
}

/// `-W timeout`: ends the engine's epoch after the timeout, which traps the guest at its next
/// loop header or function entry. A guest still running `TIMEOUT_GRACE` later is inside a host
/// call that epochs cannot interrupt (a blocking read, a long key generation): the process then
/// exits with the same message, so the timeout always holds.
pub(crate) struct Timer {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Timer {
    fn start(engine: &Engine, timeout: Duration) -> Self {
        let (stop, stopped) = mpsc::channel::<()>();
        let engine = engine.clone();
        let thread = std::thread::spawn(move || {
            if stopped.recv_timeout(timeout) != Err(RecvTimeoutError::Timeout) {
                return;
            }
            engine.increment_epoch();
            if stopped.recv_timeout(TIMEOUT_GRACE) == Err(RecvTimeoutError::Timeout) {
                eprintln!(
                    "wasmcrypt: error: the guest exceeded its time limit of {} (-W timeout) and was stopped \
                     inside a host call",
                    HumanDuration(timeout)
                );
                std::process::exit(1);
            }
        });
        Self { stop: Some(stop), thread: Some(thread) }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
