//! States of the [`CipherAlgorithm`]s: AES-GCM-SIV (aws-lc-rs), AES-SIV (`aes-siv`), AEGIS
//! (`aegis`, libaegis with AES-NI/VAES), Ascon-AEAD128 (`ascon-aead`), AES-CTR (aws-lc-rs) and
//! AES-CBC with PKCS#7 (`cbc`).
//!
//! AES-GCM-SIV and AES-CTR run on aws-lc-rs: its assembly is faster on this machine than
//! RustCrypto's `aes-gcm-siv` and `ctr`, whose generic code was also slower still once
//! instantiated in this crate (its keystream helpers were not inlined here: a `memmove` and
//! an array fill per batch of blocks), 0.6–0.8× of the same crates called from the bench.
//!
//! Layouts: `encrypt` writes ciphertext ‖ 16-byte tag for every AEAD (for AES-SIV too: the
//! synthetic IV comes last, not first as in RFC 5297's examples). AES-SIV takes each absorb as
//! one associated-data header (RFC 5297's vector) and the nonce as the last header; an empty
//! nonce is the deterministic mode. CTR writes exactly the input length; CBC writes the padded
//! length (input rounded up to the next multiple of 16, always adding 1..=16 bytes) into an
//! output of at least that size, and a CBC ciphertext whose padding is wrong is `invalid_tag`
//! with nothing written. CBC decryption works on a copy of its input (capped like any single
//! input: `overflow`). CTR and CBC authenticate nothing: pair them with a MAC.

use super::algorithm::CipherAlgorithm;
use super::inout::InOut;
use super::key::SymmetricKey;
use crate::budget::{Budget, Buffered};
use crate::error::{CryptoError, Result};
use ascon_aead::aead::{AeadInOut, KeyInit};
use aws_lc_rs::{aead, cipher as lc};
use cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
use std::sync::Arc;
use zeroize::Zeroizing;

/// The tag length of every AEAD here.
pub(crate) const CIPHER_TAG_LEN: usize = 16;

/// The most associated-data headers of an AES-SIV state (the crate's limit, less the nonce).
const MAX_SIV_HEADERS: usize = aes_siv::siv::MAX_HEADERS - 1;

/// A cipher state: key, nonce and associated data.
///
/// Nonce rules, as for the ring AEADs: a nonce encrypts one message; once the state encrypted
/// or decrypted, encrypting gives `nonce_required`. A clone made before the state encrypted gets
/// a fresh nonce if the host generated the original one; otherwise the clone may not encrypt.
pub(crate) struct CipherState {
    alg: CipherAlgorithm,
    key: Arc<SymmetricKey>,
    nonce: Vec<u8>,
    host_nonce: bool,
    sealed: bool,
    nonce_spent: bool,
    ad: Buffered,
    /// Where each absorbed header ends in `ad` (AES-SIV).
    header_ends: Vec<usize>,
    /// The context's budget: CBC decryption copies its input, within the input cap.
    budget: Arc<Budget>,
}

impl CipherState {
    /// Opens a state; `invalid_nonce` if the nonce does not fit.
    pub(crate) fn new(
        alg: CipherAlgorithm,
        key: Arc<SymmetricKey>,
        nonce: &[u8],
        host_nonce: bool,
        budget: &Arc<Budget>,
    ) -> Result<Self> {
        if !alg.nonce_len_ok(nonce.len()) {
            return Err(CryptoError::InvalidNonce);
        }
        if key.raw().len() != alg.key_len() {
            return Err(CryptoError::InvalidKey);
        }
        Ok(Self {
            alg,
            key,
            nonce: nonce.to_vec(),
            host_nonce,
            sealed: false,
            nonce_spent: false,
            ad: Buffered::new(budget),
            header_ends: Vec::new(),
            budget: budget.clone(),
        })
    }

    /// The heap memory the state holds or pins, besides its associated data.
    pub(crate) fn footprint(&self) -> usize {
        size_of::<Self>()
            + self.nonce.capacity()
            + self.header_ends.capacity() * size_of::<usize>()
            + crate::handles::ARC_OVERHEAD
            + self.key.footprint()
    }

