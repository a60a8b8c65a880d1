//! The spec's key and signature encodings.

use crate::error::{CryptoError, Result};

/// `keypair_encoding`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyPairEncoding {
    /// Algorithm-specific raw bytes.
    Raw,
    /// PKCS#8 DER.
    Pkcs8,
    /// PKCS#8 PEM.
    Pem,
    /// The host's own format.
    Local,
}

/// `publickey_encoding`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PublicKeyEncoding {
    /// Algorithm-specific raw bytes.
    Raw,
    /// SubjectPublicKeyInfo DER.
    Pkcs8,
    /// SubjectPublicKeyInfo PEM.
    Pem,
    /// SEC1 point encoding.
    Sec,
    /// The host's own format.
    Local,
}

/// `secretkey_encoding`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretKeyEncoding {
    /// Algorithm-specific raw bytes.
    Raw,
    /// PKCS#8 DER.
    Pkcs8,
    /// PKCS#8 PEM.
    Pem,
    /// SEC1 private key.
    Sec,
    /// The host's own format.
    Local,
}

/// `signature_encoding`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureEncoding {
    /// Fixed-width raw bytes (r ‖ s for ECDSA).
    Raw,
    /// DER (ECDSA).
    Der,
}

impl KeyPairEncoding {
    /// Decodes the ABI value; `unsupported_encoding` for unknown values.
    pub fn from_raw(raw: u32) -> Result<Self> {
        Ok(match raw {
            0 => Self::Raw,
            1 => Self::Pkcs8,
            2 => Self::Pem,
            3 => Self::Local,
            _ => return Err(CryptoError::UnsupportedEncoding),
        })
    }
}

impl PublicKeyEncoding {
    /// Decodes the ABI value; `unsupported_encoding` for unknown values.
    pub fn from_raw(raw: u32) -> Result<Self> {
        Ok(match raw {
            0 => Self::Raw,
            1 => Self::Pkcs8,
            2 => Self::Pem,
            3 => Self::Sec,
            4 => Self::Local,
            _ => return Err(CryptoError::UnsupportedEncoding),
        })
    }
}

impl SecretKeyEncoding {
    /// Decodes the ABI value; `unsupported_encoding` for unknown values.
    pub fn from_raw(raw: u32) -> Result<Self> {
        Ok(match raw {
            0 => Self::Raw,
            1 => Self::Pkcs8,
            2 => Self::Pem,
            3 => Self::Sec,
            4 => Self::Local,
            _ => return Err(CryptoError::UnsupportedEncoding),
        })
    }
}

impl SignatureEncoding {
    /// Decodes the ABI value; `unsupported_encoding` for unknown values.
    pub fn from_raw(raw: u32) -> Result<Self> {
        Ok(match raw {
            0 => Self::Raw,
            1 => Self::Der,
            _ => return Err(CryptoError::UnsupportedEncoding),
        })
    }
}
