//! Password hashing through the public `CryptoCtx` API, with a byte vector standing in for the
//! guest's linear memory: known answers (RFC 9106, RFC 7914, PBKDF2-HMAC-SHA-512), PHC strings
//! checked by the `argon2`, `scrypt` and `pbkdf2` crates' verifiers (and theirs verified here),
//! overlapping buffers, and the errno rules.

use base64ct::{Base64Unpadded, Encoding};
use password_hash::PasswordVerifier;
use password_hash::phc::PasswordHash;
use wasmcrypt::{AlgorithmType, CryptoCtx, CryptoError, GuestBuffer, Handle};

const SYM: AlgorithmType = AlgorithmType::Symmetric;

fn hex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

/// The parameters of one computation; `memory` is a range of the fake guest memory.
#[derive(Clone, Default)]
struct Setup {
    memory: Option<(u32, u32)>,
    opslimit: Option<u64>,
    parallelism: Option<u64>,
    salt: Option<Vec<u8>>,
    context: Option<Vec<u8>>,
    key: Option<Vec<u8>>,
}

fn open(ctx: &mut CryptoCtx, alg: &str, s: &Setup) -> Result<Handle, CryptoError> {
    let o = ctx.options_open(SYM).unwrap();
    if let Some((ptr, len)) = s.memory {
        ctx.options_set_guest_buffer(o, "memory", GuestBuffer { ptr, len }).unwrap();
    }
    if let Some(v) = s.opslimit {
        ctx.options_set_u64(o, "opslimit", v).unwrap();
    }
    if let Some(v) = s.parallelism {
        ctx.options_set_u64(o, "parallelism", v).unwrap();
    }
    if let Some(v) = &s.salt {
        ctx.options_set(o, "salt", v).unwrap();
    }
    if let Some(v) = &s.context {
        ctx.options_set(o, "context", v).unwrap();
    }
    let key = s.key.as_ref().map(|k| ctx.symmetric_key_import(alg, k).unwrap());
    ctx.symmetric_state_open(alg, key, Some(o))
}

/// Derives `len` bytes into a separate region of `memory`.
fn derive(alg: &str, s: &Setup, password: &[u8], memory: &mut [u8], len: usize) -> Result<Vec<u8>, CryptoError> {
    let mut ctx = CryptoCtx::new();
    let st = open(&mut ctx, alg, s)?;
    ctx.symmetric_state_absorb(st, password)?;
    let out = memory.len() - len;
    ctx.symmetric_state_squeeze_in(st, memory, out..memory.len())?;
    Ok(memory[out..].to_vec())
}

fn encoded(alg: &str, s: &Setup, password: &[u8], memory: &mut [u8]) -> String {
    let mut ctx = CryptoCtx::new();
    let st = open(&mut ctx, alg, s).unwrap();
    ctx.symmetric_state_absorb(st, password).unwrap();
    let tag = ctx.symmetric_state_squeeze_tag_in(st, memory).unwrap();
    let mut buf = vec![0u8; ctx.symmetric_tag_len(tag).unwrap()];
    ctx.symmetric_tag_pull(tag, &mut buf).unwrap();
    String::from_utf8(buf).unwrap()
}

const KIB: usize = 1024;

#[test]
fn argon2_rfc9106_vectors_through_the_api() {
    // Secret K = the key, associated data X = the `context` option.
    let mut memory = vec![0u8; 32 * KIB + 64];
    for (alg, tag) in [
        ("ARGON2-D-13", "512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb"),
        ("argon2-i-13", "c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8"),
        ("Argon2-ID-13", "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"),
    ] {
        let s = Setup {
            memory: Some((0, 32 * KIB as u32)),
            opslimit: Some(3),
            parallelism: Some(4),
            salt: Some(vec![2; 16]),
            context: Some(vec![4; 12]),
            key: Some(vec![3; 8]),
        };
        assert_eq!(derive(alg, &s, &[1; 32], &mut memory, 32).unwrap(), hex(tag), "{alg}");
    }
}

