//! The secrets manager through `CryptoCtx`, one test per rule of the spec.

use super::*;
use crate::{AlgorithmType, InOut, KeyPairEncoding, PublicKeyEncoding, SecretKeyEncoding};

fn store() -> Arc<MemoryStore> {
    Arc::new(MemoryStore::new().unwrap())
}

fn ctx_on(store: &Arc<MemoryStore>, namespace: &str) -> (CryptoCtx, Handle) {
    let mut ctx = CryptoCtx::builder().key_store(store.clone()).namespace(namespace).build();
    let sm = ctx.secrets_manager_open(None).unwrap();
    (ctx, sm)
}

fn ctx() -> (CryptoCtx, Handle) {
    ctx_on(&store(), "test")
}

fn pull(ctx: &mut CryptoCtx, output: Handle) -> Vec<u8> {
    let mut buf = vec![0u8; ctx.array_output_len(output).unwrap()];
    assert_eq!(ctx.array_output_pull(output, &mut buf), Ok(buf.len()));
    buf
}

fn export(ctx: &mut CryptoCtx, key: Handle) -> Vec<u8> {
    let out = ctx.symmetric_key_export(key).unwrap();
    pull(ctx, out)
}

fn hmac(ctx: &mut CryptoCtx, key: Handle) -> Vec<u8> {
    let state = ctx.symmetric_state_open("HMAC/SHA-256", Some(key), None).unwrap();
    ctx.symmetric_state_absorb(state, b"message").unwrap();
    let tag = ctx.symmetric_state_squeeze_tag(state).unwrap();
    let mut buf = [0u8; 32];
    assert_eq!(ctx.symmetric_tag_pull(tag, &mut buf), Ok(32));
    buf.to_vec()
}

fn public_raw(ctx: &mut CryptoCtx, kp: Handle) -> Vec<u8> {
    let pk = ctx.keypair_publickey(kp).unwrap();
    let out = ctx.publickey_export(pk, PublicKeyEncoding::Raw).unwrap();
    pull(ctx, out)
}

fn stored_key(ctx: &mut CryptoCtx, sm: Handle, raw: &[u8]) -> (Handle, [u8; ID_LEN]) {
    let key = ctx.symmetric_key_import("HMAC/SHA-256", raw).unwrap();
    let mut id = [0u8; ID_LEN];
    ctx.symmetric_key_store_managed(sm, key, &mut id).unwrap();
    (key, id)
}

#[test]
fn without_a_store_everything_is_unsupported_feature() {
    let mut ctx = CryptoCtx::new();
    let key = ctx.symmetric_key_generate("HMAC/SHA-256", None).unwrap();
    assert_eq!(ctx.secrets_manager_open(None), Err(CryptoError::UnsupportedFeature));
    assert_eq!(ctx.secrets_manager_close(1), Err(CryptoError::UnsupportedFeature));
    assert_eq!(ctx.secrets_manager_invalidate(1, b"id", VERSION_ALL), Err(CryptoError::UnsupportedFeature));
    assert_eq!(ctx.symmetric_key_generate_managed(1, "HMAC/SHA-256", None), Err(CryptoError::UnsupportedFeature));
    assert_eq!(ctx.symmetric_key_store_managed(1, key, &mut [0; 16]), Err(CryptoError::UnsupportedFeature));
    assert_eq!(ctx.symmetric_key_from_id(1, b"id", VERSION_LATEST), Err(CryptoError::UnsupportedFeature));
    assert_eq!(ctx.keypair_from_id(1, b"id", VERSION_LATEST), Err(CryptoError::UnsupportedFeature));
    assert_eq!(ctx.external_secret_encapsulate(1, b"s", u64::MAX), Err(CryptoError::UnsupportedFeature));
    assert_eq!(ctx.external_secret_store(1, b"s", u64::MAX, &mut [0; 16]), Err(CryptoError::UnsupportedFeature));
}

#[test]
fn secrets_manager_handles_open_close_and_are_typed() {
    let (mut ctx, sm) = ctx();
    let options = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    let sm2 = ctx.secrets_manager_open(Some(options)).unwrap();
    assert_eq!(ctx.secrets_manager_open(Some(0xdead)), Err(CryptoError::InvalidHandle));
    assert_eq!(ctx.symmetric_key_generate_managed(options, "HMAC/SHA-256", None), Err(CryptoError::InvalidHandle));
    ctx.secrets_manager_close(sm2).unwrap();
    assert_eq!(ctx.secrets_manager_close(sm2), Err(CryptoError::InvalidHandle));
    assert_eq!(ctx.symmetric_key_from_id(sm2, b"id", VERSION_LATEST), Err(CryptoError::InvalidHandle));
    assert!(ctx.symmetric_key_generate_managed(sm, "HMAC/SHA-256", None).is_ok());
}

