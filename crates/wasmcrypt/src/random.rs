//! The operating system's random number generator.

use crate::error::{CryptoError, Result};

/// Fills `buf` with random bytes; `rng_error` if the OS generator fails.
pub(crate) fn fill(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|_| CryptoError::RngError)
}
