//! Misbehaves as told by its first argument:
//!
//! - `spin`: a busy loop that never ends;
//! - `crypto-spin`: an endless loop of WASI-crypto calls (SHA-256 absorbs), so that most of the
//!   time is spent in the host;
//! - `sleep SECONDS`: one long blocking host call (WASI `poll_oneoff`), then prints `awake`;
//! - `hog`: allocates and touches 1 MiB blocks without bound, printing the total every 16 MiB;
//! - `count N`: a loop of N iterations, then prints `counted N` (a guest that ends);
//! - `absorb-ad N`: absorbs N bytes of associated data into an AES-128-GCM state, which the host
//!   buffers, and prints `absorb=<errno>`.

#[link(wasm_import_module = "wasi_ephemeral_crypto_common")]
unsafe extern "C" {
    fn options_open(alg_type: u32, out: u32) -> u32;
    fn options_set(h: u32, name: u32, name_len: u32, value: u32, value_len: u32) -> u32;
}

#[link(wasm_import_module = "wasi_ephemeral_crypto_symmetric")]
unsafe extern "C" {
    fn symmetric_key_import(alg: u32, alg_len: u32, raw: u32, raw_len: u32, out: u32) -> u32;
    fn symmetric_state_open(alg: u32, alg_len: u32, key: u32, options: u32, out: u32) -> u32;
    fn symmetric_state_absorb(state: u32, data: u32, len: u32) -> u32;
}

fn spin() -> ! {
    let mut x = 0u64;
    loop {
        x = std::hint::black_box(x.wrapping_add(1));
    }
}

fn crypto_spin() -> ! {
    const NONE: [u8; 8] = [1, 0, 0, 0, 0, 0, 0, 0];
    let (alg, data) = ("SHA-256", [7u8; 64]);
    let mut state = 0u32;
    // SAFETY: every pointer is to a live local of the stated length.
    let rc = unsafe {
        symmetric_state_open(
            alg.as_ptr() as u32,
            alg.len() as u32,
            NONE.as_ptr() as u32,
            NONE.as_ptr() as u32,
            &mut state as *mut u32 as u32,
        )
    };
    assert_eq!(rc, 0, "symmetric_state_open");
    loop {
        // SAFETY: as above.
        let rc = unsafe { symmetric_state_absorb(state, data.as_ptr() as u32, data.len() as u32) };
        assert_eq!(rc, 0, "symmetric_state_absorb");
    }
}

fn absorb_ad(len: usize) -> u32 {
    let (alg, key, nonce, name) = ("AES-128-GCM", [1u8; 16], [2u8; 12], "nonce");
    let ad = vec![3u8; len];
    let (mut k, mut o, mut s) = (0u32, 0u32, 0u32);
    // SAFETY: every pointer is to a live local of the stated length.
    unsafe {
        assert_eq!(
            symmetric_key_import(alg.as_ptr() as u32, 11, key.as_ptr() as u32, 16, &mut k as *mut u32 as u32),
            0
        );
        assert_eq!(options_open(1, &mut o as *mut u32 as u32), 0);
        assert_eq!(options_set(o, name.as_ptr() as u32, 5, nonce.as_ptr() as u32, 12), 0);
        let (key, options) = (some(k), some(o));
        let rc = symmetric_state_open(
            alg.as_ptr() as u32,
            11,
            key.as_ptr() as u32,
            options.as_ptr() as u32,
            &mut s as *mut u32 as u32,
        );
        assert_eq!(rc, 0);
        symmetric_state_absorb(s, ad.as_ptr() as u32, len as u32)
    }
}

/// An `opt_*` struct holding `some(h)`.
fn some(h: u32) -> [u8; 8] {
    let mut s = [0u8; 8];
    s[4..].copy_from_slice(&h.to_le_bytes());
    s
}

fn hog() -> ! {
    let mut blocks: Vec<Vec<u8>> = Vec::new();
    loop {
        blocks.push(vec![0xa5; 1 << 20]);
        if blocks.len().is_multiple_of(16) {
            println!("holding {} MiB", blocks.len());
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = || args.get(1).and_then(|n| n.parse::<u64>().ok()).expect("a number argument");
    match args.first().map(String::as_str) {
        Some("spin") => spin(),
        Some("crypto-spin") => crypto_spin(),
        Some("sleep") => {
            std::thread::sleep(std::time::Duration::from_secs(number()));
            println!("awake");
        }
        Some("hog") => hog(),
        Some("count") => {
            let n = number();
            let mut x = 0u64;
            for i in 0..n {
                x = std::hint::black_box(x.wrapping_add(i));
            }
            println!("counted {n} ({x})");
        }
        Some("absorb-ad") => println!("absorb={}", absorb_ad(number() as usize)),
        _ => {
            eprintln!("usage: runaway spin | crypto-spin | sleep SECONDS | hog | count N | absorb-ad N");
            std::process::exit(2);
        }
    }
}