#[test]
fn generated_managed_key_is_found_by_id_and_not_exportable() {
    let (mut ctx, sm) = ctx();
    let key = ctx.symmetric_key_generate_managed(sm, "HMAC/SHA-256", None).unwrap();
    let mut id = [0u8; 32];
    let (len, version) = ctx.symmetric_key_id(key, &mut id).unwrap();
    assert_eq!((len, version), (ID_LEN, 1));
    let again = ctx.symmetric_key_from_id(sm, &id[..len], VERSION_LATEST).unwrap();
    assert_eq!(hmac(&mut ctx, key), hmac(&mut ctx, again), "the same key material");
    assert_eq!(ctx.symmetric_key_export(key), Err(CryptoError::ProhibitedOperation));
    assert_eq!(ctx.symmetric_key_export(again), Err(CryptoError::ProhibitedOperation));
    assert_eq!(ctx.symmetric_key_generate_managed(sm, "SHA-256", None), Err(CryptoError::KeyNotSupported));
    assert_eq!(ctx.symmetric_key_generate_managed(sm, "NOPE", None), Err(CryptoError::UnsupportedAlgorithm));
}

#[test]
fn stored_key_keeps_its_bytes_and_stays_exportable() {
    let (mut ctx, sm) = ctx();
    let (key, id) = stored_key(&mut ctx, sm, &[7; 32]);
    let mut out = [0u8; ID_LEN];
    assert_eq!(ctx.symmetric_key_id(key, &mut out), Ok((ID_LEN, 1)));
    assert_eq!(out, id);
    let loaded = ctx.symmetric_key_from_id(sm, &id, 1).unwrap();
    assert_eq!(export(&mut ctx, loaded), vec![7; 32]);
    assert_eq!(export(&mut ctx, key), vec![7; 32]);
}

#[test]
fn id_buffer_too_small_is_overflow_and_stores_nothing() {
    let store = store();
    let (mut ctx, sm) = ctx_on(&store, "test");
    let key = ctx.symmetric_key_import("HMAC/SHA-256", &[1; 32]).unwrap();
    assert_eq!(ctx.symmetric_key_store_managed(sm, key, &mut [0; ID_LEN - 1]), Err(CryptoError::Overflow));
    let kp = ctx.keypair_generate(AlgorithmType::Signatures, "Ed25519", None).unwrap();
    assert_eq!(ctx.keypair_store_managed(sm, kp, &mut [0; 3]), Err(CryptoError::Overflow));
    assert_eq!(ctx.external_secret_store(sm, b"s", u64::MAX, &mut []), Err(CryptoError::Overflow));
    assert_eq!(store.list("test").unwrap(), vec![]);

    let (key, _) = stored_key(&mut ctx, sm, &[1; 32]);
    assert_eq!(ctx.symmetric_key_id(key, &mut [0; ID_LEN - 1]), Err(CryptoError::Overflow));
    let kp = ctx.keypair_generate_managed(sm, AlgorithmType::Signatures, "Ed25519", None).unwrap();
    assert_eq!(ctx.keypair_id(kp, &mut [0; 8]), Err(CryptoError::Overflow));
}

#[test]
fn id_of_an_unmanaged_key_is_unsupported_feature() {
    let (mut ctx, sm) = ctx();
    let key = ctx.symmetric_key_generate("AES-128-GCM", None).unwrap();
    assert_eq!(ctx.symmetric_key_id(key, &mut [0; 64]), Err(CryptoError::UnsupportedFeature));
    let kp = ctx.keypair_generate(AlgorithmType::KeyExchange, "X25519", None).unwrap();
    assert_eq!(ctx.keypair_id(kp, &mut [0; 64]), Err(CryptoError::UnsupportedFeature));
    let other = ctx.symmetric_key_generate("AES-128-GCM", None).unwrap();
    assert_eq!(ctx.symmetric_key_replace_managed(sm, key, other), Err(CryptoError::UnsupportedFeature));
    assert_eq!(ctx.symmetric_key_id(0xbad, &mut [0; 64]), Err(CryptoError::InvalidHandle));
}

#[test]
fn replace_gives_the_old_id_a_new_version_and_closes_the_old_handle() {
    let (mut ctx, sm) = ctx();
    let (v1, id) = stored_key(&mut ctx, sm, &[1; 32]);
    let new = ctx.symmetric_key_import("HMAC/SHA-256", &[2; 32]).unwrap();
    assert_eq!(ctx.symmetric_key_replace_managed(sm, v1, new), Ok(2));
    assert_eq!(ctx.symmetric_key_export(v1), Err(CryptoError::InvalidHandle), "old handle closed");
    let mut out = [0u8; ID_LEN];
    assert_eq!(ctx.symmetric_key_id(new, &mut out), Ok((ID_LEN, 2)));
    assert_eq!(out, id);
    let newer = ctx.symmetric_key_import("HMAC/SHA-256", &[3; 32]).unwrap();
    assert_eq!(ctx.symmetric_key_replace_managed(sm, new, newer), Ok(3));
    let latest = ctx.symmetric_key_from_id(sm, &id, VERSION_LATEST).unwrap();
    assert_eq!(export(&mut ctx, latest), vec![3; 32]);
    let first = ctx.symmetric_key_from_id(sm, &id, 1).unwrap();
    assert_eq!(export(&mut ctx, first), vec![1; 32]);
    let second = ctx.symmetric_key_from_id(sm, &id, 2).unwrap();
    assert_eq!(export(&mut ctx, second), vec![2; 32]);
    assert_eq!(ctx.symmetric_key_from_id(sm, &id, 4), Err(CryptoError::NotFound));
}

