//! Raw-import checks: errno values, hostile pointers and lengths, overlapping buffers, streaming
//! array outputs and handle limits, exactly at the ABI level (no client library in between).
//! Prints one line per failed check and a closing `N passed, N failed` line.

mod abi;

use abi::*;

struct Checks {
    passed: u32,
    failed: u32,
}

impl Checks {
    fn eq<T: PartialEq + std::fmt::Debug>(&mut self, what: &str, got: T, want: T) {
        if got == want {
            self.passed += 1;
        } else {
            self.failed += 1;
            println!("FAIL {what}: got {got:?}, want {want:?}");
        }
    }
}

const FAR: u32 = 0xffff_fff0;

fn main() {
    let mut t = Checks { passed: 0, failed: 0 };
    hostile_pointers(&mut t);
    handles(&mut t);
    algorithms_and_keys(&mut t);
    aead_rules(&mut t);
    overlapping_buffers(&mut t);
    outputs(&mut t);
    not_yet_supported(&mut t);
    asymmetric(&mut t);
    handle_limit(&mut t);
    println!("raw-errno: {} passed, {} failed", t.passed, t.failed);
    std::process::exit(if t.failed == 0 { 0 } else { 1 });
}

fn hostile_pointers(t: &mut Checks) {
    let mut h = 0u32;
    let alg = "SHA-256";
    t.eq(
        "alg string out of bounds",
        state_open_raw(FAR, 100, NONE.as_ptr() as u32, NONE.as_ptr() as u32, out(&mut h)),
        GUEST_ERROR,
    );
    t.eq(
        "alg string wraps around",
        state_open_raw(FAR, 0x20, NONE.as_ptr() as u32, NONE.as_ptr() as u32, out(&mut h)),
        GUEST_ERROR,
    );
    t.eq(
        "invalid utf-8 name",
        state_open_raw([0xffu8, 0xfe].as_ptr() as u32, 2, NONE.as_ptr() as u32, NONE.as_ptr() as u32, out(&mut h)),
        GUEST_ERROR,
    );
    t.eq(
        "out-pointer out of bounds",
        state_open_raw(alg.as_ptr() as u32, alg.len() as u32, NONE.as_ptr() as u32, NONE.as_ptr() as u32, FAR),
        GUEST_ERROR,
    );
    let bad_tag = [7u8, 0, 0, 0, 0, 0, 0, 0];
    t.eq(
        "opt_options with a bad tag",
        state_open_raw(
            alg.as_ptr() as u32,
            alg.len() as u32,
            NONE.as_ptr() as u32,
            bad_tag.as_ptr() as u32,
            out(&mut h),
        ),
        GUEST_ERROR,
    );
    t.eq(
        "opt_options pointer out of bounds",
        state_open_raw(alg.as_ptr() as u32, alg.len() as u32, NONE.as_ptr() as u32, FAR, out(&mut h)),
        GUEST_ERROR,
    );
    let s = state_open(alg, None, None).unwrap();
    t.eq("absorb out of bounds", unsafe { symmetric::symmetric_state_absorb(s, FAR, 64) }, GUEST_ERROR);
    t.eq("absorb of u32::MAX bytes", unsafe { symmetric::symmetric_state_absorb(s, 16, u32::MAX) }, GUEST_ERROR);
    t.eq("squeeze out of bounds", unsafe { symmetric::symmetric_state_squeeze(s, FAR, 32) }, GUEST_ERROR);
    t.eq(
        "zero-length absorb at the end of memory",
        unsafe { symmetric::symmetric_state_absorb(s, memory_size(), 0) },
        SUCCESS,
    );
    t.eq(
        "zero-length absorb past the end of memory",
        unsafe { symmetric::symmetric_state_absorb(s, memory_size() + 1, 0) },
        GUEST_ERROR,
    );
    let mut digest = [0u8; 32];
    t.eq(
        "state still works",
        unsafe { symmetric::symmetric_state_squeeze(s, digest.as_mut_ptr() as u32, 32) },
        SUCCESS,
    );
    t.eq("digest of the empty string", digest[..4].to_vec(), vec![0xe3, 0xb0, 0xc4, 0x42]);
}

