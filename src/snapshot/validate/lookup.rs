//! What the governance rules look up: ids of every table, and region and grid outlines in
//! local metres for point-in-polygon tests and areas. Built once per validation.

use std::collections::{HashMap, HashSet};

use crate::geo::{LocalPolygon, P2, Projection};
use crate::snapshot::index::projection_of;
use crate::snapshot::model::{Level, Point, Snapshot};

/// A point this close to an area's edge (metres, measured in the local projection, so for
/// any crs) counts as inside it: points on a shared border belong to both sides.
pub(super) const BORDER_TOLERANCE_M: f64 = 2.0;

/// A region or a grid, as a case or a place names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Area {
    /// Index into `regions`.
    Region(usize),
    /// Index into `grids`.
    Grid(usize),
}

pub(super) struct Lookup<'a> {
    pub projection: Projection,
    /// First row of each id.
    pub regions: HashMap<&'a str, usize>,
    pub grids: HashMap<&'a str, usize>,
    pub buildings: HashMap<&'a str, usize>,
    pub cases: HashSet<&'a str>,
    pub departments: HashSet<&'a str>,
    region_shapes: Vec<Vec<LocalPolygon>>,
    grid_shapes: Vec<Vec<LocalPolygon>>,
}

fn first_rows<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
    let mut out = HashMap::new();
    for (i, id) in ids.enumerate() {
        out.entry(id).or_insert(i);
    }
    out
}

impl<'a> Lookup<'a> {
    pub fn new(s: &'a Snapshot) -> Self {
        let projection = projection_of(s);
        let project = |outline: &[crate::snapshot::Polygon]| -> Vec<LocalPolygon> {
            outline
                .iter()
                .map(|p| LocalPolygon::project(p, &projection))
                .collect()
        };
        Self {
            projection,
            regions: first_rows(s.regions.iter().map(|r| r.id.as_str())),
            grids: first_rows(s.grids.iter().map(|g| g.id.as_str())),
            buildings: first_rows(s.buildings.iter().map(|b| b.id.as_str())),
            cases: s.cases.iter().map(|c| c.id.as_str()).collect(),
            departments: s.departments.iter().map(|d| d.id.as_str()).collect(),
            // Cases and places name communities and grids only: the others stay empty.
            region_shapes: s
                .regions
                .iter()
                .map(|r| {
                    if r.level == Level::Community {
                        project(&r.outline)
                    } else {
                        Vec::new()
                    }
                })
                .collect(),
            grid_shapes: s.grids.iter().map(|g| project(&g.outline)).collect(),
        }
    }

    /// The community or grid an id names.
    pub fn area(&self, id: &str) -> Option<Area> {
        self.grids
            .get(id)
            .map(|&g| Area::Grid(g))
            .or_else(|| self.regions.get(id).map(|&r| Area::Region(r)))
    }

    /// Outline of a community (empty for other levels) in local metres.
    pub fn region_shape(&self, region: usize) -> &[LocalPolygon] {
        self.region_shapes.get(region).map_or(&[], Vec::as_slice)
    }

    /// Outline of a grid in local metres.
    pub fn grid_shape(&self, grid: usize) -> &[LocalPolygon] {
        self.grid_shapes.get(grid).map_or(&[], Vec::as_slice)
    }

    /// Whether a file point lies inside an area or within [`BORDER_TOLERANCE_M`] of its edge
    /// (a case snapped to a street's centre line on the border of two grids drawn along it).
    pub fn contains(&self, area: Area, p: Point) -> bool {
        let shape = match area {
            Area::Region(r) => self.region_shape(r),
            Area::Grid(g) => self.grid_shape(g),
        };
        let local = self.projection.to_local(p);
        shape.iter().any(|poly| poly.contains(local))
            || shape.iter().any(|poly| {
                std::iter::once(&poly.exterior)
                    .chain(&poly.holes)
                    .any(|ring| crate::geo::ring_distance(ring, local) <= BORDER_TOLERANCE_M)
            })
    }

    /// A local point as the file writes it, for messages: `(120.37451, 36.08702)` in degrees,
    /// `(1234.5, 678.9)` in metres.
    pub fn describe(&self, p: P2, geographic: bool) -> String {
        let (x, y) = self.projection.to_file(p);
        if geographic {
            format!("({x:.5}, {y:.5})")
        } else {
            format!("({x:.1}, {y:.1})")
        }
    }
}
