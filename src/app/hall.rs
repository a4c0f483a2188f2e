//! Show control over Open Sound Control (`docs/osc.md`): when the configuration has an
//! `osc` section, a thread listens on its UDP port, drops datagrams from senders not
//! allowed, over the rate or refused by [`crate::hall::osc::parse`] (logged with the
//! sender and the reason, at most once a second), and hands the rest to the exhibit, waking
//! its event loop so the answer is drawn at once even while it rests. The commands become
//! the same map requests a touch makes; `/citygrid/state` is answered to its sender. While
//! curator mode is open, commands are dropped: the hall's staff are at work.

use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};

use crate::app::base::sets::RemoteCommands;
use crate::app::base::{
    AppSystems, City, CuratorMode, CurrentLang, Focus, HallConfig, HallLink, KioskMode, MainView,
    MapRequest, RemoteInput, StoryPlay,
};
use crate::config::OscConfig;
use crate::hall::osc::{
    HallCommand, HallState, MAX_DATAGRAM, RateLimit, parse, state_reply, sync_message,
};

/// Datagrams' commands queued for the exhibit at most; more are dropped (logged).
const QUEUE: usize = 256;

/// Commands that arrived, with their sender, for the exhibit's frame.
#[derive(Resource)]
pub struct OscInbox {
    commands: Mutex<Receiver<(SocketAddr, Vec<HallCommand>)>>,
    /// The listening socket, for answers.
    socket: UdpSocket,
    /// Set by the reader when it queues commands and woke the exhibit, cleared when they
    /// are taken: one wake per frame, however many datagrams arrive.
    pending: Arc<AtomicBool>,
    /// This process follows a leader it hears (its heartbeats then need no wake).
    linked: Arc<AtomicBool>,
    /// The processes this one leads.
    followers: Vec<SocketAddr>,
    /// The last `/citygrid/sync` datagram this leader made, sent again once a second.
    latest: Arc<Mutex<Vec<u8>>>,
    key: String,
    /// A follower that hears no leader this long runs its own attract mode.
    leader_timeout: Duration,
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

/// Starts the listener when the configuration asks for it (windowed exhibit only).
pub fn plugin(app: &mut App) {
    app.add_systems(Startup, start).add_systems(
        Update,
        (
            apply
                .in_set(RemoteCommands)
                .run_if(resource_exists::<OscInbox>),
            lead.in_set(AppSystems::Rebuild)
                .run_if(resource_exists::<OscInbox>),
        ),
    );
}

fn start(
    mut commands: Commands,
    config: Res<HallConfig>,
    proxy: Option<Res<EventLoopProxyWrapper>>,
) {
    let Some(osc) = config.0.osc.clone() else {
        return;
    };
    let wake: Option<Box<dyn Fn() + Send>> = proxy.map(|p| {
        let p = (**p).clone();
        Box::new(move || {
            let _ = p.send_event(WinitUserEvent::WakeUp);
        }) as Box<dyn Fn() + Send>
    });
    match listen(&osc, wake) {
        Ok(inbox) => {
            info!(
                "OSC: listening on {}:{} for {}",
                osc.bind,
                osc.port,
                osc.allow.join(", ")
            );
            commands.insert_resource(inbox);
        }
        Err(e) => error!(
            "OSC: cannot listen on {}:{}: {e}; the exhibit runs without show control",
            osc.bind, osc.port
        ),
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
            read_loop(&reader, &tx, &allow, (&key, per_s), (&wake, &link));
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
        leader_timeout: Duration::from_secs_f64(osc.leader_timeout_s),
    })
}

/// At most one log line a second, with the count dropped since start.
struct Throttle {
    last: Option<Instant>,
    dropped: u64,
}

impl Throttle {
    fn new() -> Self {
        Self {
            last: None,
            dropped: 0,
        }
    }

