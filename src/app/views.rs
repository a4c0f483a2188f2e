//! What the main window shows — the map, the hall view or the ring's canvas itself — as the
//! `MainView` state: requests (the view button, the V key, the attract mode's reset) set
//! it, and the cameras follow on every change.

use bevy::camera::visibility::RenderLayers;
use bevy::prelude::*;

use crate::app::base::ring::{HALL_LAYER, LedOutput, RING_LAYER, ViewCamera};
use crate::app::base::theme;
use crate::app::base::{AppSystems, MainView, MapCamera, MapRequest, Screens};
use crate::palette;

/// The view requests (headless as well as windowed).
pub fn logic_plugin(app: &mut App) {
    app.add_systems(Update, request_view.in_set(AppSystems::Apply));
}

/// The camera that shows the hall view or the ring in the main window, and its switch
/// (windowed app).
pub fn render_plugin(app: &mut App) {
    app.add_systems(Startup, setup).add_systems(
        Update,
        (
            // Also when the screens light up: the view may have changed while they were
            // black, and the cameras are this view's again.
            switch_cameras
                .run_if(state_changed::<MainView>.or_else(state_changed::<Screens>))
                .in_set(AppSystems::Animate),
        ),
    );
}

/// A view request becomes the next `MainView` (shown from the next frame on).
fn request_view(
    mut requests: MessageReader<MapRequest>,
    view: Res<State<MainView>>,
    mut next: ResMut<NextState<MainView>>,
) {
    let mut to = *view.get();
    for r in requests.read() {
        match *r {
            MapRequest::SetView(v) => to = v,
            MapRequest::CycleView => to = to.next(),
            _ => {}
        }
    }
    if to != *view.get() {
        NextState::set_if_neq(&mut next, to);
    }
}

fn setup(mut commands: Commands) {
    commands.spawn((
        Name::new("Hall and ring camera"),
        ViewCamera,
        Camera2d,
        Camera {
            order: 1,
            is_active: false,
            clear_color: ClearColorConfig::Custom(theme::color(palette::BACKGROUND)),
            ..default()
        },
        RenderLayers::layer(HALL_LAYER),
    ));
}

/// The main window shows the map, the hall view or the ring itself.
fn switch_cameras(
    view: Res<State<MainView>>,
    mut commands: Commands,
    mut alt: Query<
        (
            Entity,
            &mut Camera,
            &mut RenderLayers,
            &mut Projection,
            &mut Transform,
        ),
        With<ViewCamera>,
    >,
    mut map: Query<(Entity, &mut Camera), (With<MapCamera>, Without<ViewCamera>)>,
) {
    let on_map = *view.get() == MainView::Map;
    for (e, mut cam) in &mut map {
        cam.is_active = on_map;
        if on_map {
            commands.entity(e).insert(bevy::ui::IsDefaultUiCamera);
        } else {
            commands.entity(e).remove::<bevy::ui::IsDefaultUiCamera>();
        }
    }
    for (e, mut cam, mut layers, mut proj, mut tr) in &mut alt {
        cam.is_active = !on_map;
        if on_map {
            commands.entity(e).remove::<bevy::ui::IsDefaultUiCamera>();
        } else {
            commands.entity(e).insert(bevy::ui::IsDefaultUiCamera);
        }
        match *view.get() {
            // The ring's canvas on this output: this process's slice of it
            // (`base::ring::fit_led_outputs`).
            MainView::Ring => {
                *layers = RenderLayers::layer(RING_LAYER);
                commands.entity(e).insert(LedOutput);
            }
            _ => {
                *layers = RenderLayers::layer(HALL_LAYER);
                *proj = Projection::Orthographic(OrthographicProjection::default_2d());
                tr.translation.x = 0.0;
                commands.entity(e).remove::<LedOutput>();
            }
        }
    }
}
