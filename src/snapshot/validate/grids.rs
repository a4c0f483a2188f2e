//! Grids (网格): ids, their community, names, outlines and counts; grids tile their community
//! (no overlap, no gap, nothing outside beyond a tolerance, each named with its area in m²
//! and a point); and the grid a building names exists in the building's community.

use std::collections::{BTreeMap, HashSet};

use super::geometry::check_polygon;
use super::lookup::Lookup;
use super::tiling::tiling;
use super::{Report, check_count, check_name, display_id};
use crate::geo::{LocalPolygon, Rect};
use crate::snapshot::model::{Level, Snapshot};

/// Gaps, overlaps and parts outside smaller than this share of the community's area are
/// tolerated (borders digitized twice rarely agree to the centimetre)…
pub const TILING_TOLERANCE_SHARE: f64 = 0.002;
/// …or smaller than this many m², whichever is larger.
pub const TILING_TOLERANCE_MIN_M2: f64 = 50.0;
/// More grids than this in one community is an error, found before the tiling is measured:
/// the measure's cost grows with the pairs of grids that overlap.
pub const MAX_GRIDS_PER_COMMUNITY: usize = 1_000;
/// Overlapping pairs named one by one per community; the rest are counted in one line.
const MAX_OVERLAPS_NAMED: usize = 50;

pub(super) fn check_grids(s: &Snapshot, l: &Lookup<'_>, r: &mut Report) {
    let mut seen: HashSet<&str> = HashSet::with_capacity(s.grids.len());
    // Community row → its grids' rows, for the tiling check.
    let mut by_community: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, g) in s.grids.iter().enumerate() {
        let place = format!("grids[{}]", display_id(&g.id, i));
        if g.id.trim().is_empty() {
            r.error(&place, "empty id");
        } else if !seen.insert(g.id.as_str()) {
            r.error(&place, format!("duplicate grid id {}", g.id));
        } else if l.regions.contains_key(g.id.as_str()) {
            r.error(
                &place,
                format!(
                    "id {} is also a region's id; cases could not tell them apart",
                    g.id
                ),
            );
        }
        match l.regions.get(g.community.as_str()) {
            None => r.error(&place, format!("community {} does not exist", g.community)),
            Some(&c) if s.regions[c].level != Level::Community => r.error(
                &place,
                format!(
                    "community {} is not a region of level Community",
                    g.community
                ),
            ),
            Some(&c) => {
                if !(g.id.len() == g.community.len() + 3
                    && g.id.starts_with(&g.community)
                    && g.id.bytes().all(|b| b.is_ascii_digit()))
                {
                    r.warning(
                        &place,
                        format!(
                            "id {} is not the community code {} plus 3 digits",
                            g.id, g.community
                        ),
                    );
                }
                by_community.entry(c).or_default().push(i);
            }
        }
        check_name(r, &place, &g.name, &g.name_en);
        if g.outline.is_empty() {
            r.error(&place, "outline has no polygon");
        }
        for (k, poly) in g.outline.iter().enumerate() {
            check_polygon(r, s.crs, &format!("{place}.outline[{k}]"), poly);
        }
        check_count(
            r,
            &place,
            "party_member_households",
            g.party_member_households,
        );
        check_count(r, &place, "volunteers", g.volunteers);
        check_count(r, &place, "residents_online", g.residents_online);
    }
    for (c, rows) in by_community {
        check_tiling(s, l, r, c, &rows);
    }
}

fn finite(shape: &[LocalPolygon]) -> bool {
    shape.iter().all(|p| {
        p.exterior
            .iter()
            .chain(p.holes.iter().flatten())
            .all(|q| q[0].is_finite() && q[1].is_finite())
    })
}

