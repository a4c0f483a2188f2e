//! `citygrid import` of Shapefile layers as a command center's GIS writes them: the example
//! export rewritten by these tests as `.shp`/`.shx`/`.dbf` with GBK attribute tables and a
//! `.prj` in CGCS2000 3-degree Gauss–Krüger (120°E), read back within 0.1 m of the WGS 84
//! original; and the ways such a set goes wrong, refused with the file and the place.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use citygrid::import::{ImportOptions, import_dir};
use serde_json::Value;
use shapefile::dbase::{self, FieldValue, TableWriterBuilder};
use shapefile::{Point, PolygonRing};

const EXAMPLE: &str = "data/example-import";

/// ArcGIS's `.prj` for EPSG:4549 (ESRI WKT, no authority).
const GK_CM_120E: &str = r#"PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

const LAYERS: [&str; 6] = [
    "district",
    "streets",
    "communities",
    "buildings",
    "grids",
    "places",
];

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("citygrid-shp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// WGS 84 degrees to CGCS2000 Gauss–Krüger 120°E metres (what the GIS wrote).
fn to_gauss_kruger(lon: f64, lat: f64) -> (f64, f64) {
    let from =
        proj4rs::Proj::from_proj_string("+proj=longlat +ellps=WGS84 +no_defs").expect("proj");
    let to = proj4rs::Proj::from_proj_string(
        "+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs",
    )
    .expect("proj");
    let mut p = (lon.to_radians(), lat.to_radians(), 0.0);
    proj4rs::transform::transform(&from, &to, &mut p).expect("projects");
    (p.0, p.1)
}

/// A DBF field name as GDAL cuts a property's name: 10 characters, the second of two
/// names cut alike numbered (`party_br_1`).
fn dbf_name(property: &str, taken: &mut Vec<String>) -> String {
    let mut name: String = property.chars().take(10).collect();
    if taken.contains(&name) {
        name = format!("{}_1", &name[..8]);
    }
    taken.push(name.clone());
    name
}

fn ring(points: &Value) -> Vec<Point> {
    points
        .as_array()
        .expect("ring")
        .iter()
        .map(|p| {
            let (x, y) = to_gauss_kruger(p[0].as_f64().expect("x"), p[1].as_f64().expect("y"));
            Point::new(x, y)
        })
        .collect()
}

/// Writes one layer of the example as a Shapefile set: `encoding` for the DBF, a `.cpg`
/// naming it when `cpg` is given, and the `.prj`.
fn write_layer(
    dir: &Path,
    layer: &str,
    encoding: &'static encoding_rs::Encoding,
    cpg: Option<&str>,
) {
    let v: Value = serde_json::from_slice(
        &std::fs::read(Path::new(EXAMPLE).join(format!("{layer}.geojson"))).expect("read"),
    )
    .expect("json");
    let features = v["features"].as_array().expect("features");
    // The fields: every property any feature has, typed by its first value.
    let mut kinds: BTreeMap<String, &'static str> = BTreeMap::new();
    for f in features {
        for (k, v) in f["properties"].as_object().expect("properties") {
            let kind = match v {
                Value::Bool(_) => "bool",
                Value::Number(_) => "number",
                Value::Null => continue,
                _ => "text",
            };
            kinds.entry(k.clone()).or_insert(kind);
        }
    }
    let mut taken = Vec::new();
    let names: BTreeMap<String, String> = kinds
        .keys()
        .map(|k| (k.clone(), dbf_name(k, &mut taken)))
        .collect();
    let mut table = TableWriterBuilder::with_encoding(dbase::encoding::EncodingRs::from(encoding));
    for (k, kind) in &kinds {
        let name = names[k].as_str().try_into().expect("field name");
        table = match *kind {
            "bool" => table.add_logical_field(name),
            "number" => table.add_numeric_field(name, 20, 3),
            _ => table.add_character_field(name, 254),
        };
    }
    let path = dir.join(format!("{layer}.shp"));
    let record_of = |f: &Value| {
        let mut r = dbase::Record::default();
        for (k, kind) in &kinds {
            let v = &f["properties"][k];
            let value = match *kind {
                "bool" => FieldValue::Logical(v.as_bool()),
                "number" => FieldValue::Numeric(v.as_f64()),
                _ => FieldValue::Character(match v {
                    Value::String(s) => Some(s.clone()),
                    Value::Null => None,
                    // A list (a place's services) as a GIS table holds it: one text.
                    Value::Array(items) => Some(
                        items
                            .iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join("、"),
                    ),
                    other => Some(other.to_string()),
                }),
            };
            r.insert(names[k].clone(), value);
        }
        r
    };
    if layer == "places" {
        let mut w = shapefile::Writer::from_path(&path, table).expect("writer");
        for f in features {
            let c = &f["geometry"]["coordinates"];
            let (x, y) = to_gauss_kruger(c[0].as_f64().expect("x"), c[1].as_f64().expect("y"));
            w.write_shape_and_record(&Point::new(x, y), &record_of(f))
                .expect("write");
        }
    } else {
        let mut w = shapefile::Writer::from_path(&path, table).expect("writer");
        for f in features {
            let g = &f["geometry"];
            let parts: Vec<&Value> = match g["type"].as_str() {
                Some("Polygon") => vec![&g["coordinates"]],
                _ => g["coordinates"].as_array().expect("parts").iter().collect(),
            };
            let mut rings = Vec::new();
            for part in parts {
                for (k, r) in part.as_array().expect("rings").iter().enumerate() {
                    rings.push(if k == 0 {
                        PolygonRing::Outer(ring(r))
                    } else {
                        PolygonRing::Inner(ring(r))
                    });
                }
            }
            w.write_shape_and_record(&shapefile::Polygon::with_rings(rings), &record_of(f))
                .expect("write");
        }
    }
    std::fs::write(dir.join(format!("{layer}.prj")), GK_CM_120E).expect("prj");
    if let Some(label) = cpg {
        std::fs::write(dir.join(format!("{layer}.cpg")), label).expect("cpg");
    }
}

/// The example as a GIS would export it: every layer a GBK Shapefile in Gauss–Krüger (the
/// streets without a `.cpg`, found by reading), `metrics.json` and `cases.csv` as they are.
fn write_export(dir: &Path) {
    for layer in LAYERS {
        let cpg = (layer != "streets").then_some("GBK");
        write_layer(dir, layer, encoding_rs::GBK, cpg);
    }
    for f in ["metrics.json", "cases.csv"] {
        std::fs::copy(Path::new(EXAMPLE).join(f), dir.join(f)).expect("copy");
    }
}

#[test]
fn a_gbk_shapefile_export_in_gauss_kruger_imports_within_a_tenth_of_a_metre() {
    let wgs = import_dir(Path::new(EXAMPLE), None)
        .expect("the example imports")
        .snapshot;
    let dir = temp("gk");
    write_export(&dir);
    let imported = match import_dir(&dir, None) {
        Ok(i) => i,
        Err(e) => panic!("the Shapefile export imports: {e}"),
    };
    let s = &imported.snapshot;
    assert_eq!(s.regions.len(), wgs.regions.len());
    assert_eq!(s.buildings.len(), wgs.buildings.len());
    assert_eq!(s.grids.len(), wgs.grids.len());
    assert_eq!(s.places.len(), wgs.places.len());
    let tenth_of_a_metre = 0.1 / 111_000.0;
    let mut worst: f64 = 0.0;
    for (a, b) in wgs.regions.iter().zip(&s.regions) {
        assert_eq!((&a.id, &a.name, &a.name_en), (&b.id, &b.name, &b.name_en));
        assert_eq!(a.figures, b.figures, "{}", a.id);
        for (p, q) in a.outline.iter().zip(&b.outline) {
            // The Shapefile's outer rings run clockwise: compare as sets of corners.
            for c in &p.exterior {
                let nearest = q
                    .exterior
                    .iter()
                    .map(|d| (c.0 - d.0).abs().max((c.1 - d.1).abs()))
                    .fold(f64::INFINITY, f64::min);
                worst = worst.max(nearest);
            }
        }
    }
    for (a, b) in wgs.buildings.iter().zip(&s.buildings) {
        assert_eq!(
            (&a.id, a.floors, a.floor_area_m2, a.usage, &a.grid),
            (&b.id, b.floors, b.floor_area_m2, b.usage, &b.grid)
        );
    }
    for (a, b) in wgs.grids.iter().zip(&s.grids) {
        assert_eq!(
            (
                &a.name,
                &a.party_branch,
                &a.party_branch_en,
                a.party_member_households
            ),
            (
                &b.name,
                &b.party_branch,
                &b.party_branch_en,
                b.party_member_households
            )
        );
    }
    for (a, b) in wgs.places.iter().zip(&s.places) {
        assert_eq!((&a.name, &a.services), (&b.name, &b.services));
        worst = worst
            .max((a.point.0 - b.point.0).abs())
            .max((a.point.1 - b.point.1).abs());
    }
    assert!(worst < tenth_of_a_metre, "{worst}°");
    let notes = imported.notes.join("\n");
    assert!(
        notes.contains("streets.dbf: attribute table read as gb18030 (not UTF-8)")
            && notes.contains("buildings.dbf: attribute table read as GBK (its .cpg)")
            && notes.contains("EPSG:4549"),
        "{notes}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn broken_shapefile_sets_are_refused_with_file_and_place() {
    let dir = temp("broken");
    write_export(&dir);
    let error = |dir: &Path, options: ImportOptions| match import_dir(dir, options) {
        Ok(_) => panic!("should have been refused"),
        Err(e) => e.to_string(),
    };

    // A .cpg that says UTF-8 over a GBK table: mojibake refused, the field named.
    std::fs::write(dir.join("communities.cpg"), "UTF-8").expect("cpg");
    let e = error(&dir, ImportOptions::default());
    assert!(
        e.contains("communities.dbf: record 0, field `name`") && e.contains("--encoding"),
        "{e}"
    );
    // --encoding overrides the .cpg.
    let ok = import_dir(
        &dir,
        ImportOptions {
            encoding: Some(encoding_rs::GBK),
            ..Default::default()
        },
    );
    assert!(ok.is_ok(), "{:?}", ok.err().map(|e| e.to_string()));
    // A .cpg that says GBK over a UTF-8 table: legible UTF-8 read as GBK is mojibake.
    write_layer(&dir, "communities", encoding_rs::UTF_8, Some("GBK"));
    let e = error(&dir, ImportOptions::default());
    assert!(e.contains("communities.dbf: record 0, field `name`"), "{e}");
    write_layer(&dir, "communities", encoding_rs::GBK, Some("GBK"));

    // A .prj of a system not supported, named.
    std::fs::write(
        dir.join("streets.prj"),
        GK_CM_120E
            .replace(
                "CGCS2000_3_Degree_GK_CM_120E",
                "Xian_1980_3_Degree_GK_CM_120E",
            )
            .replace("China_Geodetic_Coordinate_System_2000", "Xian_1980")
            .replace("D_China_2000", "D_Xian_1980")
            .replace("\"CGCS2000\"", "\"Xian_1980\""),
    )
    .expect("prj");
    let e = error(&dir, ImportOptions::default());
    assert!(
        e.contains("streets.prj: coordinate system") && e.contains("Xian_1980_3_Degree_GK_CM_120E"),
        "{e}"
    );
    std::fs::write(dir.join("streets.prj"), GK_CM_120E).expect("prj");

    // No .prj: metres read as degrees are refused with a hint.
    std::fs::remove_file(dir.join("buildings.prj")).expect("remove");
    let e = error(&dir, ImportOptions::default());
    assert!(
        e.contains("buildings.shp: feature 0") && e.contains("projected metres"),
        "{e}"
    );
    std::fs::write(dir.join("buildings.prj"), GK_CM_120E).expect("prj");

    // A missing .dbf, and a truncated .shp.
    std::fs::remove_file(dir.join("grids.dbf")).expect("remove");
    let e = error(&dir, ImportOptions::default());
    assert!(
        e.contains("grids.shp: attribute table: grids.dbf is missing"),
        "{e}"
    );
    write_layer(&dir, "grids", encoding_rs::GBK, Some("GBK"));
    let shp = std::fs::read(dir.join("grids.shp")).expect("read");
    std::fs::write(dir.join("grids.shp"), &shp[..shp.len() / 2]).expect("write");
    let e = error(&dir, ImportOptions::default());
    assert!(e.contains("grids.shp: "), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Damaged files never panic the importer: bytes of the `.shp`, `.shx` and `.dbf` of one
/// layer overwritten at 300 places (a fixed pseudo-random sequence), each import refused
/// or read, never a crash.
#[test]
fn damaged_shapefiles_are_refused_not_crashed_on() {
    let dir = temp("damaged");
    write_export(&dir);
    let originals: Vec<(PathBuf, Vec<u8>)> = ["streets.shp", "streets.shx", "streets.dbf"]
        .iter()
        .map(|f| {
            let p = dir.join(f);
            let bytes = std::fs::read(&p).expect("read");
            (p, bytes)
        })
        .collect();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize
    };
    for round in 0..300 {
        let (path, bytes) = &originals[round % originals.len()];
        let mut damaged = bytes.clone();
        // Headers (the first 128 bytes) get most of the damage: that is where lengths are.
        let at = if round % 2 == 0 {
            next() % 128.min(damaged.len())
        } else {
            next() % damaged.len()
        };
        damaged[at] = (next() & 0xff) as u8;
        if round % 7 == 0 {
            damaged.truncate(next() % damaged.len());
        }
        std::fs::write(path, &damaged).expect("write");
        let _ = import_dir(&dir, None);
        std::fs::write(path, bytes).expect("restore");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
