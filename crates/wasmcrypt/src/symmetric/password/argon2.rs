//! Argon2 version 1.3 (RFC 9106) over a caller-provided byte slice of scratch memory.
//!
//! The memory matrix lives in the slice (the guest's memory), one 1024-byte block after another,
//! lane by lane, with 64-bit words in little-endian order; the slice needs no alignment. The host
//! keeps only a few blocks of its own, whatever the memory size.
//!
//! Speed: the compression G is written over arrays of 4 or 8 lanes (`[u64; W]`), which the
//! compiler maps onto vector registers, and the whole filling loop is compiled twice more, with
//! AVX2 and with AVX-512 enabled; [`Isa::detect`] picks the copy the CPU runs at run time (the
//! `fearless_simd` crate holds the `unsafe` of calling a function with target features).

use blake2b_simd::Params;
#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
use fearless_simd::Simd;

/// The Argon2 variants (RFC 9106, section 3.1: the type `y`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// Argon2d: data-dependent addressing.
    D = 0,
    /// Argon2i: data-independent addressing.
    I = 1,
    /// Argon2id: data-independent for the first half of the first pass.
    Id = 2,
}

impl Variant {
    /// The PHC string identifier.
    pub(crate) fn phc_id(self) -> &'static str {
        match self {
            Self::D => "argon2d",
            Self::I => "argon2i",
            Self::Id => "argon2id",
        }
    }
}

/// The version number `v`: 0x13.
pub(crate) const VERSION: u32 = 0x13;
/// The size of a block in bytes.
pub(crate) const BLOCK_LEN: usize = 1024;
/// The number of 64-bit words in a block.
const WORDS: usize = BLOCK_LEN / 8;
/// The number of slices (synchronisation points) per pass.
const SLICES: usize = 4;

/// The cost parameters and inputs of one Argon2 computation.
pub(crate) struct Inputs<'a> {
    /// The variant.
    pub variant: Variant,
    /// The number of passes `t` (at least 1).
    pub passes: u32,
    /// The number of lanes `p` (1 to 2^24 - 1).
    pub lanes: u32,
    /// The password `P`.
    pub password: &'a [u8],
    /// The salt `S`.
    pub salt: &'a [u8],
    /// The secret `K`.
    pub secret: &'a [u8],
    /// The associated data `X`.
    pub associated_data: &'a [u8],
}

type Block = [u64; WORDS];

/// The memory size `m` in KiB that a scratch buffer of `len` bytes provides.
pub(crate) fn memory_kib(len: usize) -> u32 {
    u32::try_from(len / BLOCK_LEN).unwrap_or(u32::MAX)
}

/// The instruction set the memory is filled with, detected at run time.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Isa {
    /// The target's baseline: G on 4 lanes at a time.
    Baseline,
    /// AVX2 (x86-64-v3): G on 8 lanes, two 256-bit registers per array.
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    Avx2(fearless_simd::x86::Avx2),
    /// AVX-512 (the Ice Lake set): G on 8 lanes, one 512-bit register per array.
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    Avx512(fearless_simd::x86::Avx512),
}

impl Isa {
    /// The best instruction set this CPU runs.
    pub(crate) fn detect() -> Self {
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        {
            let level = fearless_simd::Level::new();
            if let Some(avx512) = level.as_avx512() {
                return Self::Avx512(avx512);
            }
            if let Some(avx2) = level.as_avx2() {
                return Self::Avx2(avx2);
            }
        }
        Self::Baseline
    }

    /// Every instruction set this CPU runs, best first.
    #[cfg(test)]
    pub(crate) fn available() -> Vec<Self> {
        let mut all = vec![Self::detect()];
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        if let (Self::Avx512(_), Some(avx2)) = (all[0], fearless_simd::Level::new().as_avx2()) {
            all.push(Self::Avx2(avx2));
        }
        if !matches!(all[0], Self::Baseline) {
            all.push(Self::Baseline);
        }
        all
    }
}

