//! Outlines drawn at the map's scale: Douglas–Peucker simplification of open rings, so a
//! district view does not draw a vertex every 30 m when a pixel there is 10–20 m wide.
//! Only what is drawn is simplified; hit tests and checks keep the snapshot's outlines.

use super::{LocalPolygon, P2, distance2_to_segment, signed_area};

/// An open ring with the vertices that deviate less than `tolerance` (the ring's units,
/// metres locally) from the simplified line removed (Douglas–Peucker, D. Douglas and
/// T. Peucker, *The Canadian Cartographer* 10(2), 1973), split at vertex 0 and the vertex
/// farthest from it. Returns the ring unchanged when it has fewer than 4 vertices, when the
/// tolerance is not a positive number, or when the result would have fewer than 3 vertices
/// or lose more than a quarter of the ring's area (a sliver simplified away).
pub fn simplify_ring(ring: &[P2], tolerance: f64) -> Vec<P2> {
    let n = ring.len();
    if n < 4 || tolerance.is_nan() || tolerance <= 0.0 {
        return ring.to_vec();
    }
    let first = ring[0];
    let far = (1..n)
        .max_by(|&a, &b| {
            let da = (ring[a][0] - first[0]).hypot(ring[a][1] - first[1]);
            let db = (ring[b][0] - first[0]).hypot(ring[b][1] - first[1]);
            da.total_cmp(&db)
        })
        .unwrap_or(n / 2);
    let mut keep = vec![false; n];
    keep[0] = true;
    keep[far] = true;
    // Spans of ring indices (the second half wraps round to vertex 0, written as n).
    let mut spans = vec![(0, far), (far, n)];
    let tolerance2 = tolerance * tolerance;
    while let Some((a, b)) = spans.pop() {
        let (pa, pb) = (ring[a % n], ring[b % n]);
        let mut best = (0.0, 0);
        for (k, p) in ring.iter().enumerate().take(b).skip(a + 1) {
            let d = distance2_to_segment(*p, pa, pb);
            if d > best.0 {
                best = (d, k);
            }
        }
        if best.0 > tolerance2 {
            keep[best.1] = true;
            spans.push((a, best.1));
            spans.push((best.1, b));
        }
    }
    let out: Vec<P2> = ring
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(p, _)| *p)
        .collect();
    let (before, after) = (signed_area(ring).abs(), signed_area(&out).abs());
    if out.len() < 3 || (after - before).abs() > before * 0.25 {
        return ring.to_vec();
    }
    out
}

impl LocalPolygon {
    /// This polygon with each ring simplified by [`simplify_ring`] at `tolerance` (metres
    /// locally). A hole simplified to nothing is kept as it was.
    pub fn simplified(&self, tolerance: f64) -> LocalPolygon {
        LocalPolygon {
            exterior: simplify_ring(&self.exterior, tolerance),
            holes: self
                .holes
                .iter()
                .map(|h| simplify_ring(h, tolerance))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A square with a 1 m wiggle every 5 m along each side.
    fn wiggly_square() -> Vec<P2> {
        let mut ring = Vec::new();
        for side in 0..4 {
            for k in 0..20 {
                let t = k as f64 * 5.0;
                let w = if k % 2 == 1 { 1.0 } else { 0.0 };
                ring.push(match side {
                    0 => [t, -w],
                    1 => [100.0 + w, t],
                    2 => [100.0 - t, 100.0 + w],
                    _ => [-w, 100.0 - t],
                });
            }
        }
        ring
    }

    #[test]
    fn wiggles_under_the_tolerance_go_and_corners_stay() {
        let ring = wiggly_square();
        let out = simplify_ring(&ring, 2.0);
        assert_eq!(out.len(), 4, "{out:?}");
        for corner in [[0.0, 0.0], [100.0, 0.0], [100.0, 100.0], [0.0, 100.0]] {
            assert!(out.contains(&corner), "{corner:?} lost: {out:?}");
        }
        // Under the tolerance nothing changes.
        assert_eq!(simplify_ring(&ring, 0.5), ring);
    }

    #[test]
    fn every_dropped_vertex_lies_within_the_tolerance() {
        let ring = wiggly_square();
        for tol in [0.5, 1.5, 3.0] {
            let out = simplify_ring(&ring, tol);
            for p in &ring {
                assert!(
                    super::super::ring_distance(&out, *p) <= tol + 1e-9,
                    "{p:?} at tolerance {tol}"
                );
            }
        }
    }

    #[test]
    fn slivers_small_rings_and_bad_tolerances_are_left_alone() {
        let thin = vec![[0.0, 0.0], [50.0, 0.5], [100.0, 0.0], [50.0, 1.0]];
        assert_eq!(simplify_ring(&thin, 2.0), thin);
        let tri = vec![[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]];
        assert_eq!(simplify_ring(&tri, 10.0), tri);
        let ring = wiggly_square();
        assert_eq!(simplify_ring(&ring, f64::NAN), ring);
        assert_eq!(simplify_ring(&ring, -1.0), ring);
    }

    #[test]
    fn holes_are_simplified_too() {
        let poly = LocalPolygon {
            exterior: vec![
                [-10.0, -10.0],
                [110.0, -10.0],
                [110.0, 110.0],
                [-10.0, 110.0],
            ],
            holes: vec![wiggly_square()],
        };
        let s = poly.simplified(2.0);
        assert_eq!(s.exterior, poly.exterior);
        assert_eq!(s.holes[0].len(), 4);
    }
}
