//! `wasi_ephemeral_crypto_kx`: Diffie-Hellman (X25519, X448, ECDH P-256/P-384) and KEMs
//! (ML-KEM, X-Wing).

pub(crate) mod ecdh;
pub(crate) mod mlkem;
pub(crate) mod x25519;
pub(crate) mod x448;
pub(crate) mod xwing;

use super::keys::{Public, PublicKey, Secret, SecretKey};
use crate::ctx::CryptoCtx;
use crate::error::{CryptoError, Result};
use crate::handles::Handle;
use std::sync::Arc;
use zeroize::Zeroizing;

fn dh(pk: &Public, sk: &Secret) -> Result<Zeroizing<Vec<u8>>> {
    let SecretKey::Kx(s) = sk.key() else {
        return Err(CryptoError::InvalidOperation);
    };
    if sk.algorithm().is_kem() {
        return Err(CryptoError::InvalidOperation);
    }
    let PublicKey::Kx(p) = pk.key() else {
        return Err(CryptoError::IncompatibleKeys);
    };
    if pk.algorithm() != sk.algorithm() {
        return Err(CryptoError::IncompatibleKeys);
    }
    s.dh(p.as_ref())
}

impl CryptoCtx {
    /// `kx_dh`: `incompatible_keys` for keys of different algorithms, `invalid_operation` for
    /// keys that do no Diffie-Hellman (KEMs, signature keys).
    pub fn kx_dh(&mut self, pk: Handle, sk: Handle) -> Result<Handle> {
        let pk = self.handles.get::<Arc<Public>>(pk)?;
        let sk = self.handles.get::<Arc<Secret>>(sk)?;
        let mut shared = dh(pk, sk)?;
        self.output(std::mem::take(&mut *shared))
    }

    /// `kx_encapsulate`: returns (shared secret, ciphertext) array outputs, in that order;
    /// `invalid_operation` for keys that are not KEM keys.
    pub fn kx_encapsulate(&mut self, pk: Handle) -> Result<(Handle, Handle)> {
        let (mut secret, ciphertext) = match self.handles.get::<Arc<Public>>(pk)?.key() {
            PublicKey::Kx(k) => k.encapsulate()?,
            PublicKey::Signature(_) => return Err(CryptoError::InvalidOperation),
        };
        let secret = self.output(std::mem::take(&mut *secret))?;
        match self.output(ciphertext) {
            Ok(ciphertext) => Ok((secret, ciphertext)),
            Err(e) => {
                self.close::<crate::array_output::ArrayOutput>(secret)?;
                Err(e)
            }
        }
    }

    /// `kx_decapsulate`: `verification_failed` for a ciphertext of the wrong length,
    /// `invalid_operation` for keys that are not KEM keys.
    pub fn kx_decapsulate(&mut self, sk: Handle, encapsulated: &[u8]) -> Result<Handle> {
        let mut secret = match self.handles.get::<Arc<Secret>>(sk)?.key() {
            SecretKey::Kx(k) => k.decapsulate(encapsulated)?,
            SecretKey::Signature(_) => return Err(CryptoError::InvalidOperation),
        };
        self.output(std::mem::take(&mut *secret))
    }
}
