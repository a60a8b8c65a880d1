//! ECDSA on secp256k1 with SHA-256, backed by RustCrypto `k256` (7× faster than aws-lc-rs on
//! this curve). Signatures are deterministic (RFC 6979) and low-s; verification accepts high-s
//! signatures too, as plain ECDSA does.

use crate::asymmetric::asn1::OID_EC_PUBLIC_KEY;
use crate::asymmetric::ec::{self, Curve};
use crate::asymmetric::scheme::{Footprint, SignatureScheme, SigningKey, VerifyingKey};
use crate::asymmetric::{PublicKeyEncoding, SecretKeyEncoding, asn1};
use crate::error::{CryptoError, Result};
use k256::ecdsa::Signature;
use k256::ecdsa::signature::{Signer, Verifier};
use k256::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use zeroize::Zeroizing;

/// ECDSA on secp256k1 with SHA-256.
pub struct K256Ecdsa;

impl SignatureScheme for K256Ecdsa {
    fn generate(&self) -> Result<Box<dyn SigningKey>> {
        Ok(Box::new(K256Secret::generate()?))
    }

    fn import_secret(&self, encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Box<dyn SigningKey>> {
        Ok(Box::new(K256Secret::import(encoded, encoding)?))
    }

    fn import_public(&self, encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Box<dyn VerifyingKey>> {
        Ok(Box::new(K256Public::import(encoded, encoding)?))
    }

    fn signature_len(&self) -> usize {
        64
    }

    fn der_scalar_len(&self) -> Option<usize> {
        Some(32)
    }

    fn footprint(&self) -> Footprint {
        Footprint { secret: 1024, public: 512 }
    }
}

/// A secp256k1 secret key (wiped on drop by `k256`).
pub struct K256Secret {
    key: k256::ecdsa::SigningKey,
}

/// A secp256k1 public key, parsed.
pub struct K256Public {
    key: k256::ecdsa::VerifyingKey,
    uncompressed: Vec<u8>,
}

impl K256Secret {
    /// Generates a key.
    pub fn generate() -> Result<Self> {
        loop {
            let mut raw = Zeroizing::new([0u8; 32]);
            crate::random::fill(raw.as_mut())?;
            if let Ok(key) = k256::ecdsa::SigningKey::from_slice(raw.as_ref()) {
                return Ok(Self { key });
            }
        }
    }

    /// Imports a `raw` scalar, a `sec` RFC 5915 `ECPrivateKey` or a `pkcs8` document.
    pub fn import(encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Self> {
        let secret = match encoding {
            SecretKeyEncoding::Raw if encoded.len() == 32 => k256::SecretKey::from_slice(encoded).ok(),
            SecretKeyEncoding::Raw => None,
            SecretKeyEncoding::Sec => k256::SecretKey::from_sec1_der(encoded).ok(),
            SecretKeyEncoding::Pkcs8 => k256::SecretKey::from_pkcs8_der(encoded).ok(),
            SecretKeyEncoding::Pem | SecretKeyEncoding::Local => return Err(CryptoError::UnsupportedEncoding),
        };
        let secret = secret.ok_or(CryptoError::InvalidKey)?;
        Ok(Self { key: k256::ecdsa::SigningKey::from(secret) })
    }
}

impl SigningKey for K256Secret {
    /// Exports as a `raw` scalar, a `sec` RFC 5915 `ECPrivateKey` or a `pkcs8` document.
    fn export(&self, encoding: SecretKeyEncoding) -> Result<Zeroizing<Vec<u8>>> {
        let secret = k256::SecretKey::from(&self.key);
        match encoding {
            SecretKeyEncoding::Raw => Ok(Zeroizing::new(Zeroizing::new(secret.to_bytes()).to_vec())),
            SecretKeyEncoding::Sec => secret.to_sec1_der().map_err(|_| CryptoError::InternalError),
            SecretKeyEncoding::Pkcs8 => secret
                .to_pkcs8_der()
                .map(|doc| Zeroizing::new(doc.as_bytes().to_vec()))
                .map_err(|_| CryptoError::InternalError),
            SecretKeyEncoding::Pem | SecretKeyEncoding::Local => Err(CryptoError::UnsupportedEncoding),
        }
    }

    fn public_key(&self) -> Result<Box<dyn VerifyingKey>> {
        Ok(Box::new(K256Public::from_key(*self.key.verifying_key())))
    }

    /// Signs `message` (SHA-256, RFC 6979); returns fixed-width r‖s.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let sig: Signature = self.key.try_sign(message).map_err(|_| CryptoError::AlgorithmFailure)?;
        Ok(sig.to_bytes().to_vec())
    }
}

impl K256Public {
    fn from_key(key: k256::ecdsa::VerifyingKey) -> Self {
        let uncompressed = key.to_sec1_point(false).as_bytes().to_vec();
        Self { key, uncompressed }
    }

    /// Imports `raw`/`sec` (SEC1, compressed or not) or `pkcs8` (SubjectPublicKeyInfo).
    pub fn import(encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Self> {
        let point = match encoding {
            PublicKeyEncoding::Raw | PublicKeyEncoding::Sec => encoded,
            PublicKeyEncoding::Pkcs8 => {
                asn1::spki_expect(encoded, OID_EC_PUBLIC_KEY, Some(ec::curve_oid(Curve::K256)))?
            }
            PublicKeyEncoding::Pem | PublicKeyEncoding::Local => return Err(CryptoError::UnsupportedEncoding),
        };
        ec::check_sec1_shape(Curve::K256, point)?;
        let key = k256::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| CryptoError::InvalidKey)?;
        Ok(Self::from_key(key))
    }
}

impl VerifyingKey for K256Public {
    /// Exports as `raw` (compressed SEC1), `sec` (uncompressed SEC1) or `pkcs8` (SPKI).
    fn export(&self, encoding: PublicKeyEncoding) -> Result<Vec<u8>> {
        ec::export_point(Curve::K256, &self.uncompressed, encoding)
    }

    /// The uncompressed point, to compare keys.
    fn canonical(&self) -> &[u8] {
        &self.uncompressed
    }

    /// Verifies fixed-width r‖s over `message` (high-s accepted).
    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        let sig = Signature::from_slice(signature).map_err(|_| CryptoError::VerificationFailed)?;
        self.key.verify(message, &sig.normalize_s()).map_err(|_| CryptoError::VerificationFailed)
    }
}