/// Computes the tag into `out` (4 bytes or longer). The memory size `m` is the scratch length in
/// KiB, which the caller has checked to be at least `8 p`.
pub(crate) fn hash(inputs: &Inputs<'_>, scratch: &mut [u8], out: &mut [u8]) {
    hash_with(Isa::detect(), inputs, scratch, out);
}

/// [`hash`] with the memory filled by the instruction set `isa`.
pub(crate) fn hash_with(isa: Isa, inputs: &Inputs<'_>, scratch: &mut [u8], out: &mut [u8]) {
    let m = memory_kib(scratch.len());
    let lanes = inputs.lanes as usize;
    // m' = 4 p floor(m / 4p): the blocks actually used.
    let lane_len = (m as usize / (SLICES * lanes)) * SLICES;
    let blocks = lane_len * lanes;
    let memory = &mut scratch[..blocks * BLOCK_LEN];

    let h0 = initial_hash(inputs, m, out.len());
    let mut seed = [0u8; 72];
    seed[..64].copy_from_slice(&h0);
    let mut first = [0u8; BLOCK_LEN];
    for lane in 0..lanes {
        for column in 0..2u32 {
            seed[64..68].copy_from_slice(&column.to_le_bytes());
            seed[68..72].copy_from_slice(&(lane as u32).to_le_bytes());
            variable_hash(&[&seed], &mut first);
            let index = lane * lane_len + column as usize;
            memory[index * BLOCK_LEN..(index + 1) * BLOCK_LEN].copy_from_slice(&first);
        }
    }

    let matrix = Matrix { lanes, lane_len, blocks, passes: inputs.passes, variant: inputs.variant };
    match isa {
        Isa::Baseline => matrix.fill::<4>(memory),
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        Isa::Avx2(avx2) => avx2.vectorize(
            #[inline(always)]
            || matrix.fill::<8>(memory),
        ),
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        Isa::Avx512(avx512) => avx512.vectorize(
            #[inline(always)]
            || matrix.fill::<8>(memory),
        ),
    }

    let mut last = load(memory, lane_len - 1);
    for lane in 1..lanes {
        xor_load(&mut last, memory, lane * lane_len + lane_len - 1);
    }
    let mut bytes = [0u8; BLOCK_LEN];
    for (chunk, word) in bytes.chunks_exact_mut(8).zip(last.iter()) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    variable_hash(&[&bytes], out);
}

/// H0 (RFC 9106, section 3.2, step 1).
fn initial_hash(inputs: &Inputs<'_>, m: u32, tag_len: usize) -> [u8; 64] {
    let mut h = Params::new().hash_length(64).to_state();
    for v in [inputs.lanes, tag_len as u32, m, inputs.passes, VERSION, inputs.variant as u32] {
        h.update(&v.to_le_bytes());
    }
    for field in [inputs.password, inputs.salt, inputs.secret, inputs.associated_data] {
        h.update(&(field.len() as u32).to_le_bytes());
        h.update(field);
    }
    let mut out = [0u8; 64];
    out.copy_from_slice(h.finalize().as_bytes());
    out
}

/// The variable-length hash H' (RFC 9106, section 3.3) of the concatenated `input`.
fn variable_hash(input: &[&[u8]], out: &mut [u8]) {
    let len = (out.len() as u32).to_le_bytes();
    if out.len() <= 64 {
        let mut h = Params::new().hash_length(out.len()).to_state();
        h.update(&len);
        input.iter().for_each(|part| {
            h.update(part);
        });
        out.copy_from_slice(h.finalize().as_bytes());
        return;
    }
    let mut h = Params::new().hash_length(64).to_state();
    h.update(&len);
    input.iter().for_each(|part| {
        h.update(part);
    });
    let mut v = h.finalize();
    // r = ceil(T / 32) - 2 blocks of 32 bytes, then V_{r+1} of T - 32 r bytes.
    let r = out.len().div_ceil(32) - 2;
    for i in 0..r {
        out[i * 32..(i + 1) * 32].copy_from_slice(&v.as_bytes()[..32]);
        let rest = out.len() - 32 * (i + 1);
        if i + 1 < r {
            v = Params::new().hash_length(64).hash(v.as_bytes());
        } else {
            v = Params::new().hash_length(rest).hash(v.as_bytes());
        }
    }
    out[32 * r..].copy_from_slice(v.as_bytes());
}

