//! Symmetric states: one variant per family, dispatched by `match` (no allocation per call).

use super::aead::{AeadState, TAG_LEN};
use super::algorithm::{Family, KeyUse, SymmetricAlgorithm};
use super::ciphers::CipherState;
use super::digest::DigestState;
use super::hash::HashState;
use super::hkdf;
use super::inout::{InOut, Placed, copy_in};
use super::key::{Prepared, SymmetricKey};
use super::mac::MacState;
use super::password::PasswordState;
use super::tag::{SymmetricTag, TagBytes};
use super::xoodyak::Xoodyak;
use crate::budget::{Budget, Buffered};
use crate::error::{CryptoError, Result};
use crate::handles::ARC_OVERHEAD;
use crate::options::SymmetricOptions;
use std::sync::Arc;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

enum Inner {
    Hash(Box<HashState>),
    Mac(Box<MacState>),
    HkdfExtract {
        ikm: Arc<SymmetricKey>,
        salt: Buffered,
    },
    HkdfExpand {
        prk: Arc<SymmetricKey>,
        info: Buffered,
    },
    Aead(AeadState),
    /// A Xoodyak object; `may_encrypt` is set for keyed sessions opened with a nonce, and
    /// cleared in clones (the clone and its original would encrypt with the same key stream).
    Xoodyak {
        x: Box<Xoodyak>,
        may_encrypt: bool,
    },
    /// SHA-3, SHAKE, SP 800-185, TurboSHAKE/KT, BLAKE2b, BLAKE3, Ascon hashing, CMAC.
    Digest(Box<DigestState>),
    /// AES-GCM-SIV, AES-SIV, AEGIS, Ascon-AEAD128, AES-CTR, AES-CBC.
    Cipher(Box<CipherState>),
    Password(Box<PasswordState>),
}

/// A symmetric state (`symmetric_state`).
pub struct SymmetricState {
    alg: SymmetricAlgorithm,
    options: Arc<SymmetricOptions>,
    inner: Inner,
}

/// A random nonce for an AEAD whose nonces are long enough to be drawn at random (192 bits),
/// as a buffer charged to the budget.
fn random_nonce(len: usize, budget: &Arc<Budget>) -> Result<Buffered> {
    let mut random = Zeroizing::new(vec![0u8; len]);
    crate::random::fill(&mut random)?;
    Buffered::from_slice(budget, &random)
}

impl SymmetricState {
    /// Opens a state. `key_required`, `key_not_supported`, `invalid_key` (key of another
    /// algorithm), `nonce_required` and `invalid_nonce` as the spec says.
    pub(crate) fn open(
        alg: SymmetricAlgorithm,
        key: Option<Arc<SymmetricKey>>,
        options: Arc<SymmetricOptions>,
        budget: &Arc<Budget>,
    ) -> Result<Self> {
        if let Some(key) = &key
            && key.algorithm() != alg
        {
            return Err(if alg.key_use() == KeyUse::None {
                CryptoError::KeyNotSupported
            } else {
                CryptoError::InvalidKey
            });
        }
        options.check_accepted(alg.accepted_options())?;
        let mut options = options;
        let inner = match (alg.family(), key) {
            (Family::Digest(d), key) => {
                Inner::Digest(Box::new(DigestState::open(d, key.as_deref().map(|k| k.raw()), &options)?))
            }
            (Family::Cipher(c), Some(key)) => {
                let host_nonce = options.nonce().is_none() && c.automatic_nonce();
                if host_nonce {
                    let nonce = random_nonce(c.nonce_len(), budget)?;
                    let mut own = options.try_clone(budget)?;
                    own.set_nonce(nonce);
                    options = Arc::new(own);
                }
                let nonce = options.nonce().ok_or(CryptoError::NonceRequired)?;
                Inner::Cipher(Box::new(CipherState::new(c, key, nonce, host_nonce, budget)?))
            }
            (Family::Hash(h), None) => Inner::Hash(Box::new(HashState::new(h))),
            (Family::Hash(_), Some(_)) => return Err(CryptoError::KeyNotSupported),
            (Family::Password(p), key) => Inner::Password(Box::new(PasswordState::open(p, key, &mut options, budget)?)),
            (Family::Xoodyak(_), None) => Inner::Xoodyak { x: Box::new(Xoodyak::hash()), may_encrypt: false },
            (
                Family::Hmac(_) | Family::HkdfExtract(_) | Family::HkdfExpand(_) | Family::Aead(_) | Family::Cipher(_),
                None,
            ) => return Err(CryptoError::KeyRequired),
            (Family::Hmac(_), Some(key)) => match key.prepared() {
                Prepared::Mac(mac) => Inner::Mac(Box::new(mac.clone())),
                Prepared::Raw | Prepared::Prk(_) | Prepared::Aead(_) => return Err(CryptoError::InvalidKey),
            },
            (Family::HkdfExtract(_), Some(ikm)) => Inner::HkdfExtract { ikm, salt: Buffered::new(budget) },
            (Family::HkdfExpand(_), Some(prk)) => Inner::HkdfExpand { prk, info: Buffered::new(budget) },
            (Family::Aead(a), Some(key)) => {
                let host_nonce = options.nonce().is_none() && a.nonce_len() >= 24;
                if host_nonce {
                    // Random nonces of 192 bits are safe; the guest reads it back with
                    // options_get. The options are copied for the state, and the copy charged.
                    let nonce = random_nonce(a.nonce_len(), budget)?;
                    let mut own = options.try_clone(budget)?;
                    own.set_nonce(nonce);
                    options = Arc::new(own);
                }
                let nonce = options.nonce().ok_or(CryptoError::NonceRequired)?;
                Inner::Aead(AeadState::new(a, &key, nonce, host_nonce, budget)?)
            }
            (Family::Xoodyak(_), Some(key)) => {
                // The final-round Xoodyak AEAD: the nonce is the key ID, Cyclist(K, N, ε).
                // Without a nonce the session may MAC and derive, not encrypt: 128-bit random
                // nonces are outside the spec's safe class.
                let nonce = options.nonce().unwrap_or(&[]);
                let x = Xoodyak::keyed(key.raw(), nonce, &[]).map_err(|_| CryptoError::InvalidNonce)?;
                Inner::Xoodyak { x: Box::new(x), may_encrypt: !nonce.is_empty() }
            }
        };
        Ok(Self { alg, options, inner })
    }

