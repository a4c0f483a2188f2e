//! The governance files of an export, each optional: `grids.geojson` (网格, Polygons or
//! MultiPolygons), `places.geojson` (Points: service stations, organizations' venues,
//! party-member service points) and `cases.csv` (事件, one row per case with a timestamp
//! column per lifecycle stage). A file that is absent adds nothing; a file that is there
//! must be right, and every problem names the file and the feature or the row and column.

use serde_json::{Map, Value};

use super::geojson::{
    Feature, count_of, features, geometry, point, props, required_string, string_of,
};
use super::{Ctx, Export, ImportError, JsonFile};
use crate::geo::point_in_ring;
use crate::snapshot::{
    Case, CaseSource, DeadlineTier, Grid, Lifecycle, Place, PlaceKind, Point, Polygon, Region,
    Stage, Time,
};

/// A count property, 0 when absent.
fn count_or_zero(c: &Ctx, p: &Map<String, Value>, key: &str) -> Result<i64, ImportError> {
    Ok(count_of(c, p, key)?.unwrap_or(0))
}

/// `grids.geojson`: properties `id`, `community` (or `parent_id`), `name`, `name_en`,
/// optional `worker`, `party_branch`, `party_branch_en`, `party_member_households`,
/// `volunteers`, `residents_online`.
pub(super) fn grids(ex: &Export) -> Result<Vec<Grid>, ImportError> {
    let Some(JsonFile { name: file, value }) = ex.optional_json("grids.geojson")? else {
        return Ok(Vec::new());
    };
    let coords = ex.coords(&file, &value)?;
    let mut out = Vec::new();
    for Feature { place, object: f } in features(&file, &value)? {
        let c = Ctx { file: &file, place };
        let p = props(&c, f)?;
        let id = required_string(&c, p, "id")?;
        let community = string_of(p, "community")
            .or_else(|| string_of(p, "parent_id"))
            .ok_or_else(|| c.err("property `community` (or `parent_id`) is missing"))?;
        let name = required_string(&c, p, "name")?;
        out.push(Grid {
            id,
            community,
            name_en: string_of(p, "name_en").unwrap_or_else(|| name.clone()),
            name,
            outline: geometry(&c, f, &coords)?,
            worker: string_of(p, "worker").unwrap_or_default(),
            party_branch: string_of(p, "party_branch").unwrap_or_default(),
            party_branch_en: string_of(p, "party_branch_en").unwrap_or_default(),
            party_member_households: count_or_zero(&c, p, "party_member_households")?,
            volunteers: count_or_zero(&c, p, "volunteers")?,
            residents_online: count_or_zero(&c, p, "residents_online")?,
        });
    }
    Ok(out)
}

/// The grid (else the community) whose outline holds `p`: the region a case or place
/// without a `region` of its own is given.
fn region_at(p: Point, grids: &[Grid], communities: &[&Region]) -> Option<String> {
    let inside = |outline: &[Polygon]| {
        outline.iter().any(|poly| {
            point_in_ring([p.0, p.1], &ring(&poly.exterior))
                && !poly
                    .holes
                    .iter()
                    .any(|h| point_in_ring([p.0, p.1], &ring(h)))
        })
    };
    grids
        .iter()
        .find(|g| inside(&g.outline))
        .map(|g| g.id.clone())
        .or_else(|| {
            communities
                .iter()
                .find(|r| inside(&r.outline))
                .map(|r| r.id.clone())
        })
}

fn ring(points: &[Point]) -> Vec<[f64; 2]> {
    points.iter().map(|&(x, y)| [x, y]).collect()
}

fn place_kind(c: &Ctx, s: &str) -> Result<PlaceKind, ImportError> {
    match s {
        "service_station" => Ok(PlaceKind::ServiceStation),
        "organization" | "social_organization" => Ok(PlaceKind::SocialOrganization),
        "party_service" | "party_service_point" => Ok(PlaceKind::PartyServicePoint),
        other => Err(c.err(format!(
            "property `kind` is `{other}`: not service_station, organization or party_service"
        ))),
    }
}

