//! Map rendering: the 2D camera follows the map view; each focus change rebuilds the
//! merged layer meshes in the same frame; labels are UI text kept at their anchors and
//! hidden where they would collide.

use bevy::asset::RenderAssetUsages;
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;

use super::super::AppSystems;
use super::super::state::{City, CurrentLang, Focus, MapFigure, ShowAllBuildings};
use super::super::theme::{self, size};
use super::logic::{MapView, map_insets};
use crate::palette;
use crate::scene::labels::{self, Candidate};
use crate::scene::layers::{self, Layers, Legend};
use crate::scene::meshes::MeshBuffers;

/// The system set that rebuilds the layers (the UI's legend follows it).
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RebuildLayers;

/// The camera that draws the map (and, on the map view, the panels).
#[derive(Component)]
pub struct MapCamera;

/// Marks every entity of the current map layers (despawned on rebuild).
#[derive(Component)]
pub struct MapLayer;

/// A map label and the plane point it belongs to.
#[derive(Component, Debug, Clone)]
pub struct MapLabelNode {
    pub anchor: [f64; 2],
    pub alternates: Vec<[f64; 2]>,
    /// Size at full font size, logical px.
    pub size: [f64; 2],
    pub priority: f64,
    /// Full font size, logical px.
    pub font: f32,
}

/// The legend of the map's current color scale, for the UI.
#[derive(Resource, Debug, Clone, Default)]
pub struct CurrentLegend(pub Option<Legend>);

/// Whether multisampling is on (chosen at start).
#[derive(Resource, Debug, Clone, Copy)]
pub struct MapMsaa(pub bool);

/// The material all map meshes share: white, so vertex colors show as they are.
#[derive(Resource)]
struct MapMaterial(Handle<ColorMaterial>);

pub(crate) fn plugin(app: &mut App) {
    app.init_resource::<CurrentLegend>()
        .add_systems(Startup, setup)
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
                            .or_else(resource_changed::<ShowAllBuildings>)
                            .or_else(resource_changed::<CurrentLang>),
                    ),
                (follow_view, place_labels)
                    .chain()
                    .in_set(AppSystems::Animate)
                    .after(super::logic::EaseView),
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

fn to_mesh(buffers: MeshBuffers) -> Mesh {
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
) {
    for e in &old {
        commands.entity(e).despawn();
    }
    let depth = focus.layer_depth(&city.0);
    let Layers {
        fills,
        buildings,
        lines,
        highlight,
        labels,
        legend: new_legend,
    } = layers::build(&city.0, depth, figure.0, all.0, map.target.scale);
    legend.0 = new_legend;
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
        let text = lang.0.pick(&l.zh, &l.en).to_string();
        let muted = l.priority < 0.0;
        let font = if muted { size::SMALL } else { size::LABEL };
        let sz = labels::text_size(&text, font as f64);
        commands.spawn((
            Name::new(format!("Label {text}")),
            MapLayer,
            MapLabelNode {
                anchor: l.anchor,
                alternates: l.alternates.clone(),
                size: sz,
                priority: l.priority,
                font,
            },
            Node {
                position_type: PositionType::Absolute,
                width: px(sz[0] as f32),
                height: px(sz[1] as f32),
                justify_content: JustifyContent::Center,
                align_items: AlignItems::Center,
                ..default()
            },
            Visibility::Hidden,
            GlobalZIndex(-1),
            children![(
                Text::new(text),
                TextFont::from_font_size(font),
                TextLayout::default().with_no_wrap(),
                TextColor(theme::color(if muted {
                    palette::TEXT_MUTED
                } else {
                    palette::TEXT
                })),
                TextShadow {
                    offset: Vec2::new(1.5, 1.5),
                    color: theme::color(palette::BACKGROUND.with_alpha(230)),
                },
            )],
        ));
    }
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

fn place_labels(
    map: Res<MapView>,
    view: Res<super::super::state::MainView>,
    mut nodes: Query<(&MapLabelNode, &mut Node, &mut Visibility, &Children)>,
    mut fonts: Query<&mut TextFont>,
    added: Query<(), Added<MapLabelNode>>,
) {
    if !map.is_changed() && added.is_empty() && !view.is_changed() {
        return;
    }
    if *view != super::super::state::MainView::Map {
        // Map labels are panels of the touchscreen's map only.
        for (_, _, mut vis, _) in &mut nodes {
            *vis = Visibility::Hidden;
        }
        return;
    }
    let v = &map.view;
    // Label sizes are in UI units; the screen is in window pixels.
    let k = map.ui_scale as f64;
    let candidates: Vec<Candidate> = nodes
        .iter()
        .map(|(l, _, _, _)| Candidate {
            center: v.to_screen(l.anchor),
            alternates: l.alternates.iter().map(|a| v.to_screen(*a)).collect(),
            size: [l.size[0] * k, l.size[1] * k],
            priority: l.priority,
        })
        .collect();
    let insets = map_insets(map.ui_scale);
    let area = [
        8.0,
        insets.top - 10.0,
        v.viewport[0] - insets.right + 20.0,
        v.viewport[1] - insets.bottom + 10.0,
    ];
    let shown = labels::place(&candidates, area, 4.0);
    for ((l, mut node, mut vis, children), placed) in nodes.iter_mut().zip(shown) {
        let visible = placed.is_some();
        let (center, scale) = placed.map_or(([0.0, 0.0], 1.0), |p| (p.center, p.scale));
        let (w, h) = (l.size[0] * scale, l.size[1] * scale);
        node.left = px(((center[0] / k) - w * 0.5) as f32);
        node.top = px(((center[1] / k) - h * 0.5) as f32);
        node.width = px(w as f32);
        node.height = px(h as f32);
        *vis = if visible {
            Visibility::Inherited
        } else {
            Visibility::Hidden
        };
        let size = FontSize::Px((l.font as f64 * scale).round() as f32);
        for child in children.iter() {
            if let Ok(mut f) = fonts.get_mut(child)
                && f.font_size != size
            {
                f.font_size = size;
            }
        }
    }
}
