//! Cases as the map shows them at a scale: points binned into square cells of the map, one
//! cluster per occupied cell with its count, its centre and its departments. Every case
//! shown lands in exactly one cluster, so the counts add up to the cases shown. Linear in the
//! cases shown (one hash per point), cheap enough to redo on every drill.

use std::collections::HashMap;

use crate::geo::P2;
use crate::snapshot::governance_index::NONE;

/// Cells smaller than this (metres) are taken as this: a tiny cell would push every key to
/// the ends of `i64` and merge far-apart cases into one cluster.
pub const MIN_CELL_M: f64 = 1.0;

/// Cluster cell size in metres for a map drawn at `metres_per_px`, when clusters should be
/// about `cluster_px` screen pixels apart (e.g. 48 for a finger-sized marker).
pub fn cell_for_scale(metres_per_px: f64, cluster_px: f64) -> f64 {
    let m = metres_per_px * cluster_px;
    if m.is_finite() && m > 0.0 {
        m.max(MIN_CELL_M)
    } else {
        MIN_CELL_M
    }
}

/// One cluster of cases.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// Mean of its cases' points, local metres. Summed in the order of `shown`, so another
    /// order can change the last bits of the mean, nothing more.
    pub centre: P2,
    /// Cases in it (≥ 1).
    pub count: u32,
    /// Its first case (index into the snapshot's cases): the case itself when `count` is 1.
    pub first: u32,
    /// (department index, cases) most first, then by department; a case without a known
    /// department counts under [`NONE`].
    pub departments: Vec<(u32, u32)>,
}

impl Cluster {
    /// The department with the most cases: the cluster's colour.
    pub fn main_department(&self) -> u32 {
        self.departments.first().map_or(NONE, |d| d.0)
    }
}

/// Clusters the cases `shown` (indices into `points` and `departments`, the index's
/// `case_points` and `case_department`) into cells of `cell_m` metres. Clusters come ordered
/// by cell, south to north then west to east, so the result does not depend on the order of
/// `shown`; points that are not finite (a validated snapshot has none) and indices out of
/// range are left out. Cells under [`MIN_CELL_M`] are taken as that. A case's department is
/// counted with one hash, however many departments a cell holds.
pub fn cluster(points: &[P2], departments: &[u32], shown: &[u32], cell_m: f64) -> Vec<Cluster> {
    let cell = if cell_m.is_finite() && cell_m > 0.0 {
        cell_m.max(MIN_CELL_M)
    } else {
        MIN_CELL_M
    };
    struct Acc {
        sum: P2,
        count: u32,
        first: u32,
        departments: Vec<(u32, u32)>,
    }
    let mut cells: HashMap<(i64, i64), Acc> = HashMap::new();
    // Cases per (cell, department), gathered into each cell's list at the end.
    let mut by_department: HashMap<((i64, i64), u32), u32> = HashMap::new();
    for &i in shown {
        let Some(&p) = points.get(i as usize) else {
            continue;
        };
        if !(p[0].is_finite() && p[1].is_finite()) {
            continue;
        }
        let key = ((p[1] / cell).floor() as i64, (p[0] / cell).floor() as i64);
        let dept = departments.get(i as usize).copied().unwrap_or(NONE);
        let acc = cells.entry(key).or_insert(Acc {
            sum: [0.0, 0.0],
            count: 0,
            first: i,
            departments: Vec::new(),
        });
        acc.sum[0] += p[0];
        acc.sum[1] += p[1];
        acc.count += 1;
        acc.first = acc.first.min(i);
        *by_department.entry((key, dept)).or_default() += 1;
    }
    for ((key, dept), n) in by_department {
        if let Some(acc) = cells.get_mut(&key) {
            acc.departments.push((dept, n));
        }
    }
    let mut keyed: Vec<((i64, i64), Acc)> = cells.into_iter().collect();
    keyed.sort_unstable_by_key(|(k, _)| *k);
    keyed
        .into_iter()
        .map(|(_, mut a)| {
            a.departments
                .sort_unstable_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
            let n = f64::from(a.count);
            Cluster {
                centre: [a.sum[0] / n, a.sum[1] / n],
                count: a.count,
                first: a.first,
                departments: a.departments,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::rng::Rng;

    #[test]
    fn counts_add_up_to_the_cases_shown_at_every_scale() {
        let mut rng = Rng::new(3);
        let points: Vec<P2> = (0..5_000)
            .map(|_| [rng.range(-4_000.0, 4_000.0), rng.range(-3_000.0, 3_000.0)])
            .collect();
        let departments: Vec<u32> = (0..5_000).map(|i| (i % 7) as u32).collect();
        let shown: Vec<u32> = (0..5_000).filter(|i| i % 3 != 0).collect();
        for cell in [10.0, 250.0, 1_000.0, 20_000.0] {
            let clusters = cluster(&points, &departments, &shown, cell);
            let total: u32 = clusters.iter().map(|c| c.count).sum();
            assert_eq!(total as usize, shown.len(), "cell {cell}");
            for c in &clusters {
                assert_eq!(c.departments.iter().map(|d| d.1).sum::<u32>(), c.count);
                assert!(shown.contains(&c.first));
            }
        }
        assert_eq!(cluster(&points, &departments, &shown, 20_000.0).len(), 4);
    }

    #[test]
    fn nearby_cases_merge_and_singles_keep_their_case() {
        let points = vec![[1.0, 1.0], [3.0, 3.0], [250.0, 10.0], [f64::NAN, 0.0]];
        let departments = vec![2, 5, 2, 0];
        let clusters = cluster(&points, &departments, &[2, 1, 0, 3, 99], 100.0);
        assert_eq!(clusters.len(), 2);
        assert_eq!(clusters[0].count, 2);
        assert_eq!(clusters[0].centre, [2.0, 2.0]);
        assert_eq!(clusters[0].first, 0);
        assert_eq!(clusters[0].departments, vec![(2, 1), (5, 1)]);
        assert_eq!(clusters[0].main_department(), 2);
        assert_eq!((clusters[1].count, clusters[1].first), (1, 2));
        // Order of the input does not matter.
        assert_eq!(cluster(&points, &departments, &[0, 1, 2], 100.0), clusters);
        assert_eq!(cell_for_scale(2.5, 48.0), 120.0);
        assert_eq!(cell_for_scale(f64::NAN, 48.0), 1.0);
    }

    #[test]
    fn tiny_cells_are_one_metre_so_far_cases_stay_apart() {
        let points = vec![[10.0, 10.0], [20.0, 20.0]];
        for cell in [1e-300, 1e-9, 0.5] {
            let clusters = cluster(&points, &[0, 1], &[0, 1], cell);
            assert_eq!(clusters.len(), 2, "cell {cell}");
        }
        assert_eq!(cell_for_scale(1e-300, 48.0), MIN_CELL_M);
    }

    #[test]
    fn a_cell_of_many_departments_counts_each() {
        let points = vec![[5.0, 5.0]; 20_000];
        let departments: Vec<u32> = (0..20_000).map(|i| i / 2).collect();
        let shown: Vec<u32> = (0..20_000).collect();
        let clusters = cluster(&points, &departments, &shown, 100.0);
        assert_eq!(clusters.len(), 1);
        assert_eq!(clusters[0].departments.len(), 10_000);
        assert!(clusters[0].departments.iter().all(|d| d.1 == 2));
        assert_eq!(clusters[0].main_department(), 0);
    }
}
