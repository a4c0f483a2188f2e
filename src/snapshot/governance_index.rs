//! The governance part of the index, built once when a snapshot is accepted: grids per
//! community and their shapes, buildings per grid, each case's community and grid, cases per
//! region (rolled up to subdistrict and district) and per grid, case figures per region and
//! grid and department (counts per lifecycle stage, closure rate, average handling time,
//! overdue), places per region and participation summed up the hierarchy.
//! Plain Rust with no Bevy types; indices point into the snapshot's tables.
//! Long file: one build pass over the governance tables and the figures it fills, with their
//! tests; split by table the passes would repeat the hierarchy walk.

use std::collections::HashMap;

use super::governance::{Case, Stage};
use super::model::{Level, Snapshot};
use super::time::Time;
use crate::geo::{LocalPolygon, P2, Projection, Rect};

/// "No row" in the compact `u32` columns.
pub const NONE: u32 = u32::MAX;

/// Case figures over a set of cases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaseStats {
    /// Number of cases.
    pub total: u32,
    /// Cases whose current stage (furthest reached) is each stage, in [`Stage::ALL`] order;
    /// `at_stage[5]` are the closed ones.
    pub at_stage: [u32; 6],
    /// Open cases past their deadline at the snapshot's `exported_at`.
    pub overdue: u32,
    /// Sum over closed cases of seconds from report to closure.
    pub handling_s_sum: i64,
}

impl CaseStats {
    /// Counts one case; `now` is the snapshot's `exported_at` (no overdue without it).
    pub fn add(&mut self, case: &Case, now: Option<Time>) {
        self.total += 1;
        self.at_stage[case.lifecycle.current() as usize] += 1;
        if let Some(h) = case.lifecycle.handling_s() {
            self.handling_s_sum += h;
        }
        if now.is_some_and(|now| case.is_overdue(now)) {
            self.overdue += 1;
        }
    }

    /// Adds another set's figures.
    pub fn merge(&mut self, other: &CaseStats) {
        self.total += other.total;
        for (a, b) in self.at_stage.iter_mut().zip(other.at_stage) {
            *a += b;
        }
        self.overdue += other.overdue;
        self.handling_s_sum += other.handling_s_sum;
    }

    /// Closed cases.
    pub fn closed(&self) -> u32 {
        self.at_stage[Stage::Closed as usize]
    }

    /// Cases not closed.
    pub fn open(&self) -> u32 {
        self.total - self.closed()
    }

    /// Closed ÷ all, 0–1; `None` without cases.
    pub fn closure_rate(&self) -> Option<f64> {
        (self.total > 0).then(|| f64::from(self.closed()) / f64::from(self.total))
    }

    /// Mean seconds from report to closure over closed cases; `None` without any.
    pub fn average_handling_s(&self) -> Option<f64> {
        let closed = self.closed();
        (closed > 0).then(|| self.handling_s_sum as f64 / f64::from(closed))
    }
}

/// Figures over a set of cases: a pure function of the cases and `now` (the snapshot's
/// `exported_at`).
pub fn case_stats<'a>(cases: impl IntoIterator<Item = &'a Case>, now: Option<Time>) -> CaseStats {
    let mut s = CaseStats::default();
    for c in cases {
        s.add(c, now);
    }
    s
}

/// Participation summed over a region's communities.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParticipationTotals {
    /// Communities with a participation row.
    pub communities: u32,
    pub platform_members: i64,
    pub households_reached: i64,
    pub organizations: i64,
    pub service_items: i64,
}

