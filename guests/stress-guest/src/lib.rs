//! A concurrency stress loop for the host tests. `setup(seed)` creates this instance's keys
//! (an AES-128-GCM key, an HMAC key stored as a managed key, an Ed25519 key pair), all derived
//! from `seed` so that each instance works on its own data; `work(iters)` runs `iters` rounds of
//!
//! - AES-128-GCM encryption of an instance- and round-specific message, then decryption with a
//!   fresh state, checked against the message;
//! - an HMAC tag with the managed key looked up by id, checked against the tag of the local key
//!   (every 8th round also stores a new managed key and checks it the same way);
//! - an Ed25519 signature, verified with the instance's public key, and refused
//!   (`verification_failed`) for another instance's message.
//!
//! Every export returns 0 on success, else `step << 8 | errno` of the first failed call (or
//! `step << 8 | 0xff` for a wrong result). `ciphertext()` is the address of the last round's
//! ciphertext and tag (48 bytes), which the host recomputes natively.

use std::sync::Mutex;

#[link(wasm_import_module = "wasi_ephemeral_crypto_common")]
unsafe extern "C" {
    fn options_open(alg_type: u32, out: u32) -> u32;
    fn options_close(h: u32) -> u32;
    fn options_set(h: u32, name: u32, name_len: u32, value: u32, value_len: u32) -> u32;
    fn secrets_manager_open(options: u32, out: u32) -> u32;
}

#[link(wasm_import_module = "wasi_ephemeral_crypto_symmetric")]
unsafe extern "C" {
    fn symmetric_key_import(alg: u32, alg_len: u32, raw: u32, raw_len: u32, out: u32) -> u32;
    fn symmetric_key_close(key: u32) -> u32;
    fn symmetric_key_store_managed(sm: u32, key: u32, id: u32, id_max: u32) -> u32;
    fn symmetric_key_from_id(sm: u32, id: u32, id_len: u32, version: u64, out: u32) -> u32;
    fn symmetric_state_open(alg: u32, alg_len: u32, key: u32, options: u32, out: u32) -> u32;
    fn symmetric_state_close(s: u32) -> u32;
    fn symmetric_state_absorb(s: u32, data: u32, len: u32) -> u32;
    fn symmetric_state_squeeze_tag(s: u32, out: u32) -> u32;
    fn symmetric_state_encrypt(s: u32, out: u32, out_len: u32, data: u32, data_len: u32, result: u32) -> u32;
    fn symmetric_state_decrypt(s: u32, out: u32, out_len: u32, data: u32, data_len: u32, result: u32) -> u32;
    fn symmetric_tag_pull(tag: u32, buf: u32, buf_len: u32, out: u32) -> u32;
}

#[link(wasm_import_module = "wasi_ephemeral_crypto_asymmetric_common")]
unsafe extern "C" {
    fn keypair_generate(alg_type: u32, alg: u32, alg_len: u32, options: u32, out: u32) -> u32;
    fn keypair_publickey(kp: u32, out: u32) -> u32;
}

#[link(wasm_import_module = "wasi_ephemeral_crypto_signatures")]
unsafe extern "C" {
    fn signature_state_open(kp: u32, out: u32) -> u32;
    fn signature_state_update(state: u32, data: u32, len: u32) -> u32;
    fn signature_state_sign(state: u32, out: u32) -> u32;
    fn signature_state_close(state: u32) -> u32;
    fn signature_verification_state_open(pk: u32, out: u32) -> u32;
    fn signature_verification_state_update(state: u32, data: u32, len: u32) -> u32;
    fn signature_verification_state_verify(state: u32, sig: u32) -> u32;
    fn signature_verification_state_close(state: u32) -> u32;
    fn signature_close(sig: u32) -> u32;
}

