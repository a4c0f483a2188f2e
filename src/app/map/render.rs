//! Map rendering: the 2D camera follows the map view; each focus change rebuilds the
//! merged layer meshes in the same frame (all buildings on the district view come as one
//! picture, see `buildings`); labels are UI text kept at their anchors (see `labels`).

use bevy::asset::RenderAssetUsages;
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;
use bevy::window::PrimaryWindow;

use super::blocks::{self, CityBlocks};
use super::buildings::{self, BuildingsPicture};
use super::labels;
use crate::app::base::map_view::{Antialias, MapCamera};
use crate::app::base::sets::{EaseView, RebuildLayers};
use crate::app::base::{
    AppSystems, City, CurrentLang, CurrentLegend, Focus, MainView, Map3d, MapFigure, MapOverlays,
    MapView, SelectedCase, SelectedFloor, ShowAllBuildings,
};
use crate::scene::layers::{self, Depth, Layers};
use crate::scene::meshes::MeshBuffers;

/// Marks every entity of the current map layers (despawned on rebuild).
#[derive(Component)]
pub struct MapLayer;

/// The material of the flat map's layers (fills, borders, selection, building meshes, the
/// open case's mark): their vertices' colours, blended (`solid::Flat`).
#[derive(Resource)]
pub(super) struct MapMaterial(pub(super) Handle<super::solid::Flat>);

/// The 3D map's raised regions and buildings: opaque, so they write depth and hide what
/// stands behind them (the flat layers blend in order and are tested against it), their
/// back faces culled (`solid::Solid`).
#[derive(Resource)]
struct SolidMaterial(Handle<super::solid::Solid>);

/// The map's camera, layers and labels (windowed app).
pub fn plugin(app: &mut App) {
    app.add_plugins((super::blocks_picture::plugin, super::solid::plugin))
        .init_resource::<CurrentLegend>()
        .init_resource::<LayersBuiltAt>()
        .init_resource::<BuildingsPicture>()
        .init_resource::<CityBlocks>()
        .init_resource::<labels::RaisedRegions>()
        .add_systems(Startup, setup)
        .add_systems(OnExit(MainView::Map), labels::hide_labels)
        .add_systems(
            Update,
            (
                rebuild_layers
                    .in_set(AppSystems::Rebuild)
                    .in_set(RebuildLayers)
                    .run_if(layers_stale),
                mark_case
                    .in_set(AppSystems::Rebuild)
                    .after(RebuildLayers)
                    .run_if(case_mark_stale),
                (
                    follow_view,
                    buildings::buildings_detail,
                    blocks::blocks_detail,
                    super::blocks_picture::blocks_picture,
                    labels::place_labels.run_if(in_state(MainView::Map)),
                )
                    .chain()
                    .in_set(AppSystems::Animate)
                    .after(EaseView),
            ),
        );
}

fn setup(
    mut commands: Commands,
    mut flats: ResMut<Assets<super::solid::Flat>>,
    antialias: Option<Res<Antialias>>,
    map: Res<MapView>,
    mut solids: ResMut<Assets<super::solid::Solid>>,
) {
    let antialias = antialias.map_or(Antialias::Msaa4, |a| *a);
    info!("map antialiasing: {}", antialias.name());
    let msaa = if antialias == Antialias::Msaa4 {
        Msaa::Sample4
    } else {
        Msaa::Off
    };
    commands.spawn((
        Name::new("Map camera"),
        MapCamera,
        bevy::ui::IsDefaultUiCamera,
        Camera2d,
        msaa,
        bevy::anti_alias::fxaa::Fxaa {
            enabled: antialias == Antialias::Fxaa,
            ..default()
        },
        Transform::from_xyz(map.view.center[0] as f32, map.view.center[1] as f32, 0.0),
        Projection::Orthographic(OrthographicProjection {
            scale: map.view.scale as f32,
            ..OrthographicProjection::default_2d()
        }),
    ));
    commands.insert_resource(MapMaterial(flats.add(super::solid::Flat {})));
    commands.insert_resource(SolidMaterial(solids.add(super::solid::Solid {})));
}

pub(super) fn to_mesh(buffers: MeshBuffers) -> Mesh {
    Mesh::new(
        PrimitiveTopology::TriangleList,
        RenderAssetUsages::RENDER_WORLD,
    )
    .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, buffers.positions)
    .with_inserted_attribute(Mesh::ATTRIBUTE_COLOR, buffers.colors)
    .with_inserted_indices(Indices::U32(buffers.indices))
}

