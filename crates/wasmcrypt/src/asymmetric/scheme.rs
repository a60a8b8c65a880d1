//! The per-algorithm implementation traits behind the registry ([`super::algorithm`]), in the
//! spirit of rustls' `CryptoProvider`: a signature algorithm is one [`SignatureScheme`] value,
//! a key-exchange algorithm one [`KxScheme`] value, and their keys are trait objects. The
//! generic code (PEM, `local`, handles, budgets, states) never names a family.
//!
//! `pem` and `local` never reach these traits: PEM is unwrapped to the `pkcs8` (or `sec`) DER
//! encoding around them, and `local` is `unsupported_encoding` before.

use super::{PublicKeyEncoding, SecretKeyEncoding};
use crate::error::Result;
use std::any::Any;
use zeroize::Zeroizing;

/// The estimated memory of a secret key and of a public key of an algorithm, backend
/// structures included (charged to the context's budget before a key is made).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Footprint {
    /// Bytes held by a secret key.
    pub secret: usize,
    /// Bytes held by a public key.
    pub public: usize,
}

/// A signature algorithm: key generation and import, and the shape of its signatures.
pub trait SignatureScheme: Sync {
    /// Generates a secret key.
    fn generate(&self) -> Result<Box<dyn SigningKey>>;
    /// Imports a secret key (`raw`, `pkcs8` or `sec` DER); `unsupported_encoding` for encodings
    /// the algorithm has not, `invalid_key` for undecodable keys.
    fn import_secret(&self, encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Box<dyn SigningKey>>;
    /// Imports a public key (`raw`, `sec` or `pkcs8` DER).
    fn import_public(&self, encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Box<dyn VerifyingKey>>;
    /// Imports a `raw` key pair: by default the raw secret key.
    fn import_keypair_raw(&self, encoded: &[u8]) -> Result<Box<dyn SigningKey>> {
        self.import_secret(encoded, SecretKeyEncoding::Raw)
    }
    /// The length of a `raw` signature.
    fn signature_len(&self) -> usize;
    /// The scalar length of an ECDSA curve, for algorithms whose signatures also have a `der`
    /// encoding (`Ecdsa-Sig-Value`); `None` for the others.
    fn der_scalar_len(&self) -> Option<usize>;
    /// The memory its keys occupy.
    fn footprint(&self) -> Footprint;
}

/// A signing key.
pub trait SigningKey: Send + Sync {
    /// Exports the secret key (`raw`, `pkcs8` or `sec` DER).
    fn export(&self, encoding: SecretKeyEncoding) -> Result<Zeroizing<Vec<u8>>>;
    /// Exports a `raw` key pair: by default the raw secret key.
    fn export_keypair_raw(&self) -> Result<Zeroizing<Vec<u8>>> {
        self.export(SecretKeyEncoding::Raw)
    }
    /// The matching verifying key.
    fn public_key(&self) -> Result<Box<dyn VerifyingKey>>;
    /// Signs `message`; returns the `raw` signature.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>>;
}

/// A verifying key.
pub trait VerifyingKey: Send + Sync {
    /// Exports the public key (`raw`, `sec` or `pkcs8` DER).
    fn export(&self, encoding: PublicKeyEncoding) -> Result<Vec<u8>>;
    /// The canonical bytes of the key, to compare keys of one algorithm.
    fn canonical(&self) -> &[u8];
    /// `publickey_verify`: `invalid_key` for keys that decode but must not be used (small
    /// order). Keys are validated at import already by default.
    fn check(&self) -> Result<()> {
        Ok(())
    }
    /// Verifies a `raw` signature over `message`: `verification_failed` if it does not verify.
    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()>;
}

/// A key-exchange algorithm (Diffie-Hellman or KEM): key generation and import.
pub trait KxScheme: Sync {
    /// Generates a secret key.
    fn generate(&self) -> Result<Box<dyn KxSecretKey>>;
    /// Imports a secret key (`raw`, `pkcs8` or `sec` DER).
    fn import_secret(&self, encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Box<dyn KxSecretKey>>;
    /// Imports a public key (`raw`, `sec` or `pkcs8` DER).
    fn import_public(&self, encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Box<dyn KxPublicKey>>;
    /// Imports a `raw` key pair: by default the raw secret key.
    fn import_keypair_raw(&self, encoded: &[u8]) -> Result<Box<dyn KxSecretKey>> {
        self.import_secret(encoded, SecretKeyEncoding::Raw)
    }
    /// Whether the algorithm is a KEM (encapsulate / decapsulate) rather than a DH.
    fn is_kem(&self) -> bool;
    /// The memory its keys occupy.
    fn footprint(&self) -> Footprint;
}

/// A key-exchange secret key.
pub trait KxSecretKey: Send + Sync {
    /// Exports the secret key (`raw`, `pkcs8` or `sec` DER).
    fn export(&self, encoding: SecretKeyEncoding) -> Result<Zeroizing<Vec<u8>>>;
    /// Exports a `raw` key pair: by default the raw secret key.
    fn export_keypair_raw(&self) -> Result<Zeroizing<Vec<u8>>> {
        self.export(SecretKeyEncoding::Raw)
    }
    /// The matching public key.
    fn public_key(&self) -> Result<Box<dyn KxPublicKey>>;
    /// The DH shared secret with `peer`, a key of the same algorithm (`incompatible_keys`
    /// otherwise); `invalid_operation` for KEMs.
    fn dh(&self, peer: &dyn KxPublicKey) -> Result<Zeroizing<Vec<u8>>>;
    /// Decapsulates a KEM ciphertext; `invalid_operation` for DH algorithms.
    fn decapsulate(&self, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>>;
}

/// A key-exchange public key.
pub trait KxPublicKey: Send + Sync + Any {
    /// Exports the public key (`raw`, `sec` or `pkcs8` DER).
    fn export(&self, encoding: PublicKeyEncoding) -> Result<Vec<u8>>;
    /// The canonical bytes of the key, to compare keys of one algorithm.
    fn canonical(&self) -> &[u8];
    /// `publickey_verify` (see [`VerifyingKey::check`]).
    fn check(&self) -> Result<()> {
        Ok(())
    }
    /// Encapsulates a fresh secret: (shared secret, ciphertext); `invalid_operation` for DH
    /// algorithms.
    fn encapsulate(&self) -> Result<(Zeroizing<Vec<u8>>, Vec<u8>)>;
    /// The key as [`Any`], for a DH secret key to recover its peer's concrete type.
    fn as_any(&self) -> &dyn Any;
}

/// The peer key of a DH as the concrete type `T`; `incompatible_keys` if it is another type.
pub(crate) fn peer_as<T: KxPublicKey>(peer: &dyn KxPublicKey) -> Result<&T> {
    peer.as_any().downcast_ref::<T>().ok_or(crate::error::CryptoError::IncompatibleKeys)
}
