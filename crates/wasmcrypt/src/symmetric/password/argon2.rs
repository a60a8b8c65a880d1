//! Argon2 version 1.3 (RFC 9106) over a caller-provided byte slice of scratch memory.
//!
//! The memory matrix lives in the slice (the guest's memory), one 1024-byte block after another,
//! lane by lane, with 64-bit words in little-endian order; the slice needs no alignment. The host
//! keeps only a few blocks of its own, whatever the memory size.

use blake2b_simd::Params;

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

/// Computes the tag into `out` (4 bytes or longer). The memory size `m` is the scratch length in
/// KiB, which the caller has checked to be at least `8 p`.
pub(crate) fn hash(inputs: &Inputs<'_>, scratch: &mut [u8], out: &mut [u8]) {
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
    for pass in 0..inputs.passes {
        for slice in 0..SLICES {
            for lane in 0..lanes {
                matrix.fill_segment(memory, pass, slice, lane);
            }
        }
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
    /// Computes one segment: the blocks of `lane` in `slice` of `pass`.
    fn fill_segment(&self, memory: &mut [u8], pass: u32, slice: usize, lane: usize) {
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
                    next_addresses(&input, &mut addresses);
                }
                addresses[index % WORDS]
            } else {
                prev[0]
            };
            let ref_lane = if pass == 0 && slice == 0 { lane } else { ((random >> 32) as usize) % self.lanes };
            let ref_column = self.reference_column(pass, slice, index, ref_lane == lane, random as u32);
            let reference = load(memory, ref_lane * self.lane_len + ref_column);
            let mut next = compress(&prev, &reference);
            let current = lane_start + column;
            if pass > 0 {
                xor_load(&mut next, memory, current);
            }
            store(memory, current, &next);
            prev = next;
        }
    }

    /// The column of the reference block (RFC 9106, section 3.4.2), from J1.
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
fn next_addresses(input: &Block, out: &mut Block) {
    let zero = [0u64; WORDS];
    let first = compress(&zero, input);
    *out = compress(&zero, &first);
}

fn load(memory: &[u8], index: usize) -> Block {
    let mut block = [0u64; WORDS];
    let bytes = &memory[index * BLOCK_LEN..(index + 1) * BLOCK_LEN];
    for (word, chunk) in block.iter_mut().zip(bytes.chunks_exact(8)) {
        *word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
    }
    block
}

fn xor_load(block: &mut Block, memory: &[u8], index: usize) {
    let bytes = &memory[index * BLOCK_LEN..(index + 1) * BLOCK_LEN];
    for (word, chunk) in block.iter_mut().zip(bytes.chunks_exact(8)) {
        *word ^= u64::from_le_bytes(chunk.try_into().unwrap_or_default());
    }
}

fn store(memory: &mut [u8], index: usize, block: &Block) {
    let bytes = &mut memory[index * BLOCK_LEN..(index + 1) * BLOCK_LEN];
    for (chunk, word) in bytes.chunks_exact_mut(8).zip(block.iter()) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
}

/// The compression function G (RFC 9106, section 3.5): P over the rows, then the columns, of
/// X ⊕ Y, XORed with X ⊕ Y.
fn compress(x: &Block, y: &Block) -> Block {
    let mut r = [0u64; WORDS];
    for ((r, x), y) in r.iter_mut().zip(x).zip(y) {
        *r = x ^ y;
    }
    let mut q = r;
    for row in 0..8 {
        let mut v = [0u64; 16];
        v.copy_from_slice(&q[16 * row..16 * row + 16]);
        permute(&mut v);
        q[16 * row..16 * row + 16].copy_from_slice(&v);
    }
    for column in 0..8 {
        let mut v = [0u64; 16];
        for i in 0..8 {
            v[2 * i] = q[16 * i + 2 * column];
            v[2 * i + 1] = q[16 * i + 2 * column + 1];
        }
        permute(&mut v);
        for i in 0..8 {
            q[16 * i + 2 * column] = v[2 * i];
            q[16 * i + 2 * column + 1] = v[2 * i + 1];
        }
    }
    for (q, r) in q.iter_mut().zip(r.iter()) {
        *q ^= r;
    }
    q
}

/// The permutation P: one BLAKE2b round with the multiplications of BlaMka, on 16 words.
fn permute(v: &mut [u64; 16]) {
    gb(v, 0, 4, 8, 12);
    gb(v, 1, 5, 9, 13);
    gb(v, 2, 6, 10, 14);
    gb(v, 3, 7, 11, 15);
    gb(v, 0, 5, 10, 15);
    gb(v, 1, 6, 11, 12);
    gb(v, 2, 7, 8, 13);
    gb(v, 3, 4, 9, 14);
}

/// a + b + 2 · lo(a) · lo(b), modulo 2^64.
fn blamka(a: u64, b: u64) -> u64 {
    let product = (a & 0xFFFF_FFFF).wrapping_mul(b & 0xFFFF_FFFF);
    a.wrapping_add(b).wrapping_add(product.wrapping_mul(2))
}

fn gb(v: &mut [u64; 16], a: usize, b: usize, c: usize, d: usize) {
    v[a] = blamka(v[a], v[b]);
    v[d] = (v[d] ^ v[a]).rotate_right(32);
    v[c] = blamka(v[c], v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(24);
    v[a] = blamka(v[a], v[b]);
    v[d] = (v[d] ^ v[a]).rotate_right(16);
    v[c] = blamka(v[c], v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(63);
}
