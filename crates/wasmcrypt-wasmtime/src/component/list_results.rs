//! The functions that return secrets or tags as a `list<u8>`, returning a list the host keeps.
//!
//! The generated bindings return a `Vec<u8>`, which the canonical ABI copies into the guest and
//! frees without wiping: an exported secret key, a shared secret, a derived key or a password
//! hash would stay in freed host memory. The definitions here return the list as a
//! [`ReturnedList`] the context keeps and wipes (see `returned`); they replace the generated
//! ones in the linker and share their code ([`Pull`]).

use super::WasiCryptoView;
use super::bindings::wasi::crypto::wasi_ephemeral_crypto_common::{ArrayOutput, SymmetricState, SymmetricTag};
use super::list_args::lowered;
use super::pull::Pull;
use ::wasmcrypt::{CryptoError, Handle};
use std::sync::Arc;
use wasmtime::StoreContextMut;
use wasmtime::component::{Linker, Resource};

/// Runs `op` into the context's kept list for secrets.
fn pull<T: WasiCryptoView + 'static>(
    store: &mut StoreContextMut<'_, T>,
    op: Pull,
    handle: Handle,
) -> Result<Arc<[u8]>, CryptoError> {
    let ctx = store.data_mut().crypto();
    let lists = &mut ctx.pulled;
    op.run(&mut ctx.crypto, handle, |cx, len| {
        lists.fill(cx, len, |cx, out| Ok((op.fill(cx, handle, out)?, ()))).map(|(list, ())| list)
    })
}

/// Replaces the generated definitions of the four functions in `linker`, which must allow
/// shadowing.
pub(super) fn define_shadowing<T: WasiCryptoView + 'static>(linker: &mut Linker<T>) -> wasmtime::Result<()> {
    linker.instance("wasi:crypto/wasi-ephemeral-crypto-common@0.11.0")?.func_wrap(
        "array-output-pull",
        |mut store: StoreContextMut<'_, T>, (output,): (Resource<ArrayOutput>,)| {
            lowered(pull(&mut store, Pull::ArrayOutput, output.rep()))
        },
    )?;
    let mut symmetric = linker.instance("wasi:crypto/wasi-ephemeral-crypto-symmetric@0.11.0")?;
    symmetric.func_wrap(
        "symmetric-tag-pull",
        |mut store: StoreContextMut<'_, T>, (tag,): (Resource<SymmetricTag>,)| {
            lowered(pull(&mut store, Pull::Tag, tag.rep()))
        },
    )?;
    symmetric.func_wrap(
        "symmetric-state-squeeze",
        |mut store: StoreContextMut<'_, T>, (state,): (Resource<SymmetricState>,)| {
            lowered(pull(&mut store, Pull::Squeeze(None), state.rep()))
        },
    )?;
    linker.instance("wasmcrypt:crypto/symmetric-ext@0.1.0")?.func_wrap(
        "squeeze-n",
        |mut store: StoreContextMut<'_, T>, (state, len): (Resource<SymmetricState>, u32)| {
            lowered(pull(&mut store, Pull::Squeeze(Some(len)), state.rep()))
        },
    )?;
    Ok(())
}
