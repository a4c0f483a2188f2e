//! Shapefile layers of an export (`streets.shp` with its `.shx`, `.dbf`, and `.prj` and
//! `.cpg` when present), read with the `shapefile` crate and turned into the GeoJSON
//! FeatureCollection the layer's reader takes, so every check and message is the same.
//! The attribute table's text is decoded by `encoding_rs`: `--encoding`, else the `.cpg`,
//! else UTF-8 when every text reads as UTF-8, else GBK/GB18030; text that reads as neither,
//! or as UTF-8 while GBK was declared (mojibake), is refused with the file, record and field.
//! The `.prj` names the coordinate system (`wkt::from_wkt`). DBF field names are cut to 10
//! characters (`floor_area` for `floor_area_m2`): they are matched to the contract's names.

use std::io::Cursor;

use serde_json::{Map, Value, json};
use shapefile::dbase::{self, FieldValue};
use shapefile::{PolygonRing, Shape};

use super::wkt;
use super::{Export, ExportFile, ImportError, JsonFile};

/// The property names of the export contract (`docs/import-format.md`) a DBF field may
/// stand for.
const PROPERTIES: &[&str] = &[
    "id",
    "parent_id",
    "level",
    "name",
    "name_en",
    "buildings",
    "floor_area_m2",
    "residents",
    "households",
    "floors",
    "residential",
    "use",
    "year_built",
    "grid",
    "community",
    "worker",
    "party_branch",
    "party_branch_en",
    "party_member_households",
    "volunteers",
    "residents_online",
    "kind",
    "region",
    "services",
];

/// The contract's property a DBF field name stands for: the same name (any case), the
/// one name whose first 10 characters it is, or GDAL's `party_br_1` for the second of
/// two names cut alike. Other fields keep their names (and are ignored).
pub(super) fn property_name(field: &str) -> String {
    let f = field.trim().to_ascii_lowercase();
    if f == "party_br_1" {
        return "party_branch_en".into();
    }
    if PROPERTIES.contains(&f.as_str()) {
        return f;
    }
    let cut: Vec<&&str> = PROPERTIES
        .iter()
        .filter(|p| p.len() > 10 && p[..10] == f)
        .collect();
    match cut.as_slice() {
        [one] => one.to_string(),
        // `party_bran`: the first of the two (GDAL numbers the second).
        [first, ..] => first.to_string(),
        [] => f,
    }
}

/// The text encoding a `.cpg` file or `--encoding` names: `UTF-8`, `GBK`, `GB2312`,
/// `GB18030`, `936`/`CP936`, or any WHATWG label. Errors: a name no encoding has.
pub fn encoding_named(name: &str) -> Result<&'static encoding_rs::Encoding, String> {
    let n = name
        .trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_lowercase();
    let label = match n.as_str() {
        "936" | "cp936" | "ansi 936" => "gbk",
        "65001" | "utf8" => "utf-8",
        "54936" => "gb18030",
        other => other,
    };
    encoding_rs::Encoding::for_label(label.as_bytes())
        .ok_or_else(|| format!("{name:?} is not a text encoding (UTF-8, GBK, GB18030, …)"))
}

