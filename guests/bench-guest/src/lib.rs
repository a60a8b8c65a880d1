//! Benchmark loops, exported to the host benchmark. Each export runs `iters` iterations of one
//! WASI-crypto operation through raw imports and returns the number of failed calls.

use std::sync::Mutex;

#[link(wasm_import_module = "wasi_ephemeral_crypto_common")]
unsafe extern "C" {
    fn options_open(alg_type: u32, out: u32) -> u32;
    fn options_close(h: u32) -> u32;
    fn options_set(h: u32, name: u32, name_len: u32, value: u32, value_len: u32) -> u32;
    fn options_set_u64(h: u32, name: u32, name_len: u32, value: u64) -> u32;
    fn options_set_guest_buffer(h: u32, name: u32, name_len: u32, buf: u32, buf_len: u32) -> u32;
}

#[link(wasm_import_module = "wasi_ephemeral_crypto_common")]
unsafe extern "C" {
    fn array_output_len(h: u32, out: u32) -> u32;
    fn array_output_pull(h: u32, buf: u32, buf_len: u32, out: u32) -> u32;
}

#[link(wasm_import_module = "wasi_ephemeral_crypto_asymmetric_common")]
unsafe extern "C" {
    fn keypair_generate(alg_type: u32, alg: u32, alg_len: u32, options: u32, out: u32) -> u32;
    fn keypair_publickey(kp: u32, out: u32) -> u32;
    fn keypair_secretkey(kp: u32, out: u32) -> u32;
}

#[link(wasm_import_module = "wasi_ephemeral_crypto_signatures")]
unsafe extern "C" {
    fn signature_state_open(kp: u32, out: u32) -> u32;
    fn signature_state_update(state: u32, data: u32, len: u32) -> u32;
    fn signature_state_sign(state: u32, out: u32) -> u32;
    fn signature_state_close(state: u32) -> u32;
    fn signature_verification_state_open(pk: u32, out: u32) -> u32;
    fn signature_verification_state_update(state: u32, data: u32, len: u32) -> u32;
    fn signature_verification_state_verify(state: u32, sig: u32) -> u32;
    fn signature_verification_state_close(state: u32) -> u32;
    fn signature_close(sig: u32) -> u32;
}

#[link(wasm_import_module = "wasi_ephemeral_crypto_kx")]
unsafe extern "C" {
    fn kx_dh(pk: u32, sk: u32, out: u32) -> u32;
    fn kx_encapsulate(pk: u32, out_secret: u32, out_ciphertext: u32) -> u32;
    fn kx_decapsulate(sk: u32, ct: u32, ct_len: u32, out: u32) -> u32;
}

#[link(wasm_import_module = "wasi_ephemeral_crypto_symmetric")]
unsafe extern "C" {
    fn symmetric_key_import(alg: u32, alg_len: u32, raw: u32, raw_len: u32, out: u32) -> u32;
    fn symmetric_state_open(alg: u32, alg_len: u32, key: u32, options: u32, out: u32) -> u32;
    fn symmetric_state_close(s: u32) -> u32;
    fn symmetric_state_absorb(s: u32, data: u32, len: u32) -> u32;
    fn symmetric_state_squeeze(s: u32, out: u32, len: u32) -> u32;
    fn symmetric_state_encrypt_detached(s: u32, out: u32, out_len: u32, data: u32, data_len: u32, result: u32) -> u32;
    fn symmetric_state_encrypt(s: u32, out: u32, out_len: u32, data: u32, data_len: u32, result: u32) -> u32;
    fn symmetric_state_squeeze_tag(s: u32, out: u32) -> u32;
    fn symmetric_tag_close(tag: u32) -> u32;
}

static BUFFERS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// Where the host writes the algorithm name for [`seal_named`] and [`hash_named`].
static NAME: Mutex<[u8; 64]> = Mutex::new([0; 64]);

