//! HKDF (RFC 5869) over the HMAC states: Extract with the IKM as key and absorbed salt,
//! Expand with a prepared PRK and absorbed info.

use super::algorithm::HashFunction;
use super::mac::MacState;
use crate::error::{CryptoError, Result};
use zeroize::Zeroizing;

/// HKDF-Extract: PRK = HMAC(salt, IKM).
pub(crate) fn extract(hash: HashFunction, salt: &[u8], ikm: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let mut mac = MacState::new(hash, salt)?;
    mac.update(ikm);
    Ok(Zeroizing::new(mac.tag().as_slice().to_vec()))
}

/// HKDF-Expand: fills `okm` from a keyed PRK and `info`; `invalid_length` beyond 255 blocks.
pub(crate) fn expand(prk: &MacState, hash: HashFunction, info: &[u8], okm: &mut [u8]) -> Result<()> {
    let block_len = hash.output_len();
    if okm.len() > 255 * block_len {
        return Err(CryptoError::InvalidLength);
    }
    let mut previous = Zeroizing::new(Vec::with_capacity(block_len));
    for (i, chunk) in okm.chunks_mut(block_len).enumerate() {
        let mut mac = prk.clone();
        mac.update(&previous);
        mac.update(info);
        // At most 255 blocks, so the counter fits a byte.
        mac.update(&[(i + 1) as u8]);
        let block = mac.tag();
        chunk.copy_from_slice(&block.as_slice()[..chunk.len()]);
        previous.clear();
        previous.extend_from_slice(block.as_slice());
    }
    Ok(())
}
