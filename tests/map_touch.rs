//! The drill-down map driven by touch, headless: district → subdistrict → community →
//! grid → building → back, pinch and pan, and many fingers at once.

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

use common::settle;

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

    // The demo's communities have grids: a tap in the community picks the grid there, a
    // tap in the grid the building (one with no case's dot near where the finger lands).
    let gi = &city.index.governance;
    let clear_of_cases = |p: P2| {
        gi.cases_of_region[community].iter().all(|&c| {
            let q = gi.case_points[c as usize];
            (q[0] - p[0]).hypot(q[1] - p[1]) > 40.0
        })
    };
    let building = city.index.buildings_of[community]
        .iter()
        .copied()
        .find(|&b| clear_of_cases(city.index.building_shapes[b].label_point()))
        .expect("a building away from the cases");
    let p = city.index.building_shapes[building].label_point();
    let grid = city
        .index
        .governance
        .grid_at(community, p)
        .expect("the demo's building lies in a grid");
    // Taps land where the visitor sees things once the camera has come to rest.
    settle(&mut app);
    tap_world(&mut app, p);
    assert_eq!(focus(&app), Focus::Grid(grid));
    settle(&mut app);
    tap_world(&mut app, p);
    assert_eq!(focus(&app), Focus::Building(building));
    settle(&mut app);

    // A case's dot opens its card; the focus stays, Back closes the card first.
    let case = gi.cases_of_grid[grid][0] as usize;
    tap_world(&mut app, gi.case_points[case]);
    assert_eq!(
        app.world().resource::<citygrid::app::SelectedCase>().0,
        Some(case)
    );
    assert_eq!(focus(&app), Focus::Building(building));
    app.world_mut().write_message(MapRequest::Back);
    app.update();
    assert_eq!(
        app.world().resource::<citygrid::app::SelectedCase>().0,
        None
    );
    assert_eq!(focus(&app), Focus::Building(building));

    for expected in [
        Focus::Grid(grid),
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
            Focus::Grid(g) => g < city.snapshot.grids.len(),
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

#[test]
fn grids_come_between_community_and_building() {
    let (_app, city) = common::headless_app();
    let gi = &city.index.governance;
    let community = (0..city.snapshot.regions.len())
        .find(|&c| gi.grids_of.get(c).is_some_and(|g| g.len() >= 2))
        .expect("a community with two grids");
    let (g1, g2) = (gi.grids_of[community][0], gi.grids_of[community][1]);
    let b1 = *gi.buildings_of_grid[g1]
        .first()
        .expect("a building in grid 1");
    let in_b1 = city.index.building_shapes[b1].label_point();
    let in_g2 = gi.grid_shapes[g2][0].label_point();
    // Community: a tap anywhere in a grid picks the grid, on a building too.
    assert_eq!(
        hit(&city, Focus::Community(community), in_b1),
        Some(Focus::Grid(g1))
    );
    // Grid: a building; the ground of another grid moves to that grid.
    assert_eq!(
        hit(&city, Focus::Grid(g1), in_b1),
        Some(Focus::Building(b1))
    );
    let ground_g2 = hit(&city, Focus::Grid(g1), in_g2);
    assert!(
        matches!(ground_g2, Some(Focus::Grid(g)) if g == g2)
            || matches!(ground_g2, Some(Focus::Building(b)) if gi.building_grid[b] as usize == g2),
        "{ground_g2:?}"
    );
    // Up: building → its grid → the community; the grid card's subject.
    assert_eq!(Focus::Building(b1).up(&city), Focus::Grid(g1));
    assert_eq!(Focus::Grid(g1).up(&city), Focus::Community(community));
    assert_eq!(Focus::Grid(g1).region(&city), community);
    let id = &city.snapshot.grids[g1].id;
    assert_eq!(Focus::from_id(&city, id), Some(Focus::Grid(g1)));
    assert_eq!(Focus::Grid(g1).id(&city), id.as_str());
}

#[test]
fn without_grids_the_community_drills_straight_to_buildings() {
    let mut snapshot = citygrid::demo::load_demo().expect("demo").snapshot;
    snapshot.grids.clear();
    for b in &mut snapshot.buildings {
        b.grid = None;
    }
    snapshot.cases.clear();
    snapshot.places.clear();
    snapshot.stories.clear();
    let city = CityData::new(snapshot);
    let community = (0..city.snapshot.regions.len())
        .find(|&c| !city.index.buildings_of[c].is_empty())
        .expect("a community with buildings");
    let b = city.index.buildings_of[community][0];
    let p = city.index.building_shapes[b].label_point();
    assert_eq!(
        hit(&city, Focus::Community(community), p),
        Some(Focus::Building(b))
    );
    assert_eq!(Focus::Building(b).up(&city), Focus::Community(community));
}