/// The layer `stem` (`streets`) as a FeatureCollection, when the export has `stem.shp`;
/// `None` when it has not.
pub(super) fn layer(ex: &Export, stem: &str) -> Result<Option<JsonFile>, ImportError> {
    let Some(shp) = ex.optional(&format!("{stem}.shp"))? else {
        return Ok(None);
    };
    let name = shp.name.clone();
    let err = |place: &str, message: String| ImportError::Feature {
        file: name.clone(),
        place: place.into(),
        message,
    };
    let dbf = ex.optional(&format!("{stem}.dbf"))?.ok_or_else(|| {
        err(
            "attribute table",
            format!("{stem}.dbf is missing beside it"),
        )
    })?;
    let declared = match ex.optional(&format!("{stem}.prj"))? {
        None => None,
        Some(prj) => {
            let (prj_name, text) = ex.text(prj)?;
            Some(wkt::from_wkt(&text).map_err(|m| ImportError::Feature {
                file: prj_name,
                place: "coordinate system".into(),
                message: m,
            })?)
        }
    };
    let cpg = match ex.optional(&format!("{stem}.cpg"))? {
        None => None,
        Some(cpg) => {
            let (cpg_name, label) = ex.text(cpg)?;
            Some(encoding_named(&label).map_err(|m| ImportError::Feature {
                file: cpg_name,
                place: "encoding".into(),
                message: m,
            })?)
        }
    };
    let declared_encoding = ex.encoding.or(cpg);
    let (encoding, features) = match declared_encoding {
        Some(e) => {
            let features = read_layer(&shp, &dbf, e)?;
            if let Some(problem) = text_problem(&features, e, true) {
                return Err(illegible(&dbf.name, problem, e.name()));
            }
            (e, features)
        }
        None => {
            // UTF-8 where it reads and its non-ASCII text is mostly Chinese (or there is
            // none); else GBK/GB18030 where that reads; the more Chinese reading wins.
            let utf8 = read_layer(&shp, &dbf, encoding_rs::UTF_8)?;
            let u = Legibility::of(&utf8);
            if u.replaced.is_none() && (u.non_ascii == 0 || u.cjk * 2 >= u.non_ascii) {
                (encoding_rs::UTF_8, utf8)
            } else {
                let gbk = read_layer(&shp, &dbf, encoding_rs::GB18030)?;
                let g = Legibility::of(&gbk);
                if g.replaced.is_none() && (u.replaced.is_some() || g.cjk > u.cjk) {
                    (encoding_rs::GB18030, gbk)
                } else if u.replaced.is_none() {
                    (encoding_rs::UTF_8, utf8)
                } else {
                    let problem = g.replaced.or(u.replaced).unwrap_or_default();
                    return Err(illegible(&dbf.name, problem, "UTF-8 or GBK"));
                }
            }
        }
    };
    if encoding != encoding_rs::UTF_8 || declared_encoding.is_some() {
        ex.notes.add(format!(
            "{}: attribute table read as {}{}",
            dbf.name,
            encoding.name(),
            match (ex.encoding, cpg) {
                (Some(_), _) => " (--encoding)",
                (None, Some(_)) => " (its .cpg)",
                (None, None) => " (not UTF-8)",
            }
        ));
    }
    let mut collection = json!({"type": "FeatureCollection", "features": features});
    if let Some(c) = declared {
        collection["crs"] = json!({
            "type": "name",
            "properties": {"name": c.code(), "from_prj": true}
        });
    }
    Ok(Some(JsonFile {
        name,
        value: collection,
    }))
}

/// A table's text that is not legible in `tried`, named by record and field.
fn illegible(
    dbf: &str,
    (record, field, text): (usize, String, String),
    tried: &str,
) -> ImportError {
    ImportError::Feature {
        file: dbf.to_string(),
        place: format!("record {record}, field `{field}`"),
        message: format!(
            "text {text:?} is not legible in {tried}: give the right encoding with a .cpg file \
             or --encoding (utf-8, gbk, gb18030)"
        ),
    }
}

/// How a reading of a table's text came out: the first text with a replacement character
/// (record, field, text), and how many of its non-ASCII characters are Chinese (CJK
/// Unified Ideographs).
struct Legibility {
    replaced: Option<(usize, String, String)>,
    cjk: usize,
    non_ascii: usize,
}

