//! The curator PIN's hash in the configuration (`pin_hash`, made by `citygrid pin`).
//!
//! New hashes are Argon2id (RFC 9106, the `argon2` crate) in the PHC string form
//! `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`: memory-hard, so that a copied
//! configuration file does not give the PIN away to a GPU running through all 10⁴–10⁶
//! PINs of 4–6 digits. The parameters are the crate's defaults (19 MiB, 2 passes, one
//! lane: OWASP's recommended minimum); checking a PIN takes ~50–100 ms on a hall PC, once
//! per attempt, and the gate locks out after repeated failures. Hashes made by earlier
//! builds (`blake3:<salt hex>:<hash hex>`, salted and iterated BLAKE3) are still accepted
//! until the PIN is next set.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// A PIN's hash, as the configuration holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PinHash {
    /// Argon2id, in PHC string form (checked to parse).
    Argon2id(String),
    /// The earlier form: a salt and 10,000 rounds of BLAKE3.
    Blake3 { salt: Vec<u8>, hash: [u8; 32] },
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn blake3_digest(salt: &[u8], pin: &str) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    h.update(salt);
    h.update(pin.as_bytes());
    let mut out = *h.finalize().as_bytes();
    for _ in 0..10_000 {
        out = *blake3::hash(&out).as_bytes();
    }
    out
}

impl PinHash {
    /// Hashes a PIN with Argon2id and a fresh random salt (from the operating system).
    /// Errors: the system gives no randomness.
    pub fn new(pin: &str) -> Result<PinHash, String> {
        Argon2::default()
            .hash_password(pin.as_bytes())
            .map(|h| PinHash::Argon2id(h.to_string()))
            .map_err(|e| format!("cannot hash the PIN: {e}"))
    }

    /// Reads a hash in either form; `None` when it is neither.
    pub fn parse(s: &str) -> Option<PinHash> {
        if s.starts_with("$argon2id$") {
            return PasswordHash::new(s)
                .ok()
                .map(|_| PinHash::Argon2id(s.to_string()));
        }
        let rest = s.strip_prefix("blake3:")?;
        let (salt, hash) = rest.split_once(':')?;
        let salt = unhex(salt)?;
        let hash: [u8; 32] = unhex(hash)?.try_into().ok()?;
        (!salt.is_empty()).then_some(PinHash::Blake3 { salt, hash })
    }

    /// Whether `pin` is the PIN this hash was made from.
    pub fn matches(&self, pin: &str) -> bool {
        match self {
            PinHash::Argon2id(phc) => Argon2::default()
                .verify_password(pin.as_bytes(), phc.as_str())
                .is_ok(),
            PinHash::Blake3 { salt, hash } => blake3_digest(salt, pin) == *hash,
        }
    }

    /// Whether this is the earlier form (a curator should set the PIN again).
    pub fn is_legacy(&self) -> bool {
        matches!(self, PinHash::Blake3 { .. })
    }
}

impl std::fmt::Display for PinHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PinHash::Argon2id(phc) => f.write_str(phc),
            PinHash::Blake3 { salt, hash } => write!(f, "blake3:{}:{}", hex(salt), hex(hash)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_hashes_are_argon2id_and_old_ones_still_open_the_gate() {
        let h = PinHash::new("2468").unwrap_or_else(|e| panic!("{e}"));
        let text = h.to_string();
        assert!(
            text.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{text}"
        );
        let parsed = PinHash::parse(&text).unwrap_or_else(|| panic!("parses: {text}"));
        assert!(parsed.matches("2468"));
        assert!(!parsed.matches("2469"));
        assert_ne!(
            PinHash::new("2468")
                .map(|h| h.to_string())
                .unwrap_or_default(),
            text,
            "salted"
        );
        // A hash written by an earlier build (`citygrid pin` before Argon2id).
        let salt = vec![7u8; 16];
        let old = PinHash::Blake3 {
            hash: blake3_digest(&salt, "1357"),
            salt,
        }
        .to_string();
        let old = PinHash::parse(&old).unwrap_or_else(|| panic!("parses: {old}"));
        assert!(old.is_legacy() && old.matches("1357") && !old.matches("1358"));
        for junk in ["$argon2id$v=19$junk", "blake3:zz:00", "md5:abc", ""] {
            assert_eq!(PinHash::parse(junk), None, "{junk}");
        }
    }
}
