//! A wasip2 command component exercising every interface of `wasi:crypto@0.11.0` and
//! wasmcrypt's extensions. Usage (one mode per run; one `name=value` line per check, exit code
//! 1 if any check failed):
//!
//! - `crypto-p2 kat`: known answers (SHA-256, HMAC, HKDF, AES-GCM, Xoodyak, Ed25519, X25519,
//!   ML-KEM round trip, encodings).
//! - `crypto-p2 errno`: error cases, each as a `crypto-errno` case.
//! - `crypto-p2 password`: Argon2 (RFC 9106) and scrypt (RFC 7914) known answers with the
//!   scratch memory given by `options-set-guest-buffer`, PHC strings, and the buffer's errno
//!   cases; run with `--max-buffered-bytes 4MiB` (a 5 MiB buffer must give `overflow`).
//! - `crypto-p2 drops N`: opens and drops N resources of every kind; prints `dropped=N`.
//! - `crypto-p2 hold N`: holds symmetric states open until the host refuses one; prints
//!   `held=<count> errno=<case>`, then drops them all and opens one more (`reopen=ok`).
//! - `crypto-p2 managed`: guest-created managed keys and external secrets.
//! - `crypto-p2 managed-hmac ID MESSAGE`: HMAC/SHA-256 with the managed key `ID`; prints
//!   `hmac=<hex>` and `export=<case>`.
//! - `crypto-p2 persist-store` / `crypto-p2 persist-load ID`: stores a managed key and prints
//!   its id; loads it by id in a later run and prints its HMAC of "x".

wit_bindgen::generate!({
    path: "../../crates/wasmcrypt-wasmtime/wit",
    world: "wasmcrypt:crypto/imports",
    additional_derives: [PartialEq, Eq],
    generate_all,
});

use wasi::crypto::wasi_ephemeral_crypto_asymmetric_common as asym;
use wasi::crypto::wasi_ephemeral_crypto_common::{self as common, AlgorithmType, CryptoErrno, Version};
use wasi::crypto::wasi_ephemeral_crypto_external_secrets as ext_secrets;
use wasi::crypto::wasi_ephemeral_crypto_kx as kx;
use wasi::crypto::wasi_ephemeral_crypto_signatures as sig;
use wasi::crypto::wasi_ephemeral_crypto_symmetric as sym;
use wasmcrypt::crypto::{external_secrets_ext, symmetric_ext};

static FAILED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

fn check<T: std::fmt::Debug + PartialEq>(name: &str, got: T, want: T) {
    if got == want {
        println!("{name}=ok");
    } else {
        FAILED.store(true, std::sync::atomic::Ordering::Relaxed);
        println!("{name}=FAIL got {got:?} want {want:?}");
    }
}

fn errno<T>(r: Result<T, CryptoErrno>) -> Option<CryptoErrno> {
    r.err()
}

fn pull(output: common::ArrayOutput) -> Vec<u8> {
    common::array_output_pull(output).unwrap()
}

fn hash(alg: &str, data: &[u8]) -> Vec<u8> {
    let state = sym::symmetric_state_open(alg, None, None).unwrap();
    sym::symmetric_state_absorb(&state, data).unwrap();
    sym::symmetric_state_squeeze(&state).unwrap()
}

fn hmac(key: &sym::SymmetricKey, data: &[u8]) -> Vec<u8> {
    let state = sym::symmetric_state_open("HMAC/SHA-256", Some(key), None).unwrap();
    sym::symmetric_state_absorb(&state, data).unwrap();
    sym::symmetric_tag_pull(sym::symmetric_state_squeeze_tag(&state).unwrap()).unwrap()
}

fn aes_gcm_state(key: &sym::SymmetricKey, nonce: &[u8]) -> common::SymmetricState {
    nonce_state("AES-128-GCM", key, nonce)
}

fn nonce_state(alg: &str, key: &sym::SymmetricKey, nonce: &[u8]) -> common::SymmetricState {
    let options = common::options_open(AlgorithmType::Symmetric).unwrap();
    common::options_set(&options, "nonce", nonce).unwrap();
    sym::symmetric_state_open(alg, Some(key), Some(&options)).unwrap()
}

