//! The governance widgets: a department's case flow (事件办理) — a bar per lifecycle stage
//! with the cases now at it, then the closure rate, the average handling time and the
//! overdue count (red when any) — and a list of participation figures.

use super::pen::Pen;
use super::widget::Widget;
use super::{Align, fit};
use crate::palette;
use crate::scene::format;
use crate::snapshot::governance_index::CaseStats;
use crate::snapshot::lifecycle::Stage;

/// Draws a case flow: six rows, one per stage (its name, the cases whose furthest stage it
/// is, a bar to the largest), and two lines of figures under them.
pub(super) fn flow(pen: &mut Pen<'_>, w: &Widget<'_>, stats: &CaseStats) {
    let (c, cw, ch, color, lang) = (w.body, w.body_w, w.body_h, w.color, w.lang);
    let max = stats.at_stage.iter().copied().max().unwrap_or(0).max(1);
    let rows_h = ch * 0.68;
    let row_h = rows_h / Stage::ALL.len() as f64;
    for (i, stage) in Stage::ALL.into_iter().enumerate() {
        let n = stats.at_stage[i];
        let top = c[1] + row_h * i as f64;
        let mid = top + row_h * 0.36;
        let (zh, en) = stage.names();
        pen.text(
            [c[0], mid],
            fit(lang.pick(zh, en), 18.0, cw * 0.7),
            18.0,
            palette::TEXT_MUTED,
            Align::Left,
        );
        pen.text(
            [c[2], mid],
            n.to_string(),
            20.0,
            palette::TEXT,
            Align::Right,
        );
        let bar_y = top + row_h * 0.72;
        let bw = cw * (f64::from(n) / f64::from(max)) * w.reveal;
        pen.rect([c[0], bar_y, c[2], bar_y + 5.0], color.with_alpha(40));
        // Closed cases in the department's color, those still under way brighter.
        let ink = if stage == Stage::Closed {
            color
        } else {
            color.mix(palette::TEXT, 0.35)
        };
        pen.rect([c[0], bar_y, c[0] + bw, bar_y + 5.0], ink);
    }
    let y = c[1] + rows_h + (ch - rows_h) * 0.25;
    let rate = stats
        .closure_rate()
        .map_or("—".to_string(), |r| format!("{:.1}%", r * 100.0));
    pen.text(
        [c[0], y],
        fit(
            &format!("{} {rate}", lang.pick("结案率", "Closed")),
            20.0,
            cw,
        ),
        20.0,
        palette::TEXT,
        Align::Left,
    );
    let handling = stats
        .average_handling_s()
        .map_or("—".to_string(), |s| format::duration(s, lang));
    pen.text(
        [c[0], y + 30.0],
        fit(
            &format!("{} {handling}", lang.pick("平均办理", "Average")),
            18.0,
            cw,
        ),
        18.0,
        palette::TEXT_MUTED,
        Align::Left,
    );
    let (overdue, ink) = if stats.overdue > 0 {
        (
            format!("{} {}", lang.pick("超期", "Overdue"), stats.overdue),
            palette::ALERT,
        )
    } else {
        (
            lang.pick("无超期", "None overdue").to_string(),
            palette::TEXT_MUTED,
        )
    };
    pen.text(
        [c[0], y + 58.0],
        fit(&overdue, 18.0, cw),
        18.0,
        ink,
        Align::Left,
    );
}

/// Draws participation figures: per row its label (muted) over its value (large).
pub(super) fn figures(pen: &mut Pen<'_>, w: &Widget<'_>, rows: &[(String, String, f64)]) {
    let (c, cw, ch, lang) = (w.body, w.body_w, w.body_h, w.lang);
    let row_h = ch / rows.len().max(3) as f64;
    for (i, (zh, en, v)) in rows.iter().enumerate() {
        let top = c[1] + row_h * i as f64;
        pen.text(
            [c[0], top + row_h * 0.22],
            fit(lang.pick(zh, en), 18.0, cw),
            18.0,
            palette::TEXT_MUTED,
            Align::Left,
        );
        pen.text(
            [c[0], top + row_h * 0.62],
            fit(&format::count(v.round() as i64, lang), 30.0, cw),
            30.0,
            w.color.mix(palette::TEXT, 0.5),
            Align::Left,
        );
    }
}
