//! The map's view: which part of the plane the window shows, fitting a region into it, and
//! the eased transition between two views.
//!
//! The view may be tilted and turned (the 3D map, issue 17): an orthographic camera looking
//! down at `tilt` from the vertical, the map turned clockwise by `heading`. A ground point's
//! screen position is then, with `d` its offset from the centre turned by −`heading` (in
//! the plane's y-up sense) into (`u` across the screen, `v` up it): `x = u / scale + w/2`,
//! `y = h/2 − (v·cos tilt + z·sin tilt) / scale` for a point `z` metres high. At
//! `tilt = heading = 0` every figure is exactly the flat map's.

use crate::geo::{P2, Rect};

/// Centre (local metres) and scale (metres per logical pixel) of the map view, with the
/// viewport's size in logical pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    pub center: P2,
    pub scale: f64,
    pub viewport: [f64; 2],
    /// Radians from looking straight down (0, the flat map) towards the horizon; at most
    /// [`MAX_TILT`].
    pub tilt: f64,
    /// Radians the map is turned **clockwise** on screen (0: north up; at π/2 north points
    /// to the right and the top of the screen faces west). The camera turns the other way
    /// (`app::map::render`).
    pub heading: f64,
}

/// The steepest tilt, radians (60°, as the issue asks: buildings still read as a map).
pub const MAX_TILT: f64 = std::f64::consts::FRAC_PI_3;

/// Free space around a fitted region, in logical pixels: (left, right, top, bottom), so that
/// the top bar and the card never cover the region.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Insets {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

impl View {
    /// The view that shows `bounds` whole inside the viewport less `insets`.
    pub fn fit(bounds: &Rect, viewport: [f64; 2], insets: Insets) -> View {
        let avail_w = (viewport[0] - insets.left - insets.right).max(50.0);
        let avail_h = (viewport[1] - insets.top - insets.bottom).max(50.0);
        let w = bounds.width().max(1.0);
        let h = bounds.height().max(1.0);
        let scale = (w / avail_w).max(h / avail_h) * 1.04;
        let c = bounds.center();
        // Shift so the region sits in the middle of the free area, not of the window.
        let dx = (insets.right - insets.left) * 0.5 * scale;
        let dy = (insets.top - insets.bottom) * 0.5 * scale;
        View {
            center: [c[0] + dx, c[1] + dy],
            scale,
            viewport,
            tilt: 0.0,
            heading: 0.0,
        }
    }

    /// The view that shows `bounds` whole — and what stands on it up to `top` metres —
    /// seen at `tilt` and `heading`, inside the viewport less `insets`. At tilt 0 and heading
    /// 0 it is [`View::fit`].
    pub fn fit_posed(
        bounds: &Rect,
        viewport: [f64; 2],
        insets: Insets,
        tilt: f64,
        heading: f64,
        top: f64,
    ) -> View {
        let flat = View::fit(bounds, viewport, insets);
        if tilt == 0.0 && heading == 0.0 {
            return flat;
        }
        let posed = flat.posed(tilt, heading);
        let (tilt, heading) = (posed.tilt, posed.heading);
        let top = if top.is_finite() { top.max(0.0) } else { 0.0 };
        let avail_w = (viewport[0] - insets.left - insets.right).max(50.0);
        let avail_h = (viewport[1] - insets.top - insets.bottom).max(50.0);
        // The bounds' corners, on the ground and `top` up, in the view's frame (metres):
        // across the screen, and up it.
        let (sin, cos) = heading.sin_cos();
        let c = bounds.center();
        let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
        for x in [bounds.min[0], bounds.max[0]] {
            for y in [bounds.min[1], bounds.max[1]] {
                let (dx, dy) = (x - c[0], y - c[1]);
                let u = dx * cos + dy * sin;
                let v = -dx * sin + dy * cos;
                for z in [0.0, top] {
                    let up = v * tilt.cos() + z * tilt.sin();
                    lo = [lo[0].min(u), lo[1].min(up)];
                    hi = [hi[0].max(u), hi[1].max(up)];
                }
            }
        }
        let scale =
            ((hi[0] - lo[0]).max(1.0) / avail_w).max((hi[1] - lo[1]).max(1.0) / avail_h) * 1.04;
        // Where the box's middle must land, from the screen's middle (metres, across and up).
        let want_u = (insets.left - insets.right) * 0.5 * scale;
        let want_up = (insets.bottom - insets.top) * 0.5 * scale;
        let du = (lo[0] + hi[0]) * 0.5 - want_u;
        let dv = ((lo[1] + hi[1]) * 0.5 - want_up) / tilt.cos();
        View {
            center: [c[0] + du * cos - dv * sin, c[1] + du * sin + dv * cos],
            scale,
            viewport,
            tilt,
            heading,
        }
    }

    /// The same view tilted and turned (tilt clamped to 0…[`MAX_TILT`]).
    pub fn posed(self, tilt: f64, heading: f64) -> View {
        View {
            tilt: if tilt.is_finite() {
                tilt.clamp(0.0, MAX_TILT)
            } else {
                0.0
            },
            heading: if heading.is_finite() { heading } else { 0.0 },
            ..self
        }
    }

    /// A screen offset from the viewport's centre (logical px) as (`u`, `v`) on the ground in
    /// the view's frame, metres.
    fn ground_uv(&self, screen: [f64; 2]) -> [f64; 2] {
        [
            (screen[0] - self.viewport[0] * 0.5) * self.scale,
            (self.viewport[1] * 0.5 - screen[1]) * self.scale / self.tilt.cos(),
        ]
    }

