//! Where generated rows go: each building in the grid of its nearest seed, and points for
//! cases and places that lie inside their grid as written (rounded to the file's 7
//! decimals, then tested as the validator tests them).

use super::super::rng::Rng;
use super::Frame;
use super::grids::CommunityGrids;
use crate::geo::{LocalPolygon, P2, Rect};
use crate::snapshot::{Point, Snapshot};

/// Buildings placed in grids.
pub(super) struct Placed {
    /// Grid (index into the grids to be written, in [`CommunityGrids`] order) of each
    /// building.
    pub grid_of_building: Vec<Option<usize>>,
    /// Residents per community (in `shapes` order) per cell.
    pub residents: Vec<Vec<i64>>,
}

/// Puts each building in the cell of its footprint's label point.
pub(super) fn assign_buildings(s: &Snapshot, frame: &Frame, shapes: &[CommunityGrids]) -> Placed {
    let mut first_grid = Vec::with_capacity(shapes.len());
    let mut next = 0;
    for c in shapes {
        first_grid.push(next);
        next += c.cells.len();
    }
    let by_community: std::collections::HashMap<&str, usize> = shapes
        .iter()
        .enumerate()
        .map(|(k, c)| (s.regions[c.region].id.as_str(), k))
        .collect();
    let mut residents: Vec<Vec<i64>> = shapes.iter().map(|c| vec![0; c.cells.len()]).collect();
    let grid_of_building = s
        .buildings
        .iter()
        .map(|b| {
            let &k = by_community.get(b.community.as_str())?;
            let p = LocalPolygon::project(&b.footprint, &frame.projection).label_point();
            let j = shapes[k].nearest(p);
            residents[k][j] += b.residents;
            Some(first_grid[k] + j)
        })
        .collect();
    Placed {
        grid_of_building,
        residents,
    }
}

/// Points inside grids, as written.
pub(super) struct Locator {
    /// Each grid's outline as the file has it, in local metres, and its bounds.
    shapes: Vec<(Vec<LocalPolygon>, Rect)>,
    /// Buildings with a grid: (building, grid, label point written).
    pub buildings: Vec<(usize, usize, Point)>,
    /// Buildings of each grid, indices into `buildings`.
    pub in_grid: Vec<Vec<usize>>,
}

impl Locator {
    pub fn new(s: &Snapshot, frame: &Frame) -> Self {
        let shapes: Vec<(Vec<LocalPolygon>, Rect)> = s
            .grids
            .iter()
            .map(|g| {
                let polys: Vec<LocalPolygon> = g
                    .outline
                    .iter()
                    .map(|p| LocalPolygon::project(p, &frame.projection))
                    .collect();
                let mut r = Rect::EMPTY;
                for p in &polys {
                    r.union(&p.bounds());
                }
                (polys, r)
            })
            .collect();
        let grid_by_id: std::collections::HashMap<&str, usize> = s
            .grids
            .iter()
            .enumerate()
            .map(|(i, g)| (g.id.as_str(), i))
            .collect();
        let mut out = Self {
            shapes,
            buildings: Vec::new(),
            in_grid: vec![Vec::new(); s.grids.len()],
        };
        for (b, building) in s.buildings.iter().enumerate() {
            let Some(&g) = building.grid.as_deref().and_then(|id| grid_by_id.get(id)) else {
                continue;
            };
            let p = frame
                .point(LocalPolygon::project(&building.footprint, &frame.projection).label_point());
            if out.contains(frame, g, p) {
                out.in_grid[g].push(out.buildings.len());
                out.buildings.push((b, g, p));
            }
        }
        out
    }

    /// Whether a written point lies in a grid as the validator sees it.
    pub fn contains(&self, frame: &Frame, grid: usize, p: Point) -> bool {
        let local = frame.local(p);
        self.shapes
            .get(grid)
            .is_some_and(|(polys, r)| r.contains(local) && polys.iter().any(|q| q.contains(local)))
    }

    /// A random written point inside a grid, within `radius` metres of `near` when given.
    pub fn point_in(
        &self,
        rng: &mut Rng,
        frame: &Frame,
        grid: usize,
        near: Option<(P2, f64)>,
    ) -> Option<Point> {
        let (_, bounds) = self.shapes.get(grid)?;
        for _ in 0..24 {
            let local = match near {
                Some((c, r)) => [c[0] + rng.range(-r, r), c[1] + rng.range(-r, r)],
                None => [
                    rng.range(bounds.min[0], bounds.max[0]),
                    rng.range(bounds.min[1], bounds.max[1]),
                ],
            };
            let p = frame.point(local);
            if self.contains(frame, grid, p) {
                return Some(p);
            }
        }
        None
    }

    /// Number of grids.
    pub fn grids(&self) -> usize {
        self.shapes.len()
    }
}
