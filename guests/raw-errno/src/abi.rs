//! The raw WASI-crypto imports this guest uses, with pointers and sizes as `u32` (wasm32), and
//! small helpers. Errno values follow the spec's order.

#![allow(dead_code)]

pub const SUCCESS: u32 = 0;
pub const GUEST_ERROR: u32 = 1;
pub const UNSUPPORTED_FEATURE: u32 = 3;
pub const UNSUPPORTED_ALGORITHM: u32 = 6;
pub const UNSUPPORTED_OPTION: u32 = 7;
pub const INVALID_KEY: u32 = 8;
pub const INVALID_LENGTH: u32 = 9;
pub const INVALID_HANDLE: u32 = 15;
pub const OVERFLOW: u32 = 16;
pub const TOO_MANY_HANDLES: u32 = 18;
pub const KEY_NOT_SUPPORTED: u32 = 19;
pub const KEY_REQUIRED: u32 = 20;
pub const INVALID_TAG: u32 = 21;
pub const INVALID_OPERATION: u32 = 22;
pub const NONCE_REQUIRED: u32 = 23;
pub const INVALID_NONCE: u32 = 24;
pub const OPTION_NOT_SET: u32 = 25;

pub const UNSUPPORTED_ENCODING: u32 = 5;
pub const VERIFICATION_FAILED: u32 = 10;
pub const INCOMPATIBLE_KEYS: u32 = 29;

pub const SIGNATURES: u32 = 0;
pub const SYMMETRIC: u32 = 1;
pub const KEY_EXCHANGE: u32 = 2;

/// The `raw` encoding of every encoding enum.
pub const RAW: u32 = 0;
/// The `local` encoding of `keypair_encoding`.
pub const KEYPAIR_LOCAL: u32 = 3;

/// An `opt_*` struct holding `none` (tag 1).
pub static NONE: [u8; 8] = [1, 0, 0, 0, 0, 0, 0, 0];

pub mod common {
    #[link(wasm_import_module = "wasi_ephemeral_crypto_common")]
    unsafe extern "C" {
        pub fn options_open(alg_type: u32, out: u32) -> u32;
        pub fn options_close(h: u32) -> u32;
        pub fn options_set(h: u32, name: u32, name_len: u32, value: u32, value_len: u32) -> u32;
        pub fn array_output_len(h: u32, out: u32) -> u32;
        pub fn array_output_pull(h: u32, buf: u32, buf_len: u32, out: u32) -> u32;
        pub fn secrets_manager_open(options: u32, out: u32) -> u32;
    }
}

pub mod symmetric {
    #[link(wasm_import_module = "wasi_ephemeral_crypto_symmetric")]
    unsafe extern "C" {
        pub fn symmetric_key_import(alg: u32, alg_len: u32, raw: u32, raw_len: u32, out: u32) -> u32;
        pub fn symmetric_key_export(key: u32, out: u32) -> u32;
        pub fn symmetric_key_id(key: u32, id: u32, id_max: u32, out_len: u32, out_version: u32) -> u32;
        pub fn symmetric_state_open(alg: u32, alg_len: u32, key: u32, options: u32, out: u32) -> u32;
        pub fn symmetric_state_options_get(
            s: u32,
            name: u32,
            name_len: u32,
            value: u32,
            value_max: u32,
            out: u32,
        ) -> u32;
        pub fn symmetric_state_clone(s: u32, out: u32) -> u32;
        pub fn symmetric_state_close(s: u32) -> u32;
        pub fn symmetric_state_absorb(s: u32, data: u32, len: u32) -> u32;
        pub fn symmetric_state_squeeze(s: u32, out: u32, len: u32) -> u32;
        pub fn symmetric_state_squeeze_tag(s: u32, out: u32) -> u32;
        pub fn symmetric_state_max_tag_len(s: u32, out: u32) -> u32;
        pub fn symmetric_state_encrypt(s: u32, out: u32, out_len: u32, data: u32, data_len: u32, result: u32) -> u32;
        pub fn symmetric_state_decrypt(s: u32, out: u32, out_len: u32, data: u32, data_len: u32, result: u32) -> u32;
        pub fn symmetric_state_decrypt_detached(
            s: u32,
            out: u32,
            out_len: u32,
            data: u32,
            data_len: u32,
            tag: u32,
            tag_len: u32,
            result: u32,
        ) -> u32;
        pub fn symmetric_state_ratchet(s: u32) -> u32;
        pub fn symmetric_tag_len(tag: u32, out: u32) -> u32;
        pub fn symmetric_tag_pull(tag: u32, buf: u32, buf_len: u32, out: u32) -> u32;
        pub fn symmetric_tag_verify(tag: u32, expected: u32, expected_len: u32) -> u32;
    }
}

pub mod asymmetric {
    #[link(wasm_import_module = "wasi_ephemeral_crypto_asymmetric_common")]
    unsafe extern "C" {
        pub fn keypair_generate(alg_type: u32, alg: u32, alg_len: u32, options: u32, out: u32) -> u32;
        pub fn keypair_import(
            alg_type: u32,
            alg: u32,
            alg_len: u32,
            enc: u32,
            enc_len: u32,
            encoding: u32,
            out: u32,
        ) -> u32;
        pub fn keypair_export(kp: u32, encoding: u32, out: u32) -> u32;
        pub fn keypair_publickey(kp: u32, out: u32) -> u32;
        pub fn keypair_secretkey(kp: u32, out: u32) -> u32;
        pub fn publickey_import(
            alg_type: u32,
            alg: u32,
            alg_len: u32,
            enc: u32,
            enc_len: u32,
            encoding: u32,
            out: u32,
        ) -> u32;
        pub fn publickey_verify(pk: u32) -> u32;
    }
}

