//! Who may use the docent's console: the PIN (checked against its Argon2id hash), the
//! lockout after wrong PINs, and the sessions that a sign-in opens.
//!
//! Each address gets `max_attempts` wrong PINs in a row; then it is locked out for
//! `lockout`, twice as long at each further lockout (up to a day). An IPv6 address counts
//! by its /64 network (one device may hold a whole /64). Wrong PINs from all addresses
//! together are counted too: four addresses' worth within one lockout period locks sign-in
//! for everyone, for `lockout` and twice as long each further time (up to a day), so a
//! 4-digit PIN's 10⁴ values cannot be run through from many addresses either. A session is a random 256-bit token (from the
//! operating system) kept in a cookie, bound to the address that signed in, ended by
//! signing out, by `idle` without use, after [`SESSION_MAX`] in any case, or when
//! [`MAX_SESSIONS`] newer ones push it out.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::time::{Duration, Instant};

use crate::config::PinHash;
use crate::hall::osc::same;

/// Longest a session lasts however busy, 12 h (an opening day).
pub const SESSION_MAX: Duration = Duration::from_secs(12 * 3600);
/// Sessions open at once at most; a new one ends the least recently used.
pub const MAX_SESSIONS: usize = 16;
/// Longest lockout of one address, 24 h.
const LOCKOUT_MAX: Duration = Duration::from_secs(24 * 3600);
/// Longest PIN taken, characters (longer ones are wrong without being hashed).
const MAX_PIN: usize = 64;
/// Addresses whose wrong PINs are remembered at most (the oldest quiet one is forgotten).
const MAX_ADDRESSES: usize = 1024;

/// What a sign-in came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    /// Signed in: the session's token (64 hex digits).
    Opened(String),
    /// Wrong PIN; `left` more wrong ones before the address is locked out.
    Wrong { left: u32 },
    /// Locked out (this address, or everyone): try again in `seconds`.
    Locked { seconds: u64 },
    /// The system gave no randomness for a token (nothing opened).
    NoToken,
}

#[derive(Debug)]
struct Session {
    token: String,
    from: IpAddr,
    opened: Instant,
    used: Instant,
}

#[derive(Debug, Default)]
struct Failures {
    in_a_row: u32,
    lockouts: u32,
    locked_until: Option<Instant>,
    last: Option<Instant>,
}

/// The console's lockouts and sessions (the PIN's hash is checked apart, with
/// [`pin_matches`], so that other requests need not wait for it).
#[derive(Debug)]
pub struct Gate {
    max_attempts: u32,
    lockout: Duration,
    idle: Duration,
    sessions: Vec<Session>,
    failures: HashMap<IpAddr, Failures>,
    /// Times of recent wrong PINs from anyone.
    recent: VecDeque<Instant>,
    hall_locked_until: Option<Instant>,
    hall_lockouts: u32,
}

/// Whom wrong PINs and requests are counted against: an IPv4 address, or an IPv6
/// address's /64 network.
pub fn who(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let mut s = v6.segments();
            s[4..].fill(0);
            IpAddr::V6(s.into())
        }
        v4 => v4,
    }
}

/// Whether `pin` is the one `hash` was made from (~0.1 s of one core for Argon2id);
/// longer than [`MAX_PIN`] characters it is wrong unhashed.
pub fn pin_matches(hash: &PinHash, pin: &str) -> bool {
    pin.chars().count() <= MAX_PIN && hash.matches(pin)
}

/// One more lockout (`count` of them so far): `lockout` × 2^(count − 1), at most a day,
/// from `now`; when it ends, and the answer.
fn lock(count: &mut u32, lockout: Duration, now: Instant) -> (Instant, Login) {
    *count += 1;
    let factor = 1u32 << (*count - 1).min(16);
    let length = lockout.saturating_mul(factor).min(LOCKOUT_MAX);
    let seconds = length.as_secs().max(1);
    (now + length, Login::Locked { seconds })
}

