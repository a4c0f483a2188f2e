//! The exhibit's shared base: what every feature may use and nothing that belongs to one
//! feature. It imports no feature module (`tests/architecture.rs` checks it), so features
//! talk to each other only through what lives here — a resource, a Message or a State.
//!
//! - [`sets`]: the chained per-frame sets and the ordering points between features.
//! - [`state`]: the snapshot on show, the drill focus, language, figure, settings and the
//!   requests that change them; the hall's configuration.
//! - [`modes`]: the exhibit's modes as Bevy `States` (main view, curator gate, attract).
//! - [`map_view`]: the map's view (camera), its panels' insets, the map camera and legend.
//! - [`ring`]: what the ring shares: its texture, tappable rows, render layers, cameras.
//! - [`swap`]: the live snapshot swap's requests and status (the curator's view of it).
//! - [`theme`], [`widgets`]: the look, the UI kit (panel, label, button, press feedback,
//!   minimum target size, UI scale).
//! - [`pace`]: when the exhibit draws (on change, at rest, ambient motion).
//! - [`window`], [`logfile`], [`probe`]: Bevy's window and renderer set-up, the log file,
//!   which frames were drawn in full.

pub mod fill;
pub mod logfile;
pub mod map_view;
pub mod modes;
pub mod options;
pub mod pace;
pub mod probe;
pub mod rim;
pub mod ring;
pub mod sets;
pub mod state;
pub mod still;
pub mod swap;
pub mod theme;
pub mod ui_shader;
pub mod widgets;
pub mod window;

pub use map_view::{CurrentLegend, MapCamera, MapView, UiBlockers};
pub use modes::{CuratorMode, KioskMode, MainView, Screens};
pub use options::AppOptions;
pub use sets::AppSystems;
pub use state::{
    Chooser, City, CurrentLang, DataDir, Focus, HallConfig, HallLink, IgnorePointer, Map3d,
    MapFigure, MapOverlays, MapRequest, Overlay, Playing, RemoteInput, RingForward, RingSpan,
    SelectedCase, SelectedFloor, Settings, ShowAllBuildings, StoreyHeight, StoryPlay,
};
