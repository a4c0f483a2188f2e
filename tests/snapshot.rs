//! The snapshot core: the demo, round trips, every validation rule with its place, and a
//! mutation fuzz that must never panic.

mod common;

use citygrid::generate::{Options, generate};
use citygrid::snapshot::index::CityData;
use citygrid::snapshot::load::{LoadError, parse_bytes};
use citygrid::snapshot::{DEFAULT_SIZE_LIMIT, Level, Severity, parse_str, validate};

#[test]
fn demo_is_valid_shibei_with_census_residents() {
    let loaded = citygrid::demo::load_demo().expect("the embedded demo loads");
    assert!(
        loaded.report.issues.is_empty(),
        "{:?}",
        loaded.report.issues
    );
    let s = &loaded.snapshot;
    assert!(s.demo);
    let count = |l: Level| s.regions.iter().filter(|r| r.level == l).count();
    assert_eq!(count(Level::District), 1);
    assert_eq!(count(Level::Street), 22);
    assert_eq!(count(Level::Community), 137);
    // The hall's seven with their metrics, then the three that only have cases (v2).
    assert_eq!(s.departments.len(), 10);
    let per_dept = |d: &str| s.metrics.iter().filter(|m| m.department == d).count();
    for d in &s.departments[..7] {
        let n = per_dept(&d.id);
        assert!((4..=8).contains(&n), "{} has {n} metrics", d.id);
    }
    assert!(s.metrics.iter().all(|m| m.series.len() == 30));
    let city = CityData::new(s.clone());
    let residents = city.figures(city.index.district).residents;
    assert_eq!(residents, 1_096_879);
    assert_eq!(
        city.index.aggregates[city.index.district].residents,
        residents
    );
    // Real names and codes.
    assert_eq!(
        s.regions[city.index.region_by_id["370203005"]].name,
        "辽宁路街道"
    );
    assert!(
        s.buildings
            .iter()
            .all(|b| b.id.len() == 16 && b.id.starts_with(&b.community))
    );
}

#[test]
fn embedded_demo_matches_the_generator() {
    let generated = citygrid::snapshot::to_ron(&generate(&Options::demo())).expect("encodes");
    assert!(
        generated == citygrid::demo::DEMO_RON,
        "data/shibei-demo.ron is stale: run `cargo run -- generate --demo -o data/shibei-demo.ron`"
    );
}

#[test]
fn save_and_load_round_trip_exactly() {
    let s = common::tiny();
    let text = common::ron(&s);
    let back = parse_str("tiny.ron", &text).expect("parses");
    assert_eq!(back, s);
    assert_eq!(common::ron(&back), text);
}

#[test]
fn stress_generation_is_deterministic_and_valid() {
    let a = generate(&Options::stress(1_500, 7));
    let b = generate(&Options::stress(1_500, 7));
    let c = generate(&Options::stress(1_500, 8));
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(a.buildings.len(), 1_500);
    assert_eq!(a.metrics.len(), 3_759);
    let categories: std::collections::HashSet<_> = a.metrics.iter().map(|m| &m.category).collect();
    assert_eq!(categories.len(), 242);
    let report = validate(&a);
    assert!(
        !report.has_errors(),
        "{:?}",
        report.errors().take(5).collect::<Vec<_>>()
    );
}

/// Replaces the first occurrence of `from` in the snapshot's text and returns the findings.
fn findings_after(from: &str, to: &str) -> Vec<String> {
    let text = common::ron(&common::tiny());
    assert!(text.contains(from), "fixture lacks {from:?}");
    let text = text.replacen(from, to, 1);
    match parse_str("t.ron", &text) {
        Ok(s) => validate(&s).issues.iter().map(|i| i.to_string()).collect(),
        Err(e) => vec![e.to_string()],
    }
}

fn assert_finding(findings: &[String], needle: &str) {
    assert!(
        findings.iter().any(|f| f.contains(needle)),
        "expected a finding containing {needle:?}, got {findings:#?}"
    );
}

