//! The command line: run the exhibit, validate and generate snapshots, take screenshots,
//! and print benchmarks. Output to the terminal lives here and in `bench` only.
#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};

use crate::app::{self, AppOptions};
use crate::config::{Config, PinHash};
use crate::scene::format::Lang;
use crate::snapshot::index::CityData;
use crate::snapshot::{DEFAULT_SIZE_LIMIT, LoadError, Loaded, load_file};
use crate::store::{Startup, Store};

#[derive(Parser, Debug)]
#[command(
    name = "citygrid",
    version,
    about = "Touchscreen exhibit for a city-governance hall: drill-down map and data ring over command-center snapshots"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the exhibit (the default).
    Run(RunArgs),
    /// Check snapshot files and print every problem with its place.
    /// Exit status: 0 valid, 1 invalid, 2 unreadable or usage error.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Write a generated snapshot: the Shibei demo, or a stress snapshot.
    Generate {
        /// The embedded demo (Shibei, 10,000 buildings, seven departments).
        #[arg(long, conflicts_with_all = ["buildings", "seed"])]
        demo: bool,
        /// Number of buildings of a stress snapshot (with 242 categories and 3,759 items).
        #[arg(long)]
        buildings: Option<usize>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Render the exhibit once it has settled, save a PNG, and exit.
    Shot {
        #[command(flatten)]
        run: RunArgs,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Turn a GIS export folder (district/streets/communities/buildings.geojson and
    /// metrics.json) into a snapshot. Nothing is written unless the import is valid.
    Import {
        dir: PathBuf,
        #[arg(long, value_parser = ["wgs84", "cgcs2000", "gcj02"], default_value = "wgs84")]
        crs: String,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Internal: write the example GIS export to a folder.
    #[command(hide = true)]
    ExampleExport { dir: PathBuf },
    /// Validate a snapshot and make it the one the exhibit starts with (atomically; the
    /// running snapshot is kept if this one is refused).
    Accept { file: PathBuf },
    /// Make the hash of a curator PIN for the configuration's `pin_hash` (reads the PIN
    /// from standard input).
    Pin,
    /// Drive the exhibit's logic with random touch sequences from a seed and check its
    /// state after each (no window). Exit 1 on a broken state or over 5% memory growth.
    Soak {
        #[arg(long, default_value_t = 100_000)]
        sequences: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Print one table of performance figures against their targets: start, memory, snapshot
    /// loading, hit tests, drills, ring and frame rates (the window rows need a display).
    Bench {
        /// Buildings in the stress snapshot.
        #[arg(long, default_value_t = 30_000)]
        buildings: usize,
        /// Leave out the window rows (start, drills, frame rates).
        #[arg(long)]
        no_render: bool,
        /// Kept for old scripts: the window rows are measured whenever there is a display.
        #[arg(long, hide = true)]
        render: bool,
        /// Also print the detailed tables the summary is made from.
        #[arg(long)]
        details: bool,
        /// Internal: measure one case in this process.
        #[arg(long, hide = true)]
        case: Option<String>,
        #[arg(long, hide = true)]
        file: Option<PathBuf>,
    },
}

#[derive(Args, Debug, Clone, Default)]
struct RunArgs {
    /// Snapshot file to show instead of the embedded demo.
    #[arg(long, global = true)]
    snapshot: Option<PathBuf>,
    /// Start language.
    #[arg(long, value_parser = ["zh", "en"], global = true)]
    lang: Option<String>,
    /// Window size in logical pixels, WIDTHxHEIGHT.
    #[arg(long, value_parser = parse_size, global = true)]
    size: Option<(u32, u32)>,
    /// Start focused on a region or building id.
    #[arg(long, global = true)]
    focus: Option<String>,
    /// Show every building on the district view.
    #[arg(long, global = true)]
    all_buildings: bool,
    /// Turn multisampling off (faster on software renderers).
    #[arg(long, global = true)]
    no_msaa: bool,
    /// What the window shows: the touchscreen map, the ring seen from the hall's centre,
    /// or the ring's canvas for the LED wall.
    #[arg(long, value_parser = ["map", "hall", "ring"], global = true)]
    view: Option<String>,
    /// Also open a window of this size (WIDTHxHEIGHT) for the LED ring, e.g. 7680x1080.
    #[arg(long, value_parser = parse_size, global = true)]
    ring_window: Option<(u32, u32)>,
    /// Angular span of the ring screen in degrees (default 301); a snapshot's own ring
    /// layout sets its own.
    #[arg(long, value_parser = parse_span, global = true)]
    ring_span: Option<f64>,
    /// Fullscreen kiosk: no cursor, no exit shortcuts, idle reset and attract mode.
    #[arg(long, global = true)]
    kiosk: bool,
    /// Configuration file (default: citygrid.ron in the data directory, if there).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Data directory: the accepted snapshot and the configuration
    /// (default: $XDG_DATA_HOME/citygrid or ~/.local/share/citygrid).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
}

fn parse_span(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number of degrees"))?;
    if v.is_finite() && v > 30.0 && v <= 360.0 {
        Ok(v)
    } else {
        Err(format!(
            "{s}: the span must be more than 30 and at most 360 degrees"
        ))
    }
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("{s:?} is not WIDTHxHEIGHT"))?;
    let w: u32 = w
        .trim()
        .parse()
        .map_err(|_| format!("bad width in {s:?}"))?;
    let h: u32 = h
        .trim()
        .parse()
        .map_err(|_| format!("bad height in {s:?}"))?;
    if !(320..=16_384).contains(&w) || !(240..=16_384).contains(&h) {
        return Err(format!("{s}: each side must be 320–16384 px (height 240+)"));
    }
    Ok((w, h))
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    crate::bench::mark_start();
    crate::app::memory::limit_arenas();
    let cli = Cli::parse();
    match cli.command {
        None => run(&cli.run, None),
        Some(Command::Run(args)) => run(&merge(&cli.run, &args), None),
        Some(Command::Shot { run: args, output }) => run(&merge(&cli.run, &args), Some(output)),
        Some(Command::Validate { files }) => validate(&files),
        Some(Command::Accept { file }) => accept(&cli.run, &file),
        Some(Command::Pin) => pin(),
        Some(Command::Soak { sequences, seed }) => soak(sequences, seed),
        Some(Command::Import { dir, crs, output }) => import(&dir, &crs, &output),
        Some(Command::ExampleExport { dir }) => match crate::import::example_snapshot() {
            Some(s) => match crate::import::export_dir(&s, &dir) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{}: {e}", dir.display());
                    ExitCode::from(2)
                }
            },
            None => ExitCode::from(2),
        },
        Some(Command::Generate {
            demo,
            buildings,
            seed,
            output,
        }) => generate(demo, buildings, seed, &output),
        Some(Command::Bench {
            buildings,
            no_render,
            render: _,
            details,
            case,
            file,
        }) => crate::bench::main(
            buildings,
            !no_render,
            details,
            case.as_deref(),
            file.as_deref(),
        ),
    }
}

fn merge(a: &RunArgs, b: &RunArgs) -> RunArgs {
    RunArgs {
        snapshot: b.snapshot.clone().or(a.snapshot.clone()),
        lang: b.lang.clone().or(a.lang.clone()),
        size: b.size.or(a.size),
        focus: b.focus.clone().or(a.focus.clone()),
        all_buildings: a.all_buildings || b.all_buildings,
        no_msaa: a.no_msaa || b.no_msaa,
        view: b.view.clone().or(a.view.clone()),
        ring_window: b.ring_window.or(a.ring_window),
        ring_span: b.ring_span.or(a.ring_span),
        kiosk: a.kiosk || b.kiosk,
        config: b.config.clone().or(a.config.clone()),
        data_dir: b.data_dir.clone().or(a.data_dir.clone()),
    }
}

/// Loads the snapshot to show: the given file, else the embedded demo.
pub fn load_snapshot(file: Option<&Path>) -> Result<Loaded, LoadError> {
    match file {
        Some(f) => load_file(f, DEFAULT_SIZE_LIMIT),
        None => crate::demo::load_demo(),
    }
}

/// The data directory in force.
fn data_dir(args: &RunArgs) -> PathBuf {
    args.data_dir
        .clone()
        .unwrap_or_else(crate::config::default_data_dir)
}

/// The configuration: the given file, else the data directory's, else the defaults.
fn load_config(args: &RunArgs) -> Result<Config, crate::config::ConfigError> {
    match &args.config {
        Some(path) => Config::load(path),
        None => {
            let path = data_dir(args).join("citygrid.ron");
            if path.exists() {
                Config::load(&path)
            } else {
                Ok(Config::default())
            }
        }
    }
}

fn run(args: &RunArgs, shot: Option<PathBuf>) -> ExitCode {
    let config = match load_config(args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("citygrid: {e}");
            return ExitCode::from(2);
        }
    };
    let loaded = match &args.snapshot {
        Some(_) => load_snapshot(args.snapshot.as_deref()),
        None => Store::new(data_dir(args)).startup().map(|s| match s {
            Startup::Accepted(l) => l,
            Startup::Demo(l, reason) => {
                if let Some(e) = reason {
                    eprintln!(
                        "citygrid: the accepted snapshot cannot be used, showing the demo: {e}"
                    );
                }
                l
            }
        }),
    };
    let loaded = match loaded {
        Ok(l) => l,
        Err(e) => {
            eprintln!("citygrid: {e}");
            if let LoadError::Invalid { report, .. } = &e {
                for issue in report.issues.iter().take(20) {
                    eprintln!("  {issue}");
                }
            }
            return ExitCode::from(2);
        }
    };
    let city = Arc::new(CityData::new(loaded.snapshot));
    let mut options = AppOptions::new(city.clone(), loaded.origin);
    options.lang = args
        .lang
        .as_deref()
        .or(Some(config.language.as_str()))
        .and_then(Lang::parse)
        .unwrap_or_default();
    options.full_owner_names = config.owner_names == crate::config::OwnerNames::Full;
    options.kiosk = args.kiosk || config.kiosk;
    options.ring_window = config.ring.window;
    options.ring_span_deg = config.ring.span_deg;
    if let Some(size) = args.size {
        options.size = size;
    }
    if let Some(id) = &args.focus {
        if app::Focus::from_id(&city, id).is_none() {
            eprintln!("citygrid: --focus {id}: no region or building has this id");
            return ExitCode::from(2);
        }
        options.focus = Some(id.clone());
    }
    options.show_all_buildings = args.all_buildings;
    options.msaa = !args.no_msaa;
    options.view = args
        .view
        .as_deref()
        .and_then(app::MainView::parse)
        .unwrap_or_default();
    if args.ring_window.is_some() {
        options.ring_window = args.ring_window;
    }
    options.config = config;
    if let Some(span) = args.ring_span {
        options.ring_span_deg = span;
    }
    // The hall's log goes to the data directory; screenshots leave no trace there.
    if shot.is_none() {
        options.data_dir = Some(data_dir(args));
    }
    options.shot = shot;
    match app::run(options) {
        bevy::app::AppExit::Success => ExitCode::SUCCESS,
        bevy::app::AppExit::Error(code) => ExitCode::from(code.get()),
    }
}

