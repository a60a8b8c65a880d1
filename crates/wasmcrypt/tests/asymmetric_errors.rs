//! The errno of every asymmetric rule, through the public `CryptoCtx` API.

use wasmcrypt::{
    AlgorithmType, CryptoCtx, CryptoError as E, Handle, KeyPairEncoding, PublicKeyEncoding, SecretKeyEncoding,
    SignatureEncoding,
};

const SIG: AlgorithmType = AlgorithmType::Signatures;
const KX: AlgorithmType = AlgorithmType::KeyExchange;

/// Every algorithm of a type, from the registry: a new algorithm is covered without editing
/// this file.
fn names(t: AlgorithmType) -> Vec<&'static str> {
    wasmcrypt::asymmetric::algorithms().filter(|a| a.algorithm_type() == t).map(|a| a.name()).collect()
}

/// The signature algorithms whose keys are quick to generate, plus one RSA scheme of each
/// padding (RSA key generation takes up to seconds).
fn quick_signature_algs() -> Vec<&'static str> {
    wasmcrypt::asymmetric::algorithms()
        .filter(|a| a.algorithm_type() == SIG)
        .filter(|a| !a.slow_keygen() || a.name().ends_with("_2048_SHA256"))
        .map(|a| a.name())
        .collect()
}

fn pull(ctx: &mut CryptoCtx, h: Handle) -> Vec<u8> {
    let mut out = vec![0u8; ctx.array_output_len(h).unwrap()];
    assert_eq!(ctx.array_output_pull(h, &mut out), Ok(out.len()));
    out
}

fn sign(ctx: &mut CryptoCtx, kp: Handle, msg: &[u8]) -> Handle {
    let state = ctx.signature_state_open(kp).unwrap();
    ctx.signature_state_update(state, msg).unwrap();
    let sig = ctx.signature_state_sign(state).unwrap();
    ctx.signature_state_close(state).unwrap();
    sig
}

fn verify(ctx: &mut CryptoCtx, pk: Handle, msg: &[u8], sig: Handle) -> Result<(), E> {
    let state = ctx.signature_verification_state_open(pk)?;
    ctx.signature_verification_state_update(state, msg)?;
    let result = ctx.signature_verification_state_verify(state, sig);
    ctx.signature_verification_state_close(state)?;
    result
}

#[test]
fn algorithm_names_and_types() {
    let mut ctx = CryptoCtx::new();
    for name in names(KX) {
        assert_eq!(ctx.keypair_generate(SIG, name, None), Err(E::UnsupportedAlgorithm), "{name}");
        assert_eq!(ctx.publickey_import(SIG, name, &[0; 32], PublicKeyEncoding::Raw), Err(E::UnsupportedAlgorithm));
        assert_eq!(ctx.signature_import(name, &[0; 64], SignatureEncoding::Raw), Err(E::UnsupportedAlgorithm));
    }
    for name in names(SIG) {
        assert_eq!(ctx.keypair_generate(KX, name, None), Err(E::UnsupportedAlgorithm), "{name}");
        assert_eq!(ctx.secretkey_import(KX, name, &[1; 32], SecretKeyEncoding::Raw), Err(E::UnsupportedAlgorithm));
        assert_eq!(
            ctx.keypair_import(AlgorithmType::Symmetric, name, &[1; 32], KeyPairEncoding::Raw),
            Err(E::UnsupportedAlgorithm)
        );
    }
    for name in ["", "ECDSA_P521_SHA512", "Ed448ph", "X447", "RSA_PKCS1_1024_SHA256", "ML-KEM", "ML-DSA-128"] {
        assert_eq!(ctx.keypair_generate(SIG, name, None), Err(E::UnsupportedAlgorithm));
        assert_eq!(ctx.keypair_generate(KX, name, None), Err(E::UnsupportedAlgorithm));
    }
    // Case-insensitive names.
    for (t, name) in [
        (SIG, "ecdsa_p256_sha256"),
        (SIG, "ED25519"),
        (KX, "x-wing"),
        (KX, "ml-kem-768"),
        (KX, "p384-sha384"),
        (SIG, "ed448"),
        (SIG, "ml-dsa-65"),
        (KX, "x448"),
    ] {
        let kp = ctx.keypair_generate(t, name, None).unwrap();
        ctx.keypair_close(kp).unwrap();
    }
    // Options: a signature/kx option set is accepted; another type's is not.
    let sig_options = ctx.options_open(SIG).unwrap();
    let sym_options = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    assert!(ctx.keypair_generate(SIG, "Ed25519", Some(sig_options)).is_ok());
    assert_eq!(ctx.keypair_generate(SIG, "Ed25519", Some(sym_options)), Err(E::InvalidHandle));
    assert_eq!(ctx.options_set(sig_options, "context", b"x"), Err(E::UnsupportedOption));
}

