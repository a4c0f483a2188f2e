//! The mapping file (`mapping.ron` in the export, or `--mapping FILE`): how a command
//! center's own tables and names map onto the import contract, written once per command
//! center and reused. It says which column of which CSV file or spreadsheet sheet holds a
//! region's id, name and figures, a building's attributes, each metric's values per region
//! or per day; how a hand-made `metrics.json` is laid out; what the region figures count;
//! and the export's own names for the layers' properties. `citygrid import DIR
//! --write-mapping` proposes one from the headers it finds (`propose`). See
//! `docs/import-format.md` for the reference and an example.

mod figures;
mod metric_tables;
mod propose;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Export, ExportFile, ImportError};

pub(super) use figures::apply as apply_figures;
pub(super) use metric_tables::apply as apply_metric_tables;
pub use propose::{ProposeError, propose_mapping};

/// The file name the mapping has in an export folder or zip.
pub const MAPPING_FILE: &str = "mapping.ron";

/// A mapping file. Every part is optional; an empty mapping `()` changes nothing.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// What the regions' `buildings` and `floor_area_m2` figures count, in the layers and in
    /// `regions` tables.
    #[serde(default)]
    pub figures_count: FiguresCount,
    /// The export's own property names of the layers (`"常住人口": "residents"`,
    /// `"区划代码": "id"`), renamed to the contract's before anything is read.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, String>,
    /// Tables of official figures per region (district, subdistrict or community rows).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<RegionTable>,
    /// A table of buildings' attributes, by building id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buildings: Option<BuildingTable>,
    /// Departments beyond those of `metrics.json` (all of them when there is none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departments: Vec<DepartmentDef>,
    /// Tables of metric values: one row per region or per day, one column per metric.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<MetricTable>,
    /// How `metrics.json` is laid out, when it is not in the contract's shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics_json: Option<MetricsJson>,
}

/// What a region's `buildings` and `floor_area_m2` count.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FiguresCount {
    /// Residential buildings (and mixed use) and their floor area: what the exhibit shows.
    #[default]
    Residential,
    /// All buildings and all floor area. The exhibit then shows the residential ones summed
    /// from the buildings layer, and the report says so; residents and households are kept
    /// as given.
    AllBuildings,
}

/// Where a table is: a CSV file of the export, or a sheet of a spreadsheet in it.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableRef {
    /// File name within the export (`人口统计.xlsx`, `figures.csv`).
    pub file: String,
    /// Sheet of a spreadsheet (default: the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Row (from 1) holding the column names (default: the first row with two or more
    /// filled cells, skipping a title row).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_row: Option<usize>,
}

/// Official figures per region. Rows are matched to regions by `id` (a statistical
/// division code) or, without one, by `name` (Chinese or English, as in the layers; `全区`
/// is the district). Rows named 合计, 总计 or 小计 (totals) are skipped.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionTable {
    /// Where the table is.
    pub table: TableRef,
    /// Column of the region's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Column of the region's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Column of the number of buildings (what it counts: `figures_count`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buildings: Option<String>,
    /// Column of the floor area, m².
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor_area_m2: Option<String>,
    /// Column of the residents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residents: Option<String>,
    /// Column of the households.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub households: Option<String>,
}

/// Buildings' attributes by building id; a value given overrides the layer's.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildingTable {
    /// Where the table is.
    pub table: TableRef,
    /// Column of the building id (as in the buildings layer).
    pub id: String,
    /// Column of the building's name or address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Column of the number of floors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floors: Option<String>,
    /// Column of the floor area, m².
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor_area_m2: Option<String>,
    /// Column of the residents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residents: Option<String>,
    /// Column of the households.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub households: Option<String>,
    /// What the building is used for: 住宅 / residential, 商住 / mixed, 商业 / commercial,
    /// 办公 / office, 公共 / public, 工业 / industrial.
    #[serde(default, rename = "use", skip_serializing_if = "Option::is_none")]
    pub usage: Option<String>,
    /// Column of the year built (`1998`, `1998年`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_built: Option<String>,
}

/// A department a metric table may name (as in `metrics.json`).
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepartmentDef {
    /// The id metrics name it by (`hotline`).
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// `#rrggbb`.
    pub color: String,
}

/// Metric values in a table: one row per region (`by_region`) or per day (`by_date`: the
/// district's daily series), one column per metric.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricTable {
    /// Where the table is.
    pub table: TableRef,
    /// Column of the region (its id, or its name as for `RegionTable`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_region: Option<String>,
    /// Column of the date (a date cell, `2026-11-27`, `2026/11/27`, `2026年11月27日` or
    /// `20261127`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_date: Option<String>,
    /// The district's value where a `by_region` table has no row for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district_value: Option<DistrictValue>,
    pub columns: Vec<MetricColumn>,
}

