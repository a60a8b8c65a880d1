//! Option sets (`options_open` / `options_set*`) and the algorithm types they belong to.

use crate::budget::{Budget, Buffered, Charge};
use crate::error::{CryptoError, Result};
use std::sync::{Arc, Mutex, MutexGuard};
use zeroize::Zeroizing;

/// The spec's `algorithm_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlgorithmType {
    /// Signature algorithms.
    Signatures,
    /// Hashes, MACs, KDFs, AEADs and sessions.
    Symmetric,
    /// Diffie-Hellman and KEMs.
    KeyExchange,
}

impl AlgorithmType {
    /// Decodes the ABI value (0, 1, 2); anything else is a malformed guest value.
    pub fn from_raw(raw: u32) -> Result<Self> {
        match raw {
            0 => Ok(Self::Signatures),
            1 => Ok(Self::Symmetric),
            2 => Ok(Self::KeyExchange),
            _ => Err(CryptoError::GuestError),
        }
    }
}

/// A guest memory region registered with `options_set_guest_buffer`. The core never dereferences
/// it; it only records the address range for the runtime glue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GuestBuffer {
    /// Guest address of the buffer.
    pub ptr: u32,
    /// Length of the buffer in bytes.
    pub len: u32,
}

/// Scratch memory the host owns for a memory-hard function: the copied list that a component
/// gives to `options-set-guest-buffer`. It is charged to the context's budget while any option
/// set or state holds it, and wiped when the last one frees it.
pub(crate) struct HostScratch {
    bytes: Mutex<Zeroizing<Vec<u8>>>,
    len: usize,
    /// Given back to the budget when the buffer is freed.
    _charge: Charge,
}

impl HostScratch {
    /// Takes `bytes` over, charging their capacity: `overflow` if it does not fit the budget
    /// (the bytes are wiped then too).
    fn new(budget: &Arc<Budget>, bytes: Zeroizing<Vec<u8>>) -> Result<Self> {
        let charge = budget.charge(bytes.capacity())?;
        Ok(Self { len: bytes.len(), bytes: Mutex::new(bytes), _charge: charge })
    }

    /// The buffer, for one derivation at a time (states sharing it take turns).
    pub(crate) fn lock(&self) -> MutexGuard<'_, Zeroizing<Vec<u8>>> {
        // A derivation that panicked leaves nothing to repair: every one overwrites the buffer.
        self.bytes.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Where the scratch memory of a memory-hard function (the `memory` option) lives.
#[derive(Clone)]
pub(crate) enum ScratchMemory {
    /// A range of the guest's linear memory (modules), resolved in the memory that the runtime
    /// glue lends to each call; the host keeps no memory proportional to it.
    Guest(GuestBuffer),
    /// A host-owned buffer (components), shared by the option set and the states opened with it.
    Host(Arc<HostScratch>),
}

impl ScratchMemory {
    /// The length in bytes.
    pub(crate) fn len(&self) -> usize {
        match self {
            Self::Guest(buffer) => buffer.len as usize,
            Self::Host(scratch) => scratch.len,
        }
    }
}

/// Options a symmetric state can be opened with. The byte values are charged to the context's
/// budget, and so is every copy (see `SymmetricOptions::try_clone`).
#[derive(Default)]
pub struct SymmetricOptions {
    /// `context`: application context bytes.
    pub(crate) context: Option<Buffered>,
    /// `salt`: salt bytes.
    pub(crate) salt: Option<Buffered>,
    /// `nonce`: nonce bytes.
    pub(crate) nonce: Option<Buffered>,
    /// `opslimit`: a password hash's cost (Argon2's t, scrypt's log2 N, PBKDF2's iterations).
    pub opslimit: Option<u64>,
    /// `parallelism`: a password hash's lanes (Argon2's and scrypt's p).
    pub parallelism: Option<u64>,
    /// `memory`: the scratch memory of a memory-hard function.
    pub(crate) memory: Option<ScratchMemory>,
    /// The integer options of the hash families (`domain`, `fanout`, `threads`, …), by name.
    pub(crate) hash_params: HashParams,
}

/// The integer options that tune hash functions: TurboSHAKE's domain byte, BLAKE2b's tree
/// parameters and BLAKE3's thread cap. Which algorithm accepts which is in the symmetric registry.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct HashParams {
    values: [Option<u64>; HASH_PARAM_NAMES.len()],
}

