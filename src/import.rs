//! `citygrid import DIR`: a GIS export — `district.geojson`, `streets.geojson`,
//! `communities.geojson`, `buildings.geojson` (RFC 7946 FeatureCollections of Polygons or
//! MultiPolygons) and `metrics.json` — turned into a snapshot. GCJ-02 coordinates are
//! converted to WGS 84. Every problem names its file and feature; nothing is written unless
//! the whole import is valid (see `docs/import-format.md`).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::geo::gcj02;
use crate::snapshot::{
    Building, BuildingUse, Crs, Department, Figures, Level, Metric, MetricKind, Polygon, Region,
    Report, SCHEMA_VERSION, Snapshot, validate,
};

/// The coordinate system of the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportCrs {
    Wgs84,
    Cgcs2000,
    Gcj02,
}

impl ImportCrs {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "wgs84" => Some(Self::Wgs84),
            "cgcs2000" => Some(Self::Cgcs2000),
            "gcj02" => Some(Self::Gcj02),
            _ => None,
        }
    }
}

/// Why an export could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}:{line}:{col}: {message}")]
    Json {
        file: String,
        line: usize,
        col: usize,
        message: String,
    },
    #[error("{file}: {place}: {message}")]
    Feature {
        file: String,
        place: String,
        message: String,
    },
    #[error("the imported snapshot is invalid: {} error(s); first: {}", .0.errors().count(), .0.errors().next().map(|i| i.to_string()).unwrap_or_default())]
    Invalid(Report),
}

const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Where the export's files come from: a name (`district.geojson`, …) to the name to show in
/// messages and the file's bytes.
type Source<'a> = &'a dyn Fn(&str) -> Result<(String, Vec<u8>), ImportError>;

fn read_file(dir: &Path, name: &str) -> Result<(String, Vec<u8>), ImportError> {
    let path = dir.join(name);
    let file = path.display().to_string();
    let io = |source| ImportError::Io {
        file: file.clone(),
        source,
    };
    let meta = std::fs::metadata(&path).map_err(io)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(ImportError::Feature {
            file,
            place: "file".into(),
            message: format!("{} bytes is over the 512 MiB limit", meta.len()),
        });
    }
    let bytes = std::fs::read(&path).map_err(io)?;
    Ok((file, bytes))
}

fn read_json(src: Source, name: &str) -> Result<(String, Value), ImportError> {
    let (file, bytes) = src(name)?;
    let value = serde_json::from_slice(&bytes).map_err(|e| ImportError::Json {
        file: file.clone(),
        line: e.line(),
        col: e.column(),
        message: e.to_string(),
    })?;
    Ok((file, value))
}

struct Ctx<'a> {
    file: &'a str,
    place: String,
}

impl Ctx<'_> {
    fn err(&self, message: impl Into<String>) -> ImportError {
        ImportError::Feature {
            file: self.file.to_string(),
            place: self.place.clone(),
            message: message.into(),
        }
    }
}

fn string_of(props: &Map<String, Value>, key: &str) -> Option<String> {
    match props.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn required_string(c: &Ctx, props: &Map<String, Value>, key: &str) -> Result<String, ImportError> {
    string_of(props, key).ok_or_else(|| c.err(format!("property `{key}` is missing or empty")))
}

fn number_of(c: &Ctx, props: &Map<String, Value>, key: &str) -> Result<Option<f64>, ImportError> {
    match props.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_f64()
            .filter(|v| v.is_finite())
            .map(Some)
            .ok_or_else(|| c.err(format!("property `{key}` is not a finite number"))),
        Some(other) => Err(c.err(format!("property `{key}` is {other}, not a number"))),
    }
}

fn count_of(c: &Ctx, props: &Map<String, Value>, key: &str) -> Result<Option<i64>, ImportError> {
    match number_of(c, props, key)? {
        None => Ok(None),
        Some(v) if v >= 0.0 && v.fract() == 0.0 && v < 1e15 => Ok(Some(v as i64)),
        Some(v) => Err(c.err(format!("property `{key}` is {v}, not a whole number ≥ 0"))),
    }
}

