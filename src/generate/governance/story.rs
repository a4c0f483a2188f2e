//! The demo's story, modelled on the closing of the Fangyuan night market (方圆夜市): before
//! the plan was carried out the command center ran joint drills with city management, law
//! enforcement, market supervision, food & drug, police, traffic police and fire. The place
//! and its cases are synthetic, like the rest of the demo.

use super::cases::Forced;
use super::catalog::category;
use super::locate::Locator;
use crate::snapshot::{
    CaseFilter, CaseSource, Focus, Level, Snapshot, StatusFilter, Story, StoryStep,
};

/// The community the story is set in when the snapshot has it: Taidong's pedestrian street
/// (台东步行街社区), a plausible home for a night market; else the first with grids.
const SCENE_COMMUNITY: &str = "370203021010";

/// The seven departments of the drills. Traffic police are the snapshot's `traffic`.
const DRILL: [&str; 7] = [
    "urban_mgmt",
    "law_enforcement",
    "market",
    "food_drug",
    "police",
    "traffic",
    "fire",
];

/// Where the story happens.
pub(super) struct Scene {
    pub street: usize,
    pub community: usize,
    /// The grid of the market (index into grids).
    pub grid: usize,
}

/// The community and the grid with the most buildings in it.
pub(super) fn scene(s: &Snapshot, loc: &Locator) -> Option<Scene> {
    let community = s
        .regions
        .iter()
        .position(|r| r.id == SCENE_COMMUNITY && r.level == Level::Community)
        .filter(|&c| s.grids.iter().any(|g| g.community == s.regions[c].id))
        .or_else(|| {
            s.regions.iter().position(|r| {
                r.level == Level::Community && s.grids.iter().any(|g| g.community == r.id)
            })
        })?;
    let id = &s.regions[community].id;
    let grid = (0..s.grids.len())
        .filter(|&g| s.grids[g].community == *id)
        .max_by_key(|&g| (loc.in_grid[g].len(), std::cmp::Reverse(g)))?;
    let street = s
        .regions
        .iter()
        .position(|r| Some(&r.id) == s.regions[community].parent.as_ref())?;
    Some(Scene {
        street,
        community,
        grid,
    })
}

/// The market's cases over the weeks before the closure, all closed by the export.
pub(super) fn forced_cases(scene: &Option<Scene>) -> Vec<Forced> {
    let Some(scene) = scene else {
        return Vec::new();
    };
    let plan: [(&str, f64, CaseSource); 11] = [
        ("占道经营", 480.0, CaseSource::Hotline),
        ("噪声扰民", 455.0, CaseSource::Hotline),
        ("油烟扰民", 430.0, CaseSource::App),
        ("占道经营", 400.0, CaseSource::Patrol),
        ("无照经营", 380.0, CaseSource::Patrol),
        ("食品安全", 350.0, CaseSource::Hotline),
        ("违章停车", 330.0, CaseSource::Camera),
        ("消防通道堵塞", 300.0, CaseSource::Patrol),
        ("治安隐患", 270.0, CaseSource::Camera),
        ("违法建设", 240.0, CaseSource::Patrol),
        ("占道经营", 200.0, CaseSource::Camera),
    ];
    plan.iter()
        .filter_map(|&(zh, hours_ago, source)| {
            Some(Forced {
                grid: scene.grid,
                category: category(zh)?,
                hours_ago,
                source,
            })
        })
        .collect()
}

fn step(
    caption: &str,
    caption_en: &str,
    focus: Focus,
    filter: Option<CaseFilter>,
    departments: &[&str],
    duration_s: f64,
) -> StoryStep {
    StoryStep {
        caption: caption.into(),
        caption_en: caption_en.into(),
        focus,
        filter,
        departments: departments.iter().map(|d| d.to_string()).collect(),
        duration_s,
    }
}

fn filter(departments: &[&str], status: StatusFilter) -> Option<CaseFilter> {
    Some(CaseFilter {
        departments: departments.iter().map(|d| d.to_string()).collect(),
        status,
    })
}

/// The story's six steps, from the subdistrict down to one case and back.
pub(super) fn story(s: &Snapshot, scene: &Option<Scene>) -> Option<Story> {
    let scene = scene.as_ref()?;
    let has = |d: &&str| s.departments.iter().any(|x| x.id == *d);
    let drill: Vec<&str> = DRILL.iter().copied().filter(has).collect();
    let only =
        |ds: &[&'static str]| -> Vec<&'static str> { ds.iter().copied().filter(has).collect() };
    let street = Focus::Region(s.regions[scene.street].id.clone());
    let community = Focus::Region(s.regions[scene.community].id.clone());
    let grid_id = s.grids[scene.grid].id.clone();
    let grid = Focus::Grid(grid_id.clone());
    let case = s
        .cases
        .iter()
        .find(|c| c.region == grid_id && c.category == "占道经营" && c.lifecycle.is_closed())
        .map_or(grid.clone(), |c| Focus::Case(c.id.clone()));
    let vendors = only(&["urban_mgmt", "environment", "market"]);
    let patrol = only(&["urban_mgmt", "law_enforcement"]);
    let inspect = only(&["urban_mgmt", "law_enforcement", "market", "food_drug"]);
    let safety = only(&["police", "traffic", "fire"]);
    Some(Story {
        id: "fangyuan-night-market".into(),
        title: "关闭方圆夜市".into(),
        title_en: "Closing the Fangyuan night market".into(),
        steps: vec![
            step(
                "方圆夜市：占道经营、油烟和噪声投诉集中在一处",
                "Fangyuan night market: complaints of stalls, fumes and noise gather in one place",
                street,
                filter(&vendors, StatusFilter::Any),
                &vendors[..vendors.len().min(2)],
                10.0,
            ),
            step(
                "网格员巡查和12345热线的上报汇到指挥中心",
                "Grid patrols and 12345 hotline calls reach the command center",
                grid.clone(),
                filter(&patrol, StatusFilter::Any),
                &patrol,
                10.0,
            ),
            step(
                "联合演练：城管、综合执法、市场监管、食药监",
                "Joint drill: city management, law enforcement, market supervision, food & drug",
                grid,
                filter(&inspect, StatusFilter::Any),
                &inspect,
                12.0,
            ),
            step(
                "公安、交警、消防保障疏散通道和交通",
                "Police, traffic police and fire keep exits and roads clear",
                community.clone(),
                filter(&safety, StatusFilter::Any),
                &safety,
                12.0,
            ),
            step(
                "一起事件从上报到结案，每一步都有时限",
                "One case from report to closure: every stage has its deadline",
                case,
                None,
                &only(&["urban_mgmt"]),
                10.0,
            ),
            step(
                "七个部门协同，方案落地，事件全部结案",
                "Seven departments together: the plan carried out, every case closed",
                community,
                filter(&drill, StatusFilter::Closed),
                &drill,
                12.0,
            ),
        ],
    })
}
