//! Map logic without rendering: the view follows the window and eases into each new focus;
//! map requests change the focus, language, figure and layers; a swapped-in snapshot is
//! shown from the district at once. Runs in headless tests.

use bevy::prelude::*;
use bevy::window::{CursorMoved, PrimaryWindow};

use super::input;
use crate::app::base::map_view::{
    MAP_INSETS, TILT_SECONDS, focus_bounds, map_insets, tilt_for, ui_scale,
};
use crate::app::base::pace::animation_step;
use crate::app::base::sets::{ApplyRequests, EaseView, ReadPointers};
use crate::app::base::{
    AppSystems, Chooser, City, CurrentLang, Focus, Map3d, MapFigure, MapOverlays, MapRequest,
    MapView, Overlay, SelectedCase, SelectedFloor, ShowAllBuildings, StoreyHeight, UiBlockers,
};
use crate::scene::view::{Transition, View};
use crate::snapshot::index::CityData;

/// How long the camera takes to ease into a new focus, seconds.
pub const TRANSITION_SECONDS: f64 = 0.4;

/// The map's view, input and requests (headless as well as windowed).
pub fn plugin(app: &mut App) {
    let city = app.world().resource::<City>().0.clone();
    let focus = *app.world().resource::<Focus>();
    let viewport = [1920.0, 1080.0];
    let map_3d = app.world().get_resource::<Map3d>().is_some_and(|m| m.0);
    let storey_m = app
        .world()
        .get_resource::<StoreyHeight>()
        .copied()
        .unwrap_or_default()
        .0;
    let target = fit(
        &city,
        focus,
        viewport,
        MAP_INSETS,
        (tilt_for(map_3d), 0.0, storey_m),
    );
    app.insert_resource(MapView {
        view: target,
        transition: None,
        target,
        ui_scale: 1.0,
        storey_m,
    })
    .init_resource::<UiBlockers>()
    .init_resource::<input::Pointers>()
    // Registered here too so the logic also runs headless, without the window plugin.
    .add_message::<CursorMoved>()
    .add_systems(
        Update,
        (
            // After the UI scale has followed the window: the fit's insets and the
            // layers' marker size use it.
            track_viewport
                .in_set(AppSystems::Input)
                .after(crate::app::base::sets::FitUiScale),
            // Runs in every mode: while another view or the curator has the screen it
            // drops what it reads (and follows the cursor), so that nothing pressed there
            // is taken for a touch on the map afterwards.
            input::read_pointers
                .in_set(AppSystems::Input)
                .in_set(ReadPointers)
                .after(track_viewport),
            input::read_keys.in_set(AppSystems::Input),
            follow_snapshot
                .in_set(AppSystems::Apply)
                .before(ApplyRequests),
            apply_requests
                .in_set(AppSystems::Apply)
                .in_set(ApplyRequests),
            tilt_with_mode
                .in_set(AppSystems::Apply)
                .after(ApplyRequests)
                .run_if(resource_changed::<Map3d>),
            ease_view.in_set(AppSystems::Animate).in_set(EaseView),
        ),
    );
}

/// Follows the window's size, refitting the focus when it changes.
fn track_viewport(
    window: Option<Single<&Window, With<PrimaryWindow>>>,
    scale: Option<Res<bevy::ui::UiScale>>,
    mut map: ResMut<MapView>,
    city: Res<City>,
    focus: Res<Focus>,
) {
    let Some(window) = window else {
        return;
    };
    let size = [window.width() as f64, window.height() as f64];
    let k = ui_scale(&scale);
    if size[0] < 1.0 || size[1] < 1.0 || (size == map.view.viewport && k == map.ui_scale) {
        return;
    }
    let target = fit(
        &city.0,
        *focus,
        size,
        map_insets(k),
        (map.target.tilt, map.target.heading, map.storey_m),
    );
    map.view = target;
    map.target = target;
    map.transition = None;
    map.ui_scale = k;
}

/// A snapshot swapped in (the swap puts it on show from the district): the view jumps to
/// the whole district at once, with no transition from a map that no longer exists.
fn follow_snapshot(city: Res<City>, focus: Res<Focus>, mut map: ResMut<MapView>) {
    if !city.is_changed() || city.is_added() {
        return;
    }
    let to = fit(
        &city.0,
        *focus,
        map.view.viewport,
        map_insets(map.ui_scale),
        (map.target.tilt, map.target.heading, map.storey_m),
    );
    map.view = to;
    map.target = to;
    map.transition = None;
}

