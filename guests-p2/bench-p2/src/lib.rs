//! The component counterpart of `guests/bench-guest`: loops of WASI-crypto calls through the
//! component ABI, timed by `wasmcrypt-bench`. Each export returns its failure count.

wit_bindgen::generate!({
    inline: "
        package wasmcrypt:bench-guest;

        world bench {
            include wasmcrypt:crypto/imports@0.1.0;
            /// Seals `len` bytes with AES-128-GCM `iters` times, a new state each time.
            export seal-aes128gcm: func(iters: u32, len: u32) -> u32;
            /// Absorbs `len` bytes into one SHA-256 state `iters` times.
            export absorb-sha256: func(iters: u32, len: u32) -> u32;
        }
    ",
    path: "../../crates/wasmcrypt-wasmtime/wit",
    world: "wasmcrypt:bench-guest/bench",
    generate_all,
});

use wasi::crypto::wasi_ephemeral_crypto_common::{self as common, AlgorithmType};
use wasi::crypto::wasi_ephemeral_crypto_symmetric as sym;

struct Bench;

impl Guest for Bench {
    fn seal_aes128gcm(iters: u32, len: u32) -> u32 {
        let data = vec![7u8; len as usize];
        let key = sym::symmetric_key_import("AES-128-GCM", &[1; 16]).unwrap();
        let options = common::options_open(AlgorithmType::Symmetric).unwrap();
        common::options_set(&options, "nonce", &[2; 12]).unwrap();
        let mut failures = 0;
        for _ in 0..iters {
            let sealed = sym::symmetric_state_open("AES-128-GCM", Some(&key), Some(&options))
                .and_then(|state| sym::symmetric_state_encrypt(&state, &data));
            failures += u32::from(!matches!(sealed, Ok(s) if s.len() == data.len() + 16));
        }
        failures
    }

    fn absorb_sha256(iters: u32, len: u32) -> u32 {
        let data = vec![5u8; len as usize];
        let state = sym::symmetric_state_open("SHA-256", None, None).unwrap();
        (0..iters).map(|_| u32::from(sym::symmetric_state_absorb(&state, &data).is_err())).sum()
    }
}

export!(Bench);
