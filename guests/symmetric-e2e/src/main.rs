//! End-to-end checks of wasmcrypt's symmetric API, written against the crates.io client
//! `wasi-crypto-guest` 0.1.7 exactly as existing guests use it. Prints one line per check and a
//! closing `N passed, N failed` line; exits with 1 if any check failed.

use wasi_crypto_guest::prelude::*;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

type Check = Result<(), String>;

fn eq(got: &[u8], want: &[u8]) -> Check {
    if got == want { Ok(()) } else { Err(format!("got {got:02x?}, want {want:02x?}")) }
}

fn err<T>(r: Result<T, WasiCryptoError>, want: WasiCryptoError) -> Check {
    match r {
        Err(e) if e == want => Ok(()),
        Err(e) => Err(format!("got error {e:?}, want {want:?}")),
        Ok(_) => Err(format!("succeeded, want {want:?}")),
    }
}

fn c<T>(r: Result<T, WasiCryptoError>) -> Result<T, String> {
    r.map_err(|e| format!("unexpected error {e:?}"))
}

fn hashes() -> Check {
    let abc = b"abc";
    eq(
        &c(Hash::hash("SHA-256", abc, 32, None))?,
        &hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    )?;
    eq(
        &c(Hash::hash("SHA-384", abc, 48, None))?,
        &hex("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"),
    )?;
    eq(
        &c(Hash::hash("sha-512", abc, 64, None))?,
        &hex(
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
        ),
    )?;
    eq(
        &c(Hash::hash("SHA-512/256", abc, 32, None))?,
        &hex("53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23"),
    )?;
    // Squeezing truncates; longer than the digest is invalid_length.
    eq(&c(Hash::hash("SHA-256", abc, 8, None))?, &hex("ba7816bf8f01cfea"))?;
    err(Hash::hash("SHA-256", abc, 33, None), WasiCryptoError::InvalidLength)
}

