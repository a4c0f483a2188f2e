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
use crate::hall::console::{Thumb, next_serial};
use crate::hall::osc::{
    HallCommand, MAX_SCREENS, MAX_THUMB_DATAGRAM, RateLimit, ScreenThumb, follow_message, parse,
};

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
    /// This process leads (`--lead` or followers listed): it follows no one.
    pub(super) leads: bool,
    /// The processes this one leads.
    pub(super) followers: Arc<Mutex<Followers>>,
    /// The followers' latest screens, for the docent's console.
    pub(super) thumbs: Arc<Mutex<FollowerThumbs>>,
    /// A follower's leader asked for its screens (`/citygrid/thumb/want`): whom, and when.
    pub(super) thumbs_wanted: Mutex<Option<(SocketAddr, Instant)>>,
    /// The last `/citygrid/sync` datagram this leader made, sent again once a second.
    pub(super) latest: Arc<Mutex<Vec<u8>>>,
    pub(super) key: String,
    /// A follower that hears no leader this long runs its own attract mode.
    pub(super) leader_timeout: Duration,
    /// The latency probe's lines are printed (`citygrid bench --case hall`).
    pub(super) probe: bool,
}

/// Followers a leader has not heard from for this long are no longer sent syncs (they ask
/// once a second).
const FOLLOW_TTL: Duration = Duration::from_secs(5);
/// Most followers that may ask to be led at once: more are refused (logged).
pub(super) const MAX_FOLLOWERS: usize = 64;

/// Whom a leader sends what it shows: the configuration's `followers` and those that
/// asked (`/citygrid/follow`) within [`FOLLOW_TTL`].
#[derive(Debug, Default)]
pub(super) struct Followers {
    listed: Vec<SocketAddr>,
    asked: Vec<(SocketAddr, Instant)>,
}

impl Followers {
    /// Every follower to send to at `now`.
    pub(super) fn all(&mut self, now: Instant) -> Vec<SocketAddr> {
        self.asked
            .retain(|(_, t)| now.saturating_duration_since(*t) < FOLLOW_TTL);
        let mut out = self.listed.clone();
        out.extend(
            self.asked
                .iter()
                .map(|(a, _)| *a)
                .filter(|a| !self.listed.contains(a)),
        );
        out
    }

    /// A follower asked at `now`. Ok(true) when it is new (or came back), Ok(false) when it
    /// was known; Err when [`MAX_FOLLOWERS`] already ask.
    pub(super) fn ask(&mut self, from: SocketAddr, now: Instant) -> Result<bool, ()> {
        self.asked
            .retain(|(_, t)| now.saturating_duration_since(*t) < FOLLOW_TTL);
        if let Some((_, t)) = self.asked.iter_mut().find(|(a, _)| *a == from) {
            *t = now;
            return Ok(false);
        }
        if self.asked.len() >= MAX_FOLLOWERS {
            return Err(());
        }
        self.asked.push((from, now));
        Ok(true)
    }
}

impl Followers {
    /// Whether `a` is a follower at `now` (listed, or asked within [`FOLLOW_TTL`]).
    pub(super) fn contains(&self, a: SocketAddr, now: Instant) -> bool {
        self.listed.iter().any(|x| same_address(a, *x))
            || self
                .asked
                .iter()
                .any(|(x, t)| same_address(a, *x) && now.saturating_duration_since(*t) < FOLLOW_TTL)
    }
}

/// A follower's thumbnail older than this is no longer shown (the follower is gone or its
/// screens went off).
const THUMB_TTL: Duration = Duration::from_secs(10);

/// The followers' latest screens (at most [`MAX_FOLLOWERS`] × 16).
#[derive(Debug, Default)]
pub(super) struct FollowerThumbs(Vec<(SocketAddr, u8, Thumb, Instant)>);

impl FollowerThumbs {
    fn put(&mut self, from: SocketAddr, t: ScreenThumb, now: Instant) {
        let thumb = Thumb {
            name: format!("{} · {from}", t.name),
            png: Arc::new(t.png),
            serial: next_serial(),
        };
        let full = self.0.len() >= MAX_FOLLOWERS * MAX_SCREENS as usize;
        match self
            .0
            .iter_mut()
            .find(|(a, n, ..)| *a == from && *n == t.screen)
        {
            Some(e) => (e.2, e.3) = (thumb, now),
            None if !full => self.0.push((from, t.screen, thumb, now)),
            None => {}
        }
    }

    /// The thumbnails heard within [`THUMB_TTL`] of `now`, by follower and screen.
    pub(super) fn fresh(&mut self, now: Instant) -> Vec<Thumb> {
        self.0
            .retain(|(.., t)| now.saturating_duration_since(*t) < THUMB_TTL);
        self.0.sort_by_key(|(a, n, ..)| (*a, *n));
        self.0.iter().map(|(_, _, t, _)| t.clone()).collect()
    }
}

