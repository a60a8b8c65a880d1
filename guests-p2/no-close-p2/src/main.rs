//! A wasip2 command component built against the upstream WIT as it is after the `*-close`
//! functions were removed (`../wit`): it releases everything by dropping. `no-close-p2 N`
//! opens and drops N rounds of resources (run it with a small `--max-handles` to show that
//! drops free host handles), then prints `rounds=N` and the SHA-256 of "abc".

wit_bindgen::generate!({
    path: "wit",
    world: "wasi:crypto/imports",
    generate_all,
});

use wasi::crypto::wasi_ephemeral_crypto_asymmetric_common as asym;
use wasi::crypto::wasi_ephemeral_crypto_common::{self as common, AlgorithmType};
use wasi::crypto::wasi_ephemeral_crypto_signatures as sig;
use wasi::crypto::wasi_ephemeral_crypto_symmetric as sym;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn main() {
    let rounds: u32 = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let kp = asym::keypair_generate(AlgorithmType::Signatures, "Ed25519", None).unwrap();
    for i in 0..rounds {
        let options = common::options_open(AlgorithmType::Symmetric).unwrap();
        common::options_set(&options, "nonce", &[i as u8; 12]).unwrap();
        let key = sym::symmetric_key_generate("AES-256-GCM", None).unwrap();
        let state = sym::symmetric_state_open("AES-256-GCM", Some(&key), Some(&options)).unwrap();
        let (_ciphertext, tag) = sym::symmetric_state_encrypt_detached(&state, b"data").unwrap();
        let _unread = sym::symmetric_key_export(&key).unwrap();
        let signing = sig::signature_state_open(&kp).unwrap();
        let signature = sig::signature_state_sign(&signing).unwrap();
        let _encoded = sig::signature_export(&signature, common::SignatureEncoding::Raw).unwrap();
        drop(tag);
    }
    let state = sym::symmetric_state_open("SHA-256", None, None).unwrap();
    sym::symmetric_state_absorb(&state, b"abc").unwrap();
    println!("rounds={rounds}");
    println!("sha256={}", hex(&sym::symmetric_state_squeeze(&state).unwrap()));
}