fn check_tiling(s: &Snapshot, l: &Lookup<'_>, r: &mut Report, community: usize, rows: &[usize]) {
    let community_id = &s.regions[community].id;
    if rows.len() > MAX_GRIDS_PER_COMMUNITY {
        r.error(
            format!("regions[{community_id}].grids"),
            format!(
                "the community has {} grids, more than {MAX_GRIDS_PER_COMMUNITY}; their tiling is not checked",
                rows.len()
            ),
        );
        return;
    }
    let whole = l.region_shape(community);
    let parts: Vec<&[LocalPolygon]> = rows.iter().map(|&g| l.grid_shape(g)).collect();
    if !finite(whole) || !parts.iter().all(|p| finite(p)) {
        return; // The coordinates are reported already.
    }
    let area: f64 = whole.iter().map(LocalPolygon::area).sum();
    let tolerance = (area * TILING_TOLERANCE_SHARE).max(TILING_TOLERANCE_MIN_M2);
    let geographic = s.crs.is_geographic();
    let id = |k: usize| s.grids[rows[k]].id.as_str();
    // A grid's bounds lie within the community's, widened by the side of a square of the
    // tolerated area: a stray polygon far away is named even when it is tiny.
    let margin = tolerance.sqrt();
    let mut bounds = Rect::EMPTY;
    for p in whole {
        bounds.union(&p.bounds());
    }
    for (k, part) in parts.iter().enumerate() {
        let mut b = Rect::EMPTY;
        for p in *part {
            b.union(&p.bounds());
        }
        let beyond = (bounds.min[0] - b.min[0])
            .max(bounds.min[1] - b.min[1])
            .max(b.max[0] - bounds.max[0])
            .max(b.max[1] - bounds.max[1]);
        if !b.is_empty() && !bounds.is_empty() && beyond > margin {
            r.error(
                format!("grids[{}].outline", id(k)),
                format!(
                    "reaches {beyond:.0} m beyond the bounds of its community {community_id} (tolerance {margin:.0} m), e.g. around {}",
                    l.describe(b.center(), geographic)
                ),
            );
        }
    }
    let t = tiling(whole, &parts);
    if let Some(gap) = t.gap.filter(|p| p.area_m2 > tolerance) {
        r.error(
            format!("regions[{community_id}].grids"),
            format!(
                "the community's grids leave about {:.0} m² uncovered, around {} (tolerance {:.0} m²)",
                gap.area_m2,
                l.describe(gap.at, geographic),
                tolerance
            ),
        );
    }
    let overlaps: Vec<_> = t
        .overlaps
        .iter()
        .filter(|(_, _, p)| p.area_m2 > tolerance)
        .collect();
    for (a, b, o) in overlaps.iter().take(MAX_OVERLAPS_NAMED) {
        r.error(
            format!("grids[{}].outline", id(*b)),
            format!(
                "overlaps grids[{}] by about {:.0} m², around {} (tolerance {:.0} m²)",
                id(*a),
                o.area_m2,
                l.describe(o.at, geographic),
                tolerance
            ),
        );
    }
    if overlaps.len() > MAX_OVERLAPS_NAMED {
        r.error(
            format!("regions[{community_id}].grids"),
            format!(
                "…and {} more pairs of overlapping grids",
                overlaps.len() - MAX_OVERLAPS_NAMED
            ),
        );
    }
    for (k, o) in t.outside.iter().filter(|(_, p)| p.area_m2 > tolerance) {
        r.error(
            format!("grids[{}].outline", id(*k)),
            format!(
                "reaches about {:.0} m² outside its community {community_id}, around {} (tolerance {:.0} m²)",
                o.area_m2,
                l.describe(o.at, geographic),
                tolerance
            ),
        );
    }
}

/// A building's grid exists and belongs to the building's community.
pub(super) fn check_building_grids(s: &Snapshot, l: &Lookup<'_>, r: &mut Report) {
    for (i, b) in s.buildings.iter().enumerate() {
        let Some(grid) = &b.grid else {
            continue;
        };
        let place = || format!("buildings[{}]", display_id(&b.id, i));
        match l.grids.get(grid.as_str()) {
            None => r.error(place(), format!("grid {grid} does not exist")),
            Some(&g) if s.grids[g].community != b.community => r.error(
                place(),
                format!(
                    "grid {grid} belongs to community {}, not to the building's community {}",
                    s.grids[g].community, b.community
                ),
            ),
            Some(_) => {}
        }
    }
}
