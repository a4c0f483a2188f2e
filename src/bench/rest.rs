//! CPU at rest: the exhibit started as a hall runs it (its own defaults, on the stress
//! snapshot), left alone, and measured from outside — the process's user and system time
//! over 10 s from Linux's `/proc/PID/stat`, all its threads (the renderer's included) —
//! with ambient motion off, with it on, and in the attract mode.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::Summary;
use super::cases::bench_size;
use super::cases::field;

/// The seconds measured.
const WINDOW_S: f64 = 10.0;
/// Clock ticks per second of `/proc/PID/stat`'s times (Linux's `USER_HZ`, 100 on every
/// architecture Linux runs the exhibit on).
const TICKS_PER_S: f64 = 100.0;

/// CPU at rest, % of one core, and how soon a click at rest is drawn.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct RestCpu {
    pub ambient_off: Option<f64>,
    pub ambient_on: Option<f64>,
    pub attract: Option<f64>,
    pub latency: Option<Latency>,
}

/// A click on the exhibit at rest to the frame that shows it, ms.
#[derive(Debug, Clone, Copy)]
pub(super) struct Latency {
    /// Click sent to the frame that reads it beginning (median, worst).
    pub wake_p50: f64,
    pub wake_max: f64,
    /// Click sent to that frame finished by the renderer (median, worst).
    pub drawn_p50: f64,
    pub drawn_max: f64,
    /// That frame's own time, begun to finished (median).
    pub frame_p50: f64,
}

/// User + system clock ticks the process has used so far (fields 14 and 15 of
/// `/proc/PID/stat`, counted after the command name's closing parenthesis).
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // After the name: state is field 3, utime field 14, stime field 15.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// Starts the exhibit on `snapshot` with the configuration `config`, waits `warm_s`, and
/// measures its CPU over [`WINDOW_S`]; % of one core.
pub(super) fn measure(
    dir: &Path,
    name: &str,
    snapshot: &str,
    config: &str,
    warm_s: f64,
) -> Option<f64> {
    let config_path = dir.join(format!("{name}.ron"));
    let data_dir = dir.join(format!("{name}-data"));
    std::fs::write(&config_path, config).ok()?;
    let (w, h) = bench_size();
    let exe = std::env::current_exe().ok()?;
    let mut child: Child = Command::new(exe)
        .args(["--snapshot", snapshot, "--size", &format!("{w}x{h}")])
        .arg("--config")
        .arg(&config_path)
        .arg("--data-dir")
        .arg(&data_dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    std::thread::sleep(Duration::from_secs_f64(warm_s));
    let before = cpu_ticks(child.id());
    std::thread::sleep(Duration::from_secs_f64(WINDOW_S));
    let after = cpu_ticks(child.id());
    let _ = child.kill();
    let _ = child.wait();
    let used = after?.checked_sub(before?)? as f64 / TICKS_PER_S;
    Some(100.0 * used / WINDOW_S)
}

/// Measures the three cases and writes their table.
pub(super) fn rest_table(stress: &str, dir: &Path, sum: &mut Summary, d: &mut String) {
    line!(
        d,
        "| at rest, stress snapshot, the exhibit's defaults (MSAA 4×) | CPU over {WINDOW_S:.0} s, % of one core |"
    );
    line!(d, "|---|---|");
    let cases = [
        (
            "ambient motion off, 8 s after start",
            "ambient-off",
            "(pace: (ambient: false))",
            8.0,
        ),
        (
            "ambient motion on (default), 8 s after start",
            "ambient-on",
            "()",
            8.0,
        ),
        (
            "attract mode (idle timeout 10 s), from 13 s after start",
            "attract",
            "(idle_timeout_s: 10)",
            13.0,
        ),
    ];
    for (label, name, config, warm) in cases {
        let cpu = measure(dir, name, stress, config, warm);
        match name {
            "ambient-off" => sum.rest.ambient_off = cpu,
            "ambient-on" => sum.rest.ambient_on = cpu,
            _ => sum.rest.attract = cpu,
        }
        match cpu {
            Some(c) => line!(d, "| {label} | {c:.1} |"),
            None => line!(d, "| {label} | failed |"),
        }
    }
    line!(d);
    let line = super::cases::window_line(
        &["bench", "--case", "latency", "--file", stress],
        &[],
        "latency",
    );
    sum.rest.latency = line.as_deref().map(|l| Latency {
        wake_p50: field(l, "wake_p50"),
        wake_max: field(l, "wake_max"),
        drawn_p50: field(l, "drawn_p50"),
        drawn_max: field(l, "drawn_max"),
        frame_p50: field(l, "frame_p50"),
    });
    line!(
        d,
        "| a click at rest (xdotool through Xvfb, 6 clicks 2 s apart, MSAA off, ambient motion off), ms | median | worst |"
    );
    line!(d, "|---|---|---|");
    match sum.rest.latency {
        Some(l) => {
            line!(
                d,
                "| click sent → the frame that reads it begins | {:.1} | {:.1} |",
                l.wake_p50,
                l.wake_max
            );
            line!(
                d,
                "| click sent → that frame drawn | {:.1} | {:.1} |",
                l.drawn_p50,
                l.drawn_max
            );
            line!(d, "| that frame's own time | {:.1} | |", l.frame_p50);
        }
        None => line!(d, "| failed (xdotool installed?) | | |"),
    }
}
