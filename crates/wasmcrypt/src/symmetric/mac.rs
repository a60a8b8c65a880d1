//! HMAC states (RustCrypto `hmac`): keyed once per key, cloned per state.

use super::algorithm::HashFunction;
use super::tag::TagBytes;
use crate::error::{CryptoError, Result};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Sha256, Sha512};

/// An HMAC computation, keyed.
#[derive(Clone)]
pub(crate) enum MacState {
    Sha256(Hmac<Sha256>),
    Sha512(Hmac<Sha512>),
}

impl MacState {
    /// Keys an HMAC; done once per key, states clone the result.
    pub(crate) fn new(hash: HashFunction, key: &[u8]) -> Result<Self> {
        match hash {
            HashFunction::Sha256 => Hmac::new_from_slice(key).map(Self::Sha256),
            HashFunction::Sha512 => Hmac::new_from_slice(key).map(Self::Sha512),
            HashFunction::Sha384 | HashFunction::Sha512_256 => return Err(CryptoError::UnsupportedAlgorithm),
        }
        .map_err(|_| CryptoError::InvalidKey)
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        match self {
            Self::Sha256(m) => m.update(data),
            Self::Sha512(m) => m.update(data),
        }
    }

    /// The MAC of everything absorbed so far; the state stays usable.
    pub(crate) fn tag(&self) -> TagBytes {
        match self {
            Self::Sha256(m) => TagBytes::new(&m.clone().finalize().into_bytes()),
            Self::Sha512(m) => TagBytes::new(&m.clone().finalize().into_bytes()),
        }
    }
}
