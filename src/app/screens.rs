//! Screens on and off: the opening hours (`hours` in the configuration) and the show
//! control's `/citygrid/screens` decide whether the screens show the exhibit or are black.
//! While black no camera draws (after a few black frames), the attract tour does not run
//! and the loop wakes only every `rest_wait_s` to look at the clock; at opening (or on
//! `/citygrid/screens 1`) the exhibit wakes into its attract mode. A command holds until
//! the opening hours' next change. Curator mode turns the screens on while it is open: the
//! hall's staff load tomorrow's data after hours.

use bevy::camera::RenderTarget;
use bevy::camera::visibility::RenderLayers;
use bevy::prelude::*;
use bevy::window::{RequestRedraw, WindowRef};
use jiff::Timestamp;

use crate::app::base::sets::RemoteCommands;
use crate::app::base::{AppSystems, CuratorMode, HallConfig, RemoteInput, Screens};
use crate::config::Schedule;

/// The opening hours in force (`None`: always open, or a screenshot or bench, which
/// ignore them), and a command that holds until a time (`None`: until the next command).
#[derive(Resource, Default)]
struct ScreensClock {
    schedule: Option<Schedule>,
    command: Option<(bool, Option<Timestamp>)>,
}

impl ScreensClock {
    /// Whether the screens should be on at `now`, by the command while it holds, else by
    /// the opening hours.
    fn on(&mut self, now: Timestamp) -> bool {
        if let Some((_, Some(until))) = self.command
            && now >= until
        {
            self.command = None;
        }
        match (self.command, &self.schedule) {
            (Some((on, _)), _) => on,
            (None, Some(s)) => s.is_open(now),
            (None, None) => true,
        }
    }
}

/// The screens' state and the clock that sets it (headless as well as windowed).
/// `scheduled`: the opening hours apply (not for screenshots and benches).
pub fn plugin(app: &mut App, scheduled: bool) {
    let schedule = if scheduled {
        let config = &app.world().resource::<HallConfig>().0;
        config.hours.as_ref().and_then(|h| Schedule::new(h).ok())
    } else {
        None
    };
    let mut clock = ScreensClock {
        schedule,
        command: None,
    };
    // Started outside the opening hours: black from the first frame.
    let open = clock.on(Timestamp::now());
    if !open {
        app.insert_state(Screens::Off);
    }
    if let Some(s) = &clock.schedule {
        info!(
            "opening hours in {}: {}; next change {}",
            s.zone_name(),
            if open { "open now" } else { "closed now" },
            s.next_change(Timestamp::now())
                .map_or("none within 400 days".to_string(), |t| t.to_string())
        );
    }
    app.insert_resource(clock).add_systems(
        Update,
        follow_clock.in_set(AppSystems::Input).after(RemoteCommands),
    );
}

/// Sets [`Screens`] from the command and the opening hours, each frame (at rest the loop
/// wakes every `rest_wait_s`, so a change is kept to within that).
fn follow_clock(
    mut clock: ResMut<ScreensClock>,
    // Read and written here (the wake below): one parameter for both.
    mut remote: ResMut<Messages<RemoteInput>>,
    mut cursor: Local<bevy::ecs::message::MessageCursor<RemoteInput>>,
    curator: Res<State<CuratorMode>>,
    screens: Res<State<Screens>>,
    mut next: ResMut<NextState<Screens>>,
) {
    let now = Timestamp::now();
    let arrived: Vec<RemoteInput> = cursor.read(&remote).copied().collect();
    for r in &arrived {
        if let RemoteInput::ScreensByHours = r {
            clock.command = None;
        }
        if let RemoteInput::Screens(on) = r {
            let until = clock.schedule.as_ref().and_then(|s| s.next_change(now));
            clock.command = Some((*on, until));
            info!(
                "screens {} on command{}",
                if *on { "on" } else { "off" },
                until.map_or(String::new(), |t| format!(" until {t}"))
            );
        }
    }
    let on = clock.on(now) || *curator.get() != CuratorMode::Closed;
    let is_on = *screens.get() == Screens::On;
    if on != is_on {
        NextState::set_if_neq(&mut next, if on { Screens::On } else { Screens::Off });
        // Waking: the reset for the next visitor and the attract tour (the kiosk's own).
        if on && *curator.get() == CuratorMode::Closed {
            remote.write(RemoteInput::Attract(true));
        }
    }
}

