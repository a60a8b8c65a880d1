//! The seed inputs of every target, generated (deterministically) from the registries.
//!
//! `cargo run -p wasmcrypt-fuzz --example write_seeds` writes them to `fuzz/corpus/<target>/`
//! as `seed-<name>`; the replay test runs them too, and checks that the "happy" ones (flows that
//! must work end to end) make no failing call, so a seed that stops exercising its flow fails.

use crate::abi::{self, CALL, WRITE_NAME};
use crate::algorithm_names;
use crate::api::{NO_KEY_STORE, WIDE_NAME, op};
use crate::decoders::{self, asymmetric_algorithms};
use crate::input::Encoder;
use std::sync::Arc;
use wasmcrypt::secrets::MemoryStore;
use wasmcrypt::symmetric::password::PasswordAlgorithm;
use wasmcrypt::symmetric::{Family, KeyUse, Output, SYMMETRIC_ALGORITHMS};
use wasmcrypt::{AlgorithmType, CryptoCtx, Handle, KeyPairEncoding, PublicKeyEncoding, SecretKeyEncoding};

/// A 2048-bit RSA key (PKCS#8 PEM) made for these seeds, so that RSA import, signing and
/// verification are fuzzed without generating RSA keys.
pub const RSA_2048_PEM: &str = include_str!("rsa2048.pem");

/// One seed: the target, a file name, the input, and whether every call it makes must succeed.
pub struct Seed {
    /// `api_sequence`, `wasm_abi` or `decoders`.
    pub target: &'static str,
    /// The file name, `seed-<name>`.
    pub name: String,
    /// The input.
    pub data: Vec<u8>,
    /// Whether every call must succeed (`api_sequence`, `wasm_abi`), or the decoder must
    /// accept the input (`decoders`).
    pub happy: bool,
}

/// Every seed of every target.
pub fn seeds() -> Vec<Seed> {
    let mut all = api_seeds();
    all.extend(abi_seeds());
    all.extend(decoder_seeds());
    all
}

/// The index of an algorithm name in [`algorithm_names`].
fn name_index(n: &str) -> u16 {
    let i = algorithm_names().iter().position(|x| *x == n).unwrap_or_else(|| panic!("unknown algorithm {n}"));
    u16::try_from(i).expect("fewer than 65 536 algorithms")
}

/// Encodes an algorithm name as `api_sequence` reads it ([`crate::api::name_from`]): one byte
/// for the first 192 names, [`WIDE_NAME`] and a `u16` beyond.
pub fn encode_api_name(e: &mut Encoder, n: &str) {
    match u8::try_from(name_index(n)) {
        Ok(i) if i < 0xC0 => e.u8(i),
        _ => e.u8(WIDE_NAME).u16(name_index(n)),
    };
}

/// Encodes an algorithm name written by `wasm_abi` ([`abi::name_index`]): the tag byte and the
/// index byte.
pub fn encode_abi_name(n: &str) -> (u8, u8) {
    let [lo, hi] = name_index(n).to_le_bytes();
    assert!(hi < CALL - WRITE_NAME, "too many algorithms for wasm_abi names");
    (WRITE_NAME + hi, lo)
}

/// An `api_sequence` input under construction.
struct Seq(Encoder);

/// Budget 1 MiB (an ML-KEM-1024 key pair, its public and secret keys take about 70 KB), 32
/// handles, key store.
const DEFAULT_CONFIG: u8 = 0b1011;
const SIG: u8 = 0;
const SYM: u8 = 1;
const KX: u8 = 2;
/// `Driver::u64` tags.
const LATEST: u8 = 0xF2;
const ALL: u8 = 0xF3;
const FUTURE: u8 = 0xF5;
/// `OPTION_NAMES` indices.
const SALT: u8 = 1;
const NONCE: u8 = 2;
const MEMORY: u8 = 3;
const OPS_LIMIT: u8 = 4;

impl Seq {
    fn new(config: u8) -> Self {
        let mut e = Encoder::new();
        e.u8(config);
        Self(e)
    }
    fn op(&mut self, code: u8) -> &mut Self {
        self.0.u8(code);
        self
    }
    fn h(&mut self, k: u8) -> &mut Self {
        self.0.u8(k);
        self
    }
    fn some(&mut self, k: u8) -> &mut Self {
        self.0.u8(1).u8(k);
        self
    }
    fn none(&mut self) -> &mut Self {
        self.0.u8(0);
        self
    }
    fn name(&mut self, n: &str) -> &mut Self {
        encode_api_name(&mut self.0, n);
        self
    }
    fn byte(&mut self, b: u8) -> &mut Self {
        self.0.u8(b);
        self
    }
    fn data(&mut self, d: &[u8]) -> &mut Self {
        self.0.data(d);
        self
    }
    fn pooled(&mut self, back: u8) -> &mut Self {
        self.0.pooled(back);
        self
    }
    fn size(&mut self, n: u16) -> &mut Self {
        match u8::try_from(n) {
            Ok(b) if b < 0xF0 => self.0.u8(b),
            _ => self.0.u8(0xF0).u16(n),
        };
        self
    }
    /// Separate encryption buffers: `data` and an output of `size` bytes.
    fn separate(&mut self, data: impl FnOnce(&mut Self), size: u16) -> &mut Self {
        self.0.u8(0);
        data(self);
        self.size(size)
    }
    fn done(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.0.bytes)
    }
}

fn seed(target: &'static str, name: impl Into<String>, data: Vec<u8>, happy: bool) -> Seed {
    Seed { target, name: name.into(), data, happy }
}

fn slug(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect()
}

