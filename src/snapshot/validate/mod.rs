//! Semantic checks of a parsed snapshot. Every problem is collected, none stops the others,
//! and each names its table and id. See `docs/snapshot-format.md` for what is an error and
//! what is a warning.

mod buildings;
mod cases;
mod geometry;
mod grids;
mod lookup;
mod metrics;
mod places;
mod privacy;
mod regions;
mod stories;
#[cfg(test)]
pub(crate) mod tests;
#[cfg(test)]
mod tests_cases;
mod tiling;
mod totals;

pub use cases::DESCRIPTION_MAX_CHARS;
pub use grids::{TILING_TOLERANCE_MIN_M2, TILING_TOLERANCE_SHARE};

use std::fmt;

use super::model::{OLDEST_SCHEMA_VERSION, SCHEMA_VERSION, Snapshot, schema_supported};

/// How serious a finding is: errors refuse the snapshot, warnings are shown to the curator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One finding with its place, e.g. `regions[370203005].outline[0].exterior`.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub severity: Severity,
    pub place: String,
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{sev}: {}: {}", self.place, self.message)
    }
}

/// All findings of one validation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub issues: Vec<Issue>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }
    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.severity == Severity::Error)
    }
    pub fn warnings(&self) -> impl Iterator<Item = &Issue> {
        self.issues
            .iter()
            .filter(|i| i.severity == Severity::Warning)
    }
    fn error(&mut self, place: impl Into<String>, message: impl Into<String>) {
        self.issues.push(Issue {
            severity: Severity::Error,
            place: place.into(),
            message: message.into(),
        });
    }
    fn warning(&mut self, place: impl Into<String>, message: impl Into<String>) {
        self.issues.push(Issue {
            severity: Severity::Warning,
            place: place.into(),
            message: message.into(),
        });
    }
}

/// Runs every check on a parsed snapshot.
pub fn validate(s: &Snapshot) -> Report {
    let mut r = Report::default();
    if !schema_supported(s.schema) {
        r.error(
            "schema",
            format!(
                "unknown schema version {} (this build reads {OLDEST_SCHEMA_VERSION}–{SCHEMA_VERSION})",
                s.schema
            ),
        );
    }
    if !looks_like_date(&s.exported_at) {
        r.error(
            "exported_at",
            format!(
                "{:?} is not an ISO 8601 date-time (YYYY-MM-DDThh:mm:ss…)",
                s.exported_at
            ),
        );
    }
    regions::check_regions(s, &mut r);
    buildings::check_buildings(s, &mut r);
    metrics::check_departments_and_metrics(s, &mut r);
    totals::check_totals(s, &mut r);
    check_governance(s, &mut r);
    r
}

/// Schema v2's tables: grids, the grids buildings name, cases, places, participation and
/// stories.
fn check_governance(s: &Snapshot, r: &mut Report) {
    let v2_rows = s.grids.len()
        + s.cases.len()
        + s.places.len()
        + s.participation.len()
        + s.stories.len()
        + s.buildings.iter().filter(|b| b.grid.is_some()).count();
    if v2_rows == 0 {
        return;
    }
    if s.grids.len() + s.cases.len() + s.places.len() + s.participation.len() + s.stories.len() > 0
        && super::time::Time::parse(&s.exported_at).is_none()
    {
        r.error(
            "exported_at",
            "needs a time with its UTC offset (e.g. 2026-11-27T18:00:00+08:00); overdue cases are measured from it",
        );
    }
    if s.schema < 2 {
        r.warning(
            "schema",
            format!(
                "schema {} file uses tables or fields of schema 2 (grids, cases, places, participation, stories or a building's grid); read as schema 2",
                s.schema
            ),
        );
    }
    let lookup = lookup::Lookup::new(s);
    grids::check_grids(s, &lookup, r);
    grids::check_building_grids(s, &lookup, r);
    cases::check_cases(s, &lookup, r);
    places::check_places(s, &lookup, r);
    places::check_participation(s, &lookup, r);
    stories::check_stories(s, &lookup, r);
}

fn looks_like_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && (1..=12).contains(&((b[5] - b'0') * 10 + (b[6] - b'0')))
        && (1..=31).contains(&((b[8] - b'0') * 10 + (b[9] - b'0')))
}

fn check_name(r: &mut Report, place: &str, zh: &str, en: &str) {
    if zh.trim().is_empty() {
        r.error(place, "empty Chinese name (`name`)");
    }
    if en.trim().is_empty() {
        r.error(place, "empty English name (`name_en`)");
    }
}

fn check_count(r: &mut Report, place: &str, field: &str, v: i64) {
    if v < 0 {
        r.error(place, format!("{field} is negative ({v})"));
    }
}

fn check_amount(r: &mut Report, place: &str, field: &str, v: f64) {
    if !v.is_finite() {
        r.error(place, format!("{field} is not a finite number ({v})"));
    } else if v < 0.0 {
        r.error(place, format!("{field} is negative ({v})"));
    }
}

/// The id to name a row by in a place, or `#index` where the id is empty.
fn display_id(id: &str, index: usize) -> String {
    if id.trim().is_empty() {
        format!("#{index}")
    } else {
        id.to_string()
    }
}

/// Parses `#rrggbb` into sRGB bytes.
pub fn parse_color(s: &str) -> Option<[u8; 3]> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}
