//! Map rendering: the 2D camera follows the map view; each focus change rebuilds the
//! merged layer meshes in the same frame (all buildings on the district view come as one
//! picture, see `buildings`); labels are UI text kept at their anchors (see `labels`).

use bevy::asset::RenderAssetUsages;
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;
use bevy::window::PrimaryWindow;

use super::buildings::{self, BuildingsPicture};
use super::labels;
use crate::app::base::map_view::{MapCamera, MapMsaa};
use crate::app::base::sets::{EaseView, RebuildLayers};
use crate::app::base::{
    AppSystems, City, CurrentLang, CurrentLegend, Focus, MainView, MapFigure, MapOverlays, MapView,
    SelectedCase, ShowAllBuildings,
};
use crate::scene::layers::{self, Depth, Layers};
use crate::scene::meshes::MeshBuffers;

/// Marks every entity of the current map layers (despawned on rebuild).
#[derive(Component)]
pub struct MapLayer;

/// The material all map meshes share: white, so vertex colors show as they are.
#[derive(Resource)]
pub(super) struct MapMaterial(pub(super) Handle<ColorMaterial>);

/// The map's camera, layers and labels (windowed app).
pub fn plugin(app: &mut App) {
    app.init_resource::<CurrentLegend>()
        .init_resource::<BuildingsPicture>()
        .add_systems(Startup, setup)
        .add_systems(OnExit(MainView::Map), labels::hide_labels)
        .add_systems(
            Update,
            (
                rebuild_layers
                    .in_set(AppSystems::Rebuild)
                    .in_set(RebuildLayers)
                    .run_if(
                        resource_changed::<Focus>
                            .or_else(resource_changed::<City>)
                            .or_else(resource_changed::<MapFigure>)
                            .or_else(resource_changed::<MapOverlays>)
                            .or_else(resource_changed::<ShowAllBuildings>)
                            .or_else(resource_changed::<CurrentLang>),
                    ),
                mark_case
                    .in_set(AppSystems::Rebuild)
                    .after(RebuildLayers)
                    .run_if(resource_changed::<SelectedCase>.or_else(resource_changed::<Focus>)),
                (
                    follow_view,
                    buildings::buildings_detail,
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
    mut materials: ResMut<Assets<ColorMaterial>>,
    msaa: Option<Res<MapMsaa>>,
    map: Res<MapView>,
) {
    let msaa = if msaa.is_none_or(|m| m.0) {
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
        Transform::from_xyz(map.view.center[0] as f32, map.view.center[1] as f32, 0.0),
        Projection::Orthographic(OrthographicProjection {
            scale: map.view.scale as f32,
            ..OrthographicProjection::default_2d()
        }),
    ));
    commands.insert_resource(MapMaterial(materials.add(ColorMaterial::default())));
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
    (mut images, mut materials, mut cached, window, overlays): (
        ResMut<Assets<Image>>,
        ResMut<Assets<ColorMaterial>>,
        ResMut<BuildingsPicture>,
        Option<Single<&Window, With<PrimaryWindow>>>,
        Res<MapOverlays>,
    ),
) {
    for e in &old {
        commands.entity(e).despawn();
    }
    if cached.city.strong_count() == 0 {
        // Its snapshot was swapped out: let its texture go too.
        *cached = BuildingsPicture::default();
    }
    let depth = focus.layer_depth(&city.0);
    // All buildings on the district view come as a picture (below), not in the layers.
    let as_picture = all.0 && depth == Depth::District;
    let Layers {
        fills,
        buildings,
        lines,
        highlight,
        labels,
        legend: new_legend,
    } = layers::build(
        &city.0,
        depth,
        figure.0,
        all.0 && !as_picture,
        map.target.scale,
        &overlays.0,
    );
    legend.0 = new_legend;
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
) {
    for e in &old {
        commands.entity(e).despawn();
    }
    let Some(c) = case.0 else {
        return;
    };
    let buffers = crate::scene::case_layers::case_marker(&city.0, c, map.target.scale);
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

fn follow_view(
    map: Res<MapView>,
    mut camera: Query<(&mut Transform, &mut Projection), With<MapCamera>>,
) {
    if !map.is_changed() {
        return;
    }
    for (mut t, mut p) in &mut camera {
        t.translation.x = map.view.center[0] as f32;
        t.translation.y = map.view.center[1] as f32;
        if let Projection::Orthographic(o) = &mut *p {
            o.scale = map.view.scale as f32;
        }
    }
}