/// The signature flow on the key pair handle 0: sign, verify, export (pulling `sig_len` bytes),
/// import, in every way.
fn signature_flow(s: &mut Seq, alg: &str, sig_len: u16) {
    s.op(op::SIGNATURE_STATE_OPEN).h(0); // 1
    s.op(op::SIGNATURE_STATE_UPDATE).h(1).data(b"message");
    s.op(op::SIGNATURE_STATE_SIGN).h(1); // 2
    s.op(op::KEYPAIR_PUBLICKEY).h(0); // 3
    s.op(op::SIGNATURE_VERIFICATION_STATE_OPEN).h(3); // 4
    s.op(op::SIGNATURE_VERIFICATION_STATE_UPDATE).h(4).data(b"message");
    s.op(op::SIGNATURE_VERIFICATION_STATE_VERIFY).h(4).h(2);
    s.op(op::SIGNATURE_EXPORT).h(2).byte(0); // 5
    s.op(op::ARRAY_OUTPUT_PULL).h(5).size(sig_len);
    s.op(op::SIGNATURE_IMPORT).name(alg).pooled(0).byte(0); // 6
    s.op(op::SIGNATURE_VERIFICATION_STATE_VERIFY).h(4).h(6);
    s.op(op::KEYPAIR_EXPORT).h(0).byte(1); // 7
    s.op(op::ARRAY_OUTPUT_PULL).h(7).size(4096);
    s.op(op::KEYPAIR_IMPORT).byte(SIG).name(alg).pooled(0).byte(1); // 8
    s.op(op::PUBLICKEY_EXPORT).h(3).byte(2); // 9
    s.op(op::ARRAY_OUTPUT_PULL).h(9).size(4096);
    s.op(op::PUBLICKEY_IMPORT).byte(SIG).name(alg).pooled(0).byte(2); // 10
    s.op(op::KEYPAIR_SECRETKEY).h(0); // 11
    s.op(op::SECRETKEY_EXPORT).h(11).byte(1); // 12
    s.op(op::ARRAY_OUTPUT_PULL).h(12).size(4096);
    s.op(op::SECRETKEY_IMPORT).byte(SIG).name(alg).pooled(0).byte(1); // 13
    s.op(op::PUBLICKEY_FROM_SECRETKEY).h(13); // 14
    s.op(op::KEYPAIR_FROM_PK_AND_SK).h(14).h(13); // 15
    s.op(op::SIGNATURE_CLOSE).h(6);
    s.op(op::SIGNATURE_VERIFICATION_STATE_CLOSE).h(4);
    s.op(op::SIGNATURE_STATE_CLOSE).h(1);
    s.op(op::KEYPAIR_CLOSE).h(0);
}

