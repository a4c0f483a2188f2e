//! `citygrid import`: the shipped example export in WGS 84 and in GCJ-02, and clear refusals
//! that leave no output behind.

use std::path::{Path, PathBuf};
use std::process::Command;

use citygrid::geo::gcj02;
use citygrid::import::{ImportCrs, ImportError, import_dir};
use serde_json::Value;

const EXAMPLE: &str = "data/example-import";

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("citygrid-import-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// Copies the example export, each JSON file through `map`; `cases.csv` goes through as it
/// is (see [`copy_cases`] for moving its points).
fn copy_example(to: &Path, map: impl Fn(&str, Value) -> Value) {
    std::fs::copy(Path::new(EXAMPLE).join("cases.csv"), to.join("cases.csv")).expect("copy");
    for f in [
        "district.geojson",
        "streets.geojson",
        "communities.geojson",
        "buildings.geojson",
        "grids.geojson",
        "places.geojson",
        "metrics.json",
    ] {
        let v: Value =
            serde_json::from_slice(&std::fs::read(Path::new(EXAMPLE).join(f)).expect("read"))
                .expect("json");
        std::fs::write(
            to.join(f),
            serde_json::to_string(&map(f, v)).expect("encode"),
        )
        .expect("write");
    }
}

/// Writes the example's `cases.csv` to `to` with every case's point moved by `f`.
fn copy_cases(to: &Path, f: &dyn Fn(f64, f64) -> (f64, f64)) {
    let mut r = csv::Reader::from_path(Path::new(EXAMPLE).join("cases.csv")).expect("reads");
    let headers = r.headers().expect("header").clone();
    let lon = headers.iter().position(|h| h == "lon").expect("lon");
    let lat = headers.iter().position(|h| h == "lat").expect("lat");
    let mut w = csv::Writer::from_path(to.join("cases.csv")).expect("writes");
    w.write_record(&headers).expect("header");
    for row in r.records() {
        let mut row: Vec<String> = row.expect("row").iter().map(str::to_string).collect();
        let (x, y) = f(
            row[lon].parse().expect("number"),
            row[lat].parse().expect("number"),
        );
        row[lon] = x.to_string();
        row[lat] = y.to_string();
        w.write_record(&row).expect("row");
    }
    w.flush().expect("flush");
}

fn map_positions(v: &mut Value, f: &impl Fn(f64, f64) -> (f64, f64)) {
    match v {
        Value::Array(a) if a.len() == 2 && a.iter().all(Value::is_number) => {
            let (x, y) = f(a[0].as_f64().unwrap_or(0.0), a[1].as_f64().unwrap_or(0.0));
            *v = serde_json::json!([x, y]);
        }
        Value::Array(a) => a.iter_mut().for_each(|x| map_positions(x, f)),
        _ => {}
    }
}

#[test]
fn the_example_imports_in_wgs84_and_gcj02_alike() {
    let wgs = import_dir(Path::new(EXAMPLE), ImportCrs::Wgs84).expect("the example imports");
    assert_eq!(wgs.regions.len(), 8);
    assert_eq!(wgs.buildings.len(), 48);
    // Fire and police with their metrics, and the departments the example's cases name.
    assert!(wgs.departments.len() >= 2);
    assert!(!citygrid::snapshot::validate(&wgs).has_errors());
    // The governance files: the subdistrict's grids, places and 60 of its cases.
    assert!(!wgs.grids.is_empty() && !wgs.places.is_empty());
    assert_eq!(wgs.cases.len(), 60);
    assert!(wgs.buildings.iter().all(|b| b.grid.is_some()));

    // The same export as a Chinese web map would give it: every position offset to GCJ-02.
    let dir = temp("gcj");
    copy_example(&dir, |_, mut v| {
        if let Some(features) = v.get_mut("features").and_then(Value::as_array_mut) {
            for f in features {
                if let Some(c) = f.pointer_mut("/geometry/coordinates") {
                    map_positions(c, &gcj02::from_wgs84);
                }
            }
        }
        v
    });
    copy_cases(&dir, &gcj02::from_wgs84);
    let gcj = import_dir(&dir, ImportCrs::Gcj02).expect("the GCJ-02 export imports");
    let mut worst: f64 = 0.0;
    for (a, b) in wgs.cases.iter().zip(&gcj.cases) {
        worst = worst
            .max((a.location.0 - b.location.0).abs())
            .max((a.location.1 - b.location.1).abs());
    }
    for (a, b) in wgs.buildings.iter().zip(&gcj.buildings) {
        for (p, q) in a.footprint.exterior.iter().zip(&b.footprint.exterior) {
            worst = worst.max((p.0 - q.0).abs()).max((p.1 - q.1).abs());
        }
    }
    assert!(
        worst < 1e-7,
        "GCJ-02 converted back to WGS 84 within a centimetre: {worst}"
    );
    // Read as WGS 84, the same file lands hundreds of metres off.
    let wrong = import_dir(&dir, ImportCrs::Wgs84).expect("imports");
    let off = (wrong.buildings[0].footprint.exterior[0].0
        - wgs.buildings[0].footprint.exterior[0].0)
        .abs();
    assert!(off > 1e-3, "{off}");
    let _ = std::fs::remove_dir_all(&dir);
}

fn import_error(dir: &Path) -> String {
    match import_dir(dir, ImportCrs::Wgs84) {
        Ok(_) => panic!("should have been refused"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn broken_exports_are_refused_with_file_and_feature() {
    // A missing file.
    let dir = temp("missing");
    copy_example(&dir, |_, v| v);
    std::fs::remove_file(dir.join("buildings.geojson")).expect("remove");
    assert!(import_error(&dir).contains("buildings.geojson: cannot read"));

    // Malformed JSON: file, line and column.
    std::fs::write(
        dir.join("buildings.geojson"),
        "{\n  \"type\": \"FeatureCollection\",\n  \"features\": [,]\n}",
    )
    .expect("write");
    let e = import_error(&dir);
    assert!(e.contains("buildings.geojson:3:"), "{e}");

    // A feature without its id, and one of the wrong geometry.
    let dir = temp("feature");
    copy_example(&dir, |f, mut v| {
        if f == "communities.geojson"
            && let Some(p) = v
                .pointer_mut("/features/2/properties")
                .and_then(Value::as_object_mut)
        {
            p.remove("id");
        }
        v
    });
    let e = import_error(&dir);
    assert!(
        e.contains("communities.geojson: feature 2: property `id` is missing"),
        "{e}"
    );
    copy_example(&dir, |f, mut v| {
        if f == "buildings.geojson"
            && let Some(g) = v.pointer_mut("/features/0/geometry/type")
        {
            *g = Value::String("LineString".into());
        }
        v
    });
    let e = import_error(&dir);
    assert!(
        e.contains("buildings.geojson: feature 0 (id ") && e.contains("LineString is not Polygon"),
        "{e}"
    );

    // Inconsistent: a building in a community that does not exist.
    copy_example(&dir, |f, mut v| {
        if f == "buildings.geojson"
            && let Some(p) = v.pointer_mut("/features/0/properties/parent_id")
        {
            *p = Value::String("370203999999".into());
        }
        v
    });
    match import_dir(&dir, ImportCrs::Wgs84) {
        Err(ImportError::Invalid(report)) => assert!(
            report.errors().any(|i| i
                .to_string()
                .contains("community 370203999999 does not exist")),
            "{report:?}"
        ),
        other => panic!("{other:?}"),
    }

    // Through the command line: exit 1, and no output file is left behind.
    let out = dir.join("out.ron");
    let o = Command::new(env!("CARGO_BIN_EXE_citygrid"))
        .arg("import")
        .arg(&dir)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.exists(), "a refused import writes nothing");
    let _ = std::fs::remove_dir_all(&dir);
}
