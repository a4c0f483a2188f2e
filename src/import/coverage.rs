//! Neighbours that do not quite meet: real boundaries, digitised office by office, leave
//! slivers (two subdistricts both claiming a strip) and small gaps (a strip nobody claims)
//! between regions of one level, and children that do not quite cover their parent. Found
//! here by exact polygon overlay (`i_overlay`) in local metres, each piece reported with its
//! area, its width and its place; `--snap` closes those narrower than a tolerance (0.5 m
//! by default) by moving vertices onto their neighbours' boundaries and inserting the
//! neighbours' vertices into their own edges.

use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::float::single::SingleFloatOverlay;

use super::Notes;
use crate::geo::{P2, Projection, Rect, centroid, self_intersection, signed_area};
use crate::snapshot::{Crs, Level, Polygon, Region};

/// The tolerance of `--snap` when none is given, m: half a metre is below what a
/// 1:2,000 cadastral map draws and what the exhibit can show at its closest view.
pub const DEFAULT_SNAP_M: f64 = 0.5;

/// Pieces smaller than this, m², are the overlay's rounding, not a sliver.
const NOISE_M2: f64 = 0.01;

/// At most this many pieces are named per kind and level; the rest are counted.
const NAMED: usize = 5;

/// A region's outline as contours in local metres: exteriors counter-clockwise, holes
/// clockwise (the non-zero fill rule then unions overlapping parts).
type Contours = Vec<Vec<P2>>;

fn contours(outline: &[Polygon], proj: &Projection) -> Contours {
    let mut out = Vec::new();
    for p in outline {
        for (k, ring) in std::iter::once(&p.exterior).chain(&p.holes).enumerate() {
            let mut r: Vec<P2> = ring.iter().map(|q| proj.to_local(*q)).collect();
            if r.len() > 1 && r.first() == r.last() {
                r.pop();
            }
            let ccw = signed_area(&r) > 0.0;
            if ccw != (k == 0) {
                r.reverse();
            }
            out.push(r);
        }
    }
    out
}

/// Local metres around the district's first vertex (the regions are WGS 84 by now);
/// `None` without a district.
fn local_metres(regions: &[Region]) -> Option<Projection> {
    let district = regions.iter().find(|r| r.level == Level::District)?;
    let origin = district
        .outline
        .first()
        .and_then(|p| p.exterior.first())
        .copied()
        .unwrap_or((0.0, 0.0));
    Some(Projection::new(Crs::Wgs84, origin))
}

/// One piece of an overlay: area (m²), mean width (m: twice the area over the perimeter,
/// exact for a long strip) and centre (local metres).
#[derive(Debug, Clone, Copy)]
struct Piece {
    area: f64,
    width: f64,
    at: P2,
}

fn pieces(shapes: Vec<Vec<Vec<P2>>>) -> Vec<Piece> {
    shapes
        .into_iter()
        .filter_map(|shape| {
            let outer = shape.first()?;
            let area: f64 = shape.iter().map(|r| signed_area(r)).sum::<f64>().abs();
            let perimeter: f64 = shape
                .iter()
                .flat_map(|r| r.iter().zip(r.iter().cycle().skip(1)))
                .map(|(a, b)| (a[0] - b[0]).hypot(a[1] - b[1]))
                .sum();
            (area > NOISE_M2).then(|| Piece {
                area,
                width: 2.0 * area / perimeter.max(1e-9),
                at: centroid(outer),
            })
        })
        .collect()
}

fn bounds(c: &Contours) -> Rect {
    let mut b = Rect::EMPTY;
    for r in c {
        b.union(&Rect::of_points(r));
    }
    b
}

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.min[0] <= b.max[0] && b.min[0] <= a.max[0] && a.min[1] <= b.max[1] && b.min[1] <= a.max[1]
}

/// What [`check`] found for one parent's children.
#[derive(Debug, Default)]
struct Found {
    /// (piece, parent id) of the parent no child covers.
    gaps: Vec<(Piece, String)>,
    /// (piece, child a, child b) claimed by two children.
    slivers: Vec<(Piece, String, String)>,
    /// (piece, child, parent) of a child outside its parent.
    outside: Vec<(Piece, String, String)>,
}

