//! A `ctx` with the spec's function names over the raw witx imports, so that the usage examples
//! of the spec can be written as the spec writes them (`ctx.symmetric_state_open(...)?`).
//! Handles are `u32`; every call returns `Result<_, Errno>`.

use std::fmt;

/// A `crypto_errno` value other than `success`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Errno(pub u32);

const ERRNO_NAMES: [&str; 31] = [
    "success",
    "guest_error",
    "not_implemented",
    "unsupported_feature",
    "prohibited_operation",
    "unsupported_encoding",
    "unsupported_algorithm",
    "unsupported_option",
    "invalid_key",
    "invalid_length",
    "verification_failed",
    "rng_error",
    "algorithm_failure",
    "invalid_signature",
    "closed",
    "invalid_handle",
    "overflow",
    "internal_error",
    "too_many_handles",
    "key_not_supported",
    "key_required",
    "invalid_tag",
    "invalid_operation",
    "nonce_required",
    "invalid_nonce",
    "option_not_set",
    "not_found",
    "parameters_missing",
    "in_progress",
    "incompatible_keys",
    "expired",
];

impl Errno {
    /// The errno with this spec name.
    pub fn named(name: &str) -> Self {
        Errno(ERRNO_NAMES.iter().position(|n| *n == name).expect("a spec errno name") as u32)
    }
}

impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match ERRNO_NAMES.get(self.0 as usize) {
            Some(name) => f.write_str(name),
            None => write!(f, "errno {}", self.0),
        }
    }
}

/// The result of every call.
pub type Result<T> = std::result::Result<T, Errno>;

/// The spec's `algorithm_type`.
#[derive(Clone, Copy)]
pub enum AlgorithmType {
    Signatures = 0,
    Symmetric = 1,
    KX = 2,
}

/// The spec's encodings (`keypair_encoding`, `publickey_encoding`, `secretkey_encoding`,
/// `signature_encoding`) this guest uses, with their ABI values.
pub mod encoding {
    pub const RAW: u32 = 0;
    pub const PKCS8: u32 = 1;
    pub const SEC: u32 = 3;
    pub const DER: u32 = 1;
}

mod raw {
    #[link(wasm_import_module = "wasi_ephemeral_crypto_common")]
    unsafe extern "C" {
        pub fn options_open(alg_type: u32, out: u32) -> u32;
        pub fn options_close(h: u32) -> u32;
        pub fn options_set(h: u32, name: u32, name_len: u32, value: u32, value_len: u32) -> u32;
        pub fn options_set_u64(h: u32, name: u32, name_len: u32, value: u64) -> u32;
        pub fn options_set_guest_buffer(h: u32, name: u32, name_len: u32, buf: u32, buf_len: u32) -> u32;
        pub fn array_output_len(h: u32, out: u32) -> u32;
        pub fn array_output_pull(h: u32, buf: u32, buf_len: u32, out: u32) -> u32;
    }

    #[link(wasm_import_module = "wasi_ephemeral_crypto_asymmetric_common")]
    unsafe extern "C" {
        pub fn keypair_generate(alg_type: u32, alg: u32, alg_len: u32, options: u32, out: u32) -> u32;
        pub fn keypair_import(alg_type: u32, alg: u32, alg_len: u32, enc: u32, enc_len: u32, e: u32, out: u32) -> u32;
        pub fn keypair_export(kp: u32, encoding: u32, out: u32) -> u32;
        pub fn keypair_publickey(kp: u32, out: u32) -> u32;
        pub fn publickey_import(alg_type: u32, alg: u32, alg_len: u32, enc: u32, enc_len: u32, e: u32, out: u32)
        -> u32;
        pub fn publickey_export(pk: u32, encoding: u32, out: u32) -> u32;
        pub fn secretkey_import(alg_type: u32, alg: u32, alg_len: u32, enc: u32, enc_len: u32, e: u32, out: u32)
        -> u32;
        pub fn publickey_from_secretkey(sk: u32, out: u32) -> u32;
    }

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

