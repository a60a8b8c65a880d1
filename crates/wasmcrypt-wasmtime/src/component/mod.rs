//! The component ABI: `wasi:crypto@0.11.0` for `wasm32-wasip2` components, plus wasmcrypt's
//! `wasmcrypt:crypto/symmetric-ext` extension.
//!
//! Put a [`WasiCryptoCtx`] in your store's data, make the data implement
//! [`WasiCryptoView`], and call [`add_to_linker`]:
//!
//! ```
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
//! // For WASI too, add `wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?`.
//! //
//! // This component, written in WAT, exports `run: func() -> list<u8>`: the SHA-256 of "abc"
//! // through `wasi:crypto`. One built with `cargo build --target wasm32-wasip2` against `wit/`
//! // loads the same way, with `Component::from_file`.
//! let wat = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/sha256_component.wat"));
//! let component = Component::new(&engine, wat::parse_str(wat)?)?;
//! let mut store = Store::new(&engine, State { crypto: WasiCryptoCtx::new() });
//! let instance = linker.instantiate(&mut store, &component)?;
//! let run = instance.get_typed_func::<(), (Vec<u8>,)>(&mut store, "run")?;
//! let (digest,) = run.call(&mut store, ())?;
//! assert_eq!(
//!     digest,
//!     [
//!         0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
//!         0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
//!     ]
//! );
//! // The guest dropped its state, which closed the core handle.
//! assert_eq!(store.data_mut().crypto.core().open_handles(), 0);
//! # Ok::<(), wasmtime::Error>(())
//! ```
//!
//! Every WIT resource is a handle of the [`wasmcrypt::CryptoCtx`] core: dropping it closes the
//! handle exactly as the matching `*-close` function does (secrets are wiped), and the
//! `*-close` functions are kept, so components built against either upstream revision link.
//! The per-instance limits and the byte budget are those of the core context. Bulk data
//! (absorb, encrypt, decrypt) is read where it lies in the guest's memory; the lists returned
//! for bulk data, secrets and tags are kept by the context (charged to the budget, reused by the
//! next result of the same length, wiped before they are freed; see
//! [`WasiCryptoCtx::kept_list_bytes`](crate::WasiCryptoCtx::kept_list_bytes)). Where the WIT
//! differs from the witx ABI, the choices are in the crate's README (section "Components").

mod asymmetric_common;
mod bulk;
mod common;
mod convert;
mod external_secrets;
mod kx;
mod list_args;
mod list_results;
mod pull;
mod returned;
mod signatures;
mod symmetric;
mod symmetric_ext;

use crate::WasiCryptoCtx;
pub(crate) use returned::ReturnedList;
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
///
/// Nine functions are defined twice, the second time over the first with shadowing allowed: the
/// bulk-data functions of the symmetric interface, which read their input in the guest's memory
/// (see `list_args`), and the four that return secrets or tags, whose lists the host keeps and
/// wipes (see `list_results`). The linker leaves with shadowing off.
pub fn add_to_linker<T: WasiCryptoView + 'static>(linker: &mut Linker<T>) -> wasmtime::Result<()> {
    bindings::Imports::add_to_linker::<T, HasCrypto>(linker, |t: &mut T| t.crypto())?;
    list_args::define(linker)
}