const SIGNATURES: u32 = 0;
const SYMMETRIC: u32 = 1;
const NONE: [u8; 8] = [1, 0, 0, 0, 0, 0, 0, 0];
const LATEST: u64 = 0xff00_0000_0000_0001;
const VERIFICATION_FAILED: u32 = 10;
const AEAD: &str = "AES-128-GCM";
const MAC: &str = "HMAC/SHA-256";
const MESSAGE_LEN: usize = 32;
const TAG_LEN: usize = 16;
const ID_LEN: usize = 16;

/// This instance's keys and round counter.
struct Instance {
    seed: u32,
    round: u32,
    sm: u32,
    aead_key: u32,
    mac_key: u32,
    mac_id: [u8; ID_LEN],
    keypair: u32,
    public_key: u32,
}

static INSTANCE: Mutex<Option<Instance>> = Mutex::new(None);
static CIPHERTEXT: Mutex<[u8; MESSAGE_LEN + TAG_LEN]> = Mutex::new([0; MESSAGE_LEN + TAG_LEN]);

/// The message of round `round` of instance `seed`: seed, round, then 24 seed-dependent bytes.
fn message(seed: u32, round: u32) -> [u8; MESSAGE_LEN] {
    let mut m = [0u8; MESSAGE_LEN];
    m[..4].copy_from_slice(&seed.to_le_bytes());
    m[4..8].copy_from_slice(&round.to_le_bytes());
    for (j, b) in m.iter_mut().enumerate().skip(8) {
        *b = (seed as u8).wrapping_mul(7).wrapping_add(j as u8);
    }
    m
}

/// The AES-128-GCM key of instance `seed`: its seed, four times.
fn aead_key_bytes(seed: u32) -> [u8; 16] {
    let mut k = [0u8; 16];
    k.chunks_mut(4).for_each(|c| c.copy_from_slice(&seed.to_le_bytes()));
    k
}

/// The nonce of round `round` of instance `seed`: round, seed, four zero bytes.
fn nonce(seed: u32, round: u32) -> [u8; 12] {
    let mut n = [0u8; 12];
    n[..4].copy_from_slice(&round.to_le_bytes());
    n[4..8].copy_from_slice(&seed.to_le_bytes());
    n
}

/// The HMAC key of instance `seed` and generation `generation` (32 bytes).
fn mac_key_bytes(seed: u32, generation: u32) -> [u8; 32] {
    let mut k = [0x5cu8; 32];
    k[..4].copy_from_slice(&seed.to_le_bytes());
    k[4..8].copy_from_slice(&generation.to_le_bytes());
    k
}

fn out(v: &mut u32) -> u32 {
    v as *mut u32 as u32
}

fn some(h: u32) -> [u8; 8] {
    let mut s = [0u8; 8];
    s[4..].copy_from_slice(&h.to_le_bytes());
    s
}

/// `Err(step << 8 | errno)` unless `rc` is 0.
fn ok(step: u32, rc: u32) -> Result<(), u32> {
    if rc == 0 { Ok(()) } else { Err(step << 8 | rc) }
}

/// `Err(step << 8 | 0xff)` unless `good`.
fn expect(step: u32, good: bool) -> Result<(), u32> {
    if good { Ok(()) } else { Err(step << 8 | 0xff) }
}

fn import_key(step: u32, alg: &str, raw: &[u8]) -> Result<u32, u32> {
    let mut k = 0;
    // SAFETY (all calls below): every pointer is to a live local of the stated length.
    let rc = unsafe {
        symmetric_key_import(alg.as_ptr() as u32, alg.len() as u32, raw.as_ptr() as u32, raw.len() as u32, out(&mut k))
    };
    ok(step, rc).map(|()| k)
}

