//! The spec's password-hashing example (guest buffer `memory`, `opslimit`, `parallelism`), then
//! verification of a password against the stored PHC string through `symmetric_tag_verify`,
//! for Argon2id, scrypt and PBKDF2, and the errno rules, through raw imports. Prints the stored
//! strings (`stored: …`, checked by the host test with the reference crates), one line per
//! failed check and a closing `N passed, N failed` line.

mod abi;
mod phc;

use abi::*;

struct Checks {
    passed: u32,
    failed: u32,
}

impl Checks {
    fn eq<T: PartialEq + std::fmt::Debug>(&mut self, what: &str, got: T, want: T) {
        if got == want {
            self.passed += 1;
        } else {
            self.failed += 1;
            println!("FAIL {what}: got {got:?}, want {want:?}");
        }
    }
}

fn main() {
    let mut t = Checks { passed: 0, failed: 0 };
    let stored = match spec_example() {
        Ok(s) => s,
        Err(e) => {
            println!("FAIL the spec's example: errno {e}");
            std::process::exit(1);
        }
    };
    println!("stored: {stored}");
    t.eq("argon2id string", stored.starts_with("$argon2id$v=19$m=256,t=5,p=8$"), true);
    check_stored(&mut t, &stored, b"password");
    raw_and_overlapping(&mut t, &stored);

    let scrypt = hash_with("SCRYPT", 256 << 10, 8, Some(2), b"correct horse").expect("scrypt");
    println!("stored: {scrypt}");
    t.eq("scrypt string", scrypt.starts_with("$scrypt$ln=8,r=8,p=2$"), true);
    check_stored(&mut t, &scrypt, b"correct horse");

    let pbkdf2 = hash_with("PBKDF2-HMAC/SHA-256", 0, 1000, None, b"battery staple").expect("pbkdf2");
    println!("stored: {pbkdf2}");
    t.eq("pbkdf2 string", pbkdf2.starts_with("$pbkdf2-sha256$i=1000,l=32$"), true);
    check_stored(&mut t, &pbkdf2, b"battery staple");

    errnos(&mut t);
    println!("password-hash: {} passed, {} failed", t.passed, t.failed);
    std::process::exit(if t.failed == 0 { 0 } else { 1 });
}

/// The spec's example, with 256 KiB of memory instead of 1 GB (the e2e test runs an unoptimised
/// host).
fn spec_example() -> Result<String, u32> {
    let mut memory = vec![0u8; 256 << 10];
    let options_handle = options_open_symmetric()?;
    options_set_guest_buffer_(options_handle, "memory", memory.as_mut_ptr() as u32, memory.len() as u32)?;
    options_set_u64_(options_handle, "opslimit", 5)?;
    options_set_u64_(options_handle, "parallelism", 8)?;

    let state_handle = state_open("ARGON2-ID-13", options_handle)?;
    absorb(state_handle, b"password")?;

    let pw_str_handle = squeeze_tag(state_handle)?;
    let mut pw_str = vec![0u8; tag_len(pw_str_handle)?];
    tag_pull(pw_str_handle, &mut pw_str)?;
    state_close(state_handle)?;
    options_close_(options_handle)?;
    Ok(String::from_utf8(pw_str).expect("a PHC string is ASCII"))
}

/// Hashes `password` with a generated salt and returns the PHC string.
fn hash_with(
    alg: &str,
    memory_len: usize,
    opslimit: u64,
    parallelism: Option<u64>,
    password: &[u8],
) -> Result<String, u32> {
    let mut memory = vec![0u8; memory_len];
    let o = options_open_symmetric()?;
    if memory_len > 0 {
        options_set_guest_buffer_(o, "memory", memory.as_mut_ptr() as u32, memory_len as u32)?;
    }
    options_set_u64_(o, "opslimit", opslimit)?;
    if let Some(p) = parallelism {
        options_set_u64_(o, "parallelism", p)?;
    }
    let s = state_open(alg, o)?;
    absorb(s, password)?;
    let tag = squeeze_tag(s)?;
    let mut buf = vec![0u8; tag_len(tag)?];
    tag_pull(tag, &mut buf)?;
    state_close(s)?;
    Ok(String::from_utf8(buf).expect("ASCII"))
}

/// A state with the stored string's parameters and salt, and `memory` as scratch buffer.
fn open_like(stored: &phc::Stored, memory: &mut [u8], with_salt: bool) -> Result<u32, u32> {
    let o = options_open_symmetric()?;
    if stored.memory > 0 {
        options_set_guest_buffer_(o, "memory", memory.as_mut_ptr() as u32, stored.memory as u32)?;
    }
    options_set_u64_(o, "opslimit", stored.opslimit)?;
    if let Some(p) = stored.parallelism {
        options_set_u64_(o, "parallelism", p)?;
    }
    if with_salt {
        options_set_(o, "salt", &stored.salt)?;
    }
    let s = state_open(stored.algorithm, o);
    options_close_(o)?;
    s
}

