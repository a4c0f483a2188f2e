//! Schema v2's rules for cases, places, participation and stories, on the fixture of
//! `tests.rs`: one broken copy per rule, each finding naming its table, id and field.

use super::tests::*;
use crate::snapshot::governance::*;
use crate::snapshot::{load, parse_str};
#[test]
fn case_ids_departments_categories_and_descriptions() {
    let f = findings(|s| s.cases[1].id = "SB1".into());
    assert_finding(&f, "error: cases[SB1]: duplicate case id SB1");
    let f = findings(|s| s.cases[1].id.clear());
    assert_finding(&f, "error: cases[#1]: empty id");
    let f = findings(|s| s.cases[1].department = "nobody".into());
    assert_finding(&f, "error: cases[SB2]: department nobody does not exist");
    let f = findings(|s| s.cases[1].category = " ".into());
    assert_finding(&f, "error: cases[SB2]: empty category");
    let f = findings(|s| s.cases[1].description_en.clear());
    assert_finding(&f, "error: cases[SB2]: empty description_en");
    let f = findings(|s| s.cases[1].description = "占道".repeat(80));
    assert_finding(&f, "warning: cases[SB2]: description has 160 characters");
    let f = findings(|s| s.cases[1].description = "请回电13912345678".into());
    assert_finding(
        &f,
        "error: cases[SB2]: description holds what looks like a mobile phone number",
    );
}

#[test]
fn case_regions_exist_and_are_communities_or_grids() {
    let f = findings(|s| s.cases[1].region = "4242".into());
    assert_finding(
        &f,
        "error: cases[SB2]: region 4242 is neither a region nor a grid",
    );
    let f = findings(|s| s.cases[1].region = "370203005".into());
    assert_finding(
        &f,
        "error: cases[SB2]: region 370203005 is a Street; name a community or a grid",
    );
}

#[test]
fn case_locations_lie_inside_their_region_and_are_finite() {
    let f = findings(|s| s.cases[1].location = (1500.0, 500.0));
    assert_finding(
        &f,
        &format!("error: cases[SB2]: location (1500, 500) lies outside its region {C1}"),
    );
    let f = findings(|s| s.cases[0].location = (700.0, 500.0));
    assert_finding(
        &f,
        &format!("error: cases[SB1]: location (700, 500) lies outside its region {G1}"),
    );
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let f = findings(|s| s.cases[1].location = (bad, 500.0));
        assert_finding(&f, "error: cases[SB2]: location (");
        assert_finding(&f, "is not finite or outside");
    }
}

#[test]
fn lifecycle_stages_come_in_order_with_no_gaps() {
    let f = findings(|s| {
        s.cases[0]
            .lifecycle
            .set(Stage::Handled, Some(t("2026-11-20T09:30:00+08:00")))
    });
    assert_finding(
        &f,
        "error: cases[SB1]: lifecycle.handled (2026-11-20T09:30:00+08:00) is before lifecycle.dispatched (2026-11-20T09:40:00+08:00)",
    );
    let f = findings(|s| s.cases[0].lifecycle.set(Stage::Dispatched, None));
    assert_finding(
        &f,
        "error: cases[SB1]: lifecycle.handled is set but lifecycle.dispatched is missing: no stage after a missing one",
    );
    let f = findings(|s| {
        s.cases[1]
            .lifecycle
            .set(Stage::Dispatched, Some(t("2026-11-28T09:00:00+08:00")))
    });
    assert_finding(
        &f,
        "warning: cases[SB2]: lifecycle.dispatched (2026-11-28T09:00:00+08:00) is after exported_at",
    );
}

