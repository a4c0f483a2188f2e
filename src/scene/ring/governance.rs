//! The ring's governance widgets: a department's case flow and the participation figures
//! for the selected region, or for a grid (网格) of it, from the snapshot's v2 tables; and
//! which departments' sectors hold them in the automatic layout.

use super::data::{Content, WidgetData, scope_named};
use super::layout::MAX_AUTO_DEPARTMENTS;
#[cfg(doc)]
use super::layout::automatic_choice;
use crate::snapshot::index::CityData;
use crate::snapshot::{MetricKind, Snapshot, WidgetKind};

/// A governance widget's frame: its kind, titles and scope (the grid's name when a grid is
/// selected).
fn governance_frame(
    city: &CityData,
    kind: WidgetKind,
    (title_zh, title_en): (String, String),
    region: usize,
    grid: Option<usize>,
    content: Content,
) -> WidgetData {
    let scope = scope_named(city, region, grid);
    WidgetData {
        kind,
        title_zh,
        title_en,
        unit_zh: String::new(),
        unit_en: String::new(),
        metric_kind: MetricKind::Count,
        scope,
        exact: true,
        content,
    }
}

/// A department's case flow in the region or grid.
pub(super) fn case_flow(
    city: &CityData,
    department: usize,
    region: usize,
    grid: Option<usize>,
) -> WidgetData {
    let gi = &city.index.governance;
    let stats = match grid {
        Some(g) => gi.grid_case_stats(g, Some(department)),
        None => gi.region_case_stats(region, Some(department)),
    };
    let content = if stats.total == 0 {
        Content::Empty
    } else {
        Content::CaseFlow { stats }
    };
    governance_frame(
        city,
        WidgetKind::CaseFlow,
        ("事件办理".into(), "Case flow".into()),
        region,
        grid,
        content,
    )
}

/// Who takes part: in a grid its party-member households, volunteers and residents reached
/// online; in a region its communities' platform members, households reached, social
/// organizations and service items.
pub(super) fn participation(city: &CityData, region: usize, grid: Option<usize>) -> WidgetData {
    let gi = &city.index.governance;
    let row = |zh: &str, en: &str, v: i64| (zh.to_string(), en.to_string(), v as f64);
    let rows = match grid.and_then(|g| city.snapshot.grids.get(g)) {
        Some(g) => vec![
            row(
                "党员中心户",
                "Party-member households",
                g.party_member_households,
            ),
            row("志愿者", "Volunteers", g.volunteers),
            row(
                "线上触达居民",
                "Residents reached online",
                g.residents_online,
            ),
        ],
        None => match gi.participation.get(region) {
            Some(t) if t.communities > 0 => vec![
                row("互联社区成员", "Platform members", t.platform_members),
                row("覆盖户数", "Households reached", t.households_reached),
                row("社会组织", "Social organizations", t.organizations),
                row("服务项目", "Service items", t.service_items),
            ],
            _ => Vec::new(),
        },
    };
    let content = if rows.is_empty() {
        Content::Empty
    } else {
        Content::Figures { rows }
    };
    governance_frame(
        city,
        WidgetKind::Participation,
        ("共建共治".into(), "Taking part".into()),
        region,
        grid,
        content,
    )
}

/// The department whose sector holds the participation widget, when the snapshot has
/// participation figures: civil affairs (民政, under which community building falls in
/// China), found by its id `civil_affairs` or its name; else the first department.
pub(super) fn participation_department(s: &Snapshot) -> Option<usize> {
    if s.participation.is_empty() || s.departments.is_empty() {
        return None;
    }
    Some(
        s.departments
            .iter()
            .position(|d| d.id == "civil_affairs" || d.name.contains("民政"))
            .unwrap_or(0),
    )
}

