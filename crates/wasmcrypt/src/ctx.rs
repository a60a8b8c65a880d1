//! The per-instance context: its handle table, its limits, and the `common` module's functions.

use crate::array_output::ArrayOutput;
use crate::budget::{Budget, Charge, DEFAULT_MAX_BUFFERED_BYTES, DEFAULT_MAX_INPUT_LEN, DEFAULT_MAX_PASSWORD_WORK};
use crate::error::{CryptoError, Result};
use crate::handles::{Handle, HandleTable, Kind, MAX_HANDLES_LIMIT};
use crate::options::{AlgorithmType, GuestBuffer, Options};
use crate::secrets::{KeyStore, SecretsConfig};
use std::fmt;
use std::sync::Arc;
use zeroize::Zeroizing;

/// The namespace of a context whose builder was given none.
pub const DEFAULT_NAMESPACE: &str = "default";

/// The default cap on open handles per context.
pub const DEFAULT_MAX_HANDLES: usize = 65_536;

/// Builds a [`CryptoCtx`].
///
/// ```
/// let ctx = wasmcrypt::CryptoCtx::builder().max_handles(1024).build();
/// assert_eq!(ctx.open_handles(), 0);
/// ```
#[derive(Clone)]
pub struct CryptoCtxBuilder {
    max_handles: usize,
    max_buffered_bytes: usize,
    max_input_len: usize,
    max_password_work: u64,
    store: Option<Arc<dyn KeyStore>>,
    namespace: String,
}

impl Default for CryptoCtxBuilder {
    fn default() -> Self {
        Self {
            max_handles: DEFAULT_MAX_HANDLES,
            max_buffered_bytes: DEFAULT_MAX_BUFFERED_BYTES,
            max_input_len: DEFAULT_MAX_INPUT_LEN,
            max_password_work: DEFAULT_MAX_PASSWORD_WORK,
            store: None,
            namespace: DEFAULT_NAMESPACE.to_owned(),
        }
    }
}

impl fmt::Debug for CryptoCtxBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CryptoCtxBuilder")
            .field("max_handles", &self.max_handles)
            .field("max_buffered_bytes", &self.max_buffered_bytes)
            .field("max_input_len", &self.max_input_len)
            .field("max_password_work", &self.max_password_work)
            .field("store", &self.store.is_some())
            .field("namespace", &self.namespace)
            .finish()
    }
}

impl CryptoCtxBuilder {
    /// Caps the number of handles a guest may hold open at once (`too_many_handles` beyond it).
    /// Values above [`MAX_HANDLES_LIMIT`] are clamped.
    pub fn max_handles(mut self, max: usize) -> Self {
        self.max_handles = max.min(MAX_HANDLES_LIMIT);
        self
    }

    /// Caps the memory the context holds on the guest's behalf: every object behind a handle
    /// (keys of every kind, states, tags, signatures, option sets, array outputs; estimated per
    /// algorithm for asymmetric keys), option values including copy-on-write copies, and
    /// buffered data (AEAD associated data, HKDF salt and info, data absorbed by signature
    /// states). A call that would exceed it gives `overflow`, before anything is allocated. The
    /// default is [`DEFAULT_MAX_BUFFERED_BYTES`] (64 MiB).
    pub fn max_buffered_bytes(mut self, max: usize) -> Self {
        self.max_buffered_bytes = max;
        self
    }

    /// Caps the length of any single guest input that a host call copies or buffers (option
    /// values, key and signature imports, data absorbed by buffering states, signature-state
    /// updates) and of a single Xoodyak squeeze: longer ones give `overflow`. In-place AEAD
    /// encryption and decryption copy nothing and are not capped. The default is
    /// [`DEFAULT_MAX_INPUT_LEN`] (16 MiB).
    pub fn max_input_len(mut self, max: usize) -> Self {
        self.max_input_len = max;
        self
    }

    /// The most work one password-hash derivation may do, in units of one 1 KiB Argon2 block of
    /// one pass, 1 KiB of scrypt BlockMix, or one PBKDF2 iteration of one output block (default
    /// [`crate::DEFAULT_MAX_PASSWORD_WORK`], 2^28); more gives `overflow`.
    pub fn max_password_work(mut self, max: u64) -> Self {
        self.max_password_work = max;
        self
    }

    /// Enables the secrets manager on `store`: managed keys and external secrets.
    pub fn key_store(mut self, store: Arc<dyn KeyStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// The namespace the guest's managed keys live in (default [`DEFAULT_NAMESPACE`]). A
    /// guest never sees the keys of another namespace.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = namespace.into();
        self
    }

