//! The asymmetric algorithm registry, keyed by the spec's names (matched case-insensitively):
//! one line per algorithm, naming its tier, its backend and its implementation.
//!
//! Adding an algorithm is one module implementing [`SignatureScheme`] or [`KxScheme`] and one
//! line in [`SIGNATURE_ALGORITHMS`] or [`KX_ALGORITHMS`]; the generic code, the round-trip and
//! errno tests, the fuzz targets and `wasmcrypt algorithms` all iterate these tables.

use super::ec::Curve;
use super::kx::ecdh::Ecdh;
use super::kx::mlkem::{MlKem, MlKemLevel};
use super::kx::x448::X448;
use super::kx::x25519::X25519;
use super::kx::xwing::XWing;
use super::scheme::{Footprint, KxScheme, SignatureScheme};
use super::signatures::ecdsa::Ecdsa;
use super::signatures::ed448::Ed448;
use super::signatures::ed25519ph::Ed25519ph;
use super::signatures::eddsa::Ed25519;
use super::signatures::mldsa::{MlDsa, MlDsaLevel};
use super::signatures::rsa::{Rsa, RsaHash::*, RsaScheme};
use super::signatures::secp256k1::K256Ecdsa;
use crate::error::{CryptoError, Result};
use crate::options::AlgorithmType;

pub use crate::tier::Tier;

/// The implementation of a registered algorithm.
#[derive(Clone, Copy)]
pub(crate) enum Scheme {
    /// A signature algorithm.
    Signature(&'static dyn SignatureScheme),
    /// A key-exchange algorithm.
    Kx(&'static dyn KxScheme),
}

/// One registry line: an algorithm's spec name, tier, backend and implementation.
pub struct Registered {
    name: &'static str,
    tier: Tier,
    backend: &'static str,
    scheme: Scheme,
}

const fn sig(name: &'static str, tier: Tier, backend: &'static str, s: &'static dyn SignatureScheme) -> Registered {
    Registered { name, tier, backend, scheme: Scheme::Signature(s) }
}

const fn kx(name: &'static str, tier: Tier, backend: &'static str, s: &'static dyn KxScheme) -> Registered {
    Registered { name, tier, backend, scheme: Scheme::Kx(s) }
}

const fn rsa(pss: bool, bits: usize, hash: super::signatures::rsa::RsaHash) -> Rsa {
    Rsa(RsaScheme { pss, bits, hash })
}

use Tier::{Optional, Required};

/// Every signature algorithm this host supports.
pub static SIGNATURE_ALGORITHMS: &[Registered] = &[
    sig("ECDSA_P256_SHA256", Required, "aws-lc-rs", &Ecdsa(Curve::P256)),
    sig("ECDSA_P384_SHA384", Required, "aws-lc-rs", &Ecdsa(Curve::P384)),
    sig("ECDSA_K256_SHA256", Required, "k256", &K256Ecdsa),
    sig("Ed25519", Required, "aws-lc-rs", &Ed25519),
    sig("RSA_PKCS1_2048_SHA256", Required, "aws-lc-rs", &rsa(false, 2048, Sha256)),
    sig("RSA_PKCS1_2048_SHA384", Required, "aws-lc-rs", &rsa(false, 2048, Sha384)),
    sig("RSA_PKCS1_2048_SHA512", Required, "aws-lc-rs", &rsa(false, 2048, Sha512)),
    sig("RSA_PKCS1_3072_SHA384", Required, "aws-lc-rs", &rsa(false, 3072, Sha384)),
    sig("RSA_PKCS1_3072_SHA512", Required, "aws-lc-rs", &rsa(false, 3072, Sha512)),
    sig("RSA_PKCS1_4096_SHA512", Required, "aws-lc-rs", &rsa(false, 4096, Sha512)),
    sig("RSA_PSS_2048_SHA256", Required, "aws-lc-rs", &rsa(true, 2048, Sha256)),
    sig("RSA_PSS_2048_SHA384", Required, "aws-lc-rs", &rsa(true, 2048, Sha384)),
    sig("RSA_PSS_2048_SHA512", Required, "aws-lc-rs", &rsa(true, 2048, Sha512)),
    sig("RSA_PSS_3072_SHA384", Required, "aws-lc-rs", &rsa(true, 3072, Sha384)),
    sig("RSA_PSS_3072_SHA512", Required, "aws-lc-rs", &rsa(true, 3072, Sha512)),
    sig("RSA_PSS_4096_SHA512", Required, "aws-lc-rs", &rsa(true, 4096, Sha512)),
    sig("ML-DSA-44", Optional, "aws-lc-rs", &MlDsa(MlDsaLevel::MlDsa44)),
    sig("ML-DSA-65", Optional, "aws-lc-rs", &MlDsa(MlDsaLevel::MlDsa65)),
    sig("ML-DSA-87", Optional, "aws-lc-rs", &MlDsa(MlDsaLevel::MlDsa87)),
    sig("Ed448", Optional, "ed448-goldilocks", &Ed448),
    sig("Ed25519ph", Optional, "ed25519-dalek", &Ed25519ph),
];

/// Every key-exchange algorithm this host supports.
pub static KX_ALGORITHMS: &[Registered] = &[
    kx("X25519", Required, "aws-lc-rs", &X25519),
    kx("P256-SHA256", Required, "aws-lc-rs", &Ecdh(Curve::P256)),
    kx("P384-SHA384", Required, "aws-lc-rs", &Ecdh(Curve::P384)),
    kx("ML-KEM-512", Optional, "aws-lc-rs (seed expansion: ml-kem)", &MlKem(MlKemLevel::MlKem512)),
    kx("ML-KEM-768", Optional, "aws-lc-rs (seed expansion: ml-kem)", &MlKem(MlKemLevel::MlKem768)),
    kx("ML-KEM-1024", Optional, "aws-lc-rs (seed expansion: ml-kem)", &MlKem(MlKemLevel::MlKem1024)),
    kx("X-WING", Optional, "aws-lc-rs (seed expansion: shake, ml-kem)", &XWing),
    kx("X448", Optional, "ed448-goldilocks (x448)", &X448),
];

/// An asymmetric algorithm of this host: a line of the registry.
#[derive(Clone, Copy)]
pub struct AsymmetricAlgorithm(&'static Registered);

impl PartialEq for AsymmetricAlgorithm {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for AsymmetricAlgorithm {}

impl std::fmt::Debug for AsymmetricAlgorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.name)
    }
}

impl Registered {
    /// The algorithm of this line.
    pub fn algorithm(&'static self) -> AsymmetricAlgorithm {
        AsymmetricAlgorithm(self)
    }
}

/// Every asymmetric algorithm: signatures first, then key exchange.
pub fn algorithms() -> impl Iterator<Item = AsymmetricAlgorithm> {
    SIGNATURE_ALGORITHMS.iter().chain(KX_ALGORITHMS).map(Registered::algorithm)
}

impl AsymmetricAlgorithm {
    /// Looks an algorithm up by name (ignoring ASCII case) within an algorithm type;
    /// `unsupported_algorithm` if it is unknown or belongs to another type.
    pub fn from_name(alg_type: AlgorithmType, name: &str) -> Result<Self> {
        let table = match alg_type {
            AlgorithmType::Signatures => SIGNATURE_ALGORITHMS,
            AlgorithmType::KeyExchange => KX_ALGORITHMS,
            AlgorithmType::Symmetric => return Err(CryptoError::UnsupportedAlgorithm),
        };
        table
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(name))
            .map(Registered::algorithm)
            .ok_or(CryptoError::UnsupportedAlgorithm)
    }

