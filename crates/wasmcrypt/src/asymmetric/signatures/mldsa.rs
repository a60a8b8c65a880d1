//! ML-DSA-44/65/87 (FIPS 204, pure, empty context, hedged signing), backed by aws-lc-rs.
//!
//! Encodings: the `raw` public key and signature are FIPS 204's `pkEncode` and `sigEncode`; the
//! `raw` secret key (and key pair) is the 32-byte seed ξ. `pkcs8` follows
//! draft-ietf-lamps-dilithium-certificates: the SPKI holds the raw public key under
//! `id-ml-dsa-*` with no parameters; the private key is exported in the `seed` form
//! (`[0] IMPLICIT OCTET STRING (SIZE (32))`), and imported in the `seed` form or the `both`
//! form (`SEQUENCE { seed, expandedKey }`, the expanded key checked against the seed). The
//! `expandedKey`-only form is refused with `invalid_key`: this host's secret key is the seed.

use crate::asymmetric::asn1::{self, OID_ML_DSA_44, OID_ML_DSA_65, OID_ML_DSA_87};
use crate::asymmetric::scheme::{Footprint, SignatureScheme, SigningKey, VerifyingKey};
use crate::asymmetric::{PublicKeyEncoding, SecretKeyEncoding};
use crate::error::{CryptoError, Result};
use aws_lc_rs::encoding::{AsRawBytes, PqdsaPrivateKeyRaw};
use aws_lc_rs::signature::{self, KeyPair, ParsedPublicKey, PqdsaKeyPair, PqdsaSigningAlgorithm};
use der::asn1::ObjectIdentifier;
use der::{Decode, Reader, SliceReader};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The length of the seed ξ (the `raw` secret key).
pub const SEED_LEN: usize = 32;
/// The `[0] IMPLICIT OCTET STRING (SIZE (32))` header of the seed form of a PKCS#8 private key.
const SEED_HEADER: [u8; 2] = [0x80, 0x20];

/// An ML-DSA parameter set (FIPS 204).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MlDsaLevel {
    /// ML-DSA-44.
    MlDsa44,
    /// ML-DSA-65.
    MlDsa65,
    /// ML-DSA-87.
    MlDsa87,
}

impl MlDsaLevel {
    fn signing(self) -> &'static PqdsaSigningAlgorithm {
        match self {
            Self::MlDsa44 => &signature::ML_DSA_44_SIGNING,
            Self::MlDsa65 => &signature::ML_DSA_65_SIGNING,
            Self::MlDsa87 => &signature::ML_DSA_87_SIGNING,
        }
    }

    fn verification(self) -> &'static signature::PqdsaVerificationAlgorithm {
        match self {
            Self::MlDsa44 => &signature::ML_DSA_44,
            Self::MlDsa65 => &signature::ML_DSA_65,
            Self::MlDsa87 => &signature::ML_DSA_87,
        }
    }

    fn oid(self) -> ObjectIdentifier {
        match self {
            Self::MlDsa44 => OID_ML_DSA_44,
            Self::MlDsa65 => OID_ML_DSA_65,
            Self::MlDsa87 => OID_ML_DSA_87,
        }
    }

    /// (public key, signature) lengths of FIPS 204 table 2.
    const fn lengths(self) -> (usize, usize) {
        match self {
            Self::MlDsa44 => (1312, 2420),
            Self::MlDsa65 => (1952, 3309),
            Self::MlDsa87 => (2592, 4627),
        }
    }
}

/// ML-DSA at one parameter set.
pub struct MlDsa(pub MlDsaLevel);

impl SignatureScheme for MlDsa {
    fn generate(&self) -> Result<Box<dyn SigningKey>> {
        let mut seed = Zeroizing::new([0u8; SEED_LEN]);
        crate::random::fill(seed.as_mut())?;
        Ok(Box::new(MlDsaSecret::from_seed(self.0, seed)?))
    }

    fn import_secret(&self, encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Box<dyn SigningKey>> {
        Ok(Box::new(MlDsaSecret::import(self.0, encoded, encoding)?))
    }

    fn import_public(&self, encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Box<dyn VerifyingKey>> {
        Ok(Box::new(MlDsaPublic::import(self.0, encoded, encoding)?))
    }

    fn signature_len(&self) -> usize {
        self.0.lengths().1
    }

    fn der_scalar_len(&self) -> Option<usize> {
        None
    }

    /// The backend keeps the expanded secret key (2.5–4.8 KiB) with the seed, the public key
    /// and its precomputed hash tr; a public key keeps its encoding twice (ours and the
    /// backend's) plus the backend's key object.
    fn footprint(&self) -> Footprint {
        let (pk, _) = self.0.lengths();
        Footprint { secret: 4 * pk + 4096, public: 2 * pk + 1024 }
    }
}

/// An ML-DSA secret key: the seed and the aws-lc-rs key pair expanded from it.
pub struct MlDsaSecret {
    level: MlDsaLevel,
    seed: Zeroizing<[u8; SEED_LEN]>,
    key: PqdsaKeyPair,
}

/// An ML-DSA public key, parsed.
pub struct MlDsaPublic {
    level: MlDsaLevel,
    raw: Vec<u8>,
    parsed: ParsedPublicKey,
}

/// The private key of a PKCS#8 document: (seed, expanded key of the `both` form).
fn decode_private_key(private_key: &[u8]) -> Result<(&[u8], Option<&[u8]>)> {
    if let Some(seed) = private_key.strip_prefix(&SEED_HEADER) {
        return Ok((seed, None));
    }
    fn both<'a>(r: &mut SliceReader<'a>) -> der::Result<(&'a [u8], &'a [u8])> {
        r.sequence(|r| {
            let seed = <&der::asn1::OctetStringRef>::decode(r)?;
            let expanded = <&der::asn1::OctetStringRef>::decode(r)?;
            Ok((seed.as_bytes(), expanded.as_bytes()))
        })
    }
    let mut reader = SliceReader::new(private_key).map_err(|_| CryptoError::InvalidKey)?;
    let (seed, expanded) = both(&mut reader).map_err(|_| CryptoError::InvalidKey)?;
    reader.finish().map_err(|_| CryptoError::InvalidKey)?;
    Ok((seed, Some(expanded)))
}

impl MlDsaSecret {
    fn from_seed(level: MlDsaLevel, seed: Zeroizing<[u8; SEED_LEN]>) -> Result<Self> {
        let key = PqdsaKeyPair::from_seed(level.signing(), seed.as_ref()).map_err(|_| CryptoError::InvalidKey)?;
        Ok(Self { level, seed, key })
    }