fn api_seeds() -> Vec<Seed> {
    let mut out = Vec::new();
    let mut add = |name: String, data: Vec<u8>, happy: bool| out.push(seed("api_sequence", name, data, happy));
    for alg in ["SHA-256", "SHA-384", "SHA-512", "SHA-512/256", "XOODYAK-128", "XOODYAK-160"] {
        let mut s = Seq::new(DEFAULT_CONFIG);
        s.op(op::SYMMETRIC_STATE_OPEN).name(alg).none().none(); // 0
        s.op(op::SYMMETRIC_STATE_ABSORB).h(0).data(b"abc");
        s.op(op::SYMMETRIC_STATE_CLONE).h(0); // 1
        s.op(op::SYMMETRIC_STATE_SQUEEZE).h(0).size(16);
        s.op(op::SYMMETRIC_STATE_ABSORB).h(1).data(b"def");
        s.op(op::SYMMETRIC_STATE_SQUEEZE).h(1).size(16);
        s.op(op::SYMMETRIC_STATE_CLOSE).h(0);
        add(format!("hash_{}", slug(alg)), s.done(), true);
    }
    for alg in ["HMAC/SHA-256", "HMAC/SHA-512"] {
        let mut s = Seq::new(DEFAULT_CONFIG);
        s.op(op::SYMMETRIC_KEY_GENERATE).name(alg).none(); // 0
        s.op(op::SYMMETRIC_STATE_OPEN).name(alg).some(0).none(); // 1
        s.op(op::SYMMETRIC_STATE_ABSORB).h(1).data(b"msg");
        s.op(op::SYMMETRIC_STATE_SQUEEZE_TAG).h(1); // 2
        s.op(op::SYMMETRIC_TAG_PULL).h(2).size(64);
        s.op(op::SYMMETRIC_STATE_OPEN).name(alg).some(0).none(); // 3
        s.op(op::SYMMETRIC_STATE_ABSORB).h(3).data(b"msg");
        s.op(op::SYMMETRIC_STATE_SQUEEZE_TAG).h(3); // 4
        s.op(op::SYMMETRIC_TAG_VERIFY).h(4).pooled(0);
        s.op(op::SYMMETRIC_KEY_EXPORT).h(0); // 5
        s.op(op::ARRAY_OUTPUT_PULL).h(5).size(128);
        s.op(op::SYMMETRIC_KEY_IMPORT).name(alg).pooled(0); // 6
        s.op(op::SYMMETRIC_TAG_CLOSE).h(4);
        add(format!("mac_{}", slug(alg)), s.done(), true);
    }
    for hash in ["SHA-256", "SHA-512"] {
        let (extract, expand) = (format!("HKDF-EXTRACT/{hash}"), format!("HKDF-EXPAND/{hash}"));
        let mut s = Seq::new(DEFAULT_CONFIG);
        s.op(op::SYMMETRIC_KEY_GENERATE).name(&extract).none(); // 0
        s.op(op::SYMMETRIC_STATE_OPEN).name(&extract).some(0).none(); // 1
        s.op(op::SYMMETRIC_STATE_ABSORB).h(1).data(b"salt");
        s.op(op::SYMMETRIC_STATE_SQUEEZE_KEY).h(1).name(&expand); // 2
        s.op(op::SYMMETRIC_STATE_OPEN).name(&expand).some(2).none(); // 3
        s.op(op::SYMMETRIC_STATE_ABSORB).h(3).data(b"info");
        s.op(op::SYMMETRIC_STATE_SQUEEZE).h(3).size(42);
        add(format!("hkdf_{}", slug(hash)), s.done(), true);
    }
    for (alg, nonce_len) in
        [("AES-128-GCM", 12), ("AES-256-GCM", 12), ("CHACHA20-POLY1305", 12), ("XCHACHA20-POLY1305", 24)]
    {
        let mut s = Seq::new(DEFAULT_CONFIG);
        s.op(op::SYMMETRIC_KEY_GENERATE).name(alg).none(); // 0
        s.op(op::OPTIONS_OPEN).byte(SYM); // 1
        s.op(op::OPTIONS_SET).h(1).byte(NONCE).data(&vec![1u8; nonce_len]);
        s.op(op::SYMMETRIC_STATE_OPEN).name(alg).some(0).some(1); // 2
        s.op(op::SYMMETRIC_STATE_ABSORB).h(2).data(b"ad");
        s.op(op::SYMMETRIC_STATE_ENCRYPT).h(2).separate(
            |s| {
                s.data(b"hello world");
            },
            27,
        );
        s.op(op::SYMMETRIC_STATE_OPEN).name(alg).some(0).some(1); // 3
        s.op(op::SYMMETRIC_STATE_ABSORB).h(3).data(b"ad");
        s.op(op::SYMMETRIC_STATE_DECRYPT).h(3).separate(
            |s| {
                s.pooled(0);
            },
            11,
        );
        s.op(op::OPTIONS_SET).h(1).byte(NONCE).data(&vec![2u8; nonce_len]);
        s.op(op::SYMMETRIC_STATE_OPEN).name(alg).some(0).some(1); // 4
        // In place: 8 bytes at 0 encrypted to 0.
        s.op(op::SYMMETRIC_STATE_ENCRYPT_DETACHED).h(4).byte(1).data(b"in place");
        s.0.u16(0).u16(8).u16(0).u16(8); // 5 (tag)
        s.op(op::SYMMETRIC_TAG_PULL).h(5).size(16);
        s.op(op::SYMMETRIC_STATE_OPEN).name(alg).some(0).some(1); // 6
        s.op(op::SYMMETRIC_STATE_DECRYPT_DETACHED)
            .h(6)
            .separate(
                |s| {
                    s.pooled(1);
                },
                8,
            )
            .pooled(0);
        s.op(op::SYMMETRIC_STATE_OPTIONS_GET).h(6).byte(NONCE).size(32);
        s.op(op::SYMMETRIC_STATE_MAX_TAG_LEN).h(6);
        s.op(op::OPTIONS_CLOSE).h(1);
        add(format!("aead_{}", slug(alg)), s.done(), true);

        // The host's nonce, clones and decrypt-then-encrypt: the nonce rules.
        let mut s = Seq::new(DEFAULT_CONFIG);
        s.op(op::SYMMETRIC_KEY_GENERATE).name(alg).none(); // 0
        s.op(op::SYMMETRIC_STATE_OPEN).name(alg).some(0).none(); // 1
        s.op(op::SYMMETRIC_STATE_CLONE).h(1); // 2
        s.op(op::SYMMETRIC_STATE_ENCRYPT).h(1).separate(
            |s| {
                s.data(b"same");
            },
            20,
        );
        s.op(op::SYMMETRIC_STATE_ENCRYPT).h(2).separate(
            |s| {
                s.data(b"same");
            },
            20,
        );
        s.op(op::SYMMETRIC_STATE_ENCRYPT).h(1).separate(
            |s| {
                s.data(b"same");
            },
            20,
        );
        s.op(op::SYMMETRIC_STATE_OPTIONS_GET).h(1).byte(NONCE).size(32);
        s.op(op::SYMMETRIC_STATE_DECRYPT).h(2).separate(
            |s| {
                s.pooled(1);
            },
            4,
        );
        s.op(op::SYMMETRIC_STATE_ENCRYPT).h(2).separate(
            |s| {
                s.data(b"again");
            },
            21,
        );
        add(format!("nonce_rules_{}", slug(alg)), s.done(), false);
    }
    for alg in ["XOODYAK-128", "XOODYAK-160"] {
        let mut s = Seq::new(DEFAULT_CONFIG);
        s.op(op::SYMMETRIC_KEY_GENERATE).name(alg).none(); // 0
        s.op(op::OPTIONS_OPEN).byte(SYM); // 1
        s.op(op::OPTIONS_SET).h(1).byte(NONCE).data(&[3u8; 16]);
        s.op(op::SYMMETRIC_STATE_OPEN).name(alg).some(0).some(1); // 2
        s.op(op::SYMMETRIC_STATE_ABSORB).h(2).data(b"ad");
        s.op(op::SYMMETRIC_STATE_ENCRYPT).h(2).separate(
            |s| {
                s.data(b"hello");
            },
            21,
        );
        s.op(op::SYMMETRIC_STATE_RATCHET).h(2);
        s.op(op::SYMMETRIC_STATE_SQUEEZE).h(2).size(32);
        s.op(op::SYMMETRIC_STATE_SQUEEZE_TAG).h(2); // 3
        s.op(op::SYMMETRIC_STATE_SQUEEZE_KEY).h(2).name("AES-128-GCM"); // 4
        s.op(op::SYMMETRIC_STATE_CLONE).h(2); // 5
        add(format!("keyed_{}", slug(alg)), s.done(), false);
    }
    new_family_seeds(&mut add);
    // ML-DSA-87 signatures (4627 bytes) are longer than one pull: not a happy flow.
    let generated = [
        ("ECDSA_P256_SHA256", 1024, true),
        ("ECDSA_P384_SHA384", 1024, true),
        ("ECDSA_K256_SHA256", 1024, true),
        ("Ed25519", 1024, true),
        ("Ed448", 1024, true),
        ("ML-DSA-44", 2420, true),
        ("ML-DSA-65", 3309, true),
        ("ML-DSA-87", 4096, false),
    ];
    for (alg, sig_len, happy) in generated {
        let mut s = Seq::new(DEFAULT_CONFIG);
        s.op(op::KEYPAIR_GENERATE).byte(SIG).name(alg).none(); // 0
        signature_flow(&mut s, alg, sig_len);
        add(format!("sign_{}", slug(alg)), s.done(), happy);
    }
    for alg in ["RSA_PKCS1_2048_SHA256", "RSA_PSS_2048_SHA256"] {
        let mut s = Seq::new(DEFAULT_CONFIG);
        s.op(op::KEYPAIR_IMPORT).byte(SIG).name(alg).data(RSA_2048_PEM.as_bytes()).byte(2); // 0
        signature_flow(&mut s, alg, 1024);
        add(format!("sign_{}", slug(alg)), s.done(), true);
    }
    for alg in ["X25519", "X448", "P256-SHA256", "P384-SHA384"] {
        let mut s = Seq::new(DEFAULT_CONFIG);
        s.op(op::KEYPAIR_GENERATE).byte(KX).name(alg).none(); // 0
        s.op(op::KEYPAIR_GENERATE).byte(KX).name(alg).none(); // 1
        s.op(op::KEYPAIR_PUBLICKEY).h(1); // 2
        s.op(op::KEYPAIR_SECRETKEY).h(0); // 3
        s.op(op::KX_DH).h(2).h(3); // 4
        s.op(op::ARRAY_OUTPUT_PULL).h(4).size(64);
        s.op(op::KEYPAIR_PUBLICKEY).h(0); // 5
        s.op(op::KEYPAIR_SECRETKEY).h(1); // 6
        s.op(op::KX_DH).h(5).h(6); // 7
        s.op(op::ARRAY_OUTPUT_LEN).h(7);
        s.op(op::ARRAY_OUTPUT_PULL).h(7).size(64);
        s.op(op::PUBLICKEY_EXPORT).h(5).byte(0); // 8
        s.op(op::ARRAY_OUTPUT_PULL).h(8).size(256);
        s.op(op::PUBLICKEY_IMPORT).byte(KX).name(alg).pooled(0).byte(0); // 9
        s.op(op::PUBLICKEY_VERIFY).h(9);
        s.op(op::PUBLICKEY_CLOSE).h(9);
        s.op(op::SECRETKEY_CLOSE).h(6);
        add(format!("dh_{}", slug(alg)), s.done(), true);
    }
    for alg in ["ML-KEM-512", "ML-KEM-768", "ML-KEM-1024", "X-WING"] {
        let mut s = Seq::new(DEFAULT_CONFIG);
        s.op(op::KEYPAIR_GENERATE).byte(KX).name(alg).none(); // 0
        s.op(op::KEYPAIR_PUBLICKEY).h(0); // 1
        s.op(op::KX_ENCAPSULATE).h(1); // 2 (secret), 3 (ciphertext)
        s.op(op::ARRAY_OUTPUT_PULL).h(3).size(2048);
        s.op(op::KEYPAIR_SECRETKEY).h(0); // 4
        s.op(op::KX_DECAPSULATE).h(4).pooled(0); // 5
        s.op(op::ARRAY_OUTPUT_PULL).h(5).size(64);
        s.op(op::ARRAY_OUTPUT_PULL).h(2).size(64);
        s.op(op::SECRETKEY_EXPORT).h(4).byte(0); // 6
        s.op(op::ARRAY_OUTPUT_PULL).h(6).size(128);
        s.op(op::SECRETKEY_IMPORT).byte(KX).name(alg).pooled(0).byte(0); // 7
        add(format!("kem_{}", slug(alg)), s.done(), true);
    }
    {
        let mut s = Seq::new(DEFAULT_CONFIG);
        s.op(op::SECRETS_MANAGER_OPEN).none(); // 0
        s.op(op::SYMMETRIC_KEY_GENERATE_MANAGED).h(0).name("AES-256-GCM").none(); // 1
        s.op(op::SYMMETRIC_KEY_ID).h(1).size(64);
        s.op(op::SYMMETRIC_KEY_FROM_ID).h(0).pooled(0).byte(LATEST); // 2
        s.op(op::SYMMETRIC_KEY_IMPORT).name("HMAC/SHA-256").data(&[4u8; 32]); // 3
        s.op(op::SYMMETRIC_KEY_STORE_MANAGED).h(0).h(3).size(16);
        s.op(op::SYMMETRIC_KEY_IMPORT).name("HMAC/SHA-256").data(&[5u8; 32]); // 4
        s.op(op::SYMMETRIC_KEY_REPLACE_MANAGED).h(0).h(3).h(4);
        s.op(op::SECRETS_MANAGER_INVALIDATE).h(0).pooled(0).byte(ALL);
        s.op(op::SECRETS_MANAGER_CLOSE).h(0);
        add("managed_symmetric_keys".into(), s.done(), true);

        let mut s = Seq::new(DEFAULT_CONFIG);
        s.op(op::SECRETS_MANAGER_OPEN).none(); // 0
        s.op(op::KEYPAIR_GENERATE_MANAGED).h(0).byte(SIG).name("Ed25519").none(); // 1
        s.op(op::KEYPAIR_ID).h(1).size(64);
        s.op(op::KEYPAIR_FROM_ID).h(0).pooled(0).byte(LATEST); // 2
        s.op(op::KEYPAIR_GENERATE).byte(SIG).name("Ed25519").none(); // 3
        s.op(op::KEYPAIR_STORE_MANAGED).h(0).h(3).size(16);
        s.op(op::KEYPAIR_GENERATE).byte(SIG).name("Ed25519").none(); // 4
        s.op(op::KEYPAIR_REPLACE_MANAGED).h(0).h(3).h(4);
        s.op(op::SIGNATURE_STATE_OPEN).h(2); // 5
        add("managed_keypairs".into(), s.done(), true);

        let mut s = Seq::new(DEFAULT_CONFIG);
        s.op(op::SECRETS_MANAGER_OPEN).none(); // 0
        s.op(op::EXTERNAL_SECRET_STORE).h(0).data(b"secret").byte(FUTURE).size(16);
        s.op(op::EXTERNAL_SECRET_FROM_ID).h(0).pooled(0).byte(LATEST); // 1
        s.op(op::ARRAY_OUTPUT_PULL).h(1).size(64);
        s.op(op::EXTERNAL_SECRET_REPLACE).h(0).data(b"secret 2").byte(FUTURE).pooled(1);
        s.op(op::EXTERNAL_SECRET_INVALIDATE).h(0).pooled(1).byte(ALL);
        s.op(op::EXTERNAL_SECRET_ENCAPSULATE).h(0).data(b"sealed").byte(FUTURE); // 2
        s.op(op::ARRAY_OUTPUT_PULL).h(2).size(128);
        s.op(op::EXTERNAL_SECRET_DECAPSULATE).h(0).pooled(0); // 3
        s.op(op::ARRAY_OUTPUT_PULL).h(3).size(64);
        add("external_secrets".into(), s.done(), true);
    }
    {
        // Copy-on-write options against a 512-byte budget.
        let mut s = Seq::new(0b1000);
        s.op(op::OPTIONS_OPEN).byte(SYM); // 0
        s.op(op::OPTIONS_SET).h(0).byte(SALT).data(&[6u8; 200]);
        for i in 0..4u8 {
            s.op(op::SYMMETRIC_STATE_OPEN).name("HKDF-EXTRACT/SHA-256").none().some(0);
            s.op(op::OPTIONS_SET_U64).h(0).byte(OPS_LIMIT).byte(i);
        }
        s.op(op::SYMMETRIC_KEY_IMPORT).name("HMAC/SHA-256").data(&[7u8; 300]);
        add("budget_copy_on_write".into(), s.done(), false);

        // Buffered data against the budget.
        let mut s = Seq::new(0b1000);
        s.op(op::SYMMETRIC_KEY_GENERATE).name("AES-256-GCM").none(); // 0
        s.op(op::SYMMETRIC_STATE_OPEN).name("AES-256-GCM").some(0).none(); // 1
        for _ in 0..4 {
            s.op(op::SYMMETRIC_STATE_ABSORB).h(1).data(&[8u8; 200]);
            s.op(op::SYMMETRIC_STATE_CLONE).h(1);
        }
        s.op(op::KEYPAIR_GENERATE).byte(SIG).name("Ed25519").none();
        s.op(op::SIGNATURE_STATE_OPEN).h(2);
        s.op(op::SIGNATURE_STATE_UPDATE).h(3).data(&[9u8; 200]);
        add("budget_buffers".into(), s.done(), false);

        // Three handles at most.
        let mut s = Seq::new(0b0010);
        for _ in 0..5 {
            s.op(op::OPTIONS_OPEN).byte(SIG);
        }
        s.op(op::OPTIONS_CLOSE).h(0);
        s.op(op::OPTIONS_OPEN).byte(KX);
        add("handle_cap".into(), s.done(), false);

        // No key store.
        let mut s = Seq::new(DEFAULT_CONFIG | NO_KEY_STORE);
        s.op(op::SECRETS_MANAGER_OPEN).none();
        s.op(op::SECRETS_MANAGER_CLOSE).h(1);
        s.op(op::SYMMETRIC_KEY_GENERATE_MANAGED).h(1).name("AES-128-GCM").none();
        add("no_key_store".into(), s.done(), false);

        // Wrong kinds, raw and stale handles, mutated names.
        let mut s = Seq::new(DEFAULT_CONFIG);
        s.op(op::OPTIONS_OPEN).byte(SIG); // 0
        s.op(op::SYMMETRIC_STATE_ABSORB).h(0).data(b"x");
        s.op(op::KEYPAIR_GENERATE).byte(KX).name("Ed25519").none();
        s.op(op::SYMMETRIC_STATE_OPEN).byte(0xC3).none().some(0);
        s.op(op::SYMMETRIC_STATE_OPEN).byte(0xF0).data(b"SHA-256\0").none().none();
        s.op(op::OPTIONS_CLOSE).h(0);
        s.op(op::OPTIONS_CLOSE).h(0);
        s.op(op::ARRAY_OUTPUT_PULL).byte(0xF0).raw_u32(0x0010_0001).size(8);
        s.op(op::SYMMETRIC_TAG_VERIFY).byte(0xFF).data(b"");
        add("wrong_handles".into(), s.done(), false);
    }
    out
}