#[test]
fn validation_names_table_id_and_problem() {
    let s = common::tiny();
    let street = s.regions[1].id.clone();
    let community = s.regions[2].id.clone();
    let building = s.buildings[0].id.clone();

    // Duplicate region id.
    let f = findings_after(
        &format!("id: \"{community}\""),
        &format!("id: \"{street}\""),
    );
    assert_finding(
        &f,
        &format!("error: regions[{street}]: duplicate region id"),
    );
    // Dangling parent.
    let f = findings_after(
        &format!("parent: Some(\"{street}\")"),
        "parent: Some(\"999999999\")",
    );
    assert_finding(&f, "parent 999999999 does not exist");
    // Dangling community of a building.
    let f = findings_after(
        &format!("community: \"{community}\""),
        "community: \"370203999999\"",
    );
    assert_finding(
        &f,
        &format!("error: buildings[{building}]: community 370203999999 does not exist"),
    );
    // Negative counts.
    let f = findings_after("residents: ", "residents: -");
    assert_finding(&f, "is negative");
    // Empty name.
    let f = findings_after("name_en: \"Shibei District\"", "name_en: \"\"");
    assert_finding(&f, "error: regions[370203]: empty English name");
    // Bad color.
    let f = findings_after("color: \"#", "color: \"#zz");
    assert_finding(&f, "is not of the form #rrggbb");
    // Unknown schema version.
    let f = findings_after("schema: 2", "schema: 3");
    assert_finding(&f, "unknown schema version 3");
    // Non-finite and out-of-range coordinates.
    let f = findings_after("exterior: [(", "exterior: [(NaN, 1.0), (");
    assert_finding(&f, "is not finite or outside");
    let f = findings_after("exterior: [(", "exterior: [(500.0, 1.0), (");
    assert_finding(&f, "outside longitude");
    // Dangling department and region of a metric.
    let f = findings_after("department: \"", "department: \"nobody");
    assert_finding(&f, "does not exist");
    let mut t = common::tiny();
    t.metrics[0].by_region.insert("4242".into(), 1.0);
    let f: Vec<String> = validate(&t).issues.iter().map(|i| i.to_string()).collect();
    assert_finding(
        &f,
        &format!(
            "error: metrics[{}].by_region[4242]: region 4242 does not exist",
            t.metrics[0].id
        ),
    );
    // Totals that disagree: a warning naming both numbers.
    let f = findings_after("residents: 1096879", "residents: 1096880");
    assert_finding(
        &f,
        "warning: regions[370203].figures: residents is 1096880 but the sum over its child regions is",
    );
}

#[test]
fn geometry_problems_are_found() {
    let mut s = common::tiny();
    let id = s.buildings[0].id.clone();
    // Unclosed ring.
    s.buildings[0].footprint.exterior.pop();
    let f: Vec<String> = validate(&s).issues.iter().map(|i| i.to_string()).collect();
    assert_finding(
        &f,
        &format!("buildings[{id}].footprint.exterior: ring is not closed"),
    );
    // Self-intersecting (bow tie).
    let (x, y) = s.buildings[0].footprint.exterior[0];
    s.buildings[0].footprint.exterior = vec![
        (x, y),
        (x + 0.001, y + 0.001),
        (x + 0.001, y),
        (x, y + 0.001),
        (x, y),
    ];
    let f: Vec<String> = validate(&s).issues.iter().map(|i| i.to_string()).collect();
    assert_finding(&f, "ring intersects itself");
    // Fewer than three distinct points.
    s.buildings[0].footprint.exterior = vec![(x, y), (x + 0.001, y), (x, y), (x, y)];
    let f: Vec<String> = validate(&s).issues.iter().map(|i| i.to_string()).collect();
    assert_finding(&f, "fewer than 3 distinct points");
}

#[test]
fn cycles_and_levels_are_found() {
    let mut s = common::tiny();
    // Make the district a child of a community: a cycle, and a district with a parent.
    let community = s.regions[2].id.clone();
    s.regions[0].parent = Some(community);
    let report = validate(&s);
    let f: Vec<String> = report.issues.iter().map(|i| i.to_string()).collect();
    assert_finding(&f, "the district must have no parent");
    assert_finding(&f, "cycle");
    assert!(
        report
            .issues
            .iter()
            .all(|i| i.severity == Severity::Error || i.severity == Severity::Warning)
    );
}

#[test]
fn all_problems_are_reported_at_once() {
    let mut s = common::tiny();
    s.departments[0].color = "red".into();
    s.buildings[0].floors = 0;
    s.buildings[1].households = -3;
    s.regions[1].name.clear();
    let report = validate(&s);
    assert!(report.errors().count() >= 4, "{:#?}", report.issues);
}

#[test]
fn syntax_errors_name_file_line_and_column() {
    let text = common::ron(&common::tiny());
    let broken = text.replacen("level: Street", "level: Streeet", 1);
    let line = broken
        .lines()
        .position(|l| l.contains("Streeet"))
        .map(|i| i + 1)
        .unwrap_or(0);
    let err = parse_str("broken.ron", &broken)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.starts_with(&format!("broken.ron:{line}:")), "{err}");
}

