//! ECDH on P-256 and P-384, backed by aws-lc-rs. The shared secret is the full x-coordinate.

use crate::asymmetric::ec::{self, Curve, NistPoint};
use crate::asymmetric::scheme::{Footprint, KxPublicKey, KxScheme, KxSecretKey, peer_as};
use crate::asymmetric::{PublicKeyEncoding, SecretKeyEncoding};
use crate::error::{CryptoError, Result};
use aws_lc_rs::agreement::{self, PrivateKey, UnparsedPublicKey};
use aws_lc_rs::encoding::{AsBigEndian, AsDer, EcPrivateKeyBin, EcPrivateKeyRfc5915Der, Pkcs8V1Der};
use zeroize::Zeroizing;

/// ECDH on a NIST curve.
pub struct Ecdh(pub Curve);

impl KxScheme for Ecdh {
    fn generate(&self) -> Result<Box<dyn KxSecretKey>> {
        Ok(Box::new(EcdhSecret::generate(self.0)?))
    }

    fn import_secret(&self, encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Box<dyn KxSecretKey>> {
        Ok(Box::new(EcdhSecret::import(self.0, encoded, encoding)?))
    }

    fn import_public(&self, encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Box<dyn KxPublicKey>> {
        Ok(Box::new(EcdhPublic::import(self.0, encoded, encoding)?))
    }

    fn is_kem(&self) -> bool {
        false
    }

    fn footprint(&self) -> Footprint {
        Footprint { secret: 1024, public: 512 }
    }
}

/// An ECDH secret key.
pub struct EcdhSecret {
    curve: Curve,
    key: PrivateKey,
}

/// An ECDH public key, validated at import.
pub struct EcdhPublic {
    curve: Curve,
    point: NistPoint,
}

impl EcdhSecret {
    /// Generates a key.
    pub fn generate(curve: Curve) -> Result<Self> {
        let key = PrivateKey::generate(ec::agreement_alg(curve)?).map_err(|_| CryptoError::AlgorithmFailure)?;
        Ok(Self { curve, key })
    }

    /// Imports a `raw` scalar, a `sec` RFC 5915 `ECPrivateKey` or a `pkcs8` document.
    pub fn import(curve: Curve, encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Self> {
        let alg = ec::agreement_alg(curve)?;
        let key = match encoding {
            SecretKeyEncoding::Raw if encoded.len() == curve.scalar_len() => PrivateKey::from_private_key(alg, encoded),
            SecretKeyEncoding::Raw => return Err(CryptoError::InvalidKey),
            SecretKeyEncoding::Sec | SecretKeyEncoding::Pkcs8 => PrivateKey::from_private_key_der(alg, encoded),
            SecretKeyEncoding::Pem | SecretKeyEncoding::Local => return Err(CryptoError::UnsupportedEncoding),
        }
        .map_err(|_| CryptoError::InvalidKey)?;
        Ok(Self { curve, key })
    }
}

impl KxSecretKey for EcdhSecret {
    /// Exports as a `raw` scalar, a `sec` RFC 5915 `ECPrivateKey` or a `pkcs8` document.
    fn export(&self, encoding: SecretKeyEncoding) -> Result<Zeroizing<Vec<u8>>> {
        let bytes = match encoding {
            SecretKeyEncoding::Raw => {
                let raw: EcPrivateKeyBin = self.key.as_be_bytes().map_err(|_| CryptoError::InternalError)?;
                raw.as_ref().to_vec()
            }
            SecretKeyEncoding::Sec => {
                let der: EcPrivateKeyRfc5915Der = self.key.as_der().map_err(|_| CryptoError::InternalError)?;
                der.as_ref().to_vec()
            }
            SecretKeyEncoding::Pkcs8 => {
                let der: Pkcs8V1Der = self.key.as_der().map_err(|_| CryptoError::InternalError)?;
                der.as_ref().to_vec()
            }
            SecretKeyEncoding::Pem | SecretKeyEncoding::Local => return Err(CryptoError::UnsupportedEncoding),
        };
        Ok(Zeroizing::new(bytes))
    }

    fn public_key(&self) -> Result<Box<dyn KxPublicKey>> {
        let pk = self.key.compute_public_key().map_err(|_| CryptoError::InternalError)?;
        Ok(Box::new(EcdhPublic::import(self.curve, pk.as_ref(), PublicKeyEncoding::Sec)?))
    }

    /// The shared secret with `peer` (the x-coordinate, 32 or 48 bytes).
    fn dh(&self, peer: &dyn KxPublicKey) -> Result<Zeroizing<Vec<u8>>> {
        let peer = peer_as::<EcdhPublic>(peer)?;
        if peer.curve != self.curve {
            return Err(CryptoError::IncompatibleKeys);
        }
        let peer = UnparsedPublicKey::new(ec::agreement_alg(self.curve)?, &peer.point.uncompressed);
        agreement::agree(&self.key, peer, CryptoError::InvalidKey, |s| Ok(Zeroizing::new(s.to_vec())))
    }

    fn decapsulate(&self, _ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        Err(CryptoError::InvalidOperation)
    }
}

impl EcdhPublic {
    /// Imports `raw`/`sec` (SEC1, compressed or not) or `pkcs8` (SubjectPublicKeyInfo).
    pub fn import(curve: Curve, encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Self> {
        let point = ec::parse_nist_point(curve, ec::point_from_encoding(curve, encoded, encoding)?)?;
        Ok(Self { curve, point })
    }
}

impl KxPublicKey for EcdhPublic {
    /// Exports as `raw` (compressed SEC1), `sec` (uncompressed SEC1) or `pkcs8` (SPKI).
    fn export(&self, encoding: PublicKeyEncoding) -> Result<Vec<u8>> {
        ec::export_point(self.curve, &self.point.uncompressed, encoding)
    }

    /// The uncompressed point, to compare keys.
    fn canonical(&self) -> &[u8] {
        &self.point.uncompressed
    }

    fn encapsulate(&self) -> Result<(Zeroizing<Vec<u8>>, Vec<u8>)> {
        Err(CryptoError::InvalidOperation)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
