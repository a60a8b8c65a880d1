//! A per-context budget for the guest data the host keeps (option values, imported symmetric keys,
//! array outputs, AEAD associated data, HKDF salt and info, data absorbed by signature states), so that no guest can make the host hold unbounded
//! memory: beyond the budget, absorbing gives `overflow`.

use crate::error::{CryptoError, Result};
use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use zeroize::Zeroize;

/// The default budget of a context: 64 MiB of buffered guest data across all its states.
pub const DEFAULT_MAX_BUFFERED_BYTES: usize = 64 << 20;

/// How many bytes a context's buffers hold, and how many they may hold.
#[derive(Debug)]
pub(crate) struct Budget {
    used: AtomicUsize,
    limit: usize,
}

impl Budget {
    pub(crate) fn new(limit: usize) -> Arc<Self> {
        Arc::new(Self { used: AtomicUsize::new(0), limit })
    }

    /// The bytes charged now.
    pub(crate) fn used(&self) -> usize {
        self.used.load(Ordering::Relaxed)
    }

    /// The most bytes that may be charged.
    pub(crate) fn limit(&self) -> usize {
        self.limit
    }

    /// `overflow` unless `extra` more bytes fit.
    pub(crate) fn check(&self, extra: usize) -> Result<()> {
        let used = self.used.load(Ordering::Relaxed);
        if used.checked_add(extra).is_some_and(|total| total <= self.limit) {
            Ok(())
        } else {
            Err(CryptoError::Overflow)
        }
    }

    /// Charges `bytes` (`overflow` unless they fit); they are given back when the charge drops.
    pub(crate) fn charge(self: &Arc<Self>, bytes: usize) -> Result<Charge> {
        self.check(bytes)?;
        self.take(bytes);
        Ok(Charge { budget: self.clone(), bytes })
    }

    fn take(&self, n: usize) {
        self.used.fetch_add(n, Ordering::Relaxed);
    }

    fn give_back(&self, n: usize) {
        self.used.fetch_sub(n, Ordering::Relaxed);
    }
}

/// Bytes charged to a budget, given back when dropped.
#[derive(Debug)]
pub(crate) struct Charge {
    budget: Arc<Budget>,
    bytes: usize,
}

impl Drop for Charge {
    fn drop(&mut self) {
        self.budget.give_back(self.bytes);
    }
}

/// Bytes buffered on behalf of a guest, charged to its context's budget and wiped on drop.
#[derive(Debug)]
pub(crate) struct Buffered {
    /// Wiped in `drop`.
    bytes: Vec<u8>,
    budget: Arc<Budget>,
}

impl Buffered {
    pub(crate) fn new(budget: &Arc<Budget>) -> Self {
        Self { bytes: Vec::new(), budget: budget.clone() }
    }

    /// Appends `data`; `overflow` if the context's budget would be exceeded.
    pub(crate) fn extend(&mut self, data: &[u8]) -> Result<()> {
        self.budget.check(data.len())?;
        self.budget.take(data.len());
        self.bytes.extend_from_slice(data);
        Ok(())
    }
}

impl Clone for Buffered {
    /// Charges the copy too. Callers check the budget first (see `Budget::check`).
    fn clone(&self) -> Self {
        self.budget.take(self.bytes.len());
        Self { bytes: self.bytes.clone(), budget: self.budget.clone() }
    }
}

impl Drop for Buffered {
    fn drop(&mut self) {
        self.budget.give_back(self.bytes.len());
        // Most states never buffer anything: skip the wipe when nothing was ever allocated.
        if self.bytes.capacity() > 0 {
            self.bytes.zeroize();
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
        let budget = Budget::new(10);
        let mut a = Buffered::new(&budget);
        a.extend(b"12345678").unwrap();
        assert_eq!(a.extend(b"abc"), Err(CryptoError::Overflow));
        assert_eq!(&*a, b"12345678");
        assert_eq!(budget.check(3), Err(CryptoError::Overflow));
        let b = a.clone();
        assert_eq!(budget.check(0), Err(CryptoError::Overflow), "the clone is charged");
        drop(a);
        drop(b);
        assert_eq!(budget.check(10), Ok(()));
        let charge = budget.charge(7).unwrap();
        assert_eq!(budget.charge(4).err(), Some(CryptoError::Overflow));
        drop(charge);
        assert!(budget.charge(10).is_ok());
    }
}
