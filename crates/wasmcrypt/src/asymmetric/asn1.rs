//! DER containers shared by every family: SubjectPublicKeyInfo, PKCS#8 `PrivateKeyInfo`,
//! RFC 8410 `CurvePrivateKey`, and the ECDSA `Ecdsa-Sig-Value` ⇄ fixed-width r‖s conversion.
//!
//! Every decoder here rejects trailing data and non-canonical DER, and never panics.

use crate::error::{CryptoError, Result};
use der::asn1::{AnyRef, BitString, ObjectIdentifier, OctetString, OctetStringRef, UintRef};
use der::{Decode, Encode};
use pkcs8::{PrivateKeyInfoOwned, PrivateKeyInfoRef};
use spki::{AlgorithmIdentifier, SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use zeroize::Zeroizing;

/// `id-ecPublicKey` (RFC 5480).
pub const OID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// `secp256r1` / `prime256v1`.
pub const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
/// `secp384r1`.
pub const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
/// `secp256k1`.
pub const OID_K256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.10");
/// `id-Ed25519` (RFC 8410).
pub const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
/// `id-X25519` (RFC 8410).
pub const OID_X25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.110");
/// `id-alg-ml-kem-512`.
pub const OID_ML_KEM_512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.4.1");
/// `id-alg-ml-kem-768`.
pub const OID_ML_KEM_768: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.4.2");
/// `id-alg-ml-kem-1024`.
pub const OID_ML_KEM_1024: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.4.3");
/// `id-Ed448` (RFC 8410).
pub const OID_ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");
/// `id-X448` (RFC 8410).
pub const OID_X448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.111");
/// `id-ml-dsa-44` (FIPS 204, draft-ietf-lamps-dilithium-certificates).
pub const OID_ML_DSA_44: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.3.17");
/// `id-ml-dsa-65`.
pub const OID_ML_DSA_65: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.3.18");
/// `id-ml-dsa-87`.
pub const OID_ML_DSA_87: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.3.19");
/// X-Wing (draft-connolly-cfrg-xwing-kem).
pub const OID_X_WING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.62253.25722");

/// A decoded SubjectPublicKeyInfo: the algorithm OID, its parameters if they are an OID (named
/// curve), and the key bytes.
pub struct Spki<'a> {
    /// `algorithm.algorithm`.
    pub oid: ObjectIdentifier,
    /// `algorithm.parameters`, when it is an OBJECT IDENTIFIER.
    pub curve: Option<ObjectIdentifier>,
    /// Whether `algorithm.parameters` is present at all.
    pub has_parameters: bool,
    /// The `subjectPublicKey` bit string, which must have no unused bits.
    pub key: &'a [u8],
}

fn params_oid(params: Option<AnyRef<'_>>) -> Option<ObjectIdentifier> {
    params.and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
}

/// Decodes a SubjectPublicKeyInfo; `invalid_key` if it is malformed.
pub fn spki_decode(der: &[u8]) -> Result<Spki<'_>> {
    let spki = SubjectPublicKeyInfoRef::from_der(der).map_err(|_| CryptoError::InvalidKey)?;
    let key = spki.subject_public_key.as_bytes().ok_or(CryptoError::InvalidKey)?;
    let parameters = spki.algorithm.parameters;
    Ok(Spki { oid: spki.algorithm.oid, curve: params_oid(parameters), has_parameters: parameters.is_some(), key })
}

/// Decodes a SubjectPublicKeyInfo and checks its algorithm and parameters: the named curve if
/// one is given, no parameters at all otherwise (RFC 8410, ML-KEM, X-Wing).
pub fn spki_expect(der: &[u8], oid: ObjectIdentifier, curve: Option<ObjectIdentifier>) -> Result<&[u8]> {
    let spki = spki_decode(der)?;
    if spki.oid != oid || spki.curve != curve || (curve.is_none() && spki.has_parameters) {
        return Err(CryptoError::InvalidKey);
    }
    Ok(spki.key)
}

fn algorithm(oid: ObjectIdentifier, curve: Option<ObjectIdentifier>) -> Result<AlgorithmIdentifier<der::Any>> {
    let parameters = curve.map(|c| der::Any::encode_from(&c)).transpose().map_err(|_| CryptoError::InternalError)?;
    Ok(AlgorithmIdentifier { oid, parameters })
}

