//! `citygrid bench`: performance figures printed as a table — snapshot load, validation and
//! indexing (each case in a fresh process for an honest peak memory), map layer building,
//! hit tests, and with `--render` frames per second in a real window.
#![allow(clippy::print_stdout)]

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Instant;

use crate::geo::P2;
use crate::scene::layers::{self, Depth, Figure};
use crate::snapshot::index::CityData;
use crate::snapshot::{DEFAULT_SIZE_LIMIT, load, validate};

static PROCESS_START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

/// Records the moment the process started (called first thing in `main`).
pub fn mark_start() {
    PROCESS_START.get_or_init(Instant::now);
}

/// When the process started (as recorded by [`mark_start`]; else now).
pub fn process_start() -> Instant {
    *PROCESS_START.get_or_init(Instant::now)
}

/// Peak resident memory of this process so far, in MiB (Linux), if known.
pub fn peak_rss_mib() -> Option<f64> {
    proc_status_kib("VmHWM:").map(|k| k / 1024.0)
}

/// Current resident memory of this process, in MiB (Linux), if known.
pub fn rss_mib() -> Option<f64> {
    proc_status_kib("VmRSS:").map(|k| k / 1024.0)
}

fn proc_status_kib(key: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// Loads one snapshot in this process and prints `key=value` figures on one line.
fn load_case(file: Option<&Path>) -> ExitCode {
    let t0 = Instant::now();
    let (name, bytes) = match file {
        Some(f) => match std::fs::read(f) {
            Ok(b) => (f.display().to_string(), b),
            Err(e) => {
                eprintln!("{}: {e}", f.display());
                return ExitCode::from(2);
            }
        },
        None => (
            crate::demo::DEMO_ORIGIN.to_string(),
            crate::demo::DEMO_RON.as_bytes().to_vec(),
        ),
    };
    let read_ms = ms(t0);
    let t = Instant::now();
    let snapshot = match load::parse_bytes(&name, &bytes, DEFAULT_SIZE_LIMIT) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    let parse_ms = ms(t);
    drop(bytes);
    let t = Instant::now();
    let report = validate(&snapshot);
    let validate_ms = ms(t);
    let t = Instant::now();
    let city = CityData::new(snapshot);
    let index_ms = ms(t);
    println!(
        "read={read_ms:.1} parse={parse_ms:.1} validate={validate_ms:.1} index={index_ms:.1} total={:.1} errors={} buildings={} metrics={} rss={:.0} peak={:.0}",
        ms(t0),
        report.errors().count(),
        city.snapshot.buildings.len(),
        city.snapshot.metrics.len(),
        rss_mib().unwrap_or(f64::NAN),
        peak_rss_mib().unwrap_or(f64::NAN),
    );
    ExitCode::SUCCESS
}

fn field(line: &str, key: &str) -> f64 {
    line.split_whitespace()
        .find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN)
}

fn run_case(args: &[&str]) -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let out = Command::new(exe).args(args).output().ok()?;
    if !out.status.success() {
        eprintln!(
            "bench case {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    String::from_utf8(out.stdout)
        .ok()?
        .lines()
        .last()
        .map(str::to_string)
}

/// Median of a few timed runs of `f`, in milliseconds.
fn time_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            ms(t)
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cpus} CPU(s), {model}")
}

/// The figures of the summary table; `None` where a figure was not measured.
#[derive(Debug, Default)]
struct Summary {
    startup_ms: Option<f64>,
    rss_start: Option<f64>,
    rss_after_drills: Option<f64>,
    drills: Option<f64>,
    load_demo_ms: Option<f64>,
    load_demo_peak: Option<f64>,
    load_stress_ms: Option<f64>,
    load_stress_peak: Option<f64>,
    hit_us: Option<f64>,
    transition_cpu: Option<(f64, f64)>,
    late_frames: Option<f64>,
    ring_ms: Option<f64>,
    fps_all: Option<(f64, f64)>,
    /// A bare Bevy window of the same build: resident MiB and frame p50 ms.
    floor: Option<(f64, f64)>,
    renderer: Option<String>,
}

