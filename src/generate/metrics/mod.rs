//! Departments and metrics for generated snapshots: the hall's seven departments with
//! realistic indicators for the demo (their definitions in `catalog`), or the command
//! center's 30 units, 242 categories and 3,759 items for stress tests (`command_center`).
//! Both get their daily series and values per region here.

mod catalog;
mod command_center;

use std::collections::BTreeMap;

use super::apportion;
use super::rng::Rng;
use crate::snapshot::MetricKind::{Amount, Count, Index, Percent};
use crate::snapshot::{Department, Metric, MetricKind};
use catalog::HALL_METRICS;

pub use catalog::HALL_DEPARTMENTS;
pub use command_center::command_center;

/// What the generator needs to know of a metric to make its values.
struct MetricDef<'a> {
    id: &'a str,
    zh: &'a str,
    en: &'a str,
    unit: &'a str,
    unit_en: &'a str,
    kind: MetricKind,
    /// District value on the last day.
    base: f64,
    target: Option<f64>,
}

/// A [`MetricDef`] from its fields in order: a row of the catalog.
const fn m(
    id: &'static str,
    zh: &'static str,
    en: &'static str,
    unit: &'static str,
    unit_en: &'static str,
    kind: MetricKind,
    base: f64,
    target: Option<f64>,
) -> MetricDef<'static> {
    MetricDef {
        id,
        zh,
        en,
        unit,
        unit_en,
        kind,
        base,
        target,
    }
}

/// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
pub fn date_from_days(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}

/// Region weights for spreading counts: (region id, share of its parent, parent index or
/// None for the district). Regions come district first, then streets, then communities.
pub struct RegionShares {
    pub ids: Vec<String>,
    pub parent: Vec<Option<usize>>,
    /// Share of the parent's count (sums to 1 over siblings).
    pub share: Vec<f64>,
    /// Whether by_region values go down to this region.
    pub detailed: Vec<bool>,
    /// Whether the region is a subdistrict (daily series are made for those).
    pub streets: Vec<bool>,
}

/// Number of daily points in generated series.
pub const SERIES_DAYS: i64 = 30;