    /// Creates the context.
    pub fn build(self) -> CryptoCtx {
        let secrets = self.store.map(|store| SecretsConfig { store, namespace: self.namespace });
        let budget = Budget::with_password_work(self.max_buffered_bytes, self.max_input_len, self.max_password_work);
        CryptoCtx { handles: HandleTable::new(self.max_handles, &budget), budget, secrets }
    }
}

/// The WASI-crypto state of one guest instance. Every function of the spec is a method on it,
/// taking and returning plain Rust values; the runtime glue only translates guest memory.
pub struct CryptoCtx {
    pub(crate) handles: HandleTable,
    pub(crate) budget: Arc<Budget>,
    pub(crate) secrets: Option<SecretsConfig>,
}

impl Default for CryptoCtx {
    fn default() -> Self {
        Self::builder().build()
    }
}

impl CryptoCtx {
    /// A builder with the default limits.
    pub fn builder() -> CryptoCtxBuilder {
        CryptoCtxBuilder::default()
    }

    /// A context with the default limits.
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of handles currently open.
    pub fn open_handles(&self) -> usize {
        self.handles.open()
    }

    /// The bytes of guest-controlled data currently charged to the context's budget.
    pub fn buffered_bytes(&self) -> usize {
        self.budget.used()
    }

    /// Charges `bytes` that an embedding holds on the guest's behalf (a component's kept result
    /// lists, for example) to the context's budget: `overflow` unless they fit. They count in
    /// [`CryptoCtx::buffered_bytes`] until the returned charge is dropped.
    pub fn charge(&self, bytes: usize) -> Result<Charge> {
        self.budget.charge(bytes)
    }

    /// The context's budget: the most bytes [`CryptoCtx::buffered_bytes`] may reach.
    pub fn max_buffered_bytes(&self) -> usize {
        self.budget.limit()
    }

    /// The longest single guest input a host call copies or buffers (see
    /// [`CryptoCtxBuilder::max_input_len`]).
    pub fn max_input_len(&self) -> usize {
        self.budget.max_input_len()
    }

    /// `too_many_handles` or `overflow` unless an object of `footprint` bytes could get a handle
    /// now: checked before generating or decoding it.
    pub(crate) fn reserve(&self, footprint: usize) -> Result<()> {
        self.handles.check_room(footprint)
    }

    /// Stores bytes as a new `array_output` and returns its handle. The bytes are wiped when
    /// the output is dropped, including when it is refused.
    pub(crate) fn output(&mut self, data: Vec<u8>) -> Result<Handle> {
        let data = zeroize::Zeroizing::new(data);
        self.handles.check_room(data.capacity())?;
        let charge = self.budget.charge(data.capacity())?;
        self.handles.insert(ArrayOutput::new(data, Some(charge)))
    }

    pub(crate) fn close<T: Kind>(&mut self, handle: Handle) -> Result<()> {
        self.handles.remove::<T>(handle).map(drop)
    }

    /// `options_open`.
    pub fn options_open(&mut self, algorithm_type: AlgorithmType) -> Result<Handle> {
        self.handles.insert(Options::new(algorithm_type, &self.budget))
    }

    /// `options_close`.
    pub fn options_close(&mut self, handle: Handle) -> Result<()> {
        self.close::<Options>(handle)
    }

    /// `options_set`.
    pub fn options_set(&mut self, handle: Handle, name: &str, value: &[u8]) -> Result<()> {
        self.handles.get_mut::<Options>(handle)?.set(name, value)
    }

    /// `options_set_u64`.
    pub fn options_set_u64(&mut self, handle: Handle, name: &str, value: u64) -> Result<()> {
        self.handles.get_mut::<Options>(handle)?.set_u64(name, value)
    }

    /// `options_set_guest_buffer`.
    pub fn options_set_guest_buffer(&mut self, handle: Handle, name: &str, buffer: GuestBuffer) -> Result<()> {
        self.handles.get_mut::<Options>(handle)?.set_guest_buffer(name, buffer)
    }

    /// `options_set_guest_buffer` with a copy of the guest's buffer (the component ABI): the
    /// host keeps `bytes` as the scratch memory, charged to the budget (see
    /// `Options::set_host_buffer`).
    /// The bytes are wiped whenever they are refused.
    pub fn options_set_host_buffer(&mut self, handle: Handle, name: &str, bytes: Vec<u8>) -> Result<()> {
        let bytes = Zeroizing::new(bytes);
        self.handles.get_mut::<Options>(handle)?.set_host_buffer(name, bytes)
    }

