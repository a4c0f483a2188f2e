//! `citygrid bench --case hall`: the latency of the hall's sync on the loopback address. A
//! leader and a follower (two exhibit processes of this build, 960 × 540, on the display
//! the bench runs under) are started with `--lead` / `--follow` and the latency probe
//! (`app::hall::probe`); the bench then moves the leader's focus over show control
//! (`/citygrid/focus`, read in the leader's next frame like a touch) every 1.5 s and pairs
//! each change the leader sent with the moment the follower's listener heard it and the
//! moment the follower's renderer finished the frame showing it. Prints the p50 and p95
//! of each, in ms (target: the follower drawn within one 60 Hz frame, 16.7 ms).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{BufRead, BufReader};
use std::net::UdpSocket;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rosc::{OscMessage, OscPacket, OscType};

use crate::app::fps::percentile;
use crate::snapshot::Level;

/// Focus changes measured.
const ROUNDS: usize = 16;
const KEY: &str = "bench-hall-key";

/// A child exhibit, killed when dropped, and the probe lines it printed.
struct Exhibit {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Drop for Exhibit {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn exhibit(config: &std::path::Path, dir: &std::path::Path, args: &[String]) -> Option<Exhibit> {
    let exe = std::env::current_exe().ok()?;
    let mut child = Command::new(exe)
        .args(["--size", "960x540", "--config"])
        .arg(config)
        .args(args)
        .env("CITYGRID_HALL_PROBE", "1")
        .env("XDG_DATA_HOME", dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let lines = Arc::new(Mutex::new(Vec::new()));
    let (out, sink) = (child.stdout.take()?, lines.clone());
    std::thread::spawn(move || {
        for l in BufReader::new(out).lines().map_while(Result::ok) {
            if l.starts_with("hall-probe ")
                && let Ok(mut v) = sink.lock()
            {
                v.push(l);
            }
        }
    });
    Some(Exhibit { child, lines })
}

fn send(socket: &UdpSocket, port: u16, addr: &str, args: Vec<OscType>) {
    let mut all = vec![OscType::String(KEY.into())];
    all.extend(args);
    let packet = OscPacket::Message(OscMessage {
        addr: addr.into(),
        args: all,
    });
    if let Ok(bytes) = rosc::encoder::encode(&packet) {
        let _ = socket.send_to(&bytes, ("127.0.0.1", port));
    }
}

/// Whether the exhibit on `port` answers a state query within `within`.
fn answers(socket: &UdpSocket, port: u16, within: Duration) -> bool {
    let until = Instant::now() + within;
    let mut buf = [0u8; 2048];
    while Instant::now() < until {
        send(socket, port, "/citygrid/state", Vec::new());
        if socket.recv_from(&mut buf).is_ok() {
            return true;
        }
    }
    false
}

/// `hall-probe WHAT FOCUS µs` lines of one kind: (focus, µs).
fn probe_lines(lines: &Mutex<Vec<String>>, what: &str) -> Vec<(String, i128)> {
    lines.lock().map_or(Vec::new(), |v| {
        v.iter()
            .filter_map(|l| {
                let mut parts = l.split_whitespace().skip(1);
                match (parts.next(), parts.next(), parts.next()) {
                    (Some(w), Some(f), Some(t)) if w == what => {
                        Some((f.to_string(), t.parse().ok()?))
                    }
                    _ => None,
                }
            })
            .collect()
    })
}

/// For each leader's `sent`, ms until the first follower line for the same focus after it.
fn delays(sent: &[(String, i128)], seen: &[(String, i128)]) -> Vec<f64> {
    sent.iter()
        .filter_map(|(f, t)| {
            seen.iter()
                .find(|(g, u)| g == f && u >= t)
                .map(|(_, u)| (u - t) as f64 / 1000.0)
        })
        .collect()
}

/// Entry point of the case.
pub(super) fn hall_case() -> ExitCode {
    let city = match crate::demo::load_snapshot(None) {
        Ok(l) => l.snapshot,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    let streets: Vec<String> = city
        .regions
        .iter()
        .filter(|r| r.level == Level::Street)
        .map(|r| r.id.clone())
        .collect();
    let dir = std::env::temp_dir().join(format!("citygrid-bench-hall-{}", std::process::id()));
    let config = dir.join("hall.ron");
    if std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&config, format!("(osc: Some((key: \"{KEY}\")))")))
        .is_err()
    {
        eprintln!("bench: cannot write {}", config.display());
        return ExitCode::from(1);
    }
    let free = || {
        UdpSocket::bind("127.0.0.1:0")
            .and_then(|s| s.local_addr())
            .map(|a| a.port())
            .unwrap_or(0)
    };
    let (lead_port, follow_port) = (free(), free());
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let lp = lead_port.to_string();
    let leader_at = format!("127.0.0.1:{lead_port}");
    let fp = follow_port.to_string();
    let follower = exhibit(
        &config,
        &dir,
        &strings(&["--osc-port", &fp, "--follow", &leader_at]),
    );
    let leader = exhibit(&config, &dir, &strings(&["--osc-port", &lp, "--lead"]));
    let (Some(leader), Some(follower)) = (leader, follower) else {
        eprintln!("bench: cannot start the exhibits");
        return ExitCode::from(1);
    };
    let Ok(socket) = UdpSocket::bind("127.0.0.1:0") else {
        return ExitCode::from(1);
    };
    let _ = socket.set_read_timeout(Some(Duration::from_millis(300)));
    if !answers(&socket, lead_port, Duration::from_secs(90))
        || !answers(&socket, follow_port, Duration::from_secs(90))
        || streets.len() < 2
    {
        eprintln!("bench: the leader or the follower did not start");
        return ExitCode::from(1);
    }
    // At rest first, as in the hall.
    std::thread::sleep(Duration::from_secs(3));
    for i in 0..ROUNDS {
        let id = &streets[i % streets.len()];
        send(
            &socket,
            lead_port,
            "/citygrid/focus",
            vec![OscType::String(id.clone())],
        );
        std::thread::sleep(Duration::from_millis(1500));
    }
    std::thread::sleep(Duration::from_secs(1));
    let sent = probe_lines(&leader.lines, "sent");
    let heard = delays(&sent, &probe_lines(&follower.lines, "heard"));
    let shown = delays(&sent, &probe_lines(&follower.lines, "shown"));
    drop((leader, follower));
    let _ = std::fs::remove_dir_all(&dir);
    let pct = |v: &[f64], p: f64| {
        let x = percentile(v, p);
        if x.is_nan() {
            "-".to_string()
        } else {
            format!("{x:.1}")
        }
    };
    println!(
        "hall_sync_heard_p50_ms={} hall_sync_heard_p95_ms={} hall_sync_shown_p50_ms={} \
         hall_sync_shown_p95_ms={} changes={} heard={} shown={}",
        pct(&heard, 0.5),
        pct(&heard, 0.95),
        pct(&shown, 0.5),
        pct(&shown, 0.95),
        sent.len(),
        heard.len(),
        shown.len()
    );
    if shown.len() < ROUNDS / 2 {
        eprintln!("bench: the follower showed too few of the leader's changes");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