/// A fresh session token: 32 random bytes from the operating system, in hex.
fn token() -> Option<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl Gate {
    /// A gate for `pin`: `max_attempts` wrong PINs in a row lock an address out for
    /// `lockout` (doubling); sessions end after `idle` without use.
    pub fn new(max_attempts: u32, lockout: Duration, idle: Duration) -> Gate {
        Gate {
            max_attempts: max_attempts.max(1),
            lockout,
            idle,
            sessions: Vec::new(),
            failures: HashMap::new(),
            recent: VecDeque::new(),
            hall_locked_until: None,
            hall_lockouts: 0,
        }
    }

    /// Seconds until `from` may try again at `now`, when it (or everyone) is locked out.
    pub fn locked(&self, from: IpAddr, now: Instant) -> Option<u64> {
        let own = self.failures.get(&who(from)).and_then(|f| f.locked_until);
        [own, self.hall_locked_until]
            .into_iter()
            .flatten()
            .filter(|&t| t > now)
            .map(|t| t.saturating_duration_since(now).as_secs().max(1))
            .max()
    }

    /// A sign-in from `from` with `pin` checked against `hash` at `now` (the PIN is not
    /// hashed while the address is locked out).
    pub fn login(&mut self, hash: &PinHash, from: IpAddr, pin: &str, now: Instant) -> Login {
        if let Some(seconds) = self.locked(from, now) {
            return Login::Locked { seconds };
        }
        let right = pin_matches(hash, pin);
        self.record(from, right, now)
    }

    /// The outcome of a sign-in from `from` whose PIN was `right` or not at `now` (still
    /// refused when a lockout began meanwhile).
    pub fn record(&mut self, from: IpAddr, right: bool, now: Instant) -> Login {
        if let Some(seconds) = self.locked(from, now) {
            return Login::Locked { seconds };
        }
        if !right {
            return self.wrong(who(from), now);
        }
        self.failures.remove(&who(from));
        let Some(token) = token() else {
            return Login::NoToken;
        };
        if self.sessions.len() >= MAX_SESSIONS
            && let Some(oldest) = self
                .sessions
                .iter()
                .enumerate()
                .min_by_key(|(_, s)| s.used)
                .map(|(i, _)| i)
        {
            self.sessions.swap_remove(oldest);
        }
        self.sessions.push(Session {
            token: token.clone(),
            from,
            opened: now,
            used: now,
        });
        Login::Opened(token)
    }

    fn wrong(&mut self, from: IpAddr, now: Instant) -> Login {
        if self.failures.len() >= MAX_ADDRESSES && !self.failures.contains_key(&from) {
            // Forget the quietest address that is not locked out.
            if let Some(quiet) = self
                .failures
                .iter()
                .filter(|(_, f)| f.locked_until.is_none_or(|t| t <= now))
                .min_by_key(|(_, f)| f.last)
                .map(|(a, _)| *a)
            {
                self.failures.remove(&quiet);
            }
        }
        let f = self.failures.entry(from).or_default();
        // A day without a lockout forgives the earlier ones.
        if f.locked_until.is_some_and(|t| now > t + LOCKOUT_MAX) {
            f.lockouts = 0;
        }
        f.in_a_row += 1;
        f.last = Some(now);
        let mut out = Login::Wrong {
            left: self.max_attempts.saturating_sub(f.in_a_row),
        };
        if f.in_a_row >= self.max_attempts {
            f.in_a_row = 0;
            let (until, locked) = lock(&mut f.lockouts, self.lockout, now);
            f.locked_until = Some(until);
            out = locked;
        }
        self.recent.push_back(now);
        while self
            .recent
            .front()
            .is_some_and(|&t| now.saturating_duration_since(t) > self.lockout)
        {
            self.recent.pop_front();
        }
        if self
            .hall_locked_until
            .is_some_and(|t| now > t + LOCKOUT_MAX)
        {
            self.hall_lockouts = 0;
        }
        if self.recent.len() as u32 >= self.max_attempts * 4 {
            self.recent.clear();
            let (until, locked) = lock(&mut self.hall_lockouts, self.lockout, now);
            self.hall_locked_until = Some(until);
            out = locked;
        }
        out
    }

    /// Whether `token` is an open session of `from` at `now`; `used` marks it used (a
    /// command: a page that only watches does not keep its session open).
    pub fn session(&mut self, token: &str, from: IpAddr, now: Instant, used: bool) -> bool {
        let (idle, max) = (self.idle, SESSION_MAX);
        self.sessions.retain(|s| {
            now.saturating_duration_since(s.used) < idle
                && now.saturating_duration_since(s.opened) < max
        });
        match self
            .sessions
            .iter_mut()
            .find(|s| same(&s.token, token) && s.from == from)
        {
            Some(s) => {
                if used {
                    s.used = now;
                }
                true
            }
            None => false,
        }
    }

    /// Ends the session `token` (signing out).
    pub fn logout(&mut self, token: &str) {
        self.sessions.retain(|s| !same(&s.token, token));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A gate whose PIN is 2468: `g.login(...)` with the hash given once.
    struct G(Gate, PinHash);

    impl G {
        fn login(&mut self, from: IpAddr, pin: &str, now: Instant) -> Login {
            self.0.login(&self.1, from, pin, now)
        }
        fn session(&mut self, t: &str, from: IpAddr, now: Instant) -> bool {
            self.0.session(t, from, now, true)
        }
        fn logout(&mut self, t: &str) {
            self.0.logout(t)
        }
    }

    fn gate() -> G {
        let pin = PinHash::new("2468").expect("a hash");
        G(
            Gate::new(3, Duration::from_secs(60), Duration::from_secs(600)),
            pin,
        )
    }

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 168, 10, 20));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 168, 10, 21));

    #[test]
    fn the_right_pin_opens_a_session_bound_to_its_address() {
        let mut g = gate();
        let now = Instant::now();
        let Login::Opened(t) = g.login(A, "2468", now) else {
            panic!("the right PIN opens");
        };
        assert_eq!(t.len(), 64);
        assert!(g.session(&t, A, now));
        assert!(!g.session(&t, B, now), "another address cannot use it");
        assert!(!g.session("00", A, now));
        assert!(!g.session(&t, A, now + Duration::from_secs(601)), "idle");
        let Login::Opened(t) = g.login(A, "2468", now) else {
            panic!("opens again");
        };
        g.logout(&t);
        assert!(!g.session(&t, A, now));
    }

    #[test]
    fn wrong_pins_lock_an_address_out_and_the_lockout_doubles() {
        let mut g = gate();
        let t0 = Instant::now();
        assert_eq!(g.login(A, "0000", t0), Login::Wrong { left: 2 });
        assert_eq!(g.login(A, "1111", t0), Login::Wrong { left: 1 });
        assert_eq!(g.login(A, "2222", t0), Login::Locked { seconds: 60 });
        // Even the right PIN is refused while locked; another address is not.
        assert_eq!(g.login(A, "2468", t0), Login::Locked { seconds: 60 });
        assert!(matches!(g.login(B, "2468", t0), Login::Opened(_)));
        let t1 = t0 + Duration::from_secs(61);
        for pin in ["0", "1"] {
            assert!(matches!(g.login(A, pin, t1), Login::Wrong { .. }));
        }
        assert_eq!(g.login(A, "2", t1), Login::Locked { seconds: 120 });
        // A right PIN after the lockout clears the count.
        let t2 = t1 + Duration::from_secs(121);
        assert!(matches!(g.login(A, "2468", t2), Login::Opened(_)));
        assert_eq!(g.login(A, "9", t2), Login::Wrong { left: 2 });
    }

    #[test]
    fn wrong_pins_from_many_addresses_lock_everyone_out() {
        let mut g = gate();
        let now = Instant::now();
        let mut last = Login::NoToken;
        for i in 0..12u8 {
            let ip = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, i));
            last = g.login(ip, "0000", now);
        }
        assert_eq!(last, Login::Locked { seconds: 60 });
        assert_eq!(g.login(A, "2468", now), Login::Locked { seconds: 60 });
        let later = now + Duration::from_secs(61);
        assert!(matches!(g.login(A, "2468", later), Login::Opened(_)));
        // The next round locks everyone out twice as long.
        for i in 0..12u8 {
            let ip = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 1, i));
            last = g.login(ip, "0000", later);
        }
        assert_eq!(last, Login::Locked { seconds: 120 });
    }

    #[test]
    fn an_ipv6_network_counts_as_one_address() {
        let mut g = gate();
        let now = Instant::now();
        let ip = |last: u16| IpAddr::V6(std::net::Ipv6Addr::new(0xfd00, 1, 2, 3, 9, 9, 9, last));
        assert!(matches!(g.login(ip(1), "0", now), Login::Wrong { left: 2 }));
        assert!(matches!(g.login(ip(2), "0", now), Login::Wrong { left: 1 }));
        assert!(matches!(g.login(ip(3), "0", now), Login::Locked { .. }));
        assert!(matches!(g.login(ip(4), "2468", now), Login::Locked { .. }));
        // A watching page does not keep a session open; a command does.
        let other = IpAddr::V6(std::net::Ipv6Addr::new(0xfd00, 1, 2, 4, 0, 0, 0, 1));
        let Login::Opened(t) = g.login(other, "2468", now) else {
            panic!("another network signs in");
        };
        let t1 = now + Duration::from_secs(500);
        assert!(g.0.session(&t, other, t1, false));
        assert!(!g.0.session(&t, other, now + Duration::from_secs(601), false));
    }

    #[test]
    fn sessions_are_capped_and_the_least_used_goes() {
        let mut g = gate();
        let now = Instant::now();
        let tokens: Vec<String> = (0..=MAX_SESSIONS as u64)
            .map(|i| match g.login(A, "2468", now + Duration::from_secs(i)) {
                Login::Opened(t) => t,
                other => panic!("{other:?}"),
            })
            .collect();
        let later = now + Duration::from_secs(100);
        assert!(!g.session(&tokens[0], A, later), "the oldest went");
        assert!(g.session(&tokens[MAX_SESSIONS], A, later));
    }
}