/// What the map's layers are built from, to tell when they are stale.
#[derive(bevy::ecs::system::SystemParam)]
struct LayerInputs<'w> {
    focus: Res<'w, Focus>,
    city: Res<'w, City>,
    figure: Res<'w, MapFigure>,
    overlays: Res<'w, MapOverlays>,
    all: Res<'w, ShowAllBuildings>,
    lang: Res<'w, CurrentLang>,
    map_3d: Res<'w, Map3d>,
    floor: Res<'w, SelectedFloor>,
    map: Res<'w, MapView>,
    built: Res<'w, LayersBuiltAt>,
}

/// Whether the layers must be built again: what they show changed (the picked floor is
/// banded on its building in 3D), or the view the map settles on changed scale (a new
/// window size or UI scale: lines, markers and the buildings' picture are sized for it).
/// One condition reading every input, not a chain of `resource_changed` conditions: a
/// chain stops at its first true one, and those after it, not run then, each reported the
/// start's insertion as a change later — seven extra builds of every layer in the first
/// frames.
fn layers_stale(inputs: LayerInputs) -> bool {
    let i = &inputs;
    i.focus.is_changed()
        || i.city.is_changed()
        || i.figure.is_changed()
        || i.overlays.is_changed()
        || i.all.is_changed()
        || i.lang.is_changed()
        || i.map_3d.is_changed()
        || i.floor.is_changed()
        || i.built.0 != Some(i.map.layer_scale())
}

/// Whether the open case's ring must be drawn again (one condition, as [`layers_stale`]).
fn case_mark_stale(
    case: Res<SelectedCase>,
    focus: Res<Focus>,
    map_3d: Res<Map3d>,
    built: Res<LayersBuiltAt>,
) -> bool {
    case.is_changed() || focus.is_changed() || map_3d.is_changed() || built.is_changed()
}

/// The scale the map's layers were last built at (`MapView::layer_scale`): when the view
/// the map settles on changes scale without a new focus (the window resized, the UI scale
/// changed), the layers are built again.
#[derive(Resource, Debug, Default, PartialEq)]
struct LayersBuiltAt(Option<layers::Scale>);

#[allow(clippy::too_many_arguments)]
fn rebuild_layers(
    mut commands: Commands,
    old: Query<Entity, With<MapLayer>>,
    city: Res<City>,
    focus: Res<Focus>,
    figure: Res<MapFigure>,
    all: Res<ShowAllBuildings>,
    lang: Res<CurrentLang>,
    map: Res<MapView>,
    material: Res<MapMaterial>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut legend: ResMut<CurrentLegend>,
    (
        mut images,
        mut materials,
        mut cached,
        window,
        overlays,
        map_3d,
        solid,
        mut blocks,
        floor,
        mut built,
    ): (
        ResMut<Assets<Image>>,
        ResMut<Assets<super::blocks_picture::PictureMaterial>>,
        ResMut<BuildingsPicture>,
        Option<Single<&Window, With<PrimaryWindow>>>,
        Res<MapOverlays>,
        Res<Map3d>,
        Res<SolidMaterial>,
        ResMut<CityBlocks>,
        Res<SelectedFloor>,
        ResMut<LayersBuiltAt>,
    ),
) {
    built.set_if_neq(LayersBuiltAt(Some(map.layer_scale())));
    for e in &old {
        commands.entity(e).despawn();
    }
    if cached.city.strong_count() == 0 {
        // Its snapshot was swapped out: let its texture go too.
        *cached = BuildingsPicture::default();
    }
    blocks.forget_if_gone();
    let depth = focus.layer_depth(&city.0);
    // All buildings on the district view come as a picture (below), not in the layers; in
    // 3D as one mesh of blocks standing on the flat district (nothing else is raised).
    let as_blocks = all.0 && depth == Depth::District && map_3d.0;
    let as_picture = all.0 && depth == Depth::District && !map_3d.0;
    let Layers {
        fills,
        prisms,
        buildings,
        lines,
        highlight,
        labels,
        legend: new_legend,
        raised,
    } = layers::build_lifted(
        &city.0,
        depth,
        figure.0,
        all.0 && !as_picture && !as_blocks,
        map.layer_scale(),
        &overlays.0,
        (map_3d.0 && !as_blocks).then_some(layers::Lift {
            storey_m: map.storey_m,
            floor: floor.0,
        }),
    );
    if !prisms.is_empty() {
        commands.spawn((
            Name::new("Raised regions"),
            MapLayer,
            Mesh2d(meshes.add(to_mesh(prisms))),
            MeshMaterial2d(solid.0.clone()),
            Transform::default(),
        ));
    }
    legend.0 = new_legend;
    commands.insert_resource(labels::RaisedRegions(raised));
    if as_blocks {
        let b = blocks::blocks_for(
            &city.0,
            map.target.scale,
            &mut blocks,
            &mut meshes,
            (solid.0.clone(), map.storey_m),
        );
        commands.spawn(b);
    }
    if as_picture {
        let scale_factor = window.map_or(1.0, |w| w.scale_factor() as f64);
        let picture = buildings::picture_for(
            &city.0,
            map.target.scale / scale_factor.max(0.1),
            &mut cached,
            &mut images,
            &mut materials,
            &mut meshes,
        );
        commands.spawn(picture);
    }
    for (name, buffers, z) in [
        ("Region fills", fills, 0.0),
        ("Buildings", buildings, 1.0),
        ("Region borders", lines, 2.0),
        ("Selection", highlight, 3.0),
    ] {
        if buffers.is_empty() {
            continue;
        }
        commands.spawn((
            Name::new(name),
            MapLayer,
            Mesh2d(meshes.add(to_mesh(buffers))),
            MeshMaterial2d(material.0.clone()),
            Transform::from_xyz(0.0, 0.0, z),
        ));
    }
    for l in labels {
        commands.spawn(labels::label(l, lang.0));
    }
}

