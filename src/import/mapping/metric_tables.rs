//! Metric values from the mapping's tables: per region (a row per subdistrict or
//! community) or per day (the district's daily series), a column per metric.

use std::collections::{BTreeMap, HashSet};

use super::super::number::read_number;
use super::super::table::{Cell, Table};
use super::super::{Export, ImportError};
use super::figures::{RegionKeys, key_column, read_table, table_name};
use super::{DistrictValue, Mapping, MetricColumn, MetricTable, below_district};
use crate::snapshot::{Department, Level, Metric, MetricKind, Region};

/// Adds the mapping's departments, then each metric table's values (defining the metrics
/// that `metrics.json` does not have).
pub(in super::super) fn apply(
    ex: &Export,
    mapping: &Mapping,
    regions: &[Region],
    departments: &mut Vec<Department>,
    metrics: &mut Vec<Metric>,
) -> Result<(), ImportError> {
    for d in &mapping.departments {
        if !departments.iter().any(|x| x.id == d.id) {
            departments.push(Department {
                id: d.id.clone(),
                name: d.name.clone(),
                name_en: d.name_en.clone(),
                color: d.color.clone(),
            });
        }
    }
    for (n, mt) in mapping.metrics.iter().enumerate() {
        if mt.by_region.is_some() == mt.by_date.is_some() {
            return Err(ImportError::Feature {
                file: "mapping".into(),
                place: format!("metrics[{n}] ({})", mt.table.file),
                message: "needs exactly one of `by_region` (a row per region) or `by_date` \
                          (a row per day)"
                    .into(),
            });
        }
        let t = read_table(ex, &mt.table)?;
        let mut touched = Vec::new();
        for mc in &mt.columns {
            let col = t.column(&mc.column)?;
            let m = metric_for(&t, mc, departments, metrics)?;
            let fractions = percent_fractions(&t, col, &metrics[m])?;
            if fractions {
                ex.notes.add(format!(
                    "{}: column `{}` holds {} as fractions (cells formatted as percentages \
                     hold 0.125 for 12.5%): read ×100",
                    table_name(&t),
                    mc.column,
                    metrics[m].id
                ));
            }
            let scale = if fractions { 100.0 } else { 1.0 };
            if let Some(region) = &mt.by_region {
                let key = key_column(&t, Some(region), None, "a `metrics` table")?;
                by_region(&t, (key, col, scale), mt, regions, &mut metrics[m])?;
            } else if let Some(date) = &mt.by_date {
                let key = t.column(date)?;
                let replaced = !metrics[m].series.is_empty();
                by_date(&t, (key, col, scale), &mut metrics[m])?;
                let district = regions.iter().find(|r| r.level == Level::District);
                if let (Some(DistrictValue::SeriesLast), Some(d)) = (&mt.district_value, district)
                    && let Some(&(_, last)) = metrics[m].series.last()
                {
                    metrics[m].by_region.entry(d.id.clone()).or_insert(last);
                }
                if replaced {
                    ex.notes.add(format!(
                        "{}: the daily series of {} replaces the one in metrics.json",
                        table_name(&t),
                        metrics[m].id
                    ));
                }
            }
            touched.push(metrics[m].id.clone());
        }
        ex.notes.add(format!(
            "{}: {} {} read ({})",
            table_name(&t),
            touched.len(),
            if mt.by_date.is_some() {
                "daily series"
            } else {
                "metric(s) by region"
            },
            touched.join(", ")
        ));
    }
    Ok(())
}

