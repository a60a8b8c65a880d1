//! RSA signatures (PKCS#1 v1.5 and PSS with MGF1 and a hash-sized salt), backed by aws-lc-rs.
//! The modulus must have exactly the size the algorithm names. Public keys are parsed once.

use crate::asymmetric::scheme::{Footprint, SignatureScheme, SigningKey, VerifyingKey};
use crate::asymmetric::{PublicKeyEncoding, SecretKeyEncoding};
use crate::error::{CryptoError, Result};
use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair as RsaKeyPair, KeySize, PublicKey as RsaPublicKeyDer};
use aws_lc_rs::signature::{self, KeyPair, ParsedPublicKey, RsaEncoding, RsaParameters};
use zeroize::Zeroizing;

/// The hash function of an RSA signature scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RsaHash {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

/// An RSA signature scheme: padding, modulus size and hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RsaScheme {
    /// `true` for RSASSA-PSS (MGF1 with the same hash, salt as long as the hash), `false` for
    /// RSASSA-PKCS1-v1_5.
    pub pss: bool,
    /// The modulus size in bits (2048, 3072 or 4096).
    pub bits: usize,
    /// The hash function.
    pub hash: RsaHash,
}

impl RsaScheme {
    /// The modulus (and signature) length in bytes.
    pub fn modulus_len(self) -> usize {
        self.bits / 8
    }
}

/// An RSA signature algorithm.
pub struct Rsa(pub RsaScheme);

impl SignatureScheme for Rsa {
    fn generate(&self) -> Result<Box<dyn SigningKey>> {
        Ok(Box::new(RsaSecret::generate(self.0)?))
    }

    fn import_secret(&self, encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Box<dyn SigningKey>> {
        Ok(Box::new(RsaSecret::import(self.0, encoded, encoding)?))
    }

    fn import_public(&self, encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Box<dyn VerifyingKey>> {
        Ok(Box::new(RsaPublic::import(self.0, encoded, encoding)?))
    }

    /// RSA has no `raw` key pair encoding.
    fn import_keypair_raw(&self, _encoded: &[u8]) -> Result<Box<dyn SigningKey>> {
        Err(CryptoError::UnsupportedEncoding)
    }

    fn signature_len(&self) -> usize {
        self.0.modulus_len()
    }

    fn der_scalar_len(&self) -> Option<usize> {
        None
    }

    /// RSA keeps the CRT parameters, Montgomery contexts and blinding values (about 12 modulus
    /// lengths).
    fn footprint(&self) -> Footprint {
        Footprint { secret: 12 * self.0.modulus_len() + 2048, public: 4 * self.0.modulus_len() + 1024 }
    }
}

/// An RSA private key.
pub struct RsaSecret {
    scheme: RsaScheme,
    key: RsaKeyPair,
}

/// An RSA public key, parsed.
pub struct RsaPublic {
    scheme: RsaScheme,
    parsed: ParsedPublicKey,
    pkcs1: Vec<u8>,
    spki: Vec<u8>,
}

fn verification_params(scheme: RsaScheme) -> &'static RsaParameters {
    match (scheme.pss, scheme.hash) {
        (false, RsaHash::Sha256) => &signature::RSA_PKCS1_2048_8192_SHA256,
        (false, RsaHash::Sha384) => &signature::RSA_PKCS1_2048_8192_SHA384,
        (false, RsaHash::Sha512) => &signature::RSA_PKCS1_2048_8192_SHA512,
        (true, RsaHash::Sha256) => &signature::RSA_PSS_2048_8192_SHA256,
        (true, RsaHash::Sha384) => &signature::RSA_PSS_2048_8192_SHA384,
        (true, RsaHash::Sha512) => &signature::RSA_PSS_2048_8192_SHA512,
    }
}

fn signing_encoding(scheme: RsaScheme) -> &'static dyn RsaEncoding {
    match (scheme.pss, scheme.hash) {
        (false, RsaHash::Sha256) => &signature::RSA_PKCS1_SHA256,
        (false, RsaHash::Sha384) => &signature::RSA_PKCS1_SHA384,
        (false, RsaHash::Sha512) => &signature::RSA_PKCS1_SHA512,
        (true, RsaHash::Sha256) => &signature::RSA_PSS_SHA256,
        (true, RsaHash::Sha384) => &signature::RSA_PSS_SHA384,
        (true, RsaHash::Sha512) => &signature::RSA_PSS_SHA512,
    }
}