fn validate(files: &[PathBuf]) -> ExitCode {
    let mut worst = 0u8;
    for f in files {
        match load_file(f, DEFAULT_SIZE_LIMIT) {
            Ok(loaded) => {
                let s = &loaded.snapshot;
                let warnings = loaded.report.warnings().count();
                println!(
                    "{}: valid — schema {}, exported {}, {} regions, {} buildings, {} departments, {} metrics{}; {} warning(s)",
                    f.display(),
                    s.schema,
                    s.exported_at,
                    s.regions.len(),
                    s.buildings.len(),
                    s.departments.len(),
                    s.metrics.len(),
                    if s.demo { ", demo data" } else { "" },
                    warnings
                );
                for w in loaded.report.warnings() {
                    println!("  {w}");
                }
            }
            Err(LoadError::Invalid { file, report }) => {
                println!(
                    "{file}: invalid — {} error(s), {} warning(s)",
                    report.errors().count(),
                    report.warnings().count()
                );
                for issue in report.errors().chain(report.warnings()) {
                    println!("  {issue}");
                }
                worst = worst.max(1);
            }
            Err(e @ (LoadError::Io { .. } | LoadError::TooLarge { .. })) => {
                println!("{e}");
                worst = 2;
            }
            Err(e) => {
                println!("{}: invalid — {e}", f.display());
                worst = worst.max(1);
            }
        }
    }
    ExitCode::from(worst)
}

