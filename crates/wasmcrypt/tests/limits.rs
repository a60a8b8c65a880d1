//! Resource limits against a hostile guest: every object and copy is charged to the context's
//! budget before it is allocated, and single inputs are capped (issue 8, items 1 and 4).

use wasmcrypt::{
    AlgorithmType, CryptoCtx, CryptoError as E, DEFAULT_MAX_BUFFERED_BYTES, DEFAULT_MAX_HANDLES, DEFAULT_MAX_INPUT_LEN,
    InOut, KeyPairEncoding, PublicKeyEncoding, SecretKeyEncoding,
};

const MIB: usize = 1 << 20;

/// Asserts the budget invariant.
fn within_budget(ctx: &CryptoCtx) {
    assert!(
        ctx.buffered_bytes() <= ctx.max_buffered_bytes(),
        "{} > {}",
        ctx.buffered_bytes(),
        ctx.max_buffered_bytes()
    );
}

#[test]
fn defaults() {
    let ctx = CryptoCtx::new();
    assert_eq!(ctx.max_buffered_bytes(), 64 * MIB);
    assert_eq!(DEFAULT_MAX_BUFFERED_BYTES, 64 * MIB);
    assert_eq!(ctx.max_input_len(), 16 * MIB);
    assert_eq!(DEFAULT_MAX_INPUT_LEN, 16 * MIB);
    assert_eq!(ctx.buffered_bytes(), 0);
    let ctx = CryptoCtx::builder().max_input_len(1000).max_buffered_bytes(5000).build();
    assert_eq!((ctx.max_input_len(), ctx.max_buffered_bytes()), (1000, 5000));
}

/// The attack of issue 8: one option set with a 32 MiB salt, then 48 times a SHA-256 state
/// opened with it followed by `options_set_u64`, each of which copies the shared values. It used
/// to peak at ~1.6 GiB against a 64 MiB budget.
#[test]
fn copy_on_write_of_options_cannot_exceed_the_budget() {
    let mut ctx = CryptoCtx::builder().max_input_len(32 * MIB).build();
    let o = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    ctx.options_set(o, "salt", &vec![0x55; 32 * MIB]).unwrap();
    within_budget(&ctx);
    let mut results = Vec::new();
    for i in 0..48 {
        let state = ctx.symmetric_state_open("SHA-256", None, Some(o));
        within_budget(&ctx);
        results.push((state.is_ok(), ctx.options_set_u64(o, "opslimit", i)));
        within_budget(&ctx);
    }
    assert!(results.iter().all(|(opened, _)| *opened), "states sharing the values cost little");
    assert!(results.iter().all(|(_, r)| *r == Err(E::Overflow)), "a second 32 MiB copy never fits in 64 MiB");
    assert!(ctx.buffered_bytes() < 33 * MIB, "one copy of the salt is held: {}", ctx.buffered_bytes());
}

/// The same attack with a 16 MiB salt: exactly two copies fit beside the original.
#[test]
fn copy_on_write_copies_are_counted_one_by_one() {
    let mut ctx = CryptoCtx::new();
    let o = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    ctx.options_set(o, "salt", &vec![0x55; 16 * MIB]).unwrap();
    let mut copies = 0;
    for i in 0..48 {
        ctx.symmetric_state_open("SHA-256", None, Some(o)).unwrap();
        match ctx.options_set_u64(o, "opslimit", i) {
            Ok(()) => copies += 1,
            Err(e) => assert_eq!(e, E::Overflow),
        }
        within_budget(&ctx);
    }
    assert_eq!(copies, 2);
    // The states keep the values they were opened with.
    assert!(ctx.buffered_bytes() > 48 * MIB);
}

/// A state opened with a generated nonce copies the options it shares: that copy is charged too.
#[test]
fn generated_nonces_copy_the_options_within_the_budget() {
    let mut ctx = CryptoCtx::builder().max_input_len(32 * MIB).build();
    let k = ctx.symmetric_key_generate("XCHACHA20-POLY1305", None).unwrap();
    let o = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    ctx.options_set(o, "context", &vec![1; 32 * MIB]).unwrap();
    assert_eq!(ctx.symmetric_state_open("XCHACHA20-POLY1305", Some(k), Some(o)), Err(E::Overflow));
    within_budget(&ctx);
    ctx.options_set(o, "context", b"small").unwrap();
    assert!(ctx.symmetric_state_open("XCHACHA20-POLY1305", Some(k), Some(o)).is_ok());
}

