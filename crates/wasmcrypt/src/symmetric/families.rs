//! The hash, XOF, MAC and cipher algorithms added for the spec's optional list: what each one
//! takes (key lengths, nonce, options) and gives (digest, stream, tag).

/// Hash functions, XOFs and MACs beyond SHA-2/HMAC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DigestAlgorithm {
    /// SHA3-256 (FIPS 202).
    Sha3_256,
    /// SHA3-384 (FIPS 202).
    Sha3_384,
    /// SHA3-512 (FIPS 202).
    Sha3_512,
    /// SHAKE128 (FIPS 202).
    Shake128,
    /// SHAKE256 (FIPS 202).
    Shake256,
    /// cSHAKE128 (SP 800-185); `context` is S.
    CShake128,
    /// cSHAKE256 (SP 800-185); `context` is S.
    CShake256,
    /// TurboSHAKE128 (RFC 9861); `domain` is D.
    TurboShake128,
    /// TurboSHAKE256 (RFC 9861); `domain` is D.
    TurboShake256,
    /// KT128 (RFC 9861); `context` is C.
    Kt128,
    /// KT256 (RFC 9861); `context` is C.
    Kt256,
    /// TupleHash128 (SP 800-185): each absorb is one tuple element.
    TupleHash128,
    /// TupleHash256 (SP 800-185).
    TupleHash256,
    /// TupleHashXOF128 (SP 800-185).
    TupleHashXof128,
    /// TupleHashXOF256 (SP 800-185).
    TupleHashXof256,
    /// KMAC128 (SP 800-185): 32-byte tags.
    Kmac128,
    /// KMAC256 (SP 800-185): 64-byte tags.
    Kmac256,
    /// BLAKE2b with a 32-byte digest (RFC 7693), keyed or not.
    Blake2b256,
    /// BLAKE2b with a 64-byte digest (RFC 7693), keyed or not.
    Blake2b512,
    /// BLAKE3: hash, keyed hash or derive-key, as an XOF.
    Blake3,
    /// Ascon-Hash256 (SP 800-232).
    AsconHash256,
    /// Ascon-XOF128 (SP 800-232).
    AsconXof128,
    /// AES-128-CMAC (RFC 4493).
    Aes128Cmac,
    /// AES-256-CMAC.
    Aes256Cmac,
}

/// Whether an algorithm takes a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyUse {
    /// Never (`key_not_supported`).
    None,
    /// With or without (BLAKE2b, BLAKE3).
    Optional,
    /// Always (`key_required`).
    Required,
}

/// What `squeeze` gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// A digest of everything absorbed so far, truncated to the requested length; at most
    /// this many bytes (`invalid_length` beyond). The state stays usable.
    Digest(usize),
    /// The SP 800-185 function with its output length L set to the requested length (TupleHash,
    /// KMAC): a digest of everything absorbed so far, of any length; the state stays usable.
    Sized,
    /// One output stream: successive squeezes continue it; absorbing after the first squeeze is
    /// `invalid_operation`.
    Stream,
    /// No squeeze (`invalid_operation`): CMAC.
    None,
}

/// The longest KMAC key, like HMAC's (see [`super::MAX_HMAC_KEY_LEN`]).
const MAX_KMAC_KEY_LEN: usize = super::MAX_HMAC_KEY_LEN;

use DigestAlgorithm as D;

/// The key a keyed digest algorithm takes.
struct KeyRule {
    /// Whether a key is required (otherwise optional).
    required: bool,
    /// The accepted key lengths.
    lens: std::ops::RangeInclusive<usize>,
    /// The length of a generated key.
    generated: usize,
}

impl DigestAlgorithm {
    /// How the algorithm takes a key (`None` if it takes none): KMAC 0..=1024 bytes, BLAKE2b
    /// 1..=64, BLAKE3 exactly 32, CMAC 16 or 32; generated keys are as long as the output.
    fn key_rule(self) -> Option<KeyRule> {
        let rule = |required, lens, generated| Some(KeyRule { required, lens, generated });
        match self {
            D::Kmac128 => rule(true, 0..=MAX_KMAC_KEY_LEN, 32),
            D::Kmac256 => rule(true, 0..=MAX_KMAC_KEY_LEN, 64),
            D::Aes128Cmac => rule(true, 16..=16, 16),
            D::Aes256Cmac => rule(true, 32..=32, 32),
            D::Blake2b256 => rule(false, 1..=64, 32),
            D::Blake2b512 => rule(false, 1..=64, 64),
            D::Blake3 => rule(false, 32..=32, 32),
            D::Sha3_256
            | D::Sha3_384
            | D::Sha3_512
            | D::Shake128
            | D::Shake256
            | D::CShake128
            | D::CShake256
            | D::TurboShake128
            | D::TurboShake256
            | D::Kt128
            | D::Kt256
            | D::TupleHash128
            | D::TupleHash256
            | D::TupleHashXof128
            | D::TupleHashXof256
            | D::AsconHash256
            | D::AsconXof128 => None,
        }
    }