fn handles(t: &mut Checks) {
    let mut out_buf = [0u8; 32];
    t.eq("handle 0", unsafe { symmetric::symmetric_state_absorb(0, out_buf.as_ptr() as u32, 1) }, INVALID_HANDLE);
    t.eq(
        "unknown handle",
        unsafe { symmetric::symmetric_state_absorb(0xdead_beef, out_buf.as_ptr() as u32, 1) },
        INVALID_HANDLE,
    );
    let opts = options_open(SYMMETRIC).unwrap();
    t.eq(
        "options handle used as a state",
        unsafe { symmetric::symmetric_state_absorb(opts, out_buf.as_ptr() as u32, 1) },
        INVALID_HANDLE,
    );
    let s = state_open("SHA-256", None, None).unwrap();
    t.eq("state handle used as options", options_set(s, "nonce", &[0; 12]), INVALID_HANDLE);
    t.eq("close state", unsafe { symmetric::symmetric_state_close(s) }, SUCCESS);
    t.eq(
        "closed state",
        unsafe { symmetric::symmetric_state_squeeze(s, out_buf.as_mut_ptr() as u32, 32) },
        INVALID_HANDLE,
    );
    t.eq("double close", unsafe { symmetric::symmetric_state_close(s) }, INVALID_HANDLE);
    let s2 = state_open("SHA-256", None, None).unwrap();
    t.eq("reused slot gets a new handle", s2 != s, true);
    t.eq(
        "closed handle stays invalid",
        unsafe { symmetric::symmetric_state_absorb(s, out_buf.as_ptr() as u32, 1) },
        INVALID_HANDLE,
    );
    t.eq("bad algorithm type", unsafe { common::options_open(9, out(&mut 0)) }, GUEST_ERROR);
    unsafe {
        symmetric::symmetric_state_close(s2);
        common::options_close(opts);
    }
}

fn algorithms_and_keys(t: &mut Checks) {
    t.eq("unknown algorithm", state_open("MD5", None, None).err(), Some(UNSUPPORTED_ALGORITHM));
    t.eq("case-insensitive names", state_open("sha-512/256", None, None).is_ok(), true);
    t.eq("AES key of 15 bytes", key_import("AES-128-GCM", &[0; 15]).err(), Some(INVALID_KEY));
    t.eq("XChaCha key of 31 bytes", key_import("XCHACHA20-POLY1305", &[0; 31]).err(), Some(INVALID_KEY));
    t.eq("Xoodyak-160 key of 16 bytes", key_import("XOODYAK-160", &[0; 16]).err(), Some(INVALID_KEY));
    t.eq("HKDF-Expand PRK shorter than the hash", key_import("HKDF-EXPAND/SHA-256", &[0; 31]).err(), Some(INVALID_KEY));
    t.eq("key for a hash", key_import("SHA-256", &[0; 32]).err(), Some(KEY_NOT_SUPPORTED));
    let hmac = key_import("HMAC/SHA-256", b"key").unwrap();
    t.eq("HMAC key on SHA-256", state_open("SHA-256", Some(hmac), None).err(), Some(KEY_NOT_SUPPORTED));
    t.eq("HMAC key on HMAC/SHA-512", state_open("HMAC/SHA-512", Some(hmac), None).err(), Some(INVALID_KEY));
    t.eq("HMAC without a key", state_open("HMAC/SHA-256", None, None).err(), Some(KEY_REQUIRED));
    let s = state_open("HMAC/SHA-256", Some(hmac), None).unwrap();
    t.eq(
        "squeeze on HMAC",
        unsafe { symmetric::symmetric_state_squeeze(s, [0u8; 4].as_ptr() as u32, 4) },
        INVALID_OPERATION,
    );
    t.eq("ratchet on HMAC", unsafe { symmetric::symmetric_state_ratchet(s) }, INVALID_OPERATION);
    let sha = state_open("SHA-256", None, None).unwrap();
    let mut big = [0u8; 33];
    t.eq(
        "squeeze longer than the digest",
        unsafe { symmetric::symmetric_state_squeeze(sha, big.as_mut_ptr() as u32, 33) },
        INVALID_LENGTH,
    );
    t.eq(
        "max_tag_len on a hash",
        unsafe { symmetric::symmetric_state_max_tag_len(sha, out(&mut 0)) },
        INVALID_OPERATION,
    );
}

