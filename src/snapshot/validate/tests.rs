//! Schema v2's rules, one broken fixture per rule: each finding names its table, the row's
//! id and the field. The fixture is in metres so that areas read plainly: two communities of
//! 1 km², the first in two grids of 500 m × 1 km, the second in one.
//! The fixture and the rules of the schema, the grids and the buildings' grids; the cases,
//! places, participation and stories are in `tests_cases.rs`.

use super::validate;
use crate::snapshot::governance::*;
use crate::snapshot::model::*;
use crate::snapshot::time::Time;
use crate::snapshot::{load, parse_str};

pub(crate) fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<Polygon> {
    vec![Polygon {
        exterior: vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)],
        holes: vec![],
    }]
}

pub(super) fn region(
    id: &str,
    parent: Option<&str>,
    level: Level,
    outline: Vec<Polygon>,
) -> Region {
    Region {
        id: id.into(),
        parent: parent.map(str::to_string),
        level,
        name: format!("区域{id}"),
        name_en: format!("Region {id}"),
        outline,
        figures: None,
    }
}

pub(crate) const C1: &str = "370203005001";
pub(crate) const C2: &str = "370203005004";
pub(crate) const G1: &str = "370203005001001";
pub(crate) const G2: &str = "370203005001002";
pub(crate) const G3: &str = "370203005004001";
pub(crate) const B1: &str = "3702030050010001";

pub(super) fn grid(id: &str, community: &str, outline: Vec<Polygon>) -> Grid {
    Grid {
        id: id.into(),
        community: community.into(),
        name: format!("网格{id}"),
        name_en: format!("Grid {id}"),
        outline,
        worker: "王建国".into(),
        party_branch: "第一网格党支部".into(),
        party_branch_en: "Grid 1 Party Branch".into(),
        party_member_households: 9,
        volunteers: 14,
        residents_online: 3_800,
    }
}

pub(super) fn t(s: &str) -> Time {
    Time::parse(s).unwrap_or(Time(0))
}

pub(super) fn case(
    id: &str,
    department: &str,
    region: &str,
    location: Point,
    closed: bool,
) -> Case {
    let mut lifecycle = Lifecycle::reported(t("2026-11-20T09:00:00+08:00"));
    lifecycle.set(Stage::Registered, Some(t("2026-11-20T09:20:00+08:00")));
    if closed {
        for (stage, at) in [
            (Stage::Dispatched, "2026-11-20T09:40:00+08:00"),
            (Stage::Handled, "2026-11-20T15:00:00+08:00"),
            (Stage::Verified, "2026-11-20T17:00:00+08:00"),
            (Stage::Closed, "2026-11-20T17:30:00+08:00"),
        ] {
            lifecycle.set(stage, Some(t(at)));
        }
    }
    Case {
        id: id.into(),
        department: department.into(),
        category: "消防通道".into(),
        category_en: "Fire lane".into(),
        source: CaseSource::Patrol,
        location,
        region: region.into(),
        building: None,
        lifecycle,
        deadline: DeadlineTier::Priority,
        description: "楼道堆放杂物".into(),
        description_en: "Clutter in a stairwell".into(),
    }
}

/// The valid v2 fixture.
pub(crate) fn fixture() -> Snapshot {
    let department = |id: &str, color: &str| Department {
        id: id.into(),
        name: id.into(),
        name_en: id.into(),
        color: color.into(),
    };
    let mut snapped = case("SB1", "fire", G1, (120.0, 115.0), true);
    snapped.building = Some(B1.into());
    Snapshot {
        schema: SCHEMA_VERSION,
        exported_at: "2026-11-27T18:00:00+08:00".into(),
        source: "test".into(),
        crs: Crs::Metres,
        demo: false,
        regions: vec![
            region(
                "370203",
                None,
                Level::District,
                square(0.0, 0.0, 2000.0, 1000.0),
            ),
            region(
                "370203005",
                Some("370203"),
                Level::Street,
                square(0.0, 0.0, 2000.0, 1000.0),
            ),
            region(
                C1,
                Some("370203005"),
                Level::Community,
                square(0.0, 0.0, 1000.0, 1000.0),
            ),
            region(
                C2,
                Some("370203005"),
                Level::Community,
                square(1000.0, 0.0, 2000.0, 1000.0),
            ),
        ],
        buildings: vec![Building {
            id: B1.into(),
            community: C1.into(),
            name: String::new(),
            name_en: String::new(),
            footprint: square(100.0, 100.0, 140.0, 130.0).remove(0),
            floors: 6,
            usage: BuildingUse::Residential,
            floor_area_m2: 7_200.0,
            residents: 90,
            households: 36,
            year_built: Some(1990),
            owners: Names::default(),
            grid: Some(G1.into()),
            floor_detail: vec![],
        }],
        departments: vec![
            department("fire", "#e5484d"),
            department("police", "#7c7ff7"),
        ],
        metrics: vec![],
        ring: None,
        grids: vec![
            grid(G1, C1, square(0.0, 0.0, 500.0, 1000.0)),
            grid(G2, C1, square(500.0, 0.0, 1000.0, 1000.0)),
            grid(G3, C2, square(1000.0, 0.0, 2000.0, 1000.0)),
        ],
        cases: vec![snapped, case("SB2", "police", C1, (700.0, 500.0), false)],
        places: vec![Place {
            id: "P1".into(),
            kind: PlaceKind::ServiceStation,
            name: "科技街社区党群服务中心".into(),
            name_en: "Keji Street Community Service Centre".into(),
            point: (300.0, 800.0),
            region: C1.into(),
            services: vec!["助老餐".into(), "法律咨询".into()],
        }],
        participation: vec![Participation {
            community: C1.into(),
            platform_members: 3_900,
            households_reached: 2_100,
            organizations: 4,
            service_items: 12,
        }],
        stories: vec![Story {
            id: "S1".into(),
            title: "夜市".into(),
            title_en: "Night market".into(),
            steps: vec![StoryStep {
                caption: "第一步".into(),
                caption_en: "Step one".into(),
                focus: Focus::Grid(G1.into()),
                filter: Some(CaseFilter {
                    departments: vec!["fire".into()],
                    status: StatusFilter::Open,
                }),
                departments: vec!["police".into()],
                duration_s: 8.0,
            }],
        }],
    }
}