#[test]
fn a_bad_signature_is_verification_failed_in_every_family() {
    let mut ctx = CryptoCtx::new();
    for name in quick_signature_algs() {
        let kp = ctx.keypair_generate(SIG, name, None).unwrap();
        let pk = ctx.keypair_publickey(kp).unwrap();
        let sig = sign(&mut ctx, kp, b"message");
        assert_eq!(verify(&mut ctx, pk, b"message", sig), Ok(()));
        assert_eq!(verify(&mut ctx, pk, b"messagf", sig), Err(E::VerificationFailed), "{name}");
        // A flipped bit in the signature.
        let h = ctx.signature_export(sig, SignatureEncoding::Raw).unwrap();
        let mut raw = pull(&mut ctx, h);
        raw[5] ^= 1;
        let bad = ctx.signature_import(name, &raw, SignatureEncoding::Raw).unwrap();
        assert_eq!(verify(&mut ctx, pk, b"message", bad), Err(E::VerificationFailed), "{name}");
        // All-zero signatures decode but do not verify.
        let zeros = ctx.signature_import(name, &vec![0; raw.len()], SignatureEncoding::Raw).unwrap();
        assert_eq!(verify(&mut ctx, pk, b"message", zeros), Err(E::VerificationFailed), "{name}");
        // Another key of the same algorithm.
        let other = ctx.keypair_generate(SIG, name, None).unwrap();
        let other_pk = ctx.keypair_publickey(other).unwrap();
        assert_eq!(verify(&mut ctx, other_pk, b"message", sig), Err(E::VerificationFailed), "{name}");
    }
}

#[test]
fn undecodable_and_foreign_signatures() {
    let mut ctx = CryptoCtx::new();
    for name in quick_signature_algs() {
        let kp = ctx.keypair_generate(SIG, name, None).unwrap();
        let sig = sign(&mut ctx, kp, b"m");
        let h = ctx.signature_export(sig, SignatureEncoding::Raw).unwrap();
        let len = pull(&mut ctx, h).len();
        for bad_len in [0, 1, len - 1, len + 1] {
            assert_eq!(
                ctx.signature_import(name, &vec![1; bad_len], SignatureEncoding::Raw),
                Err(E::InvalidSignature),
                "{name} {bad_len}"
            );
        }
    }
    for name in ["ECDSA_P256_SHA256", "ECDSA_P384_SHA384", "ECDSA_K256_SHA256"] {
        for der in [
            &b""[..],
            b"\x30\x00",
            b"\x30\x06\x02\x01\x01\x02\x01\x01\x00",
            b"\x31\x06\x02\x01\x01\x02\x01\x01",
            b"\x30\x06\x02\x01\x81\x02\x01\x01",
        ] {
            assert_eq!(
                ctx.signature_import(name, der, SignatureEncoding::Der),
                Err(E::InvalidSignature),
                "{name} {der:02x?}"
            );
        }
    }
    for name in names(SIG).into_iter().filter(|n| !n.starts_with("ECDSA_")) {
        assert_eq!(
            ctx.signature_import(name, b"\x30\x06\x02\x01\x01\x02\x01\x01", SignatureEncoding::Der),
            Err(E::UnsupportedEncoding),
            "{name}"
        );
    }
    // A signature of another algorithm (same length) is invalid_signature for the state.
    let kp = ctx.keypair_generate(SIG, "ECDSA_P256_SHA256", None).unwrap();
    let pk = ctx.keypair_publickey(kp).unwrap();
    let ed = ctx.keypair_generate(SIG, "Ed25519", None).unwrap();
    let ed_sig = sign(&mut ctx, ed, b"m");
    assert_eq!(verify(&mut ctx, pk, b"m", ed_sig), Err(E::InvalidSignature));
    let k1 = ctx.signature_import("ECDSA_K256_SHA256", &[1; 64], SignatureEncoding::Raw).unwrap();
    assert_eq!(verify(&mut ctx, pk, b"m", k1), Err(E::InvalidSignature));
}

