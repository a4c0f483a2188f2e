//! Touch and mouse gestures as plain data: taps, double-taps, one-finger pans and
//! two-finger pinches. Many fingers at once (two visitors, a child's whole hand) never
//! confuse it: the two earliest fingers drive a pinch, the rest are ignored until lifted.

/// Finger travel (logical px) under which a touch still counts as a tap.
pub const TAP_SLOP: f64 = 14.0;
/// Longest press that still counts as a tap, seconds.
pub const TAP_MAX_SECONDS: f64 = 0.6;
/// Longest gap between two taps of a double-tap, seconds, and their greatest distance.
pub const DOUBLE_TAP_SECONDS: f64 = 0.35;
pub const DOUBLE_TAP_DISTANCE: f64 = 40.0;

/// What the map should do.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Gesture {
    Tap([f64; 2]),
    DoubleTap([f64; 2]),
    /// The map follows a finger by this many pixels.
    Pan([f64; 2]),
    /// Zoom by `factor` about `center` (screen px) and move with the fingers' midpoint.
    Pinch {
        center: [f64; 2],
        factor: f64,
        pan: [f64; 2],
    },
}

#[derive(Debug, Clone, Copy)]
struct Finger {
    id: u64,
    start: [f64; 2],
    last: [f64; 2],
    start_time: f64,
    dragging: bool,
    /// Took part in a pinch: never ends as a tap.
    multi: bool,
}

/// Turns pointer events into gestures.
#[derive(Debug, Clone, Default)]
pub struct Recognizer {
    fingers: Vec<Finger>,
    last_tap: Option<([f64; 2], f64)>,
}

fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

fn finite(p: [f64; 2]) -> bool {
    p[0].is_finite() && p[1].is_finite()
}

impl Recognizer {
    /// Number of fingers down.
    pub fn active(&self) -> usize {
        self.fingers.len()
    }

    /// A finger (or the mouse button) went down.
    pub fn press(&mut self, id: u64, pos: [f64; 2], time: f64) {
        if !finite(pos) {
            return;
        }
        self.fingers.retain(|f| f.id != id);
        let multi = !self.fingers.is_empty();
        if multi {
            for f in &mut self.fingers {
                f.multi = true;
            }
        }
        self.fingers.push(Finger {
            id,
            start: pos,
            last: pos,
            start_time: time,
            dragging: false,
            multi,
        });
    }

    /// A finger moved; returns the pan or pinch it causes.
    pub fn motion(&mut self, id: u64, pos: [f64; 2]) -> Option<Gesture> {
        if !finite(pos) {
            return None;
        }
        let idx = self.fingers.iter().position(|f| f.id == id)?;
        if idx >= 2 {
            // A third finger: ignored, but tracked so lifting it is clean.
            self.fingers[idx].last = pos;
            return None;
        }
        if self.fingers.len() >= 2 {
            let other = self.fingers[1 - idx].last;
            let prev = self.fingers[idx].last;
            self.fingers[idx].last = pos;
            self.fingers[idx].dragging = true;
            let (d0, d1) = (dist(prev, other), dist(pos, other));
            let mid0 = [(prev[0] + other[0]) * 0.5, (prev[1] + other[1]) * 0.5];
            let mid1 = [(pos[0] + other[0]) * 0.5, (pos[1] + other[1]) * 0.5];
            let factor = if d0 > 1.0 && d1 > 1.0 { d1 / d0 } else { 1.0 };
            return Some(Gesture::Pinch {
                center: mid1,
                factor,
                pan: [mid1[0] - mid0[0], mid1[1] - mid0[1]],
            });
        }
        let f = &mut self.fingers[idx];
        if !f.dragging && dist(pos, f.start) > TAP_SLOP {
            f.dragging = true;
        }
        let delta = [pos[0] - f.last[0], pos[1] - f.last[1]];
        if f.dragging {
            // The first drag step includes the slop travelled, so the map catches up.
            let from = f.last;
            f.last = pos;
            if f.multi {
                return None;
            }
            return Some(Gesture::Pan([pos[0] - from[0], pos[1] - from[1]]));
        }
        let _ = delta;
        None
    }

    /// A finger lifted; returns a tap or double-tap if it was one.
    pub fn release(&mut self, id: u64, pos: [f64; 2], time: f64) -> Option<Gesture> {
        let idx = self.fingers.iter().position(|f| f.id == id)?;
        let f = self.fingers.remove(idx);
        let pos = if finite(pos) { pos } else { f.last };
        let is_tap = !f.dragging
            && !f.multi
            && dist(pos, f.start) <= TAP_SLOP
            && time - f.start_time <= TAP_MAX_SECONDS;
        if !is_tap {
            return None;
        }
        if let Some((p, t)) = self.last_tap
            && time - t <= DOUBLE_TAP_SECONDS
            && dist(p, pos) <= DOUBLE_TAP_DISTANCE
        {
            self.last_tap = None;
            return Some(Gesture::DoubleTap(pos));
        }
        self.last_tap = Some((pos, time));
        Some(Gesture::Tap(pos))
    }

    /// A finger was cancelled by the system: forget it without a tap.
    pub fn cancel(&mut self, id: u64) {
        self.fingers.retain(|f| f.id != id);
    }

    /// Forgets every finger (e.g. when the window loses focus).
    pub fn reset(&mut self) {
        self.fingers.clear();
        self.last_tap = None;
    }
}

#[cfg(test)]
mod tests {
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
            }) => {
                assert_eq!(center, [200.0, 100.0]);
                assert!((factor - 2.0).abs() < 1e-12);
                assert_eq!(pan, [50.0, 0.0]);
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
}
