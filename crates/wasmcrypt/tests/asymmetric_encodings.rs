//! Round trips of every key and signature encoding of every asymmetric algorithm, through the
//! public `CryptoCtx` API, plus sign/verify, DH and KEM round trips with the imported keys.

use wasmcrypt::{
    AlgorithmType, CryptoCtx, CryptoError, Handle, KeyPairEncoding, PublicKeyEncoding, SecretKeyEncoding,
    SignatureEncoding,
};

const SIG: AlgorithmType = AlgorithmType::Signatures;
const KX: AlgorithmType = AlgorithmType::KeyExchange;

fn pull(ctx: &mut CryptoCtx, h: Handle) -> Vec<u8> {
    let mut out = vec![0u8; ctx.array_output_len(h).unwrap()];
    assert_eq!(ctx.array_output_pull(h, &mut out), Ok(out.len()));
    out
}

/// (algorithm type, name, key pair encodings, public key encodings, secret key encodings).
struct Case {
    alg_type: AlgorithmType,
    name: &'static str,
    kp: &'static [KeyPairEncoding],
    pk: &'static [PublicKeyEncoding],
    sk: &'static [SecretKeyEncoding],
}

use KeyPairEncoding as K;
use PublicKeyEncoding as P;
use SecretKeyEncoding as S;

const EC_KP: &[K] = &[K::Raw, K::Pkcs8, K::Pem];
const EC_PK: &[P] = &[P::Raw, P::Sec, P::Pkcs8, P::Pem];
const EC_SK: &[S] = &[S::Raw, S::Sec, S::Pkcs8, S::Pem];
const OKP_PK: &[P] = &[P::Raw, P::Pkcs8, P::Pem];
const OKP_SK: &[S] = &[S::Raw, S::Pkcs8, S::Pem];
const RSA_KP: &[K] = &[K::Pkcs8, K::Pem];
const RSA_PK: &[P] = &[P::Pkcs8, P::Pem];
const RSA_SK: &[S] = &[S::Pkcs8, S::Pem];

/// The encodings of an algorithm, by family: RSA has no `raw` form, the short-Weierstrass
/// curves add `sec`, every other algorithm has `raw`, `pkcs8` and `pem`.
fn case(alg: wasmcrypt::asymmetric::AsymmetricAlgorithm) -> Case {
    let name = alg.name();
    let (kp, pk, sk) = if name.starts_with("RSA_") {
        (RSA_KP, RSA_PK, RSA_SK)
    } else if name.starts_with("ECDSA_") || name.starts_with("P256-") || name.starts_with("P384-") {
        (EC_KP, EC_PK, EC_SK)
    } else {
        (EC_KP, OKP_PK, OKP_SK)
    };
    Case { alg_type: alg.algorithm_type(), name, kp, pk, sk }
}

/// Every algorithm of the registry, RSA key generation (up to seconds) once per padding only;
/// the other RSA schemes are in [`every_rsa_size_signs_and_verifies`].
fn cases() -> Vec<Case> {
    wasmcrypt::asymmetric::algorithms()
        .filter(|a| !a.slow_keygen() || a.name().ends_with("_2048_SHA256"))
        .map(case)
        .collect()
}

const ALL_KP: &[K] = &[K::Raw, K::Pkcs8, K::Pem, K::Local];
const ALL_PK: &[P] = &[P::Raw, P::Pkcs8, P::Pem, P::Sec, P::Local];
const ALL_SK: &[S] = &[S::Raw, S::Pkcs8, S::Pem, S::Sec, S::Local];

