//! The bench's cases run in a child process (`citygrid bench --case …`), each printing one
//! line of `key=value` figures, and the helpers that run them and read their lines.
#![allow(clippy::print_stdout)]

use std::io::Read;
use std::path::Path;
use std::process::{Command, ExitCode, Output, Stdio};
use std::time::{Duration, Instant};

use crate::process::{peak_rss_mib, rss_mib};
use crate::snapshot::index::CityData;
use crate::snapshot::{DEFAULT_SIZE_LIMIT, load, validate};

use super::ms;

/// Loads one snapshot in this process and prints `key=value` figures on one line.
pub(super) fn load_case(file: Option<&Path>) -> ExitCode {
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
    let total_ms = ms(t0);
    let (rss, peak) = (
        rss_mib().unwrap_or(f64::NAN),
        peak_rss_mib().unwrap_or(f64::NAN),
    );
    let cached_ms = cached_load_ms(file, &city, &report).unwrap_or(f64::NAN);
    println!(
        "read={read_ms:.1} parse={parse_ms:.1} validate={validate_ms:.1} index={index_ms:.1} total={total_ms:.1} cached={cached_ms:.1} errors={} buildings={} metrics={} rss={rss:.0} peak={peak:.0}",
        report.errors().count(),
        city.snapshot.buildings.len(),
        city.snapshot.metrics.len(),
    );
    ExitCode::SUCCESS
}

/// The same snapshot from the start cache, as the exhibit starts: read, hash, decode (no
/// parse, no checks) and index, ms; the entry is written to a scratch folder first.
fn cached_load_ms(
    file: Option<&Path>,
    city: &CityData,
    report: &crate::snapshot::Report,
) -> Option<f64> {
    let dir = std::env::temp_dir().join(format!("citygrid-bench-load-{}", std::process::id()));
    let cache = crate::snapshot::Cache::new(&dir);
    let bytes = match file {
        Some(f) => std::fs::read(f).ok()?,
        None => crate::demo::DEMO_RON.as_bytes().to_vec(),
    };
    cache.store(&bytes, &city.snapshot, report).ok()?;
    drop(bytes);
    let t = Instant::now();
    let bytes = match file {
        Some(f) => std::fs::read(f).ok()?,
        None => crate::demo::DEMO_RON.as_bytes().to_vec(),
    };
    let (loaded, used) = cache.load("bench", &bytes, DEFAULT_SIZE_LIMIT).ok()?;
    let _city = CityData::new(loaded.snapshot);
    let elapsed = ms(t);
    let _ = std::fs::remove_dir_all(&dir);
    (used == crate::snapshot::CacheUse::Hit).then_some(elapsed)
}

/// Runs the window, times the start, drills `count` times and prints the probe's line.
pub(super) fn drills_case(file: Option<&Path>, count: usize) -> ExitCode {
    window_case(file, |options| {
        options.drills_probe = Some(count);
    })
}

/// Runs the window at rest (drawing on demand), clicks into it and prints how soon each
/// click was drawn (`app::latency`).
pub(super) fn latency_case(file: Option<&Path>) -> ExitCode {
    window_case(file, |options| {
        options.latency_probe = true;
        // Ambient motion off: between clicks the loop rests and its wakes leave the picture
        // as it is (`base::still`), the case where a click must bring the cameras back.
        options.config.pace.ambient = false;
    })
}

/// Runs the window on a snapshot and prints the frame-rate probe's line.
pub(super) fn fps_case(file: Option<&Path>, drill: bool, all_buildings: bool) -> ExitCode {
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
        // `CITYGRID_BENCH_CASES=0`: the cases layer off, to weigh what the clusters cost
        // on the same snapshot (the same ring, the same labels otherwise).
        options.cases_shown = std::env::var("CITYGRID_BENCH_CASES").map_or(true, |v| v != "0");
        // `CITYGRID_BENCH_3D=1`: the map in 3D (every building standing, issue 17).
        options.map_3d = std::env::var("CITYGRID_BENCH_3D").is_ok_and(|v| v == "1");
        options.fps_probe = Some((6.0, drill));
    })
}

