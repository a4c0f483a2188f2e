//! When the exhibit draws. A frame is drawn when something on screen changes — input (winit
//! wakes the loop for it at once), a camera transition, a value easing, a panel rebuilt, a
//! swap — and otherwise the exhibit rests: Bevy's reactive update mode waits up to
//! `rest_wait_s` between frames, or `1 / ambient_fps` while the ring's calm motion is on
//! screen. Features ask for the frames they need by writing Bevy's `RequestRedraw` (the
//! ring while it eases, the swap while it loads); this module asks for them after every
//! change of the shared state, while the map's camera moves, and until the renderer has
//! drawn a frame in full after start. Screenshots, the bench's probes and the LED wall's
//! output draw every frame.

use std::time::Duration;

use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy::winit::{UpdateMode, WinitSettings};

use super::map_view::{CurrentLegend, MapView};
use super::modes::{CuratorMode, KioskMode, MainView, Screens};
use super::probe::FrameProbe;
use super::state::{
    Chooser, City, CurrentLang, Focus, HallConfig, MapFigure, MapOverlays, SelectedCase,
    ShowAllBuildings, StoryPlay,
};

/// Frames drawn after a change before resting (text is laid out and its glyphs uploaded a
/// frame after it is set).
pub const SETTLE_FRAMES: u32 = 3;

/// The wait between frames while the curator's screens are open, seconds: results of a
/// file check or of the system's file dialog show within it.
const CURATOR_WAIT_S: f64 = 0.25;

/// The wait between frames in the attract mode without ambient motion, seconds: the tour's
/// steps keep their rhythm.
const ATTRACT_WAIT_S: f64 = 1.0;

/// The longest step an animation takes in one frame, seconds. The first frame after a rest
/// comes a whole rest after the one before; easing by that would jump to the end.
pub const MAX_ANIMATION_STEP_S: f64 = 0.25;

/// The time step for animations this frame: `time`'s delta, at most
/// [`MAX_ANIMATION_STEP_S`].
pub fn animation_step(time: &Time<Real>) -> f64 {
    time.delta_secs_f64().min(MAX_ANIMATION_STEP_S)
}

/// Whether the ring's calm motion (sweep, pulses, ticker) and the invitation's pulse move:
/// with ambient motion on, where every frame is drawn, and on the LED canvas. Without it
/// they stay still rather than jump at each wake.
pub fn ambient_motion(pace: Res<Pace>, view: Res<State<MainView>>) -> bool {
    pace.ambient || pace.continuous || *view.get() == MainView::Ring
}

/// How the exhibit paces its frames (the configuration's `pace`, and whether something
/// needs every frame).
#[derive(Resource, Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    /// The ring's calm motion moves on the touchscreen.
    pub ambient: bool,
    /// Frames per second of that motion at rest.
    pub ambient_fps: f64,
    /// The longest wait between two frames at rest, seconds.
    pub rest_wait_s: f64,
    /// Draw every frame: a screenshot, a bench probe, or an LED wall's window.
    pub continuous: bool,
}

impl Pace {
    /// From the hall's configuration; `continuous` when something needs every frame.
    pub fn new(config: &crate::config::PaceConfig, continuous: bool) -> Self {
        Self {
            ambient: config.ambient,
            ambient_fps: config.ambient_fps,
            rest_wait_s: config.rest_wait_s,
            continuous,
        }
    }

    /// The time between two ambient frames.
    pub fn ambient_period(&self) -> Duration {
        Duration::from_secs_f64(1.0 / self.ambient_fps.max(1.0))
    }