fn aead_rules(t: &mut Checks) {
    let key = key_import("AES-128-GCM", &[1; 16]).unwrap();
    t.eq("AES-GCM without options", state_open("AES-128-GCM", Some(key), None).err(), Some(NONCE_REQUIRED));
    let opts = options_open(SYMMETRIC).unwrap();
    t.eq("AES-GCM without a nonce", state_open("AES-128-GCM", Some(key), Some(opts)).err(), Some(NONCE_REQUIRED));
    options_set(opts, "nonce", &[2; 11]);
    t.eq("AES-GCM with an 11-byte nonce", state_open("AES-128-GCM", Some(key), Some(opts)).err(), Some(INVALID_NONCE));
    options_set(opts, "nonce", &[2; 12]);
    let s = state_open("AES-128-GCM", Some(key), Some(opts)).unwrap();
    let mut ct = [0u8; 64 + 16];
    let msg = [3u8; 64];
    let mut n = 0u32;
    t.eq(
        "encrypt into a short buffer",
        unsafe {
            symmetric::symmetric_state_encrypt(s, ct.as_mut_ptr() as u32, 79, msg.as_ptr() as u32, 64, out(&mut n))
        },
        INVALID_LENGTH,
    );
    t.eq(
        "encrypt",
        unsafe {
            symmetric::symmetric_state_encrypt(s, ct.as_mut_ptr() as u32, 80, msg.as_ptr() as u32, 64, out(&mut n))
        },
        SUCCESS,
    );
    t.eq("encrypt returns the length", n, 80);
    t.eq(
        "second seal with the same nonce",
        unsafe {
            symmetric::symmetric_state_encrypt(s, ct.as_mut_ptr() as u32, 80, msg.as_ptr() as u32, 64, out(&mut n))
        },
        NONCE_REQUIRED,
    );
    let d = state_open("AES-128-GCM", Some(key), Some(opts)).unwrap();
    let mut pt = [0u8; 64];
    t.eq(
        "decrypt into a long buffer",
        unsafe {
            symmetric::symmetric_state_decrypt(d, pt.as_mut_ptr() as u32, 65, ct.as_ptr() as u32, 80, out(&mut n))
        },
        INVALID_LENGTH,
    );
    t.eq(
        "ciphertext shorter than a tag",
        unsafe {
            symmetric::symmetric_state_decrypt(d, pt.as_mut_ptr() as u32, 0, ct.as_ptr() as u32, 15, out(&mut n))
        },
        INVALID_LENGTH,
    );
    ct[5] ^= 1;
    pt = [0xaa; 64];
    t.eq(
        "tampered ciphertext",
        unsafe {
            symmetric::symmetric_state_decrypt(d, pt.as_mut_ptr() as u32, 64, ct.as_ptr() as u32, 80, out(&mut n))
        },
        INVALID_TAG,
    );
    t.eq("failed decryption zeroes the output", pt, [0u8; 64]);
    ct[5] ^= 1;
    t.eq(
        "decrypt",
        unsafe {
            symmetric::symmetric_state_decrypt(d, pt.as_mut_ptr() as u32, 64, ct.as_ptr() as u32, 80, out(&mut n))
        },
        SUCCESS,
    );
    t.eq("decrypted plaintext", pt, msg);
    let tag = [0u8; 15];
    t.eq(
        "detached tag of 15 bytes",
        unsafe {
            symmetric::symmetric_state_decrypt_detached(
                d,
                pt.as_mut_ptr() as u32,
                64,
                ct.as_ptr() as u32,
                64,
                tag.as_ptr() as u32,
                15,
                out(&mut n),
            )
        },
        INVALID_TAG,
    );
    t.eq(
        "detached lengths differ",
        unsafe {
            symmetric::symmetric_state_decrypt_detached(
                d,
                pt.as_mut_ptr() as u32,
                63,
                ct.as_ptr() as u32,
                64,
                ct[64..].as_ptr() as u32,
                16,
                out(&mut n),
            )
        },
        INVALID_LENGTH,
    );
    t.eq(
        "squeeze on AEAD",
        unsafe { symmetric::symmetric_state_squeeze(d, pt.as_mut_ptr() as u32, 4) },
        INVALID_OPERATION,
    );
    t.eq("squeeze_tag on AEAD", unsafe { symmetric::symmetric_state_squeeze_tag(d, out(&mut 0)) }, INVALID_OPERATION);

    // XChaCha20-Poly1305 generates a nonce that options_get returns; a short buffer is overflow.
    let xkey = key_import("XCHACHA20-POLY1305", &[4; 32]).unwrap();
    let xs = state_open("XCHACHA20-POLY1305", Some(xkey), None).unwrap();
    let mut nonce = [0u8; 24];
    t.eq("options_get nonce, short buffer", options_get(xs, "nonce", &mut nonce[..23]).err(), Some(OVERFLOW));
    t.eq("options_get nonce", options_get(xs, "nonce", &mut nonce), Ok(24));
    t.eq("options_get unknown", options_get(xs, "fanout", &mut nonce).err(), Some(UNSUPPORTED_OPTION));
    t.eq("options_get of another algorithm", options_get(xs, "context", &mut nonce).err(), Some(UNSUPPORTED_OPTION));
    let sealed_len = unsafe {
        symmetric::symmetric_state_encrypt(xs, ct.as_mut_ptr() as u32, 80, msg.as_ptr() as u32, 64, out(&mut n))
    };
    t.eq("XChaCha seal", sealed_len, SUCCESS);
    let xo = options_open(SYMMETRIC).unwrap();
    options_set(xo, "nonce", &nonce);
    let xd = state_open("XCHACHA20-POLY1305", Some(xkey), Some(xo)).unwrap();
    t.eq(
        "XChaCha open with the returned nonce",
        unsafe {
            symmetric::symmetric_state_decrypt(xd, pt.as_mut_ptr() as u32, 64, ct.as_ptr() as u32, 80, out(&mut n))
        },
        SUCCESS,
    );
    t.eq("XChaCha plaintext", pt, msg);
}

