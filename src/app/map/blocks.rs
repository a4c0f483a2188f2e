//! "All buildings" on the 3D map's district view (issue 17): every building standing at
//! its height in one merged mesh (`scene::raised::city_blocks`), never an entity per
//! building. Near the district's scale the mesh gives walls only to buildings at least
//! [`WALL_PX`] across or high on screen (the rest are roofs: their walls would be under a
//! few pixels); zoomed in past twice that scale, the mesh with every wall takes over,
//! built the first time it is needed. Both are kept for the snapshot, so toggling costs
//! nothing the second time.

use bevy::prelude::*;

use super::render::{MapLayer, to_mesh};
use crate::app::base::{City, MapView};
use crate::snapshot::index::CityData;

/// Walls are drawn for buildings at least this many pixels across or high at the scale the
/// level-of-detail mesh is for.
pub const WALL_PX: f64 = 3.0;

/// The meshes of every building in 3D for one snapshot.
#[derive(Resource, Default)]
pub(super) struct CityBlocks {
    /// Which snapshot they show (weak: a later snapshot is never mistaken for it).
    city: std::sync::Weak<CityData>,
    /// The level-of-detail mesh and the scale it is for, metres per px.
    lod: Option<(Handle<Mesh>, f64)>,
    /// Every wall, once needed (its scale 0: no wall is too low).
    full: Option<(Handle<Mesh>, f64)>,
    /// The mesh the 3D picture is drawn from (`blocks_picture`) and the scale it is for,
    /// metres per logical pixel: walls where they stand at least [`WALL_PX`] high zoomed
    /// in as far as the picture is shown.
    pictured: Option<(Handle<Mesh>, f64)>,
}

impl CityBlocks {
    /// The level-of-detail mesh and the scale it is for, metres per logical pixel.
    pub(super) fn lod(&self) -> Option<(Handle<Mesh>, f64)> {
        self.lod.clone()
    }

    /// The mesh of every building with walls where they stand at least [`WALL_PX`] high
    /// at `metres_per_px` (the picture's sharpest scale), built the first time.
    pub(super) fn pictured(
        &mut self,
        city: &CityData,
        metres_per_px: f64,
        storey_m: f64,
        meshes: &mut Assets<Mesh>,
    ) -> Handle<Mesh> {
        blocks_at(&mut self.pictured, city, metres_per_px, storey_m, meshes)
    }

    /// Lets the meshes go once their snapshot was swapped out (they are large).
    pub(super) fn forget_if_gone(&mut self) {
        if self.city.strong_count() == 0
            && (self.lod.is_some() || self.full.is_some() || self.pictured.is_some())
        {
            *self = CityBlocks::default();
        }
    }
}

/// The mesh of every building with walls where they stand at least [`WALL_PX`] high at
/// `metres_per_px` (metres per logical pixel), kept in `slot` with its scale and built
/// again only for another scale.
fn blocks_at(
    slot: &mut Option<(Handle<Mesh>, f64)>,
    city: &CityData,
    metres_per_px: f64,
    storey_m: f64,
    meshes: &mut Assets<Mesh>,
) -> Handle<Mesh> {
    match slot {
        Some((h, scale)) if *scale == metres_per_px => h.clone(),
        _ => {
            let started = std::time::Instant::now();
            let buffers =
                crate::scene::raised::city_blocks(city, WALL_PX * metres_per_px, storey_m);
            debug!(
                "3D blocks: {} triangles in {:.1} ms",
                buffers.indices.len() / 3,
                started.elapsed().as_secs_f64() * 1e3
            );
            let h = meshes.add(to_mesh(buffers));
            *slot = Some((h.clone(), metres_per_px));
            h
        }
    }
}

/// The level-of-detail mesh of every building, on the 3D district view.
#[derive(Component)]
pub(super) struct BlocksLod;

/// The mesh with every wall, on the 3D district view zoomed in.
#[derive(Component)]
pub(super) struct BlocksFull;

/// The bundle that shows every building of `city` in 3D at `metres_per_px`, building (or
/// reusing) the level-of-detail mesh for that scale.
pub(super) fn blocks_for(
    city: &std::sync::Arc<CityData>,
    metres_per_px: f64,
    cached: &mut CityBlocks,
    meshes: &mut Assets<Mesh>,
    (material, storey_m): (Handle<super::solid::Solid>, f64),
) -> impl Bundle + use<> {
    let current = std::sync::Arc::downgrade(city);
    if !cached.city.ptr_eq(&current) {
        *cached = CityBlocks {
            city: current,
            ..default()
        };
    }
    let handle = blocks_at(&mut cached.lod, city, metres_per_px, storey_m, meshes);
    (
        Name::new("Buildings in 3D"),
        MapLayer,
        BlocksLod,
        // The main camera's; the 3D picture's camera takes it (`blocks_picture`).
        bevy::camera::visibility::RenderLayers::layer(0),
        Mesh2d(handle),
        MeshMaterial2d(material),
        Transform::default(),
    )
}

/// Shows the level-of-detail mesh near its scale and the mesh with every wall when the
/// visitor zooms in further (building it the first time).
pub(super) fn blocks_detail(
    mut commands: Commands,
    map: Res<MapView>,
    city: Res<City>,
    mut cached: ResMut<CityBlocks>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut lod: Query<
        (&mut Visibility, &MeshMaterial2d<super::solid::Solid>),
        (With<BlocksLod>, Without<BlocksFull>),
    >,
    mut full: Query<&mut Visibility, (With<BlocksFull>, Without<BlocksLod>)>,
) {
    let Ok((mut lod_visibility, material)) = lod.single_mut() else {
        return;
    };
    let Some((_, scale)) = cached.lod else {
        return;
    };
    let zoomed_in = map.view.scale < scale * 0.5;
    lod_visibility.set_if_neq(if zoomed_in {
        Visibility::Hidden
    } else {
        Visibility::Inherited
    });
    match full.single_mut() {
        Ok(mut v) => {
            v.set_if_neq(if zoomed_in {
                Visibility::Inherited
            } else {
                Visibility::Hidden
            });
        }
        Err(_) if zoomed_in => {
            let handle = blocks_at(&mut cached.full, &city.0, 0.0, map.storey_m, &mut meshes);
            commands.spawn((
                Name::new("Buildings in 3D, every wall"),
                MapLayer,
                BlocksFull,
                bevy::camera::visibility::RenderLayers::layer(0),
                Mesh2d(handle),
                MeshMaterial2d(material.0.clone()),
                Transform::default(),
            ));
        }
        Err(_) => {}
    }
}