    #[link(wasm_import_module = "wasi_ephemeral_crypto_symmetric")]
    unsafe extern "C" {
        pub fn symmetric_key_generate(alg: u32, alg_len: u32, options: u32, out: u32) -> u32;
        pub fn symmetric_key_import(alg: u32, alg_len: u32, raw: u32, raw_len: u32, out: u32) -> u32;
        pub fn symmetric_state_open(alg: u32, alg_len: u32, key: u32, options: u32, out: u32) -> u32;
        pub fn symmetric_state_options_get(s: u32, name: u32, name_len: u32, v: u32, v_max: u32, out: u32) -> u32;
        pub fn symmetric_state_absorb(s: u32, data: u32, len: u32) -> u32;
        pub fn symmetric_state_squeeze(s: u32, out: u32, len: u32) -> u32;
        pub fn symmetric_state_squeeze_tag(s: u32, out: u32) -> u32;
        pub fn symmetric_state_squeeze_key(s: u32, alg: u32, alg_len: u32, out: u32) -> u32;
        pub fn symmetric_state_max_tag_len(s: u32, out: u32) -> u32;
        pub fn symmetric_state_encrypt(s: u32, out: u32, out_len: u32, data: u32, data_len: u32, result: u32) -> u32;
        pub fn symmetric_state_decrypt(s: u32, out: u32, out_len: u32, data: u32, data_len: u32, result: u32) -> u32;
        pub fn symmetric_state_ratchet(s: u32) -> u32;
        pub fn symmetric_tag_len(tag: u32, out: u32) -> u32;
        pub fn symmetric_tag_pull(tag: u32, buf: u32, buf_len: u32, out: u32) -> u32;
        pub fn symmetric_tag_verify(tag: u32, expected: u32, expected_len: u32) -> u32;
    }

    #[link(wasm_import_module = "wasi_ephemeral_crypto_kx")]
    unsafe extern "C" {
        pub fn kx_dh(pk: u32, sk: u32, out: u32) -> u32;
    }
}

fn check(errno: u32) -> Result<()> {
    if errno == 0 { Ok(()) } else { Err(Errno(errno)) }
}

fn addr<T>(value: &mut T) -> u32 {
    value as *mut T as u32
}

/// An `opt_options` / `opt_symmetric_key` value: tag 0 = some, 1 = none, handle at +4.
#[repr(C)]
struct Opt {
    tag: u8,
    handle: u32,
}

impl Opt {
    fn of(handle: Option<u32>) -> Self {
        match handle {
            Some(handle) => Opt { tag: 0, handle },
            None => Opt { tag: 1, handle: 0 },
        }
    }
}

/// Calls an import that writes one `u32`-sized result through its last argument.
fn out32(call: impl FnOnce(u32) -> u32) -> Result<u32> {
    let mut value = 0u32;
    check(call(addr(&mut value)))?;
    Ok(value)
}

/// The spec's functions, under their spec names.
pub struct Ctx;

#[allow(dead_code)]
impl Ctx {
    pub fn options_open(&self, alg_type: AlgorithmType) -> Result<u32> {
        out32(|out| unsafe { raw::options_open(alg_type as u32, out) })
    }

    pub fn options_close(&self, options: u32) -> Result<()> {
        check(unsafe { raw::options_close(options) })
    }

    pub fn options_set(&self, options: u32, name: &str, value: &[u8]) -> Result<()> {
        check(unsafe {
            raw::options_set(
                options,
                name.as_ptr() as u32,
                name.len() as u32,
                value.as_ptr() as u32,
                value.len() as u32,
            )
        })
    }

    pub fn options_set_u64(&self, options: u32, name: &str, value: u64) -> Result<()> {
        check(unsafe { raw::options_set_u64(options, name.as_ptr() as u32, name.len() as u32, value) })
    }

    pub fn options_set_guest_buffer(&self, options: u32, name: &str, buffer: &mut [u8]) -> Result<()> {
        check(unsafe {
            raw::options_set_guest_buffer(
                options,
                name.as_ptr() as u32,
                name.len() as u32,
                buffer.as_mut_ptr() as u32,
                buffer.len() as u32,
            )
        })
    }

    pub fn array_output_len(&self, output: u32) -> Result<usize> {
        out32(|out| unsafe { raw::array_output_len(output, out) }).map(|n| n as usize)
    }

    pub fn array_output_pull(&self, output: u32, buf: &mut [u8]) -> Result<usize> {
        out32(|out| unsafe { raw::array_output_pull(output, buf.as_mut_ptr() as u32, buf.len() as u32, out) })
            .map(|n| n as usize)
    }

    /// `array_output_len` then `array_output_pull`, as the spec's array output example does.
    pub fn pull_all(&self, output: u32) -> Result<Vec<u8>> {
        let len = self.array_output_len(output)?;
        let mut out = vec![0u8; len];
        self.array_output_pull(output, &mut out)?;
        Ok(out)
    }

