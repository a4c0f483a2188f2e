//! The floor stack (issue 17): beside the card while a building is focused on the 3D map,
//! one slab per floor (top floor first), each as long as the floor's households (and empty
//! dwellings, paler); a tap on a slab, or the big ▲ ▼ buttons, picks a floor and shows its
//! figures. Where the snapshot has no figures per floor the totals are spread evenly and
//! the panel says so (`scene::floors`).

use bevy::prelude::*;

use crate::app::base::MapRequest;
use crate::app::base::map_view::FLOOR_STACK_WIDTH;
use crate::app::base::theme::{self, size};
use crate::app::base::widgets::{BlocksMap, OnPress, button, label, panel};
use crate::palette;
use crate::scene::floors::{
    FloorRow, FloorStack, Source, floor_figures, floor_name, floor_stack, source_note,
};
use crate::scene::format::Lang;
use crate::snapshot::Building;

/// The height the slabs share, logical px at UI scale 1.
const STACK_HEIGHT: f32 = 330.0;

/// The floor stack of `b` with `picked` floor highlighted.
pub(super) fn floor_panel(b: &Building, picked: Option<i64>, lang: Lang) -> impl Bundle + use<> {
    let stack = floor_stack(b);
    let n = stack.rows.len().max(1) as f32;
    // Each slab's share of the column; tall buildings get thin slabs, low ones stop at 40 px.
    let slab = (STACK_HEIGHT / n).min(40.0);
    let detail = picked
        .and_then(|f| stack.rows.iter().find(|r| r.floor == f))
        .map_or_else(
            || lang.pick("点按楼层查看", "Tap a floor").to_string(),
            |r| {
                let figures = r.values.map_or_else(
                    || {
                        lang.pick("本层无数据", "no figures for this floor")
                            .to_string()
                    },
                    |v| floor_figures(&v, stack.source, lang),
                );
                format!("{} · {figures}", floor_name(r.floor, lang))
            },
        );
    let every = label_every(slab);
    let rows: Vec<_> = stack
        .rows
        .iter()
        .map(|r| {
            // The ground floor too, where it is far enough below the first named one.
            let named = r.floor % every == 0 || (r.floor == 1 && (every - 1) as f32 * slab >= 20.0);
            slab_row(
                r,
                &stack,
                (slab, named.then_some(every)),
                picked == Some(r.floor),
                lang,
            )
        })
        .collect();
    (
        Name::new("Floor stack"),
        Node {
            position_type: PositionType::Absolute,
            right: px(theme::layout::MARGIN + theme::layout::COLUMN_WIDTH + 16.0),
            // Below the breadcrumb (which may reach this far right in English).
            top: px(160),
            width: px(FLOOR_STACK_WIDTH),
            flex_direction: FlexDirection::Column,
            padding: UiRect::all(px(18)),
            row_gap: px(10),
            border: UiRect::all(px(2)),
            border_radius: BorderRadius::all(px(14)),
            ..default()
        },
        panel(),
        Children::spawn((
            Spawn(label(
                format!(
                    "{} · {}",
                    lang.pick("楼层", "Floors"),
                    match lang {
                        Lang::Zh => format!("{}层", b.floors),
                        Lang::En => format!("{}", b.floors),
                    }
                ),
                size::HEADING,
                palette::TEXT,
            )),
            Spawn(label(
                source_note(stack.source, lang),
                size::SMALL,
                if stack.source == Source::Spread {
                    palette::HIGHLIGHT
                } else {
                    palette::ACCENT
                },
            )),
            // Two lines' room, so the slabs stay put under the finger whatever it says.
            Spawn((
                Node {
                    min_height: px(size::SMALL * 2.6),
                    ..default()
                },
                children![label(detail, size::SMALL, palette::TEXT)],
            )),
            Spawn((
                Name::new("Slabs"),
                Node {
                    flex_direction: FlexDirection::Column,
                    ..default()
                },
                BlocksMap,
                Children::spawn(SpawnIter(rows.into_iter())),
            )),
            Spawn((
                Node {
                    flex_direction: FlexDirection::Row,
                    column_gap: px(12),
                    ..default()
                },
                Pickable::IGNORE,
                children![
                    button(lang.pick("▲ 上层", "▲ Up"), false, MapRequest::StepFloor(1)),
                    button(
                        lang.pick("▼ 下层", "▼ Down"),
                        false,
                        MapRequest::StepFloor(-1)
                    ),
                ],
            )),
        )),
    )
}

