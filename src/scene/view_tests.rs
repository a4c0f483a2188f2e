//! Tests of the map's view (`scene::view`).

use super::*;

const NO_INSETS: Insets = Insets {
    left: 0.0,
    right: 0.0,
    top: 0.0,
    bottom: 0.0,
};

#[test]
fn fit_shows_the_whole_region() {
    let r = Rect {
        min: [1000.0, 2000.0],
        max: [3000.0, 3000.0],
    };
    let v = View::fit(&r, [1000.0, 800.0], NO_INSETS);
    let vis = v.visible();
    assert!(vis.contains(r.min) && vis.contains(r.max));
    // The wide region fills the width (with a small margin).
    assert!((vis.width() - 2080.0).abs() < 1.0, "{}", vis.width());
}

#[test]
fn fit_respects_insets() {
    let r = Rect {
        min: [0.0, 0.0],
        max: [100.0, 100.0],
    };
    let insets = Insets {
        left: 0.0,
        right: 400.0,
        top: 100.0,
        bottom: 0.0,
    };
    let v = View::fit(&r, [1200.0, 800.0], insets);
    let a = v.to_screen([0.0, 100.0]);
    let b = v.to_screen([100.0, 0.0]);
    assert!(a[1] >= 100.0 - 1e-6, "top edge under the bar: {a:?}");
    assert!(b[0] <= 800.0 + 1e-6, "right edge left of the card: {b:?}");
}

#[test]
fn screen_and_world_round_trip() {
    let v = View {
        tilt: 0.0,
        heading: 0.0,
        center: [10.0, 20.0],
        scale: 2.5,
        viewport: [800.0, 600.0],
    };
    let p = v.to_world([123.0, 456.0]);
    let s = v.to_screen(p);
    assert!((s[0] - 123.0).abs() < 1e-9 && (s[1] - 456.0).abs() < 1e-9);
}

#[test]
fn zoom_keeps_point_under_finger() {
    let mut v = View {
        tilt: 0.0,
        heading: 0.0,
        center: [0.0, 0.0],
        scale: 10.0,
        viewport: [800.0, 600.0],
    };
    let finger = [200.0, 100.0];
    let before = v.to_world(finger);
    v.zoom_about(finger, 2.0, 0.01, 100.0);
    let after = v.to_world(finger);
    assert!((before[0] - after[0]).abs() < 1e-9 && (before[1] - after[1]).abs() < 1e-9);
    assert!((v.scale - 5.0).abs() < 1e-12);
}

#[test]
fn transition_eases_out_and_lands_exactly() {
    let a = View {
        tilt: 0.0,
        heading: 0.0,
        center: [0.0, 0.0],
        scale: 10.0,
        viewport: [800.0, 600.0],
    };
    let b = View {
        tilt: 0.0,
        heading: 0.0,
        center: [100.0, 0.0],
        scale: 1.0,
        viewport: [800.0, 600.0],
    };
    let mut t = Transition {
        from: a,
        to: b,
        elapsed: 0.0,
        duration: 0.4,
    };
    let (half, done) = t.step(0.2);
    assert!(!done);
    assert!(
        half.center[0] > 50.0,
        "ease-out is past halfway at half time"
    );
    let (end, done) = t.step(0.3);
    assert!(done);
    assert_eq!(end.center, b.center);
    assert!((end.scale - b.scale).abs() < 1e-12);
}

fn tilted() -> View {
    View {
        center: [1000.0, -500.0],
        scale: 2.0,
        viewport: [1280.0, 720.0],
        tilt: 0.0,
        heading: 0.0,
    }
    .posed(0.8, 0.6)
}

#[test]
fn a_tilted_turned_view_round_trips_and_pans_under_the_finger() {
    let v = tilted();
    for s in [[0.0, 0.0], [640.0, 360.0], [1000.0, 100.0], [13.0, 700.0]] {
        let w = v.to_world(s);
        let back = v.to_screen(w);
        assert!((back[0] - s[0]).abs() < 1e-9 && (back[1] - s[1]).abs() < 1e-9);
    }
    // The ground under a finger stays under it as the finger moves.
    let mut moved = v;
    let under = v.to_world([400.0, 300.0]);
    moved.pan([35.0, -20.0]);
    let now = moved.to_screen(under);
    assert!((now[0] - 435.0).abs() < 1e-9 && (now[1] - 280.0).abs() < 1e-9);
    // Zooming keeps the point under the finger too.
    let mut z = v;
    z.zoom_about([900.0, 200.0], 1.7, 0.01, 100.0);
    let p = z.to_screen(under);
    let q = v.to_screen(under);
    let f = [900.0 + (q[0] - 900.0) * 1.7, 200.0 + (q[1] - 200.0) * 1.7];
    assert!((p[0] - f[0]).abs() < 1e-6 && (p[1] - f[1]).abs() < 1e-6);
}

