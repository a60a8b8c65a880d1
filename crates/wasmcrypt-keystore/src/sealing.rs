//! Encryption of records at rest.
//!
//! Three keys are derived from the master key with HMAC-SHA-256 over fixed labels
//! (`wasmcrypt-keystore/v1/records`, `.../envelopes`, `.../check`). Each record's material is
//! sealed with AES-256-GCM under the record key and a fresh random 96-bit nonce; the associated
//! data binds every other column, so a row that was modified, moved to another id, namespace or
//! version, or relabelled with another algorithm does not open:
//!
//! ```text
//! "wasmcrypt-keystore/v1/record" ‖ lp(namespace) ‖ lp(id) ‖ u64 version ‖ u8 kind
//!   ‖ lp(algorithm) ‖ u8 exportable ‖ u8 has_expiration ‖ u64 expiration
//!   [‖ 0x01 if the record is not guest-mutable]
//! ```
//!
//! where `lp(x)` is a big-endian u32 length followed by `x`, and integers are big-endian. The
//! last byte is there only for operator-protected records, so records written before the flag
//! existed (all guest-mutable) still open.

use crate::master_key::MasterKey;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::hmac;
use wasmcrypt::secrets::{EnvelopeKey, SecretKind, StoreError};
use zeroize::Zeroizing;

const RECORD_LABEL: &[u8] = b"wasmcrypt-keystore/v1/records";
const ENVELOPE_LABEL: &[u8] = b"wasmcrypt-keystore/v1/envelopes";
const CHECK_LABEL: &[u8] = b"wasmcrypt-keystore/v1/check";
const RECORD_AD_PREFIX: &[u8] = b"wasmcrypt-keystore/v1/record";

/// The metadata of a record, all of it authenticated.
pub(crate) struct RecordHeader<'a> {
    pub(crate) namespace: &'a str,
    pub(crate) id: &'a [u8],
    pub(crate) version: u64,
    pub(crate) kind: SecretKind,
    pub(crate) algorithm: &'a str,
    pub(crate) exportable: bool,
    pub(crate) expiration: Option<u64>,
    pub(crate) guest_mutable: bool,
}

fn length_prefixed(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
}

impl RecordHeader<'_> {
    fn associated_data(&self) -> Vec<u8> {
        let mut ad = Vec::with_capacity(96 + self.namespace.len() + self.id.len() + self.algorithm.len());
        ad.extend_from_slice(RECORD_AD_PREFIX);
        length_prefixed(&mut ad, self.namespace.as_bytes());
        length_prefixed(&mut ad, self.id);
        ad.extend_from_slice(&self.version.to_be_bytes());
        ad.push(self.kind.code());
        length_prefixed(&mut ad, self.algorithm.as_bytes());
        ad.push(u8::from(self.exportable));
        ad.push(u8::from(self.expiration.is_some()));
        ad.extend_from_slice(&self.expiration.unwrap_or(0).to_be_bytes());
        if !self.guest_mutable {
            ad.push(1);
        }
        ad
    }
}

/// The keys derived from a master key.
pub(crate) struct Keys {
    records: LessSafeKey,
    check: LessSafeKey,
    envelope: EnvelopeKey,
}

fn derive(master: &MasterKey, label: &[u8]) -> Zeroizing<[u8; 32]> {
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, master.bytes()), label);
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(tag.as_ref());
    out
}

fn aead(key: &[u8; 32]) -> Result<LessSafeKey, StoreError> {
    let key = UnboundKey::new(&AES_256_GCM, key).map_err(|_| StoreError::Backend("AES-256-GCM key".into()))?;
    Ok(LessSafeKey::new(key))
}

fn seal_with(key: &LessSafeKey, ad: &[u8], plaintext: &[u8]) -> Result<(Vec<u8>, Vec<u8>), StoreError> {
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut nonce).map_err(|e| StoreError::Backend(format!("random: {e}")))?;
    // Zeroizing: the buffer holds the plaintext until sealing succeeds.
    let mut sealed = Zeroizing::new(plaintext.to_vec());
    key.seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(ad), &mut *sealed)
        .map_err(|_| StoreError::Backend("seal".into()))?;
    Ok((nonce.to_vec(), std::mem::take(&mut *sealed)))
}

fn open_with(key: &LessSafeKey, ad: &[u8], nonce: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
    let mut buf = Zeroizing::new(sealed.to_vec());
    let len = key.open_in_place(nonce, Aad::from(ad), &mut buf).ok()?.len();
    buf.truncate(len);
    Some(buf)
}

impl Keys {
    /// Derives the keys of a master key.
    pub(crate) fn new(master: &MasterKey) -> Result<Self, StoreError> {
        Ok(Self {
            records: aead(&derive(master, RECORD_LABEL))?,
            check: aead(&derive(master, CHECK_LABEL))?,
            envelope: derive(master, ENVELOPE_LABEL),
        })
    }

    /// Seals a record's material: (nonce, ciphertext ‖ tag).
    pub(crate) fn seal(&self, header: &RecordHeader<'_>, material: &[u8]) -> Result<(Vec<u8>, Vec<u8>), StoreError> {
        seal_with(&self.records, &header.associated_data(), material)
    }

    /// Opens a record's material; [`StoreError::Corrupted`] if anything about the row changed.
    pub(crate) fn open(
        &self,
        header: &RecordHeader<'_>,
        nonce: &[u8],
        sealed: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, StoreError> {
        open_with(&self.records, &header.associated_data(), nonce, sealed).ok_or_else(|| {
            StoreError::Corrupted(format!(
                "record {} version {} failed authentication",
                hex::encode(header.id),
                header.version
            ))
        })
    }

    /// Re-seals a record sealed under these keys under `new` (same associated data, fresh
    /// nonce); a record that already opens under `new` is left alone. A record that opens under
    /// neither gives [`StoreError::Corrupted`].
    pub(crate) fn rewrap(
        &self,
        new: &Keys,
        header: &RecordHeader<'_>,
        nonce: &[u8],
        sealed: &[u8],
    ) -> Result<Rewrap, StoreError> {
        let ad = header.associated_data();
        if let Some(material) = open_with(&self.records, &ad, nonce, sealed) {
            let (nonce, sealed) = seal_with(&new.records, &ad, &material)?;
            return Ok(Rewrap::Sealed(nonce, sealed));
        }
        if open_with(&new.records, &ad, nonce, sealed).is_some() {
            return Ok(Rewrap::Done);
        }
        Err(StoreError::Corrupted(format!(
            "record {} version {} opens under neither master key",
            hex::encode(header.id),
            header.version
        )))
    }

    /// A value that proves knowledge of the master key: (nonce, tag over nothing).
    pub(crate) fn make_check(&self) -> Result<(Vec<u8>, Vec<u8>), StoreError> {
        seal_with(&self.check, CHECK_LABEL, &[])
    }

    /// Whether `make_check` output was made with the same master key.
    pub(crate) fn verify_check(&self, nonce: &[u8], sealed: &[u8]) -> bool {
        open_with(&self.check, CHECK_LABEL, nonce, sealed).is_some()
    }

    /// The envelope key for external secrets.
    pub(crate) fn envelope(&self) -> EnvelopeKey {
        self.envelope.clone()
    }
}

/// What [`Keys::rewrap`] found.
pub(crate) enum Rewrap {
    /// The record was already sealed under the new keys.
    Done,
    /// The record sealed anew under the new keys: (nonce, ciphertext ‖ tag).
    Sealed(Vec<u8>, Vec<u8>),
}
