//! `wasmcrypt run`: a WASI preview1 command module with WASI-crypto linked in.

use crate::keystore_args::KeystoreArgs;
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;
use wasmcrypt_keystore::defaults::{ENV_NAMESPACE, namespace_for_module};
use wasmcrypt_wasmtime::WasiCryptoCtx;
use wasmtime::error::{Context, bail, format_err};
use wasmtime::{Engine, Linker, Module, Result, Store};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtxBuilder};

/// Arguments of `wasmcrypt run`.
#[derive(Args)]
pub struct RunArgs {
    /// Grants access to a host directory: `HOST_DIR[::GUEST_DIR]` (repeatable).
    #[arg(long = "dir", value_name = "HOST_DIR[::GUEST_DIR]")]
    dirs: Vec<String>,
    /// Sets an environment variable: `NAME=VALUE`, or `NAME` to pass the host's value (repeatable).
    #[arg(long = "env", value_name = "NAME[=VALUE]")]
    envs: Vec<String>,
    /// Caps the number of WASI-crypto handles the guest may hold open.
    #[arg(long, value_name = "N", default_value_t = wasmcrypt::DEFAULT_MAX_HANDLES)]
    max_handles: usize,
    #[command(flatten)]
    keystore: KeystoreArgs,
    /// Enables managed keys on the per-user default keystore when --keystore is not given.
    #[arg(long)]
    default_keystore: bool,
    /// The namespace of the guest's managed keys (default: the module's file name without `.wasm`).
    #[arg(long, value_name = "NS", env = ENV_NAMESPACE)]
    keystore_namespace: Option<String>,
    /// The WebAssembly module to run.
    module: PathBuf,
    /// Arguments passed to the module unchanged, even those that start with `--`.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

struct Host {
    wasi: WasiP1Ctx,
    crypto: WasiCryptoCtx,
}

fn wasi_ctx(args: &RunArgs) -> Result<WasiP1Ctx> {
    let mut builder = WasiCtxBuilder::new();
    builder.inherit_stdio();
    builder.arg(args.module.to_string_lossy());
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
    Ok(builder.build_p1())
}

/// Runs the module and returns the guest's exit code.
pub fn run(args: RunArgs) -> Result<i32> {
    let path = &args.module;
    let bytes = std::fs::read(path).with_context(|| format!("cannot read '{}'", path.display()))?;
    let engine = Engine::default();
    let module = Module::new(&engine, &bytes)
        .map_err(|e| format_err!("{}", e.root_cause()))
        .with_context(|| format!("'{}' is not a valid WebAssembly module", path.display()))?;
    let mut linker = Linker::<Host>::new(&engine);
    wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |h: &mut Host| &mut h.wasi)?;
    wasmcrypt_wasmtime::add_to_linker(&mut linker, |h: &mut Host| &mut h.crypto)?;
    let mut crypto = wasmcrypt::CryptoCtx::builder().max_handles(args.max_handles);
    if args.keystore.keystore.is_some() || args.default_keystore {
        let keystore = args.keystore.path_or_default()?;
        let store = args.keystore.open(&keystore)?;
        let namespace = args.keystore_namespace.clone().unwrap_or_else(|| namespace_for_module(path));
        crypto = crypto.key_store(Arc::new(store)).namespace(namespace);
    }
    let crypto = crypto.build();
    let host = Host { wasi: wasi_ctx(&args)?, crypto: WasiCryptoCtx::from_core(crypto) };
    let mut store = Store::new(&engine, host);
    let instance = linker
        .instantiate(&mut store, &module)
        .map_err(|e| format_err!("{}", e.root_cause()))
        .with_context(|| format!("cannot instantiate '{}'", path.display()))?;
    let Ok(start) = instance.get_typed_func::<(), ()>(&mut store, "_start") else {
        bail!("'{}' has no `_start` function: it is not a WASI command module", path.display());
    };
    match start.call(&mut store, ()) {
        Ok(()) => Ok(0),
        Err(e) => match e.downcast_ref::<I32Exit>() {
            Some(exit) => Ok(exit.0),
            None => Err(format_err!("{}", e.root_cause())).context("the guest trapped"),
        },
    }
}