#[test]
fn a_snapped_building_exists_and_lies_in_the_cases_region() {
    let f = findings(|s| s.cases[0].building = Some("3702030050019999".into()));
    assert_finding(
        &f,
        "error: cases[SB1]: building 3702030050019999 does not exist",
    );
    let f = findings(|s| {
        s.cases[1].building = Some(B1.into());
        s.cases[1].region = G2.into();
    });
    assert_finding(
        &f,
        &format!("error: cases[SB2]: building {B1} does not lie in the case's region {G2}"),
    );
    // Without a grid of its own the building is placed by its footprint.
    let f = findings(|s| {
        s.buildings[0].grid = None;
        s.cases[1].building = Some(B1.into());
        s.cases[1].region = G2.into();
    });
    assert_finding(
        &f,
        &format!("error: cases[SB2]: building {B1} does not lie in the case's region {G2}"),
    );
    let f = findings(|s| s.buildings[0].grid = None);
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn places_name_their_region_and_lie_inside() {
    let f = findings(|s| s.places[0].region = "4242".into());
    assert_finding(
        &f,
        "error: places[P1]: region 4242 is neither a region nor a grid",
    );
    let f = findings(|s| s.places[0].point = (1300.0, 800.0));
    assert_finding(
        &f,
        &format!("error: places[P1]: point (1300, 800) lies outside its region {C1}"),
    );
    let f = findings(|s| s.places[0].point = (f64::NAN, 800.0));
    assert_finding(&f, "error: places[P1]: point (NaN, 800) is not finite");
    let f = findings(|s| s.places[0].services.push(String::new()));
    assert_finding(&f, "error: places[P1]: services[2] is empty");
    let f = findings(|s| s.places.push(s.places[0].clone()));
    assert_finding(&f, "error: places[P1]: duplicate place id P1");
    let f = findings(|s| s.places[0].name.clear());
    assert_finding(&f, "error: places[P1]: empty Chinese name");
}

#[test]
fn participation_names_a_community_once() {
    let f = findings(|s| s.participation[0].community = "4242".into());
    assert_finding(
        &f,
        "error: participation[4242]: community 4242 does not exist",
    );
    let f = findings(|s| s.participation[0].community = "370203005".into());
    assert_finding(
        &f,
        "error: participation[370203005]: community 370203005 is not a region of level Community",
    );
    let f = findings(|s| s.participation.push(s.participation[0].clone()));
    assert_finding(
        &f,
        &format!("error: participation[{C1}]: community {C1} has a second participation row"),
    );
    let f = findings(|s| s.participation[0].organizations = -1);
    assert_finding(
        &f,
        &format!("error: participation[{C1}]: organizations is negative (-1)"),
    );
}

#[test]
fn story_focus_ids_exist_in_their_table() {
    for (focus, table) in [
        (Focus::Region("4242".into()), "region"),
        (Focus::Grid("4242".into()), "grid"),
        (Focus::Case("4242".into()), "case"),
        (Focus::Building("4242".into()), "building"),
    ] {
        let f = findings(|s| s.stories[0].steps[0].focus = focus);
        assert_finding(
            &f,
            &format!("error: stories[S1].steps[0]: focus: {table} 4242 does not exist"),
        );
    }
    for focus in [
        Focus::Region(C1.into()),
        Focus::Case("SB2".into()),
        Focus::Building(B1.into()),
    ] {
        let f = findings(|s| s.stories[0].steps[0].focus = focus);
        assert!(f.is_empty(), "{f:#?}");
    }
}

#[test]
fn story_departments_exist_and_durations_are_positive() {
    let f = findings(|s| s.stories[0].steps[0].departments.push("nobody".into()));
    assert_finding(
        &f,
        "error: stories[S1].steps[0]: departments: department nobody does not exist",
    );
    let f = findings(|s| {
        if let Some(filter) = &mut s.stories[0].steps[0].filter {
            filter.departments.push("nobody".into());
        }
    });
    assert_finding(
        &f,
        "error: stories[S1].steps[0]: filter.departments: department nobody does not exist",
    );
    for bad in [0.0, -3.0, f64::NAN, f64::INFINITY] {
        let f = findings(|s| s.stories[0].steps[0].duration_s = bad);
        assert_finding(
            &f,
            "error: stories[S1].steps[0]: duration_s must be a positive, finite number",
        );
    }
    let f = findings(|s| s.stories[0].steps.clear());
    assert_finding(&f, "error: stories[S1]: a story needs at least one step");
    let f = findings(|s| s.stories[0].steps[0].caption_en.clear());
    assert_finding(&f, "error: stories[S1].steps[0]: empty English caption");
    let f = findings(|s| s.stories[0].title.clear());
    assert_finding(&f, "error: stories[S1]: empty Chinese title");
    let f = findings(|s| s.stories.push(s.stories[0].clone()));
    assert_finding(&f, "error: stories[S1]: duplicate story id S1");
}

#[test]
fn timestamps_that_are_not_iso_8601_are_refused_with_their_place() {
    let text = load::to_ron(&fixture()).unwrap_or_default();
    let broken = text.replacen("2026-11-20T09:20:00+08:00", "2026-11-20 9:20", 1);
    let err = parse_str("t.ron", &broken)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.starts_with("t.ron:") && err.contains("not an ISO 8601 date-time"),
        "{err}"
    );
}

