//! The snapshot store under a power cut: `citygrid accept` is killed at many moments while it
//! validates and writes a large snapshot; every time, the exhibit still starts from a whole,
//! valid accepted snapshot — the old one or the new one — and a readable history whose every
//! entry has its file; `citygrid history` and `citygrid rollback` work on what is left.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use citygrid::store::{Startup, Store};

fn citygrid() -> Command {
    Command::new(env!("CARGO_BIN_EXE_citygrid"))
}

#[test]
fn an_accept_killed_midway_leaves_a_loadable_snapshot() {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("citygrid-store-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let data = dir.join("data");
    let big = dir.join("big.ron");
    let ok = citygrid()
        .args(["accept", "data/shibei-demo.ron", "--data-dir"])
        .arg(&data)
        .status()
        .expect("runs");
    assert!(ok.success());
    let ok = citygrid()
        .args(["generate", "--buildings", "30000", "--seed", "4", "-o"])
        .arg(&big)
        .status()
        .expect("runs");
    assert!(ok.success());

    let store = Store::new(&data);
    let mut outcomes = (0, 0);
    for k in 0..12u64 {
        let mut child = citygrid()
            .args(["accept"])
            .arg(&big)
            .arg("--data-dir")
            .arg(&data)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("spawns");
        std::thread::sleep(Duration::from_millis(25 + 130 * k));
        let _ = child.kill();
        let _ = child.wait();
        match store.startup() {
            Ok(Startup::Accepted(l)) => {
                if l.snapshot.buildings.len() == 30_000 {
                    outcomes.1 += 1;
                } else {
                    outcomes.0 += 1;
                }
            }
            Ok(Startup::Demo(_, reason)) => panic!("the accepted snapshot was lost: {reason:?}"),
            Err(e) => panic!("{e}"),
        }
        // The history stays readable, and every entry it lists has its snapshot.
        let history = store.history().expect("the history index is readable");
        assert!(!history.is_empty());
        for e in &history {
            assert!(
                data.join("history").join(e.file_name()).exists(),
                "entry {} lost its file",
                e.id
            );
        }
    }
    eprintln!("after kills: {} old, {} new", outcomes.0, outcomes.1);
    // Left alone, the accept completes.
    let ok = citygrid()
        .args(["accept"])
        .arg(&big)
        .arg("--data-dir")
        .arg(&data)
        .status()
        .expect("runs");
    assert!(ok.success());
    match store.startup() {
        Ok(Startup::Accepted(l)) => assert_eq!(l.snapshot.buildings.len(), 30_000),
        other => panic!("{other:?}"),
    }

    // An invalid file is refused and the accepted one stays.
    let bad = dir.join("bad.ron");
    std::fs::write(&bad, "(schema: 1)").expect("write");
    let before = std::fs::read(store.accepted_path()).expect("accepted exists");
    let out = citygrid()
        .args(["accept"])
        .arg(&bad)
        .arg("--data-dir")
        .arg(&data)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refused, the current snapshot is kept"));
    assert_eq!(
        std::fs::read(store.accepted_path()).expect("still there"),
        before
    );

    // The history lists both snapshots, the big one on show; a rollback by the command
    // line brings the demo back and is itself listed.
    let out = citygrid()
        .args(["history", "--data-dir"])
        .arg(&data)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(0), "{text}");
    let demo_line = text
        .lines()
        .find(|l| l.contains("shibei-demo.ron"))
        .unwrap_or_else(|| panic!("the demo is listed: {text}"));
    assert!(
        text.lines()
            .any(|l| l.starts_with('*') && l.contains("big.ron") && l.contains("30000 buildings")),
        "{text}"
    );
    let demo_id = demo_line
        .trim_start_matches(['*', ' '])
        .split_whitespace()
        .next()
        .expect("an id");
    let out = citygrid()
        .args(["rollback", demo_id, "--data-dir"])
        .arg(&data)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    match store.startup() {
        Ok(Startup::Accepted(l)) => assert_ne!(l.snapshot.buildings.len(), 30_000),
        other => panic!("{other:?}"),
    }
    let history = store.history().expect("readable");
    assert_eq!(history[0].rollback_of.as_deref(), Some(demo_id));
    let out = citygrid()
        .args(["rollback", "19990101", "--data-dir"])
        .arg(&data)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no snapshot"));
    let _ = std::fs::remove_dir_all(&dir);
}
