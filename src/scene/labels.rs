//! Which map labels fit: labels are placed in priority order and a label that would
//! overlap one already placed, or leave the free area, is hidden rather than drawn over it.

/// A label that wants a place on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Centre in screen pixels.
    pub center: [f64; 2],
    /// Other centres to try, in order, when the first is crowded.
    pub alternates: Vec<[f64; 2]>,
    /// Size in screen pixels.
    pub size: [f64; 2],
    /// Higher goes first.
    pub priority: f64,
}

/// The largest of `ladder` (ascending) not above `size`, or its smallest for anything below
/// it: so a text snapped to a few sizes never comes out larger than the space it was fitted
/// to (each size a text is drawn at gets glyph atlases of its own).
pub fn snap_down(ladder: &[f32], size: f32) -> f32 {
    ladder
        .iter()
        .rev()
        .find(|&&s| s <= size)
        .or(ladder.first())
        .copied()
        .unwrap_or(size)
}

/// Estimated size of a one-line label: CJK glyphs are square, Latin about half as wide.
pub fn text_size(text: &str, font_px: f64) -> [f64; 2] {
    let width: f64 = text
        .chars()
        .map(|c| if (c as u32) < 0x2E80 { 0.56 } else { 1.0 })
        .sum::<f64>()
        * font_px;
    [width + font_px * 0.4, font_px * 1.3]
}

/// Sizes a label may shrink to, as a fraction of its size, before it is hidden.
pub const SHRINK_STEPS: [f64; 3] = [1.0, 0.85, 0.7];

/// Where a label is shown: its centre and scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub center: [f64; 2],
    /// One of [`SHRINK_STEPS`].
    pub scale: f64,
}

/// Places labels in priority order. Each takes the first of its positions, at the largest
/// size, that stays inside `area` (min x, min y, max x, max y) and keeps `gap` pixels from
/// the labels already placed; a label that fits nowhere is hidden (`None`).
pub fn place(candidates: &[Candidate], area: [f64; 4], gap: f64) -> Vec<Option<Placed>> {
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by(|&a, &b| candidates[b].priority.total_cmp(&candidates[a].priority));
    let mut placed: Vec<[f64; 4]> = Vec::new();
    let mut shown = vec![None; candidates.len()];
    for i in order {
        let c = &candidates[i];
        'search: for scale in SHRINK_STEPS {
            for center in std::iter::once(c.center).chain(c.alternates.iter().copied()) {
                let (w, h) = (c.size[0] * scale, c.size[1] * scale);
                let r = [
                    center[0] - w * 0.5 - gap,
                    center[1] - h * 0.5 - gap,
                    center[0] + w * 0.5 + gap,
                    center[1] + h * 0.5 + gap,
                ];
                let inside = r[0] + gap >= area[0]
                    && r[1] + gap >= area[1]
                    && r[2] - gap <= area[2]
                    && r[3] - gap <= area[3];
                let free = placed
                    .iter()
                    .all(|p| r[2] <= p[0] || r[0] >= p[2] || r[3] <= p[1] || r[1] >= p[3]);
                if inside && free {
                    placed.push(r);
                    shown[i] = Some(Placed { center, scale });
                    break 'search;
                }
            }
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_snap_down_to_the_ladder() {
        let ladder = [12.0, 14.0, 20.0];
        assert_eq!(snap_down(&ladder, 14.0), 14.0);
        assert_eq!(snap_down(&ladder, 19.9), 14.0);
        assert_eq!(snap_down(&ladder, 3.0), 12.0);
        assert_eq!(snap_down(&ladder, 500.0), 20.0);
        assert_eq!(snap_down(&[], 9.0), 9.0);
    }

    #[test]
    fn overlapping_lower_priority_label_is_hidden() {
        let c = |x: f64, p: f64| Candidate {
            center: [x, 100.0],
            alternates: vec![],
            size: [80.0, 20.0],
            priority: p,
        };
        let shown = place(
            &[c(100.0, 1.0), c(150.0, 2.0), c(400.0, 0.5)],
            [0.0, 0.0, 1000.0, 1000.0],
            2.0,
        );
        let scales: Vec<Option<f64>> = shown.iter().map(|p| p.map(|p| p.scale)).collect();
        assert_eq!(scales, vec![None, Some(1.0), Some(1.0)]);
    }

    #[test]
    fn a_crowded_label_shrinks_before_it_hides() {
        let a = Candidate {
            center: [100.0, 100.0],
            alternates: vec![],
            size: [100.0, 20.0],
            priority: 2.0,
        };
        let b = Candidate {
            center: [192.0, 100.0],
            alternates: vec![],
            size: [100.0, 20.0],
            priority: 1.0,
        };
        // At full size b overlaps a by 8 px; at 0.7 it clears it.
        let shown = place(&[a.clone(), b.clone()], [0.0, 0.0, 1000.0, 1000.0], 0.0);
        assert_eq!(shown[0].map(|p| p.scale), Some(1.0));
        assert_eq!(shown[1].map(|p| p.scale), Some(0.7));
        // With room elsewhere in its region, it moves there at full size instead.
        let b = Candidate {
            alternates: vec![[192.0, 160.0]],
            ..b
        };
        let shown = place(&[a, b], [0.0, 0.0, 1000.0, 1000.0], 0.0);
        assert_eq!(
            shown[1],
            Some(Placed {
                center: [192.0, 160.0],
                scale: 1.0
            })
        );
    }

    #[test]
    fn labels_leaving_the_area_are_hidden() {
        let c = Candidate {
            center: [10.0, 100.0],
            alternates: vec![],
            size: [80.0, 20.0],
            priority: 1.0,
        };
        assert_eq!(place(&[c], [0.0, 0.0, 1000.0, 1000.0], 0.0), vec![None]);
    }

    #[test]
    fn cjk_is_wider_than_latin() {
        assert!(text_size("辽宁路街道", 20.0)[0] > text_size("Liaoning", 20.0)[0] * 0.9);
    }
}
