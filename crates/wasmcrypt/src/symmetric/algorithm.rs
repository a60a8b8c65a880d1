//! The symmetric algorithm registry, keyed by the spec's names (matched case-insensitively).

pub use super::families::{CipherAlgorithm, DigestAlgorithm, KeyUse, Output};
use super::password::{self, Argon2Variant, PasswordAlgorithm};
use crate::error::{CryptoError, Result};
pub use crate::tier::Tier;

/// A hash function used by the hash, HMAC and HKDF families.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashFunction {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
    /// SHA-512/256.
    Sha512_256,
}

impl HashFunction {
    /// The digest length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            Self::Sha256 | Self::Sha512_256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }
}

/// An AEAD construction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AeadAlgorithm {
    /// AES-128-GCM.
    Aes128Gcm,
    /// AES-256-GCM.
    Aes256Gcm,
    /// ChaCha20-Poly1305 (RFC 8439).
    ChaCha20Poly1305,
    /// XChaCha20-Poly1305 (24-byte nonces).
    XChaCha20Poly1305,
}

impl AeadAlgorithm {
    /// The key length in bytes.
    pub fn key_len(self) -> usize {
        match self {
            Self::Aes128Gcm => 16,
            Self::Aes256Gcm | Self::ChaCha20Poly1305 | Self::XChaCha20Poly1305 => 32,
        }
    }

    /// The nonce length in bytes.
    pub fn nonce_len(self) -> usize {
        match self {
            Self::XChaCha20Poly1305 => 24,
            Self::Aes128Gcm | Self::Aes256Gcm | Self::ChaCha20Poly1305 => 12,
        }
    }
}

/// What an algorithm does, and with which primitive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// An unkeyed hash function.
    Hash(HashFunction),
    /// HMAC.
    Hmac(HashFunction),
    /// HKDF-Extract: the key is the IKM, absorbed data is the salt.
    HkdfExtract(HashFunction),
    /// HKDF-Expand: the key is the PRK, absorbed data is the info.
    HkdfExpand(HashFunction),
    /// An AEAD.
    Aead(AeadAlgorithm),
    /// Xoodyak (Cyclist over `Xoodoo[12]`); the key length in bytes.
    Xoodyak(usize),
    /// SHA-3, SHAKE, SP 800-185, TurboSHAKE/KT, BLAKE2b, BLAKE3, Ascon hashing and CMAC.
    Digest(DigestAlgorithm),
    /// AES-GCM-SIV, AES-SIV, AEGIS, Ascon-AEAD128 and the unauthenticated AES modes.
    Cipher(CipherAlgorithm),
    /// A password hash (Argon2, scrypt, PBKDF2): see [`super::password`].
    Password(PasswordAlgorithm),
}

/// The longest key accepted by HMAC, HKDF-Extract (the IKM) and HKDF-Expand (the PRK): 1024
/// bytes. HMAC hashes keys longer than the hash's block size (64 or 128 bytes) down to one
/// output, so a longer key adds no strength; the cap keeps guests from parking large buffers in
/// key objects (and in the keystore through managed keys).
pub const MAX_HMAC_KEY_LEN: usize = 1024;

/// A symmetric algorithm of the registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SymmetricAlgorithm {
    name: &'static str,
    family: Family,
}

const fn alg(name: &'static str, family: Family) -> SymmetricAlgorithm {
    SymmetricAlgorithm { name, family }
}

use AeadAlgorithm as A;
use CipherAlgorithm as C;
use DigestAlgorithm as D;
use HashFunction as H;

