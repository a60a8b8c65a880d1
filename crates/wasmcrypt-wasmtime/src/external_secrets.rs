//! `wasi_ephemeral_crypto_external_secrets`.

use crate::memory::{U32, U64, u32_of};
use crate::{GetCtx, host};
use wasmcrypt::secrets::ID_LEN;
use wasmtime::Linker;

const M: &str = "wasi_ephemeral_crypto_external_secrets";

pub(crate) fn add<T: 'static>(linker: &mut Linker<T>, get: impl GetCtx<T>) -> wasmtime::Result<()> {
    host!(
        linker,
        get,
        M,
        "external_secret_store",
        |mem, cx, sm: i32, secret: i32, secret_len: i32, expiration: i64, id: i32, id_max_len: i32| {
            // The secret stays borrowed from guest memory (no copy); the id is written to a
            // local buffer first, then to the guest's, which is checked before anything happens.
            let id_max_len = mem.range(id, id_max_len)?.len();
            let mut id_buf = [0u8; ID_LEN];
            let id_len = id_max_len.min(ID_LEN);
            cx.external_secret_store(
                u32_of(sm),
                mem.slice(secret, secret_len)?,
                expiration as u64,
                &mut id_buf[..id_len],
            )?;
            mem.slice_mut(id, id_len as i32)?.copy_from_slice(&id_buf[..id_len]);
            Ok(())
        }
    );
    host!(linker, get, M, "external_secret_replace", |mem,
                                                      cx,
                                                      sm: i32,
                                                      secret: i32,
                                                      secret_len: i32,
                                                      expiration: i64,
                                                      id: i32,
                                                      id_len: i32,
                                                      out: i32| {
        let out = mem.out(out, U64)?;
        mem.put_u64(
            out,
            cx.external_secret_replace(
                u32_of(sm),
                mem.slice(secret, secret_len)?,
                expiration as u64,
                mem.slice(id, id_len)?,
            )?,
        )
    });
    host!(linker, get, M, "external_secret_from_id", |mem,
                                                      cx,
                                                      sm: i32,
                                                      id: i32,
                                                      id_len: i32,
                                                      version: i64,
                                                      out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(out, cx.external_secret_from_id(u32_of(sm), mem.slice(id, id_len)?, version as u64)?)
    });
    host!(linker, get, M, "external_secret_invalidate", |mem, cx, sm: i32, id: i32, id_len: i32, version: i64| {
        cx.external_secret_invalidate(u32_of(sm), mem.slice(id, id_len)?, version as u64)
    });
    host!(
        linker,
        get,
        M,
        "external_secret_encapsulate",
        |mem, cx, sm: i32, secret: i32, secret_len: i32, expiration: i64, out: i32| {
            let out = mem.out(out, U32)?;
            mem.put_u32(
                out,
                cx.external_secret_encapsulate(u32_of(sm), mem.slice(secret, secret_len)?, expiration as u64)?,
            )
        }
    );
    host!(
        linker,
        get,
        M,
        "external_secret_decapsulate",
        |mem, cx, sm: i32, encrypted: i32, encrypted_len: i32, out: i32| {
            let out = mem.out(out, U32)?;
            mem.put_u32(out, cx.external_secret_decapsulate(u32_of(sm), mem.slice(encrypted, encrypted_len)?)?)
        }
    );
    Ok(())
}
