//! `decoders`: every decoder, with the round trips that must hold for what it accepts.
//!
//! Input: a mode byte ([`mode`]), an algorithm byte (an index into the registry of the mode's
//! family), an encoding byte (the raw ABI value), a PEM byte (below [`PEM_LABELS`]`.len()`:
//! wrap the payload in PEM with that label), then the payload (the rest of the input).
//!
//! For every key or signature a decoder accepts, each encoding it can be exported in must
//! import again and export to the same bytes; a symmetric key exports to the bytes imported; an
//! envelope opens to the secret sealed in it and does not open once modified.

use crate::input::Input;
use crate::{Checked, Trace};
use std::sync::Arc;
use wasmcrypt::asymmetric::algorithms;
use wasmcrypt::secrets::MemoryStore;
use wasmcrypt::symmetric::SYMMETRIC_ALGORITHMS;
use wasmcrypt::{
    AlgorithmType, CryptoCtx, Handle, KeyPairEncoding, PublicKeyEncoding, SecretKeyEncoding, SignatureEncoding,
};

/// The modes of the `decoders` target (taken modulo [`mode::COUNT`]).
pub mod mode {
    /// `keypair_import`.
    pub const KEYPAIR: u8 = 0;
    /// `publickey_import`.
    pub const PUBLICKEY: u8 = 1;
    /// `secretkey_import`.
    pub const SECRETKEY: u8 = 2;
    /// `signature_import`.
    pub const SIGNATURE: u8 = 3;
    /// `symmetric_key_import`.
    pub const SYMMETRIC_KEY: u8 = 4;
    /// `external_secret_decapsulate` of the payload.
    pub const ENVELOPE: u8 = 5;
    /// An envelope of the payload's secret, with bit flips: the payload is an expiration
    /// selector byte, a flip count byte, (u16 position, xor byte) per flip, then the secret.
    pub const ENVELOPE_TAMPER: u8 = 6;
    /// The number of modes.
    pub const COUNT: u8 = 7;
}

