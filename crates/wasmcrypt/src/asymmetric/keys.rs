//! Key pairs, public keys and secret keys of every asymmetric family, and the dispatch of
//! generation, import, export and checks to the family modules. PEM is handled here, around
//! the families' DER (`pkcs8`) encodings; `local` is not supported.

use super::algorithm::{AsymmetricAlgorithm as A, Curve};
use super::kx::ecdh::{EcdhPublic, EcdhSecret};
use super::kx::mlkem::{MlKemPublic, MlKemSecret};
use super::kx::x25519::{X25519Public, X25519Secret};
use super::kx::xwing::{XWingPublic, XWingSecret};
use super::pem;
use super::signatures::ecdsa::{EcdsaPublic, EcdsaSecret};
use super::signatures::eddsa::{Ed25519Public, Ed25519Secret};
use super::signatures::rsa::{RsaPublic, RsaSecret};
use super::signatures::secp256k1::{K256Public, K256Secret};
use super::{AsymmetricAlgorithm, KeyPairEncoding, PublicKeyEncoding, SecretKeyEncoding};
use crate::error::{CryptoError, Result};
use crate::handles::ARC_OVERHEAD;
use crate::secrets::ManagedKey;
use std::sync::Arc;
use zeroize::Zeroizing;

/// A secret key of any family.
pub enum SecretKey {
    /// ECDSA on P-256 or P-384.
    Ecdsa(EcdsaSecret),
    /// ECDSA on secp256k1.
    K256(K256Secret),
    /// Ed25519.
    Ed25519(Ed25519Secret),
    /// RSA.
    Rsa(RsaSecret),
    /// ECDH on P-256 or P-384.
    Ecdh(EcdhSecret),
    /// X25519.
    X25519(X25519Secret),
    /// ML-KEM.
    MlKem(MlKemSecret),
    /// X-Wing.
    XWing(XWingSecret),
}

/// A public key of any family.
pub enum PublicKey {
    /// ECDSA on P-256 or P-384.
    Ecdsa(EcdsaPublic),
    /// ECDSA on secp256k1.
    K256(K256Public),
    /// Ed25519.
    Ed25519(Ed25519Public),
    /// RSA.
    Rsa(RsaPublic),
    /// ECDH on P-256 or P-384.
    Ecdh(EcdhPublic),
    /// X25519.
    X25519(X25519Public),
    /// ML-KEM.
    MlKem(MlKemPublic),
    /// X-Wing.
    XWing(XWingPublic),
}

/// A secret key together with its algorithm.
pub struct Secret {
    alg: AsymmetricAlgorithm,
    key: SecretKey,
    /// False for the secret key of a non-exportable managed key pair: usable, not exportable.
    exportable: bool,
}

/// A public key together with its algorithm.
pub struct Public {
    alg: AsymmetricAlgorithm,
    key: PublicKey,
}

/// A key pair: a secret key and its public key, shared with the handles derived from it.
pub struct KeyPair {
    secret: Arc<Secret>,
    public: Arc<Public>,
    managed: Option<ManagedKey>,
}

/// The PEM labels accepted on secret-key import, and the DER encoding each one means.
fn secret_pem(encoded: &[u8]) -> Result<(SecretKeyEncoding, Zeroizing<Vec<u8>>)> {
    let labels = [pem::PRIVATE_KEY, pem::RSA_PRIVATE_KEY, pem::EC_PRIVATE_KEY];
    let (label, der) = pem::decode(encoded, &labels)?;
    let encoding = if label == pem::EC_PRIVATE_KEY { SecretKeyEncoding::Sec } else { SecretKeyEncoding::Pkcs8 };
    Ok((encoding, der))
}

impl Secret {
    /// Generates a secret key.
    pub fn generate(alg: AsymmetricAlgorithm) -> Result<Self> {
        let key = match alg {
            A::Ecdsa(Curve::K256) => SecretKey::K256(K256Secret::generate()?),
            A::Ecdsa(curve) => SecretKey::Ecdsa(EcdsaSecret::generate(curve)?),
            A::Ed25519 => SecretKey::Ed25519(Ed25519Secret::generate()?),
            A::Rsa(scheme) => SecretKey::Rsa(RsaSecret::generate(scheme)?),
            A::Ecdh(curve) => SecretKey::Ecdh(EcdhSecret::generate(curve)?),
            A::X25519 => SecretKey::X25519(X25519Secret::generate()?),
            A::MlKem(level) => SecretKey::MlKem(MlKemSecret::generate(level)?),
            A::XWing => SecretKey::XWing(XWingSecret::generate()?),
        };
        Ok(Self { alg, key, exportable: true })
    }