/// Adds a line to the details.
macro_rules! line {
    ($out:expr) => { $out.push('\n') };
    ($out:expr, $($arg:tt)*) => {{ $out.push_str(&format!($($arg)*)); $out.push('\n'); }};
}

/// Says what is being measured (on stderr: stdout is the table).
fn step(what: &str) {
    eprintln!("citygrid bench: {what}…");
}

/// Entry point of `citygrid bench`.
pub fn main(
    buildings: usize,
    render: bool,
    details: bool,
    case: Option<&str>,
    file: Option<&Path>,
) -> ExitCode {
    match case {
        Some("load") => return load_case(file),
        Some(fps @ ("fps-all" | "fps-district" | "fps-drill")) => {
            return fps_case(file, fps == "fps-drill", fps == "fps-all");
        }
        Some("drills") => return drills_case(file, DRILLS),
        Some("startup") => return drills_case(None, 0),
        Some("floor") => return floor_case(),
        Some(other) => {
            eprintln!("unknown bench case {other}");
            return ExitCode::from(2);
        }
        None => {}
    }
    let mut sum = Summary::default();
    let mut d = String::new();
    let dir = std::env::temp_dir().join(format!("citygrid-bench-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("{}: {e}", dir.display());
        return ExitCode::from(2);
    }
    let stress_path = dir.join(format!("stress-{buildings}.ron"));
    step(&format!("generating a {buildings}-building snapshot"));
    let t = Instant::now();
    let snapshot = crate::generate::generate(&crate::generate::Options::stress(buildings, 1));
    let gen_ms = ms(t);
    let owners: usize = snapshot.buildings.iter().map(|b| b.owners.len()).sum();
    let metrics = snapshot.metrics.len();
    if let Err(e) = load::save_atomic(&snapshot, &stress_path) {
        eprintln!("{e}");
        return ExitCode::from(2);
    }
    drop(snapshot);
    let size_mb = std::fs::metadata(&stress_path).map_or(0.0, |m| m.len() as f64 / 1e6);
    line!(
        d,
        "stress snapshot: {buildings} buildings, {owners} owners, {metrics} metrics, {size_mb:.1} MB RON (generated in {gen_ms:.0} ms)"
    );
    line!(d);
    line!(
        d,
        "| snapshot | parse ms | validate ms | index ms | load+validate+index ms | peak RSS MiB |"
    );
    line!(d, "|---|---|---|---|---|---|");
    let stress_arg = stress_path.display().to_string();
    step("loading snapshots");
    for (label, args, stress) in [
        ("demo (embedded)", vec!["bench", "--case", "load"], false),
        (
            "stress",
            vec!["bench", "--case", "load", "--file", stress_arg.as_str()],
            true,
        ),
    ] {
        match run_case(&args) {
            Some(l) => {
                let (total, peak) = (field(&l, "total"), field(&l, "peak"));
                if stress {
                    sum.load_stress_ms = Some(total);
                    sum.load_stress_peak = Some(peak);
                } else {
                    sum.load_demo_ms = Some(total);
                    sum.load_demo_peak = Some(peak);
                }
                line!(
                    d,
                    "| {label} | {:.0} | {:.0} | {:.0} | {total:.0} | {peak:.0} |",
                    field(&l, "parse"),
                    field(&l, "validate"),
                    field(&l, "index"),
                );
            }
            None => line!(d, "| {label} | failed | | | | |"),
        }
    }
    line!(d);

    // Map work on the stress snapshot, in this process.
    step("map layers and hit tests");
    let loaded = match load::load_file(&stress_path, DEFAULT_SIZE_LIMIT) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    let city = CityData::new(loaded.snapshot);
    map_table(&city, &mut sum, &mut d);
    drop(city);
    line!(d);
    step("ring");
    ring_table(&mut sum, &mut d);
    line!(d);
    step("live swap");
    swap_table(&stress_path, &mut d);
    let display =
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    if render && display {
        line!(d);
        step("frames in a window (a few minutes on a software renderer)");
        render_table(&stress_arg, &mut sum, &mut d);
    } else if render {
        eprintln!("citygrid bench: no display: the window rows are left out");
    }
    let _ = std::fs::remove_dir_all(&dir);
    print_summary(&sum, buildings);
    if details {
        println!();
        println!("Details");
        println!();
        print!("{d}");
    }
    ExitCode::SUCCESS
}

/// Drills in the startup-and-drills case.
const DRILLS: usize = 1000;

/// The one table: each figure against its target.
fn print_summary(s: &Summary, buildings: usize) {
    let size = std::env::var("CITYGRID_BENCH_SIZE")
        .unwrap_or_else(|_| "1920x1080".into())
        .replace('x', "×");
    println!("citygrid {} bench — {}", crate::build_id(), machine());
    println!(
        "renderer: {}; {}",
        s.renderer.as_deref().unwrap_or("none (no window rows)"),
        if cfg!(debug_assertions) {
            "debug build, several times slower: bench with --release"
        } else {
            "release build"
        }
    );
    println!();
    println!("| figure | measured | target | |");
    println!("|---|---|---|---|");
    let row = |figure: &str, value: Option<String>, target: &str, ok: Option<bool>| {
        let mark = match ok {
            Some(true) => "✓",
            Some(false) => "✗",
            None => "",
        };
        println!(
            "| {figure} | {} | {target} | {mark} |",
            value.unwrap_or_else(|| "not measured (no window: needs a display)".into())
        );
    };
    row(
        &format!("startup to first full frame (demo, {size})"),
        s.startup_ms.map(|v| format!("{v:.0} ms")),
        "≤ 1000 ms",
        s.startup_ms.map(|v| v <= 1000.0),
    );
    row(
        &format!("resident memory after start ({buildings} buildings)"),
        s.rss_start.map(|v| format!("{v:.0} MiB")),
        "≤ 250 MB",
        s.rss_start.map(|v| v * 1.048_576 <= 250.0),
    );
    row(
        &format!(
            "resident memory after {} drills",
            s.drills.unwrap_or(DRILLS as f64)
        ),
        s.rss_after_drills.map(|v| format!("{v:.0} MiB")),
        "≤ 250 MB",
        s.rss_after_drills.map(|v| v * 1.048_576 <= 250.0),
    );
    row(
        "resident memory after start above a bare Bevy window of this build (the exhibit's own)",
        s.rss_start
            .zip(s.floor)
            .map(|(r, (f, _))| format!("{:.0} MiB (window alone {f:.0} MiB)", r - f)),
        "",
        None,
    );
    row(
        "snapshot load + validate + index, demo (10,000 buildings)",
        s.load_demo_ms
            .zip(s.load_demo_peak)
            .map(|(t, p)| format!("{t:.0} ms, peak {p:.0} MiB")),
        "",
        None,
    );
    row(
        &format!("snapshot load + validate + index, {buildings} buildings"),
        s.load_stress_ms
            .zip(s.load_stress_peak)
            .map(|(t, p)| format!("{t:.0} ms, peak {p:.0} MiB")),
        "≤ 1000 ms, ≤ 400 MB",
        s.load_stress_ms
            .zip(s.load_stress_peak)
            .map(|(t, p)| t <= 1000.0 && p * 1.048_576 <= 400.0),
    );
    row(
        "hit test (building under a finger)",
        s.hit_us.map(|v| format!("{v:.3} µs")),
        "",
        None,
    );
    row(
        "drill transition, exhibit CPU per frame (p50 / p95)",
        s.transition_cpu.map(|(a, b)| format!("{a:.1} / {b:.1} ms")),
        "",
        None,
    );
    row(
        "new level drawn in full, frames after the transition's end (worst)",
        s.late_frames.map(|v| format!("{v:.0}")),
        "≤ 1",
        s.late_frames.map(|v| v <= 1.0),
    );
    row(
        "ring, CPU per animated frame (56 widgets)",
        s.ring_ms.map(|v| format!("{v:.2} ms")),
        "",
        None,
    );
    row(
        &format!("fps at {size}, all {buildings} buildings (p50 frame)"),
        s.fps_all.map(|(f, p)| format!("{f:.1} fps ({p:.0} ms)")),
        "≥ 30 fps",
        s.fps_all.map(|(f, _)| f >= 30.0),
    );
}

/// Layer building and hit tests on a big snapshot.
fn map_table(city: &CityData, sum: &mut Summary, d: &mut String) {
    let street = city.index.children[city.index.district]
        .first()
        .copied()
        .unwrap_or(0);
    let community = city.index.children[street].first().copied().unwrap_or(0);
    line!(d, "| map work (stress snapshot) | ms | what |");
    line!(d, "|---|---|---|");
    let px = 5.0;
    let mut tris = 0;
    let t_district = time_ms(5, || {
        tris = layers::build(city, Depth::District, Figure::Residents, false, px)
            .fills
            .triangles();
    });
    line!(
        d,
        "| district layers | {t_district:.2} | {tris} fill triangles |"
    );
    let t_all = time_ms(3, || {
        tris = layers::build(city, Depth::District, Figure::Residents, true, px)
            .buildings
            .triangles();
    });
    line!(
        d,
        "| district + all buildings as meshes | {t_all:.1} | {tris} building triangles, merged into one mesh (shown when zoomed in) |"
    );
    // The picture the district view shows instead, at about the scale a 1080p screen
    // fits the district at (its longer side over ~900 pixels).
    let d_bounds = city.index.region_bounds[city.index.district];
    let mpp = d_bounds.width().max(d_bounds.height()) / 900.0;
    let mut size = (0, 0);
    let t_picture = time_ms(3, || {
        let p = crate::scene::picture::all_buildings(city, mpp);
        size = (p.width, p.height);
    });
    line!(
        d,
        "| district + all buildings as one picture | {t_picture:.1} | {}×{} px, drawn once per snapshot and screen size |",
        size.0,
        size.1
    );
    let t_street = time_ms(5, || {
        let _ = layers::build(
            city,
            Depth::Street(street),
            Figure::Residents,
            false,
            px / 4.0,
        );
    });
    line!(
        d,
        "| subdistrict layers | {t_street:.2} | drill step: rebuilt once per tap |"
    );
    let t_comm = time_ms(5, || {
        tris = layers::build(
            city,
            Depth::Community(community, None),
            Figure::Residents,
            false,
            px / 20.0,
        )
        .buildings
        .triangles();
    });
    line!(
        d,
        "| community layers | {t_comm:.2} | {tris} building triangles |"
    );
    let bounds = city.index.region_bounds[city.index.district];
    let mut rng = crate::generate::rng::Rng::new(9);
    let points: Vec<P2> = (0..100_000)
        .map(|_| {
            [
                rng.range(bounds.min[0], bounds.max[0]),
                rng.range(bounds.min[1], bounds.max[1]),
            ]
        })
        .collect();
    let mut hits = 0;
    let t_hit = time_ms(3, || {
        hits = points
            .iter()
            .filter(|p| city.index.building_at(**p).is_some())
            .count();
    });
    let hit_us = t_hit * 1000.0 / points.len() as f64;
    sum.hit_us = Some(hit_us);
    line!(
        d,
        "| building hit test | {hit_us:.3} µs each | {hits} of 100,000 random points hit a building |"
    );
    let t_region = time_ms(3, || {
        hits = points
            .iter()
            .filter(|p| {
                city.index
                    .region_at(&city.snapshot, crate::snapshot::Level::Community, **p)
                    .is_some()
            })
            .count();
    });
    line!(
        d,
        "| community hit test | {:.3} µs each | {hits} of 100,000 hit a community |",
        t_region * 1000.0 / points.len() as f64
    );
}

/// Runs the window, times the start, drills `count` times and prints the probe's line.
fn drills_case(file: Option<&Path>, count: usize) -> ExitCode {
    window_case(file, |options| {
        options.drills_probe = Some(count);
    })
}

/// Runs the window on a snapshot and prints the frame-rate probe's line.
fn fps_case(file: Option<&Path>, drill: bool, all_buildings: bool) -> ExitCode {
    window_case(file, |options| {
        options.show_all_buildings = all_buildings;
        if let Ok(view) = std::env::var("CITYGRID_BENCH_VIEW")
            && let Some(v) = crate::app::MainView::parse(&view)
        {
            options.view = v;
            // The hall and ring views do not show the map's buildings.
            if v != crate::app::MainView::Map {
                options.show_all_buildings = false;
            }
        }
        options.fps_probe = Some((6.0, drill));
    })
}

/// Runs the exhibit's window on a snapshot (the demo without one), set up by `probe`;
/// `CITYGRID_BENCH_MSAA=1` turns MSAA on, `CITYGRID_BENCH_SIZE=WxH` sets the size.
fn window_case(file: Option<&Path>, probe: impl FnOnce(&mut crate::app::AppOptions)) -> ExitCode {
    let mut options = match window_options(file) {
        Ok(o) => o,
        Err(code) => return code,
    };
    probe(&mut options);
    exit_code(crate::app::run(options))
}

/// The window's options for a bench case: the snapshot, MSAA and size from the environment.
fn window_options(file: Option<&Path>) -> Result<crate::app::AppOptions, ExitCode> {
    let loaded = match crate::cli::load_snapshot(file) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            return Err(ExitCode::from(1));
        }
    };
    let city = std::sync::Arc::new(CityData::new(loaded.snapshot));
    let mut options = crate::app::AppOptions::new(city, loaded.origin);
    options.msaa = std::env::var("CITYGRID_BENCH_MSAA").is_ok_and(|v| v == "1");
    options.size = bench_size();
    Ok(options)
}

