//! Records the build's version and git commit, shown on the curator screen and in benchmark
//! output, so a figure or a bug report can be traced to the code that made it; and the
//! embedded demo's hash, its key in the start cache.

use std::process::Command;

fn main() {
    let commit = Command::new("git")
        .args(["rev-parse", "--short=10", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=CITYGRID_COMMIT={commit}");
    // The embedded demo's start-cache key (src/snapshot/cache.rs), so that a start from the
    // cache never reads the 6.6 MB of text: FNV-1a, 64 bits, of the file.
    let demo = std::fs::read("data/shibei-demo.ron").unwrap_or_default();
    let hash = demo.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    println!(
        "cargo:rustc-env=CITYGRID_DEMO_HASH=demo{hash:016x}{:08x}",
        demo.len()
    );
    println!("cargo:rerun-if-changed=data/shibei-demo.ron");
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs/heads");
}
