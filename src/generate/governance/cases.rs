//! Generated cases: 30 days before the export, departments and sources in a realistic mix,
//! at a building or in the street of a grid, each stage reached a plausible time after the
//! last within its deadline tier: most closed, some late, a few stuck open and overdue.

use std::collections::HashMap;

use super::super::rng::Rng;
use super::Frame;
use super::catalog::{CATEGORIES, Category, DEPARTMENT_WEIGHTS};
use super::locate::Locator;
use crate::snapshot::time::civil_from_days;
use crate::snapshot::{Case, CaseSource, Lifecycle, Snapshot, Stage, Time};

/// Days of cases before the export.
pub(super) const DAYS: i64 = 30;

/// A case the story needs: in a given grid, of a given category, closed.
pub(super) struct Forced {
    pub grid: usize,
    /// Index into [`CATEGORIES`].
    pub category: usize,
    /// Reported this many hours before the export.
    pub hours_ago: f64,
    pub source: CaseSource,
}

/// Relative likelihood of a report in each hour of the day (China Standard Time).
const HOURS: [f64; 24] = [
    1.0, 0.6, 0.4, 0.3, 0.3, 0.5, 1.5, 3.0, 5.0, 6.0, 6.0, 5.5, 4.0, 4.5, 5.5, 5.5, 5.0, 4.5, 4.0,
    4.0, 3.5, 3.0, 2.0, 1.5,
];

fn source(rng: &mut Rng, at_building: bool) -> CaseSource {
    let w: [f64; 4] = if at_building {
        [30.0, 45.0, 5.0, 20.0]
    } else {
        [45.0, 15.0, 30.0, 10.0]
    };
    CaseSource::ALL[rng.weighted(&w)]
}

/// A report instant in the last [`DAYS`] days, more often by day than by night.
fn reported(rng: &mut Rng, export: Time) -> Time {
    let mut t = export.0 - 600;
    for _ in 0..8 {
        t = export.0 - rng.int(600, DAYS * 86_400);
        let hour = ((t + 8 * 3600).rem_euclid(86_400) / 3600) as usize;
        if rng.unit() * 6.0 < HOURS[hour] {
            break;
        }
    }
    Time(t - t.rem_euclid(60))
}

/// The lifecycle: stage instants spread over a share of the tier's hours; `late` cases take
/// longer than allowed, `stuck` ones stop at a stage; nothing after the export.
fn lifecycle(rng: &mut Rng, t0: Time, hours: u32, export: Time, forced: bool) -> Lifecycle {
    let roll = if forced { 1.0 } else { rng.unit() };
    let (factor, stuck) = if roll < 0.03 {
        (rng.range(0.3, 0.9), Some(rng.int(1, 4) as usize))
    } else if roll < 0.11 {
        (rng.range(1.05, 2.5), None)
    } else {
        (rng.range(0.2, 0.95), None)
    };
    let total = f64::from(hours) * 3600.0 * factor;
    let mut shares = [0.05, 0.07, 0.55, 0.2, 0.13];
    for s in &mut shares {
        *s *= rng.range(0.7, 1.3);
    }
    let sum: f64 = shares.iter().sum();
    let mut l = Lifecycle::reported(t0);
    let mut t = t0.0;
    for k in 0..shares.len() {
        let stage = Stage::ALL[k + 1];
        let next = t0.0 + (total * shares[..=k].iter().sum::<f64>() / sum) as i64;
        t = (next - next.rem_euclid(60)).max(t + 60);
        if t > export.0 || stuck.is_some_and(|s| k + 1 > s) {
            break;
        }
        l.set(stage, Some(Time(t)));
    }
    l
}

