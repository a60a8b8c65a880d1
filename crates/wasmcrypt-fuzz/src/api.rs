//! `api_sequence`: the core API driven by arbitrary call sequences.
//!
//! Input: one configuration byte (budget, handle cap, whether a key store is configured), then
//! operations, each an opcode byte ([`op`]) followed by its arguments. Handles are picked from
//! those returned earlier (or given raw), byte strings are inline or taken from the outputs
//! pulled earlier, and algorithm names come from [`wasmcrypt::supported_algorithms`] (or are
//! raw bytes). After every call the budget invariant is checked; at the end every handle is
//! closed (array outputs pulled to the end) and nothing may stay open or charged.

use crate::input::Input;
use crate::{Checked, Trace, algorithm_names};
use std::sync::Arc;
use wasmcrypt::asymmetric::AsymmetricAlgorithm;
use wasmcrypt::secrets::MemoryStore;
use wasmcrypt::{
    AlgorithmType, CryptoCtx, GuestBuffer, Handle, InOut, KeyPairEncoding, PublicKeyEncoding, SecretKeyEncoding,
    SignatureEncoding,
};

macro_rules! opcodes {
    ($($name:ident),* $(,)?) => {
        /// The opcodes of `api_sequence`, one per core function (taken modulo [`op::COUNT`]).
        pub mod op {
            opcodes!(@consts 0u8, $($name,)*);
            /// The number of opcodes.
            pub const COUNT: u8 = [$(stringify!($name)),*].len() as u8;
        }
    };
    (@consts $n:expr, $name:ident, $($rest:ident,)*) => {
        #[doc = concat!("`", stringify!($name), "`")]
        pub const $name: u8 = $n;
        opcodes!(@consts $n + 1u8, $($rest,)*);
    };
    (@consts $n:expr,) => {};
}

opcodes!(
    OPTIONS_OPEN,
    OPTIONS_CLOSE,
    OPTIONS_SET,
    OPTIONS_SET_U64,
    OPTIONS_SET_GUEST_BUFFER,
    ARRAY_OUTPUT_LEN,
    ARRAY_OUTPUT_PULL,
    SYMMETRIC_KEY_GENERATE,
    SYMMETRIC_KEY_IMPORT,
    SYMMETRIC_KEY_EXPORT,
    SYMMETRIC_KEY_CLOSE,
    SYMMETRIC_STATE_OPEN,
    SYMMETRIC_STATE_OPTIONS_GET,
    SYMMETRIC_STATE_OPTIONS_GET_U64,
    SYMMETRIC_STATE_CLONE,
    SYMMETRIC_STATE_CLOSE,
    SYMMETRIC_STATE_ABSORB,
    SYMMETRIC_STATE_SQUEEZE,
    SYMMETRIC_STATE_SQUEEZE_TAG,
    SYMMETRIC_STATE_SQUEEZE_KEY,
    SYMMETRIC_STATE_MAX_TAG_LEN,
    SYMMETRIC_STATE_ENCRYPT,
    SYMMETRIC_STATE_ENCRYPT_DETACHED,
    SYMMETRIC_STATE_DECRYPT,
    SYMMETRIC_STATE_DECRYPT_DETACHED,
    SYMMETRIC_STATE_RATCHET,
    SYMMETRIC_TAG_LEN,
    SYMMETRIC_TAG_PULL,
    SYMMETRIC_TAG_VERIFY,
    SYMMETRIC_TAG_CLOSE,
    KEYPAIR_GENERATE,
    KEYPAIR_IMPORT,
    KEYPAIR_FROM_PK_AND_SK,
    KEYPAIR_EXPORT,
    KEYPAIR_PUBLICKEY,
    KEYPAIR_SECRETKEY,
    KEYPAIR_CLOSE,
    PUBLICKEY_IMPORT,
    PUBLICKEY_EXPORT,
    PUBLICKEY_VERIFY,
    PUBLICKEY_FROM_SECRETKEY,
    PUBLICKEY_CLOSE,
    SECRETKEY_IMPORT,
    SECRETKEY_EXPORT,
    SECRETKEY_CLOSE,
    SIGNATURE_EXPORT,
    SIGNATURE_IMPORT,
    SIGNATURE_STATE_OPEN,
    SIGNATURE_STATE_UPDATE,
    SIGNATURE_STATE_SIGN,
    SIGNATURE_STATE_CLOSE,
    SIGNATURE_VERIFICATION_STATE_OPEN,
    SIGNATURE_VERIFICATION_STATE_UPDATE,
    SIGNATURE_VERIFICATION_STATE_VERIFY,
    SIGNATURE_VERIFICATION_STATE_CLOSE,
    SIGNATURE_CLOSE,
    KX_DH,
    KX_ENCAPSULATE,
    KX_DECAPSULATE,
    SECRETS_MANAGER_OPEN,
    SECRETS_MANAGER_CLOSE,
    SECRETS_MANAGER_INVALIDATE,
    SYMMETRIC_KEY_GENERATE_MANAGED,
    SYMMETRIC_KEY_STORE_MANAGED,
    SYMMETRIC_KEY_REPLACE_MANAGED,
    SYMMETRIC_KEY_ID,
    SYMMETRIC_KEY_FROM_ID,
    KEYPAIR_GENERATE_MANAGED,
    KEYPAIR_STORE_MANAGED,
    KEYPAIR_REPLACE_MANAGED,
    KEYPAIR_ID,
    KEYPAIR_FROM_ID,
    EXTERNAL_SECRET_STORE,
    EXTERNAL_SECRET_REPLACE,
    EXTERNAL_SECRET_FROM_ID,
    EXTERNAL_SECRET_INVALIDATE,
    EXTERNAL_SECRET_ENCAPSULATE,
    EXTERNAL_SECRET_DECAPSULATE,
    OPTIONS_SET_HOST_BUFFER,
);

