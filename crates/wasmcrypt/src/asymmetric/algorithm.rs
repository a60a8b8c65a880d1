//! The asymmetric algorithm registry, keyed by the spec's names (matched case-insensitively).

use crate::error::{CryptoError, Result};
use crate::options::AlgorithmType;

/// A short-Weierstrass curve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Curve {
    /// NIST P-256 (secp256r1).
    P256,
    /// NIST P-384 (secp384r1).
    P384,
    /// secp256k1.
    K256,
}

impl Curve {
    /// The length of a scalar or of a coordinate, in bytes.
    pub fn scalar_len(self) -> usize {
        match self {
            Self::P256 | Self::K256 => 32,
            Self::P384 => 48,
        }
    }
}

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

/// An asymmetric algorithm of this host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsymmetricAlgorithm {
    /// ECDSA with deterministic (RFC 6979 for secp256k1) or random nonces; the hash is SHA-256
    /// for P-256 and secp256k1, SHA-384 for P-384.
    Ecdsa(Curve),
    /// Ed25519 (RFC 8032, pure).
    Ed25519,
    /// RSA signatures.
    Rsa(RsaScheme),
    /// ECDH on P-256 or P-384 (the raw x-coordinate as shared secret).
    Ecdh(Curve),
    /// X25519 (RFC 7748).
    X25519,
    /// ML-KEM (FIPS 203).
    MlKem(MlKemLevel),
    /// X-Wing (ML-KEM-768 + X25519 hybrid KEM).
    XWing,
}

const fn rsa(pss: bool, bits: usize, hash: RsaHash) -> AsymmetricAlgorithm {
    AsymmetricAlgorithm::Rsa(RsaScheme { pss, bits, hash })
}

use AsymmetricAlgorithm as A;
use RsaHash::{Sha256, Sha384, Sha512};

/// Every signature algorithm this host supports, by spec name.
pub const SIGNATURE_ALGORITHMS: &[(&str, AsymmetricAlgorithm)] = &[
    ("ECDSA_P256_SHA256", A::Ecdsa(Curve::P256)),
    ("ECDSA_P384_SHA384", A::Ecdsa(Curve::P384)),
    ("ECDSA_K256_SHA256", A::Ecdsa(Curve::K256)),
    ("Ed25519", A::Ed25519),
    ("RSA_PKCS1_2048_SHA256", rsa(false, 2048, Sha256)),
    ("RSA_PKCS1_2048_SHA384", rsa(false, 2048, Sha384)),
    ("RSA_PKCS1_2048_SHA512", rsa(false, 2048, Sha512)),
    ("RSA_PKCS1_3072_SHA384", rsa(false, 3072, Sha384)),
    ("RSA_PKCS1_3072_SHA512", rsa(false, 3072, Sha512)),
    ("RSA_PKCS1_4096_SHA512", rsa(false, 4096, Sha512)),
    ("RSA_PSS_2048_SHA256", rsa(true, 2048, Sha256)),
    ("RSA_PSS_2048_SHA384", rsa(true, 2048, Sha384)),
    ("RSA_PSS_2048_SHA512", rsa(true, 2048, Sha512)),
    ("RSA_PSS_3072_SHA384", rsa(true, 3072, Sha384)),
    ("RSA_PSS_3072_SHA512", rsa(true, 3072, Sha512)),
    ("RSA_PSS_4096_SHA512", rsa(true, 4096, Sha512)),
];

/// Every key-exchange algorithm this host supports, by spec name.
pub const KX_ALGORITHMS: &[(&str, AsymmetricAlgorithm)] = &[
    ("X25519", A::X25519),
    ("P256-SHA256", A::Ecdh(Curve::P256)),
    ("P384-SHA384", A::Ecdh(Curve::P384)),
    ("ML-KEM-512", A::MlKem(MlKemLevel::MlKem512)),
    ("ML-KEM-768", A::MlKem(MlKemLevel::MlKem768)),
    ("ML-KEM-1024", A::MlKem(MlKemLevel::MlKem1024)),
    ("X-WING", A::XWing),
];

