//! Cases (事件): ids, department, category and descriptions, the region (a community or a
//! grid) and a location inside it, the snapped building inside the same region, and the
//! lifecycle: stages in order, none after a missing one. Made for 50,000 rows: a row's place
//! is only formatted when it has something to report.

use std::collections::HashSet;

use super::geometry::check_point;
use super::lookup::{Area, Lookup};
use super::privacy::check_free_text;
use super::{Report, display_id};
use crate::geo::LocalPolygon;
use crate::snapshot::governance::{Case, Stage};
use crate::snapshot::model::{Level, Snapshot};
use crate::snapshot::time::Time;

/// Descriptions longer than this (characters) get a warning: the card shows a line or two.
pub const DESCRIPTION_MAX_CHARS: usize = 140;

pub(super) fn check_cases(s: &Snapshot, l: &Lookup<'_>, r: &mut Report) {
    let exported = Time::parse(&s.exported_at);
    let mut seen: HashSet<&str> = HashSet::with_capacity(s.cases.len());
    for (i, c) in s.cases.iter().enumerate() {
        let place = || format!("cases[{}]", display_id(&c.id, i));
        if c.id.trim().is_empty() {
            r.error(place(), "empty id");
        } else if !seen.insert(c.id.as_str()) {
            r.error(place(), format!("duplicate case id {}", c.id));
        }
        if !l.departments.contains(c.department.as_str()) {
            r.error(
                place(),
                format!("department {} does not exist", c.department),
            );
        }
        if c.category.trim().is_empty() {
            r.error(place(), "empty category");
        }
        check_free_text(r, &place, "category", &c.category);
        check_free_text(r, &place, "category_en", &c.category_en);
        check_description(r, &place, "description", &c.description);
        check_description(r, &place, "description_en", &c.description_en);
        let area = check_area(s, l, r, &place, "region", &c.region);
        let located = check_point(r, s.crs, &place(), "location", c.location);
        if let (Some(area), true) = (area, located)
            && !l.contains(area, c.location)
        {
            r.error(
                place(),
                format!(
                    "location ({}, {}) lies outside its region {}",
                    c.location.0, c.location.1, c.region
                ),
            );
        }
        if let Some(b) = &c.building {
            check_snapped_building(s, l, r, &place, c, b, area);
        }
        check_lifecycle(r, &place, c, exported);
    }
}

/// The community or grid a row names in `field`; errors when it is neither.
pub(super) fn check_area(
    s: &Snapshot,
    l: &Lookup<'_>,
    r: &mut Report,
    place: &dyn Fn() -> String,
    field: &str,
    id: &str,
) -> Option<Area> {
    match l.area(id) {
        None => {
            r.error(
                place(),
                format!("{field} {id} is neither a region nor a grid"),
            );
            None
        }
        Some(Area::Region(k)) if s.regions[k].level != Level::Community => {
            r.error(
                place(),
                format!(
                    "{field} {id} is a {:?}; name a community or a grid",
                    s.regions[k].level
                ),
            );
            None
        }
        found => found,
    }
}

fn check_description(r: &mut Report, place: &dyn Fn() -> String, field: &str, text: &str) {
    if text.trim().is_empty() {
        r.error(place(), format!("empty {field}"));
        return;
    }
    let chars = text.chars().count();
    if chars > DESCRIPTION_MAX_CHARS {
        r.warning(
            place(),
            format!("{field} has {chars} characters; keep it under {DESCRIPTION_MAX_CHARS}"),
        );
    }
    check_free_text(r, place, field, text);
}

fn check_snapped_building(
    s: &Snapshot,
    l: &Lookup<'_>,
    r: &mut Report,
    place: &dyn Fn() -> String,
    c: &Case,
    id: &str,
    area: Option<Area>,
) {
    let Some(&b) = l.buildings.get(id) else {
        r.error(place(), format!("building {id} does not exist"));
        return;
    };
    let building = &s.buildings[b];
    let inside = match area {
        None => return,
        Some(Area::Region(_)) => building.community == c.region,
        Some(Area::Grid(g)) => match &building.grid {
            Some(grid) => *grid == c.region,
            None => {
                building.community == s.grids[g].community && {
                    let p = LocalPolygon::project(&building.footprint, &l.projection).label_point();
                    l.grid_shape(g).iter().any(|poly| poly.contains(p))
                }
            }
        },
    };
    if !inside {
        r.error(
            place(),
            format!(
                "building {id} does not lie in the case's region {}",
                c.region
            ),
        );
    }
}

/// A stage later than `exported_at` by more than this is an error; less, a warning (clocks
/// and exports are not exactly in step).
const FUTURE_TOLERANCE_S: i64 = 86_400;
/// Handling longer than this (`closed` − `reported`) is worth a warning.
const LONG_HANDLING_S: i64 = 366 * 86_400;

/// Stage times before 1970 or after 2200 are typing or export errors.
fn year_in_range(t: Time) -> bool {
    let last = crate::snapshot::time::days_from_civil(2201, 1, 1) * 86_400;
    (0..last).contains(&t.0)
}

fn check_lifecycle(r: &mut Report, place: &dyn Fn() -> String, c: &Case, exported: Option<Time>) {
    let mut previous: Option<(Stage, Time)> = None;
    let mut missing: Option<Stage> = None;
    // One timestamp warning per case: the first found.
    let mut warning: Option<String> = None;
    for stage in Stage::ALL {
        let Some(t) = c.lifecycle.at(stage) else {
            missing = missing.or(Some(stage));
            continue;
        };
        if let Some(gap) = missing {
            r.error(
                place(),
                format!(
                    "lifecycle.{} is set but lifecycle.{} is missing: no stage after a missing one",
                    stage.field(),
                    gap.field()
                ),
            );
            return;
        }
        if !year_in_range(t) {
            r.error(
                place(),
                format!(
                    "lifecycle.{} ({t}) is before 1970 or after 2200",
                    stage.field()
                ),
            );
        }
        if let Some((before, tb)) = previous
            && t < tb
        {
            r.error(
                place(),
                format!(
                    "lifecycle.{} ({t}) is before lifecycle.{} ({tb})",
                    stage.field(),
                    before.field()
                ),
            );
        }
        if let Some(e) = exported
            && t > e
        {
            let message = format!(
                "lifecycle.{} ({t}) is after exported_at ({e})",
                stage.field()
            );
            if t.0 - e.0 > FUTURE_TOLERANCE_S {
                r.error(place(), format!("{message} by more than a day"));
            } else {
                warning = warning.or(Some(message));
            }
        }
        previous = Some((stage, t));
    }
    if let (Some(reported), Some(closed)) = (
        c.lifecycle.at(Stage::Reported),
        c.lifecycle.at(Stage::Closed),
    ) && closed.0 - reported.0 > LONG_HANDLING_S
    {
        warning = warning.or(Some(format!(
            "handling took over a year (lifecycle.reported {reported}, lifecycle.closed {closed})"
        )));
    }
    if let Some(message) = warning {
        r.warning(place(), message);
    }
}