    /// The length of the associated data absorbed so far.
    pub(crate) fn associated_data_len(&self) -> usize {
        self.ad.len()
    }

    /// Whether a clone gets a fresh nonce: the host generated the nonce and it encrypted nothing.
    pub(crate) fn clone_needs_fresh_nonce(&self) -> bool {
        self.host_nonce && !self.sealed
    }

    /// A copy, charged to the budget; see [`CipherState`] for the nonce rules.
    pub(crate) fn try_clone(&self, fresh_nonce: Option<&[u8]>) -> Result<Self> {
        let (nonce, nonce_spent) = match fresh_nonce {
            Some(fresh) if self.host_nonce => (fresh.to_vec(), false),
            Some(_) => return Err(CryptoError::InternalError),
            None => (self.nonce.clone(), true),
        };
        Ok(Self {
            alg: self.alg,
            key: self.key.clone(),
            nonce,
            host_nonce: self.host_nonce,
            sealed: self.sealed,
            nonce_spent,
            ad: self.ad.try_clone()?,
            header_ends: self.header_ends.clone(),
            budget: self.budget.clone(),
        })
    }

    /// `absorb`: associated data (one header for AES-SIV); `invalid_operation` for CTR and CBC.
    pub(crate) fn absorb(&mut self, data: &[u8]) -> Result<()> {
        if !self.alg.is_aead() {
            return Err(CryptoError::InvalidOperation);
        }
        if self.is_siv() && self.header_ends.len() >= MAX_SIV_HEADERS {
            return Err(CryptoError::Overflow);
        }
        self.ad.extend(data)?;
        if self.is_siv() {
            self.header_ends.push(self.ad.len());
        }
        Ok(())
    }

    fn is_siv(&self) -> bool {
        matches!(self.alg, CipherAlgorithm::Aes128Siv | CipherAlgorithm::Aes256Siv)
    }

    /// `nonce_required` if the state may not encrypt under its nonce (any more).
    pub(crate) fn check_can_seal(&self) -> Result<()> {
        if self.nonce_spent { Err(CryptoError::NonceRequired) } else { Ok(()) }
    }

    /// `max_tag_len`.
    pub(crate) fn max_tag_len(&self) -> usize {
        self.alg.max_tag_len()
    }

    /// The AES-SIV headers: each absorb, then the nonce unless it is empty.
    fn siv_headers(&self) -> Vec<&[u8]> {
        let mut start = 0;
        let mut headers: Vec<&[u8]> = self
            .header_ends
            .iter()
            .map(|&end| {
                let h = &self.ad[start..end];
                start = end;
                h
            })
            .collect();
        if !self.nonce.is_empty() {
            headers.push(&self.nonce);
        }
        headers
    }

    /// Encrypts `buf` in place with an AEAD and returns the tag.
    fn seal_detached(&mut self, buf: &mut [u8]) -> Result<[u8; CIPHER_TAG_LEN]> {
        self.check_can_seal()?;
        let tag = aead_seal(self, buf)?;
        self.sealed = true;
        self.nonce_spent = true;
        Ok(tag)
    }

    /// Decrypts `buf` in place if `tag` authenticates it; otherwise zeroes it, `invalid_tag`.
    fn open_detached(&mut self, buf: &mut [u8], tag: &[u8]) -> Result<()> {
        self.nonce_spent = true;
        let ok = match <&[u8; CIPHER_TAG_LEN]>::try_from(tag) {
            Ok(tag) => aead_open(self, buf, tag)?,
            Err(_) => false,
        };
        if ok {
            Ok(())
        } else {
            buf.fill(0);
            Err(CryptoError::InvalidTag)
        }
    }

