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

/// Where every building of the city, standing at its floors × `storey_m`, lies in the frame
/// of a camera tilted by `tilt` and turned by `heading` (radians, as
/// [`crate::scene::view::View`]): a box in metres across the screen (`min[0]..max[0]`, `u`)
/// and up it (`min[1]..max[1]`), measured from the local origin (the view's formula
/// with its centre at 0, 0). From the corners of each building's footprint box at the
/// ground and at its roof, so it holds every wall and roof (a little more for buildings
/// turned against the axes). Empty when the city has no buildings. The 3D map's picture of
/// every building (`app::map::blocks_picture`) is drawn over this box.
pub fn blocks_extent(city: &CityData, storey_m: f64, tilt: f64, heading: f64) -> crate::geo::Rect {
    let (sin_h, cos_h) = heading.sin_cos();
    let (sin_t, cos_t) = tilt.sin_cos();
    let mut out = crate::geo::Rect::EMPTY;
    for (b, bounds) in city.index.building_bounds.iter().enumerate() {
        let Some(building) = city.snapshot.buildings.get(b) else {
            continue;
        };
        let h = building_height(building.floors, storey_m);
        for [x, y] in [
            bounds.min,
            bounds.max,
            [bounds.min[0], bounds.max[1]],
            [bounds.max[0], bounds.min[1]],
        ] {
            let u = x * cos_h + y * sin_h;
            let v = -x * sin_h + y * cos_h;
            out.include([u, v * cos_t]);
            out.include([u, v * cos_t + h * sin_t]);
        }
    }
    out
}

/// `extent` (a box in a tilted view's frame, metres, as [`blocks_extent`] gives) grown to
/// whole pixels of `metres_per_px` (metres per physical pixel), one more on each side,
/// lined up with the pixel grid of a screen of `physical` size (pixels) centred on
/// `view.center` at that many metres per pixel (`view.scale` is not read): a picture drawn
/// over the returned box lands pixel for pixel on such a screen, instead of being resampled
/// half a pixel off (a blur). After a pan or zoom it is resampled as any picture is.
/// Returns the box and its size in pixels.
pub fn snap_to_pixels(
    extent: &crate::geo::Rect,
    view: &crate::scene::view::View,
    metres_per_px: f64,
    physical: [f64; 2],
) -> (crate::geo::Rect, [u32; 2]) {
    let (sin_h, cos_h) = view.heading.sin_cos();
    let [cx, cy] = view.center;
    // The screen's top-left corner in the same frame; its pixels' edges are whole steps
    // of `metres_per_px` from there.
    let corner = [
        cx * cos_h + cy * sin_h - physical[0] * 0.5 * metres_per_px,
        (-cx * sin_h + cy * cos_h) * view.tilt.cos() + physical[1] * 0.5 * metres_per_px,
    ];
    let steps = |from: f64, to: f64| ((to - from) / metres_per_px).floor() - 1.0;
    let left = steps(corner[0], extent.min[0]);
    let top = steps(extent.max[1], corner[1]);
    let min_x = corner[0] + left * metres_per_px;
    let max_y = corner[1] - top * metres_per_px;
    let w = ((extent.max[0] - min_x) / metres_per_px).ceil() + 1.0;
    let h = ((max_y - extent.min[1]) / metres_per_px).ceil() + 1.0;
    let (w, h) = (
        w.clamp(1.0, f64::from(u32::MAX)),
        h.clamp(1.0, f64::from(u32::MAX)),
    );
    (
        crate::geo::Rect {
            min: [min_x, max_y - h * metres_per_px],
            max: [min_x + w * metres_per_px, max_y],
        },
        [w as u32, h as u32],
    )
}
