//! The console's HTTP/1.1 transport: a listener thread, a few workers, one request per
//! connection, strict limits. Requests are parsed by `httparse` (the parser of `hyper`);
//! this module holds only the limits a hall's LAN calls for:
//!
//! - at most [`MAX_CONNECTIONS`] connections open at once, [`MAX_PER_ADDRESS`] from one
//!   address (an IPv6 address by its /64); more are closed at once; a worker for each;
//! - the whole request (head and body) within [`REQUEST_TIME`] of its connection's
//!   arrival, else the connection is closed (a client that sends nothing holds a worker that
//!   long at most), and the answer written within [`ANSWER_TIME`];
//! - a head of at most [`MAX_HEAD`] bytes and [`MAX_HEADERS`] headers (431), a body only
//!   with its `Content-Length` and of at most [`super::MAX_BODY`] bytes (413, 411): nothing
//!   is read or allocated beyond that;
//! - every answer has a `Content-Length` and `Connection: close`.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::MAX_BODY;
use super::gate::who;

/// Connections open at once at most (each has its worker: none waits for another's).
pub const MAX_CONNECTIONS: usize = 32;
/// Connections open at once from one address at most (a browser opens up to 6 to one
/// host; the page needs 2–4 at a time).
pub const MAX_PER_ADDRESS: usize = 6;
/// Time for a whole request to arrive, from its connection's arrival.
pub const REQUEST_TIME: Duration = Duration::from_secs(5);
/// Time to write an answer (a thumbnail is ~100 KB).
pub const ANSWER_TIME: Duration = Duration::from_secs(10);
/// Largest request head, bytes.
pub const MAX_HEAD: usize = 8 * 1024;
/// Most headers in a request.
pub const MAX_HEADERS: usize = 32;
/// Threads answering requests: one per connection allowed.
const WORKERS: usize = MAX_CONNECTIONS;

/// A request as the routes see it.
#[derive(Debug)]
pub struct Req {
    pub from: SocketAddr,
    pub method: String,
    /// The path without the query.
    pub path: String,
    /// Names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Req {
    /// The first header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// An answer.
#[derive(Debug)]
pub struct Resp {
    pub code: u16,
    pub kind: &'static str,
    pub body: Vec<u8>,
    /// Headers beyond the ones every answer has (`Set-Cookie`).
    pub extra: Vec<(&'static str, String)>,
}

impl Resp {
    pub fn new(code: u16, kind: &'static str, body: impl Into<Vec<u8>>) -> Resp {
        Resp {
            code,
            kind,
            body: body.into(),
            extra: Vec::new(),
        }
    }

    /// A JSON answer `{"error": message}`.
    pub fn error(code: u16, message: &str) -> Resp {
        Resp::new(
            code,
            "application/json; charset=utf-8",
            serde_json::json!({ "error": message }).to_string(),
        )
    }
}

fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        421 => "Misdirected Request",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    }
}

/// The headers every answer carries: nothing cached, framed, sniffed or referred; scripts,
/// styles and images from this server only.
const COMMON: &[(&str, &str)] = &[
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
];

fn write(stream: &mut TcpStream, r: &Resp) {
    let mut head = format!("HTTP/1.1 {} {}\r\n", r.code, reason(r.code));
    if !r.body.is_empty() || r.code != 204 {
        head.push_str(&format!("Content-Type: {}\r\n", r.kind));
    }
    for (k, v) in COMMON {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    for (k, v) in &r.extra {
        // Values are made here, never copied from a request; no line breaks get through.
        if !v.contains(['\r', '\n']) {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        r.body.len()
    ));
    let deadline = Instant::now() + ANSWER_TIME;
    for part in [head.as_bytes(), &r.body] {
        let mut at = 0;
        while at < part.len() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || stream.set_write_timeout(Some(left)).is_err() {
                return;
            }
            match stream.write(&part[at..]) {
                Ok(0) | Err(_) => return,
                Ok(n) => at += n,
            }
        }
    }
    let _ = stream.flush();
}

