//! The raw WASI-crypto imports this guest uses (pointers and sizes as `u32` on wasm32), wrapped
//! in small functions that return `Result<_, errno>`.

pub const SYMMETRIC: u32 = 1;
pub const GUEST_ERROR: u32 = 1;
pub const UNSUPPORTED_OPTION: u32 = 7;
pub const INVALID_LENGTH: u32 = 9;
pub const INVALID_TAG: u32 = 21;
pub const PARAMETERS_MISSING: u32 = 27;

#[link(wasm_import_module = "wasi_ephemeral_crypto_common")]
unsafe extern "C" {
    fn options_open(alg_type: u32, out: u32) -> u32;
    fn options_close(h: u32) -> u32;
    fn options_set(h: u32, name: u32, name_len: u32, value: u32, value_len: u32) -> u32;
    fn options_set_u64(h: u32, name: u32, name_len: u32, value: u64) -> u32;
    fn options_set_guest_buffer(h: u32, name: u32, name_len: u32, buf: u32, buf_len: u32) -> u32;
}

#[link(wasm_import_module = "wasi_ephemeral_crypto_symmetric")]
unsafe extern "C" {
    fn symmetric_state_open(alg: u32, alg_len: u32, key: u32, options: u32, out: u32) -> u32;
    fn symmetric_state_options_get(s: u32, name: u32, name_len: u32, value: u32, max: u32, out: u32) -> u32;
    fn symmetric_state_close(s: u32) -> u32;
    fn symmetric_state_absorb(s: u32, data: u32, len: u32) -> u32;
    fn symmetric_state_squeeze(s: u32, out: u32, len: u32) -> u32;
    fn symmetric_state_squeeze_tag(s: u32, out: u32) -> u32;
    fn symmetric_tag_len(tag: u32, out: u32) -> u32;
    fn symmetric_tag_pull(tag: u32, buf: u32, buf_len: u32, out: u32) -> u32;
    fn symmetric_tag_verify(tag: u32, expected: u32, expected_len: u32) -> u32;
    fn symmetric_tag_close(tag: u32) -> u32;
}

fn check(errno: u32) -> Result<(), u32> {
    if errno == 0 { Ok(()) } else { Err(errno) }
}

fn out(v: &mut u32) -> u32 {
    v as *mut u32 as u32
}

pub fn options_open_symmetric() -> Result<u32, u32> {
    let mut h = 0;
    check(unsafe { options_open(SYMMETRIC, out(&mut h)) }).map(|()| h)
}

pub fn options_close_(h: u32) -> Result<(), u32> {
    check(unsafe { options_close(h) })
}

pub fn options_set_(h: u32, name: &str, value: &[u8]) -> Result<(), u32> {
    check(unsafe { options_set(h, name.as_ptr() as u32, name.len() as u32, value.as_ptr() as u32, value.len() as u32) })
}

pub fn options_set_u64_(h: u32, name: &str, value: u64) -> Result<(), u32> {
    check(unsafe { options_set_u64(h, name.as_ptr() as u32, name.len() as u32, value) })
}

/// Lends `buf` (by address) as the guest buffer `name`.
pub fn options_set_guest_buffer_(h: u32, name: &str, ptr: u32, len: u32) -> Result<(), u32> {
    check(unsafe { options_set_guest_buffer(h, name.as_ptr() as u32, name.len() as u32, ptr, len) })
}

pub fn state_open(alg: &str, options: u32) -> Result<u32, u32> {
    let none = [1u8, 0, 0, 0, 0, 0, 0, 0];
    let mut some = [0u8; 8];
    some[4..].copy_from_slice(&options.to_le_bytes());
    let mut h = 0;
    check(unsafe {
        symmetric_state_open(
            alg.as_ptr() as u32,
            alg.len() as u32,
            none.as_ptr() as u32,
            some.as_ptr() as u32,
            out(&mut h),
        )
    })
    .map(|()| h)
}

pub fn state_close(s: u32) -> Result<(), u32> {
    check(unsafe { symmetric_state_close(s) })
}

pub fn options_get(s: u32, name: &str, buf: &mut [u8]) -> Result<usize, u32> {
    let mut n = 0;
    check(unsafe {
        symmetric_state_options_get(
            s,
            name.as_ptr() as u32,
            name.len() as u32,
            buf.as_mut_ptr() as u32,
            buf.len() as u32,
            out(&mut n),
        )
    })
    .map(|()| n as usize)
}

pub fn absorb(s: u32, data: &[u8]) -> Result<(), u32> {
    check(unsafe { symmetric_state_absorb(s, data.as_ptr() as u32, data.len() as u32) })
}

/// Squeezes `len` bytes to the guest address `ptr` (which may lie in the scratch buffer).
pub fn squeeze_to(s: u32, ptr: u32, len: u32) -> Result<(), u32> {
    check(unsafe { symmetric_state_squeeze(s, ptr, len) })
}

pub fn squeeze_tag(s: u32) -> Result<u32, u32> {
    let mut h = 0;
    check(unsafe { symmetric_state_squeeze_tag(s, out(&mut h)) }).map(|()| h)
}

pub fn tag_len(tag: u32) -> Result<usize, u32> {
    let mut n = 0;
    check(unsafe { symmetric_tag_len(tag, out(&mut n)) }).map(|()| n as usize)
}

pub fn tag_pull(tag: u32, buf: &mut [u8]) -> Result<usize, u32> {
    let mut n = 0;
    check(unsafe { symmetric_tag_pull(tag, buf.as_mut_ptr() as u32, buf.len() as u32, out(&mut n)) })
        .map(|()| n as usize)
}

pub fn tag_verify(tag: u32, expected: &[u8]) -> Result<(), u32> {
    check(unsafe { symmetric_tag_verify(tag, expected.as_ptr() as u32, expected.len() as u32) })
}

pub fn tag_close(tag: u32) -> Result<(), u32> {
    check(unsafe { symmetric_tag_close(tag) })
}
