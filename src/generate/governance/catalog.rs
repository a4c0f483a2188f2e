//! What generated cases are about: categories per department with their deadline tier,
//! whether they happen at a building or in the street, and a short description pair with no
//! personal data; and how often each department gets cases.

use crate::snapshot::DeadlineTier::{self, Extended, Normal, Priority, Urgent};

/// One kind of case.
pub(super) struct Category {
    pub department: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub tier: DeadlineTier,
    /// At a building (snapped to it) rather than in the street.
    pub at_building: bool,
    /// What is wrong, as the description says it.
    pub what_zh: &'static str,
    pub what_en: &'static str,
}

const fn c(
    department: &'static str,
    zh: &'static str,
    en: &'static str,
    tier: DeadlineTier,
    at_building: bool,
    what_zh: &'static str,
    what_en: &'static str,
) -> Category {
    Category {
        department,
        zh,
        en,
        tier,
        at_building,
        what_zh,
        what_en,
    }
}

/// Every category; the first of each department is its most common.
#[rustfmt::skip]
pub(super) const CATEGORIES: [Category; 24] = [
    c("urban_mgmt", "占道经营", "Street vending", Priority, false, "占道摆摊，影响行人通行", "Stalls block the pavement"),
    c("urban_mgmt", "暴露垃圾", "Exposed garbage", Priority, false, "垃圾未及时清运", "Garbage left uncollected"),
    c("urban_mgmt", "乱堆物料", "Dumped materials", Normal, false, "道路两侧堆放建筑材料", "Building materials piled by the road"),
    c("urban_mgmt", "井盖破损", "Broken manhole cover", Urgent, false, "井盖破损，存在安全隐患", "A broken manhole cover, a hazard"),
    c("law_enforcement", "违法建设", "Illegal construction", Extended, true, "屋顶私搭乱建", "An unauthorised rooftop structure"),
    c("law_enforcement", "夜间施工", "Night construction", Priority, false, "夜间施工噪声扰民", "Construction noise at night"),
    c("market", "无照经营", "Unlicensed business", Normal, true, "商户无照经营", "A shop trading without a licence"),
    c("market", "价格投诉", "Price complaint", Normal, true, "商品未明码标价", "Goods without marked prices"),
    c("environment", "油烟扰民", "Cooking fumes", Normal, true, "餐饮油烟直排", "Kitchen fumes vented at street level"),
    c("environment", "噪声扰民", "Noise", Priority, false, "商铺外放音响噪声", "Loudspeakers outside a shop"),
    c("environment", "污水外溢", "Sewage overflow", Priority, false, "雨污管道外溢", "An overflowing sewer"),
    c("construction", "楼道灯损坏", "Stairwell lights out", Normal, true, "楼道照明损坏", "Stairwell lights out"),
    c("construction", "外墙脱落", "Falling facade", Urgent, true, "外墙饰面脱落", "Facade tiles falling"),
    c("construction", "房屋维修", "Housing repairs", Extended, true, "老旧楼屋面渗漏", "A leaking roof on an old block"),
    c("traffic", "违章停车", "Illegal parking", Priority, false, "车辆占用消防通道停放", "Cars parked in a fire lane"),
    c("traffic", "信号灯故障", "Traffic light fault", Urgent, false, "路口信号灯故障", "A traffic light out of order"),
    c("police", "治安隐患", "Public-order hazard", Priority, false, "夜间聚集喧哗", "Crowds and noise at night"),
    c("police", "邻里纠纷", "Neighbour dispute", Normal, true, "邻里纠纷需调解", "A dispute between neighbours to mediate"),
    c("fire", "消防通道堵塞", "Blocked fire lane", Urgent, true, "消防通道堆放杂物", "Clutter in a fire lane"),
    c("fire", "违规充电", "Unsafe e-bike charging", Urgent, true, "楼道内电动车充电", "E-bikes charging in a stairwell"),
    c("food_drug", "食品安全", "Food safety", Priority, true, "餐饮店卫生问题", "Hygiene problems at an eatery"),
    c("food_drug", "无证餐饮", "Unlicensed eatery", Normal, true, "无证经营餐饮", "An eatery without a permit"),
    c("civil_affairs", "独居老人探访", "Elderly living alone", Priority, true, "独居老人需上门探访", "An elderly resident living alone needs a visit"),
    c("civil_affairs", "困难救助", "Hardship assistance", Normal, true, "困难家庭申请救助", "A household in hardship asks for help"),
];

/// Share of cases per department (of those the snapshot has).
pub(super) const DEPARTMENT_WEIGHTS: [(&str, f64); 10] = [
    ("urban_mgmt", 26.0),
    ("law_enforcement", 7.0),
    ("market", 8.0),
    ("environment", 11.0),
    ("construction", 10.0),
    ("traffic", 9.0),
    ("police", 7.0),
    ("fire", 5.0),
    ("food_drug", 6.0),
    ("civil_affairs", 11.0),
];

/// The index in [`CATEGORIES`] of a category by its Chinese name.
pub(super) fn category(zh: &str) -> Option<usize> {
    CATEGORIES.iter().position(|c| c.zh == zh)
}
