//! The exhibit's modes as Bevy `States`: what the main window shows, where the curator's
//! gate stands, and whether visitors are exploring or the attract tour runs. Systems gate on
//! `run_if(in_state(..))`; per-mode entities are spawned on entry and carry
//! `DespawnOnExit`. A change asked for with `NextState` applies at the start of the next
//! frame. The drill focus is not a State: a tap must highlight in the frame it lands
//! (see `docs/architecture.md`).

use bevy::prelude::*;
use bevy::state::app::StatesPlugin;

/// What the main window shows.
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum MainView {
    /// The touchscreen: map, cards and the ring's strip preview.
    #[default]
    Map,
    /// The ring seen from the hall's centre; drag to look around.
    Hall,
    /// The ring's canvas itself, for the LED wall.
    Ring,
}

impl MainView {
    /// `map`, `hall` or `ring` (the command line's `--view`).
    pub fn parse(s: &str) -> Option<MainView> {
        match s {
            "map" => Some(MainView::Map),
            "hall" => Some(MainView::Hall),
            "ring" => Some(MainView::Ring),
            _ => None,
        }
    }

    /// `map`, `hall` or `ring`, as [`MainView::parse`] reads it.
    pub fn name(self) -> &'static str {
        match self {
            MainView::Map => "map",
            MainView::Hall => "hall",
            MainView::Ring => "ring",
        }
    }

    /// The next view in the V key's cycle: map → hall → ring → map.
    pub fn next(self) -> MainView {
        match self {
            MainView::Map => MainView::Hall,
            MainView::Hall => MainView::Ring,
            MainView::Ring => MainView::Map,
        }
    }
}

/// Where the curator's gate stands. Visitors' input reaches the map only while it is
/// [`CuratorMode::Closed`].
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CuratorMode {
    /// Visitors at the exhibit; the hidden gesture opens the gate.
    #[default]
    Closed,
    /// Entering the PIN.
    Pin,
    /// Curator mode: load, check, apply snapshots; quit.
    Open,
}

/// Visitors exploring, or the attract tour after the idle timeout.
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum KioskMode {
    /// Visitors touching and drilling (or nobody, until the idle timeout).
    #[default]
    Explore,
    /// The slow tour of the subdistricts under the invitation; the first touch ends it.
    Attract,
}

/// Whether the screens show the exhibit, or are black with the exhibit at rest (outside
/// the opening hours, or on the show control's command).
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Screens {
    #[default]
    On,
    /// Black: no camera draws, no attract tour, the loop wakes only to look at the clock.
    Off,
}

/// Adds the modes, starting in `view`, explore and a closed gate. Adds Bevy's
/// `StatesPlugin` where the app has none (headless tests run on `MinimalPlugins`).
pub fn insert(app: &mut App, view: MainView) {
    if !app.is_plugin_added::<StatesPlugin>() {
        app.add_plugins(StatesPlugin);
    }
    app.insert_state(view)
        .init_state::<CuratorMode>()
        .init_state::<KioskMode>()
        .init_state::<Screens>();
}
