//! Borders that look like a city's, not a treemap's: every shared border of the district,
//! its subdistricts and communities (straight cuts until here) becomes a gently winding
//! line, the same line for both neighbours and every level, and the district's bay side
//! (west, on Jiaozhou Bay) a ragged coastline of piers and inlets.
//!
//! How: the polygons are first made conforming (every vertex lying on another polygon's
//! edge is inserted into that edge), so that each elementary segment is shared exactly;
//! each segment is then replaced by a polyline computed from its two end points alone
//! (a hash of them seeds the noise), so both sides of a border get the same points. The
//! amplitude tapers to zero at the end points (sin envelope) and stays a few per cent of
//! the segment's length, so no polygon crosses itself; if one would, the amplitude is
//! halved and everything redone.

use crate::geo::{P2, distance_to_segment, self_intersection};

/// What a segment is, which sets how much it winds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Edge {
    /// Between two regions inside the district: a street, gently winding.
    Inner,
    /// On the district's land border.
    Land,
    /// On the bay: a coastline.
    Coast,
}

/// Makes the borders of `district`, `streets` and `communities` (local metres,
/// counter-clockwise, sharing their vertices as `shapes::split` leaves them) organic, in
/// place. Deterministic: the same polygons give the same result.
pub fn organic(district: &mut Vec<P2>, streets: &mut [Vec<P2>], communities: &mut [Vec<P2>]) {
    let mut vertices: Vec<P2> = Vec::new();
    vertices.extend(district.iter().copied());
    for p in streets.iter().chain(communities.iter()) {
        vertices.extend(p.iter().copied());
    }
    vertices.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    vertices.dedup();
    let outline = conform(district, &vertices);
    let base_streets: Vec<Vec<P2>> = streets.iter().map(|p| conform(p, &vertices)).collect();
    let base_communities: Vec<Vec<P2>> =
        communities.iter().map(|p| conform(p, &vertices)).collect();
    let centre = crate::geo::centroid(&outline);
    let mut amplitude = 1.0;
    for _ in 0..5 {
        let wiggle = |p: &[P2]| wiggled(p, &outline, centre, amplitude);
        let d = wiggle(&outline);
        let s: Vec<Vec<P2>> = base_streets.iter().map(|p| wiggle(p)).collect();
        let c: Vec<Vec<P2>> = base_communities.iter().map(|p| wiggle(p)).collect();
        let crossed = std::iter::once(&d)
            .chain(&s)
            .chain(&c)
            .any(|p| self_intersection(p).is_some());
        if !crossed {
            *district = d;
            streets.clone_from_slice(&s);
            communities.clone_from_slice(&c);
            return;
        }
        amplitude *= 0.5;
    }
    // Straight, as they came (but conforming).
    *district = outline;
    streets.clone_from_slice(&base_streets);
    communities.clone_from_slice(&base_communities);
}

/// Tolerance for a vertex lying on an edge, metres (`shapes::clean` drops points closer
/// than 0.05 m).
const ON_EDGE_M: f64 = 0.06;

/// `poly` with every vertex of `vertices` that lies inside one of its edges inserted there.
fn conform(poly: &[P2], vertices: &[P2]) -> Vec<P2> {
    let mut out = Vec::with_capacity(poly.len() * 2);
    for i in 0..poly.len() {
        let (a, b) = (poly[i], poly[(i + 1) % poly.len()]);
        out.push(a);
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len2 = dx * dx + dy * dy;
        if len2 < 1e-12 {
            continue;
        }
        let len = len2.sqrt();
        let mut on: Vec<(f64, P2)> = vertices
            .iter()
            .filter_map(|&v| {
                let t = ((v[0] - a[0]) * dx + (v[1] - a[1]) * dy) / len2;
                let off = ((v[0] - a[0]) * dy - (v[1] - a[1]) * dx).abs() / len;
                let inside = t * len > ON_EDGE_M && (1.0 - t) * len > ON_EDGE_M;
                (inside && off < ON_EDGE_M).then_some((t, v))
            })
            .collect();
        on.sort_by(|x, y| x.0.total_cmp(&y.0));
        out.extend(on.into_iter().map(|(_, v)| v));
    }
    out.dedup();
    out
}

/// `poly` with each of its edges replaced by its winding line.
fn wiggled(poly: &[P2], outline: &[P2], centre: P2, amplitude: f64) -> Vec<P2> {
    let mut out = Vec::with_capacity(poly.len() * 8);
    for i in 0..poly.len() {
        let (a, b) = (poly[i], poly[(i + 1) % poly.len()]);
        out.push(a);
        let kind = kind_of(a, b, outline, centre);
        out.extend(line(a, b, kind, amplitude));
    }
    out
}

