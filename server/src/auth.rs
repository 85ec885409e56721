//! Passwords (argon2id) and bearer/session tokens (random, stored hashed).

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use base64::Engine as _;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;
use std::time::Duration;
use tokio::sync::Semaphore;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Admin,
    UnitHead,
    Auditor,
    /// A regent's office or an inspectorate: reads the overview, the
    /// dashboards and reports of the units of its agencies; changes nothing
    /// and reads no complaint's words.
    Leadership,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::UnitHead => "unit-head",
            Self::Auditor => "auditor",
            Self::Leadership => "leadership",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Self::Admin),
            "unit-head" => Some(Self::UnitHead),
            "auditor" => Some(Self::Auditor),
            "leadership" => Some(Self::Leadership),
            _ => None,
        }
    }
}

/// A valid argon2id hash of a random password nobody knows.
pub const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c3VhcmFkdW1teXNhbHQ$7yYl2yXw0n6QW1l3cN4gGJmRk6l3o4xQ0wq9m2c9Qm8";

pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashes any password")
        .to_string()
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Argon2 is deliberately slow (tens of milliseconds of one core): it runs
/// on tokio's blocking pool, never on the workers that answer requests, and
/// at most this many at once (one a core), so that a burst of sign-ins
/// cannot take every core from syncs and pages.
static HASHING: LazyLock<Semaphore> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    Semaphore::new(cores.clamp(1, 8))
});

/// How long a password waits for its turn before the request is answered
/// `503` (try again shortly) rather than queued without end.
pub const HASHING_WAIT: Duration = Duration::from_secs(2);

/// Too many passwords are being checked at once.
#[derive(Debug, thiserror::Error)]
#[error("the server is checking too many passwords at once; try again in a moment")]
pub struct Busy;

/// Runs `work` (Argon2) on the blocking pool once a turn is free.
async fn slow<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, Busy> {
    let _turn = tokio::time::timeout(HASHING_WAIT, HASHING.acquire())
        .await
        .map_err(|_| Busy)?
        .map_err(|_| Busy)?;
    tokio::task::spawn_blocking(work).await.map_err(|_| Busy)
}

/// [`verify_password`] off the request's worker, behind the hashing gate.
pub async fn check_password(password: &str, hash: &str) -> Result<bool, Busy> {
    let (password, hash) = (password.to_owned(), hash.to_owned());
    slow(move || verify_password(&password, &hash)).await
}

/// [`hash_password`] off the request's worker, behind the hashing gate.
pub async fn hash_password_gated(password: &str) -> Result<String, Busy> {
    let password = password.to_owned();
    slow(move || hash_password(&password)).await
}

/// 256 random bits, URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Whether `given` is `secret`, compared (as digests) in a time that does
/// not depend on where they differ.
pub fn same_secret(given: &str, secret: &str) -> bool {
    let (a, b) = (
        Sha256::digest(given.as_bytes()),
        Sha256::digest(secret.as_bytes()),
    );
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_when_right() {
        let h = hash_password("correct horse battery");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong", &h));
    }

    #[test]
    fn dummy_hash_parses_and_matches_nothing_common() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(!verify_password("", DUMMY_HASH));
        assert!(!verify_password("password", DUMMY_HASH));
    }

    #[test]
    fn tokens_are_unique_and_hashes_stable() {
        assert_ne!(new_token(), new_token());
        assert_eq!(hash_token("a"), hash_token("a"));
        assert_eq!(new_token().len(), 43);
    }
}
