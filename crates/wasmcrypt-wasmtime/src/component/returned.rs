//! The lists component calls return, kept by the host.
//!
//! A function that returns a `list<u8>` hands the canonical ABI a host buffer, which it copies
//! into the guest and then drops. For the functions that return bulk data or secrets, the host
//! keeps that buffer instead ([`ReturnedList`]): the next call of the same length writes into it
//! again (no allocation, no zeroing, and the memory is still in cache), and a buffer of another
//! length is wiped before it is freed, so a returned plaintext, key or derived secret never
//! lingers in freed host memory.

use ::wasmcrypt::CryptoError;
use std::sync::Arc;
use zeroize::Zeroize;

/// The list a family of functions returned last, kept in the instance's context.
#[derive(Default)]
pub(crate) struct ReturnedList {
    /// The list the last call returned, kept to be written again or wiped.
    returned: Option<Arc<[u8]>>,
}

impl ReturnedList {
    /// Runs `fill` on a buffer of `len` bytes and returns what it wrote as a list the host keeps
    /// (at most `max_len` bytes are kept; see [`ReturnedList::keep`]), with `fill`'s other result.
    /// `fill` returns how many bytes it wrote.
    pub(crate) fn fill<X>(
        &mut self,
        len: usize,
        max_len: usize,
        fill: impl FnOnce(&mut [u8]) -> Result<(usize, X), CryptoError>,
    ) -> Result<(Arc<[u8]>, X), CryptoError> {
        let mut buffer = self.buffer(len);
        let filled = match Arc::get_mut(&mut buffer) {
            Some(output) => fill(output),
            None => Err(CryptoError::InternalError),
        };
        match filled {
            Ok((written, extra)) if written == buffer.len() => Ok((self.keep(buffer, max_len), extra)),
            Ok((written, extra)) => {
                let result = buffer.get(..written).map(Arc::from).ok_or(CryptoError::InternalError);
                self.put_back(buffer, max_len);
                Ok((result?, extra))
            }
            Err(e) => {
                self.put_back(buffer, max_len);
                Err(e)
            }
        }
    }

    /// A buffer of `len` bytes for a result: the last returned list if it has that length and
    /// the canonical ABI is done with it, otherwise a new one (the old one wiped).
    fn buffer(&mut self, len: usize) -> Arc<[u8]> {
        if let Some(mut last) = self.returned.take() {
            if last.len() == len && Arc::get_mut(&mut last).is_some() {
                return last;
            }
            wipe(&mut last);
        }
        std::iter::repeat_n(0u8, len).collect()
    }

    /// Keeps `buffer` when it holds at most `max_len` bytes, and hands it back to be returned:
    /// the canonical ABI reads it and drops its own reference, leaving this one to be written
    /// again or wiped. Larger lists are returned without being kept.
    fn keep(&mut self, buffer: Arc<[u8]>, max_len: usize) -> Arc<[u8]> {
        if buffer.len() <= max_len {
            self.returned = Some(buffer.clone());
        }
        buffer
    }

    /// Takes back a buffer that is not returned (the call failed): kept if it fits, wiped
    /// otherwise.
    fn put_back(&mut self, mut buffer: Arc<[u8]>, max_len: usize) {
        if buffer.len() <= max_len {
            self.returned = Some(buffer);
        } else {
            wipe(&mut buffer);
        }
    }
}

/// Zeroes `buffer` if nothing else refers to it.
fn wipe(buffer: &mut Arc<[u8]>) {
    if let Some(bytes) = Arc::get_mut(buffer) {
        bytes.zeroize();
    }
}

impl Drop for ReturnedList {
    fn drop(&mut self) {
        if let Some(last) = &mut self.returned {
            wipe(last);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_of_the_same_length_is_reused_once_the_abi_dropped_it() {
        let mut lists = ReturnedList::default();
        let first = lists.buffer(8);
        let returned = lists.keep(first, 64);
        let address = returned.as_ptr();
        drop(returned);
        let again = lists.buffer(8);
        assert_eq!(again.as_ptr(), address, "the kept list is written again");
        let held = lists.keep(again, 64);
        assert_ne!(lists.buffer(8).as_ptr(), held.as_ptr(), "a list still referenced is not reused");
    }

    #[test]
    fn a_list_of_another_length_is_wiped_and_replaced() {
        let mut lists = ReturnedList::default();
        let mut first = lists.buffer(4);
        Arc::get_mut(&mut first).unwrap().copy_from_slice(b"pass");
        let returned = lists.keep(first, 64);
        let weak = Arc::downgrade(&returned);
        drop(returned);
        assert_eq!(lists.buffer(5).len(), 5);
        assert!(weak.upgrade().is_none(), "the old list is freed");
    }

    #[test]
    fn fill_returns_what_was_written_and_keeps_the_buffer_on_failure() {
        let mut lists = ReturnedList::default();
        let (whole, extra) = lists.fill(4, 64, |out| Ok((out.len(), 7))).unwrap();
        assert_eq!((whole.len(), extra), (4, 7));
        drop(whole);
        let (short, ()) = lists
            .fill(4, 64, |out| {
                out[..2].copy_from_slice(b"ab");
                Ok((2, ()))
            })
            .unwrap();
        assert_eq!(&*short, b"ab", "a shorter result is copied out, the buffer kept");
        assert_eq!(
            lists.fill(4, 64, |_| Err::<(usize, ()), _>(CryptoError::InvalidTag)).err(),
            Some(CryptoError::InvalidTag)
        );
        assert!(lists.fill(4, 64, |out| Ok((out.len() + 1, ()))).is_err(), "a fill cannot claim more than the buffer");
    }

    #[test]
    fn lists_above_the_cap_are_not_kept() {
        let mut lists = ReturnedList::default();
        let big = lists.buffer(100);
        let returned = lists.keep(big, 64);
        assert_eq!(Arc::strong_count(&returned), 1);
        let small = lists.buffer(10);
        lists.put_back(small, 64);
        assert_eq!(lists.buffer(10).len(), 10);
    }
}
