//! The GeoJSON files of an export: FeatureCollections of Polygons or MultiPolygons read into
//! regions (district, streets, communities) and buildings, and the property helpers every
//! reader of the export shares.

use serde_json::{Map, Value};

use super::crs::Coords;
use super::{Ctx, Export, ImportError, JsonFile};
use crate::snapshot::{Building, BuildingUse, Figures, Level, Polygon, Region};

/// One feature of a FeatureCollection with the place to name it by (`feature 3 (id …)`).
pub(super) struct Feature<'v> {
    pub(super) place: String,
    pub(super) object: &'v Map<String, Value>,
}

/// A property as trimmed text (a number as written); `None` when absent, empty or of
/// another type.
pub(super) fn string_of(props: &Map<String, Value>, key: &str) -> Option<String> {
    match props.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A property that must be non-empty text (or a number).
pub(super) fn required_string(
    c: &Ctx,
    props: &Map<String, Value>,
    key: &str,
) -> Result<String, ImportError> {
    string_of(props, key).ok_or_else(|| c.err(format!("property `{key}` is missing or empty")))
}

/// A property that, when present and not null, must be a finite number.
pub(super) fn number_of(
    c: &Ctx,
    props: &Map<String, Value>,
    key: &str,
) -> Result<Option<f64>, ImportError> {
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

/// A property that, when present and not null, must be a whole number ≥ 0 (below 10^15).
pub(super) fn count_of(
    c: &Ctx,
    props: &Map<String, Value>,
    key: &str,
) -> Result<Option<i64>, ImportError> {
    match number_of(c, props, key)? {
        None => Ok(None),
        Some(v) if v >= 0.0 && v.fract() == 0.0 && v < 1e15 => Ok(Some(v as i64)),
        Some(v) => Err(c.err(format!("property `{key}` is {v}, not a whole number ≥ 0"))),
    }
}

/// A GeoJSON position (`[x, y]`, a third number ignored) as WGS 84 degrees.
pub(super) fn point(c: &Ctx, v: &Value, coords: &Coords) -> Result<(f64, f64), ImportError> {
    let arr = v
        .as_array()
        .ok_or_else(|| c.err("a position is not an array"))?;
    let x = arr.first().and_then(Value::as_f64);
    let y = arr.get(1).and_then(Value::as_f64);
    let (Some(x), Some(y)) = (x, y) else {
        return Err(c.err("a position lacks its two coordinate numbers"));
    };
    coords.to_wgs84(x, y).map_err(|m| c.err(m))
}

/// A Polygon's rings; consecutive repeated positions (zero-length edges, a closing point
/// written twice) are redundant and dropped, counted in the notes.
fn polygon(c: &Ctx, rings: &Value, coords: &Coords) -> Result<Polygon, ImportError> {
    let rings = rings
        .as_array()
        .ok_or_else(|| c.err("polygon coordinates are not an array of rings"))?;
    let mut out: Vec<Vec<(f64, f64)>> = Vec::with_capacity(rings.len());
    for ring in rings {
        let pts = ring
            .as_array()
            .ok_or_else(|| c.err("a ring is not an array of positions"))?;
        let mut ring: Vec<(f64, f64)> = Vec::with_capacity(pts.len());
        for p in pts {
            let q = point(c, p, coords)?;
            if ring.last() == Some(&q) {
                coords.dropped_repeat(&c.place);
            } else {
                ring.push(q);
            }
        }
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

pub(super) fn geometry(
    c: &Ctx,
    feature: &Map<String, Value>,
    coords: &Coords,
) -> Result<Vec<Polygon>, ImportError> {
    let g = feature
        .get("geometry")
        .and_then(Value::as_object)
        .ok_or_else(|| c.err("has no geometry"))?;
    let rings = g
        .get("coordinates")
        .ok_or_else(|| c.err("geometry has no coordinates"))?;
    match g.get("type").and_then(Value::as_str) {
        Some("Polygon") => Ok(vec![polygon(c, rings, coords)?]),
        Some("MultiPolygon") => rings
            .as_array()
            .ok_or_else(|| c.err("MultiPolygon coordinates are not an array"))?
            .iter()
            .map(|p| polygon(c, p, coords))
            .collect(),
        Some(other) => Err(c.err(format!(
            "geometry type {other} is not Polygon or MultiPolygon"
        ))),
        None => Err(c.err("geometry has no type")),
    }
}

pub(super) fn features<'v>(file: &str, v: &'v Value) -> Result<Vec<Feature<'v>>, ImportError> {
    let top = Ctx {
        file,
        place: "top level".into(),
    };
    if v.get("UTF8Encoding").and_then(Value::as_bool) == Some(true) {
        return Err(top.err(
            "is an ECharts map JSON with compressed coordinates (`UTF8Encoding`, \
             `encodeOffsets`): export the map as plain GeoJSON (DataV GeoAtlas offers it) or \
             decode it first",
        ));
    }
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
            Ok(Feature { place, object: obj })
        })
        .collect()
}

pub(super) fn props<'v>(
    c: &Ctx,
    f: &'v Map<String, Value>,
) -> Result<&'v Map<String, Value>, ImportError> {
    f.get("properties")
        .and_then(Value::as_object)
        .ok_or_else(|| c.err("has no properties"))
}

/// The regions of one level from its file (`district.geojson`, …); a file without features
/// is refused.
pub(super) fn regions(ex: &Export, name: &str, level: Level) -> Result<Vec<Region>, ImportError> {
    let JsonFile { name: file, value } = ex.json(name)?;
    let coords = ex.coords(&file, &value)?;
    let mut out = Vec::new();
    for Feature { place, object: f } in features(&file, &value)? {
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
            outline: geometry(&c, f, &coords)?,
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

/// The buildings from `buildings.geojson`, each footprint one polygon.
pub(super) fn buildings(ex: &Export) -> Result<Vec<Building>, ImportError> {
    let JsonFile { name: file, value } = ex.json("buildings.geojson")?;
    let coords = ex.coords(&file, &value)?;
    let mut out = Vec::new();
    for Feature { place, object: f } in features(&file, &value)? {
        let c = Ctx { file: &file, place };
        let p = props(&c, f)?;
        let footprint = geometry(&c, f, &coords)?;
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
            grid: string_of(p, "grid"),
            floor_detail: Vec::new(),
        });
    }
    Ok(out)
}
