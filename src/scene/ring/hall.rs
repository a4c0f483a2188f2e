//! The hall view's lens: the ring's wall, a cylinder around the visitor, as seen from the
//! hall's centre in a window — where each column of the canvas lands, how tall it looks,
//! and which canvas point a tap on the window hits.

use super::draw::CANVAS;

/// Horizontal field of view of the hall view, degrees.
pub const HALL_FOV_DEG: f64 = 80.0;

/// How the hall view projects the ring's wall onto the window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HallLens {
    /// Focal length, window px.
    pub f: f64,
    /// Half the horizontal field of view, radians.
    pub half_fov: f64,
    /// The wall's top and bottom relative to the eye, in radii.
    pub top: f64,
    pub bottom: f64,
}

impl HallLens {
    /// The lens for a ring spanning `span` degrees seen in a window of `size` (px).
    pub fn new(span: f64, size: [f32; 2]) -> Self {
        let half_fov = (HALL_FOV_DEG * 0.5).to_radians();
        // The wall's height is fixed by the canvas: 301° of circumference over 7680 px is
        // 0.74 radius for 1080 px.
        let height = span.to_radians() * CANVAS[1] / CANVAS[0];
        // Wide enough for the field of view, small enough that the wall's middle fits the
        // window's height; the wall is centred vertically.
        let f = (size[0] as f64 * 0.5 / half_fov.tan()).min(size[1] as f64 * 0.8 / height);
        Self {
            f,
            half_fov: (size[0] as f64 * 0.5 / f).atan(),
            top: height * 0.5,
            bottom: -height * 0.5,
        }
    }

    /// The canvas point (px) seen at a window position (px, origin top-left), if the wall
    /// is there; the view looks at `yaw` degrees from the left end of a ring spanning
    /// `span` degrees, in a window of `size` (px).
    pub fn canvas_at(
        &self,
        yaw: f64,
        span: f64,
        size: [f32; 2],
        screen: [f64; 2],
    ) -> Option<[f64; 2]> {
        let wx = screen[0] - size[0] as f64 * 0.5;
        let wy = size[1] as f64 * 0.5 - screen[1];
        let phi = (wx / self.f).atan();
        let u = (yaw + phi.to_degrees()) / span;
        let h = wy * phi.cos() / self.f;
        let v = (self.top - h) / (self.top - self.bottom);
        ((0.0..=1.0).contains(&u) && (0.0..=1.0).contains(&v))
            .then(|| [u * CANVAS[0], v * CANVAS[1]])
    }
}

/// Largest side of the texture the hall view's part of the canvas is drawn into, px.
pub const HALL_TEXTURE_MAX: f64 = 4096.0;

/// The part of the ring's canvas the hall view shows, and how finely it is drawn: the view
/// magnifies the wall (at 1920 px for 80°, a degree is ~20 px in the middle and ~34 at the
/// edges, where the whole canvas drawn into 2560 px gives 8.5), so it gets a texture of
/// its own, covering only what it shows, at the pixels it needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HallWindow {
    /// The canvas's horizontal range shown, as fractions of its width (0 = left end).
    pub u0: f64,
    pub u1: f64,
    /// Texture px per canvas px.
    pub scale: f64,
}

impl HallWindow {
    /// The view of a ring spanning `span` degrees, looking at `yaw` degrees from its left
    /// end, in a window of `size` px: the field of view and a degree's margin on each side,
    /// drawn at 1.25× the density of the view's middle (between the middle and the edges'
    /// magnification), at most [`HALL_TEXTURE_MAX`] px a side.
    pub fn new(yaw: f64, span: f64, size: [f32; 2]) -> Self {
        let lens = HallLens::new(span, size);
        let half = lens.half_fov.to_degrees() + 1.0;
        let span = span.max(1e-6);
        let u0 = ((yaw - half) / span).clamp(0.0, 1.0);
        let u1 = ((yaw + half) / span).clamp(0.0, 1.0);
        // Window px per degree in the middle, over canvas px per degree.
        let middle = lens.f * std::f64::consts::PI / 180.0 / (CANVAS[0] / span);
        let shown = 2.0 * half / span * CANVAS[0];
        let scale = (middle * 1.25)
            .min(HALL_TEXTURE_MAX / shown.max(1.0))
            .min(HALL_TEXTURE_MAX / CANVAS[1]);
        Self { u0, u1, scale }
    }

    /// The texture's size, px (at least 1 × 1).
    pub fn texture_size(&self) -> (u32, u32) {
        let w = ((self.u1 - self.u0) * CANVAS[0] * self.scale)
            .ceil()
            .max(1.0);
        let h = (CANVAS[1] * self.scale).ceil().max(1.0);
        (w as u32, h as u32)
    }

    /// The canvas rectangle shown, canvas px: its centre's x relative to the canvas's
    /// centre, and its width.
    pub fn canvas_span(&self) -> (f64, f64) {
        let width = ((self.u1 - self.u0) * CANVAS[0]).max(1.0);
        (((self.u0 + self.u1) * 0.5 - 0.5) * CANVAS[0], width)
    }

