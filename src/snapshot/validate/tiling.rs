//! How well a set of parts tiles a whole (grids their community): areas of gap, of overlap
//! between each pair of parts and of each part outside the whole, with a point to name for
//! each. Measured along 256 horizontal scan lines across the whole's bounds, exactly along
//! each line: cost grows with rows × edges plus the pairs that overlap, not with area or with
//! the square of the parts; a shared border drawn twice gives no false gap, and areas are
//! right to within a row's height times the width of what they measure. A part's area outside
//! is its exact polygon area less the area measured inside, so what lies beyond the whole's
//! rows (a stray polygon far away) counts in full.

use std::collections::HashMap;

use crate::geo::{LocalPolygon, P2, centroid, signed_area};

/// Scan lines per whole: the areas are exact up to the shape's variation between lines
/// (1/256 of its height).
const ROWS: usize = 256;

/// An area found by [`tiling`], in m², with its centre (local metres).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Patch {
    pub area_m2: f64,
    pub at: P2,
}

/// What [`tiling`] measured.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Tiling {
    /// Area of the whole that no part covers.
    pub gap: Option<Patch>,
    /// (part a, part b, overlap) for each pair that overlaps, a < b, sorted.
    pub overlaps: Vec<(usize, usize, Patch)>,
    /// (part, area outside the whole) for each part that reaches outside.
    pub outside: Vec<(usize, Patch)>,
}

/// Accumulates an area and its first moments (area × centroid).
#[derive(Default, Clone, Copy)]
struct Acc {
    area: f64,
    x: f64,
    y: f64,
}

impl Acc {
    fn add(&mut self, x0: f64, x1: f64, y: f64, dy: f64) {
        let a = (x1 - x0) * dy;
        self.area += a;
        self.x += (x0 + x1) * 0.5 * a;
        self.y += y * a;
    }

    fn patch(self) -> Option<Patch> {
        (self.area > 0.0).then(|| Patch {
            area_m2: self.area,
            at: [self.x / self.area, self.y / self.area],
        })
    }

    /// The exact area and moments of a multipolygon (holes subtracted).
    fn of_shape(shape: &[LocalPolygon]) -> Self {
        let mut acc = Acc::default();
        for poly in shape {
            for (ring, sign) in
                std::iter::once((&poly.exterior, 1.0)).chain(poly.holes.iter().map(|h| (h, -1.0)))
            {
                let a = signed_area(ring).abs() * sign;
                let c = centroid(ring);
                acc.area += a;
                acc.x += c[0] * a;
                acc.y += c[1] * a;
            }
        }
        acc
    }
}

/// Where a multipolygon's rings cross the line at `y`, sorted (even–odd pairs are inside).
fn crossings(shape: &[LocalPolygon], y: f64, out: &mut Vec<f64>) {
    out.clear();
    for poly in shape {
        for ring in std::iter::once(&poly.exterior).chain(&poly.holes) {
            let n = ring.len();
            for i in 0..n {
                let (a, b) = (ring[i], ring[(i + 1) % n]);
                if (a[1] > y) != (b[1] > y) {
                    out.push(a[0] + (y - a[1]) / (b[1] - a[1]) * (b[0] - a[0]));
                }
            }
        }
    }
    out.sort_by(f64::total_cmp);
}