/// The budgets a configuration byte selects from (bits 0-1).
pub const BUDGETS: [usize; 4] = [512, 4096, 65_536, 1 << 20];
/// The handle caps a configuration byte selects from (bits 2-3).
pub const HANDLE_CAPS: [usize; 4] = [3, 8, 32, 256];
/// Configuration bit: no key store (managed keys and external secrets are unsupported).
pub const NO_KEY_STORE: u8 = 0x10;

/// The password-hash work one derivation may do (a few milliseconds), so that no input runs for
/// long: see [`wasmcrypt::DEFAULT_MAX_PASSWORD_WORK`].
pub const MAX_PASSWORD_WORK: u64 = 1 << 12;

/// The most operations one input runs.
pub const MAX_OPS: usize = 96;
/// The largest output buffer (squeeze, pull, encryption output) one operation asks for.
pub const MAX_OUT: usize = 4096;
/// The names `options_set*` picks from (tag bytes below 0xF0).
pub const OPTION_NAMES: [&str; 12] = [
    "context",
    "salt",
    "nonce",
    "memory",
    "opslimit",
    "parallelism",
    "ops_limit",
    "NONCE",
    "domain",
    "fanout",
    "inner_length",
    "threads",
];

/// The special `u64` values [`Driver::u64`] maps tag bytes 0xF1.. to: versions and expirations.
pub const SPECIAL_U64: [u64; 6] = [
    u64::MAX,
    wasmcrypt::secrets::VERSION_LATEST,
    wasmcrypt::secrets::VERSION_ALL,
    wasmcrypt::secrets::VERSION_UNSPECIFIED,
    4_000_000_000, // an expiration in 2096
    1,             // an expiration in 1970
];

/// The tag byte of a name given by a `u16` index into [`algorithm_names`] (see [`name_from`]).
pub const WIDE_NAME: u8 = 0xE0;

/// An algorithm name: a tag byte below 0xC0 indexes [`algorithm_names`] (modulo its length),
/// 0xC0..0xE0 too but lowercased, [`WIDE_NAME`]..0xF0 is followed by a `u16` index, so that every
/// registered name is reachable however many there are; above, raw bytes.
pub fn name_from(input: &mut Input<'_>) -> String {
    let names = algorithm_names();
    let b = input.u8();
    match b {
        0..0xC0 => names[usize::from(b) % names.len()].to_owned(),
        0xC0..WIDE_NAME => names[usize::from(b) % names.len()].to_ascii_lowercase(),
        WIDE_NAME..0xF0 => names[usize::from(input.u16()) % names.len()].to_owned(),
        _ => String::from_utf8_lossy(input.data(&[])).into_owned(),
    }
}

/// Runs one `api_sequence` input. Panics on a violated invariant.
pub fn run(data: &[u8]) {
    run_traced(data, false);
}

/// Runs one `api_sequence` input and returns the calls it made.
pub fn trace(data: &[u8]) -> Trace {
    run_traced(data, true)
}