/// Encodes a SubjectPublicKeyInfo.
pub fn spki_encode(oid: ObjectIdentifier, curve: Option<ObjectIdentifier>, key: &[u8]) -> Result<Vec<u8>> {
    let spki = SubjectPublicKeyInfoOwned {
        algorithm: algorithm(oid, curve)?,
        subject_public_key: BitString::from_bytes(key).map_err(|_| CryptoError::InternalError)?,
    };
    spki.to_der().map_err(|_| CryptoError::InternalError)
}

/// A decoded PKCS#8 `PrivateKeyInfo` (v1 or v2).
pub struct Pkcs8<'a> {
    /// `privateKeyAlgorithm.algorithm`.
    pub oid: ObjectIdentifier,
    /// Whether `privateKeyAlgorithm.parameters` is present at all.
    pub has_parameters: bool,
    /// The `privateKey` octets.
    pub private_key: &'a [u8],
    /// The optional v2 `publicKey`.
    pub public_key: Option<&'a [u8]>,
}

/// Decodes a PKCS#8 `PrivateKeyInfo`; `invalid_key` if it is malformed.
pub fn pkcs8_decode(der: &[u8]) -> Result<Pkcs8<'_>> {
    let info = PrivateKeyInfoRef::from_der(der).map_err(|_| CryptoError::InvalidKey)?;
    let public_key = match info.public_key {
        Some(pk) => Some(pk.as_bytes().ok_or(CryptoError::InvalidKey)?),
        None => None,
    };
    Ok(Pkcs8 {
        oid: info.algorithm.oid,
        has_parameters: info.algorithm.parameters.is_some(),
        private_key: info.private_key.as_bytes(),
        public_key,
    })
}

/// Encodes a PKCS#8 v1 `PrivateKeyInfo` (v2 if a public key is given).
pub fn pkcs8_encode(
    oid: ObjectIdentifier,
    curve: Option<ObjectIdentifier>,
    private_key: &[u8],
    public_key: Option<&[u8]>,
) -> Result<Zeroizing<Vec<u8>>> {
    let mut info = PrivateKeyInfoOwned::new(
        algorithm(oid, curve)?,
        OctetString::new(private_key).map_err(|_| CryptoError::InternalError)?,
    );
    info.public_key = public_key.map(BitString::from_bytes).transpose().map_err(|_| CryptoError::InternalError)?;
    info.to_der().map(Zeroizing::new).map_err(|_| CryptoError::InternalError)
}

/// Decodes an RFC 8410 `CurvePrivateKey` (an OCTET STRING holding the raw `N`-byte key) from a
/// PKCS#8 document with the given algorithm OID.
pub fn curve_private_key_decode<const N: usize>(der: &[u8], oid: ObjectIdentifier) -> Result<Zeroizing<[u8; N]>> {
    let info = pkcs8_decode(der)?;
    if info.oid != oid || info.has_parameters {
        return Err(CryptoError::InvalidKey);
    }
    let inner = <&OctetStringRef>::from_der(info.private_key).map_err(|_| CryptoError::InvalidKey)?;
    let raw: [u8; N] = inner.as_bytes().try_into().map_err(|_| CryptoError::InvalidKey)?;
    Ok(Zeroizing::new(raw))
}

/// Encodes a raw key as an RFC 8410 PKCS#8 v1 document.
pub fn curve_private_key_encode(oid: ObjectIdentifier, raw: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let inner =
        Zeroizing::new(OctetStringRef::new(raw).and_then(|o| o.to_der()).map_err(|_| CryptoError::InternalError)?);
    pkcs8_encode(oid, None, &inner, None)
}

/// Converts a DER `Ecdsa-Sig-Value` (`SEQUENCE { r INTEGER, s INTEGER }`) to fixed-width
/// r‖s (each `scalar_len` bytes, left-padded); `invalid_signature` if the encoding is not strict
/// DER, an integer is negative, or a value is too long. A zero half (`INTEGER 0`) is accepted.
pub fn ecdsa_der_to_raw(der: &[u8], scalar_len: usize) -> Result<Vec<u8>> {
    let halves = Vec::<UintRef<'_>>::from_der(der).map_err(|_| CryptoError::InvalidSignature)?;
    if halves.len() != 2 {
        return Err(CryptoError::InvalidSignature);
    }
    let mut raw = vec![0u8; 2 * scalar_len];
    for (half, out) in halves.iter().zip(raw.chunks_exact_mut(scalar_len)) {
        // `UintRef` strips the sign pad but keeps a lone zero byte for the integer zero.
        let bytes = half.as_bytes();
        let start = out.len().checked_sub(bytes.len()).ok_or(CryptoError::InvalidSignature)?;
        out[start..].copy_from_slice(bytes);
    }
    Ok(raw)
}

