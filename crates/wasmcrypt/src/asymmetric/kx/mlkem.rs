//! ML-KEM-512/768/1024 (FIPS 203). Secret keys are the 64-byte seed d‖z; RustCrypto `ml-kem`
//! expands it once at import (aws-lc-rs cannot import seeds), and aws-lc-rs (6–8× faster) does
//! every encapsulation and decapsulation with the expanded key.
//!
//! Decapsulating a well-formed but wrong ciphertext returns FIPS 203's implicit-rejection
//! secret; a ciphertext of the wrong length gives `verification_failed`.

use crate::asymmetric::asn1::{self, OID_ML_KEM_512, OID_ML_KEM_768, OID_ML_KEM_1024};
use crate::asymmetric::scheme::{Footprint, KxPublicKey, KxScheme, KxSecretKey};
use crate::asymmetric::{PublicKeyEncoding, SecretKeyEncoding};
use crate::error::{CryptoError, Result};
use aws_lc_rs::kem::{self, AlgorithmId, Ciphertext, DecapsulationKey, EncapsulationKey};
use der::asn1::ObjectIdentifier;
use ml_kem::{KeyExport, TryKeyInit};
use zeroize::{Zeroize, Zeroizing};

/// An ML-KEM parameter set (FIPS 203).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MlKemLevel {
    /// ML-KEM-512.
    MlKem512,
    /// ML-KEM-768.
    MlKem768,
    /// ML-KEM-1024.
    MlKem1024,
}

impl MlKemLevel {
    /// The module rank k.
    const fn rank(self) -> usize {
        match self {
            Self::MlKem512 => 2,
            Self::MlKem768 => 3,
            Self::MlKem1024 => 4,
        }
    }

    /// The memory of an expanded key pair: the matrix Â (k² polynomials of 512 bytes), the
    /// vectors t and s and the encodings.
    pub(crate) const fn footprint(self) -> Footprint {
        let k = self.rank();
        Footprint { secret: 512 * k * k + 2048 * k + 4096, public: 512 * k * k + 1024 * k + 1024 }
    }
}

/// ML-KEM at one parameter set.
pub struct MlKem(pub MlKemLevel);

impl KxScheme for MlKem {
    fn generate(&self) -> Result<Box<dyn KxSecretKey>> {
        Ok(Box::new(MlKemSecret::generate(self.0)?))
    }

