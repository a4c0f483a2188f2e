//! What the map draws for a focus: merged fill, building, line and highlight buffers, the
//! labels that want a place, and the legend's range. Plain Rust: benchmarked headless.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::geo::{LocalPolygon, P2};
use crate::palette::{self, Srgba};
use crate::scene::extrude::STOREY_M;
pub use crate::scene::figure::Figure;
use crate::scene::meshes::MeshBuffers;
pub use crate::scene::overlays::{CaseFigure, Overlays};
pub use crate::scene::raised::{TALLEST_SHARE, raised, raised_buildings};
use crate::snapshot::Level;
use crate::snapshot::index::CityData;

/// A label that wants a place on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapLabel {
    pub anchor: P2,
    /// Other places inside the region where the label may go if the anchor is crowded.
    pub alternates: Vec<P2>,
    pub zh: String,
    pub en: String,
    pub priority: f64,
    /// For a case cluster's count, the ink that reads on its disc (the disc is its ground:
    /// no shadow); `None` for a name on the map.
    pub count: Option<Srgba>,
    /// Metres above the ground the label stands (on its region's roof in the 3D map; 0 on
    /// the flat map).
    pub height: f64,
}

/// The color scale's range over the regions on show.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Legend {
    pub figure: Figure,
    pub min: f64,
    pub max: f64,
}

/// Everything the map draws for one focus.
#[derive(Debug, Clone, Default)]
pub struct Layers {
    /// Region fills (choropleth and context), bottom.
    pub fills: MeshBuffers,
    /// The regions raised by their figure in the 3D map (opaque, depth-tested); empty on
    /// the flat map.
    pub prisms: MeshBuffers,
    /// Building footprints.
    pub buildings: MeshBuffers,
    /// Region borders.
    pub lines: MeshBuffers,
    /// The selected region or building, on top.
    pub highlight: MeshBuffers,
    pub labels: Vec<MapLabel>,
    pub legend: Option<Legend>,
    /// The regions raised in 3D and their heights, metres (what may hide a cluster's disc).
    pub raised: Vec<(usize, f64)>,
}

/// Which level is being explored, derived from the focus's depth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    District,
    Street(usize),
    /// A community, with an optional selected building.
    Community(usize, Option<usize>),
    /// A grid (网格) of a community — (community, grid, selected building): the community
    /// as above, the grid drawn out.
    Grid(usize, usize, Option<usize>),
}

/// How far (pixels at the view's scale) a drawn region outline may stray from the
/// snapshot's: under half a pixel, hidden under the 1–3 px borders drawn over the fills.
pub const DRAWN_TOLERANCE_PX: f64 = 0.4;

/// The scale the layers are built at, for the view the map settles on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    /// Metres per screen pixel: lines come out at the same width on screen at every level,
    /// and outlines are drawn as finely as the pixels show ([`DRAWN_TOLERANCE_PX`]).
    pub px: f64,
    /// Metres per marker pixel: `px` × the UI scale (`base::widgets::ui_scale_for`: 1 at
    /// 1920 × 1080, 2 on a 4K table). Case discs and dots, place marks and the open case's
    /// ring, their rims and the spacing of case clusters are sized in it, so they grow with
    /// the counts and labels they carry and with the panels.
    pub marker: f64,
}

impl Scale {
    /// `px` metres per pixel for lines and markers alike (a UI scale of 1).
    pub fn uniform(px: f64) -> Self {
        Self { px, marker: px }
    }
}

/// Builds the layers at `scale` (lines' widths in screen pixels, markers' sizes in marker
/// pixels); `overlays` says which governance layers show and which cases.
pub fn build(
    city: &CityData,
    depth: Depth,
    figure: Figure,
    all_buildings: bool,
    scale: Scale,
    overlays: &Overlays,
) -> Layers {
    build_lifted(city, depth, figure, all_buildings, scale, overlays, None)
}

