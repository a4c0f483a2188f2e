//! Frame-rate probe for `citygrid bench --render`: runs the real window for a few seconds,
//! optionally drilling in and out, and prints frame times, the CPU time of the exhibit's
//! own systems per frame, and the renderer it ran on.
#![allow(clippy::print_stdout)]

use std::time::Instant;

use bevy::prelude::*;
use bevy::render::renderer::RenderAdapterInfo;

use crate::app::base::probe::{FrameProbe, exit_on_failed_pipelines};
use crate::app::base::{AppSystems, City, Focus, MapRequest, MapView};

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
    /// Frames roamed so far (pan and zoom, when not drilling).
    roam_frame: u32,
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
            roam_frame: 0,
        })
        .add_systems(Update, begin_frame.before(AppSystems::Input))
        .add_systems(Update, end_frame.after(AppSystems::Animate))
        .add_systems(Last, exit_on_failed_pipelines);
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
    mut map: ResMut<MapView>,
) {
    let now = time.elapsed_secs_f64();
    if !probe.drill {
        roam(&mut map, probe.roam_frame);
        probe.roam_frame += 1;
    }
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
    let (frames, cpu) = (&probe.frames, &probe.cpu);
    let fps = frames.len() as f64 / (now - started).max(1e-9);
    let renderer = renderer_name(adapter);
    println!(
        "fps={fps:.1} p50={:.1} p95={:.1} cpu50={:.2} cpu95={:.2} frames={} renderer={}",
        percentile(frames, 0.5),
        percentile(frames, 0.95),
        percentile(cpu, 0.5),
        percentile(cpu, 0.95),
        frames.len(),
        renderer.replace(' ', "_"),
    );
    exit.write(AppExit::Success);
}

/// Pans and zooms the map one frame's step as the web page's harness does (its
/// `window.__roam`: 6 px along a turning direction, and a zoom by 1.012 about the middle of
/// the map, in for about 63 frames, then out).
fn roam(map: &mut MapView, frame: u32) {
    let k = frame as f64;
    let a = k * 0.12;
    map.transition = None;
    map.view.pan([6.0 * a.cos(), 6.0 * a.sin()]);
    let factor = if (k * 0.05).sin() > 0.0 {
        1.012
    } else {
        1.0 / 1.012
    };
    let center = [map.view.viewport[0] / 2.0, map.view.viewport[1] / 2.0];
    map.view.zoom_about(center, factor, 0.0, f64::MAX);
}

/// Every this many drills, one waits for its transition to end and is checked.
const MEASURE_EVERY: usize = 50;
/// Frames after the transition's end within which the new level must be drawn in full.
const LATE_LIMIT: u32 = 4;

#[derive(Debug)]
enum DrillPhase {
    /// Waiting for the first frame drawn in full.
    Start {
        full_frames: u32,
    },
    Drilling,
    /// A drill whose transition is watched: when it ends, and whether the frame it ended
    /// in (or the next few) was drawn in full.
    Watching {
        ended_at: Option<u32>,
    },
    Done {
        idle_frames: u32,
    },
}

#[derive(Resource, Debug)]
struct DrillProbe {
    target: usize,
    done: usize,
    phase: DrillPhase,
    frame_start: Option<Instant>,
    startup_ms: f64,
    rss_start: f64,
    pss_start: f64,
    /// Main-world CPU per frame (First to Last) while a watched drill's camera moves.
    transition_cpu: Vec<f64>,
    /// For each watched drill: frames from the transition's end to a frame drawn in full.
    late: Vec<u32>,
    /// Resident memory every 100 drills, MiB.
    rss_curve: Vec<f64>,
}

