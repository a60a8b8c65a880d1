//! PHC string format encodings of password hashes: `$id$params$salt$hash`, with the salt and
//! hash in B64 (standard alphabet, no padding).

use base64ct::{Base64Unpadded, Encoding};
use std::fmt::Write;
use zeroize::Zeroizing;

/// Builds `$<id>$<params>$<B64 salt>$<B64 hash>`.
pub(crate) fn encode(id: &str, params: &str, salt: &[u8], hash: &[u8]) -> Zeroizing<String> {
    let mut s =
        Zeroizing::new(String::with_capacity(id.len() + params.len() + 4 + (salt.len() + hash.len()) * 4 / 3 + 2));
    // Writing to a String cannot fail.
    let _ = write!(s, "${id}${params}${}${}", Base64Unpadded::encode_string(salt), Base64Unpadded::encode_string(hash));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn b64_without_padding() {
        assert_eq!(*encode("x", "a=1", b"ab", b"\xff"), "$x$a=1$YWI$/w");
        assert_eq!(*encode("pbkdf2-sha256", "i=1", b"", b"abc"), "$pbkdf2-sha256$i=1$$YWJj");
    }
}
