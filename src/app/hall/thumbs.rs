//! Thumbnails of this exhibit's windows: for the docent's console when one watches this
//! process, and for the leader when it asks (`/citygrid/thumb/want`, its console watching).
//! A leader with a watching console asks its followers every [`THUMB_EVERY`]; they answer
//! each window as a 320 px PNG in one datagram (`/citygrid/thumb`). Nothing is taken while
//! no one watches or the screens are off: each picture costs a frame.

use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};
use bevy::tasks::AsyncComputeTaskPool;
use bevy::window::{PrimaryWindow, RequestRedraw};

use super::OscInbox;
use super::console::ConsoleInbox;
use crate::app::base::{MainView, Screens};
use crate::hall::console::{Thumb, next_serial};
use crate::hall::osc::{ScreenThumb, thumb_message, thumb_want_message};

/// A new thumbnail of each window this often while someone watches.
pub const THUMB_EVERY: Duration = Duration::from_secs(2);
/// A console (or a leader) that has not asked this long no longer watches.
pub const WATCH_TTL: Duration = Duration::from_secs(5);
/// Thumbnails' width for this process's own console, px.
const OWN_WIDTH: u32 = 480;
/// Widths tried for a leader's console, px: the first whose PNG fits one datagram.
const LEADER_WIDTHS: [u32; 3] = [320, 240, 160];
/// A screenshot not delivered within this long is given up (its window closed).
const GIVE_UP: Duration = Duration::from_secs(3);

/// This process's own windows' latest thumbnails (touch table first).
#[derive(Resource, Default, Clone)]
pub struct OwnThumbs(pub Arc<Mutex<Vec<Thumb>>>);

pub fn plugin(app: &mut App) {
    app.init_resource::<OwnThumbs>().add_systems(
        Update,
        capture
            .in_set(crate::app::base::AppSystems::Rebuild)
            .run_if(resource_exists::<OscInbox>.or_else(resource_exists::<ConsoleInbox>)),
    );
}

/// Where a picture goes: this process's console, and/or a leader's address.
#[derive(Clone)]
struct Destinations {
    own: Option<OwnThumbs>,
    leader: Option<(SocketAddr, Arc<UdpSocket>, String)>,
}

/// The last batch of screenshots: how many are still to come, since when, and their
/// entities (despawned when given up). Each batch counts on its own: a late picture never
/// counts against the next.
#[derive(Default)]
struct Flight {
    count: Arc<AtomicUsize>,
    since: Option<Instant>,
    entities: Vec<Entity>,
}