/// In-place and overlapping encryption must give the same bytes as separate buffers.
fn overlapping_buffers(t: &mut Checks) {
    let key = key_import("CHACHA20-POLY1305", &[5; 32]).unwrap();
    let opts = options_open(SYMMETRIC).unwrap();
    options_set(opts, "nonce", &[6; 12]);
    let msg: Vec<u8> = (0..200u32).map(|i| i as u8).collect();
    let mut reference = vec![0u8; 216];
    let mut n = 0u32;
    let s = state_open("CHACHA20-POLY1305", Some(key), Some(opts)).unwrap();
    unsafe {
        symmetric::symmetric_state_encrypt(s, reference.as_mut_ptr() as u32, 216, msg.as_ptr() as u32, 200, out(&mut n))
    };
    for shift in [0usize, 1, 7, 16, 33] {
        // The output starts `shift` bytes before the input, overlapping it.
        let mut buf = vec![0u8; 216 + shift];
        buf[shift..shift + 200].copy_from_slice(&msg);
        let s = state_open("CHACHA20-POLY1305", Some(key), Some(opts)).unwrap();
        let base = buf.as_mut_ptr() as u32;
        let rc = unsafe { symmetric::symmetric_state_encrypt(s, base, 216, base + shift as u32, 200, out(&mut n)) };
        t.eq("overlapping encrypt", rc, SUCCESS);
        t.eq("overlapping encrypt output", buf[..216].to_vec(), reference.clone());
        // Decrypt in place: output at the same address as the ciphertext.
        let d = state_open("CHACHA20-POLY1305", Some(key), Some(opts)).unwrap();
        let rc = unsafe { symmetric::symmetric_state_decrypt(d, base, 200, base, 216, out(&mut n)) };
        t.eq("in-place decrypt", rc, SUCCESS);
        t.eq("in-place decrypt output", buf[..200].to_vec(), msg.clone());
    }
    // Output after the input, overlapping its tail.
    let mut buf = vec![0u8; 216 + 10];
    buf[..200].copy_from_slice(&msg);
    let base = buf.as_mut_ptr() as u32;
    let s = state_open("CHACHA20-POLY1305", Some(key), Some(opts)).unwrap();
    let rc = unsafe { symmetric::symmetric_state_encrypt(s, base + 10, 216, base, 200, out(&mut n)) };
    t.eq("forward-overlapping encrypt", rc, SUCCESS);
    t.eq("forward-overlapping output", buf[10..].to_vec(), reference);
}

