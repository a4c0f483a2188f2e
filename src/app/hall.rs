//! Show control over Open Sound Control (`docs/osc.md`): when the configuration has an
//! `osc` section, a thread listens on its UDP port, drops datagrams from senders not
//! allowed, over the rate or refused by [`crate::hall::osc::parse`] (logged with the
//! sender and the reason, at most once a second), and hands the rest to the exhibit, waking
//! its event loop so the answer is drawn at once even while it rests. The commands become
//! the same map requests a touch makes; `/citygrid/state` is answered to its sender. While
//! curator mode is open, commands are dropped: the hall's staff are at work.

use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};

use crate::app::base::sets::ApplyRequests;
use crate::app::base::{
    AppSystems, City, CuratorMode, CurrentLang, Focus, HallConfig, KioskMode, MainView, MapRequest,
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
}

/// Starts the listener when the configuration asks for it (windowed exhibit only).
pub fn plugin(app: &mut App) {
    app.add_systems(Startup, start).add_systems(
        Update,
        apply
            .in_set(AppSystems::Apply)
            .before(ApplyRequests)
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
    std::thread::Builder::new()
        .name("citygrid-osc".into())
        .spawn(move || read_loop(&reader, &tx, &allow, (&key, per_s), wake.as_deref()))?;
    Ok(OscInbox {
        commands: Mutex::new(rx),
        socket,
    })
}

/// Reads datagrams until the exhibit is gone (the channel closes).
fn read_loop(
    socket: &UdpSocket,
    tx: &SyncSender<(SocketAddr, Vec<HallCommand>)>,
    allow: &[IpAddr],
    (key, per_s): (&str, u32),
    wake: Option<&(dyn Fn() + Send)>,
) {
    // One byte more than the limit, so an oversized datagram is told from a full one.
    let mut buf = vec![0u8; MAX_DATAGRAM + 1];
    let mut limit = RateLimit::new(per_s);
    let mut last_log = Instant::now() - Duration::from_secs(2);
    let mut dropped = 0u64;
    let mut log = |from: SocketAddr, why: &str| {
        dropped += 1;
        let now = Instant::now();
        if now.duration_since(last_log) >= Duration::from_secs(1) {
            warn!("OSC from {from}: {why}; dropped ({dropped} dropped so far)");
            last_log = now;
        }
    };
    loop {
        let (n, from) = match socket.recv_from(&mut buf) {
            Ok(r) => r,
            Err(e) => {
                warn!("OSC: cannot read the socket: {e}");
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        if !allow.contains(&from.ip()) {
            log(from, "sender not in osc.allow");
            continue;
        }
        if !limit.allow(from.ip(), Instant::now()) {
            log(from, "over osc.max_per_s");
            continue;
        }
        match parse(&buf[..n], key) {
            Ok(commands) => match tx.try_send((from, commands)) {
                Ok(()) => {
                    if let Some(wake) = wake {
                        wake();
                    }
                }
                Err(TrySendError::Full(_)) => log(from, "the exhibit is busy (queue full)"),
                // The exhibit is gone.
                Err(TrySendError::Disconnected(_)) => return,
            },
            Err(e) => log(from, &e.to_string()),
        }
    }
}

/// Turns queued commands into map requests and mode changes; answers state queries.
fn apply(
    inbox: Res<OscInbox>,
    city: Res<City>,
    lang: Res<CurrentLang>,
    focus: Res<Focus>,
    play: Res<StoryPlay>,
    view: Res<State<MainView>>,
    kiosk: Res<State<KioskMode>>,
    curator: Res<State<CuratorMode>>,
    mut next_kiosk: ResMut<NextState<KioskMode>>,
    mut requests: MessageWriter<MapRequest>,
    mut remote: MessageWriter<RemoteInput>,
) {
    let Ok(queue) = inbox.commands.lock() else {
        return;
    };
    let arrived: Vec<_> = queue.try_iter().collect();
    drop(queue);
    for (from, commands) in arrived {
        if *curator.get() != CuratorMode::Closed {
            warn!("OSC from {from}: curator mode is open; {commands:?} dropped");
            continue;
        }
        remote.write(RemoteInput);
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
                        warn!("OSC: cannot answer {from}: {e}");
                    }
                }
                HallCommand::Attract(on) => {
                    if !on && play.0.is_some() && *kiosk.get() == KioskMode::Attract {
                        requests.write(MapRequest::EndStory);
                    }
                    next_kiosk.set(if on {
                        KioskMode::Attract
                    } else {
                        KioskMode::Explore
                    });
                }
                other => {
                    // Anything else is a visitor's kind of request: it ends the tour.
                    if *kiosk.get() == KioskMode::Attract {
                        next_kiosk.set(KioskMode::Explore);
                    }
                    match request(&city, lang.0, other) {
                        Ok(r) => {
                            requests.write_batch(r);
                        }
                        Err(why) => warn!("OSC from {from}: {why}"),
                    }
                }
            }
        }
    }
}

/// The map requests for a command. Errors: an id the snapshot lacks, an unknown view.
fn request(
    city: &City,
    lang: crate::scene::format::Lang,
    command: HallCommand,
) -> Result<Vec<MapRequest>, String> {
    let c = &city.0;
    Ok(match command {
        HallCommand::Focus(id) if id == "district" => vec![MapRequest::Focus(Focus::District)],
        HallCommand::Focus(id) => match Focus::from_id(c, &id) {
            Some(f) => vec![MapRequest::Focus(f)],
            None => return Err(format!("/citygrid/focus: no region, grid or building {id}")),
        },
        HallCommand::Back => vec![MapRequest::Back],
        HallCommand::Lang(l) => {
            if l == lang.code() {
                Vec::new()
            } else {
                vec![MapRequest::ToggleLang]
            }
        }
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
        HallCommand::Attract(_) | HallCommand::Query => Vec::new(),
    })
}
