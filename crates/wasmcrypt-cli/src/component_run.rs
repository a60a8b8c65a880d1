//! `wasmcrypt run` for a component: WASI 0.2 (the `wasi:cli` command world: arguments,
//! environment, stdio, preopened directories, clocks, random, sockets off) plus
//! `wasi:crypto@0.11.0` and wasmcrypt's extension interfaces.

use crate::run::{
    Limits, MemoryLimiter, RunArgs, arm_limits, crypto_ctx, engine, exit_code, limit_error, wasi_builder,
};
use std::path::Path;
use wasmcrypt_wasmtime::WasiCryptoCtx;
use wasmcrypt_wasmtime::component::WasiCryptoView;
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::error::{Context, bail, format_err};
use wasmtime::{Result, Store};
use wasmtime_wasi::p2::bindings::sync::Command;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

struct Host {
    wasi: WasiCtx,
    table: ResourceTable,
    crypto: WasiCryptoCtx,
    memory: MemoryLimiter,
}

impl WasiView for Host {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

impl WasiCryptoView for Host {
    fn crypto(&mut self) -> &mut WasiCryptoCtx {
        &mut self.crypto
    }
}

/// Runs the component (its `wasi:cli/run` export, or the `--invoke` function) and returns the
/// guest's exit code.
pub fn run(args: &RunArgs, limits: &Limits, path: &Path, bytes: &[u8]) -> Result<i32> {
    let engine = engine(args, limits)?;
    let component = Component::new(&engine, bytes)
        .map_err(|e| format_err!("{}", e.root_cause()))
        .with_context(|| format!("'{}' is not a valid WebAssembly component", path.display()))?;
    let mut linker = Linker::<Host>::new(&engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    wasmcrypt_wasmtime::component::add_to_linker(&mut linker)?;
    let host = Host {
        wasi: wasi_builder(args, path)?.build(),
        table: ResourceTable::new(),
        crypto: crypto_ctx(args, path)?,
        memory: MemoryLimiter::new(limits),
    };
    let mut store = Store::new(&engine, host);
    store.limiter(|h| &mut h.memory);
    let _timer = arm_limits(&mut store, &engine, limits)?;
    let instance = match linker.instantiate(&mut store, &component) {
        Ok(instance) => instance,
        Err(e) => {
            return Err(limit_error(&e, limits, store.data().memory.refused).unwrap_or_else(|| {
                format_err!("{:#}", e).context(format!("cannot instantiate '{}'", path.display()))
            }));
        }
    };
    let outcome = match &args.invoke {
        Some(expr) => {
            let (name, call_args) = crate::invoke::parse_call(expr)?;
            if !args.args.is_empty() {
                bail!("a component's --invoke takes its arguments in the call expression: --invoke '{name}(...)'");
            }
            let func = crate::invoke::find_component_func(&component, &name)
                .and_then(|index| {
                    instance.get_func(&mut store, index).ok_or_else(|| format_err!("`{name}` is not a function"))
                })
                .with_context(|| format!("cannot invoke `{name}` in '{}'", path.display()))?;
            crate::invoke::call_component_func(&mut store, &name, func, &call_args)?.map(|results| {
                results.iter().for_each(|r| println!("{r}"));
            })
        }
        None => {
            let command = Command::new(&mut store, &instance).map_err(|_| {
                format_err!(
                    "'{}' does not export `wasi:cli/run`: it is not a WASI command component (use --invoke)",
                    path.display()
                )
            })?;
            match command.wasi_cli_run().call_run(&mut store) {
                Ok(Ok(())) => Ok(()),
                Ok(Err(())) => return Ok(1),
                Err(e) => Err(e),
            }
        }
    };
    exit_code(outcome, limits, store.data().memory.refused)
}
