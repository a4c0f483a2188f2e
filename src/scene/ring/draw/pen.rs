//! The pen the ring is drawn with: colored quads, lines and arcs into the frame's mesh,
//! texts at the ring's font sizes, and the points that pulse and the rows that can be
//! tapped.

use super::{Align, Frame, Hotspot, TextItem, snap_font_size, to_world};
use crate::palette::{self, Srgba};

/// Draws into one frame, in canvas px (x right, y down).
pub(super) struct Pen<'a> {
    frame: &'a mut Frame,
}

impl<'a> Pen<'a> {
    pub(super) fn new(frame: &'a mut Frame) -> Self {
        Self { frame }
    }

    fn vertex(&mut self, p: [f64; 2], c: [f32; 4]) -> u32 {
        let mesh = &mut self.frame.mesh;
        let w = to_world(p);
        mesh.positions.push([w[0], w[1], 0.0]);
        mesh.colors.push(c);
        (mesh.positions.len() - 1) as u32
    }

    /// A quadrilateral, corners clockwise on the canvas, each with its color.
    pub(super) fn quad(&mut self, p: [[f64; 2]; 4], c: [Srgba; 4]) {
        let i: Vec<u32> = p
            .iter()
            .zip(c)
            .map(|(p, c)| self.vertex(*p, c.linear()))
            .collect();
        // Counter-clockwise in world space (y up) for canvas points given clockwise (y down).
        self.frame
            .mesh
            .indices
            .extend_from_slice(&[i[0], i[2], i[1], i[0], i[3], i[2]]);
    }

    /// A rectangle [x0, y0, x1, y1] in one color.
    pub(super) fn rect(&mut self, r: [f64; 4], c: Srgba) {
        self.quad(
            [[r[0], r[1]], [r[2], r[1]], [r[2], r[3]], [r[0], r[3]]],
            [c; 4],
        );
    }

    /// A rectangle [x0, y0, x1, y1] shading from `top` to `bottom`.
    pub(super) fn rect_v(&mut self, r: [f64; 4], top: Srgba, bottom: Srgba) {
        self.quad(
            [[r[0], r[1]], [r[2], r[1]], [r[2], r[3]], [r[0], r[3]]],
            [top, top, bottom, bottom],
        );
    }

    /// A line through `pts`, `width` px wide.
    pub(super) fn polyline(&mut self, pts: &[[f64; 2]], width: f64, c: Srgba) {
        for w in pts.windows(2) {
            let (a, b) = (w[0], w[1]);
            let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
            let len = dx.hypot(dy).max(1e-9);
            let (nx, ny) = (-dy / len * width * 0.5, dx / len * width * 0.5);
            self.quad(
                [
                    [a[0] + nx, a[1] + ny],
                    [b[0] + nx, b[1] + ny],
                    [b[0] - nx, b[1] - ny],
                    [a[0] - nx, a[1] - ny],
                ],
                [c; 4],
            );
        }
    }

    /// A ring segment between radii `r_in` and `r_out` (px); angles in radians,
    /// counter-clockwise as seen on screen.
    pub(super) fn arc(
        &mut self,
        center: [f64; 2],
        r_in: f64,
        r_out: f64,
        a0: f64,
        a1: f64,
        c: Srgba,
    ) {
        let steps = (((a1 - a0).abs() / std::f64::consts::TAU) * 96.0)
            .ceil()
            .max(1.0) as usize;
        let at = |r: f64, a: f64| [center[0] + r * a.cos(), center[1] - r * a.sin()];
        for k in 0..steps {
            let t0 = a0 + (a1 - a0) * k as f64 / steps as f64;
            let t1 = a0 + (a1 - a0) * (k + 1) as f64 / steps as f64;
            self.quad(
                [at(r_out, t0), at(r_out, t1), at(r_in, t1), at(r_in, t0)],
                [c; 4],
            );
        }
    }

    /// A text at `pos` (see [`TextItem`]), its size snapped to the ring's font sizes.
    /// The first and last dates (YYYY-MM-DD, shown as MM-DD) under a chart, muted: one
    /// left-aligned at `left`, one right-aligned at `right`, on the line `y` (canvas px).
    pub(super) fn date_range(
        &mut self,
        [left, right, y]: [f64; 3],
        first: &str,
        last: &str,
        size: f32,
    ) {
        let left_text = first.get(5..).unwrap_or(first);
        let right_text = last.get(5..).unwrap_or(last);
        self.text([left, y], left_text, size, palette::TEXT_MUTED, Align::Left);
        self.text(
            [right, y],
            right_text,
            size,
            palette::TEXT_MUTED,
            Align::Right,
        );
    }

    pub(super) fn text(
        &mut self,
        pos: [f64; 2],
        s: impl Into<String>,
        size: f32,
        color: Srgba,
        align: Align,
    ) {
        self.frame.texts.push(TextItem {
            pos,
            text: s.into(),
            size: snap_font_size(size),
            color,
            align,
        });
    }

    /// A point that pulses gently, in `color`.
    pub(super) fn pulse(&mut self, p: [f64; 2], color: Srgba) {
        self.frame.pulses.push((p, color));
    }

    /// A rectangle [x0, y0, x1, y1] that selects `region` when tapped.
    pub(super) fn hotspot(&mut self, rect: [f64; 4], region: usize) {
        self.frame.hotspots.push(Hotspot { rect, region });
    }
}