/// ML-KEM key pairs are charged at an estimate of their size: the default budget runs out long
/// before the handle cap, at about 64 MiB of keys.
#[test]
fn mlkem_key_pairs_are_charged() {
    let mut ctx = CryptoCtx::new();
    let mut count = 0;
    let err = loop {
        match ctx.keypair_generate(AlgorithmType::KeyExchange, "ML-KEM-1024", None) {
            Ok(_) => count += 1,
            Err(e) => break e,
        }
        within_budget(&ctx);
    };
    assert_eq!(err, E::Overflow);
    assert!(count < DEFAULT_MAX_HANDLES / 16, "{count} key pairs");
    assert!(ctx.buffered_bytes() > 60 * MIB, "{}", ctx.buffered_bytes());
    // Every kind of key object is charged: public keys and imports too.
    let mut small = CryptoCtx::builder().max_buffered_bytes(256 << 10).build();
    let kp = small.keypair_generate(AlgorithmType::KeyExchange, "X-WING", None).unwrap();
    let pk = small.keypair_publickey(kp).unwrap();
    let exported = small.publickey_export(pk, PublicKeyEncoding::Raw).unwrap();
    let mut raw = vec![0u8; small.array_output_len(exported).unwrap()];
    small.array_output_pull(exported, &mut raw).unwrap();
    let imports = std::iter::repeat_with(|| {
        small.publickey_import(AlgorithmType::KeyExchange, "X-WING", &raw, PublicKeyEncoding::Raw)
    })
    .take_while(Result::is_ok)
    .take(1000)
    .count();
    assert!((5..100).contains(&imports), "{imports} X-Wing public keys in 256 KiB");
    assert_eq!(
        small.publickey_import(AlgorithmType::KeyExchange, "X-WING", &raw, PublicKeyEncoding::Raw),
        Err(E::Overflow)
    );
    within_budget(&small);
}

/// RSA secret keys are charged: 65 536 handles on RSA keys can no longer pin ~0.5 GiB.
#[test]
fn rsa_keys_are_charged() {
    let mut ctx = CryptoCtx::builder().max_buffered_bytes(2 * MIB).build();
    let kp = ctx.keypair_generate(AlgorithmType::Signatures, "RSA_PKCS1_2048_SHA256", None).unwrap();
    let der = ctx.keypair_export(kp, KeyPairEncoding::Pkcs8).unwrap();
    let mut der_bytes = vec![0u8; ctx.array_output_len(der).unwrap()];
    ctx.array_output_pull(der, &mut der_bytes).unwrap();
    let mut count = 0;
    let err = loop {
        match ctx.secretkey_import(
            AlgorithmType::Signatures,
            "RSA_PKCS1_2048_SHA256",
            &der_bytes,
            SecretKeyEncoding::Pkcs8,
        ) {
            Ok(_) => count += 1,
            Err(e) => break e,
        }
        within_budget(&ctx);
    };
    assert_eq!(err, E::Overflow);
    // About 5 KiB each: 2 MiB hold a few hundred, far fewer than the 65 536 handles allowed.
    assert!((200..600).contains(&count), "{count} RSA-2048 secret keys in 2 MiB");
    // Closing gives the budget back.
    ctx.keypair_close(kp).unwrap();
    assert!(
        ctx.secretkey_import(AlgorithmType::Signatures, "RSA_PKCS1_2048_SHA256", &der_bytes, SecretKeyEncoding::Pkcs8)
            .is_ok()
    );
}

