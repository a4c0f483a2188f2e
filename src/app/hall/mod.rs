//! Show control over Open Sound Control (`docs/osc.md`): when the configuration has an
//! `osc` section, a thread listens on its UDP port, drops datagrams from senders not
//! allowed, over the rate or refused by [`crate::hall::osc::parse`] (logged with the
//! sender and the reason, at most once a second), and hands the rest to the exhibit, waking
//! its event loop so the answer is drawn at once even while it rests. The commands become
//! the same map requests a touch makes; `/citygrid/state` is answered to its sender. While
//! curator mode is open, commands are dropped: the hall's staff are at work.

mod console;
mod net;
mod probe;
mod thumbs;

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::time::Instant;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};

use crate::app::base::sets::RemoteCommands;
use crate::app::base::{
    AppSystems, City, CuratorMode, CurrentLang, Focus, HallConfig, HallLink, KioskMode, MainView,
    MapRequest, RemoteInput, Screens, StoryPlay,
};
use crate::hall::osc::{HallCommand, HallState, state_reply, sync_message};
use net::Throttle;
pub use net::{OscInbox, listen};

/// Starts the listener when the configuration asks for it (windowed exhibit only).
pub fn plugin(app: &mut App) {
    probe::plugin(app);
    console::plugin(app);
    thumbs::plugin(app);
    app.add_systems(Startup, start).add_systems(
        Update,
        (
            apply.in_set(RemoteCommands).run_if(
                resource_exists::<OscInbox>.or_else(resource_exists::<console::ConsoleInbox>),
            ),
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

/// Which data a snapshot is, as [`HallState::data`] gives it.
fn data_id(s: &crate::snapshot::Snapshot) -> String {
    let mut h = blake3::Hasher::new();
    for part in [
        s.source.as_str(),
        s.exported_at.as_str(),
        &format!(
            "{} {} {} {} {}",
            s.regions.len(),
            s.buildings.len(),
            s.metrics.len(),
            s.cases.len(),
            s.grids.len()
        ),
        s.buildings.first().map_or("", |b| b.id.as_str()),
        s.buildings.last().map_or("", |b| b.id.as_str()),
    ] {
        h.update(part.as_bytes());
        h.update(&[0]);
    }
    let hex = h.finalize().to_hex();
    format!("{} {}", s.exported_at, &hex.as_str()[..12])
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
    screens: Res<'w, State<Screens>>,
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
            screens: *self.screens.get() == Screens::On,
            data: data_id(s),
        }
    }
}

/// Turns queued commands into map requests and [`RemoteInput`]s (the kiosk keeps the
/// attract mode and the idle clock); answers state queries; follows a leader's syncs and
/// lets it go when it is silent for `leader_timeout_s`.
fn apply(
    osc: Option<Res<OscInbox>>,
    console: Option<Res<console::ConsoleInbox>>,
    shown: Shown,
    curator: Res<State<CuratorMode>>,
    mut link: ResMut<HallLink>,
    mut requests: MessageWriter<MapRequest>,
    mut remote: MessageWriter<RemoteInput>,
    mut log: Local<Option<Throttle>>,
    mut heard: Local<Option<Instant>>,
    mut started_view: Local<Option<MainView>>,
) {
    // A follower started as a display output (`--view ring` or `hall`: a ring PC, an LED
    // slice) keeps its view; one started on the map (another table) follows the leader's.
    let own_view = *started_view.get_or_insert(*shown.view.get()) != MainView::Map;
    let mut arrived = Vec::new();
    if let Some(inbox) = &osc {
        inbox.pending.store(false, Ordering::Release);
        if let Ok(queue) = inbox.commands.lock() {
            arrived.extend(queue.try_iter());
        }
    }
    let leads = osc.as_ref().is_none_or(|i| i.leads);
    let log = log.get_or_insert_with(Throttle::new);
    // The language as the requests already written leave it (two `lang en` in one frame
    // toggle once).
    let mut lang_now = shown.lang.0;
    let mut next_link = link.clone();
    // Only the newest sync counts (a follower at rest may find several queued), and it
    // keeps the link even while curator mode is open; a leader follows no one (two
    // processes leading each other would never rest).
    let mut sync: Option<(SocketAddr, HallState)> = None;
    let mut in_step = true;
    // The docent's console waits for each command's verdict.
    for order in console.iter().flat_map(|c| c.0.take()) {
        let verdict = if Instant::now() >= order.deadline {
            // Its request was already told to try again: acting now would act twice.
            continue;
        } else if *curator.get() != CuratorMode::Closed {
            Err((
                409,
                "curator mode is open (the staff are at work): try again when it closes".into(),
            ))
        } else {
            act(
                order.command,
                &shown,
                &mut lang_now,
                &mut requests,
                &mut remote,
            )
            .map_err(|why| (400, why))
        };
        let _ = order.reply.try_send(verdict);
    }
    for (from, commands) in arrived {
        let mut commands = commands;
        if let [HallCommand::Sync(_)] = commands.as_slice()
            && let Some(HallCommand::Sync(theirs)) = commands.pop()
        {
            if !leads {
                *heard = Some(Instant::now());
                sync = Some((from, theirs));
            } else {
                log.drop(from, "a leader follows no one (this process has followers)");
            }
            continue;
        }
        if *curator.get() != CuratorMode::Closed {
            // Show control may still ask what is shown; it changes nothing.
            if commands.contains(&HallCommand::Query)
                && let Some(inbox) = &osc
                && let Some(bytes) = state_reply(&shown.state())
                && let Err(e) = inbox.socket.send_to(&bytes, from)
            {
                log.drop(from, &format!("cannot answer: {e}"));
            }
            log.drop(from, "curator mode is open");
            continue;
        }
        for command in commands {
            match command {
                HallCommand::Query => {
                    if let Some(inbox) = &osc
                        && let Some(bytes) = state_reply(&shown.state())
                        && let Err(e) = inbox.socket.send_to(&bytes, from)
                    {
                        log.drop(from, &format!("cannot answer: {e}"));
                    }
                }
                HallCommand::ThumbWant => {
                    if let Some(inbox) = &osc
                        && !leads
                        && (next_link.leader == Some(from) || link.leader == Some(from))
                        && let Ok(mut w) = inbox.thumbs_wanted.lock()
                    {
                        *w = Some((from, Instant::now()));
                    }
                }
                other => {
                    if let Err(why) = act(other, &shown, &mut lang_now, &mut requests, &mut remote)
                    {
                        log.drop(from, &why);
                    }
                }
            }
        }
    }
    if let Some((from, theirs)) = sync {
        if *curator.get() == CuratorMode::Closed {
            let (l, wrote) = follow(
                &shown,
                (&theirs, from),
                own_view,
                &mut lang_now,
                &mut requests,
                &mut remote,
            );
            next_link = l;
            in_step = !wrote;
        } else {
            next_link.leader = Some(from);
        }
    }
    let timeout = osc
        .as_ref()
        .map_or(std::time::Duration::ZERO, |i| i.leader_timeout);
    if next_link.leader.is_some() && heard.is_none_or(|t| t.elapsed() > timeout) {
        info!(
            "OSC: no word from the leader for {:.0} s: running on its own",
            timeout.as_secs_f64()
        );
        next_link = HallLink::default();
        // Its own hours again (black or lit as they say), and its own tour.
        remote.write(RemoteInput::ScreensByHours);
        remote.write(RemoteInput::Attract(true));
    }
    if let Some(inbox) = &osc {
        inbox
            .linked
            .store(next_link.leader.is_some() && in_step, Ordering::Release);
    }
    link.set_if_neq(next_link);
}

/// The requests that make this exhibit show what its leader shows (`theirs`), where it
/// differs, and whether there were any (none: in step); the link as it then stands. With
/// other data (another [`HallState::data`]) only language and view follow: ids may mean nothing
/// here. With `own_view` (a display output) the view stays this process's own.
fn follow(
    shown: &Shown,
    (theirs, from): (&HallState, SocketAddr),
    own_view: bool,
    lang_now: &mut crate::scene::format::Lang,
    requests: &mut MessageWriter<MapRequest>,
    remote: &mut MessageWriter<RemoteInput>,
) -> (HallLink, bool) {
    let mine = shown.state();
    let same_data = theirs.data == mine.data;
    // The hall's screens go black and light up together.
    if theirs.screens != mine.screens {
        remote.write(RemoteInput::Screens(theirs.screens));
    }
    let mut out: Vec<MapRequest> = Vec::new();
    // The leader's attract tour is mirrored (this one's own tour waits); any other state
    // keeps this exhibit awake and out of its own tour.
    let entering_attract = theirs.attract && !mine.attract;
    if entering_attract {
        remote.write(RemoteInput::Attract(true));
    } else if !theirs.attract {
        remote.write(RemoteInput::Command);
    }
    // Entering the attract mode resets the language to the hall's: the next sync brings
    // the leader's.
    if !entering_attract
        && theirs.lang != lang_now.code()
        && crate::scene::format::Lang::parse(&theirs.lang).is_some()
    {
        *lang_now = lang_now.other();
        out.push(MapRequest::ToggleLang);
    }
    if !own_view
        && theirs.view != mine.view
        && let Some(v) = MainView::parse(&theirs.view)
    {
        out.push(MapRequest::SetView(v));
    }
    if same_data {
        let c = &shown.city.0;
        match (&theirs.story, &mine.story) {
            (Some((id, step)), Some((my_id, my_step))) if id == my_id => {
                if my_step != step {
                    let delta = (*step as i64 - *my_step as i64).clamp(-64, 64) as i8;
                    out.push(MapRequest::StoryStep(delta));
                }
            }
            (Some((id, step)), _) => {
                if let Some(i) = c.snapshot.stories.iter().position(|s| &s.id == id) {
                    out.push(MapRequest::StartStory(i));
                    out.extend(std::iter::repeat_n(
                        MapRequest::StoryStep(1),
                        (*step).min(64),
                    ));
                }
            }
            (None, mine_story) => {
                if mine_story.is_some() {
                    out.push(MapRequest::EndStory);
                }
                if theirs.focus != mine.focus
                    && let Some(f) = Focus::from_id(c, &theirs.focus)
                {
                    out.push(MapRequest::Focus(f));
                }
            }
        }
    }
    let wrote = !out.is_empty() || entering_attract;
    requests.write_batch(out);
    (
        HallLink {
            leader: Some(from),
            other_data: (!same_data).then(|| theirs.data.clone()),
            mirroring_attract: theirs.attract,
        },
        wrote,
    )
}

/// A leader sends what it shows to its followers when it changes (and its heartbeat
/// thread once a second).
fn lead(inbox: Res<OscInbox>, shown: Shown, mut last: Local<Option<HallState>>) {
    if !inbox.leads {
        return;
    }
    let now = shown.state();
    if last.as_ref() == Some(&now) {
        return;
    }
    let Some(datagram) = sync_message(&now, &inbox.key) else {
        return;
    };
    // Before sending: a follower may hear it before this thread takes the time again.
    let sent_at = Instant::now();
    let followers = match inbox.followers.lock() {
        Ok(mut f) => f.all(sent_at),
        Err(_) => Vec::new(),
    };
    for f in &followers {
        if let Err(e) = inbox.socket.send_to(&datagram, f) {
            warn!("OSC: cannot reach the follower {f}: {e}");
        }
    }
    if let Ok(mut latest) = inbox.latest.lock() {
        *latest = datagram;
    }
    if inbox.probe && last.as_ref().is_none_or(|l| l.focus != now.focus) {
        probe::line("sent", &now.focus, sent_at);
    }
    *last = Some(now);
}

/// Does what a show-control command asks (`lang_now`: the language as the requests
/// written this frame leave it). Errors: an id the snapshot lacks, an unknown view (then
/// nothing changes, the idle clock included). Queries, syncs and thumbnails are handled
/// by the caller and do nothing here.
fn act(
    command: HallCommand,
    shown: &Shown,
    lang_now: &mut crate::scene::format::Lang,
    requests: &mut MessageWriter<MapRequest>,
    remote: &mut MessageWriter<RemoteInput>,
) -> Result<(), String> {
    match command {
        HallCommand::Attract(on) => {
            remote.write(RemoteInput::Attract(on));
        }
        HallCommand::Screens(on) => {
            remote.write(RemoteInput::Screens(on));
        }
        HallCommand::Lang(l) => {
            remote.write(RemoteInput::Command);
            if l != lang_now.code() {
                *lang_now = lang_now.other();
                requests.write(MapRequest::ToggleLang);
            }
        }
        other => {
            let r = request(&shown.city, other)?;
            if !r.is_empty() {
                remote.write(RemoteInput::Command);
                requests.write_batch(r);
            }
        }
    }
    Ok(())
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
        | HallCommand::Sync(_)
        | HallCommand::Follow
        | HallCommand::ThumbWant
        | HallCommand::Thumb(_)
        | HallCommand::Screens(_) => Vec::new(),
    })
}
