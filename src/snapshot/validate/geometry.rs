//! Coordinates, rings and polygons: finite, in range for the CRS, closed, at least three
//! distinct points and no self-intersection.

use super::Report;
use crate::geo;
use crate::snapshot::model::{Crs, Point, Polygon};

fn coordinate_ok(crs: Crs, p: Point) -> bool {
    if !p.0.is_finite() || !p.1.is_finite() {
        return false;
    }
    if crs.is_geographic() {
        (-180.0..=180.0).contains(&p.0) && (-90.0..=90.0).contains(&p.1)
    } else {
        p.0.abs() <= 1e8 && p.1.abs() <= 1e8
    }
}

/// Checks a closed ring; returns false when it is unusable.
fn check_ring(r: &mut Report, crs: Crs, place: &str, ring: &[Point]) -> bool {
    if let Some((i, p)) = ring
        .iter()
        .enumerate()
        .find(|(_, p)| !coordinate_ok(crs, **p))
    {
        let range = if crs.is_geographic() {
            "longitude −180…180 and latitude −90…90"
        } else {
            "±100,000 km"
        };
        r.error(
            format!("{place}[{i}]"),
            format!(
                "coordinate ({}, {}) is not finite or outside {range} for {crs:?}",
                p.0, p.1
            ),
        );
        return false;
    }
    if ring.len() >= 2 && ring.first() != ring.last() {
        r.error(
            place,
            "ring is not closed: the last point must repeat the first",
        );
        return false;
    }
    let open: Vec<geo::P2> = ring[..ring.len().saturating_sub(1)]
        .iter()
        .map(|p| [p.0, p.1])
        .collect();
    if geo::distinct_points(&open) < 3 {
        r.error(place, "ring has fewer than 3 distinct points");
        return false;
    }
    if let Some((a, b)) = geo::self_intersection(&open) {
        r.error(
            place,
            format!("ring intersects itself (edges {a} and {b} touch or cross)"),
        );
        return false;
    }
    true
}

pub(super) fn check_polygon(r: &mut Report, crs: Crs, place: &str, poly: &Polygon) {
    check_ring(r, crs, &format!("{place}.exterior"), &poly.exterior);
    for (h, hole) in poly.holes.iter().enumerate() {
        check_ring(r, crs, &format!("{place}.holes[{h}]"), hole);
    }
}

/// Checks a single point (`field` of the row at `place`); false when unusable.
pub(super) fn check_point(r: &mut Report, crs: Crs, place: &str, field: &str, p: Point) -> bool {
    if coordinate_ok(crs, p) {
        return true;
    }
    let range = if crs.is_geographic() {
        "longitude −180…180 and latitude −90…90"
    } else {
        "±100,000 km"
    };
    r.error(
        place,
        format!(
            "{field} ({}, {}) is not finite or outside {range} for {crs:?}",
            p.0, p.1
        ),
    );
    false
}
