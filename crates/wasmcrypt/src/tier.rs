//! Where an algorithm stands in the WASI-crypto algorithm lists, for every family.

/// How the spec lists an algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    /// Every WASI-crypto host offers it: the SHA-2, HMAC, HKDF and AES-GCM/ChaCha20 AEAD set, and
    /// the proposal's core signature and key-exchange names.
    Required,
    /// On the spec's list of optional algorithms.
    Optional,
}

impl Tier {
    /// The tier's name, as `wasmcrypt algorithms` prints it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::Optional => "optional",
        }
    }
}
