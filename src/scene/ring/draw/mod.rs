//! Drawing the ring: every widget becomes triangles in one merged mesh plus text items, on a
//! virtual canvas 7680 × 1080 px (x right, y down) that a camera scales to any output.
//! Animation enters as numbers: how far lines are drawn, how far values have eased.
//!
//! This file holds what the rest of the exhibit uses; `pen` lays down shapes and texts,
//! `headings` the department headings and the ticker band, `widget` each widget's panel
//! and title, and one file per kind of widget body draws that body.

mod bars;
mod cases;
mod dials;
mod headings;
mod heat;
mod kpi;
mod pen;
mod ranking;
mod series;
mod ticker;
mod widget;

use super::data::{Content, WidgetData};
use super::layout::{Layout, Slot};
use crate::palette::{self, Srgba};
use crate::scene::format::{self, Lang};
use crate::scene::meshes::MeshBuffers;
use crate::snapshot::MetricKind;
use pen::Pen;
use widget::Widget;

/// The virtual canvas, px: the LED wall's full resolution in the hall.
pub const CANVAS: [f64; 2] = [7680.0, 1080.0];
/// Height of the heading band and of the ticker band.
pub const HEADER: f64 = 92.0;
pub const TICKER: f64 = 64.0;
const MARGIN: f64 = 8.0;

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

/// A tappable row of a ranking: tapping it selects its region on the map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hotspot {
    /// canvas px: min x, min y, max x, max y
    pub rect: [f64; 4],
    /// index into the snapshot's regions
    pub region: usize,
}

impl Hotspot {
    /// Whether the canvas point `p` (px) is on the hotspot, edges included.
    pub fn contains(&self, p: [f64; 2]) -> bool {
        p[0] >= self.rect[0] && p[0] <= self.rect[2] && p[1] >= self.rect[1] && p[1] <= self.rect[3]
    }
}

/// The region of the first hotspot that contains the canvas point `p` (px), if any.
pub fn hotspot_at(hotspots: &[Hotspot], p: [f64; 2]) -> Option<usize> {
    hotspots.iter().find(|h| h.contains(p)).map(|h| h.region)
}

/// Everything one ring frame draws.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    pub mesh: MeshBuffers,
    pub texts: Vec<TextItem>,
    /// Points that pulse gently (the latest value of a line), with their color.
    pub pulses: Vec<([f64; 2], Srgba)>,
    /// Tappable rows of rankings.
    pub hotspots: Vec<Hotspot>,
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
        top + (slot.row + slot.rows.max(1)).min(layout.rows.max(1)) as f64 * row_h - MARGIN,
    ]
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

/// A department as the ring draws it: its names over its sector and its color on the
/// sector's heading and widgets.
#[derive(Debug, Clone, PartialEq)]
pub struct DepartmentStyle {
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: String,
    pub color: Srgba,
}

/// The departments of a snapshot, in order, with their colors (the accent color where a
/// color does not parse).
pub fn department_styles(s: &crate::snapshot::Snapshot) -> Vec<DepartmentStyle> {
    s.departments
        .iter()
        .map(|d| DepartmentStyle {
            name: d.name.clone(),
            name_en: d.name_en.clone(),
            color: Srgba::from_hex(&d.color).unwrap_or(palette::ACCENT),
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
        Content::Bars { days } => days.last().map_or(0.0, |x| x.value),
        _ => 0.0,
    }
}

/// Draws the whole ring. `region_name` is the selected region in both languages;
/// `forward` the departments (indices) a story step brings forward: their sectors framed
/// in the selection's color over everything, the others' headings quieter. Empty: none.
pub fn draw(
    layout: &Layout,
    departments: &[DepartmentStyle],
    widgets: &[WidgetData],
    anims: &[WidgetAnim],
    lang: Lang,
    region_name: (&str, &str),
    forward: &[usize],
) -> Frame {
    let mut frame = Frame::default();
    let mut pen = Pen::new(&mut frame);
    headings::draw(&mut pen, layout, departments, lang, region_name, forward);
    for ((slot, data), anim) in layout.slots.iter().zip(widgets).zip(anims) {
        let color = departments
            .get(slot.department)
            .map_or(palette::ACCENT, |d| d.color);
        let widget = Widget::new(slot_rect(layout, slot), color, data, anim, lang);
        widget::draw(&mut pen, &widget);
    }
    headings::frame_forward(&mut pen, layout, forward);
    frame
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::ring::data::widget;
    use crate::scene::ring::layout::{DEFAULT_SPAN_DEG, automatic};
    use crate::snapshot::index::CityData;

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

    #[test]
    fn hotspots_include_their_edges_and_the_first_wins() {
        let a = Hotspot {
            rect: [10.0, 20.0, 30.0, 40.0],
            region: 3,
        };
        let b = Hotspot {
            rect: [30.0, 20.0, 50.0, 40.0],
            region: 7,
        };
        assert!(a.contains([10.0, 20.0]) && a.contains([30.0, 40.0]));
        assert!(!a.contains([9.9, 30.0]) && !a.contains([20.0, 40.1]));
        assert_eq!(hotspot_at(&[a, b], [30.0, 30.0]), Some(3));
        assert_eq!(hotspot_at(&[a, b], [40.0, 30.0]), Some(7));
        assert_eq!(hotspot_at(&[a, b], [60.0, 30.0]), None);
        assert_eq!(hotspot_at(&[], [20.0, 30.0]), None);
    }

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
                &[],
            );
            assert!(f.mesh.triangles() > 1_000);
            // A story step's departments: their sectors framed (4 bars of 2 triangles).
            let framed = draw(
                &layout,
                &depts,
                &widgets,
                &anims,
                lang,
                ("市北区", "Shibei"),
                &[0, 1],
            );
            assert_eq!(framed.mesh.triangles(), f.mesh.triangles() + 2 * 4 * 2);
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
