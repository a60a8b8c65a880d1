//! `wasi_ephemeral_crypto_asymmetric_common`: key pairs, public keys, secret keys.

use crate::memory::{U32, U64, u32_of};
use crate::{GetCtx, host};
use wasmcrypt::{AlgorithmType, KeyPairEncoding, PublicKeyEncoding, SecretKeyEncoding};
use wasmtime::Linker;

const M: &str = "wasi_ephemeral_crypto_asymmetric_common";

pub(crate) fn add<T: 'static>(linker: &mut Linker<T>, get: impl GetCtx<T>) -> wasmtime::Result<()> {
    host!(linker, get, M, "keypair_generate", |mem,
                                               cx,
                                               alg_type: i32,
                                               alg: i32,
                                               alg_len: i32,
                                               options: i32,
                                               out: i32| {
        let out = mem.out(out, U32)?;
        let alg_type = AlgorithmType::from_raw(u32_of(alg_type))?;
        mem.put_u32(out, cx.keypair_generate(alg_type, mem.str(alg, alg_len)?, mem.opt_handle(options)?)?)
    });
    host!(linker, get, M, "keypair_import", |mem,
                                             cx,
                                             alg_type: i32,
                                             alg: i32,
                                             alg_len: i32,
                                             encoded: i32,
                                             encoded_len: i32,
                                             encoding: i32,
                                             out: i32| {
        let out = mem.out(out, U32)?;
        let alg_type = AlgorithmType::from_raw(u32_of(alg_type))?;
        let encoding = KeyPairEncoding::from_raw(u32_of(encoding))?;
        mem.put_u32(
            out,
            cx.keypair_import(alg_type, mem.str(alg, alg_len)?, mem.slice(encoded, encoded_len)?, encoding)?,
        )
    });
    host!(
        linker,
        get,
        M,
        "keypair_generate_managed",
        |mem, cx, sm: i32, alg_type: i32, alg: i32, alg_len: i32, options: i32, out: i32| {
            let out = mem.out(out, U32)?;
            let alg_type = AlgorithmType::from_raw(u32_of(alg_type))?;
            let h =
                cx.keypair_generate_managed(u32_of(sm), alg_type, mem.str(alg, alg_len)?, mem.opt_handle(options)?)?;
            mem.put_u32(out, h)
        }
    );
    host!(linker, get, M, "keypair_store_managed", |mem, cx, sm: i32, kp: i32, id: i32, id_max_len: i32| {
        cx.keypair_store_managed(u32_of(sm), u32_of(kp), mem.slice_mut(id, id_max_len)?)
    });
    host!(linker, get, M, "keypair_replace_managed", |mem, cx, sm: i32, old: i32, new: i32, out: i32| {
        let out = mem.out(out, U64)?;
        mem.put_u64(out, cx.keypair_replace_managed(u32_of(sm), u32_of(old), u32_of(new))?)
    });
    host!(linker, get, M, "keypair_id", |mem,
                                         cx,
                                         kp: i32,
                                         id: i32,
                                         id_max_len: i32,
                                         out_len: i32,
                                         out_version: i32| {
        let out_len = mem.out(out_len, U32)?;
        let out_version = mem.out(out_version, U64)?;
        let (len, version) = cx.keypair_id(u32_of(kp), mem.slice_mut(id, id_max_len)?)?;
        mem.put_u64(out_version, version)?;
        mem.put_size(out_len, len)
    });
    host!(linker, get, M, "keypair_from_id", |mem, cx, sm: i32, id: i32, id_len: i32, version: i64, out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(out, cx.keypair_from_id(u32_of(sm), mem.slice(id, id_len)?, version as u64)?)
    });
    host!(linker, get, M, "keypair_from_pk_and_sk", |mem, cx, pk: i32, sk: i32, out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(out, cx.keypair_from_pk_and_sk(u32_of(pk), u32_of(sk))?)
    });
    host!(linker, get, M, "keypair_export", |mem, cx, kp: i32, encoding: i32, out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(out, cx.keypair_export(u32_of(kp), KeyPairEncoding::from_raw(u32_of(encoding))?)?)
    });
    host!(linker, get, M, "keypair_publickey", |mem, cx, kp: i32, out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(out, cx.keypair_publickey(u32_of(kp))?)
    });
    host!(linker, get, M, "keypair_secretkey", |mem, cx, kp: i32, out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(out, cx.keypair_secretkey(u32_of(kp))?)
    });
    host!(linker, get, M, "keypair_close", |_mem, cx, kp: i32| cx.keypair_close(u32_of(kp)));
    host!(linker, get, M, "publickey_import", |mem,
                                               cx,
                                               alg_type: i32,
                                               alg: i32,
                                               alg_len: i32,
                                               encoded: i32,
                                               encoded_len: i32,
                                               encoding: i32,
                                               out: i32| {
        let out = mem.out(out, U32)?;
        let alg_type = AlgorithmType::from_raw(u32_of(alg_type))?;
        let encoding = PublicKeyEncoding::from_raw(u32_of(encoding))?;
        mem.put_u32(
            out,
            cx.publickey_import(alg_type, mem.str(alg, alg_len)?, mem.slice(encoded, encoded_len)?, encoding)?,
        )
    });
    host!(linker, get, M, "publickey_export", |mem, cx, pk: i32, encoding: i32, out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(out, cx.publickey_export(u32_of(pk), PublicKeyEncoding::from_raw(u32_of(encoding))?)?)
    });
    host!(linker, get, M, "publickey_verify", |_mem, cx, pk: i32| cx.publickey_verify(u32_of(pk)));
    host!(linker, get, M, "publickey_from_secretkey", |mem, cx, sk: i32, out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(out, cx.publickey_from_secretkey(u32_of(sk))?)
    });
    host!(linker, get, M, "publickey_close", |_mem, cx, pk: i32| cx.publickey_close(u32_of(pk)));
    host!(linker, get, M, "secretkey_import", |mem,
                                               cx,
                                               alg_type: i32,
                                               alg: i32,
                                               alg_len: i32,
                                               encoded: i32,
                                               encoded_len: i32,
                                               encoding: i32,
                                               out: i32| {
        let out = mem.out(out, U32)?;
        let alg_type = AlgorithmType::from_raw(u32_of(alg_type))?;
        let encoding = SecretKeyEncoding::from_raw(u32_of(encoding))?;
        mem.put_u32(
            out,
            cx.secretkey_import(alg_type, mem.str(alg, alg_len)?, mem.slice(encoded, encoded_len)?, encoding)?,
        )
    });
    host!(linker, get, M, "secretkey_export", |mem, cx, sk: i32, encoding: i32, out: i32| {
        let out = mem.out(out, U32)?;
        mem.put_u32(out, cx.secretkey_export(u32_of(sk), SecretKeyEncoding::from_raw(u32_of(encoding))?)?)
    });
    host!(linker, get, M, "secretkey_close", |_mem, cx, sk: i32| cx.secretkey_close(u32_of(sk)));
    Ok(())
}
