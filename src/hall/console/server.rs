//! The console's HTTP server: a few threads answering from a [`tiny_http::Server`], the
//! page's three files, its JSON API and the screens' thumbnails.
//!
//! | request | answer |
//! |---|---|
//! | `GET /`, `/console.js`, `/console.css` | the page (no session needed) |
//! | `POST /api/login` `{"pin":"…"}` | 204 and the session cookie; 401 wrong (with `left`), 429 locked out (with `seconds`) |
//! | `POST /api/logout` | 204, the cookie cleared |
//! | `GET /api/state` | what the exhibit shows now (JSON, made by the exhibit) |
//! | `GET /api/city` | the snapshot's regions and stories (JSON, made by the exhibit) |
//! | `GET /api/thumb/N` | screen N's latest thumbnail (PNG) |
//! | `POST /api/command` `{"do":…}` | 204 when queued; 400 with the reason ([`super::command`]) |
//!
//! Without a session the API answers 401; a POST without `X-Citygrid: 1` 403; a `Host`
//! that is not an IP address or `localhost` 421 (a page of another site reached through a
//! DNS name it controls); over the rate 429.

use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tiny_http::{Header, Method, Request, Response};

use super::MAX_BODY;
use super::gate::{Gate, Login};
use crate::config::{ConsoleConfig, PinHash};
use crate::hall::osc::{HallCommand, RateLimit};

/// Threads answering requests.
const WORKERS: usize = 4;
/// Commands queued for the exhibit at most.
const QUEUE: usize = 64;
/// The session cookie's name.
const COOKIE: &str = "citygrid_session";

const PAGE: &str = include_str!("page/index.html");
const SCRIPT: &str = include_str!("page/console.js");
const STYLE: &str = include_str!("page/console.css");

/// One screen's thumbnail: its name (the window's title) and a PNG of at most 480 px
/// wide; `serial` grows with each new picture.
#[derive(Debug, Clone, Default)]
pub struct Thumb {
    pub name: String,
    pub png: Arc<Vec<u8>>,
    pub serial: u64,
}

/// What the exhibit puts up for the console and what the console tells it.
#[derive(Debug, Default)]
pub struct Shared {
    /// What the exhibit shows now, as JSON (`GET /api/state`).
    pub state: Mutex<Arc<Vec<u8>>>,
    /// The snapshot's regions and stories, as JSON (`GET /api/city`).
    pub city: Mutex<Arc<Vec<u8>>>,
    /// One per screen of this exhibit.
    pub thumbs: Mutex<Vec<Thumb>>,
    /// When a signed-in console last asked for the state: while it watches, the exhibit
    /// takes thumbnails.
    pub watched: Mutex<Option<Instant>>,
}

impl Shared {
    /// Whether a signed-in console asked for the state within `within`.
    pub fn watched_within(&self, within: Duration) -> bool {
        self.watched
            .lock()
            .ok()
            .and_then(|w| *w)
            .is_some_and(|t| t.elapsed() < within)
    }
}

/// A running console: the commands it takes (with the tablet's address), what it shares,
/// and where it listens.
pub struct Console {
    commands: Mutex<Receiver<(SocketAddr, Vec<HallCommand>)>>,
    /// Set when commands wait and the exhibit was woken; cleared by [`Console::take`].
    pending: Arc<AtomicBool>,
    pub shared: Arc<Shared>,
    pub address: SocketAddr,
}

impl Console {
    /// Moves the commands that arrived (each with the tablet's address) into `out`.
    pub fn take(&self, out: &mut Vec<(SocketAddr, Vec<HallCommand>)>) {
        self.pending.store(false, Ordering::Release);
        if let Ok(rx) = self.commands.lock() {
            out.extend(rx.try_iter());
        }
    }
}

/// A function the server calls: to wake the exhibit, or to log a line.
pub type Hook = Arc<dyn Fn(&str) + Send + Sync>;

struct Worker {
    server: Arc<tiny_http::Server>,
    gate: Arc<Mutex<Gate>>,
    rate: Arc<Mutex<RateLimit>>,
    shared: Arc<Shared>,
    tx: SyncSender<(SocketAddr, Vec<HallCommand>)>,
    /// Set when commands wait for the exhibit and it was woken: one wake per frame.
    pending: Arc<AtomicBool>,
    wake: Option<Hook>,
    log: Hook,
    last_drop_log: Arc<Mutex<Option<Instant>>>,
}