/// Closes a connection after its answer: the sending side first, then what the client
/// still sends is read briefly (at most 4 KiB), so that the answer is not lost to a reset.
fn close(mut stream: TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
    let mut sink = [0u8; 1024];
    for _ in 0..4 {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
}

/// Where a request's head ends (after its blank line, CRLF or bare LF), if it does.
fn head_end(buf: &[u8]) -> Option<usize> {
    let crlf = buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4);
    let lf = buf.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Why a request could not be read: the answer to give, or none (the client went away
/// or ran out of time: the connection is just closed).
fn read_request(
    stream: &mut TcpStream,
    from: SocketAddr,
    arrived: Instant,
) -> Result<Req, Option<Resp>> {
    let deadline = arrived + REQUEST_TIME;
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    let head_end = loop {
        if let Some(i) = head_end(&buf) {
            break i;
        }
        if buf.len() >= MAX_HEAD {
            return Err(Some(Resp::error(431, "the request's head is too large")));
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Err(None);
        }
        let want = (MAX_HEAD - buf.len()).min(chunk.len());
        match stream.read(&mut chunk[..want]) {
            Ok(0) | Err(_) => return Err(None),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    match parsed.parse(&buf[..head_end]) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => return Err(Some(Resp::error(400, "an incomplete head"))),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(Some(Resp::error(431, "too many headers")));
        }
        Err(e) => return Err(Some(Resp::error(400, &format!("not HTTP: {e}")))),
    }
    let method = parsed.method.unwrap_or("").to_string();
    // An absolute-form target (`http://host/path`) names its path after the host.
    let target = parsed.path.unwrap_or("");
    let target = match target.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => target,
    };
    let path = target.split('?').next().unwrap_or("").to_string();
    let headers: Vec<(String, String)> = parsed
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_ascii_lowercase(),
                String::from_utf8_lossy(h.value).trim().to_string(),
            )
        })
        .collect();
    let mut req = Req {
        from,
        method,
        path,
        headers,
        body: Vec::new(),
    };
    if req.header("transfer-encoding").is_some() {
        return Err(Some(Resp::error(
            411,
            "a body with its Content-Length only",
        )));
    }
    let lengths: Vec<&str> = req
        .headers
        .iter()
        .filter(|(k, _)| k == "content-length")
        .map(|(_, v)| v.as_str())
        .collect();
    if lengths.windows(2).any(|w| w[0] != w[1]) {
        return Err(Some(Resp::error(
            400,
            "Content-Length given twice, differently",
        )));
    }
    let length = match lengths.first().copied() {
        None => 0,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if n <= MAX_BODY => n,
            Ok(_) => {
                return Err(Some(Resp::error(
                    413,
                    &format!("a body of at most {MAX_BODY} bytes"),
                )));
            }
            Err(_) => return Err(Some(Resp::error(400, "Content-Length is not a number"))),
        },
    };
    let mut body = buf.split_off(head_end);
    body.truncate(length);
    while body.len() < length {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Err(None);
        }
        let want = (length - body.len()).min(chunk.len());
        match stream.read(&mut chunk[..want]) {
            Ok(0) | Err(_) => return Err(None),
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    req.body = body;
    Ok(req)
}

/// Open connections, in all and by address.
#[derive(Default)]
struct Open {
    all: usize,
    by_address: HashMap<IpAddr, usize>,
}

impl Open {
    fn take(&mut self, ip: IpAddr) -> bool {
        if self.all >= MAX_CONNECTIONS {
            return false;
        }
        let mine = self.by_address.entry(who(ip)).or_insert(0);
        if *mine >= MAX_PER_ADDRESS {
            return false;
        }
        *mine += 1;
        self.all += 1;
        true
    }

