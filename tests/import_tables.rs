//! `citygrid import` with a mapping file: region figures, building attributes, metric values
//! and daily series from a spreadsheet with Chinese headers (`tests/fixtures/
//! command-center-tables.xlsx`, written by openpyxl: `scripts/make-xlsx-fixture.py`) and a
//! CSV in GBK; a `metrics.json` laid out as web large-screen generators write it; errors that
//! name the file, sheet, row and column; and the mapping `--write-mapping` proposes.

use std::path::{Path, PathBuf};
use std::process::Command;

use citygrid::import::{ImportOptions, Imported, import_dir, parse_mapping, propose_mapping};
use citygrid::snapshot::{Level, MetricKind, Snapshot};

const EXAMPLE: &str = "data/example-import";
const XLSX: &str = "tests/fixtures/command-center-tables.xlsx";

/// A copy of the example export with the spreadsheet as `统计.xlsx` and `mapping` as its
/// `mapping.ron` (none when empty).
fn export(name: &str, mapping: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("citygrid-tables-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    for e in std::fs::read_dir(EXAMPLE).expect("example") {
        let p = e.expect("entry").path();
        std::fs::copy(&p, d.join(p.file_name().expect("name"))).expect("copy");
    }
    std::fs::copy(XLSX, d.join("统计.xlsx")).expect("copy xlsx");
    if !mapping.is_empty() {
        std::fs::write(d.join("mapping.ron"), mapping).expect("mapping");
    }
    d
}

fn imported(dir: &Path) -> Imported {
    import_dir(dir, ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn error(dir: &Path) -> String {
    match import_dir(dir, ImportOptions::default()) {
        Ok(_) => panic!("{} was imported", dir.display()),
        Err(e) => e.to_string(),
    }
}

fn region<'s>(s: &'s Snapshot, id: &str) -> &'s citygrid::snapshot::Region {
    s.regions.iter().find(|r| r.id == id).expect("region")
}

const MAPPING: &str = r##"// As a curator writes it: options bare, Chinese headers as in the sheet.
(
    figures_count: AllBuildings,
    regions: [(table: (file: "统计.xlsx", sheet: "社区人口"), id: "区划代码", name: "社区名称",
               residents: "常住人口(人)", households: "户数（户）", buildings: "楼栋数",
               floor_area_m2: "建筑面积（㎡）")],
    departments: [(id: "hotline", name: "12345热线", name_en: "12345 Hotline", color: "#3e9bff")],
    metrics: [
        (table: (file: "统计.xlsx", sheet: "各社区指标"), by_region: "社区", district_value: Sum,
         columns: [(column: "火警接警(起)", metric: "fire.alarms"),
                   (column: "垃圾分类参与率（%）", metric: "env.sorting", department: "environment",
                    name_en: "Waste sorting participation")]),
        (table: (file: "统计.xlsx", sheet: "全区日报"), by_date: "日期",
         columns: [(column: "12345热线(件)", metric: "hotline.calls", department: "hotline",
                    name_en: "12345 hotline calls", unit_en: "calls")]),
    ],
)"##;