fn outputs(t: &mut Checks) {
    // A key export streams through array_output_pull.
    let raw: Vec<u8> = (0..64u8).collect();
    let key = key_import("HMAC/SHA-512", &raw).unwrap();
    let mut ao = 0u32;
    t.eq("key export", unsafe { symmetric::symmetric_key_export(key, out(&mut ao)) }, SUCCESS);
    let mut len = 0u32;
    t.eq("array_output_len", unsafe { common::array_output_len(ao, out(&mut len)) }, SUCCESS);
    t.eq("exported length", len, 64);
    let mut got = Vec::new();
    let mut chunk = [0u8; 10];
    loop {
        let mut n = 0u32;
        let rc = unsafe { common::array_output_pull(ao, chunk.as_mut_ptr() as u32, 10, out(&mut n)) };
        if rc != SUCCESS {
            t.eq("pull", rc, SUCCESS);
            break;
        }
        if n == 0 {
            break;
        }
        got.extend_from_slice(&chunk[..n as usize]);
    }
    t.eq("streamed key", got, raw.clone());
    t.eq("array output closed once consumed", unsafe { common::array_output_len(ao, out(&mut len)) }, INVALID_HANDLE);
    // A tag pulled into a short buffer is overflow; the handle stays usable.
    let s = state_open("HMAC/SHA-512", Some(key), None).unwrap();
    let mut tag = 0u32;
    t.eq("squeeze_tag", unsafe { symmetric::symmetric_state_squeeze_tag(s, out(&mut tag)) }, SUCCESS);
    let mut tag_len = 0u32;
    unsafe { symmetric::symmetric_tag_len(tag, out(&mut tag_len)) };
    t.eq("tag length", tag_len, 64);
    let mut buf = [0u8; 64];
    let mut n = 0u32;
    t.eq(
        "tag_pull short",
        unsafe { symmetric::symmetric_tag_pull(tag, buf.as_mut_ptr() as u32, 63, out(&mut n)) },
        OVERFLOW,
    );
    t.eq("tag_pull", unsafe { symmetric::symmetric_tag_pull(tag, buf.as_mut_ptr() as u32, 64, out(&mut n)) }, SUCCESS);
    t.eq("tag closed after pull", unsafe { symmetric::symmetric_tag_len(tag, out(&mut tag_len)) }, INVALID_HANDLE);
    let mut tag2 = 0u32;
    unsafe { symmetric::symmetric_state_squeeze_tag(s, out(&mut tag2)) };
    t.eq("tag verify", unsafe { symmetric::symmetric_tag_verify(tag2, buf.as_ptr() as u32, 64) }, SUCCESS);
    buf[63] ^= 1;
    t.eq("tag verify mismatch", unsafe { symmetric::symmetric_tag_verify(tag2, buf.as_ptr() as u32, 64) }, INVALID_TAG);
    t.eq("tag verify short", unsafe { symmetric::symmetric_tag_verify(tag2, buf.as_ptr() as u32, 32) }, INVALID_TAG);
    // Clones are independent.
    let h = state_open("SHA-256", None, None).unwrap();
    let mut c = 0u32;
    unsafe { symmetric::symmetric_state_clone(h, out(&mut c)) };
    unsafe { symmetric::symmetric_state_absorb(h, b"abc".as_ptr() as u32, 3) };
    let (mut d1, mut d2) = ([0u8; 32], [0u8; 32]);
    unsafe { symmetric::symmetric_state_squeeze(h, d1.as_mut_ptr() as u32, 32) };
    unsafe { symmetric::symmetric_state_squeeze(c, d2.as_mut_ptr() as u32, 32) };
    t.eq("clone is independent", d1 != d2 && d2[..2] == [0xe3, 0xb0], true);
}

