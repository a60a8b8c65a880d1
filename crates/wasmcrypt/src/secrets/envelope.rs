//! The external-secret envelope returned by `external_secret_encapsulate`.
//!
//! Format version 1 (all integers big-endian):
//!
//! | offset | length | field |
//! |---|---|---|
//! | 0 | 4 | magic `WCES` |
//! | 4 | 1 | format version, `1` |
//! | 5 | 8 | expiration, UNIX seconds |
//! | 13 | 12 | random nonce |
//! | 25 | n | ChaCha20-Poly1305 ciphertext of the secret |
//! | 25 + n | 16 | Poly1305 tag |
//!
//! The key is the store's envelope key ([`super::KeyStore::envelope_key`]); the associated
//! data is the 13-byte header (magic, version, expiration) followed by the namespace length
//! (u32) and the namespace, so the expiration cannot be changed and an envelope made in one
//! namespace does not open in another. Any modification gives `verification_failed`; a genuine
//! envelope whose expiration has passed gives `expired`.

use super::store::EnvelopeKey;
use crate::error::{CryptoError, Result};
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use zeroize::Zeroizing;

const MAGIC: &[u8; 4] = b"WCES";
const FORMAT_VERSION: u8 = 1;
const HEADER_LEN: usize = 4 + 1 + 8;
const TAG_LEN: usize = 16;

/// The envelope overhead in bytes (header, nonce and tag).
pub const ENVELOPE_OVERHEAD: usize = HEADER_LEN + NONCE_LEN + TAG_LEN;

fn cipher(key: &EnvelopeKey) -> Result<LessSafeKey> {
    let key = UnboundKey::new(&CHACHA20_POLY1305, &key[..]).map_err(|_| CryptoError::InternalError)?;
    Ok(LessSafeKey::new(key))
}

fn associated_data(header: &[u8], namespace: &str) -> Result<Vec<u8>> {
    let ns_len = u32::try_from(namespace.len()).map_err(|_| CryptoError::InvalidLength)?;
    let mut ad = Vec::with_capacity(header.len() + 4 + namespace.len());
    ad.extend_from_slice(header);
    ad.extend_from_slice(&ns_len.to_be_bytes());
    ad.extend_from_slice(namespace.as_bytes());
    Ok(ad)
}

/// Seals `secret` and its expiration.
pub(crate) fn seal(key: &EnvelopeKey, namespace: &str, secret: &[u8], expiration: u64) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(ENVELOPE_OVERHEAD + secret.len());
    out.extend_from_slice(MAGIC);
    out.push(FORMAT_VERSION);
    out.extend_from_slice(&expiration.to_be_bytes());
    let mut nonce = [0u8; NONCE_LEN];
    crate::random::fill(&mut nonce)?;
    let ad = associated_data(&out, namespace)?;
    out.extend_from_slice(&nonce);
    let mut body = Zeroizing::new(secret.to_vec());
    let tag = cipher(key)?
        .seal_in_place_separate_tag(Nonce::assume_unique_for_key(nonce), Aad::from(&ad), &mut body)
        .map_err(|_| CryptoError::AlgorithmFailure)?;
    out.extend_from_slice(&body);
    out.extend_from_slice(tag.as_ref());
    Ok(out)
}

/// Opens an envelope: the secret and its expiration, or `verification_failed`. The caller checks
/// the expiration.
pub(crate) fn open(key: &EnvelopeKey, namespace: &str, envelope: &[u8]) -> Result<(Zeroizing<Vec<u8>>, u64)> {
    if envelope.len() < ENVELOPE_OVERHEAD || &envelope[..4] != MAGIC || envelope[4] != FORMAT_VERSION {
        return Err(CryptoError::VerificationFailed);
    }
    let (header, rest) = envelope.split_at(HEADER_LEN);
    let (nonce, sealed) = rest.split_at(NONCE_LEN);
    let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| CryptoError::VerificationFailed)?;
    let ad = associated_data(header, namespace)?;
    let mut body = Zeroizing::new(sealed.to_vec());
    let plain_len = cipher(key)?
        .open_in_place(nonce, Aad::from(&ad), &mut body)
        .map_err(|_| CryptoError::VerificationFailed)?
        .len();
    body.truncate(plain_len);
    let mut expiration = [0u8; 8];
    expiration.copy_from_slice(&header[5..HEADER_LEN]);
    Ok((body, u64::from_be_bytes(expiration)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_every_flipped_byte_fails() {
        let key = Zeroizing::new([9u8; 32]);
        let env = seal(&key, "ns", b"secret", 1234).unwrap();
        assert_eq!(env.len(), ENVELOPE_OVERHEAD + 6);
        assert_eq!(&env[..5], b"WCES\x01");
        let (secret, exp) = open(&key, "ns", &env).unwrap();
        assert_eq!((secret.as_slice(), exp), (&b"secret"[..], 1234));
        for i in 0..env.len() {
            let mut bad = env.clone();
            bad[i] ^= 1;
            assert_eq!(open(&key, "ns", &bad).err(), Some(CryptoError::VerificationFailed), "byte {i}");
        }
        assert_eq!(open(&key, "other", &env).err(), Some(CryptoError::VerificationFailed));
        assert_eq!(open(&Zeroizing::new([8u8; 32]), "ns", &env).err(), Some(CryptoError::VerificationFailed));
        assert_eq!(open(&key, "ns", &env[..env.len() - 1]).err(), Some(CryptoError::VerificationFailed));
        assert_eq!(open(&key, "ns", &[]).err(), Some(CryptoError::VerificationFailed));
    }
}