#[test]
fn replace_with_another_algorithm_is_incompatible_keys() {
    let (mut ctx, sm) = ctx();
    let (old, _) = stored_key(&mut ctx, sm, &[1; 32]);
    let new = ctx.symmetric_key_import("HMAC/SHA-512", &[2; 64]).unwrap();
    assert_eq!(ctx.symmetric_key_replace_managed(sm, old, new), Err(CryptoError::IncompatibleKeys));
    assert!(ctx.symmetric_key_export(old).is_ok(), "old handle kept on failure");
    let kp = ctx.keypair_generate_managed(sm, AlgorithmType::Signatures, "Ed25519", None).unwrap();
    let other = ctx.keypair_generate(AlgorithmType::Signatures, "ECDSA_P256_SHA256", None).unwrap();
    assert_eq!(ctx.keypair_replace_managed(sm, kp, other), Err(CryptoError::IncompatibleKeys));
}

#[test]
fn invalidated_versions_are_not_found() {
    let (mut ctx, sm) = ctx();
    let (v1, id) = stored_key(&mut ctx, sm, &[1; 32]);
    let v2 = ctx.symmetric_key_import("HMAC/SHA-256", &[2; 32]).unwrap();
    ctx.symmetric_key_replace_managed(sm, v1, v2).unwrap();
    let v3 = ctx.symmetric_key_import("HMAC/SHA-256", &[3; 32]).unwrap();
    ctx.symmetric_key_replace_managed(sm, v2, v3).unwrap();

    ctx.secrets_manager_invalidate(sm, &id, 1).unwrap();
    assert_eq!(ctx.symmetric_key_from_id(sm, &id, 1), Err(CryptoError::NotFound));
    assert_eq!(ctx.secrets_manager_invalidate(sm, &id, 1), Err(CryptoError::NotFound));
    ctx.secrets_manager_invalidate(sm, &id, VERSION_LATEST).unwrap();
    let latest = ctx.symmetric_key_from_id(sm, &id, VERSION_LATEST).unwrap();
    assert_eq!(export(&mut ctx, latest), vec![2; 32], "latest falls back to the newest live version");
    ctx.secrets_manager_invalidate(sm, &id, VERSION_ALL).unwrap();
    assert_eq!(ctx.symmetric_key_from_id(sm, &id, VERSION_LATEST), Err(CryptoError::NotFound));
    assert_eq!(ctx.secrets_manager_invalidate(sm, &id, VERSION_ALL), Err(CryptoError::NotFound));
    let v4 = ctx.symmetric_key_import("HMAC/SHA-256", &[4; 32]).unwrap();
    assert_eq!(ctx.symmetric_key_replace_managed(sm, v3, v4), Err(CryptoError::NotFound));
    assert_eq!(export(&mut ctx, v3), vec![3; 32], "open handles stay usable");
    assert_eq!(ctx.secrets_manager_invalidate(sm, b"unknown", 1), Err(CryptoError::NotFound));
}

#[test]
fn reserved_versions_and_bad_ids_are_not_found() {
    let (mut ctx, sm) = ctx();
    let (_, id) = stored_key(&mut ctx, sm, &[1; 32]);
    assert_eq!(ctx.symmetric_key_from_id(sm, &id, VERSION_ALL), Err(CryptoError::NotFound));
    assert_eq!(ctx.symmetric_key_from_id(sm, &id, VERSION_UNSPECIFIED), Err(CryptoError::NotFound));
    assert_eq!(ctx.symmetric_key_from_id(sm, &id, 0), Err(CryptoError::NotFound));
    assert_eq!(ctx.symmetric_key_from_id(sm, &[], VERSION_LATEST), Err(CryptoError::NotFound));
    assert_eq!(ctx.symmetric_key_from_id(sm, &[0; MAX_ID_LEN + 1], VERSION_LATEST), Err(CryptoError::NotFound));
}

#[test]
fn ids_of_another_kind_are_not_found() {
    let (mut ctx, sm) = ctx();
    let (_, sym_id) = stored_key(&mut ctx, sm, &[1; 32]);
    assert_eq!(ctx.keypair_from_id(sm, &sym_id, VERSION_LATEST), Err(CryptoError::NotFound));
    assert_eq!(ctx.external_secret_from_id(sm, &sym_id, VERSION_LATEST), Err(CryptoError::NotFound));
    assert_eq!(ctx.external_secret_invalidate(sm, &sym_id, VERSION_ALL), Err(CryptoError::NotFound));
    let mut secret_id = [0u8; ID_LEN];
    ctx.external_secret_store(sm, b"s", u64::MAX, &mut secret_id).unwrap();
    assert_eq!(ctx.symmetric_key_from_id(sm, &secret_id, VERSION_LATEST), Err(CryptoError::NotFound));
    assert_eq!(ctx.secrets_manager_invalidate(sm, &secret_id, VERSION_ALL), Err(CryptoError::NotFound));
    assert!(ctx.symmetric_key_from_id(sm, &sym_id, VERSION_LATEST).is_ok(), "nothing was invalidated");
}

