//! The exhibit as a tree of Bevy plugins. Plugins stay thin: they turn scene data into
//! entities and input into state changes; the logic lives in `scene` and `snapshot`.
//!
//! [`base`] holds what features share (sets, state, modes, the UI kit) and imports no
//! feature. Each feature module imports the base and the data core, never another feature:
//! where one must tell another something it writes a Message, changes a State or a shared
//! resource of the base (checked by `tests/architecture.rs`). This file is the root that
//! puts them together.
//!
//! Features, each a logic plugin (runs headless in tests) and, where it draws, a render
//! plugin: [`map`], [`ring`], [`panels`], [`views`], [`kiosk`], [`stories`], [`curator`],
//! [`swap`], [`hall`] (show control over OSC).
//! Tools: [`automation`] (`citygrid shot`), [`fps`] and [`latency`] (the bench's probes),
//! [`memory`].

pub mod automation;
pub mod base;
pub mod curator;
pub mod fps;
pub mod hall;
pub mod kiosk;
pub mod latency;
pub mod map;
pub mod memory;
pub mod panels;
pub mod ring;
pub mod screens;
pub mod stories;
pub mod swap;
pub mod views;

use bevy::prelude::*;

pub use base::{
    AppOptions, City, CuratorMode, Focus, KioskMode, MainView, Map3d, MapFigure, MapRequest,
    MapView, SelectedCase, Settings, ShowAllBuildings,
};

/// Builds the full windowed exhibit.
pub fn build(options: AppOptions) -> App {
    let mut app = App::new();
    if let Some(dir) = &options.data_dir {
        app.insert_resource(base::logfile::LogDir(dir.clone()));
    }
    let title = format!("citygrid — {}", options.city.district().name);
    app.add_plugins(base::window::window_plugins(
        title,
        options.size,
        options.kiosk,
    ));
    app.add_systems(Startup, log_start);
    if options.kiosk {
        app.add_systems(Update, base::window::fill_monitor);
    }
    app.insert_resource(ClearColor(base::theme::color(crate::palette::BACKGROUND)))
        .insert_resource(options.antialias)
        .insert_resource(base::ring::RingWindow(options.ring_window))
        .insert_resource(base::ring::RingSlice(options.ring_slice))
        // Screenshots step a clock of their own; the hall's processes share the wall's.
        .insert_resource(base::ring::ShowClock {
            wall: options.shot.is_none(),
        });
    add_exhibit(&mut app, &options);
    app.add_plugins((
        (base::pace::window_plugin, base::still::plugin),
        base::theme::plugin,
        base::ui_shader::plugin,
        base::fill::plugin,
        base::widgets::plugin,
        map::render_plugin,
        ring::render_plugin,
        views::render_plugin,
        panels::plugin,
        kiosk::overlay_plugin,
        curator::overlay_plugin,
        base::probe::plugin,
        memory::plugin,
        hall::plugin,
        screens::render_plugin,
    ));
    if let Some(path) = &options.shot {
        app.add_plugins(automation::plugin(path.clone()));
    }
    if let Some((seconds, drill)) = options.fps_probe {
        app.add_plugins(fps::plugin(seconds, drill));
    }
    if let Some(count) = options.drills_probe {
        app.add_plugins(fps::drills_plugin(count));
    }
    if options.latency_probe {
        app.add_plugins(latency::plugin);
    }
    app
}

/// Records what is on show, for the hall's log.
fn log_start(city: Res<City>, settings: Res<Settings>) {
    let s = &city.0.snapshot;
    info!(
        "citygrid {} started: {} ({}, exported {}, {} regions, {} buildings, {} metrics{})",
        crate::build_id(),
        settings.origin,
        s.source,
        s.exported_at,
        s.regions.len(),
        s.buildings.len(),
        s.metrics.len(),
        if s.demo { ", demo data" } else { "" }
    );
}

/// Adds the exhibit's state and logic (no rendering): used by the window and by headless
/// tests alike.
pub fn add_exhibit(app: &mut App, options: &AppOptions) {
    base::sets::configure(app);
    base::state::insert(app, options);
    // Screenshots and the bench's probes count frames; the LED wall's window moves
    // smoothly: they draw every frame. Everything else draws on change.
    let continuous = options.shot.is_some()
        || options.fps_probe.is_some()
        || options.drills_probe.is_some()
        || options.ring_window.is_some();
    base::pace::insert(app, continuous);
    app.add_plugins((
        base::pace::plugin,
        map::logic_plugin,
        ring::logic_plugin,
        views::logic_plugin,
        kiosk::plugin,
        swap::plugin,
        curator::plugin,
    ));
    stories::plugin(app, options.story);
    // Screenshots and benches show the exhibit whatever the hour.
    screens::plugin(
        app,
        options.shot.is_none() && options.fps_probe.is_none() && options.drills_probe.is_none(),
    );
}

/// Runs the exhibit until the window closes.
pub fn run(options: AppOptions) -> AppExit {
    build(options).run()
}
