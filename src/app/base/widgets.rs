//! The UI kit every panel is built from: panel, label and touch button bundles, the press
//! feedback, the smallest touch target, the UI scale that follows the window, and the
//! screen areas where panels take touches away from the map.

use bevy::picking::events::{Click, Pointer};
use bevy::prelude::*;
use bevy::window::PrimaryWindow;

pub use super::fill::{Fill, Picture};
use super::map_view::UiBlockers;
pub use super::rim::Rim;
use super::sets::{AppSystems, ReadPointers};
use super::state::{HallConfig, MapRequest};
use super::theme::{self, size};
use crate::palette;

/// A panel that takes touches away from the map.
#[derive(Component)]
pub struct BlocksMap;

/// What a button asks for when tapped.
#[derive(Component, Clone, Copy)]
pub struct OnPress(pub MapRequest);

/// A button's resting color, to return to after a press.
#[derive(Component, Clone, Copy)]
pub struct ButtonLook(Color);

/// Smallest side of a touch button, UI px: 15 mm on a 55" full-HD panel is 24 px, on a 24"
/// one 54 px (see `config::Screen::min_target_px`; a test checks the range of screens).
pub const MIN_BUTTON: f32 = 64.0;

/// Button presses, press feedback, the UI scale and the panels' touch areas (windowed app).
pub fn plugin(app: &mut App) {
    app.add_plugins(super::rim::plugin)
        .init_resource::<UiBlockers>()
        .add_observer(press_button)
        .add_systems(
            Update,
            (
                fit_ui_scale.in_set(super::sets::FitUiScale),
                button_feedback,
                collect_blockers,
            )
                .chain()
                .in_set(AppSystems::Input)
                .before(ReadPointers),
        );
}

fn press_button(
    click: On<Pointer<Click>>,
    buttons: Query<&OnPress>,
    mut requests: MessageWriter<MapRequest>,
) {
    if let Ok(p) = buttons.get(click.entity) {
        requests.write(p.0);
    }
}

fn button_feedback(mut q: Query<(&Interaction, &ButtonLook, &mut Fill), Changed<Interaction>>) {
    for (i, look, mut bg) in &mut q {
        bg.0 = match i {
            Interaction::Pressed => theme::color(palette::BUTTON_PRESSED),
            _ => look.0,
        };
    }
}

/// The UI scale for a window of `width` × `height` logical px on the configured screen:
/// panels are designed for 1920 × 1080 and scale with the window (a 4K wall gets twice the
/// size), and never below the scale at which the smallest button is 15 mm on the screen's
/// glass. Clamped to 0.5–6.
pub fn ui_scale_for(width: f32, height: f32, screen: &crate::config::Screen) -> f32 {
    let fit = (width / 1920.0).min(height / 1080.0);
    let min_target = screen.min_target_px() as f32;
    fit.max(min_target / MIN_BUTTON).clamp(0.5, 6.0)
}

/// Keeps Bevy's `UiScale` at [`ui_scale_for`] the primary window.
pub fn fit_ui_scale(
    window: Option<Single<&Window, With<PrimaryWindow>>>,
    config: Option<Res<HallConfig>>,
    mut scale: ResMut<UiScale>,
) {
    let Some(window) = window else {
        return;
    };
    let screen = config.map(|c| c.0.screen).unwrap_or_default();
    let k = ui_scale_for(window.width(), window.height(), &screen);
    if (scale.0 - k).abs() > 1e-4 {
        scale.0 = k;
    }
}

/// Window pixels per physical pixel.
pub fn window_inverse_scale(window: &Option<Single<&Window, With<PrimaryWindow>>>) -> f32 {
    window.as_ref().map_or(1.0, |w| 1.0 / w.scale_factor())
}

fn collect_blockers(
    panels: Query<(&ComputedNode, &UiGlobalTransform, &InheritedVisibility), With<BlocksMap>>,
    window: Option<Single<&Window, With<PrimaryWindow>>>,
    mut blockers: ResMut<UiBlockers>,
) {
    blockers.0.clear();
    let inv = window_inverse_scale(&window);
    for (node, t, vis) in &panels {
        if !vis.get() {
            continue;
        }
        let c = t.translation * inv;
        let half = node.size() * inv * 0.5;
        blockers
            .0
            .push([c.x - half.x, c.y - half.y, c.x + half.x, c.y + half.y]);
    }
}

/// A panel's background and rim (drawn along the node's `border`, see [`Rim`]); it takes
/// touches away from the map.
pub fn panel() -> (Fill, Rim, BlocksMap) {
    (
        Fill(theme::color(palette::PANEL.with_alpha(235))),
        rim(),
        BlocksMap,
    )
}

