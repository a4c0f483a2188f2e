//! Tests of the gesture recognizer (`scene::gesture`).

use super::*;

#[test]
fn short_press_is_a_tap_and_two_are_a_double_tap() {
    let mut r = Recognizer::default();
    r.press(1, [100.0, 100.0], 0.0);
    assert_eq!(
        r.release(1, [102.0, 101.0], 0.1),
        Some(Gesture::Tap([102.0, 101.0]))
    );
    r.press(2, [104.0, 100.0], 0.2);
    assert_eq!(
        r.release(2, [104.0, 100.0], 0.25),
        Some(Gesture::DoubleTap([104.0, 100.0]))
    );
}

#[test]
fn drag_pans_and_is_no_tap() {
    let mut r = Recognizer::default();
    r.press(1, [100.0, 100.0], 0.0);
    assert_eq!(r.motion(1, [105.0, 100.0]), None, "inside the slop");
    assert_eq!(r.motion(1, [130.0, 100.0]), Some(Gesture::Pan([30.0, 0.0])));
    assert_eq!(
        r.motion(1, [140.0, 110.0]),
        Some(Gesture::Pan([10.0, 10.0]))
    );
    assert_eq!(r.release(1, [140.0, 110.0], 0.3), None);
}

#[test]
fn two_fingers_pinch_about_their_midpoint() {
    let mut r = Recognizer::default();
    r.press(1, [100.0, 100.0], 0.0);
    r.press(2, [200.0, 100.0], 0.0);
    match r.motion(2, [300.0, 100.0]) {
        Some(Gesture::Pinch {
            center,
            factor,
            pan,
            rotation,
        }) => {
            assert_eq!(center, [200.0, 100.0]);
            assert!((factor - 2.0).abs() < 1e-12);
            assert_eq!(pan, [50.0, 0.0]);
            assert_eq!(rotation, 0.0, "the flat map never turns");
        }
        other => panic!("expected a pinch, got {other:?}"),
    }
    assert_eq!(
        r.release(1, [100.0, 100.0], 0.1),
        None,
        "pinch fingers never tap"
    );
    assert_eq!(r.release(2, [300.0, 100.0], 0.1), None);
}

/// Moves both fingers of a pair in small steps (as touch screens report them, one
/// finger at a time) and adds up what comes out: (pan, zoom factor, rotation, tilt).
fn drive(
    r: &mut Recognizer,
    from: [[f64; 2]; 2],
    to: [[f64; 2]; 2],
    steps: usize,
) -> ([f64; 2], f64, f64, f64) {
    let (mut pan, mut factor, mut rotation, mut up) = ([0.0, 0.0], 1.0, 0.0, 0.0);
    for s in 1..=steps {
        let t = s as f64 / steps as f64;
        for (i, id) in [1u64, 2].into_iter().enumerate() {
            let p = [
                from[i][0] + (to[i][0] - from[i][0]) * t,
                from[i][1] + (to[i][1] - from[i][1]) * t,
            ];
            match r.motion(id, p) {
                Some(Gesture::Pinch {
                    factor: f,
                    pan: d,
                    rotation: a,
                    ..
                }) => {
                    pan = [pan[0] + d[0], pan[1] + d[1]];
                    factor *= f;
                    rotation += a;
                }
                Some(Gesture::Tilt { up: u, .. }) => up += u,
                Some(other) => panic!("unexpected {other:?}"),
                None => {}
            }
        }
    }
    (pan, factor, rotation, up)
}

/// Two fingers `r` px either side of (400, 300), the line between them turned `deg`
/// degrees counter-clockwise on screen.
fn turned_pair(deg: f64, r: f64) -> [[f64; 2]; 2] {
    let c = [400.0, 300.0];
    let (s, co) = deg.to_radians().sin_cos();
    [[c[0] - r * co, c[1] + r * s], [c[0] + r * co, c[1] - r * s]]
}

fn pair_3d(a: [f64; 2], b: [f64; 2]) -> Recognizer {
    let mut r = Recognizer::default();
    r.set_3d(true);
    r.press(1, a, 0.0);
    r.press(2, b, 0.0);
    r
}

#[test]
fn on_the_3d_map_two_fingers_twisting_turn_it_past_the_slop() {
    // Two fingers 200 px apart turn 40° counter-clockwise about their midpoint.
    let at = |deg: f64| turned_pair(deg, 100.0);
    let mut r = pair_3d(at(0.0)[0], at(0.0)[1]);
    let mut total = 0.0;
    for k in 1..=40 {
        let (_, f, rot, up) = drive(&mut r, at(k as f64 - 1.0), at(k as f64), 1);
        assert!((f - 1.0).abs() < 1e-9, "a twist is no zoom");
        assert_eq!(up, 0.0, "a twist is no tilt");
        total += rot;
    }
    // Counter-clockwise fingers: a clockwise rotation of minus (40° less the slop).
    assert!(
        (total + (40.0f64 - 10.0).to_radians()).abs() < 1e-6,
        "the map turns with the fingers less the slop: {}°",
        total.to_degrees()
    );
    // Turning back turns the map back: nothing is left over at 0°.
    for k in (0..40).rev() {
        total += drive(&mut r, at(k as f64 + 1.0), at(k as f64), 1).2;
    }
    assert!(total.abs() < 1e-9, "{total}");
}

