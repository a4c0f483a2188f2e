//! Tests of `import::crs`: names as tools write them, EPSG and PROJ test points, hints.

use super::*;

fn coords(crs: ImportCrs, notes: &Notes) -> Coords<'_> {
    Coords::for_file("t.geojson", &Value::Null, Some(crs), notes).expect("builds")
}

#[test]
fn names_as_tools_write_them() {
    for (name, crs) in [
        ("wgs84", ImportCrs::Wgs84),
        ("EPSG:4326", ImportCrs::Wgs84),
        ("urn:ogc:def:crs:OGC:1.3:CRS84", ImportCrs::Wgs84),
        ("urn:ogc:def:crs:EPSG::4490", ImportCrs::Cgcs2000),
        ("urn:ogc:def:crs:EPSG::3857", ImportCrs::WebMercator),
        ("EPSG:900913", ImportCrs::WebMercator),
        (
            "http://www.opengis.net/def/crs/EPSG/0/4528",
            ImportCrs::GaussKruger { epsg: 4528 },
        ),
        ("epsg:4549", ImportCrs::GaussKruger { epsg: 4549 }),
        ("gcj02", ImportCrs::Gcj02),
        ("BD-09", ImportCrs::Bd09),
    ] {
        assert_eq!(ImportCrs::parse(name), Ok(crs), "{name}");
    }
    let err = ImportCrs::parse("EPSG:32651").expect_err("UTM is not supported");
    assert!(
        err.contains("EPSG:32651") && err.contains("EPSG:3857"),
        "{err}"
    );
    assert_eq!(gauss_kruger(4528), (120, Some(40)));
    assert_eq!(gauss_kruger(4549), (120, None));
    assert_eq!(gauss_kruger(4513), (75, Some(25)));
    assert_eq!(gauss_kruger(4554), (135, None));
}