fn incremental_hash() -> Check {
    let mut state = c(SymmetricState::new("SHA-256", None, None))?;
    c(state.absorb(b"a"))?;
    c(state.absorb(b"bc"))?;
    eq(&c(state.squeeze(32))?, &hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
}

fn hmac() -> Check {
    // RFC 4231, test case 2.
    let key = c(AuthKey::from_raw("HMAC/SHA-256", b"Jefe"))?;
    let tag = c(Auth::auth(b"what do ya want for nothing?", &key))?;
    eq(&tag, &hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"))?;
    c(Auth::auth_verify(b"what do ya want for nothing?", &key, &tag))?;
    let mut bad = tag.clone();
    bad[0] ^= 1;
    err(Auth::auth_verify(b"what do ya want for nothing?", &key, bad), WasiCryptoError::InvalidTag)?;
    let key = c(AuthKey::from_raw("HMAC/SHA-512", b"Jefe"))?;
    eq(
        &c(Auth::auth(b"what do ya want for nothing?", &key))?,
        &hex(
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
        ),
    )?;
    let generated = c(AuthKey::generate("HMAC/SHA-512"))?;
    let tag = c(Auth::auth(b"x", &generated))?;
    c(Auth::auth_verify(b"x", &generated, tag))
}

fn hkdf() -> Check {
    // RFC 5869, test case 1.
    let ikm = [0x0b; 22];
    let salt = hex("000102030405060708090a0b0c");
    let info = hex("f0f1f2f3f4f5f6f7f8f9");
    let key = c(HkdfKey::from_raw("HKDF-EXTRACT/SHA-256", ikm))?;
    let prk = c(Hkdf::new("HKDF-EXPAND/SHA-256", &key, Some(&salt)))?;
    eq(
        &c(prk.expand(&info, 42))?,
        &hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"),
    )?;
    // Too long an output (more than 255 blocks) is an error.
    err(prk.expand(&info, 255 * 32 + 1), WasiCryptoError::InvalidLength)?;
    let key = c(HkdfKey::generate("HKDF-EXTRACT/SHA-512"))?;
    let prk = c(Hkdf::new("HKDF-EXPAND/SHA-512", &key, Some(b"salt")))?;
    let okm = c(prk.expand("info", 100))?;
    if okm.len() != 100 {
        return Err("wrong OKM length".into());
    }
    Ok(())
}

fn aes_gcm() -> Check {
    // The GCM specification, test case 3.
    let key = c(AeadKey::from_raw("AES-128-GCM", hex("feffe9928665731c6d6a8f9467308308")))?;
    let nonce = hex("cafebabefacedbaddecaf888");
    let pt = hex(
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
    );
    let ct = hex(
        "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
    );
    let tag = hex("4d5c2af327cd64a62cf35abd2ba6fab4");
    let mut aead = c(Aead::new(&key, Some(&nonce), None))?;
    let sealed = c(aead.encrypt(&pt))?;
    eq(&sealed[..64], &ct)?;
    eq(&sealed[64..], &tag)?;
    let mut aead = c(Aead::new(&key, Some(&nonce), None))?;
    eq(&c(aead.decrypt(&sealed))?, &pt)?;
    let mut tampered = sealed.clone();
    tampered[3] ^= 0x80;
    let mut aead = c(Aead::new(&key, Some(&nonce), None))?;
    err(aead.decrypt(&tampered), WasiCryptoError::InvalidTag)?;
    // A nonce is required, and must be 12 bytes.
    err(Aead::new(&key, None, None), WasiCryptoError::NonceRequired)?;
    err(Aead::new(&key, Some(&[0u8; 8]), None), WasiCryptoError::InvalidNonce)?;
    // Wrong-length keys are errors.
    err(AeadKey::from_raw("AES-128-GCM", [0u8; 15]), WasiCryptoError::InvalidKey)?;
    err(AeadKey::from_raw("AES-256-GCM", [0u8; 16]), WasiCryptoError::InvalidKey)
}

fn chacha20_poly1305() -> Check {
    // RFC 8439, section 2.8.2.
    let key = c(AeadKey::from_raw(
        "CHACHA20-POLY1305",
        hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"),
    ))?;
    let nonce = hex("070000004041424344454647");
    let aad = hex("50515253c0c1c2c3c4c5c6c7");
    let pt = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
    let mut aead = c(Aead::new(&key, Some(&nonce), Some(&aad)))?;
    let sealed = c(aead.encrypt(pt))?;
    eq(&sealed[..16], &hex("d31a8d34648e60db7b86afbc53ef7ec2"))?;
    eq(&sealed[pt.len()..], &hex("1ae10b594f09e26a7e902ecbd0600691"))?;
    let mut aead = c(Aead::new(&key, Some(&nonce), Some(&aad)))?;
    eq(&c(aead.decrypt(&sealed))?, pt)
}

fn xchacha20_poly1305() -> Check {
    // No nonce given: the host generates a 24-byte one and exposes it as the "nonce" option.
    let key = c(SymmetricKey::generate("XCHACHA20-POLY1305", None))?;
    let mut state = c(SymmetricState::new("XCHACHA20-POLY1305", Some(&key), None))?;
    c(state.absorb(b"ad"))?;
    let sealed = c(state.encrypt(b"hello"))?;
    // A fresh state gets a fresh random nonce, so it cannot open the first message.
    let mut other = c(SymmetricState::new("XCHACHA20-POLY1305", Some(&key), None))?;
    c(other.absorb(b"ad"))?;
    err(other.decrypt(&sealed), WasiCryptoError::InvalidTag)?;
    let mut options = SymmetricOptions::new();
    let nonce = [0x24u8; 24];
    c(options.set("nonce", nonce))?;
    let mut a = c(SymmetricState::new("XCHACHA20-POLY1305", Some(&key), Some(&options)))?;
    let sealed = c(a.encrypt(b"hello"))?;
    let mut b = c(SymmetricState::new("XCHACHA20-POLY1305", Some(&key), Some(&options)))?;
    eq(&c(b.decrypt(&sealed))?, b"hello")
}

fn xoodyak_session() -> Check {
    // The session pattern of wasi-crypto-guest's own test suite.
    let mut options = SymmetricOptions::new();
    c(options.set("nonce", [0u8; 12]))?;
    let key = c(SymmetricKey::generate("XOODYAK-128", None))?;
    let mut state = c(SymmetricState::new("XOODYAK-128", Some(&key), Some(&options)))?;
    let _ = c(state.squeeze_tag())?;
    let mut ciphertext = vec![0u8; 4];
    let tag = c(state.encrypt_detached(&mut ciphertext, b"test"))?;
    c(state.ratchet())?;

    let mut state = c(SymmetricState::new("XOODYAK-128", Some(&key), Some(&options)))?;
    let session_tag = c(state.squeeze_tag())?;
    let mut out = vec![0u8; 4];
    c(state.decrypt_detached(&mut out, &ciphertext, &tag))?;
    eq(&out, b"test")?;

    let mut state = c(SymmetricState::new("XOODYAK-128", Some(&key), Some(&options)))?;
    c(state.verify(&session_tag))?;

    // Attached encryption round trip, squeeze_key into another Xoodyak key. A keyed session
    // encrypts only with a nonce.
    let key160 = c(SymmetricKey::from_raw("XOODYAK-160", [7u8; 20]))?;
    let mut s1 = c(SymmetricState::new("XOODYAK-160", Some(&key160), Some(&options)))?;
    let mut s2 = c(SymmetricState::new("XOODYAK-160", Some(&key160), Some(&options)))?;
    let sealed = c(s1.encrypt(b"session"))?;
    eq(&c(s2.decrypt(&sealed))?, b"session")?;
    let k1 = c(s1.squeeze_key("XOODYAK-128"))?;
    let k2 = c(s2.squeeze_key("XOODYAK-128"))?;
    eq(&c(k1.raw())?, &c(k2.raw())?)
}

fn keys_and_errors() -> Check {
    err(SymmetricState::new("HMAC/SHA-256", None, None), WasiCryptoError::KeyRequired)?;
    err(SymmetricKey::generate("SHA-256", None), WasiCryptoError::KeyNotSupported)?;
    err(SymmetricKey::generate("MD5", None), WasiCryptoError::UnsupportedAlgorithm)?;
    let key = c(SymmetricKey::from_raw("AES-256-GCM", [9u8; 32]))?;
    eq(&c(key.raw())?, &[9u8; 32])?;
    let mut options = SymmetricOptions::new();
    err(options.set("fanout", b"x"), WasiCryptoError::UnsupportedOption)?;
    let mut state = c(SymmetricState::new("SHA-256", None, None))?;
    err(state.squeeze_tag(), WasiCryptoError::InvalidOperation)?;
    err(state.encrypt(b"x"), WasiCryptoError::InvalidOperation)
}

const CHECKS: [(&str, fn() -> Check); 9] = [
    ("hashes (FIPS 180-4)", hashes),
    ("incremental hash", incremental_hash),
    ("HMAC (RFC 4231)", hmac),
    ("HKDF (RFC 5869)", hkdf),
    ("AES-GCM (GCM spec TC3)", aes_gcm),
    ("ChaCha20-Poly1305 (RFC 8439)", chacha20_poly1305),
    ("XChaCha20-Poly1305", xchacha20_poly1305),
    ("Xoodyak sessions", xoodyak_session),
    ("keys and errors", keys_and_errors),
];

fn main() {
    let mut failed = 0;
    for (name, check) in CHECKS {
        match check() {
            Ok(()) => println!("ok   {name}"),
            Err(e) => {
                failed += 1;
                println!("FAIL {name}: {e}");
            }
        }
    }
    println!("guest: {} passed, {} failed", CHECKS.len() - failed, failed);
    std::process::exit(if failed == 0 { 0 } else { 1 });
}
