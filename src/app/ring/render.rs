//! Drawing the ring: its scene on render layer 1 — one merged mesh for every widget's
//! shapes, a pool of text entities whose words change only with the data, pulsing latest
//! points — drawn into a texture (the touchscreen's strip preview and the hall view sample
//! it) or straight to the LED wall's window.

use bevy::asset::RenderAssetUsages;
use bevy::camera::visibility::RenderLayers;
use bevy::camera::{RenderTarget, ScalingMode};
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;
use bevy::render::render_resource::TextureFormat;
use bevy::sprite::Anchor;
use bevy::window::{RequestRedraw, WindowRef, WindowResolution};

use super::logic::RingState;
use super::motion::{RingFont, RingTextScale, Sweep};
use crate::app::base::pace::{Pace, SETTLE_FRAMES};
use crate::app::base::ring::{
    HALL_LAYER, RING_LAYER, RingCanvas, RingHotspots, RingWindow, TEXTURE_SIZE,
};
use crate::app::base::theme;
use crate::app::base::{City, CurrentLang, MainView};
use crate::palette;
use crate::scene::ring::data;
use crate::scene::ring::draw::{self, Align, CANVAS, Frame};

#[derive(Component)]
pub(super) struct RingMesh;
#[derive(Component)]
pub(super) struct RingText;
/// A pulsing latest point; its phase offset, radians.
#[derive(Component)]
pub(super) struct RingPulse(pub(super) f32);
/// The camera that draws the ring into its texture.
#[derive(Component)]
pub(super) struct CanvasCamera;
/// The hall view's wall: the ring's texture on a cylinder.
#[derive(Component)]
pub(super) struct HallMesh;

#[derive(Resource)]
pub(super) struct RingMaterials {
    white: Handle<ColorMaterial>,
}

/// The ring's texture, cameras, meshes and light sweep.
pub(super) fn setup(
    mut commands: Commands,
    mut images: ResMut<Assets<Image>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<ColorMaterial>>,
    ring_window: Option<Res<RingWindow>>,
) {
    let mut image = Image::new_target_texture(
        TEXTURE_SIZE.0,
        TEXTURE_SIZE.1,
        TextureFormat::Rgba8Unorm,
        Some(TextureFormat::Rgba8UnormSrgb),
    );
    // Drawn by its camera only: no 3.5 MiB of zeros kept in main memory and uploaded, and
    // never resized, so nothing to copy over.
    image.data = None;
    image.copy_on_resize = false;
    let image = images.add(image);
    commands.insert_resource(RingCanvas(image.clone()));
    commands.insert_resource(RingTextScale::new(
        TEXTURE_SIZE,
        ring_window.as_ref().and_then(|r| r.0),
    ));
    let fixed = || {
        Projection::Orthographic(OrthographicProjection {
            scaling_mode: ScalingMode::Fixed {
                width: CANVAS[0] as f32,
                height: CANVAS[1] as f32,
            },
            ..OrthographicProjection::default_2d()
        })
    };
    commands.spawn((
        Name::new("Ring canvas camera"),
        CanvasCamera,
        Camera2d,
        // Under the map the texture is a thumbnail, sampled smoothly anyway; the hall view
        // turns 4× samples on (`hall::fit_canvas`).
        Msaa::Off,
        Camera {
            order: -1,
            clear_color: ClearColorConfig::Custom(theme::color(palette::BACKGROUND)),
            ..default()
        },
        RenderTarget::Image(image.clone().into()),
        fixed(),
        RenderLayers::layer(RING_LAYER),
    ));
    if let Some((w, h)) = ring_window.and_then(|r| r.0) {
        let window = commands
            .spawn(Window {
                title: "citygrid — ring".into(),
                resolution: WindowResolution::new(w, h).with_scale_factor_override(1.0),
                ..default()
            })
            .id();
        commands.spawn((
            Name::new("LED wall camera"),
            Camera2d,
            Camera {
                order: 2,
                clear_color: ClearColorConfig::Custom(theme::color(palette::BACKGROUND)),
                ..default()
            },
            RenderTarget::Window(WindowRef::Entity(window)),
            // This process's slice of the canvas (`base::ring::fit_led_outputs`).
            crate::app::base::ring::LedOutput,
            RenderLayers::layer(RING_LAYER),
        ));
    }
    let white = materials.add(ColorMaterial::default());
    let hall = materials.add(ColorMaterial {
        texture: Some(image),
        ..default()
    });
    commands.spawn((
        Name::new("Ring"),
        RingMesh,
        Mesh2d(meshes.add(placeholder(false))),
        MeshMaterial2d(white.clone()),
        Transform::default(),
        RenderLayers::layer(RING_LAYER),
    ));
    commands.spawn((
        Name::new("Hall wall"),
        HallMesh,
        Mesh2d(meshes.add(placeholder(true))),
        MeshMaterial2d(hall),
        Transform::default(),
        RenderLayers::layer(HALL_LAYER),
    ));
    // A soft light that sweeps the heading band.
    let mut sweep = crate::scene::meshes::MeshBuffers::default();
    let (w, h) = (700.0f32, draw::HEADER as f32);
    let glow = palette::ACCENT;
    for (x0, x1, a0, a1) in [(-w * 0.5, 0.0, 0u8, 40u8), (0.0, w * 0.5, 40, 0)] {
        let base = sweep.positions.len() as u32;
        for (x, y, a) in [
            (x0, -h * 0.5, a0),
            (x1, -h * 0.5, a1),
            (x1, h * 0.5, a1),
            (x0, h * 0.5, a0),
        ] {
            sweep.positions.push([x, y, 0.0]);
            sweep.colors.push(glow.with_alpha(a).linear());
        }
        sweep
            .indices
            .extend_from_slice(&[base, base + 1, base + 2, base, base + 2, base + 3]);
    }
    commands.spawn((
        Name::new("Ring light sweep"),
        Sweep,
        Mesh2d(meshes.add(mesh_from(sweep))),
        MeshMaterial2d(white.clone()),
        Transform::from_xyz(0.0, (CANVAS[1] * 0.5 - draw::HEADER * 0.5) as f32, 0.5),
        RenderLayers::layer(RING_LAYER),
    ));
    commands.insert_resource(RingMaterials { white });
}

