//! Key pairs, public keys and secret keys of every asymmetric algorithm, and the dispatch of
//! generation, import, export and checks to the registry's implementations. PEM is handled here, around
//! the families' DER (`pkcs8`) encodings; `local` is not supported.

use super::algorithm::Scheme;
use super::pem;
use super::scheme::{KxPublicKey, KxSecretKey, SigningKey, VerifyingKey};
use super::{AsymmetricAlgorithm, KeyPairEncoding, PublicKeyEncoding, SecretKeyEncoding};
use crate::error::{CryptoError, Result};
use crate::handles::ARC_OVERHEAD;
use crate::secrets::ManagedKey;
use std::sync::Arc;
use zeroize::Zeroizing;

/// A secret key of either kind of algorithm.
pub enum SecretKey {
    /// A signing key.
    Signature(Box<dyn SigningKey>),
    /// A key-exchange secret key.
    Kx(Box<dyn KxSecretKey>),
}

/// A public key of either kind of algorithm.
pub enum PublicKey {
    /// A verifying key.
    Signature(Box<dyn VerifyingKey>),
    /// A key-exchange public key.
    Kx(Box<dyn KxPublicKey>),
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
        let key = match alg.scheme() {
            Scheme::Signature(s) => SecretKey::Signature(s.generate()?),
            Scheme::Kx(s) => SecretKey::Kx(s.generate()?),
        };
        Ok(Self { alg, key, exportable: true })
    }

    /// Imports a secret key.
    pub fn import(alg: AsymmetricAlgorithm, encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Self> {
        match encoding {
            SecretKeyEncoding::Local => return Err(CryptoError::UnsupportedEncoding),
            SecretKeyEncoding::Pem => {
                let (encoding, der) = secret_pem(encoded)?;
                // An `EC PRIVATE KEY` document for a non-EC algorithm is a wrong key.
                return Self::import(alg, &der, encoding).map_err(|e| match e {
                    CryptoError::UnsupportedEncoding => CryptoError::InvalidKey,
                    e => e,
                });
            }
            SecretKeyEncoding::Raw | SecretKeyEncoding::Pkcs8 | SecretKeyEncoding::Sec => {}
        }
        let key = match alg.scheme() {
            Scheme::Signature(s) => SecretKey::Signature(s.import_secret(encoded, encoding)?),
            Scheme::Kx(s) => SecretKey::Kx(s.import_secret(encoded, encoding)?),
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
            SecretKeyEncoding::Raw | SecretKeyEncoding::Pkcs8 | SecretKeyEncoding::Sec => match &self.key {
                SecretKey::Signature(k) => k.export(encoding),
                SecretKey::Kx(k) => k.export(encoding),
            },
        }
    }

    /// Computes the public key.
    pub fn public_key(&self) -> Result<Public> {
        let key = match &self.key {
            SecretKey::Signature(k) => PublicKey::Signature(k.public_key()?),
            SecretKey::Kx(k) => PublicKey::Kx(k.public_key()?),
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
            PublicKeyEncoding::Raw | PublicKeyEncoding::Pkcs8 | PublicKeyEncoding::Sec => {}
        }
        let key = match alg.scheme() {
            Scheme::Signature(s) => PublicKey::Signature(s.import_public(encoded, encoding)?),
            Scheme::Kx(s) => PublicKey::Kx(s.import_public(encoded, encoding)?),
        };
        Ok(Self { alg, key })
    }

    /// Exports a public key.
    pub fn export(&self, encoding: PublicKeyEncoding) -> Result<Vec<u8>> {
        match encoding {
            PublicKeyEncoding::Local => Err(CryptoError::UnsupportedEncoding),
            PublicKeyEncoding::Pem => pem::encode(pem::PUBLIC_KEY, &self.export(PublicKeyEncoding::Pkcs8)?),
            PublicKeyEncoding::Raw | PublicKeyEncoding::Pkcs8 | PublicKeyEncoding::Sec => match &self.key {
                PublicKey::Signature(k) => k.export(encoding),
                PublicKey::Kx(k) => k.export(encoding),
            },
        }
    }

    /// The canonical bytes of the key, to compare keys of the same algorithm.
    fn canonical(&self) -> &[u8] {
        match &self.key {
            PublicKey::Signature(k) => k.canonical(),
            PublicKey::Kx(k) => k.canonical(),
        }
    }

    /// Whether two keys are the same key of the same algorithm.
    pub fn same_as(&self, other: &Public) -> bool {
        self.alg == other.alg && self.canonical() == other.canonical()
    }

    /// `publickey_verify`: EC points are validated at import already; Edwards and Montgomery
    /// keys must be points of the curve outside the small-order subgroup.
    pub fn check(&self) -> Result<()> {
        match &self.key {
            PublicKey::Signature(k) => k.check(),
            PublicKey::Kx(k) => k.check(),
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
            KeyPairEncoding::Raw => {
                let key = match alg.scheme() {
                    Scheme::Signature(s) => SecretKey::Signature(s.import_keypair_raw(encoded)?),
                    Scheme::Kx(s) => SecretKey::Kx(s.import_keypair_raw(encoded)?),
                };
                Secret { alg, key, exportable: true }
            }
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
                SecretKey::Signature(k) => k.export_keypair_raw(),
                SecretKey::Kx(k) => k.export_keypair_raw(),
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
