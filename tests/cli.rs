//! The command line as a curator or an exporter meets it: validate's report and exit
//! status, generate's determinism, and clear refusals.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

fn citygrid(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_citygrid"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("citygrid-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn validate_accepts_the_demo() {
    let o = citygrid(&["validate", "data/shibei-demo.ron"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("valid — schema 2"), "{}", stdout(&o));
    assert!(stdout(&o).contains("160 regions, 10000 buildings"));
}

#[test]
fn validate_lists_every_error_with_its_place_and_exits_1() {
    let mut s = common::tiny();
    s.regions[1].parent = Some("999".into());
    s.buildings[0].floors = -2;
    s.departments[0].color = "blue".into();
    let path = temp("bad.ron");
    std::fs::write(&path, common::ron(&s)).expect("write");
    let o = citygrid(&["validate", path.to_str().unwrap_or_default()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("invalid — 3 error(s)"), "{out}");
    assert!(
        out.contains(&format!(
            "regions[{}]: parent 999 does not exist",
            s.regions[1].id
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "buildings[{}]: floors must be at least 1",
            s.buildings[0].id
        )),
        "{out}"
    );
    assert!(
        out.contains("color \"blue\" is not of the form #rrggbb"),
        "{out}"
    );
}

#[test]
fn validate_reports_syntax_with_line_and_column() {
    let path = temp("syntax.ron");
    std::fs::write(&path, "(\n  schema: 1,\n  exported_at: 2026,\n)").expect("write");
    let o = citygrid(&["validate", path.to_str().unwrap_or_default()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("syntax.ron:3:"), "{}", stdout(&o));
}

#[test]
fn validate_refuses_binary_and_missing_files() {
    let path = temp("binary.ron");
    std::fs::write(&path, [0x28u8, 0x0a, 0xc3, 0x28]).expect("write");
    let o = citygrid(&["validate", path.to_str().unwrap_or_default()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("binary.ron:2:1: not UTF-8"),
        "{}",
        stdout(&o)
    );

    let o = citygrid(&["validate", "/nonexistent/snapshot.ron"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("/nonexistent/snapshot.ron: cannot read"),
        "{}",
        stdout(&o)
    );

    let o = citygrid(&["validate"]);
    assert_eq!(o.status.code(), Some(2), "usage error");
}

#[test]
fn generate_is_deterministic() {
    let (a, b) = (temp("a.ron"), temp("b.ron"));
    for p in [&a, &b] {
        let o = citygrid(&[
            "generate",
            "--buildings",
            "800",
            "--seed",
            "3",
            "-o",
            p.to_str().unwrap_or_default(),
        ]);
        assert_eq!(o.status.code(), Some(0));
    }
    let (x, y) = (std::fs::read(&a).expect("a"), std::fs::read(&b).expect("b"));
    assert_eq!(x, y);
    let o = citygrid(&["validate", a.to_str().unwrap_or_default()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("800 buildings, 31 departments, 3759 metrics"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_bad_snapshot_stops_the_exhibit_with_a_message() {
    let path = temp("empty.ron");
    std::fs::write(&path, "").expect("write");
    let o = citygrid(&["--snapshot", path.to_str().unwrap_or_default()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("empty.ron:1:1"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_floor_out_of_range_is_refused_with_its_range() {
    // Negative, zero and too high alike (a negative one is the floor's value, not an option).
    for floor in ["-3", "0", "999"] {
        let o = citygrid(&["--focus", "3702030050010004", "--floor", floor]);
        assert_eq!(o.status.code(), Some(2), "--floor {floor}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("is not in 1..=200"), "--floor {floor}: {err}");
    }
}