/// Converts fixed-width r‖s to a DER `Ecdsa-Sig-Value`.
pub fn ecdsa_raw_to_der(raw: &[u8]) -> Result<Vec<u8>> {
    let (r, s) = raw.split_at(raw.len() / 2);
    let halves = [r, s].map(UintRef::new);
    let halves: Vec<UintRef<'_>> =
        halves.into_iter().collect::<der::Result<_>>().map_err(|_| CryptoError::InternalError)?;
    halves.to_der().map_err(|_| CryptoError::InternalError)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zero_half_round_trips_through_der() {
        // Found by the `decoders` fuzz target: r ‖ 0 exported as DER must import again.
        let mut raw = vec![0u8; 64];
        raw[31] = 7;
        let der = ecdsa_raw_to_der(&raw).unwrap();
        assert_eq!(der, [0x30, 0x06, 0x02, 0x01, 0x07, 0x02, 0x01, 0x00]);
        assert_eq!(ecdsa_der_to_raw(&der, 32).unwrap(), raw);
        assert_eq!(
            ecdsa_der_to_raw(&[0x30, 0x07, 0x02, 0x01, 0x07, 0x02, 0x02, 0x00, 0x01], 32),
            Err(CryptoError::InvalidSignature),
            "non-minimal"
        );
    }

    #[test]
    fn zero_halves_and_oversized_values() {
        let zeros = vec![0u8; 96];
        let der = ecdsa_raw_to_der(&zeros).unwrap();
        assert_eq!(der, [0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00]);
        assert_eq!(ecdsa_der_to_raw(&der, 48).unwrap(), zeros);
        // A full-width value with its top bit set gains a sign byte, and still fits.
        let ones = vec![0xffu8; 96];
        let der = ecdsa_raw_to_der(&ones).unwrap();
        assert_eq!(der[..5], [0x30, 0x66, 0x02, 0x31, 0x00]);
        assert_eq!(ecdsa_der_to_raw(&der, 48).unwrap(), ones);
        // A 48-byte value does not fit a 32-byte curve; three integers are no signature.
        assert_eq!(ecdsa_der_to_raw(&der, 32), Err(CryptoError::InvalidSignature));
        let three = [0x30, 0x09, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01];
        assert_eq!(ecdsa_der_to_raw(&three, 32), Err(CryptoError::InvalidSignature));
        let one = [0x30, 0x03, 0x02, 0x01, 0x01];
        assert_eq!(ecdsa_der_to_raw(&one, 32), Err(CryptoError::InvalidSignature));
    }

    #[test]
    fn ecdsa_der_round_trip_and_strictness() {
        let mut raw = vec![0u8; 64];
        raw[31] = 1;
        raw[32] = 0x80;
        let der = ecdsa_raw_to_der(&raw).unwrap();
        assert_eq!(der[..8], [0x30, 0x26, 0x02, 0x01, 0x01, 0x02, 0x21, 0x00]);
        assert_eq!(ecdsa_der_to_raw(&der, 32).unwrap(), raw);
        let bad = [
            vec![0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x81], // negative s
            vec![0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x01], // non-minimal r
            vec![0x30, 0x81, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01], // non-minimal length
            vec![0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00], // trailing byte
            vec![0x30, 0x05, 0x02, 0x01, 0x01, 0x02, 0x01],       // truncated
            vec![],
        ];
        for b in bad {
            assert_eq!(ecdsa_der_to_raw(&b, 32), Err(CryptoError::InvalidSignature), "{b:02x?}");
        }
    }

    #[test]
    fn spki_and_pkcs8_round_trip() {
        let spki = spki_encode(OID_ED25519, None, &[7; 32]).unwrap();
        assert_eq!(spki_expect(&spki, OID_ED25519, None).unwrap(), &[7; 32]);
        assert_eq!(spki_expect(&spki, OID_X25519, None), Err(CryptoError::InvalidKey));
        let p8 = curve_private_key_encode(OID_X25519, &[9; 32]).unwrap();
        assert_eq!(*curve_private_key_decode::<32>(&p8, OID_X25519).unwrap(), [9; 32]);
        assert_eq!(curve_private_key_decode::<32>(&p8, OID_ED25519).err(), Some(CryptoError::InvalidKey));
        assert_eq!(curve_private_key_decode::<56>(&p8, OID_X25519).err(), Some(CryptoError::InvalidKey));
        assert_eq!(pkcs8_decode(&p8[..p8.len() - 1]).err(), Some(CryptoError::InvalidKey));
    }
}
