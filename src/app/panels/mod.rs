//! The touchscreen's panels: title and breadcrumb, language toggle and demo badge (`bars`),
//! the figures card (`card`), the legend (`legend`), the big buttons along the bottom, and
//! the ring's strip preview (`strip`). Rebuilt whenever what they show changes; every panel
//! takes its touches away from the map.

mod bars;
mod card;
mod choosers;
mod floors;
mod legend;
mod strip;

use bevy::prelude::*;

use crate::app::base::ring::RingCanvas;
use crate::app::base::sets::RebuildLayers;
use crate::app::base::{
    AppSystems, Chooser, City, CurrentLang, CurrentLegend, Focus, HallConfig, MainView, Map3d,
    MapFigure, MapOverlays, MapView, SelectedCase, SelectedFloor, Settings, ShowAllBuildings,
    StoryPlay,
};
use crate::scene::format::Lang;
use crate::snapshot::index::CityData;

pub use strip::STRIP_HEIGHT;

/// The root of all panels (despawned and rebuilt on change).
#[derive(Component)]
struct UiRoot;

/// The panels (windowed app).
pub fn plugin(app: &mut App) {
    app.add_observer(strip::tap_strip)
        .init_resource::<crate::app::base::ring::StripPixels>()
        .add_systems(
            PostUpdate,
            (strip::measure_strip, strip::clear_bottom_bar).after(bevy::ui::UiSystems::Layout),
        )
        .add_systems(
            Update,
            rebuild_ui
                .in_set(AppSystems::Rebuild)
                .after(RebuildLayers)
                .run_if(
                    resource_changed::<Focus>
                        .or_else(resource_changed::<City>)
                        .or_else(resource_changed::<CurrentLang>)
                        .or_else(resource_changed::<MapFigure>)
                        .or_else(resource_changed::<ShowAllBuildings>)
                        .or_else(resource_changed::<CurrentLegend>)
                        .or_else(resource_changed::<SelectedCase>)
                        .or_else(resource_changed::<MapOverlays>)
                        .or_else(resource_changed::<Chooser>)
                        .or_else(resource_changed::<StoryPlay>)
                        .or_else(resource_changed::<Map3d>)
                        .or_else(resource_changed::<SelectedFloor>)
                        .or_else(state_changed::<MainView>),
                ),
        )
        .add_systems(
            Update,
            turn_compass
                .in_set(AppSystems::Rebuild)
                .after(rebuild_ui)
                .run_if(resource_changed::<MapView>),
        );
}

/// Keeps the 3D map's compass needle pointing north as the map turns.
fn turn_compass(
    map: Res<MapView>,
    mut needles: Query<&mut UiTransform, With<crate::app::base::widgets::CompassNeedle>>,
) {
    let r = crate::app::base::widgets::needle_rotation(map.view.heading);
    for mut t in &mut needles {
        if t.rotation != r {
            t.rotation = r;
        }
    }
}