#[test]
fn scrypt_rfc7914_vectors_through_the_api() {
    // r = 8 vectors of RFC 7914 (the first one has r = 1: see the core's unit tests).
    let mut memory = vec![0u8; (1 << 14) * 1024 + 64];
    let s = Setup {
        memory: Some((0, (1 << 10) * 1024)),
        opslimit: Some(10),
        parallelism: Some(16),
        salt: Some(b"NaCl".to_vec()),
        ..Setup::default()
    };
    assert_eq!(
        derive("SCRYPT", &s, b"password", &mut memory, 64).unwrap(),
        hex(
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
        )
    );
    let s = Setup {
        memory: Some((0, (1 << 14) * 1024)),
        opslimit: Some(14),
        salt: Some(b"SodiumChloride".to_vec()),
        ..Setup::default()
    };
    assert_eq!(
        derive("scrypt", &s, b"pleaseletmein", &mut memory, 64).unwrap(),
        hex(
            "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887"
        )
    );
}

#[test]
fn pbkdf2_known_answers() {
    let mut memory = vec![0u8; 64];
    let cases = [
        // RFC 7914, section 11.
        (
            "PBKDF2-HMAC/SHA-256",
            &b"passwd"[..],
            &b"salt"[..],
            1,
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783",
        ),
        (
            "PBKDF2-HMAC/SHA-256",
            b"Password",
            b"NaCl",
            80000,
            "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d",
        ),
        // The widely published PBKDF2-HMAC-SHA-512 answers for "password" / "salt".
        (
            "PBKDF2-HMAC/SHA-512",
            b"password",
            b"salt",
            1,
            "867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252c02d470a285a0501bad999bfe943c08f050235d7d68b1da55e63f73b60a57fce",
        ),
        (
            "pbkdf2-hmac/sha-512",
            b"password",
            b"salt",
            2,
            "e1d9c16aa681708a45f5c7c4e215ceb66e011a2e9f0040713f18aefdb866d53cf76cab2868a39b9f7840edce4fef5a82be67335c77a6068e04112754f27ccf4e",
        ),
    ];
    for (alg, password, salt, iterations, expected) in cases {
        let s = Setup { opslimit: Some(iterations), salt: Some(salt.to_vec()), ..Setup::default() };
        assert_eq!(derive(alg, &s, password, &mut memory, 64).unwrap(), hex(expected), "{alg} c={iterations}");
        // PBKDF2 needs no scratch memory: the core API without lent memory works too.
        let mut ctx = CryptoCtx::new();
        let st = open(&mut ctx, alg, &s).unwrap();
        ctx.symmetric_state_absorb(st, password).unwrap();
        let mut out = [0u8; 64];
        ctx.symmetric_state_squeeze(st, &mut out).unwrap();
        assert_eq!(out.to_vec(), hex(expected));
    }
}

#[test]
fn phc_strings_verify_with_the_reference_crates() {
    let mut memory = vec![0u8; 512 * KIB];
    let salt = b"0123456789abcdef".to_vec();
    let argon2 = Setup {
        memory: Some((0, 256 * KIB as u32)),
        opslimit: Some(3),
        parallelism: Some(2),
        salt: Some(salt.clone()),
        ..Setup::default()
    };
    let s = encoded("ARGON2-ID-13", &argon2, b"hunter2", &mut memory);
    assert!(s.starts_with("$argon2id$v=19$m=256,t=3,p=2$MDEyMzQ1Njc4OWFiY2RlZg$"), "{s}");
    let hash = PasswordHash::new(&s).unwrap();
    assert_eq!(::argon2::Argon2::default().verify_password(b"hunter2", &hash), Ok(()));
    assert!(::argon2::Argon2::default().verify_password(b"hunter3", &hash).is_err());
    for (alg, id) in [("ARGON2-I-13", "argon2i"), ("ARGON2-D-13", "argon2d")] {
        let s = encoded(alg, &argon2, b"hunter2", &mut memory);
        assert!(s.starts_with(&format!("${id}$v=19$m=256,t=3,p=2$")), "{s}");
        assert_eq!(::argon2::Argon2::default().verify_password(b"hunter2", &PasswordHash::new(&s).unwrap()), Ok(()));
    }

    let scrypt = Setup {
        memory: Some((0, 256 * KIB as u32)),
        opslimit: Some(8),
        parallelism: Some(2),
        salt: Some(salt.clone()),
        ..Setup::default()
    };
    let s = encoded("SCRYPT", &scrypt, b"hunter2", &mut memory);
    assert!(s.starts_with("$scrypt$ln=8,r=8,p=2$MDEyMzQ1Njc4OWFiY2RlZg$"), "{s}");
    let hash = PasswordHash::new(&s).unwrap();
    assert_eq!(::scrypt::Scrypt::default().verify_password(b"hunter2", &hash), Ok(()));
    assert!(::scrypt::Scrypt::default().verify_password(b"hunter3", &hash).is_err());

    for (alg, id) in [("PBKDF2-HMAC/SHA-256", "pbkdf2-sha256"), ("PBKDF2-HMAC/SHA-512", "pbkdf2-sha512")] {
        let pbkdf2 = Setup { opslimit: Some(1000), salt: Some(salt.clone()), ..Setup::default() };
        let s = encoded(alg, &pbkdf2, b"hunter2", &mut memory);
        assert!(s.starts_with(&format!("${id}$i=1000,l=32$MDEyMzQ1Njc4OWFiY2RlZg$")), "{s}");
        let hash = PasswordHash::new(&s).unwrap();
        assert_eq!(::pbkdf2::Pbkdf2::default().verify_password(b"hunter2", &hash), Ok(()), "{s}");
        assert!(::pbkdf2::Pbkdf2::default().verify_password(b"hunter3", &hash).is_err());
    }
}

