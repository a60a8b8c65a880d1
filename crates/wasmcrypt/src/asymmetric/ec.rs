//! Helpers shared by the short-Weierstrass families (ECDSA and ECDH): curve identifiers, SEC1
//! points and their SubjectPublicKeyInfo wrapping.

use super::asn1::{self, OID_EC_PUBLIC_KEY, OID_K256, OID_P256, OID_P384};
use crate::asymmetric::PublicKeyEncoding;
use crate::error::{CryptoError, Result};
use aws_lc_rs::agreement;
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::signature::{self, EcdsaSigningAlgorithm, EcdsaVerificationAlgorithm, ParsedPublicKey};
use der::asn1::ObjectIdentifier;

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
    pub const fn scalar_len(self) -> usize {
        match self {
            Self::P256 | Self::K256 => 32,
            Self::P384 => 48,
        }
    }
}

/// The named-curve OID.
pub fn curve_oid(curve: Curve) -> ObjectIdentifier {
    match curve {
        Curve::P256 => OID_P256,
        Curve::P384 => OID_P384,
        Curve::K256 => OID_K256,
    }
}

/// The aws-lc-rs fixed-width (r‖s) ECDSA verification algorithm of a NIST curve.
pub fn verification_alg(curve: Curve) -> Result<&'static EcdsaVerificationAlgorithm> {
    match curve {
        Curve::P256 => Ok(&signature::ECDSA_P256_SHA256_FIXED),
        Curve::P384 => Ok(&signature::ECDSA_P384_SHA384_FIXED),
        Curve::K256 => Err(CryptoError::InternalError),
    }
}

/// The aws-lc-rs fixed-width (r‖s) ECDSA signing algorithm of a NIST curve.
pub fn signing_alg(curve: Curve) -> Result<&'static EcdsaSigningAlgorithm> {
    match curve {
        Curve::P256 => Ok(&signature::ECDSA_P256_SHA256_FIXED_SIGNING),
        Curve::P384 => Ok(&signature::ECDSA_P384_SHA384_FIXED_SIGNING),
        Curve::K256 => Err(CryptoError::InternalError),
    }
}

/// The aws-lc-rs ECDH algorithm of a NIST curve.
pub fn agreement_alg(curve: Curve) -> Result<&'static agreement::Algorithm> {
    match curve {
        Curve::P256 => Ok(&agreement::ECDH_P256),
        Curve::P384 => Ok(&agreement::ECDH_P384),
        Curve::K256 => Err(CryptoError::InternalError),
    }
}

/// Checks the shape of a SEC1 point: a compressed (02/03) or uncompressed (04) encoding of the
/// right length. The identity (00) and hybrid (06/07) forms are rejected.
pub fn check_sec1_shape(curve: Curve, point: &[u8]) -> Result<()> {
    let n = curve.scalar_len();
    match (point.first(), point.len()) {
        (Some(0x02 | 0x03), len) if len == n + 1 => Ok(()),
        (Some(0x04), len) if len == 2 * n + 1 => Ok(()),
        _ => Err(CryptoError::InvalidKey),
    }
}

/// Compresses an uncompressed SEC1 point.
pub fn compress(uncompressed: &[u8]) -> Vec<u8> {
    let coords = uncompressed.get(1..).unwrap_or(&[]);
    let (x, y) = coords.split_at(coords.len() / 2);
    let mut out = Vec::with_capacity(x.len() + 1);
    out.push(0x02 | (y.last().copied().unwrap_or(0) & 1));
    out.extend_from_slice(x);
    out
}

/// A validated public point on a NIST curve, kept parsed for verification, with its
/// uncompressed encoding.
pub struct NistPoint {
    /// The aws-lc-rs key, parsed once.
    pub parsed: ParsedPublicKey,
    /// The uncompressed SEC1 encoding.
    pub uncompressed: Vec<u8>,
}

/// Parses and validates a SEC1 point (compressed or uncompressed) on P-256 or P-384.
pub fn parse_nist_point(curve: Curve, point: &[u8]) -> Result<NistPoint> {
    check_sec1_shape(curve, point)?;
    let parsed = ParsedPublicKey::new(verification_alg(curve)?, point).map_err(|_| CryptoError::InvalidKey)?;
    let uncompressed = if point.first() == Some(&0x04) {
        point.to_vec()
    } else {
        let spki = parsed.as_der().map_err(|_| CryptoError::InvalidKey)?;
        asn1::spki_expect(spki.as_ref(), OID_EC_PUBLIC_KEY, Some(curve_oid(curve)))?.to_vec()
    };
    Ok(NistPoint { parsed, uncompressed })
}

/// Extracts the SEC1 point of an EC public key in any supported import encoding.
pub fn point_from_encoding(curve: Curve, encoded: &[u8], encoding: PublicKeyEncoding) -> Result<&[u8]> {
    match encoding {
        PublicKeyEncoding::Raw | PublicKeyEncoding::Sec => Ok(encoded),
        PublicKeyEncoding::Pkcs8 => asn1::spki_expect(encoded, OID_EC_PUBLIC_KEY, Some(curve_oid(curve))),
        PublicKeyEncoding::Pem | PublicKeyEncoding::Local => Err(CryptoError::UnsupportedEncoding),
    }
}

/// Encodes an uncompressed point: `raw` compressed, `sec` uncompressed, `pkcs8` as SPKI.
pub fn export_point(curve: Curve, uncompressed: &[u8], encoding: PublicKeyEncoding) -> Result<Vec<u8>> {
    match encoding {
        PublicKeyEncoding::Raw => Ok(compress(uncompressed)),
        PublicKeyEncoding::Sec => Ok(uncompressed.to_vec()),
        PublicKeyEncoding::Pkcs8 => asn1::spki_encode(OID_EC_PUBLIC_KEY, Some(curve_oid(curve)), uncompressed),
        PublicKeyEncoding::Pem | PublicKeyEncoding::Local => Err(CryptoError::UnsupportedEncoding),
    }
}