/// Runs the exhibit's window on a snapshot (the demo without one), set up by `probe`;
/// `CITYGRID_BENCH_MSAA=1` turns MSAA on (`fxaa`: FXAA), `CITYGRID_BENCH_SIZE=WxH` sets the size.
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
    // `CITYGRID_BENCH_CACHE=DIR`: start through the start cache in DIR, as the exhibit does.
    let loaded = match std::env::var_os("CITYGRID_BENCH_CACHE") {
        Some(dir) => crate::demo::load_snapshot_cached(file, &crate::snapshot::Cache::new(dir))
            .map(|(l, _)| l),
        None => crate::demo::load_snapshot(file),
    };
    let loaded = match loaded {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            return Err(ExitCode::from(1));
        }
    };
    let city = std::sync::Arc::new(CityData::new(loaded.snapshot));
    let mut options = crate::app::AppOptions::new(city, loaded.origin);
    // `CITYGRID_BENCH_MSAA=1`: 4× MSAA; `fxaa`: FXAA; else none.
    options.antialias = match std::env::var("CITYGRID_BENCH_MSAA").as_deref() {
        Ok("1") => crate::app::base::map_view::Antialias::Msaa4,
        Ok("fxaa") => crate::app::base::map_view::Antialias::Fxaa,
        _ => crate::app::base::map_view::Antialias::Off,
    };
    options.size = bench_size();
    Ok(options)
}

/// The window size: `CITYGRID_BENCH_SIZE=WxH`, else 1920 × 1080.
pub(super) fn bench_size() -> (u32, u32) {
    std::env::var("CITYGRID_BENCH_SIZE")
        .ok()
        .and_then(|size| {
            let (w, h) = size.split_once('x')?;
            Some((w.parse().ok()?, h.parse().ok()?))
        })
        .unwrap_or((1920, 1080))
}

/// The process's exit code for the way the window's app ended.
fn exit_code(exit: bevy::app::AppExit) -> ExitCode {
    match exit {
        bevy::app::AppExit::Success => ExitCode::SUCCESS,
        bevy::app::AppExit::Error(c) => ExitCode::from(c.get()),
    }
}

/// Bevy's window and renderer with nothing to draw: the floor under the exhibit's figures.
pub(super) fn floor_case() -> ExitCode {
    exit_code(crate::app::fps::floor_app(bench_size()).run())
}

/// The number after `key=` on a case's figure line (NaN when missing).
pub(super) fn field(line: &str, key: &str) -> f64 {
    line.split_whitespace()
        .find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN)
}

/// How long one case's process may run before it is stopped and its row left out. The
/// longest case (1,000 drills of the 30,000-building district, debug build, lavapipe) takes
/// a few minutes; a case that hangs — waiting for a frame that never comes — would
/// otherwise hold the whole bench forever.
const CASE_LIMIT: Duration = Duration::from_secs(600);

/// Runs `command` with its output captured, like [`Command::output`], but stops it after
/// [`CASE_LIMIT`]. Errors: it could not start, or it ran out of time (say which case).
fn output_within(mut command: Command, args: &[&str]) -> Result<Output, String> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("bench case {args:?} could not start: {e}"))?;
    // Each pipe is read on a thread of its own, so a case that prints a lot never blocks;
    // what it read is waited for a few seconds at most (a grandchild the case started may
    // still hold the pipe open after the case was stopped).
    fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> std::sync::mpsc::Receiver<Vec<u8>> {
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            let _ = send.send(bytes);
        });
        receive
    }
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let deadline = Instant::now() + CASE_LIMIT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Ok(None) | Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let read = |pipe: std::sync::mpsc::Receiver<Vec<u8>>| {
        pipe.recv_timeout(Duration::from_secs(5))
            .unwrap_or_default()
    };
    let (stdout, stderr) = (read(stdout), read(stderr));
    match status {
        Some(status) => Ok(Output {
            status,
            stdout,
            stderr,
        }),
        None => Err(format!(
            "bench case {args:?} gave no figure within {} s and was stopped; its last \
             message: {}",
            CASE_LIMIT.as_secs(),
            String::from_utf8_lossy(&stderr)
                .lines()
                .last()
                .unwrap_or("(none)")
        )),
    }
}

/// Runs one case in a fresh process and returns the last line it printed.
pub(super) fn run_case(args: &[&str]) -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let mut command = Command::new(exe);
    command.args(args);
    let out = output_within(command, args)
        .map_err(|e| eprintln!("{e}"))
        .ok()?;
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

/// Runs one case in a fresh process and returns its figure line (the last line starting
/// with `prefix`).
pub(super) fn window_line(args: &[&str], env: &[(&str, &str)], prefix: &str) -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let mut command = Command::new(exe);
    command.args(args).envs(env.iter().copied());
    let out = output_within(command, args)
        .map_err(|e| eprintln!("{e}"))
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

/// The renderer named on a probe's line (`renderer=…`, underscores as spaces).
pub(super) fn renderer_of(line: &str) -> String {
    line.split_whitespace()
        .find_map(|kv| kv.strip_prefix("renderer="))
        .unwrap_or("?")
        .replace('_', " ")
}