/// The parameters of a stored PHC string, as a guest parses them to verify a password.
fn setup_from_phc(stored: &str) -> (String, Setup) {
    let hash = PasswordHash::new(stored).unwrap();
    let alg = match hash.algorithm.as_str() {
        "argon2id" => "ARGON2-ID-13",
        "argon2i" => "ARGON2-I-13",
        "argon2d" => "ARGON2-D-13",
        "scrypt" => "SCRYPT",
        "pbkdf2-sha256" => "PBKDF2-HMAC/SHA-256",
        other => panic!("{other}"),
    };
    let param = |name: &str| hash.params.get_decimal(name).map(u64::from);
    let mut s = Setup { salt: Some(hash.salt.unwrap().as_ref().to_vec()), ..Setup::default() };
    match alg {
        "SCRYPT" => {
            let (ln, p) = (param("ln").unwrap(), param("p").unwrap());
            assert_eq!(param("r"), Some(8));
            s.memory = Some((0, ((1u64 << ln) * 1024) as u32));
            s.opslimit = Some(ln);
            s.parallelism = Some(p);
        }
        "PBKDF2-HMAC/SHA-256" => s.opslimit = param("i"),
        _ => {
            s.memory = Some((0, (param("m").unwrap() * 1024) as u32));
            s.opslimit = param("t");
            s.parallelism = param("p");
        }
    }
    (alg.to_owned(), s)
}

/// The verification pattern of the README: recompute with the stored parameters, then
/// `symmetric_tag_verify(tag, stored)` (constant time).
fn verify(stored: &str, password: &[u8], memory: &mut [u8]) -> Result<(), CryptoError> {
    let (alg, s) = setup_from_phc(stored);
    let mut ctx = CryptoCtx::new();
    let st = open(&mut ctx, &alg, &s)?;
    ctx.symmetric_state_absorb(st, password)?;
    let tag = ctx.symmetric_state_squeeze_tag_in(st, memory)?;
    ctx.symmetric_tag_verify(tag, stored.as_bytes())
}

#[test]
fn strings_from_the_reference_crates_verify_through_the_api() {
    use password_hash::CustomizedPasswordHasher;
    let mut memory = vec![0u8; 1024 * KIB];
    let salt = b"saltsaltsaltsalt";
    let params = ::argon2::Params::new(512, 2, 3, Some(32)).unwrap();
    let theirs =
        ::argon2::Argon2::default().hash_password_customized(b"open sesame", salt, None, None, params).unwrap();
    let stored = theirs.to_string();
    assert!(stored.starts_with("$argon2id$v=19$m=512,t=2,p=3$"), "{stored}");
    assert_eq!(verify(&stored, b"open sesame", &mut memory), Ok(()));
    assert_eq!(verify(&stored, b"open sesamE", &mut memory), Err(CryptoError::InvalidTag));

    let params = ::scrypt::Params::new(9, 8, 1).unwrap();
    let stored = ::scrypt::Scrypt::default()
        .hash_password_customized(b"open sesame", salt, None, None, params)
        .unwrap()
        .to_string();
    assert_eq!(verify(&stored, b"open sesame", &mut memory), Ok(()), "{stored}");
    assert_eq!(verify(&stored, b"open", &mut memory), Err(CryptoError::InvalidTag));

    let params = ::pbkdf2::Params::new_with_output_len(1000, 32).unwrap();
    let stored = ::pbkdf2::Pbkdf2::default()
        .hash_password_customized(b"open sesame", salt, None, None, params)
        .unwrap()
        .to_string();
    assert_eq!(verify(&stored, b"open sesame", &mut memory), Ok(()), "{stored}");
    assert_eq!(verify(&stored, b"", &mut memory), Err(CryptoError::InvalidTag));
}

