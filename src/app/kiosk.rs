//! Kiosk life: after the configured idle time the exhibit resets (district view, the
//! configured language, default figure) and, if enabled, runs an attract mode — a slow tour
//! of the subdistricts, which the ring follows, under a 触摸探索 / Touch to explore
//! invitation. The first touch ends it and returns to the district view; that touch
//! selects nothing.

use bevy::input::keyboard::KeyboardInput;
use bevy::input::mouse::{MouseButtonInput, MouseWheel};
use bevy::input::touch::{TouchInput, TouchPhase};
use bevy::prelude::*;

use super::AppSystems;
use super::map::logic::{Pointers, ReadPointers};
use super::state::{City, CurrentLang, Focus, MainView, MapFigure, MapRequest, ShowAllBuildings};
use super::theme::{self, size};
use crate::config::Config;
use crate::palette;
use crate::scene::format::Lang;

/// Seconds each subdistrict is shown during the tour.
const TOUR_STEP_SECONDS: f64 = 7.0;

/// The hall's configuration, as loaded at start.
#[derive(Resource, Debug, Clone)]
pub struct HallConfig(pub Config);

/// Time since the last touch, and whether the attract mode is running.
#[derive(Resource, Debug, Clone, Default)]
pub struct Idle {
    pub seconds: f64,
    pub attract: bool,
    /// Seconds into the current stop of the tour.
    pub tour_clock: f64,
    tour_index: usize,
}

/// The invitation shown during the attract mode.
#[derive(Component)]
struct Invitation;

pub(crate) fn plugin(app: &mut App) {
    app.init_resource::<Idle>().add_systems(
        Update,
        (
            watch_input.in_set(AppSystems::Input).before(ReadPointers),
            tour.in_set(AppSystems::Apply)
                .before(super::map::logic::ApplyRequests),
        ),
    );
}

/// The invitation overlay and its gentle pulse (windowed app only).
pub(crate) fn overlay_plugin(app: &mut App) {
    app.add_systems(
        Update,
        (show_invitation, pulse_invitation)
            .chain()
            .in_set(AppSystems::Animate),
    );
}

fn watch_input(
    mut touches: MessageReader<TouchInput>,
    mut buttons: MessageReader<MouseButtonInput>,
    mut wheel: MessageReader<MouseWheel>,
    mut keys: MessageReader<KeyboardInput>,
    time: Res<Time<Real>>,
    config: Res<HallConfig>,
    mut idle: ResMut<Idle>,
    mut pointers: ResMut<Pointers>,
    focus: Res<Focus>,
    mut lang: ResMut<CurrentLang>,
    mut figure: ResMut<MapFigure>,
    mut all: ResMut<ShowAllBuildings>,
    mut view: ResMut<MainView>,
    mut requests: MessageWriter<MapRequest>,
    curator: Option<Res<super::curator::Curator>>,
) {
    if curator.is_some_and(|c| !c.is_closed()) {
        // The hall's staff are at work: no reset under their hands.
        idle.seconds = 0.0;
        touches.clear();
        buttons.clear();
        wheel.clear();
        keys.clear();
        return;
    }
    let mut woke = false;
    for t in touches.read() {
        woke = true;
        if idle.attract && t.phase == TouchPhase::Started {
            // The touch that wakes the exhibit does not also select what it lands on.
            pointers.swallow(t.id);
        }
    }
    for b in buttons.read() {
        woke = true;
        if idle.attract && b.state.is_pressed() {
            pointers.swallow(super::map::logic::MOUSE_ID);
        }
    }
    woke |= wheel.read().count() > 0;
    woke |= keys.read().count() > 0;
    if woke {
        idle.seconds = 0.0;
        if idle.attract {
            idle.attract = false;
            requests.write(MapRequest::Focus(Focus::District));
        }
        return;
    }
    idle.seconds += time.delta_secs_f64();
    if idle.seconds < config.0.idle_timeout_s || idle.attract {
        return;
    }
    // Reset for the next visitor.
    lang.0 = Lang::parse(&config.0.language).unwrap_or_default();
    *figure = MapFigure::default();
    all.0 = false;
    *view = MainView::Map;
    if *focus != Focus::District {
        requests.write(MapRequest::Focus(Focus::District));
    }
    if config.0.attract {
        idle.attract = true;
        idle.tour_clock = 0.0;
    } else {
        // Without the attract mode, count again from now.
        idle.seconds = 0.0;
    }
}

/// The tour: one subdistrict after another, then the district again.
fn tour(
    time: Res<Time<Real>>,
    city: Res<City>,
    mut idle: ResMut<Idle>,
    mut requests: MessageWriter<MapRequest>,
) {
    if !idle.attract {
        return;
    }
    idle.tour_clock += time.delta_secs_f64();
    if idle.tour_clock < TOUR_STEP_SECONDS {
        return;
    }
    idle.tour_clock = 0.0;
    let streets = &city.0.index.children[city.0.index.district];
    let stops = streets.len() + 1;
    let i = idle.tour_index % stops.max(1);
    idle.tour_index += 1;
    let next = match streets.get(i) {
        Some(&s) => Focus::Street(s),
        None => Focus::District,
    };
    requests.write(MapRequest::Focus(next));
}

fn show_invitation(
    mut commands: Commands,
    idle: Res<Idle>,
    existing: Query<Entity, With<Invitation>>,
) {
    if !idle.is_changed() {
        return;
    }
    let shown = !existing.is_empty();
    if idle.attract && !shown {
        commands.spawn((
            Name::new("Invitation"),
            Invitation,
            Node {
                position_type: PositionType::Absolute,
                left: percent(50),
                top: percent(42),
                width: px(760),
                margin: UiRect::left(px(-380)),
                flex_direction: FlexDirection::Column,
                align_items: AlignItems::Center,
                padding: UiRect::axes(px(32), px(24)),
                row_gap: px(8),
                border: UiRect::all(px(3)),
                border_radius: BorderRadius::all(px(24)),
                ..default()
            },
            BackgroundColor(theme::color(palette::PANEL.with_alpha(230))),
            BorderColor::all(theme::color(palette::ACCENT)),
            GlobalZIndex(10),
            Pickable::IGNORE,
            children![
                (
                    Text::new("触摸探索"),
                    TextFont::from_font_size(size::TITLE * 2.0),
                    TextColor(theme::color(palette::TEXT)),
                ),
                (
                    Text::new("Touch to explore"),
                    TextFont::from_font_size(size::HEADING),
                    TextColor(theme::color(palette::ACCENT)),
                ),
            ],
        ));
    } else if !idle.attract && shown {
        for e in &existing {
            commands.entity(e).despawn();
        }
    }
}

fn pulse_invitation(time: Res<Time<Real>>, mut q: Query<&mut BorderColor, With<Invitation>>) {
    let t = time.elapsed_secs_f64();
    let a = (150.0 + 105.0 * (t * 1.6).sin().abs()) as u8;
    for mut b in &mut q {
        *b = BorderColor::all(theme::color(palette::ACCENT.with_alpha(a)));
    }
}
