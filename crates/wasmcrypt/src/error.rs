//! The one error type of wasmcrypt, mapped 1:1 onto the spec's `crypto_errno`.

use std::fmt;

/// A WASI-crypto error. The discriminant is the `crypto_errno` value of the spec, in spec order
/// (`success` = 0 is not an error and has no variant).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u16)]
pub enum CryptoError {
    /// A guest pointer or length is out of bounds, or guest data is malformed (for example not UTF-8).
    GuestError = 1,
    /// The function exists but its family is not implemented by this host.
    NotImplemented = 2,
    /// The feature is not supported (for example keys on a hash function, or a missing secrets manager).
    UnsupportedFeature = 3,
    /// The operation is denied (for example exporting a non-exportable managed key).
    ProhibitedOperation = 4,
    /// The encoding is not supported for this kind of object.
    UnsupportedEncoding = 5,
    /// The algorithm is unknown or not supported.
    UnsupportedAlgorithm = 6,
    /// The option is unknown for this algorithm type.
    UnsupportedOption = 7,
    /// The key is malformed or does not fit the algorithm.
    InvalidKey = 8,
    /// A length is out of the range the operation accepts.
    InvalidLength = 9,
    /// A signature or ciphertext did not verify.
    VerificationFailed = 10,
    /// The random number generator failed.
    RngError = 11,
    /// The backend failed in an unexpected way.
    AlgorithmFailure = 12,
    /// A signature is malformed.
    InvalidSignature = 13,
    /// The object was closed.
    Closed = 14,
    /// The handle is unknown, closed, or of another type.
    InvalidHandle = 15,
    /// An output buffer is too small, or a counter would overflow.
    Overflow = 16,
    /// An internal invariant was broken.
    InternalError = 17,
    /// The context holds as many open handles as it is allowed to.
    TooManyHandles = 18,
    /// A key was given to an algorithm that takes none.
    KeyNotSupported = 19,
    /// The algorithm needs a key and none was given.
    KeyRequired = 20,
    /// An authentication tag did not verify.
    InvalidTag = 21,
    /// The operation does not apply to this algorithm or object.
    InvalidOperation = 22,
    /// The algorithm needs a nonce and none was given.
    NonceRequired = 23,
    /// The nonce has the wrong length.
    InvalidNonce = 24,
    /// The option was not set.
    OptionNotSet = 25,
    /// No managed key or secret matches.
    NotFound = 26,
    /// Mandatory parameters are missing.
    ParametersMissing = 27,
    /// The operation is still running; retry.
    InProgress = 28,
    /// The keys are of different algorithms or do not belong together.
    IncompatibleKeys = 29,
    /// The secret has expired.
    Expired = 30,
}

/// The result type of every wasmcrypt operation.
pub type Result<T, E = CryptoError> = std::result::Result<T, E>;

impl CryptoError {
    /// Every error, in errno order.
    pub const ALL: [CryptoError; 30] = [
        Self::GuestError,
        Self::NotImplemented,
        Self::UnsupportedFeature,
        Self::ProhibitedOperation,
        Self::UnsupportedEncoding,
        Self::UnsupportedAlgorithm,
        Self::UnsupportedOption,
        Self::InvalidKey,
        Self::InvalidLength,
        Self::VerificationFailed,
        Self::RngError,
        Self::AlgorithmFailure,
        Self::InvalidSignature,
        Self::Closed,
        Self::InvalidHandle,
        Self::Overflow,
        Self::InternalError,
        Self::TooManyHandles,
        Self::KeyNotSupported,
        Self::KeyRequired,
        Self::InvalidTag,
        Self::InvalidOperation,
        Self::NonceRequired,
        Self::InvalidNonce,
        Self::OptionNotSet,
        Self::NotFound,
        Self::ParametersMissing,
        Self::InProgress,
        Self::IncompatibleKeys,
        Self::Expired,
    ];

    /// The `crypto_errno` value.
    pub fn errno(self) -> u16 {
        self as u16
    }

    /// The error for a `crypto_errno` value; `None` for `success` (0) and unknown values.
    pub fn from_errno(errno: u16) -> Option<Self> {
        Self::ALL.get(usize::from(errno).checked_sub(1)?).copied()
    }

    /// The spec's name of the errno, for example `invalid_handle`.
    pub fn name(self) -> &'static str {
        match self {
            Self::GuestError => "guest_error",
            Self::NotImplemented => "not_implemented",
            Self::UnsupportedFeature => "unsupported_feature",
            Self::ProhibitedOperation => "prohibited_operation",
            Self::UnsupportedEncoding => "unsupported_encoding",
            Self::UnsupportedAlgorithm => "unsupported_algorithm",
            Self::UnsupportedOption => "unsupported_option",
            Self::InvalidKey => "invalid_key",
            Self::InvalidLength => "invalid_length",
            Self::VerificationFailed => "verification_failed",
            Self::RngError => "rng_error",
            Self::AlgorithmFailure => "algorithm_failure",
            Self::InvalidSignature => "invalid_signature",
            Self::Closed => "closed",
            Self::InvalidHandle => "invalid_handle",
            Self::Overflow => "overflow",
            Self::InternalError => "internal_error",
            Self::TooManyHandles => "too_many_handles",
            Self::KeyNotSupported => "key_not_supported",
            Self::KeyRequired => "key_required",
            Self::InvalidTag => "invalid_tag",
            Self::InvalidOperation => "invalid_operation",
            Self::NonceRequired => "nonce_required",
            Self::InvalidNonce => "invalid_nonce",
            Self::OptionNotSet => "option_not_set",
            Self::NotFound => "not_found",
            Self::ParametersMissing => "parameters_missing",
            Self::InProgress => "in_progress",
            Self::IncompatibleKeys => "incompatible_keys",
            Self::Expired => "expired",
        }
    }
}

impl fmt::Display for CryptoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.errno())
    }
}

impl std::error::Error for CryptoError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errno_numbers_follow_spec_order() {
        assert_eq!(CryptoError::GuestError.errno(), 1);
        assert_eq!(CryptoError::InvalidHandle.errno(), 15);
        assert_eq!(CryptoError::TooManyHandles.errno(), 18);
        assert_eq!(CryptoError::IncompatibleKeys.errno(), 29);
        assert_eq!(CryptoError::Expired.errno(), 30);
        for (i, e) in CryptoError::ALL.iter().enumerate() {
            assert_eq!(usize::from(e.errno()), i + 1, "{e}");
            assert_eq!(CryptoError::from_errno(e.errno()), Some(*e));
        }
        assert_eq!(CryptoError::from_errno(0), None);
        assert_eq!(CryptoError::from_errno(31), None);
    }
}
