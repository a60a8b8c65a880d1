//! wasmtime glue for wasmcrypt: defines the six `wasi_ephemeral_crypto_*` import modules for
//! core modules, and (in [`component`]) the `wasi:crypto@0.11.0` interfaces for components.
//!
//! Put a [`WasiCryptoCtx`] in your store's data, one per guest instance, and call
//! [`add_to_linker`] with a closure that finds it:
//!
//! ```
//! use wasmcrypt_wasmtime::WasiCryptoCtx;
//! use wasmtime::{Engine, Linker, Module, Store};
//!
//! struct State {
//!     crypto: WasiCryptoCtx,
//! }
//!
//! let engine = Engine::default();
//! let mut linker = Linker::<State>::new(&engine);
//! wasmcrypt_wasmtime::add_to_linker(&mut linker, |s: &mut State| &mut s.crypto)?;
//! // For WASI too, add `wasmtime_wasi::p1::add_to_linker_sync`.
//! //
//! // This module, written in WAT, exports `sha256_abc`, which hashes "abc" through
//! // `wasi_ephemeral_crypto_symmetric` and returns where the digest is. One built with
//! // `cargo build --target wasm32-wasip1` loads the same way, with `Module::from_file`.
//! let wat = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/sha256_module.wat"));
//! let module = Module::new(&engine, wat::parse_str(wat)?)?;
//! let mut store = Store::new(&engine, State { crypto: WasiCryptoCtx::new().with_module(&module) });
//! let instance = linker.instantiate(&mut store, &module)?;
//! let sha256_abc = instance.get_typed_func::<(), i32>(&mut store, "sha256_abc")?;
//! let at = sha256_abc.call(&mut store, ())? as usize;
//! let memory = instance.get_memory(&mut store, "memory").unwrap();
//! assert_eq!(
//!     memory.data(&store)[at..at + 32],
//!     [
//!         0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
//!         0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
//!     ]
//! );
//! # Ok::<(), wasmtime::Error>(())
//! ```
//!
//! Every function returns its `crypto_errno` as an `i32` and writes results through trailing
//! out-pointers, as the existing guests (`wasi-crypto-guest`) expect. Guest pointers and lengths
//! are bounds-checked (`guest_error`); guest memory is borrowed only for the duration of one call
//! (`Memory::data_and_store_mut`).
//!
//! # Which memory a call uses
//!
//! Every call works on the `memory` export of the instance that made it, looked up through the
//! [`Caller`] on each call, never cached: a context may serve several instances of a store in
//! turn, or move to another store, and each call still reads and writes its caller's memory
//! (an instance without a `memory` export gets `guest_error`). The lookup by name costs a few
//! tens of nanoseconds per call; [`WasiCryptoCtx::with_module`] replaces it, for instances of
//! the given module, by a lookup by export index, which is cheaper and just as exact.

mod asymmetric_common;
mod common;
pub mod component;
mod external_secrets;
mod kx;
mod memory;
mod signatures;
mod symmetric;

use memory::Mem;
use wasmcrypt::{CryptoCtx, Result};
use wasmtime::{Caller, Extern, Linker, Module, ModuleExport};

pub use wasmcrypt;

/// The WASI-crypto state of one guest instance, kept in the store's data.
pub struct WasiCryptoCtx {
    /// Boxed, so that a component call can lend it out of the store cheaply.
    crypto: Box<CryptoCtx>,
    /// Takes `crypto`'s place while a component call reads the guest's memory (see
    /// `component::list_args`).
    stand_in: Option<Box<CryptoCtx>>,
    /// The last list a component's bulk-data call returned, kept to be reused or wiped.
    bulk: component::ReturnedList,
    /// The last secret or tag a component pulled as a list, kept to be wiped.
    pulled: component::ReturnedList,
    /// The index of the `memory` export of the module given to [`WasiCryptoCtx::with_module`].
    memory_export: Option<ModuleExport>,
}

