//! The legends, bottom right: the color ramp of the figure the regions are colored by
//! (district and subdistrict), and how buildings and cases are drawn (community and
//! building).

use bevy::prelude::*;

use crate::app::base::theme::{self, size};
use crate::app::base::widgets::{label, panel};
use crate::palette;
use crate::scene::format::{Lang, Text as Words, text};
use crate::scene::legend::{LegendText, legend_text};
use crate::snapshot::index::CityData;

/// The legend's place: bottom right, under the card.
fn legend_box() -> Node {
    Node {
        position_type: PositionType::Absolute,
        right: px(theme::layout::MARGIN),
        bottom: px(theme::layout::MARGIN),
        width: px(theme::layout::COLUMN_WIDTH),
        flex_direction: FlexDirection::Column,
        padding: UiRect::all(px(16)),
        row_gap: px(8),
        border: UiRect::all(px(2)),
        border_radius: BorderRadius::all(px(14)),
        ..default()
    }
}

/// A legend row's name, in the column the rows share.
fn row_name(name: &'static str, lang: Lang) -> impl Bundle {
    (
        Node {
            // Wide enough for "Non-residential" on one line; Chinese names are shorter.
            width: px(match lang {
                Lang::Zh => 96,
                Lang::En => 132,
            }),
            flex_shrink: 0.0,
            ..default()
        },
        Pickable::IGNORE,
        children![label(name, size::SMALL, palette::TEXT_MUTED)],
    )
}

/// A case dot as the map draws it (`scene::layers`): a department's color, with a rim
/// when the case is open (red when overdue), small and dim when closed.
fn case_sample(rim: Option<palette::Srgba>, words: &'static str) -> impl Bundle {
    let (size, fill) = match rim {
        Some(_) => (14, palette::ACCENT),
        None => (9, palette::ACCENT.with_alpha(200)),
    };
    (
        Node {
            flex_direction: FlexDirection::Row,
            align_items: AlignItems::Center,
            column_gap: px(6),
            ..default()
        },
        Pickable::IGNORE,
        children![
            (
                Node {
                    width: px(size),
                    height: px(size),
                    border: UiRect::all(px(if rim.is_some() { 2 } else { 0 })),
                    border_radius: BorderRadius::MAX,
                    ..default()
                },
                BackgroundColor(theme::color(fill)),
                BorderColor::all(theme::color(rim.unwrap_or(fill))),
                Pickable::IGNORE,
            ),
            label(words, size::SMALL, palette::TEXT_MUTED),
        ],
    )
}

/// How buildings are colored: hue by use, lightness by height; and, when the snapshot has
/// cases, how its case dots read (their color is the department's, named on the ring).
pub(super) fn building_legend(lang: Lang, cases: bool, places: bool) -> impl Bundle {
    let ramp = |residential: bool| {
        (
            Node {
                flex_direction: FlexDirection::Row,
                height: px(16),
                flex_grow: 1.0,
                ..default()
            },
            Pickable::IGNORE,
            Children::spawn(SpawnIter([1, 3, 6, 12, 24, 33].into_iter().map(
                move |floors| {
                    (
                        Node {
                            flex_grow: 1.0,
                            ..default()
                        },
                        BackgroundColor(theme::color(palette::building(residential, floors))),
                    )
                },
            ))),
        )
    };
    let row = |name: &'static str, residential: bool| {
        (
            Node {
                flex_direction: FlexDirection::Row,
                align_items: AlignItems::Center,
                column_gap: px(12),
                ..default()
            },
            Pickable::IGNORE,
            children![row_name(name, lang), ramp(residential)],
        )
    };
    (
        Name::new("Building legend"),
        legend_box(),
        panel(),
        Children::spawn((
            Spawn(label(
                text(Words::Buildings, lang),
                size::BODY,
                palette::TEXT,
            )),
            Spawn(row(text(Words::Residential, lang), true)),
            Spawn(row(text(Words::OtherUse, lang), false)),
            Spawn((
                Node {
                    flex_direction: FlexDirection::Row,
                    justify_content: JustifyContent::SpaceBetween,
                    margin: UiRect::left(px(match lang {
                        Lang::Zh => 108,
                        Lang::En => 144,
                    })),
                    ..default()
                },
                Pickable::IGNORE,
                children![
                    label(
                        lang.pick("低层", "low-rise"),
                        size::SMALL,
                        palette::TEXT_MUTED
                    ),
                    label(
                        lang.pick("高层", "high-rise"),
                        size::SMALL,
                        palette::TEXT_MUTED
                    ),
                ],
            )),
            SpawnIter(cases.then(|| case_row(lang)).into_iter()),
            SpawnIter(places.then(|| places_row(lang)).into_iter()),
        )),
    )
}