/// The shape of the memory matrix.
struct Matrix {
    lanes: usize,
    lane_len: usize,
    blocks: usize,
    passes: u32,
    variant: Variant,
}

impl Matrix {
    /// Fills the memory: every pass, slice by slice, lane by lane, with G on `W` lanes at a time.
    /// Everything down to G is inlined, so that it is compiled with the caller's target features.
    #[inline(always)]
    fn fill<const W: usize>(&self, memory: &mut [u8]) {
        for pass in 0..self.passes {
            for slice in 0..SLICES {
                for lane in 0..self.lanes {
                    self.fill_segment::<W>(memory, pass, slice, lane);
                }
            }
        }
    }

    /// Computes one segment: the blocks of `lane` in `slice` of `pass`.
    #[inline(always)]
    fn fill_segment<const W: usize>(&self, memory: &mut [u8], pass: u32, slice: usize, lane: usize) {
        let segment_len = self.lane_len / SLICES;
        let independent = match self.variant {
            Variant::I => true,
            Variant::D => false,
            Variant::Id => pass == 0 && slice < SLICES / 2,
        };
        let mut input: Block = [0; WORDS];
        let mut addresses: Block = [0; WORDS];
        if independent {
            input[..6].copy_from_slice(&[
                u64::from(pass),
                lane as u64,
                slice as u64,
                self.blocks as u64,
                u64::from(self.passes),
                self.variant as u64,
            ]);
        }
        let start = if pass == 0 && slice == 0 { 2 } else { 0 };
        let lane_start = lane * self.lane_len;
        let first = slice * segment_len + start;
        let mut prev = load(memory, lane_start + if first == 0 { self.lane_len - 1 } else { first - 1 });
        for index in start..segment_len {
            let column = slice * segment_len + index;
            let random = if independent {
                if index % WORDS == 0 || index == start {
                    input[6] += 1;
                    next_addresses::<W>(&input, &mut addresses);
                }
                addresses[index % WORDS]
            } else {
                prev[0]
            };
            let ref_lane = if pass == 0 && slice == 0 { lane } else { ((random >> 32) as usize) % self.lanes };
            let ref_column = self.reference_column(pass, slice, index, ref_lane == lane, random as u32);
            let reference = load(memory, ref_lane * self.lane_len + ref_column);
            let mut next = compress::<W>(&prev, &reference);
            let current = lane_start + column;
            if pass > 0 {
                xor_load(&mut next, memory, current);
            }
            store(memory, current, &next);
            prev = next;
        }
    }

    /// The column of the reference block (RFC 9106, section 3.4.2), from J1.
    #[inline(always)]
    fn reference_column(&self, pass: u32, slice: usize, index: usize, same_lane: bool, j1: u32) -> usize {
        let segment_len = self.lane_len / SLICES;
        let finished = if pass == 0 { slice * segment_len } else { self.lane_len - segment_len };
        let area = if same_lane {
            finished + index - 1
        } else if index == 0 {
            finished - 1
        } else {
            finished
        } as u64;
        let x = (u64::from(j1) * u64::from(j1)) >> 32;
        let y = (area * x) >> 32;
        let relative = (area - 1 - y) as usize;
        let start = if pass == 0 || slice == SLICES - 1 { 0 } else { (slice + 1) * segment_len };
        (start + relative) % self.lane_len
    }
}

/// The next block of pseudo-random addresses: G(0, G(0, input)).
#[inline(always)]
fn next_addresses<const W: usize>(input: &Block, out: &mut Block) {
    let zero = [0u64; WORDS];
    let first = compress::<W>(&zero, input);
    *out = compress::<W>(&zero, &first);
}

