//! One test per errno rule of the symmetric API, through the public `CryptoCtx` API.

use wasmcrypt::{AlgorithmType, CryptoCtx, CryptoError as E, InOut};

fn aead(ctx: &mut CryptoCtx, alg: &str, key: &[u8], nonce: Option<&[u8]>) -> Result<u32, E> {
    let k = ctx.symmetric_key_import(alg, key)?;
    let o = ctx.options_open(AlgorithmType::Symmetric)?;
    if let Some(n) = nonce {
        ctx.options_set(o, "nonce", n)?;
    }
    ctx.symmetric_state_open(alg, Some(k), Some(o))
}

#[test]
fn hash_rules() {
    let mut ctx = CryptoCtx::new();
    let s = ctx.symmetric_state_open("SHA-256", None, None).unwrap();
    assert_eq!(ctx.symmetric_state_squeeze(s, &mut [0u8; 33]), Err(E::InvalidLength));
    assert_eq!(ctx.symmetric_state_squeeze_tag(s), Err(E::InvalidOperation));
    assert_eq!(ctx.symmetric_state_squeeze_key(s, "AES-128-GCM"), Err(E::InvalidOperation));
    assert_eq!(ctx.symmetric_state_ratchet(s), Err(E::InvalidOperation));
    assert_eq!(ctx.symmetric_state_max_tag_len(s), Err(E::InvalidOperation));
    assert_eq!(ctx.symmetric_key_generate("SHA-256", None), Err(E::KeyNotSupported));
    assert_eq!(ctx.symmetric_key_import("SHA-512", b"k"), Err(E::KeyNotSupported));
    let hmac = ctx.symmetric_key_generate("HMAC/SHA-256", None).unwrap();
    assert_eq!(ctx.symmetric_state_open("SHA-256", Some(hmac), None), Err(E::KeyNotSupported));
    assert_eq!(ctx.symmetric_state_open("sha-3", None, None), Err(E::UnsupportedAlgorithm));
}

#[test]
fn hmac_rules() {
    let mut ctx = CryptoCtx::new();
    assert_eq!(ctx.symmetric_state_open("HMAC/SHA-512", None, None), Err(E::KeyRequired));
    let k = ctx.symmetric_key_generate("hmac/sha-512", None).unwrap();
    let exported = ctx.symmetric_key_export(k).unwrap();
    assert_eq!(ctx.array_output_len(exported), Ok(64), "generated HMAC-SHA-512 keys are 64 bytes");
    let k256 = ctx.symmetric_key_generate("HMAC/SHA-256", None).unwrap();
    let exported = ctx.symmetric_key_export(k256).unwrap();
    assert_eq!(ctx.array_output_len(exported), Ok(32));
    assert_eq!(ctx.symmetric_state_open("HMAC/SHA-256", Some(k), None), Err(E::InvalidKey));
    let s = ctx.symmetric_state_open("HMAC/SHA-512", Some(k), None).unwrap();
    ctx.symmetric_state_absorb(s, b"data").unwrap();
    // squeeze_tag is repeatable and covers everything absorbed so far.
    let t1 = ctx.symmetric_state_squeeze_tag(s).unwrap();
    let t2 = ctx.symmetric_state_squeeze_tag(s).unwrap();
    let mut raw = [0u8; 64];
    assert_eq!(ctx.symmetric_tag_pull(t1, &mut raw[..63]), Err(E::Overflow));
    assert_eq!(ctx.symmetric_tag_pull(t1, &mut raw), Ok(64));
    assert_eq!(ctx.symmetric_tag_verify(t2, &raw), Ok(()));
    assert_eq!(ctx.symmetric_tag_len(t1), Err(E::InvalidHandle), "pull closes the tag");
    ctx.symmetric_state_absorb(s, b"more").unwrap();
    let t3 = ctx.symmetric_state_squeeze_tag(s).unwrap();
    assert_eq!(ctx.symmetric_tag_verify(t3, &raw), Err(E::InvalidTag));
    assert_eq!(ctx.symmetric_state_squeeze(s, &mut raw), Err(E::InvalidOperation));
    assert_eq!(ctx.symmetric_state_max_tag_len(s), Ok(64));
}

