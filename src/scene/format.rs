//! Words and numbers for the screen in Chinese and English: labels, units, large numbers
//! (万 and 亿 in Chinese, thousands separators in English), and masked owner names.

use crate::snapshot::{BuildingUse, Level};

/// The exhibit's two languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// Picks the string of this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// `zh` or `en`, as [`Lang::parse`] reads it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

/// Every fixed string the map shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    ResidentialBuildings,
    FloorArea,
    Residents,
    Households,
    Floors,
    Use,
    YearBuilt,
    Owners,
    Back,
    DemoData,
    AllBuildings,
    LanguageToggle,
    Title,
    TapToExplore,
    Legend,
    Residential,
    OtherUse,
    OwnersMasked,
    Buildings,
    Code,
    Grid,
    GridCode,
    GridWorker,
    PartyBranch,
    PartyHouseholdsVolunteers,
    ResidentsAndHouseholds,
    ResidentsOnline,
    Cases,
    Case,
    ClosureAndHandling,
    Department,
    SourceAndDeadline,
    Status,
    Description,
    Lifecycle,
    Close,
}

pub fn text(t: Text, lang: Lang) -> &'static str {
    use Text::*;
    let (zh, en) = match t {
        ResidentialBuildings => ("住宅楼栋", "Residential buildings"),
        FloorArea => ("建筑面积", "Floor area"),
        Residents => ("常住人口", "Residents"),
        Households => ("户数", "Households"),
        Floors => ("层数", "Floors"),
        Use => ("用途", "Use"),
        YearBuilt => ("建成年份", "Built"),
        Owners => ("产权人", "Owners"),
        Back => ("返回", "Back"),
        DemoData => ("演示数据", "Demo data"),
        AllBuildings => ("全部楼栋", "All buildings"),
        LanguageToggle => ("English", "中文"),
        Title => ("城市治理一张图", "City Governance Map"),
        TapToExplore => ("点击区域查看详情", "Tap an area to explore"),
        Legend => ("常住人口", "Residents"),
        Residential => ("住宅", "Residential"),
        OtherUse => ("非住宅", "Non-residential"),
        OwnersMasked => ("已脱敏", "masked"),
        Buildings => ("楼栋", "Buildings"),
        Code => ("区划代码", "Division code"),
        Grid => ("网格", "Grid"),
        GridCode => ("网格编码", "Grid code"),
        GridWorker => ("网格员", "Grid worker"),
        PartyBranch => ("网格党支部", "Party branch"),
        PartyHouseholdsVolunteers => ("党员中心户 · 志愿者", "Party households · volunteers"),
        ResidentsOnline => ("线上触达居民", "Residents reached online"),
        ResidentsAndHouseholds => ("常住人口 · 户数", "Residents · households"),
        Cases => ("事件", "Cases"),
        Case => ("事件", "Case"),
        ClosureAndHandling => ("结案率 · 平均处置时长", "Closed · average handling"),
        Department => ("承办部门", "Department"),
        SourceAndDeadline => ("来源 · 时限", "Source · deadline"),
        Status => ("状态", "Status"),
        Description => ("事件描述", "Description"),
        Lifecycle => ("办理过程", "From report to closure"),
        Close => ("关闭", "Close"),
    };
    lang.pick(zh, en)
}

pub fn level_name(level: Level, lang: Lang) -> &'static str {
    match level {
        Level::District => lang.pick("区", "District"),
        Level::Street => lang.pick("街道", "Subdistrict"),
        Level::Community => lang.pick("社区", "Community"),
    }
}

pub fn use_name(usage: BuildingUse, lang: Lang) -> &'static str {
    match usage {
        BuildingUse::Residential => lang.pick("住宅", "Residential"),
        BuildingUse::Mixed => lang.pick("商住混合", "Mixed use"),
        BuildingUse::Commercial => lang.pick("商业", "Commercial"),
        BuildingUse::Office => lang.pick("办公", "Office"),
        BuildingUse::Public => lang.pick("公共服务", "Public service"),
        BuildingUse::Industrial => lang.pick("工业", "Industrial"),
    }
}

/// Groups digits by thousands: 1096879 → "1,096,879".
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A count for display: 万/亿 in Chinese above ten thousand, separators in English.
pub fn count(n: i64, lang: Lang) -> String {
    match lang {
        Lang::Zh => {
            let a = n.unsigned_abs() as f64;
            let sign = if n < 0 { "-" } else { "" };
            if a >= 1e8 {
                format!("{sign}{}亿", trim_zeros(format!("{:.2}", a / 1e8)))
            } else if a >= 1e4 {
                format!("{sign}{}万", trim_zeros(format!("{:.2}", a / 1e4)))
            } else {
                n.to_string()
            }
        }
        Lang::En => thousands(n),
    }
}