    /// Whether the algorithm takes a key.
    pub fn key_use(self) -> KeyUse {
        match self.key_rule() {
            Some(rule) if rule.required => KeyUse::Required,
            Some(_) => KeyUse::Optional,
            None => KeyUse::None,
        }
    }

    /// Whether a key of `len` bytes fits.
    pub fn key_len_ok(self, len: usize) -> bool {
        self.key_rule().is_some_and(|rule| rule.lens.contains(&len))
    }

    /// The length of a generated key (`None` if the algorithm takes none).
    pub fn generated_key_len(self) -> Option<usize> {
        self.key_rule().map(|rule| rule.generated)
    }

    /// What `squeeze` gives.
    pub fn output(self) -> Output {
        match self {
            D::Sha3_256 | D::Blake2b256 | D::AsconHash256 => Output::Digest(32),
            D::Sha3_384 => Output::Digest(48),
            D::Sha3_512 | D::Blake2b512 => Output::Digest(64),
            D::TupleHash128 | D::TupleHash256 | D::Kmac128 | D::Kmac256 => Output::Sized,
            D::Aes128Cmac | D::Aes256Cmac => Output::None,
            D::Shake128
            | D::Shake256
            | D::CShake128
            | D::CShake256
            | D::TurboShake128
            | D::TurboShake256
            | D::Kt128
            | D::Kt256
            | D::TupleHashXof128
            | D::TupleHashXof256
            | D::Blake3
            | D::AsconXof128 => Output::Stream,
        }
    }

    /// How many bytes a squeeze that names no length gives (the component ABI): the digest
    /// length, the tag length of the SP 800-185 functions, and for XOFs twice their security
    /// level (32 bytes for the 128-bit ones and BLAKE3, 64 for the 256-bit ones); `None` for CMAC.
    pub fn default_squeeze_len(self) -> Option<usize> {
        match self.output() {
            Output::Digest(len) => Some(len),
            Output::Sized => self.tag_len(false),
            Output::None => None,
            Output::Stream => Some(match self {
                D::Shake256 | D::CShake256 | D::TurboShake256 | D::Kt256 | D::TupleHashXof256 => 64,
                D::Shake128
                | D::CShake128
                | D::TurboShake128
                | D::Kt128
                | D::TupleHashXof128
                | D::Blake3
                | D::AsconXof128
                | D::Sha3_256
                | D::Sha3_384
                | D::Sha3_512
                | D::TupleHash128
                | D::TupleHash256
                | D::Kmac128
                | D::Kmac256
                | D::Blake2b256
                | D::Blake2b512
                | D::AsconHash256
                | D::Aes128Cmac
                | D::Aes256Cmac => 32,
            }),
        }
    }

    /// The length of the tag of `squeeze_tag` when the state is keyed (`keyed`) or not; `None`
    /// if the state gives no tag (`invalid_operation`).
    pub fn tag_len(self, keyed: bool) -> Option<usize> {
        match (self, keyed) {
            (D::TupleHash128 | D::TupleHashXof128 | D::Kmac128, _) => Some(32),
            (D::TupleHash256 | D::TupleHashXof256 | D::Kmac256, _) => Some(64),
            (D::Aes128Cmac | D::Aes256Cmac, _) => Some(16),
            (D::Blake2b256 | D::Blake3, true) => Some(32),
            (D::Blake2b512, true) => Some(64),
            (D::Blake2b256 | D::Blake2b512 | D::Blake3, false) => None,
            (
                D::Sha3_256
                | D::Sha3_384
                | D::Sha3_512
                | D::Shake128
                | D::Shake256
                | D::CShake128
                | D::CShake256
                | D::TurboShake128
                | D::TurboShake256
                | D::Kt128
                | D::Kt256
                | D::AsconHash256
                | D::AsconXof128,
                _,
            ) => None,
        }
    }

    /// The option names the algorithm accepts; any other option set is `unsupported_option`.
    pub fn accepted_options(self) -> &'static [&'static str] {
        match self {
            D::CShake128 | D::CShake256 | D::Kt128 | D::Kt256 | D::Kmac128 | D::Kmac256 => &["context"],
            D::TupleHash128 | D::TupleHash256 | D::TupleHashXof128 | D::TupleHashXof256 => &["context"],
            D::TurboShake128 | D::TurboShake256 => &["domain"],
            D::Blake2b256 | D::Blake2b512 => {
                &["context", "salt", "fanout", "max_depth", "leaf_length", "node_offset", "node_depth", "inner_length"]
            }
            D::Blake3 => &["context", "threads"],
            D::Sha3_256
            | D::Sha3_384
            | D::Sha3_512
            | D::Shake128
            | D::Shake256
            | D::AsconHash256
            | D::AsconXof128
            | D::Aes128Cmac
            | D::Aes256Cmac => &[],
        }
    }
}

