//! Kiosk life: after the configured idle time the exhibit resets (district view, the
//! configured language, default figure) and, if enabled, runs an attract mode — a slow tour
//! of the subdistricts, which the ring follows, under a 触摸探索 / Touch to explore
//! invitation (the `KioskMode::Attract` state). The first touch ends it and returns to the
//! district view; that touch selects nothing.

use bevy::ecs::system::SystemParam;
use bevy::input::keyboard::KeyboardInput;
use bevy::input::mouse::{MouseButtonInput, MouseWheel};
use bevy::input::touch::{TouchInput, TouchPhase};
use bevy::prelude::*;

use crate::app::base::map_view::MOUSE_ID;
use crate::app::base::pace::ambient_motion;
use crate::app::base::sets::{ApplyRequests, ReadPointers, RemoteCommands};
use crate::app::base::theme::{self, size};
use crate::app::base::widgets::Fill;
use crate::app::base::{
    AppSystems, Chooser, City, CuratorMode, CurrentLang, Focus, HallConfig, HallLink,
    IgnorePointer, KioskMode, MainView, Map3d, MapFigure, MapOverlays, MapRequest, MapView,
    Playing, RemoteInput, Screens, SelectedCase, ShowAllBuildings, StoryPlay,
};
use crate::palette;
use crate::scene::format::Lang;

/// Seconds each subdistrict is shown during the tour.
const TOUR_STEP_SECONDS: f64 = 7.0;

/// Time since the last touch, and the attract tour's progress (whether it runs is the
/// `KioskMode` state).
#[derive(Resource, Debug, Clone, Default)]
pub struct Idle {
    /// Seconds since the last touch, click, wheel or key.
    pub seconds: f64,
    /// Seconds into the current stop of the tour.
    pub tour_clock: f64,
    tour_index: usize,
    /// The story the attract mode plays next (counts the stories played).
    story_turn: usize,
    /// The tour has shown the district: a story comes next.
    story_due: bool,
    /// A touch is ending the attract mode this frame (the mode changes at the next): the
    /// tour takes no further step.
    waking: bool,
}

/// What a visitor chose, which the reset puts back to the hall's defaults.
#[derive(SystemParam)]
struct VisitorChoices<'w> {
    lang: ResMut<'w, CurrentLang>,
    figure: ResMut<'w, MapFigure>,
    all: ResMut<'w, ShowAllBuildings>,
    map_3d: ResMut<'w, Map3d>,
    case: ResMut<'w, SelectedCase>,
    view: ResMut<'w, NextState<MainView>>,
    overlays: ResMut<'w, MapOverlays>,
    chooser: ResMut<'w, Chooser>,
    story: ResMut<'w, StoryPlay>,
    /// The map's pose (absent in tests without a map): the tour starts north up.
    map: Option<ResMut<'w, MapView>>,
}

/// How long without a touch before the reset: longer while a story waits for the docent
/// who leads it (they talk between steps).
const STORY_IDLE_FACTOR: f64 = 5.0;

/// The invitation shown during the attract mode.
#[derive(Component)]
struct Invitation;

/// The idle clock, the reset and the attract tour (headless as well as windowed).
pub fn plugin(app: &mut App) {
    app.init_resource::<Idle>().add_systems(
        Update,
        (
            watch_input
                .in_set(AppSystems::Input)
                .after(RemoteCommands)
                .before(ReadPointers)
                .run_if(in_state(CuratorMode::Closed))
                // Black screens: no reset and no tour until they are on again.
                .run_if(in_state(Screens::On)),
            // The hall's staff are at work: no reset under their hands.
            (|mut idle: ResMut<Idle>| idle.seconds = 0.0)
                .in_set(AppSystems::Input)
                .run_if(not(in_state(CuratorMode::Closed))),
            tour.in_set(AppSystems::Apply)
                .before(ApplyRequests)
                .run_if(in_state(KioskMode::Attract))
                .run_if(in_state(Screens::On))
                // A follower mirrors its leader's tour instead of touring on its own.
                .run_if(|link: Res<HallLink>| !link.mirroring_attract),
        ),
    );
}

/// The invitation overlay and its gentle pulse (windowed app only).
pub fn overlay_plugin(app: &mut App) {
    app.add_systems(OnEnter(KioskMode::Attract), show_invitation)
        .add_systems(
            Update,
            pulse_invitation
                .in_set(AppSystems::Animate)
                .run_if(in_state(KioskMode::Attract))
                .run_if(ambient_motion),
        );
}

