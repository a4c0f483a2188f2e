//! The choosers that open over the map: the layers and case filters (above the bottom
//! bar), the list of stories (under the stories button), and the caption of the story step
//! on show (where the breadcrumb was).

use bevy::prelude::*;

use crate::app::base::state::step_requests;
use crate::app::base::theme::{self, size};
use crate::app::base::widgets::{BlocksMap, Fill, button, label, rim, swatch_button};
use crate::app::base::{Chooser, Focus, MapRequest, Overlay, Playing};
use crate::palette;
use crate::scene::format::Lang;
use crate::scene::layers::Overlays;
use crate::snapshot::StatusFilter;
use crate::snapshot::index::CityData;

/// A chooser's background: a panel, opaque (it lies over the strip and the card, whose
/// words would show through).
fn opaque_panel() -> impl Bundle {
    (Fill(theme::color(palette::PANEL)), rim(), BlocksMap)
}

/// A chooser's row: its name in a column of its own, then its buttons, wrapping.
fn row(name: &str, buttons: Vec<impl Bundle>) -> impl Bundle {
    (
        Node {
            flex_direction: FlexDirection::Row,
            align_items: AlignItems::FlexStart,
            column_gap: px(16),
            ..default()
        },
        Pickable::IGNORE,
        Children::spawn((
            Spawn((
                Node {
                    width: px(120),
                    min_height: px(64),
                    align_items: AlignItems::Center,
                    ..default()
                },
                Pickable::IGNORE,
                children![label(name.to_string(), size::BODY, palette::TEXT_MUTED)],
            )),
            Spawn((
                Node {
                    flex_direction: FlexDirection::Row,
                    flex_wrap: FlexWrap::Wrap,
                    flex_shrink: 1.0,
                    column_gap: px(10),
                    row_gap: px(10),
                    ..default()
                },
                Pickable::IGNORE,
                Children::spawn(SpawnIter(buttons.into_iter())),
            )),
        )),
    )
}

/// The layers and case filters: which governance layers the map draws (those the snapshot
/// has), the cases' status, and their departments (each with its color; none chosen: all).
/// Opens above the bottom bar, over the strip; "完成 / Done" closes it.
pub(super) fn layers_chooser(city: &CityData, lang: Lang, o: &Overlays) -> impl Bundle {
    let s = &city.snapshot;
    let mut layers = Vec::new();
    for (has, on, overlay, zh, en) in [
        (
            !s.cases.is_empty(),
            o.cases,
            Overlay::Cases,
            "事件",
            "Cases",
        ),
        (
            !s.places.is_empty(),
            o.places,
            Overlay::Places,
            "服务点位",
            "Places",
        ),
        (
            !s.grids.is_empty(),
            o.grids,
            Overlay::Grids,
            "网格",
            "Grids",
        ),
    ] {
        if has {
            layers.push(button(
                lang.pick(zh, en),
                on,
                MapRequest::ToggleOverlay(overlay),
            ));
        }
    }
    let statuses: Vec<_> = [
        (StatusFilter::Any, "全部", "All"),
        (StatusFilter::Open, "办理中", "Open"),
        (StatusFilter::Overdue, "超期", "Overdue"),
        (StatusFilter::Closed, "已结案", "Closed"),
    ]
    .into_iter()
    .map(|(f, zh, en)| button(lang.pick(zh, en), o.status == f, MapRequest::SetStatus(f)))
    .collect();
    let gi = &city.index.governance;
    let mut departments = vec![swatch_button(
        lang.pick("全部部门", "All departments"),
        palette::ACCENT,
        o.departments.is_empty(),
        MapRequest::AllDepartments,
    )];
    for (d, dept) in s.departments.iter().enumerate() {
        if gi.region_case_stats(city.index.district, Some(d)).total == 0 {
            continue;
        }
        departments.push(swatch_button(
            lang.pick(&dept.name, &dept.name_en),
            palette::Srgba::from_hex(&dept.color).unwrap_or(palette::ACCENT),
            o.departments.contains(&(d as u32)),
            MapRequest::ToggleDepartment(d as u32),
        ));
    }
    let cases = !s.cases.is_empty();
    (
        Name::new("Layers chooser"),
        Node {
            position_type: PositionType::Absolute,
            left: px(24),
            bottom: px(104),
            max_width: percent(72),
            flex_direction: FlexDirection::Column,
            padding: UiRect::all(px(18)),
            row_gap: px(14),
            border: UiRect::all(px(2)),
            border_radius: BorderRadius::all(px(14)),
            ..default()
        },
        opaque_panel(),
        GlobalZIndex(4),
        Children::spawn((
            Spawn(row(lang.pick("图层", "Layers"), layers)),
            SpawnIter(
                cases
                    .then(|| row(lang.pick("状态", "Status"), statuses))
                    .into_iter(),
            ),
            SpawnIter(
                cases
                    .then(|| row(lang.pick("部门", "Departments"), departments))
                    .into_iter(),
            ),
            Spawn((
                Node {
                    flex_direction: FlexDirection::Row,
                    justify_content: JustifyContent::FlexEnd,
                    ..default()
                },
                Pickable::IGNORE,
                children![button(
                    lang.pick("完成", "Done"),
                    false,
                    MapRequest::ToggleChooser(Chooser::Layers),
                )],
            )),
        )),
    )
}

