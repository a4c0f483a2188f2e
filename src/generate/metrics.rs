//! Departments and metrics for generated snapshots: the hall's seven departments with
//! realistic indicators for the demo, or the command center's 30 units, 242 categories and
//! 3,759 items for stress tests.

use std::collections::BTreeMap;

use super::rng::Rng;
use crate::snapshot::{Department, Metric, MetricKind};

/// (id, zh, en, color) of the seven departments on the hall's ring.
pub const HALL_DEPARTMENTS: [(&str, &str, &str, &str); 7] = [
    ("fire", "消防", "Fire & Rescue", "#e5484d"),
    ("construction", "住建", "Housing & Construction", "#f5a524"),
    ("traffic", "交通", "Traffic", "#3e9bff"),
    ("police", "公安", "Public Security", "#7c7ff7"),
    ("environment", "环保", "Environment", "#30c26b"),
    ("food_drug", "食药监", "Food & Drug", "#c66bdc"),
    ("civil_affairs", "民政", "Civil Affairs", "#1fbfb0"),
];

struct MetricDef<'a> {
    id: &'a str,
    zh: &'a str,
    en: &'a str,
    unit: &'a str,
    unit_en: &'a str,
    kind: MetricKind,
    /// District value on the last day.
    base: f64,
    target: Option<f64>,
}

const fn m(
    id: &'static str,
    zh: &'static str,
    en: &'static str,
    unit: &'static str,
    unit_en: &'static str,
    kind: MetricKind,
    base: f64,
    target: Option<f64>,
) -> MetricDef<'static> {
    MetricDef {
        id,
        zh,
        en,
        unit,
        unit_en,
        kind,
        base,
        target,
    }
}

use MetricKind::{Amount, Count, Index, Percent};