/// `places.geojson`: Point features with `id`, `kind`, `name`, `name_en`, optional
/// `region` (found from the point when absent) and `services` (a list, or one text with
/// `;` or `、` between the items).
pub(super) fn places(
    ex: &Export,
    grids: &[Grid],
    communities: &[&Region],
) -> Result<Vec<Place>, ImportError> {
    let Some(JsonFile { name: file, value }) = ex.optional_json("places.geojson")? else {
        return Ok(Vec::new());
    };
    let coords = ex.coords(&file, &value)?;
    let mut out = Vec::new();
    for Feature { place, object: f } in features(&file, &value)? {
        let c = Ctx { file: &file, place };
        let p = props(&c, f)?;
        let g = f
            .get("geometry")
            .and_then(Value::as_object)
            .ok_or_else(|| c.err("has no geometry"))?;
        if g.get("type").and_then(Value::as_str) != Some("Point") {
            return Err(c.err("geometry is not a Point"));
        }
        let at = point(&c, g.get("coordinates").unwrap_or(&Value::Null), &coords)?;
        let region = match string_of(p, "region") {
            Some(r) => r,
            None => region_at(at, grids, communities).ok_or_else(|| {
                c.err(format!(
                    "lies in no grid or community: ({}, {})",
                    at.0, at.1
                ))
            })?,
        };
        let services = match p.get("services") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_str().map(|s| s.trim().to_string()).ok_or_else(|| {
                        c.err("property `services` holds something that is not text")
                    })
                })
                .collect::<Result<_, _>>()?,
            Some(Value::String(s)) => s
                .split([';', '；', '、'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            Some(other) => {
                return Err(c.err(format!(
                    "property `services` is {other}, not a list of texts"
                )));
            }
        };
        let name = required_string(&c, p, "name")?;
        out.push(Place {
            id: required_string(&c, p, "id")?,
            kind: place_kind(&c, &required_string(&c, p, "kind")?)?,
            name_en: string_of(p, "name_en").unwrap_or_else(|| name.clone()),
            name,
            point: at,
            region,
            services,
        });
    }
    Ok(out)
}

/// Columns of `cases.csv` that must be there (a header row names them, in any order).
const CASE_COLUMNS: [&str; 7] = [
    "id",
    "department",
    "category",
    "source",
    "lon",
    "lat",
    "reported",
];

fn case_source(s: &str) -> Option<CaseSource> {
    match s {
        "patrol" | "网格员巡查" => Some(CaseSource::Patrol),
        "hotline" | "12345" | "12345热线" => Some(CaseSource::Hotline),
        "camera" | "视频监控" => Some(CaseSource::Camera),
        "app" | "随手拍" => Some(CaseSource::App),
        _ => None,
    }
}

fn deadline_tier(s: &str) -> Option<DeadlineTier> {
    match s {
        "urgent" => Some(DeadlineTier::Urgent),
        "priority" => Some(DeadlineTier::Priority),
        "" | "normal" => Some(DeadlineTier::Normal),
        "extended" => Some(DeadlineTier::Extended),
        _ => None,
    }
}