/// A camera that draws a window black while the screens are off.
#[derive(Component)]
struct BlackCamera;

/// A camera switched off with the screens, and whether it was on (the views and the ring
/// set their own cameras again when the screens light up).
#[derive(Component)]
struct Dimmed {
    was_active: bool,
}

/// Black frames drawn before every camera stops (the window keeps the last one).
const BLACK_FRAMES: u32 = 3;

/// A render layer nothing is on.
const BLACK_LAYER: usize = 31;

/// The black cameras and the switching of the others (windowed app only).
pub fn render_plugin(app: &mut App) {
    app.add_systems(OnEnter(Screens::Off), go_black)
        .add_systems(OnExit(Screens::Off), light_up)
        .add_systems(
            Last,
            (black_new_windows, keep_black)
                .chain()
                .run_if(in_state(Screens::Off)),
        );
}

/// A black camera for a window. Ordered below every other camera: Bevy's UI, without a
/// camera marked for it, falls back to the highest-ordered camera on the window, which must
/// be an inactive one, never this.
fn black_camera(commands: &mut Commands, window: Entity, i: usize) {
    commands.spawn((
        Name::new("Screens off"),
        BlackCamera,
        Camera2d,
        Msaa::Off,
        Camera {
            order: -1000 - i as isize,
            clear_color: ClearColorConfig::Custom(Color::BLACK),
            ..default()
        },
        RenderTarget::Window(WindowRef::Entity(window)),
        RenderLayers::layer(BLACK_LAYER),
    ));
}

fn go_black(mut commands: Commands, windows: Query<Entity, With<Window>>) {
    for (i, w) in windows.iter().enumerate() {
        black_camera(&mut commands, w, i);
    }
}

/// A window opened while the screens are off (the LED window, spawned at start after an
/// exhibit started outside the hours) is black too.
fn black_new_windows(
    mut commands: Commands,
    windows: Query<Entity, Added<Window>>,
    mut frames: Local<usize>,
) {
    for w in &windows {
        *frames += 1;
        black_camera(&mut commands, w, 100 + *frames);
    }
}

/// Keeps every other camera off while the screens are black (features switch theirs on
/// and off as they need), and the black ones too once they have drawn.
fn keep_black(
    mut commands: Commands,
    mut cameras: Query<(Entity, &mut Camera, Option<&Dimmed>), Without<BlackCamera>>,
    mut black: Query<&mut Camera, With<BlackCamera>>,
    mut frames: Local<u32>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    for (e, mut cam, dimmed) in &mut cameras {
        if dimmed.is_none() {
            commands.entity(e).insert(Dimmed {
                was_active: cam.is_active,
            });
        }
        if cam.is_active {
            cam.is_active = false;
        }
    }
    let drawn = black.iter().any(|c| c.is_active);
    if drawn && *frames < BLACK_FRAMES {
        *frames += 1;
        redraw.write(RequestRedraw);
    } else if drawn {
        *frames = 0;
        for mut c in &mut black {
            c.is_active = false;
        }
    }
}

fn light_up(
    mut commands: Commands,
    mut cameras: Query<(Entity, &mut Camera, &Dimmed)>,
    black: Query<Entity, With<BlackCamera>>,
) {
    for e in &black {
        commands.entity(e).despawn();
    }
    // The views switch theirs again for the view now shown (`views::switch_cameras` runs
    // when the screens change), the ring its canvas camera each frame.
    for (e, mut cam, d) in &mut cameras {
        cam.is_active = d.was_active;
        commands.entity(e).remove::<Dimmed>();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::OpeningHours;

    fn closed_forever() -> Option<Schedule> {
        Schedule::new(&OpeningHours {
            closed: vec!["2000-01-01..2100-12-31".into()],
            ..OpeningHours::default()
        })
        .ok()
    }

    #[test]
    fn a_command_holds_until_the_hours_change_and_no_hours_means_open() {
        let now = Timestamp::now();
        let mut open = ScreensClock::default();
        assert!(open.on(now));
        open.command = Some((false, None));
        assert!(
            !open.on(now),
            "off on command, with no hours: until the next command"
        );
        let mut closed = ScreensClock {
            schedule: closed_forever(),
            command: None,
        };
        assert!(!closed.on(now));
        closed.command = Some((true, Some(now)));
        assert!(!closed.on(now), "a command past its time is forgotten");
        assert!(closed.command.is_none());
    }
}