    /// An independent copy, charged to `budget` (`overflow`, checked before copying, if its
    /// buffers do not fit). Nonces are never reused by the copy: an AEAD clone gets a fresh
    /// host nonce if the original's nonce was host-generated and encrypted nothing, and may not
    /// encrypt otherwise; a keyed Xoodyak clone may not encrypt.
    pub(crate) fn try_clone(&self, budget: &Arc<Budget>) -> Result<Self> {
        budget.check(self.buffered_len())?;
        let mut options = self.options.clone();
        let inner = match &self.inner {
            Inner::Hash(h) => Inner::Hash(h.clone()),
            Inner::Mac(m) => Inner::Mac(m.clone()),
            Inner::HkdfExtract { ikm, salt } => Inner::HkdfExtract { ikm: ikm.clone(), salt: salt.try_clone()? },
            Inner::HkdfExpand { prk, info } => Inner::HkdfExpand { prk: prk.clone(), info: info.try_clone()? },
            Inner::Aead(a) => {
                if a.clone_needs_fresh_nonce() {
                    let len = options.nonce().map_or(0, <[u8]>::len);
                    let nonce = random_nonce(len, budget)?;
                    let aead = a.try_clone(Some(&nonce))?;
                    let mut own = options.try_clone(budget)?;
                    own.set_nonce(nonce);
                    options = Arc::new(own);
                    Inner::Aead(aead)
                } else {
                    Inner::Aead(a.try_clone(None)?)
                }
            }
            Inner::Xoodyak { x, .. } => Inner::Xoodyak { x: x.clone(), may_encrypt: false },
            Inner::Digest(d) => Inner::Digest(Box::new(d.try_clone())),
            Inner::Cipher(c) => {
                if c.clone_needs_fresh_nonce() {
                    let len = options.nonce().map_or(0, <[u8]>::len);
                    let nonce = random_nonce(len, budget)?;
                    let copy = c.try_clone(Some(&nonce))?;
                    let mut own = options.try_clone(budget)?;
                    own.set_nonce(nonce);
                    options = Arc::new(own);
                    Inner::Cipher(Box::new(copy))
                } else {
                    Inner::Cipher(Box::new(c.try_clone(None)?))
                }
            }
            Inner::Password(p) => Inner::Password(Box::new(p.try_clone()?)),
        };
        Ok(Self { alg: self.alg, options, inner })
    }

