//! The map's input: touches and the mouse become gestures (tap, double tap, pan, pinch,
//! wheel zoom) on the map's view; taps are hit-tested through the snapshot's spatial index
//! and become focus requests; keys become requests. Runs headless.

use bevy::input::ButtonState;
use bevy::input::mouse::{MouseButtonInput, MouseScrollUnit, MouseWheel};
use bevy::input::touch::{TouchInput, TouchPhase};
use bevy::prelude::*;
use bevy::window::CursorMoved;

use super::pick3d::{Picked, Seen, pick_3d};
use crate::app::base::map_view::{MOUSE_ID, TILT_PER_PX, TURN_PER_PX};
use crate::app::base::{
    City, CuratorMode, Focus, IgnorePointer, MainView, Map3d, MapFigure, MapOverlays, MapRequest,
    MapView, ShowAllBuildings, StoreyHeight, UiBlockers,
};
use crate::geo::P2;
use crate::scene::gesture::{Gesture, Recognizer};
use crate::scene::view::{Transition, View};
use crate::snapshot::Level;
use crate::snapshot::index::CityData;

/// Gesture state of all fingers and the mouse.
/// Where a finger (or the mouse) went down on the map's plane, local metres.
#[derive(Debug, Clone, Copy)]
struct Pressed {
    id: u64,
    at: P2,
}

/// A gesture, with the plane point its finger went down on (for taps; `None` for motion).
struct Recognized {
    gesture: Gesture,
    at: Option<P2>,
}

impl Recognized {
    fn motion(gesture: Gesture) -> Self {
        Self { gesture, at: None }
    }
}

#[derive(Resource, Debug, Default)]
pub(super) struct Pointers {
    recognizer: Recognizer,
    cursor: Option<Vec2>,
    /// Touches that began on a panel: ignored by the map until they lift.
    on_panel: Vec<u64>,
    /// The plane point under each finger when it went down: a tap selects what the visitor
    /// touched, even while the camera is still moving.
    pressed_at: Vec<Pressed>,
    /// The right mouse button is down on the map: dragging turns and tilts the 3D map.
    right_drag: bool,
}

impl Pointers {
    /// Forgets every finger and press (the map is not on screen, or the curator has it).
    fn forget_fingers(&mut self) {
        self.right_drag = false;
        self.recognizer.reset();
        self.on_panel.clear();
        self.pressed_at.clear();
    }

    /// Takes a finger (or the mouse) away from the map until it lifts.
    fn swallow(&mut self, id: u64) {
        if !self.on_panel.contains(&id) {
            self.on_panel.push(id);
        }
        self.recognizer.cancel(id);
    }

    fn press(&mut self, id: u64, pos: [f64; 2], now: f64, view: &View) {
        self.recognizer.press(id, pos, now);
        self.pressed_at.retain(|p| p.id != id);
        self.pressed_at.push(Pressed {
            id,
            at: view.to_world(pos),
        });
    }

    /// Releases a finger; a tap comes back with the plane point it was pressed on.
    fn release(&mut self, id: u64, pos: [f64; 2], now: f64) -> Option<Recognized> {
        let at = self
            .pressed_at
            .iter()
            .position(|p| p.id == id)
            .map(|k| self.pressed_at.swap_remove(k).at);
        self.recognizer
            .release(id, pos, now)
            .map(|gesture| Recognized { gesture, at })
    }
}

/// Smallest and largest scale the visitor can zoom to, metres per pixel: 5 cm, and the
/// whole district in 300 px (at least 1 m).
struct ZoomLimits {
    min: f64,
    max: f64,
}

impl ZoomLimits {
    fn of(city: &CityData) -> Self {
        let d = city.index.region_bounds[city.index.district];
        Self {
            min: 0.05,
            max: (d.width().max(d.height()) / 300.0).max(1.0),
        }
    }
}

