//! X25519 (RFC 7748), backed by aws-lc-rs. An all-zero shared secret (a small-order peer key)
//! is refused with `invalid_key`.

use crate::asymmetric::asn1::{self, OID_X25519};
use crate::asymmetric::scheme::{Footprint, KxPublicKey, KxScheme, KxSecretKey, peer_as};
use crate::asymmetric::{PublicKeyEncoding, SecretKeyEncoding};
use crate::error::{CryptoError, Result};
use aws_lc_rs::agreement::{self, PrivateKey, UnparsedPublicKey};
use curve25519_dalek::montgomery::MontgomeryPoint;
use zeroize::Zeroizing;

/// The length of keys and shared secrets.
pub const KEY_LEN: usize = 32;

/// X25519.
pub struct X25519;

impl KxScheme for X25519 {
    fn generate(&self) -> Result<Box<dyn KxSecretKey>> {
        Ok(Box::new(X25519Secret::generate()?))
    }

    fn import_secret(&self, encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Box<dyn KxSecretKey>> {
        Ok(Box::new(X25519Secret::import(encoded, encoding)?))
    }

    fn import_public(&self, encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Box<dyn KxPublicKey>> {
        Ok(Box::new(X25519Public::import(encoded, encoding)?))
    }

    /// Imports a `raw` key pair: public key ‖ secret key, checked against each other.
    fn import_keypair_raw(&self, encoded: &[u8]) -> Result<Box<dyn KxSecretKey>> {
        Ok(Box::new(X25519Secret::import_keypair_raw(encoded)?))
    }

    fn is_kem(&self) -> bool {
        false
    }

    fn footprint(&self) -> Footprint {
        Footprint { secret: 512, public: 64 }
    }
}

/// An X25519 secret key: the raw scalar and the aws-lc-rs key.
pub struct X25519Secret {
    raw: Zeroizing<[u8; KEY_LEN]>,
    key: PrivateKey,
}

/// An X25519 public key (the u-coordinate).
pub struct X25519Public {
    raw: [u8; KEY_LEN],
}

impl X25519Secret {
    /// Generates a key.
    pub fn generate() -> Result<Self> {
        let mut raw = Zeroizing::new([0u8; KEY_LEN]);
        crate::random::fill(raw.as_mut())?;
        Self::from_raw(raw)
    }

    fn from_raw(raw: Zeroizing<[u8; KEY_LEN]>) -> Result<Self> {
        let key =
            PrivateKey::from_private_key(&agreement::X25519, raw.as_ref()).map_err(|_| CryptoError::InvalidKey)?;
        Ok(Self { raw, key })
    }

    /// Imports a `raw` scalar or a `pkcs8` (RFC 8410) document.
    pub fn import(encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Self> {
        match encoding {
            SecretKeyEncoding::Raw => {
                let raw: [u8; KEY_LEN] = encoded.try_into().map_err(|_| CryptoError::InvalidKey)?;
                Self::from_raw(Zeroizing::new(raw))
            }
            SecretKeyEncoding::Pkcs8 => Self::from_raw(asn1::curve_private_key_decode(encoded, OID_X25519)?),
            SecretKeyEncoding::Pem | SecretKeyEncoding::Sec | SecretKeyEncoding::Local => {
                Err(CryptoError::UnsupportedEncoding)
            }
        }
    }

    fn import_keypair_raw(encoded: &[u8]) -> Result<Self> {
        if encoded.len() != 2 * KEY_LEN {
            return Err(CryptoError::InvalidKey);
        }
        let (pk, sk) = encoded.split_at(KEY_LEN);
        let secret = Self::import(sk, SecretKeyEncoding::Raw)?;
        if secret.public_raw()?.raw != pk {
            return Err(CryptoError::InvalidKey);
        }
        Ok(secret)
    }

    fn public_raw(&self) -> Result<X25519Public> {
        let pk = self.key.compute_public_key().map_err(|_| CryptoError::InternalError)?;
        X25519Public::import(pk.as_ref(), PublicKeyEncoding::Raw)
    }
}

impl KxSecretKey for X25519Secret {
    /// Exports as a `raw` scalar or a `pkcs8` (RFC 8410) document.
    fn export(&self, encoding: SecretKeyEncoding) -> Result<Zeroizing<Vec<u8>>> {
        match encoding {
            SecretKeyEncoding::Raw => Ok(Zeroizing::new(self.raw.to_vec())),
            SecretKeyEncoding::Pkcs8 => asn1::curve_private_key_encode(OID_X25519, self.raw.as_ref()),
            SecretKeyEncoding::Pem | SecretKeyEncoding::Sec | SecretKeyEncoding::Local => {
                Err(CryptoError::UnsupportedEncoding)
            }
        }
    }

    /// Exports a `raw` key pair: public key ‖ secret key.
    fn export_keypair_raw(&self) -> Result<Zeroizing<Vec<u8>>> {
        let mut out = Zeroizing::new(self.public_raw()?.raw.to_vec());
        out.extend_from_slice(self.raw.as_ref());
        Ok(out)
    }

    fn public_key(&self) -> Result<Box<dyn KxPublicKey>> {
        Ok(Box::new(self.public_raw()?))
    }

    /// The shared secret with `peer`; `invalid_key` if it is all zeros.
    fn dh(&self, peer: &dyn KxPublicKey) -> Result<Zeroizing<Vec<u8>>> {
        let peer = peer_as::<X25519Public>(peer)?;
        let shared = agreement::agree(
            &self.key,
            UnparsedPublicKey::new(&agreement::X25519, &peer.raw),
            CryptoError::InvalidKey,
            |s| Ok(Zeroizing::new(s.to_vec())),
        )?;
        if shared.iter().all(|b| *b == 0) {
            return Err(CryptoError::InvalidKey);
        }
        Ok(shared)
    }

    fn decapsulate(&self, _ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        Err(CryptoError::InvalidOperation)
    }
}

impl X25519Public {
    /// Imports `raw` (32 bytes) or `pkcs8` (SubjectPublicKeyInfo).
    pub fn import(encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Self> {
        let raw = match encoding {
            PublicKeyEncoding::Raw => encoded,
            PublicKeyEncoding::Pkcs8 => asn1::spki_expect(encoded, OID_X25519, None)?,
            PublicKeyEncoding::Pem | PublicKeyEncoding::Sec | PublicKeyEncoding::Local => {
                return Err(CryptoError::UnsupportedEncoding);
            }
        };
        Ok(Self { raw: raw.try_into().map_err(|_| CryptoError::InvalidKey)? })
    }
}

impl KxPublicKey for X25519Public {
    /// Exports as `raw` or `pkcs8` (SubjectPublicKeyInfo).
    fn export(&self, encoding: PublicKeyEncoding) -> Result<Vec<u8>> {
        match encoding {
            PublicKeyEncoding::Raw => Ok(self.raw.to_vec()),
            PublicKeyEncoding::Pkcs8 => asn1::spki_encode(OID_X25519, None, &self.raw),
            PublicKeyEncoding::Pem | PublicKeyEncoding::Sec | PublicKeyEncoding::Local => {
                Err(CryptoError::UnsupportedEncoding)
            }
        }
    }

    /// The raw key, to compare keys.
    fn canonical(&self) -> &[u8] {
        &self.raw
    }

    /// `invalid_key` for points on the twist and small-order points.
    fn check(&self) -> Result<()> {
        match MontgomeryPoint(self.raw).to_edwards(0) {
            Some(point) if !point.is_small_order() => Ok(()),
            _ => Err(CryptoError::InvalidKey),
        }
    }

    fn encapsulate(&self) -> Result<(Zeroizing<Vec<u8>>, Vec<u8>)> {
        Err(CryptoError::InvalidOperation)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