#[inline(always)]
fn load(memory: &[u8], index: usize) -> Block {
    let mut block = [0u64; WORDS];
    let bytes = &memory[index * BLOCK_LEN..(index + 1) * BLOCK_LEN];
    for (word, chunk) in block.iter_mut().zip(bytes.chunks_exact(8)) {
        *word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
    }
    block
}

#[inline(always)]
fn xor_load(block: &mut Block, memory: &[u8], index: usize) {
    let bytes = &memory[index * BLOCK_LEN..(index + 1) * BLOCK_LEN];
    for (word, chunk) in block.iter_mut().zip(bytes.chunks_exact(8)) {
        *word ^= u64::from_le_bytes(chunk.try_into().unwrap_or_default());
    }
}

#[inline(always)]
fn store(memory: &mut [u8], index: usize, block: &Block) {
    let bytes = &mut memory[index * BLOCK_LEN..(index + 1) * BLOCK_LEN];
    for (chunk, word) in bytes.chunks_exact_mut(8).zip(block.iter()) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
}

/// The compression function G (RFC 9106, section 3.5): P over the rows, then the columns, of
/// R = X ⊕ Y, XORed with R. P works on `W` lanes (4 or 8) at once: `W / 4` rows, then `W / 2`
/// columns, each a BLAKE2b round on four `[u64; W]` arrays.
///
/// A row is the 16 words `v0..v15` of a 128-byte slice; its round is G on (v0, v4, v8, v12) …
/// (v3, v7, v11, v15), then on the diagonals, which rotating the lanes of b, c and d lines up.
/// A column is the 8 pairs of words at the same offset in each row (`v2k, v2k+1` from row k); four
/// words at that offset in row k hold two columns' pair k, so G's first half is lane-wise on rows
/// (0, 2, 4, 6) and (1, 3, 5, 7), and its diagonals take each pair's words from two rows.
#[inline(always)]
fn compress<const W: usize>(x: &Block, y: &Block) -> Block {
    const { assert!(W == 4 || W == 8) };
    let mut r = [0u64; WORDS];
    for ((r, x), y) in r.iter_mut().zip(x).zip(y) {
        *r = x ^ y;
    }
    let mut q = r;
    let rows = W / 4;
    for group in 0..8 / rows {
        let mut v = [[0u64; W]; 4];
        for (quarter, v) in v.iter_mut().enumerate() {
            for (row, lanes) in v.chunks_exact_mut(4).enumerate() {
                let at = 16 * (rows * group + row) + 4 * quarter;
                lanes.copy_from_slice(&q[at..at + 4]);
            }
        }
        let [mut a, mut b, mut c, mut d] = v;
        gb(&mut a, &mut b, &mut c, &mut d);
        rotate_lanes(&mut b, 1);
        rotate_lanes(&mut c, 2);
        rotate_lanes(&mut d, 3);
        gb(&mut a, &mut b, &mut c, &mut d);
        rotate_lanes(&mut b, 3);
        rotate_lanes(&mut c, 2);
        rotate_lanes(&mut d, 1);
        for (quarter, v) in [a, b, c, d].iter().enumerate() {
            for (row, lanes) in v.chunks_exact(4).enumerate() {
                let at = 16 * (rows * group + row) + 4 * quarter;
                q[at..at + 4].copy_from_slice(lanes);
            }
        }
    }
    for group in 0..16 / W {
        let mut v = [[0u64; W]; 8];
        for (row, v) in v.iter_mut().enumerate() {
            v.copy_from_slice(&q[16 * row + W * group..16 * row + W * (group + 1)]);
        }
        let [mut r0, mut r1, mut r2, mut r3, mut r4, mut r5, mut r6, mut r7] = v;
        gb(&mut r0, &mut r2, &mut r4, &mut r6);
        gb(&mut r1, &mut r3, &mut r5, &mut r7);
        // The diagonals: G(v0, v5, v10, v15) and G(v1, v6, v11, v12) on rows 0, 2|3, 5, 7|6;
        // G(v2, v7, v8, v13) and G(v3, v4, v9, v14) on rows 1, 3|2, 4, 6|7.
        let (mut b0, mut d0, mut b1, mut d1) = ([0u64; W], [0u64; W], [0u64; W], [0u64; W]);
        for pair in 0..W / 2 {
            let (even, odd) = (2 * pair, 2 * pair + 1);
            (b0[even], b0[odd], d0[even], d0[odd]) = (r2[odd], r3[even], r7[odd], r6[even]);
            (b1[even], b1[odd], d1[even], d1[odd]) = (r3[odd], r2[even], r6[odd], r7[even]);
        }
        gb(&mut r0, &mut b0, &mut r5, &mut d0);
        gb(&mut r1, &mut b1, &mut r4, &mut d1);
        for pair in 0..W / 2 {
            let (even, odd) = (2 * pair, 2 * pair + 1);
            (r2[odd], r3[even], r7[odd], r6[even]) = (b0[even], b0[odd], d0[even], d0[odd]);
            (r3[odd], r2[even], r6[odd], r7[even]) = (b1[even], b1[odd], d1[even], d1[odd]);
        }
        for (row, v) in [r0, r1, r2, r3, r4, r5, r6, r7].iter().enumerate() {
            q[16 * row + W * group..16 * row + W * (group + 1)].copy_from_slice(v);
        }
    }
    for (q, r) in q.iter_mut().zip(r.iter()) {
        *q ^= r;
    }
    q
}

