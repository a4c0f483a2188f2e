//! The last days as bars growing from a base line, the latest in the department's full
//! color, with the first and last dates under them.

use super::pen::Pen;
use super::widget::Widget;
use super::{Align, value_text};
use crate::palette;
use crate::scene::ring::data::DayValue;

/// Draws the bars of `days`, oldest first.
pub(super) fn draw(pen: &mut Pen<'_>, w: &Widget<'_>, days: &[DayValue]) {
    let (c, cw, color) = (w.body, w.body_w, w.color);
    let max = days
        .iter()
        .map(|x| x.value)
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let n = days.len().max(1) as f64;
    let slot_w = cw / n;
    let base = c[3] - 26.0;
    let top = c[1] + 34.0;
    for (i, DayValue { day, value: v }) in days.iter().enumerate() {
        let bh = (base - top) * (v / max) * w.reveal;
        let bx = c[0] + slot_w * i as f64 + slot_w * 0.18;
        let bw = slot_w * 0.64;
        let last = i + 1 == days.len();
        let col = if last { color } else { color.with_alpha(150) };
        pen.rect_v([bx, base - bh, bx + bw, base], col, col.with_alpha(60));
        // Dates under the first and last bars only: seven would run together.
        if i == 0 || last {
            pen.text(
                [bx + bw * 0.5, base + 14.0],
                day.clone(),
                15.0,
                palette::TEXT_MUTED,
                Align::Center,
            );
        }
        if last || days.len() <= 4 {
            pen.text(
                [bx + bw * 0.5, base - bh - 14.0],
                value_text(*v, w.data.metric_kind, w.lang),
                18.0,
                palette::TEXT,
                Align::Center,
            );
        }
    }
}
