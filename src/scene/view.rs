//! The map's view: which part of the plane the window shows, fitting a region into it, and
//! the eased transition between two views.

use crate::geo::{P2, Rect};

/// Centre (local metres) and scale (metres per logical pixel) of the map view, with the
/// viewport's size in logical pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    pub center: P2,
    pub scale: f64,
    pub viewport: [f64; 2],
}

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
        }
    }

    /// Screen position (logical px, origin top-left, y down) → plane (metres, y up).
    pub fn to_world(&self, screen: [f64; 2]) -> P2 {
        [
            self.center[0] + (screen[0] - self.viewport[0] * 0.5) * self.scale,
            self.center[1] - (screen[1] - self.viewport[1] * 0.5) * self.scale,
        ]
    }

    /// Plane → screen.
    pub fn to_screen(&self, world: P2) -> [f64; 2] {
        [
            (world[0] - self.center[0]) / self.scale + self.viewport[0] * 0.5,
            (self.center[1] - world[1]) / self.scale + self.viewport[1] * 0.5,
        ]
    }

    /// Moves the view so the map follows a finger that moved by `delta` screen pixels.
    pub fn pan(&mut self, delta: [f64; 2]) {
        self.center[0] -= delta[0] * self.scale;
        self.center[1] += delta[1] * self.scale;
    }

    /// Zooms by `factor` (>1 zooms in) keeping the plane point under `screen` fixed.
    pub fn zoom_about(&mut self, screen: [f64; 2], factor: f64, min_scale: f64, max_scale: f64) {
        if !factor.is_finite() || factor <= 0.0 {
            return;
        }
        let anchor = self.to_world(screen);
        self.scale = (self.scale / factor).clamp(min_scale, max_scale);
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
        }
    }

    /// The plane rectangle the viewport shows.
    pub fn visible(&self) -> Rect {
        let a = self.to_world([0.0, 0.0]);
        let b = self.to_world(self.viewport);
        let mut r = Rect::EMPTY;
        r.include(a);
        r.include(b);
        r
    }
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
        (View::lerp(&self.from, &self.to, ease_out(t)), t >= 1.0)
    }
}

#[cfg(test)]
mod tests {
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
            center: [0.0, 0.0],
            scale: 10.0,
            viewport: [800.0, 600.0],
        };
        let b = View {
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
}