fn not_yet_supported(t: &mut Checks) {
    let mut sm = 0u32;
    t.eq(
        "secrets_manager_open",
        unsafe { common::secrets_manager_open(NONE.as_ptr() as u32, out(&mut sm)) },
        UNSUPPORTED_FEATURE,
    );
    let key = key_import("AES-256-GCM", &[0; 32]).unwrap();
    let mut id = [0u8; 64];
    let (mut len, mut version) = (0u32, 0u64);
    t.eq(
        "symmetric_key_id of an unmanaged key",
        unsafe {
            symmetric::symmetric_key_id(key, id.as_mut_ptr() as u32, 64, out(&mut len), &mut version as *mut u64 as u32)
        },
        UNSUPPORTED_FEATURE,
    );
}

/// The host runs this guest with a cap of 256 open handles.
fn handle_limit(t: &mut Checks) {
    let mut opened = Vec::new();
    let rc = loop {
        match options_open(SYMMETRIC) {
            Ok(h) => opened.push(h),
            Err(e) => break e,
        }
        if opened.len() > 10_000 {
            break SUCCESS;
        }
    };
    t.eq("too many handles", rc, TOO_MANY_HANDLES);
    t.eq("cap reached below 256 handles", opened.len() < 256, true);
    for h in &opened {
        unsafe { common::options_close(*h) };
    }
    t.eq("handles free again after closing", options_open(SYMMETRIC).is_ok(), true);
}