/// `cases.csv` (UTF-8, comma-separated, a header row): `id`, `department`, `category`,
/// `source` (patrol, hotline, camera, app), `lon`, `lat`, `reported` and, when reached,
/// `registered`, `dispatched`, `handled`, `verified`, `closed` (ISO 8601 with the UTC
/// offset, `2026-11-03T09:15:00+08:00`); optional `category_en`, `region` (found from the
/// point when absent), `building`, `deadline` (urgent, priority, normal, extended;
/// default normal), `description`, `description_en`.
pub(super) fn cases(
    ex: &Export,
    grids: &[Grid],
    communities: &[&Region],
) -> Result<Vec<Case>, ImportError> {
    let Some(found) = ex.optional("cases.csv")? else {
        return Ok(Vec::new());
    };
    let (file, text) = ex.text(found)?;
    let coords = ex.coords(&file, &Value::Null)?;
    let at = |place: String| Ctx { file: &file, place };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| at("header row".into()).err(e.to_string()))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
    };
    for name in CASE_COLUMNS {
        if column(name).is_none() {
            return Err(at("header row".into()).err(format!("has no column `{name}`")));
        }
    }
    let mut out = Vec::new();
    for (i, row) in reader.records().enumerate() {
        // Row numbers as a spreadsheet shows them: the header is row 1.
        let line = i + 2;
        let row = row.map_err(|e| at(format!("row {line}")).err(e.to_string()))?;
        let get = |name: &str| column(name).and_then(|k| row.get(k)).unwrap_or("");
        let cell = |name: &str| at(format!("row {line}, column `{name}`"));
        let id = get("id").to_string();
        if id.is_empty() {
            return Err(cell("id").err("is empty"));
        }
        let number = |name: &str| -> Result<f64, ImportError> {
            get(name)
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| cell(name).err(format!("`{}` is not a number", get(name))))
        };
        let (lon, lat) = (number("lon")?, number("lat")?);
        let position = point(
            &cell("lon"),
            &Value::Array(vec![lon.into(), lat.into()]),
            &coords,
        )?;
        let source = case_source(get("source")).ok_or_else(|| {
            cell("source").err(format!(
                "`{}` is not patrol, hotline, camera or app",
                get("source")
            ))
        })?;
        let deadline = deadline_tier(get("deadline")).ok_or_else(|| {
            cell("deadline").err(format!(
                "`{}` is not urgent, priority, normal or extended",
                get("deadline")
            ))
        })?;
        let time = |stage: Stage| -> Result<Option<Time>, ImportError> {
            let name = stage.field();
            match get(name) {
                "" => Ok(None),
                text => Time::parse(text).map(Some).ok_or_else(|| {
                    cell(name).err(format!(
                        "`{text}` is not a time like 2026-11-03T09:15:00+08:00"
                    ))
                }),
            }
        };
        let reported = time(Stage::Reported)?.ok_or_else(|| cell("reported").err("is empty"))?;
        let mut lifecycle = Lifecycle::reported(reported);
        for stage in Stage::ALL.into_iter().skip(1) {
            lifecycle.set(stage, time(stage)?);
        }
        let region = match get("region") {
            "" => region_at(position, grids, communities).ok_or_else(|| {
                cell("lon").err(format!(
                    "({lon}, {lat}) lies in no grid or community; give its `region`"
                ))
            })?,
            r => r.to_string(),
        };
        out.push(Case {
            id,
            department: get("department").to_string(),
            category: get("category").to_string(),
            category_en: get("category_en").to_string(),
            source,
            location: position,
            region,
            building: Some(get("building").to_string()).filter(|b| !b.is_empty()),
            lifecycle,
            deadline,
            description: get("description").to_string(),
            description_en: get("description_en").to_string(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::{ExportFile, Source};
    use super::*;

    /// An export of the given reader, read in each file's declared system.
    fn ex(src: Source<'_>) -> Export<'_> {
        Export::new(src)
    }

    fn files<'a>(
        extra: &'a [(&'a str, &'a [u8])],
    ) -> impl Fn(&str) -> Result<ExportFile, ImportError> + 'a {
        super::super::in_memory(extra)
    }

    fn square_grid() -> Grid {
        Grid {
            id: "370203005001001".into(),
            community: "370203005001".into(),
            name: "第1网格".into(),
            name_en: "Grid 1".into(),
            outline: vec![Polygon {
                exterior: vec![
                    (120.0, 36.0),
                    (120.01, 36.0),
                    (120.01, 36.01),
                    (120.0, 36.01),
                    (120.0, 36.0),
                ],
                holes: Vec::new(),
            }],
            worker: String::new(),
            party_branch: String::new(),
            party_branch_en: String::new(),
            party_member_households: 0,
            volunteers: 0,
            residents_online: 0,
        }
    }

    #[test]
    fn absent_files_add_nothing() {
        let src = files(&[]);
        assert!(grids(&ex(&src)).expect("no file").is_empty());
        assert!(places(&ex(&src), &[], &[]).expect("no file").is_empty());
        assert!(cases(&ex(&src), &[], &[]).expect("no file").is_empty());
    }

    #[test]
    fn grids_are_read_with_their_counts() {
        let json = r#"{"type":"FeatureCollection","features":[{"type":"Feature",
            "properties":{"id":"370203005001001","community":"370203005001","name":"第1网格",
              "worker":"王建国","party_branch":"第一网格党支部","volunteers":12},
            "geometry":{"type":"Polygon","coordinates":[[[120,36],[120.01,36],[120.01,36.01],[120,36]]]}}]}"#;
        let list = [("grids.geojson", json.as_bytes())];
        let src = files(&list);
        let g = grids(&ex(&src)).expect("reads");
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].name_en, "第1网格", "the Chinese name stands in");
        assert_eq!(g[0].volunteers, 12);
        assert_eq!(g[0].residents_online, 0);
        let bad = br#"{"type":"FeatureCollection","features":[{"type":"Feature",
            "properties":{"id":"370203005001001","name":"x"},
            "geometry":{"type":"Polygon","coordinates":[[[120,36],[120.01,36],[120,36]]]}}]}"#;
        let err = grids(&ex(&files(&[("grids.geojson", bad)])))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("grids.geojson: feature 0 (id 370203005001001)")
                && err.contains("community"),
            "{err}"
        );
    }

    #[test]
    fn cases_are_read_and_placed_in_their_grid() {
        let csv = "id,department,category,source,lon,lat,reported,registered,closed,deadline,description\n\
                   SB0001,urban_mgmt,占道经营,patrol,120.005,36.005,2026-11-03T09:15:00+08:00,2026-11-03T09:40:00+08:00,2026-11-04T10:00:00+08:00,priority,路口占道经营\n";
        let list = [("cases.csv", csv.as_bytes())];
        let src = files(&list);
        let grid = square_grid();
        let c = cases(&ex(&src), std::slice::from_ref(&grid), &[]).expect("reads");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].region, grid.id);
        assert_eq!(c[0].deadline, DeadlineTier::Priority);
        assert!(c[0].lifecycle.is_closed());
        assert_eq!(c[0].lifecycle.at(Stage::Dispatched), None);
    }

    #[test]
    fn bad_cells_are_named_by_row_and_column() {
        let cases_of = |text: &str| {
            let list = [("cases.csv", text.as_bytes())];
            let src = files(&list);
            cases(&ex(&src), &[square_grid()], &[])
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        let head = "id,department,category,source,lon,lat,reported\n";
        let e = cases_of(&format!(
            "{head}SB1,d,c,patrol,120.005,north,2026-11-03T09:15:00+08:00\n"
        ));
        assert!(
            e.contains("cases.csv: row 2, column `lat`") && e.contains("north"),
            "{e}"
        );
        let e = cases_of(&format!(
            "{head}SB1,d,c,drone,120.005,36.005,2026-11-03T09:15:00+08:00\n"
        ));
        assert!(e.contains("column `source`") && e.contains("drone"), "{e}");
        let e = cases_of(&format!(
            "{head}SB1,d,c,app,120.005,36.005,2026-11-03 09:15\n"
        ));
        assert!(e.contains("column `reported`"), "{e}");
        let e = cases_of(&format!(
            "{head}SB1,d,c,app,121.5,36.005,2026-11-03T09:15:00+08:00\n"
        ));
        assert!(e.contains("lies in no grid or community"), "{e}");
        let e = cases_of("id,department,source,lon,lat,reported\n");
        assert!(e.contains("header row") && e.contains("category"), "{e}");
        let e = cases_of(&format!("{head}SB1,d,c,app,120.005\n"));
        assert!(e.contains("row 2"), "{e}");
    }
}
