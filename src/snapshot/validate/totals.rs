//! Totals: a region's official figures against the sums over its buildings or its child
//! regions.

use std::collections::HashMap;

use super::Report;
use crate::snapshot::model::{Building, Figures, Level, Snapshot};

/// Totals that disagree with their children are warnings, not errors: official registers
/// (population, housing) and the building register are kept by different offices and rarely
/// match to the person. The exhibit shows the official figure and the curator sees both.
pub(super) fn check_totals(s: &Snapshot, r: &mut Report) {
    let mut building_sums: HashMap<&str, Figures> = HashMap::new();
    for b in &s.buildings {
        let f = building_sums.entry(b.community.as_str()).or_default();
        add_building(f, b);
    }
    let mut child_sums: HashMap<&str, (Figures, bool)> = HashMap::new();
    for region in &s.regions {
        let (Some(parent), Some(f)) = (&region.parent, &region.figures) else {
            continue;
        };
        let e = child_sums.entry(parent.as_str()).or_default();
        add_figures(&mut e.0, f);
        e.1 = true;
    }
    for region in &s.regions {
        let Some(official) = &region.figures else {
            continue;
        };
        let place = format!("regions[{}].figures", region.id);
        if region.level == Level::Community {
            if let Some(sum) = building_sums.get(region.id.as_str()) {
                compare_figures(r, &place, official, sum, "its buildings");
            }
        } else if let Some((sum, true)) = child_sums.get(region.id.as_str()) {
            compare_figures(r, &place, official, sum, "its child regions");
        }
    }
}

fn add_building(f: &mut Figures, b: &Building) {
    if b.usage.is_residential() {
        f.residential_buildings += 1;
        f.floor_area_m2 += b.floor_area_m2;
    }
    f.residents += b.residents;
    f.households += b.households;
}

fn add_figures(into: &mut Figures, f: &Figures) {
    into.residential_buildings = into
        .residential_buildings
        .saturating_add(f.residential_buildings);
    into.floor_area_m2 += f.floor_area_m2;
    into.residents = into.residents.saturating_add(f.residents);
    into.households = into.households.saturating_add(f.households);
}

fn compare_figures(r: &mut Report, place: &str, official: &Figures, sum: &Figures, of: &str) {
    let ints = [
        (
            "residential_buildings",
            official.residential_buildings,
            sum.residential_buildings,
        ),
        ("residents", official.residents, sum.residents),
        ("households", official.households, sum.households),
    ];
    for (field, a, b) in ints {
        if a != b {
            r.warning(
                place,
                format!("{field} is {a} but the sum over {of} is {b}"),
            );
        }
    }
    let (a, b) = (official.floor_area_m2, sum.floor_area_m2);
    if (a - b).abs() > 0.5 + 1e-9 * a.abs() {
        r.warning(
            place,
            format!("floor_area_m2 is {a:.1} but the sum over {of} is {b:.1}"),
        );
    }
}
