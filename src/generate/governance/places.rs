//! Generated places and participation: per community a service station, party-member
//! service points and social organizations' venues inside its grids, and the figures of its
//! online platform (互联社区) scaled to its residents.

use super::super::rng::Rng;
use super::Frame;
use super::locate::Locator;
use crate::snapshot::{Level, Participation, Place, PlaceKind, Snapshot};

/// (zh suffix, English) of social organizations' venues.
const ORGANIZATIONS: [(&str, &str); 6] = [
    ("志愿者协会", "Volunteers' Association"),
    ("老年协会", "Senior Citizens' Association"),
    ("邻里互助会", "Neighbourhood Mutual Aid"),
    ("书画社", "Calligraphy and Painting Club"),
    ("青少年活动站", "Youth Activity Centre"),
    ("调解工作室", "Mediation Studio"),
];

/// Services a place may offer.
const SERVICES: [&str; 12] = [
    "助老餐",
    "法律咨询",
    "心理疏导",
    "四点半课堂",
    "家政服务",
    "健康义诊",
    "政策咨询",
    "便民维修",
    "图书借阅",
    "就业指导",
    "矛盾调解",
    "志愿服务",
];

fn services(rng: &mut Rng, n: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    while out.len() < n {
        let s = rng.pick(&SERVICES).to_string();
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// Places of every community with grids.
pub(super) fn places(rng: &mut Rng, s: &Snapshot, loc: &Locator, frame: &Frame) -> Vec<Place> {
    let mut out = Vec::new();
    for region in s.regions.iter().filter(|r| r.level == Level::Community) {
        let grids: Vec<usize> = (0..s.grids.len())
            .filter(|&g| s.grids[g].community == region.id)
            .collect();
        if grids.is_empty() {
            continue;
        }
        let mut wanted: Vec<(PlaceKind, String, String)> = vec![(
            PlaceKind::ServiceStation,
            format!("{}党群服务中心", region.name),
            format!("{} Service Centre", region.name_en),
        )];
        for k in 1..=rng.int(1, 2) {
            wanted.push((
                PlaceKind::PartyServicePoint,
                format!("{}党员服务点{k}", region.name),
                format!("{} Party-Member Service Point {k}", region.name_en),
            ));
        }
        let short = region.name.trim_end_matches("社区");
        let short_en = region.name_en.trim_end_matches(" Community");
        for _ in 0..rng.int(1, 4) {
            let (zh, en) = *rng.pick(&ORGANIZATIONS);
            let name = format!("{short}{zh}");
            if !wanted.iter().any(|w| w.1 == name) {
                wanted.push((
                    PlaceKind::SocialOrganization,
                    name,
                    format!("{short_en} {en}"),
                ));
            }
        }
        for (kind, name, name_en) in wanted {
            let grid = *rng.pick(&grids);
            let Some(point) = loc.point_in(rng, frame, grid, None) else {
                continue;
            };
            let n = rng.int(2, 5) as usize;
            out.push(Place {
                id: String::new(),
                kind,
                name,
                name_en,
                point,
                region: s.grids[grid].id.clone(),
                services: services(rng, n),
            });
        }
    }
    // Ids unique over the table: community code and a running number per community.
    let mut last: Option<(String, usize)> = None;
    for p in &mut out {
        let community = p.region[..p.region.len().saturating_sub(3)].to_string();
        let k = match &last {
            Some((c, k)) if *c == community => k + 1,
            _ => 1,
        };
        p.id = format!("{community}P{k:02}");
        last = Some((community, k));
    }
    out
}

/// Participation of every community: platform members and households reached scaled to its
/// residents, a few organizations and a dozen or two service items.
pub(super) fn participation(rng: &mut Rng, s: &Snapshot) -> Vec<Participation> {
    s.regions
        .iter()
        .filter(|r| r.level == Level::Community)
        .map(|r| {
            let f = r.figures.unwrap_or_default();
            Participation {
                community: r.id.clone(),
                platform_members: (f.residents as f64 * rng.range(0.25, 0.5)).round() as i64,
                households_reached: (f.households as f64 * rng.range(0.35, 0.55)).round() as i64,
                organizations: rng.int(2, 6),
                service_items: rng.int(8, 30),
            }
        })
        .collect()
}