/// A floor area in m² for display.
pub fn area(m2: f64, lang: Lang) -> String {
    if !m2.is_finite() {
        return "—".into();
    }
    match lang {
        Lang::Zh => format!("{} m²", count(m2.round() as i64, Lang::Zh)),
        Lang::En => {
            if m2 >= 1e6 {
                format!("{} million m²", trim_zeros(format!("{:.2}", m2 / 1e6)))
            } else {
                format!("{} m²", thousands(m2.round() as i64))
            }
        }
    }
}

/// Masks a personal name for public display: the first character stays, each other
/// character becomes `*` (张三丰 → 张**).
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut out = String::from(first);
    for _ in chars {
        out.push('*');
    }
    if out.chars().count() == 1 {
        out.push('*');
    }
    out
}

/// A grid's names (zh, en) without its community's — "第3网格", "Grid 3" — for places that
/// name the community already (the breadcrumb, the map inside the community). `community`
/// is the community's Chinese name; a name that does not start with it stays whole.
pub fn grid_short_names<'a>(
    grid: &'a crate::snapshot::governance::Grid,
    community: &str,
) -> (&'a str, &'a str) {
    let zh = grid
        .name
        .strip_prefix(community)
        .filter(|rest| !rest.is_empty())
        .unwrap_or(&grid.name);
    let en = grid.name_en.rsplit(", ").next().unwrap_or(&grid.name_en);
    (zh, en)
}

/// A duration of `seconds` in hours under two days ("5.2 小时", "5.2 h") and in days from
/// there ("3.4 天", "3.4 days"), one decimal.
pub fn duration(seconds: f64, lang: Lang) -> String {
    let hours = seconds / 3600.0;
    if hours < 48.0 {
        format!("{:.1}{}", hours, lang.pick(" 小时", " h"))
    } else {
        format!("{:.1}{}", hours / 24.0, lang.pick(" 天", " days"))
    }
}

/// A whole number of hours as a deadline reads: "24 小时" / "24 h" under two days, whole days
/// from there when they divide ("7 天" / "7 days").
pub fn whole_hours(hours: u32, lang: Lang) -> String {
    if hours >= 48 && hours.is_multiple_of(24) {
        format!("{}{}", hours / 24, lang.pick(" 天", " days"))
    } else {
        format!("{hours}{}", lang.pick(" 小时", " h"))
    }
}

/// A grid worker's name as the grid card shows it: masked like owners (张**) unless the
/// configuration allows full names (the same switch as owners').
pub fn grid_worker_name(worker: &str, full_names: bool) -> String {
    if full_names {
        worker.trim().to_string()
    } else {
        mask_name(worker)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_hours_then_days() {
        assert_eq!(duration(3.6 * 3600.0, Lang::Zh), "3.6 小时");
        assert_eq!(duration(47.9 * 3600.0, Lang::En), "47.9 h");
        assert_eq!(duration(3.5 * 86_400.0, Lang::Zh), "3.5 天");
        assert_eq!(whole_hours(24, Lang::Zh), "24 小时");
        assert_eq!(whole_hours(72, Lang::En), "3 days");
        assert_eq!(whole_hours(168, Lang::Zh), "7 天");
        assert_eq!(whole_hours(50, Lang::En), "50 h");
    }

    #[test]
    fn grid_workers_are_masked_like_owners() {
        assert_eq!(grid_worker_name("王建国", false), "王**");
        assert_eq!(grid_worker_name(" 王建国 ", true), "王建国");
        assert_eq!(grid_worker_name("", false), "");
    }

    #[test]
    fn chinese_counts_use_wan_and_yi() {
        assert_eq!(count(1_096_879, Lang::Zh), "109.69万");
        assert_eq!(count(8_123, Lang::Zh), "8123");
        assert_eq!(count(129_000_000, Lang::Zh), "1.29亿");
        assert_eq!(count(50_000, Lang::Zh), "5万");
        assert_eq!(count(1_096_879, Lang::En), "1,096,879");
        assert_eq!(count(-1_234, Lang::En), "-1,234");
    }

    #[test]
    fn areas_read_naturally() {
        assert_eq!(area(2_905_000.0, Lang::Zh), "290.5万 m²");
        assert_eq!(area(2_905_000.0, Lang::En), "2.9 million m²");
        assert_eq!(area(2_915_000.0, Lang::En), "2.92 million m²");
        assert_eq!(area(4_320.4, Lang::En), "4,320 m²");
    }

    #[test]
    fn names_are_masked() {
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_name("李娜"), "李*");
        assert_eq!(mask_name("王"), "王*");
        assert_eq!(mask_name("  "), "");
    }
}