/// Checks every parent (the district, each subdistrict) against its children; adds one
/// note per finding (named up to five per kind and level) and returns the total area, m²,
/// of the gaps, slivers and parts outside that are wider than `tolerance_m`.
/// `snapped`: `--snap` ran before (the line for the narrow pieces then says they are
/// left after it).
pub(super) fn check(regions: &[Region], tolerance_m: f64, snapped: bool, notes: &Notes) -> f64 {
    let Some(proj) = local_metres(regions) else {
        return 0.0;
    };
    let shapes: Vec<Contours> = regions
        .iter()
        .map(|r| contours(&r.outline, &proj))
        .collect();
    let finite = |c: &Contours| {
        c.iter()
            .flatten()
            .all(|p| p[0].is_finite() && p[1].is_finite())
    };
    let mut over = 0.0;
    for (level, file) in [
        (Level::Street, "streets"),
        (Level::Community, "communities"),
    ] {
        let mut found = Found::default();
        for (pi, parent) in regions.iter().enumerate() {
            let children: Vec<usize> = (0..regions.len())
                .filter(|&k| {
                    regions[k].level == level && regions[k].parent.as_deref() == Some(&parent.id)
                })
                .collect();
            if children.is_empty()
                || !finite(&shapes[pi])
                || !children.iter().all(|&k| finite(&shapes[k]))
            {
                continue;
            }
            let all: Contours = children.iter().flat_map(|&k| shapes[k].clone()).collect();
            for p in pieces(shapes[pi].overlay(&all, OverlayRule::Difference, FillRule::NonZero)) {
                found.gaps.push((p, parent.id.clone()));
            }
            let boxes: Vec<Rect> = children.iter().map(|&k| bounds(&shapes[k])).collect();
            for (i, &a) in children.iter().enumerate() {
                let outside =
                    shapes[a].overlay(&shapes[pi], OverlayRule::Difference, FillRule::NonZero);
                for p in pieces(outside) {
                    found
                        .outside
                        .push((p, regions[a].id.clone(), parent.id.clone()));
                }
                for (j, &b) in children.iter().enumerate().skip(i + 1) {
                    if !overlaps(&boxes[i], &boxes[j]) {
                        continue;
                    }
                    let both =
                        shapes[a].overlay(&shapes[b], OverlayRule::Intersect, FillRule::NonZero);
                    for p in pieces(both) {
                        found
                            .slivers
                            .push((p, regions[a].id.clone(), regions[b].id.clone()));
                    }
                }
            }
        }
        over += report(&found, file, (tolerance_m, snapped), &proj, notes);
    }
    over
}

/// An area as people read it: `0.4 m²`, `1,234 m²`, `63.2 km²`.
fn area_text(m2: f64) -> String {
    if m2 >= 1e6 {
        format!("{:.1} km²", m2 / 1e6)
    } else if m2 >= 10.0 {
        format!("{m2:.0} m²")
    } else {
        format!("{m2:.1} m²")
    }
}

