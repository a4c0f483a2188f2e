//! The index built once when a snapshot is accepted: lookups by id, the hierarchy,
//! aggregates per region, metric values per region, projected shapes and a spatial grid for
//! hit-testing. Plain Rust with no Bevy types.

use std::collections::HashMap;

use super::governance_index::{GovernanceIndex, Hierarchy};
use super::model::{Figures, Level, Snapshot};
use crate::geo::{LocalPolygon, P2, Projection, Rect};

/// A validated snapshot and everything derived from it.
#[derive(Debug, Clone)]
pub struct CityData {
    pub snapshot: Snapshot,
    pub index: Index,
}

impl CityData {
    /// Indexes a snapshot (which should have passed validation).
    pub fn new(snapshot: Snapshot) -> Self {
        let index = Index::build(&snapshot);
        Self { snapshot, index }
    }

    /// The district region.
    pub fn district(&self) -> &super::model::Region {
        &self.snapshot.regions[self.index.district]
    }

    /// Figures to show for a region: the official ones when the snapshot has them, else the
    /// sums over its buildings.
    pub fn figures(&self, region: usize) -> Figures {
        self.snapshot.regions[region]
            .figures
            .unwrap_or(self.index.aggregates[region])
    }
}

/// Derived lookups over one snapshot. Indices point into the snapshot's tables.
#[derive(Debug, Clone)]
pub struct Index {
    pub projection: Projection,
    pub district: usize,
    pub region_by_id: HashMap<String, usize>,
    pub building_by_id: HashMap<String, usize>,
    pub metric_by_id: HashMap<String, usize>,
    /// Child regions of each region, ordered by id.
    pub children: Vec<Vec<usize>>,
    /// Parent of each region.
    pub parent: Vec<Option<usize>>,
    /// Buildings of each region (only communities have any), ordered by id.
    pub buildings_of: Vec<Vec<usize>>,
    /// Community of each building.
    pub community_of: Vec<usize>,
    /// Sums over the buildings below each region.
    pub aggregates: Vec<Figures>,
    /// (metric, latest value) for each region, sorted by metric.
    pub metric_values: Vec<Vec<(usize, f64)>>,
    /// Outlines in local metres.
    pub region_shapes: Vec<Vec<LocalPolygon>>,
    pub region_bounds: Vec<Rect>,
    pub building_shapes: Vec<LocalPolygon>,
    pub building_bounds: Vec<Rect>,
    /// Spatial grid over all buildings.
    pub building_grid: Grid,
    /// Spatial grid over the regions of each level: district, streets, communities.
    pub region_grids: [Grid; 3],
    /// Schema v2's tables: grids, cases and their figures, places, participation.
    pub governance: GovernanceIndex,
}

fn level_slot(level: Level) -> usize {
    match level {
        Level::District => 0,
        Level::Street => 1,
        Level::Community => 2,
    }
}