    /// The options behind an optional handle, checked against the expected algorithm type.
    pub(crate) fn options_of(&self, handle: Option<Handle>, expected: AlgorithmType) -> Result<Option<&Options>> {
        let Some(handle) = handle else { return Ok(None) };
        let options = self.handles.get::<Options>(handle)?;
        if options.algorithm_type() != expected {
            return Err(CryptoError::InvalidHandle);
        }
        Ok(Some(options))
    }

    /// `array_output_len`.
    pub fn array_output_len(&self, handle: Handle) -> Result<usize> {
        Ok(self.handles.get::<ArrayOutput>(handle)?.len())
    }

    /// `array_output_pull`: copies min(`buf.len()`, remaining) bytes and returns the count. The
    /// handle closes as soon as everything was pulled; one more pull on it then returns 0.
    pub fn array_output_pull(&mut self, handle: Handle, buf: &mut [u8]) -> Result<usize> {
        if self.handles.was_drained(handle) {
            self.handles.forget_drained(handle);
            return Ok(0);
        }
        let output = self.handles.get_mut::<ArrayOutput>(handle)?;
        let n = output.pull(buf);
        if output.is_consumed() {
            self.handles.remove_drained(handle)?;
        }
        Ok(n)
    }

    /// Closes an array output before it was pulled to the end, wiping what it still holds. The
    /// witx ABI has no such function (an output closes when drained); the component ABI needs
    /// it for a dropped `array-output` resource.
    pub fn array_output_close(&mut self, handle: Handle) -> Result<()> {
        self.close::<ArrayOutput>(handle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_output_streams_and_closes_when_consumed() {
        let mut ctx = CryptoCtx::new();
        let h = ctx.output((0u8..10).collect()).unwrap();
        assert_eq!(ctx.array_output_len(h), Ok(10));
        let mut buf = [0u8; 4];
        assert_eq!(ctx.array_output_pull(h, &mut buf), Ok(4));
        assert_eq!(ctx.array_output_pull(h, &mut buf), Ok(4));
        assert_eq!(ctx.array_output_pull(h, &mut buf), Ok(2));
        assert_eq!(buf[..2], [8, 9]);
        assert_eq!(ctx.array_output_len(h), Err(CryptoError::InvalidHandle), "closed once consumed");
        assert_eq!(ctx.open_handles(), 0);
        assert_eq!(ctx.array_output_pull(h, &mut buf), Ok(0), "end of stream");
        assert_eq!(ctx.array_output_pull(h, &mut buf), Err(CryptoError::InvalidHandle));
    }

    #[test]
    fn array_output_exact_pull_and_empty_output() {
        let mut ctx = CryptoCtx::new();
        let h = ctx.output(vec![7; 32]).unwrap();
        let mut buf = [0u8; 32];
        assert_eq!(ctx.array_output_pull(h, &mut buf), Ok(32));
        assert_eq!(buf, [7; 32]);
        assert_eq!(ctx.open_handles(), 0);
        let e = ctx.output(Vec::new()).unwrap();
        assert_eq!(ctx.array_output_len(e), Ok(0));
        assert_eq!(ctx.array_output_pull(e, &mut buf), Ok(0));
        assert_eq!(ctx.array_output_len(e), Err(CryptoError::InvalidHandle));
    }

    #[test]
    fn options_lifecycle_and_cap() {
        let mut ctx = CryptoCtx::builder().max_handles(2).build();
        let a = ctx.options_open(AlgorithmType::Symmetric).unwrap();
        let _b = ctx.options_open(AlgorithmType::Signatures).unwrap();
        assert_eq!(ctx.options_open(AlgorithmType::Symmetric), Err(CryptoError::TooManyHandles));
        assert_eq!(ctx.options_set(a, "nonce", &[0; 12]), Ok(()));
        assert_eq!(ctx.options_set(a, "fanout", &[0; 12]), Err(CryptoError::UnsupportedOption));
        assert_eq!(ctx.array_output_len(a), Err(CryptoError::InvalidHandle));
        ctx.options_close(a).unwrap();
        assert_eq!(ctx.options_close(a), Err(CryptoError::InvalidHandle));
        assert_eq!(ctx.options_set(a, "nonce", &[]), Err(CryptoError::InvalidHandle));
    }
}