/// Exports every encoding, re-imports the supported ones and checks that they export the same
/// bytes again; unsupported ones give `unsupported_encoding` both ways.
fn round_trip_keys(ctx: &mut CryptoCtx, c: &Case, kp: Handle) {
    for &enc in ALL_KP {
        match ctx.keypair_export(kp, enc) {
            Ok(h) => {
                assert!(c.kp.contains(&enc), "{} kp {enc:?} should be unsupported", c.name);
                let bytes = pull(ctx, h);
                let kp2 = ctx
                    .keypair_import(c.alg_type, c.name, &bytes, enc)
                    .unwrap_or_else(|e| panic!("{} kp {enc:?}: {e}", c.name));
                let again = ctx.keypair_export(kp2, enc).unwrap();
                assert_eq!(pull(ctx, again), bytes, "{} kp {enc:?}", c.name);
                ctx.keypair_close(kp2).unwrap();
            }
            Err(e) => {
                assert!(!c.kp.contains(&enc), "{} kp {enc:?}: {e}", c.name);
                assert_eq!(e, CryptoError::UnsupportedEncoding, "{} kp {enc:?}", c.name);
                assert_eq!(
                    ctx.keypair_import(c.alg_type, c.name, b"x", enc).err(),
                    Some(CryptoError::UnsupportedEncoding),
                    "{} kp {enc:?}",
                    c.name
                );
            }
        }
    }
    let pk = ctx.keypair_publickey(kp).unwrap();
    for &enc in ALL_PK {
        match ctx.publickey_export(pk, enc) {
            Ok(h) => {
                assert!(c.pk.contains(&enc), "{} pk {enc:?} should be unsupported", c.name);
                let bytes = pull(ctx, h);
                let pk2 = ctx
                    .publickey_import(c.alg_type, c.name, &bytes, enc)
                    .unwrap_or_else(|e| panic!("{} pk {enc:?}: {e}", c.name));
                let again = ctx.publickey_export(pk2, enc).unwrap();
                assert_eq!(pull(ctx, again), bytes, "{} pk {enc:?}", c.name);
                ctx.publickey_verify(pk2).unwrap();
                ctx.publickey_close(pk2).unwrap();
            }
            Err(e) => {
                assert!(!c.pk.contains(&enc), "{} pk {enc:?}: {e}", c.name);
                assert_eq!(e, CryptoError::UnsupportedEncoding, "{} pk {enc:?}", c.name);
                assert_eq!(
                    ctx.publickey_import(c.alg_type, c.name, b"x", enc).err(),
                    Some(CryptoError::UnsupportedEncoding),
                    "{} pk {enc:?}",
                    c.name
                );
            }
        }
    }
    let sk = ctx.keypair_secretkey(kp).unwrap();
    for &enc in ALL_SK {
        match ctx.secretkey_export(sk, enc) {
            Ok(h) => {
                assert!(c.sk.contains(&enc), "{} sk {enc:?} should be unsupported", c.name);
                let bytes = pull(ctx, h);
                let sk2 = ctx
                    .secretkey_import(c.alg_type, c.name, &bytes, enc)
                    .unwrap_or_else(|e| panic!("{} sk {enc:?}: {e}", c.name));
                let again = ctx.secretkey_export(sk2, enc).unwrap();
                assert_eq!(pull(ctx, again), bytes, "{} sk {enc:?}", c.name);
                // The re-imported secret key pairs with the original public key.
                let pk2 = ctx.publickey_from_secretkey(sk2).unwrap();
                let kp2 = ctx.keypair_from_pk_and_sk(pk, sk2).unwrap();
                let (a, b) = (ctx.publickey_export(pk, c.pk[0]).unwrap(), ctx.publickey_export(pk2, c.pk[0]).unwrap());
                assert_eq!(pull(ctx, a), pull(ctx, b), "{} sk {enc:?}", c.name);
                ctx.keypair_close(kp2).unwrap();
                ctx.publickey_close(pk2).unwrap();
                ctx.secretkey_close(sk2).unwrap();
            }
            Err(e) => {
                assert!(!c.sk.contains(&enc), "{} sk {enc:?}: {e}", c.name);
                assert_eq!(e, CryptoError::UnsupportedEncoding, "{} sk {enc:?}", c.name);
                assert_eq!(
                    ctx.secretkey_import(c.alg_type, c.name, b"x", enc).err(),
                    Some(CryptoError::UnsupportedEncoding),
                    "{} sk {enc:?}",
                    c.name
                );
            }
        }
    }
    ctx.publickey_close(pk).unwrap();
    ctx.secretkey_close(sk).unwrap();
}

