//! `wasi_ephemeral_crypto_asymmetric_common`, `_signatures` and `_kx`.
//!
//! | family | algorithms | backend |
//! |---|---|---|
//! | ECDSA | `ECDSA_P256_SHA256`, `ECDSA_P384_SHA384` | aws-lc-rs |
//! | ECDSA | `ECDSA_K256_SHA256` | `k256` |
//! | EdDSA | `Ed25519` | aws-lc-rs |
//! | EdDSA | `Ed448` | `ed448-goldilocks` |
//! | ML-DSA | `ML-DSA-44/65/87` | aws-lc-rs |
//! | RSA | `RSA_PKCS1_*`, `RSA_PSS_*` (2048/3072/4096) | aws-lc-rs |
//! | DH | `X25519`, `P256-SHA256`, `P384-SHA384` | aws-lc-rs |
//! | DH | `X448` | `x448` (on `ed448-goldilocks`) |
//! | KEM | `ML-KEM-512/768/1024` | aws-lc-rs (seed expansion: `ml-kem`) |
//! | KEM | `X-WING` | aws-lc-rs ML-KEM-768, X25519 and SHA3-256 (seed expansion: `shake`, `ml-kem`) |
//!
//! Encodings (`local` is `unsupported_encoding` everywhere):
//! - public keys: `raw` (Ed25519/X25519 32 bytes, Ed448 57, X448 56; EC compressed SEC1 on
//!   export, compressed or uncompressed on import; ML-KEM / X-Wing encapsulation key; ML-DSA
//!   FIPS 204 `pkEncode`), `sec` (EC, uncompressed on export), `pkcs8` (SubjectPublicKeyInfo;
//!   RSA also accepts PKCS#1), `pem`;
//! - secret keys: `raw` (EC scalar, Ed25519 seed, Ed448 57-byte key, X25519/X448 scalar,
//!   ML-KEM seed d‖z, X-Wing seed, ML-DSA 32-byte seed ξ), `sec` (EC: RFC 5915
//!   `ECPrivateKey`), `pkcs8` (RSA also accepts PKCS#1), `pem`;
//! - key pairs: `raw` (the secret key's raw form, except Ed25519/Ed448 sk ‖ pk and
//!   X25519/X448 pk ‖ sk, checked), `pkcs8`, `pem`; RSA has no `raw` form.
//! - signatures: `raw` for every algorithm (ECDSA r‖s, EdDSA R‖S, RSA modulus-sized, ML-DSA
//!   `sigEncode`), `der` for ECDSA only.
//!
//! Each algorithm is one line of the registry ([`SIGNATURE_ALGORITHMS`], [`KX_ALGORITHMS`])
//! naming a value that implements the `SignatureScheme` or `KxScheme` trait; nothing else in
//! this module names a family.
//!
//! ML-KEM `pkcs8` follows draft-ietf-lamps-kyber-certificates (seed form), ML-DSA `pkcs8`
//! draft-ietf-lamps-dilithium-certificates (seed form on export; seed or both on import),
//! Ed448 / X448 RFC 8410, X-Wing `pkcs8` draft-connolly-cfrg-xwing-kem (raw seed, OID
//! 1.3.6.1.4.1.62253.25722).
//!
//! Errors:
//! - undecodable keys, keys of another algorithm or size, off-curve points, mismatched `raw`
//!   key pairs (Ed25519, Ed448, X25519, X448), an all-zero X25519 / X448 shared secret:
//!   `invalid_key`;
//! - undecodable signatures, and signatures of another algorithm: `invalid_signature`;
//! - a signature that does not verify (every family): `verification_failed`;
//! - an algorithm name of another `algorithm_type`: `unsupported_algorithm`;
//! - key-exchange keys given to signature states, signature keys or KEM keys given to `kx_dh`,
//!   non-KEM keys given to `kx_encapsulate` / `kx_decapsulate`: `invalid_operation`;
//! - `kx_dh` on keys of different algorithms, `keypair_from_pk_and_sk` on keys that do not
//!   belong together: `incompatible_keys`;
//! - `kx_decapsulate` of a ciphertext of the wrong length: `verification_failed` (a
//!   well-formed wrong ML-KEM ciphertext gives FIPS 203's implicit-rejection secret).
//!
//! Managed key pairs: see [`crate::secrets`]. A non-exportable managed key pair gives
//! `prohibited_operation` on `keypair_export`; its `keypair_secretkey` is usable (`kx_dh`,
//! `kx_decapsulate`) but gives `prohibited_operation` on `secretkey_export`, as does any key
//! pair built on it.

