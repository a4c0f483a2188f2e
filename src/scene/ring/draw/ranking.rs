//! Regions ranked by value: a numbered badge (the top three in the department's color),
//! the name, the value and a bar per row; the selected region is highlighted, and every
//! row can be tapped to select its region.

use super::pen::Pen;
use super::widget::Widget;
use super::{Align, value_text};
use crate::palette;
use crate::scene::ring::data::Named;

/// Draws the rows of `entries` (highest first); `highlight` is the selected region.
pub(super) fn draw(
    pen: &mut Pen<'_>,
    w: &Widget<'_>,
    entries: &[(Named, f64)],
    highlight: Option<usize>,
) {
    let (c, cw, ch, color) = (w.body, w.body_w, w.body_h, w.color);
    let max = entries.iter().map(|x| x.1).fold(0.0f64, f64::max).max(1e-9);
    let row_h = ch / entries.len().max(5) as f64;
    for (i, (name, v)) in entries.iter().enumerate() {
        let top = c[1] + row_h * i as f64;
        let mid = top + row_h * 0.34;
        let selected = Some(name.region) == highlight;
        let name_col = if selected {
            palette::HIGHLIGHT
        } else {
            palette::TEXT
        };
        let badge = if i < 3 { color } else { palette::PANEL_BORDER };
        pen.rect([c[0], mid - 13.0, c[0] + 26.0, mid + 13.0], badge);
        pen.text(
            [c[0] + 13.0, mid],
            format!("{}", i + 1),
            18.0,
            palette::TEXT,
            Align::Center,
        );
        pen.text(
            [c[0] + 36.0, mid],
            name.pick(w.lang).to_string(),
            20.0,
            name_col,
            Align::Left,
        );
        pen.text(
            [c[2], mid],
            value_text(*v, w.data.metric_kind, w.lang),
            20.0,
            palette::TEXT,
            Align::Right,
        );
        let bar_y = top + row_h * 0.7;
        let bw = (cw - 36.0) * (v / max) * w.reveal;
        pen.rect(
            [c[0] + 36.0, bar_y, c[2], bar_y + 6.0],
            color.with_alpha(40),
        );
        pen.rect(
            [c[0] + 36.0, bar_y, c[0] + 36.0 + bw, bar_y + 6.0],
            if selected { palette::HIGHLIGHT } else { color },
        );
        pen.hotspot([c[0], top, c[2], top + row_h], name.region);
    }
}
