//! Password hashing: Argon2 (RFC 9106), scrypt (RFC 7914) and PBKDF2-HMAC (RFC 8018).
//!
//! Options: `memory` (guest buffer: Argon2's m is its size in KiB; scrypt's N · r · 128 bytes
//! must fit), `opslimit` (Argon2's t, scrypt's log2 N, PBKDF2's iterations), `parallelism`
//! (Argon2's and scrypt's p, default 1), `salt` (default: 16 random bytes, readable with
//! `symmetric_state_options_get`), and for Argon2 `context` (the associated data X); an Argon2
//! key is its secret K. `absorb` appends to the password; `squeeze` gives the raw derived key,
//! `squeeze_tag` the PHC string with a 32-byte hash, `squeeze_key` a key of the target
//! algorithm's generated length. Every derivation runs to completion within the call.
//!
//! The scratch memory of a module is the guest's: the runtime glue lends the guest's linear
//! memory to the `*_in` calls of [`CryptoCtx`], and the host keeps no memory proportional to it.
//! A component's `options-set-guest-buffer` hands over a copy instead: the host keeps that copy
//! as the scratch memory, charged to the context's budget and wiped when freed
//! ([`CryptoCtx::options_set_host_buffer`]), and the plain squeeze calls use it. Both kinds
//! reach the same derivation code as one `&mut [u8]`.

pub(crate) mod argon2;
mod phc;
pub(crate) mod scrypt;

use super::SymmetricAlgorithm;
use super::key::SymmetricKey;
use super::state::SymmetricState;
use super::tag::SymmetricTag;
use crate::budget::{Budget, Buffered};
use crate::ctx::CryptoCtx;
use crate::error::{CryptoError, Result};
use crate::handles::Handle;
use crate::options::{ScratchMemory, SymmetricOptions};
use std::ops::Range;
use std::sync::Arc;
use zeroize::Zeroizing;

pub use argon2::Variant as Argon2Variant;

/// A password-hashing algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordAlgorithm {
    /// Argon2 version 1.3 (RFC 9106).
    Argon2(Argon2Variant),
    /// scrypt (RFC 7914) with r = 8.
    Scrypt,
    /// PBKDF2-HMAC-SHA-256 (RFC 8018).
    Pbkdf2Sha256,
    /// PBKDF2-HMAC-SHA-512 (RFC 8018).
    Pbkdf2Sha512,
}

/// The salt length used when the guest sets none.
pub const DEFAULT_SALT_LEN: usize = 16;
/// The longest salt accepted (a PHC string's salt holds at most 64 bytes here).
pub const MAX_SALT_LEN: usize = 64;
/// The shortest Argon2 salt (RFC 9106: 8 bytes).
pub const MIN_ARGON2_SALT_LEN: usize = 8;
/// The largest Argon2 `parallelism` (RFC 9106: 2^24 - 1). The host keeps no memory per lane.
pub const MAX_ARGON2_LANES: u64 = (1 << 24) - 1;
/// The largest scrypt `parallelism`: the host holds p KiB for scrypt's B.
pub const MAX_SCRYPT_PARALLELISM: u64 = 255;
/// The length of the hash in a `squeeze_tag` string.
pub const ENCODED_HASH_LEN: usize = 32;

/// The longest secret key an Argon2 state accepts.
pub const MAX_ARGON2_SECRET_LEN: usize = 1024;

/// A password-hashing state: the parameters, checked at open, and the absorbed password.
pub(crate) struct PasswordState {
    alg: PasswordAlgorithm,
    opslimit: u32,
    parallelism: u32,
    memory: Option<ScratchMemory>,
    salt: Zeroizing<Vec<u8>>,
    secret: Option<Arc<SymmetricKey>>,
    associated_data: Zeroizing<Vec<u8>>,
    password: Buffered,
    /// The context's limits, for the work cap.
    budget: Arc<Budget>,
}

fn range_check(value: u64, min: u64, max: u64) -> Result<u32> {
    if (min..=max).contains(&value) {
        u32::try_from(value).map_err(|_| CryptoError::InvalidLength)
    } else {
        Err(CryptoError::InvalidLength)
    }
}

