//! Curator mode, headless: the hidden corner press, the PIN gate, and a checked snapshot
//! applied live; a visitor tapping around never gets in.

mod common;

use std::time::{Duration, Instant};

use bevy::input::touch::TouchPhase;
use bevy::prelude::*;
use citygrid::app::base::swap::{LoadOutcome, Swapper};
use citygrid::app::base::{DataDir, HallConfig};
use citygrid::app::curator::{CuratorAction, CuratorActionMessage, HOLD_SECONDS, PinEntry};
use citygrid::app::{City, CuratorMode};
use citygrid::config::PinHash;

fn act(app: &mut App, a: CuratorAction) {
    app.world_mut().write_message(CuratorActionMessage(a));
    app.update();
    // A change of mode applies at the start of the next frame.
    app.update();
}

fn mode(app: &App) -> CuratorMode {
    *app.world().resource::<State<CuratorMode>>().get()
}

fn hold_corner(app: &mut App, id: u64, seconds: f64) {
    common::touch(app, id, TouchPhase::Started, Vec2::new(40.0, 40.0));
    let start = Instant::now();
    while start.elapsed().as_secs_f64() < seconds {
        app.update();
        std::thread::sleep(Duration::from_millis(20));
    }
    common::touch(app, id, TouchPhase::Ended, Vec2::new(40.0, 40.0));
    app.update();
}

#[test]
fn the_pin_gate_opens_curator_mode_and_a_file_is_applied() {
    let (mut app, city) = common::headless_app();
    app.world_mut().resource_mut::<HallConfig>().0.pin_hash =
        Some(PinHash::new("2468").expect("hashed").to_string());

    // Taps and short presses in the corner do nothing.
    hold_corner(&mut app, 1, 0.5);
    assert_eq!(mode(&app), CuratorMode::Closed);
    // A press held for three seconds asks for the PIN.
    hold_corner(&mut app, 2, HOLD_SECONDS + 0.3);
    assert_eq!(mode(&app), CuratorMode::Pin);

    // A wrong PIN is refused.
    for d in ['1', '1', '1', '1'] {
        act(&mut app, CuratorAction::Digit(d));
    }
    act(&mut app, CuratorAction::SubmitPin);
    assert_eq!(mode(&app), CuratorMode::Pin);
    let PinEntry { entered, message } = app.world().resource::<PinEntry>();
    assert!(entered.is_empty());
    assert!(message.as_deref().unwrap_or_default().contains("Wrong PIN"));
    // The right one opens it.
    for d in ['2', '4', '6', '8'] {
        act(&mut app, CuratorAction::Digit(d));
    }
    act(&mut app, CuratorAction::SubmitPin);
    assert_eq!(mode(&app), CuratorMode::Open);

    // Check a file: nothing changes until Apply.
    let dir = std::env::temp_dir().join(format!("citygrid-curator-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("new.ron");
    let mut tiny = common::tiny();
    tiny.source = "checked by a curator".into();
    std::fs::write(&file, common::ron(&tiny)).expect("write");
    act(&mut app, CuratorAction::Load(file));
    let start = Instant::now();
    while !matches!(
        app.world().resource::<Swapper>().last,
        Some(LoadOutcome::Ready { .. })
    ) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the check never finished"
        );
        app.update();
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(
        app.world().resource::<City>().0.snapshot.source,
        city.snapshot.source
    );
    act(&mut app, CuratorAction::Apply);
    app.update();
    assert_eq!(
        app.world().resource::<City>().0.snapshot.source,
        "checked by a curator"
    );
    act(&mut app, CuratorAction::Close);
    assert_eq!(mode(&app), CuratorMode::Closed);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_kiosk_without_a_pin_never_opens_curator_mode() {
    let (mut app, _city) = common::headless_app();
    {
        let mut config = app.world_mut().resource_mut::<HallConfig>();
        config.0.pin_hash = None;
        config.0.kiosk = true;
    }
    hold_corner(&mut app, 3, HOLD_SECONDS + 0.3);
    assert_eq!(mode(&app), CuratorMode::Closed);
}

/// Opens curator mode as hall staff do: PIN 2468 configured, the corner held, the PIN
/// entered (`touch` is the touch id of the hold).
fn open_curator_mode(app: &mut App, touch: u64) {
    app.world_mut().resource_mut::<HallConfig>().0.pin_hash =
        Some(PinHash::new("2468").expect("hashed").to_string());
    hold_corner(app, touch, HOLD_SECONDS + 0.3);
    for d in ['2', '4', '6', '8'] {
        act(app, CuratorAction::Digit(d));
    }
    act(app, CuratorAction::SubmitPin);
    assert_eq!(mode(app), CuratorMode::Open);
}

/// Waits until the swapper's last outcome matches (the check runs on its own thread).
fn wait_for(app: &mut App, what: &str, done: impl Fn(&Swapper) -> bool) {
    let start = Instant::now();
    while !done(app.world().resource::<Swapper>()) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{what} never finished"
        );
        app.update();
        std::thread::sleep(Duration::from_millis(10));
    }
    app.update();
}

