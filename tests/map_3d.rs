//! The map in 3D, headless: the toggle tilts the camera (and back), the tilted view keeps
//! the flat map's figures at tilt 0, and a tap picks the raised region its line of sight
//! meets first — its roof, not the ground behind it.

mod common;

use bevy::input::touch::TouchPhase;
use bevy::prelude::*;
use citygrid::app::base::map_view::TILT_3D;
use citygrid::app::{Focus, Map3d, MapRequest, MapView};
use citygrid::scene::extrude::STOREY_M;
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
            let top = raised_buildings(&city, Depth::Community(c, None), STOREY_M)
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

/// Moves two fingers from `from` to `to` in `steps` frames, as a touch screen reports them.
fn two_fingers(app: &mut App, from: [[f32; 2]; 2], to: [[f32; 2]; 2], steps: usize) {
    let at = |k: usize, t: f32| {
        Vec2::new(
            from[k][0] + (to[k][0] - from[k][0]) * t,
            from[k][1] + (to[k][1] - from[k][1]) * t,
        )
    };
    common::touch(app, 1, TouchPhase::Started, at(0, 0.0));
    common::touch(app, 2, TouchPhase::Started, at(1, 0.0));
    app.update();
    for s in 1..=steps {
        let t = s as f32 / steps as f32;
        common::touch(app, 1, TouchPhase::Moved, at(0, t));
        common::touch(app, 2, TouchPhase::Moved, at(1, t));
        app.update();
    }
    common::touch(app, 1, TouchPhase::Ended, at(0, 1.0));
    common::touch(app, 2, TouchPhase::Ended, at(1, 1.0));
    app.update();
}

#[test]
fn in_3d_two_fingers_twist_and_tilt_the_map_about_their_midpoint_and_the_compass_turns_it_back() {
    let (mut app, _city) = common::headless_app();
    // Flat, a twist only pinches: the map never turns.
    let mid = [900.0f32, 500.0];
    let ring = |deg: f32, r: f32| {
        let (s, c) = deg.to_radians().sin_cos();
        [
            [mid[0] - r * c, mid[1] + r * s],
            [mid[0] + r * c, mid[1] - r * s],
        ]
    };
    two_fingers(&mut app, ring(0.0, 150.0), ring(60.0, 150.0), 30);
    assert_eq!(app.world().resource::<MapView>().view.heading, 0.0);

    app.world_mut().write_message(MapRequest::Toggle3d);
    settle(&mut app);
    let before = app.world().resource::<MapView>().view;
    let ground = before.to_world([mid[0] as f64, mid[1] as f64]);
    let under_b = before.to_world([mid[0] as f64 + 150.0, mid[1] as f64]);
    // A 60° counter-clockwise twist turns the map with the fingers by 50° (less the 10°
    // slop; heading counts clockwise, so −50°), about the fingers' midpoint: the ground
    // under it stays there.
    two_fingers(&mut app, ring(0.0, 150.0), ring(60.0, 150.0), 30);
    let view = app.world().resource::<MapView>().view;
    assert!(
        (view.heading.to_degrees() + 50.0).abs() < 0.5,
        "turned by {}°",
        view.heading.to_degrees()
    );
    let s = view.to_screen(ground);
    assert!(
        (s[0] - mid[0] as f64).abs() < 1.0 && (s[1] - mid[1] as f64).abs() < 1.0,
        "the ground under the fingers stays: {s:?}"
    );
    // The ground that was under the right finger went round with the fingers: up and to
    // the left, counter-clockwise about the midpoint (50° on the ground; less on screen,
    // the ground being seen tilted).
    let s = view.to_screen(under_b);
    let went = (mid[1] as f64 - s[1])
        .atan2(s[0] - mid[0] as f64)
        .to_degrees();
    assert!(went > 25.0 && went < 55.0, "went round by {went}°");
    assert!(
        (view.scale - before.scale).abs() / before.scale < 0.01,
        "no zoom"
    );

    // Fingers side by side moving 100 px down tilt the map towards the top view by 20°;
    // a long stroke up stops at 60°.
    let side = |y: f32| [[800.0, y], [1000.0, y]];
    two_fingers(&mut app, side(400.0), side(500.0), 20);
    let tilted = app.world().resource::<MapView>().view.tilt.to_degrees();
    assert!((tilted - 30.0).abs() < 0.5, "tilt {tilted}°");
    two_fingers(&mut app, side(800.0), side(100.0), 40);
    let v = app.world().resource::<MapView>().view;
    assert!(
        (v.tilt.to_degrees() - 60.0).abs() < 1e-6,
        "clamped: {}°",
        v.tilt.to_degrees()
    );
    assert!(
        (v.heading.to_degrees() + 50.0).abs() < 0.5,
        "a tilt does not turn"
    );

    // A later drill keeps the visitor's pose.
    app.world_mut()
        .write_message(MapRequest::Focus(Focus::District));
    settle(&mut app);
    let v = app.world().resource::<MapView>().view;
    assert!((v.heading.to_degrees() + 50.0).abs() < 0.5);

    // The compass: north up again, in a transition.
    app.world_mut().write_message(MapRequest::NorthUp);
    app.update();
    assert!(!app.world().resource::<MapView>().settled());
    settle(&mut app);
    let v = app.world().resource::<MapView>().view;
    assert!(v.heading.abs() < 1e-9, "north up: {}", v.heading);
    assert!(v.tilt > 0.0, "still tilted");

    // Turned again, then flat: north up and looking straight down.
    two_fingers(&mut app, ring(0.0, 150.0), ring(-40.0, 150.0), 20);
    assert!(app.world().resource::<MapView>().view.heading > 0.4);
    app.world_mut().write_message(MapRequest::Toggle3d);
    settle(&mut app);
    let v = app.world().resource::<MapView>().view;
    assert_eq!((v.tilt, v.heading), (0.0, 0.0));
}

