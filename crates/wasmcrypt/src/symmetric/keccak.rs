//! Keccak constructions built here: TurboSHAKE with a run-time domain byte (RFC 9861) as a
//! sponge over the `keccak` crate's Keccak-p[1600, 12], and TupleHash and KMAC (SP 800-185) as
//! their encodings over RustCrypto's cSHAKE.

use super::algorithm::DigestAlgorithm;
use super::digest::{Engine, Stream};
use super::tag::TagBytes;
use crate::error::{CryptoError, Result};
use crate::options::SymmetricOptions;
use cshake::{CShake128, CShake256};
use digest::{ExtendableOutput, Update, XofReader};

/// SP 800-185 `left_encode(x)`: the byte count, then `x` big-endian in as few bytes as possible
/// (at least one).
fn left_encode(x: u128, f: impl FnOnce(&[u8])) {
    let bytes = x.to_be_bytes();
    let skip = (x.leading_zeros() / 8).min(15) as usize;
    let mut buf = [0u8; 17];
    let n = 16 - skip;
    buf[0] = n as u8;
    buf[1..=n].copy_from_slice(&bytes[skip..]);
    f(&buf[..=n]);
}

/// SP 800-185 `right_encode(x)`: `x` big-endian in as few bytes as possible, then the count.
fn right_encode(x: u128, f: impl FnOnce(&[u8])) {
    let bytes = x.to_be_bytes();
    let skip = (x.leading_zeros() / 8).min(15) as usize;
    let mut buf = [0u8; 17];
    let n = 16 - skip;
    buf[..n].copy_from_slice(&bytes[skip..]);
    buf[n] = n as u8;
    f(&buf[..=n]);
}

/// A length in bytes as the bit count SP 800-185 encodes.
fn bits(len: usize) -> u128 {
    (len as u128) * 8
}

/// A cSHAKE of either rate.
#[derive(Clone)]
enum CShake {
    R128(CShake128),
    R256(CShake256),
}

impl CShake {
    fn new(wide: bool, function_name: &[u8], customization: &[u8]) -> Self {
        if wide {
            Self::R256(CShake256::new_with_function_name(function_name, customization))
        } else {
            Self::R128(CShake128::new_with_function_name(function_name, customization))
        }
    }

    fn rate(&self) -> usize {
        match self {
            Self::R128(_) => 168,
            Self::R256(_) => 136,
        }
    }

    fn update(&mut self, data: &[u8]) {
        match self {
            Self::R128(h) => h.update(data),
            Self::R256(h) => h.update(data),
        }
    }

    /// Finishes with `right_encode(L)` (L = 0 for the XOF variants) and reads `out`.
    fn finish_into(mut self, output_bits: u128, out: &mut [u8]) {
        right_encode(output_bits, |e| self.update(e));
        match self {
            Self::R128(h) => h.finalize_xof().read(out),
            Self::R256(h) => h.finalize_xof().read(out),
        }
    }
}

/// TupleHash or TupleHashXOF, or KMAC (whose key is absorbed at the start).
#[derive(Clone)]
struct Sp800185 {
    /// The input so far, for the fixed-output functions (finished on a copy).
    fixed: Option<CShake>,
    /// The XOF output, for TupleHashXOF (whose first squeeze ends the input).
    xof: Option<Stream<XofCShake>>,
    /// Whether each absorb is one tuple element.
    tuple: bool,
    /// The length of `squeeze_tag`.
    tag_len: usize,
}

/// cSHAKE finished with `right_encode(0)`, as RustCrypto's traits, for [`Stream`].
#[derive(Clone)]
struct XofCShake(CShake);

impl Update for XofCShake {
    fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }
}

/// The output reader of [`XofCShake`].
#[derive(Clone)]
enum XofCShakeReader {
    R128(cshake::CShake128Reader),
    R256(cshake::CShake256Reader),
}

impl XofReader for XofCShakeReader {
    fn read(&mut self, buf: &mut [u8]) {
        match self {
            Self::R128(r) => r.read(buf),
            Self::R256(r) => r.read(buf),
        }
    }
}

impl ExtendableOutput for XofCShake {
    type Reader = XofCShakeReader;

    fn finalize_xof(mut self) -> Self::Reader {
        right_encode(0, |e| self.0.update(e));
        match self.0 {
            CShake::R128(h) => XofCShakeReader::R128(h.finalize_xof()),
            CShake::R256(h) => XofCShakeReader::R256(h.finalize_xof()),
        }
    }
}

impl Sp800185 {
    fn input(&mut self) -> Result<&mut CShake> {
        match (&mut self.fixed, &mut self.xof) {
            (Some(h), _) => Ok(h),
            (None, Some(Stream::Absorbing(h))) => Ok(&mut h.0),
            (None, Some(Stream::Squeezing(_) | Stream::Switching) | None) => Err(CryptoError::InvalidOperation),
        }
    }