/// The window size: `CITYGRID_BENCH_SIZE=WxH`, else 1920 × 1080.
fn bench_size() -> (u32, u32) {
    std::env::var("CITYGRID_BENCH_SIZE")
        .ok()
        .and_then(|size| {
            let (w, h) = size.split_once('x')?;
            Some((w.parse().ok()?, h.parse().ok()?))
        })
        .unwrap_or((1920, 1080))
}

fn exit_code(exit: bevy::app::AppExit) -> ExitCode {
    match exit {
        bevy::app::AppExit::Success => ExitCode::SUCCESS,
        bevy::app::AppExit::Error(c) => ExitCode::from(c.get()),
    }
}

/// Bevy's window and renderer with nothing to draw: the floor under the exhibit's figures.
fn floor_case() -> ExitCode {
    exit_code(crate::app::fps::floor_app(bench_size()).run())
}

/// Runs one case in a fresh process and returns its figure line (the last line starting
/// with `prefix`).
fn window_line(args: &[&str], env: &[(&str, &str)], prefix: &str) -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let out = Command::new(exe)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!(
            "bench case {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("")
        );
        return None;
    }
    String::from_utf8(out.stdout).ok().and_then(|s| {
        s.lines()
            .rev()
            .find(|l| l.starts_with(prefix))
            .map(str::to_string)
    })
}

