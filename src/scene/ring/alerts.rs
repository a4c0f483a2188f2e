//! The ring's ticker: the selected region's (or grid's) open cases past their deadline,
//! most overdue first, then its metrics' alerts — targets missed and sharp day-on-day
//! changes — the worst first; at most [`MAX_ALERTS`] in all, zh and en text for each.

use crate::snapshot::MetricKind;
use crate::snapshot::index::CityData;

/// The most alerts the ring's ticker carries: the worst first. A command center with
/// thousands of metrics may miss hundreds of targets; a ticker of hundreds of items would
/// take an hour to scroll by, and laying them out stalled the frame of every tap.
pub const MAX_ALERTS: usize = 12;

/// The most overdue cases the ticker lists before the metrics' alerts.
pub const MAX_OVERDUE: usize = MAX_ALERTS / 2;

/// Alerts for the selected region, or a grid (网格) of it: its overdue cases (at most
/// [`MAX_OVERDUE`], the longest overdue first: department, category, where, by how long),
/// then its metrics' alerts, the worst first; at most [`MAX_ALERTS`] in all. No personal
/// data: cases carry none.
pub fn alerts_at(city: &CityData, region: usize, grid: Option<usize>) -> Vec<(String, String)> {
    let mut out = overdue_cases(city, region, grid);
    let room = MAX_ALERTS - out.len();
    out.extend(alerts(city, region).into_iter().take(room));
    out
}

/// The overdue cases of a region or grid as ticker lines, the longest overdue first.
fn overdue_cases(city: &CityData, region: usize, grid: Option<usize>) -> Vec<(String, String)> {
    let s = &city.snapshot;
    let gi = &city.index.governance;
    let Some(now) = gi.now else {
        return Vec::new();
    };
    let cases = match grid {
        Some(g) => gi.cases_of_grid.get(g),
        None => gi.cases_of_region.get(region),
    }
    .map_or(&[][..], Vec::as_slice);
    gi.overdue(s, cases)
        .into_iter()
        .take(MAX_OVERDUE)
        .map(|case| {
            let dept = gi
                .department_by_id
                .get(&case.department)
                .and_then(|&d| s.departments.get(d));
            let (dzh, den) = dept.map_or(("", ""), |d| (d.name.as_str(), d.name_en.as_str()));
            let late = (now.0 - case.due().0) as f64;
            let place = gi
                .case_by_id
                .get(&case.id)
                .and_then(|&c| gi.case_community.get(c))
                .and_then(|&r| s.regions.get(r as usize));
            let (pzh, pen) = place.map_or(("", ""), |r| (r.name.as_str(), r.name_en.as_str()));
            (
                format!(
                    "超期｜{dzh} {} · {pzh} · 已超 {}",
                    case.category,
                    crate::scene::format::duration(late, crate::scene::format::Lang::Zh)
                ),
                format!(
                    "Overdue | {den} {} · {pen} · {} late",
                    case.category_en,
                    crate::scene::format::duration(late, crate::scene::format::Lang::En)
                ),
            )
        })
        .collect()
}

/// Alerts for the selected region: targets missed and sharp day-on-day changes, at most
/// [`MAX_ALERTS`] of them, the worst (largest shortfall or rise) first.
pub fn alerts(city: &CityData, region: usize) -> Vec<(String, String)> {
    let s = &city.snapshot;
    let district = city.index.district;
    // The region's latest value per metric, in one pass over its values.
    let mut values: Vec<Option<f64>> = vec![None; s.metrics.len()];
    if let Some(own) = city.index.metric_values.get(region) {
        for &(m, v) in own {
            if let Some(slot) = values.get_mut(m) {
                *slot = Some(v);
            }
        }
    }
    let departments: std::collections::HashMap<&str, (&str, &str)> = s
        .departments
        .iter()
        .map(|d| (d.id.as_str(), (d.name.as_str(), d.name_en.as_str())))
        .collect();
    // (how bad, metric, what to say); how bad: the shortfall or the rise, as a fraction.
    let mut found: Vec<(f64, usize, Alert)> = Vec::new();
    for (mi, m) in s.metrics.iter().enumerate() {
        let value = values[mi].or_else(|| {
            (region == district)
                .then(|| m.series.last().map(|x| x.1))
                .flatten()
        });
        let Some(value) = value else {
            continue;
        };
        if let Some(t) = m.target
            && m.kind == MetricKind::Percent
            && value < t
        {
            let badness = if t > 0.0 { (t - value) / t } else { 0.0 };
            found.push((badness, mi, Alert::BelowTarget { value, target: t }));
        }
        if region == district && m.kind == MetricKind::Count && m.series.len() >= 2 {
            let prev = m.series[m.series.len() - 2].1;
            if prev >= 5.0 && value > prev * 1.25 {
                let rise = value / prev - 1.0;
                found.push((rise, mi, Alert::Rise { value, rise }));
            }
        }
    }
    // Worst first; ties in snapshot order.
    found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    found.truncate(MAX_ALERTS);
    found
        .into_iter()
        .map(|(_, mi, alert)| {
            let m = &s.metrics[mi];
            let dept = departments
                .get(m.department.as_str())
                .copied()
                .unwrap_or(("", ""));
            match alert {
                Alert::BelowTarget { value, target } => (
                    format!("{}｜{} {value:.1}% 低于目标 {target:.0}%", dept.0, m.name),
                    format!(
                        "{} | {} {value:.1}% below the {target:.0}% target",
                        dept.1, m.name_en
                    ),
                ),
                Alert::Rise { value, rise } => {
                    let pct = rise * 100.0;
                    (
                        format!(
                            "{}｜{} 今日 {value:.0}{}，较昨日 +{pct:.0}%",
                            dept.0, m.name, m.unit
                        ),
                        format!(
                            "{} | {} today {value:.0} {}, +{pct:.0}% on yesterday",
                            dept.1, m.name_en, m.unit_en
                        ),
                    )
                }
            }
        })
        .collect()
}

/// Why a metric is on the ticker.
#[derive(Debug, Clone, Copy)]
enum Alert {
    BelowTarget { value: f64, target: f64 },
    Rise { value: f64, rise: f64 },
}
