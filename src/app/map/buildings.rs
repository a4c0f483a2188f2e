//! "All buildings" on the district view: one picture of every footprint, rasterised on the
//! CPU at the screen's own pixels (`scene::picture`) and drawn as one textured quad; when
//! the visitor zooms in past its sharpness, the merged footprint mesh (built then, once)
//! takes over.

use bevy::asset::RenderAssetUsages;
use bevy::image::{Image, ImageSampler};
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};
use bevy::window::PrimaryWindow;

use super::blocks_picture::PictureMaterial;
use super::render::{MapLayer, MapMaterial, to_mesh};
use crate::app::base::{City, MapView};
use crate::scene::layers;
use crate::scene::picture::{self, Picture};
use crate::snapshot::index::CityData;

/// "All buildings" on the district view is drawn as one picture while the view is near the
/// scale the picture was drawn at (one quad instead of ~2.5 triangles per building, see
/// `scene::picture`); zoomed in further, as meshes, built the first time they are needed.
/// The picture is kept for the snapshot and scale it was drawn for, so toggling the layer
/// again costs nothing.
#[derive(Resource, Default)]
pub(super) struct BuildingsPicture {
    /// Which snapshot it shows: a weak reference, so that a later snapshot can never be
    /// mistaken for it (its allocation stays while this refers to it).
    pub(super) city: std::sync::Weak<CityData>,
    /// At which scale (metres per picture pixel, as asked).
    pub(super) scale_bits: u64,
    pub(super) material: Handle<PictureMaterial>,
    pub(super) mesh: Handle<Mesh>,
    /// Where the picture's centre goes.
    pub(super) center: Vec2,
    /// Metres per picture pixel.
    pub(super) metres_per_px: f64,
}

/// The picture of every building, on the district view.
#[derive(Component)]
pub(super) struct AllBuildingsPicture;

/// Every building as meshes, on the district view zoomed in.
#[derive(Component)]
pub(super) struct AllBuildingsMeshes;

/// The picture of every building of `city` at `metres_per_px` (metres per window pixel of
/// the view the district settles on), drawn once and kept in `cached` for the snapshot and
/// scale; returns the bundle that shows it.
pub(super) fn picture_for(
    city: &std::sync::Arc<CityData>,
    metres_per_px: f64,
    cached: &mut BuildingsPicture,
    images: &mut Assets<Image>,
    materials: &mut Assets<PictureMaterial>,
    meshes: &mut Assets<Mesh>,
) -> impl Bundle + use<> {
    let current = std::sync::Arc::downgrade(city);
    if !(cached.city.ptr_eq(&current) && cached.scale_bits == metres_per_px.to_bits()) {
        let started = std::time::Instant::now();
        let pic = picture::all_buildings(city, metres_per_px);
        debug!(
            "buildings picture {}×{} in {:.1} ms",
            pic.width,
            pic.height,
            started.elapsed().as_secs_f64() * 1e3
        );
        let size = Vec2::new(pic.bounds.width() as f32, pic.bounds.height() as f32);
        let center = pic.bounds.center();
        let mpp = pic.metres_per_px;
        *cached = BuildingsPicture {
            city: current,
            scale_bits: metres_per_px.to_bits(),
            material: materials.add(PictureMaterial::new(images.add(picture_image(pic)))),
            mesh: meshes.add(Rectangle::from_size(size)),
            center: Vec2::new(center[0] as f32, center[1] as f32),
            metres_per_px: mpp,
        };
    }
    (
        Name::new("Buildings picture"),
        MapLayer,
        AllBuildingsPicture,
        Mesh2d(cached.mesh.clone()),
        MeshMaterial2d(cached.material.clone()),
        Transform::from_xyz(cached.center.x, cached.center.y, 1.0),
    )
}

/// A picture as a texture the GPU keeps alone (no copy stays in main memory), its colours
/// premultiplied for [`PictureMaterial`]: one texture sample a pixel. (Bevy's
/// `ColorMaterial` also multiplied by its colour, moved the UVs and ran the 2D camera's
/// colour grading for each of the quad's ~0.6 million pixels at 1080p.)
fn picture_image(pic: Picture) -> Image {
    let pic = pic.premultiplied();
    let mut image = Image::new(
        Extent3d {
            width: pic.width.max(1),
            height: pic.height.max(1),
            depth_or_array_layers: 1,
        },
        TextureDimension::D2,
        if pic.rgba.is_empty() {
            vec![0; 4]
        } else {
            pic.rgba
        },
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::RENDER_WORLD,
    );
    image.sampler = ImageSampler::linear();
    image
}

/// Shows the buildings picture near the scale it was drawn at and the meshes when the
/// visitor zooms in further (building them the first time).
#[allow(clippy::too_many_arguments)]
pub(super) fn buildings_detail(
    mut commands: Commands,
    map: Res<MapView>,
    city: Res<City>,
    cached: Res<BuildingsPicture>,
    material: Res<MapMaterial>,
    mut meshes: ResMut<Assets<Mesh>>,
    window: Option<Single<&Window, With<PrimaryWindow>>>,
    mut pictures: Query<&mut Visibility, (With<AllBuildingsPicture>, Without<AllBuildingsMeshes>)>,
    mut detailed: Query<&mut Visibility, (With<AllBuildingsMeshes>, Without<AllBuildingsPicture>)>,
) {
    let Ok(mut picture_visibility) = pictures.single_mut() else {
        return;
    };
    let scale_factor = window.map_or(1.0, |w| w.scale_factor() as f64);
    let zoomed_in =
        !picture::sharp_enough(cached.metres_per_px, map.view.scale / scale_factor.max(0.1));
    picture_visibility.set_if_neq(if zoomed_in {
        Visibility::Hidden
    } else {
        Visibility::Inherited
    });
    match detailed.single_mut() {
        Ok(mut v) => {
            v.set_if_neq(if zoomed_in {
                Visibility::Inherited
            } else {
                Visibility::Hidden
            });
        }
        Err(_) if zoomed_in => {
            commands.spawn((
                Name::new("Buildings"),
                MapLayer,
                AllBuildingsMeshes,
                Mesh2d(meshes.add(to_mesh(layers::all_buildings_mesh(&city.0)))),
                MeshMaterial2d(material.0.clone()),
                Transform::from_xyz(0.0, 0.0, 1.0),
            ));
        }
        Err(_) => {}
    }
}