/// A mesh with every attribute but nothing visible, until the first real frame.
fn placeholder(uv: bool) -> Mesh {
    let mut m = Mesh::new(
        PrimitiveTopology::TriangleList,
        RenderAssetUsages::RENDER_WORLD,
    )
    .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, vec![[0.0f32, 0.0, 0.0]; 3])
    .with_inserted_indices(Indices::U32(vec![0, 1, 2]));
    if uv {
        m.insert_attribute(Mesh::ATTRIBUTE_UV_0, vec![[0.0f32, 0.0]; 3]);
    } else {
        m.insert_attribute(Mesh::ATTRIBUTE_COLOR, vec![[0.0f32; 4]; 3]);
    }
    m
}

pub(super) fn mesh_from(b: crate::scene::meshes::MeshBuffers) -> Mesh {
    Mesh::new(
        PrimitiveTopology::TriangleList,
        RenderAssetUsages::RENDER_WORLD,
    )
    .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, b.positions)
    .with_inserted_attribute(Mesh::ATTRIBUTE_COLOR, b.colors)
    .with_inserted_indices(Indices::U32(b.indices))
}

/// Draws the ring again when its data, animation, language or text scale changed.
pub(super) fn redraw(
    mut commands: Commands,
    mut ring: ResMut<RingState>,
    city: Res<City>,
    lang: Res<CurrentLang>,
    mut meshes: ResMut<Assets<Mesh>>,
    mesh: Query<&Mesh2d, With<RingMesh>>,
    mut texts: Query<
        (
            Entity,
            &mut Text2d,
            &mut TextFont,
            &mut TextColor,
            &mut Anchor,
            &mut Transform,
            &mut Visibility,
        ),
        With<RingText>,
    >,
    mut pulses: Query<(Entity, &mut RingPulse, &mut Transform, &mut Visibility), Without<RingText>>,
    materials: Res<RingMaterials>,
    text_scale: Res<RingTextScale>,
    mut hotspots: ResMut<RingHotspots>,
) {
    if !ring.redraw || ring.widgets.is_empty() {
        return;
    }
    ring.redraw = false;
    let name = data::scope_named(&city.0, ring.region, ring.grid);
    let Frame {
        mesh: buffers,
        texts: items,
        pulses: points,
        hotspots: rows,
    } = draw::draw(
        &ring.layout,
        &ring.departments,
        &ring.widgets,
        &ring.anims,
        lang.0,
        (&name.zh, &name.en),
        &ring.forward,
    );
    hotspots.0 = rows;
    if let Ok(handle) = mesh.single()
        && let Some(mut m) = meshes.get_mut(&handle.0)
    {
        *m = mesh_from(buffers);
    }
    // Reuse text entities; change only what differs, so text is laid out again only when
    // its words change.
    let mut pool = texts.iter_mut();
    for item in &items {
        let p = draw::to_world(item.pos);
        let anchor = match item.align {
            Align::Left => Anchor::CENTER_LEFT,
            Align::Center => Anchor::CENTER,
            Align::Right => Anchor::CENTER_RIGHT,
        };
        let color = theme::color(item.color);
        let RingFont {
            font: want,
            hinting,
            scale,
        } = text_scale.font(item.size);
        if let Some((_, mut text, mut font, mut tc, mut a, mut t, mut vis)) = pool.next() {
            if text.0 != item.text {
                text.0.clone_from(&item.text);
            }
            if font.font_size != want.font_size {
                font.font_size = want.font_size;
            }
            if tc.0 != color {
                tc.0 = color;
            }
            if *a != anchor {
                *a = anchor;
            }
            t.translation = Vec3::new(p[0], p[1], 1.0);
            t.scale = scale;
            if *vis != Visibility::Inherited {
                *vis = Visibility::Inherited;
            }
        } else {
            commands.spawn((
                Name::new("Ring text"),
                RingText,
                Text2d::new(item.text.clone()),
                want,
                hinting,
                TextColor(color),
                anchor,
                Transform::from_xyz(p[0], p[1], 1.0).with_scale(scale),
                RenderLayers::layer(RING_LAYER),
            ));
        }
    }
    for (_, _, _, _, _, _, mut vis) in pool {
        *vis = Visibility::Hidden;
    }
    let mut pool = pulses.iter_mut();
    for (pos, color) in &points {
        let p = draw::to_world(*pos);
        if let Some((_, mut pulse, mut t, mut vis)) = pool.next() {
            t.translation = Vec3::new(p[0], p[1], 1.5);
            pulse.0 = t.translation.x * 0.001;
            *vis = Visibility::Inherited;
        } else {
            commands.spawn((
                Name::new("Ring pulse"),
                RingPulse(p[0] * 0.001),
                Mesh2d(meshes.add(Circle::new(7.0))),
                MeshMaterial2d(materials.white.clone()),
                Transform::from_xyz(p[0], p[1], 1.5),
                RenderLayers::layer(RING_LAYER),
            ));
        }
        let _ = color;
    }
    for (_, _, _, mut vis) in pool {
        *vis = Visibility::Hidden;
    }
}

