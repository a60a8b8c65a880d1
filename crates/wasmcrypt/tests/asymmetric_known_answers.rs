//! Published known answers: RFC 8032 (Ed25519), RFC 6979 (ECDSA P-256 / P-384, verified in raw
//! and DER form), RFC 7748 §6.1 (X25519 with imported keys) and FIPS 203 ML-KEM known answers
//! from the Wycheproof project (seed → encapsulation key, decapsulation → shared secret).

use wasmcrypt::{
    AlgorithmType, CryptoCtx, CryptoError, Handle, KeyPairEncoding, PublicKeyEncoding, SecretKeyEncoding,
    SignatureEncoding,
};
use wycheproof::TestResult;

const SIG: AlgorithmType = AlgorithmType::Signatures;
const KX: AlgorithmType = AlgorithmType::KeyExchange;

/// Decodes hex written over several lines.
fn hex(s: &str) -> Vec<u8> {
    hex::decode(s.chars().filter(|c| !c.is_whitespace()).collect::<String>()).unwrap()
}

fn pull(ctx: &mut CryptoCtx, h: Handle) -> Vec<u8> {
    let mut out = vec![0u8; ctx.array_output_len(h).unwrap()];
    assert_eq!(ctx.array_output_pull(h, &mut out), Ok(out.len()));
    out
}

fn verify(ctx: &mut CryptoCtx, pk: Handle, msg: &[u8], sig: Handle) -> Result<(), CryptoError> {
    let v = ctx.signature_verification_state_open(pk).unwrap();
    ctx.signature_verification_state_update(v, msg).unwrap();
    let result = ctx.signature_verification_state_verify(v, sig);
    ctx.signature_verification_state_close(v).unwrap();
    result
}

/// RFC 8032 §7.1, TEST 1–3: (seed, public key, message, signature).
const RFC8032: [(&str, &str, &str, &str); 3] = [
    (
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    ),
    (
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    ),
    (
        "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
    ),
];

#[test]
fn rfc8032_ed25519_known_signatures() {
    let mut ctx = CryptoCtx::new();
    for (seed, pk, msg, sig) in RFC8032 {
        let (seed, pk, msg, sig) = (hex(seed), hex(pk), hex(msg), hex(sig));
        // Key pair from seed ‖ public key; signing is deterministic.
        let kp =
            ctx.keypair_import(SIG, "Ed25519", &[seed.clone(), pk.clone()].concat(), KeyPairEncoding::Raw).unwrap();
        let state = ctx.signature_state_open(kp).unwrap();
        let (half, rest) = msg.split_at(msg.len() / 2);
        ctx.signature_state_update(state, half).unwrap();
        ctx.signature_state_update(state, rest).unwrap();
        let ours = ctx.signature_state_sign(state).unwrap();
        let h = ctx.signature_export(ours, SignatureEncoding::Raw).unwrap();
        assert_eq!(pull(&mut ctx, h), sig);
        // The seed alone gives the same public key.
        let sk = ctx.secretkey_import(SIG, "ed25519", &seed, SecretKeyEncoding::Raw).unwrap();
        let derived = ctx.publickey_from_secretkey(sk).unwrap();
        let h = ctx.publickey_export(derived, PublicKeyEncoding::Raw).unwrap();
        assert_eq!(pull(&mut ctx, h), pk);
        // The published signature verifies with the imported public key, and only on its message.
        let pk = ctx.publickey_import(SIG, "Ed25519", &pk, PublicKeyEncoding::Raw).unwrap();
        let theirs = ctx.signature_import("Ed25519", &sig, SignatureEncoding::Raw).unwrap();
        assert_eq!(verify(&mut ctx, pk, &msg, theirs), Ok(()));
        assert_eq!(verify(&mut ctx, pk, b"other", theirs), Err(CryptoError::VerificationFailed));
        ctx.publickey_verify(pk).unwrap();
    }
}