/// The findings after `change`, as `severity: place: message` lines.
pub(super) fn findings(change: impl FnOnce(&mut Snapshot)) -> Vec<String> {
    let mut s = fixture();
    change(&mut s);
    validate(&s).issues.iter().map(|i| i.to_string()).collect()
}

#[track_caller]
pub(super) fn assert_finding(findings: &[String], needle: &str) {
    assert!(
        findings.iter().any(|f| f.contains(needle)),
        "expected a finding containing {needle:?}, got {findings:#?}"
    );
}

pub(super) fn grid_mut<'a>(s: &'a mut Snapshot, id: &str) -> &'a mut Grid {
    let Some(g) = s.grids.iter_mut().find(|g| g.id == id) else {
        panic!("fixture lacks grid {id}");
    };
    g
}

#[test]
fn fixture_is_valid_and_round_trips() {
    let s = fixture();
    assert_eq!(validate(&s).issues, vec![]);
    let text = load::to_ron(&s).unwrap_or_default();
    let back = parse_str("f.ron", &text).ok();
    assert_eq!(back.as_ref(), Some(&s));
}

#[test]
fn a_v1_file_loads_unchanged_and_writes_no_v2_tables() {
    let mut s = fixture();
    s.schema = 1;
    s.grids.clear();
    s.cases.clear();
    s.places.clear();
    s.participation.clear();
    s.stories.clear();
    s.buildings[0].grid = None;
    let text = load::to_ron(&s).unwrap_or_default();
    for table in [
        "grids",
        "cases",
        "places",
        "participation",
        "stories",
        "grid:",
    ] {
        assert!(!text.contains(table), "{table} written in {text}");
    }
    let loaded = load::load_bytes("v1.ron", text.as_bytes(), u64::MAX);
    let Ok(loaded) = loaded else {
        panic!("v1 refused: {loaded:?}");
    };
    assert_eq!(loaded.snapshot, s);
    assert!(
        loaded.report.issues.is_empty(),
        "{:?}",
        loaded.report.issues
    );
    assert_eq!(load::to_ron(&loaded.snapshot).ok(), Some(text));
}

#[test]
fn schema_versions_outside_1_to_2_are_refused_and_v1_with_v2_tables_warned() {
    let f = findings(|s| s.schema = 3);
    assert_finding(
        &f,
        "error: schema: unknown schema version 3 (this build reads 1–2)",
    );
    let f = findings(|s| s.schema = 1);
    assert_finding(
        &f,
        "warning: schema: schema 1 file uses tables or fields of schema 2",
    );
}

#[test]
fn grid_ids_communities_names_outlines_and_counts() {
    let f = findings(|s| s.grids[1].id = G1.into());
    assert_finding(&f, &format!("error: grids[{G1}]: duplicate grid id {G1}"));
    let f = findings(|s| s.grids[1].id = " ".into());
    assert_finding(&f, "error: grids[#1]: empty id");
    let f = findings(|s| s.grids[1].id = C2.into());
    assert_finding(
        &f,
        &format!("error: grids[{C2}]: id {C2} is also a region's id"),
    );
    let f = findings(|s| s.grids[1].community = "370203005999".into());
    assert_finding(
        &f,
        &format!("error: grids[{G2}]: community 370203005999 does not exist"),
    );
    let f = findings(|s| s.grids[1].community = "370203005".into());
    assert_finding(
        &f,
        &format!("error: grids[{G2}]: community 370203005 is not a region of level Community"),
    );
    let f = findings(|s| s.grids[1].id = "370203005004009".into());
    assert_finding(
        &f,
        &format!(
            "warning: grids[370203005004009]: id 370203005004009 is not the community code {C1} plus 3 digits"
        ),
    );
    let f = findings(|s| s.grids[1].name_en.clear());
    assert_finding(&f, &format!("error: grids[{G2}]: empty English name"));
    let f = findings(|s| s.grids[1].outline.clear());
    assert_finding(&f, &format!("error: grids[{G2}]: outline has no polygon"));
    let f = findings(|s| s.grids[1].outline[0].exterior[1] = (f64::NAN, 0.0));
    assert_finding(
        &f,
        &format!("error: grids[{G2}].outline[0].exterior[1]: coordinate (NaN, 0)"),
    );
    let f = findings(|s| s.grids[1].volunteers = -1);
    assert_finding(
        &f,
        &format!("error: grids[{G2}]: volunteers is negative (-1)"),
    );
    let f = findings(|s| s.grids[1].party_member_households = -2);
    assert_finding(
        &f,
        &format!("error: grids[{G2}]: party_member_households is negative"),
    );
    let f = findings(|s| s.grids[1].residents_online = -3);
    assert_finding(
        &f,
        &format!("error: grids[{G2}]: residents_online is negative"),
    );
}

