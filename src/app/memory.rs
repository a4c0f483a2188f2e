//! Hands memory the exhibit has freed back to the system at quiet moments.
//!
//! glibc's allocator keeps freed memory in its arenas (one per thread that allocated) rather
//! than returning it, so a snapshot's parse, a swap or the rebuilds of a drill leave the
//! process larger than what it holds. `malloc_trim` returns the free pages. It runs on a
//! thread of its own, after the first frames are drawn in full, after a snapshot swap, and
//! when the map comes to rest after a change (at most every [`MIN_INTERVAL`]).
//!
//! Before any thread starts, [`limit_arenas`] caps glibc's arenas at [`ARENAS`]: by
//! default each thread that allocates may get an arena of its own (up to eight per core),
//! and the memory Bevy's task threads free in theirs stays there, scattered, for good.

use std::time::{Duration, Instant};

use bevy::prelude::*;

use super::map::logic::MapView;
use super::probe::FrameProbe;
use super::state::{City, Focus};

/// The shortest time between two trims driven by the visitors' drilling.
const MIN_INTERVAL: Duration = Duration::from_secs(10);

pub(crate) fn plugin(app: &mut App) {
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

/// glibc arenas the exhibit allows: one, shared by all threads. Measured with the bench's
/// 1,000 drills of the 30,000-building snapshot (2 cores, lavapipe): resident memory during
/// the drills about 390 MiB with glibc's default, 357 with one arena, 362–374 with two; the
/// drill frames' CPU time (p50 8 ms, p95 18 ms) and the frame rate unchanged.
const ARENAS: i32 = 1;

/// Caps glibc's malloc arenas at [`ARENAS`]. Call first thing in `main`, before any thread.
/// An explicit `MALLOC_ARENA_MAX` in the environment is left to glibc.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub(crate) fn limit_arenas() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
        return;
    }
    // glibc's malloc.h: `#define M_ARENA_MAX -8`.
    const M_ARENA_MAX: std::ffi::c_int = -8;
    unsafe extern "C" {
        fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
    }
    // SAFETY: mallopt takes two integers and no pointers; it is called before the exhibit
    // starts any thread, and a refusal (return 0) only leaves glibc's default in place.
    unsafe {
        mallopt(M_ARENA_MAX, ARENAS);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub(crate) fn limit_arenas() {}

/// Returns the allocator's free memory to the system, on a short-lived thread so that no
/// frame waits for it.
fn release_free_memory() {
    if let Err(e) = std::thread::Builder::new()
        .name("memory trim".into())
        .spawn(trim)
    {
        warn!("cannot start the memory trim: {e}");
    }
}

/// Hands freed memory back now, on this thread (for the bench, which measures the exhibit
/// as it is at rest).
pub(crate) fn trim_now() {
    trim();
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn trim() {
    unsafe extern "C" {
        fn malloc_trim(pad: usize) -> std::ffi::c_int;
    }
    // SAFETY: glibc's malloc_trim takes no pointers, locks each arena while it works and
    // may be called from any thread at any time.
    unsafe {
        malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim() {}
