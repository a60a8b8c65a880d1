//! Xoodyak: the Cyclist mode of operation over the `Xoodoo[12]` permutation.
//!
//! Written from the Xoodyak specification (Daemen, Hoffert, Peeters, Van Assche, Van Keer; NIST
//! lightweight cryptography finalist). The 384-bit state is kept as 48 bytes; the permutation
//! reads them as twelve little-endian 32-bit lanes, lane `4 * y + x` being lane `x` of plane `y`,
//! as in the specification.

use crate::error::{CryptoError, Result};
use zeroize::Zeroize;

/// Absorb and squeeze rate in hash mode, in bytes.
const R_HASH: usize = 16;
/// Absorb rate in keyed mode, in bytes.
const R_KIN: usize = 44;
/// Squeeze (and encrypt) rate in keyed mode, in bytes.
const R_KOUT: usize = 24;
/// Bytes the ratchet erases.
const L_RATCHET: usize = 16;

/// Color `Cd` of the Down call that absorbs the key.
const CD_ABSORB_KEY: u8 = 0x02;
/// Color `Cd` of the first Down call of an Absorb.
const CD_ABSORB: u8 = 0x03;
/// Color `Cu` of the Up call that starts a Ratchet.
const CU_RATCHET: u8 = 0x10;
/// Color `Cu` of the Up call that starts a `SqueezeKey`.
const CU_SQUEEZE_KEY: u8 = 0x20;
/// Color `Cu` of the Up call that starts a Squeeze.
const CU_SQUEEZE: u8 = 0x40;
/// Color `Cu` of the Up call that starts an Encrypt or Decrypt.
const CU_CRYPT: u8 = 0x80;

/// Round constants of `Xoodoo[12]`, rounds -11 to 0.
const ROUND_CONSTANTS: [u32; 12] = [0x058, 0x038, 0x3c0, 0x0d0, 0x120, 0x014, 0x060, 0x02c, 0x380, 0x0f0, 0x1a0, 0x012];

/// Whether the last call on the state was an Up (permutation) or a Down (input).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// The last call was Up: the state was just permuted.
    Up,
    /// The last call was Down: input was just added.
    Down,
}

/// Cyclist mode: hash (no key) or keyed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Cyclist(ε, ε, ε): rates of `R_HASH` bytes, only the lowest bit of `Cd` is used.
    Hash,
    /// Cyclist(K, ID, counter): rates of `R_KIN` / `R_KOUT` bytes, full colors.
    Keyed,
}

/// Cyclist over `Xoodoo[12]`, in hash mode or keyed mode.
#[derive(Clone)]
pub(crate) struct Xoodyak {
    /// The 48-byte Xoodoo state.
    state: [u8; 48],
    /// The phase of the Cyclist object.
    phase: Phase,
    /// The mode, which fixes the rates: `R_HASH` both ways in hash mode, `R_KIN` / `R_KOUT` keyed.
    mode: Mode,
}

impl Xoodyak {
    /// A fresh Cyclist object in hash mode: Cyclist(ε, ε, ε).
    pub(crate) fn hash() -> Self {
        Self { state: [0; 48], phase: Phase::Up, mode: Mode::Hash }
    }

    /// A Cyclist object in keyed mode: Cyclist(K, ID, counter).
    ///
    /// Fails with `InvalidKey` if the key is empty or if `|K| + |ID| + 1` exceeds `R_KIN` (44).
    pub(crate) fn keyed(key: &[u8], id: &[u8], counter: &[u8]) -> Result<Self> {
        let kid_len = key.len().saturating_add(id.len());
        if key.is_empty() || kid_len >= R_KIN {
            return Err(CryptoError::InvalidKey);
        }
        let mut xoodyak = Self { state: [0; 48], phase: Phase::Up, mode: Mode::Keyed };
        // AbsorbKey: AbsorbAny(K || ID || enc8(|ID|), R_KIN, 0x02). The string fits one block and
        // the phase is Up, so this is a single Down; the key goes straight into the state.
        xoodyak.add_bytes(0, key);
        xoodyak.add_bytes(key.len(), id);
        xoodyak.state[kid_len] ^= id.len() as u8;
        xoodyak.finish_down(kid_len + 1, CD_ABSORB_KEY);
        if !counter.is_empty() {
            xoodyak.absorb_any(counter, 1, 0x00);
        }
        Ok(xoodyak)
    }

