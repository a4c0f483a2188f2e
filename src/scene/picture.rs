//! Every building of the district as one picture, rasterised once on the CPU.
//!
//! At district zoom the 30,000 footprints of a big export are a few pixels each; as meshes
//! they are ~75,000 small triangles that a software renderer sets up one by one every frame
//! (~15 ms of a 1080p frame under lavapipe). As a picture they are one textured quad. The
//! map shows the picture while the view is near the scale it was drawn for and switches to
//! the meshes when a visitor zooms in past that (see `app::map::buildings`).
//!
//! Coverage is exact along each row and sampled on four sub-rows per pixel, so tiny
//! footprints come out anti-aliased rather than as flickering single pixels.

use crate::geo::{LocalPolygon, P2, Rect};
use crate::palette::{self, Srgba};
use crate::snapshot::index::CityData;

/// Sub-rows sampled per pixel row.
const SUB_ROWS: usize = 4;

/// Largest side of a picture, in pixels (within every GPU's texture limit).
pub const MAX_SIDE: u32 = 4096;

/// An RGBA8 picture (sRGB, straight alpha, rows from the top) of a world rectangle.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
    /// The world rectangle the picture covers, exactly `width × metres_per_px` wide.
    pub bounds: Rect,
    /// Metres per picture pixel.
    pub metres_per_px: f64,
}

impl Picture {
    /// Pixels with any coverage.
    pub fn covered_pixels(&self) -> usize {
        self.rgba.chunks_exact(4).filter(|p| p[3] > 0).count()
    }

    /// The picture with each colour premultiplied by its alpha in linear light and encoded
    /// as sRGB again (`encode(decode(c) × a)`), as a GPU that decodes an sRGB texture and
    /// blends `src + dst × (1 − a)` in linear light needs it: blended so, it comes out as
    /// the straight-alpha picture would under `src × a + dst × (1 − a)`, up to 8-bit
    /// rounding. Transfer functions from IEC 61966-2-1 (sRGB).
    pub fn premultiplied(mut self) -> Picture {
        let decode: Vec<f32> = (0..=255u8)
            .map(|c| crate::palette::Srgba::rgb(c, 0, 0).linear()[0])
            .collect();
        let encode = |l: f32| {
            let c = if l <= 0.003_130_8 {
                l * 12.92
            } else {
                1.055 * l.powf(1.0 / 2.4) - 0.055
            };
            (c * 255.0).round().clamp(0.0, 255.0) as u8
        };
        for p in self.rgba.chunks_exact_mut(4) {
            let a = f32::from(p[3]) / 255.0;
            if p[3] == 255 {
                continue;
            }
            for c in &mut p[..3] {
                *c = encode(decode[usize::from(*c)] * a);
            }
        }
        self
    }
}

/// Beyond this magnification a picture looks soft: the map shows meshes instead.
pub const MAX_MAGNIFICATION: f64 = 1.5;

/// Whether a picture drawn at `picture_metres_per_px` still looks sharp on a screen showing
/// `screen_metres_per_px` (physical pixels): true up to [`MAX_MAGNIFICATION`], and always
/// when zoomed out further than it was drawn.
pub fn sharp_enough(picture_metres_per_px: f64, screen_metres_per_px: f64) -> bool {
    picture_metres_per_px <= screen_metres_per_px * MAX_MAGNIFICATION
}

/// Draws every building of the snapshot at `metres_per_px` (made coarser if the picture
/// would exceed [`MAX_SIDE`]), colored as the building meshes are.
pub fn all_buildings(city: &CityData, metres_per_px: f64) -> Picture {
    let idx = &city.index;
    let mut bounds = Rect::EMPTY;
    for shape in &idx.building_shapes {
        bounds.union(&shape.bounds());
    }
    let shapes = city
        .snapshot
        .buildings
        .iter()
        .zip(&idx.building_shapes)
        .map(|(b, shape)| (shape, palette::building(b.usage.is_residential(), b.floors)));
    rasterise(shapes, bounds, metres_per_px)
}