#[test]
fn undecodable_and_foreign_keys_are_invalid_key() {
    let mut ctx = CryptoCtx::new();
    let garbage: [&[u8]; 5] =
        [b"", b"\x00", &[0x30; 40], &[0xff; 97], b"-----BEGIN PUBLIC KEY-----\nAAAAAAAA\n-----END PUBLIC KEY-----\n"];
    for t in [SIG, KX] {
        for name in names(t) {
            for g in garbage {
                for enc in
                    [PublicKeyEncoding::Raw, PublicKeyEncoding::Pkcs8, PublicKeyEncoding::Pem, PublicKeyEncoding::Sec]
                {
                    let r = ctx.publickey_import(t, name, g, enc);
                    assert!(matches!(r, Err(E::InvalidKey | E::UnsupportedEncoding)), "{name} pk {enc:?} {r:?}");
                }
                for enc in
                    [SecretKeyEncoding::Raw, SecretKeyEncoding::Pkcs8, SecretKeyEncoding::Pem, SecretKeyEncoding::Sec]
                {
                    let r = ctx.secretkey_import(t, name, g, enc);
                    assert!(matches!(r, Err(E::InvalidKey | E::UnsupportedEncoding)), "{name} sk {enc:?} {r:?}");
                }
                for enc in [KeyPairEncoding::Raw, KeyPairEncoding::Pkcs8, KeyPairEncoding::Pem] {
                    let r = ctx.keypair_import(t, name, g, enc);
                    assert!(matches!(r, Err(E::InvalidKey | E::UnsupportedEncoding)), "{name} kp {enc:?} {r:?}");
                }
            }
        }
    }
    // Keys of another algorithm.
    let export = |ctx: &mut CryptoCtx, t, name, enc| {
        let kp = ctx.keypair_generate(t, name, None).unwrap();
        let pk = ctx.keypair_publickey(kp).unwrap();
        let h = ctx.publickey_export(pk, enc).unwrap();
        let pk_bytes = pull(ctx, h);
        let h = ctx.keypair_export(kp, KeyPairEncoding::Pkcs8).unwrap();
        (pk_bytes, pull(ctx, h))
    };
    for (from_t, from, to_t, to) in [
        (SIG, "ECDSA_P384_SHA384", SIG, "ECDSA_P256_SHA256"),
        (SIG, "ECDSA_P256_SHA256", SIG, "ECDSA_K256_SHA256"),
        (SIG, "ECDSA_K256_SHA256", KX, "P256-SHA256"),
        (SIG, "Ed25519", KX, "X25519"),
        (KX, "X25519", SIG, "Ed25519"),
        (KX, "ML-KEM-512", KX, "ML-KEM-768"),
        (KX, "ML-KEM-768", KX, "X-WING"),
        (SIG, "RSA_PKCS1_2048_SHA256", SIG, "RSA_PKCS1_3072_SHA384"),
        (SIG, "ECDSA_P256_SHA256", SIG, "RSA_PKCS1_2048_SHA256"),
        (SIG, "Ed448", SIG, "Ed25519"),
        (SIG, "Ed25519", SIG, "Ed448"),
        (KX, "X448", KX, "X25519"),
        (KX, "X25519", KX, "X448"),
        (SIG, "Ed448", KX, "X448"),
        (SIG, "ML-DSA-44", SIG, "ML-DSA-65"),
        (SIG, "ML-DSA-87", SIG, "ML-DSA-65"),
        (KX, "ML-KEM-768", SIG, "ML-DSA-65"),
    ] {
        let (pk, kp) = export(&mut ctx, from_t, from, PublicKeyEncoding::Pkcs8);
        assert_eq!(
            ctx.publickey_import(to_t, to, &pk, PublicKeyEncoding::Pkcs8),
            Err(E::InvalidKey),
            "{from} pk as {to}"
        );
        assert_eq!(ctx.keypair_import(to_t, to, &kp, KeyPairEncoding::Pkcs8), Err(E::InvalidKey), "{from} kp as {to}");
        assert_eq!(
            ctx.secretkey_import(to_t, to, &kp, SecretKeyEncoding::Pkcs8),
            Err(E::InvalidKey),
            "{from} sk as {to}"
        );
    }
    // EC scalars: wrong length, zero, the group order.
    let p256_order = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
    let order: Vec<u8> = (0..32).map(|i| u8::from_str_radix(&p256_order[2 * i..2 * i + 2], 16).unwrap()).collect();
    for (t, name) in [(SIG, "ECDSA_P256_SHA256"), (KX, "P256-SHA256"), (SIG, "ECDSA_K256_SHA256")] {
        for scalar in [vec![0; 32], vec![1; 31], vec![1; 33]] {
            assert_eq!(ctx.secretkey_import(t, name, &scalar, SecretKeyEncoding::Raw), Err(E::InvalidKey), "{name}");
        }
        if name != "ECDSA_K256_SHA256" {
            assert_eq!(ctx.secretkey_import(t, name, &order, SecretKeyEncoding::Raw), Err(E::InvalidKey), "{name}");
        }
    }
    // Off-curve EC points are refused at import.
    for (t, name, n) in [
        (SIG, "ECDSA_P256_SHA256", 32),
        (SIG, "ECDSA_P384_SHA384", 48),
        (SIG, "ECDSA_K256_SHA256", 32),
        (KX, "P384-SHA384", 48),
    ] {
        let mut point = vec![4u8];
        point.extend(std::iter::repeat_n(1u8, 2 * n));
        assert_eq!(ctx.publickey_import(t, name, &point, PublicKeyEncoding::Sec), Err(E::InvalidKey), "{name}");
        assert_eq!(
            ctx.publickey_import(t, name, &point[..n + 1], PublicKeyEncoding::Raw),
            Err(E::InvalidKey),
            "{name}"
        );
    }
    // Ed25519 raw key pairs must carry the public key of their seed.
    let kp = ctx.keypair_generate(SIG, "Ed25519", None).unwrap();
    let h = ctx.keypair_export(kp, KeyPairEncoding::Raw).unwrap();
    let mut raw = pull(&mut ctx, h);
    raw[40] ^= 1;
    assert_eq!(ctx.keypair_import(SIG, "Ed25519", &raw, KeyPairEncoding::Raw), Err(E::InvalidKey));
    assert_eq!(ctx.keypair_import(SIG, "Ed25519", &raw[..32], KeyPairEncoding::Raw), Err(E::InvalidKey));
}