fn find(table: &[(&'static str, AsymmetricAlgorithm)], name: &str) -> Option<AsymmetricAlgorithm> {
    table.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, a)| *a)
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
        find(table, name).ok_or(CryptoError::UnsupportedAlgorithm)
    }

    /// Looks a signature algorithm up by name.
    pub fn signature_from_name(name: &str) -> Result<Self> {
        Self::from_name(AlgorithmType::Signatures, name)
    }

    /// The algorithm type the algorithm belongs to.
    pub fn algorithm_type(self) -> AlgorithmType {
        match self {
            A::Ecdsa(_) | A::Ed25519 | A::Rsa(_) => AlgorithmType::Signatures,
            A::Ecdh(_) | A::X25519 | A::MlKem(_) | A::XWing => AlgorithmType::KeyExchange,
        }
    }

    /// The canonical spec name.
    pub fn name(self) -> &'static str {
        SIGNATURE_ALGORITHMS.iter().chain(KX_ALGORITHMS).find(|(_, a)| *a == self).map_or("", |(n, _)| n)
    }

    /// Whether the algorithm is a KEM (encapsulate / decapsulate) rather than a DH.
    pub fn is_kem(self) -> bool {
        matches!(self, A::MlKem(_) | A::XWing)
    }

    /// An estimate of the memory a secret key of the algorithm occupies, backend structures
    /// included: RSA keeps the CRT parameters, Montgomery contexts and blinding values (about
    /// 12 modulus lengths); ML-KEM keeps the expanded matrix Â (k² polynomials of 512 bytes),
    /// the vectors t and s and the encodings; X-Wing adds an X25519 key to ML-KEM-768.
    pub(crate) fn secret_footprint(self) -> usize {
        match self {
            A::Rsa(scheme) => 12 * scheme.modulus_len() + 2048,
            A::MlKem(level) => mlkem_secret_footprint(level),
            A::XWing => mlkem_secret_footprint(MlKemLevel::MlKem768) + 1024,
            A::Ecdsa(_) | A::Ecdh(_) => 1024,
            A::Ed25519 | A::X25519 => 512,
        }
    }

    /// An estimate of the memory a public key of the algorithm occupies (see
    /// [`AsymmetricAlgorithm::secret_footprint`]).
    pub(crate) fn public_footprint(self) -> usize {
        match self {
            A::Rsa(scheme) => 4 * scheme.modulus_len() + 1024,
            A::MlKem(level) => mlkem_public_footprint(level),
            A::XWing => mlkem_public_footprint(MlKemLevel::MlKem768) + 256,
            A::Ecdsa(_) | A::Ecdh(_) | A::Ed25519 => 512,
            A::X25519 => 64,
        }
    }
}

/// The module rank k of an ML-KEM parameter set.
fn mlkem_rank(level: MlKemLevel) -> usize {
    match level {
        MlKemLevel::MlKem512 => 2,
        MlKemLevel::MlKem768 => 3,
        MlKemLevel::MlKem1024 => 4,
    }
}

fn mlkem_secret_footprint(level: MlKemLevel) -> usize {
    let k = mlkem_rank(level);
    512 * k * k + 2048 * k + 4096
}

fn mlkem_public_footprint(level: MlKemLevel) -> usize {
    let k = mlkem_rank(level);
    512 * k * k + 1024 * k + 1024
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_types() {
        let sig = AlgorithmType::Signatures;
        let kx = AlgorithmType::KeyExchange;
        assert_eq!(AsymmetricAlgorithm::from_name(sig, "ed25519"), Ok(A::Ed25519));
        assert_eq!(AsymmetricAlgorithm::from_name(sig, "X25519"), Err(CryptoError::UnsupportedAlgorithm));
        assert_eq!(AsymmetricAlgorithm::from_name(kx, "x-wing"), Ok(A::XWing));
        assert_eq!(AsymmetricAlgorithm::from_name(kx, "Ed25519"), Err(CryptoError::UnsupportedAlgorithm));
        assert_eq!(
            AsymmetricAlgorithm::from_name(AlgorithmType::Symmetric, "Ed25519"),
            Err(CryptoError::UnsupportedAlgorithm)
        );
        for (name, alg) in SIGNATURE_ALGORITHMS.iter().chain(KX_ALGORITHMS) {
            assert_eq!(alg.name(), *name);
            assert_eq!(AsymmetricAlgorithm::from_name(alg.algorithm_type(), &name.to_lowercase()), Ok(*alg));
        }
        assert_eq!(SIGNATURE_ALGORITHMS.len() + KX_ALGORITHMS.len(), 23);
    }
}
