//! Touch-to-picture probe for `citygrid bench`: with the exhibit at rest (drawing on
//! demand, as in the hall), a click is sent to its window through the X server
//! (`xdotool`, as a visitor's touch would arrive) every two seconds; for each, the probe
//! records when the exhibit began the frame that read it and when the renderer finished
//! that frame, and prints both, with that frame's own time, on one line.
//!
//! The click lands on the map's empty corner, top left of the district (no region there),
//! so the frame it wakes is an ordinary one.
#![allow(clippy::print_stdout)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bevy::diagnostic::FrameCount;
use bevy::input::mouse::MouseButtonInput;
use bevy::prelude::*;
use bevy::window::RequestRedraw;

use crate::app::base::probe::FrameProbe;

/// Clicks measured.
const CLICKS: usize = 6;
/// Seconds at rest before the first click and between clicks.
const REST_S: f64 = 2.0;
/// Where the click lands, window px from the top-left (an empty part of the map).
const AT: (u32, u32) = (200, 600);

/// One click: when it was sent, and the frame that read it.
#[derive(Debug, Clone, Copy)]
struct Click {
    sent: Instant,
    /// The frame that read it and when that frame began.
    read: Option<(u32, Instant)>,
}

#[derive(Resource, Default)]
struct LatencyProbe {
    /// Clicks sent by the clicker thread, in order.
    sent: Arc<Mutex<Vec<Instant>>>,
    clicks: Vec<Click>,
    started: bool,
    frame_start: Option<Instant>,
}

/// The probe plugin (the exhibit must not be continuous: it measures drawing on demand).
pub fn plugin(app: &mut App) {
    app.init_resource::<LatencyProbe>()
        .add_systems(First, begin_frame)
        .add_systems(PreUpdate, read_clicks.after(bevy::input::InputSystems))
        .add_systems(
            Last,
            (report, crate::app::base::probe::exit_on_failed_pipelines),
        );
}

fn begin_frame(mut probe: ResMut<LatencyProbe>) {
    probe.frame_start = Some(Instant::now());
}

/// Starts the clicker once the start is drawn in full.
fn start_clicking(probe: &mut LatencyProbe) {
    let sent = probe.sent.clone();
    let spawned = std::thread::Builder::new()
        .name("latency clicker".into())
        .spawn(move || {
            let xdotool = |args: &[&str]| {
                let ok = std::process::Command::new("xdotool")
                    .args(args)
                    .status()
                    .is_ok_and(|s| s.success());
                if !ok {
                    eprintln!("latency probe: xdotool failed (is it installed?)");
                }
                ok
            };
            // The pointer goes there first: its motion wakes the exhibit, not the clicks.
            if !xdotool(&["mousemove", &AT.0.to_string(), &AT.1.to_string()]) {
                return;
            }
            for _ in 0..CLICKS {
                std::thread::sleep(Duration::from_secs_f64(REST_S));
                // Recorded before xdotool starts: its own start-up counts against us.
                if let Ok(mut s) = sent.lock() {
                    s.push(Instant::now());
                }
                if !xdotool(&["click", "1"]) {
                    return;
                }
            }
        });
    if let Err(e) = spawned {
        eprintln!("latency probe: cannot start the clicker: {e}");
    }
}

fn read_clicks(
    mut buttons: MessageReader<MouseButtonInput>,
    mut probe: ResMut<LatencyProbe>,
    frames: Res<FrameProbe>,
    frame: Res<FrameCount>,
) {
    if !probe.started {
        buttons.clear();
        if frames.full_run() >= 3 {
            probe.started = true;
            start_clicking(&mut probe);
        }
        return;
    }
    let pressed = buttons.read().any(|b| b.state.is_pressed());
    let sent: Vec<Instant> = probe.sent.lock().map(|s| s.clone()).unwrap_or_default();
    while probe.clicks.len() < sent.len() {
        let at = sent[probe.clicks.len()];
        probe.clicks.push(Click {
            sent: at,
            read: None,
        });
    }
    if pressed {
        let begun = probe.frame_start.unwrap_or_else(Instant::now);
        // The press belongs to the oldest click not yet read.
        // The renderer knows this frame by the count after it: `FrameCount` goes up in
        // `Last`, before the frame is handed to the render world.
        if let Some(i) = probe.clicks.iter().position(|c| c.read.is_none()) {
            probe.clicks[i].read = Some((frame.0.wrapping_add(1), begun));
        }
    }
}

fn report(
    probe: Res<LatencyProbe>,
    frames: Res<FrameProbe>,
    mut redraw: MessageWriter<RequestRedraw>,
    mut exit: MessageWriter<AppExit>,
) {
    let read: Vec<(Click, u32, Instant)> = probe
        .clicks
        .iter()
        .filter_map(|c| c.read.map(|(f, at)| (*c, f, at)))
        .collect();
    if read.len() < CLICKS {
        return;
    }
    let mut wake = Vec::new();
    let mut drawn = Vec::new();
    let mut own = Vec::new();
    for (click, frame, begun) in &read {
        let Some(done) = frames.finished_at(*frame) else {
            // The renderer has not finished the last one yet: look again next frame.
            redraw.write(RequestRedraw);
            return;
        };
        wake.push(begun.saturating_duration_since(click.sent).as_secs_f64() * 1e3);
        drawn.push(done.saturating_duration_since(click.sent).as_secs_f64() * 1e3);
        own.push(done.saturating_duration_since(*begun).as_secs_f64() * 1e3);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let max = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    println!(
        "latency clicks={} wake_p50={:.1} wake_max={:.1} drawn_p50={:.1} drawn_max={:.1} frame_p50={:.1}",
        read.len(),
        median(&mut wake.clone()),
        max(&wake),
        median(&mut drawn.clone()),
        max(&drawn),
        median(&mut own),
    );
    exit.write(AppExit::Success);
}