    /// Whether the object is in keyed mode.
    pub(crate) fn is_keyed(&self) -> bool {
        self.mode == Mode::Keyed
    }

    /// Cyclist Absorb(X). An empty input still absorbs one empty block.
    pub(crate) fn absorb(&mut self, data: &[u8]) {
        self.absorb_any(data, self.absorb_rate(), CD_ABSORB);
    }

    /// Cyclist Squeeze(ℓ) with ℓ = `out.len()`.
    pub(crate) fn squeeze(&mut self, out: &mut [u8]) {
        self.squeeze_any(out, CU_SQUEEZE);
    }

    /// Cyclist SqueezeKey(ℓ) with ℓ = `out.len()`; keyed mode only.
    pub(crate) fn squeeze_key(&mut self, out: &mut [u8]) -> Result<()> {
        self.require_keyed()?;
        self.squeeze_any(out, CU_SQUEEZE_KEY);
        Ok(())
    }

    /// Cyclist Encrypt(P), in place: `buf` holds P on entry and C on return. Keyed mode only.
    pub(crate) fn encrypt_in_place(&mut self, buf: &mut [u8]) -> Result<()> {
        self.require_keyed()?;
        self.crypt(buf, false);
        Ok(())
    }

    /// Cyclist Decrypt(C), in place: `buf` holds C on entry and P on return. Keyed mode only.
    pub(crate) fn decrypt_in_place(&mut self, buf: &mut [u8]) -> Result<()> {
        self.require_keyed()?;
        self.crypt(buf, true);
        Ok(())
    }

    /// Cyclist `Ratchet()`; keyed mode only.
    pub(crate) fn ratchet(&mut self) -> Result<()> {
        self.require_keyed()?;
        // Ratchet is SqueezeAny(L_RATCHET, 0x10) then AbsorbAny(those bytes, R_KIN, 0x00). After
        // the squeeze the phase is Up, so the absorb is one Down that adds the first L_RATCHET
        // state bytes to themselves: it zeroes them. Doing that directly keeps no copy of them.
        self.up(CU_RATCHET);
        self.state[..L_RATCHET].fill(0);
        self.finish_down(L_RATCHET, 0x00);
        Ok(())
    }

    /// `InvalidOperation` unless the object is in keyed mode.
    fn require_keyed(&self) -> Result<()> {
        if self.is_keyed() { Ok(()) } else { Err(CryptoError::InvalidOperation) }
    }

    /// `R_absorb` of the current mode.
    fn absorb_rate(&self) -> usize {
        match self.mode {
            Mode::Hash => R_HASH,
            Mode::Keyed => R_KIN,
        }
    }

    /// `R_squeeze` of the current mode.
    fn squeeze_rate(&self) -> usize {
        match self.mode {
            Mode::Hash => R_HASH,
            Mode::Keyed => R_KOUT,
        }
    }

    /// AbsorbAny(X, r, Cd): blocks of at most `rate` bytes, at least one (possibly empty).
    fn absorb_any(&mut self, data: &[u8], rate: usize, mut cd: u8) {
        let mut rest = data;
        loop {
            let (block, tail) = rest.split_at(rest.len().min(rate));
            if self.phase != Phase::Up {
                self.up(0x00);
            }
            self.add_bytes(0, block);
            self.finish_down(block.len(), cd);
            cd = 0x00;
            rest = tail;
            if rest.is_empty() {
                break;
            }
        }
    }

    /// SqueezeAny(ℓ, Cu) into `out`: one Up(Cu) even for ℓ = 0, then Down(ε, 0) and Up(0) per
    /// further block of `R_squeeze` bytes.
    fn squeeze_any(&mut self, out: &mut [u8], cu: u8) {
        let rate = self.squeeze_rate();
        self.up(cu);
        for (i, block) in out.chunks_mut(rate).enumerate() {
            if i > 0 {
                self.finish_down(0, 0x00);
                self.up(0x00);
            }
            self.extract_bytes(block);
        }
    }

