//! Automation: `citygrid shot` runs the exhibit on a clock of its own, waits until the map
//! has settled and the renderer has drawn the picture in full, saves the window as a PNG
//! (atomically), and exits.
//!
//! The clock makes a shot the same picture every time, which the visual regression test
//! (`tests/shots.rs`) relies on: every frame advances the exhibit's clock by exactly
//! [`STEP`] until the map has settled (and at least [`RUN_FRAMES`] have passed, so the
//! ring's and the panels' animations have ended), then it stops. Whatever is animated —
//! pulses, sweeps, the ticker — is caught at the same instant however slow the renderer is.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use bevy::diagnostic::FrameCount;
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};
use bevy::time::TimeUpdateStrategy;

use crate::app::base::probe::FrameProbe;
use crate::app::base::{AppSystems, MapView};

/// What each frame adds to the exhibit's clock while it runs.
pub const STEP: Duration = Duration::from_millis(100);
/// Frames the clock runs at least (3 s of the exhibit's time).
pub const RUN_FRAMES: u32 = 30;
/// Frames drawn in full, in a row, after the clock stopped, before the shot.
const FULL_FRAMES: u64 = 3;
/// Give up after this long.
const TIMEOUT: Duration = Duration::from_secs(180);

#[derive(Resource, Debug)]
struct ShotState {
    path: PathBuf,
    started: Instant,
    frames: u32,
    /// The frame at which the clock stopped.
    stopped_at: Option<u32>,
    requested: bool,
}

/// The plugin that takes one screenshot to `path` and exits.
pub fn plugin(path: PathBuf) -> impl Fn(&mut App) + Send + Sync + 'static {
    move |app: &mut App| {
        app.insert_resource(ShotState {
            path: path.clone(),
            started: Instant::now(),
            frames: 0,
            stopped_at: None,
            requested: false,
        })
        .insert_resource(TimeUpdateStrategy::ManualDuration(STEP))
        .add_systems(Update, take_shot.after(AppSystems::Animate))
        .add_systems(Last, crate::app::base::probe::exit_on_failed_pipelines);
    }
}

fn take_shot(
    mut commands: Commands,
    mut state: ResMut<ShotState>,
    mut clock: ResMut<TimeUpdateStrategy>,
    map: Res<MapView>,
    probe: Res<FrameProbe>,
    frame: Res<FrameCount>,
    mut exit: MessageWriter<AppExit>,
) {
    if state.started.elapsed() > TIMEOUT {
        error!(
            "shot: gave up after {} s without a frame drawn in full",
            TIMEOUT.as_secs()
        );
        exit.write(AppExit::error());
        return;
    }
    if state.requested {
        return;
    }
    state.frames += 1;
    let Some(stopped_at) = state.stopped_at else {
        if state.frames >= RUN_FRAMES && map.settled() {
            state.stopped_at = Some(frame.0);
            *clock = TimeUpdateStrategy::ManualDuration(Duration::ZERO);
        }
        return;
    };
    // Wait until frames after the stop have been drawn in full.
    let drawn_after_stop = probe
        .last_full()
        .is_some_and(|f| f >= stopped_at + FULL_FRAMES as u32);
    if !drawn_after_stop || probe.full_run() < FULL_FRAMES || !map.settled() {
        return;
    }
    state.requested = true;
    let path = state.path.clone();
    commands.spawn(Screenshot::primary_window()).observe(
        move |captured: On<ScreenshotCaptured>, mut exit: MessageWriter<AppExit>| match save_png(
            &captured.image,
            &path,
        ) {
            Ok(()) => {
                info!("shot saved to {}", path.display());
                exit.write(AppExit::Success);
            }
            Err(e) => {
                error!("shot: {e}");
                exit.write(AppExit::error());
            }
        },
    );
}

fn save_png(image: &Image, path: &std::path::Path) -> Result<(), String> {
    let rgb = image
        .clone()
        .try_into_dynamic()
        .map_err(|e| format!("cannot convert the screenshot: {e}"))?
        .to_rgb8();
    let mut bytes: Vec<u8> = Vec::new();
    rgb.write_to(
        &mut std::io::Cursor::new(&mut bytes),
        image::ImageFormat::Png,
    )
    .map_err(|e| format!("cannot encode PNG: {e}"))?;
    crate::snapshot::load::write_atomic(path, &bytes).map_err(|e| e.to_string())
}
