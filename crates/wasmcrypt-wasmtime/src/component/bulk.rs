//! The bulk-data calls of `wasi-ephemeral-crypto-symmetric` (encrypt and decrypt, attached or
//! detached), from an input slice into an output slice, and the lists they return.
//!
//! A component's `symmetric-state-encrypt` hands back a new `list<u8>`, which the canonical ABI
//! copies into the guest after the call. The host side keeps that list ([`BulkLists`]) instead
//! of letting the canonical ABI free it: the next call of the same length writes into it again
//! (no allocation, no zeroing, and the memory is still in cache), and a list of another length
//! is wiped before it is freed, so a returned plaintext never lingers in freed host memory.

use super::bindings::wasi::crypto::wasi_ephemeral_crypto_common::Size;
use ::wasmcrypt::{CryptoCtx, CryptoError, Handle, InOut};
use std::sync::Arc;
use zeroize::Zeroize;

/// One bulk-data call.
#[derive(Clone, Copy)]
pub(crate) enum Bulk<'a> {
    /// `symmetric-state-encrypt`: ciphertext and tag.
    Encrypt,
    /// `symmetric-state-encrypt-detached`: ciphertext, and the tag as a handle.
    EncryptDetached,
    /// `symmetric-state-decrypt`: `out_len` must be the plaintext length (the ciphertext's
    /// minus the tag's), as the output buffer of the module ABI must.
    Decrypt {
        /// The plaintext length the guest expects.
        out_len: Size,
    },
    /// `symmetric-state-decrypt-detached` with the guest's tag.
    DecryptDetached {
        /// The raw tag.
        tag: &'a [u8],
    },
}

impl Bulk<'_> {
    /// The length of the output buffer for `input_len` input bytes: the most the call may
    /// write (`invalid-length` for a decryption to more than its input).
    pub(crate) fn output_len(self, cx: &mut CryptoCtx, state: Handle, input_len: usize) -> Result<usize, CryptoError> {
        match self {
            Self::Encrypt => input_len.checked_add(cx.symmetric_state_max_tag_len(state)?).ok_or(CryptoError::Overflow),
            Self::EncryptDetached | Self::DecryptDetached { .. } => Ok(input_len),
            Self::Decrypt { out_len } => match usize::try_from(out_len) {
                Ok(len) if len <= input_len => Ok(len),
                _ => Err(CryptoError::InvalidLength),
            },
        }
    }

    /// Runs the call from `input` into `output` (of [`Bulk::output_len`]). Returns how many
    /// bytes it wrote and, for a detached encryption, the tag's handle.
    pub(crate) fn run(
        self,
        cx: &mut CryptoCtx,
        state: Handle,
        input: &[u8],
        output: &mut [u8],
    ) -> Result<(usize, Option<Handle>), CryptoError> {
        let io = InOut::separate(input, output);
        match self {
            Self::Encrypt => Ok((cx.symmetric_state_encrypt(state, io)?, None)),
            Self::EncryptDetached => Ok((input.len(), Some(cx.symmetric_state_encrypt_detached(state, io)?))),
            Self::Decrypt { .. } => Ok((cx.symmetric_state_decrypt(state, io)?, None)),
            Self::DecryptDetached { tag } => Ok((cx.symmetric_state_decrypt_detached(state, io, tag)?, None)),
        }
    }

    /// Runs the call on `input` into a new vector.
    pub(crate) fn run_to_vec(
        self,
        cx: &mut CryptoCtx,
        state: Handle,
        input: &[u8],
    ) -> Result<(Vec<u8>, Option<Handle>), CryptoError> {
        let mut output = vec![0u8; self.output_len(cx, state, input.len())?];
        let (len, tag) = self.run(cx, state, input, &mut output)?;
        output.truncate(len);
        Ok((output, tag))
    }
}

/// What the bulk-data functions keep in the instance's context between calls.
#[derive(Default)]
pub(crate) struct BulkLists {
    /// The list the last call returned, kept to be written again or wiped.
    returned: Option<Arc<[u8]>>,
}

impl BulkLists {
    /// A buffer of `len` bytes for a result: the last returned list if it has that length and
    /// the canonical ABI is done with it, otherwise a new one (the old one wiped).
    pub(crate) fn buffer(&mut self, len: usize) -> Arc<[u8]> {
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
    pub(crate) fn keep(&mut self, buffer: Arc<[u8]>, max_len: usize) -> Arc<[u8]> {
        if buffer.len() <= max_len {
            self.returned = Some(buffer.clone());
        }
        buffer
    }

    /// Takes back a buffer that is not returned (the call failed): kept if it fits, wiped
    /// otherwise.
    pub(crate) fn put_back(&mut self, mut buffer: Arc<[u8]>, max_len: usize) {
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

impl Drop for BulkLists {
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
        let mut lists = BulkLists::default();
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
        let mut lists = BulkLists::default();
        let mut first = lists.buffer(4);
        Arc::get_mut(&mut first).unwrap().copy_from_slice(b"pass");
        let returned = lists.keep(first, 64);
        let weak = Arc::downgrade(&returned);
        drop(returned);
        assert_eq!(lists.buffer(5).len(), 5);
        assert!(weak.upgrade().is_none(), "the old list is freed");
    }

    #[test]
    fn lists_above_the_cap_are_not_kept() {
        let mut lists = BulkLists::default();
        let big = lists.buffer(100);
        let returned = lists.keep(big, 64);
        assert_eq!(Arc::strong_count(&returned), 1);
        let small = lists.buffer(10);
        lists.put_back(small, 64);
        assert_eq!(lists.buffer(10).len(), 10);
    }
}