#[test]
fn publickey_verify_and_weak_ed25519_x25519_keys() {
    let mut ctx = CryptoCtx::new();
    // An all-zero Ed25519 key imports, fails publickey_verify, and fails verification.
    let zero = ctx.publickey_import(SIG, "Ed25519", &[0; 32], PublicKeyEncoding::Raw).unwrap();
    assert_eq!(ctx.publickey_verify(zero), Err(E::InvalidKey));
    let sig = ctx.signature_import("Ed25519", &[0; 64], SignatureEncoding::Raw).unwrap();
    assert_eq!(verify(&mut ctx, zero, b"", sig), Err(E::VerificationFailed));
    let kp = ctx.keypair_generate(SIG, "Ed25519", None).unwrap();
    let real = sign(&mut ctx, kp, b"msg");
    assert_eq!(verify(&mut ctx, zero, b"msg", real), Err(E::VerificationFailed));
    // The small-order Ed25519 point (0, 1) and a y that is not on the curve.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let pk = ctx.publickey_import(SIG, "Ed25519", &identity, PublicKeyEncoding::Raw).unwrap();
    assert_eq!(ctx.publickey_verify(pk), Err(E::InvalidKey));
    let mut off_curve = [0u8; 32];
    off_curve[0] = 2;
    let pk = ctx.publickey_import(SIG, "Ed25519", &off_curve, PublicKeyEncoding::Raw).unwrap();
    assert_eq!(ctx.publickey_verify(pk), Err(E::InvalidKey));
    let good = ctx.keypair_publickey(kp).unwrap();
    assert_eq!(ctx.publickey_verify(good), Ok(()));
    // X25519: small-order points fail publickey_verify and give invalid_key in kx_dh.
    let sk = ctx.secretkey_import(KX, "X25519", &[7; 32], SecretKeyEncoding::Raw).unwrap();
    let mut one = [0u8; 32];
    one[0] = 1;
    for small in [[0u8; 32], one] {
        let pk = ctx.publickey_import(KX, "X25519", &small, PublicKeyEncoding::Raw).unwrap();
        assert_eq!(ctx.publickey_verify(pk), Err(E::InvalidKey));
        assert_eq!(ctx.kx_dh(pk, sk), Err(E::InvalidKey));
    }
    // u = 2 is on the twist, not on the curve.
    let mut twist = [0u8; 32];
    twist[0] = 2;
    let pk = ctx.publickey_import(KX, "X25519", &twist, PublicKeyEncoding::Raw).unwrap();
    assert_eq!(ctx.publickey_verify(pk), Err(E::InvalidKey));
    let basepoint = {
        let mut b = [0u8; 32];
        b[0] = 9;
        b
    };
    let pk = ctx.publickey_import(KX, "X25519", &basepoint, PublicKeyEncoding::Raw).unwrap();
    assert_eq!(ctx.publickey_verify(pk), Ok(()));
    for bad_len in [31, 33] {
        assert_eq!(ctx.publickey_import(KX, "X25519", &vec![9; bad_len], PublicKeyEncoding::Raw), Err(E::InvalidKey));
        assert_eq!(ctx.publickey_import(SIG, "Ed25519", &vec![9; bad_len], PublicKeyEncoding::Raw), Err(E::InvalidKey));
    }
}

