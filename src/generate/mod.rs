//! Generated snapshots: the embedded Shibei demo (real names and codes, synthetic geometry
//! and figures) and deterministic stress snapshots at command-center scale.

pub mod metrics;
pub mod rng;
pub mod shapes;

use crate::geo::{P2, Projection, signed_area};
use crate::snapshot::{
    Building, BuildingUse, Crs, Figures, Level, Polygon, Region, SCHEMA_VERSION, Snapshot,
};
use metrics::RegionShares;
use rng::Rng;

const SUBDISTRICTS_CSV: &str = include_str!("../../data/reference/shibei_subdistricts_2023.csv");
const COMMUNITIES_CSV: &str = include_str!("../../data/reference/shibei_communities_2023.csv");

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

struct StreetRow {
    code: String,
    name: String,
    english: String,
}

struct CommunityRow {
    code: String,
    name: String,
    street: String,
    name_en: String,
}

fn reference() -> (Vec<StreetRow>, Vec<CommunityRow>) {
    let rows = |csv: &'static str| {
        csv.lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.split(',').map(str::to_string).collect::<Vec<_>>())
            .collect::<Vec<_>>()
    };
    let streets = rows(SUBDISTRICTS_CSV)
        .into_iter()
        .filter(|c| c.len() >= 5)
        .map(|c| StreetRow {
            code: c[0].clone(),
            name: c[1].clone(),
            english: c[3].clone(),
        })
        .collect();
    let communities = rows(COMMUNITIES_CSV)
        .into_iter()
        .filter(|c| c.len() >= 5)
        .map(|c| CommunityRow {
            code: c[0].clone(),
            name: c[1].replace("社区居委会", "社区").replace("居委会", ""),
            street: c[2].clone(),
            name_en: c[4].clone(),
        })
        .collect();
    (streets, communities)
}

/// Streets of the old town around the harbour, where the 里院 courtyard houses stand.
const OLD_TOWN: [&str; 7] = [
    "370203005",
    "370203008",
    "370203011",
    "370203019",
    "370203020",
    "370203021",
    "370203022",
];

const SURNAMES: [&str; 40] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "于", "董", "袁", "潘", "蒋", "蔡", "田", "姜",
];
const GIVEN: [&str; 48] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "兰", "文", "建", "国", "红", "海", "燕",
    "鹏", "辉", "波", "宁", "琳", "晨", "旭", "瑞", "欣", "梅", "峰", "雪", "浩", "宇", "婷", "凯",
];