fn asymmetric(t: &mut Checks) {
    use abi::{asymmetric as a, kx, signatures as s};
    let msg = b"message";
    // An all-zero Ed25519 public key imports, and then fails verification.
    let zero_pk = publickey_import(SIGNATURES, "Ed25519", &[0; 32], RAW);
    t.eq("all-zero Ed25519 public key imports", zero_pk.is_ok(), true);
    let (alg, zero_sig) = ("Ed25519", [0u8; 64]);
    let mut sig = 0;
    let rc = unsafe {
        s::signature_import(alg.as_ptr() as u32, alg.len() as u32, zero_sig.as_ptr() as u32, 64, RAW, out(&mut sig))
    };
    t.eq("signature import", rc, SUCCESS);
    let mut v = 0;
    unsafe {
        s::signature_verification_state_open(zero_pk.unwrap_or(0), out(&mut v));
        s::signature_verification_state_update(v, msg.as_ptr() as u32, msg.len() as u32);
    }
    t.eq(
        "verification with the all-zero key",
        unsafe { s::signature_verification_state_verify(v, sig) },
        VERIFICATION_FAILED,
    );

    // signature_state_sign returns a signature handle, exportable as 64 raw bytes.
    let kp = keypair_generate(SIGNATURES, "ed25519").unwrap();
    let (mut state, mut signature, mut exported) = (0, 0, 0);
    unsafe {
        s::signature_state_open(kp, out(&mut state));
        s::signature_state_update(state, msg.as_ptr() as u32, msg.len() as u32);
    }
    t.eq("sign", unsafe { s::signature_state_sign(state, out(&mut signature)) }, SUCCESS);
    t.eq("export the signature", unsafe { s::signature_export(signature, RAW, out(&mut exported)) }, SUCCESS);
    t.eq("Ed25519 signature length", output_len(exported), Ok(64));
    let mut pk = 0;
    unsafe {
        a::keypair_publickey(kp, out(&mut pk));
        s::signature_verification_state_open(pk, out(&mut v));
        s::signature_verification_state_update(v, msg.as_ptr() as u32, msg.len() as u32);
    }
    t.eq("verify", unsafe { s::signature_verification_state_verify(v, signature) }, SUCCESS);

    // kx_encapsulate writes the secret first, then the ciphertext.
    let kem = keypair_generate(KEY_EXCHANGE, "ML-KEM-768").unwrap();
    let (mut kem_pk, mut secret, mut ciphertext) = (0, 0, 0);
    unsafe { a::keypair_publickey(kem, out(&mut kem_pk)) };
    t.eq("encapsulate", unsafe { kx::kx_encapsulate(kem_pk, out(&mut secret), out(&mut ciphertext)) }, SUCCESS);
    t.eq("shared secret first", output_len(secret), Ok(32));
    t.eq("ciphertext second", output_len(ciphertext), Ok(1088));
    let mut kem_sk = 0;
    unsafe { a::keypair_secretkey(kem, out(&mut kem_sk)) };
    t.eq("kx_dh on a KEM", unsafe { kx::kx_dh(kem_pk, kem_sk, out(&mut 0)) }, INVALID_OPERATION);

    let x = keypair_generate(KEY_EXCHANGE, "X25519").unwrap();
    let p = keypair_generate(KEY_EXCHANGE, "P256-SHA256").unwrap();
    let (mut x_pk, mut p_sk, mut dh) = (0, 0, 0);
    unsafe {
        a::keypair_publickey(x, out(&mut x_pk));
        a::keypair_secretkey(p, out(&mut p_sk));
    }
    t.eq("kx_dh on different algorithms", unsafe { kx::kx_dh(x_pk, p_sk, out(&mut dh)) }, INCOMPATIBLE_KEYS);
    let small_order = publickey_import(KEY_EXCHANGE, "X25519", &[0; 32], RAW);
    let verified = small_order.map(|h| unsafe { a::publickey_verify(h) });
    t.eq("small-order X25519 key", verified.unwrap_or_else(|e| e), INVALID_KEY);

    t.eq(
        "X25519 is not a signature algorithm",
        publickey_import(SIGNATURES, "X25519", &[9; 32], RAW).err(),
        Some(UNSUPPORTED_ALGORITHM),
    );
    t.eq("local encoding", unsafe { a::keypair_export(kp, KEYPAIR_LOCAL, out(&mut 0)) }, UNSUPPORTED_ENCODING);
    t.eq("unknown encoding number", unsafe { a::keypair_export(kp, 77, out(&mut 0)) }, UNSUPPORTED_ENCODING);
    t.eq("undecodable key", publickey_import(SIGNATURES, "ECDSA_P256_SHA256", &[4; 65], RAW).err(), Some(INVALID_KEY));
    let alg = "ECDSA_P256_SHA256";
    let rc =
        unsafe { a::keypair_import(SIGNATURES, alg.as_ptr() as u32, alg.len() as u32, FAR, 121, RAW, out(&mut 0)) };
    t.eq("key import from out of bounds", rc, GUEST_ERROR);
    t.eq(
        "signature state on an unknown handle",
        unsafe { s::signature_state_open(0xdead, out(&mut 0)) },
        INVALID_HANDLE,
    );
    t.eq("signature state on a kx key pair", unsafe { s::signature_state_open(x, out(&mut 0)) }, INVALID_OPERATION);
}
