//! Expanded AES-GCM and ChaCha20-Poly1305 keys, each on the faster backend for this CPU.
//!
//! AES-GCM runs on aws-lc-rs where the CPU has VAES, VPCLMULQDQ and AVX-512 (AWS-LC's own
//! condition for its 512-bit AES-GCM code), and on ring elsewhere. Side by side on an AVX-512
//! Xeon, aws-lc-rs sealed 1 MiB in 71–75 µs and ring in 120–134 µs; on a Zen 3 without AVX-512,
//! ring's 256-bit VAES code is about twice as fast as aws-lc's fallback. aws-lc-rs can also seal
//! and open from one buffer into another, which saves copying the input first. ChaCha20-Poly1305
//! stays on ring (the two backends tie).

use super::aead::TAG_LEN;
use super::algorithm::AeadAlgorithm;
use super::inout::copy_in;
use crate::error::{CryptoError, Result};
use aws_lc_rs::aead as awslc;
use ring::aead as ring_aead;

/// A backend for AES-GCM.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AesGcmBackend {
    /// ring.
    Ring,
    /// aws-lc-rs.
    AwsLc,
}

impl AesGcmBackend {
    /// The crate's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ring => "ring",
            Self::AwsLc => "aws-lc-rs",
        }
    }
}

/// The backend AES-GCM keys use on this CPU: aws-lc-rs where it has its AVX-512 code, ring
/// otherwise. The CPU's features are read once per process (`std` caches them).
pub fn aes_gcm_backend() -> AesGcmBackend {
    #[cfg(target_arch = "x86_64")]
    {
        let avx512_gcm = std::arch::is_x86_feature_detected!("vaes")
            && std::arch::is_x86_feature_detected!("vpclmulqdq")
            && std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512dq")
            && std::arch::is_x86_feature_detected!("avx512bw")
            && std::arch::is_x86_feature_detected!("avx512vl");
        if avx512_gcm {
            return AesGcmBackend::AwsLc;
        }
    }
    AesGcmBackend::Ring
}

/// The longest key of a ring AEAD.
const MAX_RING_KEY_LEN: usize = 32;

#[expect(
    clippy::large_enum_variant,
    reason = "keys live behind an `Arc`; boxing ring's would add a pointer chase per seal"
)]
enum Schedule {
    Ring(ring_aead::LessSafeKey, &'static ring_aead::Algorithm),
    /// aws-lc-rs keeps the schedule in AWS-LC memory, which `OPENSSL_free` cleanses on drop.
    AwsLc(awslc::LessSafeKey),
}

/// An expanded AEAD key that is wiped when dropped.
///
/// ring's `LessSafeKey` holds the expanded key inline and has no `Drop`; ring offers no way to
/// clear it. `drop` therefore overwrites a ring schedule in place with the schedule of the
/// all-zero key (an assignment into the same memory, kept by `black_box` from being optimised
/// away), so the freed memory no longer holds anything derived from the key.
pub(crate) struct AeadKey {
    schedule: Schedule,
}

fn ring_algorithm(alg: AeadAlgorithm) -> &'static ring_aead::Algorithm {
    match alg {
        AeadAlgorithm::Aes128Gcm => &ring_aead::AES_128_GCM,
        AeadAlgorithm::Aes256Gcm => &ring_aead::AES_256_GCM,
        AeadAlgorithm::ChaCha20Poly1305 | AeadAlgorithm::XChaCha20Poly1305 => &ring_aead::CHACHA20_POLY1305,
    }
}

impl AeadKey {
    /// Expands `raw` for `alg` on the backend chosen for this CPU; `invalid_key` if its length
    /// does not fit. XChaCha20-Poly1305 takes its ChaCha20-Poly1305 subkey here.
    pub(crate) fn new(alg: AeadAlgorithm, raw: &[u8]) -> Result<Self> {
        let backend = match alg {
            AeadAlgorithm::Aes128Gcm | AeadAlgorithm::Aes256Gcm => aes_gcm_backend(),
            AeadAlgorithm::ChaCha20Poly1305 | AeadAlgorithm::XChaCha20Poly1305 => AesGcmBackend::Ring,
        };
        Self::on(backend, alg, raw)
    }

