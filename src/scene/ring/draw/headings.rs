//! The ring's backdrop, the department headings over their sectors (with the selected
//! region's name where it fits) and the band the ticker runs in.

use super::pen::Pen;
use super::{Align, CANVAS, DepartmentStyle, HEADER, MARGIN, TICKER, fit};
use crate::palette;
use crate::scene::format::Lang;
use crate::scene::ring::layout::{Layout, Sector};

/// Where a sector's heading runs on the canvas: its left and right x, px.
fn sector_x(layout: &Layout, sector: &Sector) -> (f64, f64) {
    let px_per_deg = CANVAS[0] / layout.span_deg.max(1e-9);
    (
        sector.start_deg * px_per_deg + MARGIN,
        sector.end_deg * px_per_deg - MARGIN,
    )
}

/// Draws what lies behind and around the widgets. `region_name` is the selected region in
/// both languages; departments outside a non-empty `forward` get quieter headings.
pub(super) fn draw(
    pen: &mut Pen<'_>,
    layout: &Layout,
    departments: &[DepartmentStyle],
    lang: Lang,
    region_name: (&str, &str),
    forward: &[usize],
) {
    pen.rect_v(
        [0.0, 0.0, CANVAS[0], CANVAS[1]],
        palette::RING_TOP,
        palette::BACKGROUND,
    );

    for sector in &layout.sectors {
        let (x0, x1) = sector_x(layout, sector);
        let (zh, en, mut color) = departments
            .get(sector.department)
            .map_or(("", "", palette::ACCENT), |d| {
                (d.name.as_str(), d.name_en.as_str(), d.color)
            });
        let quiet = !forward.is_empty() && !forward.contains(&sector.department);
        if quiet {
            color = color.mix(palette::BACKGROUND, 0.6);
        }
        pen.rect([x0, HEADER - 14.0, x1, HEADER - 8.0], color);
        pen.rect_v(
            [x0, 12.0, x1, HEADER - 14.0],
            color.with_alpha(70),
            color.with_alpha(0),
        );
        // The department's name, and the selected region's at the right where both fit
        // (a narrow sector keeps its name).
        let room = x1 - x0 - 28.0;
        let name = fit(lang.pick(zh, en), 36.0, room);
        let region = lang.pick(region_name.0, region_name.1);
        let name_w = crate::scene::labels::text_size(&name, 36.0)[0];
        let region_w = crate::scene::labels::text_size(region, 26.0)[0];
        let ink = if quiet {
            palette::TEXT_MUTED
        } else {
            palette::TEXT
        };
        pen.text([x0 + 14.0, 46.0], name, 36.0, ink, Align::Left);
        if name_w + region_w + 24.0 <= room {
            pen.text(
                [x1 - 14.0, 50.0],
                region,
                26.0,
                palette::HIGHLIGHT,
                Align::Right,
            );
        }
    }
    pen.rect(
        [0.0, CANVAS[1] - TICKER, CANVAS[0], CANVAS[1]],
        palette::PANEL.with_alpha(230),
    );
    pen.rect(
        [0.0, CANVAS[1] - TICKER, CANVAS[0], CANVAS[1] - TICKER + 2.0],
        palette::PANEL_BORDER,
    );
}

/// Frames the sectors of the departments in `forward` (a story step's), over the widgets:
/// a 6 px line in the selection's color from the heading to the ticker band.
pub(super) fn frame_forward(pen: &mut Pen<'_>, layout: &Layout, forward: &[usize]) {
    const W: f64 = 6.0;
    for sector in layout
        .sectors
        .iter()
        .filter(|s| forward.contains(&s.department))
    {
        let (x0, x1) = sector_x(layout, sector);
        let (x0, x1) = (x0 - MARGIN * 0.5, x1 + MARGIN * 0.5);
        let (y0, y1) = (6.0, CANVAS[1] - TICKER - 4.0);
        let c = palette::HIGHLIGHT;
        pen.rect([x0, y0, x1, y0 + W], c);
        pen.rect([x0, y1 - W, x1, y1], c);
        pen.rect([x0, y0, x0 + W, y1], c);
        pen.rect([x1 - W, y0, x1, y1], c);
    }
}
