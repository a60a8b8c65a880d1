//! The fuzz targets of wasmcrypt, as plain functions over byte strings.
//!
//! `fuzz/` (cargo-fuzz, nightly) wraps each in a libFuzzer target, and `tests/replay.rs` runs
//! every file of the committed corpora (`fuzz/corpus/<target>/`) through them on stable, so
//! `cargo test --workspace` replays the corpus. Every target panics when an invariant breaks:
//!
//! - [`api_sequence`]: the core API ([`wasmcrypt::CryptoCtx`]) driven by call sequences;
//! - [`wasm_abi`]: the 78 wasm imports through the real linker, with arbitrary pointers and
//!   lengths;
//! - [`decoders`]: every decoder: keys in every encoding for every algorithm, signatures,
//!   symmetric keys, external-secret envelopes.
//!
//! The invariants: no panic; no `internal_error`; after every call,
//! `buffered_bytes() <= max_buffered_bytes()` and `open_handles()` within the cap; and (core
//! targets) once every handle is closed, nothing stays open or charged.

pub mod abi;
pub mod api;
pub mod decoders;
pub mod input;
pub mod seeds;

use std::sync::OnceLock;
use wasmcrypt::{CryptoCtx, CryptoError, Handle};

/// Runs one `api_sequence` input.
pub fn api_sequence(data: &[u8]) {
    api::run(data);
}

/// Runs one `wasm_abi` input.
pub fn wasm_abi(data: &[u8]) {
    abi::run(data);
}

/// Runs one `decoders` input.
pub fn decoders(data: &[u8]) {
    decoders::run(data);
}

/// A fuzz target: runs one input, panics on a violated invariant.
pub type Target = fn(&[u8]);

/// The targets by name, as `fuzz/fuzz_targets/` and `fuzz/corpus/` name them.
pub const TARGETS: [(&str, Target); 3] =
    [("api_sequence", api_sequence), ("wasm_abi", wasm_abi), ("decoders", decoders)];

/// Every algorithm name of every family, in [`wasmcrypt::supported_algorithms`] order.
pub fn algorithm_names() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        wasmcrypt::supported_algorithms()
            .into_iter()
            .flat_map(|(_, names)| names.into_iter().map(|(name, _)| name))
            .collect()
    })
}

/// The budget invariant of a context.
pub fn check_budget(ctx: &CryptoCtx, after: &str) {
    assert!(
        ctx.buffered_bytes() <= ctx.max_buffered_bytes(),
        "budget overrun after {after}: {} > {} bytes",
        ctx.buffered_bytes(),
        ctx.max_buffered_bytes()
    );
}

/// What a traced run called, in order: the function and its error (`None`: success).
pub type Trace = Vec<(String, Option<CryptoError>)>;

/// A context whose every call is checked.
pub struct Checked {
    /// The context.
    pub ctx: CryptoCtx,
    /// The calls made, if tracing.
    pub trace: Option<Trace>,
}

impl Checked {
    /// Wraps a context.
    pub fn new(ctx: CryptoCtx) -> Self {
        Self { ctx, trace: None }
    }

    /// Makes one call and checks the invariants after it: no `internal_error`, the budget.
    pub fn call<T>(&mut self, what: &str, f: impl FnOnce(&mut CryptoCtx) -> wasmcrypt::Result<T>) -> Option<T> {
        let r = f(&mut self.ctx);
        check_budget(&self.ctx, what);
        if let Some(trace) = &mut self.trace {
            trace.push((what.to_owned(), r.as_ref().err().copied()));
        }
        match r {
            Ok(v) => Some(v),
            Err(CryptoError::InternalError) => panic!("{what}: internal_error"),
            Err(_) => None,
        }
    }

    /// Closes every handle of `handles` (whatever its kind; array outputs are pulled to the
    /// end) and checks that nothing stays open or charged: the leak check.
    pub fn close_all(&mut self, handles: &[Handle]) {
        self.close_all_known(handles, true);
    }

    /// Closes every handle of `handles` like [`Checked::close_all`]; the leak check runs only
    /// if `complete` (the caller knows every handle it was given).
    pub fn close_all_known(&mut self, handles: &[Handle], complete: bool) {
        let mut unique = handles.to_vec();
        unique.sort_unstable();
        unique.dedup();
        let mut buf = vec![0u8; 4096];
        for h in unique {
            let x = &mut self.ctx;
            let closed = x.options_close(h).is_ok()
                || x.symmetric_key_close(h).is_ok()
                || x.symmetric_state_close(h).is_ok()
                || x.symmetric_tag_close(h).is_ok()
                || x.keypair_close(h).is_ok()
                || x.publickey_close(h).is_ok()
                || x.secretkey_close(h).is_ok()
                || x.signature_close(h).is_ok()
                || x.signature_state_close(h).is_ok()
                || x.signature_verification_state_close(h).is_ok()
                || x.secrets_manager_close(h).is_ok();
            if !closed {
                // An array output (closed once pulled to the end), or a handle closed earlier.
                while let Ok(n) = x.array_output_pull(h, &mut buf) {
                    if n == 0 {
                        break;
                    }
                }
            }
            check_budget(x, "close");
        }
        if complete {
            assert_eq!(self.ctx.open_handles(), 0, "handles left open after closing every handle returned");
            assert_eq!(self.ctx.buffered_bytes(), 0, "bytes still charged after closing every handle (leak)");
        }
    }
}