fn run_traced(data: &[u8], traced: bool) -> Trace {
    let mut input = Input::new(data);
    let config = input.u8();
    let mut builder = CryptoCtx::builder()
        .max_buffered_bytes(BUDGETS[usize::from(config & 3)])
        .max_handles(HANDLE_CAPS[usize::from((config >> 2) & 3)])
        .max_password_work(MAX_PASSWORD_WORK);
    if config & NO_KEY_STORE == 0 {
        builder = builder.key_store(Arc::new(MemoryStore::new().expect("memory store")));
    }
    let mut c = Checked::new(builder.build());
    if traced {
        c.trace = Some(Vec::new());
    }
    let mut d = Driver { c, input, handles: Vec::new(), pool: Vec::new() };
    let mut ops = 0;
    while !d.input.is_empty() && ops < MAX_OPS {
        d.step();
        ops += 1;
    }
    let trace = d.c.trace.take().unwrap_or_default();
    d.c.close_all(&d.handles);
    trace
}

/// The state of one run: the context, the rest of the input, and what the calls returned.
struct Driver<'a> {
    c: Checked,
    input: Input<'a>,
    /// Every handle returned, in order (never shrinks, so an index names the same handle).
    handles: Vec<Handle>,
    /// Byte strings seen: pulled outputs, tags, ids, in order.
    pool: Vec<Vec<u8>>,
}

const MAX_POOL: usize = 128;