/// The address of the 64-byte buffer that holds the algorithm name of the `*_named` loops.
#[unsafe(no_mangle)]
pub extern "C" fn name_buffer() -> u32 {
    NAME.lock().unwrap().as_ptr() as u32
}

/// The first `len` bytes of the name buffer, as the host wrote them.
fn name(len: u32) -> String {
    String::from_utf8_lossy(&NAME.lock().unwrap()[..len as usize]).into_owned()
}

/// Imports a key of `key_len` bytes (0x01) for `alg`, or none if `key_len` is 0.
fn key_option(alg: &str, key_len: u32) -> [u8; 8] {
    if key_len == 0 {
        return [1, 0, 0, 0, 0, 0, 0, 0];
    }
    let key = vec![1u8; key_len as usize];
    let mut k = 0u32;
    unsafe {
        symmetric_key_import(
            alg.as_ptr() as u32,
            alg.len() as u32,
            key.as_ptr() as u32,
            key_len,
            &mut k as *mut u32 as u32,
        );
    }
    some(k)
}

/// Encrypts `len` bytes in place `iters` times with the cipher named in the name buffer (its
/// first `name_len` bytes), each time with a new state: a `key_len`-byte key, a `nonce_len`-byte
/// nonce (none if 0: the host draws one). With `detached` non-zero, `encrypt_detached` (AEADs);
/// else `encrypt` with an output `extra` bytes longer than the input (0 for CTR, 16 for CBC's
/// padding).
#[unsafe(no_mangle)]
pub extern "C" fn seal_named(
    name_len: u32,
    key_len: u32,
    nonce_len: u32,
    detached: u32,
    extra: u32,
    iters: u32,
    len: u32,
) -> u32 {
    let alg = name(name_len);
    let len = len as usize;
    let mut buffers = BUFFERS.lock().unwrap();
    buffers.resize(len + extra as usize, 7);
    let buf = buffers.as_mut_ptr() as u32;
    let nonce = vec![2u8; nonce_len as usize];
    let mut failures = 0;
    unsafe {
        let key = key_option(&alg, key_len);
        let mut options = [1u8, 0, 0, 0, 0, 0, 0, 0];
        if nonce_len > 0 {
            let mut o = 0u32;
            options_open(1, &mut o as *mut u32 as u32);
            options_set(o, "nonce".as_ptr() as u32, 5, nonce.as_ptr() as u32, nonce_len);
            options = some(o);
        }
        for _ in 0..iters {
            let (mut s, mut result) = (0u32, 0u32);
            failures += (symmetric_state_open(
                alg.as_ptr() as u32,
                alg.len() as u32,
                key.as_ptr() as u32,
                options.as_ptr() as u32,
                &mut s as *mut u32 as u32,
            ) != 0) as u32;
            let rc = if detached != 0 {
                symmetric_state_encrypt_detached(s, buf, len as u32, buf, len as u32, &mut result as *mut u32 as u32)
            } else {
                symmetric_state_encrypt(s, buf, len as u32 + extra, buf, len as u32, &mut result as *mut u32 as u32)
            };
            failures += (rc != 0) as u32;
            if detached != 0 {
                symmetric_tag_close(result);
            }
            symmetric_state_close(s);
        }
    }
    failures
}