/// Seeds for the families added for the spec's optional list, driven by the registry so that a
/// new name gets its seed: every digest, XOF and MAC (keyed with a generated key when it takes
/// one), every cipher (encrypt, then decrypt), every password hash with small parameters (the
/// memory-hard ones with a host-owned scratch buffer), and a scratch buffer beyond the budget.
fn new_family_seeds(add: &mut impl FnMut(String, Vec<u8>, bool)) {
    for alg in SYMMETRIC_ALGORITHMS {
        let name = alg.name();
        let mut s = Seq::new(DEFAULT_CONFIG);
        match alg.family() {
            Family::Digest(d) => {
                let keyed = d.key_use() != KeyUse::None;
                if keyed {
                    s.op(op::SYMMETRIC_KEY_GENERATE).name(name).none(); // 0
                    s.op(op::SYMMETRIC_STATE_OPEN).name(name).some(0).none(); // 1
                } else {
                    s.op(op::SYMMETRIC_STATE_OPEN).name(name).none().none(); // 0
                }
                let st = u8::from(keyed);
                s.op(op::SYMMETRIC_STATE_ABSORB).h(st).data(b"abc");
                s.op(op::SYMMETRIC_STATE_ABSORB).h(st).data(b"def");
                s.op(op::SYMMETRIC_STATE_CLONE).h(st); // st + 1
                if d.output() != Output::None {
                    s.op(op::SYMMETRIC_STATE_SQUEEZE).h(st).size(32);
                }
                if d.tag_len(keyed).is_some() {
                    s.op(op::SYMMETRIC_STATE_SQUEEZE_TAG).h(st + 1); // st + 2
                    s.op(op::SYMMETRIC_TAG_PULL).h(st + 2).size(64);
                    s.op(op::SYMMETRIC_STATE_MAX_TAG_LEN).h(st + 1);
                }
                add(format!("digest_{}", slug(name)), s.done(), true);
            }
            Family::Cipher(c) => {
                let (sealed, plain) = (
                    if c.is_aead() {
                        27
                    } else if c.max_tag_len() == 0 {
                        11
                    } else {
                        16
                    },
                    11,
                );
                s.op(op::SYMMETRIC_KEY_GENERATE).name(name).none(); // 0
                s.op(op::OPTIONS_OPEN).byte(SYM); // 1
                s.op(op::OPTIONS_SET).h(1).byte(NONCE).data(&vec![1u8; c.nonce_len()]);
                for (st, encrypt) in [(2, true), (3, false)] {
                    s.op(op::SYMMETRIC_STATE_OPEN).name(name).some(0).some(1); // 2, 3
                    if c.is_aead() {
                        s.op(op::SYMMETRIC_STATE_ABSORB).h(st).data(b"ad");
                    }
                    if encrypt {
                        s.op(op::SYMMETRIC_STATE_ENCRYPT).h(st).separate(
                            |s| {
                                s.data(b"hello world");
                            },
                            sealed,
                        );
                    } else {
                        s.op(op::SYMMETRIC_STATE_DECRYPT).h(st).separate(
                            |s| {
                                s.pooled(0);
                            },
                            plain,
                        );
                    }
                }
                s.op(op::SYMMETRIC_STATE_MAX_TAG_LEN).h(3);
                add(format!("cipher_{}", slug(name)), s.done(), true);
            }
            Family::Password(p) => {
                s.op(op::OPTIONS_OPEN).byte(SYM); // 0
                // Argon2: m = 8 KiB, t = 1; scrypt: N = 16 (16 KiB); PBKDF2: 10 iterations.
                let (memory, opslimit) = match p {
                    PasswordAlgorithm::Argon2(_) => (Some(8 * 1024 / 16), 1),
                    PasswordAlgorithm::Scrypt => (Some(16 * 1024 / 16), 4),
                    PasswordAlgorithm::Pbkdf2Sha256 | PasswordAlgorithm::Pbkdf2Sha512 => (None, 10),
                };
                if let Some(units) = memory {
                    s.op(op::OPTIONS_SET_HOST_BUFFER).h(0).byte(MEMORY);
                    s.0.u16(units);
                }
                s.op(op::OPTIONS_SET_U64).h(0).byte(OPS_LIMIT).byte(opslimit);
                s.op(op::OPTIONS_SET).h(0).byte(SALT).data(&[1u8; 16]);
                s.op(op::SYMMETRIC_STATE_OPEN).name(name).none().some(0); // 1
                s.op(op::OPTIONS_CLOSE).h(0);
                s.op(op::SYMMETRIC_STATE_ABSORB).h(1).data(b"password");
                s.op(op::SYMMETRIC_STATE_SQUEEZE).h(1).size(32);
                s.op(op::SYMMETRIC_STATE_SQUEEZE_TAG).h(1); // 2
                s.op(op::SYMMETRIC_TAG_PULL).h(2).size(256);
                s.op(op::SYMMETRIC_STATE_CLONE).h(1); // 3
                s.op(op::SYMMETRIC_STATE_SQUEEZE_KEY).h(3).name("HMAC/SHA-256"); // 4
                add(format!("password_{}", slug(name)), s.done(), true);
            }
            Family::Hash(_)
            | Family::Hmac(_)
            | Family::HkdfExtract(_)
            | Family::HkdfExpand(_)
            | Family::Aead(_)
            | Family::Xoodyak(_) => {}
        }
    }
    // A scratch buffer of 64 KiB against a 64 KiB budget, then one that fits, shared by states.
    let mut s = Seq::new(0b1010);
    s.op(op::OPTIONS_OPEN).byte(SYM); // 0
    s.op(op::OPTIONS_SET_HOST_BUFFER).h(0).byte(MEMORY);
    s.0.u16(4096);
    s.op(op::OPTIONS_SET_HOST_BUFFER).h(0).byte(MEMORY);
    s.0.u16(1024);
    s.op(op::OPTIONS_SET_U64).h(0).byte(OPS_LIMIT).byte(2);
    s.op(op::SYMMETRIC_STATE_OPEN).name("ARGON2-ID-13").none().some(0); // 1
    s.op(op::SYMMETRIC_STATE_OPEN).name("SCRYPT").none().some(0); // 2
    s.op(op::OPTIONS_SET_HOST_BUFFER).h(0).byte(MEMORY);
    s.0.u16(2048);
    s.op(op::SYMMETRIC_STATE_SQUEEZE).h(1).size(16);
    s.op(op::SYMMETRIC_STATE_SQUEEZE).h(2).size(16);
    add("host_buffer_budget".into(), s.done(), false);
}