#[test]
fn on_the_3d_map_fingers_side_by_side_moving_up_tilt() {
    let mut r = pair_3d([300.0, 500.0], [420.0, 500.0]);
    let (pan, factor, rotation, up) = drive(
        &mut r,
        [[300.0, 500.0], [420.0, 500.0]],
        [[302.0, 380.0], [421.0, 380.0]],
        20,
    );
    assert_eq!((pan, factor, rotation), ([0.0, 0.0], 1.0, 0.0), "no pinch");
    assert!((up - 120.0).abs() < 1e-9, "tilted by the full travel: {up}");
    // Down again tilts back.
    let (.., down) = drive(
        &mut r,
        [[302.0, 380.0], [421.0, 380.0]],
        [[302.0, 450.0], [421.0, 450.0]],
        10,
    );
    assert!((down + 70.0).abs() < 1e-9, "{down}");
}

#[test]
fn on_the_3d_map_a_plain_pinch_only_zooms_and_a_flat_map_never_tilts() {
    let mut r = pair_3d([300.0, 300.0], [400.0, 300.0]);
    let (pan, factor, rotation, up) = drive(
        &mut r,
        [[300.0, 300.0], [400.0, 300.0]],
        [[250.0, 302.0], [450.0, 298.0]],
        10,
    );
    assert!((factor - 2.0).abs() < 0.01, "{factor}");
    assert!(pan[0].abs() < 1e-9 && pan[1].abs() < 1e-9, "{pan:?}");
    assert_eq!(
        (rotation, up),
        (0.0, 0.0),
        "2° of wobble neither turns nor tilts"
    );
    // Flat: the same upward stroke pans (a two-finger drag), as it always did.
    let mut flat = Recognizer::default();
    flat.press(1, [300.0, 500.0], 0.0);
    flat.press(2, [420.0, 500.0], 0.0);
    let (pan, _, rotation, up) = drive(
        &mut flat,
        [[300.0, 500.0], [420.0, 500.0]],
        [[300.0, 380.0], [420.0, 380.0]],
        20,
    );
    assert_eq!((rotation, up), (0.0, 0.0));
    assert!((pan[1] + 120.0).abs() < 1e-9, "{pan:?}");
}

#[test]
fn on_the_3d_map_fingers_one_above_the_other_moving_up_pan() {
    // Stacked fingers moving up are a two-finger pan, not a tilt.
    let mut r = pair_3d([300.0, 400.0], [310.0, 520.0]);
    let (pan, _, _, up) = drive(
        &mut r,
        [[300.0, 400.0], [310.0, 520.0]],
        [[300.0, 300.0], [310.0, 420.0]],
        10,
    );
    assert_eq!(up, 0.0);
    assert!(
        (pan[1] + 100.0).abs() < 1e-9,
        "the catch-up step included: {pan:?}"
    );
}

#[test]
fn five_finger_chaos_is_harmless() {
    let mut r = Recognizer::default();
    for i in 0..5 {
        r.press(i, [i as f64 * 50.0, 10.0], 0.0);
    }
    for step in 0..20 {
        for i in 0..5 {
            let _ = r.motion(i, [i as f64 * 50.0 + step as f64, 10.0 + step as f64]);
        }
    }
    for i in (0..5).rev() {
        assert_eq!(r.release(i, [0.0, 0.0], 1.0), None);
    }
    assert_eq!(r.active(), 0);
    let _ = r.motion(99, [1.0, 1.0]);
    assert_eq!(r.release(99, [1.0, 1.0], 1.0), None, "unknown finger");
    r.press(7, [f64::NAN, 1.0], 2.0);
    assert_eq!(r.active(), 0, "NaN positions are dropped");
}

#[test]
fn a_twist_past_half_a_turn_keeps_turning_and_close_fingers_never_turn() {
    // Two fingers 200 px apart turn 270° counter-clockwise in 3° steps: the map follows
    // the whole way (no jump where the angle wraps at ±180°).
    let at = turned_pair;
    let mut r = pair_3d(at(0.0, 100.0)[0], at(0.0, 100.0)[1]);
    let mut total = 0.0;
    for k in 1..=90 {
        let from = at(3.0 * (k - 1) as f64, 100.0);
        total += drive(&mut r, from, at(3.0 * k as f64, 100.0), 1).2;
    }
    assert!(
        (total + (270.0f64 - 10.0).to_radians()).abs() < 1e-6,
        "{}°",
        total.to_degrees()
    );

    // Fingers 20 px apart (one fingertip's width) twisting 90° do not turn the map.
    let mut r = pair_3d(at(0.0, 10.0)[0], at(0.0, 10.0)[1]);
    let mut total = 0.0;
    for k in 1..=30 {
        let from = at(3.0 * (k - 1) as f64, 10.0);
        total += drive(&mut r, from, at(3.0 * k as f64, 10.0), 1).2;
    }
    assert_eq!(total, 0.0);
}

#[test]
fn a_pair_begun_on_the_flat_map_never_turns_it() {
    // Two fingers go down on the flat map; the map turns 3D (a docent's key) while they
    // are down: the pair stays a plain pinch until lifted.
    let at = |deg: f64| turned_pair(deg, 100.0);
    let mut r = Recognizer::default();
    r.press(1, at(0.0)[0], 0.0);
    r.press(2, at(0.0)[1], 0.0);
    r.set_3d(true);
    let mut total = 0.0;
    for k in 1..=30 {
        total += drive(&mut r, at(2.0 * (k - 1) as f64), at(2.0 * k as f64), 1).2;
    }
    assert_eq!(total, 0.0);
}
