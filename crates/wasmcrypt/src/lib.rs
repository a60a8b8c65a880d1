//! wasmcrypt: the runtime-agnostic core of a WASI-crypto host.
//!
//! A [`CryptoCtx`] holds everything one guest instance owns: its handles, options, keys, states,
//! tags and array outputs. Every function of the WASI-crypto spec is a method on it that takes
//! plain Rust values (handles, strings, byte slices) and returns a [`Result`] whose error maps
//! 1:1 onto `crypto_errno`. Runtime glue such as `wasmcrypt-wasmtime` only translates guest
//! memory; no wasm runtime type appears here.
//!
//! ```
//! use wasmcrypt::{AlgorithmType, CryptoCtx, InOut};
//!
//! let mut ctx = CryptoCtx::new();
//! let key = ctx.symmetric_key_generate("AES-256-GCM", None)?;
//! let options = ctx.options_open(AlgorithmType::Symmetric)?;
//! ctx.options_set(options, "nonce", &[0u8; 12])?;
//! let state = ctx.symmetric_state_open("AES-256-GCM", Some(key), Some(options))?;
//! ctx.symmetric_state_absorb(state, b"associated data")?;
//! let mut ciphertext = [0u8; 4 + 16];
//! let len = ctx.symmetric_state_encrypt(state, InOut::separate(b"test", &mut ciphertext))?;
//! assert_eq!(len, 20);
//! # Ok::<(), wasmcrypt::CryptoError>(())
//! ```

mod array_output;
pub mod asymmetric;
mod budget;
mod ctx;
mod error;
mod handles;
mod options;
mod random;
pub mod secrets;
pub mod symmetric;
mod tier;

pub use asymmetric::{KeyPairEncoding, PublicKeyEncoding, SecretKeyEncoding, SignatureEncoding};
pub use budget::{Charge, DEFAULT_MAX_BUFFERED_BYTES, DEFAULT_MAX_INPUT_LEN, DEFAULT_MAX_PASSWORD_WORK};
pub use ctx::{CryptoCtx, CryptoCtxBuilder, DEFAULT_MAX_HANDLES, DEFAULT_NAMESPACE};
pub use error::{CryptoError, Result};
pub use handles::{Handle, MAX_HANDLES_LIMIT};
pub use options::{AlgorithmType, GuestBuffer, SymmetricOptions};
pub use symmetric::InOut;
pub use tier::Tier;

/// The algorithms this host supports, per family, by their spec names, with their tiers.
pub fn supported_algorithms() -> Vec<(&'static str, Vec<(&'static str, Tier)>)> {
    let asymmetric = |registry: &'static [asymmetric::Registered]| {
        registry.iter().map(|r| (r.algorithm().name(), r.algorithm().tier())).collect()
    };
    vec![
        ("symmetric", symmetric::SYMMETRIC_ALGORITHMS.iter().map(|a| (a.name(), a.tier())).collect()),
        ("signatures", asymmetric(asymmetric::SIGNATURE_ALGORITHMS)),
        ("key_exchange", asymmetric(asymmetric::KX_ALGORITHMS)),
    ]
}