#[test]
fn output_overlapping_the_scratch_buffer() {
    let s = Setup {
        memory: Some((0, 64 * KIB as u32)),
        opslimit: Some(2),
        parallelism: Some(1),
        salt: Some(vec![9; 16]),
        ..Setup::default()
    };
    for alg in ["ARGON2-ID-13", "SCRYPT"] {
        let mut memory = vec![0u8; 128 * KIB];
        let separate = derive(alg, &s, b"pw", &mut memory, 48).unwrap();
        for out in [0..48, 1000..1048, 64 * KIB - 20..64 * KIB + 28] {
            let mut ctx = CryptoCtx::new();
            let st = open(&mut ctx, alg, &s).unwrap();
            ctx.symmetric_state_absorb(st, b"pw").unwrap();
            ctx.symmetric_state_squeeze_in(st, &mut memory, out.clone()).unwrap();
            assert_eq!(memory[out.clone()], separate[..], "{alg} {out:?}");
        }
    }
}

#[test]
fn salt_is_generated_and_readable() {
    let mut memory = vec![0u8; 64 * KIB];
    let mut ctx = CryptoCtx::new();
    let s = Setup { memory: Some((0, 64 * KIB as u32)), opslimit: Some(1), ..Setup::default() };
    let st = open(&mut ctx, "ARGON2-ID-13", &s).unwrap();
    let mut salt = [0u8; 32];
    assert_eq!(ctx.symmetric_state_options_get(st, "salt", &mut salt), Ok(16));
    ctx.symmetric_state_absorb(st, b"pw").unwrap();
    let tag = ctx.symmetric_state_squeeze_tag_in(st, &mut memory).unwrap();
    let mut buf = vec![0u8; ctx.symmetric_tag_len(tag).unwrap()];
    ctx.symmetric_tag_pull(tag, &mut buf).unwrap();
    let s = String::from_utf8(buf).unwrap();
    assert!(s.contains(&format!("$m=64,t=1,p=1${}$", Base64Unpadded::encode_string(&salt[..16]))), "{s}");
    let other =
        open(&mut ctx, "ARGON2-ID-13", &Setup { memory: Some((0, 64 * 1024)), opslimit: Some(1), ..Setup::default() })
            .unwrap();
    let mut salt2 = [0u8; 16];
    ctx.symmetric_state_options_get(other, "salt", &mut salt2).unwrap();
    assert_ne!(salt[..16], salt2, "a fresh salt per state");
}

#[test]
fn squeeze_key_and_clone() {
    let mut memory = vec![0u8; 64 * KIB + 32];
    let s =
        Setup { memory: Some((0, 64 * KIB as u32)), opslimit: Some(1), salt: Some(vec![5; 16]), ..Setup::default() };
    let raw = derive("ARGON2-ID-13", &s, b"pw", &mut memory, 32).unwrap();
    let mut ctx = CryptoCtx::new();
    let st = open(&mut ctx, "ARGON2-ID-13", &s).unwrap();
    ctx.symmetric_state_absorb(st, b"p").unwrap();
    let copy = ctx.symmetric_state_clone(st).unwrap();
    ctx.symmetric_state_absorb(copy, b"w").unwrap();
    let key = ctx.symmetric_state_squeeze_key_in(copy, "AES-256-GCM", &mut memory).unwrap();
    let exported = ctx.symmetric_key_export(key).unwrap();
    let mut out = [0u8; 32];
    ctx.array_output_pull(exported, &mut out).unwrap();
    assert_eq!(out.to_vec(), raw, "absorbs concatenate; the key is the 32-byte derived key");
    assert_eq!(ctx.symmetric_state_squeeze_key_in(copy, "SHA-256", &mut memory), Err(CryptoError::KeyNotSupported));
    let mut short = [0u8; 32];
    ctx.symmetric_state_squeeze_in(st, &mut memory, 0..32).unwrap();
    short.copy_from_slice(&memory[..32]);
    assert_ne!(short.to_vec(), raw, "the original kept its own password");
}

