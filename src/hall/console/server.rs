//! The console's routes: the page's three files, its JSON API and the screens'
//! thumbnails, over the transport of [`super::http`].
//!
//! | request | answer |
//! |---|---|
//! | `GET /`, `/console.js`, `/console.css` | the page (no session needed) |
//! | `POST /api/login` `{"pin":"…"}` | 204 and the session cookie; 401 wrong (with `left`), 429 locked out (with `seconds`) |
//! | `POST /api/logout` | 204, the cookie cleared |
//! | `GET /api/state` | what the exhibit shows now (JSON, made by the exhibit) |
//! | `GET /api/city` | the snapshot's regions and stories (JSON, made by the exhibit) |
//! | `GET /api/thumb/N` | screen N's latest thumbnail (PNG) |
//! | `POST /api/command` `{"do":…}` | 204 when the exhibit took it; 400 with the reason (not a command, an id the snapshot lacks); 409 while curator mode is open |
//!
//! Without a session the API answers 401; a POST without `X-Citygrid: 1` 403; a `Host`
//! that is not an IP address or `localhost` 421 (a page of another site reached through a
//! DNS name it controls); over the rate 429.

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::gate::{Gate, Login, who};
use super::http::{Req, Resp};
use crate::config::{ConsoleConfig, PinHash};
use crate::hall::osc::{HallCommand, RateLimit};

/// Commands queued for the exhibit at most.
const QUEUE: usize = 64;
/// How long a command waits for the exhibit's verdict (it is taken at its next frame).
const VERDICT_WAIT: Duration = Duration::from_secs(15);
/// The state is asked for once a second: the exhibit is woken at most this often for it,
/// so that its thumbnails stay fresh while it rests.
const WAKE_FOR_STATE: Duration = Duration::from_secs(2);
/// The session cookie's name.
const COOKIE: &str = "citygrid_session";

const PAGE: &str = include_str!("page/index.html");
const SCRIPT: &str = include_str!("page/console.js");
const STYLE: &str = include_str!("page/console.css");

/// One screen's thumbnail: its name and a PNG; `serial` is unique in the process and new
/// with each new picture ([`next_serial`]).
#[derive(Debug, Clone, Default)]
pub struct Thumb {
    pub name: String,
    pub png: Arc<Vec<u8>>,
    pub serial: u64,
}

/// A number for a new thumbnail, unique in this process (the page reloads a picture when
/// its number changes).
pub fn next_serial() -> u64 {
    static SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    SERIAL.fetch_add(1, Ordering::Relaxed)
}

/// What the exhibit puts up for the console and what the console tells it.
#[derive(Debug, Default)]
pub struct Shared {
    /// What the exhibit shows now, as JSON (`GET /api/state`).
    pub state: Mutex<Arc<Vec<u8>>>,
    /// The snapshot's regions and stories, as JSON (`GET /api/city`).
    pub city: Mutex<Arc<Vec<u8>>>,
    /// The screens' latest pictures: this exhibit's, then its followers'.
    pub thumbs: Mutex<Vec<Thumb>>,
    /// When a signed-in console last asked for the state: while it watches, the exhibit
    /// takes thumbnails.
    pub watched: Mutex<Option<Instant>>,
    /// When a signed-in console last sent a command the exhibit took.
    pub commanded: Mutex<Option<Instant>>,
}

fn within(t: &Mutex<Option<Instant>>, d: Duration) -> bool {
    t.lock()
        .ok()
        .and_then(|w| *w)
        .is_some_and(|t| t.elapsed() < d)
}

impl Shared {
    /// Whether a signed-in console asked for the state within `d`.
    pub fn watched_within(&self, d: Duration) -> bool {
        within(&self.watched, d)
    }

    /// Whether a signed-in console sent a command within `d`.
    pub fn commanded_within(&self, d: Duration) -> bool {
        within(&self.commanded, d)
    }
}

/// The exhibit's answer to a command: taken, or refused with the HTTP status (400, 409)
/// and the reason.
pub type Verdict = Result<(), (u16, String)>;