fn owner_name(rng: &mut Rng) -> String {
    let mut s = String::from(*rng.pick(&SURNAMES[..]));
    s.push_str(rng.pick(&GIVEN[..]).as_ref());
    if rng.chance(0.6) {
        s.push_str(rng.pick(&GIVEN[..]).as_ref());
    }
    s
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

/// A building type with its footprint size (metres) and floors.
#[derive(Clone, Copy)]
enum Kind {
    WalkUp,
    Courtyard,
    Tower,
    Shop,
    Office,
    School,
    Works,
}

impl Kind {
    fn pick(rng: &mut Rng, old_town: bool) -> Kind {
        let w: [f64; 7] = if old_town {
            [52.0, 24.0, 5.0, 9.0, 3.0, 4.0, 3.0]
        } else {
            [56.0, 2.0, 20.0, 9.0, 5.0, 4.0, 4.0]
        };
        [
            Kind::WalkUp,
            Kind::Courtyard,
            Kind::Tower,
            Kind::Shop,
            Kind::Office,
            Kind::School,
            Kind::Works,
        ][rng.weighted(&w)]
    }

    /// (length, depth, floors, year, use)
    fn draw(self, rng: &mut Rng) -> (f64, f64, i64, i32, BuildingUse) {
        let year = |rng: &mut Rng, a: i64, b: i64| rng.int(a, b) as i32;
        match self {
            Kind::WalkUp => {
                let floors = *rng.pick(&[5, 6, 6, 6, 5, 4, 7]);
                let usage = if rng.chance(0.12) {
                    BuildingUse::Mixed
                } else {
                    BuildingUse::Residential
                };
                (
                    rng.range(40.0, 66.0),
                    rng.range(11.0, 14.0),
                    floors,
                    year(rng, 1978, 2006),
                    usage,
                )
            }
            Kind::Courtyard => {
                let s = rng.range(22.0, 32.0);
                let floors = if rng.chance(0.15) { 3 } else { 2 };
                (
                    s,
                    s,
                    floors,
                    year(rng, 1905, 1937),
                    BuildingUse::Residential,
                )
            }
            Kind::Tower => (
                rng.range(22.0, 30.0),
                rng.range(18.0, 24.0),
                rng.int(18, 33),
                year(rng, 1998, 2022),
                BuildingUse::Residential,
            ),
            Kind::Shop => (
                rng.range(30.0, 55.0),
                rng.range(18.0, 30.0),
                rng.int(1, 4),
                year(rng, 1985, 2020),
                BuildingUse::Commercial,
            ),
            Kind::Office => (
                rng.range(28.0, 40.0),
                rng.range(20.0, 28.0),
                rng.int(8, 24),
                year(rng, 1995, 2021),
                BuildingUse::Office,
            ),
            Kind::School => (
                rng.range(55.0, 70.0),
                rng.range(16.0, 22.0),
                rng.int(3, 5),
                year(rng, 1960, 2015),
                BuildingUse::Public,
            ),
            Kind::Works => (
                rng.range(45.0, 70.0),
                rng.range(28.0, 40.0),
                rng.int(1, 2),
                year(rng, 1955, 1995),
                BuildingUse::Industrial,
            ),
        }
    }
}

/// Slots for buildings in a convex community polygon: centres on a lattice aligned with
/// the polygon's longest edge, at least `margin` inside; clustered into estates.
fn slots(rng: &mut Rng, poly: &[P2], wanted: usize) -> (Vec<(P2, f64)>, P2, f64) {
    // Align with the longest edge.
    let mut dir = [1.0, 0.0];
    let mut longest = 0.0;
    for i in 0..poly.len() {
        let (a, b) = (poly[i], poly[(i + 1) % poly.len()]);
        let len = (b[0] - a[0]).hypot(b[1] - a[1]);
        if len > longest {
            longest = len;
            dir = [(b[0] - a[0]) / len, (b[1] - a[1]) / len];
        }
    }
    let normal = [-dir[1], dir[0]];
    let area = signed_area(poly).abs();
    let base = (78.0_f64, 48.0_f64);
    let mut scale = ((0.6 * area / wanted.max(1) as f64) / (base.0 * base.1))
        .sqrt()
        .min(1.0);
    let mut found: Vec<(P2, f64)> = Vec::new();
    for _ in 0..12 {
        let (sw, sh) = (base.0 * scale, base.1 * scale);
        let proj = |p: P2, axis: P2| p[0] * axis[0] + p[1] * axis[1];
        let (u0, u1) = poly
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
                (a.min(proj(*p, dir)), b.max(proj(*p, dir)))
            });
        let (v0, v1) = poly
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
                (a.min(proj(*p, normal)), b.max(proj(*p, normal)))
            });
        found.clear();
        let estate_seed = rng.next_u64();
        let cols = ((u1 - u0) / sw) as i64;
        let rows = ((v1 - v0) / sh) as i64;
        for j in 0..=rows {
            for i in 0..=cols {
                let (u, v) = (u0 + (i as f64 + 0.5) * sw, v0 + (j as f64 + 0.5) * sh);
                let c = [dir[0] * u + normal[0] * v, dir[1] * u + normal[1] * v];
                if shapes::inset_distance(poly, c) < 0.55 * sw.max(sh) {
                    continue;
                }
                // Estates of 3×2 slots share a score, so buildings come in clusters.
                let block = ((i / 3) as u64).wrapping_mul(73_856_093)
                    ^ ((j / 2) as u64).wrapping_mul(19_349_663);
                let mut h = Rng::new(estate_seed ^ block);
                let score = h.unit() + 0.35 * rng.unit();
                found.push((c, score));
            }
        }
        if found.len() >= wanted {
            break;
        }
        scale *= 0.85;
    }
    found.sort_by(|a, b| b.1.total_cmp(&a.1));
    found.truncate(wanted);
    // Row-major order for stable ids.
    found.sort_by(|a, b| {
        let key = |p: P2| ((p[1] * normal[1] + p[0] * normal[0]) / 10.0).round();
        key(a.0).total_cmp(&key(b.0)).then(
            (a.0[0] * dir[0] + a.0[1] * dir[1]).total_cmp(&(b.0[0] * dir[0] + b.0[1] * dir[1])),
        )
    });
    (found, dir, scale)
}

fn rect(c: P2, dir: P2, len: f64, depth: f64) -> Vec<P2> {
    let n = [-dir[1], dir[0]];
    let (hl, hd) = (len * 0.5, depth * 0.5);
    [(-hl, -hd), (hl, -hd), (hl, hd), (-hl, hd)]
        .iter()
        .map(|(u, v)| [c[0] + dir[0] * u + n[0] * v, c[1] + dir[1] * u + n[1] * v])
        .collect()
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
    let street_polys = shapes::split(&mut rng, district_poly.clone(), &street_weights);

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
        let (found, dir, scale) = slots(&mut rng, poly, wanted);
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

    Snapshot {
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportion_is_exact() {
        let v = apportion(10, &[1.0, 1.0, 1.0]);
        assert_eq!(v.iter().sum::<i64>(), 10);
        assert_eq!(apportion(7, &[0.0, 2.0]), vec![0, 7]);
    }
}
