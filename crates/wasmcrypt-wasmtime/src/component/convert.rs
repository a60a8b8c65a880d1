//! Conversions between the generated WIT types and the core's types.

use super::bindings::wasi::crypto::wasi_ephemeral_crypto_common::{
    AlgorithmType as WitAlgorithmType, CryptoErrno, KeypairEncoding, PublickeyEncoding, SecretkeyEncoding,
    SignatureEncoding as WitSignatureEncoding, Version,
};
use ::wasmcrypt::secrets::{VERSION_ALL, VERSION_LATEST, VERSION_UNSPECIFIED};
use ::wasmcrypt::{
    AlgorithmType, CryptoError, KeyPairEncoding, PublicKeyEncoding, SecretKeyEncoding, SignatureEncoding,
};

/// The result type of every generated host function.
pub(crate) type WitResult<T> = Result<T, CryptoErrno>;

impl From<CryptoError> for CryptoErrno {
    fn from(e: CryptoError) -> Self {
        match e {
            CryptoError::GuestError => Self::GuestError,
            CryptoError::NotImplemented => Self::NotImplemented,
            CryptoError::UnsupportedFeature => Self::UnsupportedFeature,
            CryptoError::ProhibitedOperation => Self::ProhibitedOperation,
            CryptoError::UnsupportedEncoding => Self::UnsupportedEncoding,
            CryptoError::UnsupportedAlgorithm => Self::UnsupportedAlgorithm,
            CryptoError::UnsupportedOption => Self::UnsupportedOption,
            CryptoError::InvalidKey => Self::InvalidKey,
            CryptoError::InvalidLength => Self::InvalidLength,
            CryptoError::VerificationFailed => Self::VerificationFailed,
            CryptoError::RngError => Self::RngError,
            CryptoError::AlgorithmFailure => Self::AlgorithmFailure,
            CryptoError::InvalidSignature => Self::InvalidSignature,
            CryptoError::Closed => Self::Closed,
            CryptoError::InvalidHandle => Self::InvalidHandle,
            CryptoError::Overflow => Self::Overflow,
            CryptoError::InternalError => Self::InternalError,
            CryptoError::TooManyHandles => Self::TooManyHandles,
            CryptoError::KeyNotSupported => Self::KeyNotSupported,
            CryptoError::KeyRequired => Self::KeyRequired,
            CryptoError::InvalidTag => Self::InvalidTag,
            CryptoError::InvalidOperation => Self::InvalidOperation,
            CryptoError::NonceRequired => Self::NonceRequired,
            CryptoError::InvalidNonce => Self::InvalidNonce,
            CryptoError::OptionNotSet => Self::OptionNotSet,
            CryptoError::NotFound => Self::NotFound,
            CryptoError::ParametersMissing => Self::ParametersMissing,
            CryptoError::InProgress => Self::InProgress,
            CryptoError::IncompatibleKeys => Self::IncompatibleKeys,
            CryptoError::Expired => Self::Expired,
        }
    }
}

/// The core's `u64` version for a WIT version. A specified version in the range the witx ABI
/// reserves for the three named versions is refused with `not_found` (no key has it).
pub(crate) fn version_in(version: Version) -> Result<u64, CryptoError> {
    match version {
        Version::Unspecified => Ok(VERSION_UNSPECIFIED),
        Version::Latest => Ok(VERSION_LATEST),
        Version::All => Ok(VERSION_ALL),
        Version::Specified(v) if v >= VERSION_UNSPECIFIED => Err(CryptoError::NotFound),
        Version::Specified(v) => Ok(v),
    }
}

/// The WIT version for a version the core returns.
pub(crate) fn version_out(version: u64) -> Version {
    match version {
        VERSION_UNSPECIFIED => Version::Unspecified,
        VERSION_LATEST => Version::Latest,
        VERSION_ALL => Version::All,
        v => Version::Specified(v),
    }
}

pub(crate) fn algorithm_type(t: WitAlgorithmType) -> AlgorithmType {
    match t {
        WitAlgorithmType::Signatures => AlgorithmType::Signatures,
        WitAlgorithmType::Symmetric => AlgorithmType::Symmetric,
        WitAlgorithmType::KeyExchange => AlgorithmType::KeyExchange,
    }
}

pub(crate) fn keypair_encoding(e: KeypairEncoding) -> KeyPairEncoding {
    match e {
        KeypairEncoding::Raw => KeyPairEncoding::Raw,
        KeypairEncoding::Pkcs8 => KeyPairEncoding::Pkcs8,
        KeypairEncoding::Pem => KeyPairEncoding::Pem,
        KeypairEncoding::Local => KeyPairEncoding::Local,
    }
}

pub(crate) fn publickey_encoding(e: PublickeyEncoding) -> PublicKeyEncoding {
    match e {
        PublickeyEncoding::Raw => PublicKeyEncoding::Raw,
        PublickeyEncoding::Pkcs8 => PublicKeyEncoding::Pkcs8,
        PublickeyEncoding::Pem => PublicKeyEncoding::Pem,
        PublickeyEncoding::Sec => PublicKeyEncoding::Sec,
        PublickeyEncoding::Local => PublicKeyEncoding::Local,
    }
}

pub(crate) fn secretkey_encoding(e: SecretkeyEncoding) -> SecretKeyEncoding {
    match e {
        SecretkeyEncoding::Raw => SecretKeyEncoding::Raw,
        SecretkeyEncoding::Pkcs8 => SecretKeyEncoding::Pkcs8,
        SecretkeyEncoding::Pem => SecretKeyEncoding::Pem,
        SecretkeyEncoding::Sec => SecretKeyEncoding::Sec,
        SecretkeyEncoding::Local => SecretKeyEncoding::Local,
    }
}

pub(crate) fn signature_encoding(e: WitSignatureEncoding) -> SignatureEncoding {
    match e {
        WitSignatureEncoding::Raw => SignatureEncoding::Raw,
        WitSignatureEncoding::Der => SignatureEncoding::Der,
    }
}