fn point(c: &Ctx, v: &Value, crs: ImportCrs) -> Result<(f64, f64), ImportError> {
    let arr = v
        .as_array()
        .ok_or_else(|| c.err("a position is not an array"))?;
    let lon = arr.first().and_then(Value::as_f64);
    let lat = arr.get(1).and_then(Value::as_f64);
    let (Some(lon), Some(lat)) = (lon, lat) else {
        return Err(c.err("a position lacks longitude and latitude numbers"));
    };
    if !(lon.is_finite()
        && lat.is_finite()
        && (-180.0..=180.0).contains(&lon)
        && (-90.0..=90.0).contains(&lat))
    {
        return Err(c.err(format!(
            "position ({lon}, {lat}) is not a longitude/latitude"
        )));
    }
    Ok(match crs {
        ImportCrs::Gcj02 => gcj02::to_wgs84(lon, lat),
        ImportCrs::Wgs84 | ImportCrs::Cgcs2000 => (lon, lat),
    })
}

fn polygon(c: &Ctx, rings: &Value, crs: ImportCrs) -> Result<Polygon, ImportError> {
    let rings = rings
        .as_array()
        .ok_or_else(|| c.err("polygon coordinates are not an array of rings"))?;
    let mut out: Vec<Vec<(f64, f64)>> = Vec::with_capacity(rings.len());
    for ring in rings {
        let pts = ring
            .as_array()
            .ok_or_else(|| c.err("a ring is not an array of positions"))?;
        let ring: Vec<(f64, f64)> = pts
            .iter()
            .map(|p| point(c, p, crs))
            .collect::<Result<_, _>>()?;
        out.push(ring);
    }
    let mut it = out.into_iter();
    let exterior = it
        .next()
        .ok_or_else(|| c.err("a polygon has no exterior ring"))?;
    Ok(Polygon {
        exterior,
        holes: it.collect(),
    })
}

fn geometry(
    c: &Ctx,
    feature: &Map<String, Value>,
    crs: ImportCrs,
) -> Result<Vec<Polygon>, ImportError> {
    let g = feature
        .get("geometry")
        .and_then(Value::as_object)
        .ok_or_else(|| c.err("has no geometry"))?;
    let coords = g
        .get("coordinates")
        .ok_or_else(|| c.err("geometry has no coordinates"))?;
    match g.get("type").and_then(Value::as_str) {
        Some("Polygon") => Ok(vec![polygon(c, coords, crs)?]),
        Some("MultiPolygon") => coords
            .as_array()
            .ok_or_else(|| c.err("MultiPolygon coordinates are not an array"))?
            .iter()
            .map(|p| polygon(c, p, crs))
            .collect(),
        Some(other) => Err(c.err(format!(
            "geometry type {other} is not Polygon or MultiPolygon"
        ))),
        None => Err(c.err("geometry has no type")),
    }
}

fn features<'v>(
    file: &str,
    v: &'v Value,
) -> Result<Vec<(String, &'v Map<String, Value>)>, ImportError> {
    let top = Ctx {
        file,
        place: "top level".into(),
    };
    if v.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(top.err("is not a GeoJSON FeatureCollection"));
    }
    let list = v
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| top.err("has no `features` array"))?;
    list.iter()
        .enumerate()
        .map(|(i, f)| {
            let obj = f
                .as_object()
                .filter(|o| o.get("type").and_then(Value::as_str) == Some("Feature"));
            let obj = obj.ok_or_else(|| ImportError::Feature {
                file: file.to_string(),
                place: format!("feature {i}"),
                message: "is not a GeoJSON Feature".into(),
            })?;
            let id = obj
                .get("properties")
                .and_then(Value::as_object)
                .and_then(|p| string_of(p, "id"));
            let place = match id {
                Some(id) => format!("feature {i} (id {id})"),
                None => format!("feature {i}"),
            };
            Ok((place, obj))
        })
        .collect()
}

fn props<'v>(c: &Ctx, f: &'v Map<String, Value>) -> Result<&'v Map<String, Value>, ImportError> {
    f.get("properties")
        .and_then(Value::as_object)
        .ok_or_else(|| c.err("has no properties"))
}