#[test]
fn key_exchange_errors() {
    let mut ctx = CryptoCtx::new();
    let mut keys = |t, name| {
        let kp = ctx.keypair_generate(t, name, None).unwrap();
        (ctx.keypair_publickey(kp).unwrap(), ctx.keypair_secretkey(kp).unwrap())
    };
    let (x_pk, x_sk) = keys(KX, "X25519");
    let (p256_pk, p256_sk) = keys(KX, "P256-SHA256");
    let (p384_pk, _) = keys(KX, "P384-SHA384");
    let (kem_pk, kem_sk) = keys(KX, "ML-KEM-768");
    let (xw_pk, xw_sk) = keys(KX, "X-WING");
    let (ed_pk, ed_sk) = keys(SIG, "Ed25519");
    let (ec_pk, ec_sk) = keys(SIG, "ECDSA_P256_SHA256");
    assert_eq!(ctx.kx_dh(p256_pk, x_sk), Err(E::IncompatibleKeys));
    assert_eq!(ctx.kx_dh(x_pk, p256_sk), Err(E::IncompatibleKeys));
    assert_eq!(ctx.kx_dh(p384_pk, p256_sk), Err(E::IncompatibleKeys));
    assert_eq!(ctx.kx_dh(ed_pk, x_sk), Err(E::IncompatibleKeys));
    assert_eq!(ctx.kx_dh(ec_pk, p256_sk), Err(E::IncompatibleKeys));
    assert_eq!(ctx.kx_dh(kem_pk, kem_sk), Err(E::InvalidOperation));
    assert_eq!(ctx.kx_dh(xw_pk, xw_sk), Err(E::InvalidOperation));
    assert_eq!(ctx.kx_dh(ed_pk, ed_sk), Err(E::InvalidOperation));
    assert_eq!(ctx.kx_dh(ec_pk, ec_sk), Err(E::InvalidOperation));
    assert_eq!(ctx.kx_dh(x_sk, x_pk), Err(E::InvalidHandle), "arguments swapped");
    for pk in [x_pk, p256_pk, ed_pk] {
        assert_eq!(ctx.kx_encapsulate(pk).err(), Some(E::InvalidOperation));
    }
    for sk in [x_sk, p256_sk, ed_sk] {
        assert_eq!(ctx.kx_decapsulate(sk, &[0; 1088]), Err(E::InvalidOperation));
    }
    // Decapsulation: a malformed length is verification_failed; a well-formed wrong ciphertext
    // gives FIPS 203's implicit-rejection secret, which differs from the real one.
    let (secret, ct) = ctx.kx_encapsulate(kem_pk).unwrap();
    let (secret, mut ct) = (pull(&mut ctx, secret), pull(&mut ctx, ct));
    for len in [0, 1087, 1089] {
        assert_eq!(ctx.kx_decapsulate(kem_sk, &vec![0; len]), Err(E::VerificationFailed));
    }
    ct[0] ^= 1;
    let h = ctx.kx_decapsulate(kem_sk, &ct).unwrap();
    let rejected = pull(&mut ctx, h);
    assert_eq!(rejected.len(), 32);
    assert_ne!(rejected, secret);
    let (_, xw_ct) = ctx.kx_encapsulate(xw_pk).unwrap();
    let xw_ct = pull(&mut ctx, xw_ct);
    assert_eq!(xw_ct.len(), 1120);
    assert_eq!(ctx.kx_decapsulate(xw_sk, &xw_ct[1..]), Err(E::VerificationFailed));
    // A low-order X25519 part is not refused by X-Wing (its X25519 output is all zeros).
    let mut low_order = xw_ct.clone();
    low_order[1088..].fill(0);
    let h = ctx.kx_decapsulate(xw_sk, &low_order).unwrap();
    assert_eq!(pull(&mut ctx, h).len(), 32);
    // Key exchange keys cannot sign, and their public keys cannot verify.
    for name in names(KX) {
        let kp = ctx.keypair_generate(KX, name, None).unwrap();
        assert_eq!(ctx.signature_state_open(kp), Err(E::InvalidOperation), "{name}");
        let pk = ctx.keypair_publickey(kp).unwrap();
        assert_eq!(ctx.signature_verification_state_open(pk), Err(E::InvalidOperation), "{name}");
    }
}

#[test]
fn keypair_from_pk_and_sk_checks_the_pair() {
    let mut ctx = CryptoCtx::new();
    let quick = quick_signature_algs().into_iter().map(|n| (SIG, n)).chain(names(KX).into_iter().map(|n| (KX, n)));
    for (t, name) in quick {
        let a = ctx.keypair_generate(t, name, None).unwrap();
        let b = ctx.keypair_generate(t, name, None).unwrap();
        let (a_pk, a_sk, b_pk) =
            (ctx.keypair_publickey(a).unwrap(), ctx.keypair_secretkey(a).unwrap(), ctx.keypair_publickey(b).unwrap());
        assert!(ctx.keypair_from_pk_and_sk(a_pk, a_sk).is_ok(), "{name}");
        assert_eq!(ctx.keypair_from_pk_and_sk(b_pk, a_sk), Err(E::IncompatibleKeys), "{name}");
        assert_eq!(ctx.keypair_from_pk_and_sk(a_sk, a_pk), Err(E::InvalidHandle), "{name}");
    }
    let ed = ctx.keypair_generate(SIG, "Ed25519", None).unwrap();
    let x = ctx.keypair_generate(KX, "X25519", None).unwrap();
    let (ed_pk, x_sk) = (ctx.keypair_publickey(ed).unwrap(), ctx.keypair_secretkey(x).unwrap());
    assert_eq!(ctx.keypair_from_pk_and_sk(ed_pk, x_sk), Err(E::IncompatibleKeys));
}