pub(super) fn read_pointers(
    mut ignore: MessageReader<IgnorePointer>,
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
    (main_view, curator, map_3d, figure, overlays, all, storey, mouse): (
        Res<State<MainView>>,
        Res<State<CuratorMode>>,
        Res<Map3d>,
        Res<MapFigure>,
        Res<MapOverlays>,
        Res<ShowAllBuildings>,
        Res<StoreyHeight>,
        Option<Res<ButtonInput<MouseButton>>>,
    ),
) {
    let now = time.elapsed_secs_f64();
    // Gestures with, for taps, the plane point the finger went down on.
    let mut gestures: Vec<Recognized> = Vec::new();
    let view = map.view;
    let p = &mut *pointers;
    p.recognizer.set_3d(map_3d.0);
    // A right button let go outside the window sends no release here: ask the button.
    if let Some(mouse) = &mouse {
        p.right_drag &= mouse.pressed(MouseButton::Right);
    }
    if *main_view.get() != MainView::Map || *curator.get() != CuratorMode::Closed {
        for c in cursor.read() {
            p.cursor = Some(c.position);
        }
        touches.clear();
        buttons.clear();
        wheel.clear();
        ignore.clear();
        p.forget_fingers();
        return;
    }
    for IgnorePointer(id) in ignore.read() {
        p.swallow(*id);
    }
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
                    gestures.extend(p.recognizer.motion(t.id, pos).map(Recognized::motion));
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
                p.pressed_at.retain(|x| x.id != t.id);
                p.recognizer.cancel(t.id);
            }
        }
    }
    for c in cursor.read() {
        // Right-drag on the 3D map: across turns it (to the right: counter-clockwise, as in
        // the common web maps), up and down tilts it (as two fingers).
        if let (true, Some(delta)) = (p.right_drag && map_3d.0, c.delta) {
            let middle = [view.viewport[0] * 0.5, view.viewport[1] * 0.5];
            gestures.push(Recognized::motion(Gesture::Tilt {
                center: middle,
                up: -delta.y as f64,
            }));
            gestures.push(Recognized::motion(Gesture::Pinch {
                center: middle,
                factor: 1.0,
                pan: [0.0, 0.0],
                rotation: -delta.x as f64 * TURN_PER_PX,
            }));
        }
        p.cursor = Some(c.position);
        let pos = [c.position.x as f64, c.position.y as f64];
        gestures.extend(p.recognizer.motion(MOUSE_ID, pos).map(Recognized::motion));
    }
    for b in buttons.read() {
        if b.button == MouseButton::Right {
            p.right_drag =
                b.state == ButtonState::Pressed && p.cursor.is_some_and(|c| !blockers.blocks(c));
            continue;
        }
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
    let ZoomLimits {
        min: min_scale,
        max: max_scale,
    } = ZoomLimits::of(&city.0);
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
    for Recognized {
        gesture,
        at: pressed_world,
    } in gestures
    {
        match gesture {
            Gesture::Pan(d) => {
                map.transition = None;
                map.view.pan(d);
            }
            Gesture::Pinch {
                center,
                factor,
                pan,
                rotation,
            } => {
                map.transition = None;
                map.view.pan(pan);
                map.view.zoom_about(center, factor, min_scale, max_scale);
                if rotation != 0.0 && map_3d.0 {
                    map.view.turn_about(center, rotation);
                    // Later drills keep the visitor's heading.
                    map.target.heading = map.view.heading;
                }
            }
            Gesture::Tilt { center, up } if map_3d.0 => {
                map.transition = None;
                map.view.tilt_about(center, up * TILT_PER_PX);
                map.target.tilt = map.view.tilt;
            }
            Gesture::Tilt { .. } => {}
            Gesture::DoubleTap(pos) => {
                // A quick second tap on something new selects it (a visitor tapping the
                // building that just appeared); on the same thing it zooms in. On a case's
                // dot it keeps (or opens) the case's card rather than drilling under it.
                let world = pressed_world.unwrap_or_else(|| map.view.to_world(pos));
                let seen = Seen::of(
                    &map_3d,
                    view_reach(&map),
                    pos,
                    (&figure, &overlays, &all, &storey),
                );
                let picked = pick_3d(&city.0, *focus, &seen);
                let case = match picked {
                    Some(Picked::Case(c)) => Some(c),
                    Some(Picked::Focus(_)) => None,
                    // In 3D the dots stand on roofs: only what is seen there counts.
                    None if map_3d.0 => None,
                    None => case_hit(&city.0, *focus, world, case_reach(&map)),
                };
                if let Some(c) = case {
                    requests.write(MapRequest::SelectCase(c));
                    continue;
                }
                let raised = match picked {
                    Some(Picked::Focus(f)) => Some(f),
                    _ => None,
                };
                if let Some(next) = raised.or_else(|| hit(&city.0, *focus, world))
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
                    duration: super::logic::TRANSITION_SECONDS * 0.75,
                });
            }
            Gesture::Tap(pos) => {
                let world = pressed_world.unwrap_or_else(|| map.view.to_world(pos));
                let seen = Seen::of(
                    &map_3d,
                    view_reach(&map),
                    pos,
                    (&figure, &overlays, &all, &storey),
                );
                // In 3D what stands in the line of sight comes first: a case's dot on the
                // ground behind a tower is not what the visitor touched; one on its roof is.
                let request = match pick_3d(&city.0, *focus, &seen) {
                    Some(Picked::Focus(next)) => Some(MapRequest::Focus(next)),
                    Some(Picked::Case(c)) => Some(MapRequest::SelectCase(c)),
                    // In 3D the dots stand on roofs (`pick_3d` saw them): the ground below
                    // them is not a case.
                    None if map_3d.0 => hit(&city.0, *focus, world).map(MapRequest::Focus),
                    None => case_hit(&city.0, *focus, world, case_reach(&map))
                        .map(MapRequest::SelectCase)
                        .or_else(|| hit(&city.0, *focus, world).map(MapRequest::Focus)),
                };
                if let Some(r) = request {
                    requests.write(r);
                }
            }
        }
    }
}