impl Default for WasiCryptoCtx {
    fn default() -> Self {
        Self::new()
    }
}

impl WasiCryptoCtx {
    /// A context with the default limits.
    pub fn new() -> Self {
        Self::from_core(CryptoCtx::new())
    }

    /// Wraps a core context built with [`wasmcrypt::CryptoCtx::builder`].
    pub fn from_core(crypto: CryptoCtx) -> Self {
        Self {
            crypto: Box::new(crypto),
            stand_in: None,
            bulk: component::ReturnedList::default(),
            pulled: component::ReturnedList::default(),
            memory_export: None,
        }
    }

    /// Speeds up calls from instances of `module` (the one the context is made for): they find
    /// their memory by export index rather than by name. Calls from instances of other modules
    /// keep working, by name; every call still uses its own caller's memory.
    pub fn with_module(mut self, module: &Module) -> Self {
        self.memory_export = module.get_export_index("memory");
        self
    }

    /// The bytes of the result lists a component's calls left for the context to keep (the
    /// last bulk-data result and the last pulled secret or tag, see
    /// [`component`]); they count in the core's `buffered_bytes()`.
    pub fn kept_list_bytes(&self) -> usize {
        self.bulk.kept_len() + self.pulled.kept_len()
    }

    /// The core context.
    pub fn core(&mut self) -> &mut CryptoCtx {
        &mut self.crypto
    }
}

/// The closure that finds the [`WasiCryptoCtx`] in the store's data.
pub trait GetCtx<T>: Fn(&mut T) -> &mut WasiCryptoCtx + Send + Sync + Copy + 'static {}
impl<T, F: Fn(&mut T) -> &mut WasiCryptoCtx + Send + Sync + Copy + 'static> GetCtx<T> for F {}

/// Defines all 78 functions of the six `wasi_ephemeral_crypto_*` modules in `linker`.
pub fn add_to_linker<T: 'static>(linker: &mut Linker<T>, get: impl GetCtx<T>) -> wasmtime::Result<()> {
    common::add(linker, get)?;
    asymmetric_common::add(linker, get)?;
    signatures::add(linker, get)?;
    symmetric::add(linker, get)?;
    kx::add(linker, get)?;
    external_secrets::add(linker, get)?;
    Ok(())
}

/// Runs one host call: borrows guest memory and the context, and turns the result into an errno.
fn call<T: 'static>(
    caller: &mut Caller<'_, T>,
    get: impl GetCtx<T>,
    f: impl FnOnce(&mut Mem<'_>, &mut CryptoCtx) -> Result<()>,
) -> i32 {
    // The caller's own memory, on every call (see the crate documentation).
    let export = match get(caller.data_mut()).memory_export {
        Some(index) => caller.get_module_export(&index).or_else(|| caller.get_export("memory")),
        None => caller.get_export("memory"),
    };
    let Some(Extern::Memory(memory)) = export else {
        return i32::from(wasmcrypt::CryptoError::GuestError.errno());
    };
    let (bytes, data) = memory.data_and_store_mut(caller);
    let ctx = get(data);
    match f(&mut Mem(bytes), &mut ctx.crypto) {
        Ok(()) => 0,
        Err(e) => i32::from(e.errno()),
    }
}

/// Defines one host function: `host!(linker, get, "module", "name", |mem, cx, a: i32, ...| body)`,
/// where `body` evaluates to `Result<()>`.
macro_rules! host {
    ($linker:ident, $get:ident, $module:expr, $name:literal, |$mem:ident, $cx:ident $(, $arg:ident : $ty:ty)*| $body:expr) => {
        $linker.func_wrap(
            $module,
            $name,
            move |mut caller: wasmtime::Caller<'_, T>, $($arg: $ty),*| -> i32 {
                $crate::call(&mut caller, $get, |$mem, $cx| $body)
            },
        )?;
    };
}
pub(crate) use host;