#[test]
fn handles_and_managed_keys() {
    let mut ctx = CryptoCtx::new();
    let kp = ctx.keypair_generate(SIG, "Ed25519", None).unwrap();
    let pk = ctx.keypair_publickey(kp).unwrap();
    let sk = ctx.keypair_secretkey(kp).unwrap();
    let sig = sign(&mut ctx, kp, b"x");
    // Handles of the wrong kind.
    assert_eq!(ctx.keypair_publickey(pk), Err(E::InvalidHandle));
    assert_eq!(ctx.publickey_export(sk, PublicKeyEncoding::Raw), Err(E::InvalidHandle));
    assert_eq!(ctx.secretkey_export(pk, SecretKeyEncoding::Raw), Err(E::InvalidHandle));
    assert_eq!(ctx.signature_state_open(pk), Err(E::InvalidHandle));
    assert_eq!(ctx.signature_verification_state_open(kp), Err(E::InvalidHandle));
    assert_eq!(ctx.signature_export(pk, SignatureEncoding::Raw), Err(E::InvalidHandle));
    assert_eq!(ctx.publickey_from_secretkey(pk), Err(E::InvalidHandle));
    assert_eq!(ctx.keypair_close(pk), Err(E::InvalidHandle));
    assert_eq!(ctx.signature_close(kp), Err(E::InvalidHandle));
    // Managed keys are not supported yet; keypair_id checks its handle first.
    assert_eq!(ctx.keypair_id(kp, &mut [0; 64]), Err(E::UnsupportedFeature));
    assert_eq!(ctx.keypair_id(pk, &mut [0; 64]), Err(E::InvalidHandle));
    assert_eq!(ctx.keypair_id(0, &mut [0; 64]), Err(E::InvalidHandle));
    assert_eq!(ctx.keypair_generate_managed(1, SIG, "Ed25519", None), Err(E::UnsupportedFeature));
    assert_eq!(ctx.keypair_store_managed(1, kp, &mut [0; 64]), Err(E::UnsupportedFeature));
    assert_eq!(ctx.keypair_replace_managed(1, kp, kp), Err(E::UnsupportedFeature));
    assert_eq!(ctx.keypair_from_id(1, b"id", 0), Err(E::UnsupportedFeature));
    // States keep their key alive after the key handles are closed.
    let state = ctx.signature_state_open(kp).unwrap();
    let v = ctx.signature_verification_state_open(pk).unwrap();
    ctx.keypair_close(kp).unwrap();
    ctx.publickey_close(pk).unwrap();
    ctx.signature_state_update(state, b"x").unwrap();
    let sig2 = ctx.signature_state_sign(state).unwrap();
    ctx.signature_verification_state_update(v, b"x").unwrap();
    assert_eq!(ctx.signature_verification_state_verify(v, sig), Ok(()));
    assert_eq!(ctx.signature_verification_state_verify(v, sig2), Ok(()));
    // Closed handles.
    for close in [CryptoCtx::keypair_close, CryptoCtx::publickey_close] {
        assert_eq!(close(&mut ctx, kp), Err(E::InvalidHandle));
    }
    ctx.secretkey_close(sk).unwrap();
    assert_eq!(ctx.secretkey_close(sk), Err(E::InvalidHandle));
    ctx.signature_state_close(state).unwrap();
    assert_eq!(ctx.signature_state_update(state, b"x"), Err(E::InvalidHandle));
    ctx.signature_verification_state_close(v).unwrap();
    assert_eq!(ctx.signature_verification_state_verify(v, sig), Err(E::InvalidHandle));
    ctx.signature_close(sig).unwrap();
    ctx.signature_close(sig2).unwrap();
    assert_eq!(ctx.signature_close(sig), Err(E::InvalidHandle));
    assert_eq!(ctx.open_handles(), 0);
}