/// The governance widgets of each department in the automatic layout, after its metrics:
/// a case-flow widget for each department with cases, the participation widget in
/// [`participation_department`] — within [`MAX_AUTO_DEPARTMENTS`] sectors with the
/// metrics' departments (a department without metrics gets a sector of its own).
/// `choice` is [`automatic_choice`]'s.
pub(super) fn governance_slots(s: &Snapshot, choice: &[Vec<usize>]) -> Vec<Vec<WidgetKind>> {
    let with_cases: std::collections::HashSet<&str> =
        s.cases.iter().map(|c| c.department.as_str()).collect();
    let mut sectors = choice.iter().filter(|m| !m.is_empty()).count();
    let participation = participation_department(s);
    s.departments
        .iter()
        .enumerate()
        .map(|(d, dep)| {
            let mut kinds = Vec::new();
            if with_cases.contains(dep.id.as_str()) {
                kinds.push(WidgetKind::CaseFlow);
            }
            if participation == Some(d) {
                kinds.push(WidgetKind::Participation);
            }
            if !kinds.is_empty() && choice[d].is_empty() {
                if sectors >= MAX_AUTO_DEPARTMENTS {
                    kinds.clear();
                } else {
                    sectors += 1;
                }
            }
            kinds
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::data::{Content, MAX_ALERTS, alerts_at, widget_at};
    use super::super::layout::{DEFAULT_SPAN_DEG, Slot, automatic};
    use crate::snapshot::WidgetKind;
    use crate::snapshot::index::CityData;

    fn city() -> CityData {
        CityData::new(crate::demo::load_demo().map(|l| l.snapshot).expect("demo"))
    }

    #[test]
    fn case_flows_add_up_and_follow_the_grid() {
        let city = city();
        let s = &city.snapshot;
        let layout = automatic(s, DEFAULT_SPAN_DEG);
        let flows: Vec<&Slot> = layout
            .slots
            .iter()
            .filter(|x| x.kind == WidgetKind::CaseFlow)
            .collect();
        // One per department with cases, departments without metrics included.
        let with_cases: std::collections::HashSet<&str> =
            s.cases.iter().map(|c| c.department.as_str()).collect();
        assert_eq!(flows.len(), with_cases.len());
        assert_eq!(
            layout
                .slots
                .iter()
                .filter(|x| x.kind == WidgetKind::Participation)
                .count(),
            1
        );
        let total = |region: usize, grid: Option<usize>| -> u32 {
            flows
                .iter()
                .map(|slot| match widget_at(&city, slot, region, grid).content {
                    Content::CaseFlow { stats } => {
                        assert_eq!(stats.at_stage.iter().sum::<u32>(), stats.total);
                        stats.total
                    }
                    _ => 0,
                })
                .sum()
        };
        // The departments' flows add up to the district's cases, and to a grid's.
        assert_eq!(total(city.index.district, None) as usize, s.cases.len());
        let gi = &city.index.governance;
        let g = (0..s.grids.len())
            .max_by_key(|&g| gi.cases_of_grid[g].len())
            .expect("grids");
        let community = gi.grid_community[g] as usize;
        assert_eq!(
            total(community, Some(g)) as usize,
            gi.cases_of_grid[g].len()
        );
        assert!(gi.cases_of_grid[g].len() < gi.cases_of_region[community].len());
        // The participation widget names the grid's figures there.
        let p = layout
            .slots
            .iter()
            .find(|x| x.kind == WidgetKind::Participation)
            .expect("participation");
        let w = widget_at(&city, p, community, Some(g));
        assert!(w.scope.zh.ends_with("网格"), "{}", w.scope.zh);
        let Content::Figures { rows } = w.content else {
            panic!("figures");
        };
        assert_eq!(rows[1].2, s.grids[g].volunteers as f64);
    }

    #[test]
    fn the_ticker_lists_overdue_cases_first() {
        let city = city();
        let gi = &city.index.governance;
        let district = city.index.district;
        let overdue = gi.region_case_stats(district, None).overdue as usize;
        assert!(overdue > 0);
        let a = alerts_at(&city, district, None);
        let first = overdue.min(crate::scene::ring::alerts::MAX_OVERDUE);
        assert!(
            a[..first]
                .iter()
                .all(|(zh, en)| zh.starts_with("超期") && en.starts_with("Overdue"))
        );
        assert!(a.len() <= MAX_ALERTS);
        // Most overdue first: the hours late do not grow down the list.
        let late = |s: &str| -> f64 {
            let tail = s.rsplit('已').next().unwrap_or("");
            let n: String = tail
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            let v: f64 = n.parse().unwrap_or(0.0);
            if tail.contains('天') { v * 24.0 } else { v }
        };
        for w in a[..first].windows(2) {
            assert!(late(&w[0].0) >= late(&w[1].0), "{w:?}");
        }
    }
}
