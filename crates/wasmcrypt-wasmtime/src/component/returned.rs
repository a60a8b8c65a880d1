//! The lists component calls return, kept by the host.
//!
//! A function that returns a `list<u8>` hands the canonical ABI a host buffer, which it copies
//! into the guest and then drops. For the functions that return bulk data or secrets, the host
//! keeps that buffer instead ([`ReturnedList`]): the next call of the same length writes into it
//! again (no allocation, no zeroing, and the memory is still in cache), and a buffer of another
//! length is wiped before it is freed, so a returned plaintext, key or derived secret never
//! lingers in freed host memory.

use ::wasmcrypt::{Charge, CryptoCtx, CryptoError};
use std::sync::Arc;
use zeroize::Zeroize;

/// The list a family of functions returned last, kept in the instance's context.
///
/// A list is kept only while it is charged to the context's byte budget, and only up to the
/// context's input cap; one that cannot be is returned without being kept (the canonical ABI
/// frees it, unwiped).
#[derive(Default)]
pub(crate) struct ReturnedList {
    kept: Option<Kept>,
}

/// A kept list and its charge.
struct Kept {
    list: Arc<[u8]>,
    charge: Charge,
}

impl ReturnedList {
    /// Runs `fill` on a buffer of `len` bytes and returns what it wrote as a list the host keeps,
    /// with `fill`'s other result. `fill` returns how many bytes it wrote.
    pub(crate) fn fill<X>(
        &mut self,
        cx: &mut CryptoCtx,
        len: usize,
        fill: impl FnOnce(&mut CryptoCtx, &mut [u8]) -> Result<(usize, X), CryptoError>,
    ) -> Result<(Arc<[u8]>, X), CryptoError> {
        let (mut buffer, charge) = self.buffer(len);
        let filled = match Arc::get_mut(&mut buffer) {
            Some(output) => fill(cx, output),
            None => Err(CryptoError::InternalError),
        };
        let result = match &filled {
            Ok((written, _)) if *written == buffer.len() => Ok(buffer.clone()),
            Ok((written, _)) => buffer.get(..*written).map(Arc::from).ok_or(CryptoError::InternalError),
            Err(e) => Err(*e),
        };
        self.keep(cx, buffer, charge);
        Ok((result?, filled?.1))
    }

    /// The length of the kept list (0 if none).
    pub(crate) fn kept_len(&self) -> usize {
        self.kept.as_ref().map_or(0, |kept| kept.list.len())
    }

    /// A buffer of `len` bytes for a result, with its charge if it has one: the kept list if it
    /// has that length and the canonical ABI is done with it, otherwise a new one (the kept one
    /// wiped, and its charge given back).
    fn buffer(&mut self, len: usize) -> (Arc<[u8]>, Option<Charge>) {
        if let Some(mut kept) = self.kept.take() {
            if kept.list.len() == len && Arc::get_mut(&mut kept.list).is_some() {
                return (kept.list, Some(kept.charge));
            }
            wipe(&mut kept.list);
        }
        (std::iter::repeat_n(0u8, len).collect(), None)
    }

    /// Keeps `list` if it is charged already or can be charged now (and is no longer than the
    /// input cap); wipes it otherwise, unless the canonical ABI still holds it.
    fn keep(&mut self, cx: &CryptoCtx, mut list: Arc<[u8]>, charge: Option<Charge>) {
        let charge =
            charge.or_else(|| (list.len() <= cx.max_input_len()).then(|| cx.charge(list.len()).ok()).flatten());
        match charge {
            Some(charge) => self.kept = Some(Kept { list, charge }),
            None => wipe(&mut list),
        }
    }
}

/// Zeroes `list` if nothing else refers to it.
fn wipe(list: &mut Arc<[u8]>) {
    if let Some(bytes) = Arc::get_mut(list) {
        bytes.zeroize();
    }
}

impl Drop for ReturnedList {
    fn drop(&mut self) {
        if let Some(kept) = &mut self.kept {
            wipe(&mut kept.list);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill_all(lists: &mut ReturnedList, cx: &mut CryptoCtx, len: usize) -> Arc<[u8]> {
        lists.fill(cx, len, |_, out| Ok((out.len(), ()))).unwrap().0
    }

    #[test]
    fn a_list_of_the_same_length_is_reused_once_the_abi_dropped_it() {
        let (mut lists, mut cx) = (ReturnedList::default(), CryptoCtx::new());
        let returned = fill_all(&mut lists, &mut cx, 8);
        let address = returned.as_ptr();
        drop(returned);
        let again = fill_all(&mut lists, &mut cx, 8);
        assert_eq!(again.as_ptr(), address, "the kept list is written again");
        assert_ne!(fill_all(&mut lists, &mut cx, 8).as_ptr(), again.as_ptr(), "a list still referenced is not reused");
    }

    #[test]
    fn kept_lists_arecharged_to_the_budget_and_given_back() {
        let mut cx = CryptoCtx::builder().max_buffered_bytes(100).build();
        let mut lists = ReturnedList::default();
        drop(fill_all(&mut lists, &mut cx, 60));
        assert_eq!(cx.buffered_bytes(), 60);
        drop(fill_all(&mut lists, &mut cx, 60));
        assert_eq!(cx.buffered_bytes(), 60, "reused, not charged twice");
        drop(fill_all(&mut lists, &mut cx, 30));
        assert_eq!(cx.buffered_bytes(), 30, "the old list's charge is given back");
        let mut other = ReturnedList::default();
        assert_eq!(fill_all(&mut other, &mut cx, 80).len(), 80, "returned even when it cannot be kept");
        assert_eq!(cx.buffered_bytes(), 30, "and not kept");
        drop(lists);
        assert_eq!(cx.buffered_bytes(), 0);
    }

    #[test]
    fn lists_above_the_input_cap_are_not_kept() {
        let mut cx = CryptoCtx::builder().max_input_len(16).build();
        let mut lists = ReturnedList::default();
        assert_eq!(fill_all(&mut lists, &mut cx, 17).len(), 17);
        assert_eq!(cx.buffered_bytes(), 0);
    }

    #[test]
    fn fill_returns_what_was_written_and_keeps_the_buffer_on_failure() {
        let (mut lists, mut cx) = (ReturnedList::default(), CryptoCtx::new());
        let (whole, extra) = lists.fill(&mut cx, 4, |_, out| Ok((out.len(), 7))).unwrap();
        assert_eq!((whole.len(), extra), (4, 7));
        drop(whole);
        let (short, ()) = lists
            .fill(&mut cx, 4, |_, out| {
                out[..2].copy_from_slice(b"ab");
                Ok((2, ()))
            })
            .unwrap();
        assert_eq!(&*short, b"ab", "a shorter result is copied out");
        let failed = lists.fill(&mut cx, 4, |_, _| Err::<(usize, ()), _>(CryptoError::InvalidTag));
        assert_eq!(failed.err(), Some(CryptoError::InvalidTag));
        assert_eq!(cx.buffered_bytes(), 4, "the buffer stays kept");
        assert!(lists.fill(&mut cx, 4, |_, out| Ok((out.len() + 1, ()))).is_err(), "no more than the buffer");
    }
}
