//! Tests of the store: accepting, the history, rollback, damage.

use super::*;

fn temp_store(name: &str) -> Store {
    let dir = std::env::temp_dir().join(format!("citygrid-store-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    Store::new(dir)
}

#[test]
fn starts_from_the_demo_then_from_what_was_accepted() {
    let store = temp_store("accept");
    assert!(matches!(store.startup(), Ok(Startup::Demo(_, None))));
    let mut s = crate::demo::load_demo().expect("demo").snapshot;
    s.source = "accepted by a curator".into();
    let text = crate::snapshot::to_ron(&s).expect("encodes");
    store
        .accept(
            text.as_bytes(),
            "/media/usb/accepted.ron",
            Summary::default(),
        )
        .expect("accepted");
    match store.startup() {
        Ok(Startup::Accepted(l)) => assert_eq!(l.snapshot.source, "accepted by a curator"),
        other => panic!("expected the accepted snapshot, got {other:?}"),
    }
    let _ = std::fs::remove_dir_all(store.dir());
}

#[test]
fn a_broken_accepted_file_falls_back_to_the_demo_with_the_reason() {
    let store = temp_store("broken");
    std::fs::create_dir_all(store.dir()).expect("dir");
    std::fs::write(store.accepted_path(), "(schema: 1, exported_at: ").expect("write");
    match store.startup() {
        Ok(Startup::Demo(_, Some(e))) => {
            assert!(e.to_string().contains("snapshot.ron:1:"), "{e}")
        }
        other => panic!("expected the demo with a reason, got {other:?}"),
    }
    let _ = std::fs::remove_dir_all(store.dir());
}

/// The demo's snapshot with its `source` set to tell the versions apart.
fn version(k: usize) -> (Vec<u8>, Summary) {
    let mut s = crate::demo::load_demo().expect("demo").snapshot;
    s.source = format!("version {k}");
    let summary = Summary {
        regions: s.regions.len(),
        buildings: s.buildings.len(),
        ..Summary::default()
    };
    (
        crate::snapshot::to_ron(&s).expect("encodes").into_bytes(),
        summary,
    )
}

#[test]
fn the_history_keeps_the_last_n_and_rolls_back_to_any() {
    let store = temp_store("history").with_keep(3);
    let mut ids = Vec::new();
    for k in 0..5 {
        let (bytes, summary) = version(k);
        let e = store
            .accept(&bytes, &format!("/media/usb/v{k}.ron"), summary)
            .expect("accepted");
        assert_eq!(e.source, format!("v{k}.ron"));
        ids.push(e.id);
    }
    let h = store.history().expect("reads");
    assert_eq!(
        h.iter().map(|e| e.source.as_str()).collect::<Vec<_>>(),
        ["v4.ron", "v3.ron", "v2.ron"],
        "newest first, the last 3"
    );
    assert_eq!(store.current_id().as_deref(), Some(ids[4].as_str()));
    // Only the kept ones' files remain.
    let files = std::fs::read_dir(store.dir().join(history::HISTORY_DIR))
        .expect("dir")
        .count();
    assert_eq!(files, 3 + 1, "three snapshots and the index");

    // Back to v2: current again, and recorded as a change of its own.
    let (entry, loaded) = store.rollback(&ids[2]).expect("rolls back");
    assert_eq!(loaded.snapshot.source, "version 2");
    assert_eq!(entry.rollback_of.as_deref(), Some(ids[2].as_str()));
    assert_eq!(entry.source, "v2.ron (rollback)");
    match store.startup() {
        Ok(Startup::Accepted(l)) => assert_eq!(l.snapshot.source, "version 2"),
        other => panic!("{other:?}"),
    }
    let h = store.history().expect("reads");
    assert_eq!(h[0].id, entry.id);
    assert_eq!(store.current_id().as_deref(), Some(entry.id.as_str()));
    // Keeping 3, v2's own entry has now gone; its content stays, named by the rollback.
    assert_eq!(
        h.iter().map(|e| e.source.as_str()).collect::<Vec<_>>(),
        ["v2.ron (rollback)", "v4.ron", "v3.ron"]
    );
    assert!(
        store
            .dir()
            .join(history::HISTORY_DIR)
            .join(h[0].file_name())
            .exists()
    );

    // An id no longer kept, and an ambiguous prefix, are refused and change nothing.
    let e = store
        .rollback(&ids[0])
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("no snapshot"), "{e}");
    let _ = std::fs::remove_dir_all(store.dir());
}

#[test]
fn a_damaged_kept_snapshot_or_index_loses_nothing() {
    let store = temp_store("damaged");
    let (bytes, summary) = version(0);
    let first = store.accept(&bytes, "v0.ron", summary).expect("accepted");
    let (bytes, summary) = version(1);
    store.accept(&bytes, "v1.ron", summary).expect("accepted");
    // The kept file of v0 rots on disk: the rollback is refused, v1 stays on show.
    let kept = store
        .dir()
        .join(history::HISTORY_DIR)
        .join(first.file_name());
    std::fs::write(&kept, "(schema: 2, regions: [").expect("write");
    let e = store
        .rollback(&first.id)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("does not load, nothing was changed"), "{e}");
    match store.startup() {
        Ok(Startup::Accepted(l)) => assert_eq!(l.snapshot.source, "version 1"),
        other => panic!("{other:?}"),
    }
    // An unreadable index: listing says so; the next accept moves it aside and goes on.
    let index = store.dir().join(history::HISTORY_DIR).join(history::INDEX);
    std::fs::write(&index, "garbage").expect("write");
    let e = store
        .history()
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.contains("index.ron: the history index is unreadable"),
        "{e}"
    );
    let (bytes, summary) = version(2);
    store
        .accept(&bytes, "v2.ron", summary)
        .expect("accepted anyway");
    // A new index with the snapshot on show before and the new one; nothing the old
    // index named was removed.
    let h = store.history().expect("a new index");
    assert_eq!(
        h.iter().map(|e| e.source.as_str()).collect::<Vec<_>>(),
        ["v2.ron", "snapshot.ron (on show before)"]
    );
    assert!(index.with_file_name("index.ron.unreadable").exists());
    assert!(kept.exists(), "v0's (rotted) file is left alone");
    let files = std::fs::read_dir(store.dir().join(history::HISTORY_DIR))
        .expect("dir")
        .count();
    assert_eq!(files, 3 + 2, "v0, v1, v2, the index and the one set aside");
    let _ = std::fs::remove_dir_all(store.dir());
}