/// Hashes `len` bytes `iters` times with the algorithm named in the name buffer, each time with a
/// new state (keyed with a `key_len`-byte key unless 0): absorb, then a 32-byte squeeze, or a
/// tag if `tag` is non-zero.
#[unsafe(no_mangle)]
pub extern "C" fn hash_named(name_len: u32, key_len: u32, tag: u32, iters: u32, len: u32) -> u32 {
    let alg = name(name_len);
    let data = vec![5u8; len as usize];
    let none = [1u8, 0, 0, 0, 0, 0, 0, 0];
    let mut out = [0u8; 32];
    let mut failures = 0;
    unsafe {
        let key = key_option(&alg, key_len);
        for _ in 0..iters {
            let mut s = 0u32;
            failures += (symmetric_state_open(
                alg.as_ptr() as u32,
                alg.len() as u32,
                key.as_ptr() as u32,
                none.as_ptr() as u32,
                &mut s as *mut u32 as u32,
            ) != 0) as u32;
            failures += (symmetric_state_absorb(s, data.as_ptr() as u32, len) != 0) as u32;
            if tag != 0 {
                let mut t = 0u32;
                failures += (symmetric_state_squeeze_tag(s, &mut t as *mut u32 as u32) != 0) as u32;
                symmetric_tag_close(t);
            } else {
                failures += (symmetric_state_squeeze(s, out.as_mut_ptr() as u32, 32) != 0) as u32;
            }
            symmetric_state_close(s);
        }
    }
    failures
}

fn some(h: u32) -> [u8; 8] {
    let mut s = [0u8; 8];
    s[4..].copy_from_slice(&h.to_le_bytes());
    s
}

/// Seals `len` bytes with AES-128-GCM `iters` times, each with a new state (as a guest sealing
/// messages does). In place if `in_place` is non-zero, else into a separate output buffer.
#[unsafe(no_mangle)]
pub extern "C" fn seal_aes128gcm(iters: u32, len: u32, in_place: u32) -> u32 {
    let len = len as usize;
    let mut buffers = BUFFERS.lock().unwrap();
    buffers.resize(2 * len, 7);
    let (input, output) = buffers.split_at_mut(len);
    let (alg, key, nonce) = ("AES-128-GCM", [1u8; 16], [2u8; 12]);
    let mut failures = 0;
    unsafe {
        let mut k = 0u32;
        symmetric_key_import(alg.as_ptr() as u32, alg.len() as u32, key.as_ptr() as u32, 16, &mut k as *mut u32 as u32);
        let mut o = 0u32;
        options_open(1, &mut o as *mut u32 as u32);
        options_set(o, "nonce".as_ptr() as u32, 5, nonce.as_ptr() as u32, 12);
        let (key, options) = (some(k), some(o));
        let out = if in_place != 0 { input.as_mut_ptr() } else { output.as_mut_ptr() } as u32;
        for _ in 0..iters {
            let (mut s, mut tag) = (0u32, 0u32);
            failures += (symmetric_state_open(
                alg.as_ptr() as u32,
                alg.len() as u32,
                key.as_ptr() as u32,
                options.as_ptr() as u32,
                &mut s as *mut u32 as u32,
            ) != 0) as u32;
            failures += (symmetric_state_encrypt_detached(
                s,
                out,
                len as u32,
                input.as_ptr() as u32,
                len as u32,
                &mut tag as *mut u32 as u32,
            ) != 0) as u32;
            symmetric_tag_close(tag);
            symmetric_state_close(s);
        }
    }
    failures
}

/// Absorbs `len` bytes into one SHA-256 state `iters` times.
#[unsafe(no_mangle)]
pub extern "C" fn absorb_sha256(iters: u32, len: u32) -> u32 {
    let data = vec![5u8; len as usize];
    let alg = "SHA-256";
    let none = [1u8, 0, 0, 0, 0, 0, 0, 0];
    let mut failures = 0;
    unsafe {
        let mut s = 0u32;
        symmetric_state_open(
            alg.as_ptr() as u32,
            alg.len() as u32,
            none.as_ptr() as u32,
            none.as_ptr() as u32,
            &mut s as *mut u32 as u32,
        );
        for _ in 0..iters {
            failures += (symmetric_state_absorb(s, data.as_ptr() as u32, len) != 0) as u32;
        }
        symmetric_state_close(s);
    }
    failures
}

const SIGNATURES: u32 = 0;
const KEY_EXCHANGE: u32 = 2;
const NONE: [u8; 8] = [1, 0, 0, 0, 0, 0, 0, 0];
const MESSAGE: [u8; 64] = [9u8; 64];