#[test]
fn figures_and_metrics_come_from_a_spreadsheet_with_chinese_headers() {
    let dir = export("xlsx", MAPPING);
    let Imported { snapshot: s, notes } = imported(&dir);
    let keji = region(&s, "370203005001");
    let f = keji.figures.expect("figures");
    // `1,441` as text in the sheet; `１４６８` in full-width digits; `198户` with its unit.
    assert_eq!(f.residents, 1441);
    assert_eq!(
        region(&s, "370203005004").figures.map(|f| f.residents),
        Some(1468)
    );
    assert_eq!(
        region(&s, "370203005010").figures.map(|f| f.households),
        Some(198)
    );
    // The sheet counts all 8 buildings; the exhibit shows the 6 residential ones.
    let residential: Vec<_> = s
        .buildings
        .iter()
        .filter(|b| b.community == keji.id && b.usage.is_residential())
        .collect();
    assert_eq!(f.residential_buildings, residential.len() as i64);
    assert_eq!(residential.len(), 6);
    let area: f64 = residential.iter().map(|b| b.floor_area_m2).sum();
    assert!((f.floor_area_m2 - area).abs() < 1e-6);
    assert!(
        notes.iter().any(|n| n.contains("count all buildings")),
        "the report says which reading was used: {notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n
                .contains("sheet 社区人口: figures of 6 region(s) read; 1 total row(s) skipped")),
        "{notes:?}"
    );

    let metric = |id: &str| s.metrics.iter().find(|m| m.id == id).expect(id);
    let alarms = metric("fire.alarms");
    assert_eq!(
        alarms.by_region.get("370203005001"),
        Some(&1.0),
        "matched by name"
    );
    assert_eq!(alarms.by_region.get("370203005015"), Some(&6.0));
    assert_eq!(
        alarms.by_region.get("370203"),
        Some(&14.0),
        "metrics.json's district value is kept"
    );
    let sorting = metric("env.sorting");
    assert_eq!(sorting.kind, MetricKind::Percent, "unit % from the header");
    assert_eq!(sorting.unit, "%");
    assert_eq!(sorting.name, "垃圾分类参与率");
    assert_eq!(sorting.by_region.get("370203005001"), Some(&60.5));
    let district = s
        .regions
        .iter()
        .find(|r| r.level == Level::District)
        .expect("district");
    assert_eq!(
        sorting.by_region.get(&district.id),
        Some(&63.0),
        "Sum averages a percentage, over the communities where no subdistrict has a value"
    );
    let calls = metric("hotline.calls");
    assert_eq!(calls.department, "hotline");
    assert_eq!(calls.series.len(), 7, "date cells");
    assert_eq!(calls.series[0], ("2026-11-20".to_string(), 30.0));
    assert_eq!(calls.series[6], ("2026-11-26".to_string(), 36.0));
    assert!(s.departments.iter().any(|d| d.id == "hotline"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_gbk_csv_gives_buildings_their_attributes() {
    let dir = export(
        "csv",
        r#"(buildings: (table: (file: "楼栋.csv"), id: "楼栋编码", floors: "层数",
                          use: "用途", year_built: "建成年份", residents: "居住人口"))"#,
    );
    let csv = "楼栋编码,层数,用途,建成年份,居住人口\r\n\
               3702030050010001,１２层,住宅,1998年,\"1,024\"\r\n\
               3702030050010002,6,商住,2004,\r\n";
    let (gbk, _, bad) = encoding_rs::GBK.encode(csv);
    assert!(!bad);
    std::fs::write(dir.join("楼栋.csv"), &gbk).expect("csv");
    let Imported { snapshot: s, notes } = imported(&dir);
    let b = |id: &str| s.buildings.iter().find(|b| b.id == id).expect(id);
    assert_eq!(b("3702030050010001").floors, 12);
    assert_eq!(b("3702030050010001").year_built, Some(1998));
    assert_eq!(b("3702030050010001").residents, 1024);
    assert!(b("3702030050010001").usage.is_residential());
    assert_eq!(
        b("3702030050010002").usage,
        citygrid::snapshot::BuildingUse::Mixed
    );
    assert!(notes.iter().any(|n| n.contains("read as GBK")), "{notes:?}");
    assert!(
        notes
            .iter()
            .any(|n| n.contains("attributes of 2 building(s)"))
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn bad_tables_are_refused_naming_file_sheet_row_and_column() {
    let case = |name: &str, mapping: &str| error(&export(name, mapping));
    let e = case(
        "comma",
        r#"(regions: [(table: (file: "统计.xlsx", sheet: "错误示例"), id: "区划代码",
                        residents: "常住人口")])"#,
    );
    assert!(
        e.contains("统计.xlsx: sheet 错误示例, row 2, column B (常住人口): `1,23` has a comma"),
        "{e}"
    );
    let e = case(
        "name",
        r#"(regions: [(table: (file: "统计.xlsx", sheet: "错误示例"), name: "社区名称")])"#,
    );
    assert!(
        e.contains("row 2, column C (社区名称): `不存在社区` is no region's id or name"),
        "{e}"
    );
    let e = case(
        "column",
        r#"(regions: [(table: (file: "统计.xlsx", sheet: "社区人口"), id: "区划代码",
                        residents: "人口数")])"#,
    );
    assert!(
        e.contains("sheet 社区人口, header row 2: has no column `人口数`; its columns are `序号`, `社区名称`"),
        "{e}"
    );
    let e = case(
        "sheet",
        r#"(regions: [(table: (file: "统计.xlsx", sheet: "街道"), id: "区划代码")])"#,
    );
    assert!(
        e.contains(
            "has no sheet `街道`; its sheets are `社区人口`, `各社区指标`, `全区日报`, `错误示例`"
        ),
        "{e}"
    );
    let e = case(
        "unit",
        r#"(metrics: [(table: (file: "统计.xlsx", sheet: "各社区指标"), by_region: "社区",
                        columns: [(column: "垃圾分类参与率（%）", metric: "x.y", department: "fire",
                                   unit: "人")])])"#,
    );
    assert!(
        e.contains("row 2, column C (垃圾分类参与率（%）): `60.5%` is not a number"),
        "{e}"
    );
    let e = case(
        "department",
        r#"(metrics: [(table: (file: "统计.xlsx", sheet: "全区日报"), by_date: "日期",
                        columns: [(column: "12345热线(件)", metric: "hotline.calls")])])"#,
    );
    assert!(e.contains("give its `department`"), "{e}");
    let e = case(
        "syntax",
        "(regions: [(table: (file: \"统计.xlsx\"), idd: \"代码\")])",
    );
    assert!(e.contains("mapping.ron:1:") && e.contains("idd"), "{e}");
}