fn renderer_of(line: &str) -> String {
    line.split_whitespace()
        .find_map(|kv| kv.strip_prefix("renderer="))
        .unwrap_or("?")
        .replace('_', " ")
}

/// The window rows (need a display; under Xvfb the renderer is lavapipe): the start, 1,000
/// drills, and frame rates per view.
fn render_table(stress: &str, sum: &mut Summary, d: &mut String) {
    line!(
        d,
        "| window | first full frame ms | RSS after start MiB | RSS after drills MiB | transition CPU p50 / p95 ms | late frames (worst) |"
    );
    line!(d, "|---|---|---|---|---|---|");
    for (label, args, stress_case) in [
        (
            "demo, start only",
            vec!["bench", "--case", "startup"],
            false,
        ),
        (
            "stress, start and 1,000 drills",
            vec!["bench", "--case", "drills", "--file", stress],
            true,
        ),
    ] {
        let Some(l) = window_line(&args, &[], "startup=") else {
            line!(d, "| {label} | failed | | | | |");
            continue;
        };
        sum.renderer = Some(renderer_of(&l));
        if stress_case {
            sum.rss_start = Some(field(&l, "rss_start"));
            sum.rss_after_drills = Some(field(&l, "rss_after"));
            sum.drills = Some(field(&l, "drills"));
            sum.transition_cpu =
                Some((field(&l, "transition_cpu50"), field(&l, "transition_cpu95")));
            sum.late_frames = Some(field(&l, "late_max"));
            line!(
                d,
                "| {label} | {:.0} | {:.0} | {:.0} | {:.1} / {:.1} | {:.0} of {:.0} watched drills |",
                field(&l, "startup"),
                field(&l, "rss_start"),
                field(&l, "rss_after"),
                field(&l, "transition_cpu50"),
                field(&l, "transition_cpu95"),
                field(&l, "late_max"),
                field(&l, "watched"),
            );
        } else {
            sum.startup_ms = Some(field(&l, "startup"));
            line!(
                d,
                "| {label} | {:.0} | {:.0} | | | |",
                field(&l, "startup"),
                field(&l, "rss_start"),
            );
        }
    }
    if let Some(l) = window_line(&["bench", "--case", "floor"], &[], "floor_rss=") {
        let (rss, p50) = (field(&l, "floor_rss"), field(&l, "floor_p50"));
        sum.floor = Some((rss, p50));
        line!(
            d,
            "| bare Bevy window of this build, nothing drawn (the renderer's floor; frame p50 {p50:.1} ms) | | {rss:.0} | | | |"
        );
    }
    line!(d);
    line!(
        d,
        "| window, stress snapshot | fps | frame p50 ms | frame p95 ms | exhibit CPU p50 ms/frame |"
    );
    line!(d, "|---|---|---|---|---|");
    for (label, case, msaa, view) in [
        ("district, all buildings, MSAA off", "fps-all", "0", "map"),
        ("district, all buildings, MSAA 4×", "fps-all", "1", "map"),
        (
            "district as a visitor first sees it (no buildings), MSAA off",
            "fps-district",
            "0",
            "map",
        ),
        ("drilling in and out, MSAA off", "fps-drill", "0", "map"),
        (
            "hall view of the ring (texture drawn every frame)",
            "fps-all",
            "0",
            "hall",
        ),
        (
            "ring canvas in the window (the LED output)",
            "fps-all",
            "0",
            "ring",
        ),
    ] {
        let line = window_line(
            &["bench", "--case", case, "--file", stress],
            &[("CITYGRID_BENCH_MSAA", msaa), ("CITYGRID_BENCH_VIEW", view)],
            "fps=",
        );
        match line {
            Some(l) => {
                if case == "fps-all" && view == "map" && msaa == "0" {
                    sum.fps_all = Some((field(&l, "fps"), field(&l, "p50")));
                }
                line!(
                    d,
                    "| {label} | {:.1} | {:.1} | {:.1} | {:.2} |",
                    field(&l, "fps"),
                    field(&l, "p50"),
                    field(&l, "p95"),
                    field(&l, "cpu50"),
                );
            }
            None => line!(d, "| {label} | failed | | | |"),
        }
    }
}