/// A command from the console, waiting for the exhibit's verdict.
pub struct Order {
    /// The tablet.
    pub from: SocketAddr,
    pub command: HallCommand,
    /// Where the verdict goes (the request waits for it).
    pub reply: SyncSender<Verdict>,
    /// After this the request has given up waiting (and said so): the order is stale and
    /// must not act (the docent may have tried again).
    pub deadline: Instant,
}

/// A running console: the orders it takes, what it shares, and where it listens.
pub struct Console {
    orders: Mutex<Receiver<Order>>,
    /// Set when orders wait and the exhibit was woken; cleared by [`Console::take`].
    pending: Arc<AtomicBool>,
    pub shared: Arc<Shared>,
    pub address: SocketAddr,
}

impl Console {
    /// The orders that arrived.
    pub fn take(&self) -> Vec<Order> {
        self.pending.store(false, Ordering::Release);
        self.orders
            .lock()
            .map(|rx| rx.try_iter().collect())
            .unwrap_or_default()
    }
}

/// A function the server calls: to wake the exhibit, or to log a line.
pub type Hook = Arc<dyn Fn(&str) + Send + Sync>;

struct Routes {
    pin: PinHash,
    gate: Mutex<Gate>,
    rate: Mutex<RateLimit>,
    shared: Arc<Shared>,
    tx: SyncSender<Order>,
    pending: Arc<AtomicBool>,
    wake: Option<Hook>,
    log: Hook,
    last_drop_log: Mutex<Option<Instant>>,
    last_state_wake: Mutex<Option<Instant>>,
}

/// Starts the console on `config.bind:config.port`. `wake` wakes the exhibit's event loop
/// when orders arrive; `log` takes the lines worth logging (sign-ins, lockouts, refused
/// requests at most once a second). Errors: the PIN hash is unusable, the port cannot be
/// bound, a thread cannot start.
pub fn serve(config: &ConsoleConfig, wake: Option<Hook>, log: Hook) -> Result<Console, String> {
    let pin = config
        .pin_hash
        .as_deref()
        .and_then(PinHash::parse)
        .ok_or_else(|| "console.pin_hash is not a hash made by `citygrid pin`".to_string())?;
    let at = format!("{}:{}", config.bind, config.port);
    let listener = TcpListener::bind(&at).map_err(|e| format!("cannot listen on {at}: {e}"))?;
    let address = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {at}: {e}"))?;
    let shared = Arc::new(Shared::default());
    let (tx, rx) = sync_channel(QUEUE);
    let pending = Arc::new(AtomicBool::new(false));
    let routes = Arc::new(Routes {
        pin,
        gate: Mutex::new(Gate::new(
            config.max_attempts,
            Duration::from_secs(config.lockout_s),
            Duration::from_secs(config.session_idle_min * 60),
        )),
        rate: Mutex::new(RateLimit::new(config.max_per_s)),
        shared: shared.clone(),
        tx,
        pending: pending.clone(),
        wake,
        log: log.clone(),
        last_drop_log: Mutex::new(None),
        last_state_wake: Mutex::new(None),
    });
    let handler: super::http::Handler = Arc::new(move |req| routes.handle(req));
    super::http::run(listener, handler, log)
        .map_err(|e| format!("cannot start the console's threads: {e}"))?;
    Ok(Console {
        orders: Mutex::new(rx),
        pending,
        shared,
        address,
    })
}

fn json(code: u16, body: impl Into<Vec<u8>>) -> Resp {
    Resp::new(code, "application/json; charset=utf-8", body)
}

/// The session token in the request's cookies.
fn session_token(req: &Req) -> Option<String> {
    req.headers
        .iter()
        .filter(|(k, _)| k == "cookie")
        .flat_map(|(_, v)| v.split(';'))
        .find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == COOKIE).then(|| v.to_string())
        })
}

