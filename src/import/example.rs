//! The example export shipped in `data/example-import/`: a slice of the demo snapshot, and
//! the writer that turns a snapshot into an export folder.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

use crate::snapshot::{Figures, Level, MetricKind, Polygon, Snapshot};

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
                "households": b.households, "year_built": b.year_built,
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
    )
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
        b.grid = None;
    }
    // The GIS export has no governance tables yet (grids.geojson, places.geojson and
    // cases.csv are still to come): the example is the schema-1 part of the demo.
    s.grids.clear();
    s.cases.clear();
    s.places.clear();
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
    s.departments.retain(|d| d.id == "fire" || d.id == "police");
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
