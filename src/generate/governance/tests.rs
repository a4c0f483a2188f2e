//! The generated governance tables: valid, grids that tile, Liaoning Road's figures, the
//! case mix, the story; and the v1 tables of the demo exactly as before v2.

use std::collections::HashMap;

use crate::generate::{Options, case_count, generate};
use crate::snapshot::index::CityData;
use crate::snapshot::{Level, Snapshot, Stage, load, validate};

fn small() -> Snapshot {
    generate(&Options {
        seed: 5,
        buildings: 1_200,
        owners_per_household: 0.05,
        command_center: None,
    })
}

#[test]
fn generated_governance_tables_are_valid_and_complete() {
    let s = small();
    let report = validate(&s);
    assert!(
        !report.has_errors(),
        "{:#?}",
        report.errors().take(8).collect::<Vec<_>>()
    );
    let communities = s
        .regions
        .iter()
        .filter(|r| r.level == Level::Community)
        .count();
    let mut per_community: HashMap<&str, usize> = HashMap::new();
    for g in &s.grids {
        *per_community.entry(g.community.as_str()).or_default() += 1;
    }
    assert_eq!(per_community.len(), communities);
    let liaoning: Vec<_> = s
        .grids
        .iter()
        .filter(|g| g.id.starts_with("370203005"))
        .collect();
    assert_eq!(liaoning.len(), 31);
    assert_eq!(
        liaoning
            .iter()
            .map(|g| g.party_member_households)
            .sum::<i64>(),
        278
    );
    assert_eq!(
        liaoning.iter().map(|g| g.residents_online).sum::<i64>(),
        118_000
    );
    for (c, n) in &per_community {
        if !c.starts_with("370203005") {
            assert!((5..=8).contains(n), "{c}: {n} grids");
        }
    }
    assert!(s.buildings.iter().all(|b| b.grid.is_some()));
    assert!(s.grids.iter().all(|g| !g.worker.is_empty()));
    assert_eq!(
        s.cases.len(),
        case_count(&Options::demo()) * 1_200 / 10_000 + 11
    );
    assert_eq!(s.participation.len(), communities);
    assert!(s.places.len() >= communities * 3);
    assert_eq!(s.stories.len(), 1);
    assert_eq!(s.stories[0].steps.len(), 6);
}

#[test]
fn the_case_mix_is_mostly_closed_with_some_overdue() {
    let s = generate(&Options {
        seed: 9,
        buildings: 10_000,
        owners_per_household: 0.0,
        command_center: None,
    });
    let city = CityData::new(s);
    let gi = &city.index.governance;
    let all = gi.region_case_stats(city.index.district, None);
    let total = f64::from(all.total);
    assert!(all.total > 2_900, "{}", all.total);
    let closed = f64::from(all.closed()) / total;
    let overdue = f64::from(all.overdue) / total;
    assert!((0.8..0.97).contains(&closed), "closed {closed}");
    assert!((0.005..0.08).contains(&overdue), "overdue {overdue}");
    // Every department and every source has cases; urban management the most.
    let s = &city.snapshot;
    let count = |d: &str| s.cases.iter().filter(|c| c.department == d).count();
    for d in &s.departments {
        assert!(count(&d.id) > 0, "{} has no cases", d.id);
    }
    assert!(
        s.departments
            .iter()
            .all(|d| count(&d.id) <= count("urban_mgmt"))
    );
    for src in crate::snapshot::CaseSource::ALL {
        assert!(s.cases.iter().any(|c| c.source == src), "{src:?}");
    }
    // Every stage is someone's current stage.
    for st in Stage::ALL {
        assert!(all.at_stage[st as usize] > 0, "{st:?}");
    }
    // Descriptions carry no personal data: no owner or worker name appears in them.
    let workers: Vec<&str> = s.grids.iter().map(|g| g.worker.as_str()).collect();
    assert!(
        s.cases
            .iter()
            .all(|c| !workers.iter().any(|w| c.description.contains(w)))
    );
}

/// What `tests/common.rs`'s `tiny()` keeps: one subdistrict cut out of a generated snapshot
/// with its grids, cases, places and participation stays valid.
#[test]
fn a_subdistrict_cut_out_stays_valid() {
    let mut s = generate(&Options {
        seed: 5,
        buildings: 400,
        owners_per_household: 0.05,
        command_center: None,
    });
    let street = s
        .regions
        .iter()
        .find(|r| r.level == Level::Street)
        .map(|r| r.id.clone())
        .unwrap_or_default();
    s.regions.retain(|r| {
        r.level == Level::District || r.id == street || r.parent.as_deref() == Some(street.as_str())
    });
    let keep: Vec<String> = s.regions.iter().map(|r| r.id.clone()).collect();
    s.buildings.retain(|b| keep.contains(&b.community));
    s.grids.retain(|g| keep.contains(&g.community));
    let grids: Vec<String> = s.grids.iter().map(|g| g.id.clone()).collect();
    s.cases
        .retain(|c| grids.contains(&c.region) || keep.contains(&c.region));
    s.places
        .retain(|p| grids.contains(&p.region) || keep.contains(&p.region));
    s.participation.retain(|p| keep.contains(&p.community));
    s.stories.clear();
    s.metrics.truncate(3);
    for m in &mut s.metrics {
        m.by_region.retain(|k, _| keep.contains(k));
        m.series_by_region.retain(|k, _| keep.contains(k));
    }
    assert!(!s.grids.is_empty() && !s.cases.is_empty());
    let report = validate(&s);
    assert!(
        !report.has_errors(),
        "{:#?}",
        report.errors().take(8).collect::<Vec<_>>()
    );
}