#[test]
fn the_legacy_crs_member_is_read_and_unknown_ones_refused() {
    let v: Value = serde_json::from_str(
        r#"{"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}}"#,
    )
    .expect("json");
    assert_eq!(
        declared("f", &v).expect("read"),
        Some(ImportCrs::WebMercator)
    );
    let v: Value =
        serde_json::from_str(r#"{"crs": {"type": "EPSG", "properties": {"code": 4490}}}"#)
            .expect("json");
    assert_eq!(declared("f", &v).expect("read"), Some(ImportCrs::Cgcs2000));
    let v: Value =
        serde_json::from_str(r#"{"crs": {"type": "name", "properties": {"name": "EPSG:2385"}}}"#)
            .expect("json");
    let e = declared("f", &v)
        .expect_err("Xian 1980 is refused")
        .to_string();
    assert!(
        e.contains("f: `crs` member") && e.contains("EPSG:2385"),
        "{e}"
    );
    assert_eq!(declared("f", &Value::Null).expect("none"), None);
}

/// EPSG Guidance Note 7-2 (Coordinate Conversions and Transformations), the Popular
/// Visualisation Pseudo Mercator example: 24°22'54.433"N, 100°20'00"W ↔
/// E −11 169 055.58 m, N 2 800 000.00 m.
#[test]
fn web_mercator_matches_the_epsg_guidance_note() {
    let notes = Notes::default();
    let c = coords(ImportCrs::WebMercator, &notes);
    let (lon, lat) = c
        .proj
        .as_ref()
        .map(|(from, to)| {
            let mut p = (-11_169_055.58, 2_800_000.00, 0.0);
            proj4rs::transform::transform(from, to, &mut p).expect("transforms");
            (p.0.to_degrees(), p.1.to_degrees())
        })
        .expect("projected");
    let want_lat = 24.0 + 22.0 / 60.0 + 54.433 / 3600.0;
    let want_lon = -(100.0 + 20.0 / 60.0);
    assert!((lon - want_lon).abs() < 1e-7, "{lon}");
    assert!((lat - want_lat).abs() < 1e-7, "{lat}");
    // Qingdao in Web Mercator comes back where it was.
    let (x, y) = (
        120.38_f64.to_radians() * 6_378_137.0,
        (std::f64::consts::FRAC_PI_4 + 36.07_f64.to_radians() / 2.0)
            .tan()
            .ln()
            * 6_378_137.0,
    );
    let (lon, lat) = c.to_wgs84(x, y).expect("in China");
    assert!(
        (lon - 120.38).abs() < 1e-9 && (lat - 36.07).abs() < 1e-9,
        "{lon} {lat}"
    );
}

/// CGCS2000 Gauss–Krüger at 120°E against PROJ 9.5.1 (pyproj 3.7.2,
/// `Transformer.from_crs("EPSG:4490", "EPSG:4549")`): (120°, 36.07°) ↔
/// (500 000.0000, 3 993 309.8458) m, (120.38°, 36.07°) ↔ (534 231.9745, 3 993 376.6824),
/// (121.4°, 36.9°) ↔ (624 782.8415, 4 086 328.7555); EPSG:4528 the same with 40 000 000 m
/// added to the easting. Held within 1e-6° (~0.1 m).
#[test]
fn gauss_kruger_zone_40_matches_proj() {
    let notes = Notes::default();
    let unprefixed = coords(ImportCrs::GaussKruger { epsg: 4549 }, &notes);
    let prefixed = coords(ImportCrs::GaussKruger { epsg: 4528 }, &notes);
    for ((lon, lat), (e, n)) in [
        ((120.0, 36.07), (500_000.0, 3_993_309.845_8)),
        ((120.38, 36.07), (534_231.974_5, 3_993_376.682_4)),
        ((121.4, 36.9), (624_782.841_5, 4_086_328.755_5)),
    ] {
        for (c, e) in [(&unprefixed, e), (&prefixed, e + 40_000_000.0)] {
            let (x, y) = c.to_wgs84(e, n).expect("Qingdao");
            assert!((x - lon).abs() < 1e-6 && (y - lat).abs() < 1e-6, "{x} {y}");
        }
    }
    // The wrong one of the pair is refused with the right code named.
    let e = prefixed
        .to_wgs84(534_231.974_5, 3_993_376.682_4)
        .expect_err("no prefix");
    assert!(e.contains("EPSG:4549"), "{e}");
    let e = unprefixed
        .to_wgs84(40_534_231.974_5, 3_993_376.682_4)
        .expect_err("prefix");
    assert!(e.contains("EPSG:4528"), "{e}");
    // Zone 39's eastings under zone 40's code: pointed to zone 39's.
    let e = prefixed
        .to_wgs84(39_534_231.0, 3_993_376.0)
        .expect_err("zone 39");
    assert!(e.contains("zone 39") && e.contains("EPSG:4527"), "{e}");
    // Northing first, with or without the prefix: said so, under either code.
    for (c, x, y) in [
        (&unprefixed, 3_993_376.0, 534_231.0),
        (&prefixed, 3_993_376.0, 40_534_231.0),
    ] {
        let e = c.to_wgs84(x, y).expect_err("swapped");
        assert!(e.contains("northing first"), "{e}");
    }
}

#[test]
fn positions_that_are_not_what_was_declared_are_refused_with_a_hint() {
    let notes = Notes::default();
    let wgs = coords(ImportCrs::Wgs84, &notes);
    assert!(wgs.to_wgs84(120.38, 36.07).is_ok());
    let e = wgs.to_wgs84(500_000.0, 3_992_442.5).expect_err("metres");
    assert!(e.contains("projected metres") && e.contains("--crs"), "{e}");
    let e = wgs.to_wgs84(36.07, 120.38).expect_err("swapped");
    assert!(e.contains("swapped"), "{e}");
    let e = wgs.to_wgs84(2.35, 48.85).expect_err("Paris");
    assert!(e.contains("far outside China"), "{e}");
    let e = wgs.to_wgs84(f64::NAN, 36.0).expect_err("NaN");
    assert!(e.contains("not a pair of numbers"), "{e}");
}
