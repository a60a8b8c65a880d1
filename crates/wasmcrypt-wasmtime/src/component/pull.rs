//! The calls that hand secrets or tags back as a `list<u8>`: `array-output-pull` and
//! `symmetric-tag-pull`, which consume their handle, `symmetric-state-squeeze`, and the
//! extension's `squeeze-n`.

use ::wasmcrypt::{CryptoCtx, CryptoError, Handle};

/// One call that returns a secret or a tag.
#[derive(Clone, Copy)]
pub(crate) enum Pull {
    /// `array-output-pull`: the whole output.
    ArrayOutput,
    /// `symmetric-tag-pull`: the tag's bytes.
    Tag,
    /// `symmetric-state-squeeze` at the algorithm's natural length (`None`), or `squeeze-n`
    /// (`overflow` above the context's input cap, before anything is allocated).
    Squeeze(Option<u32>),
}

impl Pull {
    fn len(self, cx: &mut CryptoCtx, handle: Handle) -> Result<usize, CryptoError> {
        match self {
            Self::ArrayOutput => cx.array_output_len(handle),
            Self::Tag => cx.symmetric_tag_len(handle),
            Self::Squeeze(None) => cx.symmetric_state_squeeze_len(handle),
            Self::Squeeze(Some(len)) => match usize::try_from(len) {
                Ok(len) if len <= cx.max_input_len() => Ok(len),
                _ => Err(CryptoError::Overflow),
            },
        }
    }

    /// Writes the result into `out` (of the length the call needs) and returns how many bytes
    /// it wrote.
    pub(crate) fn fill(self, cx: &mut CryptoCtx, handle: Handle, out: &mut [u8]) -> Result<usize, CryptoError> {
        match self {
            Self::ArrayOutput => cx.array_output_pull(handle, out),
            Self::Tag => cx.symmetric_tag_pull(handle, out),
            Self::Squeeze(_) => cx.symmetric_state_squeeze(handle, out).map(|()| out.len()),
        }
    }

    /// Closes a consumed handle after a failed call (the canonical ABI gave it away).
    fn close_consumed(self, cx: &mut CryptoCtx, handle: Handle) {
        let _ = match self {
            Self::ArrayOutput => cx.array_output_close(handle),
            Self::Tag => cx.symmetric_tag_close(handle),
            Self::Squeeze(_) => Ok(()),
        };
    }

    /// Runs the call: `list(cx, len)` makes a list of the `len` bytes the call needs and fills
    /// it with [`Pull::fill`]. A consumed handle is closed either way.
    pub(crate) fn run<L>(
        self,
        cx: &mut CryptoCtx,
        handle: Handle,
        list: impl FnOnce(&mut CryptoCtx, usize) -> Result<L, CryptoError>,
    ) -> Result<L, CryptoError> {
        let pulled = self.len(cx, handle).and_then(|len| list(cx, len));
        if pulled.is_err() {
            self.close_consumed(cx, handle);
        }
        pulled
    }

    /// Runs the call into a new vector.
    pub(crate) fn run_to_vec(self, cx: &mut CryptoCtx, handle: Handle) -> Result<Vec<u8>, CryptoError> {
        self.run(cx, handle, |cx, len| {
            let mut bytes = vec![0u8; len];
            let written = self.fill(cx, handle, &mut bytes)?;
            bytes.truncate(written);
            Ok(bytes)
        })
    }
}