/// Rebuilds every panel of the main window when what they show changed.
fn rebuild_ui(
    mut commands: Commands,
    old: Query<Entity, With<UiRoot>>,
    city: Res<City>,
    focus: Res<Focus>,
    lang: Res<CurrentLang>,
    figure: Res<MapFigure>,
    all: Res<ShowAllBuildings>,
    legend: Res<CurrentLegend>,
    case: Res<SelectedCase>,
    settings: Res<Settings>,
    view: Res<State<MainView>>,
    canvas: Option<Res<RingCanvas>>,
    config: Option<Res<HallConfig>>,
    (overlays, chooser, story, map_3d, map, floor): (
        Res<MapOverlays>,
        Res<Chooser>,
        Res<StoryPlay>,
        Res<Map3d>,
        Res<MapView>,
        Res<SelectedFloor>,
    ),
) {
    let story = story.0.as_ref();
    let view = *view.get();
    let reach = config.is_some_and(|c| c.0.reach_mode);
    for e in &old {
        commands.entity(e).despawn();
    }
    let city = &*city.0;
    let lang = lang.0;
    if view == MainView::Ring {
        // The LED wall shows the ring alone.
        return;
    }
    let root = commands
        .spawn((
            Name::new("UI root"),
            UiRoot,
            Node {
                width: percent(100),
                height: percent(100),
                position_type: PositionType::Absolute,
                ..default()
            },
            Pickable::IGNORE,
        ))
        .id();
    let corner = commands
        .spawn(bars::top_right(
            city,
            lang,
            view,
            reach,
            *chooser == Chooser::Stories,
        ))
        .id();
    commands.entity(root).add_child(corner);
    if view == MainView::Hall {
        let hint = commands.spawn(bars::hall_hint(lang)).id();
        commands.entity(root).add_child(hint);
        return;
    }
    let top = commands
        .spawn(bars::top_bar(city, *focus, lang, reach, story))
        .id();
    let card = commands
        .spawn(card::card_panel(
            city,
            *focus,
            case.0,
            lang,
            settings.full_owner_names,
        ))
        .id();
    let bottom = commands
        .spawn(bars::bottom_bar(
            city,
            *focus,
            lang,
            (figure.0, all.0, *chooser == Chooser::Layers, map_3d.0),
            story,
            map.view.heading,
        ))
        .id();
    commands.entity(root).add_children(&[top, card, bottom]);
    // In 3D a focused building's floors stand beside its card.
    if let (true, Focus::Building(b), None) = (map_3d.0, *focus, case.0)
        && let Some(building) = city.snapshot.buildings.get(b)
    {
        let stack = commands
            .spawn(floors::floor_panel(building, floor.0, lang))
            .id();
        commands.entity(root).add_child(stack);
    }
    // In reach mode the breadcrumb takes the strip's place, low on the screen.
    if let Some(canvas) = canvas.filter(|_| !reach) {
        let strip = commands.spawn(strip::strip_preview(canvas.0.clone())).id();
        commands.entity(root).add_child(strip);
    }
    match *chooser {
        Chooser::Layers if story.is_none() => {
            let c = commands
                .spawn(choosers::layers_chooser(city, lang, &overlays.0))
                .id();
            commands.entity(root).add_child(c);
        }
        Chooser::Stories => {
            let c = commands
                .spawn(choosers::stories_chooser(city, lang, reach))
                .id();
            commands.entity(root).add_child(c);
        }
        _ => {}
    }
    if let Some(l) = legend.0
        && focus.depth() <= 1
    {
        let clusters =
            (!city.snapshot.cases.is_empty() && overlays.0.cases).then_some(overlays.0.status);
        let legend = commands
            .spawn(legend::legend_panel(
                city,
                lang,
                l,
                clusters,
                map_3d.0.then_some(if all.0 && *focus == Focus::District {
                    legend::Raised::Buildings(map.storey_m)
                } else {
                    legend::Raised::Regions
                }),
            ))
            .id();
        commands.entity(root).add_child(legend);
    } else if focus.depth() >= 2 && case.0.is_none() {
        // An open case's card takes the height the legend had.
        let cases = !city.snapshot.cases.is_empty() && overlays.0.cases;
        let places = !city.snapshot.places.is_empty() && overlays.0.places;
        let legend = commands
            .spawn(legend::building_legend(lang, cases, places))
            .id();
        commands.entity(root).add_child(legend);
    }
}

/// A region's name in `lang` (empty for an index outside the snapshot).
pub(super) fn region_name(city: &CityData, r: usize, lang: Lang) -> String {
    city.snapshot
        .regions
        .get(r)
        .map(|x| lang.pick(&x.name, &x.name_en).to_string())
        .unwrap_or_default()
}

/// Where a panel sits: its usual place, or low on the screen in reach mode (every control
/// within a seated visitor's reach).
pub(super) fn place(
    reach: bool,
    left: Option<f32>,
    right: Option<f32>,
    top: f32,
    reach_bottom: f32,
) -> Node {
    Node {
        position_type: PositionType::Absolute,
        left: left.map_or(Val::Auto, px),
        right: right.map_or(Val::Auto, px),
        top: if reach { Val::Auto } else { px(top) },
        bottom: if reach { px(reach_bottom) } else { Val::Auto },
        ..default()
    }
}