/// Notes for one level's findings: each piece wider than the tolerance a warning of its
/// own (the largest five; the rest counted), those within it one line together. Returns
/// the area of those wider than the tolerance.
fn report(
    found: &Found,
    file: &str,
    (tolerance_m, snapped): (f64, bool),
    proj: &Projection,
    notes: &Notes,
) -> f64 {
    let place = |p: &Piece| {
        let (lon, lat) = proj.to_file(p.at);
        format!(
            "{} (about {:.1} m wide) around {lon:.5}, {lat:.5}",
            area_text(p.area),
            p.width
        )
    };
    let mut all: Vec<(Piece, String)> = Vec::new();
    for (p, parent) in &found.gaps {
        all.push((
            *p,
            format!("the children of {parent} leave a gap of {}", place(p)),
        ));
    }
    for (p, a, b) in &found.slivers {
        all.push((*p, format!("{a} and {b} overlap by {}", place(p))));
    }
    for (p, child, parent) in &found.outside {
        all.push((
            *p,
            format!("{child} reaches {} outside its parent {parent}", place(p)),
        ));
    }
    all.sort_by(|a, b| b.0.area.total_cmp(&a.0.area));
    let (wide, narrow): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|(p, _)| p.width > tolerance_m);
    for (_, line) in wide.iter().take(NAMED) {
        notes.add(format!("warning: {file}: {line}"));
    }
    let wide_area: f64 = wide.iter().map(|(p, _)| p.area).sum();
    if wide.len() > NAMED {
        notes.add(format!(
            "warning: {file}: …and {} more, {} in all, wider than {tolerance_m} m",
            wide.len() - NAMED,
            area_text(wide_area)
        ));
    }
    if let Some((largest, _)) = narrow.first() {
        let (lon, lat) = proj.to_file(largest.at);
        notes.add(format!(
            "{file}: {} slivers and gaps between neighbours, of mean width below \
             {tolerance_m} m, {} in all (the largest {} around {lon:.5}, {lat:.5}){}",
            narrow.len(),
            area_text(narrow.iter().map(|(p, _)| p.area).sum()),
            area_text(largest.area),
            if snapped {
                ": left after --snap, which closes what lies within the tolerance of a \
                 neighbour's vertex or edge"
            } else {
                ": `--snap` closes them"
            }
        ));
    }
    wide_area
}

/// Snaps the regions' outlines within `tolerance_m`: level by level from the top, each
/// vertex of a region moves to the nearest vertex, else the nearest edge point, of its
/// parent and of its siblings snapped before it, when one lies within the tolerance; then
/// each of those neighbours' vertices that lies within the tolerance of one of its edges is
/// inserted into that edge. Vertices that snapped onto one point are merged; a ring that
/// snapping would make cross itself is left as it was. Returns (vertices moved, vertices
/// inserted, rings left as they were).
pub(super) fn snap(regions: &mut [Region], tolerance_m: f64) -> (usize, usize, usize) {
    let Some(proj) = local_metres(regions) else {
        return (0, 0, 0);
    };
    let (mut moved, mut inserted, mut kept) = (0, 0, 0);
    for level in [Level::Street, Level::Community] {
        let order: Vec<usize> = (0..regions.len())
            .filter(|&k| regions[k].level == level)
            .collect();
        for (n, &k) in order.iter().enumerate() {
            let parent = regions[k].parent.clone();
            let mut reference = super::snap_index::Index::new(tolerance_m);
            for (j, r) in regions.iter().enumerate() {
                let sibling = order[..n].contains(&j) && r.parent == parent;
                if sibling || Some(&r.id) == parent.as_ref() {
                    for p in &r.outline {
                        for ring in std::iter::once(&p.exterior).chain(&p.holes) {
                            reference.add_ring(ring.iter().map(|q| proj.to_local(*q)));
                        }
                    }
                }
            }
            for poly in &mut regions[k].outline {
                for ring in std::iter::once(&mut poly.exterior).chain(poly.holes.iter_mut()) {
                    let mut local: Vec<P2> = ring.iter().map(|q| proj.to_local(*q)).collect();
                    let closed = local.len() > 1 && local.first() == local.last();
                    if closed {
                        local.pop();
                    }
                    let (m, i) = reference.snap_ring(&mut local);
                    if m + i == 0 {
                        continue;
                    }
                    tidy(&mut local);
                    if local.len() < 3 || self_intersection(&local).is_some() {
                        kept += 1;
                        continue;
                    }
                    if closed {
                        local.push(local[0]);
                    }
                    *ring = local.iter().map(|p| proj.to_file(*p)).collect();
                    moved += m;
                    inserted += i;
                }
            }
        }
    }
    (moved, inserted, kept)
}

