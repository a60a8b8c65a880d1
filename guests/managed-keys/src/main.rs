//! Uses managed keys by id. Usage:
//!
//! - `managed-keys hmac ID MESSAGE`: prints `hmac=<hex tag>` (HMAC/SHA-256 key `ID`, latest
//!   version) and `export=<errno>` (symmetric_key_export of that key), or `from_id=<errno>`;
//! - `managed-keys keypair ID`: prints `pk=<hex raw public key>` and `export=<errno>`
//!   (keypair_export), or `from_id=<errno>`.
//!
//! - `managed-keys lifecycle`: guest-created managed keys and external secrets, one
//!   `name=<value>` line per step.
//! - `managed-keys quota`: stores 1 KiB external secrets until the host refuses one (at most
//!   1000); prints `stored=<count> errno=<errno of the refusal>`.
//! - `managed-keys operator ID`: tries to replace and to invalidate the HMAC/SHA-256 key `ID`;
//!   prints `replace=<errno> invalidate=<errno> from_id=<errno>` (the last after both).
//!
//! - `managed-keys fleet ID ROUNDS SEED`: ROUNDS times, replaces the HMAC/SHA-256 key `ID`
//!   with a key whose 32 bytes are `SEED, round, SEED, round, …` and prints
//!   `v=<version> seed=<SEED> round=<round>` (or `err=<errno>`); every fourth new version it
//!   invalidates at once and prints `inv=<version> errno=<errno> after=<errno of a lookup of
//!   that version>`.
//! - `managed-keys serve ID`: for every line read from standard input, looks the HMAC key `ID`
//!   up (latest version) and prints `latest=<version>` or `from_id=<errno>`.
//!
//! The first line is always `sm=<errno>` (secrets_manager_open).

#![allow(unsafe_code)]

const LATEST: u64 = 0xff00_0000_0000_0001;
const ALL: u64 = 0xff00_0000_0000_0002;
const NONE: [u8; 8] = [1, 0, 0, 0, 0, 0, 0, 0];
const RAW: u32 = 0;
const PKCS8: u32 = 1;

mod common {
    #[link(wasm_import_module = "wasi_ephemeral_crypto_common")]
    unsafe extern "C" {
        pub fn secrets_manager_open(options: u32, out: u32) -> u32;
        pub fn array_output_len(h: u32, out: u32) -> u32;
        pub fn array_output_pull(h: u32, buf: u32, buf_len: u32, out: u32) -> u32;
        pub fn secrets_manager_invalidate(sm: u32, id: u32, id_len: u32, version: u64) -> u32;
    }
}

mod symmetric {
    #[link(wasm_import_module = "wasi_ephemeral_crypto_symmetric")]
    unsafe extern "C" {
        pub fn symmetric_key_from_id(sm: u32, id: u32, id_len: u32, version: u64, out: u32) -> u32;
        pub fn symmetric_key_export(key: u32, out: u32) -> u32;
        pub fn symmetric_key_generate_managed(sm: u32, alg: u32, alg_len: u32, options: u32, out: u32) -> u32;
        pub fn symmetric_key_id(key: u32, id: u32, id_max: u32, out_len: u32, out_version: u32) -> u32;
        pub fn symmetric_key_import(alg: u32, alg_len: u32, raw: u32, raw_len: u32, out: u32) -> u32;
        pub fn symmetric_key_replace_managed(sm: u32, old: u32, new: u32, out: u32) -> u32;
        pub fn symmetric_state_open(alg: u32, alg_len: u32, key: u32, options: u32, out: u32) -> u32;
        pub fn symmetric_state_absorb(s: u32, data: u32, len: u32) -> u32;
        pub fn symmetric_state_squeeze_tag(s: u32, out: u32) -> u32;
        pub fn symmetric_tag_pull(tag: u32, buf: u32, buf_len: u32, out: u32) -> u32;
    }
}

