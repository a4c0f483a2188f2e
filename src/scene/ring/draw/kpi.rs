//! A key figure: the number (easing to the selected region's value), its unit, the change
//! on the day before where that day is known, and a small line of the month under it.

use super::pen::Pen;
use super::widget::Widget;
use super::{Align, primary_value, series, value_text};
use crate::palette;
use crate::snapshot::MetricKind;

/// Draws a key figure's body; `previous` is the day before's value, `series` the daily
/// values, oldest first (empty where the region has none).
pub(super) fn draw(pen: &mut Pen<'_>, w: &Widget<'_>, previous: Option<f64>, series: &[f64]) {
    let (c, cw, ch) = (w.body, w.body_w, w.body_h);
    let (d, lang, big) = (w.data, w.lang, w.big);
    let value = value_text(w.shown, d.metric_kind, lang);
    pen.text(
        [c[0] + cw * 0.5, c[1] + ch * 0.28],
        value,
        big,
        palette::TEXT,
        Align::Center,
    );
    if !w.unit.is_empty() && d.metric_kind != MetricKind::Percent {
        pen.text(
            [c[0] + cw * 0.5, c[1] + ch * 0.28 + big as f64 * 0.85],
            w.unit,
            22.0,
            palette::TEXT_MUTED,
            Align::Center,
        );
    }
    if let Some(p) = previous
        && p > 0.0
    {
        // Against the value the number eases towards, not the one shown mid-ease.
        let delta = (primary_value(d) / p - 1.0) * 100.0;
        let (arrow, col) = if delta >= 0.0 {
            ("▲", palette::TREND_UP)
        } else {
            ("▼", palette::TREND_DOWN)
        };
        let s = format!(
            "{arrow} {:.1}% {}",
            delta.abs(),
            lang.pick("较昨日", "vs yesterday")
        );
        pen.text(
            [c[0] + cw * 0.5, c[1] + ch * 0.62],
            s,
            22.0,
            col,
            Align::Center,
        );
    }
    if series.len() >= 2 {
        let area = [c[0], c[1] + ch * 0.74, c[2], c[3]];
        series::sparkline(pen, area, series, w.reveal, w.color, false);
    }
}