    /// The whole input, finished on a copy with L = `out.len()` bytes.
    fn finish_copy(&self, out: &mut [u8]) -> Result<()> {
        let h = match (&self.fixed, &self.xof) {
            (Some(h), _) => h.clone(),
            (None, Some(Stream::Absorbing(h))) => h.0.clone(),
            (None, Some(Stream::Squeezing(_) | Stream::Switching) | None) => return Err(CryptoError::InvalidOperation),
        };
        h.finish_into(bits(out.len()), out);
        Ok(())
    }
}

impl Engine for Sp800185 {
    fn absorb(&mut self, data: &[u8]) -> Result<()> {
        let tuple = self.tuple;
        let h = self.input()?;
        if tuple {
            left_encode(bits(data.len()), |e| h.update(e));
        }
        h.update(data);
        Ok(())
    }

    fn squeeze(&mut self, out: &mut [u8]) -> Result<()> {
        match &mut self.xof {
            Some(stream) => stream.squeeze(out),
            None => self.finish_copy(out),
        }
    }

    fn tag(&self) -> Result<TagBytes> {
        let mut tag = [0u8; 64];
        let tag = tag.get_mut(..self.tag_len).ok_or(CryptoError::InternalError)?;
        self.finish_copy(tag)?;
        Ok(TagBytes::new(tag))
    }

    fn box_clone(&self) -> Box<dyn Engine> {
        Box::new(self.clone())
    }
}

/// TupleHash/TupleHashXOF with customisation `s`. `squeeze_tag` is the fixed-length function
/// with L = 256 (TupleHash128, TupleHashXOF128) or 512 bits.
pub(crate) fn tuple_hash(alg: DigestAlgorithm, s: &[u8]) -> Box<dyn Engine> {
    use DigestAlgorithm as D;
    let wide = matches!(alg, D::TupleHash256 | D::TupleHashXof256);
    let h = CShake::new(wide, b"TupleHash", s);
    let xof = matches!(alg, D::TupleHashXof128 | D::TupleHashXof256);
    let (fixed, xof) = if xof { (None, Some(Stream::Absorbing(XofCShake(h)))) } else { (Some(h), None) };
    Box::new(Sp800185 { fixed, xof, tuple: true, tag_len: if wide { 64 } else { 32 } })
}

/// KMAC128/KMAC256 with key `key` and customisation `s`: tags of 32 or 64 bytes, and `squeeze`
/// with L set to the requested length.
pub(crate) fn kmac(alg: DigestAlgorithm, key: &[u8], s: &[u8]) -> Box<dyn Engine> {
    let wide = alg == DigestAlgorithm::Kmac256;
    let mut h = CShake::new(wide, b"KMAC", s);
    // bytepad(encode_string(K), rate)
    let rate = h.rate();
    let mut written = 0;
    left_encode(rate as u128, |e| {
        h.update(e);
        written += e.len();
    });
    left_encode(bits(key.len()), |e| {
        h.update(e);
        written += e.len();
    });
    h.update(key);
    written += key.len();
    let zeros = [0u8; 168];
    h.update(&zeros[..(rate - written % rate) % rate]);
    Box::new(Sp800185 { fixed: Some(h), xof: None, tuple: false, tag_len: if wide { 64 } else { 32 } })
}

/// The number of rounds of TurboSHAKE's permutation.
const TURBO_ROUNDS: usize = 12;

/// TurboSHAKE128/256 with a domain byte chosen at run time (0x01..=0x7F).
#[derive(Clone)]
struct TurboShake {
    state: [u64; 25],
    rate: usize,
    /// The byte position in the rate, for absorbing or squeezing.
    pos: usize,
    domain: u8,
    squeezing: bool,
}

impl TurboShake {
    fn permute(&mut self) {
        keccak::Keccak::new().with_p1600::<TURBO_ROUNDS>(|p| p(&mut self.state));
    }

    fn xor_byte(&mut self, pos: usize, byte: u8) {
        self.state[pos / 8] ^= u64::from(byte) << (8 * (pos % 8));
    }

    fn pad(&mut self) {
        self.xor_byte(self.pos, self.domain);
        self.xor_byte(self.rate - 1, 0x80);
        self.permute();
        self.pos = 0;
        self.squeezing = true;
    }
}