/// Measures how `parts` tile `whole` (shapes in local metres).
pub(crate) fn tiling(whole: &[LocalPolygon], parts: &[&[LocalPolygon]]) -> Tiling {
    let mut bounds = crate::geo::Rect::EMPTY;
    for p in whole {
        bounds.union(&p.bounds());
    }
    if bounds.is_empty() || !bounds.height().is_finite() || bounds.height() <= 0.0 {
        return Tiling::default();
    }
    let dy = bounds.height() / ROWS as f64;
    let n = parts.len();
    let mut gap = Acc::default();
    // Pairs are few where grids tile: kept only for the pairs that meet.
    let mut overlap: HashMap<(u32, u32), Acc> = HashMap::new();
    let mut inside_whole = vec![Acc::default(); n];
    // (x, shape: 0 the whole, k + 1 part k, entering?)
    let mut events: Vec<(f64, usize, bool)> = Vec::new();
    let mut xs: Vec<f64> = Vec::new();
    let mut depth = vec![0i32; n + 1];
    // The parts the line is inside, kept as it moves: slot of each part in `active`.
    let mut active: Vec<usize> = Vec::new();
    let mut slot = vec![usize::MAX; n];
    // Where each active part entered, and the whole's covered length and its x-moment up to
    // there, so that a part's length inside the whole is a difference.
    let mut entered = vec![(0.0f64, 0.0f64, 0.0f64); n];
    for row in 0..ROWS {
        let y = bounds.min[1] + (row as f64 + 0.5) * dy;
        events.clear();
        for (k, shape) in std::iter::once(whole)
            .chain(parts.iter().copied())
            .enumerate()
        {
            crossings(shape, y, &mut xs);
            for pair in xs.chunks_exact(2) {
                events.push((pair[0], k, true));
                events.push((pair[1], k, false));
            }
        }
        events.sort_by(|a, b| a.0.total_cmp(&b.0));
        depth.fill(0);
        active.clear();
        slot.fill(usize::MAX);
        let (mut covered, mut moment) = (0.0f64, 0.0f64);
        let mut last_x = f64::NEG_INFINITY;
        for &(x, k, enter) in &events {
            if x > last_x && last_x.is_finite() && depth[0] > 0 {
                covered += x - last_x;
                moment += (x * x - last_x * last_x) * 0.5;
                if active.is_empty() {
                    gap.add(last_x, x, y, dy);
                }
            }
            last_x = x;
            let was = depth[k] > 0;
            depth[k] += if enter { 1 } else { -1 };
            if k == 0 || was == (depth[k] > 0) {
                continue;
            }
            let p = k - 1;
            if !was {
                slot[p] = active.len();
                active.push(p);
                entered[p] = (x, covered, moment);
                continue;
            }
            let (x0, c0, m0) = entered[p];
            let acc = &mut inside_whole[p];
            acc.area += (covered - c0) * dy;
            acc.x += (moment - m0) * dy;
            acc.y += y * (covered - c0) * dy;
            let at = slot[p];
            active.swap_remove(at);
            if let Some(&moved) = active.get(at) {
                slot[moved] = at;
            }
            slot[p] = usize::MAX;
            for &q in &active {
                let from = x0.max(entered[q].0);
                if x > from {
                    let key = (p.min(q) as u32, p.max(q) as u32);
                    overlap.entry(key).or_default().add(from, x, y, dy);
                }
            }
        }
    }
    let mut overlaps: Vec<(usize, usize, Patch)> = overlap
        .into_iter()
        .filter_map(|((a, b), acc)| acc.patch().map(|p| (a as usize, b as usize, p)))
        .collect();
    overlaps.sort_by_key(|&(a, b, _)| (a, b));
    let mut out = Tiling {
        gap: gap.patch(),
        overlaps,
        outside: Vec::new(),
    };
    for (a, shape) in parts.iter().enumerate() {
        let total = Acc::of_shape(shape);
        let inside = inside_whole[a];
        let rest = Acc {
            area: total.area - inside.area,
            x: total.x - inside.x,
            y: total.y - inside.y,
        };
        // Below a square centimetre is the rows' rounding, not a part outside.
        if rest.area > 1e-4
            && let Some(p) = rest.patch()
        {
            out.outside.push((a, p));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tiny_polygon_far_away_counts_outside_and_leaves_the_scan_on_the_whole() {
        let whole = rect(0.0, 0.0, 100.0, 100.0);
        let mut a = rect(0.0, 0.0, 50.0, 100.0);
        a.extend(rect(1e6, 1e6, 1e6 + 1.0, 1e6 + 1.0));
        let t = tiling(&whole, &[&a]);
        let gap = t.gap.map_or(0.0, |p| p.area_m2);
        assert!((gap - 5_000.0).abs() < 1.0, "{t:?}");
        assert_eq!(t.outside.len(), 1);
        assert!((t.outside[0].1.area_m2 - 1.0).abs() < 1e-6, "{t:?}");
    }

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<LocalPolygon> {
        vec![LocalPolygon {
            exterior: vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]],
            holes: vec![],
        }]
    }

    #[test]
    fn halves_tile_exactly() {
        let whole = rect(0.0, 0.0, 100.0, 100.0);
        let (a, b) = (rect(0.0, 0.0, 50.0, 100.0), rect(50.0, 0.0, 100.0, 100.0));
        let t = tiling(&whole, &[&a, &b]);
        assert_eq!(t, Tiling::default());
    }

    #[test]
    fn gap_overlap_and_outside_are_measured_and_placed() {
        let whole = rect(0.0, 0.0, 100.0, 100.0);
        // a covers x 0–60, b covers x 50–90 and sticks out above: overlap 10×100, gap
        // 10×100 at x 90–100, b outside 40×20.
        let (a, b) = (rect(0.0, 0.0, 60.0, 100.0), rect(50.0, 0.0, 90.0, 120.0));
        let t = tiling(&whole, &[&a, &b]);
        let gap = t.gap.unwrap_or(Patch {
            area_m2: 0.0,
            at: [0.0, 0.0],
        });
        assert!((gap.area_m2 - 1_000.0).abs() < 5.0, "{gap:?}");
        assert!(
            (gap.at[0] - 95.0).abs() < 0.5 && (gap.at[1] - 50.0).abs() < 1.0,
            "{gap:?}"
        );
        assert_eq!(t.overlaps.len(), 1);
        let (i, j, o) = t.overlaps[0];
        assert_eq!((i, j), (0, 1));
        assert!(
            (o.area_m2 - 1_000.0).abs() < 5.0 && (o.at[0] - 55.0).abs() < 0.5,
            "{o:?}"
        );
        assert_eq!(t.outside.len(), 1);
        assert_eq!(t.outside[0].0, 1);
        assert!((t.outside[0].1.area_m2 - 800.0).abs() < 20.0, "{t:?}");
    }

    #[test]
    fn holes_are_not_covered_area() {
        let mut whole = rect(0.0, 0.0, 100.0, 100.0);
        whole[0]
            .holes
            .push(vec![[40.0, 40.0], [40.0, 60.0], [60.0, 60.0], [60.0, 40.0]]);
        let mut part = rect(0.0, 0.0, 100.0, 100.0);
        part[0].holes = whole[0].holes.clone();
        // Outside is exact area less scanned area: off by under a row (0.39 m) × 20 m.
        let same = tiling(&whole, &[&part]);
        assert!(same.gap.is_none() && same.overlaps.is_empty(), "{same:?}");
        assert!(
            same.outside.iter().all(|(_, p)| p.area_m2 < 8.0),
            "{same:?}"
        );
        let full = rect(0.0, 0.0, 100.0, 100.0);
        let t = tiling(&whole, &[&full]);
        // Rows are 100/256 m apart: the hole's 20 m height is measured to within a row.
        assert!((t.outside[0].1.area_m2 - 400.0).abs() < 10.0, "{t:?}");
    }
}
