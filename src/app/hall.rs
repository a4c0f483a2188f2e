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

use bevy::prelude::*;
use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};

use crate::app::base::sets::RemoteCommands;
use crate::app::base::{
    City, CuratorMode, CurrentLang, Focus, HallConfig, KioskMode, MainView, MapRequest,
    RemoteInput, StoryPlay,
};
use crate::config::OscConfig;
use crate::hall::osc::{HallCommand, HallState, MAX_DATAGRAM, RateLimit, parse, state_reply};

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
}

/// Starts the listener when the configuration asks for it (windowed exhibit only).
pub fn plugin(app: &mut App) {
    app.add_systems(Startup, start).add_systems(
        Update,
        apply
            .in_set(RemoteCommands)
            .run_if(resource_exists::<OscInbox>),
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
    let flag = pending.clone();
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
            read_loop(&reader, &tx, &allow, (&key, per_s), &wake);
        })?;
    Ok(OscInbox {
        commands: Mutex::new(rx),
        socket,
        pending,
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
    wake: &dyn Fn(),
) {
    // One byte more than the limit, so an oversized datagram is told from a full one.
    let mut buf = vec![0u8; MAX_DATAGRAM + 1];
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
        match tx.try_send((from, commands)) {
            Ok(()) => wake(),
            Err(TrySendError::Full(_)) => log.drop(from, "the exhibit is busy (queue full)"),
            // The exhibit is gone.
            Err(TrySendError::Disconnected(_)) => return,
        }
    }
}

/// Turns queued commands into map requests and [`RemoteInput`]s (the kiosk keeps the
/// attract mode and the idle clock); answers state queries.
fn apply(
    inbox: Res<OscInbox>,
    city: Res<City>,
    lang: Res<CurrentLang>,
    focus: Res<Focus>,
    play: Res<StoryPlay>,
    view: Res<State<MainView>>,
    kiosk: Res<State<KioskMode>>,
    curator: Res<State<CuratorMode>>,
    mut requests: MessageWriter<MapRequest>,
    mut remote: MessageWriter<RemoteInput>,
    mut log: Local<Option<Throttle>>,
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
    let mut lang_now = lang.0;
    for (from, commands) in arrived {
        if *curator.get() != CuratorMode::Closed {
            log.drop(from, "curator mode is open");
            continue;
        }
        for command in commands {
            match command {
                HallCommand::Query => {
                    let s = &city.0.snapshot;
                    let state = HallState {
                        focus: focus.id(&city.0).to_string(),
                        lang: lang.0.code().to_string(),
                        view: view.get().name().to_string(),
                        story: play
                            .0
                            .as_ref()
                            .and_then(|p| s.stories.get(p.story).map(|st| (st.id.clone(), p.step))),
                        attract: *kiosk.get() == KioskMode::Attract,
                        exported_at: s.exported_at.clone(),
                    };
                    if let Some(bytes) = state_reply(&state)
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
                other => {
                    remote.write(RemoteInput::Command);
                    match request(&city, other) {
                        Ok(r) => {
                            requests.write_batch(r);
                        }
                        Err(why) => log.drop(from, &why),
                    }
                }
            }
        }
    }
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
        HallCommand::Lang(_) | HallCommand::Attract(_) | HallCommand::Query => Vec::new(),
    })
}