impl Seq {
    fn raw_u32(&mut self, v: u32) -> &mut Self {
        self.0.u32(v);
        self
    }
}

/// A `wasm_abi` input under construction.
struct Abi(Encoder);

/// Addresses in the `wasm_abi` seeds' memory.
const OPT_NONE: u16 = 0x10;
const OPT_H1: u16 = 0x20;
const OPT_H2: u16 = 0x28;
const NAME: u16 = 0x100;
const DATA: u16 = 0x200;
const OUT: u16 = 0x1000;
const OUT2: u16 = 0x1008;
const BUF: u16 = 0x2000;
/// A handle's generation 1: its slot was closed once (an array output pulled to the end).
const REUSED: u32 = 1 << 20;

impl Abi {
    fn new() -> Self {
        let mut s = Self(Encoder::new());
        s.0.u8(DEFAULT_CONFIG);
        s.write(OPT_NONE, &[1, 0, 0, 0, 0, 0, 0, 0]);
        s.write(OPT_H1, &[0, 0, 0, 0, 1, 0, 0, 0]);
        s.write(OPT_H2, &[0, 0, 0, 0, 2, 0, 0, 0]);
        s
    }
    fn write(&mut self, at: u16, bytes: &[u8]) -> &mut Self {
        self.0.u8(0).u16(at).data(bytes);
        self
    }
    fn name(&mut self, n: &str) -> &mut Self {
        let (tag, index) = encode_abi_name(n);
        self.0.u8(tag).u8(index).u16(NAME);
        self
    }
    /// A call: `i32` arguments are encoded inline below 0x80, as `u16` or as `u32`; for `i64`
    /// parameters `args` holds the tag byte `Run::i64` reads (a small value or a special).
    fn call(&mut self, f: &str, args: &[u32]) -> &mut Self {
        let i = abi::function_index(f).unwrap_or_else(|| panic!("no import {f}"));
        self.0.u8(CALL).u8(i);
        let params = &abi::abi().imports[usize::from(i)].params;
        assert_eq!(params.len(), args.len(), "{f}: wrong argument count");
        for (&a, t) in args.iter().zip(params) {
            if matches!(t, wasmtime::ValType::I64) {
                self.0.u8(u8::try_from(a).expect("an i64 tag byte"));
                continue;
            }
            match (u8::try_from(a), u16::try_from(a)) {
                (Ok(b), _) if b < 0x80 => self.0.u8(b),
                (_, Ok(w)) => self.0.u8(0xC0).u16(w),
                _ => self.0.u8(0xE0).u32(a),
            };
        }
        self
    }
    fn done(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.0.bytes)
    }
}