fn regions(
    src: Source,
    name: &str,
    level: Level,
    crs: ImportCrs,
) -> Result<Vec<Region>, ImportError> {
    let (file, v) = read_json(src, name)?;
    let mut out = Vec::new();
    for (place, f) in features(&file, &v)? {
        let c = Ctx { file: &file, place };
        let p = props(&c, f)?;
        if let Some(l) = string_of(p, "level") {
            let expected = match level {
                Level::District => "district",
                Level::Street => "street",
                Level::Community => "community",
            };
            if l != expected {
                return Err(c.err(format!(
                    "`level` is {l:?}, but {name} holds {expected} features"
                )));
            }
        }
        let id = required_string(&c, p, "id")?;
        let parent = match level {
            Level::District => None,
            _ => Some(required_string(&c, p, "parent_id")?),
        };
        let name_zh = required_string(&c, p, "name")?;
        let name_en = string_of(p, "name_en").unwrap_or_else(|| name_zh.clone());
        let figures = match (
            count_of(&c, p, "buildings")?,
            number_of(&c, p, "floor_area_m2")?,
            count_of(&c, p, "residents")?,
            count_of(&c, p, "households")?,
        ) {
            (Some(b), Some(a), Some(r), Some(h)) => Some(Figures {
                residential_buildings: b,
                floor_area_m2: a,
                residents: r,
                households: h,
            }),
            (None, None, None, None) => None,
            _ => {
                return Err(c.err(
                    "give all four of buildings, floor_area_m2, residents, households, or none",
                ));
            }
        };
        out.push(Region {
            id,
            parent,
            level,
            name: name_zh,
            name_en,
            outline: geometry(&c, f, crs)?,
            figures,
        });
    }
    if out.is_empty() {
        return Err(ImportError::Feature {
            file,
            place: "features".into(),
            message: "no feature".into(),
        });
    }
    Ok(out)
}

fn buildings(src: Source, crs: ImportCrs) -> Result<Vec<Building>, ImportError> {
    let (file, v) = read_json(src, "buildings.geojson")?;
    let mut out = Vec::new();
    for (place, f) in features(&file, &v)? {
        let c = Ctx { file: &file, place };
        let p = props(&c, f)?;
        let footprint = geometry(&c, f, crs)?;
        if footprint.len() != 1 {
            return Err(c.err("a building's footprint must be one polygon"));
        }
        let residential = match p.get("residential") {
            Some(Value::Bool(b)) => *b,
            None => true,
            Some(other) => {
                return Err(c.err(format!(
                    "property `residential` is {other}, not true or false"
                )));
            }
        };
        let floors =
            count_of(&c, p, "floors")?.ok_or_else(|| c.err("property `floors` is missing"))?;
        let floor_area = number_of(&c, p, "floor_area_m2")?
            .ok_or_else(|| c.err("property `floor_area_m2` is missing"))?;
        out.push(Building {
            id: required_string(&c, p, "id")?,
            community: required_string(&c, p, "parent_id")?,
            name: string_of(p, "name").unwrap_or_default(),
            name_en: string_of(p, "name_en").unwrap_or_default(),
            footprint: footprint.into_iter().next().unwrap_or(Polygon {
                exterior: Vec::new(),
                holes: Vec::new(),
            }),
            floors,
            usage: match string_of(p, "use").as_deref() {
                None if residential => BuildingUse::Residential,
                None => BuildingUse::Commercial,
                Some("residential") => BuildingUse::Residential,
                Some("mixed") => BuildingUse::Mixed,
                Some("commercial") => BuildingUse::Commercial,
                Some("office") => BuildingUse::Office,
                Some("public") => BuildingUse::Public,
                Some("industrial") => BuildingUse::Industrial,
                Some(other) => return Err(c.err(format!("`use` {other:?} is not residential, mixed, commercial, office, public or industrial"))),
            },
            floor_area_m2: floor_area,
            residents: count_of(&c, p, "residents")?.unwrap_or(0),
            households: count_of(&c, p, "households")?.unwrap_or(0),
            year_built: count_of(&c, p, "year_built")?.map(|y| y as i32),
            owners: Default::default(),
        });
    }
    Ok(out)
}

