//! Synthetic geometry for demo and stress snapshots: a convex district outline cut into
//! subdistricts and communities by straight "roads", so neighbours share their borders
//! (`organic` then makes the borders wind).

use super::rng::Rng;
use crate::geo::{P2, signed_area};

/// A convex, elongated district outline of `area` m², centred on the origin,
/// counter-clockwise.
pub fn district_outline(rng: &mut Rng, area: f64) -> Vec<P2> {
    let (a, b) = (1.85_f64, 1.0_f64);
    let tilt = 62f64.to_radians();
    let n = 18;
    let mut pts: Vec<P2> = (0..n)
        .map(|i| {
            let t = i as f64 / n as f64 * std::f64::consts::TAU + rng.range(-0.08, 0.08);
            let r = rng.range(0.9, 1.06);
            let (x, y) = (a * r * t.cos(), b * r * t.sin());
            [
                x * tilt.cos() - y * tilt.sin(),
                x * tilt.sin() + y * tilt.cos(),
            ]
        })
        .collect();
    pts = convex_hull(pts);
    let scale = (area / signed_area(&pts).abs()).sqrt();
    for p in &mut pts {
        p[0] *= scale;
        p[1] *= scale;
    }
    pts
}

/// Andrew's monotone chain; counter-clockwise, no repeated point.
pub fn convex_hull(mut pts: Vec<P2>) -> Vec<P2> {
    pts.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    pts.dedup();
    if pts.len() < 3 {
        return pts;
    }
    let cross = |o: P2, a: P2, b: P2| (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    let mut lower: Vec<P2> = Vec::new();
    for p in &pts {
        while lower.len() >= 2 && cross(lower[lower.len() - 2], lower[lower.len() - 1], *p) <= 0.0 {
            lower.pop();
        }
        lower.push(*p);
    }
    let mut upper: Vec<P2> = Vec::new();
    for p in pts.iter().rev() {
        while upper.len() >= 2 && cross(upper[upper.len() - 2], upper[upper.len() - 1], *p) <= 0.0 {
            upper.pop();
        }
        upper.push(*p);
    }
    lower.pop();
    upper.pop();
    lower.extend(upper);
    lower
}

/// The part of a convex polygon where `n·p <= t` (`keep_below`) or `>= t`.
pub(crate) fn clip(poly: &[P2], n: P2, t: f64, keep_below: bool) -> Vec<P2> {
    let d = |p: P2| {
        let v = n[0] * p[0] + n[1] * p[1] - t;
        if keep_below { v } else { -v }
    };
    let mut out = Vec::with_capacity(poly.len() + 2);
    for i in 0..poly.len() {
        let a = poly[i];
        let b = poly[(i + 1) % poly.len()];
        let (da, db) = (d(a), d(b));
        if da <= 0.0 {
            out.push(a);
        }
        if (da < 0.0 && db > 0.0) || (da > 0.0 && db < 0.0) {
            // Computed from the edge in polygon order, so both halves get the same point.
            let (ra, rb) = (n[0] * a[0] + n[1] * a[1], n[0] * b[0] + n[1] * b[1]);
            let s = (t - ra) / (rb - ra);
            out.push([a[0] + (b[0] - a[0]) * s, a[1] + (b[1] - a[1]) * s]);
        }
    }
    out
}

/// Cuts a convex polygon into pieces with areas proportional to `weights`, by straight
/// cuts across the longer axis of each part. Pieces come back in the order of `weights`.
pub fn split(rng: &mut Rng, poly: Vec<P2>, weights: &[f64]) -> Vec<Vec<P2>> {
    if weights.len() <= 1 {
        return vec![poly];
    }
    let total: f64 = weights.iter().sum();
    let mut k = 1;
    let mut acc = weights[0];
    while k < weights.len() - 1 && (acc + weights[k]) <= total / 2.0 {
        acc += weights[k];
        k += 1;
    }
    let frac = acc / total;
    // The direction along which the polygon is longest.
    let mut best = (0.0, 0.0);
    for step in 0..36 {
        let a = step as f64 * 5f64.to_radians();
        let n = [a.cos(), a.sin()];
        let (lo, hi) = extent(&poly, n);
        if hi - lo > best.1 {
            best = (a, hi - lo);
        }
    }
    let angle = best.0 + rng.range(-0.25, 0.25);
    let n = [angle.cos(), angle.sin()];
    let (lo, hi) = extent(&poly, n);
    let whole = signed_area(&poly).abs();
    let (mut a, mut b) = (lo, hi);
    for _ in 0..60 {
        let mid = (a + b) * 0.5;
        let part = signed_area(&clip(&poly, n, mid, true)).abs();
        if part < frac * whole {
            a = mid;
        } else {
            b = mid;
        }
    }
    let t = (a + b) * 0.5;
    let below = clip(&poly, n, t, true);
    let above = clip(&poly, n, t, false);
    let mut out = split(rng, below, &weights[..k]);
    out.extend(split(rng, above, &weights[k..]));
    out
}

fn extent(poly: &[P2], n: P2) -> (f64, f64) {
    poly.iter()
        .map(|p| n[0] * p[0] + n[1] * p[1])
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        })
}

/// Signed distance from `p` to the nearest edge of a polygon ring, metres: positive inside,
/// negative outside. Any simple ring (the winding borders of `organic` are not convex).
pub fn inset_distance(poly: &[P2], p: P2) -> f64 {
    let d = crate::geo::ring_distance(poly, p);
    if crate::geo::point_in_ring(p, poly) {
        d
    } else {
        -d
    }
}

/// Removes points closer than `eps` to their predecessor (cuts through a vertex).
pub fn clean(mut ring: Vec<P2>, eps: f64) -> Vec<P2> {
    ring.dedup_by(|b, a| (a[0] - b[0]).hypot(a[1] - b[1]) < eps);
    while ring.len() > 3 {
        let (f, l) = (ring[0], ring[ring.len() - 1]);
        if (f[0] - l[0]).hypot(f[1] - l[1]) < eps {
            ring.pop();
        } else {
            break;
        }
    }
    ring
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keeps_area_and_proportions() {
        let mut rng = Rng::new(7);
        let poly = district_outline(&mut rng, 1_000_000.0);
        let weights = [1.0, 2.0, 3.0, 4.0];
        let parts = split(&mut rng, poly, &weights);
        assert_eq!(parts.len(), 4);
        let total: f64 = parts.iter().map(|p| signed_area(p).abs()).sum();
        assert!((total - 1_000_000.0).abs() < 1.0, "{total}");
        for (p, w) in parts.iter().zip(weights) {
            let share = signed_area(p).abs() / total;
            assert!((share - w / 10.0).abs() < 1e-6, "{share} vs {w}");
        }
    }
}
