//! A per-context budget for the memory the host keeps on a guest's behalf: every object behind a
//! handle (see `handles.rs` for the per-kind estimates), option values including copy-on-write
//! copies, buffered data (AEAD associated data, HKDF salt and info, data absorbed by signature
//! states) and array outputs. Every charge is checked before the memory is allocated; beyond the
//! budget the call gives `overflow`.
//!
//! The budget also carries the cap on a single guest input that a host call copies or buffers
//! (`max_input_len`).

use crate::error::{CryptoError, Result};
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use zeroize::Zeroize;

/// The default budget of a context: 64 MiB across all its objects and buffers.
pub const DEFAULT_MAX_BUFFERED_BYTES: usize = 64 << 20;

/// The default cap on a single guest input that a host call copies or buffers, and on a single
/// squeeze: 16 MiB.
pub const DEFAULT_MAX_INPUT_LEN: usize = 16 << 20;

/// The default cap on the work of one password-hash derivation: 2^28 units, where a unit is one
/// 1 KiB Argon2 block of one pass, 1 KiB of scrypt BlockMix, or one PBKDF2 iteration of one output
/// block (2^28 is m = 1 GiB with t = 256, or a few minutes on one core).
pub const DEFAULT_MAX_PASSWORD_WORK: u64 = 1 << 28;

/// How many bytes a context holds, how many it may hold, how long one input may be, and how much
/// work one password-hash derivation may do.
#[derive(Debug)]
pub(crate) struct Budget {
    used: AtomicUsize,
    limit: usize,
    max_input_len: usize,
    max_password_work: u64,
}

impl Budget {
    #[cfg(test)]
    pub(crate) fn new(limit: usize, max_input_len: usize) -> Arc<Self> {
        Self::with_password_work(limit, max_input_len, DEFAULT_MAX_PASSWORD_WORK)
    }

    /// A budget with a cap on password-hash work (see [`DEFAULT_MAX_PASSWORD_WORK`]).
    pub(crate) fn with_password_work(limit: usize, max_input_len: usize, max_password_work: u64) -> Arc<Self> {
        Arc::new(Self { used: AtomicUsize::new(0), limit, max_input_len, max_password_work })
    }

    /// `overflow` if a password-hash derivation of `work` units is more than the context allows.
    pub(crate) fn check_password_work(&self, work: u64) -> Result<()> {
        if work <= self.max_password_work { Ok(()) } else { Err(CryptoError::Overflow) }
    }

    /// The bytes charged now.
    pub(crate) fn used(&self) -> usize {
        self.used.load(Ordering::Relaxed)
    }

    /// The most bytes that may be charged.
    pub(crate) fn limit(&self) -> usize {
        self.limit
    }

    /// The longest single input a call may copy or buffer.
    pub(crate) fn max_input_len(&self) -> usize {
        self.max_input_len
    }

    /// `overflow` if a guest input of `len` bytes is longer than the context accepts.
    pub(crate) fn check_input(&self, len: usize) -> Result<()> {
        if len <= self.max_input_len { Ok(()) } else { Err(CryptoError::Overflow) }
    }

    /// `overflow` unless `extra` more bytes would fit now. A hint only, to refuse early before
    /// expensive work; the charge itself ([`Budget::take`]) is checked again.
    pub(crate) fn check(&self, extra: usize) -> Result<()> {
        let used = self.used.load(Ordering::Relaxed);
        if used.checked_add(extra).is_some_and(|total| total <= self.limit) {
            Ok(())
        } else {
            Err(CryptoError::Overflow)
        }
    }

    /// Charges `n` bytes if they fit (`overflow` otherwise, and nothing is charged). One atomic
    /// read-modify-write.
    pub(crate) fn take(&self, n: usize) -> Result<()> {
        self.used
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
                used.checked_add(n).filter(|total| *total <= self.limit)
            })
            .map(drop)
            .map_err(|_| CryptoError::Overflow)
    }

    /// Gives back bytes charged with [`Budget::take`].
    pub(crate) fn give_back(&self, n: usize) {
        self.used.fetch_sub(n, Ordering::Relaxed);
    }

    /// Charges `bytes` (`overflow` unless they fit); they are given back when the charge drops.
    pub(crate) fn charge(self: &Arc<Self>, bytes: usize) -> Result<Charge> {
        self.take(bytes)?;
        Ok(Charge { budget: self.clone(), bytes })
    }
}

/// Bytes charged to a context's budget, given back when dropped (see [`crate::CryptoCtx::charge`]).
#[derive(Debug)]
pub struct Charge {
    budget: Arc<Budget>,
    bytes: usize,
}

impl Drop for Charge {
    fn drop(&mut self) {
        self.budget.give_back(self.bytes);
    }
}

/// Bytes buffered on behalf of a guest, charged (by capacity) to its context's budget and wiped
/// on drop and whenever they move to a larger allocation.
pub(crate) struct Buffered {
    /// Wiped in `drop` and before every reallocation; never grows beyond `charged`.
    bytes: Vec<u8>,
    /// The capacity charged to `budget`.
    charged: usize,
    budget: Arc<Budget>,
}

impl fmt::Debug for Buffered {
    /// Prints the length only: buffered data may be secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Buffered").field("len", &self.bytes.len()).finish_non_exhaustive()
    }
}

