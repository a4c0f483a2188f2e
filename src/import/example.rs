//! The example export shipped in `data/example-import/`: a slice of the demo snapshot with
//! its grids, places and cases, and the writer that turns a snapshot into an export folder.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

use crate::snapshot::{
    CaseSource, DeadlineTier, Figures, Level, MetricKind, PlaceKind, Polygon, Snapshot, Stage,
};

/// Writes an export folder from a snapshot (used to make the example export).
pub fn export_dir(s: &Snapshot, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let ring = |r: &[(f64, f64)]| Value::Array(r.iter().map(|p| json!([p.0, p.1])).collect());
    let poly = |p: &Polygon| {
        let mut rings = vec![ring(&p.exterior)];
        rings.extend(p.holes.iter().map(|h| ring(h)));
        Value::Array(rings)
    };
    let geometry = |outline: &[Polygon]| {
        if outline.len() == 1 {
            json!({"type": "Polygon", "coordinates": poly(&outline[0])})
        } else {
            json!({"type": "MultiPolygon", "coordinates": outline.iter().map(poly).collect::<Vec<_>>()})
        }
    };
    for (file, level, key) in [
        ("district.geojson", Level::District, "district"),
        ("streets.geojson", Level::Street, "street"),
        ("communities.geojson", Level::Community, "community"),
    ] {
        let features: Vec<Value> = s
            .regions
            .iter()
            .filter(|r| r.level == level)
            .map(|r| {
                let mut props =
                    json!({"id": r.id, "level": key, "name": r.name, "name_en": r.name_en});
                if let Some(p) = &r.parent {
                    props["parent_id"] = json!(p);
                }
                if let Some(f) = &r.figures {
                    props["buildings"] = json!(f.residential_buildings);
                    props["floor_area_m2"] = json!(f.floor_area_m2);
                    props["residents"] = json!(f.residents);
                    props["households"] = json!(f.households);
                }
                json!({"type": "Feature", "properties": props, "geometry": geometry(&r.outline)})
            })
            .collect();
        let fc = json!({"type": "FeatureCollection", "features": features});
        std::fs::write(
            dir.join(file),
            serde_json::to_string_pretty(&fc).unwrap_or_default(),
        )?;
    }
    let features: Vec<Value> = s
        .buildings
        .iter()
        .map(|b| {
            json!({"type": "Feature", "properties": {
                "id": b.id, "parent_id": b.community, "name": b.name, "name_en": b.name_en,
                "floors": b.floors, "residential": b.usage.is_residential(),
                "use": format!("{:?}", b.usage).to_lowercase(),
                "floor_area_m2": b.floor_area_m2, "residents": b.residents,
                "households": b.households, "year_built": b.year_built, "grid": b.grid,
            }, "geometry": geometry(std::slice::from_ref(&b.footprint))})
        })
        .collect();
    let fc = json!({"type": "FeatureCollection", "features": features});
    std::fs::write(
        dir.join("buildings.geojson"),
        serde_json::to_string(&fc).unwrap_or_default(),
    )?;
    let metrics = json!({
        "exported_at": s.exported_at,
        "departments": s.departments.iter().map(|d| json!({"id": d.id, "name": d.name, "name_en": d.name_en, "color": d.color})).collect::<Vec<_>>(),
        "metrics": s.metrics.iter().map(|m| json!({
            "id": m.id, "department": m.department, "name": m.name, "name_en": m.name_en,
            "unit": m.unit, "unit_en": m.unit_en,
            "kind": match m.kind { MetricKind::Count => "count", MetricKind::Percent => "percent", MetricKind::Index => "index", MetricKind::Amount => "amount" },
            "series": m.series.iter().map(|(d, v)| json!({"date": d, "value": v})).collect::<Vec<_>>(),
            "values": m.by_region, "target": m.target,
        })).collect::<Vec<_>>(),
    });
    std::fs::write(
        dir.join("metrics.json"),
        serde_json::to_string_pretty(&metrics).unwrap_or_default(),
    )?;
    if !s.grids.is_empty() {
        let features: Vec<Value> = s
            .grids
            .iter()
            .map(|g| {
                json!({"type": "Feature", "properties": {
                    "id": g.id, "community": g.community, "name": g.name, "name_en": g.name_en,
                    "worker": g.worker, "party_branch": g.party_branch,
                    "party_branch_en": g.party_branch_en,
                    "party_member_households": g.party_member_households,
                    "volunteers": g.volunteers, "residents_online": g.residents_online,
                }, "geometry": geometry(&g.outline)})
            })
            .collect();
        let fc = json!({"type": "FeatureCollection", "features": features});
        std::fs::write(
            dir.join("grids.geojson"),
            serde_json::to_string(&fc).unwrap_or_default(),
        )?;
    }
    if !s.places.is_empty() {
        let features: Vec<Value> = s
            .places
            .iter()
            .map(|p| {
                let kind = match p.kind {
                    PlaceKind::ServiceStation => "service_station",
                    PlaceKind::SocialOrganization => "organization",
                    PlaceKind::PartyServicePoint => "party_service",
                };
                json!({"type": "Feature", "properties": {
                    "id": p.id, "kind": kind, "name": p.name, "name_en": p.name_en,
                    "region": p.region, "services": p.services,
                }, "geometry": {"type": "Point", "coordinates": [p.point.0, p.point.1]}})
            })
            .collect();
        let fc = json!({"type": "FeatureCollection", "features": features});
        std::fs::write(
            dir.join("places.geojson"),
            serde_json::to_string_pretty(&fc).unwrap_or_default(),
        )?;
    }
    if !s.cases.is_empty() {
        std::fs::write(
            dir.join("cases.csv"),
            cases_csv(s).map_err(std::io::Error::other)?,
        )?;
    }
    Ok(())
}

