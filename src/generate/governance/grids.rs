//! Generated grids (网格): each community cut into 5–8 Voronoi cells of well-spread seeds
//! (two rounds of Lloyd relaxation, so no slivers), clipped to the community: the cells tile
//! it exactly. Liaoning Road subdistrict gets its 31 grids and the published figures.

use super::super::apportion;
use super::super::buildings::owner_name;
use super::super::rng::Rng;
use super::super::shapes::{clean, clip};
use super::Frame;
use crate::geo::{P2, centroid, point_in_ring};
use crate::snapshot::{Grid, Level, Snapshot};

/// Liaoning Road subdistrict (辽宁路街道): 58 building and courtyard branches merged into 31
/// grid party branches, 278 party-member households, ~118,000 residents reached.
pub(super) const LIAONING_ROAD: &str = "370203005";
const LIAONING_GRIDS: i64 = 31;
const LIAONING_PARTY_HOUSEHOLDS: i64 = 278;
const LIAONING_REACHED: i64 = 118_000;

/// Chinese numerals for branch names.
const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn numeral(k: usize) -> String {
    match k {
        1..=10 => NUMERALS[k - 1].to_string(),
        11..=19 => format!("十{}", NUMERALS[k - 11]),
        _ => k.to_string(),
    }
}

/// A community's grids in local metres, before they become rows.
pub(super) struct CommunityGrids {
    /// Index of the community in `regions`.
    pub region: usize,
    /// Seeds: a point's grid is its nearest seed's.
    pub seeds: Vec<P2>,
    /// Cell polygons (open, counter-clockwise), in seed order.
    pub cells: Vec<Vec<P2>>,
}

impl CommunityGrids {
    /// The cell of the nearest seed.
    pub fn nearest(&self, p: P2) -> usize {
        let d = |s: &P2| (s[0] - p[0]).powi(2) + (s[1] - p[1]).powi(2);
        (0..self.seeds.len())
            .min_by(|&a, &b| d(&self.seeds[a]).total_cmp(&d(&self.seeds[b])))
            .unwrap_or(0)
    }
}

/// The Voronoi cell of seed `i` within a convex polygon.
fn cell(poly: &[P2], seeds: &[P2], i: usize) -> Vec<P2> {
    let mut out = poly.to_vec();
    let s = seeds[i];
    for (j, o) in seeds.iter().enumerate() {
        if j == i || out.len() < 3 {
            continue;
        }
        let n = [o[0] - s[0], o[1] - s[1]];
        let m = [(o[0] + s[0]) * 0.5, (o[1] + s[1]) * 0.5];
        out = clip(&out, n, n[0] * m[0] + n[1] * m[1], true);
    }
    out
}

/// `k` seeds spread over a convex polygon: best of 16 candidates each, then Lloyd.
fn seeds(rng: &mut Rng, poly: &[P2], k: usize) -> Vec<P2> {
    let mut lo = [f64::INFINITY; 2];
    let mut hi = [f64::NEG_INFINITY; 2];
    for p in poly {
        lo = [lo[0].min(p[0]), lo[1].min(p[1])];
        hi = [hi[0].max(p[0]), hi[1].max(p[1])];
    }
    let mut out: Vec<P2> = Vec::with_capacity(k);
    while out.len() < k {
        let mut best: Option<(f64, P2)> = None;
        for _ in 0..16 {
            let c = [rng.range(lo[0], hi[0]), rng.range(lo[1], hi[1])];
            if !point_in_ring(c, poly) {
                continue;
            }
            let d = out
                .iter()
                .map(|s| (s[0] - c[0]).hypot(s[1] - c[1]))
                .fold(f64::INFINITY, f64::min);
            if best.is_none_or(|(bd, _)| d > bd) {
                best = Some((d, c));
            }
        }
        if let Some((_, c)) = best {
            out.push(c);
        }
    }
    for _ in 0..2 {
        let moved: Vec<P2> = (0..k)
            .map(|i| {
                let c = cell(poly, &out, i);
                if c.len() >= 3 { centroid(&c) } else { out[i] }
            })
            .collect();
        out = moved;
    }
    out
}