pub mod signatures {
    #[link(wasm_import_module = "wasi_ephemeral_crypto_signatures")]
    unsafe extern "C" {
        pub fn signature_export(sig: u32, encoding: u32, out: u32) -> u32;
        pub fn signature_import(alg: u32, alg_len: u32, enc: u32, enc_len: u32, encoding: u32, out: u32) -> u32;
        pub fn signature_state_open(kp: u32, out: u32) -> u32;
        pub fn signature_state_update(state: u32, data: u32, len: u32) -> u32;
        pub fn signature_state_sign(state: u32, out: u32) -> u32;
        pub fn signature_verification_state_open(pk: u32, out: u32) -> u32;
        pub fn signature_verification_state_update(state: u32, data: u32, len: u32) -> u32;
        pub fn signature_verification_state_verify(state: u32, sig: u32) -> u32;
    }
}

pub mod kx {
    #[link(wasm_import_module = "wasi_ephemeral_crypto_kx")]
    unsafe extern "C" {
        pub fn kx_dh(pk: u32, sk: u32, out: u32) -> u32;
        pub fn kx_encapsulate(pk: u32, out_secret: u32, out_ciphertext: u32) -> u32;
    }
}

pub fn keypair_generate(alg_type: u32, alg: &str) -> Result<u32, u32> {
    let mut h = 0;
    match unsafe {
        asymmetric::keypair_generate(alg_type, alg.as_ptr() as u32, alg.len() as u32, NONE.as_ptr() as u32, out(&mut h))
    } {
        0 => Ok(h),
        e => Err(e),
    }
}

pub fn publickey_import(alg_type: u32, alg: &str, encoded: &[u8], encoding: u32) -> Result<u32, u32> {
    let mut h = 0;
    match unsafe {
        asymmetric::publickey_import(
            alg_type,
            alg.as_ptr() as u32,
            alg.len() as u32,
            encoded.as_ptr() as u32,
            encoded.len() as u32,
            encoding,
            out(&mut h),
        )
    } {
        0 => Ok(h),
        e => Err(e),
    }
}

/// The length of an array output, or the errno.
pub fn output_len(h: u32) -> Result<u32, u32> {
    let mut n = 0;
    match unsafe { common::array_output_len(h, out(&mut n)) } {
        0 => Ok(n),
        e => Err(e),
    }
}

/// The address of a `u32` out-variable.
pub fn out(v: &mut u32) -> u32 {
    v as *mut u32 as u32
}

/// The current size of linear memory in bytes.
pub fn memory_size() -> u32 {
    (core::arch::wasm32::memory_size(0) * 65536) as u32
}

fn opt(h: Option<u32>) -> [u8; 8] {
    match h {
        Some(h) => {
            let mut s = [0u8; 8];
            s[4..].copy_from_slice(&h.to_le_bytes());
            s
        }
        None => NONE,
    }
}

pub fn state_open_raw(alg: u32, alg_len: u32, key: u32, options: u32, out: u32) -> u32 {
    unsafe { symmetric::symmetric_state_open(alg, alg_len, key, options, out) }
}

pub fn state_open(alg: &str, key: Option<u32>, options: Option<u32>) -> Result<u32, u32> {
    let (k, o) = (opt(key), opt(options));
    let mut h = 0;
    match state_open_raw(alg.as_ptr() as u32, alg.len() as u32, k.as_ptr() as u32, o.as_ptr() as u32, out(&mut h)) {
        0 => Ok(h),
        e => Err(e),
    }
}

pub fn key_import(alg: &str, raw: &[u8]) -> Result<u32, u32> {
    let mut h = 0;
    match unsafe {
        symmetric::symmetric_key_import(
            alg.as_ptr() as u32,
            alg.len() as u32,
            raw.as_ptr() as u32,
            raw.len() as u32,
            out(&mut h),
        )
    } {
        0 => Ok(h),
        e => Err(e),
    }
}

pub fn options_open(alg_type: u32) -> Result<u32, u32> {
    let mut h = 0;
    match unsafe { common::options_open(alg_type, out(&mut h)) } {
        0 => Ok(h),
        e => Err(e),
    }
}

pub fn options_set(h: u32, name: &str, value: &[u8]) -> u32 {
    unsafe {
        common::options_set(h, name.as_ptr() as u32, name.len() as u32, value.as_ptr() as u32, value.len() as u32)
    }
}

pub fn options_get(s: u32, name: &str, buf: &mut [u8]) -> Result<u32, u32> {
    let mut n = 0;
    match unsafe {
        symmetric::symmetric_state_options_get(
            s,
            name.as_ptr() as u32,
            name.len() as u32,
            buf.as_mut_ptr() as u32,
            buf.len() as u32,
            out(&mut n),
        )
    } {
        0 => Ok(n),
        e => Err(e),
    }
}
