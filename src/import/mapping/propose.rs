//! `citygrid import DIR --write-mapping`: a mapping proposed from what the export holds —
//! the headers of its CSV files and spreadsheet sheets, the layout of its `metrics.json`,
//! the property names of its layers and what its region figures count — for the curator
//! to check once and reuse for every later export of that command center.

use std::path::Path;

use serde_json::Value;

use super::super::table::{self, Table, is_spreadsheet, normalised};
use super::super::{Export, ExportFile, ImportError, read_file};
use super::metric_tables::name_and_unit;
use super::{
    BuildingTable, DistrictValue, FiguresCount, Mapping, MetricColumn, MetricTable, MetricsJson,
    RegionTable, TableRef,
};

/// Why no mapping could be proposed.
#[derive(Debug, thiserror::Error)]
pub enum ProposeError {
    #[error("{0}: cannot list the folder: {1}")]
    Folder(String, #[source] std::io::Error),
    #[error(transparent)]
    Import(#[from] ImportError),
}

/// Header words (compared after [`normalised`]) by the column they suggest.
const ID: [&str; 7] = ["区划代码", "代码", "编码", "编号", "adcode", "code", "id"];
const NAME: [&str; 6] = ["名称", "街道", "社区", "地区", "name", "区域"];
const DATE: [&str; 4] = ["日期", "date", "时间", "day"];
const RESIDENTS: [&str; 5] = ["常住人口", "人口", "居民", "residents", "population"];
const HOUSEHOLDS: [&str; 2] = ["户数", "households"];
const BUILDINGS: [&str; 5] = ["楼栋数", "栋数", "楼宇数", "建筑数", "buildings"];
const AREA: [&str; 4] = ["建筑面积", "面积", "floor_area", "floorarea"];
const FLOORS: [&str; 3] = ["层数", "楼层", "floors"];
const USE: [&str; 4] = ["用途", "性质", "use", "usage"];
const YEAR: [&str; 3] = ["建成年份", "年份", "year"];

/// Whether header `h` holds `word`: a Chinese word anywhere in it, an English one as a
/// whole word (`id` in `region_id`, not in `residents`).
fn holds(h: &str, word: &str) -> bool {
    let h = normalised(h);
    if word.is_ascii() {
        h.split(|c: char| !c.is_ascii_alphanumeric())
            .any(|token| token == word)
    } else {
        h.contains(word)
    }
}

/// The first header not yet `taken` that holds one of `words` (by priority of the words);
/// it is then taken.
fn find(headers: &[String], words: &[&str], taken: &mut Vec<String>) -> Option<String> {
    let found = words.iter().find_map(|w| {
        headers
            .iter()
            .find(|h| !taken.contains(h) && holds(h, w))
            .cloned()
    })?;
    taken.push(found.clone());
    Some(found)
}

/// Layer property names in Chinese that mean a contract property.
const PROPERTIES: [(&str, &str); 14] = [
    ("区划代码", "id"),
    ("代码", "id"),
    ("编码", "id"),
    ("上级代码", "parent_id"),
    ("父级代码", "parent_id"),
    ("名称", "name"),
    ("英文名称", "name_en"),
    ("常住人口", "residents"),
    ("人口", "residents"),
    ("户数", "households"),
    ("楼栋数", "buildings"),
    ("建筑面积", "floor_area_m2"),
    ("层数", "floors"),
    ("用途", "use"),
];

const LAYERS: [&str; 4] = [
    "district.geojson",
    "streets.geojson",
    "communities.geojson",
    "buildings.geojson",
];

/// Proposes a mapping for the export folder `dir`: returns the mapping file's text (RON,
/// with a comment per table saying what was found) and one line per finding for the
/// terminal. Errors: the folder cannot be listed, or a table or `metrics.json` cannot be
/// read (named as the import names it).
pub fn propose_mapping(dir: &Path) -> Result<(String, Vec<String>), ProposeError> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| ProposeError::Folder(dir.display().to_string(), e))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    let src = |name: &str| -> Result<ExportFile, ImportError> { read_file(dir, name) };
    let ex = Export::new(&src);
    let mut m = Mapping::default();
    let mut found = Vec::new();
    let metrics_json = match names.iter().any(|n| n == "metrics.json") {
        true => Some(ex.parse_json(read_file(dir, "metrics.json")?)?.value),
        false => None,
    };
    let known = metrics_json.as_ref().map(known_metrics).unwrap_or_default();
    let mut todo = 0;
    for name in &names {
        let lower = name.to_lowercase();
        let tabular = is_spreadsheet(name) || lower.ends_with(".csv");
        if !tabular || lower == "cases.csv" {
            continue;
        }
        for sheet in sheets_of(dir, name) {
            let place = match &sheet {
                Some(s) => format!("{name}, sheet {s}"),
                None => name.clone(),
            };
            match table::read(&ex, name, sheet.as_deref(), None) {
                Ok(t) => found.push(classify(&mut m, &t, name, sheet, &known, &mut todo)),
                // An empty sheet (Excel's Sheet2) or a table without a header row: said,
                // and the rest still proposed.
                Err(e) => found.push(format!("{place}: left out: {e}")),
            }
        }
    }
    if let Some(layout) = metrics_json.as_ref().and_then(metrics_layout) {
        found.push(format!(
            "metrics.json: departments hold their metrics (`{}`){}; values by region under `{}`",
            layout
                .metrics_in_departments
                .as_deref()
                .unwrap_or("metrics"),
            layout
                .dates
                .as_deref()
                .map(|d| format!(", series numbers go with the `{d}` list"))
                .unwrap_or_default(),
            layout.values
        ));
        m.metrics_json = Some(layout);
    }
    for layer in LAYERS.iter().filter(|l| names.iter().any(|n| n == *l)) {
        let f = ex.parse_json(read_file(dir, layer)?)?;
        let props = f.value["features"][0]["properties"].as_object().cloned();
        for key in props.iter().flat_map(|p| p.keys()) {
            if let Some((_, ours)) = PROPERTIES.iter().find(|(theirs, _)| theirs == key)
                && !m.properties.contains_key(key)
            {
                m.properties.insert(key.clone(), (*ours).to_string());
                found.push(format!("{layer}: property `{key}` read as `{ours}`"));
            }
        }
    }
    if counts_all_buildings(&ex, &names) {
        m.figures_count = FiguresCount::AllBuildings;
        found.push(
            "district.geojson: `buildings` equals all buildings of buildings.geojson, not the \
             residential ones: figures_count: AllBuildings"
                .into(),
        );
    }
    if todo > 0 {
        m.departments.push(super::DepartmentDef {
            id: "TODO".into(),
            name: "TODO".into(),
            name_en: "TODO".into(),
            color: "#3e9bff".into(),
        });
    }
    let body = ron::ser::to_string_pretty(&m, ron::ser::PrettyConfig::new().struct_names(false))
        .unwrap_or_else(|e| format!("// cannot write the mapping: {e}\n()"));
    let mut text = String::from(
        "// citygrid import mapping (docs/import-format.md, \"The mapping file\"), proposed by\n\
         // `citygrid import --write-mapping` from the files below. Check every column and\n\
         // fill in what is marked TODO, then run `citygrid import DIR --dry-run`.\n",
    );
    for line in &found {
        text.push_str(&format!("//   {line}\n"));
    }
    text.push_str("#![enable(implicit_some)]\n");
    text.push_str(&body);
    text.push('\n');
    Ok((text, found))
}

