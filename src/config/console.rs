//! The `console` section: the docent's web console (`docs/console.md`), a small page the
//! leading exhibit serves to a tablet's browser on the hall LAN. Off when absent.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use super::PinHash;

/// Where the docent's console listens and who may sign in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsoleConfig {
    /// TCP port of the page (1024–65535).
    pub port: u16,
    /// Address it listens on: `127.0.0.1` (this PC only, the default) or the hall LAN's
    /// interface address (`0.0.0.0`: every interface).
    pub bind: String,
    /// The docent's PIN, as an Argon2id hash made by `citygrid pin` (the line it prints
    /// fits here as it is; required: a console without a PIN is refused). Kept apart from
    /// the curator's `pin_hash`: a docent steers the show, and never reaches curator mode.
    pub pin_hash: Option<String>,
    /// Wrong PINs in a row from one address before it is locked out (3–20).
    pub max_attempts: u32,
    /// How long a lockout lasts, seconds (30–86400); it doubles with each further lockout
    /// of the same address, up to a day.
    pub lockout_s: u64,
    /// A session unused this long is signed out, minutes (1–720).
    pub session_idle_min: u64,
    /// Requests a second taken from each address (bursts up to twice that; 1–100).
    pub max_per_s: u32,
}

impl Default for ConsoleConfig {
    fn default() -> Self {
        Self {
            port: 8088,
            bind: "127.0.0.1".into(),
            pin_hash: None,
            max_attempts: 5,
            lockout_s: 300,
            session_idle_min: 60,
            max_per_s: 20,
        }
    }
}

impl ConsoleConfig {
    /// The section's checks. Errors: the field (as `console.port`) and what is wrong.
    pub(super) fn check(&self) -> Result<(), (&'static str, String)> {
        if self.port < 1024 {
            return Err(("console.port", format!("{} is below 1024", self.port)));
        }
        if self.bind.parse::<IpAddr>().is_err() {
            return Err((
                "console.bind",
                format!("{:?} is not an IP address", self.bind),
            ));
        }
        match self.pin_hash.as_deref().and_then(PinHash::parse) {
            Some(PinHash::Argon2id(_)) => {}
            Some(PinHash::Blake3 { .. }) => {
                return Err((
                    "console.pin_hash",
                    "is an old blake3 hash: make a new one with `citygrid pin`".into(),
                ));
            }
            None => {
                return Err((
                    "console.pin_hash",
                    "is missing or not a hash made by `citygrid pin` ($argon2id$…)".into(),
                ));
            }
        }
        if !(3..=20).contains(&self.max_attempts) {
            return Err((
                "console.max_attempts",
                format!("{} is outside 3–20", self.max_attempts),
            ));
        }
        if !(30..=86_400).contains(&self.lockout_s) {
            return Err((
                "console.lockout_s",
                format!("{} is outside 30–86400 seconds", self.lockout_s),
            ));
        }
        if !(1..=720).contains(&self.session_idle_min) {
            return Err((
                "console.session_idle_min",
                format!("{} is outside 1–720 minutes", self.session_idle_min),
            ));
        }
        if !(1..=100).contains(&self.max_per_s) {
            return Err((
                "console.max_per_s",
                format!("{} is outside 1–100", self.max_per_s),
            ));
        }
        Ok(())
    }
}
