//! Ed448 (RFC 8032, pure, empty context), backed by RustCrypto `ed448-goldilocks`. Keys and
//! signatures are RFC 8032's: a 57-byte secret key, a 57-byte public key, a 114-byte signature;
//! `pkcs8` follows RFC 8410 (`id-Ed448`). Public keys must decode to a curve point other than the
//! identity at import (`invalid_key`); `publickey_verify` also refuses small-order points.
//! Encodings whose unused bits (bits 448–454 of a point) are set are refused, which the
//! backend does not do itself (a Wycheproof vector checks it).

use crate::asymmetric::asn1::{self, OID_ED448};
use crate::asymmetric::scheme::{Footprint, SignatureScheme, SigningKey, VerifyingKey};
use crate::asymmetric::{PublicKeyEncoding, SecretKeyEncoding};
use crate::error::{CryptoError, Result};
use ed448_goldilocks::{EdwardsPoint, Signature};
use zeroize::Zeroizing;

/// The length of a secret key and of a public key.
pub const KEY_LEN: usize = 57;
/// The length of a signature.
pub const SIGNATURE_LEN: usize = 114;

/// Ed448.
pub struct Ed448;

impl SignatureScheme for Ed448 {
    fn generate(&self) -> Result<Box<dyn SigningKey>> {
        let mut raw = Zeroizing::new([0u8; KEY_LEN]);
        crate::random::fill(raw.as_mut())?;
        Ok(Box::new(Ed448Secret::from_raw(raw)))
    }