/// The HMAC-SHA-256 tag of `data` with `key`.
fn hmac(step: u32, key: u32, data: &[u8]) -> Result<[u8; 32], u32> {
    let (mut s, mut tag, mut n) = (0, 0, 0);
    let mut buf = [0u8; 32];
    let key = some(key);
    unsafe {
        ok(
            step,
            symmetric_state_open(
                MAC.as_ptr() as u32,
                MAC.len() as u32,
                key.as_ptr() as u32,
                NONE.as_ptr() as u32,
                out(&mut s),
            ),
        )?;
        ok(step + 1, symmetric_state_absorb(s, data.as_ptr() as u32, data.len() as u32))?;
        ok(step + 2, symmetric_state_squeeze_tag(s, out(&mut tag)))?;
        ok(step + 3, symmetric_tag_pull(tag, buf.as_mut_ptr() as u32, 32, out(&mut n)))?;
        // `symmetric_tag_pull` closed the tag.
        ok(step + 5, symmetric_state_close(s))?;
    }
    expect(step + 6, n == 32)?;
    Ok(buf)
}

/// Stores a local copy of `raw` as a new managed key and returns its id.
fn store_managed(step: u32, sm: u32, raw: &[u8]) -> Result<[u8; ID_LEN], u32> {
    let key = import_key(step, MAC, raw)?;
    let mut id = [0u8; ID_LEN];
    unsafe {
        ok(step + 1, symmetric_key_store_managed(sm, key, id.as_mut_ptr() as u32, ID_LEN as u32))?;
        ok(step + 2, symmetric_key_close(key))?;
    }
    Ok(id)
}

/// Checks that the managed key `id` gives the same tag as the local key `local`.
fn check_managed(step: u32, sm: u32, id: &[u8; ID_LEN], local: u32, data: &[u8]) -> Result<(), u32> {
    let mut managed = 0;
    unsafe { ok(step, symmetric_key_from_id(sm, id.as_ptr() as u32, ID_LEN as u32, LATEST, out(&mut managed)))? };
    let expected = hmac(step + 1, local, data)?;
    let got = hmac(step + 8, managed, data)?;
    unsafe { ok(step + 15, symmetric_key_close(managed))? };
    expect(step + 16, got == expected)
}

fn try_setup(seed: u32) -> Result<Instance, u32> {
    let mut sm = 0;
    unsafe { ok(1, secrets_manager_open(NONE.as_ptr() as u32, out(&mut sm)))? };
    let aead_key = import_key(2, AEAD, &aead_key_bytes(seed))?;
    let mac_key = import_key(3, MAC, &mac_key_bytes(seed, 0))?;
    let mac_id = store_managed(4, sm, &mac_key_bytes(seed, 0))?;
    let (mut keypair, mut public_key) = (0, 0);
    let alg = "Ed25519";
    unsafe {
        ok(
            8,
            keypair_generate(
                SIGNATURES,
                alg.as_ptr() as u32,
                alg.len() as u32,
                NONE.as_ptr() as u32,
                out(&mut keypair),
            ),
        )?;
        ok(9, keypair_publickey(keypair, out(&mut public_key)))?;
    }
    Ok(Instance { seed, round: 0, sm, aead_key, mac_key, mac_id, keypair, public_key })
}

/// Creates this instance's keys from `seed`. Returns 0, or the failed step and errno.
#[unsafe(no_mangle)]
pub extern "C" fn setup(seed: u32) -> u32 {
    match try_setup(seed) {
        Ok(instance) => {
            *INSTANCE.lock().unwrap() = Some(instance);
            0
        }
        Err(e) => e,
    }
}

