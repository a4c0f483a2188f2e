//! A small picture of a snapshot's district for the curator's preview: subdistricts filled
//! by residents, borders traced, drawn on the CPU (on the loading thread) so a curator sees
//! the new map before it goes on show.

use crate::geo::Rect;
use crate::palette::{self, Srgba};
use crate::snapshot::index::CityData;

/// RGBA8 pixels, row by row from the top, `width × height`.
pub fn render(city: &CityData, width: u32, height: u32) -> Vec<u8> {
    let (w, h) = (width as usize, height as usize);
    let mut owner: Vec<i32> = vec![-1; w * h];
    let idx = &city.index;
    let streets = &idx.children[idx.district];
    let mut bounds = Rect::EMPTY;
    bounds.union(&idx.region_bounds[idx.district]);
    for &s in streets {
        bounds.union(&idx.region_bounds[s]);
    }
    let values: Vec<f64> = streets
        .iter()
        .map(|&s| city.figures(s).residents as f64)
        .collect();
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    if !bounds.is_empty() && w > 2 && h > 2 {
        let scale = (bounds.width() / (w - 2) as f64)
            .max(bounds.height() / (h - 2) as f64)
            .max(1e-9);
        let c = bounds.center();
        for (k, &s) in streets.iter().enumerate() {
            let b = idx.region_bounds[s];
            let to_px = |x: f64, y: f64| {
                (
                    ((x - c[0]) / scale + w as f64 * 0.5) as isize,
                    ((c[1] - y) / scale + h as f64 * 0.5) as isize,
                )
            };
            let (x0, y1) = to_px(b.min[0], b.min[1]);
            let (x1, y0) = to_px(b.max[0], b.max[1]);
            for py in y0.max(0)..=(y1.min(h as isize - 1)) {
                for px in x0.max(0)..=(x1.min(w as isize - 1)) {
                    let world = [
                        c[0] + (px as f64 + 0.5 - w as f64 * 0.5) * scale,
                        c[1] - (py as f64 + 0.5 - h as f64 * 0.5) * scale,
                    ];
                    if idx.region_shapes[s].iter().any(|p| p.contains(world)) {
                        owner[py as usize * w + px as usize] = k as i32;
                    }
                }
            }
        }
    }
    let mut out = Vec::with_capacity(w * h * 4);
    let bg = palette::PANEL;
    for y in 0..h {
        for x in 0..w {
            let o = owner[y * w + x];
            let edge = o >= 0
                && [(1isize, 0isize), (0, 1), (-1, 0), (0, -1)]
                    .iter()
                    .any(|(dx, dy)| {
                        let (nx, ny) = (x as isize + dx, y as isize + dy);
                        nx < 0
                            || ny < 0
                            || nx >= w as isize
                            || ny >= h as isize
                            || owner[ny as usize * w + nx as usize] != o
                    });
            let color: Srgba = if o < 0 {
                bg
            } else if edge {
                palette::BORDER
            } else {
                let v = values[o as usize];
                palette::ramp(if hi > lo { (v - lo) / (hi - lo) } else { 0.5 })
            };
            out.extend_from_slice(&[color.0, color.1, color.2, 255]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_preview_shows_every_subdistrict() {
        let city = CityData::new(crate::demo::load_demo().map(|l| l.snapshot).expect("demo"));
        let px = render(&city, 240, 160);
        assert_eq!(px.len(), 240 * 160 * 4);
        let border = palette::BORDER;
        let borders = px
            .chunks_exact(4)
            .filter(|p| p[0] == border.0 && p[1] == border.1 && p[2] == border.2)
            .count();
        let background = px
            .chunks_exact(4)
            .filter(|p| p[0] == palette::PANEL.0 && p[1] == palette::PANEL.1)
            .count();
        assert!(borders > 500, "{borders} border pixels");
        assert!(
            background > 1000 && background < 240 * 160 * 3 / 4,
            "{background} background pixels"
        );
    }
}
