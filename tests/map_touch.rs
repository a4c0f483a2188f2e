//! The drill-down map driven by touch, headless: district → subdistrict → community →
//! building → back, pinch and pan, and many fingers at once.

mod common;

use bevy::input::touch::TouchPhase;
use bevy::prelude::*;
use citygrid::app::map::hit;
use citygrid::app::{Focus, MapRequest, MapView};
use citygrid::geo::P2;
use citygrid::snapshot::index::CityData;

/// Taps the screen where the plane point `world` is now shown.
fn tap_world(app: &mut App, world: P2) {
    let view = app.world().resource::<MapView>().view;
    let s = view.to_screen(world);
    let pos = Vec2::new(s[0] as f32, s[1] as f32);
    common::touch(app, 1, TouchPhase::Started, pos);
    app.update();
    common::touch(app, 1, TouchPhase::Ended, pos);
    app.update();
}

fn focus(app: &App) -> Focus {
    *app.world().resource::<Focus>()
}

fn inside(city: &CityData, region: usize) -> P2 {
    city.index.region_shapes[region][0].label_point()
}

#[test]
fn tap_drills_down_and_back_goes_up() {
    let (mut app, city) = common::headless_app();
    assert_eq!(focus(&app), Focus::District);

    let street = city.index.region_by_id["370203005"];
    tap_world(&mut app, inside(&city, street));
    assert_eq!(
        focus(&app),
        Focus::Street(street),
        "the tap selects at once"
    );
    assert!(
        !app.world().resource::<MapView>().settled(),
        "the camera eases in"
    );

    let community = city.index.children[street][0];
    tap_world(&mut app, inside(&city, community));
    assert_eq!(focus(&app), Focus::Community(community));

    let building = city.index.buildings_of[community][0];
    let p = city.index.building_shapes[building].label_point();
    tap_world(&mut app, p);
    assert_eq!(focus(&app), Focus::Building(building));

    for expected in [
        Focus::Community(community),
        Focus::Street(street),
        Focus::District,
        Focus::District,
    ] {
        app.world_mut().write_message(MapRequest::Back);
        app.update();
        assert_eq!(focus(&app), expected);
    }
}

#[test]
fn camera_settles_on_the_focus() {
    let (mut app, city) = common::headless_app();
    let street = city.index.region_by_id["370203016"];
    tap_world(&mut app, inside(&city, street));
    for _ in 0..200 {
        app.update();
        if app.world().resource::<MapView>().settled() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let map = app.world().resource::<MapView>();
    assert!(map.settled(), "the transition ends");
    let vis = map.view.visible();
    let b = city.index.region_bounds[street];
    assert!(
        vis.contains(b.min) && vis.contains(b.max),
        "the whole subdistrict is in view"
    );
}

#[test]
fn drag_pans_without_selecting() {
    let (mut app, _city) = common::headless_app();
    let before = app.world().resource::<MapView>().view;
    common::touch(&mut app, 3, TouchPhase::Started, Vec2::new(600.0, 500.0));
    app.update();
    for x in [620.0, 660.0, 700.0] {
        common::touch(&mut app, 3, TouchPhase::Moved, Vec2::new(x, 500.0));
        app.update();
    }
    common::touch(&mut app, 3, TouchPhase::Ended, Vec2::new(700.0, 500.0));
    app.update();
    let after = app.world().resource::<MapView>().view;
    assert_eq!(focus(&app), Focus::District, "a drag is no tap");
    let moved = (before.center[0] - after.center[0]) / before.scale;
    assert!(
        (moved - 100.0).abs() < 1e-6,
        "the map follows the finger: {moved}"
    );
}

#[test]
fn pinch_zooms_about_the_fingers() {
    let (mut app, _city) = common::headless_app();
    let view = app.world().resource::<MapView>().view;
    let mid = [700.0, 500.0];
    let anchor = view.to_world(mid);
    common::touch(&mut app, 1, TouchPhase::Started, Vec2::new(600.0, 500.0));
    common::touch(&mut app, 2, TouchPhase::Started, Vec2::new(800.0, 500.0));
    app.update();
    common::touch(&mut app, 1, TouchPhase::Moved, Vec2::new(500.0, 500.0));
    common::touch(&mut app, 2, TouchPhase::Moved, Vec2::new(900.0, 500.0));
    app.update();
    let after = app.world().resource::<MapView>().view;
    assert!(
        (view.scale / after.scale - 2.0).abs() < 1e-6,
        "fingers twice as far: twice the zoom"
    );
    let still = after.to_world(mid);
    assert!(
        (still[0] - anchor[0]).abs() < 1e-6 && (still[1] - anchor[1]).abs() < 1e-6,
        "the map stays under the fingers"
    );
    common::touch(&mut app, 1, TouchPhase::Ended, Vec2::new(500.0, 500.0));
    common::touch(&mut app, 2, TouchPhase::Ended, Vec2::new(900.0, 500.0));
    app.update();
    assert_eq!(focus(&app), Focus::District, "a pinch is no tap");
}

#[test]
fn two_visitors_and_a_whole_hand_never_break_the_state() {
    let (mut app, city) = common::headless_app();
    let mut rng = citygrid::generate::rng::Rng::new(11);
    for round in 0..300 {
        for id in 0..5u64 {
            let pos = Vec2::new(rng.range(0.0, 1920.0) as f32, rng.range(0.0, 1080.0) as f32);
            let phase = match (round + id as usize) % 4 {
                0 => TouchPhase::Started,
                1 | 2 => TouchPhase::Moved,
                _ => {
                    if rng.chance(0.1) {
                        TouchPhase::Canceled
                    } else {
                        TouchPhase::Ended
                    }
                }
            };
            common::touch(&mut app, id, phase, pos);
        }
        app.update();
        let f = focus(&app);
        let ok = match f {
            Focus::District => true,
            Focus::Street(r) | Focus::Community(r) => r < city.snapshot.regions.len(),
            Focus::Building(b) => b < city.snapshot.buildings.len(),
        };
        assert!(ok, "{f:?}");
        let v = app.world().resource::<MapView>().view;
        assert!(v.scale.is_finite() && v.scale > 0.0 && v.center[0].is_finite());
    }
}

#[test]
fn hit_test_picks_the_right_level() {
    let (_app, city) = common::headless_app();
    let street = city.index.region_by_id["370203005"];
    let community = city.index.children[street][0];
    let p = inside(&city, community);
    assert_eq!(hit(&city, Focus::District, p), Some(Focus::Street(street)));
    assert_eq!(
        hit(&city, Focus::Street(street), p),
        Some(Focus::Community(community))
    );
    let far = [1e7, 1e7];
    assert_eq!(hit(&city, Focus::District, far), None);
    // From a community, a tap in another subdistrict goes to that subdistrict.
    let other = city.index.region_by_id["370203016"];
    assert_eq!(
        hit(&city, Focus::Community(community), inside(&city, other)),
        Some(Focus::Street(other))
    );
}
