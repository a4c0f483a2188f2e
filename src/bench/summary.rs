//! The bench's one table: each figure against its target, under the build and the machine.
#![allow(clippy::print_stdout)]

use super::{DRILLS, Summary};

/// The one table: each figure against its target.
pub(super) fn print_summary(s: &Summary, buildings: usize) {
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
            .zip(s.floor_rss)
            .map(|(r, f)| format!("{:.0} MiB (window alone {f:.0} MiB)", r - f)),
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
        s.transition_cpu
            .map(|c| format!("{:.1} / {:.1} ms", c.p50, c.p95)),
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
        s.fps_all
            .map(|r| format!("{:.1} fps ({:.0} ms)", r.fps, r.p50_ms)),
        "≥ 30 fps",
        s.fps_all.map(|r| r.fps >= 30.0),
    );
    let pct = |v: Option<f64>| v.map(|c| format!("{c:.1}% of a core"));
    row(
        &format!("CPU at rest over 10 s, {size}, ambient motion off"),
        pct(s.rest.ambient_off),
        "≤ 2%",
        s.rest.ambient_off.map(|c| c <= 2.0),
    );
    row(
        &format!("CPU at rest over 10 s, {size}, ambient motion on (default)"),
        pct(s.rest.ambient_on),
        "≤ 25%",
        s.rest.ambient_on.map(|c| c <= 25.0),
    );
    row(
        "CPU in the attract mode over 10 s",
        pct(s.rest.attract),
        "",
        None,
    );
    row(
        "a click at rest: its frame begins (worst) · is drawn (median / worst) · one frame",
        s.rest.latency.map(|l| {
            format!(
                "{:.0} ms · {:.0} / {:.0} ms · {:.0} ms",
                l.wake_max, l.drawn_p50, l.drawn_max, l.frame_p50
            )
        }),
        "begins within one frame time",
        s.rest.latency.map(|l| l.wake_max <= l.frame_p50),
    );
}

/// The machine's CPU count and model, for the table's heading.
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