    /// Screen position (logical px, origin top-left, y down) → the ground under it
    /// (metres, y up).
    pub fn to_world(&self, screen: [f64; 2]) -> P2 {
        let [u, v] = self.ground_uv(screen);
        let (sin, cos) = self.heading.sin_cos();
        [
            self.center[0] + (u * cos - v * sin),
            self.center[1] + (u * sin + v * cos),
        ]
    }

    /// Ground → screen.
    pub fn to_screen(&self, world: P2) -> [f64; 2] {
        self.to_screen3(world, 0.0)
    }

    /// A point `z` metres above the ground → screen.
    pub fn to_screen3(&self, world: P2, z: f64) -> [f64; 2] {
        let (dx, dy) = (world[0] - self.center[0], world[1] - self.center[1]);
        let (sin, cos) = self.heading.sin_cos();
        let u = dx * cos + dy * sin;
        let v = -dx * sin + dy * cos;
        let up = v * self.tilt.cos() + z * self.tilt.sin();
        [
            u / self.scale + self.viewport[0] * 0.5,
            self.viewport[1] * 0.5 - up / self.scale,
        ]
    }

    /// Where along the ground the line of sight through one screen position runs, per metre
    /// of height: the point `z` metres up that the screen shows where it shows the ground
    /// point `g` stands over `g + z · shift` (metres). Zero when looking straight down.
    /// Picking walks this line (`scene::pick`).
    pub fn height_shift(&self) -> P2 {
        let t = self.tilt.tan();
        let (sin, cos) = self.heading.sin_cos();
        [t * sin, -t * cos]
    }

    /// Moves the view so the map follows a finger that moved by `delta` screen pixels.
    pub fn pan(&mut self, delta: [f64; 2]) {
        // The ground under the finger moved by (du, dv) in the view's frame.
        let du = delta[0] * self.scale;
        let dv = -delta[1] * self.scale / self.tilt.cos();
        let (sin, cos) = self.heading.sin_cos();
        self.center[0] -= du * cos - dv * sin;
        self.center[1] -= du * sin + dv * cos;
    }

    /// Zooms by `factor` (>1 zooms in) keeping the plane point under `screen` fixed.
    pub fn zoom_about(&mut self, screen: [f64; 2], factor: f64, min_scale: f64, max_scale: f64) {
        if !factor.is_finite() || factor <= 0.0 {
            return;
        }
        let anchor = self.to_world(screen);
        self.scale = (self.scale / factor).clamp(min_scale, max_scale);
        self.keep(anchor, screen);
    }

    /// Turns the map by `angle` radians clockwise on screen (as [`View::heading`] counts),
    /// keeping the ground under `screen` (logical px) where it is: a twist about the
    /// fingers' midpoint.
    pub fn turn_about(&mut self, screen: [f64; 2], angle: f64) {
        if !angle.is_finite() {
            return;
        }
        let anchor = self.to_world(screen);
        self.heading = wrap_angle(self.heading + angle);
        self.keep(anchor, screen);
    }

    /// Tilts the view by `by` radians (towards the horizon when positive), clamped to
    /// 0…[`MAX_TILT`], keeping the ground under `screen` (logical px) where it is.
    pub fn tilt_about(&mut self, screen: [f64; 2], by: f64) {
        if !by.is_finite() {
            return;
        }
        let anchor = self.to_world(screen);
        self.tilt = (self.tilt + by).clamp(0.0, MAX_TILT);
        self.keep(anchor, screen);
    }

    /// Moves the centre so the ground point `anchor` is seen at `screen` again.
    fn keep(&mut self, anchor: P2, screen: [f64; 2]) {
        let moved = self.to_world(screen);
        self.center[0] += anchor[0] - moved[0];
        self.center[1] += anchor[1] - moved[1];
    }

    /// Interpolates between two views; the scale moves geometrically so zooming feels even.
    pub fn lerp(a: &View, b: &View, t: f64) -> View {
        let t = t.clamp(0.0, 1.0);
        View {
            center: [
                a.center[0] + (b.center[0] - a.center[0]) * t,
                a.center[1] + (b.center[1] - a.center[1]) * t,
            ],
            scale: a.scale * (b.scale / a.scale).powf(t),
            viewport: b.viewport,
            tilt: a.tilt + (b.tilt - a.tilt) * t,
            // The shorter way round.
            heading: a.heading + wrap_angle(b.heading - a.heading) * t,
        }
    }

    /// The ground rectangle the viewport shows (the bounds of its four corners' ground).
    pub fn visible(&self) -> Rect {
        let [w, h] = self.viewport;
        let mut r = Rect::EMPTY;
        for corner in [[0.0, 0.0], [w, 0.0], [0.0, h], [w, h]] {
            r.include(self.to_world(corner));
        }
        r
    }
}

/// An angle brought into (−π, π].
pub fn wrap_angle(a: f64) -> f64 {
    use std::f64::consts::{PI, TAU};
    let r = a.rem_euclid(TAU);
    if r > PI { r - TAU } else { r }
}

/// Cubic ease-out: fast start, gentle landing.
pub fn ease_out(t: f64) -> f64 {
    let t = t.clamp(0.0, 1.0);
    1.0 - (1.0 - t).powi(3)
}

/// A running transition between two views.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transition {
    pub from: View,
    pub to: View,
    pub elapsed: f64,
    pub duration: f64,
}

impl Transition {
    /// Advances by `dt` seconds; returns the current view and whether it has finished.
    pub fn step(&mut self, dt: f64) -> (View, bool) {
        self.elapsed += dt.max(0.0);
        let t = if self.duration <= 0.0 {
            1.0
        } else {
            self.elapsed / self.duration
        };
        if t >= 1.0 {
            // Exactly where it was going (no rounding left in the heading or the scale).
            return (self.to, true);
        }
        (View::lerp(&self.from, &self.to, ease_out(t)), false)
    }
}

#[cfg(test)]
#[path = "view_tests.rs"]
mod tests;
