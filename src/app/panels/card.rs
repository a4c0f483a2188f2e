//! The figures card, top right: the selection's name, level or use, and its figures (see
//! `scene::card` for what it says).

use bevy::prelude::*;

use crate::app::base::Focus;
use crate::app::base::theme::{self, size};
use crate::app::base::widgets::{label, panel};
use crate::palette;
use crate::scene::card::{Card, CardRow, CardSubject, card};
use crate::scene::format::Lang;
use crate::snapshot::index::CityData;

/// What the card shows for a focus: the building, or the focused region (a building's
/// community's when the building is not in the snapshot).
fn subject(city: &CityData, focus: Focus) -> CardSubject {
    match focus {
        Focus::Building(b) if b < city.snapshot.buildings.len() => CardSubject::Building(b),
        other => CardSubject::Region(other.region(city)),
    }
}

/// The card for the focus; owners masked unless `full_names`.
pub(super) fn card_panel(
    city: &CityData,
    focus: Focus,
    lang: Lang,
    full_names: bool,
) -> impl Bundle {
    let Card {
        title,
        subtitle,
        rows,
    } = card(city, subject(city, focus), lang, full_names);
    (
        Name::new("Card"),
        Node {
            position_type: PositionType::Absolute,
            right: px(24),
            top: px(110),
            width: px(420),
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
                            label(v, value_size, palette::TEXT),
                        ],
                    )
                },
            )),
        )),
    )
}
