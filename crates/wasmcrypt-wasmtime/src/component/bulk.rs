//! The bulk-data calls of `wasi-ephemeral-crypto-symmetric` (encrypt and decrypt, attached or
//! detached), from an input slice into an output slice.

use super::bindings::wasi::crypto::wasi_ephemeral_crypto_common::Size;
use ::wasmcrypt::{CryptoCtx, CryptoError, Handle, InOut};

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