    /// `encrypt`: see the module documentation for the output lengths. Returns the length written.
    pub(crate) fn encrypt(&mut self, io: InOut<'_>) -> Result<usize> {
        self.check_can_seal()?;
        let len = io.input_len();
        match self.alg {
            CipherAlgorithm::Aes128Ctr | CipherAlgorithm::Aes256Ctr => {
                if io.output_len() != len {
                    return Err(CryptoError::InvalidLength);
                }
                let out = io.into_output(len)?;
                self.nonce_spent = true;
                self.sealed = true;
                ctr_apply(self.alg, self.key.raw(), &self.nonce, out)?;
                Ok(len)
            }
            CipherAlgorithm::Aes128Cbc | CipherAlgorithm::Aes256Cbc => {
                let padded = (len / 16 + 1) * 16;
                if io.output_len() < padded {
                    return Err(CryptoError::InvalidLength);
                }
                let out = io.into_output(len)?;
                self.nonce_spent = true;
                self.sealed = true;
                cbc_encrypt(self.alg, self.key.raw(), &self.nonce, &mut out[..padded], len)?;
                Ok(padded)
            }
            CipherAlgorithm::Aes128GcmSiv
            | CipherAlgorithm::Aes256GcmSiv
            | CipherAlgorithm::Aes128Siv
            | CipherAlgorithm::Aes256Siv
            | CipherAlgorithm::Aegis128L
            | CipherAlgorithm::Aegis128X2
            | CipherAlgorithm::Aegis128X4
            | CipherAlgorithm::Aegis256
            | CipherAlgorithm::Aegis256X2
            | CipherAlgorithm::Aegis256X4
            | CipherAlgorithm::AsconAead128 => {
                if io.output_len() != len.checked_add(CIPHER_TAG_LEN).ok_or(CryptoError::Overflow)? {
                    return Err(CryptoError::InvalidLength);
                }
                let out = io.into_output(len)?;
                let (body, tag_out) = out.split_at_mut(len);
                let tag = self.seal_detached(body)?;
                tag_out.copy_from_slice(&tag);
                Ok(len + CIPHER_TAG_LEN)
            }
        }
    }

    /// `decrypt`: see the module documentation for the output lengths. Returns the plaintext length.
    pub(crate) fn decrypt(&mut self, io: InOut<'_>) -> Result<usize> {
        let in_len = io.input_len();
        match self.alg {
            CipherAlgorithm::Aes128Ctr | CipherAlgorithm::Aes256Ctr => {
                if io.output_len() != in_len {
                    return Err(CryptoError::InvalidLength);
                }
                let out = io.into_output(in_len)?;
                self.nonce_spent = true;
                ctr_apply(self.alg, self.key.raw(), &self.nonce, out)?;
                Ok(in_len)
            }
            CipherAlgorithm::Aes128Cbc | CipherAlgorithm::Aes256Cbc => {
                if in_len == 0 || !in_len.is_multiple_of(16) {
                    return Err(CryptoError::InvalidLength);
                }
                // The padding is known only after decrypting: the input is decrypted in a copy,
                // which is capped like any single input and must fit the budget.
                self.budget.check_input(in_len)?;
                self.budget.check(in_len)?;
                let mut buf = Zeroizing::new(vec![0u8; in_len]);
                io.read_input(0, &mut buf)?;
                self.nonce_spent = true;
                let plain = cbc_decrypt(self.alg, self.key.raw(), &self.nonce, &mut buf)?;
                if io.output_len() < plain.len() {
                    return Err(CryptoError::Overflow);
                }
                let out = io.into_output(0)?;
                out[..plain.len()].copy_from_slice(plain);
                Ok(plain.len())
            }
            CipherAlgorithm::Aes128GcmSiv
            | CipherAlgorithm::Aes256GcmSiv
            | CipherAlgorithm::Aes128Siv
            | CipherAlgorithm::Aes256Siv
            | CipherAlgorithm::Aegis128L
            | CipherAlgorithm::Aegis128X2
            | CipherAlgorithm::Aegis128X4
            | CipherAlgorithm::Aegis256
            | CipherAlgorithm::Aegis256X2
            | CipherAlgorithm::Aegis256X4
            | CipherAlgorithm::AsconAead128 => {
                let len = in_len.checked_sub(CIPHER_TAG_LEN).ok_or(CryptoError::InvalidLength)?;
                if io.output_len() != len {
                    return Err(CryptoError::InvalidLength);
                }
                let mut tag = [0u8; CIPHER_TAG_LEN];
                io.read_input(len, &mut tag)?;
                let out = io.into_output(len)?;
                self.open_detached(out, &tag)?;
                Ok(len)
            }
        }
    }