/// Rotates each group of 4 lanes left by `n` lanes.
#[inline(always)]
fn rotate_lanes<const W: usize>(v: &mut [u64; W], n: usize) {
    let old = *v;
    for (i, lane) in v.iter_mut().enumerate() {
        *lane = old[i / 4 * 4 + (i + n) % 4];
    }
}

/// G of BLAKE2b with the multiplications of BlaMka, lane by lane. (Indexing the four arrays in
/// one loop, rather than zipping their iterators or one loop per operation, is what LLVM turns
/// into whole-register operations.)
#[inline(always)]
#[allow(clippy::needless_range_loop)]
fn gb<const W: usize>(a: &mut [u64; W], b: &mut [u64; W], c: &mut [u64; W], d: &mut [u64; W]) {
    for i in 0..W {
        a[i] = blamka::<W>(a[i], b[i]);
        d[i] = (d[i] ^ a[i]).rotate_right(32);
        c[i] = blamka::<W>(c[i], d[i]);
        b[i] = (b[i] ^ c[i]).rotate_right(24);
        a[i] = blamka::<W>(a[i], b[i]);
        d[i] = (d[i] ^ a[i]).rotate_right(16);
        c[i] = blamka::<W>(c[i], d[i]);
        b[i] = (b[i] ^ c[i]).rotate_right(63);
    }
}

/// a + b + 2 · lo(a) · lo(b), modulo 2^64, in the form that suits `W`-lane code.
///
/// On 8 lanes (the AVX2 and AVX-512 copies) the doubling is a rotation whose wrapped-around bit
/// is cleared again: written as a shift or a sum, LLVM folds the 2 into an operand of the product,
/// which then no longer fits 32 bits, and with AVX-512 emits a slow 64-bit multiplication
/// (`vpmullq`) instead of the 32 × 32-bit one (`vpmuludq`). On 4 lanes (the baseline build,
/// where a 64-bit rotation costs two shifts and an or) it is the plain sum.
#[inline(always)]
fn blamka<const W: usize>(a: u64, b: u64) -> u64 {
    let product = (a & 0xFFFF_FFFF).wrapping_mul(b & 0xFFFF_FFFF);
    let doubled = if W == 8 { product.rotate_left(1) ^ (product >> 63) } else { product.wrapping_mul(2) };
    a.wrapping_add(b).wrapping_add(doubled)
}