    /// Expands `raw` for `alg` on `backend` (AES-GCM only; ChaCha20-Poly1305 is always ring's).
    pub(crate) fn on(backend: AesGcmBackend, alg: AeadAlgorithm, raw: &[u8]) -> Result<Self> {
        let schedule = match (backend, alg) {
            (AesGcmBackend::AwsLc, AeadAlgorithm::Aes128Gcm | AeadAlgorithm::Aes256Gcm) => {
                let algorithm = if alg == AeadAlgorithm::Aes128Gcm { &awslc::AES_128_GCM } else { &awslc::AES_256_GCM };
                let key = awslc::UnboundKey::new(algorithm, raw).map_err(|_| CryptoError::InvalidKey)?;
                Schedule::AwsLc(awslc::LessSafeKey::new(key))
            }
            (AesGcmBackend::Ring | AesGcmBackend::AwsLc, _) => {
                let algorithm = ring_algorithm(alg);
                let key = ring_aead::UnboundKey::new(algorithm, raw).map_err(|_| CryptoError::InvalidKey)?;
                Schedule::Ring(ring_aead::LessSafeKey::new(key), algorithm)
            }
        };
        Ok(Self { schedule })
    }

    /// Overwrites a ring schedule with that of the all-zero key.
    fn wipe(&mut self) {
        if let Schedule::Ring(key, algorithm) = &mut self.schedule {
            let zeros = [0u8; MAX_RING_KEY_LEN];
            if let Some(zero_key) = zeros.get(..algorithm.key_len())
                && let Ok(zero_key) = ring_aead::UnboundKey::new(algorithm, zero_key)
            {
                *key = ring_aead::LessSafeKey::new(zero_key);
            }
            std::hint::black_box(key);
        }
    }

    /// Encrypts `output` in place, or `input` into `output` (of the same length) when given,
    /// and returns the tag.
    pub(crate) fn seal(
        &self,
        nonce: [u8; 12],
        aad: &[u8],
        input: Option<&[u8]>,
        output: &mut [u8],
    ) -> Result<[u8; TAG_LEN]> {
        let mut tag = [0u8; TAG_LEN];
        match &self.schedule {
            Schedule::AwsLc(key) => {
                let nonce = awslc::Nonce::assume_unique_for_key(nonce);
                let aad = awslc::Aad::from(aad);
                let sealed = match input {
                    Some(input) => key.seal_out_of_place_scatter(nonce, aad, input, output, &[], &mut tag),
                    None => key.seal_in_place_scatter(nonce, aad, output, &[], &mut tag),
                };
                sealed.map_err(|_| CryptoError::InvalidLength)?;
            }
            Schedule::Ring(key, _) => {
                copy_in(input, output)?;
                let nonce = ring_aead::Nonce::assume_unique_for_key(nonce);
                let sealed = key
                    .seal_in_place_separate_tag(nonce, ring_aead::Aad::from(aad), output)
                    .map_err(|_| CryptoError::InvalidLength)?;
                tag.copy_from_slice(sealed.as_ref());
            }
        }
        Ok(tag)
    }

    /// Decrypts `output` in place, or `input` into `output` when given, if `tag` authenticates
    /// it; `invalid_tag` otherwise, with `output` in an unspecified state (the caller zeroes it).
    pub(crate) fn open(
        &self,
        nonce: [u8; 12],
        aad: &[u8],
        input: Option<&[u8]>,
        output: &mut [u8],
        tag: &[u8; TAG_LEN],
    ) -> Result<()> {
        let opened = match &self.schedule {
            Schedule::AwsLc(key) => {
                let nonce = awslc::Nonce::assume_unique_for_key(nonce);
                let aad = awslc::Aad::from(aad);
                match input {
                    Some(input) => key.open_separate_gather(nonce, aad, input, tag, output).is_ok(),
                    None => key.open_in_place_separate_tag(nonce, aad, tag, output).is_ok(),
                }
            }
            Schedule::Ring(key, _) => {
                copy_in(input, output)?;
                let nonce = ring_aead::Nonce::assume_unique_for_key(nonce);
                let tag = ring_aead::Tag::from(*tag);
                key.open_in_place_separate_tag(nonce, ring_aead::Aad::from(aad), tag, output, 0..).is_ok()
            }
        };
        if opened { Ok(()) } else { Err(CryptoError::InvalidTag) }
    }
}