impl PasswordState {
    /// Checks the options and opens a state. `parameters_missing` without `opslimit`, or
    /// without `memory` for Argon2 and scrypt; `invalid_length` for a parameter out of range
    /// (opslimit 0, parallelism 0 or too large, memory too small, salt too short or too long);
    /// `unsupported_option` for options the algorithm does not use; `key_not_supported` for a
    /// key given to scrypt or PBKDF2. A generated salt is stored in the state's options.
    pub(crate) fn open(
        alg: PasswordAlgorithm,
        key: Option<Arc<SymmetricKey>>,
        options: &mut Arc<SymmetricOptions>,
        budget: &Arc<Budget>,
    ) -> Result<Self> {
        let is_argon2 = matches!(alg, PasswordAlgorithm::Argon2(_));
        let needs_memory = !matches!(alg, PasswordAlgorithm::Pbkdf2Sha256 | PasswordAlgorithm::Pbkdf2Sha512);
        if options.nonce().is_some()
            || (!is_argon2 && options.context.is_some())
            || (!needs_memory && (options.memory.is_some() || options.parallelism.is_some()))
        {
            return Err(CryptoError::UnsupportedOption);
        }
        if key.is_some() && !is_argon2 {
            return Err(CryptoError::KeyNotSupported);
        }
        let opslimit = options.opslimit.ok_or(CryptoError::ParametersMissing)?;
        let memory =
            if needs_memory { Some(options.memory.clone().ok_or(CryptoError::ParametersMissing)?) } else { None };
        let parallelism = options.parallelism.unwrap_or(1);
        let buffer_len = memory.as_ref().map_or(0, ScratchMemory::len);
        let (opslimit, parallelism) = match alg {
            PasswordAlgorithm::Argon2(_) => {
                let lanes = range_check(parallelism, 1, MAX_ARGON2_LANES)?;
                if u64::from(argon2::memory_kib(buffer_len)) < 8 * u64::from(lanes) {
                    return Err(CryptoError::InvalidLength);
                }
                (range_check(opslimit, 1, u64::from(u32::MAX))?, lanes)
            }
            PasswordAlgorithm::Scrypt => {
                let log_n = range_check(opslimit, 1, 63)?;
                if scrypt::scratch_len(log_n, scrypt::BLOCK_SIZE).is_none_or(|needed| needed > buffer_len) {
                    return Err(CryptoError::InvalidLength);
                }
                (log_n, range_check(parallelism, 1, MAX_SCRYPT_PARALLELISM)?)
            }
            PasswordAlgorithm::Pbkdf2Sha256 | PasswordAlgorithm::Pbkdf2Sha512 => {
                (range_check(opslimit, 1, u64::from(u32::MAX))?, 1)
            }
        };
        let salt = match options.salt.as_deref() {
            Some(salt) => Zeroizing::new(salt.to_vec()),
            None => {
                let mut salt = Zeroizing::new(vec![0u8; DEFAULT_SALT_LEN]);
                crate::random::fill(&mut salt)?;
                let mut own = options.try_clone(budget)?;
                own.set_salt(Buffered::from_slice(budget, &salt)?);
                *options = Arc::new(own);
                salt
            }
        };
        let min_salt = if is_argon2 { MIN_ARGON2_SALT_LEN } else { 0 };
        if !(min_salt..=MAX_SALT_LEN).contains(&salt.len()) {
            return Err(CryptoError::InvalidLength);
        }
        let associated_data = Zeroizing::new(options.context.as_deref().unwrap_or_default().to_vec());
        Ok(Self {
            alg,
            opslimit,
            parallelism,
            memory,
            salt,
            secret: key,
            associated_data,
            password: Buffered::new(budget),
            budget: budget.clone(),
        })
    }

    /// An independent copy (the password is charged again).
    pub(crate) fn try_clone(&self) -> Result<Self> {
        Ok(Self {
            alg: self.alg,
            opslimit: self.opslimit,
            parallelism: self.parallelism,
            memory: self.memory.clone(),
            salt: self.salt.clone(),
            secret: self.secret.clone(),
            associated_data: self.associated_data.clone(),
            password: self.password.try_clone()?,
            budget: self.budget.clone(),
        })
    }

    /// The heap memory the state holds besides its password buffer.
    pub(crate) fn footprint(&self) -> usize {
        size_of::<Self>()
            + self.salt.capacity()
            + self.associated_data.capacity()
            + self.secret.as_ref().map_or(0, |k| k.footprint())
    }

