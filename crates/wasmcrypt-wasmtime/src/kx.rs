//! `wasi_ephemeral_crypto_kx`.

use crate::memory::{U32, u32_of};
use crate::{GetCtx, host};
use wasmtime::Linker;

const M: &str = "wasi_ephemeral_crypto_kx";

pub(crate) fn add<T: 'static>(linker: &mut Linker<T>, get: impl GetCtx<T>) -> wasmtime::Result<()> {
    host!(linker, get, M, "kx_dh", |mem, cx, pk: i32, sk: i32, out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(out, cx.kx_dh(u32_of(pk), u32_of(sk))?)
    });
    // The shared secret is written first, then the ciphertext.
    host!(linker, get, M, "kx_encapsulate", |mem, cx, pk: i32, out_secret: i32, out_ciphertext: i32| {
        let out_secret = mem.out(out_secret, U32)?;
        let out_ciphertext = mem.out(out_ciphertext, U32)?;
        let (secret, ciphertext) = cx.kx_encapsulate(u32_of(pk))?;
        mem.put_u32(out_secret, secret)?;
        mem.put_u32(out_ciphertext, ciphertext)
    });
    host!(linker, get, M, "kx_decapsulate", |mem, cx, sk: i32, encapsulated: i32, encapsulated_len: i32, out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(out, cx.kx_decapsulate(u32_of(sk), mem.slice(encapsulated, encapsulated_len)?)?)
    });
    Ok(())
}
