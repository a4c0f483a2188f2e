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

/// Entry point of `citygrid bench`.
pub fn main(buildings: usize, render: bool, case: Option<&str>, file: Option<&Path>) -> ExitCode {
    match case {
        Some("load") => return load_case(file),
        Some(fps @ ("fps-all" | "fps-drill")) => return fps_case(file, fps == "fps-drill"),
        Some(other) => {
            eprintln!("unknown bench case {other}");
            return ExitCode::from(2);
        }
        None => {}
    }
    println!("citygrid {} bench — {}", crate::build_id(), machine());
    println!("(debug builds are several times slower than release: bench with --release)");
    let dir = std::env::temp_dir().join(format!("citygrid-bench-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("{}: {e}", dir.display());
        return ExitCode::from(2);
    }
    let stress_path = dir.join(format!("stress-{buildings}.ron"));
    let t = Instant::now();
    let snapshot = crate::generate::generate(&crate::generate::Options::stress(buildings, 1));
    let gen_ms = ms(t);
    let owners: usize = snapshot.buildings.iter().map(|b| b.owners.len()).sum();
    if let Err(e) = load::save_atomic(&snapshot, &stress_path) {
        eprintln!("{e}");
        return ExitCode::from(2);
    }
    drop(snapshot);
    let size_mb = std::fs::metadata(&stress_path).map_or(0.0, |m| m.len() as f64 / 1e6);
    println!(
        "stress snapshot: {buildings} buildings, {owners} owners, 3,759 metrics, {size_mb:.1} MB RON (generated in {gen_ms:.0} ms)"
    );
    println!();
    println!(
        "| snapshot | parse ms | validate ms | index ms | load+validate+index ms | peak RSS MiB | target |"
    );
    println!("|---|---|---|---|---|---|---|");
    let stress_arg = stress_path.display().to_string();
    for (label, args, target) in [
        ("demo (embedded)", vec!["bench", "--case", "load"], ""),
        (
            "stress",
            vec!["bench", "--case", "load", "--file", stress_arg.as_str()],
            "≤ 1000 ms, ≤ 400 MiB",
        ),
    ] {
        match run_case(&args) {
            Some(line) => println!(
                "| {label} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {target} |",
                field(&line, "parse"),
                field(&line, "validate"),
                field(&line, "index"),
                field(&line, "total"),
                field(&line, "peak"),
            ),
            None => println!("| {label} | failed | | | | | {target} |"),
        }
    }
    println!();

    // Map work on the stress snapshot, in this process.
    let loaded = match load::load_file(&stress_path, DEFAULT_SIZE_LIMIT) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    let city = CityData::new(loaded.snapshot);
    let street = city.index.children[city.index.district]
        .first()
        .copied()
        .unwrap_or(0);
    let community = city.index.children[street].first().copied().unwrap_or(0);
    println!("| map work (stress snapshot) | ms | what |");
    println!("|---|---|---|");
    let px = 5.0;
    let mut tris = 0;
    let t_district = time_ms(5, || {
        tris = layers::build(&city, Depth::District, Figure::Residents, false, px)
            .fills
            .triangles();
    });
    println!("| district layers | {t_district:.2} | {tris} fill triangles |");
    let t_all = time_ms(3, || {
        tris = layers::build(&city, Depth::District, Figure::Residents, true, px)
            .buildings
            .triangles();
    });
    println!(
        "| district + all buildings | {t_all:.1} | {tris} building triangles, merged into one mesh |"
    );
    let t_street = time_ms(5, || {
        let _ = layers::build(
            &city,
            Depth::Street(street),
            Figure::Residents,
            false,
            px / 4.0,
        );
    });
    println!("| subdistrict layers | {t_street:.2} | drill step: rebuilt once per tap |");
    let t_comm = time_ms(5, || {
        tris = layers::build(
            &city,
            Depth::Community(community, None),
            Figure::Residents,
            false,
            px / 20.0,
        )
        .buildings
        .triangles();
    });
    println!("| community layers | {t_comm:.2} | {tris} building triangles |");
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
    println!(
        "| building hit test | {:.3} µs each | {hits} of 100,000 random points hit a building |",
        t_hit * 1000.0 / points.len() as f64
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
    println!(
        "| community hit test | {:.3} µs each | {hits} of 100,000 hit a community |",
        t_region * 1000.0 / points.len() as f64
    );
    println!();
    ring_table();
    println!();
    swap_table(&stress_path);
    if render {
        println!();
        render_table(&stress_arg);
    }
    let _ = std::fs::remove_dir_all(&dir);
    ExitCode::SUCCESS
}

/// Runs the window on a snapshot and prints the probe's line.
fn fps_case(file: Option<&Path>, drill: bool) -> ExitCode {
    let loaded = match crate::cli::load_snapshot(file) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    let city = std::sync::Arc::new(CityData::new(loaded.snapshot));
    let mut options = crate::app::AppOptions::new(city, loaded.origin);
    options.show_all_buildings = !drill;
    options.msaa = std::env::var("CITYGRID_BENCH_MSAA").is_ok_and(|v| v == "1");
    if let Ok(size) = std::env::var("CITYGRID_BENCH_SIZE")
        && let Some((w, h)) = size.split_once('x')
        && let (Ok(w), Ok(h)) = (w.parse(), h.parse())
    {
        options.size = (w, h);
    }
    if let Ok(view) = std::env::var("CITYGRID_BENCH_VIEW")
        && let Some(v) = crate::app::MainView::parse(&view)
    {
        options.view = v;
        options.show_all_buildings = false;
    }
    options.fps_probe = Some((6.0, drill));
    match crate::app::run(options) {
        bevy::app::AppExit::Success => ExitCode::SUCCESS,
        bevy::app::AppExit::Error(c) => ExitCode::from(c.get()),
    }
}

/// Frame rates in a real window (needs a display; under Xvfb the renderer is lavapipe).
fn render_table(stress: &str) {
    println!(
        "| window 1920×1080, stress snapshot | fps | frame p50 ms | frame p95 ms | exhibit CPU p50 ms/frame | renderer |"
    );
    println!("|---|---|---|---|---|---|");
    for (label, case, msaa, view) in [
        ("district, all buildings, MSAA off", "fps-all", "0", "map"),
        ("district, all buildings, MSAA 4×", "fps-all", "1", "map"),
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
        let Ok(exe) = std::env::current_exe() else {
            return;
        };
        let out = Command::new(exe)
            .args(["bench", "--case", case, "--file", stress])
            .env("CITYGRID_BENCH_MSAA", msaa)
            .env("CITYGRID_BENCH_VIEW", view)
            .output();
        let line = out
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| {
                s.lines()
                    .rev()
                    .find(|l| l.starts_with("fps="))
                    .map(str::to_string)
            });
        match line {
            Some(l) => {
                let renderer = l
                    .split_whitespace()
                    .find_map(|kv| kv.strip_prefix("renderer="))
                    .unwrap_or("?")
                    .replace('_', " ");
                println!(
                    "| {label} | {:.1} | {:.1} | {:.1} | {:.2} | {renderer} |",
                    field(&l, "fps"),
                    field(&l, "p50"),
                    field(&l, "p95"),
                    field(&l, "cpu50"),
                );
            }
            None => println!("| {label} | failed (no display?) | | | | |"),
        }
    }
}

/// The ring's CPU work per frame with 7 departments × 8 metrics = 56 widgets: the widget
/// data for a new selection (once per tap) and a full redraw (every frame while values
/// ease and lines draw in; idle frames redraw nothing).
fn ring_table() {
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
    println!("| ring, {} widgets | ms | what |", l.slots.len());
    println!("|---|---|---|");
    println!("| widget data for a new selection | {t_data:.2} | once per tap |");
    println!(
        "| redraw of every widget | {t_draw:.2} | {tris} triangles, {texts} texts; each frame while animating (0.9 s after a tap) |"
    );
}

/// Frame times of the exhibit's logic (map, ring, kiosk, swap; no rendering) while a
/// 30,000-building snapshot is loaded, checked and swapped in: the load runs on a worker
/// thread, so only the swap itself lands in a frame.
fn swap_table(stress: &Path) {
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
    println!("| live swap of the stress snapshot (logic, headless) | ms | target |");
    println!("|---|---|---|");
    println!(
        "| request to swapped in (load, check, index on a worker thread) | {swap_ms:.0} | frames go on meanwhile |"
    );
    println!("| the frame that swaps it in | {swap_frame:.1} | ≤ 50 |");
    println!(
        "| worst frame during the whole swap ({} frames) | {worst:.1} | ≤ 50 |",
        frames.len()
    );
}