const HALL_METRICS: [&[MetricDef<'static>]; 7] = [
    &[
        m(
            "fire.alarms",
            "火警接警",
            "Fire alarms",
            "起",
            "cases",
            Count,
            14.0,
            None,
        ),
        m(
            "fire.inspections",
            "消防检查",
            "Fire inspections",
            "家次",
            "visits",
            Count,
            86.0,
            None,
        ),
        m(
            "fire.hazards_fixed",
            "隐患整改率",
            "Hazards fixed",
            "%",
            "%",
            Percent,
            93.5,
            Some(95.0),
        ),
        m(
            "fire.hydrants_ok",
            "消防栓完好率",
            "Hydrants in order",
            "%",
            "%",
            Percent,
            97.2,
            Some(98.0),
        ),
        m(
            "fire.response_min",
            "平均出警时间",
            "Mean response time",
            "分钟",
            "min",
            Amount,
            6.8,
            Some(8.0),
        ),
        m(
            "fire.highrise",
            "高层建筑",
            "High-rise buildings",
            "栋",
            "bldgs",
            Count,
            1_250.0,
            None,
        ),
    ],
    &[
        m(
            "construction.sites",
            "在建工地",
            "Active sites",
            "个",
            "sites",
            Count,
            64.0,
            None,
        ),
        m(
            "construction.estates",
            "老旧小区改造",
            "Old estates renovated",
            "个",
            "estates",
            Count,
            123.0,
            Some(123.0),
        ),
        m(
            "construction.households",
            "改造惠及户数",
            "Households benefited",
            "户",
            "households",
            Count,
            45_689.0,
            None,
        ),
        m(
            "construction.dust_ok",
            "扬尘监测达标率",
            "Dust readings in limit",
            "%",
            "%",
            Percent,
            96.1,
            Some(95.0),
        ),
        m(
            "construction.illegal_m2",
            "违建拆除面积",
            "Illegal structures removed",
            "m²",
            "m²",
            Amount,
            18_400.0,
            None,
        ),
        m(
            "construction.property_mgmt",
            "物业覆盖率",
            "Property management coverage",
            "%",
            "%",
            Percent,
            88.4,
            Some(90.0),
        ),
    ],
    &[
        m(
            "traffic.accidents",
            "交通事故",
            "Traffic accidents",
            "起",
            "cases",
            Count,
            37.0,
            None,
        ),
        m(
            "traffic.congestion",
            "拥堵指数",
            "Congestion index",
            "",
            "",
            Index,
            1.62,
            Some(1.8),
        ),
        m(
            "traffic.bus_on_time",
            "公交准点率",
            "Buses on time",
            "%",
            "%",
            Percent,
            91.3,
            Some(92.0),
        ),
        m(
            "traffic.parking",
            "公共停车泊位",
            "Public parking spaces",
            "个",
            "spaces",
            Count,
            28_600.0,
            None,
        ),
        m(
            "traffic.violations",
            "违停抓拍",
            "Parking violations",
            "起",
            "cases",
            Count,
            412.0,
            None,
        ),
        m(
            "traffic.peak_speed",
            "早高峰平均车速",
            "Morning peak speed",
            "km/h",
            "km/h",
            Amount,
            23.4,
            None,
        ),
        m(
            "traffic.signals",
            "智能信号灯",
            "Smart traffic lights",
            "处",
            "junctions",
            Count,
            316.0,
            None,
        ),
    ],
    &[
        m(
            "police.calls",
            "110接警",
            "Emergency calls",
            "起",
            "calls",
            Count,
            486.0,
            None,
        ),
        m(
            "police.criminal",
            "刑事案件",
            "Criminal cases",
            "起",
            "cases",
            Count,
            9.0,
            None,
        ),
        m(
            "police.public_order",
            "治安案件",
            "Public-order cases",
            "起",
            "cases",
            Count,
            31.0,
            None,
        ),
        m(
            "police.cameras",
            "视频监控点位",
            "Video feeds",
            "路",
            "feeds",
            Count,
            12_000.0,
            None,
        ),
        m(
            "police.visibility",
            "见警率",
            "Police visibility",
            "%",
            "%",
            Percent,
            82.5,
            Some(85.0),
        ),
        m(
            "police.disputes",
            "矛盾纠纷化解",
            "Disputes resolved",
            "件",
            "cases",
            Count,
            58.0,
            None,
        ),
        m(
            "police.patrol_km",
            "巡逻里程",
            "Patrol distance",
            "公里",
            "km",
            Amount,
            2_140.0,
            None,
        ),
        m(
            "police.satisfaction",
            "群众安全感",
            "Residents feeling safe",
            "%",
            "%",
            Percent,
            98.1,
            Some(98.0),
        ),
    ],
    &[
        m(
            "environment.good_days",
            "空气优良天数比例",
            "Days of good air",
            "%",
            "%",
            Percent,
            86.3,
            Some(85.0),
        ),
        m(
            "environment.pm25",
            "PM2.5浓度",
            "PM2.5",
            "µg/m³",
            "µg/m³",
            Amount,
            29.0,
            Some(35.0),
        ),
        m(
            "environment.noise",
            "噪声投诉",
            "Noise complaints",
            "件",
            "cases",
            Count,
            23.0,
            None,
        ),
        m(
            "environment.sorting",
            "垃圾分类覆盖率",
            "Waste sorting coverage",
            "%",
            "%",
            Percent,
            95.6,
            Some(100.0),
        ),
        m(
            "environment.green",
            "绿化覆盖率",
            "Green cover",
            "%",
            "%",
            Percent,
            38.7,
            Some(40.0),
        ),
    ],
    &[
        m(
            "food_drug.samples",
            "食品抽检",
            "Food samples tested",
            "批次",
            "batches",
            Count,
            220.0,
            None,
        ),
        m(
            "food_drug.pass_rate",
            "抽检合格率",
            "Samples passed",
            "%",
            "%",
            Percent,
            98.4,
            Some(98.0),
        ),
        m(
            "food_drug.restaurants",
            "餐饮单位",
            "Food businesses",
            "家",
            "businesses",
            Count,
            6_820.0,
            None,
        ),
        m(
            "food_drug.complaints",
            "投诉举报",
            "Complaints",
            "件",
            "cases",
            Count,
            41.0,
            None,
        ),
        m(
            "food_drug.bright_kitchens",
            "明厨亮灶覆盖率",
            "Open-kitchen coverage",
            "%",
            "%",
            Percent,
            91.0,
            Some(95.0),
        ),
    ],
    &[
        m(
            "civil_affairs.elderly",
            "60岁以上老人",
            "Residents aged 60+",
            "人",
            "people",
            Count,
            273_000.0,
            None,
        ),
        m(
            "civil_affairs.subsistence",
            "低保户",
            "Subsistence households",
            "户",
            "households",
            Count,
            3_950.0,
            None,
        ),
        m(
            "civil_affairs.care_stations",
            "养老服务站",
            "Elderly care stations",
            "个",
            "stations",
            Count,
            137.0,
            None,
        ),
        m(
            "civil_affairs.volunteer_h",
            "志愿服务时长",
            "Volunteer hours",
            "小时",
            "hours",
            Amount,
            15_800.0,
            None,
        ),
        m(
            "civil_affairs.activities",
            "社区活动",
            "Community events",
            "场",
            "events",
            Count,
            96.0,
            None,
        ),
        m(
            "civil_affairs.meals",
            "助餐服务",
            "Meals for seniors",
            "份",
            "meals",
            Count,
            5_400.0,
            None,
        ),
    ],
];

/// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
pub fn date_from_days(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}

/// Region weights for spreading counts: (region id, share of its parent, parent index or
/// None for the district). Regions come district first, then streets, then communities.
pub struct RegionShares {
    pub ids: Vec<String>,
    pub parent: Vec<Option<usize>>,
    /// Share of the parent's count (sums to 1 over siblings).
    pub share: Vec<f64>,
    /// Whether by_region values go down to this region.
    pub detailed: Vec<bool>,
    /// Whether the region is a subdistrict (daily series are made for those).
    pub streets: Vec<bool>,
}

/// Number of daily points in generated series.
pub const SERIES_DAYS: i64 = 30;

fn make_metric(
    rng: &mut Rng,
    dept: &str,
    category: &str,
    def: &MetricDef<'_>,
    regions: &RegionShares,
    last_day: i64,
) -> Metric {
    let mut series = Vec::with_capacity(SERIES_DAYS as usize);
    let phase = rng.range(0.0, std::f64::consts::TAU);
    let trend = rng.range(-0.1, 0.1);
    let round = |kind: MetricKind, v: f64| match kind {
        Count => v.round().max(0.0),
        Percent => ((v * 10.0).round() / 10.0).clamp(0.0, 100.0),
        Index => (v * 100.0).round() / 100.0,
        Amount => (v * 10.0).round() / 10.0,
    };
    // Stock figures (parking spaces, elderly residents) barely move; flows vary by day.
    let stock = def.kind == Count && def.base >= 1_000.0;
    let wobble = if stock {
        0.004
    } else if def.kind == Percent {
        0.02
    } else {
        0.18
    };
    for k in 0..SERIES_DAYS {
        let day = last_day - (SERIES_DAYS - 1 - k);
        let t = k as f64 / (SERIES_DAYS - 1) as f64;
        let weekly = (k as f64 / 7.0 * std::f64::consts::TAU + phase).sin();
        let v = if k == SERIES_DAYS - 1 {
            def.base
        } else {
            def.base
                * (1.0 - trend * (1.0 - t))
                * (1.0 + wobble * (0.6 * weekly + rng.range(-0.4, 0.4)))
        };
        series.push((date_from_days(day), round(def.kind, v)));
    }
    let mut by_region = BTreeMap::new();
    let n = regions.ids.len();
    let mut values = vec![0.0; n];
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        if let Some(p) = regions.parent[i] {
            children[p].push(i);
        }
    }
    // Parents come before their children, so each value is known before it is spread.
    for i in 0..n {
        if regions.parent[i].is_none() {
            values[i] = round(def.kind, def.base);
        }
        let kids = &children[i];
        if kids.is_empty() {
            continue;
        }
        let pv = values[i];
        if def.kind == Count {
            // Counts add up exactly: children share the parent's count.
            let weights: Vec<f64> = kids
                .iter()
                .map(|&k| regions.share[k] * rng.range(0.85, 1.15))
                .collect();
            for (&k, v) in kids.iter().zip(super::apportion(pv as i64, &weights)) {
                values[k] = v as f64;
            }
        } else {
            for &k in kids {
                let v = match def.kind {
                    Percent => (pv + rng.range(-3.0, 3.0)).clamp(0.0, 100.0),
                    _ => pv * rng.range(0.85, 1.15),
                };
                values[k] = round(def.kind, v);
            }
        }
    }
    for ((id, detailed), v) in regions.ids.iter().zip(&regions.detailed).zip(&values) {
        if *detailed {
            by_region.insert(id.clone(), *v);
        }
    }
    // Daily values for the subdistricts: their share of the district's day, or its level
    // with an offset, so each region keeps its own character across the month.
    let mut series_by_region = BTreeMap::new();
    if def.kind != Count || def.base < 1_000.0 {
        for i in 0..n {
            if regions.parent[i].is_none() || !regions.streets[i] || !regions.detailed[i] {
                continue;
            }
            let ratio = if values[0].abs() > 1e-9 {
                values[i] / values[0]
            } else {
                0.0
            };
            let offset = values[i] - values[0];
            let daily: Vec<f64> = series
                .iter()
                .map(|(_, d)| {
                    let v = match def.kind {
                        Count => d * ratio * rng.range(0.7, 1.3),
                        Percent => d + offset + rng.range(-1.5, 1.5),
                        Index | Amount => d * ratio * rng.range(0.92, 1.08),
                    };
                    round(def.kind, v)
                })
                .collect();
            series_by_region.insert(regions.ids[i].clone(), daily);
        }
    }
    Metric {
        id: def.id.to_string(),
        department: dept.to_string(),
        category: category.to_string(),
        name: def.zh.to_string(),
        name_en: def.en.to_string(),
        unit: def.unit.to_string(),
        unit_en: def.unit_en.to_string(),
        kind: def.kind,
        series,
        by_region,
        series_by_region,
        target: def.target,
    }
}

/// The seven hall departments and their indicators, with values for every region.
pub fn hall(
    rng: &mut Rng,
    regions: &RegionShares,
    last_day: i64,
) -> (Vec<Department>, Vec<Metric>) {
    let mut departments = Vec::new();
    let mut metrics = Vec::new();
    for ((id, zh, en, color), defs) in HALL_DEPARTMENTS.iter().zip(HALL_METRICS) {
        departments.push(Department {
            id: id.to_string(),
            name: zh.to_string(),
            name_en: en.to_string(),
            color: color.to_string(),
        });
        for def in defs {
            metrics.push(make_metric(rng, id, zh, def, regions, last_day));
        }
    }
    (departments, metrics)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_from_epoch() {
        assert_eq!(date_from_days(0), "1970-01-01");
        assert_eq!(date_from_days(20_784), "2026-11-27");
        assert_eq!(date_from_days(19_782), "2024-02-29");
    }
}