/// Applies requests in order; a new focus starts the camera's transition at once. The
/// main view's requests are the views feature's.
fn apply_requests(
    mut requests: MessageReader<MapRequest>,
    city: Res<City>,
    mut focus: ResMut<Focus>,
    mut lang: ResMut<CurrentLang>,
    mut figure: ResMut<MapFigure>,
    mut all: ResMut<ShowAllBuildings>,
    mut map: ResMut<MapView>,
    mut case: ResMut<SelectedCase>,
    (mut overlays, mut chooser, mut map_3d, mut floor): (
        ResMut<MapOverlays>,
        ResMut<Chooser>,
        ResMut<Map3d>,
        ResMut<SelectedFloor>,
    ),
) {
    for r in requests.read() {
        let was = *focus;
        match *r {
            MapRequest::Focus(f) => {
                if *focus != f {
                    case.set_if_neq(SelectedCase(None));
                }
                set_focus(&city.0, &mut focus, &mut map, f);
            }
            MapRequest::SelectCase(c) => {
                if c < city.0.snapshot.cases.len() {
                    case.set_if_neq(SelectedCase(Some(c)));
                }
            }
            // Back closes an open case's card first.
            MapRequest::Back if case.0.is_some() => case.0 = None,
            MapRequest::Back => {
                let up = focus.up(&city.0);
                set_focus(&city.0, &mut focus, &mut map, up);
            }
            MapRequest::ToggleLang => lang.0 = lang.0.other(),
            MapRequest::SetFigure(f) => figure.0 = f,
            MapRequest::ToggleAllBuildings => all.0 = !all.0,
            MapRequest::Toggle3d => map_3d.0 = !map_3d.0,
            MapRequest::NorthUp => north_up(&mut map),
            MapRequest::SelectFloor(_) | MapRequest::StepFloor(_) => {
                pick_floor(&city.0, *focus, &mut floor, *r)
            }
            MapRequest::ToggleChooser(c) => {
                let next = if *chooser == c { Chooser::None } else { c };
                chooser.set_if_neq(next);
            }
            MapRequest::ToggleOverlay(o) => {
                let o = match o {
                    Overlay::Cases => &mut overlays.0.cases,
                    Overlay::Places => &mut overlays.0.places,
                    Overlay::Grids => &mut overlays.0.grids,
                };
                *o = !*o;
            }
            MapRequest::SetStatus(status) => {
                overlays.0.status = status;
                overlays.0.cases = true;
            }
            MapRequest::ToggleDepartment(d) => {
                if (d as usize) < city.0.snapshot.departments.len() {
                    overlays.0.toggle_department(d);
                    overlays.0.cases = true;
                }
            }
            MapRequest::AllDepartments => {
                if !overlays.0.departments.is_empty() {
                    overlays.0.departments.clear();
                }
            }
            // The views' and the stories' requests are theirs.
            MapRequest::SetView(_)
            | MapRequest::CycleView
            | MapRequest::StartStory(_)
            | MapRequest::StoryStep(_)
            | MapRequest::EndStory => {}
        }
        if *focus != was {
            // A floor is of the building it was picked on (Back, a drill, a swap).
            floor.set_if_neq(SelectedFloor(None));
        }
    }
}

/// The view that shows `focus` seen at `tilt` and `heading` (radians); tilted, with room above it
/// for what the 3D map raises: a focused building's own height (seen closer than on the
/// flat map: 2.5 × its size around it, at least 70 m), the tallest building of the
/// community from the community level down, else [`crate::scene::layers::TALLEST_SHARE`]
/// of the area's larger side. A building in 3D also leaves room for its floor stack beside
/// the card.
fn fit(
    city: &CityData,
    focus: Focus,
    viewport: [f64; 2],
    mut insets: crate::scene::view::Insets,
    (tilt, heading, storey_m): (f64, f64, f64),
) -> View {
    let mut b = focus_bounds(city, focus);
    let top = if tilt <= 0.0 {
        0.0
    } else if let Focus::Building(i) = focus {
        // In 3D a building is seen closer than on the flat map, so that its walls and the
        // floor picked in its stack read: its own height above it, a block's width around.
        let (Some(bb), Some(building)) = (
            city.index.building_bounds.get(i),
            city.snapshot.buildings.get(i),
        ) else {
            return View::fit_posed(&b, viewport, insets, tilt, heading, 0.0);
        };
        let half = (bb.width().max(bb.height()) * 2.5).max(70.0);
        let c = bb.center();
        b = crate::geo::Rect {
            min: [c[0] - half, c[1] - half],
            max: [c[0] + half, c[1] + half],
        };
        crate::scene::extrude::building_height(building.floors, storey_m)
    } else if focus.depth() >= 2 {
        crate::scene::layers::raised_buildings(city, focus.layer_depth(city), storey_m)
            .iter()
            .fold(0.0, |m, &(_, h)| f64::max(m, h))
    } else {
        b.width().max(b.height()) * crate::scene::layers::TALLEST_SHARE
    };
    if tilt > 0.0 && matches!(focus, Focus::Building(_)) {
        // (The insets are the panels' at the UI scale in force: the card's 460 px at 1.)
        let k = insets.right / MAP_INSETS.right;
        insets.right += (crate::app::base::map_view::FLOOR_STACK_WIDTH as f64 + 16.0) * k;
    }
    View::fit_posed(&b, viewport, insets, tilt, heading, top)
}

