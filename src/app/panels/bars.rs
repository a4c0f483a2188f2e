//! The bars along the screen's edges: the title and the breadcrumb (top left), the demo
//! badge, the view and language buttons (top right), the back button and the figure and
//! layer buttons (bottom), and the hint under the hall view.

use bevy::prelude::*;

use super::{place, region_name};
use crate::app::base::theme::{self, size};
use crate::app::base::widgets::{BlocksMap, Fill, button, compass_button, label};
use crate::app::base::{Chooser, Focus, MainView, MapRequest, Playing};
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

/// The title and the breadcrumb, one button per level up to the focus; while a story
/// plays, its step's caption instead of the breadcrumb.
pub(super) fn top_bar(
    city: &CityData,
    focus: Focus,
    lang: Lang,
    reach: bool,
    story: Option<&Playing>,
) -> impl Bundle {
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
                Fill(theme::color(palette::PANEL.with_alpha(220))),
                BlocksMap,
                children![label(title, size::TITLE, palette::TEXT)],
            )),
            SpawnIter(
                story
                    .map(|p| super::choosers::story_caption(city, lang, p))
                    .into_iter(),
            ),
            SpawnIter(story.is_none().then_some(()).into_iter().map(move |()| {
                (
                    Node {
                        flex_direction: FlexDirection::Row,
                        flex_wrap: FlexWrap::Wrap,
                        align_items: AlignItems::Center,
                        column_gap: px(6),
                        row_gap: px(6),
                        ..default()
                    },
                    Pickable::IGNORE,
                    Children::spawn(SpawnIter(crumbs.clone().into_iter().enumerate().map(
                        move |(i, (name, f))| {
                            let caption = if i + 1 < n {
                                format!("{name}  ›")
                            } else {
                                name
                            };
                            button(caption, i + 1 == n, MapRequest::Focus(f))
                        },
                    ))),
                )
            })),
        )),
    )
}

/// The demo badge, the stories button (when the snapshot has stories, on the map), the view
/// button and the language button.
pub(super) fn top_right(
    city: &CityData,
    lang: Lang,
    view: MainView,
    reach: bool,
    stories_on: bool,
) -> impl Bundle {
    let demo = city.snapshot.demo;
    let stories = (view == MainView::Map && !city.snapshot.stories.is_empty()).then(|| {
        button(
            lang.pick("案例", "Stories"),
            stories_on,
            MapRequest::ToggleChooser(Chooser::Stories),
        )
    });
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
                Fill(theme::color(palette::DEMO_BADGE)),
                BlocksMap,
                children![label(
                    text(Words::DemoData, lang),
                    size::BODY,
                    palette::DEMO_BADGE_TEXT
                )],
            )),
            SpawnIter(stories.into_iter()),
            Spawn(button(caption, false, MapRequest::SetView(next))),
            Spawn(button(
                text(Words::LanguageToggle, lang),
                false,
                MapRequest::ToggleLang,
            )),
        )),
    )
}

/// Back, the figure buttons (district and subdistrict), all buildings (district) and the
/// layers chooser's button (when the snapshot has governance layers); while a story plays,
/// its buttons instead.
pub(super) fn bottom_bar(
    city: &CityData,
    focus: Focus,
    lang: Lang,
    (figure, all, layers_open, map_3d): (Figure, bool, bool, bool),
    story: Option<&Playing>,
    heading: f64,
) -> impl Bundle {
    let mut buttons: Vec<(String, bool, MapRequest)> = Vec::new();
    if let Some(p) = story {
        buttons = super::choosers::story_buttons(city, lang, p, focus);
    } else {
        figure_buttons(city, focus, lang, (figure, all, layers_open), &mut buttons);
        // The map flat or in 3D (key 3).
        buttons.push((lang.pick("三维", "3D").into(), map_3d, MapRequest::Toggle3d));
    }
    (
        Name::new("Bottom bar"),
        BottomBar,
        Node {
            position_type: PositionType::Absolute,
            left: px(24),
            bottom: px(24),
            // As far as the strip reaches: the card and legend column stays clear.
            right: px(theme::layout::CLEAR_OF_COLUMN),
            flex_direction: FlexDirection::Row,
            flex_wrap: FlexWrap::Wrap,
            column_gap: px(12),
            row_gap: px(ROW_GAP),
            ..default()
        },
        Pickable::IGNORE,
        Children::spawn((
            SpawnIter(
                buttons
                    .into_iter()
                    .map(|(caption, active, req)| button(caption, active, req)),
            ),
            // In 3D the compass, pointing north; a tap turns the map north up.
            SpawnIter(
                (map_3d && story.is_none())
                    .then(|| compass_button(lang.pick("北", "N"), heading))
                    .into_iter(),
            ),
        )),
    )
}