/// `invalid_key` unless the PKCS#1 `RSAPublicKey` has exactly the scheme's modulus size.
fn check_size(scheme: RsaScheme, pkcs1: &[u8]) -> Result<()> {
    match RsaParameters::public_modulus_len(pkcs1) {
        Ok(bits) if usize::try_from(bits).ok() == Some(scheme.bits) => Ok(()),
        _ => Err(CryptoError::InvalidKey),
    }
}

impl RsaSecret {
    /// Generates a key (slow for 4096 bits; no lock is held).
    pub fn generate(scheme: RsaScheme) -> Result<Self> {
        let size = match scheme.bits {
            2048 => KeySize::Rsa2048,
            3072 => KeySize::Rsa3072,
            4096 => KeySize::Rsa4096,
            _ => return Err(CryptoError::UnsupportedAlgorithm),
        };
        let key = RsaKeyPair::generate(size).map_err(|_| CryptoError::AlgorithmFailure)?;
        Ok(Self { scheme, key })
    }

    /// Imports a `pkcs8` document (PKCS#1 `RSAPrivateKey` DER is accepted too).
    pub fn import(scheme: RsaScheme, encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Self> {
        if encoding != SecretKeyEncoding::Pkcs8 {
            return Err(CryptoError::UnsupportedEncoding);
        }
        let key = RsaKeyPair::from_pkcs8(encoded)
            .or_else(|_| RsaKeyPair::from_der(encoded))
            .map_err(|_| CryptoError::InvalidKey)?;
        check_size(scheme, key.public_key().as_ref())?;
        Ok(Self { scheme, key })
    }
}

impl SigningKey for RsaSecret {
    /// Exports a PKCS#8 v1 document.
    fn export(&self, encoding: SecretKeyEncoding) -> Result<Zeroizing<Vec<u8>>> {
        if encoding != SecretKeyEncoding::Pkcs8 {
            return Err(CryptoError::UnsupportedEncoding);
        }
        let der: Pkcs8V1Der = self.key.as_der().map_err(|_| CryptoError::InternalError)?;
        Ok(Zeroizing::new(der.as_ref().to_vec()))
    }

    fn public_key(&self) -> Result<Box<dyn VerifyingKey>> {
        Ok(Box::new(RsaPublic::from_der(self.scheme, self.key.public_key().as_ref())?))
    }

    /// Signs `message`; the signature is as long as the modulus.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let mut sig = vec![0u8; self.key.public_modulus_len()];
        self.key
            .sign(signing_encoding(self.scheme), &SystemRandom::new(), message, &mut sig)
            .map_err(|_| CryptoError::AlgorithmFailure)?;
        Ok(sig)
    }
}

impl RsaPublic {
    fn from_der(scheme: RsaScheme, der: &[u8]) -> Result<Self> {
        let key = RsaPublicKeyDer::from_der(der).map_err(|_| CryptoError::InvalidKey)?;
        let pkcs1 = key.as_ref().to_vec();
        check_size(scheme, &pkcs1)?;
        let spki = key.as_der().map_err(|_| CryptoError::InvalidKey)?.as_ref().to_vec();
        let parsed = ParsedPublicKey::new(verification_params(scheme), &pkcs1).map_err(|_| CryptoError::InvalidKey)?;
        Ok(Self { scheme, parsed, pkcs1, spki })
    }

    /// Imports `pkcs8` (SubjectPublicKeyInfo; PKCS#1 `RSAPublicKey` DER is accepted too).
    pub fn import(scheme: RsaScheme, encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Self> {
        if encoding != PublicKeyEncoding::Pkcs8 {
            return Err(CryptoError::UnsupportedEncoding);
        }
        Self::from_der(scheme, encoded)
    }
}

impl VerifyingKey for RsaPublic {
    /// Exports `pkcs8` (SubjectPublicKeyInfo).
    fn export(&self, encoding: PublicKeyEncoding) -> Result<Vec<u8>> {
        if encoding != PublicKeyEncoding::Pkcs8 {
            return Err(CryptoError::UnsupportedEncoding);
        }
        Ok(self.spki.clone())
    }

    /// The PKCS#1 encoding, to compare keys.
    fn canonical(&self) -> &[u8] {
        &self.pkcs1
    }

    /// Verifies a modulus-sized signature over `message`.
    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        if signature.len() != self.scheme.modulus_len() {
            return Err(CryptoError::VerificationFailed);
        }
        self.parsed.verify_sig(message, signature).map_err(|_| CryptoError::VerificationFailed)
    }
}