fn n(v: u16) -> u32 {
    u32::from(v)
}

fn len(s: &str) -> u32 {
    u32::try_from(s.len()).expect("short name")
}

fn abi_seeds() -> Vec<Seed> {
    let mut out = Vec::new();
    let mut add = |name: &str, data: Vec<u8>, happy: bool| out.push(seed("wasm_abi", name, data, happy));
    let (no, h1, h2, nm, data, o, o2, buf) =
        (n(OPT_NONE), n(OPT_H1), n(OPT_H2), n(NAME), n(DATA), n(OUT), n(OUT2), n(BUF));
    for alg in ["SHA-256", "SHA-512", "XOODYAK-128"] {
        let mut s = Abi::new();
        s.name(alg).call("symmetric_state_open", &[nm, len(alg), no, no, o]); // 1
        s.write(DATA, b"abc").call("symmetric_state_absorb", &[1, data, 3]);
        s.call("symmetric_state_clone", &[1, o]); // 2
        s.call("symmetric_state_squeeze", &[1, buf, 32]);
        s.call("symmetric_state_close", &[2]);
        add(&format!("hash_{}", slug(alg)), s.done(), true);
    }
    for alg in ["AES-256-GCM", "CHACHA20-POLY1305"] {
        let mut s = Abi::new();
        s.name(alg).call("symmetric_key_generate", &[nm, len(alg), no, o]); // 1
        s.call("symmetric_key_export", &[1, o]); // 2
        s.call("array_output_len", &[2, o]);
        s.call("array_output_pull", &[2, buf, 16, o]); // partial: 2 stays open
        s.call("options_open", &[1, o]); // 3
        s.write(DATA, b"nonce").call("options_set", &[3, data, 5, buf, 12]);
        s.write(OPT_H2, &[0, 0, 0, 0, 3, 0, 0, 0]);
        s.call("symmetric_state_open", &[nm, len(alg), h1, h2, o]); // 4
        s.write(DATA, b"plaintext").call("symmetric_state_encrypt", &[4, buf, 25, data, 9, o]);
        s.call("symmetric_state_open", &[nm, len(alg), h1, h2, o]); // 5
        s.call("symmetric_state_decrypt", &[5, data, 9, buf, 25, o]);
        s.call("symmetric_state_open", &[nm, len(alg), h1, h2, o]); // 6
        s.call("symmetric_state_encrypt_detached", &[6, data, 9, data, 9, o]); // 7 (tag)
        s.call("symmetric_tag_len", &[7, o]);
        s.call("symmetric_tag_pull", &[7, buf, 16, o]);
        add(&format!("aead_{}", slug(alg)), s.done(), true);
    }
    {
        let alg = "Ed25519";
        let mut s = Abi::new();
        s.name(alg).call("keypair_generate", &[0, nm, len(alg), no, o]); // 1
        s.call("signature_state_open", &[1, o]); // 2
        s.write(DATA, b"message").call("signature_state_update", &[2, data, 7]);
        s.call("signature_state_sign", &[2, o]); // 3
        s.call("keypair_publickey", &[1, o]); // 4
        s.call("signature_verification_state_open", &[4, o]); // 5
        s.call("signature_verification_state_update", &[5, data, 7]);
        s.call("signature_verification_state_verify", &[5, 3]);
        s.call("signature_export", &[3, 0, o]); // 6
        s.call("array_output_len", &[6, o]);
        s.call("array_output_pull", &[6, buf, 64, o]);
        s.call("signature_import", &[nm, len(alg), buf, 64, 0, o]); // 6 again (generation 1)
        s.call("keypair_export", &[1, 1, o]); // 7
        s.call("array_output_pull", &[7, buf, 256, o]);
        add("sign_ed25519", s.done(), true);
    }
    for alg in ["X25519", "ML-KEM-768"] {
        let kem = alg.starts_with("ML");
        let mut s = Abi::new();
        s.name(alg).call("keypair_generate", &[2, nm, len(alg), no, o]); // 1
        s.call("keypair_publickey", &[1, o]); // 2
        s.call("keypair_secretkey", &[1, o]); // 3
        if kem {
            s.call("kx_encapsulate", &[2, o, o2]); // 4 (secret), 5 (ciphertext)
            s.call("array_output_pull", &[5, buf, 2048, o]);
            s.call("kx_decapsulate", &[3, buf, 1088, o]); // 5 again (generation 1)
            s.call("array_output_pull", &[REUSED | 5, data, 32, o]);
        } else {
            s.call("kx_dh", &[2, 3, o]); // 4
            s.call("array_output_pull", &[4, data, 32, o]);
        }
        add(&format!("kx_{}", slug(alg)), s.done(), true);
    }
    {
        let mut s = Abi::new();
        s.call("secrets_manager_open", &[no, o]); // 1
        s.write(DATA, b"secret").call("external_secret_store", &[1, data, 6, u32::from(FUTURE), buf, 16]);
        s.call("external_secret_from_id", &[1, buf, 16, u32::from(LATEST), o]); // 2
        s.call("array_output_pull", &[2, data, 64, o]); // consumed: 2 closes
        s.call("external_secret_encapsulate", &[1, data, 6, u32::from(FUTURE), o]); // 2, generation 1
        s.call("array_output_pull", &[REUSED | 2, buf, 128, o]);
        s.call("external_secret_decapsulate", &[1, buf, 47, o]); // 2, generation 2
        s.call("array_output_pull", &[(2 * REUSED) | 2, data, 64, o]);
        s.call("secrets_manager_close", &[1]);
        add("external_secrets", s.done(), true);

        // Out-of-bounds, wrapping and overlapping pointers.
        let mut s = Abi::new();
        s.call("options_open", &[1, 0xFFFF_FFFF]);
        s.call("options_open", &[1, 65_533]);
        s.call("options_open", &[7, o]);
        s.name("SHA-256").call("symmetric_state_open", &[nm, 0xFFFF_FFF0, no, no, o]);
        s.call("symmetric_state_open", &[nm, 7, 0x1_0000, no, o]);
        s.call("symmetric_state_open", &[nm, 7, no, no, o]); // 1
        s.call("symmetric_state_squeeze", &[1, 65_520, 32]);
        s.call("symmetric_state_squeeze", &[1, 0xFFFF_FFF0, 32]);
        s.call("array_output_pull", &[1, 0, 0, o]);
        add("bad_pointers", s.done(), false);
    }
    out
}