/// The README's verification: recompute the string with the stored parameters and salt, and
/// let the host compare it with the stored one in constant time.
fn verify(stored: &str, password: &[u8]) -> Result<(), u32> {
    let parsed = phc::parse(stored).ok_or(INVALID_TAG)?;
    let mut memory = vec![0u8; parsed.memory];
    let state = open_like(&parsed, &mut memory, true)?;
    absorb(state, password)?;
    let tag = squeeze_tag(state)?;
    let result = tag_verify(tag, stored.as_bytes());
    tag_close(tag)?;
    state_close(state)?;
    result
}

fn check_stored(t: &mut Checks, stored: &str, password: &[u8]) {
    t.eq("verify the right password", verify(stored, password), Ok(()));
    t.eq("verify a wrong password", verify(stored, b"wrong"), Err(INVALID_TAG));
    let mut tampered = stored.to_owned();
    tampered.pop();
    tampered.push(if stored.ends_with('A') { 'B' } else { 'A' });
    t.eq("verify a tampered string", verify(&tampered, password), Err(INVALID_TAG));
}

/// `squeeze` gives the raw hash of the string, also when written into the scratch buffer; the
/// generated salt is readable with `options_get`.
fn raw_and_overlapping(t: &mut Checks, stored: &str) {
    let parsed = phc::parse(stored).expect("parses");
    let mut memory = vec![0u8; parsed.memory];
    let state = open_like(&parsed, &mut memory, true).expect("opens");
    absorb(state, b"password").expect("absorbs");
    let mut raw = [0u8; 32];
    t.eq("squeeze", squeeze_to(state, raw.as_mut_ptr() as u32, 32), Ok(()));
    t.eq("raw hash = the string's hash", raw.to_vec(), parsed.hash.clone());
    let inside = memory.as_mut_ptr() as u32 + 1000;
    t.eq("squeeze into the scratch buffer", squeeze_to(state, inside, 32), Ok(()));
    t.eq("same result despite the overlap", memory[1000..1032].to_vec(), parsed.hash.clone());
    state_close(state).expect("closes");

    let state = open_like(&parsed, &mut memory, false).expect("opens");
    let mut salt = [0u8; 64];
    t.eq("generated salt length", options_get(state, "salt", &mut salt), Ok(16));
    state_close(state).expect("closes");
}

fn errnos(t: &mut Checks) {
    let mut memory = vec![0u8; 64 * 1024];
    let ptr = memory.as_mut_ptr() as u32;
    let o = options_open_symmetric().expect("options");
    options_set_u64_(o, "opslimit", 1).expect("opslimit");
    t.eq("Argon2 without memory", state_open("ARGON2-ID-13", o), Err(PARAMETERS_MISSING));
    t.eq("scrypt without memory", state_open("SCRYPT", o), Err(PARAMETERS_MISSING));
    t.eq("old guest buffer name", options_set_guest_buffer_(o, "buffer", ptr, 1024), Err(UNSUPPORTED_OPTION));
    t.eq("old u64 name", options_set_u64_(o, "ops_limit", 1), Err(UNSUPPORTED_OPTION));
    t.eq("buffer outside memory", options_set_guest_buffer_(o, "memory", 0xffff_0000, 0x10_0000), Err(GUEST_ERROR));
    t.eq("buffer of 4 KiB", options_set_guest_buffer_(o, "memory", ptr, 4096), Ok(()));
    t.eq("Argon2 with m < 8p", state_open("ARGON2-ID-13", o), Err(INVALID_LENGTH));
    t.eq("PBKDF2 takes no memory", state_open("PBKDF2-HMAC/SHA-256", o), Err(UNSUPPORTED_OPTION));
    options_set_guest_buffer_(o, "memory", ptr, 64 * 1024).expect("memory");
    t.eq(
        "scrypt N too large for the buffer",
        options_set_u64_(o, "opslimit", 7).and_then(|()| state_open("SCRYPT", o)),
        Err(INVALID_LENGTH),
    );
    t.eq(
        "opslimit 0",
        options_set_u64_(o, "opslimit", 0).and_then(|()| state_open("ARGON2-ID-13", o)),
        Err(INVALID_LENGTH),
    );
    options_set_u64_(o, "opslimit", 1).expect("opslimit");
    t.eq(
        "parallelism 0",
        options_set_u64_(o, "parallelism", 0).and_then(|()| state_open("ARGON2-ID-13", o)),
        Err(INVALID_LENGTH),
    );
    options_set_u64_(o, "parallelism", 1).expect("parallelism");
    let s = state_open("ARGON2-ID-13", o).expect("opens");
    absorb(s, b"pw").expect("absorbs");
    let mut short = [0u8; 3];
    t.eq("Argon2 output of 3 bytes", squeeze_to(s, short.as_mut_ptr() as u32, 3), Err(INVALID_LENGTH));
    t.eq("output outside memory", squeeze_to(s, 0xffff_fff0, 32), Err(GUEST_ERROR));
    state_close(s).expect("closes");
    options_close_(o).expect("closes");
}
