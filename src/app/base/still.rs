//! A rest wake leaves the picture as it is. At rest the loop still wakes every
//! `rest_wait_s` to look at its clocks (the opening hours, the idle timeout, the watch
//! folder; `base::pace`), and Bevy draws and presents a frame on every update of its loop:
//! with ambient motion off that frame is the one already on screen, and under lavapipe at
//! 1920 × 1080 with MSAA 4× it cost ~100 ms of CPU, the whole of the at-rest figure
//! (docs/performance.md).
//!
//! So when such a wake asks for nothing — no `RequestRedraw` in this update or the one
//! before, no window or input event — and the last frame was drawn in full, every active camera is switched off for that update
//! alone, after all the app's systems ([`HoldPicture`], after `Last`), and back on before
//! the next update begins ([`ReleasePicture`], before `First`), so no feature sees the
//! switch. Bevy then neither draws nor presents (`prepare_windows` skips a window no
//! camera draws to, bevy_render 0.19.1) and the window keeps its last picture. At least
//! every [`REFRESH`] a frame is drawn anyway, repairing a window something else drew over.
//!
//! Only on the touchscreen's map with the screens on, ambient motion off, neither the
//! attract tour nor the curator's screens up, and not drawing continuously: everywhere
//! else a wake's frame can show something new.

use std::time::{Duration, Instant};

use bevy::app::MainScheduleOrder;
use bevy::ecs::schedule::ScheduleLabel;
use bevy::prelude::*;
use bevy::window::{RequestRedraw, WindowEvent};

use super::modes::{CuratorMode, KioskMode, MainView, Screens};
use super::pace::Pace;
use super::probe::FrameProbe;

/// The longest a rest keeps the picture without drawing it again.
pub const REFRESH: Duration = Duration::from_secs(30);

/// Runs after `Last`: switches the cameras off for a wake that asked for nothing.
#[derive(ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
pub struct HoldPicture;

/// Runs before `First`: switches back on the cameras [`HoldPicture`] switched off.
#[derive(ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReleasePicture;

#[derive(Resource, Debug, Default)]
struct Held {
    /// The cameras switched off for this update.
    cameras: Vec<Entity>,
    /// When a frame was last drawn (None: not yet).
    drawn_at: Option<Instant>,
    /// Whether the update before asked for a frame.
    asked_before: bool,
}

/// Adds the two schedules (windowed app; needs [`Pace`] and the modes' states).
pub fn plugin(app: &mut App) {
    app.init_resource::<Held>()
        .init_schedule(HoldPicture)
        .init_schedule(ReleasePicture);
    let mut order = app.world_mut().resource_mut::<MainScheduleOrder>();
    order.insert_after(Last, HoldPicture);
    order.insert_before(First, ReleasePicture);
    app.add_systems(HoldPicture, hold)
        .add_systems(ReleasePicture, release);
}

/// Whether this situation's wakes can only show what is on screen already.
pub fn rests(
    pace: &Pace,
    screens: Screens,
    view: MainView,
    kiosk: KioskMode,
    curator: CuratorMode,
) -> bool {
    !pace.continuous
        && !pace.ambient
        && screens == Screens::On
        && view == MainView::Map
        && kiosk == KioskMode::Explore
        && curator == CuratorMode::Closed
}

fn hold(
    pace: Res<Pace>,
    modes: (
        Res<State<Screens>>,
        Res<State<MainView>>,
        Res<State<KioskMode>>,
        Res<State<CuratorMode>>,
    ),
    mut redraws: MessageReader<RequestRedraw>,
    mut events: MessageReader<WindowEvent>,
    mut cameras: Query<(Entity, &mut Camera)>,
    mut held: ResMut<Held>,
    probe: Option<Res<FrameProbe>>,
) {
    let asked = redraws.read().count() > 0;
    let input = events.read().count() > 0;
    let asked_before = std::mem::replace(&mut held.asked_before, asked);
    let now = Instant::now();
    let due = held
        .drawn_at
        .is_none_or(|t| now.duration_since(t) >= REFRESH);
    let (screens, view, kiosk, curator) = modes;
    let resting = rests(
        &pace,
        *screens.get(),
        *view.get(),
        *kiosk.get(),
        *curator.get(),
    );
    // A picture with parts missing (a pipeline still waiting for its shader) is not kept.
    let whole = probe.is_none_or(|p| p.last_full() == p.last_rendered());
    if !resting || asked || asked_before || input || due || !whole {
        held.drawn_at = Some(now);
        return;
    }
    for (entity, mut camera) in &mut cameras {
        if camera.is_active {
            // Unseen by change detection: nothing reacts to a switch undone before the
            // next update.
            camera.bypass_change_detection().is_active = false;
            held.cameras.push(entity);
        }
    }
}

