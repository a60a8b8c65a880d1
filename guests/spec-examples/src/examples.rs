//! The spec's usage examples, in the order the spec gives them. Each function first runs the
//! example's calls as written, then checks what they produced against known answers (computed
//! independently: Python's hashlib/hmac, the `blake3` and PyCryptodome packages, RFC vectors).

use crate::ctx::{AlgorithmType, Ctx, Errno, Result, encoding};
use crate::{Failure, Outcome, expect_eq, unhex};

/// One example: it runs the spec's calls and checks what they produced.
pub type Example = fn(&Ctx) -> Outcome;

/// Every example, by name.
pub const ALL: &[(&str, Example)] = &[
    ("options_open", options_open),
    ("array_output", array_output),
    ("keypair_generate", keypair_generate),
    ("keypair_import", keypair_import),
    ("publickey_import", publickey_import),
    ("secretkey_import", secretkey_import),
    ("symmetric_state_open_options", symmetric_state_open_options),
    ("hashing", hashing),
    ("mac", mac),
    ("tuple_hashing", tuple_hashing),
    ("hkdf_extract_expand", hkdf_extract_expand),
    ("xof_key_derivation", xof_key_derivation),
    ("password_hashing", password_hashing),
    ("aead_explicit_nonce", aead_explicit_nonce),
    ("aead_automatic_nonce", aead_automatic_nonce),
    ("session", session),
    ("symmetric_tag_pull", symmetric_tag_pull),
    ("symmetric_tag_verify", symmetric_tag_verify),
    ("signature_import", signature_import),
    ("signature_creation", signature_creation),
    ("signature_verification", signature_verification),
];

/// `options_open`: a BLAKE3 state with a `context` (BLAKE3's derive-key mode) and `threads`.
fn options_open(ctx: &Ctx) -> Outcome {
    let context = b"wasmcrypt spec example";
    let options_handle = ctx.options_open(AlgorithmType::Symmetric)?;
    ctx.options_set(options_handle, "context", context)?;
    ctx.options_set_u64(options_handle, "threads", 4)?;
    let state = ctx.symmetric_state_open("BLAKE3", None, Some(options_handle))?;
    ctx.options_close(options_handle)?;

    ctx.symmetric_state_absorb(state, b"data")?;
    let mut out = [0u8; 32];
    ctx.symmetric_state_squeeze(state, &mut out)?;
    expect_eq(
        "BLAKE3 derive_key(context, \"data\")",
        out.to_vec(),
        unhex("e72d8803f54ce381c87e077f3fe72b4221a0d8104a34b11ee68899618b971f58"),
    )
}

/// `array_output_len` then `array_output_pull`, on an exported Ed25519 key pair.
fn array_output(ctx: &Ctx) -> Outcome {
    let kp = ctx.keypair_generate(AlgorithmType::Signatures, "Ed25519", None)?;
    let output_handle = ctx.keypair_export(kp, encoding::RAW)?;
    let len = ctx.array_output_len(output_handle)?;
    let mut out = vec![0u8; len];
    let pulled = ctx.array_output_pull(output_handle, &mut out)?;
    expect_eq("pulled length", pulled, 64)?;
    expect_eq("raw Ed25519 key pair length", len, 64)
}

/// `keypair_generate(Signatures, "RSA_PKCS1_2048_SHA256", None)`.
fn keypair_generate(ctx: &Ctx) -> Outcome {
    let kp_handle = ctx.keypair_generate(AlgorithmType::Signatures, "RSA_PKCS1_2048_SHA256", None)?;
    let pk = ctx.pull_all(ctx.publickey_export(ctx.keypair_publickey(kp_handle)?, encoding::PKCS8)?)?;
    // A SubjectPublicKeyInfo of a 2048-bit modulus is 294 bytes.
    expect_eq("SPKI length", pk.len(), 294)
}

