//! ECDSA on secp256k1 with SHA-256, backed by RustCrypto `k256` (7× faster than aws-lc-rs on
//! this curve). Signatures are deterministic (RFC 6979) and low-s; verification accepts high-s
//! signatures too, as plain ECDSA does.

use crate::asymmetric::algorithm::Curve;
use crate::asymmetric::asn1::OID_EC_PUBLIC_KEY;
use crate::asymmetric::ec;
use crate::asymmetric::{PublicKeyEncoding, SecretKeyEncoding, asn1};
use crate::error::{CryptoError, Result};
use k256::ecdsa::signature::{Signer, Verifier};
use k256::ecdsa::{Signature, SigningKey, VerifyingKey};
use k256::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use zeroize::Zeroizing;

/// A secp256k1 secret key (wiped on drop by `k256`).
pub struct K256Secret {
    key: SigningKey,
}

/// A secp256k1 public key, parsed.
pub struct K256Public {
    key: VerifyingKey,
    uncompressed: Vec<u8>,
}

impl K256Secret {
    /// Generates a key.
    pub fn generate() -> Result<Self> {
        loop {
            let mut raw = Zeroizing::new([0u8; 32]);
            crate::random::fill(raw.as_mut())?;
            if let Ok(key) = SigningKey::from_slice(raw.as_ref()) {
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
            _ => return Err(CryptoError::UnsupportedEncoding),
        };
        let secret = secret.ok_or(CryptoError::InvalidKey)?;
        Ok(Self { key: SigningKey::from(secret) })
    }

    /// Exports as a `raw` scalar, a `sec` RFC 5915 `ECPrivateKey` or a `pkcs8` document.
    pub fn export(&self, encoding: SecretKeyEncoding) -> Result<Zeroizing<Vec<u8>>> {
        let secret = k256::SecretKey::from(&self.key);
        match encoding {
            SecretKeyEncoding::Raw => Ok(Zeroizing::new(Zeroizing::new(secret.to_bytes()).to_vec())),
            SecretKeyEncoding::Sec => secret.to_sec1_der().map_err(|_| CryptoError::InternalError),
            SecretKeyEncoding::Pkcs8 => secret
                .to_pkcs8_der()
                .map(|doc| Zeroizing::new(doc.as_bytes().to_vec()))
                .map_err(|_| CryptoError::InternalError),
            _ => Err(CryptoError::UnsupportedEncoding),
        }
    }

    /// The matching public key.
    pub fn public_key(&self) -> K256Public {
        K256Public::from_key(*self.key.verifying_key())
    }

    /// Signs `message` (SHA-256, RFC 6979); returns fixed-width r‖s.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let sig: Signature = self.key.try_sign(message).map_err(|_| CryptoError::AlgorithmFailure)?;
        Ok(sig.to_bytes().to_vec())
    }
}

impl K256Public {
    fn from_key(key: VerifyingKey) -> Self {
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
            _ => return Err(CryptoError::UnsupportedEncoding),
        };
        ec::check_sec1_shape(Curve::K256, point)?;
        let key = VerifyingKey::from_sec1_bytes(point).map_err(|_| CryptoError::InvalidKey)?;
        Ok(Self::from_key(key))
    }

    /// Exports as `raw` (compressed SEC1), `sec` (uncompressed SEC1) or `pkcs8` (SPKI).
    pub fn export(&self, encoding: PublicKeyEncoding) -> Result<Vec<u8>> {
        ec::export_point(Curve::K256, &self.uncompressed, encoding)
    }

    /// The uncompressed point, to compare keys.
    pub fn canonical(&self) -> &[u8] {
        &self.uncompressed
    }

    /// Verifies fixed-width r‖s over `message` (high-s accepted).
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        let sig = Signature::from_slice(signature).map_err(|_| CryptoError::VerificationFailed)?;
        self.key.verify(message, &sig.normalize_s()).map_err(|_| CryptoError::VerificationFailed)
    }
}