    /// How Bevy's loop waits in a situation: continuous where every frame is needed (and
    /// for the ring's canvas in the main window, the LED output), else reactive with the
    /// longest wait the situation allows.
    pub fn update_mode(
        &self,
        view: MainView,
        kiosk: KioskMode,
        curator: CuratorMode,
    ) -> UpdateMode {
        if self.continuous || view == MainView::Ring {
            return UpdateMode::Continuous;
        }
        let wait = if curator != CuratorMode::Closed {
            Duration::from_secs_f64(CURATOR_WAIT_S)
        } else if self.ambient {
            self.ambient_period()
        } else if kiosk == KioskMode::Attract {
            Duration::from_secs_f64(ATTRACT_WAIT_S.min(self.rest_wait_s))
        } else {
            Duration::from_secs_f64(self.rest_wait_s)
        };
        UpdateMode::reactive_low_power(wait)
    }

    /// How the loop waits while the screens are black: only for the clock (the opening
    /// hours, the watch folder), every `rest_wait_s`; a touch or a command still wakes it.
    pub fn screens_off_mode(&self) -> UpdateMode {
        UpdateMode::reactive_low_power(Duration::from_secs_f64(self.rest_wait_s))
    }
}

/// Frames still to draw before resting.
#[derive(Resource, Debug, Default)]
struct Settle(u32);

/// Registers the redraw requests (headless as well as windowed) and the redraws after
/// changes.
pub fn plugin(app: &mut App) {
    app.add_message::<RequestRedraw>()
        .init_resource::<Settle>()
        .add_systems(Last, request_frames.run_if(in_state(Screens::On)));
}

/// The windowed app's loop follows the pace: reactive at rest, continuous where needed.
pub fn window_plugin(app: &mut App) {
    let pace = *app.world().resource::<Pace>();
    let view = **app.world().resource::<State<MainView>>();
    app.insert_resource(WinitSettings {
        focused_mode: pace.update_mode(view, KioskMode::Explore, CuratorMode::Closed),
        unfocused_mode: pace.update_mode(view, KioskMode::Explore, CuratorMode::Closed),
    })
    .add_systems(
        First,
        wall_clock
            .before(bevy::time::TimeSystems)
            .run_if(|pace: Res<Pace>| !pace.continuous),
    )
    .add_systems(
        Last,
        follow_modes.run_if(
            state_changed::<MainView>
                .or_else(state_changed::<KioskMode>)
                .or_else(state_changed::<CuratorMode>)
                .or_else(state_changed::<Screens>),
        ),
    );
}

/// Inserts the pace for the configuration (call after the configuration is in).
pub fn insert(app: &mut App, continuous: bool) {
    let pace = Pace::new(&app.world().resource::<HallConfig>().0.pace, continuous);
    app.insert_resource(pace);
}

/// Frames start on the wall clock. Bevy's real time otherwise follows the moment the
/// renderer finished the previous frame, which after a rest is the rest's start: a tap's
/// press would seem to come seconds before its release and not count as a tap.
fn wall_clock(mut strategy: ResMut<bevy::time::TimeUpdateStrategy>) {
    use bevy::time::TimeUpdateStrategy;
    if matches!(
        *strategy,
        TimeUpdateStrategy::Automatic | TimeUpdateStrategy::ManualInstant(_)
    ) {
        *strategy = TimeUpdateStrategy::ManualInstant(std::time::Instant::now());
    }
}

fn follow_modes(
    pace: Res<Pace>,
    view: Res<State<MainView>>,
    kiosk: Res<State<KioskMode>>,
    curator: Res<State<CuratorMode>>,
    screens: Res<State<Screens>>,
    mut winit: ResMut<WinitSettings>,
) {
    let mode = if *screens.get() == Screens::Off {
        pace.screens_off_mode()
    } else {
        pace.update_mode(*view.get(), *kiosk.get(), *curator.get())
    };
    if winit.focused_mode != mode {
        winit.focused_mode = mode;
        winit.unfocused_mode = mode;
    }
}

