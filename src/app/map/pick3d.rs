//! Picking on the 3D map (issue 17): a tap's line of sight meets the raised regions and
//! buildings (`scene::pick`) and the case dots that stand on roofs; what it meets first is
//! what the visitor touched. Runs headless.

use crate::app::base::{Focus, Map3d, MapFigure, MapOverlays, ShowAllBuildings, StoreyHeight};
use crate::scene::view::View;
use crate::snapshot::index::CityData;

#[cfg(doc)]
use super::input::CASE_TOUCH_PX;

/// How the map is seen when a tap lands: in 3D (`on`) a tap picks among the raised
/// regions along its line of sight (`scene::pick`), the highest first.
pub struct Seen<'a> {
    /// The map is in 3D.
    pub on: bool,
    /// The view the tap landed on.
    pub view: View,
    /// The tap, screen px.
    pub pos: [f64; 2],
    /// The figure the regions are raised by.
    pub figure: crate::scene::layers::Figure,
    /// The map's layers (which regions the 3D map raises depends on them).
    pub overlays: &'a crate::scene::layers::Overlays,
    /// Every building shown on the district view: in 3D they stand on a flat district,
    /// whose regions a tap then picks on the ground.
    pub all_buildings: bool,
    /// The storey height buildings stand at, metres.
    pub storey_m: f64,
    /// How far from a case's dot (as seen) a tap still opens it, logical px
    /// (`input::case_reach`: [`CASE_TOUCH_PX`] × the UI scale, more when zoomed in on drawn
    /// dots).
    pub case_reach_px: f64,
}

impl<'a> Seen<'a> {
    /// The map as it is seen now, for a tap at `pos`.
    pub(super) fn of(
        map_3d: &Map3d,
        (view, case_reach_px): (View, f64),
        pos: [f64; 2],
        (figure, overlays, all, storey): (
            &MapFigure,
            &'a MapOverlays,
            &ShowAllBuildings,
            &StoreyHeight,
        ),
    ) -> Seen<'a> {
        Seen {
            on: map_3d.0,
            view,
            pos,
            figure: figure.0,
            overlays: &overlays.0,
            all_buildings: all.0,
            storey_m: storey.0,
            case_reach_px,
        }
    }
}

/// What a tap selects among what the 3D map raises (`seen.on`): the raised region or
/// building its line of sight meets highest (`scene::pick`); `None` when the map is flat or
/// the tap meets nothing raised.
pub fn pick_raised(city: &CityData, focus: Focus, seen: &Seen) -> Option<Focus> {
    if !seen.on {
        return None;
    }
    let depth = focus.layer_depth(city);
    if seen.all_buildings && depth == crate::scene::layers::Depth::District {
        return None;
    }
    let idx = &city.index;
    let buildings = crate::scene::layers::raised_buildings(city, depth, seen.storey_m);
    if !buildings.is_empty() {
        let candidates = buildings
            .iter()
            .filter_map(|&(b, h)| idx.building_shapes.get(b).map(|poly| (b, poly, h)));
        return crate::scene::pick::pick(&seen.view, seen.pos, candidates).map(Focus::Building);
    }
    let raised = crate::scene::layers::raised(city, depth, seen.figure, seen.overlays);
    let candidates = raised.iter().flat_map(|&(r, h)| {
        idx.region_shapes
            .get(r)
            .into_iter()
            .flatten()
            .map(move |poly| (r, poly, h))
    });
    crate::scene::pick::pick(&seen.view, seen.pos, candidates).map(|r| Focus::of_region(city, r))
}

/// What a tap on the 3D map picks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Picked {
    /// A case's dot (an index into the snapshot's cases).
    Case(usize),
    /// A raised region or building.
    Focus(Focus),
}

/// What a tap on the 3D map (`seen.on`) picks: the case whose dot is seen within
/// `seen.case_reach_px` of the tap and is not hidden behind a building (`scene::pick::
/// hidden_behind`), when it stands at least as high as what the tap's line of sight meets
/// (a dot on that roof, or on a lower roof with nothing in front); else the raised building
/// or region met ([`pick_raised`]). `None` on the flat map, or when the tap meets nothing
/// raised and no dot: the ground decides (`input::hit`).
pub fn pick_3d(city: &CityData, focus: Focus, seen: &Seen) -> Option<Picked> {
    if !seen.on {
        return None;
    }
    let raised = pick_raised(city, focus, seen);
    let wall = match raised {
        Some(Focus::Building(b)) => city.snapshot.buildings.get(b).map_or(0.0, |x| {
            crate::scene::extrude::building_height(x.floors, seen.storey_m)
        }),
        Some(_) => f64::INFINITY,
        None => 0.0,
    };
    if focus.depth() >= 2 {
        let community = focus.region(city);
        let gi = &city.index.governance;
        let idx = &city.index;
        let mut near: Vec<(f64, usize, [f64; 2], f64)> = Vec::new();
        for &c in gi
            .cases_of_region
            .get(community)
            .map_or(&[][..], Vec::as_slice)
        {
            let Some(&at) = gi.case_points.get(c as usize) else {
                continue;
            };
            let h = crate::scene::raised::roof_at(city, community, at, seen.storey_m);
            if h + 0.5 < wall {
                continue;
            }
            let p = seen.view.to_screen3(at, h);
            let d = (p[0] - seen.pos[0]).hypot(p[1] - seen.pos[1]);
            if d <= seen.case_reach_px {
                near.push((d, c as usize, p, h));
            }
        }
        if !near.is_empty() {
            // Only the few dots near the tap are checked against the buildings in front.
            let depth = focus.layer_depth(city);
            let buildings = crate::scene::layers::raised_buildings(city, depth, seen.storey_m);
            let prisms = || {
                buildings
                    .iter()
                    .filter_map(|&(b, h)| idx.building_shapes.get(b).map(|poly| (poly, h)))
            };
            near.sort_by(|a, b| a.0.total_cmp(&b.0));
            if let Some(&(_, c, _, _)) = near.iter().find(|&&(_, _, p, h)| {
                !crate::scene::pick::hidden_behind(&seen.view, p, h, prisms())
            }) {
                return Some(Picked::Case(c));
            }
        }
    }
    raised.map(Picked::Focus)
}