impl Index {
    /// Builds the index. Dangling references are skipped (validation reports them).
    pub fn build(s: &Snapshot) -> Self {
        let n = s.regions.len();
        let region_by_id: HashMap<String, usize> = s
            .regions
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        let district = s
            .regions
            .iter()
            .position(|r| r.level == Level::District)
            .unwrap_or(0);
        let projection = projection_of(s);

        let mut parent = vec![None; n];
        let mut children = vec![Vec::new(); n];
        for (i, r) in s.regions.iter().enumerate() {
            if let Some(p) = r.parent.as_ref().and_then(|p| region_by_id.get(p)) {
                parent[i] = Some(*p);
                children[*p].push(i);
            }
        }
        for c in &mut children {
            c.sort_by(|a, b| s.regions[*a].id.cmp(&s.regions[*b].id));
        }

        let building_by_id: HashMap<String, usize> = s
            .buildings
            .iter()
            .enumerate()
            .map(|(i, b)| (b.id.clone(), i))
            .collect();
        let mut buildings_of = vec![Vec::new(); n];
        let mut community_of = Vec::with_capacity(s.buildings.len());
        let mut aggregates = vec![Figures::default(); n];
        for (i, b) in s.buildings.iter().enumerate() {
            let c = region_by_id.get(&b.community).copied().unwrap_or(district);
            community_of.push(c);
            buildings_of[c].push(i);
            // Add to the community and every ancestor; bounded against malformed loops.
            let mut cur = Some(c);
            let mut steps = 0;
            while let Some(r) = cur {
                let f = &mut aggregates[r];
                if b.usage.is_residential() {
                    f.residential_buildings += 1;
                    f.floor_area_m2 += b.floor_area_m2;
                }
                f.residents += b.residents;
                f.households += b.households;
                cur = parent[r];
                steps += 1;
                if steps > 8 {
                    break;
                }
            }
        }
        for list in &mut buildings_of {
            list.sort_by(|a, b| s.buildings[*a].id.cmp(&s.buildings[*b].id));
        }

        let metric_by_id: HashMap<String, usize> = s
            .metrics
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.clone(), i))
            .collect();
        let mut metric_values = vec![Vec::new(); n];
        for (mi, m) in s.metrics.iter().enumerate() {
            for (rid, v) in &m.by_region {
                if let Some(&r) = region_by_id.get(rid) {
                    metric_values[r].push((mi, *v));
                }
            }
        }

        let region_shapes: Vec<Vec<LocalPolygon>> = s
            .regions
            .iter()
            .map(|r| {
                r.outline
                    .iter()
                    .map(|p| LocalPolygon::project(p, &projection))
                    .collect()
            })
            .collect();
        let region_bounds: Vec<Rect> = region_shapes
            .iter()
            .map(|polys| {
                let mut b = Rect::EMPTY;
                for p in polys {
                    b.union(&p.bounds());
                }
                b
            })
            .collect();
        let building_shapes: Vec<LocalPolygon> = s
            .buildings
            .iter()
            .map(|b| LocalPolygon::project(&b.footprint, &projection))
            .collect();
        let building_bounds: Vec<Rect> = building_shapes.iter().map(|p| p.bounds()).collect();
        let building_grid = Grid::build(&building_bounds, 4.0);
        let region_grids = [Level::District, Level::Street, Level::Community].map(|level| {
            let bounds: Vec<Rect> = s
                .regions
                .iter()
                .zip(&region_bounds)
                .map(|(r, b)| if r.level == level { *b } else { Rect::EMPTY })
                .collect();
            Grid::build(&bounds, 2.0)
        });

        let governance = GovernanceIndex::build(
            s,
            &Hierarchy {
                projection: &projection,
                region_by_id: &region_by_id,
                parent: &parent,
            },
        );

        Self {
            projection,
            district,
            region_by_id,
            building_by_id,
            metric_by_id,
            children,
            parent,
            buildings_of,
            community_of,
            aggregates,
            metric_values,
            region_shapes,
            region_bounds,
            building_shapes,
            building_bounds,
            building_grid,
            region_grids,
            governance,
        }
    }

    /// The region of `level` under point `p` (local metres), if any.
    pub fn region_at(&self, s: &Snapshot, level: Level, p: P2) -> Option<usize> {
        self.region_grids[level_slot(level)]
            .candidates(p)
            .find(|&i| {
                s.regions[i].level == level
                    && self.region_bounds[i].contains(p)
                    && self.region_shapes[i].iter().any(|poly| poly.contains(p))
            })
    }

    /// The building under point `p` (local metres), if any.
    pub fn building_at(&self, p: P2) -> Option<usize> {
        self.building_grid
            .candidates(p)
            .find(|&i| self.building_bounds[i].contains(p) && self.building_shapes[i].contains(p))
    }

    /// The chain from the district down to `region`, district first.
    pub fn ancestry(&self, region: usize) -> Vec<usize> {
        let mut chain = vec![region];
        let mut cur = self.parent[region];
        while let Some(r) = cur {
            if chain.len() > 8 {
                break;
            }
            chain.push(r);
            cur = self.parent[r];
        }
        chain.reverse();
        chain
    }

    /// Latest value of a metric for a region, if the snapshot has one.
    pub fn metric_value(&self, region: usize, metric: usize) -> Option<f64> {
        // Sorted by metric (built in metric order): a binary search, so that a ring of
        // rankings over thousands of metrics stays cheap.
        let values = self.metric_values.get(region)?;
        values
            .binary_search_by_key(&metric, |(m, _)| *m)
            .ok()
            .map(|i| values[i].1)
    }
}