    /// Imports a secret key.
    pub fn import(alg: AsymmetricAlgorithm, encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Self> {
        match encoding {
            SecretKeyEncoding::Local => return Err(CryptoError::UnsupportedEncoding),
            SecretKeyEncoding::Pem => {
                let (encoding, der) = secret_pem(encoded)?;
                if encoding == SecretKeyEncoding::Sec && !matches!(alg, A::Ecdsa(_) | A::Ecdh(_)) {
                    return Err(CryptoError::InvalidKey);
                }
                return Self::import(alg, &der, encoding);
            }
            _ => {}
        }
        let key = match alg {
            A::Ecdsa(Curve::K256) => SecretKey::K256(K256Secret::import(encoded, encoding)?),
            A::Ecdsa(curve) => SecretKey::Ecdsa(EcdsaSecret::import(curve, encoded, encoding)?),
            A::Ed25519 => SecretKey::Ed25519(Ed25519Secret::import(encoded, encoding)?),
            A::Rsa(scheme) => SecretKey::Rsa(RsaSecret::import(scheme, encoded, encoding)?),
            A::Ecdh(curve) => SecretKey::Ecdh(EcdhSecret::import(curve, encoded, encoding)?),
            A::X25519 => SecretKey::X25519(X25519Secret::import(encoded, encoding)?),
            A::MlKem(level) => SecretKey::MlKem(MlKemSecret::import(level, encoded, encoding)?),
            A::XWing => SecretKey::XWing(XWingSecret::import(encoded, encoding)?),
        };
        Ok(Self { alg, key, exportable: true })
    }

    /// Whether the secret key may be exported (false for that of a non-exportable managed key
    /// pair).
    pub(crate) fn exportable(&self) -> bool {
        self.exportable
    }

    /// Exports a secret key.
    pub fn export(&self, encoding: SecretKeyEncoding) -> Result<Zeroizing<Vec<u8>>> {
        match encoding {
            SecretKeyEncoding::Local => Err(CryptoError::UnsupportedEncoding),
            SecretKeyEncoding::Pem => {
                let der = self.export(SecretKeyEncoding::Pkcs8)?;
                pem::encode(pem::PRIVATE_KEY, &der).map(Zeroizing::new)
            }
            _ => match &self.key {
                SecretKey::Ecdsa(k) => k.export(encoding),
                SecretKey::K256(k) => k.export(encoding),
                SecretKey::Ed25519(k) => k.export(encoding),
                SecretKey::Rsa(k) => k.export(encoding),
                SecretKey::Ecdh(k) => k.export(encoding),
                SecretKey::X25519(k) => k.export(encoding),
                SecretKey::MlKem(k) => k.export(encoding),
                SecretKey::XWing(k) => k.export(encoding),
            },
        }
    }

    /// Computes the public key.
    pub fn public_key(&self) -> Result<Public> {
        let key = match &self.key {
            SecretKey::Ecdsa(k) => PublicKey::Ecdsa(k.public_key()?),
            SecretKey::K256(k) => PublicKey::K256(k.public_key()),
            SecretKey::Ed25519(k) => PublicKey::Ed25519(k.public_key()?),
            SecretKey::Rsa(k) => PublicKey::Rsa(k.public_key()?),
            SecretKey::Ecdh(k) => PublicKey::Ecdh(k.public_key()?),
            SecretKey::X25519(k) => PublicKey::X25519(k.public_key()?),
            SecretKey::MlKem(k) => PublicKey::MlKem(k.public_key()?),
            SecretKey::XWing(k) => PublicKey::XWing(k.public_key()?),
        };
        Ok(Public { alg: self.alg, key })
    }

    /// The algorithm.
    pub fn algorithm(&self) -> AsymmetricAlgorithm {
        self.alg
    }

    /// The family key.
    pub fn key(&self) -> &SecretKey {
        &self.key
    }

    /// An estimate of the memory the key occupies.
    pub(crate) fn footprint(&self) -> usize {
        size_of::<Self>() + self.alg.secret_footprint()
    }
}

impl Public {
    /// Imports a public key.
    pub fn import(alg: AsymmetricAlgorithm, encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Self> {
        match encoding {
            PublicKeyEncoding::Local => return Err(CryptoError::UnsupportedEncoding),
            PublicKeyEncoding::Pem => {
                let (_, der) = pem::decode(encoded, &[pem::PUBLIC_KEY, pem::RSA_PUBLIC_KEY])?;
                return Self::import(alg, &der, PublicKeyEncoding::Pkcs8);
            }
            _ => {}
        }
        let key = match alg {
            A::Ecdsa(Curve::K256) => PublicKey::K256(K256Public::import(encoded, encoding)?),
            A::Ecdsa(curve) => PublicKey::Ecdsa(EcdsaPublic::import(curve, encoded, encoding)?),
            A::Ed25519 => PublicKey::Ed25519(Ed25519Public::import(encoded, encoding)?),
            A::Rsa(scheme) => PublicKey::Rsa(RsaPublic::import(scheme, encoded, encoding)?),
            A::Ecdh(curve) => PublicKey::Ecdh(EcdhPublic::import(curve, encoded, encoding)?),
            A::X25519 => PublicKey::X25519(X25519Public::import(encoded, encoding)?),
            A::MlKem(level) => PublicKey::MlKem(MlKemPublic::import(level, encoded, encoding)?),
            A::XWing => PublicKey::XWing(XWingPublic::import(encoded, encoding)?),
        };
        Ok(Self { alg, key })
    }

    /// Exports a public key.
    pub fn export(&self, encoding: PublicKeyEncoding) -> Result<Vec<u8>> {
        match encoding {
            PublicKeyEncoding::Local => Err(CryptoError::UnsupportedEncoding),
            PublicKeyEncoding::Pem => pem::encode(pem::PUBLIC_KEY, &self.export(PublicKeyEncoding::Pkcs8)?),
            _ => match &self.key {
                PublicKey::Ecdsa(k) => k.export(encoding),
                PublicKey::K256(k) => k.export(encoding),
                PublicKey::Ed25519(k) => k.export(encoding),
                PublicKey::Rsa(k) => k.export(encoding),
                PublicKey::Ecdh(k) => k.export(encoding),
                PublicKey::X25519(k) => k.export(encoding),
                PublicKey::MlKem(k) => k.export(encoding),
                PublicKey::XWing(k) => k.export(encoding),
            },
        }
    }

    /// The canonical bytes of the key, to compare keys of the same algorithm.
    fn canonical(&self) -> &[u8] {
        match &self.key {
            PublicKey::Ecdsa(k) => k.canonical(),
            PublicKey::K256(k) => k.canonical(),
            PublicKey::Ed25519(k) => k.canonical(),
            PublicKey::Rsa(k) => k.canonical(),
            PublicKey::Ecdh(k) => k.canonical(),
            PublicKey::X25519(k) => k.canonical(),
            PublicKey::MlKem(k) => k.canonical(),
            PublicKey::XWing(k) => k.canonical(),
        }
    }

    /// Whether two keys are the same key of the same algorithm.
    pub fn same_as(&self, other: &Public) -> bool {
        self.alg == other.alg && self.canonical() == other.canonical()
    }

    /// `publickey_verify`: EC points are validated at import already; Ed25519 and X25519 keys
    /// must be points of the curve outside the small-order subgroup.
    pub fn check(&self) -> Result<()> {
        match &self.key {
            PublicKey::Ed25519(k) => k.check(),
            PublicKey::X25519(k) => k.check(),
            _ => Ok(()),
        }
    }

    /// The algorithm.
    pub fn algorithm(&self) -> AsymmetricAlgorithm {
        self.alg
    }

    /// The family key.
    pub fn key(&self) -> &PublicKey {
        &self.key
    }

    /// An estimate of the memory the key occupies.
    pub(crate) fn footprint(&self) -> usize {
        size_of::<Self>() + self.alg.public_footprint()
    }
}

impl KeyPair {
    /// Pairs a secret key with its computed public key.
    pub fn from_secret(secret: Secret) -> Result<Self> {
        let public = secret.public_key()?;
        Ok(Self { secret: Arc::new(secret), public: Arc::new(public), managed: None })
    }

