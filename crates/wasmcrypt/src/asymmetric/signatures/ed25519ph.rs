//! Ed25519ph (RFC 8032 §5.1, the pre-hashed variant with an empty context): the signature is
//! over SHA-512 of the message, so a signature state never needs the message twice. Keys are
//! Ed25519 keys, with the same encodings (RFC 8410 names one OID for both variants); signing and
//! verification use `ed25519-dalek`. As for Ed25519, any 32-byte public key imports, and a key
//! that is not a valid point fails at verification with `verification_failed`.

use super::eddsa::{Ed25519Public, Ed25519Secret, SIGNATURE_LEN};
use crate::asymmetric::scheme::{Footprint, SignatureScheme, SigningKey, VerifyingKey};
use crate::asymmetric::{PublicKeyEncoding, SecretKeyEncoding};
use crate::error::{CryptoError, Result};
use sha2::{Digest, Sha512};
use zeroize::Zeroizing;

/// Ed25519ph.
pub struct Ed25519ph;

impl SignatureScheme for Ed25519ph {
    fn generate(&self) -> Result<Box<dyn SigningKey>> {
        Ok(Box::new(PhSecret::new(Ed25519Secret::generate()?)))
    }

    fn import_secret(&self, encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Box<dyn SigningKey>> {
        Ok(Box::new(PhSecret::new(Ed25519Secret::import(encoded, encoding)?)))
    }

    fn import_public(&self, encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Box<dyn VerifyingKey>> {
        Ok(Box::new(PhPublic(Ed25519Public::import(encoded, encoding)?)))
    }

    /// Imports a `raw` key pair: seed ‖ public key, the public key checked against the seed.
    fn import_keypair_raw(&self, encoded: &[u8]) -> Result<Box<dyn SigningKey>> {
        Ok(Box::new(PhSecret::new(Ed25519Secret::import_keypair_raw(encoded)?)))
    }

    fn signature_len(&self) -> usize {
        SIGNATURE_LEN
    }

    fn der_scalar_len(&self) -> Option<usize> {
        None
    }

    fn footprint(&self) -> Footprint {
        Footprint { secret: 1024, public: 512 }
    }
}

/// An Ed25519ph secret key: the Ed25519 key (for its encodings) and the `ed25519-dalek` signing
/// key derived from the same seed (wiped on drop).
struct PhSecret {
    key: Ed25519Secret,
    signer: ed25519_dalek::SigningKey,
}

impl PhSecret {
    fn new(key: Ed25519Secret) -> Self {
        let signer = ed25519_dalek::SigningKey::from_bytes(key.seed());
        Self { key, signer }
    }
}

impl SigningKey for PhSecret {
    fn export(&self, encoding: SecretKeyEncoding) -> Result<Zeroizing<Vec<u8>>> {
        self.key.export(encoding)
    }

    fn export_keypair_raw(&self) -> Result<Zeroizing<Vec<u8>>> {
        self.key.export_keypair_raw()
    }

    fn public_key(&self) -> Result<Box<dyn VerifyingKey>> {
        Ok(Box::new(PhPublic(self.key.public()?)))
    }

    /// Signs SHA-512(`message`) with the empty context.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let signature = self
            .signer
            .sign_prehashed(Sha512::new_with_prefix(message), None)
            .map_err(|_| CryptoError::AlgorithmFailure)?;
        Ok(signature.to_bytes().to_vec())
    }
}

/// An Ed25519ph public key.
struct PhPublic(Ed25519Public);

impl VerifyingKey for PhPublic {
    fn export(&self, encoding: PublicKeyEncoding) -> Result<Vec<u8>> {
        self.0.export(encoding)
    }

    fn canonical(&self) -> &[u8] {
        self.0.canonical()
    }

    fn check(&self) -> Result<()> {
        self.0.check()
    }

    /// Verifies a 64-byte signature over SHA-512(`message`) with the empty context, strictly:
    /// small-order keys and `R` values are refused (`verification_failed`).
    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        let key = ed25519_dalek::VerifyingKey::from_bytes(self.0.raw()).map_err(|_| CryptoError::VerificationFailed)?;
        let signature = ed25519_dalek::Signature::from_slice(signature).map_err(|_| CryptoError::InvalidSignature)?;
        key.verify_prehashed_strict(Sha512::new_with_prefix(message), None, &signature)
            .map_err(|_| CryptoError::VerificationFailed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    /// RFC 8032 §7.3, the Ed25519ph test vector ("abc").
    #[test]
    fn rfc8032_vector() {
        let seed = unhex("833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42");
        let public = unhex("ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf");
        let expected = unhex(concat!(
            "98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae41",
            "31f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406"
        ));
        let secret = Ed25519ph.import_secret(&seed, SecretKeyEncoding::Raw).unwrap();
        assert_eq!(secret.public_key().unwrap().export(PublicKeyEncoding::Raw).unwrap(), public);
        assert_eq!(secret.sign(b"abc").unwrap(), expected);
        let verifier = Ed25519ph.import_public(&public, PublicKeyEncoding::Raw).unwrap();
        verifier.verify(b"abc", &expected).unwrap();
        assert_eq!(verifier.verify(b"abd", &expected), Err(CryptoError::VerificationFailed));
        // Pure Ed25519 signatures of the same message are not Ed25519ph signatures.
        let pure = super::super::eddsa::Ed25519.import_secret(&seed, SecretKeyEncoding::Raw).unwrap().sign(b"abc");
        assert_eq!(verifier.verify(b"abc", &pure.unwrap()), Err(CryptoError::VerificationFailed));
    }

    #[test]
    fn invalid_points_import_and_fail_at_verification() {
        let zero = Ed25519ph.import_public(&[0; 32], PublicKeyEncoding::Raw).unwrap();
        assert_eq!(zero.verify(b"abc", &[0; 64]), Err(CryptoError::VerificationFailed));
        assert_eq!(zero.check(), Err(CryptoError::InvalidKey));
    }
}