/// Derived lookups over a snapshot's governance tables.
#[derive(Debug, Clone, Default)]
pub struct GovernanceIndex {
    /// The snapshot's `exported_at`, the instant "overdue" is measured at.
    pub now: Option<Time>,
    pub grid_by_id: HashMap<String, usize>,
    pub case_by_id: HashMap<String, usize>,
    pub department_by_id: HashMap<String, usize>,
    /// Grids of each region (communities only), ordered by id.
    pub grids_of: Vec<Vec<usize>>,
    /// Community (region index) of each grid, [`NONE`] when dangling.
    pub grid_community: Vec<u32>,
    /// Grid outlines in local metres, and their bounds.
    pub grid_shapes: Vec<Vec<LocalPolygon>>,
    pub grid_bounds: Vec<Rect>,
    /// Grid of each building ([`NONE`] when it names none).
    pub building_grid: Vec<u32>,
    /// Buildings of each grid, ordered by id.
    pub buildings_of_grid: Vec<Vec<usize>>,
    /// Each case's location in local metres.
    pub case_points: Vec<P2>,
    /// Each case's department (index into `departments`), [`NONE`] when dangling.
    pub case_department: Vec<u32>,
    /// Each case's community (region index), [`NONE`] when unknown.
    pub case_community: Vec<u32>,
    /// Each case's grid: the one it names, else the grid of its community containing it.
    pub case_grid: Vec<u32>,
    /// Cases at or below each region (community, subdistrict, district), in case order.
    pub cases_of_region: Vec<Vec<u32>>,
    /// Cases of each grid, in case order.
    pub cases_of_grid: Vec<Vec<u32>>,
    /// Figures per region over all departments.
    pub region_stats: Vec<CaseStats>,
    /// Figures per (region, department), only where the department has cases there: a
    /// dense table would be regions × departments (10,000 × 10,000 is 8 GB).
    pub region_department_stats: HashMap<(u32, u32), CaseStats>,
    pub grid_stats: Vec<CaseStats>,
    /// Figures per (grid, department), only where the department has cases there.
    pub grid_department_stats: HashMap<(u32, u32), CaseStats>,
    /// Places at or below each region (by the community or grid they name).
    pub places_of_region: Vec<Vec<u32>>,
    /// Places in each grid.
    pub places_of_grid: Vec<Vec<u32>>,
    /// Place points in local metres.
    pub place_points: Vec<P2>,
    /// Participation summed over the communities at or below each region.
    pub participation: Vec<ParticipationTotals>,
}

/// How near `p` lies to a box: its distance to the box, then (within it) to its centre, as
/// one number that orders grids for a point that no grid contains.
fn nearness(b: &Rect, p: P2) -> f64 {
    let dx = (b.min[0] - p[0]).max(p[0] - b.max[0]).max(0.0);
    let dy = (b.min[1] - p[1]).max(p[1] - b.max[1]).max(0.0);
    let c = b.center();
    dx.hypot(dy) * 1e6 + (c[0] - p[0]).hypot(c[1] - p[1])
}

/// The figures stored for (row, department); none stored means no cases.
fn department_stats(
    table: &HashMap<(u32, u32), CaseStats>,
    row: usize,
    department: usize,
) -> CaseStats {
    match (u32::try_from(row), u32::try_from(department)) {
        (Ok(r), Ok(d)) => table.get(&(r, d)).copied().unwrap_or_default(),
        _ => CaseStats::default(),
    }
}

/// What the hierarchy gives the governance index.
pub struct Hierarchy<'a> {
    pub projection: &'a Projection,
    pub region_by_id: &'a HashMap<String, usize>,
    pub parent: &'a [Option<usize>],
}

impl Hierarchy<'_> {
    /// The region and its ancestors, nearest first (bounded against malformed loops).
    fn up(&self, region: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(region), |&r| self.parent.get(r).copied().flatten()).take(8)
    }
}