#[test]
fn managed_key_pairs_round_trip_rotate_and_refuse_export() {
    let (mut ctx, sm) = ctx();
    let kp = ctx.keypair_generate_managed(sm, AlgorithmType::Signatures, "Ed25519", None).unwrap();
    let pk1 = public_raw(&mut ctx, kp);
    let mut id = [0u8; ID_LEN];
    assert_eq!(ctx.keypair_id(kp, &mut id), Ok((ID_LEN, 1)));
    assert_eq!(ctx.keypair_export(kp, KeyPairEncoding::Pkcs8), Err(CryptoError::ProhibitedOperation));
    let sk = ctx.keypair_secretkey(kp).unwrap();
    for encoding in [SecretKeyEncoding::Raw, SecretKeyEncoding::Pkcs8, SecretKeyEncoding::Pem] {
        assert_eq!(ctx.secretkey_export(sk, encoding), Err(CryptoError::ProhibitedOperation));
    }

    let loaded = ctx.keypair_from_id(sm, &id, VERSION_LATEST).unwrap();
    assert_eq!(public_raw(&mut ctx, loaded), pk1);
    assert_eq!(ctx.keypair_export(loaded, KeyPairEncoding::Raw), Err(CryptoError::ProhibitedOperation));

    let new = ctx.keypair_generate(AlgorithmType::Signatures, "Ed25519", None).unwrap();
    let pk2 = public_raw(&mut ctx, new);
    assert_ne!(pk1, pk2);
    assert_eq!(ctx.keypair_replace_managed(sm, kp, new), Ok(2));
    assert_eq!(ctx.keypair_publickey(kp), Err(CryptoError::InvalidHandle));
    let latest = ctx.keypair_from_id(sm, &id, VERSION_LATEST).unwrap();
    assert_eq!(public_raw(&mut ctx, latest), pk2);
    assert!(ctx.keypair_export(latest, KeyPairEncoding::Pkcs8).is_ok(), "a guest-provided key stays exportable");
    let first = ctx.keypair_from_id(sm, &id, 1).unwrap();
    assert_eq!(public_raw(&mut ctx, first), pk1);

    let kx = ctx.keypair_generate(AlgorithmType::KeyExchange, "X25519", None).unwrap();
    let pk = public_raw(&mut ctx, kx);
    let mut kx_id = [0u8; ID_LEN];
    ctx.keypair_store_managed(sm, kx, &mut kx_id).unwrap();
    assert_eq!(ctx.keypair_id(kx, &mut [0; ID_LEN]), Ok((ID_LEN, 1)));
    let kx_loaded = ctx.keypair_from_id(sm, &kx_id, 1).unwrap();
    assert_eq!(public_raw(&mut ctx, kx_loaded), pk);
}

#[test]
fn managed_aead_key_decrypts_what_the_generated_handle_encrypted() {
    let (mut ctx, sm) = ctx();
    let key = ctx.symmetric_key_generate_managed(sm, "AES-256-GCM", None).unwrap();
    let mut id = [0u8; ID_LEN];
    ctx.symmetric_key_id(key, &mut id).unwrap();
    let options = ctx.options_open(AlgorithmType::Symmetric).unwrap();
    ctx.options_set(options, "nonce", &[0; 12]).unwrap();
    let state = ctx.symmetric_state_open("AES-256-GCM", Some(key), Some(options)).unwrap();
    let mut sealed = [0u8; 5 + 16];
    ctx.symmetric_state_encrypt(state, InOut::separate(b"hello", &mut sealed)).unwrap();
    let loaded = ctx.symmetric_key_from_id(sm, &id, VERSION_LATEST).unwrap();
    let state = ctx.symmetric_state_open("AES-256-GCM", Some(loaded), Some(options)).unwrap();
    let mut plain = [0u8; 5];
    assert_eq!(ctx.symmetric_state_decrypt(state, InOut::separate(&sealed, &mut plain)), Ok(5));
    assert_eq!(&plain, b"hello");
}

#[test]
fn namespaces_never_see_each_other() {
    let store = store();
    let (mut a, sm_a) = ctx_on(&store, "a");
    let (mut b, sm_b) = ctx_on(&store, "b");
    let (_, id) = stored_key(&mut a, sm_a, &[1; 32]);
    assert_eq!(b.symmetric_key_from_id(sm_b, &id, VERSION_LATEST), Err(CryptoError::NotFound));
    assert_eq!(b.secrets_manager_invalidate(sm_b, &id, VERSION_ALL), Err(CryptoError::NotFound));
    let mut secret_id = [0u8; ID_LEN];
    a.external_secret_store(sm_a, b"s", u64::MAX, &mut secret_id).unwrap();
    assert_eq!(b.external_secret_from_id(sm_b, &secret_id, VERSION_LATEST), Err(CryptoError::NotFound));
    assert_eq!(b.external_secret_replace(sm_b, b"t", u64::MAX, &secret_id), Err(CryptoError::NotFound));
    let envelope = a.external_secret_encapsulate(sm_a, b"s", u64::MAX).unwrap();
    let envelope = pull(&mut a, envelope);
    assert_eq!(b.external_secret_decapsulate(sm_b, &envelope), Err(CryptoError::VerificationFailed));
    assert_eq!(store.list("b").unwrap(), vec![]);
    assert_eq!(store.list("a").unwrap().len(), 2);
    let loaded = a.symmetric_key_from_id(sm_a, &id, VERSION_LATEST).unwrap();
    assert_eq!(export(&mut a, loaded), vec![1; 32]);
}