    /// Pairs existing keys; `incompatible_keys` unless `public` is the public key of `secret`.
    pub fn from_parts(public: Arc<Public>, secret: Arc<Secret>) -> Result<Self> {
        if public.alg != secret.alg || !secret.public_key()?.same_as(&public) {
            return Err(CryptoError::IncompatibleKeys);
        }
        Ok(Self { secret, public, managed: None })
    }

    /// The id and version of a managed key pair.
    pub(crate) fn managed(&self) -> Option<&ManagedKey> {
        self.managed.as_ref()
    }

    /// The key pair, as the managed key pair `managed`. The secret key of a non-exportable one
    /// becomes non-exportable too (it is not shared yet: the key pair was just made).
    pub(crate) fn with_managed(mut self, managed: ManagedKey) -> Self {
        if !managed.exportable
            && let Some(secret) = Arc::get_mut(&mut self.secret)
        {
            secret.exportable = false;
        }
        self.managed = Some(managed);
        self
    }

    /// Whether the key pair may be exported: neither a non-exportable managed key pair nor
    /// built on a non-exportable secret key.
    pub(crate) fn exportable(&self) -> bool {
        self.managed.as_ref().is_none_or(|m| m.exportable) && self.secret.exportable
    }

    /// A copy of the key pair that is the managed key pair `managed`.
    pub(crate) fn to_managed(&self, managed: ManagedKey) -> Self {
        Self { secret: self.secret.clone(), public: self.public.clone(), managed: Some(managed) }
    }