/// The sheets of a spreadsheet (`[None]` for a CSV file or a book that cannot be opened:
/// reading it then reports why).
fn sheets_of(dir: &Path, name: &str) -> Vec<Option<String>> {
    use calamine::Reader;
    if !is_spreadsheet(name) {
        return vec![None];
    }
    let Ok(bytes) = std::fs::read(dir.join(name)) else {
        return vec![None];
    };
    match calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)) {
        Ok(book) => book.sheet_names().into_iter().map(Some).collect(),
        Err(_) => vec![None],
    }
}

/// The metrics of a `metrics.json` in any of the layouts `metrics_layout` knows, as
/// (name, id).
fn known_metrics(v: &Value) -> Vec<(String, String)> {
    let lists = v["departments"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|d| ["metrics", "indicators", "items"].map(|k| &d[k]))
        .chain(std::iter::once(&v["metrics"]));
    lists
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|m| {
            Some((
                m["name"].as_str()?.to_string(),
                m["id"].as_str()?.to_string(),
            ))
        })
        .collect()
}

/// Adds what table `t` holds to the mapping; returns the finding as one line. A metric
/// column whose name (the header without its unit) is a metric's of `metrics.json` gets
/// that metric's id; others a `TODO.mN` id and department for the curator to fill in.
fn classify(
    m: &mut Mapping,
    t: &Table,
    file: &str,
    sheet: Option<String>,
    known: &[(String, String)],
    todo: &mut usize,
) -> String {
    let h = &t.headers;
    let table = TableRef {
        file: file.to_string(),
        sheet,
        header_row: None,
    };
    let where_ = match &table.sheet {
        Some(s) => format!("{file}, sheet {s}"),
        None => file.to_string(),
    };
    let mut taken = Vec::new();
    let date = find(h, &DATE, &mut taken);
    let residents = find(h, &RESIDENTS, &mut taken);
    let households = find(h, &HOUSEHOLDS, &mut taken);
    let buildings = find(h, &BUILDINGS, &mut taken);
    let area = find(h, &AREA, &mut taken);
    let floors = find(h, &FLOORS, &mut taken);
    let usage = find(h, &USE, &mut taken);
    let year = find(h, &YEAR, &mut taken);
    let id = find(h, &ID, &mut taken);
    let name = find(h, &NAME, &mut taken);
    if let (Some(id), true) = (&id, floors.is_some() || usage.is_some()) {
        m.buildings = Some(BuildingTable {
            table,
            id: id.clone(),
            name,
            floors,
            floor_area_m2: area,
            residents,
            households,
            usage,
            year_built: year,
        });
        return format!("{where_}: buildings' attributes by `{id}`");
    }
    if residents.is_some() || households.is_some() || buildings.is_some() || area.is_some() {
        m.regions.push(RegionTable {
            table,
            id,
            name,
            buildings,
            floor_area_m2: area,
            residents,
            households,
        });
        return format!("{where_}: region figures");
    }
    let key = date.clone().or(id.clone()).or(name.clone());
    let columns: Vec<MetricColumn> = h
        .iter()
        .filter(|c| !c.trim().is_empty() && Some(*c) != key.as_ref() && Some(*c) != name.as_ref())
        .map(|c| {
            let name = name_and_unit(c).0;
            match known
                .iter()
                .find(|(n, _)| normalised(n) == normalised(&name))
            {
                Some((_, id)) => MetricColumn {
                    column: c.trim().to_string(),
                    metric: id.clone(),
                    ..MetricColumn::default()
                },
                None => {
                    *todo += 1;
                    MetricColumn {
                        column: c.trim().to_string(),
                        metric: format!("TODO.m{todo}"),
                        department: Some("TODO".into()),
                        name: Some(name),
                        name_en: Some("TODO".into()),
                        ..MetricColumn::default()
                    }
                }
            }
        })
        .collect();
    let n = columns.len();
    m.metrics.push(MetricTable {
        table,
        by_region: date.is_none().then(|| key.clone()).flatten(),
        by_date: date.clone(),
        district_value: Some(match date {
            Some(_) => DistrictValue::SeriesLast,
            None => DistrictValue::Sum,
        }),
        columns,
    });
    match date {
        Some(d) => format!("{where_}: {n} daily series by `{d}`"),
        None => format!(
            "{where_}: {n} metric(s) by region `{}`",
            key.unwrap_or_default()
        ),
    }
}