#[test]
fn errnos() {
    use CryptoError::*;
    let mut ctx = CryptoCtx::new();
    let mem = Some((0, 64 * 1024));
    let base = Setup { memory: mem, opslimit: Some(1), ..Setup::default() };
    let with = |f: &dyn Fn(&mut Setup)| {
        let mut s = base.clone();
        f(&mut s);
        s
    };
    for alg in ["ARGON2-ID-13", "SCRYPT"] {
        assert_eq!(open(&mut ctx, alg, &with(&|s| s.memory = None)).err(), Some(ParametersMissing), "{alg}");
        assert_eq!(open(&mut ctx, alg, &with(&|s| s.opslimit = None)).err(), Some(ParametersMissing), "{alg}");
        assert_eq!(open(&mut ctx, alg, &with(&|s| s.opslimit = Some(0))).err(), Some(InvalidLength), "{alg}");
        assert_eq!(open(&mut ctx, alg, &with(&|s| s.parallelism = Some(0))).err(), Some(InvalidLength), "{alg}");
        assert_eq!(open(&mut ctx, alg, &with(&|s| s.salt = Some(vec![0; 65]))).err(), Some(InvalidLength), "{alg}");
    }
    // Argon2: m >= 8p KiB, p < 2^24, salt >= 8 bytes, t < 2^32.
    let a = "ARGON2-ID-13";
    assert_eq!(open(&mut ctx, a, &with(&|s| s.memory = Some((0, 8 * 1024 - 1)))).err(), Some(InvalidLength));
    assert!(open(&mut ctx, a, &with(&|s| s.memory = Some((0, 8 * 1024)))).is_ok());
    assert_eq!(open(&mut ctx, a, &with(&|s| s.parallelism = Some(9))).err(), Some(InvalidLength));
    assert!(open(&mut ctx, a, &with(&|s| s.parallelism = Some(8))).is_ok());
    assert_eq!(open(&mut ctx, a, &with(&|s| s.parallelism = Some(1 << 24))).err(), Some(InvalidLength));
    assert_eq!(open(&mut ctx, a, &with(&|s| s.salt = Some(vec![0; 7]))).err(), Some(InvalidLength));
    assert_eq!(open(&mut ctx, a, &with(&|s| s.opslimit = Some(1 << 32))).err(), Some(InvalidLength));
    // scrypt: N · 1024 bytes must fit; p <= 255.
    let s = "SCRYPT";
    assert!(open(&mut ctx, s, &with(&|s| s.opslimit = Some(6))).is_ok());
    assert_eq!(open(&mut ctx, s, &with(&|s| s.opslimit = Some(7))).err(), Some(InvalidLength));
    assert_eq!(open(&mut ctx, s, &with(&|s| s.opslimit = Some(64))).err(), Some(InvalidLength));
    assert_eq!(open(&mut ctx, s, &with(&|s| s.parallelism = Some(256))).err(), Some(InvalidLength));
    assert_eq!(open(&mut ctx, s, &with(&|s| s.context = Some(b"x".to_vec()))).err(), Some(UnsupportedOption));
    assert_eq!(ctx.symmetric_key_import(s, &[1; 16]), Err(KeyNotSupported));
    // PBKDF2: no memory, no parallelism, no context; iterations 1..2^32.
    for p in ["PBKDF2-HMAC/SHA-256", "PBKDF2-HMAC/SHA-512"] {
        assert_eq!(open(&mut ctx, p, &base).err(), Some(UnsupportedOption));
        let pb = Setup { opslimit: Some(1), ..Setup::default() };
        assert!(open(&mut ctx, p, &pb).is_ok());
        assert_eq!(open(&mut ctx, p, &Setup { parallelism: Some(1), ..pb.clone() }).err(), Some(UnsupportedOption));
        assert_eq!(open(&mut ctx, p, &Setup { opslimit: None, ..pb.clone() }).err(), Some(ParametersMissing));
        assert_eq!(open(&mut ctx, p, &Setup { opslimit: Some(0), ..pb.clone() }).err(), Some(InvalidLength));
        assert_eq!(open(&mut ctx, p, &Setup { opslimit: Some(1 << 32), ..pb.clone() }).err(), Some(InvalidLength));
        assert_eq!(ctx.symmetric_key_import(p, &[1; 16]), Err(KeyNotSupported));
    }
    // A nonce is refused by every password hash.
    let o = ctx.options_open(SYM).unwrap();
    ctx.options_set(o, "nonce", &[0; 12]).unwrap();
    ctx.options_set_u64(o, "opslimit", 1).unwrap();
    assert_eq!(ctx.symmetric_state_open("PBKDF2-HMAC/SHA-256", None, Some(o)), Err(UnsupportedOption));

    // At squeeze: the buffer must lie within the lent memory; outputs are bounded.
    let st = open(&mut ctx, a, &with(&|s| s.memory = Some((u32::MAX - 1000, 64 * 1024)))).unwrap();
    let mut memory = vec![0u8; 64 * 1024];
    assert_eq!(ctx.symmetric_state_squeeze_in(st, &mut memory, 0..32), Err(GuestError));
    let st = open(&mut ctx, a, &base).unwrap();
    assert_eq!(ctx.symmetric_state_squeeze_in(st, &mut memory[..1000], 0..32), Err(GuestError), "buffer beyond memory");
    assert_eq!(ctx.symmetric_state_squeeze_in(st, &mut memory, 0..3), Err(InvalidLength), "Argon2 tags are >= 4 bytes");
    assert_eq!(ctx.symmetric_state_squeeze_in(st, &mut memory, 0..0), Err(InvalidLength));
    assert_eq!(ctx.symmetric_state_squeeze_in(st, &mut memory, 10..100_000), Err(GuestError), "out outside memory");
    let mut small = CryptoCtx::builder().max_input_len(1024).build();
    let st = open(&mut small, a, &base).unwrap();
    assert_eq!(small.symmetric_state_squeeze_in(st, &mut memory, 0..1025), Err(Overflow), "longer than the input cap");
    assert_eq!(small.symmetric_state_squeeze_in(st, &mut memory, 0..1024), Ok(()));
    // Without lent memory (core API only), Argon2 finds no buffer.
    let mut out = [0u8; 32];
    assert_eq!(small.symmetric_state_squeeze(st, &mut out), Err(GuestError));
    // Password states have no MAC tag length, and encrypt nothing.
    assert_eq!(small.symmetric_state_max_tag_len(st), Err(InvalidOperation));
    // The work cap: Argon2 m·t, PBKDF2 iterations × output blocks.
    let mut capped = CryptoCtx::builder().max_password_work(100).build();
    let st = open(&mut capped, a, &base).unwrap();
    assert_eq!(capped.symmetric_state_squeeze_in(st, &mut memory, 0..32), Ok(()), "64 KiB × 1 pass");
    let st = open(&mut capped, a, &with(&|s| s.opslimit = Some(2))).unwrap();
    assert_eq!(capped.symmetric_state_squeeze_in(st, &mut memory, 0..32), Err(Overflow), "64 KiB × 2 passes");
    assert_eq!(capped.symmetric_state_squeeze_tag_in(st, &mut memory).err(), Some(Overflow));
    let st = open(&mut capped, "PBKDF2-HMAC/SHA-256", &Setup { opslimit: Some(100), ..Setup::default() }).unwrap();
    assert_eq!(capped.symmetric_state_squeeze_in(st, &mut memory, 0..32), Ok(()));
    assert_eq!(capped.symmetric_state_squeeze_in(st, &mut memory, 0..33), Err(Overflow), "two output blocks");
    // An Argon2 secret: 1 to 1024 bytes.
    assert_eq!(ctx.symmetric_key_import(a, &[]), Err(InvalidKey));
    assert!(ctx.symmetric_key_import(a, &[0; 1024]).is_ok());
    assert_eq!(ctx.symmetric_key_import(a, &[0; 1025]), Err(InvalidKey));
    let other = ctx.symmetric_key_import("ARGON2-I-13", &[1; 32]).unwrap();
    let o = ctx.options_open(SYM).unwrap();
    ctx.options_set_guest_buffer(o, "memory", GuestBuffer { ptr: 0, len: 64 * 1024 }).unwrap();
    ctx.options_set_u64(o, "opslimit", 1).unwrap();
    assert_eq!(ctx.symmetric_state_open(a, Some(other), Some(o)), Err(InvalidKey), "a key of another variant");
}