    /// Generates a key pair.
    pub fn generate(alg: AsymmetricAlgorithm) -> Result<Self> {
        Self::from_secret(Secret::generate(alg)?)
    }

    /// Imports a key pair. `raw` is the secret key's raw form, except for Ed25519 (seed ‖ public
    /// key, checked) and X25519 (public key ‖ secret key, checked); RSA has no `raw` form.
    pub fn import(alg: AsymmetricAlgorithm, encoded: &[u8], encoding: KeyPairEncoding) -> Result<Self> {
        let secret = match encoding {
            KeyPairEncoding::Raw => match alg {
                A::Ed25519 => Secret {
                    alg,
                    key: SecretKey::Ed25519(Ed25519Secret::import_keypair_raw(encoded)?),
                    exportable: true,
                },
                A::X25519 => {
                    Secret { alg, key: SecretKey::X25519(X25519Secret::import_keypair_raw(encoded)?), exportable: true }
                }
                _ => Secret::import(alg, encoded, SecretKeyEncoding::Raw)?,
            },
            KeyPairEncoding::Pkcs8 => Secret::import(alg, encoded, SecretKeyEncoding::Pkcs8)?,
            KeyPairEncoding::Pem => Secret::import(alg, encoded, SecretKeyEncoding::Pem)?,
            KeyPairEncoding::Local => return Err(CryptoError::UnsupportedEncoding),
        };
        Self::from_secret(secret)
    }

    /// Exports a key pair, in the forms `import` accepts.
    pub fn export(&self, encoding: KeyPairEncoding) -> Result<Zeroizing<Vec<u8>>> {
        match encoding {
            KeyPairEncoding::Raw => match &self.secret.key {
                SecretKey::Ed25519(k) => Ok(k.export_keypair_raw()),
                SecretKey::X25519(k) => k.export_keypair_raw(),
                _ => self.secret.export(SecretKeyEncoding::Raw),
            },
            KeyPairEncoding::Pkcs8 => self.secret.export(SecretKeyEncoding::Pkcs8),
            KeyPairEncoding::Pem => self.secret.export(SecretKeyEncoding::Pem),
            KeyPairEncoding::Local => Err(CryptoError::UnsupportedEncoding),
        }
    }

    /// The algorithm.
    pub fn algorithm(&self) -> AsymmetricAlgorithm {
        self.secret.alg
    }

    /// The secret key.
    pub fn secret(&self) -> &Arc<Secret> {
        &self.secret
    }

    /// The public key.
    pub fn public(&self) -> &Arc<Public> {
        &self.public
    }

    /// An estimate of the memory the key pair occupies, its two keys included.
    pub(crate) fn footprint(&self) -> usize {
        Self::estimated_footprint(self.algorithm())
    }

    /// An estimate of the memory a key pair of `alg` occupies, to check the budget before
    /// generating or decoding one.
    pub(crate) fn estimated_footprint(alg: AsymmetricAlgorithm) -> usize {
        size_of::<Self>()
            + 2 * ARC_OVERHEAD
            + size_of::<Secret>()
            + alg.secret_footprint()
            + size_of::<Public>()
            + alg.public_footprint()
    }
}