#[test]
fn hkdf_rules() {
    let mut ctx = CryptoCtx::new();
    let ikm = ctx.symmetric_key_import("HKDF-EXTRACT/SHA-256", b"ikm").unwrap();
    let s = ctx.symmetric_state_open("HKDF-EXTRACT/SHA-256", Some(ikm), None).unwrap();
    assert_eq!(ctx.symmetric_state_squeeze(s, &mut [0u8; 32]), Err(E::InvalidOperation));
    // A 32-byte PRK cannot key HKDF-Expand with SHA-512 (it needs 64 bytes).
    assert_eq!(ctx.symmetric_state_squeeze_key(s, "HKDF-EXPAND/SHA-512"), Err(E::InvalidKey));
    let prk = ctx.symmetric_state_squeeze_key(s, "HKDF-EXPAND/SHA-256").unwrap();
    assert_eq!(ctx.symmetric_state_open("HKDF-EXPAND/SHA-512", Some(prk), None), Err(E::InvalidKey));
    let e = ctx.symmetric_state_open("HKDF-EXPAND/SHA-256", Some(prk), None).unwrap();
    assert_eq!(ctx.symmetric_state_squeeze(e, &mut vec![0u8; 255 * 32 + 1]), Err(E::InvalidLength));
    assert_eq!(ctx.symmetric_state_squeeze(e, &mut vec![0u8; 255 * 32]), Ok(()));
    // The PRK may also key another algorithm of the right size.
    let s = ctx.symmetric_state_open("HKDF-EXTRACT/SHA-256", Some(ikm), None).unwrap();
    assert!(ctx.symmetric_state_squeeze_key(s, "AES-256-GCM").is_ok());
    assert_eq!(ctx.symmetric_state_squeeze_key(s, "AES-128-GCM"), Err(E::InvalidKey));
}

#[test]
fn aead_rules() {
    let mut ctx = CryptoCtx::new();
    let k = ctx.symmetric_key_import("AES-256-GCM", &[1; 32]).unwrap();
    assert_eq!(ctx.symmetric_state_open("AES-256-GCM", Some(k), None), Err(E::NonceRequired));
    assert_eq!(aead(&mut ctx, "AES-256-GCM", &[1; 32], Some(&[0; 13])), Err(E::InvalidNonce));
    assert_eq!(aead(&mut ctx, "CHACHA20-POLY1305", &[1; 32], None), Err(E::NonceRequired));
    assert_eq!(aead(&mut ctx, "XCHACHA20-POLY1305", &[1; 32], Some(&[0; 12])), Err(E::InvalidNonce));
    assert_eq!(aead(&mut ctx, "AES-128-GCM", &[1; 17], Some(&[0; 12])), Err(E::InvalidKey));
    assert_eq!(aead(&mut ctx, "CHACHA20-POLY1305", &[1; 16], Some(&[0; 12])), Err(E::InvalidKey));
    let s = aead(&mut ctx, "AES-128-GCM", &[1; 16], Some(&[0; 12])).unwrap();
    let mut out = [0u8; 20];
    assert_eq!(ctx.symmetric_state_encrypt(s, InOut::separate(b"test", &mut out[..19])), Err(E::InvalidLength));
    assert_eq!(ctx.symmetric_state_encrypt_detached(s, InOut::separate(b"test", &mut out[..5])), Err(E::InvalidLength));
    assert_eq!(ctx.symmetric_state_max_tag_len(s), Ok(16));
    assert_eq!(ctx.symmetric_state_encrypt(s, InOut::separate(b"test", &mut out)), Ok(20));
    // The nonce sealed one message; a second seal would reuse it.
    let mut again = [0u8; 20];
    assert_eq!(ctx.symmetric_state_encrypt(s, InOut::separate(b"test", &mut again)), Err(E::NonceRequired));
    assert_eq!(again, [0u8; 20], "a refused seal writes nothing");
    let d = aead(&mut ctx, "AES-128-GCM", &[1; 16], Some(&[0; 12])).unwrap();
    let mut pt = [9u8; 4];
    assert_eq!(ctx.symmetric_state_decrypt(d, InOut::separate(&out, &mut pt[..3])), Err(E::InvalidLength));
    assert_eq!(ctx.symmetric_state_decrypt(d, InOut::separate(&out[..15], &mut [])), Err(E::InvalidLength));
    assert_eq!(
        ctx.symmetric_state_decrypt_detached(d, InOut::separate(&out[..4], &mut pt), &out[4..19]),
        Err(E::InvalidTag)
    );
    assert_eq!(pt, [0u8; 4], "a failed decryption zeroes the output");
    assert_eq!(ctx.symmetric_state_decrypt_detached(d, InOut::separate(&out[..4], &mut pt), &out[4..]), Ok(4));
    assert_eq!(&pt, b"test");
    // Decryption may be repeated.
    assert_eq!(ctx.symmetric_state_decrypt(d, InOut::separate(&out, &mut pt)), Ok(4));
    assert_eq!(ctx.symmetric_state_squeeze(d, &mut pt), Err(E::InvalidOperation));
    assert_eq!(ctx.symmetric_state_squeeze_tag(d), Err(E::InvalidOperation));
    assert_eq!(ctx.symmetric_state_ratchet(d), Err(E::InvalidOperation));
}

