//! Drawing the ring: every widget becomes triangles in one merged mesh plus text items, on a
//! virtual canvas 7680 × 1080 px (x right, y down) that a camera scales to any output.
//! Animation enters as numbers: how far lines are drawn, how far values have eased.

use super::data::{Content, WidgetData};
use super::layout::{Layout, Sector, Slot};
use crate::palette::{self, Srgba};
use crate::scene::format::{self, Lang};
use crate::scene::meshes::MeshBuffers;
use crate::snapshot::MetricKind;

/// The virtual canvas, px: the LED wall's full resolution in the hall.
pub const CANVAS: [f64; 2] = [7680.0, 1080.0];
/// Height of the heading band and of the ticker band.
pub const HEADER: f64 = 92.0;
pub const TICKER: f64 = 64.0;
const MARGIN: f64 = 8.0;
const PAD: f64 = 18.0;

/// Text alignment about the item's position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// A piece of text on the canvas; `pos` is the left, centre or right of its middle line.
#[derive(Debug, Clone, PartialEq)]
pub struct TextItem {
    pub pos: [f64; 2],
    pub text: String,
    pub size: f32,
    pub color: Srgba,
    pub align: Align,
}

/// Everything one ring frame draws.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    pub mesh: MeshBuffers,
    pub texts: Vec<TextItem>,
    /// Points that pulse gently (the latest value of a line), with their color.
    pub pulses: Vec<([f64; 2], Srgba)>,
    /// Tappable rows of rankings: canvas rectangle and region.
    pub hotspots: Vec<([f64; 4], usize)>,
}

/// Canvas px → world units of the ring's 2D scene (origin at the centre, y up).
pub fn to_world(p: [f64; 2]) -> [f32; 2] {
    [
        (p[0] - CANVAS[0] * 0.5) as f32,
        (CANVAS[1] * 0.5 - p[1]) as f32,
    ]
}

/// Where a slot sits on the canvas: [x0, y0, x1, y1].
pub fn slot_rect(layout: &Layout, slot: &Slot) -> [f64; 4] {
    let px_per_deg = CANVAS[0] / layout.span_deg.max(1e-9);
    let rows = layout.rows.max(1) as f64;
    let top = HEADER;
    let row_h = (CANVAS[1] - HEADER - TICKER) / rows;
    [
        slot.angle_deg * px_per_deg + MARGIN,
        top + slot.row as f64 * row_h + MARGIN,
        (slot.angle_deg + slot.width_deg) * px_per_deg - MARGIN,
        top + (slot.row as f64 + 1.0) * row_h - MARGIN,
    ]
}

fn sector_x(layout: &Layout, sector: &Sector) -> (f64, f64) {
    let px_per_deg = CANVAS[0] / layout.span_deg.max(1e-9);
    (
        sector.start_deg * px_per_deg + MARGIN,
        sector.end_deg * px_per_deg - MARGIN,
    )
}

struct Pen<'a> {
    mesh: &'a mut MeshBuffers,
}

impl Pen<'_> {
    fn vertex(&mut self, p: [f64; 2], c: [f32; 4]) -> u32 {
        let w = to_world(p);
        self.mesh.positions.push([w[0], w[1], 0.0]);
        self.mesh.colors.push(c);
        (self.mesh.positions.len() - 1) as u32
    }

    fn quad(&mut self, p: [[f64; 2]; 4], c: [Srgba; 4]) {
        let i: Vec<u32> = p
            .iter()
            .zip(c)
            .map(|(p, c)| self.vertex(*p, c.linear()))
            .collect();
        // Counter-clockwise in world space (y up) for canvas points given clockwise (y down).
        self.mesh
            .indices
            .extend_from_slice(&[i[0], i[2], i[1], i[0], i[3], i[2]]);
    }

    fn rect(&mut self, r: [f64; 4], c: Srgba) {
        self.quad(
            [[r[0], r[1]], [r[2], r[1]], [r[2], r[3]], [r[0], r[3]]],
            [c; 4],
        );
    }

    fn rect_v(&mut self, r: [f64; 4], top: Srgba, bottom: Srgba) {
        self.quad(
            [[r[0], r[1]], [r[2], r[1]], [r[2], r[3]], [r[0], r[3]]],
            [top, top, bottom, bottom],
        );
    }

    fn polyline(&mut self, pts: &[[f64; 2]], width: f64, c: Srgba) {
        for w in pts.windows(2) {
            let (a, b) = (w[0], w[1]);
            let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
            let len = dx.hypot(dy).max(1e-9);
            let (nx, ny) = (-dy / len * width * 0.5, dx / len * width * 0.5);
            self.quad(
                [
                    [a[0] + nx, a[1] + ny],
                    [b[0] + nx, b[1] + ny],
                    [b[0] - nx, b[1] - ny],
                    [a[0] - nx, a[1] - ny],
                ],
                [c; 4],
            );
        }
    }

    /// A ring segment; angles in radians, counter-clockwise as seen on screen.
    fn arc(&mut self, center: [f64; 2], r_in: f64, r_out: f64, a0: f64, a1: f64, c: Srgba) {
        let steps = (((a1 - a0).abs() / std::f64::consts::TAU) * 96.0)
            .ceil()
            .max(1.0) as usize;
        let at = |r: f64, a: f64| [center[0] + r * a.cos(), center[1] - r * a.sin()];
        for k in 0..steps {
            let t0 = a0 + (a1 - a0) * k as f64 / steps as f64;
            let t1 = a0 + (a1 - a0) * (k + 1) as f64 / steps as f64;
            self.quad(
                [at(r_out, t0), at(r_out, t1), at(r_in, t1), at(r_in, t0)],
                [c; 4],
            );
        }
    }
}