/// The embedded demo is what the generator makes, and loads without a single finding (the
/// integration test `embedded_demo_matches_the_generator` says the same with Bevy built).
#[test]
fn embedded_demo_is_current_and_clean() {
    let loaded = crate::demo::load_demo();
    let Ok(loaded) = loaded else {
        panic!("{loaded:?}");
    };
    assert!(
        loaded.report.issues.is_empty(),
        "{:#?}",
        loaded.report.issues
    );
    let text = load::to_ron(&generate(&Options::demo())).unwrap_or_default();
    assert!(
        text == crate::demo::DEMO_RON,
        "data/shibei-demo.ron is stale: cargo test --lib --no-default-features -- --ignored regenerate_embedded_demo"
    );
    let s = &loaded.snapshot;
    assert_eq!(s.schema, 2);
    assert!((2_900..3_200).contains(&s.cases.len()), "{}", s.cases.len());
}

#[test]
fn generation_stays_deterministic() {
    assert_eq!(small(), small());
}

/// Where the demo before v2 was saved (`cp data/shibei-demo.ron` before regenerating).
const BEFORE: &str = "/tmp/gov/demo-before.ron";

/// The demo without what v2 added: no new tables, no buildings' grids, the departments it
/// had, schema 1. Its text must equal the demo before v2 byte for byte.
fn as_v1(mut s: Snapshot, departments: usize) -> Snapshot {
    s.schema = 1;
    s.grids.clear();
    s.cases.clear();
    s.places.clear();
    s.participation.clear();
    s.stories.clear();
    for b in &mut s.buildings {
        b.grid = None;
    }
    s.departments.truncate(departments);
    s
}

#[test]
#[ignore = "needs the demo before v2 at /tmp/gov/demo-before.ron"]
fn demo_v1_tables_are_byte_identical_to_before() {
    let Ok(before) = std::fs::read_to_string(BEFORE) else {
        panic!("no {BEFORE}");
    };
    let s = generate(&Options::demo());
    let text = load::to_ron(&as_v1(s, 7)).unwrap_or_default();
    assert!(text == before, "the demo's v1 tables changed");
}

#[test]
#[ignore = "writes data/shibei-demo.ron: run after changing the generator"]
fn regenerate_embedded_demo() {
    let s = generate(&Options::demo());
    let text = load::to_ron(&s).unwrap_or_default();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/shibei-demo.ron");
    assert!(std::fs::write(path, text).is_ok());
}

#[test]
#[ignore = "timing: the 30,000-building stress snapshot with ~50,000 cases"]
fn stress_snapshot_loads_validates_and_indexes() {
    use std::time::Instant;
    let t = Instant::now();
    let s = generate(&Options::stress(30_000, 1));
    let generated = t.elapsed();
    let text = load::to_ron(&s).unwrap_or_default();
    let cases = s.cases.len();
    if let (Some(a), Some(b)) = (text.find("  cases: ["), text.find("  places: [")) {
        eprintln!(
            "cases: {} bytes; first: {}",
            b - a,
            &text[a..(a + 1_200).min(b)]
        );
    }
    drop(s);
    let t = Instant::now();
    let parsed = load::parse_str("stress.ron", &text);
    let parse = t.elapsed();
    let Ok(parsed) = parsed else {
        panic!("{parsed:?}");
    };
    let t = Instant::now();
    let report = validate(&parsed);
    let check = t.elapsed();
    let t = Instant::now();
    let city = CityData::new(parsed);
    let index = t.elapsed();
    assert!(
        !report.has_errors(),
        "{:?}",
        report.errors().take(5).collect::<Vec<_>>()
    );
    let t = Instant::now();
    let gi = &city.index.governance;
    let all: Vec<u32> = (0..cases as u32).collect();
    let clusters =
        crate::scene::clusters::cluster(&gi.case_points, &gi.case_department, &all, 400.0);
    let cluster = t.elapsed();
    eprintln!(
        "stress: {} MB, {cases} cases, {} grids; generate {generated:?}, parse {parse:?}, validate {check:?}, index {index:?}, cluster all {cluster:?} ({} clusters)",
        text.len() / 1_000_000,
        city.snapshot.grids.len(),
        clusters.len()
    );
}