/// Starts the console on `config.bind:config.port`. `wake` wakes the exhibit's event loop
/// when commands arrive; `log` takes the lines worth logging (sign-ins, lockouts, refused
/// requests at most once a second). Errors: the PIN hash is unusable, or the port cannot
/// be bound.
pub fn serve(config: &ConsoleConfig, wake: Option<Hook>, log: Hook) -> Result<Console, String> {
    let pin = config
        .pin_hash
        .as_deref()
        .and_then(PinHash::parse)
        .ok_or_else(|| "console.pin_hash is not a hash made by `citygrid pin`".to_string())?;
    let at = format!("{}:{}", config.bind, config.port);
    let server = tiny_http::Server::http(&at).map_err(|e| format!("cannot listen on {at}: {e}"))?;
    let address = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| format!("{at} is not an IP address"))?;
    let server = Arc::new(server);
    let gate = Arc::new(Mutex::new(Gate::new(
        pin,
        config.max_attempts,
        Duration::from_secs(config.lockout_s),
        Duration::from_secs(config.session_idle_min * 60),
    )));
    let rate = Arc::new(Mutex::new(RateLimit::new(config.max_per_s)));
    let shared = Arc::new(Shared::default());
    let (tx, rx) = sync_channel(QUEUE);
    let pending = Arc::new(AtomicBool::new(false));
    let last_drop_log = Arc::new(Mutex::new(None));
    for i in 0..WORKERS {
        let w = Worker {
            server: server.clone(),
            gate: gate.clone(),
            rate: rate.clone(),
            shared: shared.clone(),
            tx: tx.clone(),
            pending: pending.clone(),
            wake: wake.clone(),
            log: log.clone(),
            last_drop_log: last_drop_log.clone(),
        };
        std::thread::Builder::new()
            .name(format!("console-{i}"))
            .spawn(move || w.run())
            .map_err(|e| format!("cannot start the console's threads: {e}"))?;
    }
    Ok(Console {
        commands: Mutex::new(rx),
        pending,
        shared,
        address,
    })
}