fn known_answers() {
    check(
        "sha256",
        hex(&hash("SHA-256", b"abc")),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".into(),
    );
    check("sha512-len", hash("sha-512", b"").len(), 64);

    // RFC 4231, test case 2.
    let key = sym::symmetric_key_import("HMAC/SHA-256", b"Jefe").unwrap();
    let tag = hmac(&key, b"what do ya want for nothing?");
    check("hmac", hex(&tag), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843".into());
    let state = sym::symmetric_state_open("HMAC/SHA-256", Some(&key), None).unwrap();
    sym::symmetric_state_absorb(&state, b"what do ya want for nothing?").unwrap();
    let computed = sym::symmetric_state_squeeze_tag(&state).unwrap();
    check("tag-len", sym::symmetric_tag_len(&computed), Ok(32));
    check("tag-verify", sym::symmetric_tag_verify(&computed, &tag), Ok(()));
    let mut wrong = tag.clone();
    wrong[0] ^= 1;
    check("tag-verify-wrong", errno(sym::symmetric_tag_verify(&computed, &wrong)), Some(CryptoErrno::InvalidTag));
    check("tag-close", sym::symmetric_tag_close(computed), Ok(()));

    // RFC 5869, test case 1: extract, then expand (default squeeze = one block; squeeze-n = L).
    let ikm = sym::symmetric_key_import("HKDF-EXTRACT/SHA-256", &[0x0b; 22]).unwrap();
    let extract = sym::symmetric_state_open("HKDF-EXTRACT/SHA-256", Some(&ikm), None).unwrap();
    sym::symmetric_state_absorb(&extract, &unhex("000102030405060708090a0b0c")).unwrap();
    let prk = sym::symmetric_state_squeeze_key(&extract, "HKDF-EXPAND/SHA-256").unwrap();
    check(
        "hkdf-prk",
        hex(&pull(sym::symmetric_key_export(&prk).unwrap())),
        "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5".into(),
    );
    let okm = "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865";
    let expand = sym::symmetric_state_open("HKDF-EXPAND/SHA-256", Some(&prk), None).unwrap();
    sym::symmetric_state_absorb(&expand, &unhex("f0f1f2f3f4f5f6f7f8f9")).unwrap();
    check("hkdf-squeeze-len", symmetric_ext::squeeze_len(&expand), Ok(32));
    check("hkdf-squeeze", hex(&sym::symmetric_state_squeeze(&expand).unwrap()), okm[..64].into());
    check("hkdf-squeeze-n", hex(&symmetric_ext::squeeze_n(&expand, 42).unwrap()), okm.into());
    check(
        "sha256-squeeze-n-16",
        symmetric_ext::squeeze_n(&sym::symmetric_state_open("SHA-256", None, None).unwrap(), 16).map(|v| v.len()),
        Ok(16),
    );

    // AES-128-GCM, McGrew-Viega test case 3.
    let key = sym::symmetric_key_import("AES-128-GCM", &unhex("feffe9928665731c6d6a8f9467308308")).unwrap();
    let nonce = unhex("cafebabefacedbaddecaf888");
    let pt = unhex(
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
    );
    let ct = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985";
    let tag = "4d5c2af327cd64a62cf35abd2ba6fab4";
    let enc = aes_gcm_state(&key, &nonce);
    check("aes-gcm-max-tag-len", sym::symmetric_state_max_tag_len(&enc), Ok(16));
    let sealed = sym::symmetric_state_encrypt(&enc, &pt).unwrap();
    check("aes-gcm-encrypt", hex(&sealed), format!("{ct}{tag}"));
    let opened = sym::symmetric_state_decrypt(&aes_gcm_state(&key, &nonce), &sealed, pt.len() as u32).unwrap();
    check("aes-gcm-decrypt", opened, pt.clone());
    let (body, detached) = sym::symmetric_state_encrypt_detached(&aes_gcm_state(&key, &nonce), &pt).unwrap();
    check("aes-gcm-detached", hex(&body), ct.into());
    check("aes-gcm-detached-tag", hex(&sym::symmetric_tag_pull(detached).unwrap()), tag.into());
    let opened = sym::symmetric_state_decrypt_detached(&aes_gcm_state(&key, &nonce), &unhex(ct), &unhex(tag));
    check("aes-gcm-decrypt-detached", opened, Ok(pt.clone()));
    check(
        "aes-gcm-nonce-get",
        sym::symmetric_state_options_get(&aes_gcm_state(&key, &nonce), "nonce"),
        Ok(nonce.clone()),
    );
    // The host writes a result into the list it returned last when the length is the same: a
    // second seal must leave the first one's bytes in the guest as they were.
    let again = sym::symmetric_state_encrypt(&aes_gcm_state(&key, &nonce), &pt).unwrap();
    check("aes-gcm-encrypt-again", (hex(&sealed), hex(&again)), (format!("{ct}{tag}"), format!("{ct}{tag}")));
    let mut forged = sealed.clone();
    forged[0] ^= 1;
    let forged = sym::symmetric_state_decrypt(&aes_gcm_state(&key, &nonce), &forged, pt.len() as u32);
    check("aes-gcm-forged", forged.err(), Some(CryptoErrno::InvalidTag));
    let opened = sym::symmetric_state_decrypt(&aes_gcm_state(&key, &nonce), &sealed, pt.len() as u32);
    check("aes-gcm-decrypt-after-forged", opened, Ok(pt.clone()));

    // AES-CBC (SP 800-38A F.2.1) pads to whole blocks: its results are shorter than the room
    // the host makes for a tag, and a decryption is shorter than its input.
    let cbc_key = sym::symmetric_key_import("AES-128-CBC", &unhex("2b7e151628aed2a6abf7158809cf4f3c")).unwrap();
    let iv = unhex("000102030405060708090a0b0c0d0e0f");
    let p = unhex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
    let c = sym::symmetric_state_encrypt(&nonce_state("AES-128-CBC", &cbc_key, &iv), &p).unwrap();
    check(
        "aes-cbc-sp800-38a",
        (c.len(), hex(&c[..32])),
        (48, "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2".into()),
    );
    let short = sym::symmetric_state_encrypt(&nonce_state("AES-128-CBC", &cbc_key, &iv), &p[..5]).unwrap();
    check("aes-cbc-padded-len", short.len(), 16);
    let opened = sym::symmetric_state_decrypt(&nonce_state("AES-128-CBC", &cbc_key, &iv), &short, 16);
    check("aes-cbc-unpadded", opened, Ok(p[..5].to_vec()));

    // Xoodyak: hash mode default squeeze is 32 bytes; a keyed session round trip.
    check("xoodyak-squeeze-len", hash("Xoodyak-128", b"").len(), 32);
    let xkey = sym::symmetric_key_generate("Xoodyak-128", None).unwrap();
    let options = common::options_open(AlgorithmType::Symmetric).unwrap();
    common::options_set(&options, "nonce", &[7; 16]).unwrap();
    let a = sym::symmetric_state_open("Xoodyak-128", Some(&xkey), Some(&options)).unwrap();
    let sealed = sym::symmetric_state_encrypt(&a, b"session").unwrap();
    let b = sym::symmetric_state_open("Xoodyak-128", Some(&xkey), Some(&options)).unwrap();
    check("xoodyak-roundtrip", sym::symmetric_state_decrypt(&b, &sealed, 7), Ok(b"session".to_vec()));
    check("xoodyak-ratchet", sym::symmetric_state_ratchet(&a), Ok(()));
    let clone = sym::symmetric_state_clone(&a).unwrap();
    check("state-clone-close", sym::symmetric_state_close(clone), Ok(()));

    // RFC 8032, test 1 (empty message).
    let sk = asym::secretkey_import(
        AlgorithmType::Signatures,
        "Ed25519",
        &unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"),
        common::SecretkeyEncoding::Raw,
    )
    .unwrap();
    let pk = asym::publickey_from_secretkey(&sk).unwrap();
    check(
        "ed25519-pk",
        hex(&pull(asym::publickey_export(&pk, common::PublickeyEncoding::Raw).unwrap())),
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a".into(),
    );
    check("ed25519-pk-verify", asym::publickey_verify(&pk), Ok(()));
    let kp = asym::keypair_from_pk_and_sk(&pk, &sk).unwrap();
    let state = sig::signature_state_open(&kp).unwrap();
    let signature = sig::signature_state_sign(&state).unwrap();
    let raw = pull(sig::signature_export(&signature, common::SignatureEncoding::Raw).unwrap());
    check(
        "ed25519-sign",
        hex(&raw),
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b".into(),
    );
    let imported = sig::signature_import("Ed25519", &raw, common::SignatureEncoding::Raw).unwrap();
    let verify = sig::signature_verification_state_open(&pk).unwrap();
    check("ed25519-verify", sig::signature_verification_state_verify(&verify, &imported), Ok(()));
    sig::signature_verification_state_update(&verify, b"x").unwrap();
    check(
        "ed25519-verify-wrong",
        errno(sig::signature_verification_state_verify(&verify, &imported)),
        Some(CryptoErrno::VerificationFailed),
    );
    check("signature-close", sig::signature_close(imported), Ok(()));
    check("signature-state-close", sig::signature_state_close(state), Ok(()));
    check("verification-state-close", sig::signature_verification_state_close(verify), Ok(()));
    let pkcs8 = pull(asym::keypair_export(&kp, common::KeypairEncoding::Pkcs8).unwrap());
    let again = asym::keypair_import(AlgorithmType::Signatures, "Ed25519", &pkcs8, common::KeypairEncoding::Pkcs8);
    check("ed25519-pkcs8-roundtrip", again.is_ok(), true);
    let generated = asym::keypair_generate(AlgorithmType::Signatures, "ECDSA_P256_SHA256", None).unwrap();
    let state = sig::signature_state_open(&generated).unwrap();
    sig::signature_state_update(&state, b"message").unwrap();
    let signature = sig::signature_state_sign(&state).unwrap();
    let pk = asym::keypair_publickey(&generated).unwrap();
    let verify = sig::signature_verification_state_open(&pk).unwrap();
    sig::signature_verification_state_update(&verify, b"message").unwrap();
    check("p256-sign-verify", sig::signature_verification_state_verify(&verify, &signature), Ok(()));
    check("keypair-secretkey", asym::keypair_secretkey(&generated).map(|_| ()), Ok(()));
    check("keypair-close", asym::keypair_close(generated), Ok(()));
    check("publickey-close", asym::publickey_close(pk), Ok(()));

    // RFC 7748, section 6.1.
    let alice = asym::secretkey_import(
        AlgorithmType::KeyExchange,
        "X25519",
        &unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"),
        common::SecretkeyEncoding::Raw,
    )
    .unwrap();
    let bob = asym::publickey_import(
        AlgorithmType::KeyExchange,
        "X25519",
        &unhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"),
        common::PublickeyEncoding::Raw,
    )
    .unwrap();
    check(
        "x25519",
        hex(&pull(kx::kx_dh(&bob, &alice).unwrap())),
        "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742".into(),
    );
    check(
        "secretkey-export",
        asym::secretkey_export(&alice, common::SecretkeyEncoding::Raw).map(|o| hex(&pull(o))),
        Ok("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a".into()),
    );
    check("secretkey-close", asym::secretkey_close(alice), Ok(()));

    // ML-KEM-768: encapsulate, decapsulate, same secret.
    let kem = asym::keypair_generate(AlgorithmType::KeyExchange, "ML-KEM-768", None).unwrap();
    let (secret, ciphertext) = kx::kx_encapsulate(&asym::keypair_publickey(&kem).unwrap()).unwrap();
    check("array-output-len", common::array_output_len(&ciphertext), Ok(1088));
    let secret = pull(secret);
    let decapsulated = pull(kx::kx_decapsulate(&asym::keypair_secretkey(&kem).unwrap(), &pull(ciphertext)).unwrap());
    check("ml-kem-768", decapsulated, secret);

    let options = common::options_open(AlgorithmType::Symmetric).unwrap();
    check("options-close", common::options_close(options), Ok(()));
    check("symmetric-key-close", sym::symmetric_key_close(key), Ok(()));
}

fn errno_cases() {
    use CryptoErrno as E;
    check("unsupported-algorithm", errno(sym::symmetric_state_open("NOPE", None, None)), Some(E::UnsupportedAlgorithm));
    let hkey = sym::symmetric_key_import("HMAC/SHA-256", b"k").unwrap();
    check(
        "key-not-supported",
        errno(sym::symmetric_state_open("SHA-256", Some(&hkey), None)),
        Some(E::KeyNotSupported),
    );
    check("key-required", errno(sym::symmetric_state_open("HMAC/SHA-256", None, None)), Some(E::KeyRequired));
    check("invalid-key", errno(sym::symmetric_key_import("AES-128-GCM", &[0; 15])), Some(E::InvalidKey));
    let mac = sym::symmetric_state_open("HMAC/SHA-256", Some(&hkey), None).unwrap();
    check("squeeze-on-mac", errno(sym::symmetric_state_squeeze(&mac)), Some(E::InvalidOperation));
    check("squeeze-len-on-mac", errno(symmetric_ext::squeeze_len(&mac)), Some(E::InvalidOperation));
    check("encrypt-on-mac", errno(sym::symmetric_state_encrypt(&mac, b"x")), Some(E::InvalidOperation));
    let sha = sym::symmetric_state_open("SHA-256", None, None).unwrap();
    check("squeeze-n-too-long", errno(symmetric_ext::squeeze_n(&sha, 33)), Some(E::InvalidLength));
    check("squeeze-n-above-cap", errno(symmetric_ext::squeeze_n(&sha, u32::MAX)), Some(E::Overflow));
    let key = sym::symmetric_key_generate("AES-128-GCM", None).unwrap();
    check("nonce-required", errno(sym::symmetric_state_open("AES-128-GCM", Some(&key), None)), Some(E::NonceRequired));
    let options = common::options_open(AlgorithmType::Symmetric).unwrap();
    common::options_set(&options, "nonce", &[0; 12]).unwrap();
    let sealed = {
        let s = sym::symmetric_state_open("AES-128-GCM", Some(&key), Some(&options)).unwrap();
        sym::symmetric_state_encrypt(&s, b"hello").unwrap()
    };
    let open = || sym::symmetric_state_open("AES-128-GCM", Some(&key), Some(&options)).unwrap();
    check("decrypt-out-len", errno(sym::symmetric_state_decrypt(&open(), &sealed, 4)), Some(E::InvalidLength));
    check(
        "decrypt-out-len-huge",
        errno(sym::symmetric_state_decrypt(&open(), &sealed, u32::MAX)),
        Some(E::InvalidLength),
    );
    let mut tampered = sealed.clone();
    tampered[0] ^= 1;
    check("decrypt-tampered", errno(sym::symmetric_state_decrypt(&open(), &tampered, 5)), Some(E::InvalidTag));
    check("decrypt-short", errno(sym::symmetric_state_decrypt(&open(), &[0; 3], 0)), Some(E::InvalidLength));
    let blake3 = sym::symmetric_state_open("BLAKE3", None, None).unwrap();
    check("option-not-set", errno(sym::symmetric_state_options_get(&blake3, "context")), Some(E::OptionNotSet));
    check("option-of-another", errno(sym::symmetric_state_options_get(&sha, "context")), Some(E::UnsupportedOption));
    check(
        "guest-buffer-name",
        errno(common::options_set_guest_buffer(&options, "nonce", &[0; 64])),
        Some(E::UnsupportedOption),
    );
    check("unknown-option", errno(common::options_set(&options, "no-such-option", b"x")), Some(E::UnsupportedOption));
    check(
        "invalid-nonce",
        {
            let o = common::options_open(AlgorithmType::Symmetric).unwrap();
            common::options_set(&o, "nonce", &[0; 5]).unwrap();
            errno(sym::symmetric_state_open("AES-128-GCM", Some(&key), Some(&o)))
        },
        Some(E::InvalidNonce),
    );
    let sig_options = common::options_open(AlgorithmType::Signatures).unwrap();
    check(
        "options-of-wrong-type",
        errno(sym::symmetric_state_open("AES-128-GCM", Some(&key), Some(&sig_options))),
        Some(E::InvalidHandle),
    );
    check(
        "bad-pubkey",
        errno(asym::publickey_import(AlgorithmType::Signatures, "Ed25519", &[1; 5], common::PublickeyEncoding::Raw)),
        Some(E::InvalidKey),
    );
    check(
        "bad-signature",
        errno(sig::signature_import("Ed25519", &[1; 5], common::SignatureEncoding::Raw)),
        Some(E::InvalidSignature),
    );
    let x = asym::keypair_generate(AlgorithmType::KeyExchange, "X25519", None).unwrap();
    check(
        "encapsulate-on-dh",
        errno(kx::kx_encapsulate(&asym::keypair_publickey(&x).unwrap())),
        Some(E::InvalidOperation),
    );
    check("sign-with-kx-key", errno(sig::signature_state_open(&x)), Some(E::InvalidOperation));
    check("no-secrets-manager", errno(common::secrets_manager_open(None)), Some(E::UnsupportedFeature));
    check(
        "export-unsupported-encoding",
        errno(asym::publickey_export(&asym::keypair_publickey(&x).unwrap(), common::PublickeyEncoding::Local)),
        Some(E::UnsupportedEncoding),
    );
}

/// Opens a password-hashing state whose scratch memory is a `memory_len`-byte buffer given to
/// `options-set-guest-buffer`; the option set is dropped before the state is used.
fn password_state(
    alg: &str,
    memory_len: usize,
    opslimit: u64,
    parallelism: u64,
    salt: &[u8],
) -> Result<common::SymmetricState, CryptoErrno> {
    let options = common::options_open(AlgorithmType::Symmetric)?;
    common::options_set_guest_buffer(&options, "memory", &vec![0; memory_len])?;
    common::options_set_u64(&options, "opslimit", opslimit)?;
    common::options_set_u64(&options, "parallelism", parallelism)?;
    common::options_set(&options, "salt", salt)?;
    if alg.starts_with("ARGON2") {
        // RFC 9106's vectors: associated data X = `context`, secret K = the key.
        common::options_set(&options, "context", &[4; 12])?;
        let key = sym::symmetric_key_import(alg, &[3; 8])?;
        return sym::symmetric_state_open(alg, Some(&key), Some(&options));
    }
    sym::symmetric_state_open(alg, None, Some(&options))
}

fn password_hashing() {
    use CryptoErrno as E;
    // RFC 9106 section 5: m = 32 KiB, t = 3, p = 4, 32-byte tags.
    for (alg, name, tag) in [
        ("ARGON2-D-13", "argon2d", "512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb"),
        ("ARGON2-I-13", "argon2i", "c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8"),
        ("ARGON2-ID-13", "argon2id", "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"),
    ] {
        let state = password_state(alg, 32 * 1024, 3, 4, &[2; 16]).unwrap();
        sym::symmetric_state_absorb(&state, &[1; 32]).unwrap();
        check(&format!("{name}-rfc9106"), hex(&sym::symmetric_state_squeeze(&state).unwrap()), tag.into());
        let phc = pull_tag(sym::symmetric_state_squeeze_tag(&state).unwrap());
        let prefix = format!("${name}$v=19$m=32,t=3,p=4$AgICAgICAgICAgICAgICAg$");
        check(&format!("{name}-phc"), String::from_utf8(phc).unwrap().starts_with(&prefix), true);
    }

    // RFC 7914 section 12: N = 1024 (opslimit 10), r = 8, p = 16, 64 bytes; N · r · 128 = 1 MiB.
    let scrypt = "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640";
    let state = password_state("SCRYPT", 1 << 20, 10, 16, b"NaCl").unwrap();
    sym::symmetric_state_absorb(&state, b"password").unwrap();
    check("scrypt-rfc7914", hex(&symmetric_ext::squeeze_n(&state, 64).unwrap()), scrypt.into());
    check("scrypt-squeeze", hex(&sym::symmetric_state_squeeze(&state).unwrap()), scrypt[..64].into());
    // Verifying a password against a stored string: the tag of a state opened with the stored
    // parameters and salt, compared in constant time by the host.
    let stored = pull_tag(sym::symmetric_state_squeeze_tag(&state).unwrap());
    check("scrypt-phc", String::from_utf8(stored.clone()).unwrap().starts_with("$scrypt$ln=10,r=8,p=16$TmFDbA$"), true);
    let verify = |password: &[u8]| {
        let state = password_state("SCRYPT", 1 << 20, 10, 16, b"NaCl").unwrap();
        sym::symmetric_state_absorb(&state, password).unwrap();
        sym::symmetric_tag_verify(&sym::symmetric_state_squeeze_tag(&state).unwrap(), &stored)
    };
    check("scrypt-verify", verify(b"password"), Ok(()));
    check("scrypt-verify-wrong", errno(verify(b"passwort")), Some(E::InvalidTag));

    // The module rules for the buffer's size: m >= 8 p KiB; scrypt's N · r · 128 bytes.
    check(
        "argon2-buffer-too-small",
        errno(password_state("ARGON2-ID-13", 32 * 1024 - 1, 3, 4, &[2; 16])),
        Some(E::InvalidLength),
    );
    check(
        "scrypt-buffer-too-small",
        errno(password_state("SCRYPT", (1 << 20) - 1, 10, 16, b"NaCl")),
        Some(E::InvalidLength),
    );
    check(
        "no-buffer",
        {
            let options = common::options_open(AlgorithmType::Symmetric).unwrap();
            common::options_set_u64(&options, "opslimit", 1).unwrap();
            errno(sym::symmetric_state_open("ARGON2-ID-13", None, Some(&options)))
        },
        Some(E::ParametersMissing),
    );
    check(
        "pbkdf2-refuses-buffer",
        errno(password_state("PBKDF2-HMAC/SHA-256", 1024, 1, 1, b"salt")),
        Some(E::UnsupportedOption),
    );
    // The buffer counts against the context's budget (4 MiB in this run) while it is held.
    drop(state);
    let options = common::options_open(AlgorithmType::Symmetric).unwrap();
    check(
        "budget-exceeded",
        errno(common::options_set_guest_buffer(&options, "memory", &vec![0; 5 << 20])),
        Some(E::Overflow),
    );
    check("budget-fits", common::options_set_guest_buffer(&options, "memory", &vec![0; 3 << 20]), Ok(()));
    let second = common::options_open(AlgorithmType::Symmetric).unwrap();
    check(
        "budget-held",
        errno(common::options_set_guest_buffer(&second, "memory", &vec![0; 2 << 20])),
        Some(E::Overflow),
    );
    drop(options);
    check("budget-released", common::options_set_guest_buffer(&second, "memory", &vec![0; 2 << 20]), Ok(()));
}

fn pull_tag(tag: sym::SymmetricTag) -> Vec<u8> {
    sym::symmetric_tag_pull(tag).unwrap()
}

/// Opens and drops `n` resources of each kind the loop can make cheaply.
fn drops(n: u32) {
    let key = sym::symmetric_key_import("HMAC/SHA-256", b"key").unwrap();
    for i in 0..n {
        let state = sym::symmetric_state_open("HMAC/SHA-256", Some(&key), None).unwrap();
        let tag = sym::symmetric_state_squeeze_tag(&state).unwrap();
        let options = common::options_open(AlgorithmType::Symmetric).unwrap();
        let k = sym::symmetric_key_import("AES-128-GCM", &[i as u8; 16]).unwrap();
        let exported = sym::symmetric_key_export(&k).unwrap();
        if i % 1000 == 0 {
            // Some also through their close function, and some outputs pulled.
            sym::symmetric_tag_close(tag).unwrap();
            common::options_close(options).unwrap();
            assert_eq!(pull(exported), vec![i as u8; 16]);
        }
    }
    let pk =
        asym::keypair_publickey(&asym::keypair_generate(AlgorithmType::Signatures, "Ed25519", None).unwrap()).unwrap();
    for _ in 0..n / 10 {
        let _verify = sig::signature_verification_state_open(&pk).unwrap();
        let _sk_signature = sig::signature_import("Ed25519", &[0; 64], common::SignatureEncoding::Raw).unwrap();
    }
    println!("dropped={n}");
}

fn hold(max: u32) {
    let mut held = Vec::new();
    let refusal = loop {
        match sym::symmetric_state_open("SHA-256", None, None) {
            Ok(state) if held.len() < max as usize => held.push(state),
            Ok(_) => break None,
            Err(e) => break Some(e),
        }
    };
    println!("held={} errno={:?}", held.len(), refusal);
    drop(held);
    check("reopen", sym::symmetric_state_open("SHA-256", None, None).is_ok(), true);
}

fn version(v: Version) -> String {
    match v {
        Version::Unspecified => "unspecified".into(),
        Version::Latest => "latest".into(),
        Version::All => "all".into(),
        Version::Specified(n) => n.to_string(),
    }
}

fn managed() {
    use CryptoErrno as E;
    let sm = common::secrets_manager_open(None).unwrap();
    let key = sym::symmetric_key_generate_managed(&sm, "HMAC/SHA-256", None).unwrap();
    let (id, v1) = sym::symmetric_key_id(&key).unwrap();
    check("managed-id-len", id.len(), 16);
    let loaded = sym::symmetric_key_from_id(&sm, &id, Version::Latest).unwrap();
    check("managed-same-key", hmac(&loaded, b"m"), hmac(&key, b"m"));
    let replacement = sym::symmetric_key_import("HMAC/SHA-256", b"second").unwrap();
    let v2 = sym::symmetric_key_replace_managed(&sm, key, &replacement).unwrap();
    check("managed-new-version", v2 != v1, true);
    let latest = sym::symmetric_key_from_id(&sm, &id, Version::Latest).unwrap();
    let second = sym::symmetric_key_import("HMAC/SHA-256", b"second").unwrap();
    check("managed-replaced", hmac(&latest, b"m"), hmac(&second, b"m"));
    check(
        "managed-by-version",
        sym::symmetric_key_from_id(&sm, &id, v1).map(|k| hmac(&k, b"m")),
        Ok(hmac(&loaded, b"m")),
    );
    let stored = sym::symmetric_key_import("AES-256-GCM", &[9; 32]).unwrap();
    let stored_id = sym::symmetric_key_store_managed(&sm, &stored).unwrap();
    check("store-managed-id-len", stored_id.len(), 16);
    check("invalidate", common::secrets_manager_invalidate(&sm, &id, Version::All), Ok(()));
    check("invalidated", errno(sym::symmetric_key_from_id(&sm, &id, Version::Latest)), Some(E::NotFound));
    check(
        "bad-specified-version",
        errno(sym::symmetric_key_from_id(&sm, &stored_id, Version::Specified(u64::MAX))),
        Some(E::NotFound),
    );

    let kp = asym::keypair_generate_managed(&sm, AlgorithmType::Signatures, "Ed25519", None).unwrap();
    let (kp_id, _) = asym::keypair_id(&kp).unwrap();
    let again = asym::keypair_from_id(&sm, &kp_id, Version::Latest).unwrap();
    let pk = |k: &common::Keypair| {
        pull(asym::publickey_export(&asym::keypair_publickey(k).unwrap(), common::PublickeyEncoding::Raw).unwrap())
    };
    check("managed-keypair", pk(&again), pk(&kp));
    let next = asym::keypair_generate(AlgorithmType::Signatures, "Ed25519", None).unwrap();
    check(
        "keypair-replace",
        asym::keypair_replace_managed(&sm, kp, &next).map(|v| matches!(v, Version::Specified(_))),
        Ok(true),
    );
    let plain = asym::keypair_generate(AlgorithmType::Signatures, "Ed25519", None).unwrap();
    check("keypair-store", asym::keypair_store_managed(&sm, &plain).map(|id| id.len()), Ok(16));

    // External secrets.
    let far = 4_102_444_800; // 2100-01-01
    let secret_id = ext_secrets::external_secret_store(&sm, b"api-token", far).unwrap();
    check(
        "secret-from-id",
        ext_secrets::external_secret_from_id(&sm, &secret_id, Version::Latest).map(pull),
        Ok(b"api-token".to_vec()),
    );
    let v = external_secrets_ext::external_secret_replace_id(&sm, b"token-2", far, &secret_id).unwrap();
    println!("secret-version={}", version(v));
    check(
        "secret-replaced",
        ext_secrets::external_secret_from_id(&sm, &secret_id, Version::Latest).map(pull),
        Ok(b"token-2".to_vec()),
    );
    check(
        "secret-replace-upstream",
        errno(ext_secrets::external_secret_replace(&sm, b"x", far)),
        Some(E::UnsupportedFeature),
    );
    check("secret-invalidate", ext_secrets::external_secret_invalidate(&sm, &secret_id, Version::All), Ok(()));
    check(
        "secret-gone",
        errno(ext_secrets::external_secret_from_id(&sm, &secret_id, Version::Latest)),
        Some(E::NotFound),
    );
    let sealed = pull(ext_secrets::external_secret_encapsulate(&sm, b"sealed secret", far).unwrap());
    check(
        "secret-decapsulate",
        ext_secrets::external_secret_decapsulate(&sm, &sealed).map(pull),
        Ok(b"sealed secret".to_vec()),
    );
    let mut tampered = sealed.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    check(
        "secret-tampered",
        errno(ext_secrets::external_secret_decapsulate(&sm, &tampered)),
        Some(E::VerificationFailed),
    );
    let expired = pull(ext_secrets::external_secret_encapsulate(&sm, b"old", 1).unwrap());
    check("secret-expired", errno(ext_secrets::external_secret_decapsulate(&sm, &expired)), Some(E::Expired));
    check("secrets-manager-close", common::secrets_manager_close(sm), Ok(()));
}

fn managed_hmac(id: &str, message: &str) {
    let sm = common::secrets_manager_open(None).unwrap();
    match sym::symmetric_key_from_id(&sm, id.as_bytes(), Version::Latest) {
        Ok(key) => {
            println!("hmac={}", hex(&hmac(&key, message.as_bytes())));
            println!("export={:?}", errno(sym::symmetric_key_export(&key)));
        }
        Err(e) => println!("from_id={e:?}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |i: usize| args.get(i).map(String::as_str).unwrap_or("");
    match arg(1) {
        "kat" => known_answers(),
        "errno" => errno_cases(),
        "password" => password_hashing(),
        "drops" => drops(arg(2).parse().unwrap()),
        "hold" => hold(arg(2).parse().unwrap()),
        "managed" => managed(),
        "managed-hmac" => managed_hmac(arg(2), arg(3)),
        "persist-store" => {
            let sm = common::secrets_manager_open(None).unwrap();
            let key = sym::symmetric_key_generate_managed(&sm, "HMAC/SHA-256", None).unwrap();
            println!("id={}", hex(&sym::symmetric_key_id(&key).unwrap().0));
            println!("hmac={}", hex(&hmac(&key, b"x")));
        }
        "persist-load" => {
            let sm = common::secrets_manager_open(None).unwrap();
            let key = sym::symmetric_key_from_id(&sm, &unhex(arg(2)), Version::Latest).unwrap();
            println!("hmac={}", hex(&hmac(&key, b"x")));
        }
        other => {
            eprintln!("unknown mode `{other}`");
            std::process::exit(2);
        }
    }
    if FAILED.load(std::sync::atomic::Ordering::Relaxed) {
        std::process::exit(1);
    }
}