fn sign_verify(ctx: &mut CryptoCtx, name: &str, kp: Handle) {
    let state = ctx.signature_state_open(kp).unwrap();
    ctx.signature_state_update(state, b"hello ").unwrap();
    ctx.signature_state_update(state, b"world").unwrap();
    let sig = ctx.signature_state_sign(state).unwrap();
    ctx.signature_state_update(state, b"!").unwrap();
    let sig2 = ctx.signature_state_sign(state).unwrap();
    ctx.signature_state_close(state).unwrap();
    let pk = ctx.keypair_publickey(kp).unwrap();
    let v = ctx.signature_verification_state_open(pk).unwrap();
    ctx.signature_verification_state_update(v, b"hello world").unwrap();
    assert_eq!(ctx.signature_verification_state_verify(v, sig), Ok(()), "{name}");
    assert_eq!(ctx.signature_verification_state_verify(v, sig2), Err(CryptoError::VerificationFailed), "{name}");
    ctx.signature_verification_state_update(v, b"!").unwrap();
    assert_eq!(ctx.signature_verification_state_verify(v, sig2), Ok(()), "{name}");
    assert_eq!(ctx.signature_verification_state_verify(v, sig), Err(CryptoError::VerificationFailed), "{name}");
    for enc in [SignatureEncoding::Raw, SignatureEncoding::Der] {
        let exported = match ctx.signature_export(sig2, enc) {
            Ok(h) => pull(ctx, h),
            Err(e) => {
                assert!(enc == SignatureEncoding::Der && !name.starts_with("ECDSA"), "{name} {enc:?}: {e}");
                assert_eq!(e, CryptoError::UnsupportedEncoding);
                continue;
            }
        };
        let imported = ctx.signature_import(name, &exported, enc).unwrap();
        assert_eq!(ctx.signature_verification_state_verify(v, imported), Ok(()), "{name} {enc:?}");
        let again = ctx.signature_export(imported, enc).unwrap();
        assert_eq!(pull(ctx, again), exported);
        ctx.signature_close(imported).unwrap();
    }
    ctx.signature_verification_state_close(v).unwrap();
    ctx.signature_close(sig).unwrap();
    ctx.signature_close(sig2).unwrap();
    ctx.publickey_close(pk).unwrap();
}

fn kx_round_trip(ctx: &mut CryptoCtx, name: &str, kp: Handle) {
    let pk = ctx.keypair_publickey(kp).unwrap();
    let sk = ctx.keypair_secretkey(kp).unwrap();
    let alg = wasmcrypt::asymmetric::AsymmetricAlgorithm::from_name(KX, name).unwrap();
    if alg.is_kem() {
        let (secret, ct) = ctx.kx_encapsulate(pk).unwrap();
        let (secret, ct) = (pull(ctx, secret), pull(ctx, ct));
        assert_eq!(secret.len(), 32);
        let out = ctx.kx_decapsulate(sk, &ct).unwrap();
        assert_eq!(pull(ctx, out), secret, "{name}");
    } else {
        let other = ctx.keypair_generate(KX, name, None).unwrap();
        let other_pk = ctx.keypair_publickey(other).unwrap();
        let other_sk = ctx.keypair_secretkey(other).unwrap();
        let (a, b) = (ctx.kx_dh(other_pk, sk).unwrap(), ctx.kx_dh(pk, other_sk).unwrap());
        let (a, b) = (pull(ctx, a), pull(ctx, b));
        assert_eq!(a, b, "{name}");
        // The shared secret is an x- or u-coordinate: as long as a field element.
        let field_len = match ctx.publickey_export(pk, P::Sec) {
            Ok(h) => (pull(ctx, h).len() - 1) / 2,
            Err(_) => {
                let h = ctx.publickey_export(pk, P::Raw).unwrap();
                pull(ctx, h).len()
            }
        };
        assert_eq!(a.len(), field_len, "{name}");
        ctx.keypair_close(other).unwrap();
        ctx.publickey_close(other_pk).unwrap();
        ctx.secretkey_close(other_sk).unwrap();
    }
    ctx.publickey_close(pk).unwrap();
    ctx.secretkey_close(sk).unwrap();
}

#[test]
fn every_encoding_of_every_algorithm_round_trips() {
    let mut ctx = CryptoCtx::new();
    for c in &cases() {
        let kp = ctx.keypair_generate(c.alg_type, c.name, None).unwrap_or_else(|e| panic!("{}: {e}", c.name));
        round_trip_keys(&mut ctx, c, kp);
        // Operations with a key pair that went through its first import/export encoding.
        let h = ctx.keypair_export(kp, c.kp[0]).unwrap();
        let bytes = pull(&mut ctx, h);
        let imported = ctx.keypair_import(c.alg_type, c.name, &bytes, c.kp[0]).unwrap();
        if c.alg_type == SIG {
            sign_verify(&mut ctx, c.name, imported);
        } else {
            kx_round_trip(&mut ctx, c.name, imported);
        }
        ctx.keypair_close(imported).unwrap();
        ctx.keypair_close(kp).unwrap();
    }
    assert_eq!(ctx.open_handles(), 0, "every handle was closed");
}

#[test]
fn every_rsa_size_signs_and_verifies() {
    let mut ctx = CryptoCtx::new();
    let slow = wasmcrypt::asymmetric::algorithms().filter(|a| a.slow_keygen() && !a.name().ends_with("_2048_SHA256"));
    for alg in slow {
        let name = alg.name();
        let kp = ctx.keypair_generate(SIG, name, None).unwrap();
        sign_verify(&mut ctx, name, kp);
        round_trip_keys(&mut ctx, &case(alg), kp);
        ctx.keypair_close(kp).unwrap();
    }
}