/// The rim of panels and buttons, in the panels' border color.
pub fn rim() -> Rim {
    Rim(theme::color(palette::PANEL_BORDER))
}

/// A line of text at `font` logical px (one of `theme::size`) that never takes a touch.
pub fn label(s: impl Into<String>, font: f32, color: palette::Srgba) -> impl Bundle {
    (
        Text::new(s),
        TextFont::from_font_size(font),
        TextColor(theme::color(color)),
        Pickable::IGNORE,
    )
}

/// A big touch button that asks for a map request.
pub fn button(caption: impl Into<String>, active: bool, request: MapRequest) -> impl Bundle {
    button_for(caption, active, OnPress(request))
}

/// A big touch button (at least [`MIN_BUTTON`] square) carrying `action`, a component an
/// observer acts on; `active` shows it selected.
pub fn button_for(caption: impl Into<String>, active: bool, action: impl Component) -> impl Bundle {
    (
        button_base(active, action),
        children![label(caption, size::BUTTON, palette::TEXT)],
    )
}

/// The needle of the 3D map's compass: turned with the map so its arrow points north
/// (`panels` keeps its `UiTransform` at the map's heading).
#[derive(Component, Debug)]
pub struct CompassNeedle;

/// The 3D map's compass: a big touch button whose needle (an arrow over 北/N) points
/// north as the map turns; a tap turns the map back to north up.
pub fn compass_button(north: &str, heading: f64) -> impl Bundle {
    (
        button_base(false, OnPress(MapRequest::NorthUp)),
        Name::new("Compass"),
        children![(
            CompassNeedle,
            Node {
                flex_direction: FlexDirection::Column,
                align_items: AlignItems::Center,
                ..default()
            },
            UiTransform::from_rotation(needle_rotation(heading)),
            Pickable::IGNORE,
            children![
                label("▲", size::SMALL, palette::ALERT),
                label(north, size::BUTTON, palette::TEXT),
            ],
        )],
    )
}

/// The compass needle's turn for a map turned `heading` radians clockwise: the needle turns
/// with north (`UiTransform` rotations go clockwise too).
pub fn needle_rotation(heading: f64) -> Rot2 {
    Rot2::radians(heading as f32)
}

/// A big touch button with a round swatch of `color` before its caption (a department's
/// color, as the map and the ring draw it).
pub fn swatch_button(
    caption: impl Into<String>,
    color: palette::Srgba,
    active: bool,
    request: MapRequest,
) -> impl Bundle {
    (
        button_base(active, OnPress(request)),
        children![
            (
                Node {
                    width: px(16),
                    height: px(16),
                    margin: UiRect::right(px(10)),
                    border_radius: BorderRadius::MAX,
                    ..default()
                },
                BackgroundColor(theme::color(color)),
                Pickable::IGNORE,
            ),
            label(caption, size::BUTTON, palette::TEXT),
        ],
    )
}

/// What every button is besides its content: the touch target, its press feedback and
/// rim, `action`.
fn button_base(active: bool, action: impl Component) -> impl Bundle {
    let base = theme::color(if active {
        palette::BUTTON_ACTIVE
    } else {
        palette::BUTTON
    });
    (
        Button,
        action,
        ButtonLook(base),
        BlocksMap,
        Node {
            min_height: px(MIN_BUTTON),
            min_width: px(MIN_BUTTON),
            padding: UiRect::axes(px(22), px(10)),
            justify_content: JustifyContent::Center,
            align_items: AlignItems::Center,
            border: UiRect::all(px(2)),
            border_radius: BorderRadius::all(px(10)),
            ..default()
        },
        Fill(base),
        rim(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Screen;

    #[test]
    fn every_button_is_at_least_fifteen_millimetres() {
        for (w, h) in [(1920u32, 1080u32), (3840, 2160), (1280, 800), (2560, 1440)] {
            for diagonal in [10.0, 15.6, 21.5, 24.0, 32.0, 43.0, 55.0, 65.0, 86.0, 100.0] {
                let screen = Screen {
                    diagonal_in: diagonal,
                    width_px: w,
                    height_px: h,
                };
                let k = ui_scale_for(w as f32, h as f32, &screen);
                let button_px = MIN_BUTTON * k;
                let mm = button_px as f64 / screen.px_per_mm();
                assert!(
                    mm >= 15.0 - 1e-6,
                    "{diagonal}\" at {w}×{h}: buttons are {mm:.1} mm"
                );
            }
        }
    }
}