    /// `encrypt_detached` (AEADs only): returns the tag.
    pub(crate) fn encrypt_detached(&mut self, io: InOut<'_>) -> Result<[u8; CIPHER_TAG_LEN]> {
        if !self.alg.is_aead() {
            return Err(CryptoError::InvalidOperation);
        }
        self.check_can_seal()?;
        let len = io.input_len();
        if io.output_len() != len {
            return Err(CryptoError::InvalidLength);
        }
        self.seal_detached(io.into_output(len)?)
    }

    /// `decrypt_detached` (AEADs only).
    pub(crate) fn decrypt_detached(&mut self, io: InOut<'_>, tag: &[u8]) -> Result<usize> {
        if !self.alg.is_aead() {
            return Err(CryptoError::InvalidOperation);
        }
        let len = io.input_len();
        if io.output_len() != len {
            return Err(CryptoError::InvalidLength);
        }
        self.open_detached(io.into_output(len)?, tag)?;
        Ok(len)
    }
}

fn fixed<const N: usize>(bytes: &[u8], err: CryptoError) -> Result<&[u8; N]> {
    bytes.try_into().map_err(|_| err)
}

/// AEGIS with 16-byte tags: `$seal` seals or opens.
macro_rules! aegis {
    ($ty:ty, $state:expr, $buf:expr, open $tag:expr) => {{
        let key = fixed($state.key.raw(), CryptoError::InvalidKey)?;
        let nonce = fixed(&$state.nonce, CryptoError::InvalidNonce)?;
        Ok(<$ty>::new(key, nonce).decrypt_in_place($buf, $tag, &$state.ad).is_ok())
    }};
    ($ty:ty, $state:expr, $buf:expr, seal) => {{
        let key = fixed($state.key.raw(), CryptoError::InvalidKey)?;
        let nonce = fixed(&$state.nonce, CryptoError::InvalidNonce)?;
        Ok(<$ty>::new(key, nonce).encrypt_in_place($buf, &$state.ad))
    }};
}

/// AES-GCM-SIV (aws-lc-rs) under the state's key and nonce.
fn gcm_siv_key(alg: &'static aead::Algorithm, s: &CipherState) -> Result<(aead::LessSafeKey, aead::Nonce)> {
    let key = aead::UnboundKey::new(alg, s.key.raw()).map_err(|_| CryptoError::InvalidKey)?;
    let nonce = aead::Nonce::try_assume_unique_for_key(&s.nonce).map_err(|_| CryptoError::InvalidNonce)?;
    Ok((aead::LessSafeKey::new(key), nonce))
}

/// Encrypts `buf` in place with AES-GCM-SIV and returns the tag.
fn gcm_siv_seal(alg: &'static aead::Algorithm, s: &CipherState, buf: &mut [u8]) -> Result<[u8; CIPHER_TAG_LEN]> {
    let (key, nonce) = gcm_siv_key(alg, s)?;
    let tag = key
        .seal_in_place_separate_tag(nonce, aead::Aad::from(&s.ad[..]), buf)
        .map_err(|_| CryptoError::InvalidLength)?;
    tag.as_ref().try_into().map_err(|_| CryptoError::InternalError)
}

/// Decrypts `buf` in place with AES-GCM-SIV; whether `tag` authenticates it.
fn gcm_siv_open(
    alg: &'static aead::Algorithm,
    s: &CipherState,
    buf: &mut [u8],
    tag: &[u8; CIPHER_TAG_LEN],
) -> Result<bool> {
    let (key, nonce) = gcm_siv_key(alg, s)?;
    Ok(key.open_in_place_separate_tag(nonce, aead::Aad::from(&s.ad[..]), tag, buf).is_ok())
}

