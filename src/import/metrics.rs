//! `metrics.json` of an export: the departments, their metrics (series over time and values
//! per region) and the time of the export. Its layout is the contract's unless the
//! mapping's `metrics_json` says otherwise (departments holding their metrics, one list of
//! dates beside bare series numbers, values under another key).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::geojson::{number_of, required_string, string_of};
use super::mapping::{DistrictValue, MetricsJson, below_district};
use super::{Ctx, Export, ImportError, JsonFile};
use crate::snapshot::{Department, Level, Metric, MetricKind, Region};

/// What `metrics.json` holds.
#[derive(Default)]
pub(super) struct MetricsFile {
    pub(super) departments: Vec<Department>,
    pub(super) metrics: Vec<Metric>,
    /// `exported_at` as given; the import's own time is used where it is missing.
    pub(super) exported_at: Option<String>,
}

/// Reads `metrics.json` in `layout` (`None`: the contract's). `optional`: an export
/// without the file (its metrics come from the mapping's tables) reads as empty.
/// `regions` give the district and its subdistricts for the layout's `district_value`.
pub(super) fn read(
    ex: &Export,
    layout: Option<&MetricsJson>,
    optional: bool,
    regions: &[Region],
) -> Result<MetricsFile, ImportError> {
    let JsonFile {
        name: file,
        value: v,
    } = match (optional, ex.optional_json("metrics.json")?) {
        (_, Some(f)) => f,
        (true, None) => return Ok(MetricsFile::default()),
        (false, None) => ex.json("metrics.json")?,
    };
    let contract = MetricsJson::default();
    let layout = layout.unwrap_or(&contract);
    let top = Ctx {
        file: &file,
        place: "top level".into(),
    };
    let exported_at = v
        .get("exported_at")
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut departments = Vec::new();
    let mut listed: Vec<(String, Option<String>, &Value)> = Vec::new();
    for (i, d) in v
        .get("departments")
        .and_then(Value::as_array)
        .ok_or_else(|| top.err("has no `departments` array"))?
        .iter()
        .enumerate()
    {
        let c = Ctx {
            file: &file,
            place: format!("departments[{i}]"),
        };
        let p = d.as_object().ok_or_else(|| c.err("is not an object"))?;
        let id = required_string(&c, p, "id")?;
        if let Some(key) = &layout.metrics_in_departments {
            let list = p.get(key).and_then(Value::as_array).ok_or_else(|| {
                c.err(format!(
                    "has no `{key}` array (the mapping's `metrics_in_departments`)"
                ))
            })?;
            for (j, m) in list.iter().enumerate() {
                listed.push((format!("departments[{i}].{key}[{j}]"), Some(id.clone()), m));
            }
        }
        departments.push(Department {
            id,
            name: required_string(&c, p, "name")?,
            name_en: required_string(&c, p, "name_en")?,
            color: required_string(&c, p, "color")?,
        });
    }
    if layout.metrics_in_departments.is_none() {
        for (i, m) in v
            .get("metrics")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                top.err(
                    "has no `metrics` array; if its departments hold their metrics, or its \
                     series are bare numbers beside a list of dates, say so in a mapping \
                     (`citygrid import DIR --write-mapping` proposes one)",
                )
            })?
            .iter()
            .enumerate()
        {
            listed.push((format!("metrics[{i}]"), None, m));
        }
    }
    let top_dates = layout.dates.as_ref().and_then(|k| v.get(k));
    let mut out = Vec::new();
    for (place, department, m) in listed {
        let id = m.as_object().and_then(|p| string_of(p, "id"));
        let c = Ctx {
            file: &file,
            place: match &id {
                Some(id) => format!("{place} (id {id})"),
                None => place,
            },
        };
        let p = m.as_object().ok_or_else(|| c.err("is not an object"))?;
        out.push(metric(&c, p, layout, department, top_dates, regions)?);
    }
    Ok(MetricsFile {
        departments,
        metrics: out,
        exported_at,
    })
}

/// One metric of the file, its department given by the layout where the departments hold
/// their metrics.
fn metric(
    c: &Ctx,
    p: &Map<String, Value>,
    layout: &MetricsJson,
    department: Option<String>,
    top_dates: Option<&Value>,
    regions: &[Region],
) -> Result<Metric, ImportError> {
    let unit = string_of(p, "unit").unwrap_or_default();
    let kind = metric_kind(string_of(p, "kind").as_deref(), &unit).map_err(|m| c.err(m))?;
    let series = series(c, p, layout, top_dates)?;
    let key = &layout.values;
    let mut by_region = BTreeMap::new();
    if let Some(values) = p.get(key) {
        let values = values
            .as_object()
            .ok_or_else(|| c.err(format!("`{key}` is not an object of region id → number")))?;
        for (region, v) in values {
            let v = v
                .as_f64()
                .ok_or_else(|| c.err(format!("{key}[{region}] is {}, not a number", shown(v))))?;
            by_region.insert(region.clone(), v);
        }
    }
    if let Some(dv) = &layout.district_value {
        let rate = matches!(kind, MetricKind::Percent | MetricKind::Index);
        district_value(c, p, dv, rate, &series, regions, &mut by_region)?;
    }
    Ok(Metric {
        id: required_string(c, p, "id")?,
        department: match department {
            Some(d) => string_of(p, "department").unwrap_or(d),
            None => required_string(c, p, "department")?,
        },
        category: string_of(p, "category").unwrap_or_default(),
        name: required_string(c, p, "name")?,
        name_en: required_string(c, p, "name_en")?,
        unit,
        unit_en: string_of(p, "unit_en").unwrap_or_default(),
        kind,
        series,
        by_region,
        series_by_region: BTreeMap::new(),
        target: number_of(c, p, "target")?,
    })
}