impl GovernanceIndex {
    /// Builds the index. Dangling references are skipped (validation reports them).
    pub fn build(s: &Snapshot, h: &Hierarchy<'_>) -> Self {
        let n = s.regions.len();
        let now = Time::parse(&s.exported_at);
        let ids = |it: &mut dyn Iterator<Item = &String>| -> HashMap<String, usize> {
            let mut m = HashMap::new();
            for (i, id) in it.enumerate() {
                m.entry(id.clone()).or_insert(i);
            }
            m
        };
        let grid_by_id = ids(&mut s.grids.iter().map(|g| &g.id));
        let case_by_id = ids(&mut s.cases.iter().map(|c| &c.id));
        let department_by_id = ids(&mut s.departments.iter().map(|x| &x.id));

        let mut grids_of = vec![Vec::new(); n];
        let mut grid_community = Vec::with_capacity(s.grids.len());
        for (g, grid) in s.grids.iter().enumerate() {
            match h.region_by_id.get(&grid.community) {
                Some(&c) if s.regions[c].level == Level::Community => {
                    grids_of[c].push(g);
                    grid_community.push(c as u32);
                }
                _ => grid_community.push(NONE),
            }
        }
        for list in &mut grids_of {
            list.sort_by(|a, b| s.grids[*a].id.cmp(&s.grids[*b].id));
        }
        let grid_shapes: Vec<Vec<LocalPolygon>> = s
            .grids
            .iter()
            .map(|g| {
                g.outline
                    .iter()
                    .map(|p| LocalPolygon::project(p, h.projection))
                    .collect()
            })
            .collect();
        let grid_bounds: Vec<Rect> = grid_shapes
            .iter()
            .map(|polys| {
                let mut b = Rect::EMPTY;
                for p in polys {
                    b.union(&p.bounds());
                }
                b
            })
            .collect();
        // The grid containing the point, else the nearest of the community's grids (a point
        // in a tolerated gap between grids, or on a border): so a community's grid counts add
        // up to its count.
        let grid_at = |community: usize, p: P2| -> u32 {
            let grids = &grids_of[community];
            grids
                .iter()
                .find(|&&g| {
                    grid_bounds[g].contains(p) && grid_shapes[g].iter().any(|q| q.contains(p))
                })
                .or_else(|| {
                    grids.iter().min_by(|&&a, &&b| {
                        nearness(&grid_bounds[a], p).total_cmp(&nearness(&grid_bounds[b], p))
                    })
                })
                .map_or(NONE, |&g| g as u32)
        };

        let mut building_grid = vec![NONE; s.buildings.len()];
        let mut buildings_of_grid = vec![Vec::new(); s.grids.len()];
        for (b, building) in s.buildings.iter().enumerate() {
            if let Some(&g) = building.grid.as_ref().and_then(|id| grid_by_id.get(id)) {
                building_grid[b] = g as u32;
                buildings_of_grid[g].push(b);
            }
        }
        for list in &mut buildings_of_grid {
            list.sort_by(|a, b| s.buildings[*a].id.cmp(&s.buildings[*b].id));
        }

        // Where a row naming a community or a grid belongs: (community, grid).
        let locate = |region: &str, p: P2| -> (u32, u32) {
            if let Some(&g) = grid_by_id.get(region) {
                return (grid_community[g], g as u32);
            }
            match h.region_by_id.get(region) {
                Some(&c) if s.regions[c].level == Level::Community => (c as u32, grid_at(c, p)),
                _ => (NONE, NONE),
            }
        };

        let nc = s.cases.len();
        let mut case_points = Vec::with_capacity(nc);
        let mut case_department = Vec::with_capacity(nc);
        let mut case_community = Vec::with_capacity(nc);
        let mut case_grid = Vec::with_capacity(nc);
        let mut cases_of_region: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut cases_of_grid: Vec<Vec<u32>> = vec![Vec::new(); s.grids.len()];
        let mut region_stats = vec![CaseStats::default(); n];
        let mut region_department_stats: HashMap<(u32, u32), CaseStats> = HashMap::new();
        let mut grid_stats = vec![CaseStats::default(); s.grids.len()];
        let mut grid_department_stats: HashMap<(u32, u32), CaseStats> = HashMap::new();
        for (i, case) in s.cases.iter().enumerate() {
            let p = h.projection.to_local(case.location);
            let dept = department_by_id
                .get(&case.department)
                .map_or(NONE, |&x| x as u32);
            let (community, grid) = locate(&case.region, p);
            case_points.push(p);
            case_department.push(dept);
            case_community.push(community);
            case_grid.push(grid);
            let mut one = CaseStats::default();
            one.add(case, now);
            if grid != NONE {
                let g = grid as usize;
                cases_of_grid[g].push(i as u32);
                grid_stats[g].merge(&one);
                if dept != NONE {
                    grid_department_stats
                        .entry((grid, dept))
                        .or_default()
                        .merge(&one);
                }
            }
            if community != NONE {
                for r in h.up(community as usize) {
                    cases_of_region[r].push(i as u32);
                    region_stats[r].merge(&one);
                    if dept != NONE {
                        region_department_stats
                            .entry((r as u32, dept))
                            .or_default()
                            .merge(&one);
                    }
                }
            }
        }

        let mut places_of_region: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut places_of_grid: Vec<Vec<u32>> = vec![Vec::new(); s.grids.len()];
        let mut place_points = Vec::with_capacity(s.places.len());
        for (i, place) in s.places.iter().enumerate() {
            let p = h.projection.to_local(place.point);
            place_points.push(p);
            let (community, grid) = locate(&place.region, p);
            if grid != NONE {
                places_of_grid[grid as usize].push(i as u32);
            }
            if community != NONE {
                for r in h.up(community as usize) {
                    places_of_region[r].push(i as u32);
                }
            }
        }

        let mut participation = vec![ParticipationTotals::default(); n];
        for row in &s.participation {
            let Some(&c) = h.region_by_id.get(&row.community) else {
                continue;
            };
            for r in h.up(c) {
                let t = &mut participation[r];
                t.communities += 1;
                t.platform_members = t.platform_members.saturating_add(row.platform_members);
                t.households_reached = t.households_reached.saturating_add(row.households_reached);
                t.organizations = t.organizations.saturating_add(row.organizations);
                t.service_items = t.service_items.saturating_add(row.service_items);
            }
        }

        Self {
            now,
            grid_by_id,
            case_by_id,
            department_by_id,
            grids_of,
            grid_community,
            grid_shapes,
            grid_bounds,
            building_grid,
            buildings_of_grid,
            case_points,
            case_department,
            case_community,
            case_grid,
            cases_of_region,
            cases_of_grid,
            region_stats,
            region_department_stats,
            grid_stats,
            grid_department_stats,
            places_of_region,
            places_of_grid,
            place_points,
            participation,
        }
    }

