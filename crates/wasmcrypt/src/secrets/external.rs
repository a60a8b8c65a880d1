//! `wasi_ephemeral_crypto_external_secrets`: secrets stored by id with a mandatory expiration,
//! and envelopes sealed under a host key (see [`super::envelope`] for the format).
//!
//! An expiration is a UNIX time in seconds; 0 means none was given and gives
//! `parameters_missing`. A secret is expired from its expiration second on: reading it (by id
//! or from an envelope) then gives `expired`.

use super::{Actor, MAX_EXTERNAL_SECRET_LEN, SecretKind, SecretRecord, envelope, unix_now};
use crate::ctx::CryptoCtx;
use crate::error::{CryptoError, Result};
use crate::handles::Handle;
use zeroize::Zeroizing;

/// `expired` if `expiration` has passed.
fn check_not_expired(expiration: u64) -> Result<()> {
    if unix_now() >= expiration { Err(CryptoError::Expired) } else { Ok(()) }
}

/// Checks the inputs of a store or an encapsulation.
fn check_new_secret(secret: &[u8], expiration: u64) -> Result<()> {
    if expiration == 0 {
        return Err(CryptoError::ParametersMissing);
    }
    if secret.len() > MAX_EXTERNAL_SECRET_LEN {
        return Err(CryptoError::InvalidLength);
    }
    Ok(())
}

fn record_of(secret: &[u8], expiration: u64) -> SecretRecord {
    SecretRecord {
        kind: SecretKind::External,
        algorithm: String::new(),
        material: Zeroizing::new(secret.to_vec()),
        exportable: true,
        expiration: Some(expiration),
        guest_mutable: true,
    }
}

impl CryptoCtx {
    /// `external_secret_store`: stores a secret under a fresh id ([`super::ID_LEN`] bytes,
    /// written to `id_out`; `overflow` if it does not fit).
    pub fn external_secret_store(
        &mut self,
        sm: Handle,
        secret: &[u8],
        expiration: u64,
        id_out: &mut [u8],
    ) -> Result<()> {
        self.secrets(sm)?;
        check_new_secret(secret, expiration)?;
        self.store_new(sm, &record_of(secret, expiration), id_out).map(drop)
    }

    /// `external_secret_replace`: stores a new version of a secret and returns the version.
    pub fn external_secret_replace(&mut self, sm: Handle, secret: &[u8], expiration: u64, id: &[u8]) -> Result<u64> {
        let secrets = self.secrets(sm)?;
        check_new_secret(secret, expiration)?;
        self.load(sm, id, super::VERSION_LATEST, &[SecretKind::External])?;
        Ok(secrets.store.insert_version(&secrets.namespace, id, &record_of(secret, expiration), Actor::Guest)?)
    }

    /// `external_secret_from_id`: a copy of a version (or `version.latest`) of a secret, as an
    /// `array_output`; `not_found` if there is none, `expired` past its expiration.
    pub fn external_secret_from_id(&mut self, sm: Handle, id: &[u8], version: u64) -> Result<Handle> {
        let stored = self.load(sm, id, version, &[SecretKind::External])?;
        check_not_expired(stored.record.expiration.ok_or(CryptoError::VerificationFailed)?)?;
        self.output(stored.record.material.to_vec())
    }

    /// `external_secret_invalidate`: deletes one version, the latest or all versions of a secret.
    pub fn external_secret_invalidate(&mut self, sm: Handle, id: &[u8], version: u64) -> Result<()> {
        self.invalidate(sm, id, version, &[SecretKind::External])
    }

    /// `external_secret_encapsulate`: the secret and its expiration sealed under the store's
    /// envelope key, bound to this namespace, as an `array_output`.
    pub fn external_secret_encapsulate(&mut self, sm: Handle, secret: &[u8], expiration: u64) -> Result<Handle> {
        let secrets = self.secrets(sm)?;
        check_new_secret(secret, expiration)?;
        let key = secrets.store.envelope_key()?;
        let sealed = envelope::seal(&key, &secrets.namespace, secret, expiration)?;
        self.output(sealed)
    }

    /// `external_secret_decapsulate`: the secret of an envelope made by `encapsulate` in this
    /// namespace; `verification_failed` if it was modified, `expired` past its expiration.
    pub fn external_secret_decapsulate(&mut self, sm: Handle, encrypted: &[u8]) -> Result<Handle> {
        let secrets = self.secrets(sm)?;
        let key = secrets.store.envelope_key()?;
        let (secret, expiration) = envelope::open(&key, &secrets.namespace, encrypted)?;
        check_not_expired(expiration)?;
        self.output(secret.to_vec())
    }
}