/// Opens `alg` with a host-owned scratch buffer of `len` bytes (the component ABI) and the
/// other parameters of `s` (whose `memory` must be unset).
fn open_host(ctx: &mut CryptoCtx, alg: &str, len: usize, s: &Setup) -> Result<Handle, CryptoError> {
    let o = ctx.options_open(SYM).unwrap();
    ctx.options_set_host_buffer(o, "memory", vec![0xa5; len])?;
    if let Some(v) = s.opslimit {
        ctx.options_set_u64(o, "opslimit", v).unwrap();
    }
    if let Some(v) = s.parallelism {
        ctx.options_set_u64(o, "parallelism", v).unwrap();
    }
    if let Some(v) = &s.salt {
        ctx.options_set(o, "salt", v).unwrap();
    }
    if let Some(v) = &s.context {
        ctx.options_set(o, "context", v).unwrap();
    }
    let key = s.key.as_ref().map(|k| ctx.symmetric_key_import(alg, k).unwrap());
    let state = ctx.symmetric_state_open(alg, key, Some(o));
    ctx.options_close(o).unwrap();
    state
}

#[test]
fn host_buffer_known_answers_without_lent_memory() {
    // RFC 9106 Argon2id and RFC 7914 scrypt through the plain squeeze calls, as a component
    // makes them: the scratch memory is the host's copy, and no guest memory is lent.
    let mut ctx = CryptoCtx::new();
    let s = Setup {
        opslimit: Some(3),
        parallelism: Some(4),
        salt: Some(vec![2; 16]),
        context: Some(vec![4; 12]),
        key: Some(vec![3; 8]),
        ..Setup::default()
    };
    let st = open_host(&mut ctx, "ARGON2-ID-13", 32 * KIB, &s).unwrap();
    ctx.symmetric_state_absorb(st, &[1; 32]).unwrap();
    let mut out = [0u8; 32];
    ctx.symmetric_state_squeeze(st, &mut out).unwrap();
    assert_eq!(out.to_vec(), hex("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"));
    // The `_in` calls of a module reach the same buffer (the lent memory is not used).
    let mut memory = [0u8; 32];
    ctx.symmetric_state_squeeze_in(st, &mut memory, 0..32).unwrap();
    assert_eq!(memory, out);

    let s = Setup { opslimit: Some(10), parallelism: Some(16), salt: Some(b"NaCl".to_vec()), ..Setup::default() };
    let st = open_host(&mut ctx, "SCRYPT", 1024 * KIB, &s).unwrap();
    ctx.symmetric_state_absorb(st, b"password").unwrap();
    let mut out = [0u8; 64];
    ctx.symmetric_state_squeeze(st, &mut out).unwrap();
    assert_eq!(
        out.to_vec(),
        hex(
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
        )
    );
}