/// Every object behind a handle is charged, and given back on close.
#[test]
fn every_object_is_charged_and_refunded() {
    let mut ctx = CryptoCtx::new();
    let mut last = ctx.buffered_bytes();
    let mut grew = |ctx: &CryptoCtx, what: &str| {
        assert!(ctx.buffered_bytes() > last, "{what} is not charged");
        last = ctx.buffered_bytes();
    };
    let o = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    grew(&ctx, "an option set");
    let k = ctx.symmetric_key_generate("AES-256-GCM", None).unwrap();
    grew(&ctx, "a generated key");
    ctx.options_set(o, "nonce", &[0; 12]).unwrap();
    grew(&ctx, "an option value");
    let s = ctx.symmetric_state_open("AES-256-GCM", Some(k), Some(o)).unwrap();
    grew(&ctx, "an AEAD state");
    ctx.symmetric_state_absorb(s, b"associated data").unwrap();
    grew(&ctx, "associated data");
    let c = ctx.symmetric_state_clone(s).unwrap();
    grew(&ctx, "a clone");
    let t = ctx.symmetric_state_encrypt_detached(s, InOut::separate(b"x", &mut [0u8; 1])).unwrap();
    grew(&ctx, "a tag");
    let h = ctx.symmetric_key_import("HKDF-EXTRACT/SHA-256", b"ikm").unwrap();
    let x = ctx.symmetric_state_open("HKDF-EXTRACT/SHA-256", Some(h), None).unwrap();
    let prk = ctx.symmetric_state_squeeze_key(x, "HKDF-EXPAND/SHA-256").unwrap();
    grew(&ctx, "a squeezed key");
    let kp = ctx.keypair_generate(AlgorithmType::Signatures, "Ed25519", None).unwrap();
    grew(&ctx, "a key pair");
    let sk = ctx.keypair_secretkey(kp).unwrap();
    grew(&ctx, "a secret key");
    let st = ctx.signature_state_open(kp).unwrap();
    grew(&ctx, "a signature state");
    let sig = ctx.signature_state_sign(st).unwrap();
    grew(&ctx, "a signature");
    let pk = ctx.keypair_publickey(kp).unwrap();
    let vs = ctx.signature_verification_state_open(pk).unwrap();
    grew(&ctx, "a verification state");
    let out = ctx.signature_export(sig, wasmcrypt::SignatureEncoding::Raw).unwrap();
    grew(&ctx, "an array output");
    for (close, h) in [
        (CryptoCtx::options_close as fn(&mut CryptoCtx, u32) -> Result<(), E>, o),
        (CryptoCtx::symmetric_key_close, k),
        (CryptoCtx::symmetric_state_close, s),
        (CryptoCtx::symmetric_state_close, c),
        (CryptoCtx::symmetric_tag_close, t),
        (CryptoCtx::symmetric_key_close, h),
        (CryptoCtx::symmetric_state_close, x),
        (CryptoCtx::symmetric_key_close, prk),
        (CryptoCtx::keypair_close, kp),
        (CryptoCtx::secretkey_close, sk),
        (CryptoCtx::signature_state_close, st),
        (CryptoCtx::signature_close, sig),
        (CryptoCtx::publickey_close, pk),
        (CryptoCtx::signature_verification_state_close, vs),
    ] {
        close(&mut ctx, h).unwrap();
    }
    let mut buf = vec![0u8; 64];
    assert_eq!(ctx.array_output_pull(out, &mut buf), Ok(64));
    assert_eq!(ctx.open_handles(), 0);
    assert_eq!(ctx.buffered_bytes(), 0, "everything was given back");
}