/// An RustCrypto AEAD (`aead` 0.6 traits) keyed from raw bytes.
fn rc_seal<A: AeadInOut + KeyInit>(s: &CipherState, buf: &mut [u8]) -> Result<[u8; CIPHER_TAG_LEN]> {
    let aead = A::new_from_slice(s.key.raw()).map_err(|_| CryptoError::InvalidKey)?;
    let nonce = s.nonce.as_slice().try_into().map_err(|_| CryptoError::InvalidNonce)?;
    let tag = aead.encrypt_inout_detached(nonce, &s.ad, buf.into()).map_err(|_| CryptoError::InvalidLength)?;
    tag.as_slice().try_into().map_err(|_| CryptoError::InternalError)
}

fn rc_open<A: AeadInOut + KeyInit>(s: &CipherState, buf: &mut [u8], tag: &[u8; CIPHER_TAG_LEN]) -> Result<bool> {
    let aead = A::new_from_slice(s.key.raw()).map_err(|_| CryptoError::InvalidKey)?;
    let nonce = s.nonce.as_slice().try_into().map_err(|_| CryptoError::InvalidNonce)?;
    let tag = tag.as_slice().try_into().map_err(|_| CryptoError::InvalidTag)?;
    Ok(aead.decrypt_inout_detached(nonce, &s.ad, buf.into(), tag).is_ok())
}

fn siv<C>(s: &CipherState) -> Result<C>
where
    C: aes_siv::KeyInit,
{
    C::new_from_slice(s.key.raw()).map_err(|_| CryptoError::InvalidKey)
}

fn aead_seal(s: &CipherState, buf: &mut [u8]) -> Result<[u8; CIPHER_TAG_LEN]> {
    use CipherAlgorithm as C;
    match s.alg {
        C::Aes128GcmSiv => gcm_siv_seal(&aead::AES_128_GCM_SIV, s, buf),
        C::Aes256GcmSiv => gcm_siv_seal(&aead::AES_256_GCM_SIV, s, buf),
        C::AsconAead128 => rc_seal::<ascon_aead::AsconAead128>(s, buf),
        C::Aes128Siv => siv_seal(siv::<aes_siv::siv::Aes128Siv>(s)?, s, buf),
        C::Aes256Siv => siv_seal(siv::<aes_siv::siv::Aes256Siv>(s)?, s, buf),
        C::Aegis128L => aegis!(aegis::aegis128l::Aegis128L<16>, s, buf, seal),
        C::Aegis128X2 => aegis!(aegis::aegis128x2::Aegis128X2<16>, s, buf, seal),
        C::Aegis128X4 => aegis!(aegis::aegis128x4::Aegis128X4<16>, s, buf, seal),
        C::Aegis256 => aegis!(aegis::aegis256::Aegis256<16>, s, buf, seal),
        C::Aegis256X2 => aegis!(aegis::aegis256x2::Aegis256X2<16>, s, buf, seal),
        C::Aegis256X4 => aegis!(aegis::aegis256x4::Aegis256X4<16>, s, buf, seal),
        C::Aes128Ctr | C::Aes256Ctr | C::Aes128Cbc | C::Aes256Cbc => Err(CryptoError::InvalidOperation),
    }
}

fn aead_open(s: &CipherState, buf: &mut [u8], tag: &[u8; CIPHER_TAG_LEN]) -> Result<bool> {
    use CipherAlgorithm as C;
    match s.alg {
        C::Aes128GcmSiv => gcm_siv_open(&aead::AES_128_GCM_SIV, s, buf, tag),
        C::Aes256GcmSiv => gcm_siv_open(&aead::AES_256_GCM_SIV, s, buf, tag),
        C::AsconAead128 => rc_open::<ascon_aead::AsconAead128>(s, buf, tag),
        C::Aes128Siv => siv_open(siv::<aes_siv::siv::Aes128Siv>(s)?, s, buf, tag),
        C::Aes256Siv => siv_open(siv::<aes_siv::siv::Aes256Siv>(s)?, s, buf, tag),
        C::Aegis128L => aegis!(aegis::aegis128l::Aegis128L<16>, s, buf, open tag),
        C::Aegis128X2 => aegis!(aegis::aegis128x2::Aegis128X2<16>, s, buf, open tag),
        C::Aegis128X4 => aegis!(aegis::aegis128x4::Aegis128X4<16>, s, buf, open tag),
        C::Aegis256 => aegis!(aegis::aegis256::Aegis256<16>, s, buf, open tag),
        C::Aegis256X2 => aegis!(aegis::aegis256x2::Aegis256X2<16>, s, buf, open tag),
        C::Aegis256X4 => aegis!(aegis::aegis256x4::Aegis256X4<16>, s, buf, open tag),
        C::Aes128Ctr | C::Aes256Ctr | C::Aes128Cbc | C::Aes256Cbc => Err(CryptoError::InvalidOperation),
    }
}

