//! The bars along the screen's edges: the title and the breadcrumb (top left), the demo
//! badge, the view and language buttons (top right), the back button and the figure and
//! layer buttons (bottom), and the hint under the hall view.

use bevy::prelude::*;

use super::{place, region_name};
use crate::app::base::theme::{self, size};
use crate::app::base::widgets::{BlocksMap, button, label};
use crate::app::base::{Focus, MainView, MapRequest};
use crate::palette;
use crate::scene::format::{Lang, Text as Words, text};
use crate::scene::layers::Figure;
use crate::snapshot::index::CityData;

/// A grid's name in the breadcrumb, after its community's: "第3网格", "Grid 3".
fn grid_short_name(
    city: &CityData,
    g: usize,
    grid: &crate::snapshot::governance::Grid,
    lang: Lang,
) -> String {
    let community = city
        .index
        .governance
        .grid_community
        .get(g)
        .and_then(|&c| city.snapshot.regions.get(c as usize))
        .map_or("", |r| r.name.as_str());
    let (zh, en) = crate::scene::format::grid_short_names(grid, community);
    lang.pick(zh, en).to_string()
}

/// The title and the breadcrumb, one button per level up to the focus.
pub(super) fn top_bar(city: &CityData, focus: Focus, lang: Lang, reach: bool) -> impl Bundle {
    let mut crumbs: Vec<(String, Focus)> = Vec::new();
    for r in city.index.ancestry(focus.region(city)) {
        crumbs.push((region_name(city, r, lang), Focus::of_region(city, r)));
    }
    if let Some(g) = focus.grid(city)
        && let Some(x) = city.snapshot.grids.get(g)
    {
        crumbs.push((grid_short_name(city, g, x, lang), Focus::Grid(g)));
    }
    if let Focus::Building(b) = focus
        && let Some(x) = city.snapshot.buildings.get(b)
    {
        let name = lang.pick(&x.name, &x.name_en);
        crumbs.push((
            if name.is_empty() {
                x.id.clone()
            } else {
                name.to_string()
            },
            focus,
        ));
    }
    let n = crumbs.len();
    let title = format!(
        "{} · {}",
        region_name(city, city.index.district, lang),
        text(Words::Title, lang)
    );
    (
        Name::new("Top bar"),
        Node {
            max_width: percent(70),
            flex_direction: FlexDirection::Column,
            row_gap: px(10),
            ..place(reach, Some(24.0), None, 18.0, 104.0)
        },
        Pickable::IGNORE,
        Children::spawn((
            Spawn((
                Node {
                    padding: UiRect::axes(px(16), px(6)),
                    border_radius: BorderRadius::all(px(10)),
                    align_self: AlignSelf::FlexStart,
                    ..default()
                },
                BackgroundColor(theme::color(palette::PANEL.with_alpha(220))),
                BlocksMap,
                children![label(title, size::TITLE, palette::TEXT)],
            )),
            Spawn((
                Node {
                    flex_direction: FlexDirection::Row,
                    flex_wrap: FlexWrap::Wrap,
                    align_items: AlignItems::Center,
                    column_gap: px(6),
                    row_gap: px(6),
                    ..default()
                },
                Pickable::IGNORE,
                Children::spawn(SpawnIter(crumbs.into_iter().enumerate().map(
                    move |(i, (name, f))| {
                        let caption = if i + 1 < n {
                            format!("{name}  ›")
                        } else {
                            name
                        };
                        button(caption, i + 1 == n, MapRequest::Focus(f))
                    },
                ))),
            )),
        )),
    )
}

/// The demo badge, the view button and the language button.
pub(super) fn top_right(city: &CityData, lang: Lang, view: MainView, reach: bool) -> impl Bundle {
    let demo = city.snapshot.demo;
    let (caption, next) = match view {
        MainView::Map => (lang.pick("环幕视角", "Ring view"), MainView::Hall),
        _ => (lang.pick("返回地图", "Map"), MainView::Map),
    };
    (
        Name::new("Language and badge"),
        Node {
            flex_direction: FlexDirection::Row,
            align_items: AlignItems::Center,
            column_gap: px(14),
            ..place(reach, None, Some(24.0), 18.0, 200.0)
        },
        Pickable::IGNORE,
        Children::spawn((
            Spawn((
                Node {
                    padding: UiRect::axes(px(16), px(8)),
                    border_radius: BorderRadius::all(px(8)),
                    display: if demo { Display::Flex } else { Display::None },
                    ..default()
                },
                BackgroundColor(theme::color(palette::DEMO_BADGE)),
                BlocksMap,
                children![label(
                    text(Words::DemoData, lang),
                    size::BODY,
                    palette::DEMO_BADGE_TEXT
                )],
            )),
            Spawn(button(caption, false, MapRequest::SetView(next))),
            Spawn(button(
                text(Words::LanguageToggle, lang),
                false,
                MapRequest::ToggleLang,
            )),
        )),
    )
}

/// Back, the figure buttons (district and subdistrict) and all buildings (district).
pub(super) fn bottom_bar(
    city: &CityData,
    focus: Focus,
    lang: Lang,
    figure: Figure,
    all: bool,
) -> impl Bundle {
    let mut buttons: Vec<(String, bool, MapRequest)> = Vec::new();
    if focus != Focus::District {
        buttons.push((
            format!("‹ {}", text(Words::Back, lang)),
            false,
            MapRequest::Back,
        ));
    }
    if focus.depth() <= 1 {
        for f in [
            Figure::Residents,
            Figure::ResidentialBuildings,
            Figure::FloorArea,
            Figure::Households,
        ] {
            buttons.push((f.name(city, lang), f == figure, MapRequest::SetFigure(f)));
        }
        let metrics = Figure::metric_choices(city);
        if !metrics.is_empty() {
            let current = metrics.iter().position(|m| *m == figure);
            let next = current.map_or(0, |i| (i + 1) % metrics.len());
            let caption = match current {
                Some(_) => format!("{} ›", figure.name(city, lang)),
                None => lang.pick("部门指标 ›", "Department data ›").to_string(),
            };
            buttons.push((
                caption,
                current.is_some(),
                MapRequest::SetFigure(metrics[next]),
            ));
        }
    }
    if focus == Focus::District {
        buttons.push((
            text(Words::AllBuildings, lang).into(),
            all,
            MapRequest::ToggleAllBuildings,
        ));
    }
    (
        Name::new("Bottom bar"),
        Node {
            position_type: PositionType::Absolute,
            left: px(24),
            bottom: px(24),
            max_width: percent(72),
            flex_direction: FlexDirection::Row,
            flex_wrap: FlexWrap::Wrap,
            column_gap: px(12),
            row_gap: px(12),
            ..default()
        },
        Pickable::IGNORE,
        Children::spawn(SpawnIter(
            buttons
                .into_iter()
                .map(|(caption, active, req)| button(caption, active, req)),
        )),
    )
}

/// How to use the hall view.
pub(super) fn hall_hint(lang: Lang) -> impl Bundle {
    (
        Name::new("Hall hint"),
        Node {
            position_type: PositionType::Absolute,
            bottom: px(28),
            left: percent(50),
            margin: UiRect::left(px(-200)),
            width: px(400),
            justify_content: JustifyContent::Center,
            padding: UiRect::axes(px(16), px(8)),
            border_radius: BorderRadius::all(px(10)),
            ..default()
        },
        BackgroundColor(theme::color(palette::PANEL.with_alpha(220))),
        Pickable::IGNORE,
        children![label(
            lang.pick("拖动画面环视全景", "Drag to look around the ring"),
            size::BODY,
            palette::TEXT
        )],
    )
}