    /// Crypt(I, decrypt) in place, over blocks of `R_KOUT` bytes, at least one (possibly empty).
    ///
    /// Each block is Up(Cu), O = I ⊕ Y, then Down(P). Adding P to the squeezed bytes Y gives the
    /// ciphertext in both directions, so the state takes the ciphertext bytes and no copy of the
    /// plaintext is needed.
    fn crypt(&mut self, buf: &mut [u8], decrypt: bool) {
        let mut cu = CU_CRYPT;
        let mut rest = buf;
        loop {
            let n = rest.len().min(R_KOUT);
            let (block, tail) = std::mem::take(&mut rest).split_at_mut(n);
            self.up(cu);
            cu = 0x00;
            for (io, s) in block.iter_mut().zip(&mut self.state) {
                let out = *io ^ *s;
                *s = if decrypt { *io } else { out };
                *io = out;
            }
            self.finish_down(n, 0x00);
            rest = tail;
            if rest.is_empty() {
                break;
            }
        }
    }

    /// Up(Cu): add `Cu` to the last byte (keyed mode only) and apply `Xoodoo[12]`.
    fn up(&mut self, cu: u8) {
        if self.mode == Mode::Keyed {
            self.state[47] ^= cu;
        }
        xoodoo(&mut self.state);
        self.phase = Phase::Up;
    }

    /// The end of Down(X, Cd) once the `len` bytes of X are added: the padding byte 0x01 after X,
    /// and `Cd` (only its lowest bit in hash mode) in the last byte.
    fn finish_down(&mut self, len: usize, cd: u8) {
        self.state[len] ^= 0x01;
        self.state[47] ^= if self.mode == Mode::Hash { cd & 0x01 } else { cd };
        self.phase = Phase::Down;
    }

    /// Adds `bytes` to the state from byte `offset` on (`offset + bytes.len() <= 48`).
    fn add_bytes(&mut self, offset: usize, bytes: &[u8]) {
        for (s, b) in self.state[offset..].iter_mut().zip(bytes) {
            *s ^= b;
        }
    }

    /// Copies the first `out.len()` (at most 48) state bytes into `out`.
    fn extract_bytes(&self, out: &mut [u8]) {
        for (o, s) in out.iter_mut().zip(&self.state) {
            *o = *s;
        }
    }
}

impl Drop for Xoodyak {
    /// Wipes the state.
    fn drop(&mut self) {
        self.state.zeroize();
    }
}