#[test]
fn xchacha_generates_and_exposes_its_nonce() {
    let mut ctx = CryptoCtx::new();
    let k = ctx.symmetric_key_generate("XChaCha20-Poly1305", None).unwrap();
    for options in [None, Some(ctx.options_open(AlgorithmType::Symmetric).unwrap())] {
        let s = ctx.symmetric_state_open("XCHACHA20-POLY1305", Some(k), options).unwrap();
        let mut nonce = [0u8; 24];
        assert_eq!(ctx.symmetric_state_options_get(s, "nonce", &mut nonce[..23]), Err(E::Overflow));
        assert_eq!(ctx.symmetric_state_options_get(s, "nonce", &mut nonce), Ok(24));
        assert_ne!(nonce, [0u8; 24]);
        let mut ct = [0u8; 18];
        ctx.symmetric_state_encrypt(s, InOut::separate(b"hi", &mut ct)).unwrap();
        let o = ctx.options_open(AlgorithmType::Symmetric).unwrap();
        ctx.options_set(o, "nonce", &nonce).unwrap();
        let d = ctx.symmetric_state_open("XCHACHA20-POLY1305", Some(k), Some(o)).unwrap();
        let mut pt = [0u8; 2];
        assert_eq!(ctx.symmetric_state_decrypt(d, InOut::separate(&ct, &mut pt)), Ok(2));
        assert_eq!(&pt, b"hi");
    }
}

#[test]
fn options_rules() {
    let mut ctx = CryptoCtx::new();
    let o = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    assert_eq!(ctx.options_set(o, "fanout", b"x"), Err(E::UnsupportedOption));
    ctx.options_set(o, "context", b"app").unwrap();
    ctx.options_set_u64(o, "threads", 3).unwrap();
    assert_eq!(
        ctx.symmetric_state_open("SHA-256", None, Some(o)),
        Err(E::UnsupportedOption),
        "SHA-256 takes no options"
    );
    let s = ctx.symmetric_state_open("BLAKE3", None, Some(o)).unwrap();
    let mut buf = [0u8; 8];
    assert_eq!(ctx.symmetric_state_options_get(s, "context", &mut buf), Ok(3));
    assert_eq!(&buf[..3], b"app");
    assert_eq!(ctx.symmetric_state_options_get(s, "salt", &mut buf), Err(E::UnsupportedOption), "not BLAKE3's");
    assert_eq!(ctx.symmetric_state_options_get(s, "bogus", &mut buf), Err(E::UnsupportedOption));
    assert_eq!(ctx.symmetric_state_options_get(s, "fanout", &mut buf), Err(E::UnsupportedOption), "BLAKE2b's");
    assert_eq!(ctx.symmetric_state_options_get(s, "threads", &mut buf), Err(E::InvalidOperation), "an integer");
    assert_eq!(ctx.symmetric_state_options_get_u64(s, "threads"), Ok(3));
    assert_eq!(ctx.symmetric_state_options_get_u64(s, "opslimit"), Err(E::UnsupportedOption));
    assert_eq!(ctx.symmetric_state_options_get_u64(s, "memory_limit"), Err(E::UnsupportedOption));
    let sig = ctx.options_open(AlgorithmType::Signatures).unwrap();
    assert_eq!(ctx.symmetric_state_open("SHA-256", None, Some(sig)), Err(E::InvalidHandle));
}