#[test]
fn too_many_grids_in_a_community_are_refused_before_the_scan() {
    let f = findings(|s| {
        // 1,001 strips of 1 m × 1 km tiling nothing: refused by count, not measured.
        s.grids = (0..1_001)
            .map(|k| {
                let x = k as f64;
                grid(&format!("{C1}{k:03}"), C1, square(x, 0.0, x + 1.0, 1000.0))
            })
            .collect();
    });
    assert_finding(
        &f,
        &format!(
            "error: regions[{C1}].grids: the community has 1001 grids, more than 1000; their tiling is not checked"
        ),
    );
    assert!(!f.iter().any(|x| x.contains("uncovered")), "{f:#?}");
}

#[test]
fn many_overlapping_grids_are_named_fifty_at_a_time() {
    let f = findings(|s| {
        // 120 grids covering the whole community: 7,140 overlapping pairs.
        s.grids.retain(|g| g.community != C1);
        s.grids.extend(
            (0..120).map(|k| grid(&format!("{C1}{k:03}"), C1, square(0.0, 0.0, 1000.0, 1000.0))),
        );
        s.buildings.clear();
        s.cases.retain(|c| c.region != G1);
    });
    let overlaps = f.iter().filter(|x| x.contains(": overlaps grids[")).count();
    assert_eq!(overlaps, 50, "{f:#?}");
    assert_finding(
        &f,
        &format!("error: regions[{C1}].grids: …and 7090 more pairs of overlapping grids"),
    );
}

#[test]
fn a_stray_polygon_far_away_does_not_hide_the_tiling() {
    let f = findings(|s| {
        // G2 leaves a gap and gains a tiny second polygon 100 km away.
        let g2 = grid_mut(s, G2);
        g2.outline = square(600.0, 0.0, 1000.0, 1000.0);
        g2.outline
            .extend(square(100_000.0, 100_000.0, 100_001.0, 100_001.0));
    });
    assert_finding(
        &f,
        &format!(
            "error: regions[{C1}].grids: the community's grids leave about 100000 m² uncovered, around (550.0, 500.0)"
        ),
    );
    assert_finding(
        &f,
        &format!(
            "error: grids[{G2}].outline: reaches 99001 m beyond the bounds of its community {C1}"
        ),
    );
}

#[test]
fn exported_at_needs_an_offset_when_v2_tables_have_rows() {
    for bad in ["2026-11-27", "2026-11-27T18:00:00"] {
        let f = findings(|s| s.exported_at = bad.into());
        assert_finding(
            &f,
            "error: exported_at: needs a time with its UTC offset (e.g. 2026-11-27T18:00:00+08:00); overdue cases are measured from it",
        );
    }
}

#[test]
fn stage_times_far_in_the_future_or_past_are_errors_long_handling_warned_once() {
    let f = findings(|s| {
        s.cases[1]
            .lifecycle
            .set(Stage::Dispatched, Some(t("2026-11-29T09:00:00+08:00")));
    });
    assert_finding(
        &f,
        "error: cases[SB2]: lifecycle.dispatched (2026-11-29T09:00:00+08:00) is after exported_at (2026-11-27T18:00:00+08:00) by more than a day",
    );
    let f = findings(|s| {
        s.cases[1].lifecycle = Lifecycle::reported(t("1969-12-31T00:00:00+08:00"));
    });
    assert_finding(
        &f,
        "error: cases[SB2]: lifecycle.reported (1969-12-31T00:00:00+08:00) is before 1970 or after 2200",
    );
    let f = findings(|s| {
        let l = &mut s.cases[0].lifecycle;
        l.set(Stage::Reported, Some(t("2024-11-20T09:00:00+08:00")));
        l.set(Stage::Verified, Some(t("2026-11-28T09:00:00+08:00")));
        l.set(Stage::Closed, Some(t("2026-11-28T10:00:00+08:00")));
    });
    let sb1: Vec<_> = f
        .iter()
        .filter(|x| x.starts_with("warning: cases[SB1]"))
        .collect();
    assert_eq!(sb1.len(), 1, "{f:#?}");
    assert!(sb1[0].contains("lifecycle.verified"), "{f:#?}");
    let f = findings(|s| {
        s.cases[0]
            .lifecycle
            .set(Stage::Reported, Some(t("2024-11-20T09:00:00+08:00")));
    });
    assert_finding(
        &f,
        "warning: cases[SB1]: handling took over a year (lifecycle.reported 2024-11-20T09:00:00+08:00",
    );
}

