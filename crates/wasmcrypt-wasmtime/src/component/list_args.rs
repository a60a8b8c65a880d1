//! The bulk-data functions of `wasi-ephemeral-crypto-symmetric` with their `list<u8>` arguments
//! read in place.
//!
//! For a `list<u8>` argument, the generated bindings lift a `Vec<u8>` of exactly the list's
//! length before the host function runs: one copy of every input, and an absorbed input (a
//! password, key material) is freed without being wiped. The functions here take the argument
//! as a [`WasmList`] instead, a view of the guest's memory, and read it where it lies:
//! `symmetric-state-absorb` hashes it from there, and encryption and decryption read it and write
//! their result into a list the host keeps ([`ReturnedList`]), which the canonical ABI then copies
//! into the guest. So a 1 MiB seal is one pass of the cipher from guest memory into the host
//! list plus the canonical ABI's copy out, and nothing else.
//!
//! The guest's bytes are borrowed from the store, which also holds the core context the call
//! needs mutably; [`lend`] therefore moves the (boxed) context out of the store for the call and
//! puts a stand-in in its place: a few pointer moves, no allocation after the first call.
//!
//! These functions replace the generated definitions in the linker and share their code
//! ([`Bulk`]), so both behave alike.

use super::WasiCryptoView;
use super::bindings::wasi::crypto::wasi_ephemeral_crypto_common::{CryptoErrno, Size, SymmetricState, SymmetricTag};
use super::bulk::Bulk;
use super::common::own;
use super::list_results;
use super::returned::ReturnedList;
use ::wasmcrypt::{CryptoCtx, CryptoError, Handle};
use std::sync::Arc;
use wasmtime::component::{Linker, Resource, WasmList};
use wasmtime::{AsContext, StoreContext, StoreContextMut};

/// The interface whose functions are replaced.
const SYMMETRIC: &str = "wasi:crypto/wasi-ephemeral-crypto-symmetric@0.11.0";

/// The result the canonical ABI lowers: a value or a `crypto-errno`.
pub(super) type Lowered<T> = wasmtime::Result<(Result<T, CryptoErrno>,)>;

pub(super) fn lowered<T>(result: Result<T, CryptoError>) -> Lowered<T> {
    Ok((result.map_err(CryptoErrno::from),))
}

/// Runs `f` on the instance's core context and kept lists beside a read-only view of the store
/// (and so of the guest's memory). Both leave the store for the call and a stand-in context
/// takes the core's place; nothing reaches the stand-in, since `f` cannot call back into the
/// guest.
fn lend<T: WasiCryptoView + 'static, R>(
    store: &mut StoreContextMut<'_, T>,
    f: impl FnOnce(&mut CryptoCtx, &mut ReturnedList, &StoreContext<'_, T>) -> R,
) -> R {
    let ctx = store.data_mut().crypto();
    let stand_in = ctx.stand_in.take().unwrap_or_default();
    let mut core = std::mem::replace(&mut ctx.crypto, stand_in);
    let mut lists = std::mem::take(&mut ctx.bulk);
    let result = f(&mut core, &mut lists, &store.as_context());
    let ctx = store.data_mut().crypto();
    ctx.stand_in = Some(std::mem::replace(&mut ctx.crypto, core));
    ctx.bulk = lists;
    result
}

/// Runs a bulk-data call on the guest's bytes of `data` into a list the host keeps; `op` builds
/// the call from the store (a detached decryption reads its tag there).
fn run<T: WasiCryptoView + 'static>(
    store: &mut StoreContextMut<'_, T>,
    state: Handle,
    data: &WasmList<u8>,
    op: impl for<'a, 'b> FnOnce(&'a StoreContext<'b, T>) -> Bulk<'a>,
) -> Result<(Arc<[u8]>, Option<Handle>), CryptoError> {
    lend(store, |core, lists, view| {
        let op = op(view);
        let input = data.as_le_slice(view);
        let len = op.output_len(core, state, input.len())?;
        lists.fill(core, len, |core, output| op.run(core, state, input, output))
    })
}

/// Replaces the generated definitions of the five bulk-data functions, and of the functions of
/// [`list_results`], in `linker`. Shadowing is allowed for these definitions only and turned off
/// again afterwards.
pub(super) fn define<T: WasiCryptoView + 'static>(linker: &mut Linker<T>) -> wasmtime::Result<()> {
    linker.allow_shadowing(true);
    let defined = define_shadowing(linker).and_then(|()| list_results::define_shadowing(linker));
    linker.allow_shadowing(false);
    defined
}

fn define_shadowing<T: WasiCryptoView + 'static>(linker: &mut Linker<T>) -> wasmtime::Result<()> {
    let mut symmetric = linker.instance(SYMMETRIC)?;
    symmetric.func_wrap(
        "symmetric-state-absorb",
        |mut store: StoreContextMut<'_, T>, (state, data): (Resource<SymmetricState>, WasmList<u8>)| {
            lowered(lend(&mut store, |core, _, view| core.symmetric_state_absorb(state.rep(), data.as_le_slice(view))))
        },
    )?;
    symmetric.func_wrap(
        "symmetric-state-encrypt",
        |mut store: StoreContextMut<'_, T>, (state, data): (Resource<SymmetricState>, WasmList<u8>)| {
            lowered(run(&mut store, state.rep(), &data, |_| Bulk::Encrypt).map(|(sealed, _)| sealed))
        },
    )?;
    symmetric.func_wrap(
        "symmetric-state-encrypt-detached",
        |mut store: StoreContextMut<'_, T>, (state, data): (Resource<SymmetricState>, WasmList<u8>)| {
            let sealed = run(&mut store, state.rep(), &data, |_| Bulk::EncryptDetached);
            lowered(
                sealed.and_then(|(sealed, tag)| {
                    Ok((sealed, own::<SymmetricTag>(tag.ok_or(CryptoError::InternalError)?)))
                }),
            )
        },
    )?;
    symmetric.func_wrap(
        "symmetric-state-decrypt",
        |mut store: StoreContextMut<'_, T>, (state, data, out_len): (Resource<SymmetricState>, WasmList<u8>, Size)| {
            lowered(run(&mut store, state.rep(), &data, |_| Bulk::Decrypt { out_len }).map(|(opened, _)| opened))
        },
    )?;
    symmetric.func_wrap(
        "symmetric-state-decrypt-detached",
        |mut store: StoreContextMut<'_, T>,
         (state, data, raw_tag): (Resource<SymmetricState>, WasmList<u8>, WasmList<u8>)| {
            let opened =
                run(&mut store, state.rep(), &data, |view| Bulk::DecryptDetached { tag: raw_tag.as_le_slice(view) });
            lowered(opened.map(|(opened, _)| opened))
        },
    )?;
    Ok(())
}
