//! What the 3D map raises (issue 17): the regions of the 3D choropleth at the district and
//! subdistrict levels, a community's buildings below; and how high. What the layers draw
//! raised (`layers::build_lifted`) and what a tap in 3D picks among (`scene::pick`) come
//! from here, so the two always agree.

use crate::scene::extrude::{building_height, figure_height};
use crate::scene::layers::{Depth, Figure, Overlays};
use crate::snapshot::index::CityData;

/// The tallest region of the 3D choropleth, as a share of the larger side of the area
/// on show (the district, or the subdistrict): tall enough to compare at a glance, low
/// enough that a prism hides little behind it at the 3D map's tilt.
pub const TALLEST_SHARE: f64 = 0.15;

/// The regions the 3D map raises at `depth` and their heights, metres: the subdistricts
/// on the district view, a subdistrict's communities on its view (coloured by `figure`);
/// none below. What [`crate::scene::layers::build_lifted`] raises, and what a tap in 3D picks among.
pub fn raised(
    city: &CityData,
    depth: Depth,
    figure: Figure,
    overlays: &Overlays,
) -> Vec<(usize, f64)> {
    let idx = &city.index;
    let (regions, area) = match depth {
        Depth::District => (&idx.children[idx.district], idx.district),
        Depth::Street(street) => (&idx.children[street], street),
        _ => return Vec::new(),
    };
    let values: Vec<Option<f64>> = regions
        .iter()
        .map(|&r| figure.value_with(city, r, overlays))
        .collect();
    let max = values
        .iter()
        .flatten()
        .fold(f64::NEG_INFINITY, |m, v| m.max(*v));
    let b = idx.region_bounds[area];
    let tallest = b.width().max(b.height()) * TALLEST_SHARE;
    regions
        .iter()
        .zip(values)
        .filter_map(|(&r, v)| {
            let v = v?;
            // At least a sliver, so that the lowest region still stands.
            let h = figure_height(v, max, tallest).max(tallest * 0.02);
            Some((r, h))
        })
        .collect()
}

/// The buildings the 3D map raises at `depth` (a community's, from the community level
/// down) and their heights, metres (floors × `storey_m`, [`crate::scene::extrude::STOREY_M`] by default).
pub fn raised_buildings(city: &CityData, depth: Depth, storey_m: f64) -> Vec<(usize, f64)> {
    let (Depth::Community(community, _) | Depth::Grid(community, _, _)) = depth else {
        return Vec::new();
    };
    city.index
        .buildings_of
        .get(community)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter_map(|&b| {
            let floors = city.snapshot.buildings.get(b)?.floors;
            Some((b, building_height(floors, storey_m)))
        })
        .collect()
}

/// The roof (m) of the building of `community` that `p` (local metres) lies in, else 0 (the
/// ground): where the 3D map stands a case's dot, and what a tap on it is checked against.
pub fn roof_at(city: &CityData, community: usize, p: crate::geo::P2, storey_m: f64) -> f64 {
    let idx = &city.index;
    match idx.building_at(p) {
        Some(b) if idx.community_of.get(b) == Some(&community) => city
            .snapshot
            .buildings
            .get(b)
            .map_or(0.0, |x| building_height(x.floors, storey_m)),
        _ => 0.0,
    }
}

/// Every building of the city standing at its floors × `storey_m`, in one mesh (the 3D
/// map's "all buildings" on the district view, issue 17), coloured by use and height as in
/// 2D. With a level of detail `min_wall_m` (metres a few pixels make at the scale the mesh
/// is for; 0 gives every building in full): a building whose walls would stand under that
/// on screen at the steepest tilt ([`crate::scene::view::MAX_TILT`]) gets its roof alone.
/// (Simplifying the roofs by half a pixel was tried: 2.5% fewer triangles for twice the
/// build time, and no faster frame.)
pub fn city_blocks(
    city: &CityData,
    min_wall_m: f64,
    storey_m: f64,
) -> crate::scene::meshes::MeshBuffers {
    let mut out = crate::scene::meshes::MeshBuffers::default();
    let idx = &city.index;
    // How high a wall of `h` metres stands on screen, as a share of `h`, at the steepest tilt.
    let seen = crate::scene::view::MAX_TILT.sin();
    for (b, building) in city.snapshot.buildings.iter().enumerate() {
        let Some(shape) = idx.building_shapes.get(b) else {
            continue;
        };
        let h = building_height(building.floors, storey_m);
        let color = crate::palette::building(building.usage.is_residential(), building.floors);
        if h * seen >= min_wall_m {
            out.prism(shape, h, color);
        } else {
            out.roof(shape, h, color);
        }
    }
    out
}