fn text(
    out: &mut Vec<TextItem>,
    pos: [f64; 2],
    s: impl Into<String>,
    size: f32,
    color: Srgba,
    align: Align,
) {
    out.push(TextItem {
        pos,
        text: s.into(),
        size: snap_font_size(size),
        color,
        align,
    });
}

/// The font sizes the ring uses. Each size a text is drawn at gets its own glyph atlas
/// (a 1 MiB texture, with a copy in main memory), so sizes computed from a widget's
/// dimensions are snapped down to these few.
pub const FONT_SIZES: [f32; 17] = [
    12.0, 14.0, 15.0, 16.0, 18.0, 20.0, 22.0, 26.0, 28.0, 30.0, 34.0, 36.0, 40.0, 48.0, 56.0, 64.0,
    76.0,
];

/// `size` snapped down to [`FONT_SIZES`].
pub fn snap_font_size(size: f32) -> f32 {
    crate::scene::labels::snap_down(&FONT_SIZES, size)
}

/// `s` as it fits in `width` canvas pixels at `size`: whole, or cut with an ellipsis (by the
/// same width estimate the map's labels use).
pub fn fit(s: &str, size: f32, width: f64) -> String {
    let size = f64::from(size);
    if crate::scene::labels::text_size(s, size)[0] <= width {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        out.push(c);
        if crate::scene::labels::text_size(&format!("{out}…"), size)[0] > width {
            out.pop();
            break;
        }
    }
    let out = out.trim_end();
    if out.is_empty() {
        String::new()
    } else {
        format!("{out}…")
    }
}

/// A metric value for the ring.
pub fn value_text(v: f64, kind: MetricKind, lang: Lang) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    match kind {
        MetricKind::Percent => format!("{v:.1}%"),
        MetricKind::Count => format::count(v.round() as i64, lang),
        MetricKind::Index => format!("{v:.2}"),
        MetricKind::Amount if v.abs() >= 10_000.0 => format::count(v.round() as i64, lang),
        MetricKind::Amount => format!("{v:.1}"),
    }
}

/// A department as the ring draws it: Chinese and English names and its color.
pub type DepartmentStyle = (String, String, Srgba);

/// The departments of a snapshot, in order, with their colors (the accent color where a
/// color does not parse).
pub fn department_styles(s: &crate::snapshot::Snapshot) -> Vec<DepartmentStyle> {
    s.departments
        .iter()
        .map(|d| {
            (
                d.name.clone(),
                d.name_en.clone(),
                Srgba::from_hex(&d.color).unwrap_or(palette::ACCENT),
            )
        })
        .collect()
}

/// How far each widget's animation has come.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WidgetAnim {
    /// Lines and bars drawn so far, 0..=1.
    pub reveal: f64,
    /// The main number as currently shown (eases towards the data).
    pub shown: f64,
}

/// The main number of a widget, the one that eases when the selection changes.
pub fn primary_value(d: &WidgetData) -> f64 {
    match &d.content {
        Content::Kpi { value, .. } | Content::Share { value } | Content::Gauge { value, .. } => {
            *value
        }
        Content::Series { values, .. } => values.last().copied().unwrap_or(0.0),
        Content::Bars { days } => days.last().map_or(0.0, |x| x.1),
        _ => 0.0,
    }
}