/// The ring's texture is drawn every frame only where it is the main picture (the hall
/// view). Under the map it is a thumbnail: it is drawn when the ring's values have settled
/// after a change (for `SETTLE_FRAMES`: text is laid out a frame after it is set), at the
/// ambient rate at rest when ambient motion is on, and otherwise left alone — on a
/// software renderer a texture pass costs tens of milliseconds, and the LED wall has its
/// own camera anyway. While values ease it asks for the next frame.
pub(super) fn throttle_canvas(
    view: Res<State<MainView>>,
    ring: Res<RingState>,
    lang: Res<CurrentLang>,
    pace: Res<Pace>,
    time: Res<Time<Real>>,
    refit: Res<super::hall::CanvasRefit>,
    mut camera: Query<&mut Camera, With<CanvasCamera>>,
    mut frames_left: Local<u32>,
    mut was_animating: Local<bool>,
    mut last_ambient: Local<f64>,
    mut generation: Local<u64>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let animating = ring.animating();
    if ring.generation != *generation {
        // A new selection is drawn once its values settle, even when they settled in the
        // frame it came (the first frame after a rest steps far).
        *generation = ring.generation;
        *was_animating = true;
    }
    if (*was_animating && !animating)
        || lang.is_changed()
        || ring.is_added()
        || view.is_changed()
        || refit.is_changed()
    {
        *frames_left = SETTLE_FRAMES;
    }
    *was_animating = animating;
    if animating || *frames_left > 0 {
        redraw.write(RequestRedraw);
    }
    // On the touchscreen at rest, the strip's calm motion (sweep, pulses, ticker) moves at
    // the ambient rate (the loop wakes at that rate then, see `base::pace`).
    let now = time.elapsed_secs_f64();
    let ambient_due = pace.ambient
        && !pace.continuous
        && now - *last_ambient >= pace.ambient_period().as_secs_f64() * 0.9;
    if ambient_due {
        *last_ambient = now;
    }
    let active = *view.get() == MainView::Hall || *frames_left > 0 || ambient_due;
    *frames_left = frames_left.saturating_sub(1);
    for mut cam in &mut camera {
        if cam.is_active != active {
            cam.is_active = active;
        }
    }
}

/// Keeps every LED output camera (`base::ring::LedOutput`: the main window's ring view, the
/// LED window) on this process's slice of the canvas: a camera that became one, and all of
/// them when the slice or the ring's span (the snapshot's own layout may set it) changes.
pub(super) fn fit_led_outputs(
    slice: Res<crate::app::base::ring::RingSlice>,
    ring: Res<RingState>,
    mut cameras: Query<(
        &mut Projection,
        &mut Transform,
        Ref<crate::app::base::ring::LedOutput>,
    )>,
    mut fitted: Local<Option<f64>>,
) {
    let span = ring.layout.span_deg;
    let changed = slice.is_changed() || *fitted != Some(span);
    *fitted = Some(span);
    let (want, x) = slice.camera(span);
    for (mut p, mut t, led) in &mut cameras {
        if changed || led.is_added() {
            *p = want.clone();
            t.translation.x = x;
        }
    }
}
