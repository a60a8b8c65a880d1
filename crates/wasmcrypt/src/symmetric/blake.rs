//! BLAKE2b (`blake2b_simd`, AVX2 at run time) and BLAKE3 (`blake3`, SSE4.1/AVX2 at run time).

use super::algorithm::DigestAlgorithm;
use super::digest::Engine;
use super::tag::TagBytes;
use crate::error::{CryptoError, Result};
use crate::options::SymmetricOptions;

/// The longest BLAKE2b salt and personalisation.
const BLAKE2B_PARAM_LEN: usize = 16;

/// A BLAKE2b state, overwritten with a fresh unkeyed state when dropped (`blake2b_simd` keeps
/// the padded key block in its buffer and has no zeroizing `Drop` of its own).
#[derive(Clone)]
struct Blake2b {
    state: blake2b_simd::State,
    len: usize,
}

impl Drop for Blake2b {
    fn drop(&mut self) {
        self.state = blake2b_simd::State::new();
        std::hint::black_box(&self.state);
    }
}

impl Engine for Blake2b {
    fn absorb(&mut self, data: &[u8]) -> Result<()> {
        self.state.update(data);
        Ok(())
    }

    fn squeeze(&mut self, out: &mut [u8]) -> Result<()> {
        let hash = self.state.finalize();
        out.copy_from_slice(hash.as_bytes().get(..out.len()).ok_or(CryptoError::InvalidLength)?);
        Ok(())
    }

    fn tag(&self) -> Result<TagBytes> {
        Ok(TagBytes::new(&self.state.finalize().as_bytes()[..self.len]))
    }

    fn box_clone(&self) -> Box<dyn Engine> {
        Box::new(self.clone())
    }
}

/// A salt or personalisation: at most 16 bytes (`invalid_length` beyond).
fn param_bytes(value: Option<&[u8]>) -> Result<Option<&[u8]>> {
    match value {
        Some(v) if v.len() > BLAKE2B_PARAM_LEN => Err(CryptoError::InvalidLength),
        v => Ok(v),
    }
}

/// An integer option that must fit `T`; `unsupported_option` otherwise.
fn param<T: TryFrom<u64>>(options: &SymmetricOptions, name: &str) -> Result<Option<T>> {
    options.hash_params().get(name).map(|v| T::try_from(v).map_err(|_| CryptoError::UnsupportedOption)).transpose()
}

/// A BLAKE2b state: `context` is the personalisation and `salt` the salt (at most 16 bytes each,
/// `invalid_length` beyond); `fanout`, `max_depth` (1..=255), `leaf_length` (u32),
/// `node_offset`, `node_depth` (u8) and `inner_length` (0..=64) are RFC 7693's tree parameters
/// (`unsupported_option` out of range).
pub(crate) fn blake2b(alg: DigestAlgorithm, key: Option<&[u8]>, options: &SymmetricOptions) -> Result<Box<dyn Engine>> {
    let len = if alg == DigestAlgorithm::Blake2b256 { 32 } else { 64 };
    let mut params = blake2b_simd::Params::new();
    params.hash_length(len);
    if let Some(key) = key {
        if key.len() > blake2b_simd::KEYBYTES {
            return Err(CryptoError::InvalidKey);
        }
        params.key(key);
    }
    if let Some(salt) = param_bytes(options.salt())? {
        params.salt(salt);
    }
    if let Some(personal) = param_bytes(options.context())? {
        params.personal(personal);
    }
    if let Some(fanout) = param::<u8>(options, "fanout")? {
        params.fanout(fanout);
    }
    if let Some(depth) = param::<u8>(options, "max_depth")? {
        if depth == 0 {
            return Err(CryptoError::UnsupportedOption);
        }
        params.max_depth(depth);
    }
    if let Some(leaf) = param::<u32>(options, "leaf_length")? {
        params.max_leaf_length(leaf);
    }
    if let Some(offset) = param::<u64>(options, "node_offset")? {
        params.node_offset(offset);
    }
    if let Some(depth) = param::<u8>(options, "node_depth")? {
        params.node_depth(depth);
    }
    if let Some(inner) = param::<usize>(options, "inner_length")? {
        if inner > blake2b_simd::OUTBYTES {
            return Err(CryptoError::UnsupportedOption);
        }
        params.inner_hash_length(inner);
    }
    Ok(Box::new(Blake2b { state: params.to_state(), len }))
}

/// A BLAKE3 state: its input, then its output stream.
#[derive(Clone)]
enum Blake3Phase {
    Absorbing(Box<blake3::Hasher>),
    Squeezing(blake3::OutputReader),
}

/// A BLAKE3 state; wiped on drop.
#[derive(Clone)]
struct Blake3 {
    phase: Blake3Phase,
    keyed: bool,
}

impl Drop for Blake3 {
    fn drop(&mut self) {
        match &mut self.phase {
            Blake3Phase::Absorbing(h) => zeroize::Zeroize::zeroize(h.as_mut()),
            Blake3Phase::Squeezing(r) => zeroize::Zeroize::zeroize(r),
        }
    }
}

impl Engine for Blake3 {
    fn absorb(&mut self, data: &[u8]) -> Result<()> {
        match &mut self.phase {
            Blake3Phase::Absorbing(h) => {
                h.update(data);
                Ok(())
            }
            Blake3Phase::Squeezing(_) => Err(CryptoError::InvalidOperation),
        }
    }

    fn squeeze(&mut self, out: &mut [u8]) -> Result<()> {
        if let Blake3Phase::Absorbing(h) = &self.phase {
            self.phase = Blake3Phase::Squeezing(h.finalize_xof());
        }
        if let Blake3Phase::Squeezing(r) = &mut self.phase {
            r.fill(out);
        }
        Ok(())
    }

    fn tag(&self) -> Result<TagBytes> {
        match &self.phase {
            Blake3Phase::Absorbing(h) if self.keyed => Ok(TagBytes::new(h.finalize().as_bytes())),
            Blake3Phase::Absorbing(_) | Blake3Phase::Squeezing(_) => Err(CryptoError::InvalidOperation),
        }
    }

    fn box_clone(&self) -> Box<dyn Engine> {
        Box::new(self.clone())
    }
}

/// A BLAKE3 state: keyed with a 32-byte key (`keyed_hash`), or with a `context` and no key
/// (`derive_key`, the absorbed data being the key material; a context that is not UTF-8 is
/// `unsupported_encoding`, and a context with a key `unsupported_option`), or plain `hash`.
/// `threads` (≥ 1; 0 is `unsupported_option`) is accepted as a cap: this host hashes on the
/// calling thread, i.e. with one thread, whatever the cap.
pub(crate) fn blake3(key: Option<&[u8]>, options: &SymmetricOptions) -> Result<Box<dyn Engine>> {
    if options.hash_params().get("threads") == Some(0) {
        return Err(CryptoError::UnsupportedOption);
    }
    let hasher = match (key, options.context()) {
        (Some(_), Some(_)) => return Err(CryptoError::UnsupportedOption),
        (Some(key), None) => blake3::Hasher::new_keyed(key.try_into().map_err(|_| CryptoError::InvalidKey)?),
        (None, Some(context)) => {
            blake3::Hasher::new_derive_key(std::str::from_utf8(context).map_err(|_| CryptoError::UnsupportedEncoding)?)
        }
        (None, None) => blake3::Hasher::new(),
    };
    Ok(Box::new(Blake3 { phase: Blake3Phase::Absorbing(Box::new(hasher)), keyed: key.is_some() }))
}
