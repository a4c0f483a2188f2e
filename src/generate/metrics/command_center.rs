//! The command center at full scale for stress snapshots: 30 units, their categories and
//! thousands of indicators with values for the district and its subdistricts.

use super::{MetricDef, RegionShares, make_metric};
use crate::generate::rng::Rng;
use crate::snapshot::MetricKind::{Amount, Count, Index, Percent};
use crate::snapshot::{Department, Metric};

/// (id, zh, en) of the command center's 30 units.
const UNITS: [(&str, &str, &str); 30] = [
    ("fire", "消防", "Fire & Rescue"),
    ("construction", "住建", "Housing & Construction"),
    ("traffic", "交通", "Traffic"),
    ("police", "公安", "Public Security"),
    ("environment", "环保", "Environment"),
    ("food_drug", "食药监", "Food & Drug"),
    ("civil_affairs", "民政", "Civil Affairs"),
    ("urban_mgmt", "城管", "Urban Management"),
    ("health", "卫健", "Health"),
    ("education", "教育", "Education"),
    ("hr", "人社", "Human Resources"),
    ("market", "市场监管", "Market Regulation"),
    ("emergency", "应急", "Emergency Management"),
    ("water", "水务", "Water"),
    ("parks", "园林", "Parks"),
    ("culture", "文旅", "Culture & Tourism"),
    ("justice", "司法", "Justice"),
    ("petitions", "信访", "Petitions"),
    ("statistics", "统计", "Statistics"),
    ("tax", "税务", "Taxation"),
    ("power", "供电", "Power Supply"),
    ("gas", "燃气", "Gas Supply"),
    ("heating", "供热", "Heating"),
    ("telecom", "通信", "Telecom"),
    ("post", "邮政", "Postal Service"),
    ("weather", "气象", "Weather"),
    ("metro", "地铁", "Metro"),
    ("port", "港口", "Port"),
    ("finance", "金融", "Finance"),
    ("science", "科技", "Science & Technology"),
];

/// The command center at full scale: 30 units, `categories` categories and `items`
/// indicators, with values for the district and its subdistricts.
pub fn command_center(
    rng: &mut Rng,
    regions: &RegionShares,
    last_day: i64,
    categories: usize,
    items: usize,
) -> (Vec<Department>, Vec<Metric>) {
    let mut departments = Vec::new();
    for (i, (id, zh, en)) in UNITS.iter().enumerate() {
        let hue = i as f64 / UNITS.len() as f64;
        let [r, g, b] = hue_to_rgb(hue);
        departments.push(Department {
            id: id.to_string(),
            name: zh.to_string(),
            name_en: en.to_string(),
            color: format!("#{r:02x}{g:02x}{b:02x}"),
        });
    }
    let mut metrics = Vec::with_capacity(items);
    let kinds = [Count, Count, Percent, Amount, Index];
    for k in 0..items {
        let cat = k * categories / items.max(1);
        let dept = cat * UNITS.len() / categories.max(1);
        let (dept_id, dept_zh, dept_en) = UNITS[dept.min(UNITS.len() - 1)];
        let kind = *rng.pick(&kinds);
        let base = match kind {
            Count => rng.range(5.0, 5_000.0).round(),
            Percent => rng.range(60.0, 99.9),
            Index => rng.range(0.5, 3.0),
            Amount => rng.range(1.0, 10_000.0),
        };
        let id = format!("{dept_id}.c{cat:03}.i{k:04}");
        let zh = format!("{dept_zh}类目{cat}指标{k}");
        let en = format!("{dept_en} category {cat} item {k}");
        let def = MetricDef {
            id: &id,
            zh: &zh,
            en: &en,
            unit: if kind == Percent { "%" } else { "" },
            unit_en: if kind == Percent { "%" } else { "" },
            kind,
            base,
            target: None,
        };
        let category = format!("c{cat:03}");
        let mut metric = make_metric(rng, dept_id, &category, &def, regions, last_day);
        // Daily values per region for 3,759 items would triple the file; the command
        // center's own exports carry them only for the ring's heat strips.
        metric.series_by_region.clear();
        metrics.push(metric);
    }
    (departments, metrics)
}

fn hue_to_rgb(h: f64) -> [u8; 3] {
    let f = |n: f64| {
        let k = (n + h * 12.0) % 12.0;
        let v = 0.62 - 0.5 * (k - 3.0).min(9.0 - k).clamp(-1.0, 1.0) * 0.55;
        (v * 255.0).round() as u8
    };
    [f(0.0), f(8.0), f(4.0)]
}