#[allow(clippy::too_many_arguments)]
fn capture(
    mut commands: Commands,
    console: Option<Res<ConsoleInbox>>,
    osc: Option<Res<OscInbox>>,
    own: Res<OwnThumbs>,
    screens: Res<State<Screens>>,
    view: Res<State<MainView>>,
    windows: Query<(Entity, Has<PrimaryWindow>), With<Window>>,
    mut redraw: MessageWriter<RequestRedraw>,
    mut last: Local<Option<Instant>>,
    mut flight: Local<Flight>,
) {
    if flight.count.load(Ordering::Acquire) > 0 {
        if flight.since.is_some_and(|t| t.elapsed() < GIVE_UP) {
            redraw.write(RequestRedraw);
            return;
        }
        // A window closed before its picture was taken: Bevy never delivers it.
        for e in flight.entities.drain(..) {
            if let Ok(mut e) = commands.get_entity(e) {
                e.despawn();
            }
        }
        *flight = Flight::default();
    }
    let watched = console
        .as_ref()
        .is_some_and(|c| c.0.shared.watched_within(WATCH_TTL));
    let wanted = osc.as_ref().and_then(|o| {
        o.thumbs_wanted
            .lock()
            .ok()
            .and_then(|w| *w)
            .filter(|(_, t)| t.elapsed() < WATCH_TTL)
            .map(|(a, _)| a)
    });
    // (A little early rather than a wake late: the wakes for the console come every
    // THUMB_EVERY too.)
    let due = last.is_none_or(|t| t.elapsed() + Duration::from_millis(250) >= THUMB_EVERY);
    if (!watched && wanted.is_none()) || !due {
        return;
    }
    *last = Some(Instant::now());
    // A leader whose console watches asks its followers for theirs.
    if watched
        && let Some(o) = &osc
        && o.leads
        && let Some(ask) = thumb_want_message(&o.key)
    {
        let to = o.followers.lock().map(|mut f| f.all(Instant::now()));
        for f in to.unwrap_or_default() {
            let _ = o.socket.send_to(&ask, f);
        }
    }
    if *screens.get() != Screens::On {
        if let Ok(mut t) = own.0.lock() {
            t.clear();
        }
        return;
    }
    let leader = match (wanted, &osc) {
        (Some(a), Some(o)) => o
            .socket
            .try_clone()
            .ok()
            .map(|s| (a, Arc::new(s), o.key.clone())),
        _ => None,
    };
    let to = Destinations {
        own: watched.then(|| own.clone()),
        leader,
    };
    let mut list: Vec<(Entity, bool)> = windows.iter().collect();
    // The main window first, then the others in a stable order.
    list.sort_by_key(|(e, primary)| (!primary, *e));
    list.truncate(crate::hall::osc::MAX_SCREENS as usize);
    let names: Vec<String> = list
        .iter()
        .map(|(_, primary)| match (primary, view.get()) {
            (true, MainView::Map) => "触摸台 Touch table".to_string(),
            (true, MainView::Hall) => "展厅视角 Hall view".to_string(),
            (true, MainView::Ring) => "环幕 Ring".to_string(),
            (false, _) => "LED 环幕 LED ring".to_string(),
        })
        .collect();
    if let Ok(mut t) = own.0.lock() {
        t.resize_with(list.len(), Thumb::default);
        for (t, n) in t.iter_mut().zip(&names) {
            t.name.clone_from(n);
        }
    }
    *flight = Flight {
        count: Arc::new(AtomicUsize::new(list.len())),
        since: Some(Instant::now()),
        entities: Vec::new(),
    };
    for (i, ((window, _), name)) in list.into_iter().zip(names).enumerate() {
        let count = flight.count.clone();
        let to = to.clone();
        let e = commands
            .spawn(Screenshot::window(window))
            .observe(move |captured: On<ScreenshotCaptured>| {
                let _ =
                    count.fetch_update(Ordering::AcqRel, Ordering::Acquire, |c| c.checked_sub(1));
                // Shrinking and encoding (a few ms) off the frame.
                let (image, name, to) = (captured.image.clone(), name.clone(), to.clone());
                AsyncComputeTaskPool::get()
                    .spawn(async move { deliver(&image, i, &name, &to) })
                    .detach();
            })
            .id();
        flight.entities.push(e);
    }
    redraw.write(RequestRedraw);
}

/// Shrinks a window's picture for this console and/or the leader and hands it over.
fn deliver(image: &Image, i: usize, name: &str, to: &Destinations) {
    let rgb = match image.clone().try_into_dynamic() {
        Ok(d) => d.to_rgb8(),
        Err(e) => {
            warn!("thumbnails: cannot convert screen {i}'s picture: {e}");
            return;
        }
    };
    if let Some(own) = &to.own
        && let Some(png) = png_at(&rgb, OWN_WIDTH)
        && let Ok(mut thumbs) = own.0.lock()
        && let Some(t) = thumbs.get_mut(i)
    {
        t.png = Arc::new(png);
        t.serial = next_serial();
    }
    if let Some((leader, socket, key)) = &to.leader {
        let datagram = LEADER_WIDTHS.iter().find_map(|&w| {
            let png = png_at(&rgb, w)?;
            thumb_message(
                key,
                &ScreenThumb {
                    screen: i as u8,
                    name: name.to_string(),
                    png,
                },
            )
        });
        match datagram {
            Some(d) => {
                if let Err(e) = socket.send_to(&d, leader) {
                    warn!("thumbnails: cannot reach the leader {leader}: {e}");
                }
            }
            None => warn!("thumbnails: screen {i}'s picture does not fit a datagram"),
        }
    }
}

/// `rgb` shrunk to `width` px (never enlarged) as a PNG; `None` for an empty picture.
fn png_at(rgb: &image::RgbImage, width: u32) -> Option<Vec<u8>> {
    let (w, h) = rgb.dimensions();
    if w == 0 || h == 0 {
        return None;
    }
    let tw = width.min(w);
    let th = (u64::from(h) * u64::from(tw) / u64::from(w)).max(1) as u32;
    let small = image::imageops::thumbnail(rgb, tw, th);
    let mut bytes: Vec<u8> = Vec::new();
    small
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .ok()?;
    Some(bytes)
}