#[test]
fn external_secrets_store_replace_read_and_invalidate() {
    let (mut ctx, sm) = ctx();
    let mut id = [0u8; ID_LEN];
    ctx.external_secret_store(sm, b"first", u64::MAX, &mut id).unwrap();
    assert_eq!(ctx.external_secret_replace(sm, b"second", u64::MAX, &id), Ok(2));
    let latest = ctx.external_secret_from_id(sm, &id, VERSION_LATEST).unwrap();
    assert_eq!(pull(&mut ctx, latest), b"second");
    let first = ctx.external_secret_from_id(sm, &id, 1).unwrap();
    assert_eq!(pull(&mut ctx, first), b"first");
    ctx.external_secret_invalidate(sm, &id, 2).unwrap();
    let latest = ctx.external_secret_from_id(sm, &id, VERSION_LATEST).unwrap();
    assert_eq!(pull(&mut ctx, latest), b"first");
    ctx.external_secret_invalidate(sm, &id, VERSION_ALL).unwrap();
    assert_eq!(ctx.external_secret_from_id(sm, &id, VERSION_LATEST), Err(CryptoError::NotFound));
    assert_eq!(ctx.external_secret_replace(sm, b"third", u64::MAX, &id), Err(CryptoError::NotFound));
}

#[test]
fn external_secret_expiration_is_mandatory() {
    let (mut ctx, sm) = ctx();
    let mut id = [0u8; ID_LEN];
    assert_eq!(ctx.external_secret_store(sm, b"s", 0, &mut id), Err(CryptoError::ParametersMissing));
    assert_eq!(ctx.external_secret_encapsulate(sm, b"s", 0), Err(CryptoError::ParametersMissing));
    ctx.external_secret_store(sm, b"s", u64::MAX, &mut id).unwrap();
    assert_eq!(ctx.external_secret_replace(sm, b"t", 0, &id), Err(CryptoError::ParametersMissing));
    let big = vec![0u8; MAX_EXTERNAL_SECRET_LEN + 1];
    assert_eq!(ctx.external_secret_encapsulate(sm, &big, u64::MAX), Err(CryptoError::InvalidLength));
}

#[test]
fn expired_secrets_are_expired() {
    let (mut ctx, sm) = ctx();
    let mut id = [0u8; ID_LEN];
    ctx.external_secret_store(sm, b"old", 1, &mut id).unwrap();
    assert_eq!(ctx.external_secret_from_id(sm, &id, VERSION_LATEST), Err(CryptoError::Expired));
    let envelope = ctx.external_secret_encapsulate(sm, b"old", 1).unwrap();
    let envelope = pull(&mut ctx, envelope);
    assert_eq!(ctx.external_secret_decapsulate(sm, &envelope), Err(CryptoError::Expired));
}

#[test]
fn envelopes_round_trip_and_tampering_is_verification_failed() {
    let (mut ctx, sm) = ctx();
    let envelope = ctx.external_secret_encapsulate(sm, b"api token", u64::MAX).unwrap();
    let envelope = pull(&mut ctx, envelope);
    assert_eq!(envelope.len(), ENVELOPE_OVERHEAD + 9);
    let opened = ctx.external_secret_decapsulate(sm, &envelope).unwrap();
    assert_eq!(pull(&mut ctx, opened), b"api token");
    let mut later = envelope.clone();
    later[5..13].copy_from_slice(&1u64.to_be_bytes());
    assert_eq!(ctx.external_secret_decapsulate(sm, &later), Err(CryptoError::VerificationFailed), "expiration");
    let mut flipped = envelope.clone();
    *flipped.last_mut().unwrap() ^= 0x80;
    assert_eq!(ctx.external_secret_decapsulate(sm, &flipped), Err(CryptoError::VerificationFailed));
    assert_eq!(ctx.external_secret_decapsulate(sm, b"short"), Err(CryptoError::VerificationFailed));
    let (mut other, other_sm) = ctx_on(&store(), "test");
    assert_eq!(other.external_secret_decapsulate(other_sm, &envelope), Err(CryptoError::VerificationFailed));
}

fn ctx_with_quotas(quotas: Quotas) -> (Arc<MemoryStore>, CryptoCtx, Handle) {
    let store = Arc::new(MemoryStore::with_quotas(quotas).unwrap());
    let (ctx, sm) = ctx_on(&store, "test");
    (store, ctx, sm)
}