    /// The number of password bytes buffered.
    pub(crate) fn buffered_len(&self) -> usize {
        self.password.len()
    }

    /// `absorb`: appends to the password.
    pub(crate) fn absorb(&mut self, data: &[u8]) -> Result<()> {
        self.password.extend(data)
    }

    /// The work of one derivation of `out_len` bytes, in the units of
    /// [`crate::DEFAULT_MAX_PASSWORD_WORK`].
    fn work(&self, out_len: usize) -> u64 {
        let (t, p) = (u64::from(self.opslimit), u64::from(self.parallelism));
        match self.alg {
            PasswordAlgorithm::Argon2(_) => u64::from(argon2::memory_kib(self.memory_len())).saturating_mul(t),
            // 2 N BlockMix of 128 r bytes per lane: 2 N r p / 8 KiB.
            PasswordAlgorithm::Scrypt => (1u64 << t).saturating_mul(2 * u64::from(scrypt::BLOCK_SIZE) * p / 8),
            PasswordAlgorithm::Pbkdf2Sha256 => t.saturating_mul(out_len.div_ceil(32) as u64),
            PasswordAlgorithm::Pbkdf2Sha512 => t.saturating_mul(out_len.div_ceil(64) as u64),
        }
    }

    /// The length of the scratch memory (0 for PBKDF2).
    fn memory_len(&self) -> usize {
        self.memory.as_ref().map_or(0, ScratchMemory::len)
    }

    /// Derives `out` (the raw key) in the scratch memory: a guest buffer within the lent
    /// `memory`, or the host-owned buffer. `guest_error` if a guest buffer lies outside `memory`; `invalid_length` for an empty output
    /// or one shorter than 4 bytes for Argon2; `overflow` if the work is more than the context
    /// allows.
    pub(crate) fn derive(&self, memory: &mut [u8], out: &mut [u8]) -> Result<()> {
        let min_len = if matches!(self.alg, PasswordAlgorithm::Argon2(_)) { 4 } else { 1 };
        if out.len() < min_len || u32::try_from(out.len()).is_err() {
            return Err(CryptoError::InvalidLength);
        }
        self.budget.check_password_work(self.work(out.len()))?;
        match self.alg {
            PasswordAlgorithm::Argon2(variant) => {
                let inputs = argon2::Inputs {
                    variant,
                    passes: self.opslimit,
                    lanes: self.parallelism,
                    password: &self.password,
                    salt: &self.salt,
                    secret: self.secret.as_ref().map_or(&[], |k| k.raw()),
                    associated_data: &self.associated_data,
                };
                self.with_scratch(memory, |scratch| argon2::hash(&inputs, scratch, out))?;
            }
            PasswordAlgorithm::Scrypt => self.with_scratch(memory, |scratch| {
                scrypt::hash(
                    &self.password,
                    &self.salt,
                    self.opslimit,
                    scrypt::BLOCK_SIZE,
                    self.parallelism,
                    scratch,
                    out,
                )
            })?,
            PasswordAlgorithm::Pbkdf2Sha256 => {
                pbkdf2::pbkdf2_hmac::<sha2::Sha256>(&self.password, &self.salt, self.opslimit, out)
            }
            PasswordAlgorithm::Pbkdf2Sha512 => {
                pbkdf2::pbkdf2_hmac::<sha2::Sha512>(&self.password, &self.salt, self.opslimit, out)
            }
        }
        Ok(())
    }

    /// Runs `f` on the scratch memory: the guest buffer resolved within the lent `memory`
    /// (`guest_error` if it lies outside), or the host-owned buffer, held for the call.
    fn with_scratch(&self, memory: &mut [u8], f: impl FnOnce(&mut [u8])) -> Result<()> {
        match self.memory.as_ref().ok_or(CryptoError::ParametersMissing)? {
            ScratchMemory::Guest(buffer) => {
                let start = buffer.ptr as usize;
                let end = start.checked_add(buffer.len as usize).ok_or(CryptoError::GuestError)?;
                f(memory.get_mut(start..end).ok_or(CryptoError::GuestError)?);
            }
            ScratchMemory::Host(scratch) => f(&mut scratch.lock()),
        }
        Ok(())
    }

