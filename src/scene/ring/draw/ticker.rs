//! The alerts widget: the selected region's alerts as a list, each cut to the widget's
//! width, or a calm line when there are none.

use super::Align;
use super::pen::Pen;
use super::widget::Widget;
use crate::palette;

/// Draws as many of `items` (alerts in Chinese and English) as fit.
pub(super) fn draw(pen: &mut Pen<'_>, w: &Widget<'_>, items: &[(String, String)]) {
    let (c, cw, ch, lang) = (w.body, w.body_w, w.body_h, w.lang);
    if items.is_empty() {
        w.quiet_line(pen, "运行平稳，暂无告警", "All normal, no alerts");
    }
    let row_h = 34.0;
    for (i, (zh, en)) in items
        .iter()
        .take(((ch / row_h) as usize).max(1))
        .enumerate()
    {
        let y = c[1] + 12.0 + row_h * i as f64;
        pen.rect([c[0], y - 4.0, c[0] + 8.0, y + 4.0], palette::HIGHLIGHT);
        pen.text(
            [c[0] + 16.0, y],
            fit_chars(lang.pick(zh, en), (cw / 20.0) as usize),
            18.0,
            palette::TEXT,
            Align::Left,
        );
    }
}

/// Shortens a line to about `max` wide characters, with an ellipsis.
fn fit_chars(s: &str, max: usize) -> String {
    let mut width = 0.0;
    let mut out = String::new();
    for ch in s.chars() {
        width += if (ch as u32) < 0x2E80 { 0.55 } else { 1.0 };
        if width > max as f64 {
            out.push('…');
            return out;
        }
        out.push(ch);
    }
    out
}
