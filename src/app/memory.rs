//! Hands memory the exhibit has freed back to the system at quiet moments.
//!
//! glibc's allocator keeps freed memory in its arenas (one per thread that allocated) rather
//! than returning it, so a snapshot's parse, a swap or the rebuilds of a drill leave the
//! process larger than what it holds. `malloc_trim` returns the free pages. It runs on a
//! thread of its own, after the first frames are drawn in full, after a snapshot swap, and
//! when the map comes to rest after a change (at most every [`MIN_INTERVAL`]).
//!
//! Before any thread starts, `process::limit_arenas` caps glibc's arenas at one: by
//! default each thread that allocates may get an arena of its own (up to eight per core),
//! and the memory Bevy's task threads free in theirs stays there, scattered, for good.

use std::time::{Duration, Instant};

use bevy::prelude::*;

use crate::app::base::probe::FrameProbe;
use crate::app::base::{City, Focus, MapView};

/// The shortest time between two trims driven by the visitors' drilling.
const MIN_INTERVAL: Duration = Duration::from_secs(10);

/// Trims at quiet moments (windowed app).
pub fn plugin(app: &mut App) {
    app.add_systems(Last, trim_when_quiet);
}

#[derive(Default)]
struct TrimState {
    started: bool,
    pending: bool,
    last: Option<Instant>,
}

fn trim_when_quiet(
    mut state: Local<TrimState>,
    frames: Option<Res<FrameProbe>>,
    city: Res<City>,
    focus: Res<Focus>,
    map: Res<MapView>,
) {
    if !state.started {
        // Once the start's work (parse, index, shader compilation) is drawn in full.
        if frames.is_some_and(|f| f.full_run() >= 3) {
            state.started = true;
            state.last = Some(Instant::now());
            release_free_memory();
        }
        return;
    }
    let swapped = city.is_changed();
    if swapped || focus.is_changed() {
        state.pending = true;
    }
    let due = swapped || state.last.is_none_or(|t| t.elapsed() >= MIN_INTERVAL);
    if state.pending && due && map.settled() {
        state.pending = false;
        state.last = Some(Instant::now());
        release_free_memory();
    }
}

/// Returns the allocator's free memory to the system, on a short-lived thread so that no
/// frame waits for it.
fn release_free_memory() {
    if let Err(e) = std::thread::Builder::new()
        .name("memory trim".into())
        .spawn(crate::process::trim_free_memory)
    {
        warn!("cannot start the memory trim: {e}");
    }
}