/// The names of the [`HashParams`] options.
pub const HASH_PARAM_NAMES: [&str; 8] =
    ["domain", "fanout", "max_depth", "leaf_length", "node_offset", "node_depth", "inner_length", "threads"];

impl HashParams {
    fn index(name: &str) -> Option<usize> {
        HASH_PARAM_NAMES.iter().position(|n| n.eq_ignore_ascii_case(name))
    }

    /// The value of a set option, by its canonical name.
    pub fn get(&self, name: &str) -> Option<u64> {
        Self::index(name).and_then(|i| self.values[i])
    }

    /// The canonical names of the options that are set.
    pub fn set_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        HASH_PARAM_NAMES.iter().zip(self.values.iter()).filter(|(_, v)| v.is_some()).map(|(n, _)| *n)
    }
}

enum BytesName {
    Context,
    Salt,
    Nonce,
}

enum U64Name {
    OpsLimit,
    Parallelism,
}

fn bytes_name(name: &str) -> Option<BytesName> {
    [("context", BytesName::Context), ("salt", BytesName::Salt), ("nonce", BytesName::Nonce)]
        .into_iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

fn u64_name(name: &str) -> Option<U64Name> {
    [("opslimit", U64Name::OpsLimit), ("parallelism", U64Name::Parallelism)]
        .into_iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// The one guest-buffer option: `memory`, a memory-hard function's scratch memory.
fn is_guest_buffer_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("memory")
}

/// A copy of an optional value, charged.
fn try_clone_value(value: &Option<Buffered>) -> Result<Option<Buffered>> {
    value.as_ref().map(Buffered::try_clone).transpose()
}

impl SymmetricOptions {
    /// The bytes the option values hold (charged to the context's budget).
    pub(crate) fn byte_len(&self) -> usize {
        [&self.context, &self.salt, &self.nonce].iter().map(|v| v.as_deref().map_or(0, <[u8]>::len)).sum()
    }

    /// A copy whose values are charged to the budget: `overflow`, checked before the values are
    /// copied, if they do not fit.
    pub(crate) fn try_clone(&self, budget: &Budget) -> Result<Self> {
        budget.check(self.byte_len())?;
        Ok(Self {
            context: try_clone_value(&self.context)?,
            salt: try_clone_value(&self.salt)?,
            nonce: try_clone_value(&self.nonce)?,
            opslimit: self.opslimit,
            parallelism: self.parallelism,
            memory: self.memory.clone(),
            hash_params: self.hash_params,
        })
    }

    /// The nonce, if set.
    pub(crate) fn nonce(&self) -> Option<&[u8]> {
        self.nonce.as_deref()
    }

    /// The canonical names of the options that are set, to check them against the names an
    /// algorithm accepts.
    pub(crate) fn set_names(&self) -> Vec<&'static str> {
        let bytes = [("context", &self.context), ("salt", &self.salt), ("nonce", &self.nonce)];
        let ints = [("opslimit", self.opslimit), ("parallelism", self.parallelism)];
        let mut names: Vec<&'static str> = bytes.iter().filter(|(_, v)| v.is_some()).map(|(n, _)| *n).collect();
        names.extend(ints.iter().filter(|(_, v)| v.is_some()).map(|(n, _)| *n));
        if self.memory.is_some() {
            names.push("memory");
        }
        names.extend(self.hash_params.set_names());
        names
    }

    /// `unsupported_option` if an option outside `accepted` is set.
    pub(crate) fn check_accepted(&self, accepted: &[&str]) -> Result<()> {
        if self.set_names().iter().all(|n| accepted.contains(n)) { Ok(()) } else { Err(CryptoError::UnsupportedOption) }
    }

    /// The context bytes, if set.
    pub(crate) fn context(&self) -> Option<&[u8]> {
        self.context.as_deref()
    }

    /// The salt bytes, if set.
    pub(crate) fn salt(&self) -> Option<&[u8]> {
        self.salt.as_deref()
    }

    /// The hash-tuning integer options.
    pub(crate) fn hash_params(&self) -> &HashParams {
        &self.hash_params
    }

    /// Replaces the salt (a password hash's generated salt).
    pub(crate) fn set_salt(&mut self, salt: Buffered) {
        self.salt = Some(salt);
    }

    /// Replaces the nonce.
    pub(crate) fn set_nonce(&mut self, nonce: Buffered) {
        self.nonce = Some(nonce);
    }

    fn bytes_slot(&mut self, name: &str) -> Result<&mut Option<Buffered>> {
        Ok(match bytes_name(name).ok_or(CryptoError::UnsupportedOption)? {
            BytesName::Context => &mut self.context,
            BytesName::Salt => &mut self.salt,
            BytesName::Nonce => &mut self.nonce,
        })
    }

    fn u64_slot(&mut self, name: &str) -> Result<&mut Option<u64>> {
        if let Some(i) = HashParams::index(name) {
            return Ok(&mut self.hash_params.values[i]);
        }
        Ok(match u64_name(name).ok_or(CryptoError::UnsupportedOption)? {
            U64Name::OpsLimit => &mut self.opslimit,
            U64Name::Parallelism => &mut self.parallelism,
        })
    }

    /// A byte option by name: `unsupported_option` for unknown names, `option_not_set` if unset.
    pub fn get(&self, name: &str) -> Result<&[u8]> {
        let value = match bytes_name(name) {
            Some(BytesName::Context) => &self.context,
            Some(BytesName::Salt) => &self.salt,
            Some(BytesName::Nonce) => &self.nonce,
            None => {
                return Err(
                    if u64_name(name).is_some() || HashParams::index(name).is_some() || is_guest_buffer_name(name) {
                        CryptoError::InvalidOperation
                    } else {
                        CryptoError::UnsupportedOption
                    },
                );
            }
        };
        value.as_deref().ok_or(CryptoError::OptionNotSet)
    }

    /// An integer option by name: `unsupported_option` for unknown names, `option_not_set` if unset.
    pub fn get_u64(&self, name: &str) -> Result<u64> {
        if let Some(i) = HashParams::index(name) {
            return self.hash_params.values[i].ok_or(CryptoError::OptionNotSet);
        }
        let value = match u64_name(name) {
            Some(U64Name::OpsLimit) => self.opslimit,
            Some(U64Name::Parallelism) => self.parallelism,
            None => {
                return Err(if bytes_name(name).is_some() || is_guest_buffer_name(name) {
                    CryptoError::InvalidOperation
                } else {
                    CryptoError::UnsupportedOption
                });
            }
        };
        value.ok_or(CryptoError::OptionNotSet)
    }
}