    /// The PHC string of the password with a [`ENCODED_HASH_LEN`]-byte hash.
    pub(crate) fn encode(&self, memory: &mut [u8]) -> Result<Zeroizing<String>> {
        let mut hash = Zeroizing::new([0u8; ENCODED_HASH_LEN]);
        self.derive(memory, &mut hash[..])?;
        let (id, params) = match self.alg {
            PasswordAlgorithm::Argon2(variant) => {
                let m = argon2::memory_kib(self.memory_len());
                (variant.phc_id(), format!("v={}$m={m},t={},p={}", argon2::VERSION, self.opslimit, self.parallelism))
            }
            PasswordAlgorithm::Scrypt => {
                ("scrypt", format!("ln={},r={},p={}", self.opslimit, scrypt::BLOCK_SIZE, self.parallelism))
            }
            PasswordAlgorithm::Pbkdf2Sha256 => ("pbkdf2-sha256", format!("i={},l={ENCODED_HASH_LEN}", self.opslimit)),
            PasswordAlgorithm::Pbkdf2Sha512 => ("pbkdf2-sha512", format!("i={},l={ENCODED_HASH_LEN}", self.opslimit)),
        };
        Ok(phc::encode(id, &params, &self.salt, &hash[..]))
    }
}

impl CryptoCtx {
    /// `symmetric_state_squeeze` for a runtime that lends the guest's linear memory: `out` is a
    /// range of `memory`, and a password hash's `memory` guest buffer is resolved within it.
    /// A password hash is computed into a host buffer (at most the context's input cap long:
    /// `overflow` beyond) and then copied to `out`, so that `out` may overlap the scratch buffer.
    pub fn symmetric_state_squeeze_in(&mut self, state: Handle, memory: &mut [u8], out: Range<usize>) -> Result<()> {
        let budget = self.budget.clone();
        let state = self.handles.get_mut::<Box<SymmetricState>>(state)?;
        if memory.get(out.clone()).is_none() {
            return Err(CryptoError::GuestError);
        }
        match state.password() {
            Some(password) => {
                budget.check_input(out.len())?;
                let mut derived = Zeroizing::new(vec![0u8; out.len()]);
                password.derive(memory, &mut derived)?;
                memory[out].copy_from_slice(&derived);
                Ok(())
            }
            None => state.squeeze(&mut memory[out], &budget),
        }
    }

    /// `symmetric_state_squeeze_tag` with the guest's linear memory lent (see
    /// [`CryptoCtx::symmetric_state_squeeze_in`]): a password hash's PHC string.
    pub fn symmetric_state_squeeze_tag_in(&mut self, state: Handle, memory: &mut [u8]) -> Result<Handle> {
        let state = self.handles.get_mut::<Box<SymmetricState>>(state)?;
        let tag = match state.password() {
            Some(password) => SymmetricTag::encoded(state.algorithm(), password.encode(memory)?.as_bytes()),
            None => state.squeeze_tag()?,
        };
        self.handles.insert(tag)
    }

    /// `symmetric_state_squeeze_key` with the guest's linear memory lent (see
    /// [`CryptoCtx::symmetric_state_squeeze_in`]): for a password hash, a key of `alg`'s
    /// generated length derived from the password.
    pub fn symmetric_state_squeeze_key_in(&mut self, state: Handle, alg: &str, memory: &mut [u8]) -> Result<Handle> {
        let target = SymmetricAlgorithm::from_name(alg)?;
        let is_password = self.handles.get::<Box<SymmetricState>>(state)?.password().is_some();
        if !is_password {
            return self.symmetric_state_squeeze_key(state, alg);
        }
        let len = target.generated_key_len().ok_or(CryptoError::KeyNotSupported)?;
        self.reserve(SymmetricKey::estimated_footprint(target, len))?;
        let state = self.handles.get::<Box<SymmetricState>>(state)?;
        let password = state.password().ok_or(CryptoError::InternalError)?;
        let mut raw = Zeroizing::new(vec![0u8; len]);
        password.derive(memory, &mut raw)?;
        let key = SymmetricKey::import(target, &raw)?;
        self.handles.insert(Arc::new(key))
    }
}

#[cfg(test)]
mod tests;