/// `keypair_import(Signatures, "RSA_PKCS1_2048_SHA256", …, PKCS8)`: the imported key pair signs,
/// and the signature verifies under the original's public key.
fn keypair_import(ctx: &Ctx) -> Outcome {
    let alg = "RSA_PKCS1_2048_SHA256";
    let original = ctx.keypair_generate(AlgorithmType::Signatures, alg, None)?;
    let pkcs8 = ctx.pull_all(ctx.keypair_export(original, encoding::PKCS8)?)?;
    let kp_handle = ctx.keypair_import(AlgorithmType::Signatures, alg, &pkcs8, encoding::PKCS8)?;
    let sig = sign(ctx, kp_handle, &[b"imported"])?;
    Ok(verify(ctx, ctx.keypair_publickey(original)?, sig, &[b"imported"])?)
}

/// `publickey_import(Signatures, encoded, Sec)`: the P-256 base point, uncompressed.
fn publickey_import(ctx: &Ctx) -> Outcome {
    let encoded = unhex(concat!(
        "04",
        "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
        "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"
    ));
    let pk_handle = ctx.publickey_import(AlgorithmType::Signatures, "ECDSA_P256_SHA256", &encoded, encoding::SEC)?;
    expect_eq("SEC re-export", ctx.pull_all(ctx.publickey_export(pk_handle, encoding::SEC)?)?, encoded)?;
    let mut off_curve = unhex(concat!(
        "04",
        "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
        "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"
    ));
    off_curve[64] ^= 1;
    expect_eq(
        "a point off the curve",
        ctx.publickey_import(AlgorithmType::Signatures, "ECDSA_P256_SHA256", &off_curve, encoding::SEC),
        Err(Errno::named("invalid_key")),
    )
}