/// The projection every derived shape of a snapshot uses: local metres around the centre of
/// the district's bounds (else the first region's; else the origin).
pub fn projection_of(s: &Snapshot) -> Projection {
    let origin = s
        .regions
        .iter()
        .find(|r| r.level == Level::District)
        .or(s.regions.first())
        .and_then(|d| d.outline.first())
        .map(|p| bounds_center_file(&p.exterior))
        .unwrap_or((0.0, 0.0));
    Projection::new(s.crs, origin)
}

fn bounds_center_file(ring: &[(f64, f64)]) -> (f64, f64) {
    let pts: Vec<P2> = ring.iter().map(|p| [p.0, p.1]).collect();
    let c = Rect::of_points(&pts);
    if c.is_empty() {
        (0.0, 0.0)
    } else {
        let c = c.center();
        (c[0], c[1])
    }
}

/// A uniform grid of cells, each listing the items whose bounds overlap it.
#[derive(Debug, Clone)]
pub struct Grid {
    origin: P2,
    cell: f64,
    cols: usize,
    rows: usize,
    cells: Vec<Vec<u32>>,
}

impl Grid {
    /// Builds a grid sized for about `per_cell` items per cell. Empty bounds are skipped.
    pub fn build(bounds: &[Rect], per_cell: f64) -> Self {
        let mut all = Rect::EMPTY;
        let mut count = 0usize;
        for b in bounds.iter().filter(|b| !b.is_empty()) {
            all.union(b);
            count += 1;
        }
        if count == 0 || !all.width().is_finite() || !all.height().is_finite() {
            return Self {
                origin: [0.0, 0.0],
                cell: 1.0,
                cols: 0,
                rows: 0,
                cells: Vec::new(),
            };
        }
        let area = (all.width() * all.height()).max(1.0);
        let cell = (area * per_cell / count as f64).sqrt().max(1.0);
        let cols = ((all.width() / cell).ceil() as usize).clamp(1, 2048);
        let rows = ((all.height() / cell).ceil() as usize).clamp(1, 2048);
        let cell = (all.width() / cols as f64)
            .max(all.height() / rows as f64)
            .max(1e-9);
        let mut grid = Self {
            origin: all.min,
            cell,
            cols,
            rows,
            cells: vec![Vec::new(); cols * rows],
        };
        for (i, b) in bounds.iter().enumerate() {
            if b.is_empty() {
                continue;
            }
            let (c0, r0) = grid.cell_of(b.min);
            let (c1, r1) = grid.cell_of(b.max);
            for r in r0..=r1 {
                for c in c0..=c1 {
                    grid.cells[r * cols + c].push(i as u32);
                }
            }
        }
        grid
    }

    fn cell_of(&self, p: P2) -> (usize, usize) {
        let c = ((p[0] - self.origin[0]) / self.cell).floor();
        let r = ((p[1] - self.origin[1]) / self.cell).floor();
        let clamp = |v: f64, n: usize| {
            if v.is_nan() || v < 0.0 {
                0
            } else {
                (v as usize).min(n.saturating_sub(1))
            }
        };
        (clamp(c, self.cols), clamp(r, self.rows))
    }

    /// Items whose bounds may contain `p`.
    pub fn candidates(&self, p: P2) -> impl Iterator<Item = usize> + '_ {
        let inside = self.cols > 0
            && p[0] >= self.origin[0]
            && p[1] >= self.origin[1]
            && p[0] <= self.origin[0] + self.cell * self.cols as f64
            && p[1] <= self.origin[1] + self.cell * self.rows as f64;
        let list: &[u32] = if inside {
            let (c, r) = self.cell_of(p);
            &self.cells[r * self.cols + c]
        } else {
            &[]
        };
        list.iter().map(|&i| i as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_finds_only_overlapping_items() {
        let bounds = vec![
            Rect {
                min: [0.0, 0.0],
                max: [1.0, 1.0],
            },
            Rect {
                min: [5.0, 5.0],
                max: [6.0, 6.0],
            },
            Rect::EMPTY,
        ];
        let g = Grid::build(&bounds, 1.0);
        let at = |p: P2| g.candidates(p).collect::<Vec<_>>();
        assert!(at([0.5, 0.5]).contains(&0));
        assert!(!at([0.5, 0.5]).contains(&1));
        assert!(at([5.5, 5.5]).contains(&1));
        assert!(at([50.0, 50.0]).is_empty());
        assert!(at([f64::NAN, 0.0]).is_empty());
    }
}
