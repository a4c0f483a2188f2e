//! Generated snapshots: the embedded Shibei demo (real names and codes, synthetic geometry
//! and figures) and deterministic stress snapshots at command-center scale, with schema v2's
//! grids, cases, places, participation and story (`governance`, from random streams of
//! their own).

mod buildings;
mod governance;
pub mod metrics;
mod organic;
mod reference;
pub mod rng;
pub mod shapes;

use crate::geo::{P2, Projection, signed_area};
use crate::snapshot::{
    Building, BuildingUse, Crs, Figures, Level, Polygon, Region, SCHEMA_VERSION, Snapshot,
};
use buildings::{Kind, owner_name, rect, slots};
use metrics::RegionShares;
use reference::{OLD_TOWN, reference};
use rng::Rng;

/// Shibei's centre (WGS 84) and area, residents in the 2020 census.
const CENTRE: (f64, f64) = (120.3745, 36.0870);
const AREA_M2: f64 = 65.4e6;
const RESIDENTS: i64 = 1_096_879;
/// Days since 1970-01-01 of the demo's export date, 2026-11-27.
const EXPORT_DAY: i64 = 20_784;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    pub seed: u64,
    pub buildings: usize,
    /// Owners of record per household (1.0: every household has one owner entry).
    pub owners_per_household: f64,
    /// None: the hall's seven departments; Some((categories, items)): a command center.
    pub command_center: Option<(usize, usize)>,
}

impl Options {
    /// The embedded demo: 10,000 buildings and the seven hall departments.
    pub fn demo() -> Self {
        Self {
            seed: 370_203,
            buildings: 10_000,
            owners_per_household: 0.12,
            command_center: None,
        }
    }

    /// A stress snapshot at command-center scale: 242 categories, 3,759 items and about
    /// 440,000 owner entries for 30,000 buildings.
    pub fn stress(buildings: usize, seed: u64) -> Self {
        Self {
            seed,
            buildings,
            owners_per_household: 1.0,
            command_center: Some((242, 3_759)),
        }
    }
}

/// Distributes `total` over weights as integers that add up exactly (largest remainder).
pub(crate) fn apportion(total: i64, weights: &[f64]) -> Vec<i64> {
    let sum: f64 = weights.iter().sum();
    if weights.is_empty() || sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let raw: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut out: Vec<i64> = raw.iter().map(|r| r.floor() as i64).collect();
    let mut rest = total - out.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| (raw[b] - raw[b].floor()).total_cmp(&(raw[a] - raw[a].floor())));
    for &i in order.iter().cycle().take(weights.len() * 2) {
        if rest <= 0 {
            break;
        }
        out[i] += 1;
        rest -= 1;
    }
    out
}

fn round7(v: f64) -> f64 {
    (v * 1e7).round() / 1e7
}

fn to_polygon(proj: &Projection, exterior: &[P2], holes: &[Vec<P2>]) -> Polygon {
    let ring = |pts: &[P2]| {
        let mut r: Vec<(f64, f64)> = pts
            .iter()
            .map(|p| {
                let (x, y) = proj.to_file(*p);
                (round7(x), round7(y))
            })
            .collect();
        r.dedup();
        if let Some(first) = r.first().copied() {
            r.push(first);
        }
        r
    };
    Polygon {
        exterior: ring(exterior),
        holes: holes.iter().map(|h| ring(h)).collect(),
    }
}