impl Driver<'_> {
    fn keep(&mut self, h: Option<Handle>) {
        if let Some(h) = h {
            self.handles.push(h);
        }
    }

    fn remember(&mut self, bytes: &[u8]) {
        if self.pool.len() < MAX_POOL {
            self.pool.push(bytes.to_vec());
        }
    }

    /// A handle: below 0xF0, the nth handle returned so far (or the byte itself if none);
    /// 0xF0 reads a raw `u32`; above, 0 or `u32::MAX`.
    fn handle(&mut self) -> Handle {
        let b = self.input.u8();
        match b {
            0..0xF0 if self.handles.is_empty() => u32::from(b),
            0..0xF0 => self.handles[usize::from(b) % self.handles.len()],
            0xF0 => self.input.u32(),
            0xF1..0xF8 => 0,
            _ => u32::MAX,
        }
    }

    /// An optional handle: an even byte is `None`.
    fn opt_handle(&mut self) -> Option<Handle> {
        if self.input.u8() & 1 == 0 { None } else { Some(self.handle()) }
    }

    fn name(&mut self) -> String {
        name_from(&mut self.input)
    }

    fn option_name(&mut self) -> String {
        let b = self.input.u8();
        if b < 0xF0 {
            OPTION_NAMES[usize::from(b) % OPTION_NAMES.len()].to_owned()
        } else {
            String::from_utf8_lossy(self.input.data(&[])).into_owned()
        }
    }

    fn data(&mut self) -> Vec<u8> {
        self.input.data(&self.pool).to_vec()
    }

    /// A `u64`: small values inline, 0xF0 reads a raw `u64`, above: [`SPECIAL_U64`].
    fn u64(&mut self) -> u64 {
        let b = self.input.u8();
        match b {
            0..0xF0 => u64::from(b),
            0xF0 => self.input.u64(),
            _ => SPECIAL_U64[usize::from(b - 0xF1) % SPECIAL_U64.len()],
        }
    }

    /// An output buffer size: below 0xF0 the byte, else a `u16` capped at [`MAX_OUT`].
    fn size(&mut self) -> usize {
        let b = self.input.u8();
        if b < 0xF0 { usize::from(b) } else { usize::from(self.input.u16()) % (MAX_OUT + 1) }
    }

    fn alg_type(&mut self) -> Option<AlgorithmType> {
        AlgorithmType::from_raw(u32::from(self.input.u8())).ok()
    }

    fn step(&mut self) {
        let code = self.input.u8() % op::COUNT;
        // Each arm reads its arguments, makes the call through `Checked::call` (which checks the
        // invariants) and keeps returned handles and bytes.
        match code {
            op::OPTIONS_OPEN => {
                if let Some(t) = self.alg_type() {
                    let h = self.c.call("options_open", |x| x.options_open(t));
                    self.keep(h);
                }
            }
            op::OPTIONS_CLOSE => {
                let h = self.handle();
                self.c.call("options_close", |x| x.options_close(h));
            }
            op::OPTIONS_SET => {
                let (h, name, value) = (self.handle(), self.option_name(), self.data());
                self.c.call("options_set", |x| x.options_set(h, &name, &value));
            }
            op::OPTIONS_SET_U64 => {
                let (h, name, value) = (self.handle(), self.option_name(), self.u64());
                self.c.call("options_set_u64", |x| x.options_set_u64(h, &name, value));
            }
            op::OPTIONS_SET_GUEST_BUFFER => {
                let (h, name) = (self.handle(), self.option_name());
                let buffer = GuestBuffer { ptr: self.input.u32(), len: self.input.u32() };
                self.c.call("options_set_guest_buffer", |x| x.options_set_guest_buffer(h, &name, buffer));
            }
            op::OPTIONS_SET_HOST_BUFFER => {
                // A copied guest buffer (the component ABI), in 16-byte steps up to 1 MiB.
                let (h, name, len) = (self.handle(), self.option_name(), usize::from(self.input.u16()) * 16);
                self.c.call("options_set_host_buffer", |x| x.options_set_host_buffer(h, &name, vec![0; len]));
            }
            op::ARRAY_OUTPUT_LEN => {
                let h = self.handle();
                self.c.call("array_output_len", |x| x.array_output_len(h));
            }
            op::ARRAY_OUTPUT_PULL => {
                let (h, size) = (self.handle(), self.size());
                let mut buf = vec![0u8; size];
                if let Some(n) = self.c.call("array_output_pull", |x| x.array_output_pull(h, &mut buf)) {
                    assert!(n <= size, "array_output_pull returned {n} > {size}");
                    self.remember(&buf[..n]);
                }
            }
            op::SYMMETRIC_KEY_GENERATE => {
                let (alg, o) = (self.name(), self.opt_handle());
                let h = self.c.call("symmetric_key_generate", |x| x.symmetric_key_generate(&alg, o));
                self.keep(h);
            }
            op::SYMMETRIC_KEY_IMPORT => {
                let (alg, raw) = (self.name(), self.data());
                let h = self.c.call("symmetric_key_import", |x| x.symmetric_key_import(&alg, &raw));
                self.keep(h);
            }
            op::SYMMETRIC_KEY_EXPORT => {
                let k = self.handle();
                let h = self.c.call("symmetric_key_export", |x| x.symmetric_key_export(k));
                self.keep(h);
            }
            op::SYMMETRIC_KEY_CLOSE => {
                let k = self.handle();
                self.c.call("symmetric_key_close", |x| x.symmetric_key_close(k));
            }
            op::SYMMETRIC_STATE_OPEN => {
                let (alg, k, o) = (self.name(), self.opt_handle(), self.opt_handle());
                let h = self.c.call("symmetric_state_open", |x| x.symmetric_state_open(&alg, k, o));
                self.keep(h);
            }
            op::SYMMETRIC_STATE_OPTIONS_GET => {
                let (s, name, size) = (self.handle(), self.option_name(), self.size());
                let mut buf = vec![0u8; size];
                if let Some(n) =
                    self.c.call("symmetric_state_options_get", |x| x.symmetric_state_options_get(s, &name, &mut buf))
                {
                    assert!(n <= size, "symmetric_state_options_get returned {n} > {size}");
                }
            }
            op::SYMMETRIC_STATE_OPTIONS_GET_U64 => {
                let (s, name) = (self.handle(), self.option_name());
                self.c.call("symmetric_state_options_get_u64", |x| x.symmetric_state_options_get_u64(s, &name));
            }
            op::SYMMETRIC_STATE_CLONE => {
                let s = self.handle();
                let h = self.c.call("symmetric_state_clone", |x| x.symmetric_state_clone(s));
                self.keep(h);
            }
            op::SYMMETRIC_STATE_CLOSE => {
                let s = self.handle();
                self.c.call("symmetric_state_close", |x| x.symmetric_state_close(s));
            }
            op::SYMMETRIC_STATE_ABSORB => {
                let (s, data) = (self.handle(), self.data());
                self.c.call("symmetric_state_absorb", |x| x.symmetric_state_absorb(s, &data));
            }
            op::SYMMETRIC_STATE_SQUEEZE => {
                let (s, size) = (self.handle(), self.size());
                let mut buf = vec![0u8; size];
                if self.c.call("symmetric_state_squeeze", |x| x.symmetric_state_squeeze(s, &mut buf)).is_some() {
                    self.remember(&buf);
                }
            }
            op::SYMMETRIC_STATE_SQUEEZE_TAG => {
                let s = self.handle();
                let h = self.c.call("symmetric_state_squeeze_tag", |x| x.symmetric_state_squeeze_tag(s));
                self.keep(h);
            }
            op::SYMMETRIC_STATE_SQUEEZE_KEY => {
                let (s, alg) = (self.handle(), self.name());
                let h = self.c.call("symmetric_state_squeeze_key", |x| x.symmetric_state_squeeze_key(s, &alg));
                self.keep(h);
            }
            op::SYMMETRIC_STATE_MAX_TAG_LEN => {
                let s = self.handle();
                self.c.call("symmetric_state_max_tag_len", |x| x.symmetric_state_max_tag_len(s));
            }
            op::SYMMETRIC_STATE_ENCRYPT | op::SYMMETRIC_STATE_DECRYPT => {
                let decrypt = code == op::SYMMETRIC_STATE_DECRYPT;
                let s = self.handle();
                let mut io = self.in_out();
                let r = self.c.call(if decrypt { "symmetric_state_decrypt" } else { "symmetric_state_encrypt" }, |x| {
                    let io = io.get()?;
                    if decrypt { x.symmetric_state_decrypt(s, io) } else { x.symmetric_state_encrypt(s, io) }
                });
                if let Some(n) = r {
                    assert!(n <= io.output_len(), "{n} bytes written to a {}-byte output", io.output_len());
                    let out = io.output(n);
                    self.remember(&out);
                }
            }
            op::SYMMETRIC_STATE_ENCRYPT_DETACHED => {
                let s = self.handle();
                let mut io = self.in_out();
                let h = self
                    .c
                    .call("symmetric_state_encrypt_detached", |x| x.symmetric_state_encrypt_detached(s, io.get()?));
                if h.is_some() {
                    let out = io.output(io.output_len());
                    self.remember(&out);
                }
                self.keep(h);
            }
            op::SYMMETRIC_STATE_DECRYPT_DETACHED => {
                let s = self.handle();
                let mut io = self.in_out();
                let tag = self.data();
                if let Some(n) = self.c.call("symmetric_state_decrypt_detached", |x| {
                    x.symmetric_state_decrypt_detached(s, io.get()?, &tag)
                }) {
                    assert!(n <= io.output_len(), "{n} bytes written to a {}-byte output", io.output_len());
                }
            }
            op::SYMMETRIC_STATE_RATCHET => {
                let s = self.handle();
                self.c.call("symmetric_state_ratchet", |x| x.symmetric_state_ratchet(s));
            }
            op::SYMMETRIC_TAG_LEN => {
                let t = self.handle();
                self.c.call("symmetric_tag_len", |x| x.symmetric_tag_len(t));
            }
            op::SYMMETRIC_TAG_PULL => {
                let (t, size) = (self.handle(), self.size());
                let mut buf = vec![0u8; size];
                if let Some(n) = self.c.call("symmetric_tag_pull", |x| x.symmetric_tag_pull(t, &mut buf)) {
                    assert!(n <= size, "symmetric_tag_pull returned {n} > {size}");
                    self.remember(&buf[..n]);
                }
            }
            op::SYMMETRIC_TAG_VERIFY => {
                let (t, expected) = (self.handle(), self.data());
                self.c.call("symmetric_tag_verify", |x| x.symmetric_tag_verify(t, &expected));
            }
            op::SYMMETRIC_TAG_CLOSE => {
                let t = self.handle();
                self.c.call("symmetric_tag_close", |x| x.symmetric_tag_close(t));
            }
            op::KEYPAIR_GENERATE => {
                let (t, alg, o) = (self.alg_type(), self.name(), self.opt_handle());
                if let Some(t) = t.filter(|&t| !is_rsa(t, &alg)) {
                    let h = self.c.call("keypair_generate", |x| x.keypair_generate(t, &alg, o));
                    self.keep(h);
                }
            }
            op::KEYPAIR_IMPORT => {
                let (t, alg, encoded, e) = (self.alg_type(), self.name(), self.data(), self.input.u8());
                if let (Some(t), Ok(e)) = (t, KeyPairEncoding::from_raw(u32::from(e))) {
                    let h = self.c.call("keypair_import", |x| x.keypair_import(t, &alg, &encoded, e));
                    self.keep(h);
                }
            }
            op::KEYPAIR_FROM_PK_AND_SK => {
                let (pk, sk) = (self.handle(), self.handle());
                let h = self.c.call("keypair_from_pk_and_sk", |x| x.keypair_from_pk_and_sk(pk, sk));
                self.keep(h);
            }
            op::KEYPAIR_EXPORT => {
                let (kp, e) = (self.handle(), self.input.u8());
                if let Ok(e) = KeyPairEncoding::from_raw(u32::from(e)) {
                    let h = self.c.call("keypair_export", |x| x.keypair_export(kp, e));
                    self.keep(h);
                }
            }
            op::KEYPAIR_PUBLICKEY => {
                let kp = self.handle();
                let h = self.c.call("keypair_publickey", |x| x.keypair_publickey(kp));
                self.keep(h);
            }
            op::KEYPAIR_SECRETKEY => {
                let kp = self.handle();
                let h = self.c.call("keypair_secretkey", |x| x.keypair_secretkey(kp));
                self.keep(h);
            }
            op::KEYPAIR_CLOSE => {
                let kp = self.handle();
                self.c.call("keypair_close", |x| x.keypair_close(kp));
            }
            op::PUBLICKEY_IMPORT => {
                let (t, alg, encoded, e) = (self.alg_type(), self.name(), self.data(), self.input.u8());
                if let (Some(t), Ok(e)) = (t, PublicKeyEncoding::from_raw(u32::from(e))) {
                    let h = self.c.call("publickey_import", |x| x.publickey_import(t, &alg, &encoded, e));
                    self.keep(h);
                }
            }
            op::PUBLICKEY_EXPORT => {
                let (pk, e) = (self.handle(), self.input.u8());
                if let Ok(e) = PublicKeyEncoding::from_raw(u32::from(e)) {
                    let h = self.c.call("publickey_export", |x| x.publickey_export(pk, e));
                    self.keep(h);
                }
            }
            op::PUBLICKEY_VERIFY => {
                let pk = self.handle();
                self.c.call("publickey_verify", |x| x.publickey_verify(pk));
            }
            op::PUBLICKEY_FROM_SECRETKEY => {
                let sk = self.handle();
                let h = self.c.call("publickey_from_secretkey", |x| x.publickey_from_secretkey(sk));
                self.keep(h);
            }
            op::PUBLICKEY_CLOSE => {
                let pk = self.handle();
                self.c.call("publickey_close", |x| x.publickey_close(pk));
            }
            op::SECRETKEY_IMPORT => {
                let (t, alg, encoded, e) = (self.alg_type(), self.name(), self.data(), self.input.u8());
                if let (Some(t), Ok(e)) = (t, SecretKeyEncoding::from_raw(u32::from(e))) {
                    let h = self.c.call("secretkey_import", |x| x.secretkey_import(t, &alg, &encoded, e));
                    self.keep(h);
                }
            }
            op::SECRETKEY_EXPORT => {
                let (sk, e) = (self.handle(), self.input.u8());
                if let Ok(e) = SecretKeyEncoding::from_raw(u32::from(e)) {
                    let h = self.c.call("secretkey_export", |x| x.secretkey_export(sk, e));
                    self.keep(h);
                }
            }
            op::SECRETKEY_CLOSE => {
                let sk = self.handle();
                self.c.call("secretkey_close", |x| x.secretkey_close(sk));
            }
            op::SIGNATURE_EXPORT => {
                let (sig, e) = (self.handle(), self.input.u8());
                if let Ok(e) = SignatureEncoding::from_raw(u32::from(e)) {
                    let h = self.c.call("signature_export", |x| x.signature_export(sig, e));
                    self.keep(h);
                }
            }
            op::SIGNATURE_IMPORT => {
                let (alg, encoded, e) = (self.name(), self.data(), self.input.u8());
                if let Ok(e) = SignatureEncoding::from_raw(u32::from(e)) {
                    let h = self.c.call("signature_import", |x| x.signature_import(&alg, &encoded, e));
                    self.keep(h);
                }
            }
            op::SIGNATURE_STATE_OPEN => {
                let kp = self.handle();
                let h = self.c.call("signature_state_open", |x| x.signature_state_open(kp));
                self.keep(h);
            }
            op::SIGNATURE_STATE_UPDATE => {
                let (s, data) = (self.handle(), self.data());
                self.c.call("signature_state_update", |x| x.signature_state_update(s, &data));
            }
            op::SIGNATURE_STATE_SIGN => {
                let s = self.handle();
                let h = self.c.call("signature_state_sign", |x| x.signature_state_sign(s));
                self.keep(h);
            }
            op::SIGNATURE_STATE_CLOSE => {
                let s = self.handle();
                self.c.call("signature_state_close", |x| x.signature_state_close(s));
            }
            op::SIGNATURE_VERIFICATION_STATE_OPEN => {
                let pk = self.handle();
                let h = self.c.call("signature_verification_state_open", |x| x.signature_verification_state_open(pk));
                self.keep(h);
            }
            op::SIGNATURE_VERIFICATION_STATE_UPDATE => {
                let (s, data) = (self.handle(), self.data());
                self.c.call("signature_verification_state_update", |x| x.signature_verification_state_update(s, &data));
            }
            op::SIGNATURE_VERIFICATION_STATE_VERIFY => {
                let (s, sig) = (self.handle(), self.handle());
                self.c.call("signature_verification_state_verify", |x| x.signature_verification_state_verify(s, sig));
            }
            op::SIGNATURE_VERIFICATION_STATE_CLOSE => {
                let s = self.handle();
                self.c.call("signature_verification_state_close", |x| x.signature_verification_state_close(s));
            }
            op::SIGNATURE_CLOSE => {
                let sig = self.handle();
                self.c.call("signature_close", |x| x.signature_close(sig));
            }
            op::KX_DH => {
                let (pk, sk) = (self.handle(), self.handle());
                let h = self.c.call("kx_dh", |x| x.kx_dh(pk, sk));
                self.keep(h);
            }
            op::KX_ENCAPSULATE => {
                let pk = self.handle();
                if let Some((secret, ciphertext)) = self.c.call("kx_encapsulate", |x| x.kx_encapsulate(pk)) {
                    self.keep(Some(secret));
                    self.keep(Some(ciphertext));
                }
            }
            op::KX_DECAPSULATE => {
                let (sk, encapsulated) = (self.handle(), self.data());
                let h = self.c.call("kx_decapsulate", |x| x.kx_decapsulate(sk, &encapsulated));
                self.keep(h);
            }
            op::SECRETS_MANAGER_OPEN => {
                let o = self.opt_handle();
                let h = self.c.call("secrets_manager_open", |x| x.secrets_manager_open(o));
                self.keep(h);
            }
            op::SECRETS_MANAGER_CLOSE => {
                let sm = self.handle();
                self.c.call("secrets_manager_close", |x| x.secrets_manager_close(sm));
            }
            op::SECRETS_MANAGER_INVALIDATE => {
                let (sm, id, version) = (self.handle(), self.data(), self.u64());
                self.c.call("secrets_manager_invalidate", |x| x.secrets_manager_invalidate(sm, &id, version));
            }
            op::SYMMETRIC_KEY_GENERATE_MANAGED => {
                let (sm, alg, o) = (self.handle(), self.name(), self.opt_handle());
                let h =
                    self.c.call("symmetric_key_generate_managed", |x| x.symmetric_key_generate_managed(sm, &alg, o));
                self.keep(h);
            }
            op::SYMMETRIC_KEY_STORE_MANAGED | op::KEYPAIR_STORE_MANAGED => {
                let (sm, k, size) = (self.handle(), self.handle(), self.size());
                let mut id = vec![0u8; size];
                let stored = if code == op::KEYPAIR_STORE_MANAGED {
                    self.c.call("keypair_store_managed", |x| x.keypair_store_managed(sm, k, &mut id))
                } else {
                    self.c.call("symmetric_key_store_managed", |x| x.symmetric_key_store_managed(sm, k, &mut id))
                };
                if stored.is_some() {
                    self.remember(&id);
                }
            }
            op::SYMMETRIC_KEY_REPLACE_MANAGED => {
                let (sm, old, new) = (self.handle(), self.handle(), self.handle());
                self.c.call("symmetric_key_replace_managed", |x| x.symmetric_key_replace_managed(sm, old, new));
            }
            op::SYMMETRIC_KEY_ID | op::KEYPAIR_ID => {
                let (k, size) = (self.handle(), self.size());
                let mut id = vec![0u8; size];
                let r = if code == op::KEYPAIR_ID {
                    self.c.call("keypair_id", |x| x.keypair_id(k, &mut id))
                } else {
                    self.c.call("symmetric_key_id", |x| x.symmetric_key_id(k, &mut id))
                };
                if let Some((n, _version)) = r {
                    assert!(n <= size, "key id of {n} bytes in a {size}-byte buffer");
                    self.remember(&id[..n]);
                }
            }
            op::SYMMETRIC_KEY_FROM_ID => {
                let (sm, id, version) = (self.handle(), self.data(), self.u64());
                let h = self.c.call("symmetric_key_from_id", |x| x.symmetric_key_from_id(sm, &id, version));
                self.keep(h);
            }
            op::KEYPAIR_GENERATE_MANAGED => {
                let (sm, t, alg, o) = (self.handle(), self.alg_type(), self.name(), self.opt_handle());
                if let Some(t) = t.filter(|&t| !is_rsa(t, &alg)) {
                    let h = self.c.call("keypair_generate_managed", |x| x.keypair_generate_managed(sm, t, &alg, o));
                    self.keep(h);
                }
            }
            op::KEYPAIR_REPLACE_MANAGED => {
                let (sm, old, new) = (self.handle(), self.handle(), self.handle());
                self.c.call("keypair_replace_managed", |x| x.keypair_replace_managed(sm, old, new));
            }
            op::KEYPAIR_FROM_ID => {
                let (sm, id, version) = (self.handle(), self.data(), self.u64());
                let h = self.c.call("keypair_from_id", |x| x.keypair_from_id(sm, &id, version));
                self.keep(h);
            }
            op::EXTERNAL_SECRET_STORE => {
                let (sm, secret, expiration, size) = (self.handle(), self.data(), self.u64(), self.size());
                let mut id = vec![0u8; size];
                if self
                    .c
                    .call("external_secret_store", |x| x.external_secret_store(sm, &secret, expiration, &mut id))
                    .is_some()
                {
                    self.remember(&id);
                }
            }
            op::EXTERNAL_SECRET_REPLACE => {
                let (sm, secret, expiration, id) = (self.handle(), self.data(), self.u64(), self.data());
                self.c.call("external_secret_replace", |x| x.external_secret_replace(sm, &secret, expiration, &id));
            }
            op::EXTERNAL_SECRET_FROM_ID => {
                let (sm, id, version) = (self.handle(), self.data(), self.u64());
                let h = self.c.call("external_secret_from_id", |x| x.external_secret_from_id(sm, &id, version));
                self.keep(h);
            }
            op::EXTERNAL_SECRET_INVALIDATE => {
                let (sm, id, version) = (self.handle(), self.data(), self.u64());
                self.c.call("external_secret_invalidate", |x| x.external_secret_invalidate(sm, &id, version));
            }
            op::EXTERNAL_SECRET_ENCAPSULATE => {
                let (sm, secret, expiration) = (self.handle(), self.data(), self.u64());
                let h = self
                    .c
                    .call("external_secret_encapsulate", |x| x.external_secret_encapsulate(sm, &secret, expiration));
                self.keep(h);
            }
            op::EXTERNAL_SECRET_DECAPSULATE => {
                let (sm, encrypted) = (self.handle(), self.data());
                let h = self.c.call("external_secret_decapsulate", |x| x.external_secret_decapsulate(sm, &encrypted));
                self.keep(h);
            }
            _ => unreachable!("opcode {code} >= {}", op::COUNT),
        }
    }

    /// The buffers of an encryption or decryption: separate (data, output size), or two ranges
    /// of one 512-byte memory that may overlap.
    fn in_out(&mut self) -> IoArgs {
        if self.input.u8() & 1 == 0 {
            let data = self.data();
            let size = self.size();
            IoArgs::Separate { input: data, output: vec![0u8; size] }
        } else {
            let data = self.data();
            let mut memory = vec![0u8; IO_MEMORY];
            let n = data.len().min(IO_MEMORY);
            memory[..n].copy_from_slice(&data[..n]);
            let mut range = || {
                let start = usize::from(self.input.u16()) % (IO_MEMORY + 8);
                let len = usize::from(self.input.u16()) % (IO_MEMORY + 8);
                start..start + len
            };
            let (input, output) = (range(), range());
            IoArgs::Within { memory, input, output }
        }
    }
}

