//! The hall view: the ring's texture on a cylinder seen from the hall's centre
//! (`scene::ring::hall` has the lens maths). Dragging turns the view around the ring;
//! tapping a ranking row on the wall selects that region, as on the touchscreen's strip.

use bevy::asset::RenderAssetUsages;
use bevy::ecs::message::MessageCursor;
use bevy::image::ImageSampler;
use bevy::input::touch::{TouchInput, TouchPhase};
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;
use bevy::window::{PrimaryWindow, RequestRedraw};

use bevy::camera::ScalingMode;
use bevy::render::render_resource::Extent3d;

use super::logic::RingState;
use super::render::{CanvasCamera, HallMesh};
use crate::app::base::ring::{RingCanvas, RingHotspots, StripPixels, TEXTURE_SIZE};
use crate::app::base::{City, Focus, MainView, MapRequest};
use crate::scene::ring::draw::{CANVAS, hotspot_at};
use crate::scene::ring::hall::{HALL_FOV_DEG, HallGeometry, HallLens, HallWindow, hall_geometry};

/// How many times the ring's texture has been refitted (resized, resampled or its part of
/// the canvas moved): a refit loses the texture's picture, so the canvas camera draws again.
#[derive(Resource, Debug, Default)]
pub(super) struct CanvasRefit(pub(super) u64);

/// Where the hall view looks, degrees from the left end of the ring.
#[derive(Resource, Debug, Clone, Copy, PartialEq)]
pub struct HallYaw(pub f64);

/// What the ring's canvas camera draws into the texture: under the map, the whole canvas
/// at the strip preview's size ([`StripPixels`]; [`TEXTURE_SIZE`] until the panels are laid
/// out), sampled nearest so the strip shows it pixel for pixel — crisp, and on a software
/// renderer ~2 ms a frame cheaper than averaging a larger texture down; in the hall view,
/// only the part the view shows, at the pixels it needs ([`HallWindow`]), sampled smoothly
/// and with 4× multisampling so arcs and donuts have smooth edges where the view magnifies
/// them. Changes the texture, its sampler and the camera only when they change, and then
/// counts a [`CanvasRefit`] (the texture's old picture is gone).
#[allow(clippy::too_many_arguments)]
pub(super) fn fit_canvas(
    view: Res<State<MainView>>,
    yaw: Res<HallYaw>,
    ring: Res<RingState>,
    strip: Res<StripPixels>,
    window: Option<Single<&Window, With<PrimaryWindow>>>,
    canvas: Option<Res<RingCanvas>>,
    mut images: ResMut<Assets<Image>>,
    mut camera: Query<(&mut Projection, &mut Transform, &mut Msaa), With<CanvasCamera>>,
    (mut shown, mut refit): (
        Local<Option<((u32, u32), [i64; 2], bool)>>,
        ResMut<CanvasRefit>,
    ),
) {
    let (Some(canvas), Some(window)) = (canvas, window) else {
        return;
    };
    let hall = *view.get() == MainView::Hall;
    let (size, center, width) = if hall {
        let w = HallWindow::new(
            yaw.0,
            ring.layout.span_deg,
            [window.width(), window.height()],
        );
        let (center, width) = w.canvas_span();
        (w.texture_size(), center, width)
    } else {
        (strip.0.unwrap_or(TEXTURE_SIZE), 0.0, CANVAS[0])
    };
    // Compared in tenths of a canvas px: a drag moves the window by whole texture px anyway.
    let key = (size, [(center * 10.0) as i64, (width * 10.0) as i64], hall);
    if *shown == Some(key) {
        return;
    }
    *shown = Some(key);
    refit.0 = refit.0.wrapping_add(1);
    let sampler = if hall {
        ImageSampler::linear()
    } else {
        ImageSampler::nearest()
    };
    if let Some(image) = images.get(&canvas.0)
        && ((image.width(), image.height()) != size || image.sampler != sampler)
        && let Some(mut image) = images.get_mut(&canvas.0)
    {
        image.sampler = sampler;
        if (image.width(), image.height()) != size {
            image.resize(Extent3d {
                width: size.0,
                height: size.1,
                depth_or_array_layers: 1,
            });
        }
    }
    for (mut projection, mut transform, mut msaa) in &mut camera {
        *projection = Projection::Orthographic(OrthographicProjection {
            scaling_mode: ScalingMode::Fixed {
                width: width as f32,
                height: CANVAS[1] as f32,
            },
            ..OrthographicProjection::default_2d()
        });
        transform.translation.x = center as f32;
        let want = if hall { Msaa::Sample4 } else { Msaa::Off };
        if *msaa != want {
            *msaa = want;
        }
    }
}

/// The texture px per canvas px the hall view draws at in a window of `size` px (its
/// texts are made at that size), for the ring's text scale.
pub(super) fn hall_text_size(span: f64, size: [f32; 2]) -> (u32, u32) {
    let scale = HallWindow::new(span * 0.5, span, size).scale;
    (
        (CANVAS[0] * scale).round() as u32,
        (CANVAS[1] * scale).round() as u32,
    )
}