/// How far from a case's dot a tap still opens it, logical px at UI scale 1 (× the UI scale
/// on other screens): the dot (~14 px across with its rim) and a little more — 12.6 mm across on a 55" full-HD table. Further away the tap
/// is the building's or the grid's: cases sit on buildings, and a finger meant for the
/// building must still get it.
pub const CASE_TOUCH_PX: f64 = 10.0;

/// How far from a case's point a tap opens it, m: [`CASE_TOUCH_PX`] × the UI scale on
/// screen (a 4K table's dots, like its fingers' reach, are twice as many pixels wide), and
/// never less than the dot as drawn (its rim's radius, 7 marker px at the scale the layers
/// were built for, `scene::layers::Scale`) when the visitor has zoomed in on it.
fn case_reach(map: &MapView) -> f64 {
    (CASE_TOUCH_PX * f64::from(map.ui_scale) * map.view.scale).max(8.0 * map.layer_scale().marker)
}

/// The view a tap is seen in, with [`case_reach`] in logical px (for `pick3d::Seen`).
fn view_reach(map: &MapView) -> (crate::scene::view::View, f64) {
    (map.view, case_reach(map) / map.view.scale)
}

/// The case whose dot is nearest `p` (local metres) within `reach` m, among those the map
/// shows for the focus (a community's and its grids' cases, from community level down).
pub fn case_hit(city: &CityData, focus: Focus, p: P2, reach: f64) -> Option<usize> {
    if focus.depth() < 2 {
        return None;
    }
    let gi = &city.index.governance;
    let community = focus.region(city);
    let mut best: Option<(f64, usize)> = None;
    for &c in gi
        .cases_of_region
        .get(community)
        .map_or(&[][..], Vec::as_slice)
    {
        let Some(at) = gi.case_points.get(c as usize) else {
            continue;
        };
        let d = (at[0] - p[0]).hypot(at[1] - p[1]);
        if d <= reach && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c as usize));
        }
    }
    best.map(|(_, c)| c)
}

/// What a tap at `p` (local metres) selects, given the current focus. The drill goes
/// district → subdistrict → community → grid → building where the community has grids
/// (a tap in a community picks its grid; in a grid, a building), and straight from the
/// community to the building where it has none.
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
        Focus::Community(_) | Focus::Grid(_) | Focus::Building(_) => {
            let community = focus.region(city);
            let grid = idx.governance.grid_at(community, p);
            if matches!(focus, Focus::Community(_))
                && let Some(g) = grid
            {
                return Some(Focus::Grid(g));
            }
            if let Some(b) = idx.building_at(p)
                && idx.community_of.get(b) == Some(&community)
            {
                return Some(Focus::Building(b));
            }
            // Ground in a grid: that grid (the one in focus stays; a building's grid
            // lets the building go).
            if let Some(g) = grid {
                return Some(Focus::Grid(g));
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

pub(super) fn read_keys(keys: Res<ButtonInput<KeyCode>>, mut requests: MessageWriter<MapRequest>) {
    if keys.any_just_pressed([KeyCode::Escape, KeyCode::Backspace]) {
        requests.write(MapRequest::Back);
    }
    if keys.just_pressed(KeyCode::KeyL) {
        requests.write(MapRequest::ToggleLang);
    }
    if keys.just_pressed(KeyCode::KeyB) {
        requests.write(MapRequest::ToggleAllBuildings);
    }
    if keys.just_pressed(KeyCode::Digit3) {
        requests.write(MapRequest::Toggle3d);
    }
    if keys.just_pressed(KeyCode::KeyV) {
        requests.write(MapRequest::CycleView);
    }
}