/// Space between the bottom bar's rows of buttons when they wrap, logical px.
pub(super) const ROW_GAP: f32 = 12.0;

/// Marks the bottom bar, whose height places the strip above it
/// ([`super::strip::clear_bottom_bar`]).
#[derive(Component)]
pub(super) struct BottomBar;

/// Most characters of a figure's name on a cycling button; longer names end in "…" there
/// (the legend and the card carry them whole), so that the bottom bar mostly stays one row
/// at 16:9; when it does not, the strip makes room (`strip::clear_bottom_bar`).
const CYCLE_CAPTION_CHARS: usize = 14;

/// `name`, cut to `max` characters with "…" as the last of them when longer.
fn clipped(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        return name.to_string();
    }
    let kept: String = name.chars().take(max.saturating_sub(1)).collect();
    let mut out = kept.trim_end().to_string();
    out.push('…');
    out
}

/// A button that cycles through `choices` (figures of one kind): its caption is the figure
/// on show when it is one of them, else `none`.
fn cycle_button(
    city: &CityData,
    lang: Lang,
    figure: Figure,
    choices: &[Figure],
    none: &str,
) -> Option<(String, bool, MapRequest)> {
    if choices.is_empty() {
        return None;
    }
    let current = choices.iter().position(|m| *m == figure);
    let next = current.map_or(0, |i| (i + 1) % choices.len());
    let caption = match current {
        Some(_) => format!(
            "{} ›",
            clipped(&figure.name(city, lang), CYCLE_CAPTION_CHARS)
        ),
        None => none.to_string(),
    };
    Some((
        caption,
        current.is_some(),
        MapRequest::SetFigure(choices[next]),
    ))
}

/// The bottom bar's buttons while no story plays.
fn figure_buttons(
    city: &CityData,
    focus: Focus,
    lang: Lang,
    (figure, all, layers_open): (Figure, bool, bool),
    buttons: &mut Vec<(String, bool, MapRequest)>,
) {
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
            // Short English captions keep the bar to one row at 16:9 in most states (see
            // `CYCLE_CAPTION_CHARS`); the legend and the card carry the full name.
            let caption = match (f, lang) {
                (Figure::ResidentialBuildings, Lang::En) => "Buildings".to_string(),
                _ => f.name(city, lang),
            };
            buttons.push((caption, f == figure, MapRequest::SetFigure(f)));
        }
        buttons.extend(cycle_button(
            city,
            lang,
            figure,
            &Figure::metric_choices(city),
            lang.pick("部门指标 ›", "Departments ›"),
        ));
        buttons.extend(cycle_button(
            city,
            lang,
            figure,
            &Figure::case_choices(city),
            lang.pick("事件指标 ›", "Cases ›"),
        ));
    }
    if focus == Focus::District {
        buttons.push((
            text(Words::AllBuildings, lang).into(),
            all,
            MapRequest::ToggleAllBuildings,
        ));
    }
    let s = &city.snapshot;
    if !(s.cases.is_empty() && s.places.is_empty() && s.grids.is_empty()) {
        buttons.push((
            lang.pick("图层", "Layers").to_string(),
            layers_open,
            MapRequest::ToggleChooser(Chooser::Layers),
        ));
    }
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
        Fill(theme::color(palette::PANEL.with_alpha(220))),
        Pickable::IGNORE,
        children![label(
            lang.pick("拖动画面环视全景", "Drag to look around the ring"),
            size::BODY,
            palette::TEXT
        )],
    )
}

#[cfg(test)]
mod tests {
    use super::clipped;

    #[test]
    fn long_captions_end_in_an_ellipsis_within_the_limit() {
        assert_eq!(clipped("Fire alarms", 14), "Fire alarms");
        assert_eq!(
            clipped("Property management coverage", 14),
            "Property mana…"
        );
        assert_eq!(
            clipped("Property management coverage", 14).chars().count(),
            14
        );
        assert_eq!(clipped("垃圾分类覆盖率", 14), "垃圾分类覆盖率");
        assert_eq!(clipped("Morning peak traffic", 14), "Morning peak…");
    }
}
