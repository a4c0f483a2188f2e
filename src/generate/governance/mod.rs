//! Schema v2's tables for generated snapshots: grids tiling every community, buildings
//! assigned to their grid, 30 days of cases, places, participation per community and the
//! Fangyuan night-market story. Added after everything else, each table from its own random
//! stream, so that the regions, buildings, departments' metrics and ring of a snapshot are
//! exactly what they were before v2.

mod cases;
mod catalog;
mod grids;
mod locate;
mod places;
mod story;

use super::rng::Rng;
use crate::geo::{LocalPolygon, P2, Projection, signed_area};
use crate::snapshot::index::projection_of;
use crate::snapshot::{Department, Point, Polygon, Snapshot};

/// Seeds of the separate random streams, mixed with the snapshot's seed.
const GRID_STREAM: u64 = 0x6772_6964_7300_0001;
const CASE_STREAM: u64 = 0x6361_7365_7300_0002;
const PLACE_STREAM: u64 = 0x706c_6163_6500_0003;

/// Departments cases and the story need beyond the hall's seven: (id, zh, en, color). Added
/// at the end of the table when missing; they have no metrics, so the ring does not change.
const CASE_DEPARTMENTS: [(&str, &str, &str, &str); 3] = [
    ("urban_mgmt", "城管", "Urban Management", "#8a9a5b"),
    ("law_enforcement", "综合执法", "Law Enforcement", "#b07d48"),
    ("market", "市场监管", "Market Regulation", "#d4a017"),
];

/// Local metres of the finished snapshot (the projection the index and the validator use)
/// and its community outlines.
pub(super) struct Frame {
    projection: Projection,
    /// Open exterior ring of each region's first polygon, local metres.
    outlines: Vec<Vec<P2>>,
}

fn round7(v: f64) -> f64 {
    (v * 1e7).round() / 1e7
}

impl Frame {
    fn new(s: &Snapshot) -> Self {
        let projection = projection_of(s);
        let outlines = s
            .regions
            .iter()
            .map(|r| {
                r.outline
                    .first()
                    .map(|p| LocalPolygon::project(p, &projection).exterior)
                    .unwrap_or_default()
            })
            .collect();
        Self {
            projection,
            outlines,
        }
    }

    /// A region's outline (open ring, local metres).
    fn outline(&self, region: usize) -> Vec<P2> {
        self.outlines.get(region).cloned().unwrap_or_default()
    }

    fn area(&self, region: usize) -> f64 {
        self.outlines
            .get(region)
            .map_or(0.0, |r| signed_area(r).abs())
    }

    /// A local point as the file writes it (degrees, 7 decimals).
    fn point(&self, p: P2) -> Point {
        let (x, y) = self.projection.to_file(p);
        (round7(x), round7(y))
    }

    /// A written point back in local metres: what the validator tests.
    fn local(&self, p: Point) -> P2 {
        self.projection.to_local(p)
    }

    /// An open local ring as a closed file polygon.
    fn to_polygon(&self, ring: &[P2]) -> Polygon {
        let mut exterior: Vec<Point> = ring.iter().map(|p| self.point(*p)).collect();
        exterior.dedup();
        if let Some(first) = exterior.first().copied() {
            exterior.push(first);
        }
        Polygon {
            exterior,
            holes: Vec::new(),
        }
    }
}

/// Adds grids (and buildings' grids), cases, places, participation and the story to a
/// generated snapshot. `cases` is how many cases to make over 30 days.
pub(super) fn add(s: &mut Snapshot, seed: u64, cases: usize) {
    for (id, zh, en, color) in CASE_DEPARTMENTS {
        if !s.departments.iter().any(|d| d.id == id) {
            s.departments.push(Department {
                id: id.into(),
                name: zh.into(),
                name_en: en.into(),
                color: color.into(),
            });
        }
    }
    let frame = Frame::new(s);
    let mut rng = Rng::new(seed ^ GRID_STREAM);
    let shapes = grids::shapes(&mut rng, s, &frame);
    let placed = locate::assign_buildings(s, &frame, &shapes);
    s.grids = grids::rows(&mut rng, s, &shapes, &placed.residents, &frame);
    for (b, grid) in s.buildings.iter_mut().zip(&placed.grid_of_building) {
        b.grid = grid.map(|g| s.grids[g].id.clone());
    }
    let locator = locate::Locator::new(s, &frame);
    let scene = story::scene(s, &locator);
    let mut rng = Rng::new(seed ^ CASE_STREAM);
    s.cases = cases::generate(
        &mut rng,
        s,
        &locator,
        &frame,
        cases,
        &story::forced_cases(&scene),
    );
    let mut rng = Rng::new(seed ^ PLACE_STREAM);
    s.places = places::places(&mut rng, s, &locator, &frame);
    s.participation = places::participation(&mut rng, s);
    s.stories = story::story(s, &scene).into_iter().collect();
}

#[cfg(test)]
mod tests;