mod algorithm;
mod asn1;
mod ec;
mod encoding;
mod keys;
mod kx;
mod pem;
mod scheme;
mod signatures;

pub use algorithm::{AsymmetricAlgorithm, KX_ALGORITHMS, Registered, SIGNATURE_ALGORITHMS, Tier, algorithms};
pub use encoding::{KeyPairEncoding, PublicKeyEncoding, SecretKeyEncoding, SignatureEncoding};
pub(crate) use keys::{KeyPair, Public, Secret};
pub(crate) use signatures::{Signature, SignatureState, VerificationState};

use crate::ctx::CryptoCtx;
use crate::error::{CryptoError, Result};
use crate::handles::{ARC_OVERHEAD, Handle};
use crate::options::AlgorithmType;
use std::sync::Arc;

/// The longest encoded key accepted on import, in any encoding: 64 KiB, well above the largest
/// key of this host (an RSA-4096 private key in PEM, about 3.3 KiB). Longer ones give
/// `invalid_key` before anything is decoded.
pub const MAX_ENCODED_KEY_LEN: usize = 64 * 1024;

impl CryptoCtx {
    /// Checks an encoded key before decoding it: `invalid_key` beyond [`MAX_ENCODED_KEY_LEN`],
    /// `overflow` beyond the context's input cap, or if a key of `footprint` bytes would not fit.
    fn check_key_input(&self, encoded: &[u8], footprint: usize) -> Result<()> {
        if encoded.len() > MAX_ENCODED_KEY_LEN {
            return Err(CryptoError::InvalidKey);
        }
        self.budget.check_input(encoded.len())?;
        self.reserve(footprint)
    }
}

impl CryptoCtx {
    /// `keypair_generate`. Signature and key-exchange algorithms take no options, but a valid
    /// options handle of the same type is accepted.
    pub fn keypair_generate(&mut self, alg_type: AlgorithmType, alg: &str, options: Option<Handle>) -> Result<Handle> {
        let alg = AsymmetricAlgorithm::from_name(alg_type, alg)?;
        self.options_of(options, alg_type)?;
        self.reserve(KeyPair::estimated_footprint(alg))?;
        let kp = KeyPair::generate(alg)?;
        self.handles.insert(Arc::new(kp))
    }

    /// `keypair_import`.
    pub fn keypair_import(
        &mut self,
        alg_type: AlgorithmType,
        alg: &str,
        encoded: &[u8],
        encoding: KeyPairEncoding,
    ) -> Result<Handle> {
        let alg = AsymmetricAlgorithm::from_name(alg_type, alg)?;
        self.check_key_input(encoded, KeyPair::estimated_footprint(alg))?;
        let kp = KeyPair::import(alg, encoded, encoding)?;
        self.handles.insert(Arc::new(kp))
    }

    /// `keypair_from_pk_and_sk`: `incompatible_keys` unless `pk` is the public key of `sk`.
    pub fn keypair_from_pk_and_sk(&mut self, pk: Handle, sk: Handle) -> Result<Handle> {
        let pk = self.handles.get::<Arc<Public>>(pk)?.clone();
        let sk = self.handles.get::<Arc<Secret>>(sk)?.clone();
        self.reserve(KeyPair::estimated_footprint(sk.algorithm()))?;
        let kp = KeyPair::from_parts(pk, sk)?;
        self.handles.insert(Arc::new(kp))
    }

    /// `keypair_export`.
    pub fn keypair_export(&mut self, kp: Handle, encoding: KeyPairEncoding) -> Result<Handle> {
        let kp = self.handles.get::<Arc<KeyPair>>(kp)?;
        if !kp.exportable() {
            return Err(CryptoError::ProhibitedOperation);
        }
        let mut bytes = kp.export(encoding)?;
        self.output(std::mem::take(&mut *bytes))
    }

