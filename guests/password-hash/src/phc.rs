//! Just enough of the PHC string format to verify a stored password hash: the algorithm, its
//! parameters and the salt, decoded from B64 (standard alphabet, no padding).

/// The parameters of a stored string, as the options of a state that recomputes it.
pub struct Stored {
    /// The WASI-crypto algorithm name.
    pub algorithm: &'static str,
    /// The scratch memory in bytes (Argon2: m KiB; scrypt: 2^ln · 1024), 0 for PBKDF2.
    pub memory: usize,
    pub opslimit: u64,
    /// `None` for PBKDF2, which takes no `parallelism`.
    pub parallelism: Option<u64>,
    pub salt: Vec<u8>,
    pub hash: Vec<u8>,
}

/// Parses `$id[$v=19]$params$salt$hash`; `None` if malformed.
pub fn parse(s: &str) -> Option<Stored> {
    let mut fields = s.strip_prefix('$')?.split('$');
    let id = fields.next()?;
    let algorithm = match id {
        "argon2id" => "ARGON2-ID-13",
        "argon2i" => "ARGON2-I-13",
        "argon2d" => "ARGON2-D-13",
        "scrypt" => "SCRYPT",
        "pbkdf2-sha256" => "PBKDF2-HMAC/SHA-256",
        "pbkdf2-sha512" => "PBKDF2-HMAC/SHA-512",
        _ => return None,
    };
    let mut params = fields.next()?;
    if params == "v=19" {
        params = fields.next()?;
    }
    let (salt, hash) = (b64_decode(fields.next()?)?, b64_decode(fields.next()?)?);
    let param =
        |name: &str| params.split(',').find_map(|kv| kv.strip_prefix(name)?.strip_prefix('=')?.parse::<u64>().ok());
    let stored = match algorithm {
        "SCRYPT" => {
            if param("r")? != 8 {
                return None;
            }
            let ln = param("ln")?;
            Stored { algorithm, memory: (1usize << ln) * 1024, opslimit: ln, parallelism: param("p"), salt, hash }
        }
        "PBKDF2-HMAC/SHA-256" | "PBKDF2-HMAC/SHA-512" => {
            Stored { algorithm, memory: 0, opslimit: param("i")?, parallelism: None, salt, hash }
        }
        _ => Stored {
            algorithm,
            memory: param("m")? as usize * 1024,
            opslimit: param("t")?,
            parallelism: param("p"),
            salt,
            hash,
        },
    };
    Some(stored)
}

/// Decodes B64 without padding.
pub fn b64_decode(s: &str) -> Option<Vec<u8>> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for c in s.bytes() {
        acc = (acc << 6) | u32::from(value(c)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}
