//! `citygrid import`: neighbours that do not quite meet — a community digitised 0.3 m off
//! its neighbours is reported with the slivers' and gaps' area and place, and `--snap`
//! closes them; children that leave their parent uncovered are warned about.

use std::path::{Path, PathBuf};
use std::process::Command;

use citygrid::import::{ImportOptions, Imported, import_dir};
use serde_json::Value;

const EXAMPLE: &str = "data/example-import";

/// The example export with community 370203005010 moved `east_m` metres east (its
/// neighbours left where they are).
fn export(name: &str, east_m: f64) -> PathBuf {
    let d = std::env::temp_dir().join(format!("citygrid-coverage-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    for e in std::fs::read_dir(EXAMPLE).expect("example") {
        let p = e.expect("entry").path();
        std::fs::copy(&p, d.join(p.file_name().expect("name"))).expect("copy");
    }
    let path = d.join("communities.geojson");
    let mut v: Value = serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
    let degrees = east_m / (111_320.0 * 36.06_f64.to_radians().cos());
    for f in v["features"].as_array_mut().expect("features") {
        if f["properties"]["id"] != "370203005010" {
            continue;
        }
        for ring in f["geometry"]["coordinates"].as_array_mut().expect("rings") {
            for p in ring.as_array_mut().expect("ring") {
                let x = p[0].as_f64().expect("x");
                p[0] = (x + degrees).into();
            }
        }
    }
    std::fs::write(&path, serde_json::to_string(&v).expect("encode")).expect("write");
    d
}

fn import(dir: &Path, snap: Option<f64>) -> Imported {
    let options = ImportOptions {
        snap,
        ..ImportOptions::default()
    };
    import_dir(dir, options).unwrap_or_else(|e| panic!("{e}"))
}

fn community_notes(notes: &[String]) -> Vec<&String> {
    notes
        .iter()
        .filter(|n| n.contains("communities:"))
        .collect()
}

#[test]
fn a_community_a_little_off_its_neighbours_is_reported_then_snapped() {
    let exact = import(&export("exact", 0.0), None);
    let off = import(&export("off", 0.3), None);
    let before = community_notes(&exact.notes);
    let after = community_notes(&off.notes);
    assert_eq!(after.len(), 1, "{after:?}");
    let count = |line: &str| -> usize {
        line.split_whitespace()
            .nth(1)
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    assert!(
        after[0].contains("slivers and gaps between neighbours, of mean width below 0.5 m")
            && after[0].contains("`--snap` closes them")
            && count(after[0]) > before.first().map_or(0, |l| count(l)),
        "the shift adds slivers along the moved community's borders: {after:?} vs {before:?}"
    );

    let snapped = import(&export("snapped", 0.3), Some(0.5));
    assert!(
        community_notes(&snapped.notes).is_empty(),
        "snapping closes every sliver and gap: {:?}",
        snapped.notes
    );
    assert!(
        snapped
            .notes
            .iter()
            .any(|n| n.starts_with("--snap 0.5 m: ") && n.contains("vertices moved")),
        "{:?}",
        snapped.notes
    );
    let moved = snapped
        .snapshot
        .regions
        .iter()
        .find(|r| r.id == "370203005010")
        .expect("community");
    let original = off
        .snapshot
        .regions
        .iter()
        .find(|r| r.id == "370203005010")
        .expect("community");
    assert_ne!(moved.outline, original.outline, "its outline was snapped");
}

#[test]
fn a_wide_gap_is_a_warning_and_snap_leaves_it() {
    // Moved 0.8 m: wider than the tolerance, so a warning, and --snap 0.5 does not hide it
    // (its grids, left where they were, still tile it within their own tolerance).
    let dir = export("wide", 0.8);
    for snap in [None, Some(0.5)] {
        let Imported { notes, .. } = import(&dir, snap);
        assert!(
            notes.iter().any(|n| n.starts_with("warning: communities: ")
                && (n.contains("overlap by") || n.contains("leave a gap of"))
                && n.contains("around 120.")),
            "{snap:?}: {notes:?}"
        );
    }
}

#[test]
fn the_command_line_takes_snap_with_or_without_a_tolerance() {
    let dir = export("cli", 0.3);
    let bin = env!("CARGO_BIN_EXE_citygrid");
    let run = |args: &[&str]| Command::new(bin).args(args).output().expect("run");
    let d = dir.to_str().expect("utf-8");
    let out = run(&["import", d, "--dry-run", "--snap"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("note: --snap 0.5 m: "), "{stdout}");
    let out = run(&["import", d, "--dry-run", "--snap", "0.2"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("--snap 0.2 m: "));
    let out = run(&["import", d, "--dry-run", "--snap", "20"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--snap 20 is not a tolerance"));
    let out = run(&["import", d, "--dry-run"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("  warning: streets: the children of 370203 leave a gap of"),
        "the example holds one subdistrict of the district: {stdout}"
    );
}