    fn give(&mut self, ip: IpAddr) {
        self.all = self.all.saturating_sub(1);
        let ip = who(ip);
        if let Some(n) = self.by_address.get_mut(&ip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.by_address.remove(&ip);
            }
        }
    }
}

/// What a worker does with a request: the answer.
pub type Handler = Arc<dyn Fn(Req) -> Resp + Send + Sync>;

/// Serves `listener` with `handle` on threads of its own, until the process ends. `log`
/// takes a line when the listener fails. Errors: a thread cannot start.
pub fn run(
    listener: TcpListener,
    handle: Handler,
    log: Arc<dyn Fn(&str) + Send + Sync>,
) -> std::io::Result<()> {
    let open = Arc::new(Mutex::new(Open::default()));
    let (tx, rx) = sync_channel::<(TcpStream, SocketAddr, Instant)>(MAX_CONNECTIONS);
    let rx: Arc<Mutex<Receiver<(TcpStream, SocketAddr, Instant)>>> = Arc::new(Mutex::new(rx));
    for i in 0..WORKERS {
        let (rx, open, handle) = (rx.clone(), open.clone(), handle.clone());
        std::thread::Builder::new()
            .name(format!("console-{i}"))
            .spawn(move || {
                loop {
                    let next = match rx.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => return,
                    };
                    let Ok((mut stream, from, arrived)) = next else {
                        return;
                    };
                    let answer = match read_request(&mut stream, from, arrived) {
                        Ok(req) => Some(handle(req)),
                        Err(a) => a,
                    };
                    if let Some(a) = answer {
                        write(&mut stream, &a);
                    }
                    close(stream);
                    if let Ok(mut o) = open.lock() {
                        o.give(from.ip());
                    }
                }
            })?;
    }
    std::thread::Builder::new()
        .name("console-listen".into())
        .spawn(move || {
            for stream in listener.incoming() {
                let stream = match stream {
                    Ok(s) => s,
                    Err(e) => {
                        log(&format!("console: cannot accept a connection: {e}"));
                        std::thread::sleep(Duration::from_millis(100));
                        continue;
                    }
                };
                let Ok(from) = stream.peer_addr() else {
                    continue;
                };
                let taken = open.lock().is_ok_and(|mut o| o.take(from.ip()));
                if !taken {
                    // Dropped: the connection closes unread.
                    continue;
                }
                if tx.try_send((stream, from, Instant::now())).is_err()
                    && let Ok(mut o) = open.lock()
                {
                    o.give(from.ip());
                }
            }
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_are_capped_in_all_and_per_address() {
        let mut o = Open::default();
        let a: IpAddr = [10, 0, 0, 1].into();
        for _ in 0..MAX_PER_ADDRESS {
            assert!(o.take(a));
        }
        assert!(!o.take(a));
        o.give(a);
        assert!(o.take(a));
        for i in 0..(MAX_CONNECTIONS - MAX_PER_ADDRESS) as u8 {
            assert!(o.take([10, 0, 1, i].into()));
        }
        assert!(!o.take([10, 0, 2, 1].into()), "all taken");
        assert_eq!(o.by_address.len(), MAX_CONNECTIONS - MAX_PER_ADDRESS + 1);
        // One IPv6 device counts by its /64.
        let mut o = Open::default();
        for i in 0..MAX_PER_ADDRESS as u16 {
            assert!(o.take(std::net::Ipv6Addr::new(0xfd00, 0, 0, 1, i, i, i, i).into()));
        }
        assert!(!o.take(std::net::Ipv6Addr::new(0xfd00, 0, 0, 1, 9, 9, 9, 9).into()));
    }

    #[test]
    fn heads_end_at_a_blank_line_with_or_without_carriage_returns() {
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nHost: a\r\n\r\nbody"), Some(27));
        assert_eq!(head_end(b"GET / HTTP/1.1\nHost: a\n\nbody"), Some(24));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nHost: a\r\n"), None);
    }
}