/// The index of the column's metric in `metrics`, defining it from the column when
/// `metrics.json` has no metric of that id. Errors: a new metric without a known
/// department, or a bad `kind`.
fn metric_for(
    t: &Table,
    mc: &MetricColumn,
    departments: &[Department],
    metrics: &mut Vec<Metric>,
) -> Result<usize, ImportError> {
    let todo = [
        Some(&mc.metric),
        mc.department.as_ref(),
        mc.name.as_ref(),
        mc.name_en.as_ref(),
    ]
    .into_iter()
    .flatten()
    .any(|v| v.starts_with("TODO"));
    if todo {
        return Err(t.at(format!("column `{}`", mc.column)).err(
            "the mapping still says TODO here: fill in the metric's id, department and \
             English name (see docs/import-format.md)",
        ));
    }
    if let Some(i) = metrics.iter().position(|m| m.id == mc.metric) {
        return Ok(i);
    }
    let err = |m: String| t.at(format!("column `{}`", mc.column)).err(m);
    let department = mc.department.clone().ok_or_else(|| {
        err(format!(
            "metric `{}` is not in metrics.json: give its `department` in the mapping",
            mc.metric
        ))
    })?;
    if !departments.iter().any(|d| d.id == department) {
        return Err(err(format!(
            "department `{department}` is neither in metrics.json nor among the mapping's \
             `departments`"
        )));
    }
    let (header_name, header_unit) = name_and_unit(&mc.column);
    let unit = mc.unit.clone().or(header_unit).unwrap_or_default();
    let name = mc.name.clone().unwrap_or(header_name);
    let kind = super::super::metrics::metric_kind(mc.kind.as_deref(), &unit).map_err(err)?;
    metrics.push(Metric {
        id: mc.metric.clone(),
        department,
        category: String::new(),
        name_en: mc.name_en.clone().unwrap_or_else(|| name.clone()),
        name,
        unit_en: mc.unit_en.clone().unwrap_or_else(|| unit.clone()),
        unit,
        kind,
        series: Vec::new(),
        by_region: BTreeMap::new(),
        series_by_region: BTreeMap::new(),
        target: mc.target,
    });
    Ok(metrics.len() - 1)
}

/// A header's name and the unit in its trailing parentheses: `火警接警(起)` → (火警接警, 起),
/// `办结率（%）` → (办结率, %).
pub(super) fn name_and_unit(header: &str) -> (String, Option<String>) {
    let h = header.trim();
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(body) = h.strip_suffix(close)
            && let Some(at) = body.rfind(open)
        {
            let unit = body[at + open.len_utf8()..].trim();
            if !unit.is_empty() {
                return (body[..at].trim().to_string(), Some(unit.to_string()));
            }
        }
    }
    (h.to_string(), None)
}

/// The units a metric's cells may carry: its own, and `%` for a percentage.
fn units_of(m: &Metric) -> Vec<&str> {
    let mut u = vec![m.unit.as_str()];
    if m.kind == MetricKind::Percent {
        u.push("%");
    }
    u
}

/// Whether a percentage's column holds fractions: number cells only, all within 0–1
/// (what cells formatted as percentages hold), not written as `12.5%` text. Errors: a
/// column that mixes fractions with numbers over 1 (0.9 beside 95), naming the first cell
/// over 1.
fn percent_fractions(t: &Table, col: usize, m: &Metric) -> Result<bool, ImportError> {
    if m.kind != MetricKind::Percent {
        return Ok(false);
    }
    let numbers: Vec<(usize, f64)> = (0..t.rows.len())
        .filter_map(|i| match t.cell(i, col) {
            Cell::Number(v) => Some((i, *v)),
            _ => None,
        })
        .collect();
    let fractions = numbers.iter().any(|(_, v)| *v > 0.0 && *v < 1.0);
    if let Some((i, v)) = numbers.iter().find(|(_, v)| *v > 1.0).filter(|_| fractions) {
        return Err(t.cell_at(*i, col).err(format!(
            "{v} beside fractions like 0.9 in the same column: is it {v}% or {}%? Format \
             the column's cells alike",
            v * 100.0
        )));
    }
    let texts = (0..t.rows.len()).any(|i| matches!(t.cell(i, col), Cell::Text(_)));
    Ok(fractions && !texts && numbers.iter().all(|(_, v)| (0.0..=1.0).contains(v)))
}

/// A metric cell's value: its number times `scale` (100 for fractions of a percentage).
fn value_at(
    t: &Table,
    i: usize,
    col: usize,
    scale: f64,
    units: &[&str],
) -> Result<Option<f64>, ImportError> {
    let text = t.cell(i, col).text();
    let v = read_number(&text, units).map_err(|e| t.cell_at(i, col).err(e))?;
    Ok(v.map(|v| match t.cell(i, col) {
        // Rounded to 1e-9 so that 0.901 × 100 reads 90.1, not 90.10000000000001.
        Cell::Number(_) if scale != 1.0 => (v * scale * 1e9).round() / 1e9,
        _ => v,
    }))
}

