//! Ed25519 (RFC 8032, pure, deterministic), backed by aws-lc-rs. Public keys are stored as their
//! 32 bytes plus the parsed aws-lc-rs key; any 32 bytes import, and keys that are not valid
//! points (such as all zeros) fail at verification with `verification_failed`.

use crate::asymmetric::asn1::{self, OID_ED25519};
use crate::asymmetric::scheme::{Footprint, SignatureScheme, SigningKey, VerifyingKey};
use crate::asymmetric::{PublicKeyEncoding, SecretKeyEncoding};
use crate::error::{CryptoError, Result};
use aws_lc_rs::signature::{ED25519, Ed25519KeyPair, KeyPair, ParsedPublicKey};
use curve25519_dalek::edwards::CompressedEdwardsY;
use zeroize::Zeroizing;

/// The length of a seed, a public key and half a signature.
pub const KEY_LEN: usize = 32;
/// The length of a signature.
pub const SIGNATURE_LEN: usize = 64;

/// Ed25519.
pub struct Ed25519;

impl SignatureScheme for Ed25519 {
    fn generate(&self) -> Result<Box<dyn SigningKey>> {
        Ok(Box::new(Ed25519Secret::generate()?))
    }

    fn import_secret(&self, encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Box<dyn SigningKey>> {
        Ok(Box::new(Ed25519Secret::import(encoded, encoding)?))
    }

    fn import_public(&self, encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Box<dyn VerifyingKey>> {
        Ok(Box::new(Ed25519Public::import(encoded, encoding)?))
    }

    /// Imports a `raw` key pair: seed ‖ public key, the public key checked against the seed.
    fn import_keypair_raw(&self, encoded: &[u8]) -> Result<Box<dyn SigningKey>> {
        Ok(Box::new(Ed25519Secret::import_keypair_raw(encoded)?))
    }

    fn signature_len(&self) -> usize {
        SIGNATURE_LEN
    }

    fn der_scalar_len(&self) -> Option<usize> {
        None
    }

    fn footprint(&self) -> Footprint {
        Footprint { secret: 512, public: 512 }
    }
}

/// An Ed25519 secret key: the 32-byte seed and the expanded aws-lc-rs key.
pub struct Ed25519Secret {
    seed: Zeroizing<[u8; KEY_LEN]>,
    key: Ed25519KeyPair,
}

/// An Ed25519 public key.
pub struct Ed25519Public {
    raw: [u8; KEY_LEN],
    parsed: ParsedPublicKey,
}

impl Ed25519Secret {
    /// Generates a key.
    pub fn generate() -> Result<Self> {
        let mut seed = Zeroizing::new([0u8; KEY_LEN]);
        crate::random::fill(seed.as_mut())?;
        Self::from_seed(seed)
    }

    fn from_seed(seed: Zeroizing<[u8; KEY_LEN]>) -> Result<Self> {
        let key = Ed25519KeyPair::from_seed_unchecked(seed.as_ref()).map_err(|_| CryptoError::InvalidKey)?;
        Ok(Self { seed, key })
    }

    /// Imports a `raw` seed or a `pkcs8` document (v1, or v2 with a matching public key).
    pub fn import(encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Self> {
        match encoding {
            SecretKeyEncoding::Raw => {
                let seed: [u8; KEY_LEN] = encoded.try_into().map_err(|_| CryptoError::InvalidKey)?;
                Self::from_seed(Zeroizing::new(seed))
            }
            SecretKeyEncoding::Pkcs8 => {
                let seed = asn1::curve_private_key_decode(encoded, OID_ED25519)?;
                let public = asn1::pkcs8_decode(encoded)?.public_key.map(<[u8]>::to_vec);
                let secret = Self::from_seed(seed)?;
                match public {
                    Some(pk) if pk != secret.key.public_key().as_ref() => Err(CryptoError::InvalidKey),
                    _ => Ok(secret),
                }
            }
            SecretKeyEncoding::Pem | SecretKeyEncoding::Sec | SecretKeyEncoding::Local => {
                Err(CryptoError::UnsupportedEncoding)
            }
        }
    }

    /// Imports a `raw` key pair: seed ‖ public key, the public key checked against the seed.
    pub(crate) fn import_keypair_raw(encoded: &[u8]) -> Result<Self> {
        if encoded.len() != 2 * KEY_LEN {
            return Err(CryptoError::InvalidKey);
        }
        let (seed, pk) = encoded.split_at(KEY_LEN);
        let secret = Self::import(seed, SecretKeyEncoding::Raw)?;
        if secret.key.public_key().as_ref() != pk {
            return Err(CryptoError::InvalidKey);
        }
        Ok(secret)
    }

    /// The 32-byte seed.
    pub(crate) fn seed(&self) -> &[u8; KEY_LEN] {
        &self.seed
    }

    /// The matching public key.
    pub(crate) fn public(&self) -> Result<Ed25519Public> {
        Ed25519Public::import(self.key.public_key().as_ref(), PublicKeyEncoding::Raw)
    }
}

impl SigningKey for Ed25519Secret {
    /// Exports as a `raw` seed or a `pkcs8` v1 document.
    fn export(&self, encoding: SecretKeyEncoding) -> Result<Zeroizing<Vec<u8>>> {
        match encoding {
            SecretKeyEncoding::Raw => Ok(Zeroizing::new(self.seed.to_vec())),
            SecretKeyEncoding::Pkcs8 => asn1::curve_private_key_encode(OID_ED25519, self.seed.as_ref()),
            SecretKeyEncoding::Pem | SecretKeyEncoding::Sec | SecretKeyEncoding::Local => {
                Err(CryptoError::UnsupportedEncoding)
            }
        }
    }

    /// Exports a `raw` key pair: seed ‖ public key.
    fn export_keypair_raw(&self) -> Result<Zeroizing<Vec<u8>>> {
        let mut out = Zeroizing::new(self.seed.to_vec());
        out.extend_from_slice(self.key.public_key().as_ref());
        Ok(out)
    }

    fn public_key(&self) -> Result<Box<dyn VerifyingKey>> {
        Ok(Box::new(self.public()?))
    }

    /// Signs `message`.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let sig = self.key.try_sign(message).map_err(|_| CryptoError::AlgorithmFailure)?;
        Ok(sig.as_ref().to_vec())
    }
}

impl Ed25519Public {
    /// Imports `raw` (32 bytes) or `pkcs8` (SubjectPublicKeyInfo).
    pub fn import(encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Self> {
        let raw = match encoding {
            PublicKeyEncoding::Raw => encoded,
            PublicKeyEncoding::Pkcs8 => asn1::spki_expect(encoded, OID_ED25519, None)?,
            PublicKeyEncoding::Pem | PublicKeyEncoding::Sec | PublicKeyEncoding::Local => {
                return Err(CryptoError::UnsupportedEncoding);
            }
        };
        let raw: [u8; KEY_LEN] = raw.try_into().map_err(|_| CryptoError::InvalidKey)?;
        let parsed = ParsedPublicKey::new(&ED25519, raw).map_err(|_| CryptoError::InvalidKey)?;
        Ok(Self { raw, parsed })
    }

    /// The 32 bytes of the key.
    pub(crate) fn raw(&self) -> &[u8; KEY_LEN] {
        &self.raw
    }
}

impl VerifyingKey for Ed25519Public {
    /// Exports as `raw` or `pkcs8` (SubjectPublicKeyInfo).
    fn export(&self, encoding: PublicKeyEncoding) -> Result<Vec<u8>> {
        match encoding {
            PublicKeyEncoding::Raw => Ok(self.raw.to_vec()),
            PublicKeyEncoding::Pkcs8 => asn1::spki_encode(OID_ED25519, None, &self.raw),
            PublicKeyEncoding::Pem | PublicKeyEncoding::Sec | PublicKeyEncoding::Local => {
                Err(CryptoError::UnsupportedEncoding)
            }
        }
    }

    /// The raw key, to compare keys.
    fn canonical(&self) -> &[u8] {
        &self.raw
    }

    /// `invalid_key` unless the key is a point of the curve outside the small-order subgroup.
    fn check(&self) -> Result<()> {
        match CompressedEdwardsY(self.raw).decompress() {
            Some(point) if !point.is_small_order() => Ok(()),
            _ => Err(CryptoError::InvalidKey),
        }
    }

    /// Verifies a 64-byte signature over `message`.
    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        self.parsed.verify_sig(message, signature).map_err(|_| CryptoError::VerificationFailed)
    }
}
