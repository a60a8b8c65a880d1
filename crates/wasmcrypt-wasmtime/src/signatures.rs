//! `wasi_ephemeral_crypto_signatures`.

use crate::memory::{U32, u32_of};
use crate::{GetCtx, host};
use wasmcrypt::SignatureEncoding;
use wasmtime::Linker;

const M: &str = "wasi_ephemeral_crypto_signatures";

pub(crate) fn add<T: 'static>(linker: &mut Linker<T>, get: impl GetCtx<T>) -> wasmtime::Result<()> {
    host!(linker, get, M, "signature_export", |mem, cx, sig: i32, encoding: i32, out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(out, cx.signature_export(u32_of(sig), SignatureEncoding::from_raw(u32_of(encoding))?)?)
    });
    host!(linker, get, M, "signature_import", |mem,
                                               cx,
                                               alg: i32,
                                               alg_len: i32,
                                               encoded: i32,
                                               encoded_len: i32,
                                               encoding: i32,
                                               out: i32| {
        let out = mem.out(out, U32)?;
        let encoding = SignatureEncoding::from_raw(u32_of(encoding))?;
        mem.put_u32(out, cx.signature_import(mem.str(alg, alg_len)?, mem.slice(encoded, encoded_len)?, encoding)?)
    });
    host!(linker, get, M, "signature_state_open", |mem, cx, kp: i32, out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(out, cx.signature_state_open(u32_of(kp))?)
    });
    host!(linker, get, M, "signature_state_update", |mem, cx, state: i32, data: i32, data_len: i32| {
        cx.signature_state_update(u32_of(state), mem.slice(data, data_len)?)
    });
    // The spec types the result as array_output; existing guests expect a signature handle.
    host!(linker, get, M, "signature_state_sign", |mem, cx, state: i32, out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(out, cx.signature_state_sign(u32_of(state))?)
    });
    host!(linker, get, M, "signature_state_close", |_mem, cx, state: i32| cx.signature_state_close(u32_of(state)));
    host!(linker, get, M, "signature_verification_state_open", |mem, cx, pk: i32, out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(out, cx.signature_verification_state_open(u32_of(pk))?)
    });
    host!(linker, get, M, "signature_verification_state_update", |mem, cx, state: i32, data: i32, data_len: i32| {
        cx.signature_verification_state_update(u32_of(state), mem.slice(data, data_len)?)
    });
    host!(linker, get, M, "signature_verification_state_verify", |_mem, cx, state: i32, sig: i32| {
        cx.signature_verification_state_verify(u32_of(state), u32_of(sig))
    });
    host!(linker, get, M, "signature_verification_state_close", |_mem, cx, state: i32| {
        cx.signature_verification_state_close(u32_of(state))
    });
    host!(linker, get, M, "signature_close", |_mem, cx, sig: i32| cx.signature_close(u32_of(sig)));
    Ok(())
}