/// The `Xoodoo[12]` permutation on the 48-byte state.
fn xoodoo(state: &mut [u8; 48]) {
    let mut a: [u32; 12] = std::array::from_fn(|i| {
        let b = &state[4 * i..4 * i + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    });
    for rc in ROUND_CONSTANTS {
        round(&mut a, rc);
    }
    for (bytes, lane) in state.chunks_exact_mut(4).zip(a) {
        bytes.copy_from_slice(&lane.to_le_bytes());
    }
}

/// One Xoodoo round: θ, `ρ_west`, ι, χ, `ρ_east`.
fn round(a: &mut [u32; 12], rc: u32) {
    use std::array::from_fn;
    // θ: with the column parity P = A0 + A1 + A2, add E = P <<< (1, 5) + P <<< (1, 14) to every
    // plane.
    let p: [u32; 4] = from_fn(|x| a[x] ^ a[4 + x] ^ a[8 + x]);
    let e: [u32; 4] = from_fn(|x| {
        let p = p[(x + 3) % 4];
        p.rotate_left(5) ^ p.rotate_left(14)
    });
    // ρ_west: A1 <<< (1, 0), A2 <<< (0, 11); then ι on lane (0, 0).
    let mut b0: [u32; 4] = from_fn(|x| a[x] ^ e[x]);
    let b1: [u32; 4] = from_fn(|x| {
        let x = (x + 3) % 4;
        a[4 + x] ^ e[x]
    });
    let b2: [u32; 4] = from_fn(|x| (a[8 + x] ^ e[x]).rotate_left(11));
    b0[0] ^= rc;
    // χ: Ay += ~A(y+1) & A(y+2); then ρ_east: A1 <<< (0, 1), A2 <<< (2, 8).
    for x in 0..4 {
        a[x] = b0[x] ^ (!b1[x] & b2[x]);
        a[4 + x] = (b1[x] ^ (!b2[x] & b0[x])).rotate_left(1);
        a[8 + (x + 2) % 4] = (b2[x] ^ (!b0[x] & b1[x])).rotate_left(8);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes a hex string (no separators).
    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    /// The bytes 00 01 02 ... of the given length, as the NIST LWC KAT files use them.
    fn seq(len: usize) -> Vec<u8> {
        (0..len).map(|i| i as u8).collect()
    }

    /// Absorb(M) then Squeeze(32) in hash mode.
    fn hash32(msg: &[u8]) -> [u8; 32] {
        let mut x = Xoodyak::hash();
        x.absorb(msg);
        let mut md = [0u8; 32];
        x.squeeze(&mut md);
        md
    }

    /// Xoodyak hash, NIST LWC_HASH_KAT_256 (Msg = 00 01 .. len-1, MD = 32 bytes); the hash mode
    /// is the same in every round of the submission.
    #[test]
    fn hash_lwc_kat_256() {
        let kats: [(usize, &str); 14] = [
            (0, "EA152F2B47BCE24EFB66C479D4ADF17BD324D806E85FF75EE369EE50DC8F8BD1"),
            (1, "27921F8DDF392894460B70B3ED6C091E6421B7D2147DCD6031D7EFEBAD3030CC"),
            (2, "DD3F12E89DB41C61D3C05779705FA946A8C69C79EEFDC1B4A966A5F1AB35073D"),
            (3, "72ABD350DC287E8C4B95DD37BD796D79F90026C1BD4E0D99D2117BAAB26BC2CA"),
            (15, "DB4C9CFE9D385D8CA329E27AEB495A0816C1AB051A57C231A134082661D71BED"),
            (16, "9EA695347CDDDFF9BC63ECE30FE231441D581768FE223DD6BD7367094FD216B3"),
            (17, "20593B39BB6D595019331601244411323F713085BB1A30218C972B96D9B7B7B3"),
            (32, "CEBE4AFF9EAC2218017DDA5F8207BA830E989187256539BD7D31AE5E94FF0C6E"),
            (33, "249CFCCD50D66E722E80E79002CE3B302B4CA067483AB9CDEB474DBF555B7633"),
            (41, "079BFF70855D0767CC3349752F3DEFF2B01D44A15EF68B98C9BCDF20BD1970D8"),
            (64, "68A2E4B661525133DEC09D918B61E40D38CDD0E59638B5A9709AB2A4AF2D8F13"),
            (65, "3BDC2064815298A08EB28CEB90EF123B2C1A24350D6907DFAE71B07E40304404"),
            (255, "0A4D8C6949C3231218716AF56E76425A1B6477A3234E51F52ABE6A82A0CCA551"),
            (1024, "FCC4D63932D98C30CAB597E60B7CCA475BD9FBF984838C5CB5615C949F814615"),
        ];
        for (len, md) in kats {
            assert_eq!(hash32(&seq(len)).to_vec(), unhex(md), "message length {len}");
        }
    }

    /// One AEAD known answer: key, nonce, plaintext, associated data, ciphertext || tag.
    struct AeadKat {
        key: Vec<u8>,
        nonce: Vec<u8>,
        pt: Vec<u8>,
        ad: Vec<u8>,
        ct: Vec<u8>,
    }

    /// Whether the nonce is absorbed after the key (submission rounds 1 and 2) or is the key ID
    /// (final round).
    #[derive(Clone, Copy)]
    enum NonceIn {
        Absorb,
        Id,
    }

    /// Starts a keyed object for `kat` with the nonce placed as `nonce_in`, then absorbs the AD.
    fn aead_start(kat: &AeadKat, nonce_in: NonceIn) -> Xoodyak {
        let mut x = match nonce_in {
            NonceIn::Absorb => {
                let mut x = Xoodyak::keyed(&kat.key, &[], &[]).unwrap();
                x.absorb(&kat.nonce);
                x
            }
            NonceIn::Id => Xoodyak::keyed(&kat.key, &kat.nonce, &[]).unwrap(),
        };
        x.absorb(&kat.ad);
        x
    }

    /// Checks encryption (C || T) and decryption (P and the same T) of one AEAD known answer.
    fn check_aead(kat: &AeadKat, nonce_in: NonceIn, name: &str) {
        let mut x = aead_start(kat, nonce_in);
        let mut ct = kat.pt.clone();
        x.encrypt_in_place(&mut ct).unwrap();
        let mut tag = [0u8; 16];
        x.squeeze(&mut tag);
        ct.extend_from_slice(&tag);
        assert_eq!(ct, kat.ct, "encrypt {name}");

        let mut x = aead_start(kat, nonce_in);
        let (c, t) = kat.ct.split_at(kat.pt.len());
        let mut pt = c.to_vec();
        x.decrypt_in_place(&mut pt).unwrap();
        let mut tag = [0u8; 16];
        x.squeeze(&mut tag);
        assert_eq!(pt, kat.pt, "decrypt {name}");
        assert_eq!(&tag[..], t, "decrypt tag {name}");
    }

    /// Xoodyak AEAD, LWC_AEAD_KAT_128_128 of the round 1 and 2 submission (Key = Nonce =
    /// 00..0F, PT = 00.., AD = 00..): keyed(K, ε, ε); Absorb(N); Absorb(AD); Encrypt(P);
    /// Squeeze(16).
    #[test]
    fn aead_lwc_kat_128_128_nonce_absorbed() {
        let kats: [(usize, usize, usize, &str); 7] = [
            (1, 0, 0, "4BF0E393144CB58069FC1FEBCAFCFB3C"),
            (2, 0, 1, "4D2A8D1716DFE3401F3BBE8ACB637AB0"),
            (3, 0, 2, "4EBC154612159A949679453DC6CC52C6"),
            (34, 1, 0, "890788EAC729D9539F401845B35A34D19F"),
            (452, 13, 22, "CFA1C6EFB6E4795450ABF50494C96372BF566DEC846DBAE29C36F4A9CF"),
            (545, 16, 16, "D69753865422CBB82FABD13C4B5996417211FC2BC37B98C1BCC0964D39227C0E"),
            (793, 24, 0, "8929B40735CF316546C1256FF5E025F411D6DAC6C606A0EA9A33CC81BEE982E4556FC1CE2C3CCF91"),
        ];
        for (count, pt_len, ad_len, ct) in kats {
            let kat = AeadKat { key: seq(16), nonce: seq(16), pt: seq(pt_len), ad: seq(ad_len), ct: unhex(ct) };
            check_aead(&kat, NonceIn::Absorb, &format!("Count = {count}"));
        }
    }

    /// The designers' SUPERCOP self-tests in XKCP: `Xoodyak_aead` (nonce absorbed after the key)
    /// and `Xoodyak_aead_round3` (nonce as key ID, the final-round AEAD).
    #[test]
    fn aead_xkcp_supercop_selftests() {
        let kat = |ct: &str| AeadKat {
            key: unhex("5A4B3C2D1E0F00F1E2D3C4B5A6978879"),
            nonce: unhex("6B4C2D0EEFD0B19272533415F6D7B899"),
            pt: unhex("E465E566E667E7"),
            ad: unhex("32F3B47535F6"),
            ct: unhex(ct),
        };
        check_aead(&kat("7FB2769A0FAD33E6496D5B0EE1724BC92613A134A8DB79"), NonceIn::Absorb, "Xoodyak_aead");
        check_aead(&kat("6E68081C7EACBF72E2A677A60E442748D7A86E788EB9D4"), NonceIn::Id, "Xoodyak_aead_round3");
    }

    /// `generateSimpleRawMaterial` of XKCP's `tests/UnitTests/testXoodyak.c`.
    fn raw_material(len: usize, seed1: u8, seed2: u32) -> Vec<u8> {
        let base = seed1.wrapping_add(161u8.wrapping_mul(len as u8));
        (0..len)
            .map(|i| {
                let i = i as u8;
                base.wrapping_sub(i.rotate_left(seed2)).wrapping_add(i)
            })
            .collect()
    }

    /// XKCP's `Xoodyak_testHash`: many hash-mode messages and output lengths, chained into a
    /// global hash-mode checksum.
    #[test]
    fn xkcp_unit_test_hash_checksum() {
        const MAX_LEN: usize = 3 * 48 + 1;
        let mut global = Xoodyak::hash();
        let mut one = |msg_len: usize, hash_len: usize, messages: usize| {
            let mut x = Xoodyak::hash();
            let msg = raw_material(msg_len, (msg_len + hash_len + 0x12) as u8, 3);
            for _ in 0..messages {
                x.absorb(&msg);
            }
            let mut hash = vec![0u8; hash_len];
            x.squeeze(&mut hash);
            global.absorb(&hash);
        };
        for messages in 1..3 {
            for msg_len in 0..MAX_LEN {
                one(msg_len, 32, messages);
            }
        }
        for hash_len in 1..MAX_LEN {
            one(MAX_LEN, hash_len, 1);
        }
        let mut checksum = [0u8; 32];
        global.squeeze(&mut checksum);
        assert_eq!(checksum.to_vec(), unhex("72BB07AE9CAE32B30EA473656701F3D825BD56821BB6A45D2CBABC5078AB4C7A"));
    }

    /// One session of XKCP's `Xoodyak_testKeyed0ne`, with `ad`, `pt`, the nonce placement
    /// (`counter`: trickled in as the Cyclist counter, else absorbed), the ratchet placement
    /// (0 none, 1 before the tag, 2 after it) and the SqueezeKey length.
    struct Session<'a> {
        key: &'a [u8],
        id: &'a [u8],
        nonce: &'a [u8],
        ad: &'a [u8],
        pt: &'a [u8],
        messages: usize,
        counter: bool,
        ratchet: u32,
        new_key_len: usize,
    }

    impl Session<'_> {
        /// Runs the session on an encrypting and a decrypting object and absorbs the new keys,
        /// ciphertexts and tags into `global`.
        fn run(&self, global: &mut Xoodyak) {
            let start = || {
                if self.counter {
                    Xoodyak::keyed(self.key, self.id, self.nonce).unwrap()
                } else {
                    let mut x = Xoodyak::keyed(self.key, self.id, &[]).unwrap();
                    x.absorb(self.nonce);
                    x
                }
            };
            let (mut enc, mut dec) = (start(), start());
            for _ in 0..self.messages {
                let (key, ct, tag) = self.message(&mut enc, self.pt, false);
                let (key2, pt, tag2) = self.message(&mut dec, &ct, true);
                assert_eq!((key, &pt[..], tag), (key2.clone(), self.pt, tag2));
                if self.new_key_len != 0 {
                    global.absorb(&key2);
                }
                global.absorb(&ct);
                global.absorb(&tag);
            }
        }

        /// SqueezeKey, Absorb(AD), Encrypt or Decrypt of `input`, Squeeze(16), with the ratchet.
        fn message(&self, x: &mut Xoodyak, input: &[u8], decrypt: bool) -> (Vec<u8>, Vec<u8>, [u8; 16]) {
            let mut key = vec![0u8; self.new_key_len];
            if self.new_key_len != 0 {
                x.squeeze_key(&mut key).unwrap();
            }
            x.absorb(self.ad);
            let mut out = input.to_vec();
            if decrypt {
                x.decrypt_in_place(&mut out).unwrap();
            } else {
                x.encrypt_in_place(&mut out).unwrap();
            }
            if self.ratchet == 1 {
                x.ratchet().unwrap();
            }
            let mut tag = [0u8; 16];
            x.squeeze(&mut tag);
            if self.ratchet == 2 {
                x.ratchet().unwrap();
            }
            (key, out, tag)
        }
    }

    /// XKCP's `Xoodyak_testKeyed`: keys with IDs, nonces absorbed or trickled as counters,
    /// SqueezeKey, Ratchet before and after the tag, multi-message sessions, and AD and
    /// plaintext lengths around the 44-byte absorb and 24-byte squeeze rates, chained into a
    /// global hash-mode checksum.
    #[test]
    fn xkcp_unit_test_keyed_checksum() {
        const DATA_SIZE: usize = 3 * 48 + 1;
        const MAX_KEY: usize = 48 - 4 - 1;
        let mut global = Xoodyak::hash();

        for counter in [false, true] {
            for ratchet in 0..3u32 {
                for new_key_len in [0, 16, 32] {
                    for k_len in 16..=MAX_KEY {
                        let n_step = if k_len == 16 { 1 } else { 16 };
                        for n_len in (0..=16).step_by(n_step) {
                            let k = raw_material(k_len, (k_len + n_len + 0x12) as u8, 3);
                            let nonce = raw_material(n_len, (k_len + n_len + 0x45) as u8, 6);
                            let c = 0x1234 + usize::from(counter) + 3 * ratchet as usize + 5 * new_key_len + 9 * n_len;
                            let id_len = if k_len <= 16 { 0 } else { c % (k_len - 15) };
                            let (key, id) = k.split_at(k_len - id_len);
                            Session {
                                key,
                                id,
                                nonce: &nonce,
                                ad: b"ABC",
                                pt: b"DEF",
                                messages: 1,
                                counter,
                                ratchet,
                                new_key_len,
                            }
                            .run(&mut global);
                        }
                    }
                }
            }
        }

        // The C test passes its "P" buffer as AD and its "A" buffer as plaintext; kept as is.
        for ratchet in 0..3u32 {
            for messages in 1..=3 {
                for (a_index, a_len) in [0, 1, 43, 44, 45].into_iter().enumerate() {
                    let step = if a_index == 0 { 1 } else { ratchet as usize * 4 + 1 };
                    for m_len in (0..=DATA_SIZE).step_by(step) {
                        let s = m_len + a_len;
                        let key = raw_material(16, (0x23 + s) as u8, 4);
                        let nonce = raw_material(16, (0x56 + s) as u8, 7);
                        let a = raw_material(a_len, (0xAB + s) as u8, 3);
                        let m = raw_material(m_len, (0xCD + s) as u8, 4);
                        Session {
                            key: &key,
                            id: &[],
                            nonce: &nonce,
                            ad: &m,
                            pt: &a,
                            messages,
                            counter: false,
                            ratchet,
                            new_key_len: 0,
                        }
                        .run(&mut global);
                    }
                }
            }
        }
        for ratchet in 0..3u32 {
            for messages in 1..=3 {
                for (m_index, m_len) in [0, 1, 23, 24, 25].into_iter().enumerate() {
                    let step = if m_index == 0 { 1 } else { ratchet as usize * 4 + 1 };
                    for a_len in (0..=DATA_SIZE).step_by(step) {
                        let s = m_len + a_len;
                        let key = raw_material(16, (0x34 + s) as u8, 5);
                        let nonce = raw_material(16, (0x45 + s) as u8, 6);
                        let a = raw_material(a_len, (0x01 + s) as u8, 5);
                        let m = raw_material(m_len, (0x23 + s) as u8, 6);
                        Session {
                            key: &key,
                            id: &[],
                            nonce: &nonce,
                            ad: &m,
                            pt: &a,
                            messages,
                            counter: false,
                            ratchet,
                            new_key_len: 0,
                        }
                        .run(&mut global);
                    }
                }
            }
        }

        let mut checksum = [0u8; 32];
        global.squeeze(&mut checksum);
        assert_eq!(checksum.to_vec(), unhex("AA2C4075313FCE6A55EDA040F9D002540E4BD12EA08D523D488634E29789D6D8"));
    }

    /// Encrypts then decrypts in place for every length up to a few blocks, in one call and in
    /// two calls, and checks the plaintext and the tags come back.
    #[test]
    fn encrypt_decrypt_in_place_round_trip() {
        let key = seq(16);
        for len in 0..=100 {
            let pt: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
            let split = len / 3;
            let mut enc = Xoodyak::keyed(&key, b"id", b"ctr").unwrap();
            let mut dec = enc.clone();

            let mut buf = pt.clone();
            let (a, b) = buf.split_at_mut(split);
            enc.encrypt_in_place(a).unwrap();
            enc.encrypt_in_place(b).unwrap();
            if len > 0 {
                assert_ne!(buf, pt, "length {len}");
            }
            let mut tag = [0u8; 16];
            enc.squeeze(&mut tag);

            let (a, b) = buf.split_at_mut(split);
            dec.decrypt_in_place(a).unwrap();
            dec.decrypt_in_place(b).unwrap();
            assert_eq!(buf, pt, "length {len}");
            let mut tag2 = [0u8; 16];
            dec.squeeze(&mut tag2);
            assert_eq!(tag, tag2, "length {len}");
        }
    }

    /// Empty Absorb, Encrypt and Squeeze calls still change the state, as in Cyclist.
    #[test]
    fn empty_calls_are_processed() {
        let tag_after = |f: &dyn Fn(&mut Xoodyak)| {
            let mut x = Xoodyak::keyed(&seq(16), &[], &[]).unwrap();
            f(&mut x);
            let mut tag = [0u8; 16];
            x.squeeze(&mut tag);
            tag
        };
        let none = tag_after(&|_| {});
        assert_ne!(none, tag_after(&|x| x.absorb(&[])));
        assert_ne!(none, tag_after(&|x| x.encrypt_in_place(&mut []).unwrap()));
        assert_ne!(none, tag_after(&|x| x.squeeze(&mut [])));
        let mut h = Xoodyak::hash();
        h.squeeze(&mut []);
        let mut md = [0u8; 32];
        h.squeeze(&mut md);
        assert_ne!(md, hash32(&[]));
    }

    /// Ratchet changes everything that follows, deterministically.
    #[test]
    fn ratchet_changes_output() {
        let mut a = Xoodyak::keyed(&seq(16), &[], &[]).unwrap();
        a.absorb(b"nonce");
        let mut b = a.clone();
        let mut c = a.clone();
        b.ratchet().unwrap();
        c.ratchet().unwrap();
        let (mut oa, mut ob, mut oc) = ([0u8; 48], [0u8; 48], [0u8; 48]);
        a.squeeze(&mut oa);
        b.squeeze(&mut ob);
        c.squeeze(&mut oc);
        assert_ne!(oa, ob);
        assert_eq!(ob, oc);
    }

    /// SqueezeKey works in keyed mode, is deterministic and is separated from Squeeze.
    #[test]
    fn squeeze_key_in_keyed_mode() {
        let mut a = Xoodyak::keyed(&seq(32), b"kid", &[]).unwrap();
        let mut b = a.clone();
        let mut c = a.clone();
        let (mut ka, mut kb, mut sc) = ([0u8; 40], [0u8; 40], [0u8; 40]);
        a.squeeze_key(&mut ka).unwrap();
        b.squeeze_key(&mut kb).unwrap();
        c.squeeze(&mut sc);
        assert_eq!(ka, kb);
        assert_ne!(ka, sc);
        assert_ne!(ka, [0u8; 40]);
    }

    /// Keyed-only operations fail with `InvalidOperation` in hash mode and leave the state alone.
    #[test]
    fn keyed_operations_fail_in_hash_mode() {
        let mut x = Xoodyak::hash();
        assert!(!x.is_keyed());
        let mut buf = [1u8; 5];
        assert_eq!(x.squeeze_key(&mut buf), Err(CryptoError::InvalidOperation));
        assert_eq!(x.encrypt_in_place(&mut buf), Err(CryptoError::InvalidOperation));
        assert_eq!(x.decrypt_in_place(&mut buf), Err(CryptoError::InvalidOperation));
        assert_eq!(x.ratchet(), Err(CryptoError::InvalidOperation));
        assert_eq!(buf, [1u8; 5]);
        x.absorb(&[]);
        let mut md = [0u8; 32];
        x.squeeze(&mut md);
        assert_eq!(md, hash32(&[]));
    }

    /// Key checks: the key must not be empty and K || ID || enc8(|ID|) must fit R_KIN bytes.
    #[test]
    fn key_length_limits() {
        let bytes = [7u8; 1000];
        assert!(Xoodyak::keyed(&bytes[..16], &[], &[]).unwrap().is_keyed());
        assert!(Xoodyak::keyed(&bytes[..43], &[], &[]).is_ok());
        assert!(Xoodyak::keyed(&bytes[..16], &bytes[..27], &bytes).is_ok());
        for (key, id) in [(0, 0), (0, 16), (44, 0), (16, 28), (1000, 0), (16, 1000)] {
            assert_eq!(
                Xoodyak::keyed(&bytes[..key], &bytes[..id], &[]).err(),
                Some(CryptoError::InvalidKey),
                "key {key} id {id}"
            );
        }
    }
}