/// Generates a snapshot. The same options always give the same snapshot.
pub fn generate(opts: &Options) -> Snapshot {
    let mut rng = Rng::new(opts.seed);
    let (streets, communities) = reference();
    let proj = Projection::new(Crs::Wgs84, CENTRE);

    let district_poly = shapes::district_outline(&mut rng, AREA_M2);
    let street_weights: Vec<f64> = streets
        .iter()
        .map(|s| {
            let n = communities.iter().filter(|c| c.street == s.code).count() as f64;
            n * rng.range(0.8, 1.2)
        })
        .collect();
    let mut district_poly = district_poly;
    let mut street_polys = shapes::split(&mut rng, district_poly.clone(), &street_weights);

    // Communities per street, and their polygons.
    let mut community_polys: Vec<(usize, usize, Vec<P2>)> = Vec::new(); // (street, row, poly)
    for (si, (street, poly)) in streets.iter().zip(&street_polys).enumerate() {
        let rows: Vec<usize> = communities
            .iter()
            .enumerate()
            .filter(|(_, c)| c.street == street.code)
            .map(|(i, _)| i)
            .collect();
        let weights: Vec<f64> = rows.iter().map(|_| rng.range(0.7, 1.3)).collect();
        for (ci, p) in rows
            .iter()
            .zip(shapes::split(&mut rng, poly.clone(), &weights))
        {
            community_polys.push((si, *ci, shapes::clean(p, 0.05)));
        }
    }

    // Straight cuts become winding borders and the bay side a coastline; buildings keep
    // the lattice of their community's straight shape, inside its winding one.
    let convex: Vec<Vec<P2>> = community_polys.iter().map(|(_, _, p)| p.clone()).collect();
    let mut winding: Vec<Vec<P2>> = convex.clone();
    organic::organic(&mut district_poly, &mut street_polys, &mut winding);
    for ((_, _, p), w) in community_polys.iter_mut().zip(winding) {
        *p = w;
    }

    // Buildings per community, proportional to area.
    let areas: Vec<f64> = community_polys
        .iter()
        .map(|(_, _, p)| signed_area(p).abs() * rng.range(0.75, 1.25))
        .collect();
    let per_community = apportion(opts.buildings as i64, &areas);

    struct Draft {
        community: usize,
        footprint: Vec<P2>,
        hole: Option<Vec<P2>>,
        floors: i64,
        year: i32,
        usage: BuildingUse,
        floor_area: f64,
    }
    let mut drafts: Vec<Draft> = Vec::with_capacity(opts.buildings);
    for (k, (si, _, poly)) in community_polys.iter().enumerate() {
        let old_town = OLD_TOWN.contains(&streets[*si].code.as_str());
        let wanted = per_community[k].max(0) as usize;
        let (found, dir, scale) = slots(&mut rng, &convex[k], poly, wanted);
        for (c, _) in found {
            let kind = Kind::pick(&mut rng, old_town);
            let (len, depth, floors, year, usage) = kind.draw(&mut rng);
            let (len, depth) = (len * scale, depth * scale);
            let jitter = [rng.range(-3.0, 3.0) * scale, rng.range(-3.0, 3.0) * scale];
            let c = [c[0] + jitter[0], c[1] + jitter[1]];
            let footprint = rect(c, dir, len, depth);
            let hole = matches!(kind, Kind::Courtyard).then(|| {
                let mut h = rect(c, dir, len * 0.45, depth * 0.45);
                h.reverse();
                h
            });
            let mut area = len * depth;
            if hole.is_some() {
                area -= len * depth * 0.45 * 0.45;
            }
            drafts.push(Draft {
                community: k,
                footprint,
                hole,
                floors,
                year,
                usage,
                floor_area: (area * floors as f64 * 10.0).round() / 10.0,
            });
        }
    }

    // Residents: the census total spread over residential floor area, exactly.
    let res_area: Vec<f64> = drafts
        .iter()
        .map(|d| {
            if d.usage.is_residential() {
                d.floor_area
            } else {
                0.0
            }
        })
        .collect();
    let residents = apportion(RESIDENTS, &res_area);

    let mut buildings: Vec<Building> = Vec::with_capacity(drafts.len());
    let mut counter = vec![0usize; community_polys.len()];
    for (d, res) in drafts.iter().zip(residents) {
        let (si, ci, _) = &community_polys[d.community];
        let row = &communities[*ci];
        counter[d.community] += 1;
        let n = counter[d.community];
        let households = if res > 0 {
            ((res as f64 / rng.range(2.3, 2.7)).round() as i64).max(1)
        } else {
            0
        };
        let owners = if households > 0 {
            let k = ((households as f64 * opts.owners_per_household).round() as i64).max(1);
            (0..k).map(|_| owner_name(&mut rng)).collect()
        } else {
            Default::default()
        };
        let road_zh = if row.name.trim_end_matches("社区").ends_with('路') {
            row.name.trim_end_matches("社区").to_string()
        } else {
            streets[*si].name.trim_end_matches("街道").to_string()
        };
        let road_en = if road_zh.ends_with('路') && row.name_en.contains(" Road") {
            row.name_en.trim_end_matches(" Community").to_string()
        } else {
            streets[*si]
                .english
                .trim_end_matches(" Subdistrict")
                .to_string()
        };
        let number = n * 2 + 1;
        // Every fourth home has figures per floor (the 3D floor stack); the rest show
        // their totals spread, labelled as such.
        let floor_detail = if d.usage.is_residential() && n.is_multiple_of(4) && households > 0 {
            buildings::floor_detail(
                0x0f1a_5eed ^ ((d.community as u64) << 20) ^ n as u64,
                d.floors,
                households,
                res,
                d.usage == BuildingUse::Mixed,
            )
        } else {
            Vec::new()
        };
        buildings.push(Building {
            id: format!("{}{:04}", row.code, n),
            community: row.code.clone(),
            name: format!("{road_zh}{number}号"),
            name_en: format!("No. {number} {road_en}"),
            footprint: to_polygon(&proj, &d.footprint, d.hole.as_slice()),
            floors: d.floors,
            usage: d.usage,
            floor_area_m2: d.floor_area,
            residents: res,
            households,
            year_built: Some(d.year),
            owners,
            grid: None,
            floor_detail,
        });
    }

    // Regions with figures that are exact sums of their parts.
    let mut figures_by_community: Vec<Figures> = vec![Figures::default(); community_polys.len()];
    for b in &buildings {
        if let Some(k) = community_polys
            .iter()
            .position(|(_, ci, _)| communities[*ci].code == b.community)
        {
            let f = &mut figures_by_community[k];
            if b.usage.is_residential() {
                f.residential_buildings += 1;
                f.floor_area_m2 += b.floor_area_m2;
            }
            f.residents += b.residents;
            f.households += b.households;
        }
    }
    let round_area = |f: &mut Figures| f.floor_area_m2 = (f.floor_area_m2 * 10.0).round() / 10.0;
    let district_id = "370203".to_string();
    let mut regions = Vec::new();
    let mut district_fig = Figures::default();
    let mut street_regions = Vec::new();
    let mut community_regions = Vec::new();
    for (si, (street, poly)) in streets.iter().zip(&street_polys).enumerate() {
        let mut sf = Figures::default();
        for (k, (s, ci, cpoly)) in community_polys.iter().enumerate() {
            if *s != si {
                continue;
            }
            let row = &communities[*ci];
            let mut f = figures_by_community[k];
            round_area(&mut f);
            sf.residential_buildings += f.residential_buildings;
            sf.floor_area_m2 += f.floor_area_m2;
            sf.residents += f.residents;
            sf.households += f.households;
            community_regions.push(Region {
                id: row.code.clone(),
                parent: Some(street.code.clone()),
                level: Level::Community,
                name: row.name.clone(),
                name_en: row.name_en.clone(),
                outline: vec![to_polygon(&proj, cpoly, &[])],
                figures: Some(f),
            });
        }
        round_area(&mut sf);
        district_fig.residential_buildings += sf.residential_buildings;
        district_fig.floor_area_m2 += sf.floor_area_m2;
        district_fig.residents += sf.residents;
        district_fig.households += sf.households;
        street_regions.push(Region {
            id: street.code.clone(),
            parent: Some(district_id.clone()),
            level: Level::Street,
            name: street.name.clone(),
            name_en: street.english.clone(),
            outline: vec![to_polygon(&proj, &shapes::clean(poly.clone(), 0.05), &[])],
            figures: Some(sf),
        });
    }
    round_area(&mut district_fig);
    regions.push(Region {
        id: district_id.clone(),
        parent: None,
        level: Level::District,
        name: "市北区".into(),
        name_en: "Shibei District".into(),
        outline: vec![to_polygon(&proj, &district_poly, &[])],
        figures: Some(district_fig),
    });
    regions.extend(street_regions);
    regions.extend(community_regions);

    // Metric shares follow residents.
    let residents_of = |r: &Region| r.figures.map_or(0, |f| f.residents) as f64;
    let mut shares = RegionShares {
        ids: Vec::new(),
        parent: Vec::new(),
        share: Vec::new(),
        detailed: Vec::new(),
        streets: Vec::new(),
    };
    let detailed_communities = opts.command_center.is_none();
    for (i, r) in regions.iter().enumerate() {
        shares.ids.push(r.id.clone());
        let parent = r
            .parent
            .as_ref()
            .and_then(|p| regions.iter().position(|x| &x.id == p));
        shares.parent.push(parent);
        let share = match parent {
            None => 1.0,
            Some(p) => residents_of(r) / residents_of(&regions[p]).max(1.0),
        };
        shares.share.push(share);
        shares
            .detailed
            .push(r.level != Level::Community || detailed_communities);
        shares.streets.push(r.level == Level::Street);
        let _ = i;
    }
    let (departments, metrics) = match opts.command_center {
        None => metrics::hall(&mut rng, &shares, EXPORT_DAY),
        Some((categories, items)) => {
            metrics::command_center(&mut rng, &shares, EXPORT_DAY, categories, items)
        }
    };

    let mut snapshot = Snapshot {
        schema: SCHEMA_VERSION,
        exported_at: format!("{}T18:00:00+08:00", metrics::date_from_days(EXPORT_DAY)),
        source: if opts.command_center.is_some() {
            format!(
                "citygrid generate --buildings {} --seed {}",
                opts.buildings, opts.seed
            )
        } else {
            "citygrid demo: real Shibei division names and codes (NBS 2023); synthetic geometry and figures".into()
        },
        crs: Crs::Wgs84,
        demo: true,
        regions,
        buildings,
        departments,
        metrics,
        ring: None,
        grids: Vec::new(),
        cases: Vec::new(),
        places: Vec::new(),
        participation: Vec::new(),
        stories: Vec::new(),
    };
    governance::add(&mut snapshot, opts.seed, case_count(opts));
    snapshot
}