#[test]
fn record_quota_is_overflow_per_namespace_and_stores_nothing() {
    let (store, mut ctx, sm) = ctx_with_quotas(Quotas { max_records: 3, max_bytes: u64::MAX });
    let (mut other, other_sm) = ctx_on(&store, "other");
    let mut id = [0u8; ID_LEN];
    ctx.external_secret_store(sm, b"1", u64::MAX, &mut id).unwrap();
    assert_eq!(ctx.external_secret_replace(sm, b"2", u64::MAX, &id), Ok(2));
    ctx.symmetric_key_generate_managed(sm, "HMAC/SHA-256", None).unwrap();
    let mut id2 = [0u8; ID_LEN];
    assert_eq!(ctx.external_secret_store(sm, b"4", u64::MAX, &mut id2), Err(CryptoError::Overflow));
    assert_eq!(id2, [0; ID_LEN], "no id given out");
    assert_eq!(ctx.external_secret_replace(sm, b"4", u64::MAX, &id), Err(CryptoError::Overflow));
    assert_eq!(ctx.symmetric_key_generate_managed(sm, "HMAC/SHA-256", None), Err(CryptoError::Overflow));
    let kp = ctx.keypair_generate(AlgorithmType::Signatures, "Ed25519", None).unwrap();
    assert_eq!(ctx.keypair_store_managed(sm, kp, &mut id2), Err(CryptoError::Overflow));
    assert_eq!(ctx.keypair_id(kp, &mut id2), Err(CryptoError::UnsupportedFeature), "the handle stays unmanaged");
    assert_eq!(store.list("test").unwrap().len(), 3);
    // Another namespace has its own allowance.
    for _ in 0..3 {
        other.symmetric_key_generate_managed(other_sm, "HMAC/SHA-256", None).unwrap();
    }
    assert_eq!(other.symmetric_key_generate_managed(other_sm, "HMAC/SHA-256", None), Err(CryptoError::Overflow));
    // Invalidating frees room.
    ctx.external_secret_invalidate(sm, &id, 1).unwrap();
    ctx.external_secret_store(sm, b"5", u64::MAX, &mut id2).unwrap();
    let usage = store.usage().unwrap();
    assert_eq!(
        usage.iter().map(|u| (u.namespace.as_str(), u.records)).collect::<Vec<_>>(),
        [("other", 3), ("test", 3)]
    );
}

#[test]
fn byte_quota_counts_ids_algorithms_and_material() {
    // Two 64 KiB secrets with 16-byte ids fit in 2 × 65552 bytes; a third byte does not.
    let (store, mut ctx, sm) = ctx_with_quotas(Quotas { max_records: 100, max_bytes: 2 * 65552 });
    let secret = vec![7u8; MAX_EXTERNAL_SECRET_LEN];
    let mut id = [0u8; ID_LEN];
    ctx.external_secret_store(sm, &secret, u64::MAX, &mut id).unwrap();
    ctx.external_secret_store(sm, &secret, u64::MAX, &mut id).unwrap();
    assert_eq!(ctx.external_secret_store(sm, b"x", u64::MAX, &mut id), Err(CryptoError::Overflow));
    assert_eq!(store.usage().unwrap()[0].bytes, 2 * 65552);
    assert_eq!(record_bytes(b"id", &store.get("test", &id, VersionSelector::Latest).unwrap().record), 2 + 65536);
    let (mut other, other_sm) = ctx_on(&store, "other");
    other.external_secret_store(other_sm, &secret, u64::MAX, &mut id).unwrap();
}

#[test]
fn expired_secrets_are_purged_on_write_and_by_purge() {
    let (store, mut ctx, sm) = ctx_with_quotas(Quotas { max_records: 1, max_bytes: u64::MAX });
    let mut old = [0u8; ID_LEN];
    ctx.external_secret_store(sm, b"old", 1, &mut old).unwrap();
    let usage = &store.usage().unwrap()[0];
    assert_eq!((usage.records, usage.purgeable_records), (1, 1));
    // The namespace is full, of an expired secret: the next write deletes it first.
    let mut id = [0u8; ID_LEN];
    ctx.external_secret_store(sm, b"new", u64::MAX, &mut id).unwrap();
    assert_eq!(store.list("test").unwrap().len(), 1);
    assert_eq!(ctx.external_secret_from_id(sm, &old, VERSION_LATEST), Err(CryptoError::NotFound));
    assert_eq!(ctx.external_secret_store(sm, b"more", u64::MAX, &mut old), Err(CryptoError::Overflow));
    // `purge` deletes what no write got to yet (one write per namespace here).
    let other_store = self::store();
    for (namespace, expiration) in [("a", 1), ("b", 2), ("c", u64::MAX)] {
        let (mut other, other_sm) = ctx_on(&other_store, namespace);
        other.external_secret_store(other_sm, b"s", expiration, &mut id).unwrap();
    }
    let purgeable = |s: &MemoryStore| s.usage().unwrap().iter().map(|u| u.purgeable_records).collect::<Vec<_>>();
    assert_eq!(purgeable(&other_store), [1, 1, 0]);
    assert_eq!(other_store.purge().unwrap().expired_records, 2);
    assert_eq!(purgeable(&other_store), [0]);
    assert_eq!(other_store.usage().unwrap()[0].namespace, "c");
}