    pub fn keypair_generate(&self, alg_type: AlgorithmType, alg: &str, options: Option<u32>) -> Result<u32> {
        let opt = Opt::of(options);
        out32(|out| unsafe {
            raw::keypair_generate(
                alg_type as u32,
                alg.as_ptr() as u32,
                alg.len() as u32,
                &opt as *const Opt as u32,
                out,
            )
        })
    }

    pub fn keypair_import(&self, alg_type: AlgorithmType, alg: &str, encoded: &[u8], encoding: u32) -> Result<u32> {
        out32(|out| unsafe {
            raw::keypair_import(
                alg_type as u32,
                alg.as_ptr() as u32,
                alg.len() as u32,
                encoded.as_ptr() as u32,
                encoded.len() as u32,
                encoding,
                out,
            )
        })
    }

    pub fn keypair_export(&self, kp: u32, encoding: u32) -> Result<u32> {
        out32(|out| unsafe { raw::keypair_export(kp, encoding, out) })
    }

    pub fn keypair_publickey(&self, kp: u32) -> Result<u32> {
        out32(|out| unsafe { raw::keypair_publickey(kp, out) })
    }

    pub fn publickey_import(&self, alg_type: AlgorithmType, alg: &str, encoded: &[u8], encoding: u32) -> Result<u32> {
        out32(|out| unsafe {
            raw::publickey_import(
                alg_type as u32,
                alg.as_ptr() as u32,
                alg.len() as u32,
                encoded.as_ptr() as u32,
                encoded.len() as u32,
                encoding,
                out,
            )
        })
    }

    pub fn publickey_export(&self, pk: u32, encoding: u32) -> Result<u32> {
        out32(|out| unsafe { raw::publickey_export(pk, encoding, out) })
    }

    pub fn secretkey_import(&self, alg_type: AlgorithmType, alg: &str, encoded: &[u8], encoding: u32) -> Result<u32> {
        out32(|out| unsafe {
            raw::secretkey_import(
                alg_type as u32,
                alg.as_ptr() as u32,
                alg.len() as u32,
                encoded.as_ptr() as u32,
                encoded.len() as u32,
                encoding,
                out,
            )
        })
    }

    pub fn publickey_from_secretkey(&self, sk: u32) -> Result<u32> {
        out32(|out| unsafe { raw::publickey_from_secretkey(sk, out) })
    }

    pub fn kx_dh(&self, pk: u32, sk: u32) -> Result<u32> {
        out32(|out| unsafe { raw::kx_dh(pk, sk, out) })
    }

    pub fn signature_import(&self, alg: &str, encoding: u32, encoded: &[u8]) -> Result<u32> {
        out32(|out| unsafe {
            raw::signature_import(
                alg.as_ptr() as u32,
                alg.len() as u32,
                encoded.as_ptr() as u32,
                encoded.len() as u32,
                encoding,
                out,
            )
        })
    }

    /// `signature_export`, pulled into a vector.
    pub fn signature_export(&self, sig: u32, encoding: u32) -> Result<Vec<u8>> {
        let output = out32(|out| unsafe { raw::signature_export(sig, encoding, out) })?;
        self.pull_all(output)
    }

    pub fn signature_state_open(&self, kp: u32) -> Result<u32> {
        out32(|out| unsafe { raw::signature_state_open(kp, out) })
    }

    pub fn signature_state_update(&self, state: u32, data: &[u8]) -> Result<()> {
        check(unsafe { raw::signature_state_update(state, data.as_ptr() as u32, data.len() as u32) })
    }

    pub fn signature_state_sign(&self, state: u32) -> Result<u32> {
        out32(|out| unsafe { raw::signature_state_sign(state, out) })
    }

    pub fn signature_verification_state_open(&self, pk: u32) -> Result<u32> {
        out32(|out| unsafe { raw::signature_verification_state_open(pk, out) })
    }

    pub fn signature_verification_state_update(&self, state: u32, data: &[u8]) -> Result<()> {
        check(unsafe { raw::signature_verification_state_update(state, data.as_ptr() as u32, data.len() as u32) })
    }

    pub fn signature_verification_state_verify(&self, state: u32, sig: u32) -> Result<()> {
        check(unsafe { raw::signature_verification_state_verify(state, sig) })
    }