    fn import_secret(&self, encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Box<dyn SigningKey>> {
        Ok(Box::new(Ed448Secret::import(encoded, encoding)?))
    }

    fn import_public(&self, encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Box<dyn VerifyingKey>> {
        Ok(Box::new(Ed448Public::import(encoded, encoding)?))
    }

    /// Imports a `raw` key pair: secret key ‖ public key, the public key checked.
    fn import_keypair_raw(&self, encoded: &[u8]) -> Result<Box<dyn SigningKey>> {
        let (sk, pk) = encoded.split_at_checked(KEY_LEN).ok_or(CryptoError::InvalidKey)?;
        let secret = Ed448Secret::import(sk, SecretKeyEncoding::Raw)?;
        if secret.key.verifying_key().as_bytes()[..] != *pk {
            return Err(CryptoError::InvalidKey);
        }
        Ok(Box::new(secret))
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

/// An Ed448 secret key: the 57 raw bytes and the expanded key (wiped on drop by the backend).
pub struct Ed448Secret {
    raw: Zeroizing<[u8; KEY_LEN]>,
    key: ed448_goldilocks::SigningKey,
}

/// An Ed448 public key, decoded.
pub struct Ed448Public {
    key: ed448_goldilocks::VerifyingKey,
}

impl Ed448Secret {
    fn from_raw(raw: Zeroizing<[u8; KEY_LEN]>) -> Self {
        let key = ed448_goldilocks::SigningKey::from(ed448_goldilocks::SecretKey::from(*raw));
        Self { raw, key }
    }

    /// Imports a `raw` key or a `pkcs8` (RFC 8410) document; a v2 document's public key must
    /// match.
    fn import(encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Self> {
        match encoding {
            SecretKeyEncoding::Raw => {
                let raw: [u8; KEY_LEN] = encoded.try_into().map_err(|_| CryptoError::InvalidKey)?;
                Ok(Self::from_raw(Zeroizing::new(raw)))
            }
            SecretKeyEncoding::Pkcs8 => {
                let secret = Self::from_raw(asn1::curve_private_key_decode(encoded, OID_ED448)?);
                match asn1::pkcs8_decode(encoded)?.public_key {
                    Some(pk) if pk != secret.key.verifying_key().as_bytes() => Err(CryptoError::InvalidKey),
                    _ => Ok(secret),
                }
            }
            SecretKeyEncoding::Pem | SecretKeyEncoding::Sec | SecretKeyEncoding::Local => {
                Err(CryptoError::UnsupportedEncoding)
            }
        }
    }
}

impl SigningKey for Ed448Secret {
    /// Exports the `raw` key or a `pkcs8` v1 document.
    fn export(&self, encoding: SecretKeyEncoding) -> Result<Zeroizing<Vec<u8>>> {
        match encoding {
            SecretKeyEncoding::Raw => Ok(Zeroizing::new(self.raw.to_vec())),
            SecretKeyEncoding::Pkcs8 => asn1::curve_private_key_encode(OID_ED448, self.raw.as_ref()),
            SecretKeyEncoding::Pem | SecretKeyEncoding::Sec | SecretKeyEncoding::Local => {
                Err(CryptoError::UnsupportedEncoding)
            }
        }
    }

    /// Exports a `raw` key pair: secret key ‖ public key.
    fn export_keypair_raw(&self) -> Result<Zeroizing<Vec<u8>>> {
        let mut out = Zeroizing::new(self.raw.to_vec());
        out.extend_from_slice(self.key.verifying_key().as_bytes());
        Ok(out)
    }

    fn public_key(&self) -> Result<Box<dyn VerifyingKey>> {
        Ok(Box::new(Ed448Public { key: self.key.verifying_key() }))
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        Ok(self.key.sign_raw(message).to_bytes().to_vec())
    }
}

impl Ed448Public {
    /// Imports `raw` (57 bytes) or `pkcs8` (SubjectPublicKeyInfo).
    fn import(encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Self> {
        let raw = match encoding {
            PublicKeyEncoding::Raw => encoded,
            PublicKeyEncoding::Pkcs8 => asn1::spki_expect(encoded, OID_ED448, None)?,
            PublicKeyEncoding::Pem | PublicKeyEncoding::Sec | PublicKeyEncoding::Local => {
                return Err(CryptoError::UnsupportedEncoding);
            }
        };
        let raw: &[u8; KEY_LEN] = raw.try_into().map_err(|_| CryptoError::InvalidKey)?;
        // The unused bits of the last byte must be zero (RFC 8032 §5.2.3).
        if raw[KEY_LEN - 1] & 0x7f != 0 {
            return Err(CryptoError::InvalidKey);
        }
        let key = ed448_goldilocks::VerifyingKey::from_bytes(raw).map_err(|_| CryptoError::InvalidKey)?;
        Ok(Self { key })
    }
}

impl VerifyingKey for Ed448Public {
    /// Exports `raw` or `pkcs8` (SubjectPublicKeyInfo).
    fn export(&self, encoding: PublicKeyEncoding) -> Result<Vec<u8>> {
        match encoding {
            PublicKeyEncoding::Raw => Ok(self.key.as_bytes().to_vec()),
            PublicKeyEncoding::Pkcs8 => asn1::spki_encode(OID_ED448, None, self.key.as_bytes()),
            PublicKeyEncoding::Pem | PublicKeyEncoding::Sec | PublicKeyEncoding::Local => {
                Err(CryptoError::UnsupportedEncoding)
            }
        }
    }

    fn canonical(&self) -> &[u8] {
        self.key.as_bytes()
    }

    /// `invalid_key` for points of small order (4·P is the identity).
    fn check(&self) -> Result<()> {
        if self.key.to_edwards().double().double() == EdwardsPoint::IDENTITY {
            return Err(CryptoError::InvalidKey);
        }
        Ok(())
    }

    /// Verifies a 114-byte signature over `message`. The unused bits of R's last byte must be
    /// zero (RFC 8032 §5.2.3; the backend ignores them).
    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        if signature.get(KEY_LEN - 1).is_none_or(|last| last & 0x7f != 0) {
            return Err(CryptoError::VerificationFailed);
        }
        let sig = Signature::from_slice(signature).map_err(|_| CryptoError::VerificationFailed)?;
        self.key.verify_raw(&sig, message).map_err(|_| CryptoError::VerificationFailed)
    }
}