/// The floor stack's choice: a floor of the focused building (clamped to its floors), or
/// the one above or below the picked one (from nothing: the ground floor going up, the top
/// going down).
fn pick_floor(city: &CityData, focus: Focus, floor: &mut ResMut<SelectedFloor>, r: MapRequest) {
    let Focus::Building(b) = focus else {
        return;
    };
    // (The stack shows at most MAX_FLOORS floors: a pick never falls outside it.)
    let max = crate::scene::floors::MAX_FLOORS;
    let Some(floors) = city
        .snapshot
        .buildings
        .get(b)
        .map(|b| b.floors.clamp(1, max))
    else {
        return;
    };
    let to = match r {
        MapRequest::StepFloor(d) => floor
            .0
            .map_or(if d > 0 { 1 } else { floors }, |f| f + d as i64),
        MapRequest::SelectFloor(f) => f,
        _ => return,
    };
    floor.set_if_neq(SelectedFloor(Some(to.clamp(1, floors))));
}

/// The compass: the map turns back to north up about the screen's middle, in
/// [`TILT_SECONDS`]; later drills keep north up.
fn north_up(map: &mut ResMut<MapView>) {
    if map.target.heading == 0.0 && map.view.heading == 0.0 {
        return;
    }
    map.target.heading = 0.0;
    let to = View {
        heading: 0.0,
        ..map.transition.map_or(map.view, |t| t.to)
    };
    map.transition = Some(Transition {
        from: map.view,
        to,
        elapsed: 0.0,
        duration: TILT_SECONDS,
    });
}

/// The camera tilts into 3D or back to the flat map (north up) when the mode changes (a
/// toggle, the idle reset), in [`TILT_SECONDS`], wherever it is going. `shown` is the mode
/// the camera was last posed for: a visitor's own tilt and turn stay until the mode changes.
fn tilt_with_mode(
    map_3d: Res<Map3d>,
    city: Res<City>,
    focus: Res<Focus>,
    mut map: ResMut<MapView>,
    mut shown: Local<Option<bool>>,
) {
    let was = shown
        .replace(map_3d.0)
        .unwrap_or(map.target.tilt > 0.0 || map.target.heading != 0.0);
    if was == map_3d.0 {
        return;
    }
    let (tilt, heading) = if map_3d.0 {
        (tilt_for(true), map.target.heading)
    } else {
        (0.0, 0.0)
    };
    let to = fit(
        &city.0,
        *focus,
        map.view.viewport,
        map_insets(map.ui_scale),
        (tilt, heading, map.storey_m),
    );
    map.target = to;
    map.transition = Some(Transition {
        from: map.view,
        to,
        elapsed: 0.0,
        duration: TILT_SECONDS,
    });
}

fn set_focus(city: &CityData, focus: &mut ResMut<Focus>, map: &mut ResMut<MapView>, to: Focus) {
    // Going "back" at the district level, or tapping the focused region, still recentres.
    if **focus != to {
        **focus = to;
    }
    // The new focus seen as the map is seen now: flat or tilted, turned as it is.
    let target = fit(
        city,
        to,
        map.view.viewport,
        map_insets(map.ui_scale),
        (map.target.tilt, map.target.heading, map.storey_m),
    );
    map.target = target;
    map.transition = Some(Transition {
        from: map.view,
        to: target,
        elapsed: 0.0,
        duration: TRANSITION_SECONDS,
    });
}

fn ease_view(time: Res<Time<Real>>, mut map: ResMut<MapView>) {
    let Some(mut t) = map.transition else {
        return;
    };
    let (view, done) = t.step(animation_step(&time));
    map.view = view;
    map.transition = if done { None } else { Some(t) };
}