/// An option set, as created by `options_open`.
pub struct Options {
    algorithm_type: AlgorithmType,
    /// Shared with the states opened with it; copied on write.
    symmetric: Arc<SymmetricOptions>,
    budget: Arc<Budget>,
}

impl Options {
    /// An empty option set for an algorithm type.
    pub(crate) fn new(algorithm_type: AlgorithmType, budget: &Arc<Budget>) -> Self {
        Self { algorithm_type, symmetric: Arc::default(), budget: budget.clone() }
    }

    /// The algorithm type the set was opened for.
    pub fn algorithm_type(&self) -> AlgorithmType {
        self.algorithm_type
    }

    /// The symmetric options (empty for other algorithm types).
    pub fn symmetric(&self) -> &Arc<SymmetricOptions> {
        &self.symmetric
    }

    /// The heap memory the set holds besides its values (which are charged by themselves).
    pub(crate) fn footprint(&self) -> usize {
        crate::handles::ARC_OVERHEAD + size_of::<SymmetricOptions>()
    }

    /// `unsupported_option` unless the set belongs to the symmetric type: no signature or
    /// key-exchange algorithm of this host takes options.
    fn check_symmetric(&self) -> Result<()> {
        match self.algorithm_type {
            AlgorithmType::Symmetric => Ok(()),
            AlgorithmType::Signatures | AlgorithmType::KeyExchange => Err(CryptoError::UnsupportedOption),
        }
    }