/// The guest memory of [`Driver::in_out`]'s in-place variant.
const IO_MEMORY: usize = 512;

/// Owned arguments of an encryption or decryption.
enum IoArgs {
    Separate { input: Vec<u8>, output: Vec<u8> },
    Within { memory: Vec<u8>, input: std::ops::Range<usize>, output: std::ops::Range<usize> },
}

impl IoArgs {
    fn get(&mut self) -> wasmcrypt::Result<InOut<'_>> {
        match self {
            Self::Separate { input, output } => Ok(InOut::separate(input, output)),
            Self::Within { memory, input, output } => InOut::within(memory, input.clone(), output.clone()),
        }
    }

    fn output_len(&self) -> usize {
        match self {
            Self::Separate { output, .. } => output.len(),
            Self::Within { output, .. } => output.len(),
        }
    }

    /// The first `n` bytes of the output.
    fn output(&self, n: usize) -> Vec<u8> {
        match self {
            Self::Separate { output, .. } => output[..n].to_vec(),
            Self::Within { memory, output, .. } => memory[output.start..output.start + n].to_vec(),
        }
    }
}

/// Whether `name` is an RSA algorithm: RSA key generation is too slow to fuzz (seconds for
/// 4096 bits), so it is skipped; RSA imports, signatures and verifications are fuzzed.
pub fn is_rsa(alg_type: AlgorithmType, name: &str) -> bool {
    AsymmetricAlgorithm::from_name(alg_type, name).is_ok_and(|a| a.slow_keygen())
}