/// Arbitrary bytes never panic any import or operation.
#[test]
fn arbitrary_inputs_never_panic() {
    let mut ctx = CryptoCtx::new();
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut inputs: Vec<Vec<u8>> = (0..40).map(|len| (0..len).map(|_| next() as u8).collect()).collect();
    for len in [64, 65, 97, 800, 1184, 1216, 1568] {
        inputs.push((0..len).map(|_| next() as u8).collect());
        let mut point = vec![4u8; len];
        point[1..].iter_mut().for_each(|b| *b = next() as u8);
        inputs.push(point);
    }
    for t in [SIG, KX] {
        for name in names(t) {
            for input in &inputs {
                for enc in [KeyPairEncoding::Raw, KeyPairEncoding::Pkcs8, KeyPairEncoding::Pem, KeyPairEncoding::Local]
                {
                    let _ = ctx.keypair_import(t, name, input, enc).map(|h| ctx.keypair_close(h));
                }
                for enc in [
                    PublicKeyEncoding::Raw,
                    PublicKeyEncoding::Pkcs8,
                    PublicKeyEncoding::Pem,
                    PublicKeyEncoding::Sec,
                    PublicKeyEncoding::Local,
                ] {
                    let _ = ctx.publickey_import(t, name, input, enc).map(|h| ctx.publickey_close(h));
                }
                for enc in [
                    SecretKeyEncoding::Raw,
                    SecretKeyEncoding::Pkcs8,
                    SecretKeyEncoding::Pem,
                    SecretKeyEncoding::Sec,
                    SecretKeyEncoding::Local,
                ] {
                    let _ = ctx.secretkey_import(t, name, input, enc).map(|h| ctx.secretkey_close(h));
                }
                if t == SIG {
                    for enc in [SignatureEncoding::Raw, SignatureEncoding::Der] {
                        let _ = ctx.signature_import(name, input, enc).map(|h| ctx.signature_close(h));
                    }
                }
            }
        }
    }
    for name in ["ML-KEM-512", "ML-KEM-768", "ML-KEM-1024", "X-WING"] {
        let kp = ctx.keypair_generate(KX, name, None).unwrap();
        let sk = ctx.keypair_secretkey(kp).unwrap();
        for input in &inputs {
            let _ = ctx.kx_decapsulate(sk, input);
        }
    }
    for h in [0, 1, 2, u32::MAX] {
        let _ = ctx.kx_dh(h, h);
        let _ = ctx.kx_encapsulate(h);
        let _ = ctx.signature_state_sign(h);
        let _ = ctx.publickey_verify(h);
    }
}

#[test]
fn publickey_verify_and_weak_ed448_x448_keys() {
    let mut ctx = CryptoCtx::new();
    // Ed448: the identity (y = 1) and a y off the curve do not import.
    let mut identity = [0u8; 57];
    identity[0] = 1;
    assert_eq!(ctx.publickey_import(SIG, "Ed448", &identity, PublicKeyEncoding::Raw), Err(E::InvalidKey));
    let mut off_curve = [0u8; 57];
    off_curve[0] = 2;
    assert_eq!(ctx.publickey_import(SIG, "Ed448", &off_curve, PublicKeyEncoding::Raw), Err(E::InvalidKey));
    // (0, −1), of order 2: refused at import, or by publickey_verify and every verification.
    let mut minus_one = [0xffu8; 57];
    minus_one[0] = 0xfe;
    minus_one[28] = 0xfe;
    minus_one[56] = 0;
    match ctx.publickey_import(SIG, "Ed448", &minus_one, PublicKeyEncoding::Raw) {
        Ok(pk) => {
            assert_eq!(ctx.publickey_verify(pk), Err(E::InvalidKey));
            let sig = ctx.signature_import("Ed448", &[0; 114], SignatureEncoding::Raw).unwrap();
            assert_eq!(verify(&mut ctx, pk, b"", sig), Err(E::VerificationFailed));
        }
        Err(e) => assert_eq!(e, E::InvalidKey),
    }
    // Unused bits set in the last byte.
    let kp = ctx.keypair_generate(SIG, "Ed448", None).unwrap();
    let good = ctx.keypair_publickey(kp).unwrap();
    let h = ctx.publickey_export(good, PublicKeyEncoding::Raw).unwrap();
    let mut raw = pull(&mut ctx, h);
    raw[56] |= 0x01;
    assert_eq!(ctx.publickey_import(SIG, "Ed448", &raw, PublicKeyEncoding::Raw), Err(E::InvalidKey));
    assert_eq!(ctx.publickey_verify(good), Ok(()));
    for bad_len in [56, 58] {
        assert_eq!(ctx.publickey_import(SIG, "Ed448", &vec![9; bad_len], PublicKeyEncoding::Raw), Err(E::InvalidKey));
        assert_eq!(ctx.secretkey_import(SIG, "Ed448", &vec![9; bad_len], SecretKeyEncoding::Raw), Err(E::InvalidKey));
    }
    // X448: the small-order points u = 0, 1, p − 1 and the non-canonical u = p (≡ 0) fail
    // publickey_verify, and give invalid_key in kx_dh (an all-zero shared secret).
    let sk = ctx.secretkey_import(KX, "X448", &[7; 56], SecretKeyEncoding::Raw).unwrap();
    let mut one = [0u8; 56];
    one[0] = 1;
    let mut p = [0xffu8; 56];
    p[28] = 0xfe;
    let mut p_minus_one = p;
    p_minus_one[0] = 0xfe;
    for small in [[0u8; 56], one, p_minus_one, p] {
        let pk = ctx.publickey_import(KX, "X448", &small, PublicKeyEncoding::Raw).unwrap();
        assert_eq!(ctx.publickey_verify(pk), Err(E::InvalidKey), "{small:02x?}");
        assert_eq!(ctx.kx_dh(pk, sk), Err(E::InvalidKey), "{small:02x?}");
    }
    let mut five = [0u8; 56];
    five[0] = 5;
    let base = ctx.publickey_import(KX, "X448", &five, PublicKeyEncoding::Raw).unwrap();
    assert_eq!(ctx.publickey_verify(base), Ok(()));
    assert!(ctx.kx_dh(base, sk).is_ok());
    for bad_len in [55, 57] {
        assert_eq!(ctx.publickey_import(KX, "X448", &vec![9; bad_len], PublicKeyEncoding::Raw), Err(E::InvalidKey));
        assert_eq!(ctx.secretkey_import(KX, "X448", &vec![9; bad_len], SecretKeyEncoding::Raw), Err(E::InvalidKey));
    }
    // X448 keys do no DH with X25519 keys, and are no signature keys.
    let x25519 = ctx.keypair_generate(KX, "X25519", None).unwrap();
    let x25519_pk = ctx.keypair_publickey(x25519).unwrap();
    assert_eq!(ctx.kx_dh(x25519_pk, sk), Err(E::IncompatibleKeys));
    let x448 = ctx.keypair_generate(KX, "X448", None).unwrap();
    assert_eq!(ctx.signature_state_open(x448), Err(E::InvalidOperation));
    assert_eq!(ctx.kx_decapsulate(sk, &[0; 56]), Err(E::InvalidOperation));
    assert_eq!(ctx.kx_encapsulate(base).err(), Some(E::InvalidOperation));
}