fn generate(demo: bool, buildings: Option<usize>, seed: u64, output: &Path) -> ExitCode {
    let options = match (demo, buildings) {
        (true, _) => crate::generate::Options::demo(),
        (false, Some(n)) => crate::generate::Options::stress(n, seed),
        (false, None) => {
            eprintln!("citygrid generate: give --demo or --buildings N");
            return ExitCode::from(2);
        }
    };
    let snapshot = crate::generate::generate(&options);
    match crate::snapshot::load::save_atomic(&snapshot, output) {
        Ok(()) => {
            println!(
                "{}: {} regions, {} buildings, {} owners, {} metrics",
                output.display(),
                snapshot.regions.len(),
                snapshot.buildings.len(),
                snapshot
                    .buildings
                    .iter()
                    .map(|b| b.owners.len())
                    .sum::<usize>(),
                snapshot.metrics.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("citygrid generate: {e}");
            ExitCode::from(2)
        }
    }
}

fn accept(args: &RunArgs, file: &Path) -> ExitCode {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("citygrid accept: {}: cannot read: {e}", file.display());
            return ExitCode::from(2);
        }
    };
    let name = file.display().to_string();
    match crate::snapshot::load_bytes(&name, &bytes, DEFAULT_SIZE_LIMIT) {
        Ok(loaded) => {
            let store = Store::new(data_dir(args));
            match store.accept(&bytes) {
                Ok(()) => {
                    println!(
                        "{name}: accepted into {} ({} regions, {} buildings, {} warning(s))",
                        store.accepted_path().display(),
                        loaded.snapshot.regions.len(),
                        loaded.snapshot.buildings.len(),
                        loaded.report.warnings().count()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("citygrid accept: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Err(e) => {
            eprintln!("citygrid accept: refused, the current snapshot is kept: {e}");
            if let LoadError::Invalid { report, .. } = &e {
                for issue in report.errors().take(20) {
                    eprintln!("  {issue}");
                }
            }
            ExitCode::from(1)
        }
    }
}

fn pin() -> ExitCode {
    let mut line = String::new();
    if std::io::stdin().read_line(&mut line).is_err() {
        eprintln!("citygrid pin: cannot read the PIN from standard input");
        return ExitCode::from(2);
    }
    let pin = line.trim();
    if pin.len() < 4 || !pin.chars().all(|c| c.is_ascii_digit()) {
        eprintln!("citygrid pin: a PIN is at least 4 digits");
        return ExitCode::from(2);
    }
    println!("pin_hash: Some(\"{}\"),", PinHash::new(pin));
    ExitCode::SUCCESS
}

fn import(dir: &Path, crs: &str, output: &Path) -> ExitCode {
    let Some(crs) = crate::import::ImportCrs::parse(crs) else {
        eprintln!("citygrid import: --crs {crs} is not wgs84, cgcs2000 or gcj02");
        return ExitCode::from(2);
    };
    match crate::import::import_dir(dir, crs) {
        Ok(snapshot) => match crate::snapshot::load::save_atomic(&snapshot, output) {
            Ok(()) => {
                let warnings = validate_snapshot_warnings(&snapshot);
                println!(
                    "{}: {} regions, {} buildings, {} departments, {} metrics; {warnings} warning(s)",
                    output.display(),
                    snapshot.regions.len(),
                    snapshot.buildings.len(),
                    snapshot.departments.len(),
                    snapshot.metrics.len()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("citygrid import: {e}");
                ExitCode::from(2)
            }
        },
        Err(e) => {
            eprintln!("citygrid import: {e}");
            if let crate::import::ImportError::Invalid(report) = &e {
                for issue in report.errors().take(20) {
                    eprintln!("  {issue}");
                }
            }
            ExitCode::from(1)
        }
    }
}

fn validate_snapshot_warnings(s: &crate::snapshot::Snapshot) -> usize {
    crate::snapshot::validate(s).warnings().count()
}

fn soak(sequences: usize, seed: u64) -> ExitCode {
    // Snapshots to swap in now and then: a valid one and a broken one.
    let dir = std::env::temp_dir().join(format!("citygrid-soak-{}", std::process::id()));
    let valid = dir.join("valid.ron");
    let broken = dir.join("broken.ron");
    let written = std::fs::create_dir_all(&dir)
        .and_then(|_| std::fs::write(&valid, crate::demo::DEMO_RON))
        .and_then(|_| std::fs::write(&broken, "(schema: 1, regions: ["));
    if let Err(e) = written {
        eprintln!("citygrid soak: {}: {e}", dir.display());
        return ExitCode::from(2);
    }
    let result = crate::soak::run(sequences, seed, &[valid.as_path(), broken.as_path()]);
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(r) => {
            let growth = r.growth_percent();
            println!(
                "soak: {} sequences, {} updates, {} swaps in {:.1} s; peak memory {:.1} MiB in the first half after warm-up, {:.1} MiB in the second ({})",
                r.sequences,
                r.updates,
                r.swaps,
                r.seconds,
                r.rss_warm_mib.unwrap_or(f64::NAN),
                r.rss_end_mib.unwrap_or(f64::NAN),
                growth.map_or("growth unknown".into(), |g| format!("{g:+.1}%")),
            );
            // Short runs end before memory reaches its plateau (a swap in flight holds two
            // snapshots); the rule applies from 20,000 sequences.
            if sequences >= 20_000 && growth.is_some_and(|g| g > 5.0) {
                eprintln!("citygrid soak: memory grew more than 5% after warm-up");
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("citygrid soak: {e}");
            ExitCode::from(1)
        }
    }
}