/// Drops what snapping can leave in an open ring: a vertex repeating the one before it,
/// and a spike (a vertex whose neighbours coincide, an edge walked out and back).
fn tidy(ring: &mut Vec<P2>) {
    let mut changed = true;
    while changed && ring.len() >= 3 {
        changed = false;
        let n = ring.len();
        for k in 0..n {
            let (prev, here, next) = (ring[(k + n - 1) % n], ring[k], ring[(k + 1) % n]);
            if prev == here || prev == next {
                ring.remove(k);
                changed = true;
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A region of `level` with a rectangle outline (metres around the origin, as lon/lat).
    fn rect(id: &str, parent: Option<&str>, level: Level, x: [f64; 2], y: [f64; 2]) -> Region {
        let proj = Projection::new(Crs::Wgs84, (120.35, 36.08));
        let ring: Vec<(f64, f64)> = [
            [x[0], y[0]],
            [x[1], y[0]],
            [x[1], y[1]],
            [x[0], y[1]],
            [x[0], y[0]],
        ]
        .into_iter()
        .map(|p| proj.to_file(p))
        .collect();
        Region {
            id: id.into(),
            parent: parent.map(str::to_string),
            level,
            name: id.into(),
            name_en: id.into(),
            outline: vec![Polygon {
                exterior: ring,
                holes: vec![],
            }],
            figures: None,
        }
    }

    /// A district of 200 × 100 m and two subdistricts meeting near x = 100: `a_right` and
    /// `b_left` say where each one's side along the border lies.
    fn district(a_right: f64, b_left: f64) -> Vec<Region> {
        vec![
            rect("370203", None, Level::District, [0.0, 200.0], [0.0, 100.0]),
            rect(
                "370203001",
                Some("370203"),
                Level::Street,
                [0.0, a_right],
                [0.0, 100.0],
            ),
            rect(
                "370203002",
                Some("370203"),
                Level::Street,
                [b_left, 200.0],
                [0.0, 100.0],
            ),
        ]
    }

    fn lines(regions: &[Region], tolerance: f64) -> (f64, Vec<String>) {
        let notes = Notes::default();
        let wide = check(regions, tolerance, false, &notes);
        (wide, notes.into_lines())
    }

    #[test]
    fn neighbours_that_meet_report_nothing() {
        assert_eq!(lines(&district(100.0, 100.0), 0.5), (0.0, vec![]));
    }

    #[test]
    fn a_narrow_gap_is_reported_with_its_area_and_place_and_snapped_shut() {
        let mut regions = district(99.7, 100.0);
        let (wide, notes) = lines(&regions, 0.5);
        assert_eq!(wide, 0.0);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].starts_with(
                "streets: 1 slivers and gaps between neighbours, of mean width below 0.5 m, 30 m² in all"
            ) && notes[0].contains("around 120.35"),
            "{notes:?}"
        );
        let (moved, inserted, kept) = snap(&mut regions, 0.5);
        assert_eq!((moved, kept), (2, 0), "the two corners of the gap's side");
        assert_eq!(inserted, 0);
        assert_eq!(lines(&regions, 0.5), (0.0, vec![]), "closed");
    }

    #[test]
    fn a_sliver_claimed_by_both_is_named_by_both_ids() {
        let regions = district(100.2, 100.0);
        let (_, notes) = lines(&regions, 0.1);
        assert!(
            notes.iter().any(|n| n.starts_with(
                "warning: streets: 370203001 and 370203002 overlap by 20 m² (about 0.2 m wide)"
            )),
            "{notes:?}"
        );
    }

    #[test]
    fn children_that_leave_their_parent_uncovered_are_warned_about() {
        let regions = district(50.0, 150.0);
        let (wide, notes) = lines(&regions, 0.5);
        assert!((wide - 10_000.0).abs() < 1.0, "{wide}");
        assert!(
            notes[0].starts_with("warning: streets: the children of 370203 leave a gap of 10000 m² (about 50.0 m wide) around 120.35"),
            "{notes:?}"
        );
        let mut snapped = regions.clone();
        snap(&mut snapped, 0.5);
        assert_eq!(snapped, regions, "beyond the tolerance nothing moves");
    }
}