/// Builds the hall view: the ring's texture on a cylinder seen from the hall's centre.
pub(super) fn hall_mesh(
    yaw: Res<HallYaw>,
    window: Option<Single<&Window, With<PrimaryWindow>>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mesh: Query<&Mesh2d, With<HallMesh>>,
    mut last: Local<Option<(f64, [f32; 2])>>,
    ring: Res<RingState>,
) {
    let Some(window) = window else {
        return;
    };
    let size = [window.width(), window.height()];
    if *last == Some((yaw.0, size)) {
        return;
    }
    *last = Some((yaw.0, size));
    let span = ring.layout.span_deg;
    let HallGeometry {
        positions,
        uvs,
        indices,
    } = hall_geometry(yaw.0, span, size);
    if let Ok(handle) = mesh.single()
        && let Some(mut m) = meshes.get_mut(&handle.0)
    {
        *m = Mesh::new(
            PrimitiveTopology::TriangleList,
            RenderAssetUsages::RENDER_WORLD,
        )
        .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, positions)
        .with_inserted_attribute(Mesh::ATTRIBUTE_UV_0, uvs)
        .with_inserted_indices(Indices::U32(indices));
    }
}

/// A finger on the hall view: where it went down and where it was last, window px.
#[derive(Debug, Clone, Copy)]
struct Finger {
    id: u64,
    start: Vec2,
    last: Vec2,
}

/// The hall view's own input: where it has read the touch and mouse messages up to, the
/// fingers down and where a mouse press began. While another view is shown its cursors
/// follow the present every frame, so a touch from before (the tap on the button that
/// opened the view) is never read as a drag or a tap on the wall, and the first frame of
/// the hall view reads that frame's input.
#[derive(Resource, Default)]
pub(super) struct HallInput {
    touches: MessageCursor<TouchInput>,
    /// Where the cursor was at the last frame while the button is held, window px.
    mouse_last: Option<Vec2>,
    fingers: Vec<Finger>,
    mouse_start: Option<Vec2>,
}

/// Keeps the hall view's input at the present while another view is shown.
pub(super) fn skip_input(mut input: ResMut<HallInput>, touches: Res<Messages<TouchInput>>) {
    input.touches.clear(&touches);
    input.mouse_last = None;
    input.fingers.clear();
    input.mouse_start = None;
}

/// Dragging in the hall view turns the view around the ring; tapping a ranking row on the
/// wall selects that region, as on the touchscreen's strip.
pub(super) fn hall_drag(
    mut input: ResMut<HallInput>,
    touches: Res<Messages<TouchInput>>,
    mouse: Res<ButtonInput<MouseButton>>,
    keys: Res<ButtonInput<KeyCode>>,
    time: Res<Time<Real>>,
    window: Option<Single<&Window, With<PrimaryWindow>>>,
    mut yaw: ResMut<HallYaw>,
    ring: Res<RingState>,
    hotspots: Res<RingHotspots>,
    city: Res<City>,
    mut requests: MessageWriter<MapRequest>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let HallInput {
        touches: touch_cursor,
        mouse_last,
        fingers,
        mouse_start,
    } = &mut *input;
    let size = window
        .as_ref()
        .map_or([1920.0, 1080.0], |w| [w.width(), w.height()]);
    let cursor = window.as_ref().and_then(|w| w.cursor_position());
    let deg_per_px = HALL_FOV_DEG / size[0] as f64;
    let span = ring.layout.span_deg;
    let mut dx = 0.0;
    let mut taps: Vec<Vec2> = Vec::new();
    for t in touch_cursor.read(&touches) {
        match t.phase {
            TouchPhase::Started => fingers.push(Finger {
                id: t.id,
                start: t.position,
                last: t.position,
            }),
            TouchPhase::Moved => {
                if let Some(e) = fingers.iter_mut().find(|e| e.id == t.id) {
                    dx += (t.position.x - e.last.x) as f64;
                    e.last = t.position;
                }
            }
            TouchPhase::Ended | TouchPhase::Canceled => {
                if let Some(k) = fingers.iter().position(|e| e.id == t.id) {
                    let Finger { start, .. } = fingers.swap_remove(k);
                    if t.phase == TouchPhase::Ended && start.distance(t.position) < 14.0 {
                        taps.push(t.position);
                    }
                }
            }
        }
    }
    if mouse.just_pressed(MouseButton::Left) {
        *mouse_start = cursor;
    }
    // The cursor's own moves (window events: they wake an exhibit at rest, where raw
    // mouse motion does not).
    if mouse.pressed(MouseButton::Left) {
        if let (Some(last), Some(now)) = (*mouse_last, cursor) {
            dx += (now.x - last.x) as f64;
        }
        *mouse_last = cursor;
    } else {
        *mouse_last = None;
    }
    if mouse.just_released(MouseButton::Left)
        && let (Some(start), Some(end)) = (mouse_start.take(), cursor)
        && start.distance(end) < 14.0
    {
        taps.push(end);
    }
    let lens = HallLens::new(span, size);
    for tap in taps {
        let Some(c) = lens.canvas_at(yaw.0, span, size, [tap.x as f64, tap.y as f64]) else {
            continue;
        };
        if let Some(region) = hotspot_at(&hotspots.0, c) {
            requests.write(MapRequest::Focus(Focus::of_region(&city.0, region)));
        }
    }
    let keys_dx = if keys.pressed(KeyCode::ArrowLeft) {
        -1.0
    } else if keys.pressed(KeyCode::ArrowRight) {
        1.0
    } else {
        0.0
    };
    if keys_dx != 0.0 {
        // A held key turns the view smoothly: the next frame, now.
        redraw.write(RequestRedraw);
    }
    let next = (yaw.0 - dx * deg_per_px + keys_dx * 40.0 * time.delta_secs_f64()).clamp(0.0, span);
    if (next - yaw.0).abs() > 1e-9 {
        yaw.0 = next;
    }
}