#[test]
fn grids_that_overlap_are_named_with_area_and_place() {
    let f = findings(|s| grid_mut(s, G2).outline = square(400.0, 0.0, 1000.0, 1000.0));
    assert_finding(
        &f,
        &format!(
            "error: grids[{G2}].outline: overlaps grids[{G1}] by about 100000 m², around (450.0, 500.0) (tolerance 2000 m²)"
        ),
    );
}

#[test]
fn a_gap_between_grids_is_given_by_area_and_place() {
    let f = findings(|s| grid_mut(s, G2).outline = square(600.0, 0.0, 1000.0, 1000.0));
    assert_finding(
        &f,
        &format!(
            "error: regions[{C1}].grids: the community's grids leave about 100000 m² uncovered, around (550.0, 500.0) (tolerance 2000 m²)"
        ),
    );
}

#[test]
fn a_grid_reaching_outside_its_community_is_named() {
    let f = findings(|s| grid_mut(s, G2).outline = square(500.0, 0.0, 1100.0, 1000.0));
    assert_finding(
        &f,
        &format!(
            "error: grids[{G2}].outline: reaches about 100000 m² outside its community {C1}, around (1050.0, 500.0)"
        ),
    );
}

#[test]
fn slivers_within_the_tolerance_pass() {
    let f = findings(|s| {
        grid_mut(s, G2).outline = square(500.5, 0.0, 1000.0, 1000.0);
    });
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn a_buildings_grid_exists_in_its_community() {
    let f = findings(|s| s.buildings[0].grid = Some("370203005001009".into()));
    assert_finding(
        &f,
        &format!("error: buildings[{B1}]: grid 370203005001009 does not exist"),
    );
    let f = findings(|s| s.buildings[0].grid = Some(G3.into()));
    assert_finding(
        &f,
        &format!(
            "error: buildings[{B1}]: grid {G3} belongs to community {C2}, not to the building's community {C1}"
        ),
    );
}

#[test]
fn floor_detail_is_checked_floor_by_floor_and_against_the_totals() {
    use crate::snapshot::FloorFigures;
    let floor = |floor, households, residents| FloorFigures {
        floor,
        households,
        residents,
        vacant_units: 0,
    };
    // Six floors, 36 households and 90 residents in all: a partial list is fine.
    let f = findings(|s| s.buildings[0].floor_detail = vec![floor(1, 6, 15), floor(6, 6, 15)]);
    assert!(
        !f.iter().any(|x| x.contains("floor_detail")),
        "a valid floor list: {f:?}"
    );
    let f = findings(|s| s.buildings[0].floor_detail = vec![floor(0, 1, 1), floor(7, 1, 1)]);
    assert_finding(
        &f,
        &format!(
            "error: buildings[{B1}].floor_detail[0]: floor 0 is outside 1–6 (the building's floors)"
        ),
    );
    assert_finding(
        &f,
        &format!("error: buildings[{B1}].floor_detail[1]: floor 7 is outside 1–6"),
    );
    let f = findings(|s| s.buildings[0].floor_detail = vec![floor(2, 1, 1), floor(2, 1, 1)]);
    assert_finding(
        &f,
        &format!("error: buildings[{B1}].floor_detail[1]: floor 2 is listed twice"),
    );
    let f = findings(|s| {
        s.buildings[0].floor_detail = vec![
            FloorFigures {
                vacant_units: -1,
                ..floor(1, 30, 50)
            },
            floor(2, 30, 50),
        ]
    });
    assert_finding(
        &f,
        &format!("error: buildings[{B1}].floor_detail[0]: vacant_units is negative (-1)"),
    );
    assert_finding(
        &f,
        &format!(
            "error: buildings[{B1}]: floor_detail counts 100 residents, more than the building's 90"
        ),
    );
    assert_finding(
        &f,
        &format!("error: buildings[{B1}]: floor_detail counts 60 households"),
    );
}