fn siv_seal<C, M>(mut siv: aes_siv::siv::Siv<C, M>, s: &CipherState, buf: &mut [u8]) -> Result<[u8; CIPHER_TAG_LEN]>
where
    C: cipher::BlockSizeUser<BlockSize = cipher::consts::U16>
        + cipher::BlockCipherEncrypt
        + cipher::KeyInit
        + cipher::KeySizeUser,
    M: cmac::digest::Mac<OutputSize = cipher::consts::U16> + cmac::digest::FixedOutputReset + cipher::KeyInit,
{
    let tag = siv.encrypt_inout_detached(s.siv_headers(), buf.into()).map_err(|_| CryptoError::Overflow)?;
    tag.as_slice().try_into().map_err(|_| CryptoError::InternalError)
}

fn siv_open<C, M>(
    mut siv: aes_siv::siv::Siv<C, M>,
    s: &CipherState,
    buf: &mut [u8],
    tag: &[u8; CIPHER_TAG_LEN],
) -> Result<bool>
where
    C: cipher::BlockSizeUser<BlockSize = cipher::consts::U16>
        + cipher::BlockCipherEncrypt
        + cipher::KeyInit
        + cipher::KeySizeUser,
    M: cmac::digest::Mac<OutputSize = cipher::consts::U16> + cmac::digest::FixedOutputReset + cipher::KeyInit,
{
    Ok(siv.decrypt_inout_detached(s.siv_headers(), buf.into(), &(*tag).into()).is_ok())
}

/// An unauthenticated AES mode and key size.
#[derive(Clone, Copy)]
enum Unauthenticated {
    Ctr128,
    Ctr256,
    Cbc128,
    Cbc256,
}

/// The unauthenticated cipher `alg` is; `invalid_operation` for the AEADs.
fn unauthenticated(alg: CipherAlgorithm) -> Result<Unauthenticated> {
    Ok(match alg {
        CipherAlgorithm::Aes128Ctr => Unauthenticated::Ctr128,
        CipherAlgorithm::Aes256Ctr => Unauthenticated::Ctr256,
        CipherAlgorithm::Aes128Cbc => Unauthenticated::Cbc128,
        CipherAlgorithm::Aes256Cbc => Unauthenticated::Cbc256,
        CipherAlgorithm::Aes128GcmSiv
        | CipherAlgorithm::Aes256GcmSiv
        | CipherAlgorithm::Aes128Siv
        | CipherAlgorithm::Aes256Siv
        | CipherAlgorithm::Aegis128L
        | CipherAlgorithm::Aegis128X2
        | CipherAlgorithm::Aegis128X4
        | CipherAlgorithm::Aegis256
        | CipherAlgorithm::Aegis256X2
        | CipherAlgorithm::Aegis256X4
        | CipherAlgorithm::AsconAead128 => return Err(CryptoError::InvalidOperation),
    })
}

