//! How the exhibit is started: the snapshot, the window, the view, the hall's settings —
//! what the command line and the configuration file decide.

use std::sync::Arc;

use super::modes::MainView;
use crate::scene::format::Lang;
use crate::snapshot::index::CityData;

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
    /// Start playing this story (index into the snapshot's stories) at this step (from 0),
    /// waiting for a touch between steps.
    pub story: Option<(usize, usize)>,
    /// Start with the cases layer on (the default) or off (the bench compares both).
    pub cases_shown: bool,
    pub show_all_buildings: bool,
    /// How the map's edges are antialiased (`--antialias`; 4× MSAA by default).
    pub antialias: crate::app::base::map_view::Antialias,
    /// Save a screenshot here once everything has settled, then exit.
    pub shot: Option<std::path::PathBuf>,
    /// Measure frame times for this many seconds, then print them and exit; drill in and
    /// out while measuring if the flag is set.
    pub fps_probe: Option<(f64, bool)>,
    /// Time the start, drill this many times, print memory and drill figures, and exit
    /// (`citygrid bench`).
    pub drills_probe: Option<usize>,
    /// Send clicks to the window at rest and print how soon each is drawn, then exit
    /// (`citygrid bench`).
    pub latency_probe: bool,
    /// Show owner names in full (a curator's explicit choice); masked by default.
    pub full_owner_names: bool,
    /// What the main window shows.
    pub view: MainView,
    /// The map in 3D from the start (`--3d`).
    pub map_3d: bool,
    /// With a building in focus: the floor picked in its floor stack from the start
    /// (`--floor`, 1 = the ground floor; clamped to the building's floors).
    pub floor: Option<i64>,
    /// Open an extra window of this size for the LED wall.
    pub ring_window: Option<(u32, u32)>,
    /// Angular span of the ring screen, degrees (the snapshot's ring layout wins).
    pub ring_span_deg: f64,
    /// The slice of the ring this process draws on its LED output, degrees of the span
    /// (`--ring-slice FROM..TO`); `None`: the whole ring.
    pub ring_slice: Option<[f64; 2]>,
    /// Fullscreen kiosk without cursor or exit shortcuts.
    pub kiosk: bool,
    /// The hall's configuration.
    pub config: crate::config::Config,
    /// The data directory: the log (rotated) and the accepted snapshot.
    pub data_dir: Option<std::path::PathBuf>,
}

impl AppOptions {
    /// The defaults: Chinese, 1920 × 1080, the district, the map view, masked owners.
    pub fn new(city: Arc<CityData>, origin: String) -> Self {
        Self {
            city,
            origin,
            lang: Lang::Zh,
            size: (1920, 1080),
            focus: None,
            story: None,
            cases_shown: true,
            show_all_buildings: false,
            antialias: crate::app::base::map_view::Antialias::Msaa4,
            shot: None,
            fps_probe: None,
            drills_probe: None,
            latency_probe: false,
            full_owner_names: false,
            view: MainView::Map,
            map_3d: false,
            floor: None,
            ring_window: None,
            ring_span_deg: crate::scene::ring::layout::DEFAULT_SPAN_DEG,
            ring_slice: None,
            kiosk: false,
            config: crate::config::Config::default(),
            data_dir: None,
        }
    }
}
