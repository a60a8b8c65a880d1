//! X448 (RFC 7748), backed by RustCrypto `x448` (on `ed448-goldilocks`). Keys are 56 bytes;
//! `pkcs8` follows RFC 8410 (`id-X448`). Any 56 bytes import as a public key; an all-zero
//! shared secret (a small-order peer key) is refused with `invalid_key`, and
//! `publickey_verify` refuses small-order points and non-canonical encodings (u ≥ p).

use crate::asymmetric::asn1::{self, OID_X448};
use crate::asymmetric::scheme::{Footprint, KxPublicKey, KxScheme, KxSecretKey, peer_as};
use crate::asymmetric::{PublicKeyEncoding, SecretKeyEncoding};
use crate::error::{CryptoError, Result};
use ed448_goldilocks::MontgomeryPoint;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The length of keys and shared secrets.
pub const KEY_LEN: usize = 56;

/// X448.
pub struct X448;

impl KxScheme for X448 {
    fn generate(&self) -> Result<Box<dyn KxSecretKey>> {
        let mut raw = Zeroizing::new([0u8; KEY_LEN]);
        crate::random::fill(raw.as_mut())?;
        Ok(Box::new(X448Secret { raw }))
    }

    fn import_secret(&self, encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Box<dyn KxSecretKey>> {
        Ok(Box::new(X448Secret::import(encoded, encoding)?))
    }

    fn import_public(&self, encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Box<dyn KxPublicKey>> {
        Ok(Box::new(X448Public::import(encoded, encoding)?))
    }

    /// Imports a `raw` key pair: public key ‖ secret key (as for X25519), checked.
    fn import_keypair_raw(&self, encoded: &[u8]) -> Result<Box<dyn KxSecretKey>> {
        let (pk, sk) = encoded.split_at_checked(KEY_LEN).ok_or(CryptoError::InvalidKey)?;
        let secret = X448Secret::import(sk, SecretKeyEncoding::Raw)?;
        if secret.public_raw() != pk {
            return Err(CryptoError::InvalidKey);
        }
        Ok(Box::new(secret))
    }

    fn is_kem(&self) -> bool {
        false
    }

    fn footprint(&self) -> Footprint {
        Footprint { secret: 256, public: 128 }
    }
}

/// An X448 secret key: the raw 56-byte scalar (clamped at use, per RFC 7748).
pub struct X448Secret {
    raw: Zeroizing<[u8; KEY_LEN]>,
}

/// An X448 public key: the u-coordinate.
pub struct X448Public {
    raw: [u8; KEY_LEN],
}

impl X448Secret {
    /// Imports a `raw` scalar or a `pkcs8` (RFC 8410) document.
    fn import(encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Self> {
        let raw = match encoding {
            SecretKeyEncoding::Raw => {
                Zeroizing::new(<[u8; KEY_LEN]>::try_from(encoded).map_err(|_| CryptoError::InvalidKey)?)
            }
            SecretKeyEncoding::Pkcs8 => asn1::curve_private_key_decode(encoded, OID_X448)?,
            SecretKeyEncoding::Pem | SecretKeyEncoding::Sec | SecretKeyEncoding::Local => {
                return Err(CryptoError::UnsupportedEncoding);
            }
        };
        Ok(Self { raw })
    }

    /// X448(k, 5).
    fn public_raw(&self) -> [u8; KEY_LEN] {
        x448::x448_unchecked(*self.raw, *MontgomeryPoint::GENERATOR.as_bytes())
    }
}

impl KxSecretKey for X448Secret {
    /// Exports the `raw` scalar or a `pkcs8` (RFC 8410) document.
    fn export(&self, encoding: SecretKeyEncoding) -> Result<Zeroizing<Vec<u8>>> {
        match encoding {
            SecretKeyEncoding::Raw => Ok(Zeroizing::new(self.raw.to_vec())),
            SecretKeyEncoding::Pkcs8 => asn1::curve_private_key_encode(OID_X448, self.raw.as_ref()),
            SecretKeyEncoding::Pem | SecretKeyEncoding::Sec | SecretKeyEncoding::Local => {
                Err(CryptoError::UnsupportedEncoding)
            }
        }
    }

    /// Exports a `raw` key pair: public key ‖ secret key.
    fn export_keypair_raw(&self) -> Result<Zeroizing<Vec<u8>>> {
        let mut out = Zeroizing::new(self.public_raw().to_vec());
        out.extend_from_slice(self.raw.as_ref());
        Ok(out)
    }

    fn public_key(&self) -> Result<Box<dyn KxPublicKey>> {
        Ok(Box::new(X448Public { raw: self.public_raw() }))
    }

    /// X448(k, u); `invalid_key` if the result is all zeros (a small-order `peer`).
    fn dh(&self, peer: &dyn KxPublicKey) -> Result<Zeroizing<Vec<u8>>> {
        let peer = peer_as::<X448Public>(peer)?;
        let shared = Zeroizing::new(x448::x448_unchecked(*self.raw, peer.raw));
        if bool::from(shared.ct_eq(&[0u8; KEY_LEN])) {
            return Err(CryptoError::InvalidKey);
        }
        Ok(Zeroizing::new(shared.to_vec()))
    }

    fn decapsulate(&self, _ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        Err(CryptoError::InvalidOperation)
    }
}

impl X448Public {
    /// Imports `raw` (56 bytes) or `pkcs8` (SubjectPublicKeyInfo).
    fn import(encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Self> {
        let raw = match encoding {
            PublicKeyEncoding::Raw => encoded,
            PublicKeyEncoding::Pkcs8 => asn1::spki_expect(encoded, OID_X448, None)?,
            PublicKeyEncoding::Pem | PublicKeyEncoding::Sec | PublicKeyEncoding::Local => {
                return Err(CryptoError::UnsupportedEncoding);
            }
        };
        Ok(Self { raw: raw.try_into().map_err(|_| CryptoError::InvalidKey)? })
    }
}

/// Whether a little-endian u-coordinate is below p = 2⁴⁴⁸ − 2²²⁴ − 1.
fn is_canonical(u: &[u8; KEY_LEN]) -> bool {
    // p in little-endian: 28 bytes 0xff, one 0xfe, 27 bytes 0xff.
    let p = |i: usize| if i == 28 { 0xfe } else { 0xff };
    for (i, &b) in u.iter().enumerate().rev() {
        if b != p(i) {
            return b < p(i);
        }
    }
    false
}

impl KxPublicKey for X448Public {
    /// Exports `raw` or `pkcs8` (SubjectPublicKeyInfo).
    fn export(&self, encoding: PublicKeyEncoding) -> Result<Vec<u8>> {
        match encoding {
            PublicKeyEncoding::Raw => Ok(self.raw.to_vec()),
            PublicKeyEncoding::Pkcs8 => asn1::spki_encode(OID_X448, None, &self.raw),
            PublicKeyEncoding::Pem | PublicKeyEncoding::Sec | PublicKeyEncoding::Local => {
                Err(CryptoError::UnsupportedEncoding)
            }
        }
    }

    fn canonical(&self) -> &[u8] {
        &self.raw
    }

    /// `invalid_key` for the small-order points (u = 0, 1, p − 1) and for u ≥ p.
    fn check(&self) -> Result<()> {
        if !is_canonical(&self.raw) || MontgomeryPoint(self.raw).is_low_order() {
            return Err(CryptoError::InvalidKey);
        }
        Ok(())
    }

    fn encapsulate(&self) -> Result<(Zeroizing<Vec<u8>>, Vec<u8>)> {
        Err(CryptoError::InvalidOperation)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_u_coordinates() {
        let mut p = [0xffu8; KEY_LEN];
        p[28] = 0xfe;
        assert!(!is_canonical(&p));
        let mut below = p;
        below[0] = 0xfe;
        assert!(is_canonical(&below));
        assert!(!is_canonical(&[0xff; KEY_LEN]));
        assert!(is_canonical(&[0; KEY_LEN]));
    }
}