#[test]
fn clones_are_deep_and_keys_are_reference_counted() {
    let mut ctx = CryptoCtx::new();
    let k = ctx.symmetric_key_import("HMAC/SHA-256", b"key").unwrap();
    let s = ctx.symmetric_state_open("HMAC/SHA-256", Some(k), None).unwrap();
    ctx.symmetric_key_close(k).unwrap();
    ctx.symmetric_state_absorb(s, b"a").unwrap();
    let c = ctx.symmetric_state_clone(s).unwrap();
    ctx.symmetric_state_absorb(s, b"b").unwrap();
    let (t1, t2) = (ctx.symmetric_state_squeeze_tag(s).unwrap(), ctx.symmetric_state_squeeze_tag(c).unwrap());
    let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
    ctx.symmetric_tag_pull(t1, &mut a).unwrap();
    ctx.symmetric_tag_pull(t2, &mut b).unwrap();
    assert_ne!(a, b);
    ctx.symmetric_state_absorb(c, b"b").unwrap();
    let t3 = ctx.symmetric_state_squeeze_tag(c).unwrap();
    assert_eq!(ctx.symmetric_tag_verify(t3, &a), Ok(()));
    assert_eq!(ctx.symmetric_key_export(k), Err(E::InvalidHandle));
}

#[test]
fn xoodyak_rules() {
    let mut ctx = CryptoCtx::new();
    assert_eq!(ctx.symmetric_key_import("XOODYAK-128", &[0; 20]), Err(E::InvalidKey));
    let k = ctx.symmetric_key_import("XOODYAK-128", &[7; 16]).unwrap();
    let o = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    ctx.options_set(o, "nonce", &[0; 28]).unwrap();
    assert_eq!(ctx.symmetric_state_open("XOODYAK-128", Some(k), Some(o)), Err(E::InvalidNonce));
    let h = ctx.symmetric_state_open("XOODYAK-128", None, None).unwrap();
    let mut buf = [0u8; 20];
    assert_eq!(ctx.symmetric_state_encrypt(h, InOut::separate(b"test", &mut buf)), Err(E::InvalidOperation));
    assert_eq!(ctx.symmetric_state_ratchet(h), Err(E::InvalidOperation));
    ctx.symmetric_state_squeeze(h, &mut buf).unwrap();
    let s = ctx.symmetric_state_open("XOODYAK-128", Some(k), None).unwrap();
    ctx.symmetric_state_ratchet(s).unwrap();
    let key = ctx.symmetric_state_squeeze_key(s, "XOODYAK-160").unwrap();
    let exported = ctx.symmetric_key_export(key).unwrap();
    assert_eq!(ctx.array_output_len(exported), Ok(20));
}

#[test]
fn xoodyak_aead_round_trip_with_a_nonce() {
    // The construction is the final-round AEAD, Cyclist(K, N, ε); its known answers are checked
    // on the primitive in src/symmetric/xoodyak.rs.
    let mut ctx = CryptoCtx::new();
    let k = ctx.symmetric_key_import("XOODYAK-128", &[1; 16]).unwrap();
    let o = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    ctx.options_set(o, "nonce", &[2; 16]).unwrap();
    let a = ctx.symmetric_state_open("XOODYAK-128", Some(k), Some(o)).unwrap();
    let b = ctx.symmetric_state_open("XOODYAK-128", Some(k), Some(o)).unwrap();
    ctx.symmetric_state_absorb(a, b"ad").unwrap();
    ctx.symmetric_state_absorb(b, b"ad").unwrap();
    let mut ct = [0u8; 21];
    ctx.symmetric_state_encrypt(a, InOut::separate(b"hello", &mut ct)).unwrap();
    let mut pt = [0u8; 5];
    assert_eq!(ctx.symmetric_state_decrypt(b, InOut::separate(&ct, &mut pt)), Ok(5));
    assert_eq!(&pt, b"hello");
}