fn metrics(src: Source) -> Result<(Vec<Department>, Vec<Metric>, Option<String>), ImportError> {
    let (file, v) = read_json(src, "metrics.json")?;
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
        let c = Ctx {
            file: &file,
            place: format!("metrics[{i}]"),
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
                    "series[{k}] needs a `date` string and a `value` number"
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
                let v = v
                    .as_f64()
                    .ok_or_else(|| c.err(format!("values[{region}] is not a number")))?;
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
    Ok((departments, out, exported_at))
}

/// Imports an export folder into a validated snapshot.
pub fn import_dir(dir: &Path, crs: ImportCrs) -> Result<Snapshot, ImportError> {
    import_from(
        &|name| read_file(dir, name),
        &dir.display().to_string(),
        crs,
    )
}

/// Imports an export held in memory: `files` pairs each file name (`district.geojson`, …)
/// with its bytes; a name that is missing is reported as a missing file. The fuzz target
/// calls this.
pub fn import_bytes(files: &[(&str, &[u8])], crs: ImportCrs) -> Result<Snapshot, ImportError> {
    let src = |name: &str| {
        files
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, b)| (n.to_string(), b.to_vec()))
            .ok_or_else(|| ImportError::Io {
                file: name.to_string(),
                source: std::io::ErrorKind::NotFound.into(),
            })
    };
    import_from(&src, "memory", crs)
}

fn import_from(src: Source, origin: &str, crs: ImportCrs) -> Result<Snapshot, ImportError> {
    let mut regions_all = regions(src, "district.geojson", Level::District, crs)?;
    regions_all.extend(regions(src, "streets.geojson", Level::Street, crs)?);
    regions_all.extend(regions(src, "communities.geojson", Level::Community, crs)?);
    let buildings = buildings(src, crs)?;
    let (departments, metrics, exported_at) = metrics(src)?;
    let snapshot = Snapshot {
        schema: SCHEMA_VERSION,
        exported_at: exported_at.unwrap_or_else(now_iso),
        source: format!("citygrid import {origin}"),
        crs: match crs {
            ImportCrs::Cgcs2000 => Crs::Cgcs2000,
            ImportCrs::Wgs84 | ImportCrs::Gcj02 => Crs::Wgs84,
        },
        demo: false,
        regions: regions_all,
        buildings,
        departments,
        metrics,
        ring: None,
    };
    let report = validate(&snapshot);
    if report.has_errors() {
        return Err(ImportError::Invalid(report));
    }
    Ok(snapshot)
}

fn now_iso() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let day = crate::generate::metrics::date_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!("{day}T{:02}:{:02}:{:02}Z", s / 3600, s % 3600 / 60, s % 60)
}

