//! This process: when it started and how much memory it holds (resident MiB, read from
//! Linux's `/proc/self/status`), for the bench and the soak; and glibc's allocator set to
//! one arena and asked to hand freed memory back (the crate's only `unsafe`, glibc only).
//! Plain Rust, no Bevy.

use std::sync::OnceLock;
use std::time::Instant;

/// The moment the process started, as recorded by [`mark_start`].
static PROCESS_START: OnceLock<Instant> = OnceLock::new();

/// Records the moment the process started (called first thing in `main`).
pub fn mark_start() {
    PROCESS_START.get_or_init(Instant::now);
}

/// When the process started (as recorded by [`mark_start`]; else now).
pub fn process_start() -> Instant {
    *PROCESS_START.get_or_init(Instant::now)
}

/// Peak resident memory of this process so far, in MiB (Linux `/proc`), if known.
pub fn peak_rss_mib() -> Option<f64> {
    proc_status_kib("VmHWM:").map(|k| k / 1024.0)
}

/// Current resident memory of this process, in MiB (Linux `/proc`), if known.
pub fn rss_mib() -> Option<f64> {
    proc_status_kib("VmRSS:").map(|k| k / 1024.0)
}

/// Proportional set size of this process in MiB (Linux `/proc/self/smaps_rollup`): its
/// resident memory with each page shared with other processes (libraries, the X server's
/// shared memory) counted as its share. The web page's harness reports the same figure.
pub fn pss_mib() -> Option<f64> {
    let rollup = std::fs::read_to_string("/proc/self/smaps_rollup").ok()?;
    let line = rollup.lines().find(|l| l.starts_with("Pss:"))?;
    line.split_whitespace()
        .nth(1)?
        .parse::<f64>()
        .ok()
        .map(|k| k / 1024.0)
}

/// The figure in KiB on the line of `/proc/self/status` that starts with `key` (Linux
/// only; `None` elsewhere or when the line is missing).
fn proc_status_kib(key: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// glibc arenas the exhibit allows: one, shared by all threads. Measured with the bench's
/// 1,000 drills of the 30,000-building snapshot (2 cores, lavapipe): resident memory during
/// the drills about 390 MiB with glibc's default, 357 with one arena, 362–374 with two; the
/// drill frames' CPU time (p50 8 ms, p95 18 ms) and the frame rate unchanged.
const ARENAS: i32 = 1;

/// Caps glibc's malloc arenas at [`ARENAS`]. Call first thing in `main`, before any thread.
/// An explicit `MALLOC_ARENA_MAX` in the environment is left to glibc.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn limit_arenas() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
        return;
    }
    // glibc's malloc.h: `#define M_ARENA_MAX -8`.
    const M_ARENA_MAX: std::ffi::c_int = -8;
    unsafe extern "C" {
        fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
    }
    // SAFETY: mallopt takes two integers and no pointers; it is called before the exhibit
    // starts any thread, and a refusal (return 0) only leaves glibc's default in place.
    unsafe {
        mallopt(M_ARENA_MAX, ARENAS);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn limit_arenas() {}

/// Hands the allocator's free memory back to the system now, on this thread (glibc's
/// `malloc_trim`; nothing elsewhere). The exhibit calls it from a thread of its own at
/// quiet moments; the bench calls it before measuring memory at rest.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn trim_free_memory() {
    // glibc's malloc.h: `int malloc_trim(size_t pad)`.
    unsafe extern "C" {
        fn malloc_trim(pad: usize) -> std::ffi::c_int;
    }
    // SAFETY: glibc's malloc_trim takes no pointers, locks each arena while it works and
    // may be called from any thread at any time.
    unsafe {
        malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn trim_free_memory() {}