#[test]
fn the_floor_stack_picks_floors_of_the_focused_building_within_its_floors() {
    use citygrid::app::base::SelectedFloor;
    let (mut app, city) = common::headless_app();
    let b = (0..city.snapshot.buildings.len())
        .find(|&b| city.snapshot.buildings[b].floors >= 3)
        .expect("a building of 3 floors or more");
    let floors = city.snapshot.buildings[b].floors;
    let floor = |app: &App| app.world().resource::<SelectedFloor>().0;
    // Nothing to pick without a building in focus.
    app.world_mut().write_message(MapRequest::SelectFloor(2));
    app.update();
    assert_eq!(floor(&app), None);
    app.world_mut()
        .write_message(MapRequest::Focus(Focus::Building(b)));
    app.update();
    app.world_mut().write_message(MapRequest::StepFloor(-1));
    app.update();
    assert_eq!(
        floor(&app),
        Some(floors),
        "down from nothing: the top floor"
    );
    app.world_mut().write_message(MapRequest::StepFloor(1));
    app.update();
    assert_eq!(floor(&app), Some(floors), "never above the roof");
    app.world_mut().write_message(MapRequest::SelectFloor(-7));
    app.update();
    assert_eq!(floor(&app), Some(1), "never below the ground floor");
    app.world_mut().write_message(MapRequest::StepFloor(1));
    app.update();
    assert_eq!(floor(&app), Some(2));
    // Another focus forgets the floor: Back, or a drill elsewhere.
    app.world_mut().write_message(MapRequest::Back);
    app.update();
    assert_eq!(floor(&app), None, "Back forgets the floor");
    app.world_mut()
        .write_message(MapRequest::Focus(Focus::Building(b)));
    app.world_mut().write_message(MapRequest::SelectFloor(2));
    app.update();
    assert_eq!(floor(&app), Some(2), "a pick right after the drill stays");
    app.world_mut()
        .write_message(MapRequest::Focus(Focus::District));
    app.update();
    assert_eq!(floor(&app), None);
}

#[test]
fn the_picked_floor_is_a_band_of_its_own_colour_on_the_3d_building() {
    use citygrid::palette;
    use citygrid::scene::layers::{Lift, build_lifted};
    let (_app, city) = common::headless_app();
    let b = (0..city.snapshot.buildings.len())
        .find(|&b| city.snapshot.buildings[b].floors >= 4)
        .expect("a building of 4 floors or more");
    let community = city.index.community_of[b];
    let layers = |floor| {
        build_lifted(
            &city,
            Depth::Community(community, Some(b)),
            Figure::default(),
            false,
            citygrid::scene::layers::Scale::uniform(1.0),
            &Overlays::default(),
            Some(Lift {
                storey_m: STOREY_M,
                floor,
            }),
        )
        .prisms
    };
    let accent = palette::ACCENT.linear();
    // A colour of the band (a wall's shade of the accent: the same hue, scaled).
    let banded = |c: &[f32; 4]| {
        let k = c[2] / accent[2];
        k > 0.3 && (0..3).all(|i| (c[i] - accent[i] * k).abs() < 1e-4)
    };
    let band: Vec<f32> = {
        let p = layers(Some(3));
        p.colors
            .iter()
            .zip(&p.positions)
            .filter(|(c, _)| banded(c))
            .map(|(_, pos)| pos[2])
            .collect()
    };
    assert!(!band.is_empty(), "the third floor is banded");
    let (lo, hi) = (2.0 * STOREY_M as f32, 3.0 * STOREY_M as f32);
    assert!(
        band.iter()
            .all(|&z| (z - lo).abs() < 1e-3 || (z - hi).abs() < 1e-3),
        "the band spans the third floor alone: {band:?}"
    );
    // No floor picked: no band.
    let p = layers(None);
    assert!(!p.colors.iter().any(banded));
}