/// The ring's CPU work per frame with 7 departments × 8 metrics = 56 widgets: the widget
/// data for a new selection (once per tap) and a full redraw (every frame while values
/// ease and lines draw in; idle frames redraw nothing).
fn ring_table(sum: &mut Summary, d: &mut String) {
    use crate::scene::ring::{data, draw, layout};
    let Ok(loaded) = crate::demo::load_demo() else {
        return;
    };
    let mut s = loaded.snapshot;
    // Pad every department to 8 metrics by repeating its own.
    let mut extra = Vec::new();
    for d in &s.departments {
        let own: Vec<&crate::snapshot::Metric> =
            s.metrics.iter().filter(|m| m.department == d.id).collect();
        for k in own.len()..8 {
            if let Some(m) = own.get(k % own.len().max(1)) {
                let mut m = (*m).clone();
                m.id = format!("{}.copy{k}", m.id);
                extra.push(m);
            }
        }
    }
    s.metrics.extend(extra);
    let city = CityData::new(s);
    let l = layout::automatic(&city.snapshot, layout::DEFAULT_SPAN_DEG);
    let street = city.index.children[city.index.district]
        .first()
        .copied()
        .unwrap_or(0);
    let mut widgets = Vec::new();
    let t_data = time_ms(9, || {
        widgets = l
            .slots
            .iter()
            .map(|slot| data::widget(&city, slot, street))
            .collect();
    });
    let anims: Vec<draw::WidgetAnim> = widgets
        .iter()
        .map(|w| draw::WidgetAnim {
            reveal: 0.5,
            shown: draw::primary_value(w),
        })
        .collect();
    let depts = draw::department_styles(&city.snapshot);
    let mut tris = 0;
    let mut texts = 0;
    let t_draw = time_ms(9, || {
        let f = draw::draw(
            &l,
            &depts,
            &widgets,
            &anims,
            crate::scene::format::Lang::Zh,
            ("辽宁路街道", "Liaoning Road"),
        );
        tris = f.mesh.triangles();
        texts = f.texts.len();
    });
    sum.ring_ms = Some(t_draw);
    line!(d, "| ring, {} widgets | ms | what |", l.slots.len());
    line!(d, "|---|---|---|");
    line!(
        d,
        "| widget data for a new selection | {t_data:.2} | once per tap |"
    );
    line!(
        d,
        "| redraw of every widget | {t_draw:.2} | {tris} triangles, {texts} texts; each frame while animating (0.9 s after a tap) |"
    );
}

