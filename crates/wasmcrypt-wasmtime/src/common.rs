//! `wasi_ephemeral_crypto_common`: options, array outputs, secrets manager.

use crate::memory::{U32, u32_of};
use crate::{GetCtx, host};
use wasmcrypt::{AlgorithmType, GuestBuffer};
use wasmtime::Linker;

const M: &str = "wasi_ephemeral_crypto_common";

pub(crate) fn add<T: 'static>(linker: &mut Linker<T>, get: impl GetCtx<T>) -> wasmtime::Result<()> {
    host!(linker, get, M, "options_open", |mem, cx, alg_type: i32, out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(out, cx.options_open(AlgorithmType::from_raw(u32_of(alg_type))?)?)
    });
    host!(linker, get, M, "options_close", |_mem, cx, h: i32| cx.options_close(u32_of(h)));
    host!(linker, get, M, "options_set", |mem, cx, h: i32, name: i32, name_len: i32, value: i32, value_len: i32| {
        cx.options_set(u32_of(h), mem.str(name, name_len)?, mem.slice(value, value_len)?)
    });
    host!(linker, get, M, "options_set_u64", |mem, cx, h: i32, name: i32, name_len: i32, value: i64| {
        cx.options_set_u64(u32_of(h), mem.str(name, name_len)?, value as u64)
    });
    host!(
        linker,
        get,
        M,
        "options_set_guest_buffer",
        |mem, cx, h: i32, name: i32, name_len: i32, buf: i32, buf_len: i32| {
            mem.range(buf, buf_len)?;
            let buffer = GuestBuffer { ptr: u32_of(buf), len: u32_of(buf_len) };
            cx.options_set_guest_buffer(u32_of(h), mem.str(name, name_len)?, buffer)
        }
    );
    host!(linker, get, M, "array_output_len", |mem, cx, h: i32, out: i32| {
        let out = mem.out(out, U32)?;
        let len = cx.array_output_len(u32_of(h))?;
        mem.put_size(out, len)
    });
    host!(linker, get, M, "array_output_pull", |mem, cx, h: i32, buf: i32, buf_len: i32, out: i32| {
        let out = mem.out(out, U32)?;
        let n = cx.array_output_pull(u32_of(h), mem.slice_mut(buf, buf_len)?)?;
        mem.put_size(out, n)
    });
    host!(linker, get, M, "secrets_manager_open", |mem, cx, options: i32, out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(out, cx.secrets_manager_open(mem.opt_handle(options)?)?)
    });
    host!(linker, get, M, "secrets_manager_close", |_mem, cx, sm: i32| cx.secrets_manager_close(u32_of(sm)));
    host!(linker, get, M, "secrets_manager_invalidate", |mem, cx, sm: i32, id: i32, id_len: i32, version: i64| {
        cx.secrets_manager_invalidate(u32_of(sm), mem.slice(id, id_len)?, version as u64)
    });
    Ok(())
}
