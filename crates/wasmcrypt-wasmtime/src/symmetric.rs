//! `wasi_ephemeral_crypto_symmetric`.

use crate::memory::{U32, U64, u32_of};
use crate::{GetCtx, host};
use wasmcrypt::symmetric::MAX_TAG_LEN;
use wasmtime::Linker;

const M: &str = "wasi_ephemeral_crypto_symmetric";

pub(crate) fn add<T: 'static>(linker: &mut Linker<T>, get: impl GetCtx<T>) -> wasmtime::Result<()> {
    host!(linker, get, M, "symmetric_key_generate", |mem, cx, alg: i32, alg_len: i32, options: i32, out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(out, cx.symmetric_key_generate(mem.str(alg, alg_len)?, mem.opt_handle(options)?)?)
    });
    host!(linker, get, M, "symmetric_key_import", |mem,
                                                   cx,
                                                   alg: i32,
                                                   alg_len: i32,
                                                   raw: i32,
                                                   raw_len: i32,
                                                   out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(out, cx.symmetric_key_import(mem.str(alg, alg_len)?, mem.slice(raw, raw_len)?)?)
    });
    host!(linker, get, M, "symmetric_key_export", |mem, cx, key: i32, out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(out, cx.symmetric_key_export(u32_of(key))?)
    });
    host!(linker, get, M, "symmetric_key_close", |_mem, cx, key: i32| cx.symmetric_key_close(u32_of(key)));
    host!(
        linker,
        get,
        M,
        "symmetric_key_generate_managed",
        |mem, cx, sm: i32, alg: i32, alg_len: i32, options: i32, out: i32| {
            let out = mem.out(out, U32)?;
            mem.put_u32(
                out,
                cx.symmetric_key_generate_managed(u32_of(sm), mem.str(alg, alg_len)?, mem.opt_handle(options)?)?,
            )
        }
    );
    host!(linker, get, M, "symmetric_key_store_managed", |mem, cx, sm: i32, key: i32, id: i32, id_max_len: i32| {
        cx.symmetric_key_store_managed(u32_of(sm), u32_of(key), mem.slice_mut(id, id_max_len)?)
    });
    host!(linker, get, M, "symmetric_key_replace_managed", |mem, cx, sm: i32, old: i32, new: i32, out: i32| {
        let out = mem.out(out, U64)?;
        mem.put_u64(out, cx.symmetric_key_replace_managed(u32_of(sm), u32_of(old), u32_of(new))?)
    });
    host!(linker, get, M, "symmetric_key_id", |mem,
                                               cx,
                                               key: i32,
                                               id: i32,
                                               id_max_len: i32,
                                               out_len: i32,
                                               out_version: i32| {
        let out_len = mem.out(out_len, U32)?;
        let out_version = mem.out(out_version, U64)?;
        let (len, version) = cx.symmetric_key_id(u32_of(key), mem.slice_mut(id, id_max_len)?)?;
        mem.put_u64(out_version, version)?;
        mem.put_size(out_len, len)
    });
    host!(linker, get, M, "symmetric_key_from_id", |mem, cx, sm: i32, id: i32, id_len: i32, version: i64, out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(out, cx.symmetric_key_from_id(u32_of(sm), mem.slice(id, id_len)?, version as u64)?)
    });
    host!(linker, get, M, "symmetric_state_open", |mem,
                                                   cx,
                                                   alg: i32,
                                                   alg_len: i32,
                                                   key: i32,
                                                   options: i32,
                                                   out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(
            out,
            cx.symmetric_state_open(mem.str(alg, alg_len)?, mem.opt_handle(key)?, mem.opt_handle(options)?)?,
        )
    });
    host!(
        linker,
        get,
        M,
        "symmetric_state_options_get",
        |mem, cx, state: i32, name: i32, name_len: i32, value: i32, value_max_len: i32, out: i32| {
            let out = mem.out(out, U32)?;
            let name = mem.name(name, name_len)?;
            let len = cx.symmetric_state_options_get(u32_of(state), &name, mem.slice_mut(value, value_max_len)?)?;
            mem.put_size(out, len)
        }
    );
    host!(
        linker,
        get,
        M,
        "symmetric_state_options_get_u64",
        |mem, cx, state: i32, name: i32, name_len: i32, out: i32| {
            let out = mem.out(out, U64)?;
            mem.put_u64(out, cx.symmetric_state_options_get_u64(u32_of(state), mem.str(name, name_len)?)?)
        }
    );
    host!(linker, get, M, "symmetric_state_clone", |mem, cx, state: i32, out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(out, cx.symmetric_state_clone(u32_of(state))?)
    });
    host!(linker, get, M, "symmetric_state_close", |_mem, cx, state: i32| cx.symmetric_state_close(u32_of(state)));
    host!(linker, get, M, "symmetric_state_absorb", |mem, cx, state: i32, data: i32, data_len: i32| {
        cx.symmetric_state_absorb(u32_of(state), mem.slice(data, data_len)?)
    });
    // The squeezes lend the guest's memory to the core for the call: a password hash's `memory`
    // guest buffer is its scratch memory (and may overlap `out`, which the core handles).
    host!(linker, get, M, "symmetric_state_squeeze", |mem, cx, state: i32, out: i32, out_len: i32| {
        let out = mem.range(out, out_len)?;
        cx.symmetric_state_squeeze_in(u32_of(state), mem.0, out)
    });
    host!(linker, get, M, "symmetric_state_squeeze_tag", |mem, cx, state: i32, out: i32| {
        let out = mem.out(out, U32)?;
        let tag = cx.symmetric_state_squeeze_tag_in(u32_of(state), mem.0)?;
        mem.put_u32(out, tag)
    });
    host!(linker, get, M, "symmetric_state_squeeze_key", |mem, cx, state: i32, alg: i32, alg_len: i32, out: i32| {
        let out = mem.out(out, U32)?;
        let alg = mem.name(alg, alg_len)?;
        let key = cx.symmetric_state_squeeze_key_in(u32_of(state), &alg, mem.0)?;
        mem.put_u32(out, key)
    });
    host!(linker, get, M, "symmetric_state_max_tag_len", |mem, cx, state: i32, out: i32| {
        let out = mem.out(out, U32)?;
        let len = cx.symmetric_state_max_tag_len(u32_of(state))?;
        mem.put_size(out, len)
    });
    host!(
        linker,
        get,
        M,
        "symmetric_state_encrypt",
        |mem, cx, state: i32, out: i32, out_len: i32, data: i32, data_len: i32, result: i32| {
            let result = mem.out(result, U32)?;
            let len = cx.symmetric_state_encrypt(u32_of(state), mem.in_out(out, out_len, data, data_len)?)?;
            mem.put_size(result, len)
        }
    );
    host!(
        linker,
        get,
        M,
        "symmetric_state_encrypt_detached",
        |mem, cx, state: i32, out: i32, out_len: i32, data: i32, data_len: i32, result: i32| {
            let result = mem.out(result, U32)?;
            let tag = cx.symmetric_state_encrypt_detached(u32_of(state), mem.in_out(out, out_len, data, data_len)?)?;
            mem.put_u32(result, tag)
        }
    );
    host!(
        linker,
        get,
        M,
        "symmetric_state_decrypt",
        |mem, cx, state: i32, out: i32, out_len: i32, data: i32, data_len: i32, result: i32| {
            let result = mem.out(result, U32)?;
            let len = cx.symmetric_state_decrypt(u32_of(state), mem.in_out(out, out_len, data, data_len)?)?;
            mem.put_size(result, len)
        }
    );
    host!(
        linker,
        get,
        M,
        "symmetric_state_decrypt_detached",
        |mem,
         cx,
         state: i32,
         out: i32,
         out_len: i32,
         data: i32,
         data_len: i32,
         raw_tag: i32,
         raw_tag_len: i32,
         result: i32| {
            let result = mem.out(result, U32)?;
            // The tag may overlap the output, so it is read before decryption writes there, into
            // a fixed buffer: no tag of this host is longer than MAX_TAG_LEN, and a longer one,
            // passed cut to MAX_TAG_LEN + 1 bytes, is refused just the same.
            let raw_tag = mem.slice(raw_tag, raw_tag_len)?;
            let mut tag = [0u8; MAX_TAG_LEN + 1];
            let tag_len = raw_tag.len().min(tag.len());
            tag[..tag_len].copy_from_slice(&raw_tag[..tag_len]);
            let len = cx.symmetric_state_decrypt_detached(
                u32_of(state),
                mem.in_out(out, out_len, data, data_len)?,
                &tag[..tag_len],
            )?;
            mem.put_size(result, len)
        }
    );
    host!(linker, get, M, "symmetric_state_ratchet", |_mem, cx, state: i32| cx.symmetric_state_ratchet(u32_of(state)));
    host!(linker, get, M, "symmetric_tag_len", |mem, cx, tag: i32, out: i32| {
        let out = mem.out(out, U32)?;
        let len = cx.symmetric_tag_len(u32_of(tag))?;
        mem.put_size(out, len)
    });
    host!(linker, get, M, "symmetric_tag_pull", |mem, cx, tag: i32, buf: i32, buf_len: i32, out: i32| {
        let out = mem.out(out, U32)?;
        let len = cx.symmetric_tag_pull(u32_of(tag), mem.slice_mut(buf, buf_len)?)?;
        mem.put_size(out, len)
    });
    host!(linker, get, M, "symmetric_tag_verify", |mem, cx, tag: i32, expected: i32, expected_len: i32| {
        cx.symmetric_tag_verify(u32_of(tag), mem.slice(expected, expected_len)?)
    });
    host!(linker, get, M, "symmetric_tag_close", |_mem, cx, tag: i32| cx.symmetric_tag_close(u32_of(tag)));
    Ok(())
}