    /// `keypair_publickey`.
    pub fn keypair_publickey(&mut self, kp: Handle) -> Result<Handle> {
        let pk = self.handles.get::<Arc<KeyPair>>(kp)?.public().clone();
        self.handles.insert(pk)
    }

    /// `keypair_secretkey`. The secret key of a non-exportable key pair is not exportable.
    pub fn keypair_secretkey(&mut self, kp: Handle) -> Result<Handle> {
        let kp = self.handles.get::<Arc<KeyPair>>(kp)?;
        if !kp.exportable() && kp.secret().exportable() {
            // Never hand out an exportable secret key of a non-exportable key pair.
            return Err(CryptoError::ProhibitedOperation);
        }
        let sk = kp.secret().clone();
        self.handles.insert(sk)
    }

    /// `keypair_close`. States opened with the key pair keep their own reference.
    pub fn keypair_close(&mut self, kp: Handle) -> Result<()> {
        self.close::<Arc<KeyPair>>(kp)
    }

    /// `publickey_import`.
    pub fn publickey_import(
        &mut self,
        alg_type: AlgorithmType,
        alg: &str,
        encoded: &[u8],
        encoding: PublicKeyEncoding,
    ) -> Result<Handle> {
        let alg = AsymmetricAlgorithm::from_name(alg_type, alg)?;
        self.check_key_input(encoded, ARC_OVERHEAD + size_of::<Public>() + alg.public_footprint())?;
        let pk = Public::import(alg, encoded, encoding)?;
        self.handles.insert(Arc::new(pk))
    }

    /// `publickey_export`.
    pub fn publickey_export(&mut self, pk: Handle, encoding: PublicKeyEncoding) -> Result<Handle> {
        let bytes = self.handles.get::<Arc<Public>>(pk)?.export(encoding)?;
        self.output(bytes)
    }

    /// `publickey_verify`: `invalid_key` for off-curve and small-order points.
    pub fn publickey_verify(&mut self, pk: Handle) -> Result<()> {
        self.handles.get::<Arc<Public>>(pk)?.check()
    }

    /// `publickey_from_secretkey`.
    pub fn publickey_from_secretkey(&mut self, sk: Handle) -> Result<Handle> {
        let secret = self.handles.get::<Arc<Secret>>(sk)?;
        self.reserve(ARC_OVERHEAD + size_of::<Public>() + secret.algorithm().public_footprint())?;
        let pk = self.handles.get::<Arc<Secret>>(sk)?.public_key()?;
        self.handles.insert(Arc::new(pk))
    }

    /// `publickey_close`.
    pub fn publickey_close(&mut self, pk: Handle) -> Result<()> {
        self.close::<Arc<Public>>(pk)
    }

    /// `secretkey_import`.
    pub fn secretkey_import(
        &mut self,
        alg_type: AlgorithmType,
        alg: &str,
        encoded: &[u8],
        encoding: SecretKeyEncoding,
    ) -> Result<Handle> {
        let alg = AsymmetricAlgorithm::from_name(alg_type, alg)?;
        self.check_key_input(encoded, ARC_OVERHEAD + size_of::<Secret>() + alg.secret_footprint())?;
        let sk = Secret::import(alg, encoded, encoding)?;
        self.handles.insert(Arc::new(sk))
    }

    /// `secretkey_export`: `prohibited_operation` for the secret key of a non-exportable key
    /// pair.
    pub fn secretkey_export(&mut self, sk: Handle, encoding: SecretKeyEncoding) -> Result<Handle> {
        let sk = self.handles.get::<Arc<Secret>>(sk)?;
        if !sk.exportable() {
            return Err(CryptoError::ProhibitedOperation);
        }
        let mut bytes = sk.export(encoding)?;
        self.output(std::mem::take(&mut *bytes))
    }

    /// `secretkey_close`.
    pub fn secretkey_close(&mut self, sk: Handle) -> Result<()> {
        self.close::<Arc<Secret>>(sk)
    }
}