#[test]
fn host_buffer_strings_and_keys_match_guest_memory() {
    let s = Setup { opslimit: Some(2), parallelism: Some(2), salt: Some(b"saltsaltsalt".to_vec()), ..Setup::default() };
    let mut memory = vec![0u8; 64 * KIB];
    let guest = encoded("ARGON2-I-13", &Setup { memory: Some((0, 64 * KIB as u32)), ..s.clone() }, b"pw", &mut memory);
    let mut ctx = CryptoCtx::new();
    let st = open_host(&mut ctx, "ARGON2-I-13", 64 * KIB, &s).unwrap();
    ctx.symmetric_state_absorb(st, b"pw").unwrap();
    let tag = ctx.symmetric_state_squeeze_tag(st).unwrap();
    let mut buf = vec![0u8; ctx.symmetric_tag_len(tag).unwrap()];
    ctx.symmetric_tag_pull(tag, &mut buf).unwrap();
    assert_eq!(String::from_utf8(buf).unwrap(), guest);
    assert!(guest.starts_with("$argon2i$v=19$m=64,t=2,p=2$"), "{guest}");
    // A clone shares the buffer and derives the same key.
    let clone = ctx.symmetric_state_clone(st).unwrap();
    let k1 = ctx.symmetric_state_squeeze_key(st, "HMAC/SHA-256").unwrap();
    let k2 = ctx.symmetric_state_squeeze_key(clone, "HMAC/SHA-256").unwrap();
    let export = |ctx: &mut CryptoCtx, k| {
        let out = ctx.symmetric_key_export(k).unwrap();
        let mut raw = vec![0u8; ctx.array_output_len(out).unwrap()];
        ctx.array_output_pull(out, &mut raw).unwrap();
        raw
    };
    let raw = export(&mut ctx, k1);
    assert_eq!(raw.len(), 32);
    assert_eq!(raw, export(&mut ctx, k2));
}

