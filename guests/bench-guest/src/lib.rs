//! Benchmark loops, exported to the host benchmark. Each export runs `iters` iterations of one
//! WASI-crypto operation through raw imports and returns the number of failed calls.

use std::sync::Mutex;

#[link(wasm_import_module = "wasi_ephemeral_crypto_common")]
unsafe extern "C" {
    fn options_open(alg_type: u32, out: u32) -> u32;
    fn options_set(h: u32, name: u32, name_len: u32, value: u32, value_len: u32) -> u32;
}

#[link(wasm_import_module = "wasi_ephemeral_crypto_symmetric")]
unsafe extern "C" {
    fn symmetric_key_import(alg: u32, alg_len: u32, raw: u32, raw_len: u32, out: u32) -> u32;
    fn symmetric_state_open(alg: u32, alg_len: u32, key: u32, options: u32, out: u32) -> u32;
    fn symmetric_state_close(s: u32) -> u32;
    fn symmetric_state_absorb(s: u32, data: u32, len: u32) -> u32;
    fn symmetric_state_encrypt_detached(s: u32, out: u32, out_len: u32, data: u32, data_len: u32, result: u32) -> u32;
    fn symmetric_tag_close(tag: u32) -> u32;
}

static BUFFERS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

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
