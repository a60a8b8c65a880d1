//! scrypt (RFC 7914) whose large vector V lives in a caller-provided byte slice (the guest's
//! memory). The host keeps `p · 128 · r` bytes for B and two `128 · r`-byte blocks; states use
//! r = 8, so that is at most 255 KiB and 2 KiB.

use pbkdf2::pbkdf2_hmac;
use sha2::Sha256;
use zeroize::Zeroizing;

/// The block size parameter r this host uses: 8, the usual value (libsodium's and the scrypt
/// paper's).
pub(crate) const BLOCK_SIZE: u32 = 8;

/// The scratch bytes ROMix needs for N = 2^`log_n` and `r`: N · 128 · r, if that fits a `usize`.
pub(crate) fn scratch_len(log_n: u32, r: u32) -> Option<usize> {
    1usize.checked_shl(log_n)?.checked_mul(128)?.checked_mul(r as usize)
}

/// Derives `out` from the password and salt with N = 2^`log_n`, `r` and `p` (all at least 1).
/// `scratch` holds at least [`scratch_len`] bytes (checked by the caller).
pub(crate) fn hash(password: &[u8], salt: &[u8], log_n: u32, r: u32, p: u32, scratch: &mut [u8], out: &mut [u8]) {
    let block_bytes = 128 * r as usize;
    let mut b = Zeroizing::new(vec![0u8; p as usize * block_bytes]);
    pbkdf2_hmac::<Sha256>(password, salt, 1, &mut b);
    let n = 1usize << log_n;
    let v = &mut scratch[..n * block_bytes];
    for chunk in b.chunks_exact_mut(block_bytes) {
        ro_mix(chunk, n, v);
    }
    pbkdf2_hmac::<Sha256>(password, &b, 1, out);
}

/// scryptROMix in place on one block `b` (128 · r bytes), with V in `v`.
fn ro_mix(b: &mut [u8], n: usize, v: &mut [u8]) {
    let block_bytes = b.len();
    let words = block_bytes / 4;
    let mut x = Zeroizing::new(vec![0u32; words]);
    for (word, chunk) in x.iter_mut().zip(b.chunks_exact(4)) {
        *word = u32::from_le_bytes(chunk.try_into().unwrap_or_default());
    }
    let mut t = Zeroizing::new(vec![0u32; words]);
    for entry in v.chunks_exact_mut(block_bytes) {
        for (chunk, word) in entry.chunks_exact_mut(4).zip(x.iter()) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        block_mix(&x, &mut t);
        std::mem::swap(&mut x, &mut t);
    }
    for _ in 0..n {
        // Integerify: the first word of the last 64-byte block; N is a power of two.
        let j = (u64::from(x[words - 16]) | (u64::from(x[words - 15]) << 32)) as usize & (n - 1);
        let entry = &v[j * block_bytes..(j + 1) * block_bytes];
        for (word, chunk) in x.iter_mut().zip(entry.chunks_exact(4)) {
            *word ^= u32::from_le_bytes(chunk.try_into().unwrap_or_default());
        }
        block_mix(&x, &mut t);
        std::mem::swap(&mut x, &mut t);
    }
    for (chunk, word) in b.chunks_exact_mut(4).zip(x.iter()) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
}

/// scryptBlockMix: `out` = the even Salsa20/8 outputs, then the odd ones.
fn block_mix(input: &[u32], out: &mut [u32]) {
    let blocks = input.len() / 16;
    let r = blocks / 2;
    let mut x = [0u32; 16];
    x.copy_from_slice(&input[input.len() - 16..]);
    for i in 0..blocks {
        for (x, b) in x.iter_mut().zip(&input[16 * i..16 * i + 16]) {
            *x ^= b;
        }
        salsa20_8(&mut x);
        let target = (i / 2) + (i % 2) * r;
        out[16 * target..16 * target + 16].copy_from_slice(&x);
    }
}

/// The Salsa20/8 core (RFC 7914, section 3): four double rounds, plus the input.
fn salsa20_8(b: &mut [u32; 16]) {
    let mut x = *b;
    for _ in 0..4 {
        quarter(&mut x, 4, 0, 12, 8);
        quarter(&mut x, 9, 5, 1, 13);
        quarter(&mut x, 14, 10, 6, 2);
        quarter(&mut x, 3, 15, 11, 7);
        quarter(&mut x, 1, 0, 3, 2);
        quarter(&mut x, 6, 5, 4, 7);
        quarter(&mut x, 11, 10, 9, 8);
        quarter(&mut x, 12, 15, 14, 13);
    }
    for (b, x) in b.iter_mut().zip(x) {
        *b = b.wrapping_add(x);
    }
}

/// Salsa20's quarter round: x[b] ^= (x[a] + x[d]) <<< 7, and so on, as written in RFC 7914.
fn quarter(x: &mut [u32; 16], b: usize, a: usize, d: usize, c: usize) {
    x[b] ^= x[a].wrapping_add(x[d]).rotate_left(7);
    x[c] ^= x[b].wrapping_add(x[a]).rotate_left(9);
    x[d] ^= x[c].wrapping_add(x[b]).rotate_left(13);
    x[a] ^= x[d].wrapping_add(x[c]).rotate_left(18);
}