/// Draws the whole ring. `region_name` is the selected region in both languages.
pub fn draw(
    layout: &Layout,
    departments: &[DepartmentStyle],
    widgets: &[WidgetData],
    anims: &[WidgetAnim],
    lang: Lang,
    region_name: (&str, &str),
) -> Frame {
    let mut frame = Frame::default();
    let mut pen = Pen {
        mesh: &mut frame.mesh,
    };
    let texts = &mut frame.texts;
    pen.rect_v(
        [0.0, 0.0, CANVAS[0], CANVAS[1]],
        palette::RING_TOP,
        palette::BACKGROUND,
    );

    for sector in &layout.sectors {
        let (x0, x1) = sector_x(layout, sector);
        let (zh, en, color) = departments.get(sector.department).cloned().unwrap_or((
            String::new(),
            String::new(),
            palette::ACCENT,
        ));
        pen.rect([x0, HEADER - 14.0, x1, HEADER - 8.0], color);
        pen.rect_v(
            [x0, 12.0, x1, HEADER - 14.0],
            color.with_alpha(70),
            color.with_alpha(0),
        );
        // The department's name, and the selected region's at the right where both fit
        // (a narrow sector keeps its name).
        let room = x1 - x0 - 28.0;
        let name = fit(lang.pick(&zh, &en), 36.0, room);
        let region = lang.pick(region_name.0, region_name.1);
        let name_w = crate::scene::labels::text_size(&name, 36.0)[0];
        let region_w = crate::scene::labels::text_size(region, 26.0)[0];
        text(
            texts,
            [x0 + 14.0, 46.0],
            name,
            36.0,
            palette::TEXT,
            Align::Left,
        );
        if name_w + region_w + 24.0 <= room {
            text(
                texts,
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

    for ((slot, data), anim) in layout.slots.iter().zip(widgets).zip(anims) {
        let color = departments
            .get(slot.department)
            .map_or(palette::ACCENT, |d| d.2);
        let r = slot_rect(layout, slot);
        draw_widget(
            &mut pen,
            texts,
            &mut frame.pulses,
            &mut frame.hotspots,
            r,
            color,
            data,
            anim,
            lang,
        );
    }
    frame
}

#[allow(clippy::too_many_arguments)]
fn draw_widget(
    pen: &mut Pen<'_>,
    texts: &mut Vec<TextItem>,
    pulses: &mut Vec<([f64; 2], Srgba)>,
    hotspots: &mut Vec<([f64; 4], usize)>,
    r: [f64; 4],
    color: Srgba,
    d: &WidgetData,
    anim: &WidgetAnim,
    lang: Lang,
) {
    let [x0, y0, x1, y1] = r;
    let (w, h) = (x1 - x0, y1 - y0);
    pen.rect_v(
        r,
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
    text(
        texts,
        [x0 + PAD, y0 + 32.0],
        fit(
            lang.pick(&d.title_zh, &d.title_en),
            26.0,
            w - 2.0 * PAD - scope_w,
        ),
        26.0,
        palette::TEXT,
        Align::Left,
    );
    if !d.exact {
        text(
            texts,
            [x1 - PAD, y0 + 32.0],
            lang.pick("全区", "District"),
            18.0,
            palette::TEXT_MUTED,
            Align::Right,
        );
    }
    let unit = lang.pick(&d.unit_zh, &d.unit_en);
    let c = [x0 + PAD, y0 + 66.0, x1 - PAD, y1 - PAD];
    let (cw, ch) = (c[2] - c[0], c[3] - c[1]);
    let reveal = anim.reveal.clamp(0.0, 1.0);
    let shown = anim.shown;
    let big = (w * 0.2).clamp(40.0, 76.0) as f32;
    match &d.content {
        Content::Kpi {
            previous, series, ..
        } => {
            let value = value_text(shown, d.metric_kind, lang);
            text(
                texts,
                [c[0] + cw * 0.5, c[1] + ch * 0.28],
                value,
                big,
                palette::TEXT,
                Align::Center,
            );
            if !unit.is_empty() && d.metric_kind != MetricKind::Percent {
                text(
                    texts,
                    [c[0] + cw * 0.5, c[1] + ch * 0.28 + big as f64 * 0.85],
                    unit,
                    22.0,
                    palette::TEXT_MUTED,
                    Align::Center,
                );
            }
            if let Some(p) = previous
                && *p > 0.0
            {
                let delta = (primary_target(d) / p - 1.0) * 100.0;
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
                text(
                    texts,
                    [c[0] + cw * 0.5, c[1] + ch * 0.62],
                    s,
                    22.0,
                    col,
                    Align::Center,
                );
            }
            if series.len() >= 2 {
                let area = [c[0], c[1] + ch * 0.74, c[2], c[3]];
                sparkline(pen, pulses, area, series, reveal, color, false);
            }
        }
        Content::Series {
            values,
            first,
            last,
        } => {
            let value = format!(
                "{} {}",
                value_text(shown, d.metric_kind, lang),
                if d.metric_kind == MetricKind::Percent {
                    ""
                } else {
                    unit
                }
            );
            text(
                texts,
                [c[0], c[1] + 26.0],
                value.trim().to_string(),
                (big * 0.75).max(34.0),
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
                text(
                    texts,
                    [area[0] - 6.0, y],
                    label,
                    15.0,
                    palette::TEXT_MUTED,
                    Align::Right,
                );
            }
            sparkline(pen, pulses, area, values, reveal, color, true);
            text(
                texts,
                [area[0], c[3] - 8.0],
                first.get(5..).unwrap_or(first),
                16.0,
                palette::TEXT_MUTED,
                Align::Left,
            );
            text(
                texts,
                [c[2], c[3] - 8.0],
                last.get(5..).unwrap_or(last),
                16.0,
                palette::TEXT_MUTED,
                Align::Right,
            );
        }
        Content::Bars { days } => {
            let max = days.iter().map(|x| x.1).fold(0.0f64, f64::max).max(1e-9);
            let n = days.len().max(1) as f64;
            let slot_w = cw / n;
            let base = c[3] - 26.0;
            let top = c[1] + 34.0;
            for (i, (day, v)) in days.iter().enumerate() {
                let bh = (base - top) * (v / max) * reveal;
                let bx = c[0] + slot_w * i as f64 + slot_w * 0.18;
                let bw = slot_w * 0.64;
                let last = i + 1 == days.len();
                let col = if last { color } else { color.with_alpha(150) };
                pen.rect_v([bx, base - bh, bx + bw, base], col, col.with_alpha(60));
                // Dates under the first and last bars only: seven would run together.
                if i == 0 || last {
                    text(
                        texts,
                        [bx + bw * 0.5, base + 14.0],
                        day.clone(),
                        15.0,
                        palette::TEXT_MUTED,
                        Align::Center,
                    );
                }
                if last || days.len() <= 4 {
                    text(
                        texts,
                        [bx + bw * 0.5, base - bh - 14.0],
                        value_text(*v, d.metric_kind, lang),
                        18.0,
                        palette::TEXT,
                        Align::Center,
                    );
                }
            }
        }
        Content::Share { .. } => {
            let center = [c[0] + cw * 0.5, c[1] + ch * 0.5];
            let r_out = (cw.min(ch) * 0.46).max(10.0);
            let r_in = r_out * 0.74;
            let start = std::f64::consts::FRAC_PI_2;
            pen.arc(
                center,
                r_in,
                r_out,
                0.0,
                std::f64::consts::TAU,
                color.with_alpha(45),
            );
            let sweep = std::f64::consts::TAU * (shown / 100.0).clamp(0.0, 1.0) * reveal;
            pen.arc(center, r_in, r_out, start, start - sweep, color);
            text(
                texts,
                center,
                format!("{shown:.1}%"),
                (r_in * 0.5).clamp(22.0, 54.0) as f32,
                palette::TEXT,
                Align::Center,
            );
        }
        Content::Gauge { target, .. } => {
            let center = [c[0] + cw * 0.5, c[1] + ch * 0.58];
            let r_out = (cw * 0.46).min(ch * 0.56).max(10.0);
            let r_in = r_out * 0.8;
            let a0 = 210f64.to_radians();
            let total = 240f64.to_radians();
            let scale_max = target.max(100.0).max(shown);
            pen.arc(center, r_in, r_out, a0, a0 - total, color.with_alpha(45));
            let frac = (shown / scale_max).clamp(0.0, 1.0) * reveal;
            let col = if shown + 1e-9 < *target {
                palette::HIGHLIGHT
            } else {
                color
            };
            pen.arc(center, r_in, r_out, a0, a0 - total * frac, col);
            let ta = a0 - total * (target / scale_max).clamp(0.0, 1.0);
            let tick = |r: f64| [center[0] + r * ta.cos(), center[1] - r * ta.sin()];
            pen.polyline(&[tick(r_in - 8.0), tick(r_out + 8.0)], 4.0, palette::TEXT);
            let suffix = if d.metric_kind == MetricKind::Percent {
                "%"
            } else {
                ""
            };
            text(
                texts,
                [center[0], center[1] - 4.0],
                format!("{shown:.1}{suffix}"),
                (r_in * 0.42).clamp(24.0, 56.0) as f32,
                palette::TEXT,
                Align::Center,
            );
            text(
                texts,
                [center[0], center[1] + r_in * 0.45],
                format!("{} {target:.0}{suffix}", lang.pick("目标", "Target")),
                20.0,
                palette::TEXT_MUTED,
                Align::Center,
            );
        }
        Content::Ranking { entries, highlight } => {
            let max = entries.iter().map(|x| x.1).fold(0.0f64, f64::max).max(1e-9);
            let row_h = ch / entries.len().max(5) as f64;
            for (i, (name, v)) in entries.iter().enumerate() {
                let top = c[1] + row_h * i as f64;
                let mid = top + row_h * 0.34;
                let selected = Some(name.region) == *highlight;
                let name_col = if selected {
                    palette::HIGHLIGHT
                } else {
                    palette::TEXT
                };
                let badge = if i < 3 { color } else { palette::PANEL_BORDER };
                pen.rect([c[0], mid - 13.0, c[0] + 26.0, mid + 13.0], badge);
                text(
                    texts,
                    [c[0] + 13.0, mid],
                    format!("{}", i + 1),
                    18.0,
                    palette::TEXT,
                    Align::Center,
                );
                text(
                    texts,
                    [c[0] + 36.0, mid],
                    name.pick(lang).to_string(),
                    20.0,
                    name_col,
                    Align::Left,
                );
                text(
                    texts,
                    [c[2], mid],
                    value_text(*v, d.metric_kind, lang),
                    20.0,
                    palette::TEXT,
                    Align::Right,
                );
                let bar_y = top + row_h * 0.7;
                let bw = (cw - 36.0) * (v / max) * reveal;
                pen.rect(
                    [c[0] + 36.0, bar_y, c[2], bar_y + 6.0],
                    color.with_alpha(40),
                );
                pen.rect(
                    [c[0] + 36.0, bar_y, c[0] + 36.0 + bw, bar_y + 6.0],
                    if selected { palette::HIGHLIGHT } else { color },
                );
                hotspots.push(([c[0], top, c[2], top + row_h], name.region));
            }
        }
        Content::Heat {
            rows,
            highlight,
            first,
            last,
        } => {
            let (lo, hi) = rows
                .iter()
                .flat_map(|r| r.1.iter())
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                    (a.min(*v), b.max(*v))
                });
            let span = (hi - lo).max(1e-9);
            let label_w = (cw * 0.3).min(120.0);
            let grid = [c[0] + label_w, c[1], c[2], c[3] - 24.0];
            let row_h = ((grid[3] - grid[1]) / rows.len().max(1) as f64).min(40.0);
            for (i, (name, values)) in rows.iter().enumerate() {
                let top = grid[1] + row_h * i as f64;
                let selected = Some(name.region) == *highlight;
                let col = if selected {
                    palette::HIGHLIGHT
                } else {
                    palette::TEXT_MUTED
                };
                let size = (row_h * 0.55).clamp(12.0, 18.0) as f32;
                text(
                    texts,
                    [grid[0] - 8.0, top + row_h * 0.5],
                    name.pick(lang).to_string(),
                    size,
                    col,
                    Align::Right,
                );
                let n = values.len().max(1);
                let shown_n = ((n as f64 * reveal).ceil() as usize).min(n);
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
            text(
                texts,
                [grid[0], c[3] - 8.0],
                first.get(5..).unwrap_or(first),
                15.0,
                palette::TEXT_MUTED,
                Align::Left,
            );
            text(
                texts,
                [grid[2], c[3] - 8.0],
                last.get(5..).unwrap_or(last),
                15.0,
                palette::TEXT_MUTED,
                Align::Right,
            );
        }
        Content::Ticker { items } => {
            if items.is_empty() {
                text(
                    texts,
                    [c[0] + cw * 0.5, c[1] + ch * 0.4],
                    lang.pick("运行平稳，暂无告警", "All normal, no alerts"),
                    22.0,
                    palette::TEXT_MUTED,
                    Align::Center,
                );
            }
            let row_h = 34.0;
            for (i, (zh, en)) in items
                .iter()
                .take(((ch / row_h) as usize).max(1))
                .enumerate()
            {
                let y = c[1] + 12.0 + row_h * i as f64;
                pen.rect([c[0], y - 4.0, c[0] + 8.0, y + 4.0], palette::HIGHLIGHT);
                text(
                    texts,
                    [c[0] + 16.0, y],
                    fit_chars(lang.pick(zh, en), (cw / 20.0) as usize),
                    18.0,
                    palette::TEXT,
                    Align::Left,
                );
            }
        }
        Content::Empty => {
            text(
                texts,
                [c[0] + cw * 0.5, c[1] + ch * 0.4],
                lang.pick("暂无数据", "No data"),
                22.0,
                palette::TEXT_MUTED,
                Align::Center,
            );
        }
    }
    let _ = h;
}

/// The value the main number eases towards.
fn primary_target(d: &WidgetData) -> f64 {
    primary_value(d)
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

fn sparkline(
    pen: &mut Pen<'_>,
    pulses: &mut Vec<([f64; 2], Srgba)>,
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
        pulses.push((*last, color));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_sizes_snap_down_to_a_few() {
        assert_eq!(snap_font_size(36.0), 36.0);
        assert_eq!(snap_font_size(63.9), 56.0);
        assert_eq!(snap_font_size(8.0), 12.0);
        assert_eq!(snap_font_size(1000.0), 76.0);
        let mut seen: Vec<u32> = (0..2000)
            .map(|i| snap_font_size(i as f32 * 0.05).to_bits())
            .collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), FONT_SIZES.len());
    }
    use crate::scene::ring::data::widget;
    use crate::scene::ring::layout::{DEFAULT_SPAN_DEG, automatic};
    use crate::snapshot::index::CityData;

    #[test]
    fn the_demo_ring_draws_inside_the_canvas() {
        let city = CityData::new(crate::demo::load_demo().map(|l| l.snapshot).expect("demo"));
        let layout = automatic(&city.snapshot, DEFAULT_SPAN_DEG);
        let widgets: Vec<WidgetData> = layout
            .slots
            .iter()
            .map(|s| widget(&city, s, city.index.district))
            .collect();
        let anims: Vec<WidgetAnim> = widgets
            .iter()
            .map(|w| WidgetAnim {
                reveal: 1.0,
                shown: primary_value(w),
            })
            .collect();
        let depts = department_styles(&city.snapshot);
        for lang in [Lang::Zh, Lang::En] {
            let f = draw(
                &layout,
                &depts,
                &widgets,
                &anims,
                lang,
                ("市北区", "Shibei"),
            );
            assert!(f.mesh.triangles() > 1_000);
            assert!(
                f.mesh
                    .indices
                    .iter()
                    .all(|&i| (i as usize) < f.mesh.positions.len())
            );
            let half = [CANVAS[0] as f32 * 0.5 + 1.0, CANVAS[1] as f32 * 0.5 + 1.0];
            assert!(
                f.mesh
                    .positions
                    .iter()
                    .all(|p| p[0].abs() <= half[0] && p[1].abs() <= half[1])
            );
            assert!(
                f.texts
                    .iter()
                    .all(|t| t.pos[0] >= 0.0 && t.pos[0] <= CANVAS[0] && !t.text.is_empty())
            );
            assert!(f.texts.len() > layout.slots.len() * 2);
            assert!(!f.hotspots.is_empty(), "rankings offer their rows to tap");
        }
    }

    #[test]
    fn slots_do_not_overlap_on_the_canvas() {
        let city = CityData::new(crate::demo::load_demo().map(|l| l.snapshot).expect("demo"));
        let layout = automatic(&city.snapshot, DEFAULT_SPAN_DEG);
        let rects: Vec<[f64; 4]> = layout.slots.iter().map(|s| slot_rect(&layout, s)).collect();
        for (i, a) in rects.iter().enumerate() {
            assert!(
                a[0] >= 0.0 && a[2] <= CANVAS[0] && a[1] >= HEADER && a[3] <= CANVAS[1] - TICKER
            );
            for b in &rects[i + 1..] {
                let overlap = a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
                assert!(!overlap, "{a:?} {b:?}");
            }
        }
    }
}