#[test]
fn versions_are_never_reused_after_invalidation_and_purge() {
    let (store, mut ctx, sm) = ctx_with_quotas(Quotas::default());
    let (v1, id) = stored_key(&mut ctx, sm, &[1; 32]);
    let v2 = ctx.symmetric_key_import("HMAC/SHA-256", &[2; 32]).unwrap();
    assert_eq!(ctx.symmetric_key_replace_managed(sm, v1, v2), Ok(2));
    ctx.secrets_manager_invalidate(sm, &id, VERSION_ALL).unwrap();
    store.purge().unwrap();
    // The same id, brought back by an operator, starts above every version it had.
    let record = store.get("test", &id, VersionSelector::Latest);
    assert_eq!(record.err(), Some(StoreError::NotFound));
    let mut fresh = operator::generate_record("HMAC/SHA-256", operator::OperatorPolicy::default()).unwrap();
    fresh.exportable = true;
    assert_eq!(store.insert_new("test", &id, &fresh), Ok(3));
    assert_eq!(ctx.symmetric_key_from_id(sm, &id, 2), Err(CryptoError::NotFound));
    assert_eq!(ctx.symmetric_key_from_id(sm, &id, 3).map(|_| ()), Ok(()));
    // Another namespace is unaffected: its first version is 1.
    assert_eq!(store.insert_new("elsewhere", &id, &fresh), Ok(1));
}

#[test]
fn managed_symmetric_keys_are_capped() {
    let (store, mut ctx, sm) = ctx_with_quotas(Quotas::default());
    // Keys longer than the cap cannot even be imported, so they can never be stored.
    assert_eq!(
        ctx.symmetric_key_import("HMAC/SHA-256", &vec![1u8; MAX_MANAGED_KEY_LEN + 1]).err(),
        Some(CryptoError::InvalidKey)
    );
    let (_old, _) = stored_key(&mut ctx, sm, &[1; 32]);
    assert_eq!(store.list("test").unwrap().len(), 1);
    let mut id = [0u8; ID_LEN];
    let longest = ctx.symmetric_key_import("HMAC/SHA-256", &vec![1u8; MAX_MANAGED_KEY_LEN]).unwrap();
    let before = ctx.buffered_bytes();
    ctx.symmetric_key_store_managed(sm, longest, &mut id).unwrap();
    assert_eq!(ctx.buffered_bytes(), before, "the managed copy is charged like the imported key");
    let loaded = ctx.symmetric_key_from_id(sm, &id, VERSION_LATEST).unwrap();
    assert!(ctx.buffered_bytes() >= before + MAX_MANAGED_KEY_LEN, "keys opened by id are charged");
    ctx.symmetric_key_close(loaded).unwrap();
    assert_eq!(ctx.buffered_bytes(), before);
}

/// Provisions an operator key directly in the store.
fn operator_key(store: &MemoryStore, id: &[u8], guest_mutable: bool) {
    let policy = operator::OperatorPolicy { exportable: false, guest_mutable };
    store.insert_new("test", id, &operator::generate_record("HMAC/SHA-256", policy).unwrap()).unwrap();
}

#[test]
fn guests_may_not_replace_or_invalidate_protected_operator_keys() {
    let (store, mut ctx, sm) = ctx_with_quotas(Quotas::default());
    operator_key(&store, b"locked", false);
    operator_key(&store, b"open", true);
    let locked = ctx.symmetric_key_from_id(sm, b"locked", VERSION_LATEST).unwrap();
    assert_eq!(ctx.symmetric_key_export(locked), Err(CryptoError::ProhibitedOperation));
    let new = ctx.symmetric_key_import("HMAC/SHA-256", &[2; 32]).unwrap();
    assert_eq!(ctx.symmetric_key_replace_managed(sm, locked, new), Err(CryptoError::ProhibitedOperation));
    for version in [1, VERSION_LATEST, VERSION_ALL] {
        assert_eq!(ctx.secrets_manager_invalidate(sm, b"locked", version), Err(CryptoError::ProhibitedOperation));
    }
    assert_eq!(store.list("test").unwrap().len(), 2, "nothing changed");
    // The operator rotates it as guest-mutable: the guest may now replace the id, but still
    // not delete the protected version 1 (nor all versions).
    let policy = operator::OperatorPolicy { exportable: false, guest_mutable: true };
    let v2 = operator::generate_record("HMAC/SHA-256", policy).unwrap();
    assert_eq!(store.insert_version("test", b"locked", &v2, Actor::Operator), Ok(2));
    assert_eq!(ctx.secrets_manager_invalidate(sm, b"locked", VERSION_ALL), Err(CryptoError::ProhibitedOperation));
    let latest = ctx.symmetric_key_from_id(sm, b"locked", VERSION_LATEST).unwrap();
    assert_eq!(ctx.symmetric_key_replace_managed(sm, latest, new), Ok(3));
    assert_eq!(ctx.secrets_manager_invalidate(sm, b"locked", 3), Ok(()));

    let open = ctx.symmetric_key_from_id(sm, b"open", VERSION_LATEST).unwrap();
    let new = ctx.symmetric_key_import("HMAC/SHA-256", &[3; 32]).unwrap();
    assert_eq!(ctx.symmetric_key_replace_managed(sm, open, new), Ok(2));
    assert_eq!(ctx.secrets_manager_invalidate(sm, b"open", VERSION_ALL), Ok(()));
    assert_eq!(store.invalidate("test", b"locked", VersionSelector::All, Actor::Operator), Ok(2));
}

