//! PEM (RFC 7468) armour around the DER encodings.

use crate::error::{CryptoError, Result};
use zeroize::Zeroizing;

/// The label of a SubjectPublicKeyInfo.
pub const PUBLIC_KEY: &str = "PUBLIC KEY";
/// The label of a PKCS#8 `PrivateKeyInfo`.
pub const PRIVATE_KEY: &str = "PRIVATE KEY";
/// The label of a PKCS#1 `RSAPrivateKey` (accepted on import).
pub const RSA_PRIVATE_KEY: &str = "RSA PRIVATE KEY";
/// The label of a PKCS#1 `RSAPublicKey` (accepted on import).
pub const RSA_PUBLIC_KEY: &str = "RSA PUBLIC KEY";
/// The label of an RFC 5915 `ECPrivateKey` (accepted on import).
pub const EC_PRIVATE_KEY: &str = "EC PRIVATE KEY";

/// Decodes a PEM document whose label is one of `labels`; `invalid_key` otherwise.
pub fn decode(pem: &[u8], labels: &[&str]) -> Result<(&'static str, Zeroizing<Vec<u8>>)> {
    let (label, der) = pem_rfc7468::decode_vec(pem).map_err(|_| CryptoError::InvalidKey)?;
    let der = Zeroizing::new(der);
    let label = labels.iter().find(|l| **l == label).ok_or(CryptoError::InvalidKey)?;
    let label: &'static str = match *label {
        PUBLIC_KEY => PUBLIC_KEY,
        PRIVATE_KEY => PRIVATE_KEY,
        RSA_PRIVATE_KEY => RSA_PRIVATE_KEY,
        RSA_PUBLIC_KEY => RSA_PUBLIC_KEY,
        EC_PRIVATE_KEY => EC_PRIVATE_KEY,
        _ => return Err(CryptoError::InvalidKey),
    };
    Ok((label, der))
}

/// Encodes DER as PEM with LF line endings.
pub fn encode(label: &str, der: &[u8]) -> Result<Vec<u8>> {
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der)
        .map(String::into_bytes)
        .map_err(|_| CryptoError::InternalError)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_label_check() {
        let pem = encode(PUBLIC_KEY, b"\x30\x00").unwrap();
        assert!(pem.starts_with(b"-----BEGIN PUBLIC KEY-----\n"));
        let (label, der) = decode(&pem, &[PUBLIC_KEY]).unwrap();
        assert_eq!((label, der.as_slice()), (PUBLIC_KEY, &b"\x30\x00"[..]));
        assert_eq!(decode(&pem, &[PRIVATE_KEY]).err(), Some(CryptoError::InvalidKey));
        assert_eq!(decode(b"garbage", &[PUBLIC_KEY]).err(), Some(CryptoError::InvalidKey));
    }
}
