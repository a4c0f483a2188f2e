//! Touch and mouse gestures as plain data: taps, double-taps, one-finger pans and
//! two-finger pinches; on the 3D map ([`Recognizer::set_3d`]) a pinch also twists (turns the
//! map) and two fingers side by side moving up or down together tilt it, as in the common
//! map apps. Many fingers at once (two visitors, a child's whole hand) never confuse it: the
//! two earliest fingers drive a pinch, the rest are ignored until lifted.

/// Finger travel (logical px) under which a touch still counts as a tap.
pub const TAP_SLOP: f64 = 14.0;
/// Longest press that still counts as a tap, seconds.
pub const TAP_MAX_SECONDS: f64 = 0.6;
/// Longest gap between two taps of a double-tap, seconds, and their greatest distance.
pub const DOUBLE_TAP_SECONDS: f64 = 0.35;
pub const DOUBLE_TAP_DISTANCE: f64 = 40.0;
/// How far two fingers side by side must move up or down together (their midpoint, logical
/// px) before the 3D map tilts rather than pinches.
pub const TILT_SLOP: f64 = 18.0;
/// How much two fingers must spread or close (ratio of their distances, as its natural log:
/// 12%) or turn ([`TWIST_SLOP`]) before a two-finger gesture on the 3D map is a pinch.
pub const SPREAD_SLOP: f64 = 0.12;
/// How far (radians, 10°) two fingers must turn before the map turns with them: below it a
/// pinch only zooms (a visitor zooming never turns the map by accident); beyond it the map
/// turns by the fingers' turn less this.
pub const TWIST_SLOP: f64 = 10.0 * std::f64::consts::PI / 180.0;

/// What the map should do.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Gesture {
    Tap([f64; 2]),
    DoubleTap([f64; 2]),
    /// The map follows a finger by this many pixels.
    Pan([f64; 2]),
    /// Zoom by `factor` about `center` (screen px), move with the fingers' midpoint, and
    /// turn by `rotation` radians **clockwise** on screen about `center`, as the map's
    /// heading counts (`scene::view::View::heading`; always 0 on the flat map). Fingers
    /// twisting counter-clockwise give a negative rotation: the map turns with them.
    Pinch {
        center: [f64; 2],
        factor: f64,
        pan: [f64; 2],
        rotation: f64,
    },
    /// The 3D map tilts: two fingers side by side moved up the screen by `up` logical px
    /// together (negative: down), about `center` (their midpoint, screen px).
    Tilt {
        center: [f64; 2],
        up: f64,
    },
}

/// What two fingers on the 3D map turned out to be doing.
#[derive(Debug, Clone, Copy, PartialEq)]
enum PairMode {
    /// Not yet moved far enough to tell.
    Undecided,
    Pinch,
    Tilt,
}

/// The two earliest fingers, from when the second went down.
#[derive(Debug, Clone, Copy)]
struct Pair {
    ids: [u64; 2],
    start: [[f64; 2]; 2],
    mode: PairMode,
    /// Whether the map was in 3D when the pair began: a pair keeps what it started as.
    three_d: bool,
    /// How far the line between the fingers has turned since the pair began, radians
    /// counter-clockwise on screen, summed step by step (so it never jumps at ±180°).
    twist: f64,
    /// The twist already handed out, radians counter-clockwise (`twist_taken` of an earlier
    /// `twist`; the rotation handed out is its negative, clockwise).
    turned: f64,
}

/// Fingers closer than this (logical px) do not turn the map: the line between them is too
/// short for its angle to mean anything (a fingertip's wobble would spin the city).
pub const MIN_TWIST_SPAN: f64 = 40.0;

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
    /// The map is in 3D: two fingers may twist and tilt it.
    three_d: bool,
    pair: Option<Pair>,
}

fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

fn finite(p: [f64; 2]) -> bool {
    p[0].is_finite() && p[1].is_finite()
}

fn mid(a: [f64; 2], b: [f64; 2]) -> [f64; 2] {
    [(a[0] + b[0]) * 0.5, (a[1] + b[1]) * 0.5]
}

/// The angle from `a` to `b` counter-clockwise as seen on screen (y grows down), radians.
fn screen_angle(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[1] - b[1]).atan2(b[0] - a[0])
}

/// An angle brought into (−π, π].
fn wrap(a: f64) -> f64 {
    use std::f64::consts::{PI, TAU};
    let r = a.rem_euclid(TAU);
    if r > PI { r - TAU } else { r }
}

/// How much of a twist of `total` radians the map takes: nothing within [`TWIST_SLOP`],
/// then the rest, so the map starts turning smoothly.
fn twist_taken(total: f64) -> f64 {
    total.signum() * (total.abs() - TWIST_SLOP).max(0.0)
}