/// Encrypts, then decrypts with a fresh state; the ciphertext and tag go to `CIPHERTEXT`.
fn aead_round(me: &Instance, msg: &[u8; MESSAGE_LEN]) -> Result<(), u32> {
    let nonce = nonce(me.seed, me.round);
    let key = some(me.aead_key);
    let mut sealed = [0u8; MESSAGE_LEN + TAG_LEN];
    let mut opened = [0u8; MESSAGE_LEN];
    for (step, decrypt) in [(20, false), (30, true)] {
        let (mut o, mut s, mut n) = (0, 0, 0);
        unsafe {
            ok(step, options_open(SYMMETRIC, out(&mut o)))?;
            let name = "nonce";
            ok(step + 1, options_set(o, name.as_ptr() as u32, 5, nonce.as_ptr() as u32, 12))?;
            let options = some(o);
            ok(
                step + 2,
                symmetric_state_open(
                    AEAD.as_ptr() as u32,
                    AEAD.len() as u32,
                    key.as_ptr() as u32,
                    options.as_ptr() as u32,
                    out(&mut s),
                ),
            )?;
            let rc = if decrypt {
                symmetric_state_decrypt(
                    s,
                    opened.as_mut_ptr() as u32,
                    MESSAGE_LEN as u32,
                    sealed.as_ptr() as u32,
                    sealed.len() as u32,
                    out(&mut n),
                )
            } else {
                symmetric_state_encrypt(
                    s,
                    sealed.as_mut_ptr() as u32,
                    sealed.len() as u32,
                    msg.as_ptr() as u32,
                    MESSAGE_LEN as u32,
                    out(&mut n),
                )
            };
            ok(step + 3, rc)?;
            ok(step + 4, symmetric_state_close(s))?;
            ok(step + 5, options_close(o))?;
        }
        expect(step + 6, n as usize == if decrypt { MESSAGE_LEN } else { sealed.len() })?;
    }
    expect(40, &opened == msg)?;
    *CIPHERTEXT.lock().unwrap() = sealed;
    Ok(())
}

/// Signs `msg`, checks the signature, and checks that it does not verify `other`.
fn signature_round(me: &Instance, msg: &[u8], other: &[u8]) -> Result<(), u32> {
    let (mut state, mut sig) = (0, 0);
    unsafe {
        ok(60, signature_state_open(me.keypair, out(&mut state)))?;
        ok(61, signature_state_update(state, msg.as_ptr() as u32, msg.len() as u32))?;
        ok(62, signature_state_sign(state, out(&mut sig)))?;
        ok(63, signature_state_close(state))?;
        for (step, data, want) in [(64, msg, 0), (68, other, VERIFICATION_FAILED)] {
            let mut v = 0;
            ok(step, signature_verification_state_open(me.public_key, out(&mut v)))?;
            ok(step + 1, signature_verification_state_update(v, data.as_ptr() as u32, data.len() as u32))?;
            let rc = signature_verification_state_verify(v, sig);
            expect(step + 2, rc == want)?;
            ok(step + 3, signature_verification_state_close(v))?;
        }
        ok(72, signature_close(sig))?;
    }
    Ok(())
}

fn try_work(me: &mut Instance, iters: u32) -> Result<(), u32> {
    for _ in 0..iters {
        me.round += 1;
        let msg = message(me.seed, me.round);
        aead_round(me, &msg)?;
        check_managed(41, me.sm, &me.mac_id, me.mac_key, &msg)?;
        if me.round.is_multiple_of(8) {
            let raw = mac_key_bytes(me.seed, me.round);
            let id = store_managed(80, me.sm, &raw)?;
            let local = import_key(83, MAC, &raw)?;
            check_managed(84, me.sm, &id, local, &msg)?;
            unsafe { ok(101, symmetric_key_close(local))? };
        }
        let other = message(me.seed ^ 0x8000_0000, me.round);
        signature_round(me, &msg, &other)?;
    }
    Ok(())
}

/// Runs `iters` rounds. Returns 0, or the failed step and errno.
#[unsafe(no_mangle)]
pub extern "C" fn work(iters: u32) -> u32 {
    let mut instance = INSTANCE.lock().unwrap();
    match instance.as_mut() {
        Some(me) => try_work(me, iters).err().unwrap_or(0),
        None => 0xffff,
    }
}

/// The number of rounds run so far.
#[unsafe(no_mangle)]
pub extern "C" fn rounds() -> u32 {
    INSTANCE.lock().unwrap().as_ref().map_or(0, |me| me.round)
}

/// The address of the last round's ciphertext and tag (48 bytes).
#[unsafe(no_mangle)]
pub extern "C" fn ciphertext() -> u32 {
    CIPHERTEXT.lock().unwrap().as_ptr() as u32
}
