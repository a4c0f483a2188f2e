//! The 3D map's "all buildings" as one picture (issue 17). The map's camera is orthographic,
//! so while the tilt and the heading stay put, panning shifts the picture of the standing
//! city and zooming scales it, exactly. The blocks mesh (`blocks`) is therefore drawn once,
//! by a camera of its own, into a texture over the box the buildings take in the view's
//! frame ([`crate::scene::raised::blocks_extent`]), and shown as one quad facing the camera
//! — the same one-quad-for-30,000-buildings trade the flat map makes with its CPU picture
//! (`buildings`). On a software renderer this takes the ~116,000 triangles out of every
//! frame of pan and zoom, and out of every ambient frame at rest.
//!
//! The picture is drawn at [`SUPERSAMPLE`] × the screen's resolution at the district's
//! scale (its antialiasing there, and sharp when zoomed in to that; at 1× when that would
//! be too large), from a mesh with walls wherever they stand ≥ 3 px high at its sharpest.
//! The mesh is drawn live instead (`blocks::blocks_detail`'s level of detail) while the
//! tilt or heading change (a picture would be stale at once) and when the visitor zooms in
//! past [`SHARP_ZOOM`] of the picture's own pixels (it would turn soft).
//!
//! One difference shows: the live mesh writes depth, so the selection and the case marks
//! (drawn after it) are hidden where a building stands in front of them; the picture writes
//! none, so over it they are drawn whole — the map's marks stay readable at rest, and the
//! tap tests decide by line of sight either way (`scene::pick`).
//! The picture goes over the flat layers — the ground's fills and borders — and under the
//! selection, the case marks and the labels: every building stands on the ground, so any
//! building pixel covering a ground point is nearer the eye than it, and drawing the
//! buildings after the ground is exact.

use bevy::asset::{AssetPath, embedded_asset, embedded_path};
use bevy::camera::visibility::RenderLayers;
use bevy::camera::{RenderTarget, ScalingMode};
use bevy::mesh::MeshVertexBufferLayoutRef;
use bevy::prelude::*;
use bevy::render::render_resource::{
    AsBindGroup, BlendState, RenderPipelineDescriptor, SpecializedMeshPipelineError, TextureFormat,
};
use bevy::shader::ShaderRef;
use bevy::sprite_render::{AlphaMode2d, Material2d, Material2dKey, Material2dPlugin};
use bevy::window::{PrimaryWindow, RequestRedraw};

use super::blocks::{BlocksFull, BlocksLod, CityBlocks};
use super::render::{TILTED_DEPTH_M, camera_rotation};
use crate::app::base::map_view::MapCamera;
use crate::app::base::{City, MapView};

/// The render layer only the picture's camera sees: the blocks mesh while it is drawn into
/// the picture.
pub const BLOCKS_LAYER: usize = 3;

/// Picture pixels per screen pixel (each way) at the district's scale: the picture stays
/// sharp zoomed in to this, and at the district's scale each screen pixel averages
/// `SUPERSAMPLE²` of them — its antialiasing.
pub const SUPERSAMPLE: f64 = 2.0;

/// The picture is shown zoomed in up to this many times its own pixels' scale (as the flat
/// map's picture is); further in, the mesh is drawn live.
pub const SHARP_ZOOM: f64 = 1.5;

/// The largest picture side, pixels (wgpu's default limit, which Bevy asks for).
const MAX_SIDE: f64 = 8192.0;

/// The most pixels a picture may have (64 MiB of RGBA): a picture that would be larger at
/// [`SUPERSAMPLE`] (a 4K screen turned so the district's box is widest) is drawn at the
/// screen's own resolution; one larger even then is not drawn (the mesh stays live).
const MAX_PIXELS: f64 = 16.0 * 1024.0 * 1024.0;

/// Frames the picture's camera draws in at least before the picture is shown (the live
/// mesh shows meanwhile); it goes on drawing until the renderer has finished one of them
/// after the first in full, with no pipeline still compiling (`base::probe`) — a picture
/// drawn while its pipeline or texture was not ready would be shown empty.
const DRAW_FRAMES: u32 = 2;

/// Frames the camera draws at most (should the renderer never report a frame in full).
const MAX_DRAW_FRAMES: u32 = 60;

/// Where the picture sorts among the flat layers (their `Transform` z): over the fills (0)
/// and borders (2), under the selection (3) and the open case (4).
const SORT_Z: f32 = 2.5;

/// The picture's material: its texture, blended as premultiplied colour (the camera drew
/// it over a transparent clear, so its antialiased edges are premultiplied).
#[derive(Asset, TypePath, AsBindGroup, Clone)]
pub(super) struct PictureMaterial {
    #[texture(0)]
    #[sampler(1)]
    picture: Handle<Image>,
}