fn make_metric(
    rng: &mut Rng,
    dept: &str,
    category: &str,
    def: &MetricDef<'_>,
    regions: &RegionShares,
    last_day: i64,
) -> Metric {
    let mut series = Vec::with_capacity(SERIES_DAYS as usize);
    let phase = rng.range(0.0, std::f64::consts::TAU);
    let trend = rng.range(-0.1, 0.1);
    let round = |kind: MetricKind, v: f64| match kind {
        Count => v.round().max(0.0),
        Percent => ((v * 10.0).round() / 10.0).clamp(0.0, 100.0),
        Index => (v * 100.0).round() / 100.0,
        Amount => (v * 10.0).round() / 10.0,
    };
    // Stock figures (parking spaces, elderly residents) barely move; flows vary by day.
    let stock = def.kind == Count && def.base >= 1_000.0;
    let wobble = if stock {
        0.004
    } else if def.kind == Percent {
        0.02
    } else {
        0.18
    };
    for k in 0..SERIES_DAYS {
        let day = last_day - (SERIES_DAYS - 1 - k);
        let t = k as f64 / (SERIES_DAYS - 1) as f64;
        let weekly = (k as f64 / 7.0 * std::f64::consts::TAU + phase).sin();
        let v = if k == SERIES_DAYS - 1 {
            def.base
        } else {
            def.base
                * (1.0 - trend * (1.0 - t))
                * (1.0 + wobble * (0.6 * weekly + rng.range(-0.4, 0.4)))
        };
        series.push((date_from_days(day), round(def.kind, v)));
    }
    let mut by_region = BTreeMap::new();
    let n = regions.ids.len();
    let mut values = vec![0.0; n];
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        if let Some(p) = regions.parent[i] {
            children[p].push(i);
        }
    }
    // Parents come before their children, so each value is known before it is spread.
    for i in 0..n {
        if regions.parent[i].is_none() {
            values[i] = round(def.kind, def.base);
        }
        let kids = &children[i];
        if kids.is_empty() {
            continue;
        }
        let pv = values[i];
        if def.kind == Count {
            // Counts add up exactly: children share the parent's count.
            let weights: Vec<f64> = kids
                .iter()
                .map(|&k| regions.share[k] * rng.range(0.85, 1.15))
                .collect();
            for (&k, v) in kids.iter().zip(apportion(pv as i64, &weights)) {
                values[k] = v as f64;
            }
        } else {
            for &k in kids {
                let v = match def.kind {
                    Percent => (pv + rng.range(-3.0, 3.0)).clamp(0.0, 100.0),
                    _ => pv * rng.range(0.85, 1.15),
                };
                values[k] = round(def.kind, v);
            }
        }
    }
    for ((id, detailed), v) in regions.ids.iter().zip(&regions.detailed).zip(&values) {
        if *detailed {
            by_region.insert(id.clone(), *v);
        }
    }
    // Daily values for the subdistricts: their share of the district's day, or its level
    // with an offset, so each region keeps its own character across the month.
    let mut series_by_region = BTreeMap::new();
    if def.kind != Count || def.base < 1_000.0 {
        for i in 0..n {
            if regions.parent[i].is_none() || !regions.streets[i] || !regions.detailed[i] {
                continue;
            }
            let ratio = if values[0].abs() > 1e-9 {
                values[i] / values[0]
            } else {
                0.0
            };
            let offset = values[i] - values[0];
            let daily: Vec<f64> = series
                .iter()
                .map(|(_, d)| {
                    let v = match def.kind {
                        Count => d * ratio * rng.range(0.7, 1.3),
                        Percent => d + offset + rng.range(-1.5, 1.5),
                        Index | Amount => d * ratio * rng.range(0.92, 1.08),
                    };
                    round(def.kind, v)
                })
                .collect();
            series_by_region.insert(regions.ids[i].clone(), daily);
        }
    }
    Metric {
        id: def.id.to_string(),
        department: dept.to_string(),
        category: category.to_string(),
        name: def.zh.to_string(),
        name_en: def.en.to_string(),
        unit: def.unit.to_string(),
        unit_en: def.unit_en.to_string(),
        kind: def.kind,
        series,
        by_region,
        series_by_region,
        target: def.target,
    }
}

/// The seven hall departments and their indicators, with values for every region.
pub fn hall(
    rng: &mut Rng,
    regions: &RegionShares,
    last_day: i64,
) -> (Vec<Department>, Vec<Metric>) {
    let mut departments = Vec::new();
    let mut metrics = Vec::new();
    for ((id, zh, en, color), defs) in HALL_DEPARTMENTS.iter().zip(HALL_METRICS) {
        departments.push(Department {
            id: id.to_string(),
            name: zh.to_string(),
            name_en: en.to_string(),
            color: color.to_string(),
        });
        for def in defs {
            metrics.push(make_metric(rng, id, zh, def, regions, last_day));
        }
    }
    (departments, metrics)
}

/// Thins a snapshot's metrics to what command centers commonly export: the daily series
/// for the district only, and values for the district and its subdistricts (none per
/// community, no per-region series). The ring must still look complete on such data
/// (`scene::ring::gaps`); tests and the visual references use this.
pub fn as_commonly_exported(s: &mut crate::snapshot::Snapshot) {
    use crate::snapshot::Level;
    let kept: Vec<String> = s
        .regions
        .iter()
        .filter(|r| matches!(r.level, Level::District | Level::Street))
        .map(|r| r.id.clone())
        .collect();
    for m in &mut s.metrics {
        m.series_by_region.clear();
        m.by_region.retain(|id, _| kept.contains(id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_from_epoch() {
        assert_eq!(date_from_days(0), "1970-01-01");
        assert_eq!(date_from_days(20_784), "2026-11-27");
        assert_eq!(date_from_days(19_782), "2024-02-29");
    }
}