impl Engine for TurboShake {
    fn absorb(&mut self, mut data: &[u8]) -> Result<()> {
        if self.squeezing {
            return Err(CryptoError::InvalidOperation);
        }
        while !data.is_empty() {
            if self.pos == 0 && data.len() >= self.rate {
                let (block, rest) = data.split_at(self.rate);
                for (word, chunk) in self.state.iter_mut().zip(block.chunks_exact(8)) {
                    let mut b = [0u8; 8];
                    b.copy_from_slice(chunk);
                    *word ^= u64::from_le_bytes(b);
                }
                self.permute();
                data = rest;
                continue;
            }
            let take = (self.rate - self.pos).min(data.len());
            for (i, &byte) in data[..take].iter().enumerate() {
                self.xor_byte(self.pos + i, byte);
            }
            self.pos += take;
            data = &data[take..];
            if self.pos == self.rate {
                self.permute();
                self.pos = 0;
            }
        }
        Ok(())
    }

    fn squeeze(&mut self, out: &mut [u8]) -> Result<()> {
        if !self.squeezing {
            self.pad();
        }
        for byte in out.iter_mut() {
            if self.pos == self.rate {
                self.permute();
                self.pos = 0;
            }
            *byte = (self.state[self.pos / 8] >> (8 * (self.pos % 8))) as u8;
            self.pos += 1;
        }
        Ok(())
    }

    fn tag(&self) -> Result<TagBytes> {
        Err(CryptoError::InvalidOperation)
    }

    fn box_clone(&self) -> Box<dyn Engine> {
        Box::new(self.clone())
    }
}

impl Drop for TurboShake {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.state);
    }
}

/// A TurboSHAKE state; the `domain` option (0x01..=0x7F, default 0x1F) is D, and a value out
/// of that range is `unsupported_option`.
pub(crate) fn turboshake(alg: DigestAlgorithm, options: &SymmetricOptions) -> Result<Box<dyn Engine>> {
    let domain = options.hash_params().get("domain").unwrap_or(0x1F);
    let domain =
        u8::try_from(domain).ok().filter(|d| (0x01..=0x7F).contains(d)).ok_or(CryptoError::UnsupportedOption)?;
    let rate = if alg == DigestAlgorithm::TurboShake256 { 136 } else { 168 };
    Ok(Box::new(TurboShake { state: [0; 25], rate, pos: 0, domain, squeezing: false }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(f: impl Fn(&mut dyn FnMut(&[u8]))) -> Vec<u8> {
        let mut v = Vec::new();
        f(&mut |e| v.extend_from_slice(e));
        v
    }

    fn reference<H: Default + Update + ExtendableOutput>(data: &[u8], len: usize) -> Vec<u8> {
        let mut h = H::default();
        h.update(data);
        let mut out = vec![0u8; len];
        h.finalize_xof().read(&mut out);
        out
    }

    fn ours(rate: usize, domain: u8, data: &[u8], split: usize, len: usize) -> Vec<u8> {
        let mut t = TurboShake { state: [0; 25], rate, pos: 0, domain, squeezing: false };
        let (a, b) = data.split_at(split.min(data.len()));
        t.absorb(a).unwrap();
        t.absorb(b).unwrap();
        let mut out = vec![0u8; len];
        let (x, y) = out.split_at_mut(len / 3);
        t.squeeze(x).unwrap();
        t.squeeze(y).unwrap();
        assert_eq!(t.absorb(b"late"), Err(CryptoError::InvalidOperation));
        out
    }

    /// The run-time-domain sponge agrees with the `turboshake` crate's compile-time domains,
    /// across block boundaries of input and output.
    #[test]
    fn turboshake_matches_the_turboshake_crate() {
        use turboshake::{CTurboShake128, CTurboShake256};
        let data: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
        for len in [0, 1, 135, 136, 137, 167, 168, 169, 336, 337, 1000] {
            let m = &data[..len];
            for split in [0, 1, 136, 168, 500] {
                assert_eq!(ours(168, 0x1f, m, split, 400), reference::<CTurboShake128<0x1f>>(m, 400), "{len}");
                assert_eq!(ours(168, 0x06, m, split, 400), reference::<CTurboShake128<0x06>>(m, 400), "{len}");
                assert_eq!(ours(136, 0x07, m, split, 400), reference::<CTurboShake256<0x07>>(m, 400), "{len}");
                assert_eq!(ours(136, 0x7f, m, split, 400), reference::<CTurboShake256<0x7f>>(m, 400), "{len}");
            }
        }
    }

    #[test]
    fn sp800_185_encodings() {
        assert_eq!(collect(|g| left_encode(0, |e| g(e))), [1, 0]);
        assert_eq!(collect(|g| left_encode(168, |e| g(e))), [1, 168]);
        assert_eq!(collect(|g| left_encode(256, |e| g(e))), [2, 1, 0]);
        assert_eq!(collect(|g| right_encode(0, |e| g(e))), [0, 1]);
        assert_eq!(collect(|g| right_encode(512, |e| g(e))), [2, 0, 2]);
    }
}