    /// Case figures of a region, for one department or all (`None`).
    pub fn region_case_stats(&self, region: usize, department: Option<usize>) -> CaseStats {
        match department {
            None => self.region_stats.get(region).copied().unwrap_or_default(),
            Some(k) => department_stats(&self.region_department_stats, region, k),
        }
    }

    /// Case figures of a grid, for one department or all (`None`).
    pub fn grid_case_stats(&self, grid: usize, department: Option<usize>) -> CaseStats {
        match department {
            None => self.grid_stats.get(grid).copied().unwrap_or_default(),
            Some(k) => department_stats(&self.grid_department_stats, grid, k),
        }
    }

    /// The grid of `community` (a region index) containing `p` (local metres).
    pub fn grid_at(&self, community: usize, p: P2) -> Option<usize> {
        self.grids_of.get(community)?.iter().copied().find(|&g| {
            self.grid_bounds[g].contains(p) && self.grid_shapes[g].iter().any(|q| q.contains(p))
        })
    }

    /// Open cases past their deadline among `cases` (indices), most overdue first: what the
    /// ring's ticker lists.
    pub fn overdue<'a>(&self, s: &'a Snapshot, cases: &[u32]) -> Vec<&'a Case> {
        let Some(now) = self.now else {
            return Vec::new();
        };
        let mut out: Vec<&Case> = cases
            .iter()
            .filter_map(|&i| s.cases.get(i as usize))
            .filter(|c| c.is_overdue(now))
            .collect();
        out.sort_by(|a, b| a.due().cmp(&b.due()).then_with(|| a.id.cmp(&b.id)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::index::CityData;
    use crate::snapshot::model::Department;
    use crate::snapshot::validate::tests::{C1, C2, G1, G2, fixture};

    #[test]
    fn cases_roll_up_from_grid_to_district_with_their_figures() {
        let city = CityData::new(fixture());
        let (s, ix) = (&city.snapshot, &city.index);
        let gi = &ix.governance;
        let (c1, c2) = (ix.region_by_id[C1], ix.region_by_id[C2]);
        let (g1, g2) = (gi.grid_by_id[G1], gi.grid_by_id[G2]);
        assert_eq!(gi.grids_of[c1], vec![g1, g2]);
        assert_eq!(gi.grids_of[c2].len(), 1);
        assert_eq!(gi.buildings_of_grid[g1], vec![0]);
        // SB1 names G1; SB2 names the community C1 and lies in G2.
        assert_eq!(gi.case_grid, vec![g1 as u32, g2 as u32]);
        assert_eq!(gi.case_community, vec![c1 as u32, c1 as u32]);
        assert_eq!(gi.cases_of_grid[g2], vec![1]);
        for region in ix.ancestry(c1) {
            assert_eq!(gi.cases_of_region[region], vec![0, 1]);
        }
        assert!(gi.cases_of_region[c2].is_empty());
        let all = gi.region_case_stats(ix.district, None);
        assert_eq!(all, case_stats(&s.cases, gi.now));
        assert_eq!(all.total, 2);
        assert_eq!(all.closed(), 1);
        assert_eq!(all.at_stage[Stage::Registered as usize], 1);
        assert_eq!(all.closure_rate(), Some(0.5));
        // Reported 09:00, closed 17:30.
        assert_eq!(all.average_handling_s(), Some(8.5 * 3600.0));
        // SB2 (Priority, 24 h from 2026-11-20 09:00) is open on 2026-11-27.
        assert_eq!(all.overdue, 1);
        let fire = gi.department_by_id["fire"];
        let police = gi.department_by_id["police"];
        assert_eq!(gi.region_case_stats(c1, Some(fire)).total, 1);
        assert_eq!(gi.region_case_stats(c1, Some(police)).overdue, 1);
        assert_eq!(gi.grid_case_stats(g2, Some(police)).total, 1);
        assert_eq!(gi.grid_case_stats(g1, Some(police)).total, 0);
        assert_eq!(gi.grid_case_stats(g1, Some(99)), CaseStats::default());
        let overdue = gi.overdue(s, &gi.cases_of_region[ix.district]);
        assert_eq!(
            overdue.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ["SB2"]
        );
        assert_eq!(gi.grid_at(c1, [700.0 - 1000.0, 500.0 - 500.0]), Some(g2));
    }

    #[test]
    fn a_case_in_a_gap_between_grids_counts_in_the_nearest_grid() {
        let mut s = fixture();
        // G2 starts 0.5 m right of G1 (a tolerated sliver); a case of C1 lies in the gap.
        s.grids[1].outline = crate::snapshot::validate::tests::square(500.5, 0.0, 1000.0, 1000.0);
        let mut gap_case = s.cases[1].clone();
        gap_case.id = "SB9".into();
        gap_case.location = (500.2, 300.0);
        s.cases.push(gap_case);
        let city = CityData::new(s);
        let (ix, gi) = (&city.index, &city.index.governance);
        let c1 = ix.region_by_id[C1];
        assert_eq!(gi.case_grid[2], gi.grid_by_id[G1] as u32);
        let in_grids: u32 = gi.grids_of[c1]
            .iter()
            .map(|&g| gi.grid_case_stats(g, None).total)
            .sum();
        assert_eq!(in_grids, gi.region_case_stats(c1, None).total);
    }

    #[test]
    fn department_figures_are_stored_only_where_departments_have_cases() {
        let mut s = fixture();
        let first = s.departments[0].clone();
        s.departments.extend((0..5_000).map(|k| Department {
            id: format!("d{k}"),
            ..first.clone()
        }));
        let city = CityData::new(s);
        let gi = &city.index.governance;
        // Two cases, each in one grid and in four regions (community up to district).
        assert!(
            gi.grid_department_stats.len() <= 2,
            "{}",
            gi.grid_department_stats.len()
        );
        assert!(gi.region_department_stats.len() <= 8);
        let fire = gi.department_by_id["fire"];
        assert_eq!(gi.grid_case_stats(gi.grid_by_id[G1], Some(fire)).total, 1);
        assert_eq!(
            gi.region_case_stats(city.index.district, Some(gi.department_by_id["d7"])),
            CaseStats::default()
        );
    }

    #[test]
    fn places_and_participation_follow_the_hierarchy() {
        let city = CityData::new(fixture());
        let (ix, gi) = (&city.index, &city.index.governance);
        let c1 = ix.region_by_id[C1];
        assert_eq!(gi.places_of_region[c1], vec![0]);
        assert_eq!(gi.places_of_region[ix.district], vec![0]);
        assert_eq!(gi.places_of_grid[gi.grid_by_id[G1]], vec![0]);
        assert_eq!(gi.participation[ix.district].platform_members, 3_900);
        assert_eq!(gi.participation[ix.district].communities, 1);
        assert_eq!(
            gi.participation[ix.region_by_id[C2]],
            ParticipationTotals::default()
        );
    }

    #[test]
    fn stats_without_cases_have_no_rates() {
        let s = CaseStats::default();
        assert_eq!(s.closure_rate(), None);
        assert_eq!(s.average_handling_s(), None);
        assert_eq!(s.open(), 0);
    }
}