fn out(v: &mut u32) -> u32 {
    v as *mut u32 as u32
}

fn check(rc: u32) -> u32 {
    (rc != 0) as u32
}

fn generate(alg_type: u32, alg: &str) -> u32 {
    let mut kp = 0;
    unsafe { keypair_generate(alg_type, alg.as_ptr() as u32, alg.len() as u32, NONE.as_ptr() as u32, out(&mut kp)) };
    kp
}

/// Pulls an array output into `buf` (closing it) and returns the number of failed calls.
fn pull(h: u32, buf: &mut [u8]) -> u32 {
    let mut n = 0;
    unsafe { check(array_output_pull(h, buf.as_mut_ptr() as u32, buf.len() as u32, out(&mut n))) }
}

/// The signature algorithm with index `alg`: 0 = Ed25519, 1 = ECDSA P-256, 2 = ECDSA P-384,
/// 3 = Ed448, 4 = ML-DSA-65.
fn signature_alg(alg: u32) -> &'static str {
    ["Ed25519", "ECDSA_P256_SHA256", "ECDSA_P384_SHA384", "Ed448", "ML-DSA-65"][alg as usize]
}

/// Signs a 64-byte message `iters` times: open a state, update, sign, close.
#[unsafe(no_mangle)]
pub extern "C" fn sign(alg: u32, iters: u32) -> u32 {
    let kp = generate(SIGNATURES, signature_alg(alg));
    let mut failures = 0;
    for _ in 0..iters {
        let (mut state, mut sig) = (0, 0);
        unsafe {
            failures += check(signature_state_open(kp, out(&mut state)));
            failures += check(signature_state_update(state, MESSAGE.as_ptr() as u32, 64));
            failures += check(signature_state_sign(state, out(&mut sig)));
            signature_close(sig);
            signature_state_close(state);
        }
    }
    failures
}

/// Verifies a signature of a 64-byte message `iters` times: open a state, update, verify, close.
#[unsafe(no_mangle)]
pub extern "C" fn verify(alg: u32, iters: u32) -> u32 {
    let kp = generate(SIGNATURES, signature_alg(alg));
    let (mut state, mut sig, mut pk) = (0, 0, 0);
    unsafe {
        signature_state_open(kp, out(&mut state));
        signature_state_update(state, MESSAGE.as_ptr() as u32, 64);
        signature_state_sign(state, out(&mut sig));
        keypair_publickey(kp, out(&mut pk));
    }
    let mut failures = 0;
    for _ in 0..iters {
        let mut v = 0;
        unsafe {
            failures += check(signature_verification_state_open(pk, out(&mut v)));
            failures += check(signature_verification_state_update(v, MESSAGE.as_ptr() as u32, 64));
            failures += check(signature_verification_state_verify(v, sig));
            signature_verification_state_close(v);
        }
    }
    failures
}

/// X25519 with a static key pair `iters` times; the 32-byte secret is pulled each time.
#[unsafe(no_mangle)]
pub extern "C" fn x25519(iters: u32) -> u32 {
    dh::<32>("X25519", iters)
}

/// X448 with a static key pair `iters` times; the 56-byte secret is pulled each time.
#[unsafe(no_mangle)]
pub extern "C" fn x448(iters: u32) -> u32 {
    dh::<56>("X448", iters)
}

/// A DH with a static key pair of `alg` `iters` times, the `N`-byte secret pulled each time.
fn dh<const N: usize>(alg: &str, iters: u32) -> u32 {
    let (a, b) = (generate(KEY_EXCHANGE, alg), generate(KEY_EXCHANGE, alg));
    let (mut pk, mut sk) = (0, 0);
    unsafe {
        keypair_publickey(a, out(&mut pk));
        keypair_secretkey(b, out(&mut sk));
    }
    let mut secret = [0u8; N];
    let mut failures = 0;
    for _ in 0..iters {
        let mut h = 0;
        failures += unsafe { check(kx_dh(pk, sk, out(&mut h))) };
        failures += pull(h, &mut secret);
    }
    failures
}

