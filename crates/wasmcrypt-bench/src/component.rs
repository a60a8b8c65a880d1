//! Component rows: the same loops as the module guest, from `guests-p2/bench-p2` through the
//! component ABI (`wasi:crypto@0.11.0`), where every list is copied by the canonical ABI.

use std::path::{Path, PathBuf};
use std::process::Command;
use wasmcrypt_wasmtime::WasiCryptoCtx;
use wasmcrypt_wasmtime::component::WasiCryptoView;
use wasmtime::component::{Component, Linker, ResourceTable, TypedFunc};
use wasmtime::{Engine, Store};
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

/// The store data of the component guest.
pub struct Host {
    wasi: WasiCtx,
    table: ResourceTable,
    crypto: WasiCryptoCtx,
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

fn build() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../guests-p2");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(&dir)
        .args(["build", "--release", "--target", "wasm32-wasip2", "-p", "bench-p2"])
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building the bench component failed");
    dir.join("target/wasm32-wasip2/release/bench_p2.wasm")
}

/// A guest loop: `(iterations, length) -> failures`.
pub type Loop = TypedFunc<(u32, u32), (u32,)>;

/// An instance of the bench component and its two loops: `seal-aes128gcm(iters, len)` and
/// `absorb-sha256(iters, len)`, each returning its failure count.
pub struct BenchComponent {
    /// The store the instance lives in.
    pub store: Store<Host>,
    /// `seal-aes128gcm`.
    pub seal: Loop,
    /// `absorb-sha256`.
    pub absorb: Loop,
}

impl BenchComponent {
    /// Builds and instantiates the bench component on `engine`.
    pub fn new(engine: &Engine) -> wasmtime::Result<Self> {
        let component = Component::from_file(engine, build())?;
        let mut linker = Linker::<Host>::new(engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
        wasmcrypt_wasmtime::component::add_to_linker(&mut linker)?;
        let host =
            Host { wasi: WasiCtxBuilder::new().build(), table: ResourceTable::new(), crypto: WasiCryptoCtx::new() };
        let mut store = Store::new(engine, host);
        let instance = linker.instantiate(&mut store, &component)?;
        let seal = instance.get_typed_func(&mut store, "seal-aes128gcm")?;
        let absorb = instance.get_typed_func(&mut store, "absorb-sha256")?;
        Ok(Self { store, seal, absorb })
    }

    /// Calls a loop and returns its failure count.
    pub fn call(&mut self, f: fn(&Self) -> &Loop, iters: u32, len: u32) -> u32 {
        let func = *f(self);
        func.call(&mut self.store, (iters, len)).unwrap().0
    }
}