/// The startup-and-drills probe: times the first frame drawn in full (from `main`),
/// measures resident memory then, drills `count` times (one drill a frame; every
/// [`MEASURE_EVERY`]th waits for its transition, recording the CPU per frame and whether
/// the new level is drawn in full when the transition ends), measures memory again, prints
/// one line and exits.
pub fn drills_plugin(count: usize) -> impl Fn(&mut App) + Send + Sync + 'static {
    move |app: &mut App| {
        app.insert_resource(DrillProbe {
            target: count,
            done: 0,
            phase: DrillPhase::Start { full_frames: 0 },
            frame_start: None,
            startup_ms: f64::NAN,
            rss_start: f64::NAN,
            pss_start: f64::NAN,
            transition_cpu: Vec::new(),
            late: Vec::new(),
            rss_curve: Vec::new(),
        })
        .add_systems(First, begin_drill_frame)
        // After the frame count moves on, so that frame numbers match the ones the render
        // world sees for this frame.
        .add_systems(Last, drill_step.after(bevy::diagnostic::update_frame_count))
        .add_systems(Last, exit_on_failed_pipelines);
    }
}

fn begin_drill_frame(mut probe: ResMut<DrillProbe>) {
    probe.frame_start = Some(Instant::now());
}

/// The n-th drill of a cycle of 8: in to a subdistrict, a community, its first grid (when
/// the snapshot has grids), a building, and back out to the district.
fn drill_request(city: &crate::snapshot::index::CityData, n: usize) -> MapRequest {
    let idx = &city.index;
    let streets = &idx.children[idx.district];
    let Some(&street) = streets.get((n / 8) % streets.len().max(1)) else {
        return MapRequest::Back;
    };
    let communities = &idx.children[street];
    let community = communities.get((n / 8) % communities.len().max(1)).copied();
    let grid = community.and_then(|c| idx.governance.grids_of.get(c)?.first().copied());
    let building = community.and_then(|c| idx.buildings_of[c].first().copied());
    match (n % 8, community, grid, building) {
        (0, _, _, _) => MapRequest::Focus(Focus::Street(street)),
        (1, Some(c), _, _) => MapRequest::Focus(Focus::Community(c)),
        (2, _, Some(g), _) => MapRequest::Focus(Focus::Grid(g)),
        (3, _, _, Some(b)) => MapRequest::Focus(Focus::Building(b)),
        _ => MapRequest::Back,
    }
}

