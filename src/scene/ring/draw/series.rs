//! A month's line: the current number, a value axis with the lowest and highest day, the
//! line drawing in from the left over a fading fill, and the first and last dates. Also
//! the plain line that key figures draw under their number.

use super::pen::Pen;
use super::widget::Widget;
use super::{Align, value_text};
use crate::palette::{self, Srgba};
use crate::snapshot::MetricKind;

/// Draws a daily series' body: `values` oldest first, from `first` to `last` (dates,
/// YYYY-MM-DD).
pub(super) fn draw(pen: &mut Pen<'_>, w: &Widget<'_>, values: &[f64], first: &str, last: &str) {
    let (c, d, lang) = (w.body, w.data, w.lang);
    let value = format!(
        "{} {}",
        value_text(w.shown, d.metric_kind, lang),
        if d.metric_kind == MetricKind::Percent {
            ""
        } else {
            w.unit
        }
    );
    pen.text(
        [c[0], c[1] + 26.0],
        value.trim().to_string(),
        (w.big * 0.75).max(34.0),
        palette::TEXT,
        Align::Left,
    );
    // A value axis: the lowest and highest day, with faint grid lines.
    let axis_w = 52.0;
    let area = [c[0] + axis_w, c[1] + 70.0, c[2], c[3] - 26.0];
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    let inner = area[3] - area[1];
    for (v, y) in [(hi, area[1] + inner * 0.08), (lo, area[3] - inner * 0.08)] {
        pen.rect([area[0], y - 0.5, area[2], y + 0.5], palette::PANEL_BORDER);
        let label = value_text(v, d.metric_kind, lang);
        pen.text(
            [area[0] - 6.0, y],
            label,
            15.0,
            palette::TEXT_MUTED,
            Align::Right,
        );
    }
    sparkline(pen, area, values, w.reveal, w.color, true);
    pen.date_range([area[0], c[2], c[3] - 8.0], first, last, 16.0);
}

/// A line of `values` across `area` (canvas px, [x0, y0, x1, y1]), scaled to their range,
/// drawn in from the left as far as `reveal` (0..=1), over a fill fading downwards if
/// `fill`; its latest point pulses.
pub(super) fn sparkline(
    pen: &mut Pen<'_>,
    area: [f64; 4],
    values: &[f64],
    reveal: f64,
    color: Srgba,
    fill: bool,
) {
    if values.len() < 2 {
        return;
    }
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    let span = if hi - lo < 1e-9 { 1.0 } else { hi - lo };
    let n = values.len();
    let pts: Vec<[f64; 2]> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            [
                area[0] + (area[2] - area[0]) * i as f64 / (n - 1) as f64,
                area[3] - (area[3] - area[1]) * (0.08 + 0.84 * (v - lo) / span),
            ]
        })
        .collect();
    // Draw in from the left: whole segments, then part of the next one.
    let upto = reveal * (n - 1) as f64;
    let whole = upto.floor() as usize;
    let mut shown: Vec<[f64; 2]> = pts[..=whole.min(n - 1)].to_vec();
    if whole < n - 1 {
        let f = upto - whole as f64;
        let (a, b) = (pts[whole], pts[whole + 1]);
        shown.push([a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f]);
    }
    if fill {
        for w in shown.windows(2) {
            let (a, b) = (w[0], w[1]);
            pen.quad(
                [a, b, [b[0], area[3]], [a[0], area[3]]],
                [
                    color.with_alpha(110),
                    color.with_alpha(110),
                    color.with_alpha(0),
                    color.with_alpha(0),
                ],
            );
        }
    }
    pen.polyline(&shown, 3.0, color);
    if let Some(last) = shown.last() {
        pen.pulse(*last, color);
    }
}
