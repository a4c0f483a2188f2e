//! The commands besides running the exhibit: validate, generate, accept, pin, import and
//! soak. What they print on stdout is the CLI's output.
#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::config::PinHash;
use crate::snapshot::{DEFAULT_SIZE_LIMIT, LoadError, load_file};
use crate::store::{Store, Summary};

use super::run::{RunArgs, data_dir, history_keep};

pub(super) fn validate(files: &[PathBuf]) -> ExitCode {
    let mut worst = 0u8;
    for f in files {
        match load_file(f, DEFAULT_SIZE_LIMIT) {
            Ok(loaded) => {
                let s = &loaded.snapshot;
                let warnings = loaded.report.warnings().count();
                println!(
                    "{}: valid — schema {}, exported {}, {}{}; {} warning(s)",
                    f.display(),
                    s.schema,
                    s.exported_at,
                    s.table_counts(),
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

pub(super) fn generate(demo: bool, buildings: Option<usize>, seed: u64, output: &Path) -> ExitCode {
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

pub(super) fn accept(args: &RunArgs, file: &Path) -> ExitCode {
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
            let store = Store::new(data_dir(args)).with_keep(history_keep(args));
            match store.accept(&bytes, &name, Summary::of(&loaded)) {
                Ok(entry) => {
                    println!(
                        "{name}: accepted into {} as {} ({} regions, {} buildings, {} warning(s))",
                        store.accepted_path().display(),
                        entry.id,
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

/// `citygrid history`: the kept snapshots, newest first, the current one marked.
pub(super) fn history(args: &RunArgs) -> ExitCode {
    let store = Store::new(data_dir(args));
    match store.history() {
        Ok(entries) if entries.is_empty() => {
            println!(
                "{}: no snapshot accepted yet (the exhibit shows its demo)",
                store.dir().display()
            );
            ExitCode::SUCCESS
        }
        Ok(entries) => {
            let current = store.current_id();
            println!(
                "{} snapshot(s) kept in {}, newest first:",
                entries.len(),
                store
                    .dir()
                    .join(crate::store::history::HISTORY_DIR)
                    .display()
            );
            for e in &entries {
                let mark = if current.as_deref() == Some(e.id.as_str()) {
                    "*"
                } else {
                    " "
                };
                let s = e.summary;
                println!(
                    "{mark} {}  {}  {}  {} regions, {} buildings, {} grids, {} cases, {} warning(s){}",
                    e.id,
                    e.accepted_at,
                    e.source,
                    s.regions,
                    s.buildings,
                    s.grids,
                    s.cases,
                    s.warnings,
                    e.rollback_of
                        .as_ref()
                        .map(|id| format!("; rollback to {id}"))
                        .unwrap_or_default()
                );
            }
            println!("(* on show; `citygrid rollback ID` brings one back)");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("citygrid history: {e}");
            ExitCode::from(2)
        }
    }
}

/// `citygrid rollback ID`: makes a kept snapshot current again (validated anew).
pub(super) fn rollback(args: &RunArgs, id: &str) -> ExitCode {
    let store = Store::new(data_dir(args)).with_keep(history_keep(args));
    match store.rollback(id) {
        Ok((entry, loaded)) => {
            println!(
                "rolled back to {} ({}, {} regions, {} buildings); recorded as {}",
                entry.rollback_of.as_deref().unwrap_or(id),
                entry.source,
                loaded.snapshot.regions.len(),
                loaded.snapshot.buildings.len(),
                entry.id
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("citygrid rollback: {e}");
            ExitCode::from(1)
        }
    }
}

pub(super) fn pin() -> ExitCode {
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
    match PinHash::new(pin) {
        Ok(h) => {
            println!("pin_hash: Some(\"{h}\"),");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("citygrid pin: {e}");
            ExitCode::from(1)
        }
    }
}

/// `citygrid import DIR --write-mapping [--mapping FILE]`: proposes a mapping from the
/// export's tables and writes it to FILE (default `DIR/mapping.ron`), never over an
/// existing file; prints what it found.
pub(super) fn write_mapping(dir: &Path, to: Option<&Path>) -> ExitCode {
    let to = to.map_or_else(|| dir.join(crate::import::MAPPING_FILE), Path::to_path_buf);
    if to.exists() {
        eprintln!(
            "citygrid import: {} exists and is kept; give --mapping NEW_FILE to write the \
             proposal elsewhere",
            to.display()
        );
        return ExitCode::from(2);
    }
    match crate::import::propose_mapping(dir) {
        Ok((text, found)) => {
            let written = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&to)
                .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
            if let Err(e) = written {
                eprintln!("citygrid import: {}: cannot write: {e}", to.display());
                return ExitCode::from(2);
            }
            println!("{}: mapping proposed", to.display());
            for line in &found {
                println!("  found: {line}");
            }
            println!(
                "  check it and fill in what is marked TODO, then: citygrid import {} --dry-run",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("citygrid import: {e}");
            ExitCode::from(1)
        }
    }
}

/// `citygrid import DIR [--crs X] [--encoding E] [--mapping FILE] [--snap M] (-o FILE | --dry-run)`:
/// the report (counts, what was noticed and repaired) on standard output; `output` `None`
/// writes nothing.
pub(super) fn import(
    dir: &Path,
    crs: Option<&str>,
    encoding: Option<&str>,
    (mapping, snap): (Option<std::path::PathBuf>, Option<f64>),
    output: Option<&Path>,
) -> ExitCode {
    if let Some(m) = snap.filter(|m| !(m.is_finite() && (0.0..=10.0).contains(m))) {
        eprintln!("citygrid import: --snap {m} is not a tolerance of 0 to 10 metres");
        return ExitCode::from(2);
    }
    let crs = match crs.map(crate::import::ImportCrs::parse).transpose() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("citygrid import: --crs {e}");
            return ExitCode::from(2);
        }
    };
    let encoding = match encoding.map(crate::import::encoding_named).transpose() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("citygrid import: --encoding {e}");
            return ExitCode::from(2);
        }
    };
    let options = crate::import::ImportOptions {
        crs,
        encoding,
        mapping,
        snap,
    };
    let zipped = dir.is_file()
        && dir
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    let imported = if zipped {
        crate::import::import_zip(dir, options)
    } else {
        crate::import::import_dir(dir, options)
    };
    match imported {
        Ok(crate::import::Imported { snapshot, notes }) => {
            let report = crate::snapshot::validate(&snapshot);
            let mut notes = notes;
            // The snapshot's own warnings (figures that disagree with their buildings) in
            // the same report as the import's.
            let shown = 10;
            notes.extend(report.warnings().take(shown).map(|w| {
                let w = w.to_string();
                match w.starts_with("warning: ") {
                    true => w,
                    false => format!("warning: {w}"),
                }
            }));
            let more = report.warnings().count().saturating_sub(shown);
            if more > 0 {
                notes.push(format!(
                    "warning: …and {more} more (citygrid validate lists them all)"
                ));
            }
            let warnings = notes.iter().filter(|n| n.starts_with("warning: ")).count()
                - usize::from(more > 0)
                + more;
            let counts = format!(
                "{} regions, {} buildings, {} grids, {} cases, {} places, {} departments, {} metrics; {warnings} warning(s)",
                snapshot.regions.len(),
                snapshot.buildings.len(),
                snapshot.grids.len(),
                snapshot.cases.len(),
                snapshot.places.len(),
                snapshot.departments.len(),
                snapshot.metrics.len()
            );
            let Some(output) = output else {
                println!(
                    "{}: would import {counts} (dry run: nothing written)",
                    dir.display()
                );
                print_notes(&notes);
                return ExitCode::SUCCESS;
            };
            match crate::snapshot::load::save_atomic(&snapshot, output) {
                Ok(()) => {
                    println!("{}: {counts}", output.display());
                    print_notes(&notes);
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("citygrid import: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Err(crate::import::ImportError::Invalid(report)) => {
            eprintln!(
                "citygrid import: the imported snapshot is invalid: {} error(s):",
                report.errors().count()
            );
            for issue in report.errors().take(20) {
                eprintln!("  {issue}");
            }
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("citygrid import: {e}");
            ExitCode::from(1)
        }
    }
}

fn print_notes(notes: &[String]) {
    for n in notes {
        if n.starts_with("warning: ") {
            println!("  {n}");
        } else {
            println!("  note: {n}");
        }
    }
}

pub(super) fn soak(sequences: usize, seed: u64) -> ExitCode {
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
