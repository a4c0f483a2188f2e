//! Map rendering: the 2D camera follows the map view; each focus change rebuilds the
//! merged layer meshes in the same frame; labels are UI text kept at their anchors and
//! hidden where they would collide.

use bevy::asset::RenderAssetUsages;
use bevy::image::{Image, ImageSampler};
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};
use bevy::window::PrimaryWindow;

use super::super::AppSystems;
use super::super::state::{City, CurrentLang, Focus, MapFigure, ShowAllBuildings};
use super::super::theme::{self, size};
use super::logic::{MapView, map_insets};
use crate::palette;
use crate::scene::labels::{self, Candidate};
use crate::scene::layers::{self, Depth, Layers, Legend};
use crate::scene::meshes::MeshBuffers;
use crate::scene::picture::{self, Picture};
use crate::snapshot::index::CityData;

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

/// "All buildings" on the district view is drawn as one picture while the view is near the
/// scale the picture was drawn at (one quad instead of ~2.5 triangles per building, see
/// `scene::picture`); zoomed in further, as meshes, built the first time they are needed.
/// The picture is kept for the snapshot and scale it was drawn for, so toggling the layer
/// again costs nothing.
#[derive(Resource, Default)]
struct BuildingsPicture {
    /// Which snapshot it shows: a weak reference, so that a later snapshot can never be
    /// mistaken for it (its allocation stays while this refers to it).
    city: std::sync::Weak<CityData>,
    /// At which scale (metres per picture pixel, as asked).
    scale_bits: u64,
    material: Handle<ColorMaterial>,
    mesh: Handle<Mesh>,
    /// Where the picture's centre goes.
    center: Vec2,
    /// Metres per picture pixel.
    metres_per_px: f64,
}

/// The picture of every building, on the district view.
#[derive(Component)]
struct AllBuildingsPicture;

/// Every building as meshes, on the district view zoomed in.
#[derive(Component)]
struct AllBuildingsMeshes;

pub(crate) fn plugin(app: &mut App) {
    app.init_resource::<CurrentLegend>()
        .init_resource::<BuildingsPicture>()
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
                (follow_view, buildings_detail, place_labels)
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
    (mut images, mut materials, mut cached, window): (
        ResMut<Assets<Image>>,
        ResMut<Assets<ColorMaterial>>,
        ResMut<BuildingsPicture>,
        Option<Single<&Window, With<PrimaryWindow>>>,
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
    );
    legend.0 = new_legend;
    if as_picture {
        // Drawn at the screen's own pixels for the view the district settles on.
        let scale_factor = window.map_or(1.0, |w| w.scale_factor() as f64);
        let metres_per_px = map.target.scale / scale_factor.max(0.1);
        let current = std::sync::Arc::downgrade(&city.0);
        if !(cached.city.ptr_eq(&current) && cached.scale_bits == metres_per_px.to_bits()) {
            let started = std::time::Instant::now();
            let pic = picture::all_buildings(&city.0, metres_per_px);
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
                material: materials.add(ColorMaterial {
                    texture: Some(images.add(picture_image(pic))),
                    ..default()
                }),
                mesh: meshes.add(Rectangle::from_size(size)),
                center: Vec2::new(center[0] as f32, center[1] as f32),
                metres_per_px: mpp,
            };
        }
        commands.spawn((
            Name::new("Buildings picture"),
            MapLayer,
            AllBuildingsPicture,
            Mesh2d(cached.mesh.clone()),
            MeshMaterial2d(cached.material.clone()),
            Transform::from_xyz(cached.center.x, cached.center.y, 1.0),
        ));
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

/// A picture as a texture the GPU keeps alone (no copy stays in main memory).
fn picture_image(pic: Picture) -> Image {
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
fn buildings_detail(
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
        let size = FontSize::Px(theme::text_px((l.font as f64 * scale) as f32));
        for child in children.iter() {
            if let Ok(mut f) = fonts.get_mut(child)
                && f.font_size != size
            {
                f.font_size = size;
            }
        }
    }
}