    /// The heap memory the state holds or pins, besides its buffers (which are charged by
    /// themselves): the boxed state, its options and the keys it keeps alive.
    pub(crate) fn footprint(&self) -> usize {
        let inner = match &self.inner {
            Inner::Hash(_) => size_of::<HashState>(),
            Inner::Mac(_) => size_of::<MacState>(),
            Inner::HkdfExtract { ikm: key, .. } | Inner::HkdfExpand { prk: key, .. } => ARC_OVERHEAD + key.footprint(),
            Inner::Aead(a) => a.footprint(),
            Inner::Xoodyak { .. } => size_of::<Xoodyak>(),
            Inner::Digest(d) => d.footprint(),
            Inner::Cipher(c) => c.footprint(),
            Inner::Password(p) => p.footprint(),
        };
        size_of::<Self>() + ARC_OVERHEAD + size_of::<SymmetricOptions>() + inner
    }

    /// The state's algorithm.
    pub fn algorithm(&self) -> SymmetricAlgorithm {
        self.alg
    }

    /// The options the state was opened with, including a generated nonce.
    pub fn options(&self) -> &SymmetricOptions {
        &self.options
    }

    /// The number of guest bytes the state buffers.
    pub(crate) fn buffered_len(&self) -> usize {
        match &self.inner {
            Inner::HkdfExtract { salt, .. } => salt.len(),
            Inner::HkdfExpand { info, .. } => info.len(),
            Inner::Aead(a) => a.associated_data_len(),
            Inner::Cipher(c) => c.associated_data_len(),
            Inner::Password(p) => p.buffered_len(),
            Inner::Hash(_) | Inner::Mac(_) | Inner::Xoodyak { .. } | Inner::Digest(_) => 0,
        }
    }

    /// `symmetric_state_absorb`.
    pub fn absorb(&mut self, data: &[u8]) -> Result<()> {
        match &mut self.inner {
            Inner::Hash(h) => h.update(data),
            Inner::Mac(m) => m.update(data),
            Inner::HkdfExtract { salt, .. } => salt.extend(data)?,
            Inner::HkdfExpand { info, .. } => info.extend(data)?,
            Inner::Aead(a) => a.associated_data().extend(data)?,
            Inner::Xoodyak { x, .. } => x.absorb(data),
            Inner::Digest(d) => d.absorb(data)?,
            Inner::Cipher(c) => c.absorb(data)?,
            Inner::Password(p) => p.absorb(data)?,
        }
        Ok(())
    }

    /// The password-hashing state, for the calls that lend guest memory.
    pub(crate) fn password(&self) -> Option<&PasswordState> {
        match &self.inner {
            Inner::Password(p) => Some(p),
            Inner::Hash(_)
            | Inner::Mac(_)
            | Inner::HkdfExtract { .. }
            | Inner::HkdfExpand { .. }
            | Inner::Aead(_)
            | Inner::Xoodyak { .. }
            | Inner::Digest(_)
            | Inner::Cipher(_) => None,
        }
    }

    /// `symmetric_state_squeeze`. A Xoodyak squeeze longer than the context's input cap gives
    /// `overflow` (HKDF-Expand is bounded by 255 blocks, hashes by their digest).
    pub(crate) fn squeeze(&mut self, out: &mut [u8], budget: &Budget) -> Result<()> {
        match &mut self.inner {
            Inner::Hash(h) => h.squeeze(out),
            Inner::HkdfExpand { prk, info } => {
                let (mac, hash) = prk.prk()?;
                hkdf::expand(mac, hash, info, out)
            }
            Inner::Xoodyak { x, .. } => {
                budget.check_input(out.len())?;
                x.squeeze(out);
                Ok(())
            }
            Inner::Digest(d) => {
                budget.check_input(out.len())?;
                d.squeeze(out)
            }
            // Without lent guest memory: PBKDF2 needs no scratch, and a host-owned scratch
            // buffer (components) serves Argon2 and scrypt; a guest buffer lies outside: `guest_error`.
            Inner::Password(p) => {
                budget.check_input(out.len())?;
                p.derive(&mut [], out)
            }
            Inner::Mac(_) | Inner::HkdfExtract { .. } | Inner::Aead(_) | Inner::Cipher(_) => {
                Err(CryptoError::InvalidOperation)
            }
        }
    }

    /// `symmetric_state_squeeze_tag`.
    pub fn squeeze_tag(&mut self) -> Result<SymmetricTag> {
        let bytes = match &mut self.inner {
            Inner::Mac(m) => m.tag(),
            Inner::Xoodyak { x, .. } => {
                let mut tag = [0u8; TAG_LEN];
                x.squeeze(&mut tag);
                TagBytes::new(&tag)
            }
            Inner::Digest(d) => d.tag()?,
            // Without lent guest memory (see `squeeze`).
            Inner::Password(p) => return Ok(SymmetricTag::encoded(self.alg, p.encode(&mut [])?.as_bytes())),
            Inner::Hash(_)
            | Inner::HkdfExtract { .. }
            | Inner::HkdfExpand { .. }
            | Inner::Aead(_)
            | Inner::Cipher(_) => return Err(CryptoError::InvalidOperation),
        };
        Ok(SymmetricTag::new(self.alg, bytes))
    }