/// The legend's row for places: each kind's mark (shape and color as the map draws them,
/// `scene::overlays::place_style`) and name.
fn places_row(lang: Lang) -> impl Bundle {
    use crate::snapshot::PlaceKind;
    let mark = |kind: PlaceKind, glyph: &'static str| {
        let (_, _, color) = crate::scene::overlays::place_style(kind);
        let (zh, en) = match kind {
            PlaceKind::ServiceStation => ("服务站", "station"),
            PlaceKind::SocialOrganization => ("社会组织", "org."),
            PlaceKind::PartyServicePoint => ("党员点", "party"),
        };
        (
            Node {
                flex_direction: FlexDirection::Row,
                align_items: AlignItems::Center,
                column_gap: px(4),
                // A name wraps as a whole, never within itself.
                flex_shrink: 0.0,
                ..default()
            },
            Pickable::IGNORE,
            children![
                label(glyph, size::SMALL, color),
                label(lang.pick(zh, en), size::SMALL, palette::TEXT_MUTED),
            ],
        )
    };
    (
        Node {
            flex_direction: FlexDirection::Row,
            align_items: AlignItems::Center,
            column_gap: px(12),
            margin: UiRect::top(px(4)),
            ..default()
        },
        Pickable::IGNORE,
        children![
            row_name(lang.pick("服务点位", "Places"), lang),
            (
                Node {
                    flex_direction: FlexDirection::Row,
                    flex_wrap: FlexWrap::Wrap,
                    flex_shrink: 1.0,
                    column_gap: px(10),
                    row_gap: px(2),
                    ..default()
                },
                Pickable::IGNORE,
                children![
                    mark(PlaceKind::ServiceStation, "■"),
                    mark(PlaceKind::SocialOrganization, "◆"),
                    mark(PlaceKind::PartyServicePoint, "▲"),
                ],
            ),
        ],
    )
}

/// A legend row of case samples: its name, then each sample's dot (with its rim, if any)
/// and words.
fn sample_row(
    name: &'static str,
    lang: Lang,
    samples: Vec<(Option<palette::Srgba>, &'static str)>,
) -> impl Bundle {
    (
        Node {
            flex_direction: FlexDirection::Row,
            align_items: AlignItems::Center,
            column_gap: px(14),
            margin: UiRect::top(px(4)),
            ..default()
        },
        Pickable::IGNORE,
        Children::spawn((
            Spawn(row_name(name, lang)),
            SpawnIter(
                samples
                    .into_iter()
                    .map(|(rim, words)| case_sample(rim, words)),
            ),
        )),
    )
}

/// The legend's row for case dots: open, overdue, closed.
fn case_row(lang: Lang) -> impl Bundle {
    sample_row(
        lang.pick("事件", "Cases"),
        lang,
        vec![
            (Some(palette::TEXT), lang.pick("办理中", "open")),
            (Some(palette::ALERT), lang.pick("超期", "overdue")),
            (None, lang.pick("已结案", "closed")),
        ],
    )
}

/// What the 3D map raises, for the legend's note.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Raised {
    /// The regions, by the figure.
    Regions,
    /// Every building, by its floors (all buildings on the district view), at this storey
    /// height, metres (the configuration's `storey_m`).
    Buildings(f64),
}

/// The color ramp of the figure the regions are colored by, with its range.
/// `clusters`: the status of the cases the map clusters, when it shows any; `raised`: what
/// the 3D map raises, when it is in 3D.
pub(super) fn legend_panel(
    city: &CityData,
    lang: Lang,
    l: crate::scene::layers::Legend,
    clusters: Option<crate::snapshot::StatusFilter>,
    raised: Option<Raised>,
) -> impl Bundle {
    let LegendText {
        title: name,
        low: lo,
        high: hi,
    } = legend_text(city, l, lang);
    (
        Name::new("Legend"),
        legend_box(),
        panel(),
        Children::spawn((
            Spawn(label(name, size::BODY, palette::TEXT)),
            Spawn((
                Node {
                    flex_direction: FlexDirection::Row,
                    height: px(18),
                    ..default()
                },
                Pickable::IGNORE,
                Children::spawn(SpawnIter(palette::RAMP.into_iter().map(|c| {
                    (
                        Node {
                            flex_grow: 1.0,
                            ..default()
                        },
                        BackgroundColor(theme::color(c)),
                    )
                }))),
            )),
            Spawn((
                Node {
                    flex_direction: FlexDirection::Row,
                    justify_content: JustifyContent::SpaceBetween,
                    ..default()
                },
                Pickable::IGNORE,
                children![
                    label(lo, size::SMALL, palette::TEXT_MUTED),
                    label(hi, size::SMALL, palette::TEXT_MUTED),
                ],
            )),
            SpawnIter(clusters.map(|status| cluster_row(lang, status)).into_iter()),
            // The 3D map: what the heights say (proportional, from zero; or the buildings').
            SpawnIter(
                raised
                    .map(|r| {
                        label(
                            match r {
                                Raised::Regions => lang
                                    .pick(
                                        "三维：高度同为此数，从零起",
                                        "3D: height is this figure, from zero",
                                    )
                                    .to_string(),
                                Raised::Buildings(storey) => {
                                    let m = format!("{storey:.2}");
                                    let m = m.trim_end_matches('0').trim_end_matches('.');
                                    match lang {
                                        Lang::Zh => format!("三维：楼高 = 层数 × {m} 米"),
                                        Lang::En => format!("3D: buildings at floors × {m} m"),
                                    }
                                }
                            },
                            size::SMALL,
                            palette::TEXT_MUTED,
                        )
                    })
                    .into_iter(),
            ),
        )),
    )
}

/// The legend's row for case clusters (district and subdistrict views): a disc per group of
/// nearby open cases, larger with more cases, its count on it, a red rim where one of them
/// is overdue.
fn cluster_row(lang: Lang, status: crate::snapshot::StatusFilter) -> impl Bundle {
    use crate::snapshot::StatusFilter;
    sample_row(
        match status {
            StatusFilter::Any | StatusFilter::Open => lang.pick("办理中事件", "Open cases"),
            StatusFilter::Overdue => lang.pick("超期事件", "Overdue cases"),
            StatusFilter::Closed => lang.pick("已结案事件", "Closed cases"),
        },
        lang,
        vec![
            (Some(palette::TEXT), lang.pick("数字为件数", "count")),
            (Some(palette::ALERT), lang.pick("含超期", "overdue")),
        ],
    )
}