/// One case (without its id) of `category` in `grid`.
fn case(
    rng: &mut Rng,
    s: &Snapshot,
    loc: &Locator,
    frame: &Frame,
    category: &Category,
    grid: usize,
    t0: Time,
    export: Time,
    forced: bool,
) -> Option<Case> {
    let g = &s.grids[grid];
    let at = loc
        .in_grid
        .get(grid)
        .filter(|v| !v.is_empty())
        .map(|v| loc.buildings[*rng.pick(v)]);
    let (location, building) = match at {
        Some((b, _, p)) if category.at_building => (p, rng.chance(0.85).then_some(b)),
        Some((_, _, p)) => (
            loc.point_in(rng, frame, grid, Some((frame.local(p), 40.0)))
                .unwrap_or(p),
            None,
        ),
        None => (loc.point_in(rng, frame, grid, None)?, None),
    };
    let (place, place_en) = match building {
        Some(b) if !s.buildings[b].name.is_empty() => {
            (s.buildings[b].name.clone(), s.buildings[b].name_en.clone())
        }
        _ => (g.name.clone(), g.name_en.clone()),
    };
    Some(Case {
        id: String::new(),
        department: category.department.to_string(),
        category: category.zh.to_string(),
        category_en: category.en.to_string(),
        source: source(rng, category.at_building),
        location,
        region: g.id.clone(),
        building: building.map(|b| s.buildings[b].id.clone()),
        lifecycle: lifecycle(rng, t0, category.tier.hours(), export, forced),
        deadline: category.tier,
        description: format!("{place}：{}", category.what_zh),
        description_en: format!("{}, {place_en}", category.what_en),
    })
}

/// `n` cases over the grids, plus the `forced` ones, numbered by day of report
/// (`SB20261103` + 4 digits).
pub(super) fn generate(
    rng: &mut Rng,
    s: &Snapshot,
    loc: &Locator,
    frame: &Frame,
    n: usize,
    forced: &[Forced],
) -> Vec<Case> {
    let Some(export) = Time::parse(&s.exported_at) else {
        return Vec::new();
    };
    if loc.grids() == 0 || loc.buildings.is_empty() {
        return Vec::new();
    }
    let departments: Vec<(&str, f64)> = DEPARTMENT_WEIGHTS
        .iter()
        .copied()
        .filter(|(d, _)| s.departments.iter().any(|x| x.id == *d))
        .collect();
    let weights: Vec<f64> = departments.iter().map(|d| d.1).collect();
    let mut out: Vec<Case> = Vec::with_capacity(n + forced.len());
    for f in forced {
        let t0 = Time(export.0 - (f.hours_ago * 3600.0) as i64);
        let t0 = Time(t0.0 - t0.0.rem_euclid(60));
        let category = &CATEGORIES[f.category];
        if let Some(mut c) = case(rng, s, loc, frame, category, f.grid, t0, export, true) {
            c.source = f.source;
            out.push(c);
        }
    }
    while out.len() < n + forced.len() && !departments.is_empty() {
        let dept = departments[rng.weighted(&weights)].0;
        let options: Vec<&Category> = CATEGORIES.iter().filter(|c| c.department == dept).collect();
        // The first category of a department is twice as common as the others.
        let w: Vec<f64> = (0..options.len())
            .map(|k| if k == 0 { 2.0 } else { 1.0 })
            .collect();
        let category = options[rng.weighted(&w)];
        // Where people are: the grid of a random building.
        let grid = loc.buildings[rng.int(0, loc.buildings.len() as i64 - 1) as usize].1;
        let t0 = reported(rng, export);
        if let Some(c) = case(rng, s, loc, frame, category, grid, t0, export, false) {
            out.push(c);
        }
    }
    out.sort_by_key(|c| c.lifecycle.reported_at());
    let mut per_day: HashMap<i64, u32> = HashMap::new();
    for c in &mut out {
        let day = (c.lifecycle.reported_at().0 + 8 * 3600).div_euclid(86_400);
        let seq = per_day.entry(day).or_insert(0);
        *seq += 1;
        let (y, m, d) = civil_from_days(day);
        c.id = format!("SB{y:04}{m:02}{d:02}{seq:04}");
    }
    out
}
