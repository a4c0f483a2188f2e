//! The OSC socket: the reader thread (allowlist, key, rate, a bounded queue, one wake per
//! frame, quiet heartbeats, a silent leader noticed) and a leader's heartbeat thread.

use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bevy::prelude::*;

use crate::config::OscConfig;
use crate::hall::osc::{HallCommand, MAX_DATAGRAM, RateLimit, parse};

/// Datagrams' commands queued for the exhibit at most; more are dropped (logged).
const QUEUE: usize = 256;

/// Commands that arrived, with their sender, for the exhibit's frame.
#[derive(Resource)]
pub struct OscInbox {
    pub(super) commands: Mutex<Receiver<(SocketAddr, Vec<HallCommand>)>>,
    /// The listening socket, for answers.
    pub(super) socket: UdpSocket,
    /// Set by the reader when it queues commands and woke the exhibit, cleared when they
    /// are taken: one wake per frame, however many datagrams arrive.
    pub(super) pending: Arc<AtomicBool>,
    /// This process follows a leader it hears and shows what it shows (the leader's
    /// heartbeats then need no wake).
    pub(super) linked: Arc<AtomicBool>,
    /// The processes this one leads.
    pub(super) followers: Vec<SocketAddr>,
    /// The last `/citygrid/sync` datagram this leader made, sent again once a second.
    pub(super) latest: Arc<Mutex<Vec<u8>>>,
    pub(super) key: String,
    /// A follower that hears no leader this long runs its own attract mode.
    pub(super) leader_timeout: Duration,
}

/// The leader's heartbeat: its latest state to every follower once a second, so that a
/// follower started (or restarted) later picks it up within a second. Ends with the
/// process.
fn heartbeat(socket: &UdpSocket, followers: &[SocketAddr], latest: &Mutex<Vec<u8>>) {
    let mut log = Throttle::new();
    loop {
        std::thread::sleep(Duration::from_secs(1));
        let datagram = match latest.lock() {
            Ok(d) => d.clone(),
            Err(_) => return,
        };
        if datagram.is_empty() {
            continue;
        }
        for f in followers {
            if let Err(e) = socket.send_to(&datagram, f) {
                log.drop(*f, &format!("cannot reach the follower: {e}"));
            }
        }
    }
}

/// Binds the socket and starts the thread that reads it. `wake` wakes the exhibit's event
/// loop after a command is queued.
pub fn listen(osc: &OscConfig, wake: Option<Box<dyn Fn() + Send>>) -> std::io::Result<OscInbox> {
    let bind: IpAddr = osc
        .bind
        .parse()
        .map_err(|_| std::io::Error::other(format!("{:?} is not an IP address", osc.bind)))?;
    let socket = UdpSocket::bind((bind, osc.port))?;
    let reader = socket.try_clone()?;
    // Bounded: a stalled exhibit drops what it cannot take rather than queue without end.
    let (tx, rx) = sync_channel(QUEUE);
    let allow: Vec<IpAddr> = osc.allow.iter().filter_map(|a| a.parse().ok()).collect();
    let (key, per_s) = (osc.key.clone(), osc.max_per_s);
    let leader_timeout = Duration::from_secs_f64(osc.leader_timeout_s);
    let pending = Arc::new(AtomicBool::new(false));
    let linked = Arc::new(AtomicBool::new(false));
    let (flag, link) = (pending.clone(), linked.clone());
    std::thread::Builder::new()
        .name("citygrid-osc".into())
        .spawn(move || {
            let wake = || {
                if !flag.swap(true, Ordering::AcqRel)
                    && let Some(w) = &wake
                {
                    w();
                }
            };
            read_loop(
                &reader,
                &tx,
                &allow,
                (&key, per_s, leader_timeout),
                (&wake, &link),
            );
        })?;
    let followers: Vec<SocketAddr> = osc
        .followers
        .iter()
        .filter_map(|f| f.parse().ok())
        .collect();
    let latest = Arc::new(Mutex::new(Vec::new()));
    if !followers.is_empty() {
        let (beat, sender, to) = (latest.clone(), socket.try_clone()?, followers.clone());
        std::thread::Builder::new()
            .name("citygrid-osc-lead".into())
            .spawn(move || heartbeat(&sender, &to, &beat))?;
    }
    Ok(OscInbox {
        commands: Mutex::new(rx),
        socket,
        pending,
        linked,
        followers,
        latest,
        key: osc.key.clone(),
        leader_timeout,
    })
}

