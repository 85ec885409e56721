//! The citizen's key: a secret made on the device with the tracking code
//! (at least 128 random bits), sent once with the complaint and kept by the
//! server only as its SHA-256 hash. The tracking code shows a complaint's
//! public state to anyone; adding information, confirming, disputing and
//! rating need the key, so that nobody who saw a code (staff included)
//! speaks for the citizen. The tracking link carries it after `#`, which
//! browsers never send to a server.

/// Shortest key accepted: 22 characters of base64url are 132 bits.
pub const MIN_CHARS: usize = 22;
pub const MAX_CHARS: usize = 128;

/// Whether `key` has the form of a key: 22–128 characters of `A–Z a–z 0–9 - _`.
pub fn well_formed(key: &str) -> bool {
    (MIN_CHARS..=MAX_CHARS).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A new key from the platform's cryptographic random source, through two
/// v4 UUIDs (244 random bits, 64 hex digits), as the tracking code is made:
/// no further code in the phone's download.
pub fn new_key() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// The fragment of a tracking link that carries `key`.
pub fn fragment(key: &str) -> String {
    format!("#k={key}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_long_random_and_well_formed() {
        let (a, b) = (new_key(), new_key());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert!(well_formed(&a));
        assert!(!well_formed("short"));
        assert!(!well_formed(&"a".repeat(129)));
        assert!(!well_formed("abcdefghijklmnopqrstuv\u{0}"));
        assert!(!well_formed("abcdefghijklmnopqrst uv"));
        assert!(well_formed("abcdefghijklmnopqrstu-_"));
        assert_eq!(fragment("abc"), "#k=abc");
    }
}