/// Which floors a stack of `slab`-px slabs names: every floor when a name fits on its slab,
/// else every 2nd, 5th, 10th or 20th floor, so names are ≥ 20 px apart (the ground floor
/// is named too where it is that far below the first of them).
fn label_every(slab: f32) -> i64 {
    [1, 2, 5, 10, 20]
        .into_iter()
        .find(|&k| k as f32 * slab >= 20.0)
        .unwrap_or(50)
}

/// One floor: its name (on every `named`-th floor, where there is room), a bar as long as
/// its households and a paler one for its empty dwellings; the picked floor lit. The whole
/// row takes the tap, so the stack has no gaps between targets.
fn slab_row(
    r: &FloorRow,
    stack: &FloorStack,
    (h, named): (f32, Option<i64>),
    picked: bool,
    lang: Lang,
) -> impl Bundle + use<> {
    let (filled, empty) = r.values.map_or((0.0, 0.0), |v| {
        (
            (v.households / stack.widest * 100.0) as f32,
            (v.vacant_units.unwrap_or(0.0) / stack.widest * 100.0) as f32,
        )
    });
    let bar = match (stack.source, r.values.is_some()) {
        (_, false) => palette::CONTEXT_BORDER,
        (Source::PerFloor, true) => palette::RESIDENTIAL_HIGH,
        (Source::Spread, true) => palette::TEXT_MUTED,
    };
    // A name may overflow its thin slab into the unnamed ones around it.
    let (name, font) = match named {
        Some(every) => (
            floor_name(r.floor, lang),
            size::SMALL.min(every as f32 * h - 2.0).max(1.0),
        ),
        None => (String::new(), 1.0),
    };
    let gap = if h >= 8.0 { 2.0 } else { 0.5 };
    (
        Button,
        OnPress(MapRequest::SelectFloor(r.floor)),
        Node {
            height: px(h),
            flex_direction: FlexDirection::Row,
            align_items: AlignItems::Center,
            column_gap: px(8),
            padding: UiRect::vertical(px(gap * 0.5)),
            ..default()
        },
        BackgroundColor(if picked {
            theme::color(palette::BUTTON_ACTIVE)
        } else {
            Color::NONE
        }),
        children![
            (
                Node {
                    width: px(52),
                    justify_content: JustifyContent::End,
                    ..default()
                },
                Pickable::IGNORE,
                // The picked floor's name reads brightest on its lit row.
                children![label(
                    name,
                    font,
                    if picked {
                        palette::TEXT
                    } else {
                        palette::TEXT_MUTED
                    }
                )],
            ),
            (
                Node {
                    flex_grow: 1.0,
                    height: percent(100),
                    flex_direction: FlexDirection::Row,
                    border: UiRect::all(px(if r.values.is_some() { 0.0 } else { 1.0 })),
                    ..default()
                },
                BorderColor::all(theme::color(palette::CONTEXT_BORDER)),
                Pickable::IGNORE,
                children![
                    (
                        Node {
                            width: percent(filled),
                            height: percent(100),
                            ..default()
                        },
                        // The colour of the picked floor's band on the 3D building.
                        BackgroundColor(theme::color(if picked { palette::ACCENT } else { bar })),
                        Pickable::IGNORE,
                    ),
                    (
                        Node {
                            width: percent(empty),
                            height: percent(100),
                            ..default()
                        },
                        BackgroundColor(theme::color(bar.with_alpha(90))),
                        Pickable::IGNORE,
                    ),
                ],
            ),
        ],
    )
}