    /// Looks a signature algorithm up by name.
    pub fn signature_from_name(name: &str) -> Result<Self> {
        Self::from_name(AlgorithmType::Signatures, name)
    }

    /// The algorithm type the algorithm belongs to.
    pub fn algorithm_type(self) -> AlgorithmType {
        match self.0.scheme {
            Scheme::Signature(_) => AlgorithmType::Signatures,
            Scheme::Kx(_) => AlgorithmType::KeyExchange,
        }
    }

    /// The canonical spec name.
    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// The tier.
    pub fn tier(self) -> Tier {
        self.0.tier
    }

    /// The backend crate(s).
    pub fn backend(self) -> &'static str {
        self.0.backend
    }

    /// Whether key generation takes long enough (RSA: up to seconds) that fuzzers skip it.
    pub fn slow_keygen(self) -> bool {
        self.0.name.starts_with("RSA_")
    }

    /// Whether the algorithm is a KEM (encapsulate / decapsulate) rather than a DH.
    pub fn is_kem(self) -> bool {
        match self.0.scheme {
            Scheme::Signature(_) => false,
            Scheme::Kx(s) => s.is_kem(),
        }
    }

    /// The implementation.
    pub(crate) fn scheme(self) -> Scheme {
        self.0.scheme
    }

    fn footprint(self) -> Footprint {
        match self.0.scheme {
            Scheme::Signature(s) => s.footprint(),
            Scheme::Kx(s) => s.footprint(),
        }
    }

    /// An estimate of the memory a secret key of the algorithm occupies, backend structures
    /// included.
    pub(crate) fn secret_footprint(self) -> usize {
        self.footprint().secret
    }

    /// An estimate of the memory a public key of the algorithm occupies.
    pub(crate) fn public_footprint(self) -> usize {
        self.footprint().public
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_types() {
        let sig = AlgorithmType::Signatures;
        let kx = AlgorithmType::KeyExchange;
        assert_eq!(AsymmetricAlgorithm::from_name(sig, "ed25519").map(|a| a.name()), Ok("Ed25519"));
        assert_eq!(AsymmetricAlgorithm::from_name(sig, "X25519"), Err(CryptoError::UnsupportedAlgorithm));
        assert_eq!(AsymmetricAlgorithm::from_name(kx, "x-wing").map(|a| a.name()), Ok("X-WING"));
        assert_eq!(AsymmetricAlgorithm::from_name(kx, "Ed25519"), Err(CryptoError::UnsupportedAlgorithm));
        assert_eq!(
            AsymmetricAlgorithm::from_name(AlgorithmType::Symmetric, "Ed25519"),
            Err(CryptoError::UnsupportedAlgorithm)
        );
        for alg in algorithms() {
            assert_eq!(AsymmetricAlgorithm::from_name(alg.algorithm_type(), &alg.name().to_lowercase()), Ok(alg));
            assert!(alg.secret_footprint() >= 64 && alg.public_footprint() >= 64, "{alg:?}");
        }
        assert_eq!(SIGNATURE_ALGORITHMS.len() + KX_ALGORITHMS.len(), 29);
        let mut names: Vec<_> = algorithms().map(|a| a.name().to_ascii_lowercase()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 29, "names are unique");
    }
}