#[test]
fn non_exportable_managed_key_exchange_pairs_do_dh_and_decapsulate() {
    let (mut ctx, sm) = ctx();
    for alg in ["X25519", "P256-SHA256"] {
        let managed = ctx.keypair_generate_managed(sm, AlgorithmType::KeyExchange, alg, None).unwrap();
        let peer = ctx.keypair_generate(AlgorithmType::KeyExchange, alg, None).unwrap();
        let sk = ctx.keypair_secretkey(managed).unwrap();
        assert_eq!(ctx.secretkey_export(sk, SecretKeyEncoding::Raw), Err(CryptoError::ProhibitedOperation), "{alg}");
        let peer_pk = ctx.keypair_publickey(peer).unwrap();
        let ours = ctx.kx_dh(peer_pk, sk).unwrap();
        let ours = pull(&mut ctx, ours);
        let (peer_sk, managed_pk) = (ctx.keypair_secretkey(peer).unwrap(), ctx.keypair_publickey(managed).unwrap());
        let theirs = ctx.kx_dh(managed_pk, peer_sk).unwrap();
        assert_eq!(ours, pull(&mut ctx, theirs), "{alg}");
        // A key pair rebuilt from that secret key is not exportable either, nor once stored.
        let rebuilt = ctx.keypair_from_pk_and_sk(managed_pk, sk).unwrap();
        assert_eq!(ctx.keypair_export(rebuilt, KeyPairEncoding::Pkcs8), Err(CryptoError::ProhibitedOperation));
        let mut id = [0u8; ID_LEN];
        ctx.keypair_store_managed(sm, rebuilt, &mut id).unwrap();
        let reloaded = ctx.keypair_from_id(sm, &id, VERSION_LATEST).unwrap();
        assert_eq!(ctx.keypair_export(reloaded, KeyPairEncoding::Pkcs8), Err(CryptoError::ProhibitedOperation));
    }
    let kem = ctx.keypair_generate_managed(sm, AlgorithmType::KeyExchange, "ML-KEM-768", None).unwrap();
    let pk = ctx.keypair_publickey(kem).unwrap();
    let (secret, ciphertext) = ctx.kx_encapsulate(pk).unwrap();
    let (secret, ciphertext) = (pull(&mut ctx, secret), pull(&mut ctx, ciphertext));
    let sk = ctx.keypair_secretkey(kem).unwrap();
    let decapsulated = ctx.kx_decapsulate(sk, &ciphertext).unwrap();
    assert_eq!(pull(&mut ctx, decapsulated), secret);
    assert_eq!(ctx.secretkey_export(sk, SecretKeyEncoding::Raw), Err(CryptoError::ProhibitedOperation));
    // Exportable key pairs keep exportable secret keys.
    let plain = ctx.keypair_generate(AlgorithmType::KeyExchange, "X25519", None).unwrap();
    let sk = ctx.keypair_secretkey(plain).unwrap();
    assert_eq!(ctx.secretkey_export(sk, SecretKeyEncoding::Raw).map(|h| pull(&mut ctx, h).len()), Ok(32));
}

#[test]
fn every_asymmetric_algorithm_is_a_managed_key_pair() {
    let (mut ctx, sm) = ctx();
    // RSA key generation takes seconds: RSA is covered by the stored-key path above.
    for alg in crate::asymmetric::algorithms().filter(|a| !a.slow_keygen()) {
        let (t, name) = (alg.algorithm_type(), alg.name());
        let kp = ctx.keypair_generate_managed(sm, t, name, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        let pk = public_raw(&mut ctx, kp);
        let mut id = [0u8; ID_LEN];
        assert_eq!(ctx.keypair_id(kp, &mut id), Ok((ID_LEN, 1)), "{name}");
        assert_eq!(ctx.keypair_export(kp, KeyPairEncoding::Raw), Err(CryptoError::ProhibitedOperation), "{name}");
        let loaded = ctx.keypair_from_id(sm, &id, VERSION_LATEST).unwrap();
        assert_eq!(public_raw(&mut ctx, loaded), pk, "{name}");
        // A guest key pair stored and reloaded keeps its key.
        let own = ctx.keypair_generate(t, name, None).unwrap();
        let own_pk = public_raw(&mut ctx, own);
        let mut own_id = [0u8; ID_LEN];
        ctx.keypair_store_managed(sm, own, &mut own_id).unwrap();
        let reloaded = ctx.keypair_from_id(sm, &own_id, 1).unwrap();
        assert_eq!(public_raw(&mut ctx, reloaded), own_pk, "{name}");
        for h in [kp, loaded, own, reloaded] {
            ctx.keypair_close(h).unwrap();
        }
    }
}