/// One column's values by region; `(key, col, scale)`: the region column, the metric's
/// column and the factor for its number cells.
fn by_region(
    t: &Table,
    (key, col, scale): (usize, usize, f64),
    mt: &MetricTable,
    regions: &[Region],
    m: &mut Metric,
) -> Result<(), ImportError> {
    let keys = RegionKeys::new(regions);
    let units = units_of(m);
    let mut values = BTreeMap::new();
    let mut rows: BTreeMap<usize, usize> = BTreeMap::new();
    for i in 0..t.rows.len() {
        let Some(r) = keys
            .find(&t.cell(i, key).text())
            .map_err(|e| t.cell_at(i, key).err(e))?
        else {
            continue;
        };
        if let Some(first) = rows.insert(r, t.row_numbers.get(i).copied().unwrap_or(0)) {
            return Err(t.cell_at(i, key).err(format!(
                "a second row for region {} (the first is row {first})",
                regions[r].id
            )));
        }
        if let Some(v) = value_at(t, i, col, scale, &units)? {
            values.insert(regions[r].id.clone(), v);
        }
    }
    let district = regions.iter().find(|r| r.level == Level::District);
    if let (Some(dv), Some(district)) = (&mt.district_value, district)
        && !values.contains_key(&district.id)
        && !m.by_region.contains_key(&district.id)
    {
        let rate = matches!(m.kind, MetricKind::Percent | MetricKind::Index);
        let mut known = m.by_region.clone();
        known.extend(values.iter().map(|(k, v)| (k.clone(), *v)));
        let v = match dv {
            DistrictValue::Sum => below_district(&known, regions, rate),
            DistrictValue::Mean => below_district(&known, regions, true),
            DistrictValue::SeriesLast => m.series.last().map(|(_, v)| *v),
            DistrictValue::Property(_) => {
                return Err(ImportError::Feature {
                    file: "mapping".into(),
                    place: format!("metrics ({})", mt.table.file),
                    message: "`district_value: Property(..)` is for metrics_json; a table \
                              takes Sum, Mean or SeriesLast"
                        .into(),
                });
            }
        };
        if let Some(v) = v {
            values.insert(district.id.clone(), v);
        }
    }
    m.by_region.extend(values);
    Ok(())
}

/// One column's daily series; arguments as for [`by_region`].
fn by_date(
    t: &Table,
    (key, col, scale): (usize, usize, f64),
    m: &mut Metric,
) -> Result<(), ImportError> {
    let units = units_of(m);
    let mut series = Vec::new();
    let mut seen = HashSet::new();
    for i in 0..t.rows.len() {
        let cell = t.cell(i, key);
        if *cell == Cell::Empty {
            if *t.cell(i, col) != Cell::Empty {
                return Err(t.cell_at(i, key).err("is empty, but the row has a value"));
            }
            continue;
        }
        let date = date_of(cell).map_err(|e| t.cell_at(i, key).err(e))?;
        if !seen.insert(date.clone()) {
            return Err(t
                .cell_at(i, key)
                .err(format!("{date} is a second row for the same day")));
        }
        if let Some(v) = value_at(t, i, col, scale, &units)? {
            series.push((date, v));
        }
    }
    series.sort_by(|a, b| a.0.cmp(&b.0));
    m.series = series;
    Ok(())
}

/// Days in month `m` (1–12) of year `y` (Gregorian).
fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A date cell as `YYYY-MM-DD`: a spreadsheet date, or text `2026-11-27`, `2026/11/27`,
/// `2026.11.27`, `2026年11月27日`, `20261127` (a time after it is ignored).
pub(super) fn date_of(cell: &Cell) -> Result<String, String> {
    let text = match cell {
        Cell::Date(d) => return Ok(d.clone()),
        c => c.text(),
    };
    let head = text.split([' ', 'T']).next().unwrap_or("");
    let parts: Vec<&str> = if head.len() == 8 && head.bytes().all(|b| b.is_ascii_digit()) {
        vec![&head[..4], &head[4..6], &head[6..]]
    } else {
        head.trim_end_matches('日')
            .split(['-', '/', '.', '年', '月'])
            .collect()
    };
    let nums: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    match nums[..] {
        [y, m, d]
            if parts.len() == 3
                && (1900..=2200).contains(&y)
                && (1..=12).contains(&m)
                && (1..=days_in_month(y, m)).contains(&d) =>
        {
            Ok(format!("{y:04}-{m:02}-{d:02}"))
        }
        _ => Err(format!(
            "`{text}` is not a date like 2026-11-27 (or a date cell), or no such day"
        )),
    }
}