/// ML-KEM-768: `iters` encapsulations (`decapsulate` = 0) or decapsulations (1), outputs pulled.
#[unsafe(no_mangle)]
pub extern "C" fn mlkem768(decapsulate: u32, iters: u32) -> u32 {
    let kp = generate(KEY_EXCHANGE, "ML-KEM-768");
    let (mut pk, mut sk) = (0, 0);
    unsafe {
        keypair_publickey(kp, out(&mut pk));
        keypair_secretkey(kp, out(&mut sk));
    }
    let (mut secret, mut ct) = ([0u8; 32], [0u8; 1088]);
    let mut failures = 0;
    let (mut s, mut c) = (0, 0);
    unsafe { kx_encapsulate(pk, out(&mut s), out(&mut c)) };
    let mut len = 0;
    unsafe { array_output_len(c, out(&mut len)) };
    failures += (len != 1088) as u32;
    failures += pull(s, &mut secret) + pull(c, &mut ct);
    for _ in 0..iters {
        if decapsulate == 0 {
            unsafe { failures += check(kx_encapsulate(pk, out(&mut s), out(&mut c))) };
            failures += pull(s, &mut secret) + pull(c, &mut ct);
        } else {
            unsafe { failures += check(kx_decapsulate(sk, ct.as_ptr() as u32, 1088, out(&mut s))) };
            failures += pull(s, &mut secret);
        }
    }
    failures
}

/// The scratch memory lent to the password hashes, allocated once.
static SCRATCH: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// The parameters of the password-hash rows (the host bench uses the same ones natively).
const PASSWORD_HASHES: [(&str, usize, u64); 2] = [
    // Argon2id, m = 64 MiB, t = 3, p = 1.
    ("ARGON2-ID-13", 64 << 20, 3),
    // scrypt, N = 2^15 (r = 8: 32 MiB), p = 1.
    ("SCRYPT", 32 << 20, 15),
];

/// Derives a 32-byte key from a password `iters` times with password hash `alg` (an index into
/// [`PASSWORD_HASHES`]), as the spec's example does: guest buffer `memory`, `opslimit`,
/// `parallelism` 1, and a fixed 16-byte salt.
#[unsafe(no_mangle)]
pub extern "C" fn password_hash(alg: u32, iters: u32) -> u32 {
    let (name, memory_len, opslimit) = PASSWORD_HASHES[alg as usize];
    let mut scratch = SCRATCH.lock().unwrap();
    scratch.resize(memory_len, 0);
    let (salt, password, mut key) = ([3u8; 16], b"correct horse battery staple", [0u8; 32]);
    let mut failures = 0;
    for _ in 0..iters {
        let mut o = 0u32;
        let mut s = 0u32;
        unsafe {
            failures += check(options_open(1, out(&mut o)));
            failures += check(options_set_guest_buffer(
                o,
                "memory".as_ptr() as u32,
                6,
                scratch.as_mut_ptr() as u32,
                memory_len as u32,
            ));
            failures += check(options_set_u64(o, "opslimit".as_ptr() as u32, 8, opslimit));
            failures += check(options_set_u64(o, "parallelism".as_ptr() as u32, 11, 1));
            failures += check(options_set(o, "salt".as_ptr() as u32, 4, salt.as_ptr() as u32, 16));
            let options = some(o);
            failures += check(symmetric_state_open(
                name.as_ptr() as u32,
                name.len() as u32,
                NONE.as_ptr() as u32,
                options.as_ptr() as u32,
                out(&mut s),
            ));
            failures += check(symmetric_state_absorb(s, password.as_ptr() as u32, password.len() as u32));
            failures += check(symmetric_state_squeeze(s, key.as_mut_ptr() as u32, 32));
            failures += check(symmetric_state_close(s));
            failures += check(options_close(o));
        }
    }
    std::hint::black_box(key);
    failures
}
