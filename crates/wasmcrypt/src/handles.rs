//! Typed handle tables: one slab per context, O(1) insert, lookup and close.
//!
//! A handle packs a slot index (low 20 bits, plus one, so that 0 is never issued) and a 12-bit
//! generation that changes whenever the slot is freed, so a closed handle stays invalid until its
//! slot has been reused 4096 times. Every object kind lives in the same slab: asking for a handle
//! as the wrong kind gives `invalid_handle`.
//!
//! Every object is charged to the context's budget when it gets a handle: its slot plus an
//! estimate of the memory it holds or pins (see [`Object::footprint`]); the charge is given back
//! when the handle closes. Data that grows after insertion (buffered input, option values, array
//! outputs) is charged by its own buffers.

use crate::array_output::ArrayOutput;
use crate::asymmetric::{KeyPair, Public, Secret, Signature, SignatureState, VerificationState};
use crate::budget::Budget;
use crate::error::{CryptoError, Result};
use crate::options::Options;
use crate::secrets::SecretsManager;
use crate::symmetric::{SymmetricKey, SymmetricState, SymmetricTag};
use std::sync::Arc;

/// A guest-visible handle. Never 0.
pub type Handle = u32;

const INDEX_BITS: u32 = 20;
const INDEX_MASK: u32 = (1 << INDEX_BITS) - 1;
const GENERATION_MASK: u32 = (1 << (32 - INDEX_BITS)) - 1;

/// The largest number of handles a context can hold open at once.
pub const MAX_HANDLES_LIMIT: usize = (INDEX_MASK - 1) as usize;

macro_rules! objects {
    ($($variant:ident($ty:ty)),* $(,)?) => {
        /// Every kind of object a handle can refer to.
        pub(crate) enum Object {
            $($variant($ty),)*
        }

        $(
            impl Kind for $ty {
                fn wrap(self) -> Object {
                    Object::$variant(self)
                }
                fn downcast(object: &Object) -> Option<&Self> {
                    match object {
                        Object::$variant(x) => Some(x),
                        #[allow(unreachable_patterns)]
                        _ => None,
                    }
                }
                fn downcast_mut(object: &mut Object) -> Option<&mut Self> {
                    match object {
                        Object::$variant(x) => Some(x),
                        #[allow(unreachable_patterns)]
                        _ => None,
                    }
                }
            }
        )*
    };
}

objects! {
    Options(Options),
    ArrayOutput(ArrayOutput),
    SymmetricKey(Arc<SymmetricKey>),
    SymmetricState(Box<SymmetricState>),
    SymmetricTag(SymmetricTag),
    KeyPair(Arc<KeyPair>),
    PublicKey(Arc<Public>),
    SecretKey(Arc<Secret>),
    Signature(Signature),
    SignatureState(Box<SignatureState>),
    VerificationState(Box<VerificationState>),
    SecretsManager(SecretsManager),
}

impl Object {
    /// An estimate of the heap memory the object holds or keeps alive, beyond its slot. Shared
    /// objects (keys behind `Arc`) are counted for every handle and state that holds them, so the
    /// estimate errs on the high side.
    fn footprint(&self) -> usize {
        match self {
            Self::Options(o) => o.footprint(),
            // The data is charged by `CryptoCtx::output`.
            Self::ArrayOutput(_) | Self::SymmetricTag(_) => 0,
            Self::SymmetricKey(k) => ARC_OVERHEAD + k.footprint(),
            Self::SymmetricState(s) => s.footprint(),
            Self::KeyPair(kp) => ARC_OVERHEAD + kp.footprint(),
            Self::PublicKey(pk) => ARC_OVERHEAD + pk.footprint(),
            Self::SecretKey(sk) => ARC_OVERHEAD + sk.footprint(),
            Self::Signature(sig) => sig.footprint(),
            Self::SignatureState(s) => s.footprint(),
            Self::VerificationState(s) => s.footprint(),
            // The store is shared; the namespace is a short operator-given string.
            Self::SecretsManager(_) => SECRETS_MANAGER_FOOTPRINT,
        }
    }
}

/// The reference counts in front of an `Arc`'s value.
pub(crate) const ARC_OVERHEAD: usize = 2 * size_of::<usize>();

/// The estimate of a secrets-manager handle: its store reference and namespace.
const SECRETS_MANAGER_FOOTPRINT: usize = 256;

/// A type that can be stored behind a handle.
pub(crate) trait Kind: Sized {
    fn wrap(self) -> Object;
    fn downcast(object: &Object) -> Option<&Self>;
    fn downcast_mut(object: &mut Object) -> Option<&mut Self>;
}