/// A metric's daily series: `{date, value}` objects, or bare numbers paired with the
/// layout's `dates` list (the metric's own, else the file's).
fn series(
    c: &Ctx,
    p: &Map<String, Value>,
    layout: &MetricsJson,
    top_dates: Option<&Value>,
) -> Result<Vec<(String, f64)>, ImportError> {
    let key = &layout.series;
    let Some(points) = p.get(key).and_then(Value::as_array) else {
        return Ok(Vec::new());
    };
    let dates = layout
        .dates
        .as_ref()
        .and_then(|k| p.get(k))
        .or(top_dates)
        .and_then(Value::as_array);
    let mut out = Vec::with_capacity(points.len());
    for (k, point) in points.iter().enumerate() {
        let (date, value) = match (point, dates) {
            (Value::Number(n), Some(dates)) => (dates.get(k).and_then(Value::as_str), n.as_f64()),
            (Value::Number(_), None) => {
                return Err(c.err(format!(
                    "{key}[{k}] is a bare number: say in the mapping's `metrics_json` which \
                     `dates` list it goes with"
                )));
            }
            (point, _) => (
                point.get("date").and_then(Value::as_str),
                point.get("value").and_then(Value::as_f64),
            ),
        };
        let (Some(date), Some(value)) = (date, value) else {
            return Err(c.err(format!(
                "{key}[{k}] needs a `date` string and a `value` number{}; found {}",
                if dates.is_some() {
                    " (or a number with a date at the same place in `dates`)"
                } else {
                    ""
                },
                shown(point)
            )));
        };
        out.push((date.to_string(), value));
    }
    Ok(out)
}

/// Adds the district's value where `by_region` lacks it, as the layout says (`rate`: a
/// percentage or index, averaged under `Sum`).
fn district_value(
    c: &Ctx,
    p: &Map<String, Value>,
    dv: &DistrictValue,
    rate: bool,
    series: &[(String, f64)],
    regions: &[Region],
    by_region: &mut BTreeMap<String, f64>,
) -> Result<(), ImportError> {
    let Some(district) = regions.iter().find(|r| r.level == Level::District) else {
        return Ok(());
    };
    if by_region.contains_key(&district.id) {
        return Ok(());
    }
    let value = match dv {
        DistrictValue::Sum => below_district(by_region, regions, rate),
        DistrictValue::Mean => below_district(by_region, regions, true),
        DistrictValue::SeriesLast => series.last().map(|(_, v)| *v),
        DistrictValue::Property(key) => {
            match string_of(p, key).map(|s| s.to_lowercase()).as_deref() {
                Some("sum" | "total" | "求和" | "合计") => {
                    below_district(by_region, regions, false)
                }
                Some("mean" | "avg" | "average" | "平均") => {
                    below_district(by_region, regions, true)
                }
                other => {
                    return Err(c.err(format!(
                        "`{key}` is {}, not sum or mean (the mapping's \
                         `district_value: Property({key:?})`)",
                        other.map_or("missing".to_string(), |o| format!("`{o}`"))
                    )));
                }
            }
        }
    };
    if let Some(v) = value {
        by_region.insert(district.id.clone(), v);
    }
    Ok(())
}

/// A metric's kind as written (`count`, `percent`, `index`, `amount`), by default percent
/// for the unit `%` and count otherwise. Errors: another word, in words for the message.
pub(super) fn metric_kind(given: Option<&str>, unit: &str) -> Result<MetricKind, String> {
    Ok(match given {
        Some("count") => MetricKind::Count,
        Some("percent") => MetricKind::Percent,
        Some("index") => MetricKind::Index,
        Some("amount") => MetricKind::Amount,
        None if unit == "%" => MetricKind::Percent,
        None => MetricKind::Count,
        Some(other) => {
            return Err(format!(
                "`kind` {other:?} is not count, percent, index or amount"
            ));
        }
    })
}

/// A JSON value as it stands in the file, cut to 60 characters for a message.
fn shown(v: &Value) -> String {
    let text = v.to_string();
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}