/// Cuts every community into grids and returns their shapes; regions in table order.
pub(super) fn shapes(rng: &mut Rng, s: &Snapshot, frame: &Frame) -> Vec<CommunityGrids> {
    let communities: Vec<usize> = (0..s.regions.len())
        .filter(|&i| s.regions[i].level == Level::Community)
        .collect();
    let liaoning: Vec<usize> = communities
        .iter()
        .copied()
        .filter(|&i| s.regions[i].parent.as_deref() == Some(LIAONING_ROAD))
        .collect();
    let liaoning_counts = if liaoning.is_empty() {
        Vec::new()
    } else {
        // 31 over its communities by area, at least 4 each.
        let areas: Vec<f64> = liaoning.iter().map(|&i| frame.area(i)).collect();
        apportion(LIAONING_GRIDS, &areas)
            .into_iter()
            .map(|n| n.max(4) as usize)
            .collect()
    };
    communities
        .iter()
        .map(|&i| {
            let poly = frame.outline(i);
            let k = match liaoning.iter().position(|&l| l == i) {
                Some(p) => liaoning_counts[p],
                None => rng.int(5, 8) as usize,
            };
            let mut seeds = seeds(rng, &poly, k);
            // Number grids north to south, then west to east, as a map is read.
            seeds.sort_by(|a, b| b[1].total_cmp(&a[1]).then(a[0].total_cmp(&b[0])));
            let cells = (0..seeds.len())
                .map(|j| clean(cell(&poly, &seeds, j), 0.05))
                .collect();
            CommunityGrids {
                region: i,
                seeds,
                cells,
            }
        })
        .collect()
}

/// The grid rows, with residents per grid (from the buildings) for their figures.
pub(super) fn rows(
    rng: &mut Rng,
    s: &Snapshot,
    all: &[CommunityGrids],
    residents: &[Vec<i64>],
    frame: &Frame,
) -> Vec<Grid> {
    let mut out = Vec::new();
    // Liaoning Road's published totals, shared over its grids by residents.
    let liaoning: Vec<(usize, usize)> = all
        .iter()
        .enumerate()
        .filter(|(_, c)| s.regions[c.region].parent.as_deref() == Some(LIAONING_ROAD))
        .flat_map(|(k, c)| (0..c.cells.len()).map(move |j| (k, j)))
        .collect();
    let weights: Vec<f64> = liaoning
        .iter()
        .map(|&(k, j)| residents[k][j].max(1) as f64)
        .collect();
    let party = apportion(LIAONING_PARTY_HOUSEHOLDS, &weights);
    let reached = apportion(LIAONING_REACHED, &weights);
    for (k, c) in all.iter().enumerate() {
        let region = &s.regions[c.region];
        for (j, cell) in c.cells.iter().enumerate() {
            let n = j + 1;
            let people = residents[k][j];
            let (party_households, online) = match liaoning.iter().position(|&x| x == (k, j)) {
                Some(p) => (party[p], reached[p]),
                None => (
                    ((people as f64 / rng.range(250.0, 420.0)).round() as i64).max(1),
                    (people as f64 * rng.range(0.3, 0.55)).round() as i64,
                ),
            };
            out.push(Grid {
                id: format!("{}{n:03}", region.id),
                community: region.id.clone(),
                name: format!("{}第{n}网格", region.name),
                name_en: format!("{}, Grid {n}", region.name_en),
                outline: vec![frame.to_polygon(cell)],
                worker: owner_name(rng),
                party_branch: format!("{}第{}网格党支部", region.name, numeral(n)),
                party_branch_en: format!("Grid {n} Party Branch, {}", region.name_en),
                party_member_households: party_households,
                volunteers: ((people as f64 / rng.range(60.0, 120.0)).round() as i64).max(3),
                residents_online: online,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::shapes::district_outline;
    use crate::geo::signed_area;

    fn area(ring: &[P2]) -> f64 {
        signed_area(ring).abs()
    }

    #[test]
    fn voronoi_cells_tile_a_convex_polygon_without_slivers() {
        let mut rng = Rng::new(11);
        let poly = district_outline(&mut rng, 600_000.0);
        for k in [1, 5, 8] {
            let seeds = seeds(&mut rng, &poly, k);
            let cells: Vec<Vec<P2>> = (0..k).map(|j| cell(&poly, &seeds, j)).collect();
            let total: f64 = cells.iter().map(|c| area(c)).sum();
            assert!((total - 600_000.0).abs() < 1e-3, "{k}: {total}");
            let smallest = cells.iter().map(|c| area(c)).fold(f64::INFINITY, f64::min);
            assert!(
                smallest > 600_000.0 / k as f64 * 0.3,
                "{k}: sliver of {smallest} m²"
            );
        }
        assert_eq!(numeral(3), "三");
        assert_eq!(numeral(12), "十二");
    }
}
