//! What the map draws for a focus: merged fill, building, line and highlight buffers, the
//! labels that want a place, and the legend's range. Plain Rust: benchmarked headless.

use crate::geo::P2;
use crate::palette::{self, Srgba};
use crate::scene::format::Lang;
use crate::scene::meshes::MeshBuffers;
use crate::snapshot::Figures;
use crate::snapshot::index::CityData;

/// What the map's regions are colored by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Figure {
    #[default]
    Residents,
    ResidentialBuildings,
    FloorArea,
    Households,
    /// A metric with values per region (index into the snapshot's metrics).
    Metric(usize),
}

impl Figure {
    /// The figure's value for a region, if it has one.
    pub fn value(self, city: &CityData, region: usize) -> Option<f64> {
        let f: Figures = city.figures(region);
        match self {
            Figure::Residents => Some(f.residents as f64),
            Figure::ResidentialBuildings => Some(f.residential_buildings as f64),
            Figure::FloorArea => Some(f.floor_area_m2),
            Figure::Households => Some(f.households as f64),
            Figure::Metric(m) => city.index.metric_value(region, m),
        }
    }

    /// The figure's name.
    pub fn name(self, city: &CityData, lang: Lang) -> String {
        use crate::scene::format::{Text, text};
        match self {
            Figure::Residents => text(Text::Residents, lang).into(),
            Figure::ResidentialBuildings => text(Text::ResidentialBuildings, lang).into(),
            Figure::FloorArea => text(Text::FloorArea, lang).into(),
            Figure::Households => text(Text::Households, lang).into(),
            Figure::Metric(m) => city
                .snapshot
                .metrics
                .get(m)
                .map(|x| lang.pick(&x.name, &x.name_en).to_string())
                .unwrap_or_default(),
        }
    }

    /// Metrics that can color the map: those with a value for every subdistrict.
    pub fn metric_choices(city: &CityData) -> Vec<Figure> {
        let streets = &city.index.children[city.index.district];
        (0..city.snapshot.metrics.len())
            .filter(|&m| {
                !streets.is_empty()
                    && streets
                        .iter()
                        .all(|&s| city.index.metric_value(s, m).is_some())
            })
            .map(Figure::Metric)
            .collect()
    }
}

/// A label that wants a place on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapLabel {
    pub anchor: P2,
    /// Other places inside the region where the label may go if the anchor is crowded.
    pub alternates: Vec<P2>,
    pub zh: String,
    pub en: String,
    pub priority: f64,
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
    /// Building footprints.
    pub buildings: MeshBuffers,
    /// Region borders.
    pub lines: MeshBuffers,
    /// The selected region or building, on top.
    pub highlight: MeshBuffers,
    pub labels: Vec<MapLabel>,
    pub legend: Option<Legend>,
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

/// Builds the layers. `px` is metres per screen pixel at the view the map settles on, so
/// that lines come out at the same width on screen at every level.
pub fn build(
    city: &CityData,
    depth: Depth,
    figure: Figure,
    all_buildings: bool,
    px: f64,
) -> Layers {
    let s = &city.snapshot;
    let idx = &city.index;
    let mut out = Layers::default();
    let district = idx.district;
    let streets = &idx.children[district];

    let ramp_over = |regions: &[usize]| -> (Vec<Option<f64>>, Option<Legend>) {
        let values: Vec<Option<f64>> = regions.iter().map(|&r| figure.value(city, r)).collect();
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
        }
    };
    let fill_region = |buf: &mut MeshBuffers, r: usize, color: Srgba| {
        for poly in &idx.region_shapes[r] {
            buf.fill(poly, color);
        }
    };
    let stroke_region = |buf: &mut MeshBuffers, r: usize, width_px: f64, color: Srgba| {
        for poly in &idx.region_shapes[r] {
            buf.stroke_polygon(poly, width_px * px, color);
        }
    };

    match depth {
        Depth::District => {
            let (values, legend) = ramp_over(streets);
            for (&r, v) in streets.iter().zip(&values) {
                fill_region(&mut out.fills, r, norm(*v, &legend));
                stroke_region(&mut out.lines, r, 1.5, palette::BORDER.with_alpha(200));
                out.labels.push(label(
                    r,
                    idx.region_shapes[r].iter().map(|p| p.area()).sum(),
                ));
            }
            stroke_region(&mut out.lines, district, 3.0, palette::DISTRICT_EDGE);
            out.legend = legend;
            if all_buildings {
                out.buildings = all_buildings_mesh(city);
            }
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
                fill_region(&mut out.fills, r, norm(*v, &legend));
                stroke_region(&mut out.lines, r, 1.2, palette::BORDER.with_alpha(200));
                out.labels.push(label(
                    r,
                    1.0 + idx.region_shapes[r].iter().map(|p| p.area()).sum::<f64>(),
                ));
            }
            stroke_region(&mut out.highlight, street, 3.0, palette::HIGHLIGHT);
            out.legend = legend;
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
            governance_layer(city, community, px, &mut out);
            for &b in &idx.buildings_of[community] {
                let building = &s.buildings[b];
                let color = palette::building(building.usage.is_residential(), building.floors);
                out.buildings.fill(&idx.building_shapes[b], color);
                out.buildings.stroke_polygon(
                    &idx.building_shapes[b],
                    0.8 * px,
                    palette::BACKGROUND.with_alpha(160),
                );
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
            if let Some(b) = selected {
                let shape = &idx.building_shapes[b];
                out.highlight.fill(shape, palette::HIGHLIGHT);
                out.highlight.stroke_polygon(shape, 2.0 * px, palette::TEXT);
            }
        }
    }
    out
}