/// The heartbeat: a leader sends its latest state to every follower once a second, so
/// that a follower started (or restarted) later picks it up within a second; a follower
/// asks its leader to lead it (at once and then once a second), so that a restarted leader
/// finds it again. Ends with the process.
fn heartbeat(
    socket: &UdpSocket,
    followers: Option<&Mutex<Followers>>,
    leader: Option<SocketAddr>,
    latest: &Mutex<Vec<u8>>,
    key: &str,
) {
    let mut log = Throttle::new();
    let ask = follow_message(key).unwrap_or_default();
    loop {
        if let Some(l) = leader
            && let Err(e) = socket.send_to(&ask, l)
        {
            log.drop(l, &format!("cannot reach the leader: {e}"));
        }
        std::thread::sleep(Duration::from_secs(1));
        let Some(followers) = followers else {
            continue;
        };
        let datagram = match latest.lock() {
            Ok(d) => d.clone(),
            Err(_) => return,
        };
        let to = match followers.lock() {
            Ok(mut f) => f.all(Instant::now()),
            Err(_) => return,
        };
        if datagram.is_empty() {
            continue;
        }
        for f in to {
            if let Err(e) = socket.send_to(&datagram, f) {
                log.drop(f, &format!("cannot reach the follower: {e}"));
            }
        }
    }
}