/// The PEM labels the PEM byte selects from.
pub const PEM_LABELS: [&str; 5] = ["PUBLIC KEY", "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "RSA PUBLIC KEY"];

/// The budget of the context the decoders run in.
pub const BUDGET: usize = 1 << 20;

/// Every asymmetric algorithm, by name, with its type: signatures first, then key exchange.
pub fn asymmetric_algorithms() -> Vec<(AlgorithmType, &'static str)> {
    algorithms().map(|alg| (alg.algorithm_type(), alg.name())).collect()
}

/// Runs one `decoders` input. Panics on a violated invariant.
pub fn run(data: &[u8]) {
    run_traced(data, false);
}

/// Runs one `decoders` input and returns the calls it made: the decoder's first.
pub fn trace(data: &[u8]) -> Trace {
    run_traced(data, true)
}

fn run_traced(data: &[u8], traced: bool) -> Trace {
    let mut input = Input::new(data);
    let (mode, alg, encoding, pem) = (input.u8() % mode::COUNT, input.u8(), input.u8(), input.u8());
    let mut payload = input.take(usize::MAX).to_vec();
    if let Some(label) = PEM_LABELS.get(usize::from(pem)) {
        payload = pem_wrap(label, &payload);
    }
    let store = Arc::new(MemoryStore::new().expect("memory store"));
    let mut c = Checked::new(CryptoCtx::builder().max_buffered_bytes(BUDGET).key_store(store).build());
    if traced {
        c.trace = Some(Vec::new());
    }
    let mut handles = Vec::new();
    let asym = asymmetric_algorithms();
    let (alg_type, name) = asym[usize::from(alg) % asym.len()];
    let raw = u32::from(encoding);
    match mode {
        mode::KEYPAIR => {
            let Ok(e) = KeyPairEncoding::from_raw(raw) else { return Trace::new() };
            if let Some(kp) = c.call("keypair_import", |x| x.keypair_import(alg_type, name, &payload, e)) {
                handles.push(kp);
                for e in [KeyPairEncoding::Raw, KeyPairEncoding::Pkcs8, KeyPairEncoding::Pem] {
                    round_trip(
                        &mut c,
                        &mut handles,
                        kp,
                        &format!("{name} key pair as {e:?}"),
                        |x, h| x.keypair_export(h, e),
                        |x, b| x.keypair_import(alg_type, name, b, e),
                    );
                }
            }
        }
        mode::PUBLICKEY => {
            let Ok(e) = PublicKeyEncoding::from_raw(raw) else { return Trace::new() };
            if let Some(pk) = c.call("publickey_import", |x| x.publickey_import(alg_type, name, &payload, e)) {
                handles.push(pk);
                c.call("publickey_verify", |x| x.publickey_verify(pk));
                for e in
                    [PublicKeyEncoding::Raw, PublicKeyEncoding::Pkcs8, PublicKeyEncoding::Pem, PublicKeyEncoding::Sec]
                {
                    round_trip(
                        &mut c,
                        &mut handles,
                        pk,
                        &format!("{name} public key as {e:?}"),
                        |x, h| x.publickey_export(h, e),
                        |x, b| x.publickey_import(alg_type, name, b, e),
                    );
                }
            }
        }
        mode::SECRETKEY => {
            let Ok(e) = SecretKeyEncoding::from_raw(raw) else { return Trace::new() };
            if let Some(sk) = c.call("secretkey_import", |x| x.secretkey_import(alg_type, name, &payload, e)) {
                handles.push(sk);
                if let Some(pk) = c.call("publickey_from_secretkey", |x| x.publickey_from_secretkey(sk)) {
                    handles.push(pk);
                }
                for e in
                    [SecretKeyEncoding::Raw, SecretKeyEncoding::Pkcs8, SecretKeyEncoding::Pem, SecretKeyEncoding::Sec]
                {
                    round_trip(
                        &mut c,
                        &mut handles,
                        sk,
                        &format!("{name} secret key as {e:?}"),
                        |x, h| x.secretkey_export(h, e),
                        |x, b| x.secretkey_import(alg_type, name, b, e),
                    );
                }
            }
        }
        mode::SIGNATURE => {
            let Ok(e) = SignatureEncoding::from_raw(raw) else { return Trace::new() };
            if let Some(sig) = c.call("signature_import", |x| x.signature_import(name, &payload, e)) {
                handles.push(sig);
                for e in [SignatureEncoding::Raw, SignatureEncoding::Der] {
                    round_trip(
                        &mut c,
                        &mut handles,
                        sig,
                        &format!("{name} signature as {e:?}"),
                        |x, h| x.signature_export(h, e),
                        |x, b| x.signature_import(name, b, e),
                    );
                }
            }
        }
        mode::SYMMETRIC_KEY => {
            let name = SYMMETRIC_ALGORITHMS[usize::from(alg) % SYMMETRIC_ALGORITHMS.len()].name();
            if let Some(k) = c.call("symmetric_key_import", |x| x.symmetric_key_import(name, &payload)) {
                handles.push(k);
                if let Some(out) = c.call("symmetric_key_export", |x| x.symmetric_key_export(k)) {
                    handles.push(out);
                    assert_eq!(pull(&mut c, out), payload, "{name}: the exported key differs from the imported one");
                }
            }
        }
        mode::ENVELOPE => {
            if let Some(sm) = c.call("secrets_manager_open", |x| x.secrets_manager_open(None)) {
                handles.push(sm);
                let h = c.call("external_secret_decapsulate", |x| x.external_secret_decapsulate(sm, &payload));
                assert!(h.is_none(), "an envelope nobody sealed opened");
            }
        }
        mode::ENVELOPE_TAMPER => envelope_tamper(&mut c, &mut handles, &payload),
        _ => unreachable!("mode {mode} >= {}", mode::COUNT),
    }
    let trace = c.trace.take().unwrap_or_default();
    c.close_all(&handles);
    trace
}

/// Pulls an array output to the end.
fn pull(c: &mut Checked, h: Handle) -> Vec<u8> {
    let len = c.call("array_output_len", |x| x.array_output_len(h)).expect("array output");
    let mut out = vec![0u8; len];
    let n = c.call("array_output_pull", |x| x.array_output_pull(h, &mut out)).expect("array output");
    assert_eq!(n, len, "array_output_pull of a {len}-byte output");
    out
}

/// Exports `h`; if that succeeds, the export must import again and export to the same bytes.
fn round_trip(
    c: &mut Checked,
    handles: &mut Vec<Handle>,
    h: Handle,
    what: &str,
    export: impl Fn(&mut CryptoCtx, Handle) -> wasmcrypt::Result<Handle>,
    import: impl Fn(&mut CryptoCtx, &[u8]) -> wasmcrypt::Result<Handle>,
) {
    let Some(out) = c.call("export", |x| export(x, h)) else { return };
    handles.push(out);
    let first = pull(c, out);
    let again =
        c.call("import", |x| import(x, &first)).unwrap_or_else(|| panic!("{what}: its own export does not import"));
    handles.push(again);
    let out = c
        .call("export", |x| export(x, again))
        .unwrap_or_else(|| panic!("{what}: a re-imported export does not export"));
    handles.push(out);
    assert_eq!(pull(c, out), first, "{what}: export, import, export changes the bytes");
}

/// Seals the secret of the payload, applies the payload's bit flips, and checks that the
/// envelope opens to the secret if and only if it was not changed.
fn envelope_tamper(c: &mut Checked, handles: &mut Vec<Handle>, payload: &[u8]) {
    let mut input = Input::new(payload);
    let expired = input.u8() & 1 == 1;
    let flips: Vec<(u16, u8)> = (0..input.u8() % 8).map(|_| (input.u16(), input.u8())).collect();
    let secret = input.take(usize::MAX);
    let expiration = if expired { 1 } else { 4_000_000_000 };
    let Some(sm) = c.call("secrets_manager_open", |x| x.secrets_manager_open(None)) else { return };
    handles.push(sm);
    let Some(env) = c.call("external_secret_encapsulate", |x| x.external_secret_encapsulate(sm, secret, expiration))
    else {
        return;
    };
    handles.push(env);
    let sealed = pull(c, env);
    let mut envelope = sealed.clone();
    for (pos, xor) in flips {
        let i = usize::from(pos) % envelope.len();
        envelope[i] ^= xor;
    }
    let opened = c.call("external_secret_decapsulate", |x| x.external_secret_decapsulate(sm, &envelope));
    if let Some(h) = opened {
        handles.push(h);
        assert_eq!(envelope, sealed, "a modified envelope opened");
        assert!(!expired, "an expired envelope opened");
        assert_eq!(pull(c, h), secret, "the envelope opened to another secret");
    } else {
        assert!(envelope != sealed || expired, "an unmodified envelope did not open");
    }
}

/// `data` in PEM with `label` (base64, 64-character lines).
pub fn pem_wrap(label: &str, data: &[u8]) -> Vec<u8> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = Vec::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let v = chunk.iter().enumerate().fold(0u32, |v, (i, &b)| v | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            b64.push(if i <= chunk.len() { ALPHABET[(v >> (18 - 6 * i) & 63) as usize] } else { b'=' });
        }
    }
    let mut out = format!("-----BEGIN {label}-----\n").into_bytes();
    for line in b64.chunks(64) {
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    out.extend_from_slice(format!("-----END {label}-----\n").as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_wrap_is_rfc7468() {
        assert_eq!(pem_wrap("X", b"foobar"), b"-----BEGIN X-----\nZm9vYmFy\n-----END X-----\n");
        assert_eq!(pem_wrap("X", b"fo"), b"-----BEGIN X-----\nZm8=\n-----END X-----\n");
        assert_eq!(pem_wrap("X", b"f"), b"-----BEGIN X-----\nZg==\n-----END X-----\n");
    }
}