/// The glyph atlases per font size, smallest size first: `size:atlases` pairs.
fn atlas_sizes(atlases: &bevy::text::FontAtlasSet) -> String {
    let mut sizes: Vec<(f32, usize)> = atlases
        .iter()
        .map(|(key, list)| (f32::from_bits(key.font_size_bits), list.len()))
        .collect();
    sizes.sort_by(|a, b| a.0.total_cmp(&b.0));
    sizes
        .iter()
        .map(|(size, n)| format!("{size}:{n}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn drill_step(
    mut probe: ResMut<DrillProbe>,
    frames: Res<FrameProbe>,
    frame: Res<bevy::diagnostic::FrameCount>,
    map: Res<MapView>,
    city: Res<City>,
    adapter: Option<Res<RenderAdapterInfo>>,
    images: Res<Assets<Image>>,
    meshes: Res<Assets<Mesh>>,
    atlases: Res<bevy::text::FontAtlasSet>,
    mut requests: MessageWriter<MapRequest>,
    mut exit: MessageWriter<AppExit>,
) {
    let cpu_ms = probe
        .frame_start
        .map_or(0.0, |t| t.elapsed().as_secs_f64() * 1000.0);
    match probe.phase {
        DrillPhase::Start { full_frames } => {
            let Some(first) = frames.first_full() else {
                return;
            };
            if probe.startup_ms.is_nan() {
                let start = crate::process::process_start();
                probe.startup_ms = first.duration_since(start).as_secs_f64() * 1000.0;
                // The frames up to it: when each was finished (ms from `main`), * if in full.
                let frames: Vec<String> = frames
                    .finished()
                    .iter()
                    .filter(|(_, _, at)| *at <= first)
                    .map(|(n, full, at)| {
                        let ms = at.duration_since(start).as_secs_f64() * 1000.0;
                        format!("{n}:{ms:.0}{}", if *full { "*" } else { "" })
                    })
                    .collect();
                eprintln!("start frames: {}", frames.join(" "));
            }
            // Memory "after start": once a few frames have been drawn in full.
            if full_frames < 10 {
                probe.phase = DrillPhase::Start {
                    full_frames: full_frames + u32::from(frames.full_run() > 0),
                };
                return;
            }
            probe.rss_start = crate::process::rss_mib().unwrap_or(f64::NAN);
            probe.pss_start = crate::process::pss_mib().unwrap_or(f64::NAN);
            probe.phase = DrillPhase::Drilling;
        }
        DrillPhase::Drilling => {
            if probe.done >= probe.target {
                probe.phase = DrillPhase::Done { idle_frames: 0 };
                return;
            }
            requests.write(drill_request(&city.0, probe.done));
            probe.done += 1;
            if probe.done.is_multiple_of(100) {
                let rss = crate::process::rss_mib().unwrap_or(f64::NAN);
                probe.rss_curve.push(rss);
            }
            if probe.done.is_multiple_of(MEASURE_EVERY) {
                probe.phase = DrillPhase::Watching { ended_at: None };
            }
        }
        DrillPhase::Watching { ended_at: None } => {
            // The request is applied in this frame's Update, so the transition runs from
            // this frame on.
            if map.settled() {
                probe.phase = DrillPhase::Watching {
                    ended_at: Some(frame.0),
                };
            } else {
                probe.transition_cpu.push(cpu_ms);
            }
        }
        DrillPhase::Watching {
            ended_at: Some(end),
        } => {
            let Some(rendered) = frames.last_rendered() else {
                return;
            };
            if rendered < end + LATE_LIMIT {
                return;
            }
            let late = (0..=LATE_LIMIT)
                .find(|k| frames.was_full(end + k) == Some(true))
                .unwrap_or(LATE_LIMIT + 1);
            probe.late.push(late);
            probe.phase = DrillPhase::Drilling;
        }
        DrillPhase::Done { idle_frames } if idle_frames < 10 => {
            // Measured as the exhibit is at rest: the map settled, and freed memory handed
            // back as the exhibit does then (`memory`, here at once rather than on its timer).
            if !map.settled() {
                return;
            }
            if idle_frames == 0 {
                crate::process::trim_free_memory();
            }
            probe.phase = DrillPhase::Done {
                idle_frames: idle_frames + 1,
            };
        }
        DrillPhase::Done { .. } => {
            let rss_after = crate::process::rss_mib().unwrap_or(f64::NAN);
            let pss_after = crate::process::pss_mib().unwrap_or(f64::NAN);
            let pct = |p: f64| percentile(&probe.transition_cpu, p);
            let renderer = renderer_name(adapter);
            // What the main world holds in images (glyph atlases, the ring's canvas) and
            // meshes, for the memory figures.
            let image_mib = images
                .iter()
                .filter_map(|(_, i)| i.data.as_ref().map(Vec::len))
                .sum::<usize>() as f64
                / 1_048_576.0;
            println!(
                "images={} image_mib={image_mib:.1} meshes={} glyph_sizes={} glyph_atlases={} glyph_mib={:.1} atlases_per_size={}",
                images.len(),
                meshes.len(),
                atlases.len(),
                atlases.values().map(Vec::len).sum::<usize>(),
                atlases.total_bytes(&images) as f64 / 1_048_576.0,
                atlas_sizes(&atlases),
            );
            println!(
                "startup={:.0} rss_start={:.0} pss_start={:.0} rss_after={rss_after:.0} pss_after={pss_after:.0} drills={} watched={} transition_cpu50={:.2} transition_cpu95={:.2} late_max={} rss_curve={} renderer={}",
                probe.startup_ms,
                probe.rss_start,
                probe.pss_start,
                probe.done,
                probe.late.len(),
                pct(0.5),
                pct(0.95),
                probe.late.iter().max().copied().unwrap_or(0),
                probe
                    .rss_curve
                    .iter()
                    .map(|r| format!("{r:.0}"))
                    .collect::<Vec<_>>()
                    .join(","),
                renderer.replace(' ', "_"),
            );
            exit.write(AppExit::Success);
        }
    }
}

/// The renderer's floor: Bevy's window, renderer and a 2D camera as the exhibit sets them
/// up, with nothing to draw. Prints its resident memory and frame time once drawn, so the
/// bench can tell the exhibit's own memory and frame cost from the renderer's.
pub fn floor_app(size: (u32, u32)) -> App {
    let mut app = App::new();
    app.add_plugins((
        crate::app::base::window::window_plugins("citygrid floor".into(), size, false),
        crate::app::base::probe::plugin,
    ))
    .insert_resource(ClearColor(crate::app::base::theme::color(
        crate::palette::BACKGROUND,
    )))
    .insert_resource(FloorProbe::default())
    // Every frame as soon as the last one is done, as the exhibit draws while a finger
    // moves the map: Bevy's default waits 1/60 s between frames in an unfocused window
    // (Xvfb's windows never have the focus), which held this row at 16.7 ms however
    // cheap the frame.
    .insert_resource(bevy::winit::WinitSettings::continuous())
    .add_systems(Startup, |mut commands: Commands| {
        commands.spawn((Camera2d, Msaa::Off));
    })
    .add_systems(Last, floor_step.after(bevy::diagnostic::update_frame_count))
    .add_systems(Last, exit_on_failed_pipelines);
    app
}

#[derive(Resource, Default)]
struct FloorProbe {
    full_frames: u32,
    last: Option<Instant>,
    frame_ms: Vec<f64>,
}

fn floor_step(
    mut probe: ResMut<FloorProbe>,
    frames: Res<FrameProbe>,
    adapter: Option<Res<RenderAdapterInfo>>,
    mut exit: MessageWriter<AppExit>,
) {
    if frames.first_full().is_none() {
        return;
    }
    let now = Instant::now();
    probe.full_frames += 1;
    // Ten frames to settle, then 120 timed.
    if probe.full_frames > 10
        && let Some(last) = probe.last
    {
        let ms = (now - last).as_secs_f64() * 1000.0;
        probe.frame_ms.push(ms);
    }
    probe.last = Some(now);
    if probe.frame_ms.len() < 120 {
        return;
    }
    let renderer = renderer_name(adapter);
    println!(
        "floor_rss={:.0} floor_pss={:.0} floor_p50={:.1} renderer={}",
        crate::process::rss_mib().unwrap_or(f64::NAN),
        crate::process::pss_mib().unwrap_or(f64::NAN),
        percentile(&probe.frame_ms, 0.5),
        renderer.replace(' ', "_"),
    );
    exit.write(AppExit::Success);
}

/// The `p` quantile (0–1) of `values`, the nearest rank; NaN when there are none.
pub fn percentile(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((sorted.len().max(1) - 1) as f64 * p.clamp(0.0, 1.0)).round() as usize;
    sorted.get(rank).copied().unwrap_or(f64::NAN)
}

/// The renderer's name and backend, as the bench prints it.
fn renderer_name(adapter: Option<Res<RenderAdapterInfo>>) -> String {
    adapter.map_or("unknown".to_string(), |a| {
        format!("{} ({:?})", a.0.name, a.0.backend)
    })
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let v = [5.0, 1.0, 4.0, 2.0, 3.0];
        assert_eq!(percentile(&v, 0.5), 3.0);
        assert_eq!(percentile(&v, 0.95), 5.0);
        assert_eq!(percentile(&v, 0.0), 1.0);
        assert!(percentile(&[], 0.5).is_nan());
    }
}
