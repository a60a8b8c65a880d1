//! No nonce is used twice by the host's doing (issue 8, item 3): clones of AEAD states get a
//! fresh host nonce or cannot encrypt, a state encrypts at most once per nonce in any order of
//! operations, and keyed Xoodyak encrypts only with a nonce and never in a clone.

use wasmcrypt::{AlgorithmType, CryptoCtx, CryptoError as E, InOut};

fn encrypt(ctx: &mut CryptoCtx, state: u32, message: &[u8]) -> Result<Vec<u8>, E> {
    let mut out = vec![0u8; message.len() + 16];
    ctx.symmetric_state_encrypt(state, InOut::separate(message, &mut out))?;
    Ok(out)
}

fn decrypt(ctx: &mut CryptoCtx, state: u32, ciphertext: &[u8]) -> Result<Vec<u8>, E> {
    let mut out = vec![0u8; ciphertext.len() - 16];
    ctx.symmetric_state_decrypt(state, InOut::separate(ciphertext, &mut out))?;
    Ok(out)
}

fn nonce_of(ctx: &mut CryptoCtx, state: u32) -> Vec<u8> {
    let mut nonce = [0u8; 64];
    let len = ctx.symmetric_state_options_get(state, "nonce", &mut nonce).unwrap();
    nonce[..len].to_vec()
}

fn with_nonce(ctx: &mut CryptoCtx, alg: &str, key: u32, nonce: &[u8]) -> u32 {
    let o = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    ctx.options_set(o, "nonce", nonce).unwrap();
    let s = ctx.symmetric_state_open(alg, Some(key), Some(o)).unwrap();
    ctx.options_close(o).unwrap();
    s
}

#[test]
fn a_clone_of_a_host_nonce_state_gets_a_fresh_nonce() {
    let mut ctx = CryptoCtx::new();
    let k = ctx.symmetric_key_generate("XCHACHA20-POLY1305", None).unwrap();
    let a = ctx.symmetric_state_open("XCHACHA20-POLY1305", Some(k), None).unwrap();
    ctx.symmetric_state_absorb(a, b"header").unwrap();
    let b = ctx.symmetric_state_clone(a).unwrap();
    let (nonce_a, nonce_b) = (nonce_of(&mut ctx, a), nonce_of(&mut ctx, b));
    assert_eq!(nonce_b.len(), 24);
    assert_ne!(nonce_a, nonce_b, "options_get on the clone returns its own, fresh nonce");
    let ct_a = encrypt(&mut ctx, a, b"same message").unwrap();
    let ct_b = encrypt(&mut ctx, b, b"same message").unwrap();
    assert_ne!(ct_a, ct_b, "the two ciphertexts differ");
    // Each decrypts under its own nonce, with the associated data absorbed before the clone.
    for (nonce, ct) in [(nonce_a, ct_a), (nonce_b, ct_b)] {
        let d = with_nonce(&mut ctx, "XCHACHA20-POLY1305", k, &nonce);
        ctx.symmetric_state_absorb(d, b"header").unwrap();
        assert_eq!(decrypt(&mut ctx, d, &ct).unwrap(), b"same message");
    }
}

#[test]
fn a_clone_after_encryption_cannot_encrypt() {
    let mut ctx = CryptoCtx::new();
    let k = ctx.symmetric_key_generate("XCHACHA20-POLY1305", None).unwrap();
    let a = ctx.symmetric_state_open("XCHACHA20-POLY1305", Some(k), None).unwrap();
    let ct = encrypt(&mut ctx, a, b"once").unwrap();
    let b = ctx.symmetric_state_clone(a).unwrap();
    assert_eq!(nonce_of(&mut ctx, a), nonce_of(&mut ctx, b), "the nonce was spent: the clone keeps it");
    assert_eq!(encrypt(&mut ctx, b, b"once"), Err(E::NonceRequired));
    assert_eq!(decrypt(&mut ctx, b, &ct).unwrap(), b"once");
}

#[test]
fn a_clone_of_a_guest_nonce_state_cannot_encrypt() {
    let mut ctx = CryptoCtx::new();
    for (alg, key_len, nonce_len) in [
        ("AES-128-GCM", 16, 12),
        ("AES-256-GCM", 32, 12),
        ("CHACHA20-POLY1305", 32, 12),
        ("XCHACHA20-POLY1305", 32, 24),
    ] {
        let k = ctx.symmetric_key_import(alg, &vec![3; key_len]).unwrap();
        let a = with_nonce(&mut ctx, alg, k, &vec![9; nonce_len]);
        let b = ctx.symmetric_state_clone(a).unwrap();
        assert_eq!(nonce_of(&mut ctx, b), vec![9; nonce_len]);
        assert_eq!(encrypt(&mut ctx, b, b"message"), Err(E::NonceRequired), "{alg}");
        let ct = encrypt(&mut ctx, a, b"message").unwrap();
        assert_eq!(ct.len(), 23);
        assert_eq!(decrypt(&mut ctx, b, &ct).unwrap(), b"message", "{alg}: the clone still decrypts");
        assert_eq!(encrypt(&mut ctx, a, b"message"), Err(E::NonceRequired), "{alg}: once per nonce");
    }
}