impl Drop for AeadKey {
    fn drop(&mut self) {
        self.wipe();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALGS: [(AeadAlgorithm, usize); 3] =
        [(AeadAlgorithm::Aes128Gcm, 16), (AeadAlgorithm::Aes256Gcm, 32), (AeadAlgorithm::ChaCha20Poly1305, 32)];

    fn sealed(key: &AeadKey) -> Vec<u8> {
        let mut buf = b"sixteen byte msg".to_vec();
        let tag = key.seal([3; 12], b"", None, &mut buf).unwrap();
        buf.extend_from_slice(&tag);
        buf
    }

    #[test]
    fn wipe_leaves_the_schedule_of_the_zero_key() {
        for (alg, len) in ALGS {
            let mut key = AeadKey::on(AesGcmBackend::Ring, alg, &[0x5a; 32][..len]).unwrap();
            let zero = AeadKey::on(AesGcmBackend::Ring, alg, &[0; 32][..len]).unwrap();
            let before = sealed(&key);
            assert_ne!(before, sealed(&zero));
            key.wipe();
            assert_eq!(sealed(&key), sealed(&zero), "the wiped schedule is the all-zero key's");
        }
    }

    /// Both backends, in place and apart, give the same ciphertext and tag at every length
    /// around the block and stride sizes, and open each other's output.
    #[test]
    fn backends_agree_in_place_and_apart() {
        for (alg, key_len) in ALGS {
            let raw = [0x42; 32];
            let ring = AeadKey::on(AesGcmBackend::Ring, alg, &raw[..key_len]).unwrap();
            let aws = AeadKey::on(AesGcmBackend::AwsLc, alg, &raw[..key_len]).unwrap();
            for len in [0, 1, 15, 16, 17, 63, 64, 65, 255, 256, 257, 1000, 4096, 65_537] {
                let plain: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
                let mut in_place = plain.clone();
                let tag = ring.seal([9; 12], b"ad", None, &mut in_place).unwrap();
                let mut apart = vec![0u8; len];
                assert_eq!(aws.seal([9; 12], b"ad", Some(&plain), &mut apart).unwrap(), tag, "{alg:?} {len}");
                assert_eq!(apart, in_place, "{alg:?} {len}");
                let mut ring_apart = vec![0u8; len];
                assert_eq!(ring.seal([9; 12], b"ad", Some(&plain), &mut ring_apart).unwrap(), tag);
                assert_eq!(ring_apart, in_place);

                for key in [&ring, &aws] {
                    let mut opened = vec![0u8; len];
                    key.open([9; 12], b"ad", Some(&in_place), &mut opened, &tag).unwrap();
                    assert_eq!(opened, plain);
                    let mut buf = in_place.clone();
                    key.open([9; 12], b"ad", None, &mut buf, &tag).unwrap();
                    assert_eq!(buf, plain);
                    let mut bad = tag;
                    bad[0] ^= 1;
                    let mut out = vec![0u8; len];
                    assert_eq!(key.open([9; 12], b"ad", Some(&in_place), &mut out, &bad), Err(CryptoError::InvalidTag));
                }
            }
        }
    }

    #[test]
    fn apart_lengths_must_match() {
        for backend in [AesGcmBackend::Ring, AesGcmBackend::AwsLc] {
            let key = AeadKey::on(backend, AeadAlgorithm::Aes128Gcm, &[1; 16]).unwrap();
            assert_eq!(key.seal([0; 12], b"", Some(&[0; 8]), &mut [0; 9]), Err(CryptoError::InvalidLength));
            assert!(key.open([0; 12], b"", Some(&[0; 8]), &mut [0; 9], &[0; TAG_LEN]).is_err());
        }
    }

    #[test]
    fn wrong_key_lengths_are_refused_on_both_backends() {
        for backend in [AesGcmBackend::Ring, AesGcmBackend::AwsLc] {
            for (alg, len) in ALGS {
                assert_eq!(AeadKey::on(backend, alg, &[0; 33][..len + 1]).err(), Some(CryptoError::InvalidKey));
                assert_eq!(AeadKey::on(backend, alg, &[0; 33][..len - 1]).err(), Some(CryptoError::InvalidKey));
            }
        }
    }
}