/// The open case's ring on the map (a layer of its own: opening a case rebuilds nothing
/// else).
#[derive(Component)]
struct CaseMark;

fn mark_case(
    mut commands: Commands,
    old: Query<Entity, With<CaseMark>>,
    city: Res<City>,
    case: Res<SelectedCase>,
    map: Res<MapView>,
    material: Res<MapMaterial>,
    mut meshes: ResMut<Assets<Mesh>>,
    map_3d: Res<Map3d>,
) {
    for e in &old {
        commands.entity(e).despawn();
    }
    let Some(c) = case.0 else {
        return;
    };
    let mut buffers = crate::scene::case_layers::case_marker(&city.0, c, map.layer_scale().marker);
    // In 3D on the roof its dot stands on.
    let gi = &city.0.index.governance;
    if map_3d.0
        && let (Some(&community), Some(&at)) = (gi.case_community.get(c), gi.case_points.get(c))
    {
        let h = crate::scene::raised::roof_at(&city.0, community as usize, at, map.storey_m);
        if h > 0.0 {
            buffers.lift(0, h + map.target.scale * 1.5);
        }
    }
    if buffers.is_empty() {
        return;
    }
    commands.spawn((
        Name::new("Open case"),
        CaseMark,
        Mesh2d(meshes.add(to_mesh(buffers))),
        MeshMaterial2d(material.0.clone()),
        Transform::from_xyz(0.0, 0.0, 4.0),
    ));
}

/// How deep the tilted camera sees, metres either side of the map's centre: a city of
/// several districts and its tallest prisms.
pub(super) const TILTED_DEPTH_M: f32 = 100_000.0;

/// The map camera's rotation for a view: tilted back by `tilt` about the screen's
/// horizontal, turned by `heading` about the vertical (the map turns the other way on
/// screen, `scene::view`). The identity on the flat map.
pub(super) fn camera_rotation(v: &crate::scene::view::View) -> Quat {
    if v.tilt == 0.0 && v.heading == 0.0 {
        Quat::IDENTITY
    } else {
        Quat::from_rotation_z(v.heading as f32) * Quat::from_rotation_x(v.tilt as f32)
    }
}

/// The camera follows the map's view: its centre, scale, tilt and heading (`scene::view`).
/// Flat, it is the 2D camera it always was.
fn follow_view(
    map: Res<MapView>,
    mut camera: Query<(&mut Transform, &mut Projection), With<MapCamera>>,
) {
    if !map.is_changed() {
        return;
    }
    let v = map.view;
    for (mut t, mut p) in &mut camera {
        t.translation.x = v.center[0] as f32;
        t.translation.y = v.center[1] as f32;
        t.rotation = camera_rotation(&v);
        if let Projection::Orthographic(o) = &mut *p {
            o.scale = v.scale as f32;
            let flat = OrthographicProjection::default_2d();
            (o.near, o.far) = if v.tilt == 0.0 {
                (flat.near, flat.far)
            } else {
                (-TILTED_DEPTH_M, TILTED_DEPTH_M)
            };
        }
    }
}
