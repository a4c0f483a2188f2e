//! Generated buildings: the kinds that stand in Shibei (footprint, floors, age and use;
//! the old town has its courtyard houses), where they stand in a community (a lattice
//! along its longest edge, clustered into estates), and their owners' names.

use super::rng::Rng;
use super::shapes;
use crate::geo::{P2, signed_area};
use crate::snapshot::BuildingUse;

/// A building type with its footprint size (metres) and floors.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    WalkUp,
    Courtyard,
    Tower,
    Shop,
    Office,
    School,
    Works,
}

impl Kind {
    /// A kind at random, as common as such buildings are in the old town or elsewhere.
    pub(super) fn pick(rng: &mut Rng, old_town: bool) -> Kind {
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
    pub(super) fn draw(self, rng: &mut Rng) -> (f64, f64, i64, i32, BuildingUse) {
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

/// Slots for buildings in a community: centres on a lattice over `lattice` (its straight,
/// convex shape) aligned with that shape's longest edge, at least about a building's
/// half-size inside `poly` (its winding shape); clustered into estates.
pub(super) fn slots(
    rng: &mut Rng,
    lattice: &[P2],
    poly: &[P2],
    wanted: usize,
) -> (Vec<(P2, f64)>, P2, f64) {
    // Align with the longest edge.
    let mut dir = [1.0, 0.0];
    let mut longest = 0.0;
    for i in 0..lattice.len() {
        let (a, b) = (lattice[i], lattice[(i + 1) % lattice.len()]);
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
        let (u0, u1) = lattice
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
                (a.min(proj(*p, dir)), b.max(proj(*p, dir)))
            });
        let (v0, v1) = lattice
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

/// A rectangle centred on `c`, `len` along `dir` and `depth` across it (metres).
pub(super) fn rect(c: P2, dir: P2, len: f64, depth: f64) -> Vec<P2> {
    let n = [-dir[1], dir[0]];
    let (hl, hd) = (len * 0.5, depth * 0.5);
    [(-hl, -hd), (hl, -hd), (hl, hd), (-hl, hd)]
        .iter()
        .map(|(u, v)| [c[0] + dir[0] * u + n[0] * v, c[1] + dir[1] * u + n[1] * v])
        .collect()
}

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

/// A Chinese name for an owner of record: a surname and one or two given characters.
pub(super) fn owner_name(rng: &mut Rng) -> String {
    let mut s = String::from(*rng.pick(&SURNAMES[..]));
    s.push_str(rng.pick(&GIVEN[..]).as_ref());
    if rng.chance(0.6) {
        s.push_str(rng.pick(&GIVEN[..]).as_ref());
    }
    s
}

/// Made-up figures per floor for one building of `floors` floors with `households` and
/// `residents` in all (the demo's floor stacks, issue 17): households spread over the floors
/// with some variation (a ground floor of shops has none when the building is mixed use),
/// residents in proportion, a few empty dwellings. The sums are the building's exactly.
/// `seed` makes it repeatable without touching the main random stream (so adding floor
/// figures changed no other figure of the demo).
pub(super) fn floor_detail(
    seed: u64,
    floors: i64,
    households: i64,
    residents: i64,
    shops_below: bool,
) -> Vec<crate::snapshot::FloorFigures> {
    let mut rng = Rng::new(seed);
    let weights: Vec<f64> = (1..=floors)
        .map(|f| {
            if shops_below && f == 1 && floors > 1 {
                0.0
            } else {
                rng.range(0.6, 1.4)
            }
        })
        .collect();
    let hh = super::apportion(households, &weights);
    let hh_weights: Vec<f64> = hh.iter().map(|&h| h as f64).collect();
    let res = super::apportion(residents, &hh_weights);
    hh.iter()
        .zip(res)
        .enumerate()
        .map(
            |(k, (&households, residents))| crate::snapshot::FloorFigures {
                floor: k as i64 + 1,
                households,
                residents,
                vacant_units: if households > 0 && rng.chance(0.3) {
                    rng.int(1, 2)
                } else {
                    0
                },
            },
        )
        .collect()
}
