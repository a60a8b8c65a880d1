//! X-Wing (draft-connolly-cfrg-xwing-kem-06: ML-KEM-768 + X25519), assembled from this host's
//! fast parts: the seed is expanded once at import (SHAKE256 → ML-KEM seed d‖z and X25519
//! scalar), ML-KEM-768 and X25519 run on aws-lc-rs, the combiner is SHA3-256 (aws-lc-rs).
//! Secret keys are the 32-byte seed. The draft's test vectors pass (tests/asymmetric_kem_vectors.rs).
//!
//! Like the reference code, a low-order X25519 component is not refused: its all-zero X25519
//! output (which aws-lc-rs refuses to return) is recomputed with `curve25519-dalek`.

use super::mlkem::MlKemLevel;
use super::mlkem::{self, MlKemPublic, MlKemSecret};
use crate::asymmetric::asn1::{self, OID_X_WING};
use crate::asymmetric::scheme::{Footprint, KxPublicKey, KxScheme, KxSecretKey};
use crate::asymmetric::{PublicKeyEncoding, SecretKeyEncoding};
use crate::error::{CryptoError, Result};
use aws_lc_rs::agreement::{self, PrivateKey, UnparsedPublicKey, X25519};
use aws_lc_rs::digest::{Context, SHA3_256};
use curve25519_dalek::montgomery::MontgomeryPoint;
use shake::{ExtendableOutput, Shake256, Update, XofReader};
use zeroize::Zeroizing;

/// X-Wing.
pub struct XWing;

impl KxScheme for XWing {
    fn generate(&self) -> Result<Box<dyn KxSecretKey>> {
        Ok(Box::new(XWingSecret::generate()?))
    }

