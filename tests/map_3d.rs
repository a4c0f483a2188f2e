//! The map in 3D, headless: the toggle tilts the camera (and back), the tilted view keeps
//! the flat map's figures at tilt 0, and a tap picks the raised region its line of sight
//! meets first — its roof, not the ground behind it.

mod common;

use bevy::input::touch::TouchPhase;
use bevy::prelude::*;
use citygrid::app::base::map_view::TILT_3D;
use citygrid::app::{Focus, Map3d, MapRequest, MapView};
use citygrid::scene::layers::{Depth, Figure, Overlays, raised, raised_buildings};

use common::settle;

fn tap(app: &mut App, s: [f64; 2]) {
    let pos = Vec2::new(s[0] as f32, s[1] as f32);
    common::touch(app, 1, TouchPhase::Started, pos);
    app.update();
    common::touch(app, 1, TouchPhase::Ended, pos);
    app.update();
}

#[test]
fn the_map_tilts_into_3d_and_a_tap_picks_the_roof_it_meets_first() {
    let (mut app, city) = common::headless_app();
    app.world_mut().write_message(MapRequest::Toggle3d);
    app.update();
    assert!(app.world().resource::<Map3d>().0);
    assert!(
        !app.world().resource::<MapView>().settled(),
        "the camera eases into the tilt"
    );
    settle(&mut app);
    let view = app.world().resource::<MapView>().view;
    assert!((view.tilt - TILT_3D).abs() < 1e-9, "{}", view.tilt);

    // The tallest subdistrict: a tap where its roof is seen, near its far edge (so that the
    // ground seen there lies beyond it), selects it.
    let regions = raised(
        &city,
        Depth::District,
        Figure::default(),
        &Overlays::default(),
    );
    assert_eq!(
        regions.len(),
        city.index.children[city.index.district].len()
    );
    let (street, h) = regions
        .iter()
        .copied()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .expect("raised regions");
    let shape = &city.index.region_shapes[street][0];
    let b = shape.bounds();
    // The point of the roof furthest up the screen (north at heading 0), moved inwards.
    let top = shape
        .exterior
        .iter()
        .copied()
        .max_by(|p, q| p[1].total_cmp(&q[1]))
        .expect("a ring");
    let c = b.center();
    let p = [
        top[0] + (c[0] - top[0]) * 0.1,
        top[1] + (c[1] - top[1]) * 0.1,
    ];
    assert!(shape.contains(p));
    let s = view.to_screen3(p, h);
    let ground = view.to_world(s);
    assert!(
        !shape.contains(ground),
        "the ground seen there lies outside the region: only its roof is there"
    );
    tap(&mut app, s);
    assert_eq!(*app.world().resource::<Focus>(), Focus::Street(street));

    // Flat again: the toggle tilts back.
    app.world_mut().write_message(MapRequest::Toggle3d);
    settle(&mut app);
    let view = app.world().resource::<MapView>().view;
    assert_eq!(view.tilt, 0.0);
    assert!(!app.world().resource::<Map3d>().0);
}

#[test]
fn in_3d_a_tap_on_a_towers_roof_selects_the_tower() {
    let (mut app, city) = common::headless_app();
    app.world_mut().write_message(MapRequest::Toggle3d);
    settle(&mut app);
    // The community with the tallest building.
    let (community, (b, h)) = (0..city.snapshot.regions.len())
        .filter_map(|c| {
            let top = raised_buildings(&city, Depth::Community(c, None))
                .into_iter()
                .max_by(|x, y| x.1.total_cmp(&y.1))?;
            Some((c, top))
        })
        .max_by(|x, y| x.1.1.total_cmp(&y.1.1))
        .expect("a community with buildings");
    app.world_mut()
        .write_message(MapRequest::Focus(Focus::Community(community)));
    settle(&mut app);
    let view = app.world().resource::<MapView>().view;
    assert!(view.tilt > 0.0, "the new focus is seen tilted too");
    let shape = &city.index.building_shapes[b];
    let c = shape.bounds().center();
    let s = view.to_screen3(c, h);
    tap(&mut app, s);
    assert_eq!(*app.world().resource::<Focus>(), Focus::Building(b));
}