/// RFC 6979 appendix A.2.5 (P-256) and A.2.6 (P-384): private key, Ux, Uy, and for the
/// messages "sample" and "test" with SHA-256 / SHA-384: (r, s).
struct Rfc6979 {
    alg: &'static str,
    x: &'static str,
    ux: &'static str,
    uy: &'static str,
    sigs: [(&'static str, &'static str, &'static str); 2],
}

const RFC6979: [Rfc6979; 2] = [
    Rfc6979 {
        alg: "ECDSA_P256_SHA256",
        x: "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721",
        ux: "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6",
        uy: "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299",
        sigs: [
            (
                "sample",
                "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
                "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8",
            ),
            (
                "test",
                "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
                "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083",
            ),
        ],
    },
    Rfc6979 {
        alg: "ECDSA_P384_SHA384",
        x: "6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D896D5724E4C70A825F872C9EA60D2EDF5",
        ux: "EC3A4E415B4E19A4568618029F427FA5DA9A8BC4AE92E02E06AAE5286B300C64DEF8F0EA9055866064A254515480BC13",
        uy: "8015D9B72D7D57244EA8EF9AC0C621896708A59367F9DFB9F54CA84B3F1C9DB1288B231C3AE0D4FE7344FD2533264720",
        sigs: [
            (
                "sample",
                "94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C81A648152E44ACF96E36DD1E80FABE46",
                "99EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94FA329C145786E679E7B82C71A38628AC8",
            ),
            (
                "test",
                "8203B63D3C853E8D77227FB377BCF7B7B772E97892A80F36AB775D509D7A5FEB0542A7F0812998DA8F1DD3CA3CF023DB",
                "DDD0760448D42D8A43AF45AF836FCE4DE8BE06B485E9B61B827C2F13173923E06A739F040649A667BF3B828246BAA5A5",
            ),
        ],
    },
];

/// DER `Ecdsa-Sig-Value` of (r, s), built here independently of the host.
fn der_sig(r: &[u8], s: &[u8]) -> Vec<u8> {
    fn int(v: &[u8]) -> Vec<u8> {
        let v = &v[v.iter().position(|b| *b != 0).unwrap_or(v.len() - 1)..];
        let mut out = vec![0x02];
        let pad = v[0] & 0x80 != 0;
        out.push((v.len() + usize::from(pad)) as u8);
        if pad {
            out.push(0);
        }
        out.extend_from_slice(v);
        out
    }
    let body = [int(r), int(s)].concat();
    let mut out = vec![0x30];
    if body.len() >= 0x80 {
        out.push(0x81);
    }
    out.push(body.len() as u8);
    out.extend_from_slice(&body);
    out
}

#[test]
fn rfc6979_ecdsa_known_signatures_verify_raw_and_der() {
    let mut ctx = CryptoCtx::new();
    for v in RFC6979 {
        let point = [vec![4], hex(v.ux), hex(v.uy)].concat();
        let pk = ctx.publickey_import(SIG, v.alg, &point, PublicKeyEncoding::Sec).unwrap();
        // The private key gives the published public key.
        let sk = ctx.secretkey_import(SIG, v.alg, &hex(v.x), SecretKeyEncoding::Raw).unwrap();
        let derived = ctx.publickey_from_secretkey(sk).unwrap();
        let h = ctx.publickey_export(derived, PublicKeyEncoding::Sec).unwrap();
        assert_eq!(pull(&mut ctx, h), point);
        ctx.keypair_from_pk_and_sk(pk, sk).unwrap();
        for (msg, r, s) in v.sigs {
            let (r, s) = (hex(r), hex(s));
            let raw = ctx.signature_import(v.alg, &[r.clone(), s.clone()].concat(), SignatureEncoding::Raw).unwrap();
            let der_bytes = der_sig(&r, &s);
            let der = ctx.signature_import(v.alg, &der_bytes, SignatureEncoding::Der).unwrap();
            for sig in [raw, der] {
                assert_eq!(verify(&mut ctx, pk, msg.as_bytes(), sig), Ok(()), "{} {msg}", v.alg);
                assert_eq!(
                    verify(&mut ctx, pk, b"other", sig),
                    Err(CryptoError::VerificationFailed),
                    "{} {msg}",
                    v.alg
                );
            }
            let h = ctx.signature_export(raw, SignatureEncoding::Der).unwrap();
            assert_eq!(pull(&mut ctx, h), der_bytes);
            let h = ctx.signature_export(der, SignatureEncoding::Raw).unwrap();
            assert_eq!(pull(&mut ctx, h), [r, s].concat());
        }
        // Our own signatures with the imported private key verify too.
        let kp = ctx.keypair_import(SIG, v.alg, &hex(v.x), KeyPairEncoding::Raw).unwrap();
        let state = ctx.signature_state_open(kp).unwrap();
        ctx.signature_state_update(state, b"sample").unwrap();
        let sig = ctx.signature_state_sign(state).unwrap();
        assert_eq!(verify(&mut ctx, pk, b"sample", sig), Ok(()));
    }
}

/// RFC 7748 §6.1.
const ALICE_SK: &str = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
const ALICE_PK: &str = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
const BOB_SK: &str = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
const BOB_PK: &str = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
const SHARED: &str = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

#[test]
fn rfc7748_x25519_with_imported_keys() {
    let mut ctx = CryptoCtx::new();
    for (sk, own_pk, peer_pk) in [(ALICE_SK, ALICE_PK, BOB_PK), (BOB_SK, BOB_PK, ALICE_PK)] {
        let sk = ctx.secretkey_import(KX, "X25519", &hex(sk), SecretKeyEncoding::Raw).unwrap();
        let derived = ctx.publickey_from_secretkey(sk).unwrap();
        let h = ctx.publickey_export(derived, PublicKeyEncoding::Raw).unwrap();
        assert_eq!(pull(&mut ctx, h), hex(own_pk));
        let peer = ctx.publickey_import(KX, "x25519", &hex(peer_pk), PublicKeyEncoding::Raw).unwrap();
        ctx.publickey_verify(peer).unwrap();
        let shared = ctx.kx_dh(peer, sk).unwrap();
        assert_eq!(pull(&mut ctx, shared), hex(SHARED));
    }
    // Key pair as public key ‖ secret key.
    let kp = ctx.keypair_import(KX, "X25519", &[hex(ALICE_PK), hex(ALICE_SK)].concat(), KeyPairEncoding::Raw).unwrap();
    let sk = ctx.keypair_secretkey(kp).unwrap();
    let bob = ctx.publickey_import(KX, "X25519", &hex(BOB_PK), PublicKeyEncoding::Raw).unwrap();
    let shared = ctx.kx_dh(bob, sk).unwrap();
    assert_eq!(pull(&mut ctx, shared), hex(SHARED));
    let bad = [hex(BOB_PK), hex(ALICE_SK)].concat();
    assert_eq!(ctx.keypair_import(KX, "X25519", &bad, KeyPairEncoding::Raw).err(), Some(CryptoError::InvalidKey));
}

fn mlkem_name(set: wycheproof::mlkem::MlKemParameterSet) -> &'static str {
    use wycheproof::mlkem::MlKemParameterSet as P;
    match set {
        P::MlKem512 => "ML-KEM-512",
        P::MlKem768 => "ML-KEM-768",
        P::MlKem1024 => "ML-KEM-1024",
    }
}

/// Wycheproof `mlkem_*_test`: the seed gives the published encapsulation key, and decapsulating
/// the published ciphertext gives the published shared secret (including FIPS 203 implicit
/// rejection for modified ciphertexts). Invalid vectors (bad seed or ciphertext lengths) are
/// rejected with `invalid_key` or `verification_failed`.
#[test]
fn fips203_mlkem_known_answers() {
    use wycheproof::mlkem::{TestName, TestSet};
    let mut ctx = CryptoCtx::new();
    let mut checked = 0;
    for name in [TestName::MlKem512, TestName::MlKem768, TestName::MlKem1024] {
        let set = TestSet::load(name).unwrap();
        for group in set.test_groups {
            let alg = mlkem_name(group.parameter_set);
            for t in group.tests {
                let (Some(seed), Some(ct)) = (&t.seed, &t.ct) else { continue };
                let result = ctx.secretkey_import(KX, alg, seed, SecretKeyEncoding::Raw).and_then(|sk| {
                    if let Some(ek) = &t.encaps_key {
                        let pk = ctx.publickey_from_secretkey(sk)?;
                        let h = ctx.publickey_export(pk, PublicKeyEncoding::Raw)?;
                        assert_eq!(&pull(&mut ctx, h), &ek[..], "tc {}", t.tc_id);
                    }
                    let h = ctx.kx_decapsulate(sk, ct)?;
                    Ok(pull(&mut ctx, h))
                });
                match (t.result, result) {
                    (TestResult::Valid, Ok(k)) => {
                        assert_eq!(Some(&k[..]), t.shared_secret.as_deref().map(|v| &v[..]), "tc {}", t.tc_id)
                    }
                    (TestResult::Invalid, Err(CryptoError::InvalidKey | CryptoError::VerificationFailed)) => {}
                    (r, other) => panic!("{alg} tc {} ({}): {r:?} but got {other:?}", t.tc_id, t.comment),
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 600, "{checked}");
}

/// Wycheproof `mlkem_*_keygen_seed`: seed → encapsulation key; `mlkem_*_encaps`: encapsulation
/// keys that fail the FIPS 203 modulus check or have the wrong length give `invalid_key`.
#[test]
fn fips203_mlkem_keygen_and_encapsulation_key_checks() {
    use wycheproof::mlkem::{TestName, TestSet};
    let mut ctx = CryptoCtx::new();
    for name in [TestName::MlKem512KeyGenSeed, TestName::MlKem768KeyGenSeed, TestName::MlKem1024KeyGenSeed] {
        for group in TestSet::load(name).unwrap().test_groups {
            let alg = mlkem_name(group.parameter_set);
            for t in group.tests {
                let kp = ctx.keypair_import(KX, alg, t.seed.as_ref().unwrap(), KeyPairEncoding::Raw).unwrap();
                let pk = ctx.keypair_publickey(kp).unwrap();
                let h = ctx.publickey_export(pk, PublicKeyEncoding::Raw).unwrap();
                assert_eq!(&pull(&mut ctx, h)[..], &t.encaps_key.as_ref().unwrap()[..], "{alg} tc {}", t.tc_id);
                ctx.keypair_close(kp).unwrap();
                ctx.publickey_close(pk).unwrap();
            }
        }
    }
    for name in [TestName::MlKem512Encaps, TestName::MlKem768Encaps, TestName::MlKem1024Encaps] {
        for group in TestSet::load(name).unwrap().test_groups {
            let alg = mlkem_name(group.parameter_set);
            for t in group.tests {
                let result = ctx.publickey_import(KX, alg, t.encaps_key.as_ref().unwrap(), PublicKeyEncoding::Raw);
                match (t.result, result) {
                    (TestResult::Valid, Ok(pk)) => {
                        let (secret, ct) = ctx.kx_encapsulate(pk).unwrap();
                        assert_eq!(pull(&mut ctx, secret).len(), 32);
                        assert_eq!(pull(&mut ctx, ct).len(), t.ct.as_ref().unwrap().len());
                        ctx.publickey_close(pk).unwrap();
                    }
                    (TestResult::Invalid, Err(CryptoError::InvalidKey)) => {}
                    (r, other) => panic!("{alg} tc {} ({}): {r:?} but got {other:?}", t.tc_id, t.comment),
                }
            }
        }
    }
}

/// RFC 8410 encodings of the RFC 8032 TEST 1 key: PKCS#8 v1 `CurvePrivateKey` and
/// SubjectPublicKeyInfo.
#[test]
fn rfc8410_ed25519_der_encodings() {
    let mut ctx = CryptoCtx::new();
    let (seed, pk) = (RFC8032[0].0, RFC8032[0].1);
    let pkcs8 = hex(&format!("302e020100300506032b657004220420{seed}"));
    let spki = hex(&format!("302a300506032b6570032100{pk}"));
    let sk = ctx.secretkey_import(SIG, "Ed25519", &hex(seed), SecretKeyEncoding::Raw).unwrap();
    let h = ctx.secretkey_export(sk, SecretKeyEncoding::Pkcs8).unwrap();
    assert_eq!(pull(&mut ctx, h), pkcs8);
    let pk = ctx.publickey_from_secretkey(sk).unwrap();
    let h = ctx.publickey_export(pk, PublicKeyEncoding::Pkcs8).unwrap();
    assert_eq!(pull(&mut ctx, h), spki);
    let kp = ctx.keypair_import(SIG, "Ed25519", &pkcs8, KeyPairEncoding::Pkcs8).unwrap();
    let h = ctx.keypair_export(kp, KeyPairEncoding::Raw).unwrap();
    assert_eq!(pull(&mut ctx, h), hex(&format!("{seed}{}", RFC8032[0].1)));
}