#[test]
fn ec_public_keys_import_compressed_and_uncompressed() {
    let mut ctx = CryptoCtx::new();
    for (alg_type, name) in [
        (SIG, "ECDSA_P256_SHA256"),
        (SIG, "ECDSA_P384_SHA384"),
        (SIG, "ECDSA_K256_SHA256"),
        (KX, "P256-SHA256"),
        (KX, "P384-SHA384"),
    ] {
        let kp = ctx.keypair_generate(alg_type, name, None).unwrap();
        let pk = ctx.keypair_publickey(kp).unwrap();
        let (raw, sec) = (ctx.publickey_export(pk, P::Raw).unwrap(), ctx.publickey_export(pk, P::Sec).unwrap());
        let (compressed, uncompressed) = (pull(&mut ctx, raw), pull(&mut ctx, sec));
        assert_eq!(uncompressed[0], 4);
        assert!(compressed[0] == 2 || compressed[0] == 3);
        assert_eq!(uncompressed.len(), 2 * compressed.len() - 1);
        for (bytes, enc) in
            [(&compressed, P::Raw), (&uncompressed, P::Raw), (&compressed, P::Sec), (&uncompressed, P::Sec)]
        {
            let pk2 = ctx.publickey_import(alg_type, name, bytes, enc).unwrap();
            let h = ctx.publickey_export(pk2, P::Sec).unwrap();
            assert_eq!(pull(&mut ctx, h), uncompressed, "{name}");
        }
    }
}

#[test]
fn rsa_exports_real_pkcs8_and_still_imports_pkcs1() {
    let mut ctx = CryptoCtx::new();
    let kp = ctx.keypair_generate(SIG, "RSA_PKCS1_2048_SHA256", None).unwrap();
    let h = ctx.keypair_export(kp, K::Pkcs8).unwrap();
    let pkcs8 = pull(&mut ctx, h);
    // PrivateKeyInfo { version 0, rsaEncryption with NULL parameters, OCTET STRING RSAPrivateKey }.
    assert_eq!(pkcs8[4..7], [0x02, 0x01, 0x00]);
    assert_eq!(
        pkcs8[7..22],
        [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00]
    );
    assert_eq!(pkcs8[22..24], [0x04, 0x82]);
    let pkcs1 = &pkcs8[26..];
    assert_eq!(usize::from(pkcs8[24]) << 8 | usize::from(pkcs8[25]), pkcs1.len());
    let from_pkcs1 = ctx.keypair_import(SIG, "RSA_PKCS1_2048_SHA256", pkcs1, K::Pkcs8).unwrap();
    let h = ctx.keypair_export(from_pkcs1, K::Pkcs8).unwrap();
    assert_eq!(pull(&mut ctx, h), pkcs8, "PKCS#1 input, PKCS#8 output");
    let pem = pem_rsa_private_key(pkcs1);
    let from_pem = ctx.secretkey_import(SIG, "RSA_PKCS1_2048_SHA256", pem.as_bytes(), S::Pem).unwrap();
    let h = ctx.secretkey_export(from_pem, S::Pkcs8).unwrap();
    assert_eq!(pull(&mut ctx, h), pkcs8);
    // A PKCS#1 key is not an Ed25519 key, whatever its armour says.
    assert_eq!(ctx.secretkey_import(SIG, "Ed25519", pem.as_bytes(), S::Pem), Err(CryptoError::InvalidKey));
}

/// PEM-armours PKCS#1 DER as an `RSA PRIVATE KEY`.
fn pem_rsa_private_key(der: &[u8]) -> String {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = String::new();
    for chunk in der.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            b64.push(if i <= chunk.len() { B64[(n >> (18 - 6 * i) & 63) as usize] as char } else { '=' });
        }
    }
    let lines: Vec<&str> = b64.as_bytes().chunks(64).map(|l| std::str::from_utf8(l).unwrap()).collect();
    format!("-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n", lines.join("\n"))
}

#[test]
fn contexts_holding_asymmetric_objects_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>(_: &T) {}
    let mut ctx = CryptoCtx::new();
    let kp = ctx.keypair_generate(SIG, "Ed25519", None).unwrap();
    let _state = ctx.signature_state_open(kp).unwrap();
    assert_send_sync(&ctx);
}
