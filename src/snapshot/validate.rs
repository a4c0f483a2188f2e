//! Semantic checks of a parsed snapshot. Every problem is collected, none stops the others,
//! and each names its table and id. See `docs/snapshot-format.md` for what is an error and
//! what is a warning.

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::model::{
    Building, Crs, Figures, Level, MAX_AUTO_DEPARTMENTS, MAX_AUTO_WIDGETS, MetricKind, Point,
    Polygon, Region, SCHEMA_VERSION, Snapshot,
};
use crate::geo;

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
    if s.schema != SCHEMA_VERSION {
        r.error(
            "schema",
            format!(
                "unknown schema version {} (this build reads {SCHEMA_VERSION})",
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
    check_regions(s, &mut r);
    check_buildings(s, &mut r);
    check_departments_and_metrics(s, &mut r);
    check_totals(s, &mut r);
    r
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

fn coordinate_ok(crs: Crs, p: Point) -> bool {
    if !p.0.is_finite() || !p.1.is_finite() {
        return false;
    }
    if crs.is_geographic() {
        (-180.0..=180.0).contains(&p.0) && (-90.0..=90.0).contains(&p.1)
    } else {
        p.0.abs() <= 1e8 && p.1.abs() <= 1e8
    }
}

/// Checks a closed ring; returns false when it is unusable.
fn check_ring(r: &mut Report, crs: Crs, place: &str, ring: &[Point]) -> bool {
    if let Some((i, p)) = ring
        .iter()
        .enumerate()
        .find(|(_, p)| !coordinate_ok(crs, **p))
    {
        let range = if crs.is_geographic() {
            "longitude −180…180 and latitude −90…90"
        } else {
            "±100,000 km"
        };
        r.error(
            format!("{place}[{i}]"),
            format!(
                "coordinate ({}, {}) is not finite or outside {range} for {crs:?}",
                p.0, p.1
            ),
        );
        return false;
    }
    if ring.len() >= 2 && ring.first() != ring.last() {
        r.error(
            place,
            "ring is not closed: the last point must repeat the first",
        );
        return false;
    }
    let open: Vec<geo::P2> = ring[..ring.len().saturating_sub(1)]
        .iter()
        .map(|p| [p.0, p.1])
        .collect();
    if geo::distinct_points(&open) < 3 {
        r.error(place, "ring has fewer than 3 distinct points");
        return false;
    }
    if let Some((a, b)) = geo::self_intersection(&open) {
        r.error(
            place,
            format!("ring intersects itself (edges {a} and {b} touch or cross)"),
        );
        return false;
    }
    true
}

fn check_polygon(r: &mut Report, crs: Crs, place: &str, poly: &Polygon) {
    check_ring(r, crs, &format!("{place}.exterior"), &poly.exterior);
    for (h, hole) in poly.holes.iter().enumerate() {
        check_ring(r, crs, &format!("{place}.holes[{h}]"), hole);
    }
}

fn expected_id_len(level: Level) -> usize {
    match level {
        Level::District => 6,
        Level::Street => 9,
        Level::Community => 12,
    }
}

fn check_regions(s: &Snapshot, r: &mut Report) {
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

fn display_id(id: &str, index: usize) -> String {
    if id.trim().is_empty() {
        format!("#{index}")
    } else {
        id.to_string()
    }
}

fn check_buildings(s: &Snapshot, r: &mut Report) {
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

fn check_departments_and_metrics(s: &Snapshot, r: &mut Report) {
    let mut departments: HashSet<&str> = HashSet::new();
    for (i, d) in s.departments.iter().enumerate() {
        let place = format!("departments[{}]", display_id(&d.id, i));
        if d.id.trim().is_empty() {
            r.error(&place, "empty id");
        } else if !departments.insert(d.id.as_str()) {
            r.error(&place, format!("duplicate department id {}", d.id));
        }
        check_name(r, &place, &d.name, &d.name_en);
        if parse_color(&d.color).is_none() {
            r.error(
                &place,
                format!("color {:?} is not of the form #rrggbb", d.color),
            );
        }
    }
    let regions: HashSet<&str> = s.regions.iter().map(|x| x.id.as_str()).collect();
    let mut metrics: HashSet<&str> = HashSet::new();
    for (i, m) in s.metrics.iter().enumerate() {
        let place = format!("metrics[{}]", display_id(&m.id, i));
        if m.id.trim().is_empty() {
            r.error(&place, "empty id");
        } else if !metrics.insert(m.id.as_str()) {
            r.error(&place, format!("duplicate metric id {}", m.id));
        }
        if !departments.contains(m.department.as_str()) {
            r.error(
                &place,
                format!("department {} does not exist", m.department),
            );
        }
        check_name(r, &place, &m.name, &m.name_en);
        let mut last_date: Option<&str> = None;
        for (k, (date, v)) in m.series.iter().enumerate() {
            if date.len() != 10 || !looks_like_date(date) {
                r.error(
                    format!("{place}.series[{k}]"),
                    format!("{date:?} is not a YYYY-MM-DD date"),
                );
            } else if last_date.is_some_and(|prev| prev >= date.as_str()) {
                r.error(
                    format!("{place}.series[{k}]"),
                    format!(
                        "date {date} does not follow {} (oldest first, no repeats)",
                        last_date.unwrap_or("")
                    ),
                );
            }
            last_date = Some(date.as_str());
            check_metric_value(r, &format!("{place}.series[{k}]"), m.kind, *v);
        }
        for (region, v) in &m.by_region {
            let vplace = format!("{place}.by_region[{region}]");
            if !regions.contains(region.as_str()) {
                r.error(&vplace, format!("region {region} does not exist"));
            }
            check_metric_value(r, &vplace, m.kind, *v);
        }
        for (region, values) in &m.series_by_region {
            let vplace = format!("{place}.series_by_region[{region}]");
            if !regions.contains(region.as_str()) {
                r.error(&vplace, format!("region {region} does not exist"));
            }
            if values.len() != m.series.len() {
                r.error(
                    &vplace,
                    format!(
                        "{} values for {} dates in series (one value per date)",
                        values.len(),
                        m.series.len()
                    ),
                );
            }
            for (k, v) in values.iter().enumerate() {
                check_metric_value(r, &format!("{vplace}[{k}]"), m.kind, *v);
            }
        }
        if let Some(t) = m.target
            && !t.is_finite()
        {
            r.error(&place, format!("target is not a finite number ({t})"));
        }
    }
    if let Some(ring) = &s.ring {
        if !(1..=6).contains(&ring.rows) {
            r.error(
                "ring.rows",
                format!("{} rows; 1 to 6 fit the screen", ring.rows),
            );
        }
        if !(ring.span_deg > 0.0 && ring.span_deg <= 360.0) {
            r.error(
                "ring.span_deg",
                format!("{} is not within (0, 360]", ring.span_deg),
            );
        }
        for (i, w) in ring.widgets.iter().enumerate() {
            let place = format!("ring.widgets[{i}]");
            if !metrics.contains(w.metric.as_str()) {
                r.error(&place, format!("metric {} does not exist", w.metric));
            }
            if w.row >= ring.rows {
                r.error(
                    &place,
                    format!("row {} is outside the {} rows", w.row, ring.rows),
                );
            }
            let inside = w.angle_deg.is_finite()
                && w.width_deg.is_finite()
                && w.angle_deg >= 0.0
                && w.width_deg > 0.0
                && w.angle_deg + w.width_deg <= ring.span_deg + 1e-9;
            if !inside {
                r.error(
                    &place,
                    format!(
                        "angle {}° + width {}° does not fit the span of {}°",
                        w.angle_deg, w.width_deg, ring.span_deg
                    ),
                );
            }
        }
        // Overlaps, row by row in order of angle (a sweep, so a huge layout stays fast).
        let mut order: Vec<usize> = (0..ring.widgets.len())
            .filter(|&i| {
                ring.widgets[i].angle_deg.is_finite() && ring.widgets[i].width_deg.is_finite()
            })
            .collect();
        order.sort_by(|&a, &b| {
            let (wa, wb) = (&ring.widgets[a], &ring.widgets[b]);
            wa.row
                .cmp(&wb.row)
                .then(wa.angle_deg.total_cmp(&wb.angle_deg))
                .then(a.cmp(&b))
        });
        // The widget reaching furthest so far in the current row.
        let mut reach: Option<usize> = None;
        for &i in &order {
            let w = &ring.widgets[i];
            if let Some(j) = reach.filter(|&j| ring.widgets[j].row == w.row) {
                let o = &ring.widgets[j];
                if w.angle_deg < o.angle_deg + o.width_deg
                    && o.angle_deg < w.angle_deg + w.width_deg
                {
                    let (first, second) = (i.min(j), i.max(j));
                    r.error(
                        format!("ring.widgets[{second}]"),
                        format!("overlaps ring.widgets[{first}] in row {}", w.row),
                    );
                }
                if w.angle_deg + w.width_deg > o.angle_deg + o.width_deg {
                    reach = Some(i);
                }
            } else {
                reach = Some(i);
            }
        }
    } else {
        let departments = s
            .departments
            .iter()
            .filter(|d| s.metrics.iter().any(|m| m.department == d.id))
            .count();
        if s.metrics.len() > MAX_AUTO_WIDGETS || departments > MAX_AUTO_DEPARTMENTS {
            r.warning(
                "ring",
                format!(
                    "{} metrics: the ring shows {} of them, chosen automatically (an equal share per department, those with values per region first{}); a `ring` layout in the snapshot chooses them",
                    s.metrics.len(),
                    s.metrics.len().min(MAX_AUTO_WIDGETS),
                    if departments > MAX_AUTO_DEPARTMENTS {
                        format!(", of the first {MAX_AUTO_DEPARTMENTS} of {departments} departments")
                    } else {
                        String::new()
                    }
                ),
            );
        }
    }
}

fn check_metric_value(r: &mut Report, place: &str, kind: MetricKind, v: f64) {
    if !v.is_finite() {
        r.error(place, format!("value is not a finite number ({v})"));
        return;
    }
    match kind {
        MetricKind::Count if v < 0.0 => r.error(place, format!("a count cannot be negative ({v})")),
        MetricKind::Percent if !(0.0..=100.0).contains(&v) => {
            r.warning(place, format!("percentage {v} is outside 0–100"))
        }
        _ => {}
    }
}

/// Totals that disagree with their children are warnings, not errors: official registers
/// (population, housing) and the building register are kept by different offices and rarely
/// match to the person. The exhibit shows the official figure and the curator sees both.
fn check_totals(s: &Snapshot, r: &mut Report) {
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
