//! Host-side provisioning: building records for an operator tool (for example
//! `wasmcrypt keys`), which writes them to a store directly, with ids and export rules of its
//! choosing. Guests never reach these functions.

use super::{SecretKind, SecretRecord};
use crate::asymmetric::{AsymmetricAlgorithm, KeyPair, KeyPairEncoding, PublicKeyEncoding};
use crate::error::{CryptoError, Result};
use crate::options::AlgorithmType;
use crate::symmetric::{SymmetricAlgorithm, SymmetricKey};
use zeroize::Zeroizing;

/// A resolved algorithm: its record kind and canonical spec name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ManagedAlgorithm {
    /// The record kind (never [`SecretKind::External`]).
    pub kind: SecretKind,
    /// The canonical spec name.
    pub name: &'static str,
}

enum Resolved {
    Symmetric(SymmetricAlgorithm),
    Asymmetric(AsymmetricAlgorithm),
}

fn resolve(name: &str) -> Result<Resolved> {
    if let Ok(alg) = SymmetricAlgorithm::from_name(name) {
        return Ok(Resolved::Symmetric(alg));
    }
    AsymmetricAlgorithm::from_name(AlgorithmType::Signatures, name)
        .or_else(|_| AsymmetricAlgorithm::from_name(AlgorithmType::KeyExchange, name))
        .map(Resolved::Asymmetric)
}

fn kind_of(alg: AsymmetricAlgorithm) -> SecretKind {
    match alg.algorithm_type() {
        AlgorithmType::Signatures => SecretKind::Signatures,
        _ => SecretKind::KeyExchange,
    }
}

/// Looks an algorithm up by name (symmetric first, then signatures, then key exchange);
/// `unsupported_algorithm` if it is unknown.
pub fn resolve_algorithm(name: &str) -> Result<ManagedAlgorithm> {
    Ok(match resolve(name)? {
        Resolved::Symmetric(a) => ManagedAlgorithm { kind: SecretKind::Symmetric, name: a.name() },
        Resolved::Asymmetric(a) => ManagedAlgorithm { kind: kind_of(a), name: a.name() },
    })
}

fn record(kind: SecretKind, name: &str, material: Zeroizing<Vec<u8>>, exportable: bool) -> SecretRecord {
    SecretRecord { kind, algorithm: name.to_owned(), material, exportable, expiration: None }
}

/// A record holding a freshly generated key of the algorithm.
pub fn generate_record(algorithm: &str, exportable: bool) -> Result<SecretRecord> {
    match resolve(algorithm)? {
        Resolved::Symmetric(a) => {
            let key = SymmetricKey::generate(a)?;
            Ok(record(SecretKind::Symmetric, a.name(), Zeroizing::new(key.raw().to_vec()), exportable))
        }
        Resolved::Asymmetric(a) => {
            let kp = KeyPair::generate(a)?;
            Ok(record(kind_of(a), a.name(), kp.export(KeyPairEncoding::Pkcs8)?, exportable))
        }
    }
}

/// A record holding an imported key: raw bytes for a symmetric key, a key pair in `encoding`
/// otherwise.
pub fn import_record(
    algorithm: &str,
    encoded: &[u8],
    encoding: KeyPairEncoding,
    exportable: bool,
) -> Result<SecretRecord> {
    match resolve(algorithm)? {
        Resolved::Symmetric(a) => {
            let key = SymmetricKey::import(a, encoded)?;
            Ok(record(SecretKind::Symmetric, a.name(), Zeroizing::new(key.raw().to_vec()), exportable))
        }
        Resolved::Asymmetric(a) => {
            let kp = KeyPair::import(a, encoded, encoding)?;
            Ok(record(kind_of(a), a.name(), kp.export(KeyPairEncoding::Pkcs8)?, exportable))
        }
    }
}

/// The public key of a key-pair record, in `encoding`; `invalid_operation` for a symmetric key
/// or an external secret.
pub fn public_key_of(record: &SecretRecord, encoding: PublicKeyEncoding) -> Result<Vec<u8>> {
    let alg_type = match record.kind {
        SecretKind::Signatures => AlgorithmType::Signatures,
        SecretKind::KeyExchange => AlgorithmType::KeyExchange,
        _ => return Err(CryptoError::InvalidOperation),
    };
    let alg = AsymmetricAlgorithm::from_name(alg_type, &record.algorithm)?;
    KeyPair::import(alg, &record.material, KeyPairEncoding::Pkcs8)?.public().export(encoding)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_for_each_kind() {
        let sym = generate_record("hmac/sha-256", false).unwrap();
        assert_eq!((sym.kind, sym.algorithm.as_str(), sym.material.len()), (SecretKind::Symmetric, "HMAC/SHA-256", 32));
        assert_eq!(public_key_of(&sym, PublicKeyEncoding::Raw), Err(CryptoError::InvalidOperation));
        let kp = generate_record("Ed25519", true).unwrap();
        assert_eq!(kp.kind, SecretKind::Signatures);
        assert_eq!(public_key_of(&kp, PublicKeyEncoding::Raw).unwrap().len(), 32);
        assert_eq!(
            resolve_algorithm("x25519").unwrap(),
            ManagedAlgorithm { kind: SecretKind::KeyExchange, name: "X25519" }
        );
        assert_eq!(resolve_algorithm("nope"), Err(CryptoError::UnsupportedAlgorithm));
        let imported = import_record("HMAC/SHA-256", &[0x0b; 20], KeyPairEncoding::Raw, true).unwrap();
        assert_eq!(imported.material.as_slice(), &[0x0b; 20]);
    }
}