/// A `metrics.json` as ECharts/DataV large-screen generators write it: metrics inside their
/// departments, one `dates` list for bare series numbers, values under `by_street`.
const NESTED_METRICS: &str = r##"{
  "dates": ["2026-11-25", "2026-11-26", "2026-11-27"],
  "departments": [{"id": "fire", "name": "消防", "name_en": "Fire", "color": "#ff5b5b",
    "metrics": [
      {"id": "fire.alarms", "name": "火警接警", "name_en": "Fire alarms", "unit": "起",
       "agg": "sum", "series": [3, 4, 5], "by_street": {"370203005": 12}},
      {"id": "fire.rate", "name": "到场率", "name_en": "On-scene rate", "unit": "%",
       "agg": "mean", "series": [97, 98, 99.5], "by_street": {"370203005": 98.5}, "target": 95}
    ]}]
}"##;

#[test]
fn a_metrics_json_laid_out_by_department_is_read_through_the_mapping() {
    let dir = export("nested", "");
    std::fs::write(dir.join("metrics.json"), NESTED_METRICS).expect("metrics");
    // The example's cases name departments this file does not have.
    std::fs::remove_file(dir.join("cases.csv")).expect("cases");
    let e = error(&dir);
    assert!(
        e.contains("--write-mapping"),
        "the refusal says what to do: {e}"
    );
    std::fs::write(
        dir.join("mapping.ron"),
        r#"(metrics_json: (metrics_in_departments: "metrics", dates: "dates",
                           values: "by_street", district_value: Property("agg")))"#,
    )
    .expect("mapping");
    let Imported { snapshot: s, .. } = imported(&dir);
    assert_eq!(s.metrics.len(), 2);
    let alarms = &s.metrics[0];
    assert_eq!(alarms.department, "fire", "from the department holding it");
    assert_eq!(alarms.series[2], ("2026-11-27".to_string(), 5.0));
    assert_eq!(alarms.by_region.get("370203005"), Some(&12.0));
    assert_eq!(alarms.by_region.get("370203"), Some(&12.0), "agg sum");
    let rate = &s.metrics[1];
    assert_eq!(rate.kind, MetricKind::Percent);
    assert_eq!(rate.by_region.get("370203"), Some(&98.5), "agg mean");
    assert_eq!(rate.target, Some(95.0));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_mapping_is_proposed_from_the_headers_and_imports() {
    let dir = export("propose", "");
    std::fs::write(dir.join("metrics.json"), NESTED_METRICS).expect("metrics");
    // English headers: `id` is not found inside `residents`, nor `use` inside `households`.
    std::fs::write(
        dir.join("figures.csv"),
        "region_id,name,residents,households\n370203005001,科技街社区,800,300\n",
    )
    .expect("csv");
    let (text, found) = propose_mapping(&dir).unwrap_or_else(|e| panic!("{e}"));
    let english = m_regions(&text, "figures.csv");
    assert_eq!(
        english,
        (
            Some("region_id".to_string()),
            Some("residents".to_string()),
            Some("households".to_string())
        )
    );
    assert!(
        found
            .iter()
            .any(|l| l.contains("sheet 散落单元格: left out")),
        "a sheet that cannot be read is left out, the rest proposed: {found:?}"
    );
    let m = parse_mapping("proposed", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let figures = m
        .regions
        .iter()
        .find(|t| t.table.sheet.as_deref() == Some("社区人口"))
        .expect("the figures sheet");
    assert_eq!(figures.table.sheet.as_deref(), Some("社区人口"));
    assert_eq!(figures.id.as_deref(), Some("区划代码"));
    assert_eq!(figures.name.as_deref(), Some("社区名称"));
    assert_eq!(figures.residents.as_deref(), Some("常住人口（人）"));
    assert_eq!(figures.households.as_deref(), Some("户数（户）"));
    assert_eq!(figures.buildings.as_deref(), Some("楼栋数"));
    assert_eq!(figures.floor_area_m2.as_deref(), Some("建筑面积（㎡）"));
    let by_region = m
        .metrics
        .iter()
        .find(|t| t.table.sheet.as_deref() == Some("各社区指标"))
        .expect("metric table");
    assert_eq!(by_region.by_region.as_deref(), Some("社区"));
    assert_eq!(by_region.columns.len(), 2);
    let daily = m
        .metrics
        .iter()
        .find(|t| t.table.sheet.as_deref() == Some("全区日报"))
        .expect("daily table");
    assert_eq!(daily.by_date.as_deref(), Some("日期"));
    let layout = m.metrics_json.clone().expect("metrics.json layout");
    assert_eq!(layout.metrics_in_departments.as_deref(), Some("metrics"));
    assert_eq!(layout.values, "by_street");
    assert!(
        found.iter().any(|l| l.contains("region figures")),
        "{found:?}"
    );

    // Through the command line: written once, never over an existing file.
    let bin = env!("CARGO_BIN_EXE_citygrid");
    let run = |args: &[&str]| Command::new(bin).args(args).output().expect("run");
    let dir_s = dir.to_str().expect("utf-8 path");
    let out = run(&["import", dir_s, "--write-mapping"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read_to_string(dir.join("mapping.ron")).expect("mapping written");
    assert_eq!(written, text);
    let again = run(&["import", dir_s, "--write-mapping"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists and is kept"));
    assert_eq!(
        std::fs::read_to_string(dir.join("mapping.ron")).ok(),
        Some(written)
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn csv_rows_are_named_by_their_line_and_duplicates_refused() {
    let mapping =
        r#"(regions: [(table: (file: "人口.csv"), id: "区划代码", residents: "常住人口")])"#;
    let write = |name: &str, csv: &str| {
        let dir = export(name, mapping);
        std::fs::write(dir.join("人口.csv"), csv).expect("csv");
        dir
    };
    // A title line, a blank line, a quoted value with a comma that groups nothing.
    let dir = write(
        "csv-line",
        "2026年11月社区人口统计\n\n区划代码,常住人口\n370203005001,800\n\n370203005004,\"1,23\"\n",
    );
    let e = error(&dir);
    assert!(
        e.contains("人口.csv: row 6, column `常住人口`: `1,23` has a comma"),
        "the line as an editor numbers it: {e}"
    );
    let dir = write(
        "csv-twice",
        "区划代码,常住人口\n370203005001,800\n370203005001,900\n",
    );
    let e = error(&dir);
    assert!(
        e.contains(
            "row 3, column `区划代码`: a second row for region 370203005001 (the first is row 2)"
        ),
        "{e}"
    );
    let dir = write(
        "csv-total",
        "区划代码,常住人口\n370203005001,800\n合计（辽宁路街道）,800\n",
    );
    let Imported { notes, .. } = imported(&dir);
    assert!(
        notes
            .iter()
            .any(|n| n.contains("figures of 1 region(s) read; 1 total row(s) skipped")),
        "{notes:?}"
    );
}

#[test]
fn a_percentage_in_excels_percent_format_is_read_as_percent() {
    let dir = export(
        "fractions",
        r#"(metrics: [(table: (file: "统计.xlsx", sheet: "办结率"), by_region: "社区",
                       columns: [(column: "办结率", metric: "x.closure", department: "fire",
                                  unit: "%")])])"#,
    );
    let Imported { snapshot: s, notes } = imported(&dir);
    let m = s
        .metrics
        .iter()
        .find(|m| m.id == "x.closure")
        .expect("metric");
    assert_eq!(m.kind, MetricKind::Percent);
    let v = m.by_region.get("370203005001").copied().unwrap_or_default();
    assert!(
        (v - 90.0).abs() < 1e-9,
        "0.9 formatted as 90.0% reads 90: {v}"
    );
    assert!(
        notes.iter().any(|n| n.contains("as fractions")),
        "{notes:?}"
    );
}

/// (id, residents, households) columns of the proposal's region table for `file`.
fn m_regions(text: &str, file: &str) -> (Option<String>, Option<String>, Option<String>) {
    let m = parse_mapping("proposed", text).unwrap_or_else(|e| panic!("{e}"));
    let t = m
        .regions
        .into_iter()
        .find(|t| t.table.file == file)
        .unwrap_or_else(|| panic!("no region table for {file}: {text}"));
    (t.id, t.residents, t.households)
}

#[test]
fn what_a_newcomer_got_wrong_is_refused_with_the_cell() {
    let daily = |name: &str, csv: &str, metric: &str| {
        let mapping = format!(
            r##"(departments: [(id: "hotline", name: "12345热线", name_en: "12345 Hotline", color: "#3e9bff")],
                metrics: [(table: (file: "daily.csv"), by_date: "日期",
                           columns: [(column: "v", metric: "{metric}", department: "hotline",
                                      name_en: "12345 hotline calls", unit: "%")])])"##
        );
        let dir = export(name, &mapping);
        std::fs::write(dir.join("daily.csv"), csv).expect("csv");
        error(&dir)
    };
    let e = daily(
        "no-such-day",
        "日期,v\n2026-11-30,1\n2026-11-31,2\n",
        "hotline.calls",
    );
    assert!(
        e.contains("row 3, column `日期`: `2026-11-31` is not a date"),
        "{e}"
    );
    let e = daily("feb-30", "日期,v\n2026年2月30日,1\n", "hotline.calls");
    assert!(e.contains("`2026年2月30日` is not a date"), "{e}");
    let e = daily("no-date", "日期,v\n2026-11-30,1\n,2\n", "hotline.calls");
    assert!(
        e.contains("row 3, column `日期`: is empty, but the row has a value"),
        "{e}"
    );
    let e = daily("todo", "日期,v\n2026-11-30,1\n", "TODO.m1");
    assert!(e.contains("still says TODO"), "{e}");
}

#[test]
fn a_percent_column_mixing_fractions_and_percentages_is_refused() {
    let dir = export(
        "mixed",
        r#"(metrics: [(table: (file: "统计.xlsx", sheet: "办结率"), by_region: "社区",
                       columns: [(column: "办结率（混）", metric: "x.mixed", department: "fire",
                                  unit: "%")])])"#,
    );
    let e = error(&dir);
    assert!(
        e.contains("row 4, column C (办结率（混）): 95 beside fractions like 0.9"),
        "{e}"
    );
}