/// What changes the picture, as far as the shared state tells.
#[derive(bevy::ecs::system::SystemParam)]
struct Shown<'w> {
    city: Res<'w, City>,
    focus: Res<'w, Focus>,
    case: Option<Res<'w, SelectedCase>>,
    lang: Res<'w, CurrentLang>,
    figure: Res<'w, MapFigure>,
    all: Res<'w, ShowAllBuildings>,
    overlays: Option<Res<'w, MapOverlays>>,
    chooser: Option<Res<'w, Chooser>>,
    story: Option<Res<'w, StoryPlay>>,
    legend: Option<Res<'w, CurrentLegend>>,
    view: Res<'w, State<MainView>>,
    kiosk: Res<'w, State<KioskMode>>,
    curator: Res<'w, State<CuratorMode>>,
    ui_scale: Option<Res<'w, UiScale>>,
}

impl Shown<'_> {
    fn changed(&self) -> bool {
        self.city.is_changed()
            || self.focus.is_changed()
            || self.case.as_ref().is_some_and(|c| c.is_changed())
            || self.lang.is_changed()
            || self.figure.is_changed()
            || self.all.is_changed()
            || self.overlays.as_ref().is_some_and(|o| o.is_changed())
            || self.chooser.as_ref().is_some_and(|c| c.is_changed())
            || self.story.as_ref().is_some_and(|s| s.is_changed())
            || self.legend.as_ref().is_some_and(|l| l.is_changed())
            || self.view.is_changed()
            || self.kiosk.is_changed()
            || self.curator.is_changed()
            || self.ui_scale.as_ref().is_some_and(|s| s.is_changed())
    }
}

/// Asks for the next frame while the map's camera moves, for [`SETTLE_FRAMES`] after any
/// change of what is shown or a press on a button, and until the renderer has drawn three
/// frames in full after start (shaders compile in the background until then).
fn request_frames(
    shown: Shown,
    map: Res<MapView>,
    pressed: Query<(), Changed<Interaction>>,
    probe: Option<Res<FrameProbe>>,
    mut settle: ResMut<Settle>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    if shown.changed() || map.is_changed() || !pressed.is_empty() {
        settle.0 = SETTLE_FRAMES;
    }
    let starting = probe.is_some_and(|p| p.full_run() < 3);
    if settle.0 > 0 || !map.settled() || starting {
        settle.0 = settle.0.saturating_sub(1);
        redraw.write(RequestRedraw);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::PaceConfig;

    fn wait(mode: UpdateMode) -> Option<f64> {
        match mode {
            UpdateMode::Reactive { wait, .. } => Some(wait.as_secs_f64()),
            UpdateMode::Continuous => None,
        }
    }

    #[test]
    fn the_exhibit_rests_unless_something_needs_frames() {
        let quiet = Pace::new(
            &PaceConfig {
                ambient: false,
                ..PaceConfig::default()
            },
            false,
        );
        let explore = (KioskMode::Explore, CuratorMode::Closed);
        assert_eq!(
            wait(quiet.update_mode(MainView::Map, explore.0, explore.1)),
            Some(5.0),
            "at rest: the configured wait"
        );
        assert_eq!(
            wait(quiet.update_mode(MainView::Map, KioskMode::Attract, CuratorMode::Closed)),
            Some(1.0),
            "the tour keeps its rhythm"
        );
        assert_eq!(
            wait(quiet.update_mode(MainView::Map, KioskMode::Explore, CuratorMode::Pin)),
            Some(0.25)
        );
        assert_eq!(
            wait(quiet.update_mode(MainView::Ring, explore.0, explore.1)),
            None,
            "the LED output moves smoothly"
        );
        let ambient = Pace::new(&PaceConfig::default(), false);
        let w = wait(ambient.update_mode(MainView::Hall, explore.0, explore.1)).unwrap_or(0.0);
        assert!(
            (w - 1.0 / PaceConfig::default().ambient_fps).abs() < 1e-6,
            "{w}"
        );
        let shot = Pace::new(&PaceConfig::default(), true);
        assert_eq!(
            wait(shot.update_mode(MainView::Map, explore.0, explore.1)),
            None
        );
    }
}