#[test]
fn height_lifts_a_point_on_screen_by_its_sine() {
    let v = tilted();
    let p = [1100.0, -450.0];
    let ground = v.to_screen(p);
    let roof = v.to_screen3(p, 30.0);
    assert!((roof[0] - ground[0]).abs() < 1e-9);
    assert!((ground[1] - roof[1] - 30.0 * 0.8f64.sin() / 2.0).abs() < 1e-9);
    // Where the screen shows the roof point, it shows the ground g with p = g + 30 · shift.
    let s = v.height_shift();
    let g = v.to_world(roof);
    assert!((g[0] + 30.0 * s[0] - p[0]).abs() < 1e-9 && (g[1] + 30.0 * s[1] - p[1]).abs() < 1e-9);
    // Flat: nothing moves.
    let flat = tilted().posed(0.0, 0.0);
    assert_eq!(flat.height_shift(), [0.0, -0.0]);
    assert_eq!(flat.to_screen3(p, 30.0), flat.to_screen(p));
}

#[test]
fn tilt_is_clamped_and_heading_eases_the_short_way() {
    let v = tilted().posed(5.0, f64::NAN);
    assert_eq!((v.tilt, v.heading), (MAX_TILT, 0.0));
    let a = tilted().posed(0.0, 3.0);
    let b = tilted().posed(0.5, -3.0);
    let mid = View::lerp(&a, &b, 0.5);
    // 3 → −3 rad the short way passes through π, not through 0.
    assert!((wrap_angle(mid.heading) - std::f64::consts::PI).abs() < 1e-9);
    assert!((mid.tilt - 0.25).abs() < 1e-12);
}

#[test]
fn a_posed_fit_shows_the_ground_and_what_stands_on_it() {
    let b = Rect {
        min: [0.0, 0.0],
        max: [4000.0, 6000.0],
    };
    let insets = Insets {
        left: 20.0,
        right: 300.0,
        top: 60.0,
        bottom: 200.0,
    };
    let vp = [1280.0, 720.0];
    assert_eq!(
        View::fit_posed(&b, vp, insets, 0.0, 0.0, 500.0),
        View::fit(&b, vp, insets)
    );
    let v = View::fit_posed(&b, vp, insets, 0.8, 0.4, 500.0);
    for x in [0.0, 4000.0] {
        for y in [0.0, 6000.0] {
            for z in [0.0, 500.0] {
                let p = v.to_screen3([x, y], z);
                assert!(p[0] >= insets.left - 1e-6 && p[0] <= vp[0] - insets.right + 1e-6);
                assert!(p[1] >= insets.top - 1e-6 && p[1] <= vp[1] - insets.bottom + 1e-6);
            }
        }
    }
}

#[test]
fn a_twist_and_a_tilt_keep_the_ground_under_the_fingers() {
    let mut v = tilted();
    let at = [400.0, 260.0];
    let ground = v.to_world(at);
    v.turn_about(at, 0.7);
    let s = v.to_screen(ground);
    assert!(
        (s[0] - at[0]).abs() < 1e-6 && (s[1] - at[1]).abs() < 1e-6,
        "{s:?}"
    );
    assert!((v.heading - 1.3).abs() < 1e-12);
    v.tilt_about(at, -0.3);
    let s = v.to_screen(ground);
    assert!(
        (s[0] - at[0]).abs() < 1e-6 && (s[1] - at[1]).abs() < 1e-6,
        "{s:?}"
    );
    assert!((v.tilt - 0.5).abs() < 1e-12);
    // Clamped both ways, still about the same point.
    v.tilt_about(at, 5.0);
    assert_eq!(v.tilt, MAX_TILT);
    v.tilt_about(at, -5.0);
    assert_eq!(v.tilt, 0.0);
    let s = v.to_screen(ground);
    assert!(
        (s[0] - at[0]).abs() < 1e-6 && (s[1] - at[1]).abs() < 1e-6,
        "{s:?}"
    );
    v.turn_about(at, f64::NAN);
    v.tilt_about(at, f64::INFINITY);
    assert!(
        v.heading.is_finite() && v.tilt == 0.0,
        "junk angles are ignored"
    );
    // Three quarter turns the long way round wrap to a quarter turn back.
    v.turn_about(at, 3.0 * std::f64::consts::FRAC_PI_2);
    assert!(v.heading.abs() <= std::f64::consts::PI);
}
