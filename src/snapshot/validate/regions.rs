//! Regions: unique ids shaped like statistical division codes, names, outlines, figures, one
//! district, parents of the right level and no cycles.

use std::collections::{HashMap, HashSet};

use super::geometry::check_polygon;
use super::{Report, check_amount, check_count, check_name, display_id};
use crate::snapshot::model::{Figures, Level, Region, Snapshot};

fn check_figures(r: &mut Report, place: &str, f: &Figures) {
    check_count(
        r,
        place,
        "figures.residential_buildings",
        f.residential_buildings,
    );
    check_amount(r, place, "figures.floor_area_m2", f.floor_area_m2);
    check_count(r, place, "figures.residents", f.residents);
    check_count(r, place, "figures.households", f.households);
}

fn expected_id_len(level: Level) -> usize {
    match level {
        Level::District => 6,
        Level::Street => 9,
        Level::Community => 12,
    }
}

pub(super) fn check_regions(s: &Snapshot, r: &mut Report) {
    let mut by_id: HashMap<&str, &Region> = HashMap::with_capacity(s.regions.len());
    for (i, region) in s.regions.iter().enumerate() {
        let place = format!("regions[{}]", display_id(&region.id, i));
        if region.id.trim().is_empty() {
            r.error(&place, "empty id");
        } else if by_id.insert(region.id.as_str(), region).is_some() {
            r.error(&place, format!("duplicate region id {}", region.id));
        }
        if !region.id.is_empty()
            && (!region.id.bytes().all(|b| b.is_ascii_digit())
                || region.id.len() != expected_id_len(region.level))
        {
            r.warning(
                &place,
                format!(
                    "id {} is not a {}-digit statistical division code for a {:?}",
                    region.id,
                    expected_id_len(region.level),
                    region.level
                ),
            );
        }
        check_name(r, &place, &region.name, &region.name_en);
        if region.outline.is_empty() {
            r.error(&place, "outline has no polygon");
        }
        for (k, poly) in region.outline.iter().enumerate() {
            check_polygon(r, s.crs, &format!("{place}.outline[{k}]"), poly);
        }
        if let Some(f) = &region.figures {
            check_figures(r, &place, f);
        }
    }
    let districts: Vec<&Region> = s
        .regions
        .iter()
        .filter(|x| x.level == Level::District)
        .collect();
    match districts.len() {
        0 => r.error("regions", "no region of level District"),
        1 => {}
        n => r.error(
            "regions",
            format!("{n} regions of level District; exactly one is needed"),
        ),
    }
    for (i, region) in s.regions.iter().enumerate() {
        let place = format!("regions[{}]", display_id(&region.id, i));
        match (&region.parent, region.level) {
            (None, Level::District) => {}
            (Some(p), Level::District) => {
                r.error(
                    &place,
                    format!("the district must have no parent (has {p})"),
                );
            }
            (None, level) => r.error(&place, format!("a {level:?} needs a parent")),
            (Some(p), level) => match by_id.get(p.as_str()) {
                None => r.error(&place, format!("parent {p} does not exist")),
                Some(parent) if parent.level.child() != Some(level) => r.error(
                    &place,
                    format!(
                        "parent {p} is a {:?}; a {level:?} belongs to a {}",
                        parent.level,
                        match level {
                            Level::Street => "District",
                            _ => "Street",
                        }
                    ),
                ),
                Some(_) => {}
            },
        }
    }
    // Cycles: walk up from every region; a chain longer than the table is a loop.
    let limit = s.regions.len() + 1;
    let mut reported: HashSet<&str> = HashSet::new();
    for region in &s.regions {
        let mut cur = region;
        let mut steps = 0;
        while let Some(p) = &cur.parent {
            let Some(next) = by_id.get(p.as_str()) else {
                break;
            };
            cur = next;
            steps += 1;
            if steps > limit {
                if reported.insert(region.id.as_str()) {
                    r.error(
                        format!("regions[{}]", region.id),
                        "parent chain loops back on itself (cycle)",
                    );
                }
                break;
            }
        }
    }
}
