//! Tamper evidence: each accepted response's content hash and its link in
//! the chain of every accepted response.
//!
//! `content_hash = SHA-256(canonical JSON)` and
//! `chain_hash = SHA-256(previous chain_hash ‖ content_hash)`, both over raw
//! 32-byte digests and written as lower-case hex; before the first response
//! the chain is 32 zero bytes ([`GENESIS`]). Changing, removing, inserting or
//! reordering any response changes every chain hash after it.

use sha2::{Digest, Sha256};

/// The chain hash before the first response.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// SHA-256 of a response's canonical serialisation, lower-case hex.
pub fn content_hash(canonical: &str) -> String {
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// The chain hash after a response with `content_hash`, following `previous`.
/// `None` when either is not 64 hex digits.
pub fn link(previous: &str, content_hash: &str) -> Option<String> {
    let mut prev = [0u8; 32];
    let mut content = [0u8; 32];
    hex::decode_to_slice(previous, &mut prev).ok()?;
    hex::decode_to_slice(content_hash, &mut content).ok()?;
    let mut h = Sha256::new();
    h.update(prev);
    h.update(content);
    Some(hex::encode(h.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_follow_the_documented_formula() {
        let c = content_hash("abc");
        assert_eq!(
            c,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // Computed with Python's hashlib, independently of this code.
        let first = link(GENESIS, &c).unwrap();
        assert_eq!(
            first,
            "589f9ffed4c477966bfb8d41f37895b08c69047df8f911d6f3b57fbe08faee8d"
        );
        assert_eq!(
            link(&first, &c).unwrap(),
            "bdeb6c6dc63852834c89f67066194207ce7d3806ea40ca58dc079246ef58a926"
        );
        assert_ne!(link(GENESIS, &c), link(&c, &c));
        assert_eq!(link("xyz", &c), None);
        assert_eq!(link(GENESIS, "00"), None);
    }
}
