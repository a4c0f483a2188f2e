//! Automation: `citygrid shot` waits until the map has settled and the renderer has had
//! time to build its pipelines, saves the window as a PNG (atomically), and exits.

use std::path::PathBuf;

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};

use super::AppSystems;
use super::map::logic::MapView;

/// Frames the view must have been still before the shot.
const SETTLED_FRAMES: u32 = 30;
/// Least time after start before the shot, seconds (pipelines compile in the background).
const MIN_SECONDS: f64 = 2.0;
/// Give up after this long, seconds.
const TIMEOUT_SECONDS: f64 = 120.0;

#[derive(Resource, Debug)]
struct ShotState {
    path: PathBuf,
    settled_frames: u32,
    requested: bool,
}

/// The plugin that takes one screenshot to `path` and exits.
pub fn plugin(path: PathBuf) -> impl Fn(&mut App) + Send + Sync + 'static {
    move |app: &mut App| {
        app.insert_resource(ShotState {
            path: path.clone(),
            settled_frames: 0,
            requested: false,
        })
        .add_systems(Update, take_shot.after(AppSystems::Animate));
    }
}

fn take_shot(
    mut commands: Commands,
    mut state: ResMut<ShotState>,
    map: Res<MapView>,
    time: Res<Time<Real>>,
    mut exit: MessageWriter<AppExit>,
) {
    let elapsed = time.elapsed_secs_f64();
    if elapsed > TIMEOUT_SECONDS {
        error!("shot: gave up after {TIMEOUT_SECONDS} s without a frame");
        exit.write(AppExit::error());
        return;
    }
    if state.requested {
        return;
    }
    if map.settled() {
        state.settled_frames += 1;
    } else {
        state.settled_frames = 0;
    }
    if state.settled_frames < SETTLED_FRAMES || elapsed < MIN_SECONDS {
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