impl PictureMaterial {
    /// Shows `picture`, whose colours are premultiplied by their alpha (in linear light,
    /// sRGB-encoded: `scene::picture::Picture::premultiplied`).
    pub(super) fn new(picture: Handle<Image>) -> Self {
        Self { picture }
    }
}

impl Material2d for PictureMaterial {
    fn fragment_shader() -> ShaderRef {
        ShaderRef::Path(
            AssetPath::from_path_buf(embedded_path!("blocks_picture.wgsl")).with_source("embedded"),
        )
    }

    fn alpha_mode(&self) -> AlphaMode2d {
        AlphaMode2d::Blend
    }

    fn specialize(
        descriptor: &mut RenderPipelineDescriptor,
        _layout: &MeshVertexBufferLayoutRef,
        _key: Material2dKey<Self>,
    ) -> Result<(), SpecializedMeshPipelineError> {
        if let Some(fragment) = &mut descriptor.fragment {
            for target in fragment.targets.iter_mut().flatten() {
                target.blend = Some(BlendState::PREMULTIPLIED_ALPHA_BLENDING);
            }
        }
        Ok(())
    }
}

/// The camera that draws the blocks into the picture (active only in the frame it draws).
#[derive(Component)]
pub(super) struct PictureCamera;

/// The quad that shows the picture.
#[derive(Component)]
pub(super) struct BlocksPictureQuad;

/// The blocks mesh the picture is drawn from, seen by the picture's camera alone and
/// shown only while it draws.
#[derive(Component)]
pub(super) struct PicturedBlocks;

/// What the current picture shows: the mesh, the pose and the scale it was drawn for.
#[derive(Clone, Copy, PartialEq, Debug)]
struct Key {
    mesh: AssetId<Mesh>,
    tilt: f64,
    heading: f64,
    /// Metres per physical screen pixel at the district's scale.
    screen_mpp: f64,
}

/// The picture and what it shows.
#[derive(Resource, Default)]
pub(super) struct BlocksPicture {
    image: Option<Handle<Image>>,
    material: Option<Handle<PictureMaterial>>,
    /// What the picture shows, and its pixels per screen pixel at the district's scale
    /// (0: it did not fit, the mesh stays live for this key).
    taken: Option<(Key, f64)>,
    /// The camera was set to draw this frame: if it is found inactive next frame, someone
    /// (the screens' closing, `screens::keep_black`) cancelled the draw.
    armed: bool,
    /// Frames the camera has drawn the picture in since it was asked for.
    drawing: u32,
    /// The frame (`FrameCount`) the picture was asked for in.
    started: u32,
    /// When the picture being drawn was asked for (its cost is logged when it shows).
    asked: Option<std::time::Instant>,
    /// The pose of the last frame: a pose that changed since is still moving.
    last_pose: Option<(f64, f64)>,
}

pub(super) fn plugin(app: &mut App) {
    embedded_asset!(app, "blocks_picture.wgsl");
    app.add_plugins(Material2dPlugin::<PictureMaterial>::default())
        .init_resource::<BlocksPicture>()
        .add_systems(Startup, setup);
}

fn setup(mut commands: Commands) {
    commands.spawn((
        Name::new("3D buildings picture camera"),
        PictureCamera,
        Camera2d,
        // Supersampled, the picture is antialiased by its own pixels (SUPERSAMPLE² samples a
        // screen pixel at the district's scale, as 4× MSAA gives): no multisampling.
        Msaa::Off,
        Camera {
            order: -2,
            is_active: false,
            clear_color: ClearColorConfig::Custom(Color::NONE),
            ..default()
        },
        RenderLayers::layer(BLOCKS_LAYER),
    ));
    commands.spawn((
        Name::new("3D buildings picture"),
        BlocksPictureQuad,
        Visibility::Hidden,
        Transform::default(),
    ));
    commands.spawn((
        Name::new("3D buildings, as pictured"),
        PicturedBlocks,
        RenderLayers::layer(BLOCKS_LAYER),
        Visibility::Hidden,
        Transform::default(),
    ));
}

type CameraParts<'a> = (
    &'a mut Camera,
    &'a mut Transform,
    &'a mut Projection,
    &'a mut RenderTarget,
);

type BlocksParts<'a> = (&'a Visibility, &'a mut RenderLayers);