/// Every symmetric algorithm this host supports.
pub const SYMMETRIC_ALGORITHMS: &[SymmetricAlgorithm] = &[
    alg("SHA-256", Family::Hash(H::Sha256)),
    alg("SHA-384", Family::Hash(H::Sha384)),
    alg("SHA-512", Family::Hash(H::Sha512)),
    alg("SHA-512/256", Family::Hash(H::Sha512_256)),
    alg("HMAC/SHA-256", Family::Hmac(H::Sha256)),
    alg("HMAC/SHA-512", Family::Hmac(H::Sha512)),
    alg("HKDF-EXTRACT/SHA-256", Family::HkdfExtract(H::Sha256)),
    alg("HKDF-EXTRACT/SHA-512", Family::HkdfExtract(H::Sha512)),
    alg("HKDF-EXPAND/SHA-256", Family::HkdfExpand(H::Sha256)),
    alg("HKDF-EXPAND/SHA-512", Family::HkdfExpand(H::Sha512)),
    alg("AES-128-GCM", Family::Aead(A::Aes128Gcm)),
    alg("AES-256-GCM", Family::Aead(A::Aes256Gcm)),
    alg("CHACHA20-POLY1305", Family::Aead(A::ChaCha20Poly1305)),
    alg("XCHACHA20-POLY1305", Family::Aead(A::XChaCha20Poly1305)),
    alg("XOODYAK-128", Family::Xoodyak(16)),
    alg("XOODYAK-160", Family::Xoodyak(20)),
    alg("SHA3-256", Family::Digest(D::Sha3_256)),
    alg("SHA3-384", Family::Digest(D::Sha3_384)),
    alg("SHA3-512", Family::Digest(D::Sha3_512)),
    alg("SHAKE-128", Family::Digest(D::Shake128)),
    alg("SHAKE-256", Family::Digest(D::Shake256)),
    alg("CSHAKE-128", Family::Digest(D::CShake128)),
    alg("CSHAKE-256", Family::Digest(D::CShake256)),
    alg("TURBOSHAKE-128", Family::Digest(D::TurboShake128)),
    alg("TURBOSHAKE-256", Family::Digest(D::TurboShake256)),
    alg("KT128", Family::Digest(D::Kt128)),
    alg("KT256", Family::Digest(D::Kt256)),
    alg("TupleHash128", Family::Digest(D::TupleHash128)),
    alg("TupleHash256", Family::Digest(D::TupleHash256)),
    alg("TupleHashXOF128", Family::Digest(D::TupleHashXof128)),
    alg("TupleHashXOF256", Family::Digest(D::TupleHashXof256)),
    alg("KMAC-128", Family::Digest(D::Kmac128)),
    alg("KMAC-256", Family::Digest(D::Kmac256)),
    alg("BLAKE2B-256", Family::Digest(D::Blake2b256)),
    alg("BLAKE2B-512", Family::Digest(D::Blake2b512)),
    alg("BLAKE3", Family::Digest(D::Blake3)),
    alg("ASCON-HASH", Family::Digest(D::AsconHash256)),
    alg("ASCON-XOF", Family::Digest(D::AsconXof128)),
    alg("AES-128-CMAC", Family::Digest(D::Aes128Cmac)),
    alg("AES-256-CMAC", Family::Digest(D::Aes256Cmac)),
    alg("AES-128-GCM-SIV", Family::Cipher(C::Aes128GcmSiv)),
    alg("AES-256-GCM-SIV", Family::Cipher(C::Aes256GcmSiv)),
    alg("AES-128-SIV", Family::Cipher(C::Aes128Siv)),
    alg("AES-256-SIV", Family::Cipher(C::Aes256Siv)),
    alg("AEGIS-128L", Family::Cipher(C::Aegis128L)),
    alg("AEGIS-128X2", Family::Cipher(C::Aegis128X2)),
    alg("AEGIS-128X4", Family::Cipher(C::Aegis128X4)),
    alg("AEGIS-256", Family::Cipher(C::Aegis256)),
    alg("AEGIS-256X2", Family::Cipher(C::Aegis256X2)),
    alg("AEGIS-256X4", Family::Cipher(C::Aegis256X4)),
    alg("ASCON-AEAD", Family::Cipher(C::AsconAead128)),
    alg("AES-128-CTR", Family::Cipher(C::Aes128Ctr)),
    alg("AES-256-CTR", Family::Cipher(C::Aes256Ctr)),
    alg("AES-128-CBC", Family::Cipher(C::Aes128Cbc)),
    alg("AES-256-CBC", Family::Cipher(C::Aes256Cbc)),
    alg("ARGON2-ID-13", Family::Password(PasswordAlgorithm::Argon2(Argon2Variant::Id))),
    alg("ARGON2-I-13", Family::Password(PasswordAlgorithm::Argon2(Argon2Variant::I))),
    alg("ARGON2-D-13", Family::Password(PasswordAlgorithm::Argon2(Argon2Variant::D))),
    alg("SCRYPT", Family::Password(PasswordAlgorithm::Scrypt)),
    alg("PBKDF2-HMAC/SHA-256", Family::Password(PasswordAlgorithm::Pbkdf2Sha256)),
    alg("PBKDF2-HMAC/SHA-512", Family::Password(PasswordAlgorithm::Pbkdf2Sha512)),
];