#[test]
fn decrypting_spends_the_nonce() {
    let mut ctx = CryptoCtx::new();
    let k = ctx.symmetric_key_import("AES-256-GCM", &[5; 32]).unwrap();
    let sender = with_nonce(&mut ctx, "AES-256-GCM", k, &[1; 12]);
    let ct = encrypt(&mut ctx, sender, b"from the peer").unwrap();
    let receiver = with_nonce(&mut ctx, "AES-256-GCM", k, &[1; 12]);
    assert_eq!(decrypt(&mut ctx, receiver, &ct).unwrap(), b"from the peer");
    assert_eq!(encrypt(&mut ctx, receiver, b"reply"), Err(E::NonceRequired));
    // A failed decryption spends it as well.
    let other = with_nonce(&mut ctx, "AES-256-GCM", k, &[2; 12]);
    let mut forged = ct.clone();
    forged[0] ^= 1;
    assert_eq!(decrypt(&mut ctx, other, &forged), Err(E::InvalidTag));
    assert_eq!(encrypt(&mut ctx, other, b"reply"), Err(E::NonceRequired));
    let mut tag_out = [0u8; 5];
    assert_eq!(
        ctx.symmetric_state_encrypt_detached(other, InOut::separate(b"reply", &mut tag_out)).err(),
        Some(E::NonceRequired)
    );
    // Decryption itself may be repeated.
    assert_eq!(decrypt(&mut ctx, receiver, &ct).unwrap(), b"from the peer");
}

#[test]
fn keyed_xoodyak_encrypts_only_with_a_nonce() {
    let mut ctx = CryptoCtx::new();
    let k = ctx.symmetric_key_import("XOODYAK-160", &[7; 20]).unwrap();
    let s = ctx.symmetric_state_open("XOODYAK-160", Some(k), None).unwrap();
    assert_eq!(encrypt(&mut ctx, s, b"session"), Err(E::NonceRequired));
    let mut out = [0u8; 7];
    assert_eq!(
        ctx.symmetric_state_encrypt_detached(s, InOut::separate(b"session", &mut out)).err(),
        Some(E::NonceRequired)
    );
    assert_eq!(out, [0u8; 7], "nothing was written");
    // MAC and PRF use stays allowed without a nonce.
    ctx.symmetric_state_absorb(s, b"data").unwrap();
    let tag = ctx.symmetric_state_squeeze_tag(s).unwrap();
    assert_eq!(ctx.symmetric_tag_len(tag), Ok(16));
    let mut prf = [0u8; 32];
    ctx.symmetric_state_squeeze(s, &mut prf).unwrap();
    assert_ne!(prf, [0u8; 32]);
    // An empty nonce is no nonce.
    let e = with_nonce(&mut ctx, "XOODYAK-160", k, b"");
    assert_eq!(encrypt(&mut ctx, e, b"session"), Err(E::NonceRequired));
    // With a nonce the session encrypts, as often as it likes (the state moves on).
    let n = with_nonce(&mut ctx, "XOODYAK-160", k, &[1; 16]);
    let c1 = encrypt(&mut ctx, n, b"session").unwrap();
    let c2 = encrypt(&mut ctx, n, b"session").unwrap();
    assert_ne!(c1, c2);
    // Unkeyed Xoodyak does not encrypt at all.
    let h = ctx.symmetric_state_open("XOODYAK-160", None, None).unwrap();
    assert_eq!(encrypt(&mut ctx, h, b"x"), Err(E::InvalidOperation));
}

#[test]
fn a_cloned_keyed_xoodyak_session_cannot_encrypt() {
    let mut ctx = CryptoCtx::new();
    let k = ctx.symmetric_key_import("XOODYAK-128", &[7; 16]).unwrap();
    let a = with_nonce(&mut ctx, "XOODYAK-128", k, &[4; 16]);
    ctx.symmetric_state_absorb(a, b"ad").unwrap();
    let b = ctx.symmetric_state_clone(a).unwrap();
    assert_eq!(encrypt(&mut ctx, b, b"hello"), Err(E::NonceRequired));
    let ct = encrypt(&mut ctx, a, b"hello").unwrap();
    assert_eq!(decrypt(&mut ctx, b, &ct).unwrap(), b"hello", "the clone decrypts what the original sealed");
    // The clone still computes the same MACs as its original would.
    let c = ctx.symmetric_state_clone(a).unwrap();
    let (t1, t2) = (ctx.symmetric_state_squeeze_tag(a).unwrap(), ctx.symmetric_state_squeeze_tag(c).unwrap());
    let mut raw = [0u8; 16];
    ctx.symmetric_tag_pull(t1, &mut raw).unwrap();
    assert_eq!(ctx.symmetric_tag_verify(t2, &raw), Ok(()));
}