    /// `symmetric_state_squeeze_key`: a key for `target` (the PRK for HKDF-Extract).
    pub fn squeeze_key(&mut self, target: SymmetricAlgorithm) -> Result<SymmetricKey> {
        match &mut self.inner {
            Inner::HkdfExtract { ikm, salt } => {
                let Family::HkdfExtract(hash) = self.alg.family() else {
                    return Err(CryptoError::InternalError);
                };
                let prk = hkdf::extract(hash, salt, ikm.raw())?;
                SymmetricKey::import(target, &prk)
            }
            Inner::Xoodyak { x, .. } => {
                let len = target.generated_key_len().ok_or(CryptoError::KeyNotSupported)?;
                let mut raw = Zeroizing::new(vec![0u8; len]);
                x.squeeze_key(&mut raw)?;
                SymmetricKey::import(target, &raw)
            }
            Inner::Digest(d) if d.is_stream() => {
                let len = target.generated_key_len().ok_or(CryptoError::KeyNotSupported)?;
                let mut raw = Zeroizing::new(vec![0u8; len]);
                d.squeeze(&mut raw)?;
                SymmetricKey::import(target, &raw)
            }
            // Without lent guest memory (see `squeeze`).
            Inner::Password(p) => {
                let len = target.generated_key_len().ok_or(CryptoError::KeyNotSupported)?;
                let mut raw = Zeroizing::new(vec![0u8; len]);
                p.derive(&mut [], &mut raw)?;
                SymmetricKey::import(target, &raw)
            }
            Inner::Digest(_)
            | Inner::Hash(_)
            | Inner::Mac(_)
            | Inner::HkdfExpand { .. }
            | Inner::Aead(_)
            | Inner::Cipher(_) => Err(CryptoError::InvalidOperation),
        }
    }

    /// `symmetric_state_max_tag_len`.
    pub fn max_tag_len(&self) -> Result<usize> {
        match &self.inner {
            Inner::Digest(d) => return d.max_tag_len(),
            Inner::Cipher(c) => return Ok(c.max_tag_len()),
            Inner::Hash(_)
            | Inner::Mac(_)
            | Inner::HkdfExtract { .. }
            | Inner::HkdfExpand { .. }
            | Inner::Aead(_)
            | Inner::Xoodyak { .. }
            | Inner::Password(_) => {}
        }
        self.alg.tag_len().ok_or(CryptoError::InvalidOperation)
    }

    /// Encrypts `buf` in place, or `input` into `buf` when given, and returns the tag.
    fn seal_detached(&mut self, input: Option<&[u8]>, buf: &mut [u8]) -> Result<[u8; TAG_LEN]> {
        match &mut self.inner {
            Inner::Aead(a) => a.seal(input, buf),
            Inner::Xoodyak { x, .. } => {
                copy_in(input, buf)?;
                x.encrypt_in_place(buf)?;
                let mut tag = [0u8; TAG_LEN];
                x.squeeze(&mut tag);
                Ok(tag)
            }
            Inner::Hash(_)
            | Inner::Mac(_)
            | Inner::HkdfExtract { .. }
            | Inner::HkdfExpand { .. }
            | Inner::Digest(_)
            | Inner::Cipher(_)
            | Inner::Password(_) => Err(CryptoError::InvalidOperation),
        }
    }

    /// Decrypts `buf` in place, or `input` into `buf` when given, if `tag` authenticates it.
    fn open_detached(&mut self, input: Option<&[u8]>, buf: &mut [u8], tag: &[u8]) -> Result<()> {
        match &mut self.inner {
            Inner::Aead(a) => a.open(input, buf, tag),
            Inner::Xoodyak { x, .. } => {
                copy_in(input, buf)?;
                x.decrypt_in_place(buf)?;
                let mut expected = [0u8; TAG_LEN];
                x.squeeze(&mut expected);
                if bool::from(expected.ct_eq(tag)) {
                    Ok(())
                } else {
                    buf.fill(0);
                    Err(CryptoError::InvalidTag)
                }
            }
            Inner::Hash(_)
            | Inner::Mac(_)
            | Inner::HkdfExtract { .. }
            | Inner::HkdfExpand { .. }
            | Inner::Digest(_)
            | Inner::Cipher(_)
            | Inner::Password(_) => Err(CryptoError::InvalidOperation),
        }
    }