/// Rasterises filled polygons over `bounds` (plus a pixel of margin) in the given order.
pub fn rasterise<'a>(
    shapes: impl Iterator<Item = (&'a LocalPolygon, Srgba)>,
    bounds: Rect,
    metres_per_px: f64,
) -> Picture {
    let empty = Picture {
        width: 0,
        height: 0,
        rgba: Vec::new(),
        bounds: Rect::EMPTY,
        metres_per_px,
    };
    if bounds.is_empty() || !(metres_per_px.is_finite() && metres_per_px > 0.0) {
        return empty;
    }
    let longest = bounds.width().max(bounds.height());
    let mpp = metres_per_px.max(longest / (MAX_SIDE - 2) as f64);
    let width = ((bounds.width() / mpp).ceil() as u32 + 2).min(MAX_SIDE);
    let height = ((bounds.height() / mpp).ceil() as u32 + 2).min(MAX_SIDE);
    let left = bounds.center()[0] - width as f64 * mpp * 0.5;
    let top = bounds.center()[1] + height as f64 * mpp * 0.5;
    let (w, h) = (width as usize, height as usize);
    let mut rgba = vec![0u8; w * h * 4];
    // Coverage of the current shape's bounding box, reused between shapes.
    let mut cover: Vec<f32> = Vec::new();
    let mut crossings: Vec<f64> = Vec::new();
    for (shape, color) in shapes {
        let b = shape.bounds();
        if b.is_empty() {
            continue;
        }
        let x0 = (((b.min[0] - left) / mpp).floor().max(0.0) as usize).min(w);
        let x1 = (((b.max[0] - left) / mpp).ceil().max(0.0) as usize).min(w);
        let y0 = (((top - b.max[1]) / mpp).floor().max(0.0) as usize).min(h);
        let y1 = (((top - b.min[1]) / mpp).ceil().max(0.0) as usize).min(h);
        if x0 >= x1 || y0 >= y1 {
            continue;
        }
        let bw = x1 - x0;
        cover.clear();
        cover.resize(bw * (y1 - y0), 0.0);
        for py in y0..y1 {
            let row = &mut cover[(py - y0) * bw..(py - y0 + 1) * bw];
            for sub in 0..SUB_ROWS {
                let y = top - (py as f64 + (sub as f64 + 0.5) / SUB_ROWS as f64) * mpp;
                crossings.clear();
                ring_crossings(&shape.exterior, y, &mut crossings);
                for hole in &shape.holes {
                    ring_crossings(hole, y, &mut crossings);
                }
                crossings.sort_by(f64::total_cmp);
                for pair in crossings.chunks_exact(2) {
                    let a = ((pair[0] - left) / mpp - x0 as f64).clamp(0.0, bw as f64);
                    let z = ((pair[1] - left) / mpp - x0 as f64).clamp(0.0, bw as f64);
                    add_span(row, a, z, 1.0 / SUB_ROWS as f32);
                }
            }
        }
        let c = [color.0 as f32, color.1 as f32, color.2 as f32];
        let alpha = color.3 as f32 / 255.0;
        for py in y0..y1 {
            for px in x0..x1 {
                let k = (cover[(py - y0) * bw + (px - x0)].min(1.0)) * alpha;
                if k <= 0.0 {
                    continue;
                }
                let p = &mut rgba[(py * w + px) * 4..(py * w + px) * 4 + 4];
                // "Over", in straight alpha.
                let a0 = p[3] as f32 / 255.0;
                let a = k + a0 * (1.0 - k);
                for (i, ci) in c.iter().enumerate() {
                    let v = (ci * k + p[i] as f32 * a0 * (1.0 - k)) / a;
                    p[i] = v.round().clamp(0.0, 255.0) as u8;
                }
                p[3] = (a * 255.0).round().clamp(0.0, 255.0) as u8;
            }
        }
    }
    Picture {
        width,
        height,
        rgba,
        bounds: Rect {
            min: [left, top - height as f64 * mpp],
            max: [left + width as f64 * mpp, top],
        },
        metres_per_px: mpp,
    }
}

/// Where an open ring crosses the horizontal line at `y` (even-odd, half-open in y).
fn ring_crossings(ring: &[P2], y: f64, out: &mut Vec<f64>) {
    let n = ring.len();
    if n < 3 {
        return;
    }
    let mut j = n - 1;
    for i in 0..n {
        let (a, b) = (ring[i], ring[j]);
        if (a[1] > y) != (b[1] > y) {
            out.push(a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1]));
        }
        j = i;
    }
}

