//! What the map shares with the rest of the exhibit: its view (the camera's centre and
//! scale, and the transition under way), the screen space the panels take from it, the
//! camera that draws it, and the legend of its current colors. The map feature moves the
//! view; automation, the bench and the memory trim wait for it to settle.

use bevy::prelude::*;

use super::state::Focus;
use crate::geo::Rect;
use crate::scene::layers::Legend;
use crate::scene::view::{Insets, Transition, View};
use crate::snapshot::index::CityData;

/// Pointer id used for the mouse, apart from every finger.
pub const MOUSE_ID: u64 = u64::MAX;

/// The 3D map's tilt, radians from looking straight down (50°).
pub const TILT_3D: f64 = 50.0 * std::f64::consts::PI / 180.0;

/// How long the camera takes to tilt into or out of 3D, seconds (issue 17: ≤ 0.6).
pub const TILT_SECONDS: f64 = 0.5;

/// How much two fingers moving up the screen together (or the mouse dragged up with the
/// right button) tilt the 3D map, radians per logical px: 0.2°, so a 300 px stroke covers
/// the whole range (0…60°).
pub const TILT_PER_PX: f64 = 0.2 * std::f64::consts::PI / 180.0;

/// How much a right-drag across the screen turns the 3D map, radians per logical px: 0.3°,
/// a full turn in 1,200 px.
pub const TURN_PER_PX: f64 = 0.3 * std::f64::consts::PI / 180.0;

/// The tilt the map's view takes: [`TILT_3D`] in 3D, 0 flat.
pub fn tilt_for(map_3d: bool) -> f64 {
    if map_3d { TILT_3D } else { 0.0 }
}

/// Screen space the panels cover, kept free when fitting a region (logical px at UI scale 1).
pub const MAP_INSETS: Insets = Insets {
    left: 40.0,
    right: 460.0,
    top: 130.0,
    bottom: 325.0,
};

/// The 3D map's floor stack beside the card (a focused building's floors), logical px at UI
/// scale 1: the map leaves room for it when fitting a building in 3D.
pub const FLOOR_STACK_WIDTH: f32 = 280.0;

/// The panels' insets at a UI scale (panels grow with the screen, see
/// [`super::widgets::ui_scale_for`]).
pub fn map_insets(ui_scale: f32) -> Insets {
    let k = ui_scale as f64;
    Insets {
        left: MAP_INSETS.left * k,
        right: MAP_INSETS.right * k,
        top: MAP_INSETS.top * k,
        bottom: MAP_INSETS.bottom * k,
    }
}

/// The UI scale in force (1 where there is no UI, as in headless tests).
pub fn ui_scale(scale: &Option<Res<bevy::ui::UiScale>>) -> f32 {
    scale.as_ref().map_or(1.0, |s| s.0)
}

/// The map's current view and the transition towards the focus, if one is running.
#[derive(Resource, Debug, Clone)]
pub struct MapView {
    pub view: View,
    pub transition: Option<Transition>,
    /// The view that fits the current focus (where transitions land).
    pub target: View,
    /// The UI scale the insets were fitted with.
    pub ui_scale: f32,
    /// The 3D map's storey height, metres (`StoreyHeight`): a focus is fitted with room for
    /// what stands on it at this height.
    pub storey_m: f64,
}

impl MapView {
    /// Whether the camera is still moving.
    pub fn settled(&self) -> bool {
        self.transition.is_none()
    }

    /// The scale the map's layers are built at for the view it settles on: lines in screen
    /// pixels, markers in pixels × the UI scale (`scene::layers::Scale`).
    pub fn layer_scale(&self) -> crate::scene::layers::Scale {
        let px = self.target.scale;
        crate::scene::layers::Scale {
            px,
            marker: px * f64::from(self.ui_scale),
        }
    }
}

/// Bounds of what a focus shows, in local metres: a region's or a grid's bounds, or a
/// square around a building ten times its size and at least 360 m wide.
pub fn focus_bounds(city: &CityData, focus: Focus) -> Rect {
    match focus {
        Focus::Building(b) => {
            // Close enough to see the building, wide enough to see its neighbours.
            let Some(bb) = city.index.building_bounds.get(b) else {
                return city.index.region_bounds[city.index.district];
            };
            let half = (bb.width().max(bb.height()) * 5.0).max(180.0);
            let center = bb.center();
            Rect {
                min: [center[0] - half, center[1] - half],
                max: [center[0] + half, center[1] + half],
            }
        }
        Focus::Grid(g) => match city.index.governance.grid_bounds.get(g) {
            Some(b) if !b.is_empty() => *b,
            _ => city.index.region_bounds[focus.region(city)],
        },
        other => city.index.region_bounds[other.region(city)],
    }
}

/// Screen rectangles (logical px: min x, min y, max x, max y) where panels take the touch
/// instead of the map. Filled by the UI kit each frame.
#[derive(Resource, Debug, Clone, Default)]
pub struct UiBlockers(pub Vec<[f32; 4]>);

impl UiBlockers {
    /// Whether a panel covers `p` (logical px).
    pub fn blocks(&self, p: Vec2) -> bool {
        self.0
            .iter()
            .any(|r| p.x >= r[0] && p.x <= r[2] && p.y >= r[1] && p.y <= r[3])
    }
}

/// The camera that draws the map (and, on the map view, the panels).
#[derive(Component)]
pub struct MapCamera;

/// The legend of the map's current color scale, for the panels.
#[derive(Resource, Debug, Clone, Default)]
pub struct CurrentLegend(pub Option<Legend>);

/// How the map window's edges are antialiased (chosen at start: `--antialias`). Issue 17
/// measured the three under lavapipe (docs/performance.md, 2026-12-01): none is 2.3× as
/// fast as 4× MSAA but breaks the thin borders into dashes (in 3D foreshortened under a
/// pixel), and FXAA costs twice what MSAA does there without mending them; so 4× MSAA on
/// every renderer until a GPU's figures say otherwise.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Antialias {
    /// 4× multisampling: exact edges, four samples a pixel.
    #[default]
    Msaa4,
    /// Fast approximate antialiasing: one full-screen pass that smooths what it finds (for
    /// a GPU that finds 4× MSAA dear at 4K).
    Fxaa,
    /// No antialiasing (`--no-msaa`): fastest on a software renderer.
    Off,
}

impl Antialias {
    /// Parses `msaa`, `fxaa` or `off` (the command line's words).
    pub fn parse(s: &str) -> Option<Antialias> {
        match s {
            "msaa" => Some(Antialias::Msaa4),
            "fxaa" => Some(Antialias::Fxaa),
            "off" => Some(Antialias::Off),
            _ => None,
        }
    }

    /// The log's word for it.
    pub fn name(self) -> &'static str {
        match self {
            Antialias::Msaa4 => "MSAA 4×",
            Antialias::Fxaa => "FXAA",
            Antialias::Off => "off",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Antialias;

    #[test]
    fn antialiasing_is_msaa_unless_chosen() {
        assert_eq!(Antialias::default(), Antialias::Msaa4);
        assert_eq!(Antialias::parse("fxaa"), Some(Antialias::Fxaa));
        assert_eq!(Antialias::parse("off"), Some(Antialias::Off));
        assert_eq!(Antialias::parse("MSAA"), None);
        assert_eq!(Antialias::parse("auto"), None);
    }
}