/// How the 3D map raises what it shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lift {
    /// The storey height, metres (the configuration's `storey_m`).
    pub storey_m: f64,
    /// The floor picked in the selected building's floor stack (1 = the ground floor),
    /// drawn as a band of its own colour on the building.
    pub floor: Option<i64>,
}

/// [`build`], and with `lift` (the 3D map) the regions coloured by the figure at the
/// district and subdistrict levels raised in proportion to it ([`TALLEST_SHARE`]), their
/// borders and labels on their roofs; from the community level down every building of the
/// community raised to its floors × the storey height, the selected one in the selection's
/// colour with its picked floor ([`Lift::floor`]) banded in [`palette::ACCENT`].
pub fn build_lifted(
    city: &CityData,
    depth: Depth,
    figure: Figure,
    all_buildings: bool,
    scale: Scale,
    overlays: &Overlays,
    lift: Option<Lift>,
) -> Layers {
    let px = scale.px;
    let storey_m = lift.map_or(STOREY_M, |l| l.storey_m);
    let picked_floor = lift.and_then(|l| l.floor);
    let lift = lift.is_some();
    let s = &city.snapshot;
    let idx = &city.index;
    let mut out = Layers::default();
    let district = idx.district;
    let streets = &idx.children[district];

    let ramp_over = |regions: &[usize]| -> (Vec<Option<f64>>, Option<Legend>) {
        let values: Vec<Option<f64>> = regions
            .iter()
            .map(|&r| figure.value_with(city, r, overlays))
            .collect();
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values.iter().flatten() {
            lo = lo.min(*v);
            hi = hi.max(*v);
        }
        let legend = (lo <= hi).then_some(Legend {
            figure,
            min: lo,
            max: hi,
        });
        (values, legend)
    };
    let norm = |v: Option<f64>, legend: &Option<Legend>| -> Srgba {
        match (v, legend) {
            (Some(v), Some(l)) if l.max > l.min => palette::ramp((v - l.min) / (l.max - l.min)),
            (Some(_), Some(_)) => palette::ramp(0.5),
            _ => palette::CONTEXT_FILL,
        }
    };
    let label = |r: usize, priority: f64| {
        let region = &s.regions[r];
        let shapes = &idx.region_shapes[r];
        // The label goes on the largest part of the region.
        let main = shapes.iter().max_by(|a, b| a.area().total_cmp(&b.area()));
        MapLabel {
            anchor: main.map_or(idx.region_bounds[r].center(), |p| p.label_point()),
            alternates: main.map_or(Vec::new(), |p| p.interior_points(&[0.3, 0.7, 0.15, 0.85])),
            zh: region.name.clone(),
            en: short_en(&region.name_en),
            priority,
            count: None,
            height: 0.0,
        }
    };
    // Outlines are drawn at the view's scale: vertices closer than [`DRAWN_TOLERANCE_PX`]
    // to the line go (a district view needs ~a third of a 30 m-spaced border's vertices).
    // Each region is simplified once per build, for its fill and its border alike.
    let tolerance = DRAWN_TOLERANCE_PX * px;
    let simplified = RefCell::new(HashMap::<usize, Rc<Vec<LocalPolygon>>>::new());
    let drawn = |r: usize| -> Rc<Vec<LocalPolygon>> {
        simplified
            .borrow_mut()
            .entry(r)
            .or_insert_with(|| {
                Rc::new(
                    idx.region_shapes[r]
                        .iter()
                        .map(|p| p.simplified(tolerance))
                        .collect(),
                )
            })
            .clone()
    };
    let fill_region = |buf: &mut MeshBuffers, r: usize, color: Srgba| {
        for poly in drawn(r).iter() {
            buf.fill(poly, color);
        }
    };
    let stroke_region = |buf: &mut MeshBuffers, r: usize, width_px: f64, color: Srgba| {
        for poly in drawn(r).iter() {
            buf.stroke_polygon(poly, width_px * px, color);
        }
    };
    // The 3D choropleth: each raised region's height.
    let heights: HashMap<usize, f64> = if lift {
        raised(city, depth, figure, overlays).into_iter().collect()
    } else {
        HashMap::new()
    };
    let height_of = |r: usize| heights.get(&r).copied().unwrap_or(0.0);
    // The roof of the raised region of `level` at `p` (0 flat, or outside any).
    let roof_at = |level: Level, p: P2| -> f64 {
        if heights.is_empty() {
            return 0.0;
        }
        idx.region_at(s, level, p).map_or(0.0, height_of)
    };
    // A choropleth region: raised (3D) or flat, its border on its roof.
    let choropleth = |out: &mut Layers, r: usize, color: Srgba, h: f64, border_px: f64| {
        if h > 0.0 {
            for poly in drawn(r).iter() {
                out.prisms.prism(poly, h, color);
            }
            let start = out.lines.positions.len();
            stroke_region(
                &mut out.lines,
                r,
                border_px,
                palette::BORDER.with_alpha(200),
            );
            // A hair above the roof, so the roof never covers its own border.
            out.lines.lift(start, h + px * 0.5);
        } else {
            fill_region(&mut out.fills, r, color);
            stroke_region(
                &mut out.lines,
                r,
                border_px,
                palette::BORDER.with_alpha(200),
            );
        }
    };

    out.raised = heights.iter().map(|(&r, &h)| (r, h)).collect();
    out.raised.sort_by_key(|&(r, _)| r);
    match depth {
        Depth::District => {
            let (values, legend) = ramp_over(streets);
            for (&r, v) in streets.iter().zip(&values) {
                let h = height_of(r);
                choropleth(&mut out, r, norm(*v, &legend), h, 1.5);
                out.labels.push(MapLabel {
                    height: h,
                    ..label(r, idx.region_shapes[r].iter().map(|p| p.area()).sum())
                });
            }
            stroke_region(&mut out.lines, district, 3.0, palette::DISTRICT_EDGE);
            out.legend = legend;
            if all_buildings {
                out.buildings = all_buildings_mesh(city);
            }
            // (In 3D each disc on the roof of the subdistrict it stands in.)
            super::case_layers::case_clusters(
                city,
                district,
                (scale.marker, super::case_layers::DISTRICT_CLUSTER_PX),
                overlays,
                &|p| roof_at(Level::Street, p),
                &mut out,
            );
        }
        Depth::Street(street) => {
            let communities = &idx.children[street];
            for &r in streets.iter().filter(|&&r| r != street) {
                fill_region(&mut out.fills, r, palette::CONTEXT_FILL);
                stroke_region(&mut out.lines, r, 1.0, palette::CONTEXT_BORDER);
                out.labels.push(MapLabel {
                    priority: -1.0,
                    ..label(r, 0.0)
                });
            }
            let (values, legend) = ramp_over(communities);
            for (&r, v) in communities.iter().zip(&values) {
                let h = height_of(r);
                choropleth(&mut out, r, norm(*v, &legend), h, 1.2);
                out.labels.push(MapLabel {
                    height: h,
                    ..label(
                        r,
                        1.0 + idx.region_shapes[r].iter().map(|p| p.area()).sum::<f64>(),
                    )
                });
            }
            stroke_region(&mut out.highlight, street, 3.0, palette::HIGHLIGHT);
            out.legend = legend;
            super::case_layers::case_clusters(
                city,
                street,
                (scale.marker, super::case_layers::STREET_CLUSTER_PX),
                overlays,
                &|p| roof_at(Level::Community, p),
                &mut out,
            );
        }
        Depth::Community(community, selected) | Depth::Grid(community, _, selected) => {
            let street = idx.parent[community].unwrap_or(district);
            for &r in streets.iter().filter(|&&r| r != street) {
                fill_region(&mut out.fills, r, palette::CONTEXT_FILL);
                stroke_region(&mut out.lines, r, 1.0, palette::CONTEXT_BORDER);
            }
            for &r in idx.children[street].iter().filter(|&&r| r != community) {
                fill_region(
                    &mut out.fills,
                    r,
                    palette::CONTEXT_FILL.mix(palette::COMMUNITY_GROUND, 0.5),
                );
                stroke_region(&mut out.lines, r, 1.0, palette::CONTEXT_BORDER);
                out.labels.push(MapLabel {
                    priority: -1.0,
                    ..label(r, 0.0)
                });
            }
            fill_region(&mut out.fills, community, palette::COMMUNITY_GROUND);
            // In 3D a case's dot stands on the roof of the building it is in.
            let on_roof = |p: P2| -> f64 {
                if lift {
                    super::raised::roof_at(city, community, p, storey_m)
                } else {
                    0.0
                }
            };
            super::case_layers::governance_layer(
                city, community, scale, overlays, &on_roof, &mut out,
            );
            if overlays.places {
                super::overlays::places_layer(city, community, scale.marker, &mut out);
            }
            for &b in &idx.buildings_of[community] {
                let building = &s.buildings[b];
                let color = palette::building(building.usage.is_residential(), building.floors);
                let shape = &idx.building_shapes[b];
                if lift {
                    // In 3D every building stands at its floors × storey height; the
                    // selected one in the selection's colour, its outline on its roof.
                    let h = super::extrude::building_height(building.floors, storey_m);
                    let picked = selected == Some(b);
                    match picked_floor.filter(|_| picked) {
                        Some(f) => {
                            // Below the floor, the floor, above it: one solid in bands.
                            let most = building.floors.clamp(1, super::floors::MAX_FLOORS);
                            let f = f.clamp(1, most) as f64;
                            let band = ((f - 1.0) * storey_m, f * storey_m);
                            let colors = (palette::HIGHLIGHT, palette::ACCENT);
                            out.prisms.banded_prism(shape, h, band, colors);
                        }
                        None => {
                            let color = if picked { palette::HIGHLIGHT } else { color };
                            out.prisms.prism(shape, h, color);
                        }
                    }
                    let start = out.buildings.positions.len();
                    if picked {
                        out.buildings.stroke_polygon(shape, 2.0 * px, palette::TEXT);
                    } else {
                        out.buildings.stroke_polygon(
                            shape,
                            0.8 * px,
                            palette::BACKGROUND.with_alpha(160),
                        );
                    }
                    out.buildings.lift(start, h + px * 0.5);
                } else {
                    out.buildings.fill(shape, color);
                    out.buildings.stroke_polygon(
                        shape,
                        0.8 * px,
                        palette::BACKGROUND.with_alpha(160),
                    );
                }
            }
            if let Depth::Grid(_, g, _) = depth {
                // The community's edge quieter, the grid's the selection.
                stroke_region(
                    &mut out.highlight,
                    community,
                    1.5,
                    palette::HIGHLIGHT.with_alpha(140),
                );
                for poly in idx
                    .governance
                    .grid_shapes
                    .get(g)
                    .map_or(&[][..], Vec::as_slice)
                {
                    out.highlight
                        .stroke_polygon(poly, 3.0 * px, palette::HIGHLIGHT);
                }
            } else {
                stroke_region(&mut out.highlight, community, 2.5, palette::HIGHLIGHT);
            }
            if let Some(b) = selected.filter(|_| !lift) {
                let shape = &idx.building_shapes[b];
                out.highlight.fill(shape, palette::HIGHLIGHT);
                out.highlight.stroke_polygon(shape, 2.0 * px, palette::TEXT);
            }
        }
    }
    out
}

/// Every building's footprint, for the district view with all buildings shown.
pub fn all_buildings_mesh(city: &CityData) -> MeshBuffers {
    let mut out = MeshBuffers::default();
    for (building, shape) in city
        .snapshot
        .buildings
        .iter()
        .zip(&city.index.building_shapes)
    {
        let color = palette::building(building.usage.is_residential(), building.floors);
        out.fill(shape, color);
    }
    out
}

/// English names without the level word, to keep map labels short.
fn short_en(name: &str) -> String {
    name.trim_end_matches(" Subdistrict")
        .trim_end_matches(" Community")
        .to_string()
}