/// Binds the socket and starts the thread that reads it (and, for a leader or a follower,
/// the heartbeat's). `wake` wakes the exhibit's event loop after a command is queued.
/// Errors: the address cannot be bound (in use, not this PC's), a thread cannot start.
pub fn listen(osc: &OscConfig, wake: Option<Box<dyn Fn() + Send>>) -> std::io::Result<OscInbox> {
    let bind: IpAddr = osc
        .bind
        .parse()
        .map_err(|_| std::io::Error::other(format!("{:?} is not an IP address", osc.bind)))?;
    let socket = UdpSocket::bind((bind, osc.port))?;
    // Bounded: a stalled exhibit drops what it cannot take rather than queue without end.
    let (tx, rx) = sync_channel(QUEUE);
    let leader: Option<SocketAddr> = osc.leader.as_deref().and_then(|l| l.parse().ok());
    let mut allow: Vec<IpAddr> = osc.allow.iter().filter_map(|a| a.parse().ok()).collect();
    allow.extend(leader.map(|l| l.ip().to_canonical()));
    let followers = Arc::new(Mutex::new(Followers {
        listed: osc
            .followers
            .iter()
            .filter_map(|f| f.parse().ok())
            .collect(),
        asked: Vec::new(),
    }));
    let latest = Arc::new(Mutex::new(Vec::new()));
    let thumbs = Arc::new(Mutex::new(FollowerThumbs::default()));
    let leads = osc.leads();
    let reader = Reader {
        socket: socket.try_clone()?,
        tx,
        allow,
        key: osc.key.clone(),
        per_s: osc.max_per_s,
        leader_timeout: Duration::from_secs_f64(osc.leader_timeout_s),
        pending: Arc::new(AtomicBool::new(false)),
        linked: Arc::new(AtomicBool::new(false)),
        leader,
        followers: leads.then(|| followers.clone()),
        latest: latest.clone(),
        thumbs: thumbs.clone(),
        probe: super::probe::enabled(),
    };
    let (pending, linked) = (reader.pending.clone(), reader.linked.clone());
    std::thread::Builder::new()
        .name("citygrid-osc".into())
        .spawn(move || reader.run(wake))?;
    if leads || leader.is_some() {
        let (beat, sender, to, key) = (
            latest.clone(),
            socket.try_clone()?,
            leads.then(|| followers.clone()),
            osc.key.clone(),
        );
        std::thread::Builder::new()
            .name("citygrid-osc-beat".into())
            .spawn(move || heartbeat(&sender, to.as_deref(), leader, &beat, &key))?;
    }
    Ok(OscInbox {
        commands: Mutex::new(rx),
        socket,
        pending,
        linked,
        leads,
        followers,
        thumbs,
        thumbs_wanted: Mutex::new(None),
        latest,
        key: osc.key.clone(),
        leader_timeout: Duration::from_secs_f64(osc.leader_timeout_s),
        probe: super::probe::enabled(),
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

/// The reader thread's state: what it takes, from whom, and where it hands it.
struct Reader {
    socket: UdpSocket,
    tx: SyncSender<(SocketAddr, Vec<HallCommand>)>,
    allow: Vec<IpAddr>,
    key: String,
    per_s: u32,
    leader_timeout: Duration,
    pending: Arc<AtomicBool>,
    linked: Arc<AtomicBool>,
    /// The leader this process follows, if set: syncs from anyone else are dropped.
    leader: Option<SocketAddr>,
    /// A leader's followers (`None`: this process does not lead).
    followers: Option<Arc<Mutex<Followers>>>,
    latest: Arc<Mutex<Vec<u8>>>,
    thumbs: Arc<Mutex<FollowerThumbs>>,
    /// The latency probe's lines are printed.
    probe: bool,
}

/// Whether `from` is `leader` (an IPv4 sender may reach a `::` socket as ::ffff:a.b.c.d).
fn same_address(from: SocketAddr, leader: SocketAddr) -> bool {
    from.port() == leader.port() && from.ip().to_canonical() == leader.ip().to_canonical()
}

impl Reader {
    /// Reads datagrams until the exhibit is gone (the channel closes). Only datagrams that
    /// pass the key are charged to their sender's rate: a spoofed sender without the key
    /// cannot use up the real controller's.
    fn run(self, wake: Option<Box<dyn Fn() + Send>>) {
        let wake = || {
            if !self.pending.swap(true, Ordering::AcqRel)
                && let Some(w) = &wake
            {
                w();
            }
        };
        let linked = &*self.linked;
        // One byte more than the limit, so an oversized datagram is told from a full one.
        let mut buf = vec![0u8; MAX_THUMB_DATAGRAM + 1];
        // The last sync a leader sent, and when: the same again (its heartbeat) is queued
        // without waking a follower at rest and in step, which reads it at its next frame;
        // a leader silent past its timeout wakes the follower to run on its own.
        let (mut last_sync, mut last_sync_at): (Vec<u8>, Option<Instant>) = (Vec::new(), None);
        let mut limit = RateLimit::new(self.per_s);
        let mut log = Throttle::new();
        // Waking once a second to notice a silent leader.
        let _ = self.socket.set_read_timeout(Some(Duration::from_secs(1)));
        loop {
            let (n, from) = match self.socket.recv_from(&mut buf) {
                Ok(r) => r,
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    if linked.load(Ordering::Acquire)
                        && last_sync_at.is_some_and(|t| t.elapsed() > self.leader_timeout)
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
            if !self.allow.contains(&ip) {
                log.drop(from, "sender not in osc.allow");
                continue;
            }
            let mut commands = match parse(&buf[..n], &self.key) {
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
            let is_sync = matches!(commands.as_slice(), [HallCommand::Sync(_)]);
            if let [HallCommand::Follow] = commands.as_slice() {
                self.asked(from, &mut log);
                continue;
            }
            if let [HallCommand::Thumb(_)] = commands.as_slice()
                && let Some(HallCommand::Thumb(t)) = commands.pop()
            {
                self.thumb(from, t, &mut log);
                continue;
            }
            if commands
                .iter()
                .any(|c| matches!(c, HallCommand::Follow | HallCommand::Thumb(_)))
            {
                log.drop(from, "/citygrid/follow and /citygrid/thumb come alone");
                continue;
            }
            if (is_sync || commands.contains(&HallCommand::ThumbWant))
                && let Some(l) = self.leader
                && !same_address(from, l)
            {
                log.drop(from, &format!("a sync not from this process's leader {l}"));
                continue;
            }
            let heartbeat = is_sync && buf[..n] == last_sync[..] && linked.load(Ordering::Acquire);
            if is_sync
                && !heartbeat
                && self.probe
                && let [HallCommand::Sync(state)] = commands.as_slice()
            {
                super::probe::line("heard", &state.focus, Instant::now());
            }
            if is_sync {
                last_sync.clear();
                last_sync.extend_from_slice(&buf[..n]);
                last_sync_at = Some(Instant::now());
            }
            match self.tx.try_send((from, commands)) {
                Ok(()) if heartbeat => {}
                Ok(()) => wake(),
                Err(TrySendError::Full(_)) => log.drop(from, "the exhibit is busy (queue full)"),
                // The exhibit is gone.
                Err(TrySendError::Disconnected(_)) => return,
            }
        }
    }

    /// A follower's screen arrived: kept for the console when this process leads it.
    fn thumb(&self, from: SocketAddr, t: ScreenThumb, log: &mut Throttle) {
        let now = Instant::now();
        let follows = self
            .followers
            .as_ref()
            .and_then(|f| f.lock().ok().map(|f| f.contains(from, now)));
        if follows != Some(true) {
            log.drop(from, "/citygrid/thumb: not a follower of this process");
            return;
        }
        if let Ok(mut thumbs) = self.thumbs.lock() {
            thumbs.put(from, t, now);
        }
    }

    /// A follower asked to be led: it is sent the leader's latest state at once when new.
    fn asked(&self, from: SocketAddr, log: &mut Throttle) {
        let Some(followers) = &self.followers else {
            log.drop(
                from,
                "/citygrid/follow: this process does not lead (--lead)",
            );
            return;
        };
        let new = match followers.lock() {
            Ok(mut f) => f.ask(from, Instant::now()),
            Err(_) => return,
        };
        match new {
            Ok(true) => {
                info!("OSC: {from} follows this process");
                let latest = self.latest.lock().map(|d| d.clone()).unwrap_or_default();
                if !latest.is_empty()
                    && let Err(e) = self.socket.send_to(&latest, from)
                {
                    log.drop(from, &format!("cannot reach the follower: {e}"));
                }
            }
            Ok(false) => {}
            Err(()) => log.drop(
                from,
                &format!("/citygrid/follow: {MAX_FOLLOWERS} followers already"),
            ),
        }
    }
}