#[test]
fn buffered_input_is_bounded_per_context() {
    let mut ctx = CryptoCtx::builder().max_buffered_bytes(1 << 20).build();
    let k = ctx.symmetric_key_import("HKDF-EXPAND/SHA-256", &[1; 32]).unwrap();
    let e = ctx.symmetric_state_open("HKDF-EXPAND/SHA-256", Some(k), None).unwrap();
    let kp = ctx.keypair_generate(AlgorithmType::Signatures, "Ed25519", None).unwrap();
    let signing = ctx.signature_state_open(kp).unwrap();
    let s = aead(&mut ctx, "AES-128-GCM", &[1; 16], Some(&[0; 12])).unwrap();
    let chunk = vec![0u8; 256 << 10];
    for _ in 0..3 {
        ctx.symmetric_state_absorb(s, &chunk).unwrap();
    }
    // The handles above are charged too, so a fourth chunk does not fit.
    assert_eq!(ctx.symmetric_state_absorb(s, &chunk), Err(E::Overflow));
    let room = ctx.max_buffered_bytes() - ctx.buffered_bytes();
    assert!(room < chunk.len());
    ctx.symmetric_state_absorb(s, &chunk[..room]).unwrap();
    assert_eq!(ctx.buffered_bytes(), ctx.max_buffered_bytes());
    assert_eq!(ctx.symmetric_state_absorb(s, b"x"), Err(E::Overflow));
    // The budget is shared by every state of the context, and cloning is charged too.
    assert_eq!(ctx.symmetric_state_absorb(e, b"info"), Err(E::Overflow));
    assert_eq!(ctx.symmetric_state_clone(s), Err(E::Overflow));
    assert_eq!(ctx.signature_state_update(signing, b"message"), Err(E::Overflow));
    // Closing a state gives its bytes back.
    ctx.symmetric_state_close(s).unwrap();
    assert_eq!(ctx.symmetric_state_absorb(e, b"info"), Ok(()));
    assert_eq!(ctx.signature_state_update(signing, b"message"), Ok(()));
    let c = ctx.symmetric_state_clone(e).unwrap();
    let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
    ctx.symmetric_state_squeeze(e, &mut a).unwrap();
    ctx.symmetric_state_squeeze(c, &mut b).unwrap();
    assert_eq!(a, b);
}

/// What the handles opened by `open` cost, measured on a context with the default budget.
fn cost_of(open: impl Fn(&mut CryptoCtx)) -> usize {
    let mut ctx = CryptoCtx::new();
    open(&mut ctx);
    ctx.buffered_bytes()
}

#[test]
fn option_values_are_charged_to_the_budget() {
    // The handles themselves are charged: measure them, then allow 100 bytes of values.
    let handles = cost_of(|ctx| {
        let a = ctx.options_open(AlgorithmType::Symmetric).unwrap();
        ctx.options_open(AlgorithmType::Symmetric).unwrap();
        ctx.symmetric_state_open("BLAKE3", None, Some(a)).unwrap();
    });
    let mut ctx = CryptoCtx::builder().max_buffered_bytes(handles + 100).build();
    let a = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    let b = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    ctx.options_set(a, "context", &[1; 60]).unwrap();
    // A state sharing `a`'s values makes the next change of `a` copy them: that copy counts too.
    let s = ctx.symmetric_state_open("BLAKE3", None, Some(a)).unwrap();
    assert_eq!(ctx.options_set(b, "context", &[2; 60]), Err(E::Overflow));
    assert_eq!(ctx.options_set(a, "salt", &[3; 30]), Err(E::Overflow));
    assert_eq!(ctx.options_set_u64(a, "opslimit", 1), Err(E::Overflow), "a copy on write of 60 bytes");
    ctx.symmetric_state_close(s).unwrap();
    ctx.options_set(a, "salt", &[3; 30]).unwrap();
    ctx.options_set_u64(a, "opslimit", 1).unwrap();
    ctx.options_close(a).unwrap();
    assert_eq!(ctx.options_set(b, "context", &[2; 60]), Ok(()));
}

#[test]
fn imported_keys_and_array_outputs_are_charged_to_the_budget() {
    let key = cost_of(|ctx| {
        ctx.symmetric_key_import("HMAC/SHA-256", &[7; 400]).unwrap();
    });
    let mut ctx = CryptoCtx::builder().max_buffered_bytes(2 * key).build();
    let a = ctx.symmetric_key_import("HMAC/SHA-256", &[7; 400]).unwrap();
    let b = ctx.symmetric_key_import("HMAC/SHA-256", &[7; 400]).unwrap();
    assert_eq!(ctx.symmetric_key_import("HMAC/SHA-256", &[7; 400]), Err(E::Overflow));
    // Exporting copies the key into an array output, which is charged until pulled.
    assert_eq!(ctx.symmetric_key_export(a), Err(E::Overflow));
    ctx.symmetric_key_close(b).unwrap();
    let out = ctx.symmetric_key_export(a).unwrap();
    assert_eq!(ctx.symmetric_key_import("HMAC/SHA-256", &[7; 400]), Err(E::Overflow));
    let mut buf = vec![0u8; 400];
    assert_eq!(ctx.array_output_pull(out, &mut buf), Ok(400));
    assert!(ctx.symmetric_key_import("HMAC/SHA-256", &[7; 400]).is_ok(), "pulled outputs give their bytes back");
}