/// The stories to start: one big button each, its title and its number of steps. Opens
/// under the stories button, top right.
pub(super) fn stories_chooser(city: &CityData, lang: Lang, reach: bool) -> impl Bundle {
    let stories: Vec<_> = city
        .snapshot
        .stories
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let steps = s.steps.len();
            let caption = match lang {
                Lang::Zh => format!("{} · {steps}步", s.title),
                Lang::En => format!("{} · {steps} steps", s.title_en),
            };
            button(caption, false, MapRequest::StartStory(i))
        })
        .collect();
    (
        Name::new("Stories chooser"),
        Node {
            flex_direction: FlexDirection::Column,
            align_items: AlignItems::Stretch,
            width: px(620),
            padding: UiRect::all(px(18)),
            row_gap: px(12),
            border: UiRect::all(px(2)),
            border_radius: BorderRadius::all(px(14)),
            // Under the stories button; in reach mode above it (the buttons sit low).
            ..super::place(reach, None, Some(24.0), 104.0, 284.0)
        },
        opaque_panel(),
        GlobalZIndex(4),
        Children::spawn((
            Spawn(label(
                lang.pick(
                    "案例：跟着指挥中心看治理",
                    "Stories: governance as the command center saw it",
                ),
                size::BODY,
                palette::TEXT_MUTED,
            )),
            SpawnIter(stories.into_iter()),
            Spawn(button(
                lang.pick("关闭", "Close"),
                false,
                MapRequest::ToggleChooser(Chooser::Stories),
            )),
        )),
    )
}

/// The story step on show: the story's title and the step's place in it, then its caption
/// in large type. Sits under the title, where the breadcrumb is otherwise.
pub(super) fn story_caption(city: &CityData, lang: Lang, p: &Playing) -> impl Bundle {
    let story = city.snapshot.stories.get(p.story);
    let steps = story.map_or(0, |s| s.steps.len());
    let title = story.map_or("", |s| lang.pick(&s.title, &s.title_en));
    let caption = p
        .step_of(&city.snapshot)
        .map_or("", |x| lang.pick(&x.caption, &x.caption_en));
    let heading = match lang {
        Lang::Zh => format!("案例 · {title} · 第{}步 / 共{steps}步", p.step + 1),
        Lang::En => format!("Story · {title} · step {} of {steps}", p.step + 1),
    };
    (
        Name::new("Story caption"),
        Node {
            flex_direction: FlexDirection::Column,
            padding: UiRect::axes(px(20), px(12)),
            row_gap: px(6),
            border: UiRect::all(px(2)),
            border_radius: BorderRadius::all(px(12)),
            align_self: AlignSelf::FlexStart,
            ..default()
        },
        Fill(theme::color(palette::PANEL.with_alpha(235))),
        BorderColor::all(theme::color(palette::HIGHLIGHT)),
        BlocksMap,
        children![
            label(heading, size::SMALL, palette::HIGHLIGHT),
            label(caption.to_string(), size::HEADING, palette::TEXT),
        ],
    )
}

/// The bottom bar while a story plays: back to the step's place (when the visitor has
/// moved the map away from it), the step before (from the second), the next (the last
/// step's says "done" and ends it), and end.
pub(super) fn story_buttons(
    city: &CityData,
    lang: Lang,
    p: &Playing,
    focus: Focus,
) -> Vec<(String, bool, MapRequest)> {
    let story = city.snapshot.stories.get(p.story);
    let steps = story.map_or(0, |s| s.steps.len());
    let mut out = Vec::new();
    let step_focus = p
        .step_of(&city.snapshot)
        .map(|x| step_requests(city, &x.focus))
        .and_then(|r| match r.first() {
            Some(MapRequest::Focus(f)) => Some(*f),
            _ => None,
        });
    if step_focus.is_some_and(|f| f != focus) {
        out.push((
            lang.pick("‹ 回到本步", "‹ Back to the step").to_string(),
            false,
            MapRequest::StoryStep(0),
        ));
    }
    if p.step > 0 {
        out.push((
            lang.pick("‹ 上一步", "‹ Previous").to_string(),
            false,
            MapRequest::StoryStep(-1),
        ));
    }
    let last = p.step + 1 >= steps;
    out.push((
        if last {
            lang.pick("完成", "Done")
        } else {
            lang.pick("下一步 ›", "Next ›")
        }
        .to_string(),
        true,
        MapRequest::StoryStep(1),
    ));
    if !last {
        out.push((
            lang.pick("结束案例", "End story").to_string(),
            false,
            MapRequest::EndStory,
        ));
    }
    out
}