impl Recognizer {
    /// Number of fingers down.
    pub fn active(&self) -> usize {
        self.fingers.len()
    }

    /// Whether two fingers may twist and tilt the map (it is in 3D). Takes effect from the
    /// next pair of fingers.
    pub fn set_3d(&mut self, on: bool) {
        self.three_d = on;
    }

    /// Starts a new pair when the two earliest fingers changed.
    fn track_pair(&mut self) {
        let (Some(a), Some(b)) = (self.fingers.first(), self.fingers.get(1)) else {
            self.pair = None;
            return;
        };
        if self.pair.is_some_and(|p| p.ids == [a.id, b.id]) {
            return;
        }
        self.pair = Some(Pair {
            ids: [a.id, b.id],
            start: [a.last, b.last],
            mode: if self.three_d {
                PairMode::Undecided
            } else {
                PairMode::Pinch
            },
            three_d: self.three_d,
            twist: 0.0,
            turned: 0.0,
        });
    }

    /// What two fingers do after one of them moved from `prev` (`idx` 0 or 1 of the pair).
    fn pair_motion(&mut self, idx: usize, prev: [f64; 2]) -> Option<Gesture> {
        let (a, b) = (self.fingers[0].last, self.fingers[1].last);
        let mut pair = self.pair?;
        let [a0, b0] = pair.start;
        let now_mid = mid(a, b);
        // The two fingers before this motion.
        let (pa, pb) = if idx == 0 { (prev, b) } else { (a, prev) };
        if pair.three_d && dist(pa, pb) >= MIN_TWIST_SPAN && dist(a, b) >= MIN_TWIST_SPAN {
            pair.twist += wrap(screen_angle(a, b) - screen_angle(pa, pb));
        }
        let twist = pair.twist;
        if pair.mode == PairMode::Undecided {
            let (d0, d1) = (dist(a0, b0), dist(a, b));
            let spread = if d0 > 1.0 && d1 > 1.0 {
                (d1 / d0).ln()
            } else {
                0.0
            };
            let m = [now_mid[0] - mid(a0, b0)[0], now_mid[1] - mid(a0, b0)[1]];
            let (da, db) = (a[1] - a0[1], b[1] - b0[1]);
            let side_by_side = (b0[0] - a0[0]).abs() >= (b0[1] - a0[1]).abs();
            let vertical = m[1].abs() > 2.0 * m[0].abs() && da * db > 0.0;
            if spread.abs() > SPREAD_SLOP || twist.abs() > TWIST_SLOP {
                pair.mode = PairMode::Pinch;
            } else if m[0].hypot(m[1]) >= TILT_SLOP {
                pair.mode = if side_by_side && vertical {
                    PairMode::Tilt
                } else {
                    PairMode::Pinch
                };
            } else {
                self.pair = Some(pair);
                return None;
            }
            self.pair = Some(pair);
            // The first step catches up with everything since the second finger went down.
            return Some(match pair.mode {
                PairMode::Tilt => Gesture::Tilt {
                    center: now_mid,
                    up: -m[1],
                },
                _ => {
                    let turned = twist_taken(twist);
                    self.pair = Some(Pair { turned, ..pair });
                    Gesture::Pinch {
                        center: now_mid,
                        factor: if d0 > 1.0 && d1 > 1.0 { d1 / d0 } else { 1.0 },
                        pan: m,
                        rotation: -turned,
                    }
                }
            });
        }
        self.pair = Some(pair);
        let before = mid(pa, pb);
        if pair.mode == PairMode::Tilt {
            return Some(Gesture::Tilt {
                center: now_mid,
                up: before[1] - now_mid[1],
            });
        }
        let (d0, d1) = (dist(pa, pb), dist(a, b));
        let factor = if d0 > 1.0 && d1 > 1.0 { d1 / d0 } else { 1.0 };
        let rotation = if pair.three_d {
            let taken = twist_taken(twist);
            let r = taken - pair.turned;
            pair.turned = taken;
            self.pair = Some(pair);
            // Counter-clockwise fingers, clockwise heading: the map turns with the fingers.
            -r
        } else {
            0.0
        };
        Some(Gesture::Pinch {
            center: now_mid,
            factor,
            pan: [now_mid[0] - before[0], now_mid[1] - before[1]],
            rotation,
        })
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
        self.track_pair();
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
            let prev = self.fingers[idx].last;
            self.fingers[idx].last = pos;
            self.fingers[idx].dragging = true;
            return self.pair_motion(idx, prev);
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
        self.track_pair();
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
        self.track_pair();
    }

    /// Forgets every finger (e.g. when the window loses focus).
    pub fn reset(&mut self) {
        self.fingers.clear();
        self.last_tap = None;
        self.pair = None;
    }
}

#[cfg(test)]
#[path = "gesture_tests.rs"]
mod tests;