    fn import_secret(&self, encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Box<dyn KxSecretKey>> {
        Ok(Box::new(MlKemSecret::import(self.0, encoded, encoding)?))
    }

    fn import_public(&self, encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Box<dyn KxPublicKey>> {
        Ok(Box::new(MlKemPublic::import(self.0, encoded, encoding)?))
    }

    fn is_kem(&self) -> bool {
        true
    }

    fn footprint(&self) -> Footprint {
        self.0.footprint()
    }
}

impl KxSecretKey for MlKemSecret {
    fn export(&self, encoding: SecretKeyEncoding) -> Result<Zeroizing<Vec<u8>>> {
        MlKemSecret::export(self, encoding)
    }

    fn public_key(&self) -> Result<Box<dyn KxPublicKey>> {
        Ok(Box::new(MlKemSecret::public_key(self)?))
    }

    fn dh(&self, _peer: &dyn KxPublicKey) -> Result<Zeroizing<Vec<u8>>> {
        Err(CryptoError::InvalidOperation)
    }

    fn decapsulate(&self, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        MlKemSecret::decapsulate(self, ciphertext)
    }
}

impl KxPublicKey for MlKemPublic {
    fn export(&self, encoding: PublicKeyEncoding) -> Result<Vec<u8>> {
        MlKemPublic::export(self, encoding)
    }

    fn canonical(&self) -> &[u8] {
        &self.raw
    }

    fn encapsulate(&self) -> Result<(Zeroizing<Vec<u8>>, Vec<u8>)> {
        MlKemPublic::encapsulate(self)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// The length of a seed (d‖z).
pub const SEED_LEN: usize = 64;
/// The `[0] IMPLICIT OCTET STRING (SIZE (64))` header of the seed form of a PKCS#8 private key.
const SEED_HEADER: [u8; 2] = [0x80, 0x40];

/// An ML-KEM decapsulation key.
pub struct MlKemSecret {
    level: MlKemLevel,
    seed: Zeroizing<[u8; SEED_LEN]>,
    dk: DecapsulationKey<AlgorithmId>,
    ek: Vec<u8>,
}

/// An ML-KEM encapsulation key.
pub struct MlKemPublic {
    level: MlKemLevel,
    ek: EncapsulationKey<AlgorithmId>,
    raw: Vec<u8>,
}

fn backend(level: MlKemLevel) -> &'static kem::Algorithm<AlgorithmId> {
    match level {
        MlKemLevel::MlKem512 => &kem::ML_KEM_512,
        MlKemLevel::MlKem768 => &kem::ML_KEM_768,
        MlKemLevel::MlKem1024 => &kem::ML_KEM_1024,
    }
}

fn oid(level: MlKemLevel) -> ObjectIdentifier {
    match level {
        MlKemLevel::MlKem512 => OID_ML_KEM_512,
        MlKemLevel::MlKem768 => OID_ML_KEM_768,
        MlKemLevel::MlKem1024 => OID_ML_KEM_1024,
    }
}

/// The ciphertext length.
pub fn ciphertext_len(level: MlKemLevel) -> usize {
    match level {
        MlKemLevel::MlKem512 => 768,
        MlKemLevel::MlKem768 => 1088,
        MlKemLevel::MlKem1024 => 1568,
    }
}

macro_rules! with_params {
    ($level:expr, $p:ident => $body:expr) => {
        match $level {
            MlKemLevel::MlKem512 => {
                type $p = ml_kem::MlKem512;
                $body
            }
            MlKemLevel::MlKem768 => {
                type $p = ml_kem::MlKem768;
                $body
            }
            MlKemLevel::MlKem1024 => {
                type $p = ml_kem::MlKem1024;
                $body
            }
        }
    };
}

/// Expands a seed: (expanded decapsulation key, encapsulation key).
#[allow(deprecated)] // the expanded form is what aws-lc-rs imports
fn expand(level: MlKemLevel, seed: &[u8; SEED_LEN]) -> (Zeroizing<Vec<u8>>, Vec<u8>) {
    with_params!(level, P => {
        let dk = ml_kem::DecapsulationKey::<P>::from_seed(ml_kem::Seed::from(*seed));
        let mut bytes = ml_kem::ExpandedKeyEncoding::to_expanded_bytes(&dk);
        let expanded = Zeroizing::new(bytes.to_vec());
        bytes.zeroize();
        (expanded, dk.encapsulation_key().to_bytes().to_vec())
    })
}

/// FIPS 203 §7.2 input checks of an encapsulation key (length and modulus).
fn check_ek(level: MlKemLevel, ek: &[u8]) -> Result<()> {
    let ok = with_params!(level, P => ml_kem::EncapsulationKey::<P>::new_from_slice(ek).is_ok());
    if ok { Ok(()) } else { Err(CryptoError::InvalidKey) }
}

impl MlKemSecret {
    /// Generates a key from a fresh random seed.
    pub fn generate(level: MlKemLevel) -> Result<Self> {
        let mut seed = Zeroizing::new([0u8; SEED_LEN]);
        crate::random::fill(seed.as_mut())?;
        Self::from_seed(level, seed)
    }

    /// Builds the key from a seed d‖z.
    pub(crate) fn from_seed(level: MlKemLevel, seed: Zeroizing<[u8; SEED_LEN]>) -> Result<Self> {
        let (expanded, ek) = expand(level, &seed);
        let dk = DecapsulationKey::new(backend(level), &expanded).map_err(|_| CryptoError::InvalidKey)?;
        Ok(Self { level, seed, dk, ek })
    }

    /// Imports a `raw` 64-byte seed or a `pkcs8` document holding the seed.
    pub fn import(level: MlKemLevel, encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Self> {
        let seed = match encoding {
            SecretKeyEncoding::Raw => encoded,
            SecretKeyEncoding::Pkcs8 => {
                let info = asn1::pkcs8_decode(encoded)?;
                if info.oid != oid(level) || info.has_parameters {
                    return Err(CryptoError::InvalidKey);
                }
                info.private_key.strip_prefix(&SEED_HEADER).ok_or(CryptoError::InvalidKey)?
            }
            SecretKeyEncoding::Pem | SecretKeyEncoding::Sec | SecretKeyEncoding::Local => {
                return Err(CryptoError::UnsupportedEncoding);
            }
        };
        let seed: [u8; SEED_LEN] = seed.try_into().map_err(|_| CryptoError::InvalidKey)?;
        Self::from_seed(level, Zeroizing::new(seed))
    }

    /// Exports the `raw` seed or a `pkcs8` document holding it.
    pub fn export(&self, encoding: SecretKeyEncoding) -> Result<Zeroizing<Vec<u8>>> {
        match encoding {
            SecretKeyEncoding::Raw => Ok(Zeroizing::new(self.seed.to_vec())),
            SecretKeyEncoding::Pkcs8 => {
                let mut private_key = Zeroizing::new(SEED_HEADER.to_vec());
                private_key.extend_from_slice(self.seed.as_ref());
                asn1::pkcs8_encode(oid(self.level), None, &private_key, None)
            }
            SecretKeyEncoding::Pem | SecretKeyEncoding::Sec | SecretKeyEncoding::Local => {
                Err(CryptoError::UnsupportedEncoding)
            }
        }
    }

    /// The matching encapsulation key.
    pub fn public_key(&self) -> Result<MlKemPublic> {
        MlKemPublic::import(self.level, &self.ek, PublicKeyEncoding::Raw)
    }

    /// Decapsulates; `verification_failed` if the ciphertext has the wrong length.
    pub fn decapsulate(&self, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        if ciphertext.len() != ciphertext_len(self.level) {
            return Err(CryptoError::VerificationFailed);
        }
        let secret = self.dk.decapsulate(Ciphertext::from(ciphertext)).map_err(|_| CryptoError::VerificationFailed)?;
        Ok(Zeroizing::new(secret.as_ref().to_vec()))
    }
}

impl MlKemPublic {
    /// Imports `raw` (the encapsulation key) or `pkcs8` (SubjectPublicKeyInfo).
    pub fn import(level: MlKemLevel, encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Self> {
        let raw = match encoding {
            PublicKeyEncoding::Raw => encoded,
            PublicKeyEncoding::Pkcs8 => asn1::spki_expect(encoded, oid(level), None)?,
            PublicKeyEncoding::Pem | PublicKeyEncoding::Sec | PublicKeyEncoding::Local => {
                return Err(CryptoError::UnsupportedEncoding);
            }
        };
        check_ek(level, raw)?;
        let ek = EncapsulationKey::new(backend(level), raw).map_err(|_| CryptoError::InvalidKey)?;
        Ok(Self { level, ek, raw: raw.to_vec() })
    }

    /// Exports `raw` or `pkcs8` (SubjectPublicKeyInfo).
    pub fn export(&self, encoding: PublicKeyEncoding) -> Result<Vec<u8>> {
        match encoding {
            PublicKeyEncoding::Raw => Ok(self.raw.clone()),
            PublicKeyEncoding::Pkcs8 => asn1::spki_encode(oid(self.level), None, &self.raw),
            PublicKeyEncoding::Pem | PublicKeyEncoding::Sec | PublicKeyEncoding::Local => {
                Err(CryptoError::UnsupportedEncoding)
            }
        }
    }

    /// Encapsulates a fresh secret: (shared secret, ciphertext).
    pub fn encapsulate(&self) -> Result<(Zeroizing<Vec<u8>>, Vec<u8>)> {
        let (ct, secret) = self.ek.encapsulate().map_err(|_| CryptoError::AlgorithmFailure)?;
        Ok((Zeroizing::new(secret.as_ref().to_vec()), ct.as_ref().to_vec()))
    }
}
