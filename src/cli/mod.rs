//! The command line: run the exhibit, validate and generate snapshots, take screenshots,
//! and print benchmarks. Output to the terminal lives here and in `bench` only.
//!
//! This file parses the arguments and hands each command over: `run` starts the exhibit,
//! `commands` holds the others (`bench` has its own module).

mod commands;
mod run;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use commands::{accept, generate, history, import, pin, rollback, soak, validate, write_mapping};
use run::{RunArgs, merge, run};

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
    /// Turn a GIS export folder, or a .zip of one (district/streets/communities/buildings
    /// as .geojson or .shp, and metrics.json), into a snapshot. Nothing is written unless
    /// the import is valid.
    Import {
        dir: PathBuf,
        /// The export's coordinate system, over what its files declare: wgs84, cgcs2000,
        /// gcj02, bd09, EPSG:3857, EPSG:4513–4554 (CGCS2000 3-degree Gauss–Krüger; Qingdao:
        /// 4528 with the zone prefix, 4549 without). Default: each file's `crs` member, else
        /// WGS 84.
        #[arg(long)]
        crs: Option<String>,
        /// The text encoding of the Shapefiles' attribute tables (.dbf), over their .cpg:
        /// utf-8, gbk, gb18030. Default: the .cpg, else UTF-8 where all text reads so, else
        /// GBK.
        #[arg(long)]
        encoding: Option<String>,
        /// The mapping file (RON) that says which columns of the export's CSV files and
        /// spreadsheets hold what; default: the export's own mapping.ron, if any.
        #[arg(long)]
        mapping: Option<PathBuf>,
        /// Snap neighbouring regions' outlines together where they miss each other by at
        /// most M metres (default 0.5): slivers and gaps that narrow close. Without it they
        /// are only reported.
        #[arg(long, value_name = "M", num_args = 0..=1, default_missing_value = "0.5")]
        snap: Option<f64>,
        #[arg(short, long, required_unless_present_any = ["dry_run", "write_mapping"])]
        output: Option<PathBuf>,
        /// Read and check everything, print the report, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Propose a mapping from the headers the export's tables have and write it to
        /// DIR/mapping.ron (or to --mapping FILE); an existing file is never overwritten.
        /// Nothing is imported.
        #[arg(long, conflicts_with_all = ["output", "dry_run"])]
        write_mapping: bool,
    },
    /// Internal: write the example GIS export to a folder.
    #[command(hide = true)]
    ExampleExport { dir: PathBuf },
    /// Validate a snapshot and make it the one the exhibit starts with (atomically; the
    /// running snapshot is kept if this one is refused).
    Accept { file: PathBuf },
    /// List the accepted snapshots the data directory keeps (the last 20, or the
    /// configuration's `history_keep`), newest first, the one on show marked.
    History,
    /// Make a kept snapshot current again (its id from `citygrid history`, or a prefix only
    /// it has); validated anew, recorded in the history. The exhibit shows it on its next
    /// start (curator mode rolls back live).
    Rollback { id: String },
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
        /// Measure the figures the web page's harness measures on this snapshot and print
        /// them as JSON (for scripts/bench-vs-web.sh).
        #[arg(long, value_name = "SNAPSHOT")]
        compare: Option<PathBuf>,
        /// Runs per figure for --compare (medians).
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    crate::process::mark_start();
    crate::process::limit_arenas();
    let cli = Cli::parse();
    match cli.command {
        None => run(&cli.run, None),
        Some(Command::Run(args)) => run(&merge(&cli.run, &args), None),
        Some(Command::Shot { run: args, output }) => run(&merge(&cli.run, &args), Some(output)),
        Some(Command::Validate { files }) => validate(&files),
        Some(Command::Accept { file }) => accept(&cli.run, &file),
        Some(Command::History) => history(&cli.run),
        Some(Command::Rollback { id }) => rollback(&cli.run, &id),
        Some(Command::Pin) => pin(),
        Some(Command::Soak { sequences, seed }) => soak(sequences, seed),
        Some(Command::Import {
            dir,
            crs,
            encoding,
            mapping,
            output,
            dry_run,
            write_mapping: true,
            snap,
        }) => {
            let _ = (crs, encoding, output, dry_run, snap);
            write_mapping(&dir, mapping.as_deref())
        }
        Some(Command::Import {
            dir,
            crs,
            encoding,
            mapping,
            output,
            dry_run,
            write_mapping: false,
            snap,
        }) => import(
            &dir,
            crs.as_deref(),
            encoding.as_deref(),
            (mapping, snap),
            output.as_deref().filter(|_| !dry_run),
        ),
        Some(Command::ExampleExport { dir })
            if std::fs::read_dir(&dir).is_ok_and(|mut d| d.next().is_some()) =>
        {
            eprintln!(
                "{}: exists and is not empty; nothing written (give a new folder)",
                dir.display()
            );
            ExitCode::from(2)
        }
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
            compare,
            runs,
        }) => match compare {
            Some(snapshot) => crate::bench::main(
                buildings,
                true,
                false,
                Some("compare"),
                Some(&snapshot),
                runs,
            ),
            None => crate::bench::main(
                buildings,
                !no_render,
                details,
                case.as_deref(),
                file.as_deref(),
                runs,
            ),
        },
    }
}