impl SymmetricAlgorithm {
    /// Looks an algorithm up by name, ignoring ASCII case; `unsupported_algorithm` if unknown.
    pub fn from_name(name: &str) -> Result<Self> {
        SYMMETRIC_ALGORITHMS
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
            .copied()
            .ok_or(CryptoError::UnsupportedAlgorithm)
    }

    /// The canonical name.
    pub fn name(self) -> &'static str {
        self.name
    }

    /// The family and primitive.
    pub fn family(self) -> Family {
        self.family
    }

    /// Whether the spec requires the algorithm or lists it as optional.
    pub fn tier(self) -> Tier {
        match self.family {
            Family::Hash(_) | Family::Hmac(_) | Family::HkdfExtract(_) | Family::HkdfExpand(_) | Family::Aead(_) => {
                Tier::Required
            }
            Family::Xoodyak(_) | Family::Digest(_) | Family::Cipher(_) | Family::Password(_) => Tier::Optional,
        }
    }

    /// The length of a generated key, or `None` for algorithms that take no key.
    pub fn generated_key_len(self) -> Option<usize> {
        match self.family {
            Family::Hash(_) | Family::Password(PasswordAlgorithm::Scrypt) => None,
            Family::Password(PasswordAlgorithm::Pbkdf2Sha256 | PasswordAlgorithm::Pbkdf2Sha512) => None,
            Family::Password(PasswordAlgorithm::Argon2(_)) => Some(32),
            Family::Hmac(h) | Family::HkdfExtract(h) | Family::HkdfExpand(h) => Some(h.output_len()),
            Family::Aead(a) => Some(a.key_len()),
            Family::Xoodyak(len) => Some(len),
            Family::Digest(d) => d.generated_key_len(),
            Family::Cipher(c) => Some(c.key_len()),
        }
    }

    /// Whether states of the algorithm take a key: never, optionally or always.
    pub fn key_use(self) -> KeyUse {
        match self.family {
            Family::Hash(_) | Family::Password(PasswordAlgorithm::Scrypt) => KeyUse::None,
            Family::Password(PasswordAlgorithm::Pbkdf2Sha256 | PasswordAlgorithm::Pbkdf2Sha512) => KeyUse::None,
            // An Argon2 key is its optional secret K.
            Family::Xoodyak(_) | Family::Password(PasswordAlgorithm::Argon2(_)) => KeyUse::Optional,
            Family::Hmac(_) | Family::HkdfExtract(_) | Family::HkdfExpand(_) | Family::Aead(_) | Family::Cipher(_) => {
                KeyUse::Required
            }
            Family::Digest(d) => d.key_use(),
        }
    }

    /// The option names a state of the algorithm accepts; opening one with any other option set
    /// is `unsupported_option`.
    pub fn accepted_options(self) -> &'static [&'static str] {
        match self.family {
            Family::Hash(_) | Family::Hmac(_) | Family::HkdfExtract(_) | Family::HkdfExpand(_) => &[],
            Family::Aead(_) | Family::Xoodyak(_) | Family::Cipher(_) => &["nonce"],
            Family::Digest(d) => d.accepted_options(),
            // Argon2's `context` is its associated data X.
            Family::Password(PasswordAlgorithm::Argon2(_)) => &["memory", "opslimit", "parallelism", "salt", "context"],
            Family::Password(PasswordAlgorithm::Scrypt) => &["memory", "opslimit", "parallelism", "salt"],
            Family::Password(PasswordAlgorithm::Pbkdf2Sha256 | PasswordAlgorithm::Pbkdf2Sha512) => {
                &["opslimit", "salt"]
            }
        }
    }

    /// Checks that raw key material fits the algorithm: `invalid_key` otherwise, including for
    /// HMAC keys, HKDF-Extract IKMs and HKDF-Expand PRKs longer than [`MAX_HMAC_KEY_LEN`].
    pub fn check_key_len(self, len: usize) -> Result<()> {
        let ok = match self.family {
            Family::Hash(_) => return Err(CryptoError::KeyNotSupported),
            // An Argon2 key is its secret K; scrypt and PBKDF2 take none.
            Family::Password(PasswordAlgorithm::Argon2(_)) => (1..=password::MAX_ARGON2_SECRET_LEN).contains(&len),
            Family::Password(_) => return Err(CryptoError::KeyNotSupported),
            // HMAC reduces longer keys to one hash output anyway; HKDF-Extract takes any IKM.
            Family::Hmac(_) | Family::HkdfExtract(_) => len <= MAX_HMAC_KEY_LEN,
            // RFC 5869: the PRK is at least HashLen bytes long.
            Family::HkdfExpand(h) => len >= h.output_len() && len <= MAX_HMAC_KEY_LEN,
            Family::Aead(a) => len == a.key_len(),
            Family::Xoodyak(key_len) => len == key_len,
            Family::Digest(d) if d.key_use() == KeyUse::None => return Err(CryptoError::KeyNotSupported),
            Family::Digest(d) => d.key_len_ok(len),
            Family::Cipher(c) => len == c.key_len(),
        };
        if ok { Ok(()) } else { Err(CryptoError::InvalidKey) }
    }

    /// The length of the tag appended by `encrypt`, or of the MAC, if the algorithm has one
    /// (for keyed-or-not hashes, the tag of a keyed state).
    pub fn tag_len(self) -> Option<usize> {
        match self.family {
            Family::Aead(_) | Family::Xoodyak(_) => Some(16),
            Family::Hmac(h) => Some(h.output_len()),
            Family::Digest(d) => d.tag_len(true),
            Family::Cipher(c) => Some(c.max_tag_len()),
            Family::Hash(_) | Family::HkdfExtract(_) | Family::HkdfExpand(_) | Family::Password(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_case_insensitively() {
        assert_eq!(SymmetricAlgorithm::from_name("aes-128-gcm").unwrap().name(), "AES-128-GCM");
        assert_eq!(SymmetricAlgorithm::from_name("Xoodyak-160").unwrap().family(), Family::Xoodyak(20));
        assert_eq!(SymmetricAlgorithm::from_name("hmac/sha-512").unwrap().family(), Family::Hmac(H::Sha512));
        assert_eq!(SymmetricAlgorithm::from_name("SHA-1"), Err(CryptoError::UnsupportedAlgorithm));
        assert_eq!(SymmetricAlgorithm::from_name(""), Err(CryptoError::UnsupportedAlgorithm));
        assert_eq!(SYMMETRIC_ALGORITHMS.len(), 61);
        assert_eq!(
            SymmetricAlgorithm::from_name("argon2-id-13").unwrap().family(),
            Family::Password(PasswordAlgorithm::Argon2(Argon2Variant::Id))
        );
        assert_eq!(
            SymmetricAlgorithm::from_name("pbkdf2-hmac/sha-512").unwrap().family(),
            Family::Password(PasswordAlgorithm::Pbkdf2Sha512)
        );
    }

    #[test]
    fn key_lengths() {
        let aes = SymmetricAlgorithm::from_name("AES-256-GCM").unwrap();
        assert_eq!(aes.check_key_len(32), Ok(()));
        assert_eq!(aes.check_key_len(16), Err(CryptoError::InvalidKey));
        let sha = SymmetricAlgorithm::from_name("SHA-256").unwrap();
        assert_eq!(sha.check_key_len(32), Err(CryptoError::KeyNotSupported));
        let exp = SymmetricAlgorithm::from_name("HKDF-EXPAND/SHA-512").unwrap();
        assert_eq!(exp.check_key_len(63), Err(CryptoError::InvalidKey));
        assert_eq!(exp.generated_key_len(), Some(64));
        assert_eq!(exp.check_key_len(MAX_HMAC_KEY_LEN), Ok(()));
        assert_eq!(exp.check_key_len(MAX_HMAC_KEY_LEN + 1), Err(CryptoError::InvalidKey));
        for name in ["HMAC/SHA-256", "HKDF-EXTRACT/SHA-512"] {
            let alg = SymmetricAlgorithm::from_name(name).unwrap();
            assert_eq!(alg.check_key_len(0), Ok(()));
            assert_eq!(alg.check_key_len(MAX_HMAC_KEY_LEN), Ok(()));
            assert_eq!(alg.check_key_len(MAX_HMAC_KEY_LEN + 1), Err(CryptoError::InvalidKey), "{name}");
        }
    }
}
