//! Host-side provisioning: building records for an operator tool (for example
//! `wasmcrypt keys`), which writes them to a store directly, with ids and export rules of its
//! choosing. Guests never reach these functions.

use super::{MAX_MANAGED_KEY_LEN, SecretKind, SecretRecord};
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
        AlgorithmType::KeyExchange | AlgorithmType::Symmetric => SecretKind::KeyExchange,
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

/// What guests may do with an operator's key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OperatorPolicy {
    /// Guests may export the key (`symmetric_key_export`, `keypair_export`, ...).
    pub exportable: bool,
    /// Guests may replace the id with a new version or invalidate it.
    pub guest_mutable: bool,
}

fn record(kind: SecretKind, name: &str, material: Zeroizing<Vec<u8>>, policy: OperatorPolicy) -> SecretRecord {
    SecretRecord {
        kind,
        algorithm: name.to_owned(),
        material,
        exportable: policy.exportable,
        expiration: None,
        guest_mutable: policy.guest_mutable,
    }
}

/// A record holding a freshly generated key of the algorithm.
pub fn generate_record(algorithm: &str, policy: OperatorPolicy) -> Result<SecretRecord> {
    match resolve(algorithm)? {
        Resolved::Symmetric(a) => {
            let key = SymmetricKey::generate(a)?;
            Ok(record(SecretKind::Symmetric, a.name(), Zeroizing::new(key.raw().to_vec()), policy))
        }
        Resolved::Asymmetric(a) => {
            let kp = KeyPair::generate(a)?;
            Ok(record(kind_of(a), a.name(), kp.export(KeyPairEncoding::Pkcs8)?, policy))
        }
    }
}

/// A record holding an imported key: raw bytes for a symmetric key (`invalid_key` beyond
/// [`MAX_MANAGED_KEY_LEN`]), a key pair in `encoding` otherwise.
pub fn import_record(
    algorithm: &str,
    encoded: &[u8],
    encoding: KeyPairEncoding,
    policy: OperatorPolicy,
) -> Result<SecretRecord> {
    match resolve(algorithm)? {
        Resolved::Symmetric(a) => {
            if encoded.len() > MAX_MANAGED_KEY_LEN {
                return Err(CryptoError::InvalidKey);
            }
            let key = SymmetricKey::import(a, encoded)?;
            Ok(record(SecretKind::Symmetric, a.name(), Zeroizing::new(key.raw().to_vec()), policy))
        }
        Resolved::Asymmetric(a) => {
            let kp = KeyPair::import(a, encoded, encoding)?;
            Ok(record(kind_of(a), a.name(), kp.export(KeyPairEncoding::Pkcs8)?, policy))
        }
    }
}

/// The public key of a key-pair record, in `encoding`; `invalid_operation` for a symmetric key
/// or an external secret.
pub fn public_key_of(record: &SecretRecord, encoding: PublicKeyEncoding) -> Result<Vec<u8>> {
    let alg_type = match record.kind {
        SecretKind::Signatures => AlgorithmType::Signatures,
        SecretKind::KeyExchange => AlgorithmType::KeyExchange,
        SecretKind::Symmetric | SecretKind::External => return Err(CryptoError::InvalidOperation),
    };
    let alg = AsymmetricAlgorithm::from_name(alg_type, &record.algorithm)?;
    KeyPair::import(alg, &record.material, KeyPairEncoding::Pkcs8)?.public().export(encoding)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_for_each_kind() {
        let sym = generate_record("hmac/sha-256", OperatorPolicy::default()).unwrap();
        assert_eq!((sym.kind, sym.algorithm.as_str(), sym.material.len()), (SecretKind::Symmetric, "HMAC/SHA-256", 32));
        assert_eq!((sym.exportable, sym.guest_mutable), (false, false), "operator keys are locked by default");
        assert_eq!(public_key_of(&sym, PublicKeyEncoding::Raw), Err(CryptoError::InvalidOperation));
        let open = OperatorPolicy { exportable: true, guest_mutable: true };
        let kp = generate_record("Ed25519", open).unwrap();
        assert_eq!((kp.exportable, kp.guest_mutable), (true, true));
        assert_eq!(kp.kind, SecretKind::Signatures);
        assert_eq!(public_key_of(&kp, PublicKeyEncoding::Raw).unwrap().len(), 32);
        assert_eq!(
            resolve_algorithm("x25519").unwrap(),
            ManagedAlgorithm { kind: SecretKind::KeyExchange, name: "X25519" }
        );
        assert_eq!(resolve_algorithm("nope"), Err(CryptoError::UnsupportedAlgorithm));
        let imported = import_record("HMAC/SHA-256", &[0x0b; 20], KeyPairEncoding::Raw, open).unwrap();
        assert_eq!(imported.material.as_slice(), &[0x0b; 20]);
        let long = vec![7u8; MAX_MANAGED_KEY_LEN + 1];
        assert_eq!(
            import_record("HMAC/SHA-256", &long, KeyPairEncoding::Raw, open).err(),
            Some(CryptoError::InvalidKey)
        );
        let longest = import_record("HMAC/SHA-256", &long[1..], KeyPairEncoding::Raw, open).unwrap();
        assert_eq!(longest.material.len(), MAX_MANAGED_KEY_LEN);
    }
}
