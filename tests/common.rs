//! Shared helpers for the integration tests.
#![allow(dead_code)]

use std::sync::Arc;

use bevy::input::InputPlugin;
use bevy::input::touch::{TouchInput, TouchPhase};
use bevy::prelude::*;
use citygrid::app::{AppOptions, add_exhibit};
use citygrid::generate::{Options, generate};
use citygrid::snapshot::index::CityData;
use citygrid::snapshot::{Level, Snapshot};

/// A small valid snapshot: the district, its first subdistrict and that one's communities,
/// their buildings, grids, cases, places and participation, and three metrics.
pub fn tiny() -> Snapshot {
    let mut s = generate(&Options {
        seed: 5,
        buildings: 400,
        owners_per_household: 0.05,
        command_center: None,
    });
    let street = s
        .regions
        .iter()
        .find(|r| r.level == Level::Street)
        .map(|r| r.id.clone())
        .unwrap_or_default();
    s.regions.retain(|r| {
        r.level == Level::District || r.id == street || r.parent.as_deref() == Some(street.as_str())
    });
    let keep: Vec<String> = s.regions.iter().map(|r| r.id.clone()).collect();
    s.buildings.retain(|b| keep.contains(&b.community));
    s.grids.retain(|g| keep.contains(&g.community));
    let grids: Vec<String> = s.grids.iter().map(|g| g.id.clone()).collect();
    s.cases
        .retain(|c| grids.contains(&c.region) || keep.contains(&c.region));
    s.places
        .retain(|p| grids.contains(&p.region) || keep.contains(&p.region));
    s.participation.retain(|p| keep.contains(&p.community));
    s.stories.clear();
    s.metrics.truncate(3);
    for m in &mut s.metrics {
        m.by_region.retain(|k, _| keep.contains(k));
        m.series_by_region.retain(|k, _| keep.contains(k));
    }
    s
}

/// The text of a snapshot.
pub fn ron(s: &Snapshot) -> String {
    citygrid::snapshot::to_ron(s).expect("snapshot encodes")
}

/// The exhibit's logic on the demo, headless (no window, no rendering), after one update.
pub fn headless_app() -> (App, Arc<CityData>) {
    let loaded = citygrid::demo::load_demo().expect("demo loads");
    let city = Arc::new(CityData::new(loaded.snapshot));
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, InputPlugin));
    add_exhibit(&mut app, &AppOptions::new(city.clone(), "test".into()));
    app.update();
    (app, city)
}

/// Writes one touch message, as the window would.
pub fn touch(app: &mut App, id: u64, phase: TouchPhase, pos: Vec2) {
    app.world_mut().write_message(TouchInput {
        phase,
        position: pos,
        window: Entity::PLACEHOLDER,
        force: None,
        id,
    });
}

/// Whether a display is there for tests of the real window (`scripts/test.sh` provides
/// Xvfb); without one, `what` is skipped with a line saying so — unless
/// `CITYGRID_REQUIRE_DISPLAY=1`, which makes a missing display a failure.
pub fn display_available(what: &str) -> bool {
    if std::env::var_os("DISPLAY").is_some() {
        return true;
    }
    assert!(
        std::env::var("CITYGRID_REQUIRE_DISPLAY").as_deref() != Ok("1"),
        "CITYGRID_REQUIRE_DISPLAY is set but there is no DISPLAY"
    );
    eprintln!("no DISPLAY: {what} skipped (scripts/test.sh provides one)");
    false
}

/// A process killed when dropped (an exhibit, a browser).
pub struct Killed(pub std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The exhibit (640 × 360) with `config` as its configuration file (`NAME.ron`) and `args`
/// after it, its data and log (`NAME.log`) in `dir`.
pub fn spawn_exhibit(dir: &std::path::Path, name: &str, config: &str, args: &[&str]) -> Killed {
    let file = dir.join(format!("{name}.ron"));
    std::fs::write(&file, config).expect("config");
    Killed(
        std::process::Command::new(env!("CARGO_BIN_EXE_citygrid"))
            .args(["--size", "640x360", "--config"])
            .arg(&file)
            .args(args)
            .env("XDG_DATA_HOME", dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(dir.join(format!("{name}.log"))).expect("log"))
            .spawn()
            .expect("citygrid runs"),
    )
}

/// Runs frames until the map's camera has settled (at most ~1 s).
pub fn settle(app: &mut App) {
    for _ in 0..200 {
        app.update();
        if app.world().resource::<citygrid::app::MapView>().settled() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// A UDP port on the loopback address that is free now (an exhibit binds it a moment later).
pub fn free_udp_port() -> u16 {
    std::net::UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}
