//! Typed handle tables: one slab per context, O(1) insert, lookup and close.
//!
//! A handle packs a slot index (low 20 bits, plus one, so that 0 is never issued) and a 12-bit
//! generation that changes whenever the slot is freed, so a closed handle stays invalid until its
//! slot has been reused 4096 times. Every object kind lives in the same slab: asking for a handle
//! as the wrong kind gives `invalid_handle`.

use crate::array_output::ArrayOutput;
use crate::asymmetric::{KeyPair, Public, Secret, Signature, SignatureState, VerificationState};
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
    },
    /// A free slot. `drained` remembers the handle of an array output that was closed because it
    /// was fully consumed, so that one more pull answers 0 (end of stream) instead of an error.
    Vacant {
        generation: u32,
        drained: Option<Handle>,
    },
}

/// The handle table of one context.
pub(crate) struct HandleTable {
    slots: Vec<Slot>,
    free: Vec<u32>,
    open: usize,
    max_open: usize,
}

impl HandleTable {
    pub(crate) fn new(max_open: usize) -> Self {
        Self { slots: Vec::new(), free: Vec::new(), open: 0, max_open: max_open.min(MAX_HANDLES_LIMIT) }
    }

    /// Stores an object and returns its new handle, or `too_many_handles`.
    pub(crate) fn insert<T: Kind>(&mut self, value: T) -> Result<Handle> {
        if self.open >= self.max_open {
            return Err(CryptoError::TooManyHandles);
        }
        let object = value.wrap();
        let (index, generation) = match self.free.pop() {
            Some(index) => {
                let slot = &mut self.slots[index as usize];
                let generation = match slot {
                    Slot::Vacant { generation, .. } => *generation,
                    Slot::Occupied { .. } => return Err(CryptoError::InternalError),
                };
                *slot = Slot::Occupied { generation, object };
                (index, generation)
            }
            None => {
                let index = u32::try_from(self.slots.len()).map_err(|_| CryptoError::TooManyHandles)?;
                self.slots.push(Slot::Occupied { generation: 0, object });
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
            Some(Slot::Occupied { generation: g, object }) if *g == generation => Ok(object),
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
            Some(Slot::Occupied { generation: g, object }) if *g == generation => {
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
            Slot::Occupied { object, .. } => {
                self.free.push(index as u32);
                self.open -= 1;
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
        ArrayOutput::new(bytes.to_vec(), None)
    }

    #[test]
    fn handles_are_never_zero_and_typed() {
        let mut t = HandleTable::new(16);
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
        let mut t = HandleTable::new(16);
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
        let mut t = HandleTable::new(3);
        let hs: Vec<_> = (0..3).map(|_| t.insert(output(b"")).unwrap()).collect();
        assert_eq!(t.insert(output(b"")).err(), Some(CryptoError::TooManyHandles));
        t.remove::<ArrayOutput>(hs[1]).unwrap();
        assert!(t.insert(output(b"")).is_ok());
        assert_eq!(t.open(), 3);
    }
}