/// Whether the segment lies on the district's outline, and on which side.
fn kind_of(a: P2, b: P2, outline: &[P2], centre: P2) -> Edge {
    let m = [(a[0] + b[0]) * 0.5, (a[1] + b[1]) * 0.5];
    let on_outline = (0..outline.len()).any(|i| {
        let (p, q) = (outline[i], outline[(i + 1) % outline.len()]);
        distance_to_segment(m, p, q) < ON_EDGE_M
    });
    if !on_outline {
        return Edge::Inner;
    }
    // The bay lies west of Shibei: the outline's western side is its coast.
    if m[0] < centre[0] {
        Edge::Coast
    } else {
        Edge::Land
    }
}

/// The interior points of the winding line from `a` to `b`: the same points, reversed,
/// for the segment from `b` to `a`.
fn line(a: P2, b: P2, kind: Edge, amplitude: f64) -> Vec<P2> {
    let forward = (a[0], a[1]) <= (b[0], b[1]);
    let (p, q) = if forward { (a, b) } else { (b, a) };
    let (dx, dy) = (q[0] - p[0], q[1] - p[1]);
    let len = dx.hypot(dy);
    // (share of the length, cap in metres, point spacing in metres): streets bend a
    // little over their length, the coast is ragged.
    let (reach, cap, spacing) = match kind {
        Edge::Inner => (0.07, 70.0, 30.0),
        Edge::Land => (0.05, 50.0, 30.0),
        Edge::Coast => (0.09, 100.0, 22.0),
    };
    let amp = (reach * len).min(cap) * amplitude;
    let k = ((len / spacing) as usize).min(120);
    if k == 0 || amp < 0.5 {
        return Vec::new();
    }
    let mut h = seed(p, q);
    let mut unit = || {
        h ^= h << 13;
        h ^= h >> 7;
        h ^= h << 17;
        (h >> 11) as f64 / (1u64 << 53) as f64
    };
    // A long bend and a shorter one (cycles over the segment).
    let (f1, f2) = (0.5 + unit(), 1.8 + 1.7 * unit());
    let (p1, p2) = (
        unit() * std::f64::consts::TAU,
        unit() * std::f64::consts::TAU,
    );
    let n = [-dy / len, dx / len];
    let mut pts: Vec<P2> = (1..=k)
        .map(|i| {
            let t = i as f64 / (k + 1) as f64;
            let envelope = (std::f64::consts::PI * t).sin();
            let mut wave = 0.75 * (std::f64::consts::TAU * f1 * t + p1).sin()
                + 0.25 * (std::f64::consts::TAU * f2 * t + p2).sin();
            if kind == Edge::Coast {
                // Piers and inlets: a ragged edge on the long swell.
                wave += 0.6 * (unit() - 0.5);
            }
            let off = amp * envelope * wave;
            [p[0] + t * dx + n[0] * off, p[1] + t * dy + n[1] * off]
        })
        .collect();
    if !forward {
        pts.reverse();
    }
    pts
}

/// A seed from a segment's end points (to the centimetre), the same for either side.
fn seed(p: P2, q: P2) -> u64 {
    let mut h: u64 = 0x9e37_79b9_7f4a_7c15;
    for v in [p[0], p[1], q[0], q[1]] {
        h ^= ((v * 100.0).round() as i64) as u64;
        h = h.wrapping_mul(0x0100_0000_01b3).rotate_left(23);
    }
    h | 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::rng::Rng;
    use crate::generate::shapes::{district_outline, split};
    use crate::geo::signed_area;

    #[test]
    fn borders_wind_alike_on_both_sides_and_keep_the_area() {
        let mut rng = Rng::new(3);
        let mut district = district_outline(&mut rng, 4_000_000.0);
        let mut streets = split(&mut rng, district.clone(), &[1.0, 2.0, 1.5, 1.0]);
        let mut communities: Vec<Vec<P2>> = streets
            .iter()
            .flat_map(|s| split(&mut rng, s.clone(), &[1.0, 1.0, 1.0]))
            .collect();
        let area = |ps: &[Vec<P2>]| ps.iter().map(|p| signed_area(p).abs()).sum::<f64>();
        let before = district.len();
        organic(&mut district, &mut streets, &mut communities);
        assert!(district.len() > before * 4, "the outline winds");
        // Subdistricts and communities still tile the district exactly: the same points on
        // both sides of every border.
        let d = signed_area(&district).abs();
        assert!((area(&streets) - d).abs() < 1e-3 * d);
        assert!((area(&communities) - d).abs() < 1e-3 * d);
        for p in streets.iter().chain(&communities).chain([&district]) {
            assert!(self_intersection(p).is_none());
            assert!(signed_area(p) > 0.0, "still counter-clockwise");
        }
    }
}
