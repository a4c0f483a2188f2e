//! `citygrid bench`: performance figures printed as a table — snapshot load, validation and
//! indexing (each case in a fresh process for an honest peak memory), map layer building,
//! hit tests, and where there is a display frames per second in a real window and the CPU
//! the exhibit uses at rest.
//!
//! This file runs the whole bench and holds the figures; `cases` are the measurements run
//! in a child process, `tables` the detailed tables, `summary` the one printed table.
#![allow(clippy::print_stdout)]

/// Adds a line to the details.
macro_rules! line {
    ($out:expr) => { $out.push('\n') };
    ($out:expr, $($arg:tt)*) => {{ $out.push_str(&format!($($arg)*)); $out.push('\n'); }};
}

mod cases;
mod compare;
mod hall;
mod rest;
mod summary;
mod tables;

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use crate::snapshot::index::CityData;
use crate::snapshot::{DEFAULT_SIZE_LIMIT, load};

use cases::{drills_case, field, floor_case, fps_case, load_case, run_case};
use summary::print_summary;
use tables::{map_table, render_table, ring_table, swap_table};

/// Milliseconds since `t`.
fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
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
    transition_cpu: Option<TransitionCpu>,
    late_frames: Option<f64>,
    ring_ms: Option<f64>,
    fps_all: Option<FrameRate>,
    /// A bare Bevy window of the same build: resident MiB (its frame p50 goes to the
    /// details only).
    floor_rss: Option<f64>,
    /// CPU at rest, % of one core.
    rest: rest::RestCpu,
    renderer: Option<String>,
}

/// Exhibit CPU per frame during drill transitions, in ms.
#[derive(Debug, Clone, Copy)]
struct TransitionCpu {
    p50: f64,
    p95: f64,
}

/// The frame rate with every building shown, and its median frame in ms.
#[derive(Debug, Clone, Copy)]
struct FrameRate {
    fps: f64,
    p50_ms: f64,
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
    runs: usize,
) -> ExitCode {
    match case {
        Some("load") => return load_case(file),
        Some(fps @ ("fps-all" | "fps-district" | "fps-drill")) => {
            return fps_case(file, fps == "fps-drill", fps == "fps-all");
        }
        Some("drills") => return drills_case(file, DRILLS),
        Some("startup") => return drills_case(file, 0),
        Some("floor") => return floor_case(),
        Some("latency") => return cases::latency_case(file),
        Some("hall") => return hall::hall_case(),
        Some("compare") => {
            return match file {
                Some(f) => compare::compare(f, runs),
                None => {
                    eprintln!("bench --compare needs a snapshot file");
                    ExitCode::from(2)
                }
            };
        }
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
        "| snapshot | parse ms | validate ms | index ms | load+validate+index ms | peak RSS MiB | from the start cache ms |"
    );
    line!(d, "|---|---|---|---|---|---|---|");
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
                    "| {label} | {:.0} | {:.0} | {:.0} | {total:.0} | {peak:.0} | {:.0} |",
                    field(&l, "parse"),
                    field(&l, "validate"),
                    field(&l, "index"),
                    field(&l, "cached"),
                );
            }
            None => line!(d, "| {label} | failed | | | | | |"),
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
        line!(d);
        step("CPU at rest (about a minute)");
        rest::rest_table(&stress_arg, &dir, &mut sum, &mut d);
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