/// Whether `host` (a `Host` header) names this server by an IP address or `localhost`.
fn host_ok(host: Option<&str>) -> bool {
    let Some(h) = host else {
        return false;
    };
    let name = match h.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((ip, _)) => ip,
            None => return false,
        },
        None => h.rsplit_once(':').map_or(h, |(n, _)| n),
    };
    name == "localhost" || name.parse::<IpAddr>().is_ok()
}

impl Routes {
    fn refuse(&self, from: IpAddr, why: &str) {
        let now = Instant::now();
        if let Ok(mut last) = self.last_drop_log.lock()
            && last.is_none_or(|t| now.duration_since(t) >= Duration::from_secs(1))
        {
            *last = Some(now);
            (self.log)(&format!("console: request from {from} refused: {why}"));
        }
    }

    fn handle(&self, req: Req) -> Resp {
        let ip = req.from.ip();
        let allowed = self
            .rate
            .lock()
            .is_ok_and(|mut r| r.allow(who(ip), Instant::now()));
        if !allowed {
            self.refuse(ip, "over the rate");
            return Resp::error(429, "too many requests");
        }
        if !host_ok(req.header("host")) {
            self.refuse(ip, "Host is not an IP address");
            return Resp::error(421, "use the exhibit's IP address");
        }
        if req.method == "POST" && req.header("x-citygrid") != Some("1") {
            return Resp::error(403, "missing X-Citygrid header");
        }
        self.route(&req)
    }

    /// The session's token when `req` belongs to an open one; `used` marks it used (a
    /// command; asking for the state does not keep a session open).
    fn signed_in(&self, req: &Req, used: bool) -> bool {
        let Some(token) = session_token(req) else {
            return false;
        };
        self.gate
            .lock()
            .is_ok_and(|mut g| g.session(&token, req.from.ip(), Instant::now(), used))
    }

    fn route(&self, req: &Req) -> Resp {
        match (req.method.as_str(), req.path.as_str()) {
            ("GET", "/") => return Resp::new(200, "text/html; charset=utf-8", PAGE),
            ("GET", "/console.js") => {
                return Resp::new(200, "text/javascript; charset=utf-8", SCRIPT);
            }
            ("GET", "/console.css") => return Resp::new(200, "text/css; charset=utf-8", STYLE),
            ("POST", "/api/login") => return self.login(req),
            ("POST", "/api/logout") => {
                if let Some(t) = session_token(req)
                    && let Ok(mut g) = self.gate.lock()
                {
                    g.logout(&t);
                }
                let mut r = json(204, "");
                r.extra.push((
                    "Set-Cookie",
                    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
                ));
                return r;
            }
            _ => {}
        }
        if !req.path.starts_with("/api/") {
            return Resp::error(404, "no such page");
        }
        let command = (req.method.as_str(), req.path.as_str()) == ("POST", "/api/command");
        if !self.signed_in(req, command) {
            return Resp::error(401, "sign in with the PIN");
        }
        match (req.method.as_str(), req.path.as_str()) {
            ("GET", "/api/state") => {
                if let Ok(mut w) = self.shared.watched.lock() {
                    *w = Some(Instant::now());
                }
                self.wake_for_state();
                let body = self.shared.state.lock().map(|s| s.to_vec());
                json(200, body.unwrap_or_default())
            }
            ("GET", "/api/city") => {
                let body = self.shared.city.lock().map(|s| s.to_vec());
                json(200, body.unwrap_or_default())
            }
            ("GET", p) if p.starts_with("/api/thumb/") => {
                let n: Option<usize> = p["/api/thumb/".len()..].parse().ok();
                let png = n.and_then(|n| {
                    let thumbs = self.shared.thumbs.lock().ok()?;
                    thumbs.get(n).map(|t| t.png.clone())
                });
                match png {
                    Some(png) if !png.is_empty() => Resp::new(200, "image/png", png.to_vec()),
                    _ => Resp::error(404, "no picture of that screen yet"),
                }
            }
            ("POST", "/api/command") => match super::command(&req.body) {
                Ok(c) => self.order(req.from, c),
                Err(why) => {
                    self.refuse(req.from.ip(), &why);
                    Resp::error(400, &why)
                }
            },
            ("GET" | "POST", _) => Resp::error(404, "no such request"),
            _ => Resp::error(405, "GET or POST only"),
        }
    }

