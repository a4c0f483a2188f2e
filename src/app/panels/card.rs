//! The figures card, top right: the selection's name, level or use, and its figures (see
//! `scene::card` for what it says).

use bevy::prelude::*;

use crate::app::base::theme::{self, size};
use crate::app::base::widgets::{button, label, panel};
use crate::app::base::{Focus, MapRequest};
use crate::palette;
use crate::scene::card::{Card, CardRow, CardSubject, TimelineStep, card};
use crate::scene::format::{Lang, Text as Words, text};
use crate::snapshot::index::CityData;

/// What the card shows for a focus: an open case, the building, the grid, or the focused
/// region (a building's community's when the building is not in the snapshot).
fn subject(city: &CityData, focus: Focus, case: Option<usize>) -> CardSubject {
    if let Some(c) = case.filter(|&c| c < city.snapshot.cases.len()) {
        return CardSubject::Case(c);
    }
    match focus {
        Focus::Building(b) if b < city.snapshot.buildings.len() => CardSubject::Building(b),
        Focus::Grid(g) if g < city.snapshot.grids.len() => CardSubject::Grid(g),
        other => CardSubject::Region(other.region(city)),
    }
}

/// The card for the focus, or for the open case; owners and grid workers masked unless
/// `full_names`.
pub(super) fn card_panel(
    city: &CityData,
    focus: Focus,
    case: Option<usize>,
    lang: Lang,
    full_names: bool,
) -> impl Bundle {
    let Card {
        title,
        subtitle,
        rows,
        timeline,
    } = card(city, subject(city, focus, case), lang, full_names);
    let is_case = !timeline.is_empty();
    (
        Name::new("Card"),
        Node {
            position_type: PositionType::Absolute,
            right: px(theme::layout::MARGIN),
            top: px(110),
            width: px(theme::layout::COLUMN_WIDTH),
            flex_direction: FlexDirection::Column,
            padding: UiRect::all(px(24)),
            row_gap: px(14),
            border: UiRect::all(px(2)),
            border_radius: BorderRadius::all(px(14)),
            ..default()
        },
        panel(),
        Children::spawn((
            Spawn(label(title, size::HEADING, palette::TEXT)),
            Spawn(label(subtitle, size::SMALL, palette::ACCENT)),
            Spawn((
                Node {
                    height: px(2),
                    ..default()
                },
                BackgroundColor(theme::color(palette::PANEL_BORDER)),
            )),
            SpawnIter(rows.into_iter().map(
                |CardRow {
                     label: k,
                     value: v,
                     long,
                     alert,
                 }| {
                    // The owners' list is long: body size, wrapping.
                    let value_size = if long { size::BODY } else { size::FIGURE };
                    (
                        Node {
                            flex_direction: FlexDirection::Column,
                            row_gap: px(2),
                            ..default()
                        },
                        Pickable::IGNORE,
                        children![
                            label(k, size::SMALL, palette::TEXT_MUTED),
                            label(
                                v,
                                value_size,
                                if alert { palette::ALERT } else { palette::TEXT }
                            ),
                        ],
                    )
                },
            )),
            SpawnIter(
                is_case
                    .then(|| {
                        label(
                            text(Words::Lifecycle, lang),
                            size::SMALL,
                            palette::TEXT_MUTED,
                        )
                    })
                    .into_iter(),
            ),
            SpawnIter(timeline.into_iter().map(timeline_row)),
            SpawnIter(
                is_case
                    .then(|| button(text(Words::Close, lang), false, MapRequest::Back))
                    .into_iter(),
            ),
        )),
    )
}

/// One stage of a case's timeline: a dot (filled when reached, red when late), the stage,
/// when it was reached and how long it took.
fn timeline_row(step: TimelineStep) -> impl Bundle {
    let reached = step.at.is_some();
    let dot = match (reached, step.late) {
        (_, true) => palette::ALERT,
        (true, false) => palette::ACCENT,
        (false, false) => palette::PANEL_BORDER,
    };
    let when_color = if step.late {
        palette::ALERT
    } else if reached {
        palette::TEXT
    } else {
        palette::TEXT_MUTED
    };
    (
        Node {
            flex_direction: FlexDirection::Row,
            align_items: AlignItems::Center,
            column_gap: px(10),
            ..default()
        },
        Pickable::IGNORE,
        children![
            (
                Node {
                    width: px(12),
                    height: px(12),
                    border_radius: BorderRadius::MAX,
                    ..default()
                },
                BackgroundColor(theme::color(dot)),
                Pickable::IGNORE,
            ),
            (
                Node {
                    width: px(118),
                    ..default()
                },
                Pickable::IGNORE,
                children![label(step.stage, size::BODY, palette::TEXT)],
            ),
            (
                Node {
                    width: px(116),
                    ..default()
                },
                Pickable::IGNORE,
                children![label(
                    step.at.unwrap_or_else(|| "—".to_string()),
                    size::BODY,
                    when_color
                )],
            ),
            label(
                step.took,
                size::SMALL,
                if step.late {
                    palette::ALERT
                } else {
                    palette::TEXT_MUTED
                }
            ),
        ],
    )
}