/// Cases over 30 days: about 3 per 10 buildings for the demo (3,000 for its 10,000), 5 per
/// 3 at command-center scale (50,000 for 30,000 buildings).
pub fn case_count(opts: &Options) -> usize {
    if opts.command_center.is_some() {
        opts.buildings * 5 / 3
    } else {
        opts.buildings * 3 / 10
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_has_winding_borders_that_still_tile() {
        let s = crate::demo::load_demo()
            .expect("the demo validates")
            .snapshot;
        let communities: Vec<&Region> = s
            .regions
            .iter()
            .filter(|r| r.level == Level::Community)
            .collect();
        let points: usize = communities
            .iter()
            .map(|r| r.outline.iter().map(|p| p.exterior.len()).sum::<usize>())
            .sum();
        // Straight cuts gave 4–8 corners; winding borders carry a point every ~30 m.
        assert!(
            points / communities.len() > 30,
            "{} points per community",
            points / communities.len()
        );
        // Tiling and self-intersection are the validator's: the demo loaded without errors.
    }

    #[test]
    fn apportion_is_exact() {
        let v = apportion(10, &[1.0, 1.0, 1.0]);
        assert_eq!(v.iter().sum::<i64>(), 10);
        assert_eq!(apportion(7, &[0.0, 2.0]), vec![0, 7]);
    }
}