enum Slot {
    Occupied {
        generation: u32,
        object: Object,
        /// The bytes charged to the budget for this object.
        charged: usize,
    },
    /// A free slot. `drained` remembers the handle of an array output that was closed because it
    /// was fully consumed, so that one more pull answers 0 (end of stream) instead of an error.
    Vacant { generation: u32, drained: Option<Handle> },
}

/// The handle table of one context.
pub(crate) struct HandleTable {
    slots: Vec<Slot>,
    free: Vec<u32>,
    open: usize,
    max_open: usize,
    budget: Arc<Budget>,
}

impl HandleTable {
    pub(crate) fn new(max_open: usize, budget: &Arc<Budget>) -> Self {
        Self {
            slots: Vec::new(),
            free: Vec::new(),
            open: 0,
            max_open: max_open.min(MAX_HANDLES_LIMIT),
            budget: budget.clone(),
        }
    }

    /// `too_many_handles` if no handle can be opened now, `overflow` if an object of
    /// `footprint` bytes would not fit the budget: checked before expensive work.
    pub(crate) fn check_room(&self, footprint: usize) -> Result<()> {
        if self.open >= self.max_open {
            return Err(CryptoError::TooManyHandles);
        }
        self.budget.check(footprint.saturating_add(size_of::<Slot>()))
    }

    /// Stores an object and returns its new handle; `too_many_handles` if the table is full,
    /// `overflow` if the object does not fit the budget (the object is dropped then).
    pub(crate) fn insert<T: Kind>(&mut self, value: T) -> Result<Handle> {
        if self.open >= self.max_open {
            return Err(CryptoError::TooManyHandles);
        }
        let object = value.wrap();
        let charged = size_of::<Slot>().saturating_add(object.footprint());
        self.budget.take(charged)?;
        let (index, generation) = match self.free.pop() {
            Some(index) => {
                let slot = &mut self.slots[index as usize];
                let Slot::Vacant { generation, .. } = *slot else {
                    self.budget.give_back(charged);
                    return Err(CryptoError::InternalError);
                };
                *slot = Slot::Occupied { generation, object, charged };
                (index, generation)
            }
            None => {
                let Ok(index) = u32::try_from(self.slots.len()) else {
                    self.budget.give_back(charged);
                    return Err(CryptoError::TooManyHandles);
                };
                self.slots.push(Slot::Occupied { generation: 0, object, charged });
                (index, 0)
            }
        };
        self.open += 1;
        Ok((generation << INDEX_BITS) | (index + 1))
    }

    fn index(&self, handle: Handle) -> Result<(usize, u32)> {
        let index = (handle & INDEX_MASK).checked_sub(1).ok_or(CryptoError::InvalidHandle)?;
        Ok((index as usize, handle >> INDEX_BITS))
    }

    fn object(&self, handle: Handle) -> Result<&Object> {
        let (index, generation) = self.index(handle)?;
        match self.slots.get(index) {
            Some(Slot::Occupied { generation: g, object, .. }) if *g == generation => Ok(object),
            _ => Err(CryptoError::InvalidHandle),
        }
    }

    /// The object behind `handle`, if it is of kind `T`.
    pub(crate) fn get<T: Kind>(&self, handle: Handle) -> Result<&T> {
        T::downcast(self.object(handle)?).ok_or(CryptoError::InvalidHandle)
    }

    /// The object behind `handle`, mutably, if it is of kind `T`.
    pub(crate) fn get_mut<T: Kind>(&mut self, handle: Handle) -> Result<&mut T> {
        let (index, generation) = self.index(handle)?;
        match self.slots.get_mut(index) {
            Some(Slot::Occupied { generation: g, object, .. }) if *g == generation => {
                T::downcast_mut(object).ok_or(CryptoError::InvalidHandle)
            }
            _ => Err(CryptoError::InvalidHandle),
        }
    }

    /// Closes `handle` if it refers to a `T`, and returns the object.
    pub(crate) fn remove<T: Kind>(&mut self, handle: Handle) -> Result<Object> {
        self.get::<T>(handle)?;
        self.free_slot(handle, None)
    }

    /// Closes a fully consumed array output, remembering it so that one more pull reads 0.
    pub(crate) fn remove_drained(&mut self, handle: Handle) -> Result<Object> {
        self.get::<ArrayOutput>(handle)?;
        self.free_slot(handle, Some(handle))
    }