fn watch_input(
    mut touches: MessageReader<TouchInput>,
    mut buttons: MessageReader<MouseButtonInput>,
    mut wheel: MessageReader<MouseWheel>,
    mut keys: MessageReader<KeyboardInput>,
    mut remote: MessageReader<RemoteInput>,
    time: Res<Time<Real>>,
    config: Res<HallConfig>,
    mut idle: ResMut<Idle>,
    mode: Res<State<KioskMode>>,
    mut next_mode: ResMut<NextState<KioskMode>>,
    mut ignore: MessageWriter<IgnorePointer>,
    mut choices: VisitorChoices,
    mut requests: MessageWriter<MapRequest>,
) {
    let attract = *mode.get() == KioskMode::Attract;
    idle.waking = false;
    let mut woke = false;
    for t in touches.read() {
        woke = true;
        if attract && t.phase == TouchPhase::Started {
            // The touch that wakes the exhibit does not also select what it lands on.
            ignore.write(IgnorePointer(t.id));
        }
    }
    for b in buttons.read() {
        woke = true;
        if attract && b.state.is_pressed() {
            ignore.write(IgnorePointer(MOUSE_ID));
        }
    }
    woke |= wheel.read().count() > 0;
    woke |= keys.read().count() > 0;
    // Show control (OSC): a command wakes as a touch does but leaves the map where the
    // command puts it; `attract 0` wakes to the district; `attract 1` resets now.
    let (mut commanded, mut to_district, mut start_attract) = (false, woke, false);
    for r in remote.read() {
        match r {
            RemoteInput::Command => commanded = true,
            RemoteInput::Attract(false) => (commanded, to_district) = (true, true),
            RemoteInput::Attract(true) => start_attract = true,
            RemoteInput::Screens(_) | RemoteInput::ScreensByHours => {}
        }
    }
    if woke || commanded {
        idle.seconds = 0.0;
        if attract {
            idle.waking = true;
            // The attract mode's story ends with it.
            if choices.story.0.is_some() {
                choices.story.end();
                choices.overlays.set_if_neq(MapOverlays::default());
            }
            NextState::set_if_neq(&mut next_mode, KioskMode::Explore);
            if woke {
                // A visitor starts on the flat map, whatever the tour showed.
                choices.map_3d.set_if_neq(Map3d(false));
            }
            if to_district {
                requests.write(MapRequest::Focus(Focus::District));
            }
        }
        if !start_attract {
            return;
        }
    }
    idle.seconds += time.delta_secs_f64();
    let limit = if choices.story.led_by_hand() {
        config.0.idle_timeout_s * STORY_IDLE_FACTOR
    } else {
        config.0.idle_timeout_s
    };
    if (idle.seconds < limit && !start_attract) || attract {
        return;
    }
    // Reset for the next visitor.
    choices.lang.0 = Lang::parse(&config.0.language).unwrap_or_default();
    *choices.figure = MapFigure::default();
    choices.all.0 = false;
    let attract_next = config.0.attract || start_attract;
    // The tour may show the city in 3D (`attract_3d`), tilted as a toggle tilts it and north
    // up, whatever pose the last visitor left; a visitor starts flat.
    let tour_3d = attract_next && config.0.attract_3d;
    choices.map_3d.set_if_neq(Map3d(tour_3d));
    if let (true, Some(map)) = (tour_3d, choices.map.as_mut()) {
        map.target.tilt = crate::app::base::map_view::tilt_for(true);
        map.target.heading = 0.0;
    }
    choices.case.set_if_neq(SelectedCase(None));
    choices.story.set_if_neq(StoryPlay(None));
    choices.overlays.set_if_neq(MapOverlays::default());
    choices.chooser.set_if_neq(Chooser::None);
    NextState::set_if_neq(&mut choices.view, MainView::Map);
    // Even on the district: the last visitor may have panned, zoomed or turned it.
    requests.write(MapRequest::Focus(Focus::District));
    if attract_next {
        NextState::set_if_neq(&mut next_mode, KioskMode::Attract);
        idle.tour_clock = 0.0;
    } else {
        // Without the attract mode, count again from now.
        idle.seconds = 0.0;
    }
}

/// The tour: one subdistrict after another, then the district again, then (if the hall
/// wants it) one of the snapshot's stories, each in turn, its steps at their own pace.
fn tour(
    time: Res<Time<Real>>,
    city: Res<City>,
    config: Res<HallConfig>,
    mut idle: ResMut<Idle>,
    mut story: ResMut<StoryPlay>,
    overlays: Res<MapOverlays>,
    mut requests: MessageWriter<MapRequest>,
    (map_3d, map): (Res<Map3d>, Option<ResMut<MapView>>),
) {
    if idle.waking {
        return;
    }
    if story.0.is_some() {
        // The story plays; the tour goes on after it.
        idle.tour_clock = 0.0;
        return;
    }
    idle.tour_clock += time.delta_secs_f64();
    if idle.tour_clock < TOUR_STEP_SECONDS {
        return;
    }
    idle.tour_clock = 0.0;
    let streets = &city.0.index.children[city.0.index.district];
    let stops = streets.len() + 1;
    let stories = &city.0.snapshot.stories;
    if idle.story_due && config.0.attract_stories && !stories.is_empty() {
        // After the district: a story, then the tour from its start.
        idle.story_due = false;
        let n = idle.story_turn % stories.len();
        idle.story_turn += 1;
        if !stories[n].steps.is_empty() {
            story.0 = Some(Playing {
                story: n,
                step: 0,
                auto: true,
                saved: overlays.0.clone(),
                visit: 0,
            });
            return;
        }
    }
    let i = idle.tour_index % stops.max(1);
    idle.tour_index += 1;
    idle.story_due = i + 1 == stops;
    let next = match streets.get(i) {
        Some(&s) => Focus::Street(s),
        None => Focus::District,
    };
    if let (true, Some(mut map)) = (map_3d.0, map) {
        // In 3D the city turns a little at each stop, showing its sides.
        map.target.heading = crate::scene::view::wrap_angle(map.target.heading + TOUR_TURN);
    }
    requests.write(MapRequest::Focus(next));
}

/// How far the 3D attract tour turns the map at each stop, radians (20°).
const TOUR_TURN: f64 = 20.0 * std::f64::consts::PI / 180.0;

/// The invitation, for as long as the attract mode runs.
fn show_invitation(mut commands: Commands) {
    commands.spawn((
        Name::new("Invitation"),
        Invitation,
        DespawnOnExit(KioskMode::Attract),
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
        Fill(theme::color(palette::PANEL.with_alpha(230))),
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
}

fn pulse_invitation(time: Res<Time<Real>>, mut q: Query<&mut BorderColor, With<Invitation>>) {
    let t = time.elapsed_secs_f64();
    let a = (150.0 + 105.0 * (t * 1.6).sin().abs()) as u8;
    for mut b in &mut q {
        *b = BorderColor::all(theme::color(palette::ACCENT.with_alpha(a)));
    }
}
