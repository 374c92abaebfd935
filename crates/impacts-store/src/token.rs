//! Bearer tokens: made of 32 random bytes from the operating system, kept as their SHA-256.

use std::io::Read;

use sha2::{Digest, Sha256};

/// The prefix of every token (so that a leaked one is recognisable in logs and scanners).
pub const PREFIX: &str = "impacts_";

/// A stored token (never the token itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Its number, to revoke it.
    pub id: i64,
    /// Whose.
    pub user: String,
    /// `user` or `admin`.
    pub role: String,
    /// When it was made (UTC seconds).
    pub created: i64,
    /// When it stops working (UTC seconds), if ever.
    pub expires: Option<i64>,
    /// What it is for.
    pub note: Option<String>,
}

/// A new token: the prefix and 32 random bytes from `/dev/urandom`, hexadecimal.
pub fn generate() -> std::io::Result<String> {
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    let mut s = String::from(PREFIX);
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    Ok(s)
}

/// The SHA-256 of a token, hexadecimal: what the store keeps and looks up.
pub fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_prefixed_and_hashed() {
        let (a, b) = (generate().unwrap(), generate().unwrap());
        assert_ne!(a, b);
        assert!(a.starts_with(PREFIX) && a.len() == PREFIX.len() + 64);
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