/// Raw key encodings made from fixed bytes, for every algorithm that has them, exported in
/// every encoding through a context: (algorithm type, name, kind, encoding, bytes).
fn key_encodings() -> Vec<(AlgorithmType, &'static str, u8, u8, Vec<u8>)> {
    let mut ctx = CryptoCtx::builder().key_store(Arc::new(MemoryStore::new().expect("memory store"))).build();
    let pull = |ctx: &mut CryptoCtx, h: Handle| -> Vec<u8> {
        let mut b = vec![0u8; ctx.array_output_len(h).expect("array output")];
        ctx.array_output_pull(h, &mut b).expect("array output");
        b
    };
    let mut out = Vec::new();
    for (t, alg) in asymmetric_algorithms() {
        let sk = if alg.starts_with("RSA") {
            ctx.secretkey_import(t, alg, RSA_2048_PEM.as_bytes(), SecretKeyEncoding::Pem)
        } else {
            let raw: &[u8] = match alg {
                "ECDSA_P384_SHA384" | "P384-SHA384" => &[0x11; 48],
                a if a.starts_with("ML-KEM") => &[0x22; 64],
                _ => &[0x33; 32],
            };
            ctx.secretkey_import(t, alg, raw, SecretKeyEncoding::Raw)
        };
        let Ok(sk) = sk else { continue };
        let pk = ctx.publickey_from_secretkey(sk).expect("public key");
        let kp = ctx.keypair_from_pk_and_sk(pk, sk).expect("key pair");
        for e in [KeyPairEncoding::Raw, KeyPairEncoding::Pkcs8, KeyPairEncoding::Pem] {
            if let Ok(h) = ctx.keypair_export(kp, e) {
                out.push((t, alg, decoders::mode::KEYPAIR, e as u8, pull(&mut ctx, h)));
            }
        }
        for e in [PublicKeyEncoding::Raw, PublicKeyEncoding::Pkcs8, PublicKeyEncoding::Pem, PublicKeyEncoding::Sec] {
            if let Ok(h) = ctx.publickey_export(pk, e) {
                out.push((t, alg, decoders::mode::PUBLICKEY, e as u8, pull(&mut ctx, h)));
            }
        }
        for e in [SecretKeyEncoding::Raw, SecretKeyEncoding::Pkcs8, SecretKeyEncoding::Pem, SecretKeyEncoding::Sec] {
            if let Ok(h) = ctx.secretkey_export(sk, e) {
                out.push((t, alg, decoders::mode::SECRETKEY, e as u8, pull(&mut ctx, h)));
            }
        }
    }
    out
}