/// Frame times of the exhibit's logic (map, ring, kiosk, swap; no rendering) while a
/// 30,000-building snapshot is loaded, checked and swapped in: the load runs on a worker
/// thread, so only the swap itself lands in a frame.
fn swap_table(stress: &Path, d: &mut String) {
    use bevy::prelude::*;
    let Ok(demo) = crate::demo::load_demo() else {
        return;
    };
    let city = std::sync::Arc::new(CityData::new(demo.snapshot));
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, bevy::input::InputPlugin));
    crate::app::add_exhibit(&mut app, &crate::app::AppOptions::new(city, "bench".into()));
    app.update();
    app.world_mut()
        .write_message(crate::app::swap::LoadSnapshot {
            path: stress.to_path_buf(),
            apply: true,
        });
    let mut frames: Vec<f64> = Vec::new();
    let start = Instant::now();
    let mut swapped_at = None;
    let mut swap_ms = f64::NAN;
    while start.elapsed().as_secs_f64() < 30.0 {
        let t = Instant::now();
        app.update();
        frames.push(ms(t));
        let buildings = app
            .world()
            .resource::<crate::app::City>()
            .0
            .snapshot
            .buildings
            .len();
        if buildings > 20_000 && swapped_at.is_none() {
            swapped_at = Some(frames.len());
            swap_ms = ms(start);
        }
        if let Some(at) = swapped_at
            && frames.len() > at + 60
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(4));
    }
    let worst = frames.iter().cloned().fold(0.0f64, f64::max);
    let swap_frame = swapped_at
        .and_then(|i| frames.get(i - 1))
        .copied()
        .unwrap_or(f64::NAN);
    line!(
        d,
        "| live swap of the stress snapshot (logic, headless) | ms | target |"
    );
    line!(d, "|---|---|---|");
    line!(
        d,
        "| request to swapped in (load, check, index on a worker thread) | {swap_ms:.0} | frames go on meanwhile |"
    );
    line!(d, "| the frame that swaps it in | {swap_frame:.1} | ≤ 50 |");
    line!(
        d,
        "| worst frame during the whole swap ({} frames) | {worst:.1} | ≤ 50 |",
        frames.len()
    );
}
