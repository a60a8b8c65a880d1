//! Rules checked for every name of the symmetric registry (a new name is covered without
//! editing a list): names, key lengths, refused options, round trips, operations a family does
//! not offer, clones. Per-family errno rules follow.

use wasmcrypt::symmetric::{Family, KeyUse, SYMMETRIC_ALGORITHMS, SymmetricAlgorithm};
use wasmcrypt::{AlgorithmType, CryptoCtx, CryptoError as E, InOut};

/// Every option name the host knows, with a value of the right kind.
enum Value {
    Bytes(&'static [u8]),
    U64(u64),
}

const ALL_OPTIONS: &[(&str, Value)] = &[
    ("context", Value::Bytes(b"ctx")),
    ("salt", Value::Bytes(b"salt")),
    ("nonce", Value::Bytes(&[7; 16])),
    ("opslimit", Value::U64(1)),
    ("parallelism", Value::U64(1)),
    ("domain", Value::U64(0x1f)),
    ("fanout", Value::U64(1)),
    ("max_depth", Value::U64(1)),
    ("leaf_length", Value::U64(0)),
    ("node_offset", Value::U64(0)),
    ("node_depth", Value::U64(0)),
    ("inner_length", Value::U64(0)),
    ("threads", Value::U64(1)),
];

fn options_with(ctx: &mut CryptoCtx, name: &str, value: &Value) -> u32 {
    let o = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    match value {
        Value::Bytes(b) => ctx.options_set(o, name, b).unwrap(),
        Value::U64(v) => ctx.options_set_u64(o, name, *v).unwrap(),
    }
    o
}

/// A key for `alg` if it takes one.
fn key_for(ctx: &mut CryptoCtx, alg: SymmetricAlgorithm) -> Option<u32> {
    (alg.key_use() != KeyUse::None).then(|| ctx.symmetric_key_generate(alg.name(), None).unwrap())
}

/// Options with a nonce of the algorithm's length, for the ciphers that need one.
fn nonce_options(ctx: &mut CryptoCtx, alg: SymmetricAlgorithm) -> Option<u32> {
    let len = match alg.family() {
        Family::Cipher(c) if !c.automatic_nonce() => c.nonce_len(),
        Family::Aead(a) if a.nonce_len() < 24 => a.nonce_len(),
        Family::Xoodyak(_) => 16,
        _ => return None,
    };
    let o = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    ctx.options_set(o, "nonce", &vec![9; len]).unwrap();
    Some(o)
}

#[test]
fn names_match_case_insensitively_and_are_unique() {
    for alg in SYMMETRIC_ALGORITHMS {
        for variant in [alg.name().to_lowercase(), alg.name().to_uppercase()] {
            assert_eq!(SymmetricAlgorithm::from_name(&variant), Ok(*alg));
        }
        assert_eq!(SYMMETRIC_ALGORITHMS.iter().filter(|a| a.name().eq_ignore_ascii_case(alg.name())).count(), 1);
    }
}

#[test]
fn key_generation_and_import_lengths() {
    for alg in SYMMETRIC_ALGORITHMS {
        let mut ctx = CryptoCtx::new();
        let name = alg.name();
        match alg.generated_key_len() {
            None => {
                assert_eq!(ctx.symmetric_key_generate(name, None), Err(E::KeyNotSupported), "{name}");
                assert_eq!(ctx.symmetric_key_import(name, &[0; 32]), Err(E::KeyNotSupported), "{name}");
            }
            Some(len) => {
                let k = ctx.symmetric_key_generate(name, None).unwrap();
                let raw = ctx.symmetric_key_export(k).unwrap();
                assert_eq!(ctx.array_output_len(raw), Ok(len), "{name}");
                assert!(ctx.symmetric_key_import(name, &vec![1; len]).is_ok(), "{name}");
                // Every other length is either accepted by the algorithm's rule or invalid_key.
                for l in [0, 1, 3, 15, 16, 17, 31, 32, 33, 48, 63, 64, 65, 2000] {
                    let r = ctx.symmetric_key_import(name, &vec![1; l]);
                    let expected = alg.check_key_len(l);
                    assert_eq!(r.is_ok(), expected.is_ok(), "{name} {l}");
                    if let Err(e) = r {
                        assert_eq!(e, E::InvalidKey, "{name} {l}");
                    }
                }
            }
        }
        if alg.key_use() == KeyUse::Required {
            assert_eq!(ctx.symmetric_state_open(name, None, None), Err(E::KeyRequired), "{name}");
        }
    }
}

#[test]
fn options_an_algorithm_does_not_use_are_refused() {
    for alg in SYMMETRIC_ALGORITHMS {
        for (option, value) in ALL_OPTIONS {
            if alg.accepted_options().contains(option) {
                continue;
            }
            let mut ctx = CryptoCtx::new();
            let key = key_for(&mut ctx, *alg);
            let o = options_with(&mut ctx, option, value);
            // A valid nonce too, so that the option is the only reason to refuse.
            if let Some(n) = nonce_options(&mut ctx, *alg) {
                ctx.options_close(n).unwrap();
                let len = match alg.family() {
                    Family::Cipher(c) => c.nonce_len(),
                    Family::Aead(a) => a.nonce_len(),
                    _ => 16,
                };
                ctx.options_set(o, "nonce", &vec![9; len]).unwrap();
            }
            assert_eq!(
                ctx.symmetric_state_open(alg.name(), key, Some(o)),
                Err(E::UnsupportedOption),
                "{} with {option}",
                alg.name()
            );
        }
    }
}

/// Opens a ready state for `alg`.
fn ready(ctx: &mut CryptoCtx, alg: SymmetricAlgorithm) -> u32 {
    let key = key_for(ctx, alg);
    let o = nonce_options(ctx, alg);
    ctx.symmetric_state_open(alg.name(), key, o).unwrap()
}

#[test]
fn every_algorithm_round_trips_or_squeezes() {
    for alg in SYMMETRIC_ALGORITHMS {
        let name = alg.name();
        if let Family::Password(_) = alg.family() {
            // Password hashes need lent scratch memory: tests/password.rs runs each of them.
            continue;
        }
        let mut ctx = CryptoCtx::new();
        let s = ready(&mut ctx, *alg);
        match alg.family() {
            Family::Aead(_) | Family::Cipher(_) => {
                let max = ctx.symmetric_state_max_tag_len(s).unwrap();
                let msg = b"a message of some thirty-one b.";
                let mut sealed = vec![0u8; msg.len() + max];
                let n = ctx.symmetric_state_encrypt(s, InOut::separate(msg, &mut sealed)).unwrap();
                sealed.truncate(n);
                assert_ne!(&sealed[..msg.len()], msg, "{name}");
                assert_eq!(
                    ctx.symmetric_state_encrypt(s, InOut::separate(msg, &mut vec![0u8; n])),
                    Err(E::NonceRequired),
                    "{name}: one message per nonce"
                );
                assert_eq!(ctx.symmetric_state_squeeze(s, &mut [0u8; 16]), Err(E::InvalidOperation), "{name}");
            }
            _ => {
                ctx.symmetric_state_absorb(s, b"data").unwrap();
                let squeezed = ctx.symmetric_state_squeeze(s, &mut [0u8; 16]);
                let tagged = ctx.symmetric_state_squeeze_tag(s);
                let keyed = ctx.symmetric_state_squeeze_key(s, "HMAC/SHA-256");
                assert!(squeezed.is_ok() || tagged.is_ok() || keyed.is_ok(), "{name} gives nothing");
                if !matches!(alg.family(), Family::Xoodyak(_)) {
                    assert_eq!(
                        ctx.symmetric_state_encrypt(s, InOut::separate(b"x", &mut [0u8; 64])),
                        Err(E::InvalidOperation),
                        "{name}"
                    );
                }
            }
        }
    }
}

#[test]
fn aeads_detect_tampering_and_clones_agree() {
    for alg in SYMMETRIC_ALGORITHMS {
        let name = alg.name();
        let aead = match alg.family() {
            Family::Cipher(c) => c.is_aead(),
            Family::Aead(_) => true,
            _ => false,
        };
        if !aead {
            continue;
        }
        let mut ctx = CryptoCtx::new();
        let key = ctx.symmetric_key_generate(name, None).unwrap();
        let nonce = nonce_options(&mut ctx, *alg);
        let s = ctx.symmetric_state_open(name, Some(key), nonce).unwrap();
        ctx.symmetric_state_absorb(s, b"ad").unwrap();
        let mut n = [0u8; 64];
        let nlen = ctx.symmetric_state_options_get(s, "nonce", &mut n).unwrap();
        let msg = [5u8; 40];
        let mut sealed = vec![0u8; 56];
        ctx.symmetric_state_encrypt(s, InOut::separate(&msg, &mut sealed)).unwrap();
        let reopen = |ctx: &mut CryptoCtx| {
            let o = ctx.options_open(AlgorithmType::Symmetric).unwrap();
            ctx.options_set(o, "nonce", &n[..nlen]).unwrap();
            let s = ctx.symmetric_state_open(name, Some(key), Some(o)).unwrap();
            ctx.symmetric_state_absorb(s, b"ad").unwrap();
            s
        };
        let d = reopen(&mut ctx);
        let mut out = [0u8; 40];
        assert_eq!(ctx.symmetric_state_decrypt(d, InOut::separate(&sealed, &mut out)), Ok(40), "{name}");
        assert_eq!(out, msg, "{name}");
        for i in [0, 39, 40, 55] {
            let mut bad = sealed.clone();
            bad[i] ^= 1;
            let d = reopen(&mut ctx);
            let mut out = [0xaa; 40];
            assert_eq!(
                ctx.symmetric_state_decrypt(d, InOut::separate(&bad, &mut out)),
                Err(E::InvalidTag),
                "{name} {i}"
            );
            assert_eq!(out, [0; 40], "{name}: nothing released");
        }
        // Detached tags of the wrong length are invalid_tag.
        let d = reopen(&mut ctx);
        assert_eq!(
            ctx.symmetric_state_decrypt_detached(d, InOut::separate(&sealed[..40], &mut out), &sealed[40..55]),
            Err(E::InvalidTag),
            "{name}"
        );
        // Wrong output lengths.
        let d = reopen(&mut ctx);
        assert_eq!(
            ctx.symmetric_state_decrypt(d, InOut::separate(&sealed, &mut [0u8; 41])),
            Err(E::InvalidLength),
            "{name}"
        );
        assert_eq!(
            ctx.symmetric_state_decrypt(d, InOut::separate(&sealed[..15], &mut [])),
            Err(E::InvalidLength),
            "{name}"
        );
    }
}

#[test]
fn digest_clones_continue_independently() {
    for alg in SYMMETRIC_ALGORITHMS {
        if !matches!(alg.family(), Family::Digest(_)) {
            continue;
        }
        let name = alg.name();
        let mut ctx = CryptoCtx::new();
        let s = ready(&mut ctx, *alg);
        ctx.symmetric_state_absorb(s, b"abc").unwrap();
        let c = ctx.symmetric_state_clone(s).unwrap();
        let mut a = [0u8; 16];
        let mut b = [0u8; 16];
        if ctx.symmetric_state_squeeze(s, &mut a).is_ok() {
            ctx.symmetric_state_squeeze(c, &mut b).unwrap();
            assert_eq!(a, b, "{name}");
        } else {
            let t1 = ctx.symmetric_state_squeeze_tag(s).unwrap();
            let t2 = ctx.symmetric_state_squeeze_tag(c).unwrap();
            let n = ctx.symmetric_tag_pull(t1, &mut [0u8; 64][..]).unwrap();
            assert!(n >= 16, "{name}");
            let mut raw = [0u8; 64];
            let n2 = ctx.symmetric_tag_pull(t2, &mut raw).unwrap();
            assert_eq!(n, n2, "{name}");
        }
    }
}

#[test]
fn hash_family_rules() {
    let mut ctx = CryptoCtx::new();
    let s = ctx.symmetric_state_open("SHA3-256", None, None).unwrap();
    assert_eq!(ctx.symmetric_state_squeeze(s, &mut [0u8; 33]), Err(E::InvalidLength));
    assert_eq!(ctx.symmetric_state_squeeze_tag(s), Err(E::InvalidOperation));
    assert_eq!(ctx.symmetric_state_max_tag_len(s), Err(E::InvalidOperation));
    assert_eq!(ctx.symmetric_state_squeeze_key(s, "AES-128-GCM"), Err(E::InvalidOperation));
    let k = ctx.symmetric_key_generate("KMAC-128", None).unwrap();
    assert_eq!(ctx.symmetric_state_open("SHAKE-128", Some(k), None), Err(E::KeyNotSupported));
    // An XOF derives keys from its stream.
    let x = ctx.symmetric_state_open("SHAKE-256", None, None).unwrap();
    ctx.symmetric_state_absorb(x, b"seed").unwrap();
    let derived = ctx.symmetric_state_squeeze_key(x, "AES-256-GCM").unwrap();
    let raw = ctx.symmetric_key_export(derived).unwrap();
    assert_eq!(ctx.array_output_len(raw), Ok(32));
    // TurboSHAKE's domain byte is 0x01..=0x7F.
    for bad in [0, 0x80, 0x1ff] {
        let o = ctx.options_open(AlgorithmType::Symmetric).unwrap();
        ctx.options_set_u64(o, "domain", bad).unwrap();
        assert_eq!(ctx.symmetric_state_open("TURBOSHAKE-128", None, Some(o)), Err(E::UnsupportedOption), "{bad}");
    }
}

#[test]
fn mac_family_rules() {
    let mut ctx = CryptoCtx::new();
    for (alg, len) in [("KMAC-128", 32), ("KMAC-256", 64), ("AES-128-CMAC", 16), ("AES-256-CMAC", 16)] {
        let k = ctx.symmetric_key_generate(alg, None).unwrap();
        let s = ctx.symmetric_state_open(alg, Some(k), None).unwrap();
        assert_eq!(ctx.symmetric_state_max_tag_len(s), Ok(len), "{alg}");
        ctx.symmetric_state_absorb(s, b"m").unwrap();
        let t = ctx.symmetric_state_squeeze_tag(s).unwrap();
        assert_eq!(ctx.symmetric_tag_len(t), Ok(len), "{alg}");
        assert_eq!(ctx.symmetric_tag_verify(t, &[0u8; 64][..len]), Err(E::InvalidTag), "{alg}");
        assert_eq!(ctx.symmetric_state_squeeze_key(s, "AES-128-GCM"), Err(E::InvalidOperation), "{alg}");
    }
    let k = ctx.symmetric_key_generate("AES-128-CMAC", None).unwrap();
    let s = ctx.symmetric_state_open("AES-128-CMAC", Some(k), None).unwrap();
    assert_eq!(ctx.symmetric_state_squeeze(s, &mut [0u8; 16]), Err(E::InvalidOperation));
}

#[test]
fn blake_rules() {
    let mut ctx = CryptoCtx::new();
    // The spec's example imports a 3-byte BLAKE3 key: keys are exactly 32 bytes.
    assert_eq!(ctx.symmetric_key_import("BLAKE3", b"key"), Err(E::InvalidKey));
    let k = ctx.symmetric_key_import("BLAKE3", &[1; 32]).unwrap();
    // The spec's XOF key-derivation example with a 32-byte key: two subkeys from one stream.
    let s = ctx.symmetric_state_open("BLAKE3", Some(k), None).unwrap();
    ctx.symmetric_state_absorb(s, b"context").unwrap();
    let (mut k1, mut k2) = ([0u8; 32], [0u8; 32]);
    ctx.symmetric_state_squeeze(s, &mut k1).unwrap();
    ctx.symmetric_state_squeeze(s, &mut k2).unwrap();
    assert_ne!(k1, k2);
    assert_eq!(ctx.symmetric_state_squeeze_tag(s), Err(E::InvalidOperation), "no tag once squeezing");
    // A key and a context together are refused; a context must be UTF-8 (BLAKE3 derive_key).
    let o = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    ctx.options_set(o, "context", b"app").unwrap();
    assert_eq!(ctx.symmetric_state_open("BLAKE3", Some(k), Some(o)), Err(E::UnsupportedOption));
    ctx.options_set(o, "context", &[0xff, 0xfe]).unwrap();
    assert_eq!(ctx.symmetric_state_open("BLAKE3", None, Some(o)), Err(E::UnsupportedEncoding));
    let o = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    ctx.options_set_u64(o, "threads", 0).unwrap();
    assert_eq!(ctx.symmetric_state_open("BLAKE3", None, Some(o)), Err(E::UnsupportedOption));
    // Unkeyed BLAKE2b gives no tag; keyed BLAKE2b's tag is its digest length.
    let s = ctx.symmetric_state_open("BLAKE2B-256", None, None).unwrap();
    assert_eq!(ctx.symmetric_state_squeeze_tag(s), Err(E::InvalidOperation));
    assert_eq!(ctx.symmetric_key_import("BLAKE2B-512", &[1; 65]), Err(E::InvalidKey));
    assert_eq!(ctx.symmetric_key_import("BLAKE2B-512", &[]), Err(E::InvalidKey));
    let k = ctx.symmetric_key_import("BLAKE2B-512", b"key").unwrap();
    let s = ctx.symmetric_state_open("BLAKE2B-512", Some(k), None).unwrap();
    assert_eq!(ctx.symmetric_state_max_tag_len(s), Ok(64));
    // BLAKE2b parameters out of range.
    for (name, value) in
        [("fanout", 256), ("max_depth", 0), ("node_depth", 300), ("inner_length", 65), ("leaf_length", 1 << 32)]
    {
        let o = ctx.options_open(AlgorithmType::Symmetric).unwrap();
        ctx.options_set_u64(o, name, value).unwrap();
        assert_eq!(ctx.symmetric_state_open("BLAKE2B-512", None, Some(o)), Err(E::UnsupportedOption), "{name}");
    }
    let o = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    ctx.options_set(o, "salt", &[0; 17]).unwrap();
    assert_eq!(ctx.symmetric_state_open("BLAKE2B-512", None, Some(o)), Err(E::InvalidLength));
}

#[test]
fn cipher_nonce_rules() {
    let mut ctx = CryptoCtx::new();
    for alg in ["AEGIS-128L", "AEGIS-128X2", "AEGIS-128X4", "ASCON-AEAD", "AES-128-CTR", "AES-256-CBC"] {
        let k = ctx.symmetric_key_generate(alg, None).unwrap();
        assert_eq!(ctx.symmetric_state_open(alg, Some(k), None), Err(E::NonceRequired), "{alg}");
        let o = ctx.options_open(AlgorithmType::Symmetric).unwrap();
        ctx.options_set(o, "nonce", &[0; 15]).unwrap();
        assert_eq!(ctx.symmetric_state_open(alg, Some(k), Some(o)), Err(E::InvalidNonce), "{alg}");
    }
    for (alg, len) in [("AES-128-GCM-SIV", 12), ("AES-256-SIV", 16), ("AEGIS-256", 32), ("AEGIS-256X4", 32)] {
        let k = ctx.symmetric_key_generate(alg, None).unwrap();
        let s = ctx.symmetric_state_open(alg, Some(k), None).unwrap();
        let mut n = [0u8; 64];
        assert_eq!(ctx.symmetric_state_options_get(s, "nonce", &mut n), Ok(len), "{alg}: automatic nonce");
        // A clone that has not encrypted gets its own nonce.
        let c = ctx.symmetric_state_clone(s).unwrap();
        let mut n2 = [0u8; 64];
        ctx.symmetric_state_options_get(c, "nonce", &mut n2).unwrap();
        assert_ne!(n, n2, "{alg}");
    }
    // CTR and CBC: no associated data, no detached tags; CBC pads and checks its padding.
    let k = ctx.symmetric_key_import("AES-128-CBC", &[0x42; 16]).unwrap();
    let o = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    ctx.options_set(o, "nonce", &[3; 16]).unwrap();
    let s = ctx.symmetric_state_open("AES-128-CBC", Some(k), Some(o)).unwrap();
    assert_eq!(ctx.symmetric_state_absorb(s, b"ad"), Err(E::InvalidOperation));
    assert_eq!(ctx.symmetric_state_encrypt_detached(s, InOut::separate(b"x", &mut [0u8; 1])), Err(E::InvalidOperation));
    assert_eq!(
        ctx.symmetric_state_encrypt(s, InOut::separate(&[1; 16], &mut [0u8; 16])),
        Err(E::InvalidLength),
        "needs a padding block"
    );
    let mut ct = [0u8; 32];
    assert_eq!(ctx.symmetric_state_encrypt(s, InOut::separate(&[1; 16], &mut ct)), Ok(32));
    let d = ctx.symmetric_state_open("AES-128-CBC", Some(k), Some(o)).unwrap();
    assert_eq!(ctx.symmetric_state_decrypt(d, InOut::separate(&ct[..31], &mut [0u8; 32])), Err(E::InvalidLength));
    assert_eq!(ctx.symmetric_state_decrypt(d, InOut::separate(&ct, &mut [0u8; 15])), Err(E::Overflow));
    let mut pt = [0u8; 32];
    assert_eq!(ctx.symmetric_state_decrypt(d, InOut::separate(&ct, &mut pt)), Ok(16));
    assert_eq!(&pt[..16], &[1; 16]);
    // A changed last block (fixed key and IV: its padding is wrong) is invalid_tag.
    let mut ct_bad = ct;
    ct_bad[31] ^= 0x80;
    let d2 = ctx.symmetric_state_open("AES-128-CBC", Some(k), Some(o)).unwrap();
    assert_eq!(ctx.symmetric_state_decrypt(d2, InOut::separate(&ct_bad, &mut pt)), Err(E::InvalidTag));
}
