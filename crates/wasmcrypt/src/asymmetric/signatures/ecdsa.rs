//! ECDSA on P-256 (SHA-256) and P-384 (SHA-384), backed by aws-lc-rs. Keys are parsed once at
//! import; signatures are handled as fixed-width r‖s internally.

use crate::asymmetric::ec::{self, Curve, NistPoint};
use crate::asymmetric::scheme::{Footprint, SignatureScheme, SigningKey, VerifyingKey};
use crate::asymmetric::{PublicKeyEncoding, SecretKeyEncoding};
use crate::error::{CryptoError, Result};
use aws_lc_rs::agreement;
use aws_lc_rs::encoding::{AsBigEndian, AsDer, EcPrivateKeyBin, EcPrivateKeyRfc5915Der};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{EcdsaKeyPair, KeyPair};
use zeroize::Zeroizing;

/// ECDSA on a NIST curve.
pub struct Ecdsa(pub Curve);

impl SignatureScheme for Ecdsa {
    fn generate(&self) -> Result<Box<dyn SigningKey>> {
        Ok(Box::new(EcdsaSecret::generate(self.0)?))
    }

    fn import_secret(&self, encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Box<dyn SigningKey>> {
        Ok(Box::new(EcdsaSecret::import(self.0, encoded, encoding)?))
    }

    fn import_public(&self, encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Box<dyn VerifyingKey>> {
        Ok(Box::new(EcdsaPublic::import(self.0, encoded, encoding)?))
    }

    fn signature_len(&self) -> usize {
        2 * self.0.scalar_len()
    }

    fn der_scalar_len(&self) -> Option<usize> {
        Some(self.0.scalar_len())
    }

    fn footprint(&self) -> Footprint {
        Footprint { secret: 1024, public: 512 }
    }
}

/// An ECDSA secret key (with its public key, as aws-lc-rs keeps them).
pub struct EcdsaSecret {
    curve: Curve,
    key: EcdsaKeyPair,
}

/// An ECDSA public key, parsed.
pub struct EcdsaPublic {
    curve: Curve,
    point: NistPoint,
}

impl EcdsaSecret {
    /// Generates a key.
    pub fn generate(curve: Curve) -> Result<Self> {
        let key = EcdsaKeyPair::generate(ec::signing_alg(curve)?).map_err(|_| CryptoError::AlgorithmFailure)?;
        Ok(Self { curve, key })
    }

    /// Imports a `raw` scalar, a `sec` RFC 5915 `ECPrivateKey` or a `pkcs8` document.
    pub fn import(curve: Curve, encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Self> {
        let alg = ec::signing_alg(curve)?;
        let key = match encoding {
            SecretKeyEncoding::Raw => {
                if encoded.len() != curve.scalar_len() {
                    return Err(CryptoError::InvalidKey);
                }
                let sk = agreement::PrivateKey::from_private_key(ec::agreement_alg(curve)?, encoded)
                    .map_err(|_| CryptoError::InvalidKey)?;
                let pk = sk.compute_public_key().map_err(|_| CryptoError::InvalidKey)?;
                EcdsaKeyPair::from_private_key_and_public_key(alg, encoded, pk.as_ref())
            }
            SecretKeyEncoding::Sec => EcdsaKeyPair::from_private_key_der(alg, encoded),
            SecretKeyEncoding::Pkcs8 => EcdsaKeyPair::from_pkcs8(alg, encoded),
            SecretKeyEncoding::Pem | SecretKeyEncoding::Local => return Err(CryptoError::UnsupportedEncoding),
        }
        .map_err(|_| CryptoError::InvalidKey)?;
        Ok(Self { curve, key })
    }
}

impl SigningKey for EcdsaSecret {
    /// Exports as a `raw` scalar, a `sec` RFC 5915 `ECPrivateKey` or a `pkcs8` document.
    fn export(&self, encoding: SecretKeyEncoding) -> Result<Zeroizing<Vec<u8>>> {
        let bytes = match encoding {
            SecretKeyEncoding::Raw => {
                let raw: EcPrivateKeyBin =
                    self.key.private_key().as_be_bytes().map_err(|_| CryptoError::InternalError)?;
                raw.as_ref().to_vec()
            }
            SecretKeyEncoding::Sec => {
                let der: EcPrivateKeyRfc5915Der =
                    self.key.private_key().as_der().map_err(|_| CryptoError::InternalError)?;
                der.as_ref().to_vec()
            }
            SecretKeyEncoding::Pkcs8 => {
                self.key.to_pkcs8v1().map_err(|_| CryptoError::InternalError)?.as_ref().to_vec()
            }
            SecretKeyEncoding::Pem | SecretKeyEncoding::Local => return Err(CryptoError::UnsupportedEncoding),
        };
        Ok(Zeroizing::new(bytes))
    }

    fn public_key(&self) -> Result<Box<dyn VerifyingKey>> {
        Ok(Box::new(EcdsaPublic::from_point(self.curve, self.key.public_key().as_ref())?))
    }

    /// Signs `message`; returns fixed-width r‖s.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let sig = self.key.sign(&SystemRandom::new(), message).map_err(|_| CryptoError::AlgorithmFailure)?;
        Ok(sig.as_ref().to_vec())
    }
}

impl EcdsaPublic {
    fn from_point(curve: Curve, point: &[u8]) -> Result<Self> {
        Ok(Self { curve, point: ec::parse_nist_point(curve, point)? })
    }

    /// Imports `raw`/`sec` (SEC1, compressed or not) or `pkcs8` (SubjectPublicKeyInfo).
    pub fn import(curve: Curve, encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Self> {
        Self::from_point(curve, ec::point_from_encoding(curve, encoded, encoding)?)
    }
}

impl VerifyingKey for EcdsaPublic {
    /// Exports as `raw` (compressed SEC1), `sec` (uncompressed SEC1) or `pkcs8` (SPKI).
    fn export(&self, encoding: PublicKeyEncoding) -> Result<Vec<u8>> {
        ec::export_point(self.curve, &self.point.uncompressed, encoding)
    }

    /// The uncompressed point, to compare keys.
    fn canonical(&self) -> &[u8] {
        &self.point.uncompressed
    }

    /// Verifies fixed-width r‖s over `message`.
    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        self.point.parsed.verify_sig(message, signature).map_err(|_| CryptoError::VerificationFailed)
    }
}