    fn import_secret(&self, encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Box<dyn KxSecretKey>> {
        Ok(Box::new(XWingSecret::import(encoded, encoding)?))
    }

    fn import_public(&self, encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Box<dyn KxPublicKey>> {
        Ok(Box::new(XWingPublic::import(encoded, encoding)?))
    }

    fn is_kem(&self) -> bool {
        true
    }

    /// ML-KEM-768 plus an X25519 key.
    fn footprint(&self) -> Footprint {
        let mlkem = MlKemLevel::MlKem768.footprint();
        Footprint { secret: mlkem.secret + 1024, public: mlkem.public + 256 }
    }
}

impl KxSecretKey for XWingSecret {
    fn export(&self, encoding: SecretKeyEncoding) -> Result<Zeroizing<Vec<u8>>> {
        XWingSecret::export(self, encoding)
    }

    fn public_key(&self) -> Result<Box<dyn KxPublicKey>> {
        Ok(Box::new(XWingSecret::public_key(self)?))
    }

    fn dh(&self, _peer: &dyn KxPublicKey) -> Result<Zeroizing<Vec<u8>>> {
        Err(CryptoError::InvalidOperation)
    }

    fn decapsulate(&self, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        XWingSecret::decapsulate(self, ciphertext)
    }
}

impl KxPublicKey for XWingPublic {
    fn export(&self, encoding: PublicKeyEncoding) -> Result<Vec<u8>> {
        XWingPublic::export(self, encoding)
    }

    fn canonical(&self) -> &[u8] {
        &self.raw
    }

    fn encapsulate(&self) -> Result<(Zeroizing<Vec<u8>>, Vec<u8>)> {
        XWingPublic::encapsulate(self)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// The length of a seed (the secret key).
pub const SEED_LEN: usize = 32;
/// The length of an ML-KEM-768 encapsulation key.
const ML_KEM_EK_LEN: usize = 1184;
/// The length of an ML-KEM-768 ciphertext.
const ML_KEM_CT_LEN: usize = 1088;
/// The length of an X-Wing ciphertext: ML-KEM-768 ciphertext ‖ X25519 ephemeral key.
pub const CIPHERTEXT_LEN: usize = ML_KEM_CT_LEN + 32;
/// The combiner's label, `\.//^\`.
const LABEL: &[u8; 6] = b"\\.//^\\";

/// An X-Wing decapsulation key: the seed and its expansion.
pub struct XWingSecret {
    seed: Zeroizing<[u8; SEED_LEN]>,
    mlkem: MlKemSecret,
    x_raw: Zeroizing<[u8; 32]>,
    x_key: PrivateKey,
    public: XWingPublic,
}

/// An X-Wing encapsulation key: ML-KEM-768 key ‖ X25519 key.
pub struct XWingPublic {
    mlkem: MlKemPublic,
    x: [u8; 32],
    raw: Vec<u8>,
}

/// X25519(scalar, point), all-zero output included.
fn x25519(key: &PrivateKey, raw: &[u8; 32], point: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    let fast = agreement::agree(key, UnparsedPublicKey::new(&X25519, point), (), |s| {
        <[u8; 32]>::try_from(s).map(Zeroizing::new).map_err(|_| ())
    });
    fast.unwrap_or_else(|()| Zeroizing::new(MontgomeryPoint(*point).mul_clamped(*raw).to_bytes()))
}

/// SHA3-256(ss_M ‖ ss_X ‖ ct_X ‖ pk_X ‖ label).
fn combine(ss_m: &[u8], ss_x: &[u8; 32], ct_x: &[u8], pk_x: &[u8; 32]) -> Zeroizing<Vec<u8>> {
    let mut h = Context::new(&SHA3_256);
    for part in [ss_m, ss_x, ct_x, pk_x, LABEL] {
        h.update(part);
    }
    Zeroizing::new(h.finish().as_ref().to_vec())
}

impl XWingSecret {
    /// Generates a key from a fresh random seed.
    pub fn generate() -> Result<Self> {
        let mut seed = Zeroizing::new([0u8; SEED_LEN]);
        crate::random::fill(seed.as_mut())?;
        Self::from_seed(seed)
    }

    fn from_seed(seed: Zeroizing<[u8; SEED_LEN]>) -> Result<Self> {
        let mut xof = Shake256::default();
        xof.update(seed.as_ref());
        let mut reader = xof.finalize_xof();
        let mut mlkem_seed = Zeroizing::new([0u8; mlkem::SEED_LEN]);
        let mut x_raw = Zeroizing::new([0u8; 32]);
        reader.read(mlkem_seed.as_mut());
        reader.read(x_raw.as_mut());
        let mlkem = MlKemSecret::from_seed(MlKemLevel::MlKem768, mlkem_seed)?;
        let x_key = PrivateKey::from_private_key(&X25519, x_raw.as_ref()).map_err(|_| CryptoError::InvalidKey)?;
        let x_pub = x_key.compute_public_key().map_err(|_| CryptoError::InternalError)?;
        let mut raw = mlkem.public_key()?.export(PublicKeyEncoding::Raw)?;
        raw.extend_from_slice(x_pub.as_ref());
        let public = XWingPublic::import(&raw, PublicKeyEncoding::Raw)?;
        Ok(Self { seed, mlkem, x_raw, x_key, public })
    }

    /// Imports a `raw` 32-byte seed or a `pkcs8` document whose private key is the raw seed
    /// (no inner ASN.1 wrapping, as the draft specifies).
    pub fn import(encoded: &[u8], encoding: SecretKeyEncoding) -> Result<Self> {
        let seed: &[u8] = match encoding {
            SecretKeyEncoding::Raw => encoded,
            SecretKeyEncoding::Pkcs8 => {
                let info = asn1::pkcs8_decode(encoded)?;
                if info.oid != OID_X_WING || info.has_parameters {
                    return Err(CryptoError::InvalidKey);
                }
                info.private_key
            }
            SecretKeyEncoding::Pem | SecretKeyEncoding::Sec | SecretKeyEncoding::Local => {
                return Err(CryptoError::UnsupportedEncoding);
            }
        };
        let seed: [u8; SEED_LEN] = seed.try_into().map_err(|_| CryptoError::InvalidKey)?;
        Self::from_seed(Zeroizing::new(seed))
    }

    /// Exports the `raw` seed or a `pkcs8` document.
    pub fn export(&self, encoding: SecretKeyEncoding) -> Result<Zeroizing<Vec<u8>>> {
        match encoding {
            SecretKeyEncoding::Raw => Ok(Zeroizing::new(self.seed.to_vec())),
            SecretKeyEncoding::Pkcs8 => asn1::pkcs8_encode(OID_X_WING, None, self.seed.as_ref(), None),
            SecretKeyEncoding::Pem | SecretKeyEncoding::Sec | SecretKeyEncoding::Local => {
                Err(CryptoError::UnsupportedEncoding)
            }
        }
    }

    /// The matching encapsulation key.
    pub fn public_key(&self) -> Result<XWingPublic> {
        XWingPublic::import(&self.public.raw, PublicKeyEncoding::Raw)
    }

    /// Decapsulates; `verification_failed` if the ciphertext has the wrong length.
    pub fn decapsulate(&self, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        if ciphertext.len() != CIPHERTEXT_LEN {
            return Err(CryptoError::VerificationFailed);
        }
        let (ct_m, ct_x) = ciphertext.split_at(ML_KEM_CT_LEN);
        let ct_x: &[u8; 32] = ct_x.try_into().map_err(|_| CryptoError::VerificationFailed)?;
        let ss_m = self.mlkem.decapsulate(ct_m)?;
        let ss_x = x25519(&self.x_key, &self.x_raw, ct_x);
        Ok(combine(&ss_m, &ss_x, ct_x, &self.public.x))
    }
}

impl XWingPublic {
    /// Imports `raw` (1216 bytes) or `pkcs8` (SubjectPublicKeyInfo).
    pub fn import(encoded: &[u8], encoding: PublicKeyEncoding) -> Result<Self> {
        let raw = match encoding {
            PublicKeyEncoding::Raw => encoded,
            PublicKeyEncoding::Pkcs8 => asn1::spki_expect(encoded, OID_X_WING, None)?,
            PublicKeyEncoding::Pem | PublicKeyEncoding::Sec | PublicKeyEncoding::Local => {
                return Err(CryptoError::UnsupportedEncoding);
            }
        };
        let (m, x) = raw.split_at_checked(ML_KEM_EK_LEN).ok_or(CryptoError::InvalidKey)?;
        let x: [u8; 32] = x.try_into().map_err(|_| CryptoError::InvalidKey)?;
        let mlkem = MlKemPublic::import(MlKemLevel::MlKem768, m, PublicKeyEncoding::Raw)?;
        Ok(Self { mlkem, x, raw: raw.to_vec() })
    }

    /// Exports `raw` or `pkcs8` (SubjectPublicKeyInfo).
    pub fn export(&self, encoding: PublicKeyEncoding) -> Result<Vec<u8>> {
        match encoding {
            PublicKeyEncoding::Raw => Ok(self.raw.clone()),
            PublicKeyEncoding::Pkcs8 => asn1::spki_encode(OID_X_WING, None, &self.raw),
            PublicKeyEncoding::Pem | PublicKeyEncoding::Sec | PublicKeyEncoding::Local => {
                Err(CryptoError::UnsupportedEncoding)
            }
        }
    }

    /// Encapsulates a fresh secret: (shared secret, ciphertext ct_M ‖ ct_X).
    pub fn encapsulate(&self) -> Result<(Zeroizing<Vec<u8>>, Vec<u8>)> {
        let mut eph_raw = Zeroizing::new([0u8; 32]);
        crate::random::fill(eph_raw.as_mut())?;
        let eph = PrivateKey::from_private_key(&X25519, eph_raw.as_ref()).map_err(|_| CryptoError::AlgorithmFailure)?;
        let ct_x = eph.compute_public_key().map_err(|_| CryptoError::AlgorithmFailure)?;
        let ss_x = x25519(&eph, &eph_raw, &self.x);
        let (ss_m, mut ciphertext) = self.mlkem.encapsulate()?;
        ciphertext.extend_from_slice(ct_x.as_ref());
        let secret = combine(&ss_m, &ss_x, ct_x.as_ref(), &self.x);
        Ok((secret, ciphertext))
    }
}
