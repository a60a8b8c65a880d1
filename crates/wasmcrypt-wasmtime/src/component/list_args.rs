//! The bulk-data functions of `wasi-ephemeral-crypto-symmetric` with their `list<u8>` arguments
//! read in place.
//!
//! For a `list<u8>` argument, the generated bindings lift a `Vec<u8>` of exactly the list's
//! length before the host function runs: encryption must then grow it for the tag, and an
//! absorbed input (a password, key material) is freed without being wiped. The functions here
//! take the argument as a [`WasmList`] instead, a view of the guest's memory, and copy it once
//! with `memcpy`: `symmetric-state-encrypt` straight into a list sized for the ciphertext and the
//! tag, `symmetric-state-absorb` into a buffer that is wiped after use (on the stack for short
//! inputs). They replace the generated definitions in
//! the linker and share the generated ones' code in [`super::symmetric`], so both behave alike.

use super::WasiCryptoView;
use super::bindings::wasi::crypto::wasi_ephemeral_crypto_common::{CryptoErrno, Size, SymmetricState, SymmetricTag};
use super::common::own;
use super::symmetric;
use ::wasmcrypt::{CryptoCtx, CryptoError};
use wasmtime::StoreContextMut;
use wasmtime::component::{Linker, Resource, WasmList};
use zeroize::Zeroize;

/// The interface whose functions are replaced.
const SYMMETRIC: &str = "wasi:crypto/wasi-ephemeral-crypto-symmetric@0.11.0";

/// Inputs up to this length are absorbed from a stack buffer.
const STACK_INPUT: usize = 256;

/// The result the canonical ABI lowers: a value or a `crypto-errno`.
type Lowered<T> = wasmtime::Result<(Result<T, CryptoErrno>,)>;

fn lowered<T>(result: Result<T, CryptoError>) -> Lowered<T> {
    Ok((result.map_err(CryptoErrno::from),))
}

/// The instance's core context.
fn core<'a, T: WasiCryptoView + 'static>(store: &'a mut StoreContextMut<'_, T>) -> &'a mut CryptoCtx {
    store.data_mut().crypto().core()
}

/// A copy of the guest's bytes of `list`, with capacity for `room` more bytes.
fn copy_list<T: WasiCryptoView + 'static>(
    store: &StoreContextMut<'_, T>,
    list: &WasmList<u8>,
    room: usize,
) -> Result<Vec<u8>, CryptoError> {
    let bytes = list.as_le_slice(store);
    let mut data = Vec::with_capacity(bytes.len().checked_add(room).ok_or(CryptoError::Overflow)?);
    data.extend_from_slice(bytes);
    Ok(data)
}

/// Replaces the generated definitions of the five bulk-data functions in `linker`. Shadowing is
/// allowed for these definitions only and turned off again afterwards.
pub(super) fn define<T: WasiCryptoView + 'static>(linker: &mut Linker<T>) -> wasmtime::Result<()> {
    linker.allow_shadowing(true);
    let defined = define_shadowing(linker);
    linker.allow_shadowing(false);
    defined
}

fn define_shadowing<T: WasiCryptoView + 'static>(linker: &mut Linker<T>) -> wasmtime::Result<()> {
    let mut symmetric = linker.instance(SYMMETRIC)?;
    symmetric.func_wrap(
        "symmetric-state-absorb",
        |mut store: StoreContextMut<'_, T>, (state, data): (Resource<SymmetricState>, WasmList<u8>)| {
            let bytes = data.as_le_slice(&store);
            let result = if bytes.len() <= STACK_INPUT {
                let mut buf = [0u8; STACK_INPUT];
                let buf = &mut buf[..bytes.len()];
                buf.copy_from_slice(bytes);
                let result = core(&mut store).symmetric_state_absorb(state.rep(), buf);
                buf.zeroize();
                result
            } else {
                let mut buf = bytes.to_vec();
                let result = core(&mut store).symmetric_state_absorb(state.rep(), &buf);
                buf.zeroize();
                result
            };
            lowered(result)
        },
    )?;
    symmetric.func_wrap(
        "symmetric-state-encrypt",
        |mut store: StoreContextMut<'_, T>, (state, data): (Resource<SymmetricState>, WasmList<u8>)| {
            let sealed = core(&mut store)
                .symmetric_state_max_tag_len(state.rep())
                .and_then(|tag_len| copy_list(&store, &data, tag_len))
                .and_then(|data| symmetric::encrypt(core(&mut store), state.rep(), data));
            lowered(sealed)
        },
    )?;
    symmetric.func_wrap(
        "symmetric-state-encrypt-detached",
        |mut store: StoreContextMut<'_, T>, (state, data): (Resource<SymmetricState>, WasmList<u8>)| {
            let sealed = copy_list(&store, &data, 0)
                .and_then(|data| symmetric::encrypt_detached(core(&mut store), state.rep(), data));
            lowered(sealed.map(|(data, tag)| (data, own::<SymmetricTag>(tag))))
        },
    )?;
    symmetric.func_wrap(
        "symmetric-state-decrypt",
        |mut store: StoreContextMut<'_, T>, (state, data, out_len): (Resource<SymmetricState>, WasmList<u8>, Size)| {
            let opened = copy_list(&store, &data, 0)
                .and_then(|data| symmetric::decrypt(core(&mut store), state.rep(), data, out_len));
            lowered(opened)
        },
    )?;
    symmetric.func_wrap(
        "symmetric-state-decrypt-detached",
        |mut store: StoreContextMut<'_, T>,
         (state, data, raw_tag): (Resource<SymmetricState>, WasmList<u8>, WasmList<u8>)| {
            let raw_tag = raw_tag.as_le_slice(&store).to_vec();
            let opened = copy_list(&store, &data, 0)
                .and_then(|data| symmetric::decrypt_detached(core(&mut store), state.rep(), data, &raw_tag));
            lowered(opened)
        },
    )?;
    Ok(())
}