    /// A position along the whole canvas (0..=1) as a coordinate in this window's texture.
    pub fn texture_u(&self, u: f64) -> f64 {
        let w = self.u1 - self.u0;
        if w <= 0.0 { 0.0 } else { (u - self.u0) / w }
    }
}

/// The hall view's mesh: the wall as a strip of quads, two vertices per column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HallGeometry {
    /// Window px, origin at the window's centre, y up; top and bottom of each column.
    pub positions: Vec<[f32; 3]>,
    /// Texture coordinates in the hall's texture ([`HallWindow`]), 0..=1 (v = 0 at the top).
    pub uvs: Vec<[f32; 2]>,
    /// Triangles, three indices into `positions` each.
    pub indices: Vec<u32>,
}

/// The wall seen from the centre looking at `yaw` degrees from the left end of a ring
/// spanning `span` degrees, in a window of `size` (px): a column at angle φ off the view
/// axis lands at x = f·tan φ and is 1/cos φ taller, as a cylinder's wall does. Columns
/// beyond the ring's ends are left out.
pub fn hall_geometry(yaw: f64, span: f64, size: [f32; 2]) -> HallGeometry {
    let HallLens {
        f,
        half_fov,
        top,
        bottom,
    } = HallLens::new(span, size);
    let window = HallWindow::new(yaw, span, size);
    let columns = 120;
    let mut pos = Vec::new();
    let mut uv = Vec::new();
    let mut idx = Vec::new();
    let mut prev: Option<u32> = None;
    for k in 0..=columns {
        let phi = -half_fov + 2.0 * half_fov * k as f64 / columns as f64;
        let angle = yaw + phi.to_degrees();
        let u = angle / span;
        if !(0.0..=1.0).contains(&u) {
            prev = None;
            continue;
        }
        let x = f * phi.tan();
        let scale = f / phi.cos();
        let base = pos.len() as u32;
        pos.push([x as f32, (top * scale) as f32, 0.0]);
        pos.push([x as f32, (bottom * scale) as f32, 0.0]);
        let tu = window.texture_u(u).clamp(0.0, 1.0) as f32;
        uv.push([tu, 0.0]);
        uv.push([tu, 1.0]);
        if let Some(p) = prev {
            idx.extend_from_slice(&[p, p + 1, base, base, p + 1, base + 1]);
        }
        prev = Some(base);
    }
    HallGeometry {
        positions: pos,
        uvs: uv,
        indices: idx,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hall_view_covers_the_screen_and_widens_at_the_edges() {
        let HallGeometry {
            positions: pos,
            uvs: uv,
            indices: idx,
        } = hall_geometry(150.0, 301.0, [1920.0, 1080.0]);
        assert!(!idx.is_empty());
        assert!(idx.iter().all(|&i| (i as usize) < pos.len()));
        let xs: Vec<f32> = pos.iter().map(|p| p[0]).collect();
        assert!(xs.iter().cloned().fold(f32::MAX, f32::min) <= -959.0);
        assert!(xs.iter().cloned().fold(f32::MIN, f32::max) >= 959.0);
        // The wall is taller at the edge of the view than in its middle.
        let h = |i: usize| pos[2 * i][1] - pos[2 * i + 1][1];
        assert!(h(0) > h(pos.len() / 4));
        assert!(uv.iter().all(|t| (0.0..=1.0).contains(&t[0])));
        // A point on the wall maps back to the canvas where the texture puts it.
        let lens = HallLens::new(301.0, [1920.0, 1080.0]);
        let mid = lens.canvas_at(150.0, 301.0, [1920.0, 1080.0], [960.0, 540.0]);
        let mid = mid.expect("the wall is in front");
        assert!(
            (mid[0] - 150.0 / 301.0 * CANVAS[0]).abs() < 1e-6
                && (mid[1] - CANVAS[1] * 0.5).abs() < 1e-6
        );
        assert!(
            lens.canvas_at(150.0, 301.0, [1920.0, 1080.0], [960.0, 5.0])
                .is_none(),
            "above the wall"
        );
        // The texture covers what is shown and a little more, at about the view's pixels.
        let w = HallWindow::new(150.0, 301.0, [1920.0, 1080.0]);
        let (tw, th) = w.texture_size();
        assert!(w.u0 < 110.0 / 301.0 && w.u1 > 190.0 / 301.0, "{w:?}");
        assert!(
            (1800..=2600).contains(&tw) && (900..=1400).contains(&th),
            "{tw}×{th}"
        );
        assert!((w.texture_u(w.u0)).abs() < 1e-9 && (w.texture_u(w.u1) - 1.0).abs() < 1e-9);
        // At the ring's end it is cut at the end; a 4K view stays within the texture limit.
        let end = HallWindow::new(0.0, 301.0, [1920.0, 1080.0]);
        assert_eq!(end.u0, 0.0);
        let (w4, h4) = HallWindow::new(150.0, 301.0, [3840.0, 2160.0]).texture_size();
        assert!(w4 as f64 <= HALL_TEXTURE_MAX + 1.0 && h4 as f64 <= HALL_TEXTURE_MAX + 1.0);
        // Looking at the gap behind the visitor shows nothing there.
        let geometry = hall_geometry(-120.0, 301.0, [1920.0, 1080.0]);
        assert!(geometry.positions.is_empty());
    }
}