/// One metric's column. The metric is `metrics.json`'s of that id, or defined here: its
/// department is then required, and name and unit default to the header's
/// (`火警接警(起)` → name 火警接警, unit 起).
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricColumn {
    /// The column's header.
    pub column: String,
    /// The metric's id (`fire.alarms`).
    pub metric: String,
    /// The department of a metric defined here (an id of metrics.json's or the mapping's
    /// departments).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// Chinese name (default: the header without its unit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// English name (default: the Chinese name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// Unit in Chinese (default: the header's, in parentheses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Unit in English (default: the Chinese unit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_en: Option<String>,
    /// `count`, `percent`, `index` or `amount` (default: percent for the unit `%`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Target value, in the metric's unit (a gauge's mark).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
}

/// How the district's value of a metric is made where the export gives values below the
/// district only: from the subdistricts' values, or the communities' where no subdistrict
/// has one; rounded to 0.01.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DistrictValue {
    /// Their sum for counts and amounts (cases, alarms); their mean for percentages and
    /// indices, whose sum means nothing.
    Sum,
    /// Their mean.
    Mean,
    /// The last value of the district's daily series.
    SeriesLast,
    /// Per metric, by its property of this name: `sum` or `mean` (also `avg`, 求和, 平均);
    /// `metrics.json` only.
    Property(String),
}

/// The layout of a hand-made `metrics.json` (the contract's is `departments` beside one
/// `metrics` list, `series` of `{date, value}` objects and `values` by region id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsJson {
    /// Key of each department's own list of metrics (`"metrics"` in a layout where
    /// departments hold their metrics); `None`: one top-level `metrics` list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics_in_departments: Option<String>,
    /// Key of the list of dates (at the top level or in each metric) that bare numbers in
    /// `series` go with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dates: Option<String>,
    /// Key of a metric's daily series.
    #[serde(default = "series_key")]
    pub series: String,
    /// Key of a metric's values by region id (`by_street`).
    #[serde(default = "values_key")]
    pub values: String,
    /// The district's value where the values lack it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district_value: Option<DistrictValue>,
}

fn series_key() -> String {
    "series".into()
}

fn values_key() -> String {
    "values".into()
}

impl Default for MetricsJson {
    fn default() -> Self {
        Self {
            metrics_in_departments: None,
            dates: None,
            series: series_key(),
            values: values_key(),
            district_value: None,
        }
    }
}

/// Parses a mapping file's text. `Option`s may be written bare (`sheet: "社区"`).
/// Errors: the file, line and column, and what RON expected.
pub fn parse_mapping(file: &str, text: &str) -> Result<Mapping, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(32)
        .from_str(text)
        .map_err(|e| ImportError::Json {
            file: file.to_string(),
            line: e.span.start.line,
            col: e.span.start.col,
            message: format!(
                "{} (see docs/import-format.md, \"The mapping file\")",
                e.code
            ),
        })
}

/// The export's mapping: `given` (from `--mapping`), else its `mapping.ron`, else none.
pub(super) fn read(ex: &Export, given: Option<ExportFile>) -> Result<Mapping, ImportError> {
    let file = match given {
        Some(f) => f,
        None => match ex.optional(MAPPING_FILE)? {
            Some(f) => f,
            None => return Ok(Mapping::default()),
        },
    };
    let (name, text) = ex.text(file)?;
    let mapping = parse_mapping(&name, &text)?;
    ex.notes.add(format!("{name}: mapping read"));
    Ok(mapping)
}

impl Mapping {
    /// Renames the export's own property names (`properties`) in every feature of a layer's
    /// JSON, in place. A property already under the contract's name is kept.
    pub(super) fn rename_properties(&self, value: &mut Value) {
        if self.properties.is_empty() {
            return;
        }
        let Some(features) = value.get_mut("features").and_then(Value::as_array_mut) else {
            return;
        };
        for f in features {
            let Some(props) = f.get_mut("properties").and_then(Value::as_object_mut) else {
                continue;
            };
            for (theirs, ours) in &self.properties {
                if props.contains_key(ours) {
                    continue;
                }
                if let Some(v) = props.remove(theirs) {
                    props.insert(ours.clone(), v);
                }
            }
        }
    }
}

/// The district's value from the values of the regions below it: those of the subdistricts
/// where there are any, else those of the communities; their sum, or their mean when
/// `mean`. `None` when there is none of either.
pub(super) fn below_district(
    by_region: &BTreeMap<String, f64>,
    regions: &[crate::snapshot::Region],
    mean: bool,
) -> Option<f64> {
    use crate::snapshot::Level;
    let of = |level: Level| -> Vec<f64> {
        regions
            .iter()
            .filter(|r| r.level == level)
            .filter_map(|r| by_region.get(&r.id).copied())
            .collect()
    };
    let mut values = of(Level::Street);
    if values.is_empty() {
        values = of(Level::Community);
    }
    if values.is_empty() {
        return None;
    }
    let sum: f64 = values.iter().sum();
    let v = if mean { sum / values.len() as f64 } else { sum };
    Some((v * 100.0).round() / 100.0)
}

#[cfg(test)]
mod tests;