/// Writes an export folder from a snapshot (used to make the example export).
pub fn export_dir(s: &Snapshot, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let ring = |r: &[(f64, f64)]| Value::Array(r.iter().map(|p| json!([p.0, p.1])).collect());
    let poly = |p: &Polygon| {
        let mut rings = vec![ring(&p.exterior)];
        rings.extend(p.holes.iter().map(|h| ring(h)));
        Value::Array(rings)
    };
    let geometry = |outline: &[Polygon]| {
        if outline.len() == 1 {
            json!({"type": "Polygon", "coordinates": poly(&outline[0])})
        } else {
            json!({"type": "MultiPolygon", "coordinates": outline.iter().map(poly).collect::<Vec<_>>()})
        }
    };
    for (file, level, key) in [
        ("district.geojson", Level::District, "district"),
        ("streets.geojson", Level::Street, "street"),
        ("communities.geojson", Level::Community, "community"),
    ] {
        let features: Vec<Value> = s
            .regions
            .iter()
            .filter(|r| r.level == level)
            .map(|r| {
                let mut props =
                    json!({"id": r.id, "level": key, "name": r.name, "name_en": r.name_en});
                if let Some(p) = &r.parent {
                    props["parent_id"] = json!(p);
                }
                if let Some(f) = &r.figures {
                    props["buildings"] = json!(f.residential_buildings);
                    props["floor_area_m2"] = json!(f.floor_area_m2);
                    props["residents"] = json!(f.residents);
                    props["households"] = json!(f.households);
                }
                json!({"type": "Feature", "properties": props, "geometry": geometry(&r.outline)})
            })
            .collect();
        let fc = json!({"type": "FeatureCollection", "features": features});
        std::fs::write(
            dir.join(file),
            serde_json::to_string_pretty(&fc).unwrap_or_default(),
        )?;
    }
    let features: Vec<Value> = s
        .buildings
        .iter()
        .map(|b| {
            json!({"type": "Feature", "properties": {
                "id": b.id, "parent_id": b.community, "name": b.name, "name_en": b.name_en,
                "floors": b.floors, "residential": b.usage.is_residential(),
                "use": format!("{:?}", b.usage).to_lowercase(),
                "floor_area_m2": b.floor_area_m2, "residents": b.residents,
                "households": b.households, "year_built": b.year_built,
            }, "geometry": geometry(std::slice::from_ref(&b.footprint))})
        })
        .collect();
    let fc = json!({"type": "FeatureCollection", "features": features});
    std::fs::write(
        dir.join("buildings.geojson"),
        serde_json::to_string(&fc).unwrap_or_default(),
    )?;
    let metrics = json!({
        "exported_at": s.exported_at,
        "departments": s.departments.iter().map(|d| json!({"id": d.id, "name": d.name, "name_en": d.name_en, "color": d.color})).collect::<Vec<_>>(),
        "metrics": s.metrics.iter().map(|m| json!({
            "id": m.id, "department": m.department, "name": m.name, "name_en": m.name_en,
            "unit": m.unit, "unit_en": m.unit_en,
            "kind": match m.kind { MetricKind::Count => "count", MetricKind::Percent => "percent", MetricKind::Index => "index", MetricKind::Amount => "amount" },
            "series": m.series.iter().map(|(d, v)| json!({"date": d, "value": v})).collect::<Vec<_>>(),
            "values": m.by_region, "target": m.target,
        })).collect::<Vec<_>>(),
    });
    std::fs::write(
        dir.join("metrics.json"),
        serde_json::to_string_pretty(&metrics).unwrap_or_default(),
    )
}

/// The example export shipped in `data/example-import/`: the district, one subdistrict with
/// its communities, eight buildings of each, and two departments' metrics, from the demo.
pub fn example_snapshot() -> Option<Snapshot> {
    let mut s = crate::demo::load_demo().ok()?.snapshot;
    let street = "370203005";
    s.regions.retain(|r| {
        r.level == Level::District || r.id == street || r.parent.as_deref() == Some(street)
    });
    let communities: Vec<String> = s
        .regions
        .iter()
        .filter(|r| r.level == Level::Community)
        .map(|r| r.id.clone())
        .collect();
    let mut kept: BTreeMap<String, usize> = BTreeMap::new();
    s.buildings.retain(|b| {
        let n = kept.entry(b.community.clone()).or_default();
        *n += 1;
        communities.contains(&b.community) && *n <= 8
    });
    for b in &mut s.buildings {
        b.owners.clear();
    }
    // Figures that add up for what is kept.
    let mut sums: BTreeMap<String, Figures> = BTreeMap::new();
    for b in &s.buildings {
        let f = sums.entry(b.community.clone()).or_default();
        if b.usage.is_residential() {
            f.residential_buildings += 1;
            f.floor_area_m2 += b.floor_area_m2;
        }
        f.residents += b.residents;
        f.households += b.households;
    }
    let mut street_sum = Figures::default();
    for r in &mut s.regions {
        if r.level == Level::Community {
            let f = sums.get(&r.id).copied().unwrap_or_default();
            street_sum.residential_buildings += f.residential_buildings;
            street_sum.floor_area_m2 += f.floor_area_m2;
            street_sum.residents += f.residents;
            street_sum.households += f.households;
            r.figures = Some(f);
        }
    }
    for r in &mut s.regions {
        if r.level != Level::Community {
            r.figures = Some(street_sum);
        }
    }
    s.departments.retain(|d| d.id == "fire" || d.id == "police");
    s.metrics
        .retain(|m| m.department == "fire" || m.department == "police");
    let ids: Vec<String> = s.regions.iter().map(|r| r.id.clone()).collect();
    for m in &mut s.metrics {
        m.by_region.retain(|k, _| ids.contains(k));
        m.series_by_region.clear();
        m.category.clear();
    }
    s.demo = false;
    Some(s)
}
