//! The master key: 32 bytes from a key file or an environment variable, never written to the
//! store. Every key the store uses is derived from it.

use std::fmt;
use std::path::Path;
use wasmcrypt::secrets::StoreError;
use zeroize::Zeroizing;

/// The length of a master key in bytes.
pub const MASTER_KEY_LEN: usize = 32;

/// A 32-byte master key, wiped on drop.
pub struct MasterKey(Zeroizing<[u8; MASTER_KEY_LEN]>);

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey(<redacted>)")
    }
}

impl MasterKey {
    /// A key from its 32 bytes.
    pub fn from_bytes(bytes: [u8; MASTER_KEY_LEN]) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// A fresh random key.
    pub fn generate() -> Result<Self, StoreError> {
        let mut key = Zeroizing::new([0u8; MASTER_KEY_LEN]);
        getrandom::fill(&mut key[..]).map_err(|e| StoreError::Backend(format!("random: {e}")))?;
        Ok(Self(key))
    }

    /// Parses 64 hexadecimal digits (surrounding white space ignored).
    pub fn from_hex(text: &str) -> Result<Self, StoreError> {
        let digits = text.trim().as_bytes();
        if digits.len() != 2 * MASTER_KEY_LEN {
            return Err(StoreError::Backend("a master key is 64 hexadecimal digits".into()));
        }
        let mut key = Zeroizing::new([0u8; MASTER_KEY_LEN]);
        hex::decode_to_slice(digits, &mut key[..])
            .map_err(|_| StoreError::Backend("a master key is 64 hexadecimal digits".into()))?;
        Ok(Self(key))
    }

    /// The key as 64 lower-case hexadecimal digits.
    pub fn to_hex(&self) -> Zeroizing<String> {
        let mut digits = Zeroizing::new([0u8; 2 * MASTER_KEY_LEN]);
        // Cannot fail: the buffer is exactly twice the key's length.
        let _ = hex::encode_to_slice(&self.0[..], &mut digits[..]);
        Zeroizing::new(digits.iter().map(|&d| char::from(d)).collect())
    }

    /// Reads a key file: 32 raw bytes, or 64 hexadecimal digits.
    pub fn from_file(path: &Path) -> Result<Self, StoreError> {
        let data =
            Zeroizing::new(std::fs::read(path).map_err(|e| StoreError::Backend(format!("{}: {e}", path.display())))?);
        if let Ok(bytes) = <[u8; MASTER_KEY_LEN]>::try_from(data.as_slice()) {
            return Ok(Self::from_bytes(bytes));
        }
        let text =
            std::str::from_utf8(&data).map_err(|_| StoreError::Backend("master key file is not valid".into()))?;
        Self::from_hex(text)
    }

    /// Writes the key as hexadecimal to a new file readable by its owner only; fails if the file
    /// exists.
    pub fn write_new_file(&self, path: &Path) -> Result<(), StoreError> {
        use std::io::Write;
        let err = |e: std::io::Error| StoreError::Backend(format!("{}: {e}", path.display()));
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path).map_err(err)?;
        file.write_all(self.to_hex().as_bytes()).map_err(err)?;
        file.write_all(b"\n").map_err(err)?;
        file.sync_all().map_err(err)
    }

    pub(crate) fn bytes(&self) -> &[u8; MASTER_KEY_LEN] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_rejects() {
        let key = MasterKey::from_bytes([0xab; 32]);
        assert_eq!(key.to_hex().as_str(), "ab".repeat(32));
        assert_eq!(MasterKey::from_hex(&format!(" {}\n", "AB".repeat(32))).unwrap().bytes(), &[0xab; 32]);
        assert!(MasterKey::from_hex("ab").is_err());
        assert!(MasterKey::from_hex(&"zz".repeat(32)).is_err());
        assert_eq!(format!("{key:?}"), "MasterKey(<redacted>)");
    }
}
