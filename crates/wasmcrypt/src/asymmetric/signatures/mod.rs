//! `wasi_ephemeral_crypto_signatures`: signature objects, signing and verification states.
//!
//! States accumulate the data absorbed so far; every `sign` / `verify` covers all of it and the
//! state stays usable. Signatures are kept in their fixed-width raw form (r‖s for ECDSA).

pub(crate) mod ecdsa;
pub(crate) mod ed25519ph;
pub(crate) mod ed448;
pub(crate) mod eddsa;
pub(crate) mod mldsa;
pub(crate) mod rsa;
pub(crate) mod secp256k1;

use super::SignatureEncoding;
use super::algorithm::{AsymmetricAlgorithm as A, Scheme};
use super::asn1;
use super::keys::{KeyPair, Public, PublicKey, SecretKey};
use crate::budget::Buffered;
use crate::ctx::CryptoCtx;
use crate::error::{CryptoError, Result};
use crate::handles::{ARC_OVERHEAD, Handle};
use crate::options::AlgorithmType;
use std::sync::Arc;

/// A signature: its algorithm and its raw (fixed-width) bytes.
pub struct Signature {
    alg: A,
    raw: Vec<u8>,
}

impl Signature {
    /// Imports an encoded signature; `invalid_signature` if it cannot be decoded for `alg`,
    /// `unsupported_encoding` for `der` on algorithms other than ECDSA.
    pub fn import(alg: A, encoded: &[u8], encoding: SignatureEncoding) -> Result<Self> {
        let Scheme::Signature(scheme) = alg.scheme() else {
            return Err(CryptoError::UnsupportedAlgorithm);
        };
        let raw_len = scheme.signature_len();
        // A DER ECDSA signature adds at most 9 bytes to r ‖ s; nothing longer is decoded.
        if encoded.len() > raw_len + 16 {
            return Err(CryptoError::InvalidSignature);
        }
        let raw = match (encoding, scheme.der_scalar_len()) {
            (SignatureEncoding::Raw, _) if encoded.len() == raw_len => encoded.to_vec(),
            (SignatureEncoding::Raw, _) => return Err(CryptoError::InvalidSignature),
            (SignatureEncoding::Der, Some(scalar_len)) => asn1::ecdsa_der_to_raw(encoded, scalar_len)?,
            (SignatureEncoding::Der, None) => return Err(CryptoError::UnsupportedEncoding),
        };
        Ok(Self { alg, raw })
    }

    /// The memory the signature occupies.
    pub(crate) fn footprint(&self) -> usize {
        self.raw.capacity()
    }

    /// Exports the signature: `raw`, or `der` for ECDSA.
    pub fn export(&self, encoding: SignatureEncoding) -> Result<Vec<u8>> {
        let der = match self.alg.scheme() {
            Scheme::Signature(scheme) => scheme.der_scalar_len().is_some(),
            Scheme::Kx(_) => false,
        };
        match (encoding, der) {
            (SignatureEncoding::Raw, _) => Ok(self.raw.clone()),
            (SignatureEncoding::Der, true) => asn1::ecdsa_raw_to_der(&self.raw),
            (SignatureEncoding::Der, false) => Err(CryptoError::UnsupportedEncoding),
        }
    }
}

/// A signing state: a key pair and the data absorbed so far.
pub struct SignatureState {
    kp: Arc<KeyPair>,
    data: Buffered,
}

impl SignatureState {
    /// The memory the state holds or pins, besides its buffered data: the key pair.
    pub(crate) fn footprint(&self) -> usize {
        size_of::<Self>() + ARC_OVERHEAD + self.kp.footprint()
    }

    fn sign(&self) -> Result<Signature> {
        let raw = match self.kp.secret().key() {
            SecretKey::Signature(k) => k.sign(&self.data)?,
            SecretKey::Kx(_) => return Err(CryptoError::InvalidOperation),
        };
        Ok(Signature { alg: self.kp.algorithm(), raw })
    }
}

/// A verification state: a public key and the data absorbed so far.
pub struct VerificationState {
    pk: Arc<Public>,
    data: Buffered,
}