    /// Whether `handle` is an array output that was closed because it was fully consumed.
    pub(crate) fn was_drained(&self, handle: Handle) -> bool {
        self.index(handle).is_ok_and(
            |(index, _)| matches!(self.slots.get(index), Some(Slot::Vacant { drained: Some(h), .. }) if *h == handle),
        )
    }

    /// Forgets the end-of-stream marker of a drained array output.
    pub(crate) fn forget_drained(&mut self, handle: Handle) {
        if let Ok((index, _)) = self.index(handle)
            && let Some(Slot::Vacant { drained, .. }) = self.slots.get_mut(index)
        {
            *drained = None;
        }
    }

    fn free_slot(&mut self, handle: Handle, drained: Option<Handle>) -> Result<Object> {
        let (index, generation) = self.index(handle)?;
        let next = Slot::Vacant { generation: (generation + 1) & GENERATION_MASK, drained };
        let slot = self.slots.get_mut(index).ok_or(CryptoError::InvalidHandle)?;
        match std::mem::replace(slot, next) {
            Slot::Occupied { object, charged, .. } => {
                self.free.push(index as u32);
                self.open -= 1;
                self.budget.give_back(charged);
                Ok(object)
            }
            vacant => {
                *slot = vacant;
                Err(CryptoError::InvalidHandle)
            }
        }
    }

    /// The number of open handles.
    pub(crate) fn open(&self) -> usize {
        self.open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(bytes: &[u8]) -> ArrayOutput {
        ArrayOutput::new(bytes.to_vec().into(), None)
    }

    fn budget() -> Arc<Budget> {
        Budget::new(1 << 20, 1 << 20)
    }

    #[test]
    fn handles_are_never_zero_and_typed() {
        let mut t = HandleTable::new(16, &budget());
        let h = t.insert(output(b"x")).unwrap();
        assert_ne!(h, 0);
        assert!(t.get::<ArrayOutput>(h).is_ok());
        assert_eq!(t.get::<Options>(h).err(), Some(CryptoError::InvalidHandle));
        assert_eq!(t.get::<ArrayOutput>(0).err(), Some(CryptoError::InvalidHandle));
        assert_eq!(t.get::<ArrayOutput>(h + 1).err(), Some(CryptoError::InvalidHandle));
        assert_eq!(t.get::<ArrayOutput>(u32::MAX).err(), Some(CryptoError::InvalidHandle));
    }

    #[test]
    fn closed_handles_stay_invalid_after_slot_reuse() {
        let mut t = HandleTable::new(16, &budget());
        let a = t.insert(output(b"a")).unwrap();
        assert!(t.remove::<Options>(a).is_err(), "wrong kind must not close");
        t.remove::<ArrayOutput>(a).unwrap();
        assert_eq!(t.get::<ArrayOutput>(a).err(), Some(CryptoError::InvalidHandle));
        assert_eq!(t.remove::<ArrayOutput>(a).err(), Some(CryptoError::InvalidHandle));
        let b = t.insert(output(b"b")).unwrap();
        assert_ne!(a, b, "the reused slot gets a new generation");
        assert_eq!(t.get::<ArrayOutput>(a).err(), Some(CryptoError::InvalidHandle));
        assert!(t.get::<ArrayOutput>(b).is_ok());
    }

    #[test]
    fn cap_gives_too_many_handles() {
        let budget = budget();
        let mut t = HandleTable::new(3, &budget);
        let hs: Vec<_> = (0..3).map(|_| t.insert(output(b"")).unwrap()).collect();
        assert_eq!(t.insert(output(b"")).err(), Some(CryptoError::TooManyHandles));
        assert_eq!(budget.used(), 3 * size_of::<Slot>(), "every slot is charged");
        t.remove::<ArrayOutput>(hs[1]).unwrap();
        assert_eq!(budget.used(), 2 * size_of::<Slot>());
        assert!(t.insert(output(b"")).is_ok());
        assert_eq!(t.open(), 3);
    }

    #[test]
    fn budget_caps_objects() {
        let budget = Budget::new(2 * size_of::<Slot>(), 16);
        let mut t = HandleTable::new(16, &budget);
        let a = t.insert(output(b"")).unwrap();
        t.insert(output(b"")).unwrap();
        assert_eq!(t.check_room(0), Err(CryptoError::Overflow));
        assert_eq!(t.insert(output(b"")).err(), Some(CryptoError::Overflow));
        assert_eq!(t.open(), 2);
        t.remove::<ArrayOutput>(a).unwrap();
        assert_eq!(t.check_room(0), Ok(()));
        assert!(t.insert(output(b"")).is_ok());
        assert_eq!(budget.used(), budget.limit());
    }
}