/// The cases as `cases.csv` (the columns `docs/import-format.md` lists).
fn cases_csv(s: &Snapshot) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let stages = Stage::ALL.map(Stage::field);
    let mut header = vec![
        "id",
        "department",
        "category",
        "category_en",
        "source",
        "lon",
        "lat",
        "region",
        "building",
        "deadline",
    ];
    header.extend(stages);
    header.extend(["description", "description_en"]);
    w.write_record(&header)?;
    for c in &s.cases {
        let source = match c.source {
            CaseSource::Patrol => "patrol",
            CaseSource::Hotline => "hotline",
            CaseSource::Camera => "camera",
            CaseSource::App => "app",
        };
        let deadline = match c.deadline {
            DeadlineTier::Urgent => "urgent",
            DeadlineTier::Priority => "priority",
            DeadlineTier::Normal => "normal",
            DeadlineTier::Extended => "extended",
        };
        let mut row = vec![
            c.id.clone(),
            c.department.clone(),
            c.category.clone(),
            c.category_en.clone(),
            source.to_string(),
            c.location.0.to_string(),
            c.location.1.to_string(),
            c.region.clone(),
            c.building.clone().unwrap_or_default(),
            deadline.to_string(),
        ];
        for stage in Stage::ALL {
            row.push(
                c.lifecycle
                    .at(stage)
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
            );
        }
        row.push(c.description.clone());
        row.push(c.description_en.clone());
        w.write_record(&row)?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// The example export shipped in `data/example-import/`: the district, one subdistrict with
/// its communities, eight buildings of each, and two departments' metrics, from the demo.
pub fn example_snapshot() -> Option<Snapshot> {
    let mut s = crate::demo::load_demo().ok()?.snapshot;
    let street = "370203005";
    s.regions.retain(|r| {
        r.level == Level::District || r.id == street || r.parent.as_deref() == Some(street)
    });
    let communities: Vec<String> = s
        .regions
        .iter()
        .filter(|r| r.level == Level::Community)
        .map(|r| r.id.clone())
        .collect();
    let mut kept: BTreeMap<String, usize> = BTreeMap::new();
    s.buildings.retain(|b| {
        let n = kept.entry(b.community.clone()).or_default();
        *n += 1;
        communities.contains(&b.community) && *n <= 8
    });
    for b in &mut s.buildings {
        b.owners.clear();
    }
    // The governance files: the kept communities' grids, their places, and the first 60
    // of their cases. Participation figures and stories have no export file.
    s.grids.retain(|g| communities.contains(&g.community));
    let grids: Vec<String> = s.grids.iter().map(|g| g.id.clone()).collect();
    let here = |region: &String| communities.contains(region) || grids.contains(region);
    s.places.retain(|p| here(&p.region));
    s.cases.retain(|c| here(&c.region));
    s.cases.truncate(60);
    // Snapped to a building the example leaves out: the point stays, the snap goes.
    let kept_buildings: Vec<String> = s.buildings.iter().map(|b| b.id.clone()).collect();
    for c in &mut s.cases {
        if c.building
            .as_ref()
            .is_some_and(|b| !kept_buildings.contains(b))
        {
            c.building = None;
        }
    }
    s.participation.clear();
    s.stories.clear();
    // Figures that add up for what is kept.
    let mut sums: BTreeMap<String, Figures> = BTreeMap::new();
    for b in &s.buildings {
        let f = sums.entry(b.community.clone()).or_default();
        if b.usage.is_residential() {
            f.residential_buildings += 1;
            f.floor_area_m2 += b.floor_area_m2;
        }
        f.residents += b.residents;
        f.households += b.households;
    }
    let mut street_sum = Figures::default();
    for r in &mut s.regions {
        if r.level == Level::Community {
            let f = sums.get(&r.id).copied().unwrap_or_default();
            street_sum.residential_buildings += f.residential_buildings;
            street_sum.floor_area_m2 += f.floor_area_m2;
            street_sum.residents += f.residents;
            street_sum.households += f.households;
            r.figures = Some(f);
        }
    }
    for r in &mut s.regions {
        if r.level != Level::Community {
            r.figures = Some(street_sum);
        }
    }
    let with_cases: Vec<String> = s.cases.iter().map(|c| c.department.clone()).collect();
    s.departments
        .retain(|d| d.id == "fire" || d.id == "police" || with_cases.contains(&d.id));
    s.metrics
        .retain(|m| m.department == "fire" || m.department == "police");
    let ids: Vec<String> = s.regions.iter().map(|r| r.id.clone()).collect();
    for m in &mut s.metrics {
        m.by_region.retain(|k, _| ids.contains(k));
        m.series_by_region.clear();
        m.category.clear();
    }
    s.demo = false;
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_round_trips_with_its_grids_places_and_cases() {
        let s = example_snapshot().expect("the demo loads");
        assert!(!s.grids.is_empty() && !s.places.is_empty() && !s.cases.is_empty());
        let dir = std::env::temp_dir().join(format!("citygrid-example-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        export_dir(&s, &dir).expect("written");
        let back = crate::import::import_dir(&dir, None).map(|i| i.snapshot);
        let back = match back {
            Ok(b) => b,
            Err(crate::import::ImportError::Invalid(r)) => {
                panic!(
                    "{}",
                    r.issues
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n")
                )
            }
            Err(e) => panic!("{e}"),
        };
        assert_eq!(back.grids, s.grids);
        assert_eq!(back.places, s.places);
        assert_eq!(back.cases.len(), s.cases.len());
        for (a, b) in back.cases.iter().zip(&s.cases) {
            assert_eq!(
                (&a.id, &a.region, &a.lifecycle, a.deadline),
                (&b.id, &b.region, &b.lifecycle, b.deadline)
            );
        }
        let grids_of = |x: &Snapshot| {
            x.buildings
                .iter()
                .map(|b| b.grid.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(grids_of(&back), grids_of(&s));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
