//! Frame-rate probe for `citygrid bench --render`: runs the real window for a few seconds,
//! optionally drilling in and out, and prints frame times, the CPU time of the exhibit's
//! own systems per frame, and the renderer it ran on.
#![allow(clippy::print_stdout)]

use std::time::Instant;

use bevy::prelude::*;
use bevy::render::renderer::RenderAdapterInfo;

use super::AppSystems;
use super::state::{City, Focus, MapRequest};

/// Seconds ignored at the start (pipelines compile, fonts load).
const WARM_UP: f64 = 3.0;

#[derive(Resource, Debug)]
struct Probe {
    seconds: f64,
    drill: bool,
    frames: Vec<f64>,
    cpu: Vec<f64>,
    frame_start: Option<Instant>,
    started: Option<f64>,
    last_drill: f64,
    drill_index: usize,
}

/// The probe plugin: measure for `seconds`, drilling in and out if `drill`.
pub fn plugin(seconds: f64, drill: bool) -> impl Fn(&mut App) + Send + Sync + 'static {
    move |app: &mut App| {
        app.insert_resource(Probe {
            seconds,
            drill,
            frames: Vec::new(),
            cpu: Vec::new(),
            frame_start: None,
            started: None,
            last_drill: 0.0,
            drill_index: 0,
        })
        .add_systems(Update, begin_frame.before(AppSystems::Input))
        .add_systems(Update, end_frame.after(AppSystems::Animate));
    }
}

fn begin_frame(mut probe: ResMut<Probe>) {
    probe.frame_start = Some(Instant::now());
}

fn end_frame(
    mut probe: ResMut<Probe>,
    time: Res<Time<Real>>,
    city: Res<City>,
    focus: Res<Focus>,
    adapter: Option<Res<RenderAdapterInfo>>,
    mut requests: MessageWriter<MapRequest>,
    mut exit: MessageWriter<AppExit>,
) {
    let now = time.elapsed_secs_f64();
    let cpu_ms = probe
        .frame_start
        .map_or(0.0, |t| t.elapsed().as_secs_f64() * 1000.0);
    if now < WARM_UP {
        return;
    }
    let started = *probe.started.get_or_insert(now);
    probe.frames.push(time.delta_secs_f64() * 1000.0);
    probe.cpu.push(cpu_ms);
    if probe.drill && now - probe.last_drill > 0.6 {
        probe.last_drill = now;
        let streets = &city.0.index.children[city.0.index.district];
        if *focus == Focus::District && !streets.is_empty() {
            let s = streets[probe.drill_index % streets.len()];
            probe.drill_index += 1;
            requests.write(MapRequest::Focus(Focus::Street(s)));
        } else {
            requests.write(MapRequest::Back);
        }
    }
    if now - started < probe.seconds {
        return;
    }
    let mut frames = probe.frames.clone();
    frames.sort_by(f64::total_cmp);
    let mut cpu = probe.cpu.clone();
    cpu.sort_by(f64::total_cmp);
    let pct = |v: &[f64], p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    let fps = frames.len() as f64 / (now - started).max(1e-9);
    let renderer = adapter.map_or("unknown".to_string(), |a| {
        format!("{} ({:?})", a.0.name, a.0.backend)
    });
    println!(
        "fps={fps:.1} p50={:.1} p95={:.1} cpu50={:.2} cpu95={:.2} frames={} renderer={}",
        pct(&frames, 0.5),
        pct(&frames, 0.95),
        pct(&cpu, 0.5),
        pct(&cpu, 0.95),
        frames.len(),
        renderer.replace(' ', "_"),
    );
    exit.write(AppExit::Success);
}