/// A response with the headers every answer carries: nothing cached, nothing framed,
/// nothing sniffed, no referrer, scripts and styles from this server only.
fn answer(code: u16, kind: &str, body: impl Into<Vec<u8>>) -> Response<std::io::Cursor<Vec<u8>>> {
    let mut r = Response::from_data(body.into()).with_status_code(code);
    for (k, v) in [
        ("Content-Type", kind),
        ("Cache-Control", "no-store"),
        ("Pragma", "no-cache"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        (
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self'; script-src 'self'; style-src 'self'; \
             frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        ),
    ] {
        if let Ok(h) = Header::from_bytes(k, v) {
            r.add_header(h);
        }
    }
    r
}

fn json(code: u16, body: impl Into<Vec<u8>>) -> Response<std::io::Cursor<Vec<u8>>> {
    answer(code, "application/json; charset=utf-8", body)
}

fn error(code: u16, message: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    json(code, serde_json::json!({ "error": message }).to_string())
}

fn header<'r>(rq: &'r Request, name: &'static str) -> Option<&'r str> {
    rq.headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str())
}

/// The session token in the request's cookies.
fn session_token(rq: &Request) -> Option<String> {
    rq.headers()
        .iter()
        .filter(|h| h.field.equiv("Cookie"))
        .flat_map(|h| h.value.as_str().split(';'))
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

impl Worker {
    fn run(self) {
        loop {
            match self.server.recv() {
                Ok(rq) => self.handle(rq),
                Err(e) => {
                    (self.log)(&format!("console: cannot take a request: {e}"));
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
        }
    }

    fn refuse(&self, from: IpAddr, why: &str) {
        let now = Instant::now();
        if let Ok(mut last) = self.last_drop_log.lock()
            && last.is_none_or(|t| now.duration_since(t) >= Duration::from_secs(1))
        {
            *last = Some(now);
            (self.log)(&format!("console: request from {from} refused: {why}"));
        }
    }

    fn handle(&self, mut rq: Request) {
        let Some(from) = rq.remote_addr().copied() else {
            let _ = rq.respond(error(400, "no sender"));
            return;
        };
        let allowed = self
            .rate
            .lock()
            .is_ok_and(|mut r| r.allow(from.ip(), Instant::now()));
        let response = if !allowed {
            self.refuse(from.ip(), "over the rate");
            error(429, "too many requests")
        } else if !host_ok(header(&rq, "Host")) {
            self.refuse(from.ip(), "Host is not an IP address");
            error(421, "use the exhibit's IP address")
        } else {
            self.route(&mut rq, from)
        };
        let _ = rq.respond(response);
    }

    /// Reads a POST's body: at most [`MAX_BODY`] bytes, and only with the page's header.
    fn body(&self, rq: &mut Request) -> Result<Vec<u8>, Response<std::io::Cursor<Vec<u8>>>> {
        if header(rq, "X-Citygrid") != Some("1") {
            return Err(error(403, "missing X-Citygrid header"));
        }
        if rq.body_length().is_none_or(|n| n > MAX_BODY) {
            return Err(error(413, "a body of at most 1024 bytes, with its length"));
        }
        let mut body = Vec::new();
        match rq.as_reader().take(MAX_BODY as u64).read_to_end(&mut body) {
            Ok(_) => Ok(body),
            Err(_) => Err(error(400, "cannot read the body")),
        }
    }

    fn signed_in(&self, rq: &Request, from: SocketAddr) -> bool {
        let Some(token) = session_token(rq) else {
            return false;
        };
        self.gate
            .lock()
            .is_ok_and(|mut g| g.session(&token, from.ip(), Instant::now()))
    }

    fn route(&self, rq: &mut Request, from: SocketAddr) -> Response<std::io::Cursor<Vec<u8>>> {
        let path = rq.url().split('?').next().unwrap_or("").to_string();
        let method = rq.method().clone();
        match (&method, path.as_str()) {
            (Method::Get, "/") => return answer(200, "text/html; charset=utf-8", PAGE),
            (Method::Get, "/console.js") => {
                return answer(200, "text/javascript; charset=utf-8", SCRIPT);
            }
            (Method::Get, "/console.css") => return answer(200, "text/css; charset=utf-8", STYLE),
            (Method::Post, "/api/login") => return self.login(rq, from),
            (Method::Post, "/api/logout") => {
                if let Some(t) = session_token(rq)
                    && let Ok(mut g) = self.gate.lock()
                {
                    g.logout(&t);
                }
                let mut r = json(204, "");
                if let Ok(h) = Header::from_bytes(
                    "Set-Cookie",
                    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
                ) {
                    r.add_header(h);
                }
                return r;
            }
            _ => {}
        }
        if !path.starts_with("/api/") {
            return error(404, "no such page");
        }
        if !self.signed_in(rq, from) {
            return error(401, "sign in with the PIN");
        }
        match (&method, path.as_str()) {
            (Method::Get, "/api/state") => {
                if let Ok(mut w) = self.shared.watched.lock() {
                    *w = Some(Instant::now());
                }
                let body = self.shared.state.lock().map(|s| s.to_vec());
                json(200, body.unwrap_or_default())
            }
            (Method::Get, "/api/city") => {
                let body = self.shared.city.lock().map(|s| s.to_vec());
                json(200, body.unwrap_or_default())
            }
            (Method::Get, p) if p.starts_with("/api/thumb/") => {
                let n: Option<usize> = p["/api/thumb/".len()..].parse().ok();
                let png = n.and_then(|n| {
                    let thumbs = self.shared.thumbs.lock().ok()?;
                    thumbs.get(n).map(|t| t.png.clone())
                });
                match png {
                    Some(png) if !png.is_empty() => answer(200, "image/png", png.to_vec()),
                    _ => error(404, "no picture of that screen yet"),
                }
            }
            (Method::Post, "/api/command") => {
                let body = match self.body(rq) {
                    Ok(b) => b,
                    Err(r) => return r,
                };
                match super::command(&body) {
                    Ok(c) => self.queue(from, c),
                    Err(why) => {
                        self.refuse(from.ip(), &why);
                        error(400, &why)
                    }
                }
            }
            (Method::Get | Method::Post, _) => error(404, "no such request"),
            _ => error(405, "GET or POST only"),
        }
    }

    fn queue(&self, from: SocketAddr, c: HallCommand) -> Response<std::io::Cursor<Vec<u8>>> {
        match self.tx.try_send((from, vec![c])) {
            Ok(()) => {
                if !self.pending.swap(true, Ordering::AcqRel)
                    && let Some(wake) = &self.wake
                {
                    wake("");
                }
                json(204, "")
            }
            Err(TrySendError::Full(_)) => error(503, "the exhibit is busy: try again"),
            Err(TrySendError::Disconnected(_)) => error(503, "the exhibit is closing"),
        }
    }

    fn login(&self, rq: &mut Request, from: SocketAddr) -> Response<std::io::Cursor<Vec<u8>>> {
        let body = match self.body(rq) {
            Ok(b) => b,
            Err(r) => return r,
        };
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Pin {
            pin: String,
        }
        let Ok(Pin { pin }) = serde_json::from_slice::<Pin>(&body) else {
            return error(400, "a body like {\"pin\":\"1234\"}");
        };
        let outcome = match self.gate.lock() {
            Ok(mut g) => g.login(from.ip(), &pin, Instant::now()),
            Err(_) => Login::NoToken,
        };
        match outcome {
            Login::Opened(token) => {
                (self.log)(&format!("console: signed in from {}", from.ip()));
                let mut r = json(204, "");
                // No Max-Age or Expires: the cookie goes when the browser closes.
                if let Ok(h) = Header::from_bytes(
                    "Set-Cookie",
                    format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"),
                ) {
                    r.add_header(h);
                }
                r
            }
            Login::Wrong { left } => {
                (self.log)(&format!(
                    "console: wrong PIN from {} ({left} tries left)",
                    from.ip()
                ));
                json(
                    401,
                    serde_json::json!({ "error": "wrong", "left": left }).to_string(),
                )
            }
            Login::Locked { seconds } => {
                (self.log)(&format!(
                    "console: sign-in from {} refused: locked out for {seconds} s",
                    from.ip()
                ));
                json(
                    429,
                    serde_json::json!({ "error": "locked", "seconds": seconds }).to_string(),
                )
            }
            Login::NoToken => error(500, "the system gave no randomness for a session"),
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