impl Buffered {
    pub(crate) fn new(budget: &Arc<Budget>) -> Self {
        Self { bytes: Vec::new(), charged: 0, budget: budget.clone() }
    }

    /// A buffer holding a copy of `data`: `overflow` if `data` is longer than the context's
    /// input cap or does not fit its budget (checked before allocating).
    pub(crate) fn from_slice(budget: &Arc<Budget>, data: &[u8]) -> Result<Self> {
        let mut buffered = Self::new(budget);
        buffered.extend(data)?;
        Ok(buffered)
    }

    /// Appends `data`; `overflow` if the input is longer than the context's input cap, or if the
    /// context's budget would be exceeded (checked before allocating).
    pub(crate) fn extend(&mut self, data: &[u8]) -> Result<()> {
        self.budget.check_input(data.len())?;
        let needed = self.bytes.len().checked_add(data.len()).ok_or(CryptoError::Overflow)?;
        if needed > self.charged {
            // Grow geometrically when the budget allows it, exactly otherwise.
            let doubled = needed.max(self.charged.saturating_mul(2));
            let new_capacity = if self.budget.take(doubled - self.charged).is_ok() {
                doubled
            } else {
                self.budget.take(needed - self.charged)?;
                needed
            };
            let mut grown = Vec::with_capacity(new_capacity);
            grown.extend_from_slice(&self.bytes);
            // The old allocation is wiped before it is freed.
            self.bytes.zeroize();
            self.bytes = grown;
            self.charged = new_capacity;
        }
        self.bytes.extend_from_slice(data);
        Ok(())
    }

    /// A copy charged to the same budget; `overflow` if it does not fit (nothing is allocated
    /// then).
    pub(crate) fn try_clone(&self) -> Result<Self> {
        Self::from_slice(&self.budget, &self.bytes)
    }

    /// Overwrites every byte ever written with zeros (volatile writes; the length is kept).
    /// Bytes beyond the length were never written: the buffer only grows by appending, and
    /// moving to a larger allocation wipes the old one.
    fn wipe(&mut self) {
        self.bytes.as_mut_slice().zeroize();
    }
}

impl Drop for Buffered {
    fn drop(&mut self) {
        // Most states never buffer anything: skip the wipe when nothing was ever allocated.
        if self.charged > 0 {
            self.wipe();
            self.budget.give_back(self.charged);
        }
    }
}

impl Deref for Buffered {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charges_and_refunds() {
        let budget = Budget::new(10, 100);
        let mut a = Buffered::new(&budget);
        a.extend(b"12345678").unwrap();
        assert_eq!(budget.used(), 8);
        assert_eq!(a.extend(b"abc"), Err(CryptoError::Overflow));
        assert_eq!(&*a, b"12345678");
        assert_eq!(budget.check(3), Err(CryptoError::Overflow));
        assert_eq!(a.try_clone().err(), Some(CryptoError::Overflow), "the clone is charged, and checked");
        assert_eq!(budget.used(), 8);
        let b = a.try_clone();
        assert!(b.is_err());
        drop(a);
        assert_eq!(budget.used(), 0);
        assert_eq!(budget.check(10), Ok(()));
        let charge = budget.charge(7).unwrap();
        assert_eq!(budget.charge(4).err(), Some(CryptoError::Overflow));
        assert_eq!(budget.used(), 7);
        drop(charge);
        assert!(budget.charge(10).is_ok());
        assert_eq!(budget.take(usize::MAX), Err(CryptoError::Overflow), "no wrap-around");
    }

    #[test]
    fn growth_is_charged_by_capacity() {
        let budget = Budget::new(100, 100);
        let mut a = Buffered::new(&budget);
        a.extend(&[1; 10]).unwrap();
        a.extend(&[2; 1]).unwrap();
        assert_eq!(budget.used(), 20, "doubled capacity");
        a.extend(&[3; 50]).unwrap();
        assert_eq!(budget.used(), 61);
        a.extend(&[4; 39]).unwrap();
        assert_eq!(budget.used(), 100, "exact growth when doubling does not fit");
        assert_eq!(a.len(), 100);
        drop(a);
        assert_eq!(budget.used(), 0);
    }

    #[test]
    fn input_cap() {
        let budget = Budget::new(1000, 16);
        let mut a = Buffered::new(&budget);
        assert_eq!(a.extend(&[0; 17]), Err(CryptoError::Overflow));
        assert_eq!(budget.used(), 0);
        assert!(a.extend(&[0; 16]).is_ok());
        assert!(a.extend(&[0; 16]).is_ok(), "the cap is per input, not per buffer");
    }

    #[test]
    fn wipe_zeroes_the_bytes() {
        let budget = Budget::new(100, 100);
        let mut a = Buffered::from_slice(&budget, b"secret").unwrap();
        a.extend(b" and more").unwrap();
        a.wipe();
        assert_eq!(&*a, &[0u8; 15]);
    }

    #[test]
    fn debug_shows_no_bytes() {
        let budget = Budget::new(100, 100);
        let a = Buffered::from_slice(&budget, b"secret!").unwrap();
        let printed = format!("{a:?}");
        assert!(printed.contains("len: 7"), "{printed}");
        assert!(!printed.contains('['), "no byte list: {printed}");
    }
}