impl VerificationState {
    /// The memory the state holds or pins, besides its buffered data: the public key.
    pub(crate) fn footprint(&self) -> usize {
        size_of::<Self>() + ARC_OVERHEAD + self.pk.footprint()
    }

    fn verify(&self, sig: &Signature) -> Result<()> {
        if sig.alg != self.pk.algorithm() {
            return Err(CryptoError::InvalidSignature);
        }
        match self.pk.key() {
            PublicKey::Signature(k) => k.verify(&self.data, &sig.raw),
            PublicKey::Kx(_) => Err(CryptoError::InvalidOperation),
        }
    }
}

impl CryptoCtx {
    /// `signature_export`.
    pub fn signature_export(&mut self, sig: Handle, encoding: SignatureEncoding) -> Result<Handle> {
        let bytes = self.handles.get::<Signature>(sig)?.export(encoding)?;
        self.output(bytes)
    }

    /// `signature_import`: `invalid_signature` for encodings longer than the algorithm's.
    pub fn signature_import(&mut self, alg: &str, encoded: &[u8], encoding: SignatureEncoding) -> Result<Handle> {
        self.reserve(encoded.len())?;
        let sig = Signature::import(A::signature_from_name(alg)?, encoded, encoding)?;
        self.handles.insert(sig)
    }

    /// `signature_state_open`: `invalid_operation` for a key-exchange key pair.
    pub fn signature_state_open(&mut self, kp: Handle) -> Result<Handle> {
        let kp = self.handles.get::<Arc<KeyPair>>(kp)?.clone();
        if kp.algorithm().algorithm_type() != AlgorithmType::Signatures {
            return Err(CryptoError::InvalidOperation);
        }
        self.handles.insert(Box::new(SignatureState { kp, data: Buffered::new(&self.budget) }))
    }

    /// `signature_state_update`: `overflow` if the data is longer than the context's input cap
    /// or does not fit its budget.
    pub fn signature_state_update(&mut self, state: Handle, data: &[u8]) -> Result<()> {
        self.handles.get_mut::<Box<SignatureState>>(state)?.data.extend(data)
    }

    /// `signature_state_sign`: signs everything absorbed so far; returns a signature handle.
    pub fn signature_state_sign(&mut self, state: Handle) -> Result<Handle> {
        let sig = self.handles.get::<Box<SignatureState>>(state)?.sign()?;
        self.handles.insert(sig)
    }

    /// `signature_state_close`.
    pub fn signature_state_close(&mut self, state: Handle) -> Result<()> {
        self.close::<Box<SignatureState>>(state)
    }

    /// `signature_verification_state_open`: `invalid_operation` for a key-exchange public key.
    pub fn signature_verification_state_open(&mut self, pk: Handle) -> Result<Handle> {
        let pk = self.handles.get::<Arc<Public>>(pk)?.clone();
        if pk.algorithm().algorithm_type() != AlgorithmType::Signatures {
            return Err(CryptoError::InvalidOperation);
        }
        self.handles.insert(Box::new(VerificationState { pk, data: Buffered::new(&self.budget) }))
    }

    /// `signature_verification_state_update`: `overflow` if the data is longer than the
    /// context's input cap or does not fit its budget.
    pub fn signature_verification_state_update(&mut self, state: Handle, data: &[u8]) -> Result<()> {
        self.handles.get_mut::<Box<VerificationState>>(state)?.data.extend(data)
    }

    /// `signature_verification_state_verify`: `verification_failed` for a wrong signature,
    /// `invalid_signature` for a signature of another algorithm.
    pub fn signature_verification_state_verify(&mut self, state: Handle, sig: Handle) -> Result<()> {
        let state = self.handles.get::<Box<VerificationState>>(state)?;
        state.verify(self.handles.get::<Signature>(sig)?)
    }

    /// `signature_verification_state_close`.
    pub fn signature_verification_state_close(&mut self, state: Handle) -> Result<()> {
        self.close::<Box<VerificationState>>(state)
    }

    /// `signature_close`.
    pub fn signature_close(&mut self, sig: Handle) -> Result<()> {
        self.close::<Signature>(sig)
    }
}
