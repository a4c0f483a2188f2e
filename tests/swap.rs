//! Swapping snapshots live: a valid file takes over without a restart, an invalid one is
//! refused and the running snapshot stays, approval waits when asked, and the watch folder
//! picks up a file once it has stopped growing.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use bevy::prelude::*;
use citygrid::app::base::HallConfig;
use citygrid::app::base::swap::{LoadOutcome, LoadSnapshot, Swapper};
use citygrid::app::ring::RingState;
use citygrid::app::{City, Focus};

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("citygrid-swap-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("dir");
    d
}

fn wait_idle(app: &mut App, max: Duration) {
    let start = Instant::now();
    loop {
        app.update();
        if !app.world().resource::<Swapper>().busy()
            && app.world().resource::<Swapper>().last.is_some()
        {
            return;
        }
        assert!(start.elapsed() < max, "the load did not finish");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn valid_files_swap_in_and_invalid_ones_are_refused() {
    let dir = temp("direct");
    let good = dir.join("good.ron");
    let mut tiny = common::tiny();
    tiny.source = "swapped in".into();
    std::fs::write(&good, common::ron(&tiny)).expect("write");
    let bad = dir.join("bad.ron");
    std::fs::write(&bad, "(schema: 1, exported_at: \"2026-11-27\"").expect("write");

    let (mut app, city) = common::headless_app();
    let street = city.index.children[city.index.district][0];
    app.world_mut().insert_resource(Focus::Street(street));
    app.update();

    // Refused: the running snapshot stays, and the reason names the file.
    app.world_mut().write_message(LoadSnapshot {
        path: bad.clone(),
        apply: true,
    });
    wait_idle(&mut app, Duration::from_secs(20));
    match &app.world().resource::<Swapper>().last {
        Some(LoadOutcome::Refused { message, .. }) => {
            assert!(message.contains("bad.ron:"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        app.world().resource::<City>().0.snapshot.buildings.len(),
        city.snapshot.buildings.len()
    );
    assert_eq!(
        *app.world().resource::<Focus>(),
        Focus::Street(street),
        "nothing changed"
    );

    // Waiting for approval: loaded, not shown.
    app.world_mut().resource_mut::<Swapper>().last = None;
    app.world_mut().write_message(LoadSnapshot {
        path: good.clone(),
        apply: false,
    });
    wait_idle(&mut app, Duration::from_secs(20));
    assert!(matches!(
        app.world().resource::<Swapper>().last,
        Some(LoadOutcome::Ready { .. })
    ));
    assert!(app.world().resource::<Swapper>().pending.is_some());
    assert_eq!(
        app.world().resource::<City>().0.snapshot.source,
        city.snapshot.source
    );

    // Applied: on show at once, from the district view, the ring rebuilt for it.
    app.world_mut().resource_mut::<Swapper>().last = None;
    app.world_mut().write_message(LoadSnapshot {
        path: good,
        apply: true,
    });
    wait_idle(&mut app, Duration::from_secs(20));
    app.update();
    let now = app.world().resource::<City>().0.clone();
    assert_eq!(now.snapshot.source, "swapped in");
    assert_eq!(*app.world().resource::<Focus>(), Focus::District);
    let ring = app.world().resource::<RingState>();
    let fresh = citygrid::scene::ring::layout::layout(&now.snapshot, ring.layout.span_deg);
    assert_eq!(ring.layout, fresh);
    assert!(ring.layout.slots.len() >= now.snapshot.metrics.len());
    assert_eq!(ring.region, now.index.district);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_watch_folder_applies_a_finished_file() {
    let dir = temp("watch");
    let (mut app, _city) = common::headless_app();
    {
        let mut config = app.world_mut().resource_mut::<HallConfig>();
        config.0.watch_folder = Some(dir.clone());
        config.0.auto_apply = true;
    }
    let mut tiny = common::tiny();
    tiny.source = "from the watch folder".into();
    // Not a snapshot: ignored.
    std::fs::write(dir.join("notes.txt"), "hello").expect("write");
    std::fs::write(dir.join("incoming.ron"), common::ron(&tiny)).expect("write");
    let start = Instant::now();
    loop {
        app.update();
        if app.world().resource::<City>().0.snapshot.source == "from the watch folder" {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the watch folder never applied the file"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
