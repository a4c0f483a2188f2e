//! The `osc` section: show control over Open Sound Control and the hall's leader and
//! followers (`docs/osc.md`).

use std::net::{IpAddr, SocketAddr};

use serde::{Deserialize, Serialize};

/// Where and from whom the exhibit takes Open Sound Control commands, and whom it leads or
/// follows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OscConfig {
    /// UDP port the exhibit listens on (1024–65535; `--osc-port` sets it for one process).
    pub port: u16,
    /// Address it listens on: `127.0.0.1` (this PC only, the default) or the hall LAN's
    /// interface address (`0.0.0.0`: every interface).
    pub bind: String,
    /// The hall's key: every message carries it as its first argument (8–64 characters).
    pub key: String,
    /// Senders taken (IP addresses); others are dropped unread. Default: this PC only. A
    /// follower's leader is taken without being listed.
    pub allow: Vec<String>,
    /// Datagrams a second taken from each sender (bursts up to twice that; 1–1000).
    pub max_per_s: u32,
    /// This process leads (`--lead`): processes that follow it (`--follow`, `leader`) are
    /// sent what it shows on every change and once a second.
    pub lead: bool,
    /// The processes this one leads without their asking (`host:port` of their OSC ports),
    /// for followers that cannot ask (older builds, fixed installations). Empty: none.
    pub followers: Vec<String>,
    /// The leader this process follows (`IP:port` of its OSC port; `--follow`): it asks to
    /// be led once a second and takes syncs from that address only.
    pub leader: Option<String>,
    /// A follower that hears no leader for this long runs its own attract mode (2–600 s).
    pub leader_timeout_s: f64,
}

impl Default for OscConfig {
    fn default() -> Self {
        Self {
            port: 9000,
            bind: "127.0.0.1".into(),
            key: String::new(),
            allow: vec!["127.0.0.1".into()],
            max_per_s: 50,
            lead: false,
            followers: Vec::new(),
            leader: None,
            leader_timeout_s: 10.0,
        }
    }
}

impl OscConfig {
    /// Whether `a` is this process's own OSC port (it can neither lead nor follow itself).
    fn is_own(&self, a: &SocketAddr) -> bool {
        a.port() == self.port
            && (a.ip().is_loopback()
                || self
                    .bind
                    .parse::<IpAddr>()
                    .is_ok_and(|b| b.is_unspecified() || b == a.ip()))
    }

    /// Another process's OSC address (`field`'s entry `text`): an `IP:port` that is not this
    /// process's own. Errors: the field and what is wrong (`example` shows the form).
    fn peer(
        &self,
        field: &'static str,
        text: &str,
        example: &str,
    ) -> Result<SocketAddr, (&'static str, String)> {
        match text.parse::<SocketAddr>() {
            Err(_) => Err((
                field,
                format!("{text:?} is not an address:port like {example}"),
            )),
            Ok(a) if self.is_own(&a) => Err((
                field,
                format!("{text:?} is this process's own port: it cannot follow itself"),
            )),
            Ok(a) => Ok(a),
        }
    }

    /// The section's checks. Errors: the field (as `osc.key`) and what is wrong with it.
    pub(super) fn check(&self) -> Result<(), (&'static str, String)> {
        if self.port < 1024 {
            return Err(("osc.port", format!("{} is below 1024", self.port)));
        }
        if self.bind.parse::<IpAddr>().is_err() {
            return Err(("osc.bind", format!("{:?} is not an IP address", self.bind)));
        }
        if !(8..=64).contains(&self.key.chars().count()) {
            return Err((
                "osc.key",
                "must be 8–64 characters: every OSC message carries it".into(),
            ));
        }
        if let Some(a) = self.allow.iter().find(|a| a.parse::<IpAddr>().is_err()) {
            return Err(("osc.allow", format!("{a:?} is not an IP address")));
        }
        for f in &self.followers {
            self.peer("osc.followers", f, "192.168.10.12:9000")?;
        }
        if let Some(l) = &self.leader {
            let leader = self.peer("osc.leader", l, "192.168.10.11:9000")?;
            let loopback_bind = self.bind.parse::<IpAddr>().is_ok_and(|b| b.is_loopback());
            if loopback_bind && !leader.ip().is_loopback() {
                return Err((
                    "osc.leader",
                    format!(
                        "{l:?} is on another PC, but osc.bind is {}: its syncs could never \
                         arrive (bind this PC's hall-LAN address)",
                        self.bind
                    ),
                ));
            }
            if self.lead || !self.followers.is_empty() {
                return Err((
                    "osc.leader",
                    "a process that leads (lead, followers) follows no one".into(),
                ));
            }
        }
        if !(self.leader_timeout_s.is_finite() && (2.0..=600.0).contains(&self.leader_timeout_s)) {
            return Err((
                "osc.leader_timeout_s",
                format!("{} is outside 2–600 seconds", self.leader_timeout_s),
            ));
        }
        if !(1..=1000).contains(&self.max_per_s) {
            return Err((
                "osc.max_per_s",
                format!("{} is outside 1–1000", self.max_per_s),
            ));
        }
        Ok(())
    }

    /// Whether this process leads: `lead`, or followers listed.
    pub fn leads(&self) -> bool {
        self.lead || !self.followers.is_empty()
    }
}