#[test]
fn single_inputs_are_capped() {
    let mut ctx = CryptoCtx::builder().max_input_len(1024).build();
    let big = vec![0u8; 1025];
    let fits = vec![0u8; 1024];
    // Option values.
    let o = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    assert_eq!(ctx.options_set(o, "context", &big), Err(E::Overflow));
    assert_eq!(ctx.options_set(o, "context", &fits), Ok(()));
    // Buffering states: AEAD associated data, HKDF salt and info, signature states.
    let k = ctx.symmetric_key_generate("AES-128-GCM", None).unwrap();
    ctx.options_set(o, "nonce", &[0; 12]).unwrap();
    let s = ctx.symmetric_state_open("AES-128-GCM", Some(k), Some(o)).unwrap();
    assert_eq!(ctx.symmetric_state_absorb(s, &big), Err(E::Overflow));
    assert_eq!(ctx.symmetric_state_absorb(s, &fits), Ok(()));
    assert_eq!(ctx.symmetric_state_absorb(s, &fits), Ok(()), "the cap is per call");
    let ikm = ctx.symmetric_key_import("HKDF-EXTRACT/SHA-512", b"ikm").unwrap();
    let x = ctx.symmetric_state_open("HKDF-EXTRACT/SHA-512", Some(ikm), None).unwrap();
    assert_eq!(ctx.symmetric_state_absorb(x, &big), Err(E::Overflow));
    let kp = ctx.keypair_generate(AlgorithmType::Signatures, "ECDSA_P256_SHA256", None).unwrap();
    let st = ctx.signature_state_open(kp).unwrap();
    assert_eq!(ctx.signature_state_update(st, &big), Err(E::Overflow));
    assert_eq!(ctx.signature_state_update(st, &fits), Ok(()));
    let pk = ctx.keypair_publickey(kp).unwrap();
    let vs = ctx.signature_verification_state_open(pk).unwrap();
    assert_eq!(ctx.signature_verification_state_update(vs, &big), Err(E::Overflow));
    // Streaming states copy nothing: no cap.
    let h = ctx.symmetric_state_open("SHA-256", None, None).unwrap();
    assert_eq!(ctx.symmetric_state_absorb(h, &vec![0u8; 1 << 20]), Ok(()));
    // Key imports: beyond the cap `overflow`, beyond any key of the host `invalid_key`.
    assert_eq!(
        ctx.keypair_import(AlgorithmType::Signatures, "ECDSA_P256_SHA256", &big, KeyPairEncoding::Pkcs8),
        Err(E::Overflow)
    );
    assert_eq!(
        ctx.publickey_import(AlgorithmType::Signatures, "Ed25519", &big, PublicKeyEncoding::Pem),
        Err(E::Overflow)
    );
    assert_eq!(
        ctx.secretkey_import(AlgorithmType::KeyExchange, "X25519", &vec![0u8; 70_000], SecretKeyEncoding::Pem),
        Err(E::InvalidKey)
    );
    assert_eq!(
        ctx.keypair_import(AlgorithmType::Signatures, "ECDSA_P256_SHA256", &fits, KeyPairEncoding::Pkcs8),
        Err(E::InvalidKey),
        "within the cap, decoded (and refused)"
    );
    // A Xoodyak squeeze is capped; in-place AEAD encryption is not.
    let xo = ctx.symmetric_state_open("XOODYAK-128", None, None).unwrap();
    assert_eq!(ctx.symmetric_state_squeeze(xo, &mut vec![0u8; 1025]), Err(E::Overflow));
    assert_eq!(ctx.symmetric_state_squeeze(xo, &mut vec![0u8; 1024]), Ok(()));
    let mut message = vec![0u8; (1 << 20) + 16];
    let len = message.len();
    let io = InOut::within(&mut message, 0..len - 16, 0..len).unwrap();
    assert_eq!(ctx.symmetric_state_encrypt(s, io), Ok(len));
}

#[test]
fn hmac_and_hkdf_keys_longer_than_usable_are_invalid() {
    let mut ctx = CryptoCtx::new();
    for alg in ["HMAC/SHA-256", "HMAC/SHA-512", "HKDF-EXTRACT/SHA-256", "HKDF-EXPAND/SHA-512"] {
        assert_eq!(ctx.symmetric_key_import(alg, &[7; 1025]), Err(E::InvalidKey), "{alg}");
        assert_eq!(ctx.symmetric_key_import(alg, &vec![7; 48 * MIB]), Err(E::InvalidKey), "{alg}");
        assert!(ctx.symmetric_key_import(alg, &[7; 1024]).is_ok(), "{alg}");
    }
    assert_eq!(wasmcrypt::symmetric::MAX_HMAC_KEY_LEN, 1024);
}

#[test]
fn refused_calls_allocate_and_charge_nothing() {
    let mut ctx = CryptoCtx::builder().max_buffered_bytes(20 << 10).build();
    let kp = ctx.keypair_generate(AlgorithmType::KeyExchange, "ML-KEM-512", None);
    assert!(kp.is_ok());
    let before = ctx.buffered_bytes();
    for _ in 0..10 {
        assert_eq!(ctx.keypair_generate(AlgorithmType::KeyExchange, "ML-KEM-1024", None), Err(E::Overflow));
        assert_eq!(
            ctx.keypair_generate(AlgorithmType::Signatures, "RSA_PSS_4096_SHA512", None),
            Err(E::Overflow),
            "refused before generating"
        );
    }
    assert_eq!(ctx.buffered_bytes(), before);
    assert_eq!(ctx.open_handles(), 1);
}
