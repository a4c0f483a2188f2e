//! Map logic without rendering: the view and its easing, touch and mouse gestures, hit
//! tests through the snapshot's spatial index, and focus changes. Runs in headless tests.

use bevy::input::ButtonState;
use bevy::input::mouse::{MouseButtonInput, MouseScrollUnit, MouseWheel};
use bevy::input::touch::{TouchInput, TouchPhase};
use bevy::prelude::*;
use bevy::window::{CursorMoved, PrimaryWindow};

use super::super::AppSystems;
use super::super::state::{
    City, CurrentLang, Focus, MainView, MapFigure, MapRequest, ShowAllBuildings,
};
use crate::geo::{P2, Rect};
use crate::scene::gesture::{Gesture, Recognizer};
use crate::scene::view::{Insets, Transition, View};
use crate::snapshot::Level;
use crate::snapshot::index::CityData;

/// How long the camera takes to ease into a new focus, seconds.
pub const TRANSITION_SECONDS: f64 = 0.4;
/// The system set that reads touches and the mouse.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReadPointers;

/// The system set that applies map requests.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ApplyRequests;

/// The system set that moves the view; rendering follows after it.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EaseView;

/// Pointer id used for the mouse, apart from every finger.
pub const MOUSE_ID: u64 = u64::MAX;

/// Screen space the panels cover, kept free when fitting a region (logical px).
pub const MAP_INSETS: Insets = Insets {
    left: 40.0,
    right: 460.0,
    top: 130.0,
    bottom: 325.0,
};

/// The panels' insets at a UI scale (panels grow with the screen, see `ui::fit_ui_scale`).
pub fn map_insets(ui_scale: f32) -> Insets {
    let k = ui_scale as f64;
    Insets {
        left: MAP_INSETS.left * k,
        right: MAP_INSETS.right * k,
        top: MAP_INSETS.top * k,
        bottom: MAP_INSETS.bottom * k,
    }
}

/// The UI scale in force (1 where there is no UI, as in headless tests).
pub fn ui_scale(scale: &Option<Res<bevy::ui::UiScale>>) -> f32 {
    scale.as_ref().map_or(1.0, |s| s.0)
}

/// The map's current view and the transition towards the focus, if one is running.
#[derive(Resource, Debug, Clone)]
pub struct MapView {
    pub view: View,
    pub transition: Option<Transition>,
    /// The view that fits the current focus (where transitions land).
    pub target: View,
    /// The UI scale the insets were fitted with.
    pub ui_scale: f32,
}

impl MapView {
    /// Whether the camera is still moving.
    pub fn settled(&self) -> bool {
        self.transition.is_none()
    }
}

/// Screen rectangles (logical px: min x, min y, max x, max y) where panels take the touch
/// instead of the map. Filled by the UI each frame.
#[derive(Resource, Debug, Clone, Default)]
pub struct UiBlockers(pub Vec<[f32; 4]>);

impl UiBlockers {
    fn blocks(&self, p: Vec2) -> bool {
        self.0
            .iter()
            .any(|r| p.x >= r[0] && p.x <= r[2] && p.y >= r[1] && p.y <= r[3])
    }
}

/// Gesture state of all fingers and the mouse.
#[derive(Resource, Debug, Default)]
pub struct Pointers {
    recognizer: Recognizer,
    cursor: Option<Vec2>,
    /// Touches that began on a panel: ignored by the map until they lift.
    on_panel: Vec<u64>,
    /// The plane point under each finger when it went down: a tap selects what the visitor
    /// touched, even while the camera is still moving.
    pressed_at: Vec<(u64, P2)>,
}

impl Pointers {
    /// Takes a finger (or the mouse) away from the map until it lifts.
    pub fn swallow(&mut self, id: u64) {
        if !self.on_panel.contains(&id) {
            self.on_panel.push(id);
        }
        self.recognizer.cancel(id);
    }

    fn press(&mut self, id: u64, pos: [f64; 2], now: f64, view: &View) {
        self.recognizer.press(id, pos, now);
        self.pressed_at.retain(|(i, _)| *i != id);
        self.pressed_at.push((id, view.to_world(pos)));
    }

    /// Releases a finger; a tap comes back with the plane point it was pressed on.
    fn release(&mut self, id: u64, pos: [f64; 2], now: f64) -> Option<(Gesture, Option<P2>)> {
        let at = self
            .pressed_at
            .iter()
            .position(|(i, _)| *i == id)
            .map(|k| self.pressed_at.swap_remove(k).1);
        self.recognizer.release(id, pos, now).map(|g| (g, at))
    }
}

/// Bounds of what a focus shows, in local metres.
pub fn focus_bounds(city: &CityData, focus: Focus) -> Rect {
    match focus {
        Focus::Building(b) => {
            // Close enough to see the building, wide enough to see its neighbours.
            let Some(bb) = city.index.building_bounds.get(b) else {
                return city.index.region_bounds[city.index.district];
            };
            let half = (bb.width().max(bb.height()) * 5.0).max(180.0);
            let center = bb.center();
            Rect {
                min: [center[0] - half, center[1] - half],
                max: [center[0] + half, center[1] + half],
            }
        }
        other => city.index.region_bounds[other.region(city)],
    }
}

