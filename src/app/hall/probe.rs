//! The hall's sync latency probe for `citygrid bench --case hall`: with
//! `CITYGRID_HALL_PROBE=1` in its environment, a leader prints when it sent a new focus, a
//! follower when its listener heard it and when its renderer finished the frame that shows
//! it — one line each on stdout, `hall-probe sent|heard|shown FOCUS UNIX_µs`. The two
//! processes share the machine's clock, so the bench subtracts them.
#![allow(clippy::print_stdout)]

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use bevy::diagnostic::FrameCount;
use bevy::prelude::*;

use crate::app::base::probe::FrameProbe;
use crate::app::base::{City, Focus};

/// Whether this process prints the probe's lines.
pub(super) fn enabled() -> bool {
    std::env::var_os("CITYGRID_HALL_PROBE").is_some_and(|v| v == "1")
}

/// `at` in microseconds since 1970 (by the wall clock, now minus the time since `at`).
fn unix_us(at: Instant) -> i128 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i128);
    now - Instant::now().saturating_duration_since(at).as_micros() as i128
}

/// Prints one probe line.
pub(super) fn line(what: &str, focus: &str, at: Instant) {
    println!("hall-probe {what} {focus} {}", unix_us(at));
}

/// The follower's side: when the renderer finished the frame in which the focus changed.
pub(super) fn plugin(app: &mut App) {
    if enabled() {
        app.add_systems(Last, shown);
    }
}

fn shown(
    focus: Res<Focus>,
    city: Res<City>,
    frames: Res<FrameCount>,
    probe: Option<Res<FrameProbe>>,
    mut pending: Local<Vec<(u32, String)>>,
) {
    if focus.is_changed() && !focus.is_added() {
        pending.push((frames.0, focus.id(&city.0).to_string()));
        // Frames never drawn (screens off) are not waited for forever.
        if pending.len() > 64 {
            pending.remove(0);
        }
    }
    let Some(probe) = probe else {
        return;
    };
    let finished = probe.finished();
    pending.retain(
        |(frame, id)| match finished.iter().find(|f| f.0 == *frame) {
            Some((_, _, at)) => {
                line("shown", id, *at);
                false
            }
            None => true,
        },
    );
}