#[test]
fn curator_mode_rolls_back_to_a_kept_snapshot_in_one_tap() {
    let (mut app, _city) = common::headless_app();
    let dir = std::env::temp_dir().join(format!("citygrid-curator-history-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let data = dir.join("data");
    app.insert_resource(DataDir(data.clone()));
    open_curator_mode(&mut app, 4);

    // Two snapshots applied one after the other: both kept.
    for name in ["first", "second"] {
        let file = dir.join(format!("{name}.ron"));
        let mut tiny = common::tiny();
        tiny.source = format!("the {name} snapshot");
        std::fs::write(&file, common::ron(&tiny)).expect("write");
        act(&mut app, CuratorAction::Load(file));
        wait_for(&mut app, "the check", |s| {
            matches!(s.last, Some(LoadOutcome::Ready { .. }))
        });
        act(&mut app, CuratorAction::Apply);
    }
    assert_eq!(
        app.world().resource::<City>().0.snapshot.source,
        "the second snapshot"
    );
    let store = citygrid::store::Store::new(&data);
    let history = store.history().expect("kept");
    assert_eq!(
        history
            .iter()
            .map(|e| e.source.as_str())
            .collect::<Vec<_>>(),
        ["second.ron", "first.ron"]
    );

    // One tap on the first: checked, applied, on show, and recorded as a rollback.
    act(
        &mut app,
        CuratorAction::Rollback(store.kept_path(&history[1])),
    );
    // The screen names what came back by its own file, marked as a rollback.
    wait_for(
        &mut app,
        "the rollback",
        |s| matches!(&s.last, Some(LoadOutcome::Applied { file, .. }) if file == "first.ron (rollback)"),
    );
    assert_eq!(
        app.world().resource::<City>().0.snapshot.source,
        "the first snapshot"
    );
    let after = store.history().expect("kept");
    assert_eq!(after.len(), 3);
    assert_eq!(
        after[0].rollback_of.as_deref(),
        Some(history[1].id.as_str())
    );
    assert_eq!(after[0].source, "first.ron (rollback)");
    assert_eq!(store.current_id().as_deref(), Some(after[0].id.as_str()));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn curator_mode_imports_an_export_folder_with_its_report() {
    let (mut app, _city) = common::headless_app();
    open_curator_mode(&mut app, 5);
    // The example export as it would sit on a USB stick: imported on the loading thread,
    // checked, waiting with its import notes.
    let export = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/example-import");
    act(&mut app, CuratorAction::Load(export));
    wait_for(&mut app, "the import", |s| {
        matches!(
            s.last,
            Some(LoadOutcome::Ready { .. }) | Some(LoadOutcome::Refused { .. })
        )
    });
    let swapper = app.world().resource::<Swapper>();
    assert!(
        matches!(swapper.last, Some(LoadOutcome::Ready { .. })),
        "{:?}",
        swapper.last
    );
    act(&mut app, CuratorAction::Apply);
    let city = &app.world().resource::<City>().0.snapshot;
    assert_eq!(
        city.buildings.len(),
        48,
        "the example's buildings are on show"
    );
}
