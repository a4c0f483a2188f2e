//! The short soak: thousands of random touch sequences, language toggles, idle timeouts
//! and snapshot swaps (valid and broken) from a fixed seed; the state stays valid throughout.
//! `citygrid soak` runs the long one (100,000 sequences, memory growth checked).

mod common;

#[test]
fn random_touches_never_break_the_state() {
    let dir = std::env::temp_dir().join(format!("citygrid-soak-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let valid = dir.join("valid.ron");
    let broken = dir.join("broken.ron");
    std::fs::write(&valid, common::ron(&common::tiny())).expect("write");
    std::fs::write(&broken, "(schema: 1, regions: [").expect("write");
    let report = citygrid::soak::run(3_000, 2026, &[valid.as_path(), broken.as_path()])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.sequences, 3_000);
    assert!(report.swaps > 0, "swaps were exercised");
    let _ = std::fs::remove_dir_all(&dir);
}
