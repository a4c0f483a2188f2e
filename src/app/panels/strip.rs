//! The ring's strip preview under the map: the ring's texture in its 7680 × 1080
//! proportions; tapping a ranking row there selects that region on the map.

use bevy::picking::events::{Click, Pointer};
use bevy::prelude::*;
use bevy::window::PrimaryWindow;

use crate::app::base::ring::{RingHotspots, StripPixels};
use crate::app::base::theme;
use crate::app::base::widgets::{BlocksMap, Picture, rim, window_inverse_scale};
use crate::app::base::{City, Focus, MapRequest};
use crate::scene::ring::draw::{CANVAS, hotspot_at};

/// Greatest height of the ring's strip preview on the touchscreen, logical px; it spans the
/// width left of the card in the ring's 7680 × 1080 proportions.
pub const STRIP_HEIGHT: f32 = 205.0;

/// Height of one row of the bottom bar's buttons, logical px at UI scale 1 (a touch button's
/// least side): the strip stands [`STRIP_BOTTOM`] above the screen's edge for one row.
const BUTTON_ROW: f32 = crate::app::base::widgets::MIN_BUTTON;
/// The strip's bottom edge above the screen's, logical px: the bar (24 px up, one row of
/// buttons) and a 16 px gap.
const STRIP_BOTTOM: f32 = 104.0;

/// Marks the strip preview, whose ranking rows can be tapped.
#[derive(Component)]
pub(super) struct StripPreview;

pub(super) fn strip_preview(image: Handle<Image>) -> impl Bundle {
    (
        Name::new("Ring strip preview"),
        StripPreview,
        BlocksMap,
        Node {
            position_type: PositionType::Absolute,
            left: px(24),
            right: px(theme::layout::CLEAR_OF_COLUMN),
            bottom: px(STRIP_BOTTOM),
            max_height: px(STRIP_HEIGHT),
            aspect_ratio: Some((CANVAS[0] / CANVAS[1]) as f32),
            border: UiRect::all(px(2)),
            ..default()
        },
        rim(),
        Picture(image),
    )
}

/// A tap on a ranking row in the strip preview selects that region on the map.
pub(super) fn tap_strip(
    click: On<Pointer<Click>>,
    strips: Query<(&ComputedNode, &UiGlobalTransform), With<StripPreview>>,
    window: Option<Single<&Window, With<PrimaryWindow>>>,
    hotspots: Res<RingHotspots>,
    city: Res<City>,
    mut requests: MessageWriter<MapRequest>,
) {
    let Ok((node, transform)) = strips.get(click.entity) else {
        return;
    };
    let inv = window_inverse_scale(&window);
    let size = node.size() * inv;
    let center = transform.translation * inv;
    let p = click.pointer_location.position;
    let u = ((p.x - (center.x - size.x * 0.5)) / size.x) as f64;
    let v = ((p.y - (center.y - size.y * 0.5)) / size.y) as f64;
    let canvas = [u * CANVAS[0], v * CANVAS[1]];
    if let Some(region) = hotspot_at(&hotspots.0, canvas) {
        requests.write(MapRequest::Focus(Focus::of_region(&city.0, region)));
    }
}

/// Keeps [`StripPixels`] at the strip preview's picture as laid out (its padding box,
/// physical px), so the ring's texture is drawn at that size; left as it was while no strip
/// is shown (the hall view, reach mode).
pub(super) fn measure_strip(
    strips: Query<&ComputedNode, With<StripPreview>>,
    mut pixels: ResMut<StripPixels>,
    mut redraw: MessageWriter<bevy::window::RequestRedraw>,
) {
    let Some(node) = strips.iter().next() else {
        return;
    };
    let size = node.padding_box().size().round();
    if size.x < 1.0 || size.y < 1.0 {
        return;
    }
    let want = Some((size.x as u32, size.y as u32));
    if pixels.0 != want {
        pixels.0 = want;
        // The ring's texture is refitted next frame: draw it.
        redraw.write(bevy::window::RequestRedraw);
    }
}

/// Keeps the strip clear of the bottom bar: when the bar's buttons wrap into more rows than
/// one (long captions, English, 3D with the compass), the strip's bottom edge rises by the
/// extra rows and its greatest height drops by as much, so its top — and the map's room
/// above it (`MAP_INSETS`) — stay where they are and no button hides behind it. Runs after
/// layout; the change is laid out and drawn in the next frame.
pub(super) fn clear_bottom_bar(
    bars: Query<&ComputedNode, With<super::bars::BottomBar>>,
    mut strips: Query<&mut Node, With<StripPreview>>,
    mut redraw: MessageWriter<bevy::window::RequestRedraw>,
) {
    // Whole rows: the laid-out height is rounded to physical pixels.
    let row = BUTTON_ROW + super::bars::ROW_GAP;
    let extra = bars.iter().next().map_or(0.0, |bar| {
        let height = bar.size().y * bar.inverse_scale_factor();
        let rows = ((height + super::bars::ROW_GAP) / row).round().max(1.0);
        (rows - 1.0) * row
    });
    for mut node in &mut strips {
        let bottom = px(STRIP_BOTTOM + extra);
        let max_height = px((STRIP_HEIGHT - extra).max(BUTTON_ROW));
        if node.bottom != bottom || node.max_height != max_height {
            node.bottom = bottom;
            node.max_height = max_height;
            redraw.write(bevy::window::RequestRedraw);
        }
    }
}