#[test]
fn all_buildings_in_3d_are_one_mesh_with_walls_only_where_they_show() {
    use citygrid::scene::raised::city_blocks;
    let (_app, city) = common::headless_app();
    let full = city_blocks(&city, 0.0, STOREY_M);
    let lod = city_blocks(&city, 12.0, STOREY_M);
    let roofs_only = city_blocks(&city, 1e9, STOREY_M);
    // Wall feet stand at 0 m; roofs at their building's height.
    let feet = |m: &citygrid::scene::meshes::MeshBuffers| {
        m.positions.iter().filter(|p| p[2] == 0.0).count()
    };
    assert!(feet(&full) > feet(&lod), "low buildings lose their walls");
    assert!(
        feet(&lod) > 0,
        "buildings of 5 floors or more keep theirs (15 m × sin 60° ≥ 12 m)"
    );
    assert_eq!(feet(&roofs_only), 0);
    assert!(lod.triangles() < full.triangles());
    // Every building is there, at its height.
    let heights: std::collections::BTreeSet<i64> = city
        .snapshot
        .buildings
        .iter()
        .map(|b| (b.floors.max(1) as f64 * STOREY_M) as i64)
        .collect();
    assert!(
        roofs_only
            .positions
            .iter()
            .all(|p| heights.contains(&(p[2].round() as i64)))
    );
    assert!(roofs_only.triangles() >= city.snapshot.buildings.len());
}

#[test]
fn the_3d_buildings_picture_holds_every_building_on_whole_screen_pixels() {
    use citygrid::scene::extrude::building_height;
    use citygrid::scene::raised::{blocks_extent, snap_to_pixels};
    use citygrid::scene::view::View;
    let (_app, city) = common::headless_app();
    let idx = &city.index;
    let district = idx.region_bounds[idx.district];
    for (tilt, heading, scale) in [(0.87, 0.0, 9.3), (1.0, 0.7, 4.1), (0.3, -2.5, 13.0)] {
        let view = View {
            center: [district.center()[0] + 123.4, district.center()[1] - 56.7],
            scale,
            viewport: [1920.0, 1080.0],
            tilt,
            heading,
        };
        let frame_box = blocks_extent(&city, STOREY_M, tilt, heading);
        let (snapped, [w, h]) = snap_to_pixels(&frame_box, &view, scale, view.viewport);
        // The box's top-left corner on screen, from a ground point at the box's corner:
        // the frame's `u` runs across the screen, `up` up it, one pixel per `scale` metres.
        let (sin, cos) = heading.sin_cos();
        let [cx, cy] = view.center;
        let centre = [cx * cos + cy * sin, (-cx * sin + cy * cos) * tilt.cos()];
        let left = (snapped.min[0] - centre[0]) / scale + 960.0;
        let top = 540.0 - (snapped.max[1] - centre[1]) / scale;
        assert!(
            (left - left.round()).abs() < 1e-6,
            "left edge {left} on a pixel edge"
        );
        assert!(
            (top - top.round()).abs() < 1e-6,
            "top edge {top} on a pixel edge"
        );
        assert!((snapped.width() / scale - f64::from(w)).abs() < 1e-6);
        assert!((snapped.height() / scale - f64::from(h)).abs() < 1e-6);
        // Every building's footprint box, at the ground and at its roof, lies inside.
        for (b, bounds) in idx.building_bounds.iter().enumerate() {
            let z = building_height(city.snapshot.buildings[b].floors, STOREY_M);
            for p in [bounds.min, bounds.max, [bounds.min[0], bounds.max[1]]] {
                for z in [0.0, z] {
                    let [x, y] = view.to_screen3(p, z);
                    assert!(
                        x > left && x < left + f64::from(w) && y > top && y < top + f64::from(h),
                        "building {b} at ({x:.1}, {y:.1}) outside the picture"
                    );
                }
            }
        }
    }
}