#[test]
fn host_buffer_is_checked_charged_and_released() {
    use CryptoError::*;
    let base = Setup { opslimit: Some(1), ..Setup::default() };
    let mut ctx = CryptoCtx::new();
    // The module rules: m >= 8p KiB; scrypt's N · 1024 bytes must fit.
    assert_eq!(open_host(&mut ctx, "ARGON2-ID-13", 8 * KIB - 1, &base).err(), Some(InvalidLength));
    assert!(open_host(&mut ctx, "ARGON2-ID-13", 8 * KIB, &base).is_ok());
    let scrypt = Setup { opslimit: Some(6), ..base.clone() };
    assert_eq!(open_host(&mut ctx, "SCRYPT", 64 * KIB - 1, &scrypt).err(), Some(InvalidLength));
    assert!(open_host(&mut ctx, "SCRYPT", 64 * KIB, &scrypt).is_ok());
    assert_eq!(open_host(&mut ctx, "PBKDF2-HMAC/SHA-256", 8 * KIB, &base).err(), Some(UnsupportedOption));
    assert_eq!(open_host(&mut ctx, "SHA-256", 8 * KIB, &Setup::default()).err(), Some(UnsupportedOption));
    let o = ctx.options_open(SYM).unwrap();
    assert_eq!(ctx.options_set_host_buffer(o, "nonce", vec![0; 16]), Err(UnsupportedOption));
    assert_eq!(ctx.options_set_host_buffer(u32::MAX, "memory", vec![0; 16]), Err(InvalidHandle));
    let kx = ctx.options_open(AlgorithmType::KeyExchange).unwrap();
    assert_eq!(ctx.options_set_host_buffer(kx, "memory", vec![0; 16]), Err(UnsupportedOption));

    // The buffer counts against the context's budget while the options or a state hold it.
    let mut ctx = CryptoCtx::builder().max_buffered_bytes(100 * KIB).build();
    let before = ctx.buffered_bytes();
    let o = ctx.options_open(SYM).unwrap();
    let opened = ctx.buffered_bytes();
    assert_eq!(ctx.options_set_host_buffer(o, "memory", vec![0; 101 * KIB]), Err(Overflow), "beyond the budget");
    assert_eq!(ctx.buffered_bytes(), opened, "nothing charged by the refused call");
    ctx.options_set_host_buffer(o, "memory", vec![0; 64 * KIB]).unwrap();
    assert!(ctx.buffered_bytes() >= opened + 64 * KIB);
    let other = ctx.options_open(SYM).unwrap();
    assert_eq!(ctx.options_set_host_buffer(other, "memory", vec![0; 64 * KIB]), Err(Overflow));
    ctx.options_set_u64(o, "opslimit", 1).unwrap();
    let st = ctx.symmetric_state_open("ARGON2-D-13", None, Some(o)).unwrap();
    ctx.symmetric_state_absorb(st, b"pw").unwrap();
    ctx.options_close(o).unwrap();
    assert_eq!(ctx.options_set_host_buffer(other, "memory", vec![0; 64 * KIB]), Err(Overflow), "the state holds it");
    let mut out = [0u8; 16];
    ctx.symmetric_state_squeeze(st, &mut out).unwrap();
    assert_ne!(out, [0; 16]);
    ctx.symmetric_state_close(st).unwrap();
    ctx.options_set_host_buffer(other, "memory", vec![0; 64 * KIB]).unwrap();
    // Replacing the buffer releases the previous one.
    ctx.options_set_host_buffer(other, "memory", vec![0; 8 * KIB]).unwrap();
    ctx.options_close(other).unwrap();
    assert_eq!(ctx.buffered_bytes(), before);
}