/// Applies the AES-CTR key stream (128-bit big-endian counter starting at the IV, wrapping
/// modulo 2^128; aws-lc carries out of its 32-bit block counter into the other 96 bits).
fn ctr_apply(alg: CipherAlgorithm, key: &[u8], iv: &[u8], buf: &mut [u8]) -> Result<()> {
    let cipher = match unauthenticated(alg)? {
        Unauthenticated::Ctr128 => &lc::AES_128,
        Unauthenticated::Ctr256 => &lc::AES_256,
        Unauthenticated::Cbc128 | Unauthenticated::Cbc256 => return Err(CryptoError::InvalidOperation),
    };
    let iv: [u8; 16] = iv.try_into().map_err(|_| CryptoError::InvalidNonce)?;
    let key = lc::UnboundCipherKey::new(cipher, key).map_err(|_| CryptoError::InvalidKey)?;
    let key = lc::EncryptingKey::ctr(key).map_err(|_| CryptoError::InvalidKey)?;
    key.less_safe_encrypt(buf, lc::EncryptionContext::Iv128(iv.into())).map_err(|_| CryptoError::AlgorithmFailure)?;
    Ok(())
}

/// Pads the first `len` bytes of `buf` (PKCS#7) and encrypts them; `buf` is the padded length.
fn cbc_encrypt(alg: CipherAlgorithm, key: &[u8], iv: &[u8], buf: &mut [u8], len: usize) -> Result<()> {
    let err = |_| CryptoError::InvalidKey;
    let res = match unauthenticated(alg)? {
        Unauthenticated::Cbc128 => cbc::Encryptor::<aes::Aes128>::new_from_slices(key, iv)
            .map_err(err)?
            .encrypt_padded::<Pkcs7>(buf, len)
            .map(|_| ()),
        Unauthenticated::Cbc256 => cbc::Encryptor::<aes::Aes256>::new_from_slices(key, iv)
            .map_err(err)?
            .encrypt_padded::<Pkcs7>(buf, len)
            .map(|_| ()),
        Unauthenticated::Ctr128 | Unauthenticated::Ctr256 => return Err(CryptoError::InvalidOperation),
    };
    res.map_err(|_| CryptoError::InvalidLength)
}

/// Decrypts `buf` and strips its PKCS#7 padding; `invalid_tag` if the padding is wrong.
fn cbc_decrypt<'a>(alg: CipherAlgorithm, key: &[u8], iv: &[u8], buf: &'a mut [u8]) -> Result<&'a [u8]> {
    let err = |_| CryptoError::InvalidKey;
    let res = match unauthenticated(alg)? {
        Unauthenticated::Cbc128 => {
            cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv).map_err(err)?.decrypt_padded::<Pkcs7>(buf)
        }
        Unauthenticated::Cbc256 => {
            cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv).map_err(err)?.decrypt_padded::<Pkcs7>(buf)
        }
        Unauthenticated::Ctr128 | Unauthenticated::Ctr256 => return Err(CryptoError::InvalidOperation),
    };
    res.map_err(|_| CryptoError::InvalidTag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cipher::BlockCipherEncrypt;

    /// The AES-CTR key stream block by block with the `aes` crate: E(K, IV + i) for i < `blocks`.
    fn keystream(key: &[u8; 16], iv: u128, blocks: u128) -> Vec<u8> {
        let aes = aes::Aes128::new(key.into());
        (0..blocks)
            .flat_map(|i| {
                let mut block: aes::Block = iv.wrapping_add(i).to_be_bytes().into();
                aes.encrypt_block(&mut block);
                block.to_vec()
            })
            .collect()
    }

    #[test]
    fn ctr_counter_carries_past_32_bits_and_wraps_at_128() {
        let key = [7u8; 16];
        for iv in [0xffff_fffe_u128, 0x0102_0304_0506_0708_ffff_ffff_ffff_fffe, u128::MAX - 1] {
            let mut buf = vec![0u8; 5 * 16 + 3];
            ctr_apply(CipherAlgorithm::Aes128Ctr, &key, &iv.to_be_bytes(), &mut buf).unwrap();
            assert_eq!(buf, keystream(&key, iv, 6)[..buf.len()], "IV {iv:032x}");
        }
    }

    #[test]
    fn ctr_rejects_a_short_iv() {
        let mut buf = [0u8; 16];
        assert_eq!(ctr_apply(CipherAlgorithm::Aes128Ctr, &[7; 16], &[0; 12], &mut buf), Err(CryptoError::InvalidNonce));
    }
}
