//! Buildings: unique ids, a community that exists, footprint, floors, areas and counts,
//! year built and owners.

use std::collections::HashSet;

use super::geometry::check_polygon;
use super::{Report, check_amount, check_count, display_id};
use crate::snapshot::model::{Level, Snapshot};

pub(super) fn check_buildings(s: &Snapshot, r: &mut Report) {
    let communities: HashSet<&str> = s
        .regions
        .iter()
        .filter(|x| x.level == Level::Community)
        .map(|x| x.id.as_str())
        .collect();
    let regions: HashSet<&str> = s.regions.iter().map(|x| x.id.as_str()).collect();
    let mut seen: HashSet<&str> = HashSet::with_capacity(s.buildings.len());
    for (i, b) in s.buildings.iter().enumerate() {
        let place = format!("buildings[{}]", display_id(&b.id, i));
        if b.id.trim().is_empty() {
            r.error(&place, "empty id");
        } else if !seen.insert(b.id.as_str()) {
            r.error(&place, format!("duplicate building id {}", b.id));
        }
        if !communities.contains(b.community.as_str()) {
            if regions.contains(b.community.as_str()) {
                r.error(
                    &place,
                    format!(
                        "community {} is not a region of level Community",
                        b.community
                    ),
                );
            } else {
                r.error(&place, format!("community {} does not exist", b.community));
            }
        } else if !(b.id.len() == b.community.len() + 4
            && b.id.starts_with(&b.community)
            && b.id.bytes().all(|c| c.is_ascii_digit()))
        {
            r.warning(
                &place,
                format!(
                    "id {} is not the community code {} plus 4 digits",
                    b.id, b.community
                ),
            );
        }
        check_polygon(r, s.crs, &format!("{place}.footprint"), &b.footprint);
        if b.floors < 1 {
            r.error(
                &place,
                format!("floors must be at least 1 (is {})", b.floors),
            );
        } else if b.floors > 200 {
            r.error(&place, format!("{} floors is not plausible", b.floors));
        }
        check_amount(r, &place, "floor_area_m2", b.floor_area_m2);
        check_count(r, &place, "residents", b.residents);
        check_count(r, &place, "households", b.households);
        if let Some(y) = b.year_built
            && !(1800..=2100).contains(&y)
        {
            r.warning(&place, format!("year_built {y} is outside 1800–2100"));
        }
        if b.owners.iter().any(|o| o.trim().is_empty()) {
            r.error(&place, "an owner name is empty");
        }
        check_floor_detail(r, &place, b);
    }
}

/// A building's `floor_detail`: each floor within 1…`floors` once, counts not negative, and
/// together no more residents or households than the building has.
fn check_floor_detail(r: &mut Report, place: &str, b: &crate::snapshot::model::Building) {
    let mut seen = HashSet::with_capacity(b.floor_detail.len());
    let (mut residents, mut households) = (0i64, 0i64);
    for (k, f) in b.floor_detail.iter().enumerate() {
        let at = format!("{place}.floor_detail[{k}]");
        if f.floor < 1 || f.floor > b.floors {
            r.error(
                &at,
                format!(
                    "floor {} is outside 1–{} (the building's floors)",
                    f.floor, b.floors
                ),
            );
        } else if !seen.insert(f.floor) {
            r.error(&at, format!("floor {} is listed twice", f.floor));
        }
        check_count(r, &at, "households", f.households);
        check_count(r, &at, "residents", f.residents);
        check_count(r, &at, "vacant_units", f.vacant_units);
        residents = residents.saturating_add(f.residents.max(0));
        households = households.saturating_add(f.households.max(0));
    }
    if residents > b.residents {
        r.error(
            place,
            format!(
                "floor_detail counts {residents} residents, more than the building's {}",
                b.residents
            ),
        );
    }
    if households > b.households {
        r.error(
            place,
            format!(
                "floor_detail counts {households} households, more than the building's {}",
                b.households
            ),
        );
    }
}
