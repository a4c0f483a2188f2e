//! One widget: its panel, its department's color, its title (with "District" where the
//! numbers are the district's, not the selected region's), and its body, drawn by the file
//! for its kind.

use super::pen::Pen;
use super::{Align, WidgetAnim, bars, cases, dials, fit, heat, kpi, ranking, series, ticker};
use crate::palette::{self, Srgba};
use crate::scene::format::Lang;
use crate::scene::ring::data::{Content, WidgetData};

/// Padding inside a widget's panel, canvas px.
const PAD: f64 = 18.0;

/// A widget as its drawers see it: where it goes, how far its animation has come, and the
/// language it speaks.
pub(super) struct Widget<'a> {
    /// The whole panel, canvas px: [x0, y0, x1, y1].
    pub rect: [f64; 4],
    /// The body under the title, canvas px: [x0, y0, x1, y1].
    pub body: [f64; 4],
    /// The body's width and height, px.
    pub body_w: f64,
    pub body_h: f64,
    /// The department's color.
    pub color: Srgba,
    pub data: &'a WidgetData,
    /// Lines and bars drawn so far, 0..=1.
    pub reveal: f64,
    /// The main number as currently shown.
    pub shown: f64,
    pub lang: Lang,
    /// The metric's unit in `lang`.
    pub unit: &'a str,
    /// Font size of the main number, px: a fifth of the panel's width, within bounds.
    pub big: f32,
}

impl Widget<'_> {
    /// A muted line in the middle of the body, in the widget's language: what a widget says
    /// when it has nothing to show.
    pub(super) fn quiet_line(&self, pen: &mut Pen<'_>, zh: &str, en: &str) {
        let c = self.body;
        pen.text(
            [c[0] + self.body_w * 0.5, c[1] + self.body_h * 0.4],
            self.lang.pick(zh, en),
            22.0,
            palette::TEXT_MUTED,
            Align::Center,
        );
    }
}

impl<'a> Widget<'a> {
    /// The widget in the panel `rect` (canvas px) for `data`, animated as far as `anim`.
    pub(super) fn new(
        rect: [f64; 4],
        color: Srgba,
        data: &'a WidgetData,
        anim: &WidgetAnim,
        lang: Lang,
    ) -> Self {
        let [x0, y0, x1, y1] = rect;
        let w = x1 - x0;
        let body = [x0 + PAD, y0 + 66.0, x1 - PAD, y1 - PAD];
        Self {
            rect,
            body,
            body_w: body[2] - body[0],
            body_h: body[3] - body[1],
            color,
            data,
            reveal: anim.reveal.clamp(0.0, 1.0),
            shown: anim.shown,
            lang,
            unit: lang.pick(&data.unit_zh, &data.unit_en),
            big: (w * 0.2).clamp(40.0, 76.0) as f32,
        }
    }
}

/// Draws a widget's panel, title and body.
pub(super) fn draw(pen: &mut Pen<'_>, w: &Widget<'_>) {
    let [x0, y0, x1, _] = w.rect;
    let panel_w = x1 - x0;
    let (d, lang, color) = (w.data, w.lang, w.color);
    pen.rect_v(
        w.rect,
        palette::PANEL.with_alpha(235),
        palette::PANEL.with_alpha(180),
    );
    pen.rect([x0, y0, x1, y0 + 3.0], color);
    pen.rect([x0, y0 + 16.0, x0 + 5.0, y0 + 48.0], color);
    let scope_w = if d.exact {
        0.0
    } else {
        crate::scene::labels::text_size(lang.pick("全区", "District"), 18.0)[0] + 6.0
    };
    pen.text(
        [x0 + PAD, y0 + 32.0],
        fit(
            lang.pick(&d.title_zh, &d.title_en),
            26.0,
            panel_w - 2.0 * PAD - scope_w,
        ),
        26.0,
        palette::TEXT,
        Align::Left,
    );
    if !d.exact {
        pen.text(
            [x1 - PAD, y0 + 32.0],
            lang.pick("全区", "District"),
            18.0,
            palette::TEXT_MUTED,
            Align::Right,
        );
    }
    match &d.content {
        Content::Kpi {
            previous, series, ..
        } => kpi::draw(pen, w, *previous, series),
        Content::Series {
            values,
            first,
            last,
        } => series::draw(pen, w, values, first, last),
        Content::Bars { days } => bars::draw(pen, w, days),
        Content::Share { .. } => dials::share(pen, w),
        Content::Gauge { target, .. } => dials::gauge(pen, w, *target),
        Content::Ranking { entries, highlight } => ranking::draw(pen, w, entries, *highlight),
        Content::Heat {
            rows,
            highlight,
            first,
            last,
        } => heat::draw(pen, w, rows, *highlight, first, last),
        Content::Ticker { items } => ticker::draw(pen, w, items),
        Content::CaseFlow { stats } => cases::flow(pen, w, stats),
        Content::Figures { rows } => cases::figures(pen, w, rows),
        Content::Empty => w.quiet_line(pen, "暂无数据", "No data"),
    }
}
