//! Departments and metrics: ids, names, colors, dated series, values per region and the
//! ring layout of widgets (or the warning when the automatic layout must choose).

use std::collections::HashSet;

use super::{Report, check_name, display_id, looks_like_date, parse_color};
use crate::snapshot::model::{MAX_AUTO_DEPARTMENTS, MAX_AUTO_WIDGETS, MetricKind, Snapshot};

pub(super) fn check_departments_and_metrics(s: &Snapshot, r: &mut Report) {
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
            if w.kind.is_governance() {
                // Case flows and participation name the department whose sector holds them.
                if !departments.contains(w.metric.as_str()) {
                    r.error(
                        &place,
                        format!(
                            "{:?} names department {}, which does not exist",
                            w.kind, w.metric
                        ),
                    );
                }
            } else if !metrics.contains(w.metric.as_str()) {
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
