//! The exhibit as a tree of Bevy plugins. Plugins stay thin: they turn scene data into
//! entities and input into state changes; the logic lives in `scene` and `snapshot`.

pub mod automation;
pub mod curator;
pub mod fps;
pub mod kiosk;
pub mod logfile;
pub mod map;
pub mod memory;
pub mod probe;
pub mod ring;
pub mod state;
pub mod swap;
pub mod theme;
pub mod ui;

use std::sync::Arc;

use bevy::prelude::*;
use bevy::window::{CursorOptions, MonitorSelection, PresentMode, WindowMode, WindowResolution};

use crate::scene::format::Lang;
use crate::snapshot::index::CityData;

pub use state::{City, Focus, MainView, MapFigure, Settings, ShowAllBuildings};

/// How the exhibit is started.
#[derive(Debug, Clone)]
pub struct AppOptions {
    pub city: Arc<CityData>,
    /// Where the snapshot came from, for the log and the curator.
    pub origin: String,
    pub lang: Lang,
    /// Window size in logical pixels.
    pub size: (u32, u32),
    /// Start focused on this region or building id.
    pub focus: Option<String>,
    pub show_all_buildings: bool,
    /// Multisample anti-aliasing (4×) for smooth borders; off is faster on software renderers.
    pub msaa: bool,
    /// Save a screenshot here once everything has settled, then exit.
    pub shot: Option<std::path::PathBuf>,
    /// Measure frame times for this many seconds, then print them and exit; drill in and
    /// out while measuring if the flag is set.
    pub fps_probe: Option<(f64, bool)>,
    /// Time the start, drill this many times, print memory and drill figures, and exit
    /// (`citygrid bench`).
    pub drills_probe: Option<usize>,
    /// Show owner names in full (a curator's explicit choice); masked by default.
    pub full_owner_names: bool,
    /// What the main window shows.
    pub view: MainView,
    /// Open an extra window of this size for the LED wall.
    pub ring_window: Option<(u32, u32)>,
    /// Angular span of the ring screen, degrees (the snapshot's ring layout wins).
    pub ring_span_deg: f64,
    /// Fullscreen kiosk without cursor or exit shortcuts.
    pub kiosk: bool,
    /// The hall's configuration.
    pub config: crate::config::Config,
    /// The data directory: the log (rotated) and the accepted snapshot.
    pub data_dir: Option<std::path::PathBuf>,
}

impl AppOptions {
    pub fn new(city: Arc<CityData>, origin: String) -> Self {
        Self {
            city,
            origin,
            lang: Lang::Zh,
            size: (1920, 1080),
            focus: None,
            show_all_buildings: false,
            msaa: true,
            shot: None,
            fps_probe: None,
            drills_probe: None,
            full_owner_names: false,
            view: MainView::Map,
            ring_window: None,
            ring_span_deg: crate::scene::ring::layout::DEFAULT_SPAN_DEG,
            kiosk: false,
            config: crate::config::Config::default(),
            data_dir: None,
        }
    }
}

/// The order of the exhibit's per-frame work.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppSystems {
    /// Read touches, mouse and keys and turn them into requests.
    Input,
    /// Apply requests: focus, language, toggles.
    Apply,
    /// Rebuild what changed: map layers, cards.
    Rebuild,
    /// Move things: camera easing, label positions.
    Animate,
}

/// Builds the full windowed exhibit.
pub fn build(options: AppOptions) -> App {
    let mut app = App::new();
    if let Some(dir) = &options.data_dir {
        app.insert_resource(logfile::LogDir(dir.clone()));
    }
    let title = format!("citygrid — {}", options.city.district().name);
    app.add_plugins(window_plugins(title, options.size, options.kiosk));
    app.add_systems(Startup, log_start);
    app.insert_resource(ClearColor(theme::color(crate::palette::BACKGROUND)))
        .insert_resource(map::render::MapMsaa(options.msaa))
        .insert_resource(ring::RingWindow(options.ring_window));
    add_exhibit(&mut app, &options);
    app.add_plugins((
        theme::plugin,
        map::render::plugin,
        ring::plugin,
        ui::plugin,
        kiosk::overlay_plugin,
        curator::overlay_plugin,
        probe::plugin,
        memory::plugin,
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
    app
}

/// Bevy's plugins as the exhibit sets them up: the window, the renderer, the log.
/// The renderer's settings: smaller device-memory blocks, given back when empty (a 2D
/// exhibit allocates little, and on a software renderer every block is the process's own
/// memory), and no validation of indirect draws' arguments — as Bevy means to do in release
/// builds except on DX12, but its check sees DX12 among the default backends on Linux too.
/// The check's compute pipelines cost 5 MiB under lavapipe. `WGPU_VALIDATION_INDIRECT_CALL=1`
/// turns it back on.
fn wgpu_settings() -> bevy::render::settings::WgpuSettings {
    use bevy::render::settings::{InstanceFlags, MemoryHints, WgpuSettings};
    let mut settings = WgpuSettings {
        memory_hints: MemoryHints::MemoryUsage,
        ..default()
    };
    settings
        .instance_flags
        .remove(InstanceFlags::VALIDATION_INDIRECT_CALL);
    settings.instance_flags = settings.instance_flags.with_env();
    settings
}

pub fn window_plugins(
    title: String,
    size: (u32, u32),
    kiosk: bool,
) -> bevy::app::PluginGroupBuilder {
    DefaultPlugins
        .set(WindowPlugin {
            primary_window: Some(Window {
                title,
                resolution: WindowResolution::new(size.0, size.1).with_scale_factor_override(1.0),
                present_mode: PresentMode::AutoVsync,
                mode: if kiosk {
                    WindowMode::BorderlessFullscreen(MonitorSelection::Current)
                } else {
                    WindowMode::Windowed
                },
                ..default()
            }),
            primary_cursor_options: Some(CursorOptions {
                visible: !kiosk,
                ..default()
            }),
            // A kiosk ignores close requests (Alt+F4, the window manager); only the
            // hall's staff end it.
            close_when_requested: !kiosk,
            ..default()
        })
        .set(bevy::render::RenderPlugin {
            render_creation: wgpu_settings().into(),
            ..default()
        })
        .set(bevy::log::LogPlugin {
            filter:
                "wgpu=error,naga=warn,bevy_render=warn,bevy_winit=warn,winit=error,citygrid=info"
                    .into(),
            custom_layer: logfile::file_layer,
            ..default()
        })
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
    app.configure_sets(
        Update,
        (
            AppSystems::Input,
            AppSystems::Apply,
            AppSystems::Rebuild,
            AppSystems::Animate,
        )
            .chain(),
    );
    state::insert(app, options);
    app.insert_resource(kiosk::HallConfig(options.config.clone()));
    if let Some(dir) = &options.data_dir {
        app.insert_resource(swap::DataDir(dir.clone()));
    }
    app.add_plugins((
        map::logic::plugin,
        ring::logic_plugin,
        kiosk::plugin,
        swap::plugin,
        curator::plugin,
    ));
}

/// Runs the exhibit until the window closes.
pub fn run(options: AppOptions) -> AppExit {
    build(options).run()
}