#[test]
fn ml_dsa_key_and_signature_errors() {
    let mut ctx = CryptoCtx::new();
    for (name, pk_len, sig_len) in [("ML-DSA-44", 1312, 2420), ("ML-DSA-65", 1952, 3309), ("ML-DSA-87", 2592, 4627)] {
        for bad in [31, 33, 64] {
            assert_eq!(ctx.secretkey_import(SIG, name, &vec![1; bad], SecretKeyEncoding::Raw), Err(E::InvalidKey));
            assert_eq!(ctx.keypair_import(SIG, name, &vec![1; bad], KeyPairEncoding::Raw), Err(E::InvalidKey));
        }
        for bad in [pk_len - 1, pk_len + 1, 32] {
            assert_eq!(ctx.publickey_import(SIG, name, &vec![1; bad], PublicKeyEncoding::Raw), Err(E::InvalidKey));
        }
        for bad in [sig_len - 1, sig_len + 1, 0] {
            assert_eq!(
                ctx.signature_import(name, &vec![1; bad], SignatureEncoding::Raw),
                Err(E::InvalidSignature),
                "{name}"
            );
        }
        let kp = ctx.keypair_generate(SIG, name, None).unwrap();
        let pk = ctx.keypair_publickey(kp).unwrap();
        let h = ctx.publickey_export(pk, PublicKeyEncoding::Raw).unwrap();
        assert_eq!(pull(&mut ctx, h).len(), pk_len);
        let sig = sign(&mut ctx, kp, b"m");
        let h = ctx.signature_export(sig, SignatureEncoding::Raw).unwrap();
        let raw = pull(&mut ctx, h);
        assert_eq!(raw.len(), sig_len);
        // ML-DSA signing is hedged: two signatures of one message differ, and both verify.
        let sig2 = sign(&mut ctx, kp, b"m");
        let h = ctx.signature_export(sig2, SignatureEncoding::Raw).unwrap();
        assert_ne!(pull(&mut ctx, h), raw);
        assert_eq!(verify(&mut ctx, pk, b"m", sig2), Ok(()));
        let mut seed_pkcs8 = {
            let h = ctx.keypair_export(kp, KeyPairEncoding::Pkcs8).unwrap();
            pull(&mut ctx, h)
        };
        // The seed form: `[0] IMPLICIT OCTET STRING (SIZE (32))` as the last 34 bytes.
        let n = seed_pkcs8.len();
        assert_eq!(seed_pkcs8[n - 34..n - 32], [0x80, 0x20], "{name}");
        // A seed of the wrong length inside the document.
        seed_pkcs8[n - 33] = 0x1f;
        assert_eq!(ctx.keypair_import(SIG, name, &seed_pkcs8, KeyPairEncoding::Pkcs8), Err(E::InvalidKey));
    }
}