fn release(mut held: ResMut<Held>, mut cameras: Query<&mut Camera>) {
    for entity in std::mem::take(&mut held.cameras) {
        if let Ok(mut camera) = cameras.get_mut(entity) {
            camera.bypass_change_detection().is_active = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::PaceConfig;

    /// Whether the camera was on while the app's own systems ran, and after the update.
    #[derive(Resource, Default)]
    struct Seen(Vec<(bool, bool)>);

    #[derive(Resource, Default)]
    struct Ask(bool);

    fn test_app(ambient: bool) -> (App, Entity) {
        let mut app = App::new();
        app.add_plugins(bevy::state::app::StatesPlugin)
            .add_message::<RequestRedraw>()
            .add_message::<WindowEvent>()
            .init_state::<Screens>()
            .init_state::<MainView>()
            .init_state::<KioskMode>()
            .init_state::<CuratorMode>()
            .insert_resource(Pace::new(
                &PaceConfig {
                    ambient,
                    ..PaceConfig::default()
                },
                false,
            ))
            .init_resource::<Seen>()
            .init_resource::<Ask>()
            .add_plugins(plugin)
            .add_systems(
                Update,
                |cams: Query<&Camera>,
                 mut seen: ResMut<Seen>,
                 ask: Res<Ask>,
                 mut redraw: MessageWriter<RequestRedraw>| {
                    seen.0.push((cams.iter().all(|c| c.is_active), false));
                    if ask.0 {
                        redraw.write(RequestRedraw);
                    }
                },
            );
        let camera = app.world_mut().spawn(Camera::default()).id();
        (app, camera)
    }

    fn step(app: &mut App, camera: Entity) -> (bool, bool) {
        app.update();
        let after = app
            .world()
            .get::<Camera>(camera)
            .is_some_and(|c| c.is_active);
        let mut seen = app.world_mut().resource_mut::<Seen>();
        let last = seen.0.last_mut().map(|s| {
            s.1 = after;
            *s
        });
        last.unwrap_or_default()
    }

    #[test]
    fn a_wake_that_asks_for_nothing_is_not_drawn_and_features_never_see_it() {
        let (mut app, camera) = test_app(false);
        // The first update draws (nothing drawn yet).
        assert_eq!(step(&mut app, camera), (true, true));
        // A wake asking for nothing: the camera is on while the app runs, off for the
        // renderer.
        assert_eq!(step(&mut app, camera), (true, false));
        assert_eq!(step(&mut app, camera), (true, false));
        // Something asks for a frame: drawn, and the update after it too.
        app.world_mut().resource_mut::<Ask>().0 = true;
        assert_eq!(step(&mut app, camera), (true, true));
        app.world_mut().resource_mut::<Ask>().0 = false;
        assert_eq!(step(&mut app, camera), (true, true));
        assert_eq!(step(&mut app, camera), (true, false));
        // A window or input event draws.
        app.world_mut()
            .write_message(WindowEvent::RequestRedraw(RequestRedraw));
        assert_eq!(step(&mut app, camera), (true, true));
    }

    #[test]
    fn with_ambient_motion_or_in_another_mode_every_wake_draws() {
        let (mut app, camera) = test_app(true);
        for _ in 0..3 {
            assert_eq!(step(&mut app, camera), (true, true));
        }
        let (mut app, camera) = test_app(false);
        app.insert_state(KioskMode::Attract);
        for _ in 0..3 {
            assert_eq!(step(&mut app, camera), (true, true));
        }
    }

    #[test]
    fn only_the_touchscreen_map_at_rest_holds_its_picture() {
        let pace = Pace::new(
            &PaceConfig {
                ambient: false,
                ..PaceConfig::default()
            },
            false,
        );
        let rest = |s, v, k, c| rests(&pace, s, v, k, c);
        use {CuratorMode as C, KioskMode as K, MainView as V, Screens as S};
        assert!(rest(S::On, V::Map, K::Explore, C::Closed));
        assert!(!rest(S::Off, V::Map, K::Explore, C::Closed));
        assert!(!rest(S::On, V::Hall, K::Explore, C::Closed));
        assert!(!rest(S::On, V::Map, K::Attract, C::Closed));
        assert!(!rest(S::On, V::Map, K::Explore, C::Open));
        let continuous = Pace::new(&PaceConfig::default(), true);
        assert!(!rests(&continuous, S::On, V::Map, K::Explore, C::Closed));
    }
}
