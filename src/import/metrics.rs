//! `metrics.json` of an export: the departments, their metrics (series over time and values
//! per region) and the time of the export.

use std::collections::BTreeMap;

use serde_json::Value;

use super::geojson::{number_of, required_string, string_of};
use super::{Ctx, Export, ImportError, JsonFile};
use crate::snapshot::{Department, Metric, MetricKind};

/// What `metrics.json` holds.
pub(super) struct MetricsFile {
    pub(super) departments: Vec<Department>,
    pub(super) metrics: Vec<Metric>,
    /// `exported_at` as given; the import's own time is used where it is missing.
    pub(super) exported_at: Option<String>,
}

/// Reads `metrics.json`.
pub(super) fn read(ex: &Export) -> Result<MetricsFile, ImportError> {
    let JsonFile {
        name: file,
        value: v,
    } = ex.json("metrics.json")?;
    let top = Ctx {
        file: &file,
        place: "top level".into(),
    };
    let exported_at = v
        .get("exported_at")
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut departments = Vec::new();
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
        departments.push(Department {
            id: required_string(&c, p, "id")?,
            name: required_string(&c, p, "name")?,
            name_en: required_string(&c, p, "name_en")?,
            color: required_string(&c, p, "color")?,
        });
    }
    let mut out = Vec::new();
    for (i, m) in v
        .get("metrics")
        .and_then(Value::as_array)
        .ok_or_else(|| top.err("has no `metrics` array"))?
        .iter()
        .enumerate()
    {
        let id = m.as_object().and_then(|p| string_of(p, "id"));
        let c = Ctx {
            file: &file,
            place: match &id {
                Some(id) => format!("metrics[{i}] (id {id})"),
                None => format!("metrics[{i}]"),
            },
        };
        let p = m.as_object().ok_or_else(|| c.err("is not an object"))?;
        let unit = string_of(p, "unit").unwrap_or_default();
        let kind = match string_of(p, "kind").as_deref() {
            Some("count") => MetricKind::Count,
            Some("percent") => MetricKind::Percent,
            Some("index") => MetricKind::Index,
            Some("amount") => MetricKind::Amount,
            None if unit == "%" => MetricKind::Percent,
            None => MetricKind::Count,
            Some(other) => {
                return Err(c.err(format!(
                    "`kind` {other:?} is not count, percent, index or amount"
                )));
            }
        };
        let mut series = Vec::new();
        for (k, point) in p
            .get("series")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let date = point.get("date").and_then(Value::as_str);
            let value = point.get("value").and_then(Value::as_f64);
            let (Some(date), Some(value)) = (date, value) else {
                return Err(c.err(format!(
                    "series[{k}] needs a `date` string and a `value` number; found {}",
                    shown(point)
                )));
            };
            series.push((date.to_string(), value));
        }
        let mut by_region = BTreeMap::new();
        if let Some(values) = p.get("values") {
            let values = values
                .as_object()
                .ok_or_else(|| c.err("`values` is not an object of region id → number"))?;
            for (region, v) in values {
                let v = v.as_f64().ok_or_else(|| {
                    c.err(format!("values[{region}] is {}, not a number", shown(v)))
                })?;
                by_region.insert(region.clone(), v);
            }
        }
        out.push(Metric {
            id: required_string(&c, p, "id")?,
            department: required_string(&c, p, "department")?,
            category: string_of(p, "category").unwrap_or_default(),
            name: required_string(&c, p, "name")?,
            name_en: required_string(&c, p, "name_en")?,
            unit,
            unit_en: string_of(p, "unit_en").unwrap_or_default(),
            kind,
            series,
            by_region,
            series_by_region: BTreeMap::new(),
            target: number_of(&c, p, "target")?,
        });
    }
    Ok(MetricsFile {
        departments,
        metrics: out,
        exported_at,
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