    fn wake(&self) {
        if !self.pending.swap(true, Ordering::AcqRel)
            && let Some(wake) = &self.wake
        {
            wake("");
        }
    }

    fn wake_for_state(&self) {
        let due = self.last_state_wake.lock().is_ok_and(|mut t| {
            let due = t.is_none_or(|t| t.elapsed() >= WAKE_FOR_STATE);
            if due {
                *t = Some(Instant::now());
            }
            due
        });
        if due && let Some(wake) = &self.wake {
            wake("");
        }
    }

    /// Hands a command to the exhibit and waits for its verdict.
    fn order(&self, from: SocketAddr, command: HallCommand) -> Resp {
        let (reply, verdict) = sync_channel(1);
        match self.tx.try_send(Order {
            from,
            command,
            reply,
            deadline: Instant::now() + VERDICT_WAIT,
        }) {
            Ok(()) => self.wake(),
            Err(TrySendError::Full(_)) => {
                return Resp::error(503, "the exhibit is busy: try again");
            }
            Err(TrySendError::Disconnected(_)) => {
                return Resp::error(503, "the exhibit is closing");
            }
        }
        match verdict.recv_timeout(VERDICT_WAIT) {
            Ok(Ok(())) => {
                if let Ok(mut c) = self.shared.commanded.lock() {
                    *c = Some(Instant::now());
                }
                json(204, "")
            }
            Ok(Err((code, why))) => {
                self.refuse(from.ip(), &why);
                Resp::error(code, &why)
            }
            Err(_) => Resp::error(503, "the exhibit did not answer: try again"),
        }
    }

    fn login(&self, req: &Req) -> Resp {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Pin {
            pin: String,
        }
        let Ok(Pin { pin }) = serde_json::from_slice::<Pin>(&req.body) else {
            return Resp::error(400, "a body like {\"pin\":\"1234\"}");
        };
        let ip = req.from.ip();
        let locked = self
            .gate
            .lock()
            .map(|g| g.locked(ip, Instant::now()))
            .unwrap_or(Some(60));
        let outcome = match locked {
            Some(seconds) => Login::Locked { seconds },
            // The hash is checked without holding the gate: sessions go on meanwhile.
            None => {
                let right = super::gate::pin_matches(&self.pin, &pin);
                match self.gate.lock() {
                    Ok(mut g) => g.record(ip, right, Instant::now()),
                    Err(_) => Login::NoToken,
                }
            }
        };
        match outcome {
            Login::Opened(token) => {
                (self.log)(&format!("console: signed in from {ip}"));
                let mut r = json(204, "");
                // No Max-Age or Expires: the cookie goes when the browser closes.
                r.extra.push((
                    "Set-Cookie",
                    format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"),
                ));
                r
            }
            Login::Wrong { left } => {
                (self.log)(&format!("console: wrong PIN from {ip} ({left} tries left)"));
                json(
                    401,
                    serde_json::json!({ "error": "wrong", "left": left }).to_string(),
                )
            }
            Login::Locked { seconds } => {
                (self.log)(&format!(
                    "console: sign-in from {ip} refused: locked out for {seconds} s"
                ));
                json(
                    429,
                    serde_json::json!({ "error": "locked", "seconds": seconds }).to_string(),
                )
            }
            Login::NoToken => Resp::error(500, "the system gave no randomness for a session"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::host_ok;

    #[test]
    fn only_ip_hosts_are_served() {
        for ok in [
            "127.0.0.1:8088",
            "192.168.10.11",
            "[::1]:8088",
            "localhost:8088",
        ] {
            assert!(host_ok(Some(ok)), "{ok}");
        }
        for bad in ["evil.example:8088", "evil.example", "", "[::1"] {
            assert!(!host_ok(Some(bad)), "{bad}");
        }
        assert!(!host_ok(None));
    }
}