    fn encryption_tag_len(&self) -> Result<usize> {
        match self.inner {
            Inner::Aead(_) | Inner::Xoodyak { .. } => Ok(TAG_LEN),
            Inner::Hash(_)
            | Inner::Mac(_)
            | Inner::HkdfExtract { .. }
            | Inner::HkdfExpand { .. }
            | Inner::Digest(_)
            | Inner::Cipher(_)
            | Inner::Password(_) => Err(CryptoError::InvalidOperation),
        }
    }

    /// Checks, before any output is written, that the state can encrypt now: `nonce_required`
    /// if its nonce is spent, or for a keyed Xoodyak session opened without a nonce or cloned.
    fn check_can_seal(&self) -> Result<usize> {
        match &self.inner {
            Inner::Aead(a) => a.check_unsealed()?,
            Inner::Xoodyak { x, may_encrypt: false } if x.is_keyed() => return Err(CryptoError::NonceRequired),
            Inner::Xoodyak { .. }
            | Inner::Hash(_)
            | Inner::Mac(_)
            | Inner::HkdfExtract { .. }
            | Inner::HkdfExpand { .. }
            | Inner::Digest(_)
            | Inner::Cipher(_)
            | Inner::Password(_) => {}
        }
        self.encryption_tag_len()
    }

    /// `symmetric_state_encrypt`: the output must be exactly input + tag long. Returns its length.
    pub fn encrypt(&mut self, io: InOut<'_>) -> Result<usize> {
        if let Inner::Cipher(c) = &mut self.inner {
            return c.encrypt(io);
        }
        let tag_len = self.check_can_seal()?;
        let len = io.input_len();
        if io.output_len() != len.checked_add(tag_len).ok_or(CryptoError::Overflow)? {
            return Err(CryptoError::InvalidLength);
        }
        let Placed { input, output } = io.place(len)?;
        let (body, tag_out) = output.split_at_mut(len);
        let tag = self.seal_detached(input, body)?;
        tag_out.copy_from_slice(&tag);
        Ok(len + tag_len)
    }

    /// `symmetric_state_encrypt_detached`: output and input have the same length.
    pub fn encrypt_detached(&mut self, io: InOut<'_>) -> Result<SymmetricTag> {
        if let Inner::Cipher(c) = &mut self.inner {
            let tag = c.encrypt_detached(io)?;
            return Ok(SymmetricTag::new(self.alg, TagBytes::new(&tag)));
        }
        self.check_can_seal()?;
        let len = io.input_len();
        if io.output_len() != len {
            return Err(CryptoError::InvalidLength);
        }
        let Placed { input, output } = io.place(len)?;
        let tag = self.seal_detached(input, output)?;
        Ok(SymmetricTag::new(self.alg, TagBytes::new(&tag)))
    }

    /// `symmetric_state_decrypt`: the input is ciphertext ‖ tag, the output exactly the
    /// ciphertext's length. Returns the plaintext length.
    pub fn decrypt(&mut self, io: InOut<'_>) -> Result<usize> {
        if let Inner::Cipher(c) = &mut self.inner {
            return c.decrypt(io);
        }
        let tag_len = self.encryption_tag_len()?;
        let len = io.input_len().checked_sub(tag_len).ok_or(CryptoError::InvalidLength)?;
        if io.output_len() != len {
            return Err(CryptoError::InvalidLength);
        }
        let mut tag = [0u8; TAG_LEN];
        io.read_input(len, &mut tag)?;
        let Placed { input, output } = io.place(len)?;
        self.open_detached(input, output, &tag)?;
        Ok(len)
    }

    /// `symmetric_state_decrypt_detached`: output and input have the same length.
    pub fn decrypt_detached(&mut self, io: InOut<'_>, raw_tag: &[u8]) -> Result<usize> {
        if let Inner::Cipher(c) = &mut self.inner {
            return c.decrypt_detached(io, raw_tag);
        }
        self.encryption_tag_len()?;
        let len = io.input_len();
        if io.output_len() != len {
            return Err(CryptoError::InvalidLength);
        }
        let Placed { input, output } = io.place(len)?;
        self.open_detached(input, output, raw_tag)?;
        Ok(len)
    }

    /// `symmetric_state_ratchet`.
    pub fn ratchet(&mut self) -> Result<()> {
        match &mut self.inner {
            Inner::Xoodyak { x, .. } => x.ratchet(),
            Inner::Hash(_)
            | Inner::Mac(_)
            | Inner::HkdfExtract { .. }
            | Inner::HkdfExpand { .. }
            | Inner::Aead(_)
            | Inner::Digest(_)
            | Inner::Cipher(_)
            | Inner::Password(_) => Err(CryptoError::InvalidOperation),
        }
    }
}
