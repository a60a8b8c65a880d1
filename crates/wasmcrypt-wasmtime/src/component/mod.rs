//! The component ABI: `wasi:crypto@0.11.0` for `wasm32-wasip2` components, plus wasmcrypt's
//! `wasmcrypt:crypto/symmetric-ext` extension.
//!
//! Put a [`WasiCryptoCtx`](crate::WasiCryptoCtx) in your store's data, make the data implement
//! [`WasiCryptoView`], and call [`add_to_linker`]:
//!
//! ```no_run
//! use wasmcrypt_wasmtime::WasiCryptoCtx;
//! use wasmcrypt_wasmtime::component::WasiCryptoView;
//! use wasmtime::component::{Component, Linker};
//! use wasmtime::{Config, Engine, Store};
//!
//! struct State {
//!     crypto: WasiCryptoCtx,
//! }
//!
//! impl WasiCryptoView for State {
//!     fn crypto(&mut self) -> &mut WasiCryptoCtx {
//!         &mut self.crypto
//!     }
//! }
//!
//! let engine = Engine::new(Config::new().wasm_component_model(true))?;
//! let mut linker = Linker::<State>::new(&engine);
//! wasmcrypt_wasmtime::component::add_to_linker(&mut linker)?;
//! // A component built with `cargo build --target wasm32-wasip2` against `wit/`, exporting
//! // `run: func() -> list<u8>` (for WASI too, add `wasmtime_wasi::p2::add_to_linker_sync`).
//! let component = Component::from_file(&engine, "guest.wasm")?;
//! let mut store = Store::new(&engine, State { crypto: WasiCryptoCtx::new() });
//! let instance = linker.instantiate(&mut store, &component)?;
//! let run = instance.get_typed_func::<(), (Vec<u8>,)>(&mut store, "run")?;
//! let (output,) = run.call(&mut store, ())?;
//! // Every resource the guest dropped is closed in the core.
//! assert_eq!(store.data_mut().crypto.core().open_handles(), 0);
//! # Ok::<(), wasmtime::Error>(())
//! ```
//!
//! Every WIT resource is a handle of the [`wasmcrypt::CryptoCtx`] core: dropping it closes the
//! handle exactly as the matching `*-close` function does (secrets are wiped), and the
//! `*-close` functions are kept, so components built against either upstream revision link.
//! The per-instance limits and the byte budget are those of the core context. Where the WIT
//! differs from the witx ABI, the choices are in the crate's README (section "Components").

mod asymmetric_common;
mod common;
mod convert;
mod external_secrets;
mod kx;
mod signatures;
mod symmetric;
mod symmetric_ext;

use crate::WasiCryptoCtx;
use wasmtime::component::{HasData, Linker};

/// Host bindings generated from the WIT in `wit/` (`wasi:crypto@0.11.0` in `wit/deps`).
#[allow(missing_docs)]
pub mod bindings {
    wasmtime::component::bindgen!({
        path: "wit",
        world: "wasmcrypt:crypto/imports",
    });
}

/// Gives the component glue access to the store's [`WasiCryptoCtx`], as `WasiView` does for
/// `wasmtime_wasi`.
pub trait WasiCryptoView {
    /// The context of the instance the store runs.
    fn crypto(&mut self) -> &mut WasiCryptoCtx;
}

impl WasiCryptoView for WasiCryptoCtx {
    fn crypto(&mut self) -> &mut WasiCryptoCtx {
        self
    }
}

struct HasCrypto;

impl HasData for HasCrypto {
    type Data<'a> = &'a mut WasiCryptoCtx;
}

/// Defines the six `wasi:crypto/wasi-ephemeral-crypto-*@0.11.0` interfaces (all 78 functions
/// and the drop of the twelve resources) and `wasmcrypt:crypto/symmetric-ext@0.1.0` in a
/// component linker, as `wasmtime_wasi::p2::add_to_linker_sync` does for WASI.
pub fn add_to_linker<T: WasiCryptoView + 'static>(linker: &mut Linker<T>) -> wasmtime::Result<()> {
    bindings::Imports::add_to_linker::<T, HasCrypto>(linker, |t: &mut T| t.crypto())
}