fn decoder_seeds() -> Vec<Seed> {
    let mut out = Vec::new();
    let asym = asymmetric_algorithms();
    let kinds = ["keypair", "publickey", "secretkey"];
    let no_pem = 0xFF;
    for (t, alg, mode, encoding, bytes) in key_encodings() {
        let index = asym.iter().position(|&(t2, n)| t2 == t && n == alg).expect("registered");
        let mut e = Encoder::new();
        e.u8(mode).u8(u8::try_from(index).expect("few algorithms")).u8(encoding).u8(no_pem).raw(&bytes);
        let kind = kinds[usize::from(mode)];
        out.push(seed("decoders", format!("{kind}_{}_{encoding}", slug(alg)), e.bytes, true));
    }
    // Signatures: raw and DER shapes of the right sizes.
    for (i, &(_, alg)) in asym.iter().enumerate().filter(|(_, (t, _))| *t == AlgorithmType::Signatures) {
        let raw_len = match alg {
            "ECDSA_P384_SHA384" => 96,
            a if a.starts_with("RSA") => 256,
            _ => 64,
        };
        let mut e = Encoder::new();
        e.u8(decoders::mode::SIGNATURE).u8(i as u8).u8(0).u8(no_pem).raw(&vec![0x5A; raw_len]);
        out.push(seed("decoders", format!("signature_{}_raw", slug(alg)), e.bytes, false));
        if alg.starts_with("ECDSA") {
            let half = raw_len / 2;
            let mut der = vec![0x30, (2 * (half + 2)) as u8, 0x02, half as u8];
            der.extend(vec![0x5A; half]);
            der.extend([0x02, half as u8]);
            der.extend(vec![0x5A; half]);
            let mut e = Encoder::new();
            e.u8(decoders::mode::SIGNATURE).u8(i as u8).u8(1).u8(no_pem).raw(&der);
            out.push(seed("decoders", format!("signature_{}_der", slug(alg)), e.bytes, false));
        }
    }
    for (i, alg) in SYMMETRIC_ALGORITHMS.iter().enumerate() {
        let mut e = Encoder::new();
        e.u8(decoders::mode::SYMMETRIC_KEY).u8(i as u8).u8(0).u8(no_pem).raw(&[0x42; 32]);
        out.push(seed("decoders", format!("symmetric_key_{}", slug(alg.name())), e.bytes, false));
    }
    let mut e = Encoder::new();
    e.u8(decoders::mode::ENVELOPE).u8(0).u8(0).u8(no_pem).raw(b"WCES\x01\x00\x00\x00\x00\xee\x6b\x28\x00");
    e.raw(&[0u8; 12 + 16]);
    out.push(seed("decoders", "envelope_forged", e.bytes, false));
    for (name, flips) in [("intact", &[][..]), ("flipped", &[(20u16, 0x01u8), (30, 0x80)][..])] {
        let mut e = Encoder::new();
        e.u8(decoders::mode::ENVELOPE_TAMPER).u8(0).u8(0).u8(no_pem).u8(0).u8(flips.len() as u8);
        for &(pos, xor) in flips {
            e.u16(pos).u8(xor);
        }
        e.raw(b"the secret");
        out.push(seed("decoders", format!("envelope_{name}"), e.bytes, false));
    }
    // A PEM-wrapped DER payload (the wrapper adds the armor).
    let mut e = Encoder::new();
    let ed = asym.iter().position(|&(_, n)| n == "Ed25519").expect("Ed25519") as u8;
    e.u8(decoders::mode::PUBLICKEY).u8(ed).u8(2).u8(0);
    e.raw(&[0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]).raw(&[0x44; 32]);
    out.push(seed("decoders", "publickey_ed25519_pem_wrapped", e.bytes, false));
    out
}