/// `secretkey_import(KX, encoded, Raw)`: Alice's X25519 key of RFC 7748 §6.1.
fn secretkey_import(ctx: &Ctx) -> Outcome {
    let encoded = unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    let sk_handle = ctx.secretkey_import(AlgorithmType::KX, "X25519", &encoded, encoding::RAW)?;
    let pk = ctx.pull_all(ctx.publickey_export(ctx.publickey_from_secretkey(sk_handle)?, encoding::RAW)?)?;
    expect_eq("Alice's public key", pk, unhex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"))
}

/// `symmetric_state_open` with options: BLAKE2b-512 with a `context` (personalisation) and a
/// `fanout` of 16.
fn symmetric_state_open_options(ctx: &Ctx) -> Outcome {
    let options_handle = ctx.options_open(AlgorithmType::Symmetric)?;
    ctx.options_set(options_handle, "context", b"My application")?;
    ctx.options_set_u64(options_handle, "fanout", 16)?;
    let state_handle = ctx.symmetric_state_open("BLAKE2b-512", None, Some(options_handle))?;

    ctx.symmetric_state_absorb(state_handle, b"data")?;
    let mut out = [0u8; 64];
    ctx.symmetric_state_squeeze(state_handle, &mut out)?;
    expect_eq(
        "BLAKE2b-512(person = \"My application\", fanout = 16)",
        out.to_vec(),
        unhex(concat!(
            "6d44e2d7935985fe70b1d84d64226762fdb08c445423f4ff3977a18f4d92ef1f",
            "5918311079e1dbd8599b9ddb09ae5072a1f7a26f4372157f46a7b2cb239dc8a1"
        )),
    )
}

/// Hashing: SHAKE-128 of two absorbed parts, 64 bytes out.
fn hashing(ctx: &Ctx) -> Outcome {
    let mut out = [0u8; 64];
    let state_handle = ctx.symmetric_state_open("SHAKE-128", None, None)?;
    ctx.symmetric_state_absorb(state_handle, b"data")?;
    ctx.symmetric_state_absorb(state_handle, b"more_data")?;
    ctx.symmetric_state_squeeze(state_handle, &mut out)?;
    expect_eq(
        "SHAKE-128(\"datamore_data\")",
        out.to_vec(),
        unhex(concat!(
            "ddbd5e4fc9f3d346f7f7beefd2b6e5c5a62d62fa9182a41bfdd97ea1d007eff1",
            "2926e9a5d3048d6a9d25811182a08611c903ad06e185aa54e1e6cf84993b09f0"
        )),
    )
}

/// MAC: HMAC/SHA-512, then its verification.
fn mac(ctx: &Ctx) -> Outcome {
    let expected_raw_tag = unhex(concat!(
        "bd963b1aeb0c906e0244d916ab4a023b38750be4d4be9396d2399593087628da",
        "a2d574d6f7b7fd6e88251f55dc4f78dfb0cc42a3c1ffd295f90a8f5a94d23a1f"
    ));

    let mut raw_tag = [0u8; 64];
    let key_handle = ctx.symmetric_key_import("HMAC/SHA-512", b"key")?;
    let state_handle = ctx.symmetric_state_open("HMAC/SHA-512", Some(key_handle), None)?;
    ctx.symmetric_state_absorb(state_handle, b"data")?;
    ctx.symmetric_state_absorb(state_handle, b"more_data")?;
    let computed_tag_handle = ctx.symmetric_state_squeeze_tag(state_handle)?;
    ctx.symmetric_tag_pull(computed_tag_handle, &mut raw_tag)?;
    expect_eq("HMAC-SHA-512", raw_tag.to_vec(), expected_raw_tag.clone())?;

    let state_handle = ctx.symmetric_state_open("HMAC/SHA-512", Some(key_handle), None)?;
    ctx.symmetric_state_absorb(state_handle, b"data")?;
    ctx.symmetric_state_absorb(state_handle, b"more_data")?;
    let computed_tag_handle = ctx.symmetric_state_squeeze_tag(state_handle)?;
    ctx.symmetric_tag_verify(computed_tag_handle, &expected_raw_tag)?;

    let mut wrong = expected_raw_tag;
    wrong[0] ^= 1;
    let computed_tag_handle = ctx.symmetric_state_squeeze_tag(state_handle)?;
    expect_eq("a wrong tag", ctx.symmetric_tag_verify(computed_tag_handle, &wrong), Err(Errno::named("invalid_tag")))
}

/// Tuple hashing: TupleHashXOF256 over three elements, which are domain separated.
fn tuple_hashing(ctx: &Ctx) -> Outcome {
    let mut out = [0u8; 64];
    let state_handle = ctx.symmetric_state_open("TupleHashXOF256", None, None)?;
    ctx.symmetric_state_absorb(state_handle, b"value 1")?;
    ctx.symmetric_state_absorb(state_handle, b"value 2")?;
    ctx.symmetric_state_absorb(state_handle, b"value 3")?;
    ctx.symmetric_state_squeeze(state_handle, &mut out)?;
    expect_eq(
        "TupleHashXOF256(\"value 1\", \"value 2\", \"value 3\")",
        out.to_vec(),
        unhex(concat!(
            "3bcaa8706c897649e9d159ec32745d57a551b6fa293c46b7b3da0ba7bb7baeaf",
            "3e3f0a099a1e3ada1e9a8f8ed6699d18f76777dbb8df162f5664ec1db42a04b4"
        )),
    )?;

    let concatenated = ctx.symmetric_state_open("TupleHashXOF256", None, None)?;
    ctx.symmetric_state_absorb(concatenated, b"value 1value 2value 3")?;
    let mut other = [0u8; 64];
    ctx.symmetric_state_squeeze(concatenated, &mut other)?;
    if other == out {
        return Err(Failure("one element hashes like three".into()));
    }
    Ok(())
}

/// Key derivation using extract-and-expand: HKDF-SHA-512.
fn hkdf_extract_expand(ctx: &Ctx) -> Outcome {
    let key_handle = ctx.symmetric_key_import("HKDF-EXTRACT/SHA-512", b"key")?;
    let state_handle = ctx.symmetric_state_open("HKDF-EXTRACT/SHA-512", Some(key_handle), None)?;
    ctx.symmetric_state_absorb(state_handle, b"salt")?;
    let prk_handle = ctx.symmetric_state_squeeze_key(state_handle, "HKDF-EXPAND/SHA-512")?;

    let mut subkey = vec![0u8; 32];
    let state_handle = ctx.symmetric_state_open("HKDF-EXPAND/SHA-512", Some(prk_handle), None)?;
    ctx.symmetric_state_absorb(state_handle, b"info")?;
    ctx.symmetric_state_squeeze(state_handle, &mut subkey)?;
    expect_eq("HKDF-SHA-512 OKM", subkey, unhex("24156e2c35525baaf3d0fbb92b734c8032a110a3f12e2596e441e1924870d84c"))
}

/// Key derivation using a XOF: keyed BLAKE3, two successive squeezes continuing one stream.
fn xof_key_derivation(ctx: &Ctx) -> Outcome {
    expect_eq(
        "the spec's 3-byte BLAKE3 key",
        ctx.symmetric_key_import("BLAKE3", b"key"),
        Err(Errno::named("invalid_key")),
    )?;
    let key: Vec<u8> = (0..32).collect();

    let mut subkey1 = vec![0u8; 32];
    let mut subkey2 = vec![0u8; 32];
    let key_handle = ctx.symmetric_key_import("BLAKE3", &key)?;
    let state_handle = ctx.symmetric_state_open("BLAKE3", Some(key_handle), None)?;
    ctx.symmetric_state_absorb(state_handle, b"context")?;
    ctx.symmetric_state_squeeze(state_handle, &mut subkey1)?;
    ctx.symmetric_state_squeeze(state_handle, &mut subkey2)?;
    let stream = unhex(concat!(
        "15fa16db049bcbac966e0ff3894a662e05a31ce0e1e374ce2e7bac5017a4bf90",
        "6418fb93d5bc9707d6daec7284e275855b9e761246363237c63aa7e726f0646d"
    ));
    expect_eq("first 32 bytes", subkey1, stream[..32].to_vec())?;
    expect_eq("next 32 bytes", subkey2, stream[32..].to_vec())
}

/// Password hashing: ARGON2-ID-13 in a 1 GB guest buffer, 5 passes, 8 lanes, and the encoded
/// string it gives.
fn password_hashing(ctx: &Ctx) -> Outcome {
    let mut memory = vec![0u8; 1_000_000_000];
    let options_handle = ctx.options_open(AlgorithmType::Symmetric)?;
    ctx.options_set_guest_buffer(options_handle, "memory", &mut memory)?;
    ctx.options_set_u64(options_handle, "opslimit", 5)?;
    ctx.options_set_u64(options_handle, "parallelism", 8)?;

    let state_handle = ctx.symmetric_state_open("ARGON2-ID-13", None, Some(options_handle))?;
    ctx.symmetric_state_absorb(state_handle, b"password")?;

    let pw_str_handle = ctx.symmetric_state_squeeze_tag(state_handle)?;
    let mut pw_str = vec![0u8; ctx.symmetric_tag_len(pw_str_handle)?];
    ctx.symmetric_tag_pull(pw_str_handle, &mut pw_str)?;

    let pw_str = String::from_utf8(pw_str).map_err(|_| Failure("the encoded string is not UTF-8".into()))?;
    let prefix = "$argon2id$v=19$m=976562,t=5,p=8$";
    if !pw_str.starts_with(prefix) {
        return Err(Failure(format!("encoded string {pw_str:?} does not start with {prefix:?}")));
    }
    Ok(())
}

/// AEAD encryption with an explicit nonce: AES-256-GCM, then decryption of what it produced.
fn aead_explicit_nonce(ctx: &Ctx) -> Outcome {
    let nonce = &[7u8; 12];
    let key_handle = ctx.symmetric_key_generate("AES-256-GCM", None)?;
    let message = b"test";

    let options_handle = ctx.options_open(AlgorithmType::Symmetric)?;
    ctx.options_set(options_handle, "nonce", nonce)?;

    let state_handle = ctx.symmetric_state_open("AES-256-GCM", Some(key_handle), Some(options_handle))?;
    let mut ciphertext = vec![0u8; message.len() + ctx.symmetric_state_max_tag_len(state_handle)?];
    ctx.symmetric_state_absorb(state_handle, "additional data")?;
    ctx.symmetric_state_encrypt(state_handle, &mut ciphertext, message)?;

    let opened = decrypt(ctx, "AES-256-GCM", key_handle, nonce, &ciphertext)?;
    expect_eq("decrypted", opened, message.to_vec())
}

/// AEAD encryption with automatic nonce generation: AES-256-GCM-SIV, its nonce read back with
/// `symmetric_state_options_get`.
fn aead_automatic_nonce(ctx: &Ctx) -> Outcome {
    let key_handle = ctx.symmetric_key_generate("AES-256-GCM-SIV", None)?;
    let message = b"test";

    let state_handle = ctx.symmetric_state_open("AES-256-GCM-SIV", Some(key_handle), None)?;

    let nonce = ctx.symmetric_state_options_get(state_handle, "nonce")?;

    let mut ciphertext = vec![0u8; message.len() + ctx.symmetric_state_max_tag_len(state_handle)?];
    ctx.symmetric_state_absorb(state_handle, "additional data")?;
    ctx.symmetric_state_encrypt(state_handle, &mut ciphertext, message)?;

    expect_eq("nonce length", nonce.len(), 12)?;
    let opened = decrypt(ctx, "AES-256-GCM-SIV", key_handle, &nonce, &ciphertext)?;
    expect_eq("decrypted", opened, message.to_vec())
}

/// Session authenticated modes: Xoodyak-128. Keyed Xoodyak encrypts only with a nonce, so the
/// example's nonce-less state is refused at `encrypt`, then run again with one; a second state
/// replaying the session decrypts and squeezes the same bytes.
fn session(ctx: &Ctx) -> Outcome {
    let mut out = [0u8; 16];
    let mut out2 = [0u8; 16];
    let mut ciphertext = [0u8; 20];
    let key_handle = ctx.symmetric_key_generate("Xoodyak-128", None)?;
    let state_handle = ctx.symmetric_state_open("Xoodyak-128", Some(key_handle), None)?;
    ctx.symmetric_state_absorb(state_handle, b"data")?;
    expect_eq(
        "encrypt without a nonce",
        ctx.symmetric_state_encrypt(state_handle, &mut ciphertext, b"abcd"),
        Err(Errno::named("nonce_required")),
    )?;

    let options_handle = ctx.options_open(AlgorithmType::Symmetric)?;
    ctx.options_set(options_handle, "nonce", &[9u8; 16])?;
    let run = |ciphertext: &mut [u8], out: &mut [u8], out2: &mut [u8]| -> Result<u32> {
        let state_handle = ctx.symmetric_state_open("Xoodyak-128", Some(key_handle), Some(options_handle))?;
        ctx.symmetric_state_absorb(state_handle, b"data")?;
        ctx.symmetric_state_encrypt(state_handle, ciphertext, b"abcd")?;
        ctx.symmetric_state_absorb(state_handle, b"more data")?;
        ctx.symmetric_state_squeeze(state_handle, out)?;
        ctx.symmetric_state_squeeze(state_handle, out2)?;
        ctx.symmetric_state_ratchet(state_handle)?;
        ctx.symmetric_state_absorb(state_handle, b"more data")?;
        ctx.symmetric_state_squeeze_key(state_handle, "Xoodyak-128")
    };
    let next_key_handle = run(&mut ciphertext, &mut out, &mut out2)?;

    let replay = ctx.symmetric_state_open("Xoodyak-128", Some(key_handle), Some(options_handle))?;
    ctx.symmetric_state_absorb(replay, b"data")?;
    let mut plaintext = [0u8; 4];
    ctx.symmetric_state_decrypt(replay, &mut plaintext, &ciphertext)?;
    expect_eq("decrypted", &plaintext, b"abcd")?;
    ctx.symmetric_state_absorb(replay, b"more data")?;
    let (mut again, mut again2) = ([0u8; 16], [0u8; 16]);
    ctx.symmetric_state_squeeze(replay, &mut again)?;
    ctx.symmetric_state_squeeze(replay, &mut again2)?;
    expect_eq("first squeeze", again, out)?;
    expect_eq("second squeeze", again2, out2)?;
    if out == out2 {
        return Err(Failure("two squeezes gave the same bytes".into()));
    }
    // The derived key works as a Xoodyak-128 key.
    ctx.symmetric_state_open("Xoodyak-128", Some(next_key_handle), Some(options_handle))?;
    Ok(())
}

/// `symmetric_tag_pull` into a 16-byte buffer: an AES-128-CMAC tag (RFC 4493, example 1) fits;
/// an HMAC-SHA-256 tag does not (`overflow`).
fn symmetric_tag_pull(ctx: &Ctx) -> Outcome {
    let key = ctx.symmetric_key_import("AES-128-CMAC", &unhex("2b7e151628aed2a6abf7158809cf4f3c"))?;
    let state = ctx.symmetric_state_open("AES-128-CMAC", Some(key), None)?;
    let raw_tag_handle = ctx.symmetric_state_squeeze_tag(state)?;

    let mut raw_tag = [0u8; 16];
    let copied = ctx.symmetric_tag_pull(raw_tag_handle, &mut raw_tag)?;
    expect_eq("copied", copied, 16)?;
    expect_eq("AES-CMAC of the empty message", raw_tag.to_vec(), unhex("bb1d6929e95937287fa37d129b756746"))?;

    let key = ctx.symmetric_key_import("HMAC/SHA-256", b"key")?;
    let state = ctx.symmetric_state_open("HMAC/SHA-256", Some(key), None)?;
    let long_tag = ctx.symmetric_state_squeeze_tag(state)?;
    expect_eq(
        "a 32-byte tag into 16 bytes",
        ctx.symmetric_tag_pull(long_tag, &mut raw_tag),
        Err(Errno::named("overflow")),
    )
}

/// `symmetric_tag_verify`: HMAC/SHA-256 of "data" under "key".
fn symmetric_tag_verify(ctx: &Ctx) -> Outcome {
    let expected_raw_tag = unhex("5031fe3d989c6d1537a013fa6e739da23463fdaec3b70137d828e36ace221bd0");
    let key_handle = ctx.symmetric_key_import("HMAC/SHA-256", b"key")?;
    let state_handle = ctx.symmetric_state_open("HMAC/SHA-256", Some(key_handle), None)?;
    ctx.symmetric_state_absorb(state_handle, b"data")?;
    let computed_tag_handle = ctx.symmetric_state_squeeze_tag(state_handle)?;
    ctx.symmetric_tag_verify(computed_tag_handle, &expected_raw_tag)?;
    Ok(())
}

/// `signature_import("ECDSA_P256_SHA256", DER, encoded)`: a DER signature made by the host
/// imports, and its raw form is 64 bytes.
fn signature_import(ctx: &Ctx) -> Outcome {
    let kp = ctx.keypair_generate(AlgorithmType::Signatures, "ECDSA_P256_SHA256", None)?;
    let encoded = ctx.signature_export(sign(ctx, kp, &[b"message"])?, encoding::DER)?;
    let signature_handle = ctx.signature_import("ECDSA_P256_SHA256", encoding::DER, &encoded)?;
    expect_eq("raw length", ctx.signature_export(signature_handle, encoding::RAW)?.len(), 64)
}

/// Signature creation: Ed25519ph over two updates, with the RFC 8032 §7.3 key; the same key
/// signs "abc" to the RFC's signature.
fn signature_creation(ctx: &Ctx) -> Outcome {
    let keypair = unhex(concat!(
        "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
        "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf"
    ));
    let kp_handle = ctx.keypair_import(AlgorithmType::Signatures, "Ed25519ph", &keypair, encoding::RAW)?;
    let state_handle = ctx.signature_state_open(kp_handle)?;
    ctx.signature_state_update(state_handle, b"message part 1")?;
    ctx.signature_state_update(state_handle, b"message part 2")?;
    let sig_handle = ctx.signature_state_sign(state_handle)?;
    let raw_sig = ctx.signature_export(sig_handle, encoding::RAW)?;
    // Ed25519ph is deterministic: PyCryptodome's Ed25519ph over SHA-512("message part 1message part 2").
    expect_eq(
        "Ed25519ph signature",
        raw_sig,
        unhex(concat!(
            "986ea452121629e7dad2ea3e9e330670ae9d30eac4f49dc36a93f14b339f68ae",
            "22c109dc3ab3aee81918e621961130c9ff1b5df4252dafb8603b7400d9c60105"
        )),
    )?;

    let rfc = ctx.signature_export(sign(ctx, kp_handle, &[b"ab", b"c"])?, encoding::RAW)?;
    expect_eq(
        "RFC 8032 Ed25519ph vector",
        rfc,
        unhex(concat!(
            "98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae41",
            "31f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406"
        )),
    )
}

/// Signature verification: ECDSA_P256_SHA256 with a SEC public key and a DER signature; a
/// different message fails.
fn signature_verification(ctx: &Ctx) -> Outcome {
    let kp = ctx.keypair_generate(AlgorithmType::Signatures, "ECDSA_P256_SHA256", None)?;
    let encoded_pk = ctx.pull_all(ctx.publickey_export(ctx.keypair_publickey(kp)?, encoding::SEC)?)?;
    let encoded_sig = ctx.signature_export(sign(ctx, kp, &[b"message"])?, encoding::DER)?;

    let pk_handle = ctx.publickey_import(AlgorithmType::Signatures, "ECDSA_P256_SHA256", &encoded_pk, encoding::SEC)?;
    let signature_handle = ctx.signature_import("ECDSA_P256_SHA256", encoding::DER, &encoded_sig)?;
    let state_handle = ctx.signature_verification_state_open(pk_handle)?;
    ctx.signature_verification_state_update(state_handle, b"message")?;
    ctx.signature_verification_state_verify(state_handle, signature_handle)?;

    expect_eq(
        "another message",
        verify(ctx, pk_handle, signature_handle, &[b"massage"]),
        Err(Errno::named("verification_failed")),
    )
}

/// Signs the concatenation of `parts` with a key pair; returns the signature handle.
fn sign(ctx: &Ctx, kp: u32, parts: &[&[u8]]) -> Result<u32> {
    let state = ctx.signature_state_open(kp)?;
    for part in parts {
        ctx.signature_state_update(state, part)?;
    }
    ctx.signature_state_sign(state)
}

/// Verifies a signature over the concatenation of `parts`.
fn verify(ctx: &Ctx, pk: u32, sig: u32, parts: &[&[u8]]) -> Result<()> {
    let state = ctx.signature_verification_state_open(pk)?;
    for part in parts {
        ctx.signature_verification_state_update(state, part)?;
    }
    ctx.signature_verification_state_verify(state, sig)
}

/// Decrypts `ciphertext ‖ tag` with a fresh state, the same key, nonce and additional data.
fn decrypt(ctx: &Ctx, alg: &str, key: u32, nonce: &[u8], ciphertext: &[u8]) -> std::result::Result<Vec<u8>, Failure> {
    let options = ctx.options_open(AlgorithmType::Symmetric)?;
    ctx.options_set(options, "nonce", nonce)?;
    let state = ctx.symmetric_state_open(alg, Some(key), Some(options))?;
    ctx.symmetric_state_absorb(state, "additional data")?;
    let tag_len = ctx.symmetric_state_max_tag_len(state)?;
    let mut plaintext = vec![0u8; ciphertext.len().saturating_sub(tag_len)];
    let n = ctx.symmetric_state_decrypt(state, &mut plaintext, ciphertext)?;
    plaintext.truncate(n);
    Ok(plaintext)
}