    fn drop(&mut self, from: SocketAddr, why: &str) {
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
    (key, per_s): (&str, u32),
    (wake, linked): (&dyn Fn(), &AtomicBool),
) {
    // One byte more than the limit, so an oversized datagram is told from a full one.
    let mut buf = vec![0u8; MAX_DATAGRAM + 1];
    // The last sync a leader sent: the same again (its heartbeat) is queued without waking
    // a resting follower, which reads it at its next frame.
    let mut last_sync: Vec<u8> = Vec::new();
    let mut limit = RateLimit::new(per_s);
    let mut log = Throttle::new();
    loop {
        let (n, from) = match socket.recv_from(&mut buf) {
            Ok(r) => r,
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

/// What this exhibit shows, read for `/citygrid/state` and for its followers.
#[derive(SystemParam)]
struct Shown<'w> {
    city: Res<'w, City>,
    lang: Res<'w, CurrentLang>,
    focus: Res<'w, Focus>,
    play: Res<'w, StoryPlay>,
    view: Res<'w, State<MainView>>,
    kiosk: Res<'w, State<KioskMode>>,
}

impl Shown<'_> {
    fn state(&self) -> HallState {
        let s = &self.city.0.snapshot;
        HallState {
            focus: self.focus.id(&self.city.0).to_string(),
            lang: self.lang.0.code().to_string(),
            view: self.view.get().name().to_string(),
            story: self
                .play
                .0
                .as_ref()
                .and_then(|p| s.stories.get(p.story).map(|st| (st.id.clone(), p.step))),
            attract: *self.kiosk.get() == KioskMode::Attract,
            exported_at: s.exported_at.clone(),
        }
    }
}

/// Turns queued commands into map requests and [`RemoteInput`]s (the kiosk keeps the
/// attract mode and the idle clock); answers state queries; follows a leader's syncs and
/// lets it go when it is silent for `leader_timeout_s`.
fn apply(
    inbox: Res<OscInbox>,
    shown: Shown,
    curator: Res<State<CuratorMode>>,
    mut link: ResMut<HallLink>,
    mut requests: MessageWriter<MapRequest>,
    mut remote: MessageWriter<RemoteInput>,
    mut log: Local<Option<Throttle>>,
    mut heard: Local<Option<Instant>>,
) {
    inbox.pending.store(false, Ordering::Release);
    let Ok(queue) = inbox.commands.lock() else {
        return;
    };
    let arrived: Vec<_> = queue.try_iter().collect();
    drop(queue);
    let log = log.get_or_insert_with(Throttle::new);
    // The language as the requests already written leave it (two `lang en` in one frame
    // toggle once).
    let mut lang_now = shown.lang.0;
    let mut next_link = link.clone();
    for (from, commands) in arrived {
        if *curator.get() != CuratorMode::Closed {
            log.drop(from, "curator mode is open");
            continue;
        }
        for command in commands {
            match command {
                HallCommand::Query => {
                    if let Some(bytes) = state_reply(&shown.state())
                        && let Err(e) = inbox.socket.send_to(&bytes, from)
                    {
                        log.drop(from, &format!("cannot answer: {e}"));
                    }
                }
                HallCommand::Attract(on) => {
                    remote.write(RemoteInput::Attract(on));
                }
                HallCommand::Lang(l) => {
                    remote.write(RemoteInput::Command);
                    if l != lang_now.code() {
                        lang_now = lang_now.other();
                        requests.write(MapRequest::ToggleLang);
                    }
                }
                HallCommand::Sync(theirs) => {
                    *heard = Some(Instant::now());
                    next_link = follow(
                        &shown,
                        &theirs,
                        from,
                        &mut lang_now,
                        &mut requests,
                        &mut remote,
                    );
                }
                other => {
                    remote.write(RemoteInput::Command);
                    match request(&shown.city, other) {
                        Ok(r) => {
                            requests.write_batch(r);
                        }
                        Err(why) => log.drop(from, &why),
                    }
                }
            }
        }
    }
    if next_link.leader.is_some() && heard.is_none_or(|t| t.elapsed() > inbox.leader_timeout) {
        info!(
            "OSC: no word from the leader for {:.0} s: running on its own",
            inbox.leader_timeout.as_secs_f64()
        );
        next_link = HallLink::default();
        remote.write(RemoteInput::Attract(true));
    }
    inbox
        .linked
        .store(next_link.leader.is_some(), Ordering::Release);
    link.set_if_neq(next_link);
}

/// The requests that make this exhibit show what its leader shows (`theirs`), where it
/// differs; the link as it then stands. With other data (another `exported_at`) only
/// language and view follow: ids may mean nothing here.
fn follow(
    shown: &Shown,
    theirs: &HallState,
    from: SocketAddr,
    lang_now: &mut crate::scene::format::Lang,
    requests: &mut MessageWriter<MapRequest>,
    remote: &mut MessageWriter<RemoteInput>,
) -> HallLink {
    let mine = shown.state();
    let same_data = theirs.exported_at == mine.exported_at;
    if theirs.lang != lang_now.code() && crate::scene::format::Lang::parse(&theirs.lang).is_some() {
        *lang_now = lang_now.other();
        requests.write(MapRequest::ToggleLang);
    }
    if theirs.view != mine.view
        && let Some(v) = MainView::parse(&theirs.view)
    {
        requests.write(MapRequest::SetView(v));
    }
    // The leader's attract tour is mirrored (this one's own tour waits); any other state
    // keeps this exhibit awake and out of its own tour.
    match (theirs.attract, mine.attract) {
        (true, false) => {
            remote.write(RemoteInput::Attract(true));
        }
        (true, true) => {}
        (false, _) => {
            remote.write(RemoteInput::Command);
        }
    }
    if same_data {
        let c = &shown.city.0;
        match (&theirs.story, &mine.story) {
            (Some((id, step)), mine_story) => {
                if mine_story.as_ref().map(|(m, _)| m) != Some(id) {
                    if let Some(i) = c.snapshot.stories.iter().position(|s| &s.id == id) {
                        requests.write(MapRequest::StartStory(i));
                        for _ in 0..(*step).min(64) {
                            requests.write(MapRequest::StoryStep(1));
                        }
                    }
                } else if let Some((_, my_step)) = mine_story
                    && my_step != step
                {
                    let delta = (*step as i64 - *my_step as i64).clamp(-64, 64) as i8;
                    requests.write(MapRequest::StoryStep(delta));
                }
            }
            (None, Some(_)) => {
                requests.write(MapRequest::EndStory);
            }
            (None, None) => {
                if theirs.focus != mine.focus
                    && let Some(f) = Focus::from_id(c, &theirs.focus)
                {
                    requests.write(MapRequest::Focus(f));
                }
            }
        }
    }
    HallLink {
        leader: Some(from),
        other_data: (!same_data).then(|| theirs.exported_at.clone()),
        mirroring_attract: theirs.attract,
    }
}

/// A leader sends what it shows to its followers when it changes (and its heartbeat
/// thread once a second).
fn lead(inbox: Res<OscInbox>, shown: Shown, mut last: Local<Option<HallState>>) {
    if inbox.followers.is_empty() {
        return;
    }
    let now = shown.state();
    if last.as_ref() == Some(&now) {
        return;
    }
    let Some(datagram) = sync_message(&now, &inbox.key) else {
        return;
    };
    for f in &inbox.followers {
        if let Err(e) = inbox.socket.send_to(&datagram, f) {
            warn!("OSC: cannot reach the follower {f}: {e}");
        }
    }
    if let Ok(mut latest) = inbox.latest.lock() {
        *latest = datagram;
    }
    *last = Some(now);
}

/// The map requests for a command. Errors: an id the snapshot lacks, an unknown view.
fn request(city: &City, command: HallCommand) -> Result<Vec<MapRequest>, String> {
    let c = &city.0;
    Ok(match command {
        HallCommand::Focus(id) if id == "district" => vec![MapRequest::Focus(Focus::District)],
        HallCommand::Focus(id) => match Focus::from_id(c, &id) {
            Some(f) => vec![MapRequest::Focus(f)],
            None => return Err(format!("/citygrid/focus: no region, grid or building {id}")),
        },
        HallCommand::Back => vec![MapRequest::Back],
        HallCommand::View(v) => match MainView::parse(&v) {
            Some(view) => vec![MapRequest::SetView(view)],
            None => return Err(format!("/citygrid/view: {v:?} is not map, hall or ring")),
        },
        HallCommand::StoryStart(id) => match c.snapshot.stories.iter().position(|s| s.id == id) {
            Some(i) => vec![MapRequest::StartStory(i)],
            None => return Err(format!("/citygrid/story/start: no story {id}")),
        },
        HallCommand::StoryStep(d) => vec![MapRequest::StoryStep(d)],
        HallCommand::StoryEnd => vec![MapRequest::EndStory],
        HallCommand::Lang(_)
        | HallCommand::Attract(_)
        | HallCommand::Query
        | HallCommand::Sync(_) => Vec::new(),
    })
}