#[test]
fn personal_numbers_in_free_text_are_errors_naming_table_id_and_field() {
    let f = findings(|s| s.cases[1].description = "住户电话 139-1234-5678".into());
    assert_finding(
        &f,
        "error: cases[SB2]: description holds what looks like a mobile phone number",
    );
    let f = findings(|s| s.places[0].name_en = "Call 0532 8288 1234".into());
    assert_finding(
        &f,
        "error: places[P1]: name_en holds what looks like a phone number with its area code",
    );
    let f = findings(|s| s.stories[0].steps[0].caption = "身份证370203199001011234".into());
    assert_finding(
        &f,
        "error: stories[S1].steps[0]: caption holds what looks like an ID-card number",
    );
    // Grid workers' names are masked on screen, not checked; dates pass.
    let f = findings(|s| {
        grid_mut(s, G1).worker = "王建国 13912345678".into();
        s.cases[1].description = "2026-11-03 巡查发现 20261103".into();
    });
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn a_misspelt_field_in_a_v2_table_is_refused_with_its_place() {
    let text = load::to_ron(&fixture()).unwrap_or_default();
    for (from, to) in [
        ("closed:", "closd:"),
        ("volunteers:", "volunteer:"),
        ("services:", "service:"),
        ("duration_s:", "duration:"),
    ] {
        assert!(text.contains(from), "fixture text lacks {from}");
        let broken = text.replacen(from, to, 1);
        let err = parse_str("t.ron", &broken)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        let field = to.split(':').next().unwrap_or_default();
        assert!(
            err.starts_with("t.ron:") && err.contains(field),
            "{to}: {err}"
        );
    }
}

#[test]
fn points_on_a_shared_border_belong_to_both_grids() {
    let f = findings(|s| {
        s.cases.push(case("SB3", "fire", G1, (500.0, 300.0), false));
        s.cases.push(case("SB4", "fire", G2, (500.0, 300.0), false));
        s.cases.push(case("SB5", "fire", G1, (501.5, 300.0), false));
        s.places[0].region = G2.into();
        s.places[0].point = (500.0, 800.0);
    });
    assert!(f.is_empty(), "{f:#?}");
    let f = findings(|s| s.cases.push(case("SB6", "fire", G1, (503.0, 300.0), false)));
    assert_finding(
        &f,
        &format!("error: cases[SB6]: location (503, 300) lies outside its region {G1}"),
    );
}

#[test]
fn a_ring_layout_names_a_department_for_its_case_flows() {
    use crate::snapshot::model::{RingLayout, RingWidget, WidgetKind};
    let widget = |kind, metric: &str| RingWidget {
        kind,
        metric: metric.into(),
        angle_deg: 0.0,
        width_deg: 10.0,
        row: 0,
    };
    let f = findings(|s| {
        s.ring = Some(RingLayout {
            span_deg: 301.0,
            rows: 2,
            widgets: vec![
                widget(WidgetKind::CaseFlow, "fire"),
                RingWidget {
                    row: 1,
                    ..widget(WidgetKind::Participation, "police")
                },
            ],
        });
    });
    assert!(f.is_empty(), "{f:#?}");
    let f = findings(|s| {
        s.ring = Some(RingLayout {
            span_deg: 301.0,
            rows: 2,
            widgets: vec![widget(WidgetKind::CaseFlow, "nobody")],
        });
    });
    assert_finding(
        &f,
        "error: ring.widgets[0]: CaseFlow names department nobody, which does not exist",
    );
}