/// A community's grids (网格) and cases (事件), when the snapshot has them: each grid's
/// outline as a thin line on the ground (under the buildings, so it reads along the
/// streets) with its name as a label, and every case of the last 30 days as a dot in its
/// department's color at its place — open cases bright with a light rim, overdue ones with
/// a red rim, closed ones small and dim.
fn governance_layer(city: &CityData, community: usize, px: f64, out: &mut Layers) {
    let s = &city.snapshot;
    let gi = &city.index.governance;
    for &g in gi.grids_of.get(community).map_or(&[][..], Vec::as_slice) {
        for poly in gi.grid_shapes.get(g).map_or(&[][..], Vec::as_slice) {
            out.fills
                .stroke_polygon(poly, 1.2 * px, palette::ACCENT.with_alpha(120));
        }
        let (Some(grid), Some(main)) = (
            s.grids.get(g),
            gi.grid_shapes
                .get(g)
                .and_then(|shapes| shapes.iter().max_by(|a, b| a.area().total_cmp(&b.area()))),
        ) else {
            continue;
        };
        // The community is named in the breadcrumbs: "第3网格", "Grid 3" are enough here.
        let (zh, en) = crate::scene::format::grid_short_names(grid, &s.regions[community].name);
        out.labels.push(MapLabel {
            anchor: main.label_point(),
            alternates: main.interior_points(&[0.3, 0.7]),
            zh: zh.to_string(),
            en: en.to_string(),
            priority: 0.5,
        });
    }
    let now = gi.now;
    let cases = gi
        .cases_of_region
        .get(community)
        .map_or(&[][..], Vec::as_slice);
    for &c in cases {
        let c = c as usize;
        let (Some(case), Some(&at)) = (s.cases.get(c), gi.case_points.get(c)) else {
            continue;
        };
        let color = gi
            .case_department
            .get(c)
            .and_then(|&d| s.departments.get(d as usize))
            .and_then(|d| palette::Srgba::from_hex(&d.color))
            .unwrap_or(palette::ACCENT);
        let closed = case.lifecycle.is_closed();
        let overdue = now.is_some_and(|t| case.is_overdue(t));
        let (radius, rim) = match (closed, overdue) {
            (true, _) => (3.5, None),
            (false, true) => (6.0, Some(palette::ALERT)),
            (false, false) => (5.5, Some(palette::TEXT)),
        };
        if let Some(rim) = rim {
            out.highlight.fill(&dot(at, (radius + 1.5) * px), rim);
        }
        let fill = if closed { color.with_alpha(200) } else { color };
        out.highlight.fill(&dot(at, radius * px), fill);
    }
}

/// The open case's mark on the map: a ring in the selection's color around its dot, `px`
/// metres per screen pixel. Empty for an index outside the snapshot.
pub fn case_marker(city: &CityData, case: usize, px: f64) -> MeshBuffers {
    let mut out = MeshBuffers::default();
    if let Some(&at) = city.index.governance.case_points.get(case) {
        out.stroke_polygon(&dot(at, 11.0 * px), 3.0 * px, palette::HIGHLIGHT);
    }
    out
}

/// A round dot of `radius` (m) around `at`, as a 12-sided polygon.
fn dot(at: P2, radius: f64) -> crate::geo::LocalPolygon {
    let exterior = (0..12)
        .map(|k| {
            let a = k as f64 * std::f64::consts::TAU / 12.0;
            [at[0] + radius * a.cos(), at[1] + radius * a.sin()]
        })
        .collect();
    crate::geo::LocalPolygon {
        exterior,
        holes: Vec::new(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_community_shows_its_grids_and_cases() {
        let city = CityData::new(crate::demo::load_demo().expect("demo").snapshot);
        let gi = &city.index.governance;
        let community = (0..city.snapshot.regions.len())
            .find(|&r| {
                gi.grids_of.get(r).is_some_and(|g| g.len() > 2)
                    && gi.cases_of_region.get(r).is_some_and(|c| c.len() > 3)
            })
            .expect("the demo has a community with grids and cases");
        let with = build(
            &city,
            Depth::Community(community, None),
            Figure::Residents,
            false,
            1.0,
        );
        let grid_labels = with
            .labels
            .iter()
            .filter(|l| l.zh.ends_with("网格"))
            .count();
        assert_eq!(grid_labels, gi.grids_of[community].len());
        // Each case is a dot of 12 triangles' worth of vertices (open ones with a rim too).
        let cases = gi.cases_of_region[community].len();
        assert!(
            with.highlight.positions.len() >= cases * 12,
            "{}",
            with.highlight.positions.len()
        );
        // Without governance tables the community looks as before.
        let mut plain = crate::demo::load_demo().expect("demo").snapshot;
        plain.grids.clear();
        plain.cases.clear();
        for b in &mut plain.buildings {
            b.grid = None;
        }
        let plain = CityData::new(plain);
        let without = build(
            &plain,
            Depth::Community(community, None),
            Figure::Residents,
            false,
            1.0,
        );
        assert!(without.highlight.positions.len() < with.highlight.positions.len());
        assert_eq!(without.labels.len() + grid_labels, with.labels.len());
    }
}