impl Legibility {
    fn of(features: &[Value]) -> Self {
        let mut out = Legibility {
            replaced: None,
            cjk: 0,
            non_ascii: 0,
        };
        for (i, field, text) in texts(features) {
            if out.replaced.is_none() && text.contains('\u{fffd}') {
                out.replaced = Some((i, field.to_string(), text.to_string()));
            }
            for c in text.chars().filter(|c| !c.is_ascii()) {
                out.non_ascii += 1;
                out.cjk += usize::from(is_cjk(c));
            }
        }
        out
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// Every text property of the features: (record, field, text).
fn texts(features: &[Value]) -> impl Iterator<Item = (usize, &str, &str)> {
    features.iter().enumerate().flat_map(|(i, f)| {
        f.get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(move |(field, v)| v.as_str().map(|s| (i, field.as_str(), s)))
    })
}

/// The first text of the features that is not legible as `encoding` (record, field,
/// text): one with the replacement character, or — where a legacy encoding was declared —
/// Chinese whose bytes read as UTF-8 Chinese (the mojibake a wrong `.cpg` gives; GBK text
/// whose bytes merely happen to be valid UTF-8, like 住宅, reads as other scripts and
/// passes).
fn text_problem(
    features: &[Value],
    encoding: &'static encoding_rs::Encoding,
    declared: bool,
) -> Option<(usize, String, String)> {
    for (i, field, s) in texts(features) {
        let garbled = s.contains('\u{fffd}')
            || (declared && encoding != encoding_rs::UTF_8 && !s.is_ascii() && {
                let (bytes, _, _) = encoding.encode(s);
                std::str::from_utf8(&bytes).is_ok_and(|u| {
                    let non_ascii = u.chars().filter(|c| !c.is_ascii()).count();
                    let cjk = u.chars().filter(|c| is_cjk(*c)).count();
                    non_ascii >= 2 && cjk * 10 >= non_ascii * 9
                })
            });
        if garbled {
            return Some((i, field.to_string(), s.to_string()));
        }
    }
    None
}

/// The shapes and records of one layer as GeoJSON features (positions as in the file).
fn read_layer(
    shp: &ExportFile,
    dbf: &ExportFile,
    encoding: &'static encoding_rs::Encoding,
) -> Result<Vec<Value>, ImportError> {
    let broken = |file: &str, e: &dyn std::fmt::Display| ImportError::Feature {
        file: file.to_string(),
        place: "file".into(),
        message: format!(
            "not a readable {}: {e}",
            if file.ends_with(".dbf") {
                "dBASE table"
            } else {
                "shapefile"
            }
        ),
    };
    let shapes = shapefile::ShapeReader::new(Cursor::new(shp.bytes.as_slice()))
        .map_err(|e| broken(&shp.name, &e))?;
    let table = dbase::ReaderBuilder::new()
        .with_encoding(dbase::encoding::EncodingRs::from(encoding))
        .build(Cursor::new(dbf.bytes.as_slice()))
        .map_err(|e| broken(&dbf.name, &e))?;
    let mut reader = shapefile::Reader::new(shapes, table);
    let mut out = Vec::new();
    for (i, item) in reader.iter_shapes_and_records().enumerate() {
        let (shape, record) = item.map_err(|e| ImportError::Feature {
            file: shp.name.clone(),
            place: format!("record {i}"),
            message: format!("cannot be read: {e}"),
        })?;
        let mut properties = Map::new();
        for (field, value) in record {
            properties.insert(property_name(&field), field_json(value));
        }
        out.push(json!({
            "type": "Feature",
            "properties": properties,
            "geometry": geometry_json(shape),
        }));
    }
    Ok(out)
}

/// A DBF value as JSON: whole numbers as integers (adcodes stay exact), empty as null.
fn field_json(v: FieldValue) -> Value {
    let number = |x: f64| {
        if x.fract() == 0.0 && x.abs() < 9.0e15 {
            json!(x as i64)
        } else {
            json!(x)
        }
    };
    match v {
        FieldValue::Character(Some(s)) | FieldValue::Memo(s) => Value::String(s),
        FieldValue::Numeric(Some(x)) | FieldValue::Double(x) | FieldValue::Currency(x) => number(x),
        FieldValue::Float(Some(x)) => number(x as f64),
        FieldValue::Integer(x) => json!(x),
        FieldValue::Logical(Some(b)) => Value::Bool(b),
        FieldValue::Date(Some(d)) => {
            Value::String(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
        }
        _ => Value::Null,
    }
}

/// A shape as a GeoJSON geometry: polygons as Polygon or MultiPolygon (each outer ring
/// with the holes after it), points as Point; others keep their type name (refused by the
/// reader with it), a null shape as no geometry.
fn geometry_json(shape: Shape) -> Value {
    fn polygons<P>(rings: &[PolygonRing<P>], xy: impl Fn(&P) -> [f64; 2]) -> Value {
        let mut parts: Vec<Vec<Vec<[f64; 2]>>> = Vec::new();
        for ring in rings {
            let points: Vec<[f64; 2]> = ring.points().iter().map(&xy).collect();
            match (ring, parts.last_mut()) {
                (PolygonRing::Inner(_), Some(last)) => last.push(points),
                _ => parts.push(vec![points]),
            }
        }
        if parts.len() == 1 {
            json!({"type": "Polygon", "coordinates": parts[0]})
        } else {
            json!({"type": "MultiPolygon", "coordinates": parts})
        }
    }
    match shape {
        Shape::Polygon(p) => polygons(p.rings(), |q| [q.x, q.y]),
        Shape::PolygonM(p) => polygons(p.rings(), |q| [q.x, q.y]),
        Shape::PolygonZ(p) => polygons(p.rings(), |q| [q.x, q.y]),
        Shape::Point(p) => json!({"type": "Point", "coordinates": [p.x, p.y]}),
        Shape::PointM(p) => json!({"type": "Point", "coordinates": [p.x, p.y]}),
        Shape::PointZ(p) => json!({"type": "Point", "coordinates": [p.x, p.y]}),
        Shape::NullShape => Value::Null,
        other => json!({"type": other.shapetype().to_string(), "coordinates": []}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dbf_field_names_cut_to_ten_characters_are_matched() {
        assert_eq!(property_name("floor_area"), "floor_area_m2");
        assert_eq!(property_name("RESIDENTIA"), "residential");
        assert_eq!(property_name("residents"), "residents");
        assert_eq!(property_name("residents_"), "residents_online");
        assert_eq!(property_name("party_memb"), "party_member_households");
        assert_eq!(property_name("party_bran"), "party_branch");
        assert_eq!(property_name("party_br_1"), "party_branch_en");
        assert_eq!(property_name("Shape_Area"), "shape_area");
    }

    #[test]
    fn short_gbk_text_is_legible_and_utf8_read_as_gbk_is_not() {
        let features = |text: &str| vec![json!({"properties": {"use": text}})];
        // 住宅's GBK bytes (D7A1 D5AC) happen to be valid UTF-8 (Hebrew, Armenian): legible.
        assert_eq!(
            text_problem(&features("住宅"), encoding_rs::GBK, true),
            None
        );
        // UTF-8 Chinese decoded as GBK (a wrong .cpg): refused.
        let (garbled, _, _) = encoding_rs::GBK.decode("市北区辽宁路街道".as_bytes());
        let problem = text_problem(&features(&garbled), encoding_rs::GBK, true);
        assert_eq!(problem.map(|p| p.1), Some("use".to_string()));
        // Without a .cpg, the reading that is Chinese wins.
        let (gbk_bytes, _, _) = encoding_rs::GBK.encode("住宅");
        let (as_utf8, _, _) = encoding_rs::UTF_8.decode(&gbk_bytes);
        let u = Legibility::of(&features(&as_utf8));
        assert!(u.replaced.is_none() && u.cjk == 0 && u.non_ascii > 0);
    }

    #[test]
    fn encodings_as_cpg_files_name_them() {
        assert_eq!(encoding_named("UTF-8"), Ok(encoding_rs::UTF_8));
        assert_eq!(encoding_named("936\r\n"), Ok(encoding_rs::GBK));
        assert_eq!(encoding_named("GB2312"), Ok(encoding_rs::GBK));
        assert_eq!(encoding_named("GB18030"), Ok(encoding_rs::GB18030));
        assert!(encoding_named("klingon").is_err());
    }
}