/// At most one log line a second, with the count dropped since start.
pub(super) struct Throttle {
    last: Option<Instant>,
    dropped: u64,
}

impl Throttle {
    pub(super) fn new() -> Self {
        Self {
            last: None,
            dropped: 0,
        }
    }

    pub(super) fn drop(&mut self, from: SocketAddr, why: &str) {
        self.dropped += 1;
        let now = Instant::now();
        if self
            .last
            .is_none_or(|t| now.duration_since(t) >= Duration::from_secs(1))
        {
            warn!(
                "OSC from {from}: {why}; dropped ({} dropped so far)",
                self.dropped
            );
            self.last = Some(now);
        }
    }
}

/// Reads datagrams until the exhibit is gone (the channel closes). Only datagrams that
/// pass the key are charged to their sender's rate: a spoofed sender without the key
/// cannot use up the real controller's.
fn read_loop(
    socket: &UdpSocket,
    tx: &SyncSender<(SocketAddr, Vec<HallCommand>)>,
    allow: &[IpAddr],
    (key, per_s, leader_timeout): (&str, u32, Duration),
    (wake, linked): (&dyn Fn(), &AtomicBool),
) {
    // One byte more than the limit, so an oversized datagram is told from a full one.
    let mut buf = vec![0u8; MAX_DATAGRAM + 1];
    // The last sync a leader sent, and when: the same again (its heartbeat) is queued
    // without waking a follower at rest and in step, which reads it at its next frame; a
    // leader silent past its timeout wakes the follower to run on its own.
    let (mut last_sync, mut last_sync_at): (Vec<u8>, Option<Instant>) = (Vec::new(), None);
    let mut limit = RateLimit::new(per_s);
    let mut log = Throttle::new();
    // Waking once a second to notice a silent leader.
    let _ = socket.set_read_timeout(Some(Duration::from_secs(1)));
    loop {
        let (n, from) = match socket.recv_from(&mut buf) {
            Ok(r) => r,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                if linked.load(Ordering::Acquire)
                    && last_sync_at.is_some_and(|t| t.elapsed() > leader_timeout)
                {
                    wake();
                }
                continue;
            }
            Err(e) => {
                log.drop(
                    SocketAddr::from(([0, 0, 0, 0], 0)),
                    &format!("cannot read: {e}"),
                );
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        // An IPv4 sender reaches a socket bound to `::` as ::ffff:a.b.c.d.
        let ip = from.ip().to_canonical();
        if !allow.contains(&ip) {
            log.drop(from, "sender not in osc.allow");
            continue;
        }
        let commands = match parse(&buf[..n], key) {
            Ok(c) => c,
            Err(e) => {
                log.drop(from, &e.to_string());
                continue;
            }
        };
        if !limit.allow(ip, Instant::now()) {
            log.drop(from, "over osc.max_per_s");
            continue;
        }
        let heartbeat = matches!(commands.as_slice(), [HallCommand::Sync(_)])
            && buf[..n] == last_sync[..]
            && linked.load(Ordering::Acquire);
        if matches!(commands.as_slice(), [HallCommand::Sync(_)]) {
            last_sync.clear();
            last_sync.extend_from_slice(&buf[..n]);
            last_sync_at = Some(Instant::now());
        }
        match tx.try_send((from, commands)) {
            Ok(()) if heartbeat => {}
            Ok(()) => wake(),
            Err(TrySendError::Full(_)) => log.drop(from, "the exhibit is busy (queue full)"),
            // The exhibit is gone.
            Err(TrySendError::Disconnected(_)) => return,
        }
    }
}