/// Draws the blocks into the picture when the pose settles on a new tilt or heading (or the
/// snapshot or the scale changed), shows the picture while the view stays within
/// [`SHARP_ZOOM`] of the district's scale, and the live mesh (`blocks::blocks_detail`'s)
/// otherwise.
#[allow(clippy::too_many_arguments)]
pub(super) fn blocks_picture(
    mut commands: Commands,
    map: Res<MapView>,
    city: Res<City>,
    mut blocks: ResMut<CityBlocks>,
    mut state: ResMut<BlocksPicture>,
    (probe, frame): (
        Option<Res<crate::app::base::probe::FrameProbe>>,
        Res<bevy::diagnostic::FrameCount>,
    ),
    window: Option<Single<&Window, With<PrimaryWindow>>>,
    mut live_meshes: Query<BlocksParts, Or<(With<BlocksLod>, With<BlocksFull>)>>,
    lod_material: Query<&MeshMaterial2d<super::solid::Solid>, With<BlocksLod>>,
    mut camera: Query<CameraParts, (With<PictureCamera>, Without<MapCamera>)>,
    mut quad: Query<
        (Entity, &mut Visibility, &mut Transform),
        (
            With<BlocksPictureQuad>,
            Without<PictureCamera>,
            Without<PicturedBlocks>,
            Without<BlocksLod>,
            Without<BlocksFull>,
        ),
    >,
    mut pictured: Query<
        (Entity, &mut Visibility),
        (
            With<PicturedBlocks>,
            Without<BlocksLod>,
            Without<BlocksFull>,
        ),
    >,
    (mut images, mut materials, mut meshes, mut redraw): (
        ResMut<Assets<Image>>,
        ResMut<Assets<PictureMaterial>>,
        ResMut<Assets<Mesh>>,
        MessageWriter<RequestRedraw>,
    ),
) {
    let Ok((mut cam, mut cam_transform, mut projection, mut target)) = camera.single_mut() else {
        return;
    };
    let (Ok((quad, mut quad_visibility, mut quad_transform)), Ok((source, mut source_visibility))) =
        (quad.single_mut(), pictured.single_mut())
    else {
        cam.is_active = false;
        return;
    };
    // The camera draws only in the frames it is asked to (`drawing`); a draw cancelled
    // since (the screens closed) is done again.
    if std::mem::take(&mut state.armed) && !cam.is_active {
        state.taken = None;
    }
    if cam.is_active {
        cam.is_active = false;
    }
    let v = map.view;
    let pose = (v.tilt, v.heading);
    let moving = state.last_pose != Some(pose)
        || v.tilt != map.target.tilt
        || v.heading != map.target.heading;
    state.last_pose = Some(pose);
    let (Ok(material), Some((_, lod_scale))) = (lod_material.single(), blocks.lod()) else {
        // No buildings standing in 3D on this view.
        quad_visibility.set_if_neq(Visibility::Hidden);
        source_visibility.set_if_neq(Visibility::Hidden);
        return;
    };
    // The live meshes are the main camera's (`true`) or nobody's while the picture shows.
    let mut show = |live: bool, picture: bool, drawing: bool| {
        let want = if live {
            RenderLayers::layer(0)
        } else {
            RenderLayers::none()
        };
        for (visibility, mut layers) in &mut live_meshes {
            if *visibility != Visibility::Hidden && *layers != want {
                *layers = want.clone();
            }
        }
        let shown = |on: bool| {
            if on {
                Visibility::Inherited
            } else {
                Visibility::Hidden
            }
        };
        quad_visibility.set_if_neq(shown(picture));
        source_visibility.set_if_neq(shown(drawing));
    };
    if moving {
        show(true, false, false);
        return;
    }
    let scale_factor = window
        .as_ref()
        .map_or(1.0, |w| w.scale_factor() as f64)
        .max(0.1);
    let mesh = blocks.pictured(
        &city.0,
        lod_scale / (SUPERSAMPLE * SHARP_ZOOM),
        map.storey_m,
        &mut meshes,
    );
    let key = Key {
        mesh: mesh.id(),
        tilt: v.tilt,
        heading: v.heading,
        screen_mpp: lod_scale / scale_factor,
    };
    let drawn = state.taken.filter(|(k, _)| *k == key).map(|(_, ss)| ss);
    // Zoomed in past the picture's sharpness (or it did not fit): the mesh, live.
    if v.scale * SHARP_ZOOM * drawn.unwrap_or(SUPERSAMPLE) < lod_scale {
        show(true, false, false);
        return;
    }
    if drawn.is_some() {
        let started = state.started;
        let drawn_in_full = probe
            .as_ref()
            .is_none_or(|p| p.last_full().is_some_and(|f| f > started));
        let done =
            (state.drawing >= DRAW_FRAMES && drawn_in_full) || state.drawing >= MAX_DRAW_FRAMES;
        if state.asked.is_some() && !done {
            // Still being drawn (see [`DRAW_FRAMES`]): the live mesh stays meanwhile.
            state.drawing += 1;
            cam.is_active = true;
            state.armed = true;
            show(true, false, true);
            redraw.write(RequestRedraw);
        } else {
            if let Some(asked) = state.asked.take() {
                debug!(
                    "3D buildings picture shown {:.1} ms after it was asked for",
                    asked.elapsed().as_secs_f64() * 1e3
                );
                // Drawn: the mesh is held by `CityBlocks` alone until the next draw.
                commands.entity(source).remove::<Mesh2d>();
            }
            show(false, true, false);
        }
        return;
    }
    // Draw it now. The live mesh stays until it is drawn (the picture shows then), so
    // nothing blinks while the texture is made.
    let frame_box = crate::scene::raised::blocks_extent(&city.0, map.storey_m, v.tilt, v.heading);
    let physical = window.as_ref().map_or([v.viewport[0], v.viewport[1]], |w| {
        [
            f64::from(w.physical_width()),
            f64::from(w.physical_height()),
        ]
    });
    // On the screen's pixel grid as it is now, at the district's scale: there, each screen
    // pixel averages exactly its SUPERSAMPLE × SUPERSAMPLE picture pixels.
    let (extent, [w, h]) =
        crate::scene::raised::snap_to_pixels(&frame_box, &v, key.screen_mpp, physical);
    if frame_box.is_empty() {
        state.taken = Some((key, 0.0));
        show(true, false, false);
        return;
    }
    let (w, h) = (f64::from(w), f64::from(h));
    let fits = |ss: f64| w * ss <= MAX_SIDE && h * ss <= MAX_SIDE && w * h * ss * ss <= MAX_PIXELS;
    let Some(ss) = [SUPERSAMPLE, 1.0].into_iter().find(|&ss| fits(ss)) else {
        info!("3D buildings: a picture of {w}×{h} px is too large; the buildings are drawn live");
        state.taken = Some((key, 0.0));
        show(true, false, false);
        return;
    };
    let mpp = key.screen_mpp / ss;
    let (w, h) = ((w * ss) as u32, (h * ss) as u32);
    let image = match &state.image {
        Some(handle)
            if images
                .get(handle)
                .is_some_and(|i| i.width() == w && i.height() == h) =>
        {
            handle.clone()
        }
        _ => {
            let mut image = Image::new_target_texture(w, h, TextureFormat::Rgba8UnormSrgb, None);
            // Drawn by its camera only: no copy kept in main memory.
            image.data = None;
            image.copy_on_resize = false;
            image.sampler = bevy::image::ImageSampler::linear();
            let handle = images.add(image);
            if let Some(old) = state.image.replace(handle.clone()) {
                images.remove(&old);
            }
            handle
        }
    };
    let current = state.material.as_ref().and_then(|m| materials.get(m));
    match current {
        Some(material) if material.picture == image => {}
        Some(_) => {
            if let Some(mut material) = state.material.as_ref().and_then(|m| materials.get_mut(m)) {
                material.picture = image.clone();
            }
        }
        None => {
            let handle = materials.add(PictureMaterial {
                picture: image.clone(),
            });
            state.material = Some(handle.clone());
            commands.entity(quad).insert(MeshMaterial2d(handle));
        }
    }
    let rotation = camera_rotation(&v);
    let centre = extent.center();
    let at = rotation * Vec3::new(centre[0] as f32, centre[1] as f32, 0.0);
    cam.is_active = true;
    *cam_transform = Transform::from_translation(at).with_rotation(rotation);
    *projection = Projection::Orthographic(OrthographicProjection {
        scale: mpp as f32,
        scaling_mode: ScalingMode::WindowSize,
        near: -TILTED_DEPTH_M,
        far: TILTED_DEPTH_M,
        ..OrthographicProjection::default_2d()
    });
    *target = RenderTarget::Image(image.into());
    // The quad faces the camera where the picture's middle is; moved along the line of
    // sight (which changes nothing on screen) to sort between the flat layers.
    let toward_eye = rotation * Vec3::Z;
    let along = (SORT_Z - at.z) / toward_eye.z.max(1e-3);
    *quad_transform = Transform::from_translation(at + toward_eye * along).with_rotation(rotation);
    let quad_mesh = meshes.add(Rectangle::new(
        extent.width() as f32,
        extent.height() as f32,
    ));
    commands.entity(quad).insert(Mesh2d(quad_mesh));
    commands
        .entity(source)
        .insert((Mesh2d(mesh), material.clone()));
    show(true, false, true);
    debug!(
        "3D buildings picture: {w}×{h} px at {mpp:.2} m/px (view {:.2}), tilt {:.1}°, heading {:.1}°",
        v.scale,
        v.tilt.to_degrees(),
        v.heading.to_degrees()
    );
    state.taken = Some((key, ss));
    state.armed = true;
    state.drawing = 1;
    state.started = frame.0;
    state.asked = Some(std::time::Instant::now());
    redraw.write(RequestRedraw);
}