    /// The values, writable. When states still share them, they are copied first (copy on
    /// write), and the copy is charged and checked like any value: `overflow` if it does not fit.
    fn symmetric_mut(&mut self) -> Result<&mut SymmetricOptions> {
        self.check_symmetric()?;
        if Arc::get_mut(&mut self.symmetric).is_none() {
            self.symmetric = Arc::new(self.symmetric.try_clone(&self.budget)?);
        }
        Arc::get_mut(&mut self.symmetric).ok_or(CryptoError::InternalError)
    }

    /// `options_set`: a byte option. `overflow` if the value is longer than the context's input
    /// cap or does not fit its budget (checked before anything is copied).
    pub fn set(&mut self, name: &str, value: &[u8]) -> Result<()> {
        self.check_symmetric()?;
        bytes_name(name).ok_or(CryptoError::UnsupportedOption)?;
        self.budget.check_input(value.len())?;
        // The value and, when states still share the previous values, their copy must fit.
        let copied = if Arc::strong_count(&self.symmetric) > 1 { self.symmetric.byte_len() } else { 0 };
        self.budget.check(copied.saturating_add(value.len()))?;
        let bytes = Buffered::from_slice(&self.budget, value)?;
        *self.symmetric_mut()?.bytes_slot(name)? = Some(bytes);
        Ok(())
    }

    /// `options_set_u64`: an integer option (`overflow` if a copy on write does not fit).
    pub fn set_u64(&mut self, name: &str, value: u64) -> Result<()> {
        self.check_symmetric()?;
        if u64_name(name).is_none() && HashParams::index(name).is_none() {
            return Err(CryptoError::UnsupportedOption);
        }
        *self.symmetric_mut()?.u64_slot(name)? = Some(value);
        Ok(())
    }

    /// `options_set_guest_buffer`: a guest scratch buffer (only `memory`; `overflow` if a copy
    /// on write does not fit).
    pub fn set_guest_buffer(&mut self, name: &str, buffer: GuestBuffer) -> Result<()> {
        self.check_symmetric()?;
        if !is_guest_buffer_name(name) {
            return Err(CryptoError::UnsupportedOption);
        }
        self.symmetric_mut()?.memory = Some(ScratchMemory::Guest(buffer));
        Ok(())
    }