/// The layout of a `metrics.json` that is not the contract's, if it is one: departments
/// holding their metrics, bare series numbers with a `dates` list, values under
/// `by_street` (what the ECharts large-screen pages' generators write).
fn metrics_layout(v: &Value) -> Option<MetricsJson> {
    let dept = v.get("departments")?.as_array()?.first()?;
    let nested = ["metrics", "indicators", "items"]
        .into_iter()
        .find(|k| dept.get(k).is_some_and(Value::is_array));
    let metric = match nested {
        Some(k) => dept.get(k)?.as_array()?.first()?,
        None => v.get("metrics")?.as_array()?.first()?,
    };
    let values = ["values", "by_street", "by_region", "by_subdistrict"]
        .into_iter()
        .find(|k| metric.get(k).is_some_and(Value::is_object))
        .unwrap_or("values");
    let bare = metric
        .get("series")
        .and_then(Value::as_array)
        .and_then(|s| s.first())
        .is_some_and(Value::is_number);
    let dates = ["dates", "days"]
        .into_iter()
        .find(|k| v.get(k).or(metric.get(k)).is_some_and(Value::is_array))
        .filter(|_| bare);
    if nested.is_none() && values == "values" && dates.is_none() {
        return None;
    }
    Some(MetricsJson {
        metrics_in_departments: nested.map(str::to_string),
        dates: dates.map(str::to_string),
        values: values.to_string(),
        district_value: Some(if every_metric_has(v, nested, "agg") {
            DistrictValue::Property("agg".into())
        } else {
            DistrictValue::Sum
        }),
        ..MetricsJson::default()
    })
}

/// Whether every metric of the file (in its departments' `nested` lists, else the top-level
/// `metrics`) has property `key`.
fn every_metric_has(v: &Value, nested: Option<&str>, key: &str) -> bool {
    let lists: Vec<&Value> = match nested {
        Some(k) => v["departments"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| &d[k])
            .collect(),
        None => vec![&v["metrics"]],
    };
    lists
        .iter()
        .filter_map(|l| l.as_array())
        .flatten()
        .all(|m| m.get(key).is_some())
}

/// Whether the district's `buildings` figure counts every building of the buildings layer
/// where the residential ones are fewer.
fn counts_all_buildings(ex: &Export, names: &[String]) -> bool {
    let has = |n: &str| names.iter().any(|x| x == n);
    if !has("district.geojson") || !has("buildings.geojson") {
        return false;
    }
    let (Ok(d), Ok(b)) = (ex.json("district.geojson"), ex.json("buildings.geojson")) else {
        return false;
    };
    let Some(given) = d.value["features"][0]["properties"]["buildings"].as_f64() else {
        return false;
    };
    let features = b.value["features"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    let residential = features
        .iter()
        .filter(|f| {
            let p = &f["properties"];
            match p["use"].as_str() {
                Some(u) => matches!(u, "residential" | "mixed"),
                None => p["residential"].as_bool() != Some(false),
            }
        })
        .count();
    given == features.len() as f64 && residential < features.len()
}