#[test]
fn huge_and_binary_files_are_refused_clearly() {
    let err = parse_bytes("big.ron", &vec![b' '; 2048], 1024).err();
    assert!(matches!(
        err,
        Some(LoadError::TooLarge {
            size: 2048,
            limit: 1024,
            ..
        })
    ));
    let err = parse_bytes("bin.ron", &[0x28, 0xff, 0xfe, 0x00], DEFAULT_SIZE_LIMIT).err();
    let msg = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.starts_with("bin.ron:1:2: not UTF-8"), "{msg}");
}

/// Mutates a valid file thousands of ways; loading must answer with a result, never panic.
#[test]
fn mutation_fuzz_never_panics() {
    let text = common::ron(&common::tiny()).into_bytes();
    let mut rng = citygrid::generate::rng::Rng::new(2026);
    let mut outcomes = [0usize; 2];
    for i in 0..3_000 {
        let mut bytes = text.clone();
        match i % 5 {
            0 => bytes.truncate(rng.int(0, text.len() as i64) as usize),
            1 => {
                for _ in 0..rng.int(1, 8) {
                    let at = rng.int(0, bytes.len() as i64 - 1) as usize;
                    bytes[at] = rng.next_u64() as u8;
                }
            }
            2 => {
                let a = rng.int(0, bytes.len() as i64 - 1) as usize;
                let b = (a + rng.int(1, 400) as usize).min(bytes.len());
                bytes.drain(a..b);
            }
            3 => {
                let a = rng.int(0, bytes.len() as i64 - 1) as usize;
                let b = (a + rng.int(1, 200) as usize).min(bytes.len());
                let span: Vec<u8> = bytes[a..b].to_vec();
                let at = rng.int(0, bytes.len() as i64 - 1) as usize;
                bytes.splice(at..at, span);
            }
            _ => {
                let at = rng.int(0, bytes.len() as i64 - 1) as usize;
                let deep = "[(".repeat(rng.int(1, 5_000) as usize);
                bytes.splice(at..at, deep.into_bytes());
            }
        }
        match parse_bytes("fuzz.ron", &bytes, DEFAULT_SIZE_LIMIT) {
            Ok(s) => {
                let report = validate(&s);
                // Even a snapshot with errors must index without panicking.
                let _ = CityData::new(s);
                outcomes[usize::from(report.has_errors())] += 1;
            }
            Err(e) => {
                assert!(e.to_string().starts_with("fuzz.ron"), "{e}");
                outcomes[1] += 1;
            }
        }
    }
    assert!(
        outcomes[1] > 1_000,
        "most mutations must be refused: {outcomes:?}"
    );
}

#[test]
fn ring_layout_overlaps_are_named_and_many_metrics_warn() {
    use citygrid::snapshot::{RingLayout, RingWidget, WidgetKind};
    let mut s = common::tiny();
    let metric = s.metrics[0].id.clone();
    let w = |angle_deg: f64, width_deg: f64, row: u32| RingWidget {
        kind: WidgetKind::Kpi,
        metric: metric.clone(),
        angle_deg,
        width_deg,
        row,
    };
    s.ring = Some(RingLayout {
        span_deg: 301.0,
        rows: 2,
        widgets: vec![
            w(0.0, 20.0, 0),
            w(30.0, 10.0, 0),
            w(10.0, 5.0, 0),   // inside [0]
            w(35.0, 10.0, 1),  // another row: fine
            w(50.0, 100.0, 0), // wide
            w(140.0, 5.0, 0),  // inside [4], not next to it by angle
            w(60.0, 5.0, 0),   // inside [4]
            w(150.0, 5.0, 0),  // touches [4]'s end: fine
        ],
    });
    let errors: Vec<String> = validate(&s).errors().map(|i| i.to_string()).collect();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert_finding(
        &errors,
        "ring.widgets[2]: overlaps ring.widgets[0] in row 0",
    );
    assert_finding(
        &errors,
        "ring.widgets[5]: overlaps ring.widgets[4] in row 0",
    );
    assert_finding(
        &errors,
        "ring.widgets[6]: overlaps ring.widgets[4] in row 0",
    );

    // No layout and more metrics than the ring shows: a warning says which are shown.
    let mut s = common::tiny();
    let template = s.metrics[0].clone();
    s.metrics = (0..150)
        .map(|i| citygrid::snapshot::Metric {
            id: format!("m{i}"),
            ..template.clone()
        })
        .collect();
    let report = validate(&s);
    assert!(!report.has_errors());
    let warnings: Vec<String> = report.warnings().map(|i| i.to_string()).collect();
    assert_finding(&warnings, "150 metrics: the ring shows 96 of them");
}
