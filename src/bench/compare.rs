//! `citygrid bench --compare FILE`: the figures the web page's harness measures
//! (`../shared/peer/measure.mjs`), measured on our side for one snapshot — launch to fully
//! drawn, memory (PSS and RSS) after start and after 1,000 drills, frame rates while panning
//! and zooming the district (as the page's `__roam`), the same with every building shown,
//! CPU at rest, and the bare window's floor — printed as one JSON object on stdout for
//! `scripts/bench-vs-web.sh`, which puts it beside the page's figures.
//!
//! Every figure is the median over `runs` fresh processes (the floor and the rest figures:
//! one each); the window is 1920 × 1080 unless `CITYGRID_BENCH_SIZE` says otherwise, MSAA
//! off for the frame rates (as the bench's own rows), the exhibit's defaults at rest.

use std::path::Path;
use std::process::ExitCode;

use serde_json::{Value, json};

use super::cases::{field, renderer_of, window_line};

/// The median of the finite values; NaN when there are none.
fn median(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// JSON for a figure: `null` when it could not be measured.
fn num(x: f64) -> Value {
    if x.is_finite() {
        json!((x * 10.0).round() / 10.0)
    } else {
        Value::Null
    }
}

/// Runs the comparison on `file`, `runs` times each; prints the JSON object.
pub(super) fn compare(file: &Path, runs: usize) -> ExitCode {
    let runs = runs.max(1);
    let file_arg = file.display().to_string();
    let dir = std::env::temp_dir().join(format!("citygrid-compare-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("{}: {e}", dir.display());
        return ExitCode::from(2);
    }
    let cache = dir.join("cache");
    let cache_arg = cache.display().to_string();
    let mut renderer = String::new();
    let step = |what: &str| eprintln!("citygrid bench --compare: {what}…");

    // Start and memory: the first start writes the start cache, the others read it.
    step("start and 1,000 drills");
    let mut first = Vec::new();
    let (mut start, mut pss0, mut rss0, mut pss1, mut rss1) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for run in 0..=runs {
        let Some(l) = window_line(
            &["bench", "--case", "drills", "--file", &file_arg],
            &[("CITYGRID_BENCH_CACHE", &cache_arg)],
            "startup=",
        ) else {
            continue;
        };
        renderer = renderer_of(&l);
        if run == 0 {
            first.push(field(&l, "startup"));
            continue;
        }
        start.push(field(&l, "startup"));
        pss0.push(field(&l, "pss_start"));
        rss0.push(field(&l, "rss_start"));
        pss1.push(field(&l, "pss_after"));
        rss1.push(field(&l, "rss_after"));
    }
    step("frame rates while panning and zooming");
    let fps = |case: &str| -> (f64, f64) {
        let (mut f, mut p95) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            if let Some(l) = window_line(
                &["bench", "--case", case, "--file", &file_arg],
                &[("CITYGRID_BENCH_MSAA", "0"), ("CITYGRID_BENCH_VIEW", "map")],
                "fps=",
            ) {
                f.push(field(&l, "fps"));
                p95.push(field(&l, "p95"));
            }
        }
        (median(&f), median(&p95))
    };
    let district = fps("fps-district");
    let all = fps("fps-all");
    step("the bare window");
    let floor = window_line(&["bench", "--case", "floor"], &[], "floor_rss=");
    let floor_of = |k: &str| floor.as_deref().map_or(f64::NAN, |l| field(l, k));
    step("CPU at rest (10 s each)");
    let rest_off = super::rest::measure(
        &dir,
        "ambient-off",
        &file_arg,
        "(pace: (ambient: false))",
        8.0,
    );
    let rest_on = super::rest::measure(&dir, "ambient-on", &file_arg, "()", 8.0);
    let _ = std::fs::remove_dir_all(&dir);

    let (w, h) = super::cases::bench_size();
    let out = json!({
        "citygrid": format!("{} ({})", env!("CARGO_PKG_VERSION"), env!("CITYGRID_COMMIT")),
        "snapshot": file_arg,
        "size": format!("{w}x{h}"),
        "renderer": renderer,
        "runs": runs,
        "start_first_ms": num(median(&first)),
        "start_ms": num(median(&start)),
        "pss_start_mib": num(median(&pss0)),
        "rss_start_mib": num(median(&rss0)),
        "pss_drills_mib": num(median(&pss1)),
        "rss_drills_mib": num(median(&rss1)),
        "fps_district": num(district.0),
        "fps_district_p95_ms": num(district.1),
        "fps_all": num(all.0),
        "fps_all_p95_ms": num(all.1),
        "floor_pss_mib": num(floor_of("floor_pss")),
        "floor_rss_mib": num(floor_of("floor_rss")),
        "floor_frame_ms": num(floor_of("floor_p50")),
        "rest_cpu_ambient_off_pct": num(rest_off.unwrap_or(f64::NAN)),
        "rest_cpu_ambient_on_pct": num(rest_on.unwrap_or(f64::NAN)),
    });
    #[allow(clippy::print_stdout)]
    {
        println!("{out}");
    }
    ExitCode::SUCCESS
}