/// Smallest and largest scale (metres per pixel) the visitor can zoom to.
fn scale_limits(city: &CityData) -> (f64, f64) {
    let d = city.index.region_bounds[city.index.district];
    (0.05, (d.width().max(d.height()) / 300.0).max(1.0))
}

pub(crate) fn plugin(app: &mut App) {
    let city = app.world().resource::<City>().0.clone();
    let focus = *app.world().resource::<Focus>();
    let viewport = [1920.0, 1080.0];
    let target = View::fit(&focus_bounds(&city, focus), viewport, MAP_INSETS);
    app.insert_resource(MapView {
        view: target,
        transition: None,
        target,
        ui_scale: 1.0,
    })
    .init_resource::<UiBlockers>()
    .init_resource::<Pointers>()
    // Registered here too so the logic also runs headless, without the window plugin.
    .add_message::<CursorMoved>()
    .add_systems(
        Update,
        (
            track_viewport.in_set(AppSystems::Input),
            read_pointers
                .in_set(AppSystems::Input)
                .in_set(ReadPointers)
                .after(track_viewport)
                .run_if(resource_equals(MainView::Map))
                .run_if(|c: Option<Res<super::super::curator::Curator>>| {
                    c.is_none_or(|c| c.is_closed())
                }),
            read_keys.in_set(AppSystems::Input),
            apply_requests
                .in_set(AppSystems::Apply)
                .in_set(ApplyRequests),
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
    let target = View::fit(&focus_bounds(&city.0, *focus), size, map_insets(k));
    map.view = target;
    map.target = target;
    map.transition = None;
    map.ui_scale = k;
}

fn read_pointers(
    mut touches: MessageReader<TouchInput>,
    mut buttons: MessageReader<MouseButtonInput>,
    mut cursor: MessageReader<CursorMoved>,
    mut wheel: MessageReader<MouseWheel>,
    time: Res<Time<Real>>,
    blockers: Res<UiBlockers>,
    mut pointers: ResMut<Pointers>,
    mut map: ResMut<MapView>,
    city: Res<City>,
    focus: Res<Focus>,
    mut requests: MessageWriter<MapRequest>,
) {
    let now = time.elapsed_secs_f64();
    // Gestures with, for taps, the plane point the finger went down on.
    let mut gestures: Vec<(Gesture, Option<P2>)> = Vec::new();
    let view = map.view;
    let p = &mut *pointers;
    for t in touches.read() {
        let pos = [t.position.x as f64, t.position.y as f64];
        match t.phase {
            TouchPhase::Started if p.on_panel.contains(&t.id) => {}
            TouchPhase::Started => {
                if blockers.blocks(t.position) {
                    p.on_panel.push(t.id);
                } else {
                    p.press(t.id, pos, now, &view);
                }
            }
            TouchPhase::Moved => {
                if !p.on_panel.contains(&t.id) {
                    gestures.extend(p.recognizer.motion(t.id, pos).map(|g| (g, None)));
                }
            }
            TouchPhase::Ended => {
                if let Some(i) = p.on_panel.iter().position(|id| *id == t.id) {
                    p.on_panel.swap_remove(i);
                } else {
                    gestures.extend(p.release(t.id, pos, now));
                }
            }
            TouchPhase::Canceled => {
                p.on_panel.retain(|id| *id != t.id);
                p.pressed_at.retain(|(id, _)| *id != t.id);
                p.recognizer.cancel(t.id);
            }
        }
    }
    for c in cursor.read() {
        p.cursor = Some(c.position);
        let pos = [c.position.x as f64, c.position.y as f64];
        gestures.extend(p.recognizer.motion(MOUSE_ID, pos).map(|g| (g, None)));
    }
    for b in buttons.read() {
        if b.button != MouseButton::Left {
            continue;
        }
        let Some(c) = p.cursor else {
            continue;
        };
        let pos = [c.x as f64, c.y as f64];
        match b.state {
            ButtonState::Pressed if p.on_panel.contains(&MOUSE_ID) => {}
            ButtonState::Pressed if !blockers.blocks(c) => p.press(MOUSE_ID, pos, now, &view),
            ButtonState::Pressed => {}
            ButtonState::Released if p.on_panel.contains(&MOUSE_ID) => {
                p.on_panel.retain(|id| *id != MOUSE_ID);
            }
            ButtonState::Released => gestures.extend(p.release(MOUSE_ID, pos, now)),
        }
    }
    let (min_scale, max_scale) = scale_limits(&city.0);
    for w in wheel.read() {
        let Some(c) = p.cursor else {
            continue;
        };
        if blockers.blocks(c) {
            continue;
        }
        let steps = match w.unit {
            MouseScrollUnit::Line => w.y as f64,
            MouseScrollUnit::Pixel => w.y as f64 / 60.0,
        };
        map.transition = None;
        map.view.zoom_about(
            [c.x as f64, c.y as f64],
            1.2f64.powf(steps),
            min_scale,
            max_scale,
        );
    }
    for (g, pressed_world) in gestures {
        match g {
            Gesture::Pan(d) => {
                map.transition = None;
                map.view.pan(d);
            }
            Gesture::Pinch {
                center,
                factor,
                pan,
            } => {
                map.transition = None;
                map.view.pan(pan);
                map.view.zoom_about(center, factor, min_scale, max_scale);
            }
            Gesture::DoubleTap(pos) => {
                // A quick second tap on something new selects it (a visitor tapping the
                // building that just appeared); on the same thing it zooms in.
                let world = pressed_world.unwrap_or_else(|| map.view.to_world(pos));
                if let Some(next) = hit(&city.0, *focus, world)
                    && next != *focus
                {
                    requests.write(MapRequest::Focus(next));
                    continue;
                }
                let mut to = map.view;
                to.zoom_about(pos, 2.0, min_scale, max_scale);
                map.transition = Some(Transition {
                    from: map.view,
                    to,
                    elapsed: 0.0,
                    duration: TRANSITION_SECONDS * 0.75,
                });
            }
            Gesture::Tap(pos) => {
                let world = pressed_world.unwrap_or_else(|| map.view.to_world(pos));
                if let Some(next) = hit(&city.0, *focus, world) {
                    requests.write(MapRequest::Focus(next));
                }
            }
        }
    }
}

/// What a tap at `p` (local metres) selects, given the current focus.
pub fn hit(city: &CityData, focus: Focus, p: P2) -> Option<Focus> {
    let s = &city.snapshot;
    let idx = &city.index;
    let street_at = || idx.region_at(s, Level::Street, p).map(Focus::Street);
    let community_at = || idx.region_at(s, Level::Community, p);
    match focus {
        Focus::District => street_at(),
        Focus::Street(street) => match community_at() {
            Some(c) if idx.parent[c] == Some(street) => Some(Focus::Community(c)),
            _ => street_at(),
        },
        Focus::Community(_) | Focus::Building(_) => {
            let community = focus.region(city);
            if let Some(b) = idx.building_at(p)
                && idx.community_of.get(b) == Some(&community)
            {
                return Some(Focus::Building(b));
            }
            match community_at() {
                Some(other) if idx.parent[other] == idx.parent[community] => {
                    Some(Focus::Community(other))
                }
                _ => street_at(),
            }
        }
    }
}

fn read_keys(keys: Res<ButtonInput<KeyCode>>, mut requests: MessageWriter<MapRequest>) {
    if keys.any_just_pressed([KeyCode::Escape, KeyCode::Backspace]) {
        requests.write(MapRequest::Back);
    }
    if keys.just_pressed(KeyCode::KeyL) {
        requests.write(MapRequest::ToggleLang);
    }
    if keys.just_pressed(KeyCode::KeyB) {
        requests.write(MapRequest::ToggleAllBuildings);
    }
    if keys.just_pressed(KeyCode::KeyV) {
        requests.write(MapRequest::CycleView);
    }
}

/// Applies requests in order; a new focus starts the camera's transition at once.
#[allow(clippy::too_many_arguments)]
fn apply_requests(
    mut requests: MessageReader<MapRequest>,
    city: Res<City>,
    mut focus: ResMut<Focus>,
    mut lang: ResMut<CurrentLang>,
    mut figure: ResMut<MapFigure>,
    mut all: ResMut<ShowAllBuildings>,
    mut map: ResMut<MapView>,
    mut view: ResMut<MainView>,
) {
    for r in requests.read() {
        match *r {
            MapRequest::Focus(f) => set_focus(&city.0, &mut focus, &mut map, f),
            MapRequest::Back => {
                let up = focus.up(&city.0);
                set_focus(&city.0, &mut focus, &mut map, up);
            }
            MapRequest::ToggleLang => lang.0 = lang.0.other(),
            MapRequest::SetFigure(f) => figure.0 = f,
            MapRequest::ToggleAllBuildings => all.0 = !all.0,
            MapRequest::SetView(v) => *view = v,
            MapRequest::CycleView => {
                *view = match *view {
                    MainView::Map => MainView::Hall,
                    MainView::Hall => MainView::Ring,
                    MainView::Ring => MainView::Map,
                }
            }
        }
    }
}

fn set_focus(city: &CityData, focus: &mut ResMut<Focus>, map: &mut ResMut<MapView>, to: Focus) {
    // Going "back" at the district level, or tapping the focused region, still recentres.
    if **focus != to {
        **focus = to;
    }
    let target = View::fit(
        &focus_bounds(city, to),
        map.view.viewport,
        map_insets(map.ui_scale),
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
    let (view, done) = t.step(time.delta_secs_f64());
    map.view = view;
    map.transition = if done { None } else { Some(t) };
}