mod asymmetric {
    #[link(wasm_import_module = "wasi_ephemeral_crypto_asymmetric_common")]
    unsafe extern "C" {
        pub fn keypair_from_id(sm: u32, id: u32, id_len: u32, version: u64, out: u32) -> u32;
        pub fn keypair_export(kp: u32, encoding: u32, out: u32) -> u32;
        pub fn keypair_publickey(kp: u32, out: u32) -> u32;
        pub fn publickey_export(pk: u32, encoding: u32, out: u32) -> u32;
    }
}

mod external {
    #[link(wasm_import_module = "wasi_ephemeral_crypto_external_secrets")]
    unsafe extern "C" {
        pub fn external_secret_store(sm: u32, s: u32, s_len: u32, exp: u64, id: u32, id_max: u32) -> u32;
        pub fn external_secret_from_id(sm: u32, id: u32, id_len: u32, version: u64, out: u32) -> u32;
        pub fn external_secret_encapsulate(sm: u32, s: u32, s_len: u32, exp: u64, out: u32) -> u32;
        pub fn external_secret_decapsulate(sm: u32, e: u32, e_len: u32, out: u32) -> u32;
    }
}

fn ptr<T>(x: &T) -> u32 {
    x as *const T as u32
}

/// The address of an output the host writes.
fn out<T>(x: &mut T) -> u32 {
    x as *mut T as u32
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn pull(output: u32) -> Vec<u8> {
    let mut len = 0u32;
    unsafe { common::array_output_len(output, out(&mut len)) };
    let mut buf = vec![0u8; len as usize];
    let mut n = 0u32;
    unsafe { common::array_output_pull(output, buf.as_mut_ptr() as u32, len, out(&mut n)) };
    buf.truncate(n as usize);
    buf
}

fn hmac(sm: u32, id: &[u8], message: &[u8]) {
    let mut key = 0u32;
    let e = unsafe { symmetric::symmetric_key_from_id(sm, id.as_ptr() as u32, id.len() as u32, LATEST, out(&mut key)) };
    if e != 0 {
        println!("from_id={e}");
        return;
    }
    let alg = "HMAC/SHA-256";
    // `opt_symmetric_key`: tag 0 (some) at +0, the handle at +4.
    let some_key: [u32; 2] = [0, key];
    let mut state = 0u32;
    let mut tag = 0u32;
    let mut tag_bytes = [0u8; 32];
    let mut n = 0u32;
    unsafe {
        symmetric::symmetric_state_open(
            alg.as_ptr() as u32,
            alg.len() as u32,
            ptr(&some_key),
            ptr(&NONE),
            out(&mut state),
        );
        symmetric::symmetric_state_absorb(state, message.as_ptr() as u32, message.len() as u32);
        symmetric::symmetric_state_squeeze_tag(state, out(&mut tag));
        symmetric::symmetric_tag_pull(tag, tag_bytes.as_mut_ptr() as u32, 32, out(&mut n));
    }
    println!("hmac={}", hex(&tag_bytes[..n as usize]));
    let mut exported = 0u32;
    println!("export={}", unsafe { symmetric::symmetric_key_export(key, out(&mut exported)) });
}

fn keypair(sm: u32, id: &[u8]) {
    let mut kp = 0u32;
    let e = unsafe { asymmetric::keypair_from_id(sm, id.as_ptr() as u32, id.len() as u32, LATEST, out(&mut kp)) };
    if e != 0 {
        println!("from_id={e}");
        return;
    }
    let (mut pk, mut output) = (0u32, 0u32);
    unsafe {
        asymmetric::keypair_publickey(kp, out(&mut pk));
        asymmetric::publickey_export(pk, RAW, out(&mut output));
    }
    println!("pk={}", hex(&pull(output)));
    let mut exported = 0u32;
    println!("export={}", unsafe { asymmetric::keypair_export(kp, PKCS8, out(&mut exported)) });
}

fn lifecycle(sm: u32) {
    let alg = "HMAC/SHA-256";
    let mut key = 0u32;
    let e = unsafe {
        symmetric::symmetric_key_generate_managed(sm, alg.as_ptr() as u32, alg.len() as u32, ptr(&NONE), out(&mut key))
    };
    println!("generate={e}");
    let mut id = [0u8; 64];
    let (mut len, mut version) = (0u32, 0u64);
    let e = unsafe { symmetric::symmetric_key_id(key, id.as_mut_ptr() as u32, 64, out(&mut len), out(&mut version)) };
    println!("id={e} len={len} version={version}");
    let id = &id[..len as usize];
    let mut exported = 0u32;
    println!("export={}", unsafe { symmetric::symmetric_key_export(key, out(&mut exported)) });
    let mut new = 0u32;
    let raw = [7u8; 32];
    unsafe {
        symmetric::symmetric_key_import(alg.as_ptr() as u32, alg.len() as u32, raw.as_ptr() as u32, 32, out(&mut new))
    };
    let mut v2 = 0u64;
    let e = unsafe { symmetric::symmetric_key_replace_managed(sm, key, new, out(&mut v2)) };
    println!("replace={e} version={v2}");
    let mut loaded = 0u32;
    let e = unsafe { symmetric::symmetric_key_from_id(sm, id.as_ptr() as u32, len, LATEST, out(&mut loaded)) };
    let mut output = 0u32;
    unsafe { symmetric::symmetric_key_export(loaded, out(&mut output)) };
    println!("from_id={e} raw={}", hex(&pull(output)));
    let e = unsafe { common::secrets_manager_invalidate(sm, id.as_ptr() as u32, len, ALL) };
    let gone = unsafe { symmetric::symmetric_key_from_id(sm, id.as_ptr() as u32, len, LATEST, out(&mut loaded)) };
    println!("invalidate={e} then={gone}");

    let secret = b"s3cret";
    let mut sid = [0u8; 16];
    let e = unsafe {
        external::external_secret_store(sm, secret.as_ptr() as u32, 6, u64::MAX, sid.as_mut_ptr() as u32, 16)
    };
    let mut output = 0u32;
    let f = unsafe { external::external_secret_from_id(sm, sid.as_ptr() as u32, 16, LATEST, out(&mut output)) };
    println!("store={e} from_id={f} secret={}", String::from_utf8_lossy(&pull(output)));
    let e = unsafe { external::external_secret_encapsulate(sm, secret.as_ptr() as u32, 6, u64::MAX, out(&mut output)) };
    let mut envelope = pull(output);
    let d = unsafe {
        external::external_secret_decapsulate(sm, envelope.as_ptr() as u32, envelope.len() as u32, out(&mut output))
    };
    println!(
        "encapsulate={e} len={} decapsulate={d} secret={}",
        envelope.len(),
        String::from_utf8_lossy(&pull(output))
    );
    envelope[30] ^= 1;
    let t = unsafe {
        external::external_secret_decapsulate(sm, envelope.as_ptr() as u32, envelope.len() as u32, out(&mut output))
    };
    println!("tampered={t}");
}

fn quota(sm: u32) {
    let secret = [0x5au8; 1024];
    let mut id = [0u8; 16];
    let mut stored = 0;
    let mut errno = 0;
    while stored < 1000 {
        errno = unsafe {
            external::external_secret_store(sm, secret.as_ptr() as u32, 1024, u64::MAX, id.as_mut_ptr() as u32, 16)
        };
        if errno != 0 {
            break;
        }
        stored += 1;
    }
    println!("stored={stored} errno={errno}");
}

fn operator(sm: u32, id: &[u8]) {
    let alg = "HMAC/SHA-256";
    let (mut key, mut new, mut version) = (0u32, 0u32, 0u64);
    let raw = [9u8; 32];
    let replaced = unsafe {
        symmetric::symmetric_key_from_id(sm, id.as_ptr() as u32, id.len() as u32, LATEST, out(&mut key));
        symmetric::symmetric_key_import(alg.as_ptr() as u32, alg.len() as u32, raw.as_ptr() as u32, 32, out(&mut new));
        symmetric::symmetric_key_replace_managed(sm, key, new, out(&mut version))
    };
    let invalidated = unsafe { common::secrets_manager_invalidate(sm, id.as_ptr() as u32, id.len() as u32, ALL) };
    let again =
        unsafe { symmetric::symmetric_key_from_id(sm, id.as_ptr() as u32, id.len() as u32, LATEST, out(&mut key)) };
    println!("replace={replaced} invalidate={invalidated} from_id={again}");
}

/// The version of a managed symmetric key.
fn key_version(key: u32) -> Result<u64, u32> {
    let mut id = [0u8; 64];
    let (mut len, mut version) = (0u32, 0u64);
    let e = unsafe { symmetric::symmetric_key_id(key, id.as_mut_ptr() as u32, 64, out(&mut len), out(&mut version)) };
    if e == 0 { Ok(version) } else { Err(e) }
}

fn fleet(sm: u32, id: &[u8], rounds: u32, seed: u8) {
    let alg = "HMAC/SHA-256";
    for round in 0..rounds {
        let raw: Vec<u8> = [seed, round as u8].repeat(16);
        let (mut old, mut new, mut version) = (0u32, 0u32, 0u64);
        let e =
            unsafe { symmetric::symmetric_key_from_id(sm, id.as_ptr() as u32, id.len() as u32, LATEST, out(&mut old)) };
        if e != 0 {
            println!("err={e}");
            continue;
        }
        unsafe {
            symmetric::symmetric_key_import(
                alg.as_ptr() as u32,
                alg.len() as u32,
                raw.as_ptr() as u32,
                32,
                out(&mut new),
            )
        };
        let e = unsafe { symmetric::symmetric_key_replace_managed(sm, old, new, out(&mut version)) };
        if e != 0 {
            println!("err={e}");
            continue;
        }
        println!("v={version} seed={seed} round={round}");
        if version % 4 == 0 {
            let e = unsafe { common::secrets_manager_invalidate(sm, id.as_ptr() as u32, id.len() as u32, version) };
            let mut gone = 0u32;
            let after = unsafe {
                symmetric::symmetric_key_from_id(sm, id.as_ptr() as u32, id.len() as u32, version, out(&mut gone))
            };
            println!("inv={version} errno={e} after={after}");
        }
    }
}

fn serve(sm: u32, id: &[u8]) {
    let mut line = String::new();
    while std::io::stdin().read_line(&mut line).is_ok_and(|n| n > 0) {
        line.clear();
        let mut key = 0u32;
        let e =
            unsafe { symmetric::symmetric_key_from_id(sm, id.as_ptr() as u32, id.len() as u32, LATEST, out(&mut key)) };
        match (e, key_version(key)) {
            (0, Ok(version)) => println!("latest={version}"),
            (0, Err(e)) | (e, _) => println!("from_id={e}"),
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut sm = 0u32;
    let e = unsafe { common::secrets_manager_open(ptr(&NONE), out(&mut sm)) };
    println!("sm={e}");
    if e != 0 {
        return;
    }
    match args.get(1).map(String::as_str) {
        Some("hmac") if args.len() == 4 => hmac(sm, args[2].as_bytes(), args[3].as_bytes()),
        Some("keypair") if args.len() == 3 => keypair(sm, args[2].as_bytes()),
        Some("lifecycle") => lifecycle(sm),
        Some("quota") => quota(sm),
        Some("operator") if args.len() == 3 => operator(sm, args[2].as_bytes()),
        Some("fleet") if args.len() == 5 => match (args[3].parse(), args[4].parse()) {
            (Ok(rounds), Ok(seed)) => fleet(sm, args[2].as_bytes(), rounds, seed),
            _ => std::process::exit(2),
        },
        Some("serve") if args.len() == 3 => serve(sm, args[2].as_bytes()),
        _ => {
            eprintln!(
                "usage: managed-keys hmac ID MESSAGE | keypair ID | lifecycle | quota | operator ID | fleet ID ROUNDS SEED | serve ID"
            );
            std::process::exit(2);
        }
    }
}
