//! A heat strip: regions by days, each cell shaded from the background to the department's
//! color by its value within the strip's range, filling in day by day; the selected region
//! is marked, and the first and last dates are under the grid.

use super::Align;
use super::pen::Pen;
use super::widget::Widget;
use crate::palette;
use crate::scene::ring::data::HeatRow;

/// Draws the grid of `rows` from `first` to `last` (dates, YYYY-MM-DD); `highlight` is the
/// selected region.
pub(super) fn draw(
    pen: &mut Pen<'_>,
    w: &Widget<'_>,
    rows: &[HeatRow],
    highlight: Option<usize>,
    first: &str,
    last: &str,
) {
    let (c, cw, color) = (w.body, w.body_w, w.color);
    let (lo, hi) = rows
        .iter()
        .flat_map(|r| r.values.iter())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    let span = (hi - lo).max(1e-9);
    let label_w = (cw * 0.3).min(120.0);
    let grid = [c[0] + label_w, c[1], c[2], c[3] - 24.0];
    let row_h = ((grid[3] - grid[1]) / rows.len().max(1) as f64).min(40.0);
    for (i, HeatRow { name, values }) in rows.iter().enumerate() {
        let top = grid[1] + row_h * i as f64;
        let selected = Some(name.region) == highlight;
        let col = if selected {
            palette::HIGHLIGHT
        } else {
            palette::TEXT_MUTED
        };
        let size = (row_h * 0.55).clamp(12.0, 18.0) as f32;
        pen.text(
            [grid[0] - 8.0, top + row_h * 0.5],
            name.pick(w.lang).to_string(),
            size,
            col,
            Align::Right,
        );
        let n = values.len().max(1);
        let shown_n = ((n as f64 * w.reveal).ceil() as usize).min(n);
        let cell_w = (grid[2] - grid[0]) / n as f64;
        for (k, v) in values.iter().take(shown_n).enumerate() {
            let t = ((v - lo) / span) as f32;
            let cc = palette::BACKGROUND.mix(color, 0.15 + 0.85 * t);
            let cx = grid[0] + cell_w * k as f64;
            pen.rect(
                [cx + 1.0, top + 1.0, cx + cell_w - 1.0, top + row_h - 1.0],
                cc,
            );
        }
        if selected {
            pen.rect(
                [grid[0] - 2.0, top, grid[0], top + row_h],
                palette::HIGHLIGHT,
            );
        }
    }
    pen.date_range([grid[0], grid[2], c[3] - 8.0], first, last, 15.0);
}