/// Adds `weight` × the covered fraction of each pixel of a row for the span [a, z).
fn add_span(row: &mut [f32], a: f64, z: f64, weight: f32) {
    if z <= a {
        return;
    }
    let (first, last) = (a.floor() as usize, z.ceil() as usize);
    for (i, cell) in row.iter_mut().enumerate().take(last).skip(first) {
        let lo = a.max(i as f64);
        let hi = z.min(i as f64 + 1.0);
        if hi > lo {
            *cell += weight * (hi - lo) as f32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64, y: f64, side: f64) -> LocalPolygon {
        LocalPolygon {
            exterior: vec![[x, y], [x + side, y], [x + side, y + side], [x, y + side]],
            holes: Vec::new(),
        }
    }

    #[test]
    fn premultiplying_scales_colour_in_linear_light_and_keeps_alpha() {
        let p = Picture {
            width: 4,
            height: 1,
            rgba: vec![
                200, 100, 50, 255, // opaque: as it was
                255, 255, 255, 128, // half covered white: half the light
                10, 20, 30, 0, // uncovered: black
                188, 188, 188, 64,
            ],
            bounds: Rect::EMPTY,
            metres_per_px: 1.0,
        }
        .premultiplied();
        assert_eq!(&p.rgba[..4], &[200, 100, 50, 255]);
        // Linear 0.502 is sRGB 188 (187.9 before rounding to the nearest level).
        assert!((187..=189).contains(&p.rgba[4]), "{}", p.rgba[4]);
        assert_eq!(p.rgba[7], 128);
        assert_eq!(&p.rgba[8..12], &[0, 0, 0, 0]);
        // sRGB 188 is linear 0.5; a quarter of that is 0.125, sRGB 99.
        assert!((98..=100).contains(&p.rgba[12]), "{}", p.rgba[12]);
        assert_eq!(p.rgba[15], 64);
    }

    fn alpha_sum(p: &Picture) -> f64 {
        p.rgba.chunks_exact(4).map(|q| q[3] as f64 / 255.0).sum()
    }

    #[test]
    fn coverage_adds_up_to_the_area() {
        // A 10 m square at 1 m per pixel, not aligned to the pixel grid.
        let shape = square(0.3, 0.45, 10.0);
        let mut bounds = shape.bounds();
        bounds.union(&square(-5.0, -5.0, 20.0).bounds());
        let p = rasterise([(&shape, Srgba::rgb(255, 0, 0))].into_iter(), bounds, 1.0);
        assert!((alpha_sum(&p) - 100.0).abs() < 1.0, "{}", alpha_sum(&p));
        // The inside is solid red, the edges partial.
        let solid = p
            .rgba
            .chunks_exact(4)
            .filter(|q| *q == [255, 0, 0, 255])
            .count();
        assert!((64..=100).contains(&solid), "{solid} solid pixels");
        assert!(p.rgba.chunks_exact(4).any(|q| q[3] > 0 && q[3] < 255));
    }

    #[test]
    fn holes_stay_empty() {
        let mut shape = square(0.0, 0.0, 20.0);
        shape
            .holes
            .push(vec![[5.0, 5.0], [15.0, 5.0], [15.0, 15.0], [5.0, 15.0]]);
        let p = rasterise(
            [(&shape, Srgba::rgb(0, 0, 255))].into_iter(),
            shape.bounds(),
            1.0,
        );
        assert!((alpha_sum(&p) - 300.0).abs() < 2.0, "{}", alpha_sum(&p));
        // The hole's centre, in picture pixels.
        let (cx, cy) = (
            ((10.0 - p.bounds.min[0]) / p.metres_per_px) as usize,
            ((p.bounds.max[1] - 10.0) / p.metres_per_px) as usize,
        );
        assert_eq!(p.rgba[(cy * p.width as usize + cx) * 4 + 3], 0);
    }

    #[test]
    fn a_picture_never_exceeds_the_texture_limit() {
        let shape = square(0.0, 0.0, 100_000.0);
        let p = rasterise(
            [(&shape, Srgba::rgb(1, 2, 3))].into_iter(),
            shape.bounds(),
            1.0,
        );
        assert!(p.width <= MAX_SIDE && p.height <= MAX_SIDE);
        assert!(p.metres_per_px > 1.0);
        assert_eq!(p.rgba.len(), (p.width * p.height * 4) as usize);
    }

    #[test]
    fn the_picture_gives_way_to_meshes_when_zoomed_in() {
        // Drawn at 2 m per pixel: sharp as drawn, zoomed out, and a little zoomed in.
        assert!(sharp_enough(2.0, 2.0));
        assert!(sharp_enough(2.0, 8.0));
        assert!(sharp_enough(2.0, 1.5));
        // Twice as close: the meshes take over.
        assert!(!sharp_enough(2.0, 1.0));
    }

    #[test]
    fn bad_scales_give_an_empty_picture() {
        let shape = square(0.0, 0.0, 10.0);
        for mpp in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let p = rasterise(
                [(&shape, Srgba::rgb(1, 2, 3))].into_iter(),
                shape.bounds(),
                mpp,
            );
            assert_eq!((p.width, p.height), (0, 0), "{mpp}");
        }
    }

    #[test]
    fn the_demo_buildings_are_all_drawn() {
        let city = CityData::new(crate::demo::load_demo().map(|l| l.snapshot).expect("demo"));
        let p = all_buildings(&city, 4.0);
        let total_area: f64 = city.index.building_shapes.iter().map(|s| s.area()).sum();
        let drawn = alpha_sum(&p) * p.metres_per_px * p.metres_per_px;
        // Footprints rarely overlap, so the picture's coverage is their total area.
        assert!(
            (drawn - total_area).abs() < total_area * 0.02,
            "drawn {drawn:.0} m², footprints {total_area:.0} m²"
        );
        assert!(p.covered_pixels() > 5_000);
    }
}
