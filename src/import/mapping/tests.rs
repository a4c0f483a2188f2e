use super::*;

#[test]
fn an_empty_mapping_changes_nothing() {
    assert_eq!(parse_mapping("m.ron", "()").ok(), Some(Mapping::default()));
}

#[test]
fn options_may_be_written_bare() {
    let m = parse_mapping(
        "m.ron",
        r#"(
            figures_count: AllBuildings,
            regions: [(table: (file: "人口.xlsx", sheet: "社区"), id: "区划代码", residents: "常住人口")],
            metrics_json: (metrics_in_departments: "metrics", dates: "dates", values: "by_street",
                           district_value: Property("agg")),
        )"#,
    );
    let m = m.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(m.figures_count, FiguresCount::AllBuildings);
    assert_eq!(m.regions[0].table.sheet.as_deref(), Some("社区"));
    assert_eq!(m.regions[0].residents.as_deref(), Some("常住人口"));
    let layout = m.metrics_json.unwrap_or_default();
    assert_eq!(layout.series, "series", "defaults fill what is not given");
    assert_eq!(
        layout.district_value,
        Some(DistrictValue::Property("agg".into()))
    );
}

#[test]
fn a_bad_mapping_names_the_file_line_and_field() {
    let e = parse_mapping(
        "x/mapping.ron",
        "(\n  regions: [(table: (file: \"a.csv\"), idd: \"代码\")],\n)",
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(e.starts_with("x/mapping.ron:2:"), "{e}");
    assert!(e.contains("idd"), "{e}");
}