/// AEADs beyond AES-GCM/ChaCha20-Poly1305, and unauthenticated AES modes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CipherAlgorithm {
    /// AES-128-GCM-SIV (RFC 8452).
    Aes128GcmSiv,
    /// AES-256-GCM-SIV (RFC 8452).
    Aes256GcmSiv,
    /// AES-SIV-CMAC with a 256-bit key (RFC 5297).
    Aes128Siv,
    /// AES-SIV-CMAC with a 512-bit key (RFC 5297).
    Aes256Siv,
    /// AEGIS-128L.
    Aegis128L,
    /// AEGIS-128X2.
    Aegis128X2,
    /// AEGIS-128X4.
    Aegis128X4,
    /// AEGIS-256.
    Aegis256,
    /// AEGIS-256X2.
    Aegis256X2,
    /// AEGIS-256X4.
    Aegis256X4,
    /// Ascon-AEAD128 (SP 800-232).
    AsconAead128,
    /// AES-128 in CTR mode (SP 800-38A), big-endian 128-bit counter from the IV.
    Aes128Ctr,
    /// AES-256 in CTR mode.
    Aes256Ctr,
    /// AES-128 in CBC mode with PKCS#7 padding.
    Aes128Cbc,
    /// AES-256 in CBC mode with PKCS#7 padding.
    Aes256Cbc,
}

use CipherAlgorithm as C;

impl CipherAlgorithm {
    /// The key length in bytes.
    pub fn key_len(self) -> usize {
        match self {
            C::Aes128GcmSiv | C::Aegis128L | C::Aegis128X2 | C::Aegis128X4 | C::AsconAead128 => 16,
            C::Aes128Ctr | C::Aes128Cbc => 16,
            C::Aes256GcmSiv | C::Aes128Siv | C::Aegis256 | C::Aegis256X2 | C::Aegis256X4 => 32,
            C::Aes256Ctr | C::Aes256Cbc => 32,
            C::Aes256Siv => 64,
        }
    }

    /// Whether a nonce of `len` bytes fits. AES-SIV takes any nonce (RFC 5297's last header),
    /// including an empty one, which makes it the deterministic, nonce-less mode.
    pub fn nonce_len_ok(self, len: usize) -> bool {
        match self {
            C::Aes128Siv | C::Aes256Siv => true,
            C::Aes128GcmSiv
            | C::Aes256GcmSiv
            | C::Aegis128L
            | C::Aegis128X2
            | C::Aegis128X4
            | C::Aegis256
            | C::Aegis256X2
            | C::Aegis256X4
            | C::AsconAead128
            | C::Aes128Ctr
            | C::Aes256Ctr
            | C::Aes128Cbc
            | C::Aes256Cbc => len == self.nonce_len(),
        }
    }

    /// The length of a nonce: the one generated when the host picks it, the only one accepted
    /// otherwise (AES-SIV aside).
    pub fn nonce_len(self) -> usize {
        match self {
            C::Aes128GcmSiv | C::Aes256GcmSiv => 12,
            C::Aegis256 | C::Aegis256X2 | C::Aegis256X4 => 32,
            C::Aes128Siv
            | C::Aes256Siv
            | C::Aegis128L
            | C::Aegis128X2
            | C::Aegis128X4
            | C::AsconAead128
            | C::Aes128Ctr
            | C::Aes256Ctr
            | C::Aes128Cbc
            | C::Aes256Cbc => 16,
        }
    }

    /// Whether the host draws a random nonce when none is set: nonce-misuse-resistant
    /// constructions and 256-bit nonces. Elsewhere a missing nonce is `nonce_required`.
    pub fn automatic_nonce(self) -> bool {
        match self {
            C::Aes128GcmSiv | C::Aes256GcmSiv | C::Aes128Siv | C::Aes256Siv => true,
            C::Aegis256 | C::Aegis256X2 | C::Aegis256X4 => true,
            C::Aegis128L
            | C::Aegis128X2
            | C::Aegis128X4
            | C::AsconAead128
            | C::Aes128Ctr
            | C::Aes256Ctr
            | C::Aes128Cbc
            | C::Aes256Cbc => false,
        }
    }

    /// Whether the cipher authenticates (an AEAD) rather than only encrypting (CTR, CBC).
    pub fn is_aead(self) -> bool {
        match self {
            C::Aes128Ctr | C::Aes256Ctr | C::Aes128Cbc | C::Aes256Cbc => false,
            C::Aes128GcmSiv
            | C::Aes256GcmSiv
            | C::Aes128Siv
            | C::Aes256Siv
            | C::Aegis128L
            | C::Aegis128X2
            | C::Aegis128X4
            | C::Aegis256
            | C::Aegis256X2
            | C::Aegis256X4
            | C::AsconAead128 => true,
        }
    }

    /// `max_tag_len`: the tag of an AEAD (16 bytes), CBC's longest padding (16), CTR's nothing.
    pub fn max_tag_len(self) -> usize {
        match self {
            C::Aes128Ctr | C::Aes256Ctr => 0,
            C::Aes128GcmSiv
            | C::Aes256GcmSiv
            | C::Aes128Siv
            | C::Aes256Siv
            | C::Aegis128L
            | C::Aegis128X2
            | C::Aegis128X4
            | C::Aegis256
            | C::Aegis256X2
            | C::Aegis256X4
            | C::AsconAead128
            | C::Aes128Cbc
            | C::Aes256Cbc => 16,
        }
    }
}