    pub fn symmetric_key_generate(&self, alg: &str, options: Option<u32>) -> Result<u32> {
        let opt = Opt::of(options);
        out32(|out| unsafe {
            raw::symmetric_key_generate(alg.as_ptr() as u32, alg.len() as u32, &opt as *const Opt as u32, out)
        })
    }

    pub fn symmetric_key_import(&self, alg: &str, raw_key: &[u8]) -> Result<u32> {
        out32(|out| unsafe {
            raw::symmetric_key_import(
                alg.as_ptr() as u32,
                alg.len() as u32,
                raw_key.as_ptr() as u32,
                raw_key.len() as u32,
                out,
            )
        })
    }

    pub fn symmetric_state_open(&self, alg: &str, key: Option<u32>, options: Option<u32>) -> Result<u32> {
        let (key, options) = (Opt::of(key), Opt::of(options));
        out32(|out| unsafe {
            raw::symmetric_state_open(
                alg.as_ptr() as u32,
                alg.len() as u32,
                &key as *const Opt as u32,
                &options as *const Opt as u32,
                out,
            )
        })
    }

    /// `symmetric_state_options_get` into a buffer of up to 64 bytes.
    pub fn symmetric_state_options_get(&self, state: u32, name: &str) -> Result<Vec<u8>> {
        let mut value = [0u8; 64];
        let len = out32(|out| unsafe {
            raw::symmetric_state_options_get(
                state,
                name.as_ptr() as u32,
                name.len() as u32,
                value.as_mut_ptr() as u32,
                value.len() as u32,
                out,
            )
        })?;
        Ok(value[..len as usize].to_vec())
    }

    pub fn symmetric_state_absorb(&self, state: u32, data: impl AsRef<[u8]>) -> Result<()> {
        let data = data.as_ref();
        check(unsafe { raw::symmetric_state_absorb(state, data.as_ptr() as u32, data.len() as u32) })
    }

    pub fn symmetric_state_squeeze(&self, state: u32, out: &mut [u8]) -> Result<()> {
        check(unsafe { raw::symmetric_state_squeeze(state, out.as_mut_ptr() as u32, out.len() as u32) })
    }

    pub fn symmetric_state_squeeze_tag(&self, state: u32) -> Result<u32> {
        out32(|out| unsafe { raw::symmetric_state_squeeze_tag(state, out) })
    }

    pub fn symmetric_state_squeeze_key(&self, state: u32, alg: &str) -> Result<u32> {
        out32(|out| unsafe { raw::symmetric_state_squeeze_key(state, alg.as_ptr() as u32, alg.len() as u32, out) })
    }

    pub fn symmetric_state_max_tag_len(&self, state: u32) -> Result<usize> {
        out32(|out| unsafe { raw::symmetric_state_max_tag_len(state, out) }).map(|n| n as usize)
    }

    pub fn symmetric_state_encrypt(&self, state: u32, out: &mut [u8], data: &[u8]) -> Result<usize> {
        out32(|result| unsafe {
            raw::symmetric_state_encrypt(
                state,
                out.as_mut_ptr() as u32,
                out.len() as u32,
                data.as_ptr() as u32,
                data.len() as u32,
                result,
            )
        })
        .map(|n| n as usize)
    }

    pub fn symmetric_state_decrypt(&self, state: u32, out: &mut [u8], data: &[u8]) -> Result<usize> {
        out32(|result| unsafe {
            raw::symmetric_state_decrypt(
                state,
                out.as_mut_ptr() as u32,
                out.len() as u32,
                data.as_ptr() as u32,
                data.len() as u32,
                result,
            )
        })
        .map(|n| n as usize)
    }

    pub fn symmetric_state_ratchet(&self, state: u32) -> Result<()> {
        check(unsafe { raw::symmetric_state_ratchet(state) })
    }

    pub fn symmetric_tag_len(&self, tag: u32) -> Result<usize> {
        out32(|out| unsafe { raw::symmetric_tag_len(tag, out) }).map(|n| n as usize)
    }

    pub fn symmetric_tag_pull(&self, tag: u32, buf: &mut [u8]) -> Result<usize> {
        out32(|out| unsafe { raw::symmetric_tag_pull(tag, buf.as_mut_ptr() as u32, buf.len() as u32, out) })
            .map(|n| n as usize)
    }

    pub fn symmetric_tag_verify(&self, tag: u32, expected: &[u8]) -> Result<()> {
        check(unsafe { raw::symmetric_tag_verify(tag, expected.as_ptr() as u32, expected.len() as u32) })
    }
}
