//! Dials: a share as a ring filling clockwise from the top, and a value against its
//! target as a 240° gauge with a tick at the target (the arc turns to the highlight color
//! while the target is missed).

use std::f64::consts::{FRAC_PI_2, TAU};

use super::Align;
use super::pen::Pen;
use super::widget::Widget;
use crate::palette;
use crate::snapshot::MetricKind;

/// Draws a share out of 100 as a ring.
pub(super) fn share(pen: &mut Pen<'_>, w: &Widget<'_>) {
    let (c, cw, ch) = (w.body, w.body_w, w.body_h);
    let (color, shown) = (w.color, w.shown);
    let center = [c[0] + cw * 0.5, c[1] + ch * 0.5];
    let r_out = (cw.min(ch) * 0.46).max(10.0);
    let r_in = r_out * 0.74;
    let start = FRAC_PI_2;
    pen.arc(center, r_in, r_out, 0.0, TAU, color.with_alpha(45));
    let sweep = TAU * (shown / 100.0).clamp(0.0, 1.0) * w.reveal;
    pen.arc(center, r_in, r_out, start, start - sweep, color);
    pen.text(
        center,
        format!("{shown:.1}%"),
        (r_in * 0.5).clamp(22.0, 54.0) as f32,
        palette::TEXT,
        Align::Center,
    );
}

/// Draws the value shown against `target` as a gauge.
pub(super) fn gauge(pen: &mut Pen<'_>, w: &Widget<'_>, target: f64) {
    let (c, cw, ch) = (w.body, w.body_w, w.body_h);
    let (color, shown) = (w.color, w.shown);
    let center = [c[0] + cw * 0.5, c[1] + ch * 0.58];
    let r_out = (cw * 0.46).min(ch * 0.56).max(10.0);
    let r_in = r_out * 0.8;
    let a0 = 210f64.to_radians();
    let total = 240f64.to_radians();
    let scale_max = target.max(100.0).max(shown);
    pen.arc(center, r_in, r_out, a0, a0 - total, color.with_alpha(45));
    let frac = (shown / scale_max).clamp(0.0, 1.0) * w.reveal;
    let col = if shown + 1e-9 < target {
        palette::HIGHLIGHT
    } else {
        color
    };
    pen.arc(center, r_in, r_out, a0, a0 - total * frac, col);
    let ta = a0 - total * (target / scale_max).clamp(0.0, 1.0);
    let tick = |r: f64| [center[0] + r * ta.cos(), center[1] - r * ta.sin()];
    pen.polyline(&[tick(r_in - 8.0), tick(r_out + 8.0)], 4.0, palette::TEXT);
    let suffix = if w.data.metric_kind == MetricKind::Percent {
        "%"
    } else {
        ""
    };
    pen.text(
        [center[0], center[1] - 4.0],
        format!("{shown:.1}{suffix}"),
        (r_in * 0.42).clamp(24.0, 56.0) as f32,
        palette::TEXT,
        Align::Center,
    );
    pen.text(
        [center[0], center[1] + r_in * 0.45],
        format!("{} {target:.0}{suffix}", w.lang.pick("目标", "Target")),
        20.0,
        palette::TEXT_MUTED,
        Align::Center,
    );
}