    /// Imports the `raw` seed or a `pkcs8` document (`seed` or `both` form).
    fn import(level: MlDsaLevel, encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Self> {
        let (seed, expanded, public) = match encoding {
            SecretKeyEncoding::Raw => (encoded, None, None),
            SecretKeyEncoding::Pkcs8 => {
                let info = asn1::pkcs8_decode(encoded)?;
                if info.oid != level.oid() || info.has_parameters {
                    return Err(CryptoError::InvalidKey);
                }
                let (seed, expanded) = decode_private_key(info.private_key)?;
                (seed, expanded, info.public_key)
            }
            SecretKeyEncoding::Pem | SecretKeyEncoding::Sec | SecretKeyEncoding::Local => {
                return Err(CryptoError::UnsupportedEncoding);
            }
        };
        let seed: [u8; SEED_LEN] = seed.try_into().map_err(|_| CryptoError::InvalidKey)?;
        let secret = Self::from_seed(level, Zeroizing::new(seed))?;
        if let Some(expanded) = expanded {
            let ours: PqdsaPrivateKeyRaw =
                secret.key.private_key().as_raw_bytes().map_err(|_| CryptoError::InvalidKey)?;
            if !bool::from(ours.as_ref().ct_eq(expanded)) {
                return Err(CryptoError::InvalidKey);
            }
        }
        if public.is_some_and(|pk| pk != secret.key.public_key().as_ref()) {
            return Err(CryptoError::InvalidKey);
        }
        Ok(secret)
    }
}

impl SigningKey for MlDsaSecret {
    /// Exports the `raw` seed or a `pkcs8` document in the `seed` form.
    fn export(&self, encoding: SecretKeyEncoding) -> Result<Zeroizing<Vec<u8>>> {
        match encoding {
            SecretKeyEncoding::Raw => Ok(Zeroizing::new(self.seed.to_vec())),
            SecretKeyEncoding::Pkcs8 => {
                let mut private_key = Zeroizing::new(SEED_HEADER.to_vec());
                private_key.extend_from_slice(self.seed.as_ref());
                asn1::pkcs8_encode(self.level.oid(), None, &private_key, None)
            }
            SecretKeyEncoding::Pem | SecretKeyEncoding::Sec | SecretKeyEncoding::Local => {
                Err(CryptoError::UnsupportedEncoding)
            }
        }
    }

    fn public_key(&self) -> Result<Box<dyn VerifyingKey>> {
        Ok(Box::new(MlDsaPublic::import(self.level, self.key.public_key().as_ref(), PublicKeyEncoding::Raw)?))
    }

    /// Signs `message` (hedged: fresh randomness in every signature).
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let mut sig = vec![0u8; self.level.lengths().1];
        let len = self.key.sign(message, &mut sig).map_err(|_| CryptoError::AlgorithmFailure)?;
        sig.truncate(len);
        Ok(sig)
    }
}

impl MlDsaPublic {
    /// Imports `raw` (`pkEncode`) or `pkcs8` (SubjectPublicKeyInfo).
    fn import(level: MlDsaLevel, encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Self> {
        let raw = match encoding {
            PublicKeyEncoding::Raw => encoded,
            PublicKeyEncoding::Pkcs8 => asn1::spki_expect(encoded, level.oid(), None)?,
            PublicKeyEncoding::Pem | PublicKeyEncoding::Sec | PublicKeyEncoding::Local => {
                return Err(CryptoError::UnsupportedEncoding);
            }
        };
        if raw.len() != level.lengths().0 {
            return Err(CryptoError::InvalidKey);
        }
        let parsed = ParsedPublicKey::new(level.verification(), raw).map_err(|_| CryptoError::InvalidKey)?;
        Ok(Self { level, raw: raw.to_vec(), parsed })
    }
}

impl VerifyingKey for MlDsaPublic {
    /// Exports `raw` or `pkcs8` (SubjectPublicKeyInfo).
    fn export(&self, encoding: PublicKeyEncoding) -> Result<Vec<u8>> {
        match encoding {
            PublicKeyEncoding::Raw => Ok(self.raw.clone()),
            PublicKeyEncoding::Pkcs8 => asn1::spki_encode(self.level.oid(), None, &self.raw),
            PublicKeyEncoding::Pem | PublicKeyEncoding::Sec | PublicKeyEncoding::Local => {
                Err(CryptoError::UnsupportedEncoding)
            }
        }
    }

    fn canonical(&self) -> &[u8] {
        &self.raw
    }

    /// Verifies a `sigEncode` signature over `message` (empty context).
    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        self.parsed.verify_sig(message, signature).map_err(|_| CryptoError::VerificationFailed)
    }
}