    /// `options_set_guest_buffer` for a runtime that hands over a copy of the guest's buffer
    /// (the component ABI): the host takes `bytes` over as the scratch memory, charged to the
    /// context's budget (`overflow`, checked before the option changes, if it does not fit)
    /// until the option set and every state opened with it are closed, then wiped. Only
    /// `memory` (`unsupported_option` otherwise). A buffer set before is released when nothing
    /// uses it any more.
    pub fn set_host_buffer(&mut self, name: &str, bytes: Zeroizing<Vec<u8>>) -> Result<()> {
        self.check_symmetric()?;
        if !is_guest_buffer_name(name) {
            return Err(CryptoError::UnsupportedOption);
        }
        let scratch = HostScratch::new(&self.budget, bytes)?;
        self.symmetric_mut()?.memory = Some(ScratchMemory::Host(Arc::new(scratch)));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget() -> Arc<Budget> {
        Budget::new(1 << 20, 1 << 10)
    }

    #[test]
    fn symmetric_names() {
        let mut o = Options::new(AlgorithmType::Symmetric, &budget());
        o.set("nonce", &[1, 2, 3]).unwrap();
        o.set("Context", b"ctx").unwrap();
        o.set("salt", b"").unwrap();
        o.set_u64("OpsLimit", 8).unwrap();
        o.set_u64("parallelism", 9).unwrap();
        o.set_guest_buffer("memory", GuestBuffer { ptr: 16, len: 32 }).unwrap();
        for old in ["memory_limit", "ops_limit", "memory", "buffer"] {
            assert_eq!(o.set_u64(old, 1), Err(CryptoError::UnsupportedOption), "{old}");
        }
        assert_eq!(o.set_guest_buffer("buffer", GuestBuffer { ptr: 0, len: 0 }), Err(CryptoError::UnsupportedOption));
        assert_eq!(o.set("threads", b"x"), Err(CryptoError::UnsupportedOption));
        assert_eq!(o.set_u64("nonce", 1), Err(CryptoError::UnsupportedOption));
        assert_eq!(o.set("opslimit", b"1"), Err(CryptoError::UnsupportedOption));
        assert_eq!(o.set_guest_buffer("nonce", GuestBuffer { ptr: 0, len: 0 }), Err(CryptoError::UnsupportedOption));
        let s = o.symmetric();
        assert_eq!(s.get("nonce").unwrap(), &[1, 2, 3]);
        assert_eq!(s.get("context").unwrap(), b"ctx");
        assert_eq!(s.get("salt").unwrap(), b"");
        assert_eq!(s.get_u64("parallelism").unwrap(), 9);
        assert_eq!(s.get_u64("opslimit").unwrap(), 8);
        assert!(matches!(s.memory, Some(ScratchMemory::Guest(GuestBuffer { ptr: 16, len: 32 }))));
        assert_eq!(s.get("memory"), Err(CryptoError::InvalidOperation));
        assert_eq!(s.get_u64("salt"), Err(CryptoError::InvalidOperation));
        assert_eq!(s.get("bogus"), Err(CryptoError::UnsupportedOption));
        assert_eq!(
            Options::new(AlgorithmType::Symmetric, &budget()).symmetric().get("nonce"),
            Err(CryptoError::OptionNotSet)
        );
    }

    #[test]
    fn copy_on_write_is_charged_and_checked() {
        let budget = Budget::new(100, 100);
        let mut o = Options::new(AlgorithmType::Symmetric, &budget);
        o.set("salt", &[7; 40]).unwrap();
        assert_eq!(budget.used(), 40);
        let shared = o.symmetric().clone();
        o.set_u64("opslimit", 1).unwrap();
        assert_eq!(budget.used(), 80, "the copy is charged");
        assert_eq!(shared.get_u64("opslimit"), Err(CryptoError::OptionNotSet), "the state keeps its values");
        let shared2 = o.symmetric().clone();
        assert_eq!(o.set_u64("opslimit", 2), Err(CryptoError::Overflow));
        assert_eq!(o.set_guest_buffer("memory", GuestBuffer { ptr: 0, len: 1 }), Err(CryptoError::Overflow));
        assert_eq!(o.set("nonce", &[1; 12]), Err(CryptoError::Overflow));
        assert_eq!(budget.used(), 80, "nothing was charged by the refused calls");
        assert_eq!(o.symmetric().get_u64("opslimit"), Ok(1));
        drop((shared, shared2));
        assert_eq!(budget.used(), 40);
        assert_eq!(o.set("salt", &[0; 101]), Err(CryptoError::Overflow), "longer than the input cap");
    }

    #[test]
    fn signature_and_kx_options_take_no_names() {
        for t in [AlgorithmType::Signatures, AlgorithmType::KeyExchange] {
            let mut o = Options::new(t, &budget());
            assert_eq!(o.set("nonce", b"x"), Err(CryptoError::UnsupportedOption));
            assert_eq!(o.set_u64("opslimit", 1), Err(CryptoError::UnsupportedOption));
        }
        assert_eq!(AlgorithmType::from_raw(3), Err(CryptoError::GuestError));
    }
}
