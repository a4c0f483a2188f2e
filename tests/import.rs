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
    let wgs = import_dir(Path::new(EXAMPLE), None)
        .expect("the example imports")
        .snapshot;
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
    let gcj = import_dir(&dir, Some(ImportCrs::Gcj02))
        .expect("the GCJ-02 export imports")
        .snapshot;
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
    let wrong = import_dir(&dir, Some(ImportCrs::Wgs84))
        .expect("imports")
        .snapshot;
    let off = (wrong.buildings[0].footprint.exterior[0].0
        - wgs.buildings[0].footprint.exterior[0].0)
        .abs();
    assert!(off > 1e-3, "{off}");
    let _ = std::fs::remove_dir_all(&dir);
}

fn import_error(dir: &Path) -> String {
    match import_dir(dir, None) {
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

    // An ECharts map JSON with compressed coordinates.
    std::fs::write(
        dir.join("buildings.geojson"),
        r#"{"type":"FeatureCollection","UTF8Encoding":true,"features":[{"type":"Feature",
            "properties":{"id":"1"},"geometry":{"type":"Polygon",
            "coordinates":["@@LKJH"],"encodeOffsets":[[123,456]]}}]}"#,
    )
    .expect("write");
    let e = import_error(&dir);
    assert!(
        e.contains("buildings.geojson: top level") && e.contains("ECharts"),
        "{e}"
    );

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
    match import_dir(&dir, None) {
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

/// Every position of every GeoJSON file of the copy through `f`, and a `crs` member when
/// given.
fn reproject(dir: &Path, crs_member: Option<&str>, f: &impl Fn(f64, f64) -> (f64, f64)) {
    copy_example(dir, |name, mut v| {
        if let Some(features) = v.get_mut("features").and_then(Value::as_array_mut) {
            for feature in features {
                if let Some(c) = feature.pointer_mut("/geometry/coordinates") {
                    map_positions(c, f);
                }
            }
        }
        if let (Some(code), true) = (crs_member, name.ends_with(".geojson")) {
            v["crs"] = serde_json::json!({"type": "name", "properties": {"name": code}});
        }
        v
    });
}

/// The largest difference between two imports' building corners and case points, degrees.
fn worst_difference(a: &citygrid::snapshot::Snapshot, b: &citygrid::snapshot::Snapshot) -> f64 {
    let mut worst: f64 = 0.0;
    for (x, y) in a.buildings.iter().zip(&b.buildings) {
        for (p, q) in x.footprint.exterior.iter().zip(&y.footprint.exterior) {
            worst = worst.max((p.0 - q.0).abs()).max((p.1 - q.1).abs());
        }
    }
    for (x, y) in a.cases.iter().zip(&b.cases) {
        worst = worst
            .max((x.location.0 - y.location.0).abs())
            .max((x.location.1 - y.location.1).abs());
    }
    worst
}

fn proj(def: &str) -> proj4rs::Proj {
    proj4rs::Proj::from_proj_string(def).expect("proj string")
}

/// WGS 84 degrees to a projected system by proj4rs (what a GIS tool would have written).
fn forward(to: &str) -> impl Fn(f64, f64) -> (f64, f64) {
    let (from, to) = (proj("+proj=longlat +ellps=WGS84 +no_defs"), proj(to));
    move |lon, lat| {
        let mut p = (lon.to_radians(), lat.to_radians(), 0.0);
        proj4rs::transform::transform(&from, &to, &mut p).expect("projects");
        (p.0, p.1)
    }
}

#[test]
fn projected_exports_come_back_to_the_example_within_a_tenth_of_a_metre() {
    let wgs = import_dir(Path::new(EXAMPLE), None)
        .expect("imports")
        .snapshot;
    // 0.1 m in degrees of latitude (and a little more in longitude at 36°N).
    let tenth_of_a_metre = 0.1 / 111_000.0;

    // Web Mercator metres with the legacy `crs` member GIS tools write; the cases table
    // (which has no such member) stays in WGS 84.
    let dir = temp("mercator");
    let mercator = forward(
        "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +no_defs",
    );
    reproject(&dir, Some("urn:ogc:def:crs:EPSG::3857"), &mercator);
    let imported = import_dir(&dir, None).expect("the Web Mercator export imports");
    let worst = worst_difference(&wgs, &imported.snapshot);
    assert!(worst < tenth_of_a_metre, "{worst}");
    assert!(
        imported
            .notes
            .iter()
            .any(|n| n.contains("streets.geojson") && n.contains("EPSG:3857")),
        "{:?}",
        imported.notes
    );

    // CGCS2000 3-degree Gauss–Krüger at 120°E without the zone prefix, cases too, given
    // with --crs (no `crs` member).
    let dir = temp("gauss-kruger");
    let gk = forward(
        "+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs",
    );
    reproject(&dir, None, &gk);
    copy_cases(&dir, &gk);
    let imported = import_dir(&dir, Some(ImportCrs::GaussKruger { epsg: 4549 }))
        .expect("the Gauss–Krüger export imports");
    let worst = worst_difference(&wgs, &imported.snapshot);
    assert!(worst < tenth_of_a_metre, "{worst}");
    // Read without saying so, metres are refused with a hint, not taken as degrees.
    let e = import_error(&dir);
    assert!(e.contains("projected metres") && e.contains("--crs"), "{e}");
    // With the prefixed zone's code, the missing prefix is named.
    let e = import_dir(&dir, Some(ImportCrs::GaussKruger { epsg: 4528 }))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("EPSG:4549"), "{e}");

    // A declared system the importer does not support is refused by name.
    let dir = temp("xian80");
    reproject(&dir, Some("EPSG:2385"), &|x, y| (x, y));
    let e = import_error(&dir);
    assert!(
        e.contains("district.geojson: `crs` member") && e.contains("EPSG:2385"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn files_as_windows_and_gis_tools_write_them_are_read() {
    let wgs = import_dir(Path::new(EXAMPLE), None)
        .expect("imports")
        .snapshot;
    let dir = temp("tools");
    // Repeated vertices: the second position of each community ring written twice, and
    // the closing point of each street ring written twice.
    copy_example(&dir, |f, mut v| {
        for feature in v
            .get_mut("features")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            let Some(ring) = feature
                .pointer_mut("/geometry/coordinates/0")
                .and_then(Value::as_array_mut)
            else {
                continue;
            };
            match f {
                "communities.geojson" if ring.len() > 2 => {
                    let p = ring[1].clone();
                    ring.insert(1, p);
                }
                "streets.geojson" => {
                    if let Some(last) = ring.last().cloned() {
                        ring.push(last);
                    }
                }
                _ => {}
            }
        }
        v
    });
    // A byte-order mark and CRLF line endings on every JSON file; streets.geojson in GBK.
    for f in ["district.geojson", "communities.geojson", "metrics.json"] {
        let text = std::fs::read_to_string(dir.join(f)).expect("read");
        let v: Value = serde_json::from_str(&text).expect("json");
        let pretty = serde_json::to_string_pretty(&v)
            .expect("encode")
            .replace('\n', "\r\n");
        std::fs::write(dir.join(f), format!("\u{feff}{pretty}")).expect("write");
    }
    let streets = std::fs::read_to_string(dir.join("streets.geojson")).expect("read");
    let (gbk, _, lossy) = encoding_rs::GBK.encode(&streets);
    assert!(!lossy);
    std::fs::write(dir.join("streets.geojson"), &gbk).expect("write");
    let imported = import_dir(&dir, None).expect("the tools' files import");
    let s = &imported.snapshot;
    assert_eq!(s.regions.len(), wgs.regions.len());
    for (a, b) in wgs.regions.iter().zip(&s.regions) {
        assert_eq!((&a.name, &a.outline), (&b.name, &b.outline), "{}", a.id);
    }
    let notes = imported.notes.join("\n");
    assert!(
        notes.contains("streets.geojson: not UTF-8; read as GBK") && notes.contains("街道"),
        "{notes}"
    );
    assert!(
        notes.contains("communities.geojson: ") && notes.contains("repeated vertex"),
        "{notes}"
    );

    // Text in neither UTF-8 nor GBK is refused with what to do.
    std::fs::write(dir.join("streets.geojson"), b"{\"type\": \"\xff\xfe\"}").expect("write");
    let e = import_error(&dir);
    assert!(
        e.contains("streets.geojson:1:") && e.contains("save the file as UTF-8"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_metric_value_that_is_not_a_number_is_named_with_its_metric() {
    let dir = temp("metric");
    copy_example(&dir, |f, mut v| {
        if f == "metrics.json"
            && let Some(values) = v
                .pointer_mut("/metrics/1/values")
                .and_then(Value::as_object_mut)
            && let Some(first) = values.values_mut().next()
        {
            *first = Value::String("n/a".into());
        }
        v
    });
    let e = import_error(&dir);
    let metrics: Value = serde_json::from_slice(
        &std::fs::read(Path::new(EXAMPLE).join("metrics.json")).expect("read"),
    )
    .expect("json");
    let id = metrics
        .pointer("/metrics/1/id")
        .and_then(Value::as_str)
        .expect("an id");
    assert!(
        e.contains(&format!("metrics[1] (id {id})")) && e.contains("\"n/a\", not a number"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_dry_run_reports_and_writes_nothing_and_a_bom_snapshot_validates() {
    let dir = temp("dry");
    let o = Command::new(env!("CARGO_BIN_EXE_citygrid"))
        .args(["import", EXAMPLE, "--dry-run"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("would import") && out.contains("60 cases"),
        "{out}"
    );

    // A snapshot saved by a Windows editor, with a byte-order mark, validates.
    let out = dir.join("with-bom.ron");
    let o = Command::new(env!("CARGO_BIN_EXE_citygrid"))
        .args(["import", EXAMPLE, "-o"])
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(0));
    let text = std::fs::read_to_string(&out).expect("written");
    std::fs::write(&out, format!("\u{feff}{text}")).expect("write");
    let o = Command::new(env!("CARGO_BIN_EXE_citygrid"))
        .arg("validate")
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
