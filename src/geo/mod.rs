//! Plane geometry for outlines and footprints: ring checks, projection to local metres,
//! areas, centroids, point-in-polygon and triangulation. Plain Rust, no Bevy types.

pub mod gcj02;
mod simplify;

pub use simplify::simplify_ring;

use crate::snapshot::model::{Crs, Point, Polygon};

/// A point in local metres (east, north) around the snapshot's reference point.
pub type P2 = [f64; 2];

/// Metres per degree of latitude (mean, WGS 84).
const METRES_PER_DEG_LAT: f64 = 110_574.0;
/// Metres per degree of longitude at the equator.
const METRES_PER_DEG_LON: f64 = 111_320.0;

/// Maps file coordinates to local metres around a reference point, so that the map works in
/// a plane with east right and north up. Local equirectangular: exact enough for a district.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    origin: Point,
    geographic: bool,
    lon_scale: f64,
}

impl Projection {
    /// A projection centred on `origin` for points in `crs`.
    pub fn new(crs: Crs, origin: Point) -> Self {
        let geographic = crs.is_geographic();
        let lon_scale = if geographic {
            METRES_PER_DEG_LON * origin.1.to_radians().cos()
        } else {
            1.0
        };
        Self {
            origin,
            geographic,
            lon_scale,
        }
    }

    /// File coordinates → local metres.
    pub fn to_local(&self, p: Point) -> P2 {
        if self.geographic {
            [
                (p.0 - self.origin.0) * self.lon_scale,
                (p.1 - self.origin.1) * METRES_PER_DEG_LAT,
            ]
        } else {
            [p.0 - self.origin.0, p.1 - self.origin.1]
        }
    }

    /// Local metres → file coordinates.
    pub fn to_file(&self, p: P2) -> Point {
        if self.geographic {
            (
                p[0] / self.lon_scale + self.origin.0,
                p[1] / METRES_PER_DEG_LAT + self.origin.1,
            )
        } else {
            (p[0] + self.origin.0, p[1] + self.origin.1)
        }
    }
}

/// An axis-aligned box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub min: P2,
    pub max: P2,
}

impl Rect {
    /// The empty box (grows with [`Rect::include`]).
    pub const EMPTY: Rect = Rect {
        min: [f64::INFINITY, f64::INFINITY],
        max: [f64::NEG_INFINITY, f64::NEG_INFINITY],
    };

    pub fn include(&mut self, p: P2) {
        self.min[0] = self.min[0].min(p[0]);
        self.min[1] = self.min[1].min(p[1]);
        self.max[0] = self.max[0].max(p[0]);
        self.max[1] = self.max[1].max(p[1]);
    }

    pub fn union(&mut self, other: &Rect) {
        if !other.is_empty() {
            self.include(other.min);
            self.include(other.max);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.min[0] > self.max[0] || self.min[1] > self.max[1]
    }

    /// Whether the two boxes share a point (edges included); never for an empty box.
    pub fn intersects(&self, other: &Rect) -> bool {
        !self.is_empty()
            && !other.is_empty()
            && self.min[0] <= other.max[0]
            && other.min[0] <= self.max[0]
            && self.min[1] <= other.max[1]
            && other.min[1] <= self.max[1]
    }

    pub fn contains(&self, p: P2) -> bool {
        p[0] >= self.min[0] && p[0] <= self.max[0] && p[1] >= self.min[1] && p[1] <= self.max[1]
    }

    pub fn width(&self) -> f64 {
        self.max[0] - self.min[0]
    }

    pub fn height(&self) -> f64 {
        self.max[1] - self.min[1]
    }

    pub fn center(&self) -> P2 {
        [
            (self.min[0] + self.max[0]) * 0.5,
            (self.min[1] + self.max[1]) * 0.5,
        ]
    }

    pub fn of_points(points: &[P2]) -> Rect {
        let mut r = Rect::EMPTY;
        for p in points {
            r.include(*p);
        }
        r
    }
}

/// A polygon in local metres; rings are open (the closing point is dropped).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LocalPolygon {
    pub exterior: Vec<P2>,
    pub holes: Vec<Vec<P2>>,
}

impl LocalPolygon {
    /// Projects a file polygon, dropping each ring's closing point.
    pub fn project(polygon: &Polygon, projection: &Projection) -> Self {
        let ring = |r: &[Point]| -> Vec<P2> {
            let mut out: Vec<P2> = r.iter().map(|p| projection.to_local(*p)).collect();
            if out.len() > 1 && out.first() == out.last() {
                out.pop();
            }
            out
        };
        Self {
            exterior: ring(&polygon.exterior),
            holes: polygon.holes.iter().map(|h| ring(h)).collect(),
        }
    }

    /// Area in m² (holes subtracted).
    pub fn area(&self) -> f64 {
        signed_area(&self.exterior).abs()
            - self.holes.iter().map(|h| signed_area(h).abs()).sum::<f64>()
    }

    pub fn bounds(&self) -> Rect {
        Rect::of_points(&self.exterior)
    }

    /// Whether `p` lies inside the exterior and outside every hole.
    pub fn contains(&self, p: P2) -> bool {
        point_in_ring(p, &self.exterior) && !self.holes.iter().any(|h| point_in_ring(p, h))
    }

    /// Triangulates the polygon; returns vertices and triangle indices into them.
    pub fn triangulate(&self) -> (Vec<P2>, Vec<u32>) {
        let mut vertices: Vec<P2> = self.exterior.clone();
        let mut hole_starts: Vec<u32> = Vec::with_capacity(self.holes.len());
        for hole in &self.holes {
            hole_starts.push(vertices.len() as u32);
            vertices.extend_from_slice(hole);
        }
        let mut indices: Vec<u32> = Vec::new();
        if self.exterior.len() >= 3 {
            let mut earcut = earcut::Earcut::new();
            earcut.earcut(vertices.iter().copied(), &hole_starts, &mut indices);
        }
        (vertices, indices)
    }

    /// A point well inside the polygon for its label: the centroid when it lies inside,
    /// else the inside point nearest to it along a horizontal scan.
    pub fn label_point(&self) -> P2 {
        let c = centroid(&self.exterior);
        if self.contains(c) {
            return c;
        }
        let b = self.bounds();
        let mut best: Option<(f64, P2)> = None;
        for step in 1..40 {
            let y = b.min[1] + b.height() * step as f64 / 40.0;
            let xs = ring_crossings(y, &self.exterior);
            for pair in xs.chunks_exact(2) {
                let mid = [(pair[0] + pair[1]) * 0.5, y];
                let d = (mid[0] - c[0]).hypot(mid[1] - c[1]);
                if self.contains(mid) && best.is_none_or(|(bd, _)| d < bd) {
                    best = Some((d, mid));
                }
            }
        }
        best.map_or(c, |(_, p)| p)
    }
}

impl LocalPolygon {
    /// Further label positions inside the polygon: the middle of the widest inside span on
    /// horizontal lines at the given fractions of its height.
    pub fn interior_points(&self, fractions: &[f64]) -> Vec<P2> {
        let b = self.bounds();
        let mut out = Vec::new();
        for f in fractions {
            let y = b.min[1] + b.height() * f;
            let xs = ring_crossings(y, &self.exterior);
            let best = xs
                .chunks_exact(2)
                .map(|p| (p[1] - p[0], [(p[0] + p[1]) * 0.5, y]))
                .filter(|(_, m)| self.contains(*m))
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((_, m)) = best {
                out.push(m);
            }
        }
        out
    }
}

fn ring_crossings(y: f64, ring: &[P2]) -> Vec<f64> {
    let mut xs = Vec::new();
    for i in 0..ring.len() {
        let a = ring[i];
        let b = ring[(i + 1) % ring.len()];
        if (a[1] > y) != (b[1] > y) {
            xs.push(a[0] + (y - a[1]) / (b[1] - a[1]) * (b[0] - a[0]));
        }
    }
    xs.sort_by(f64::total_cmp);
    xs
}

/// Signed area of an open ring (positive when counter-clockwise).
pub fn signed_area(ring: &[P2]) -> f64 {
    let n = ring.len();
    if n < 3 {
        return 0.0;
    }
    let mut sum = 0.0;
    for i in 0..n {
        let a = ring[i];
        let b = ring[(i + 1) % n];
        sum += a[0] * b[1] - b[0] * a[1];
    }
    sum * 0.5
}

/// Area centroid of an open ring; the vertex mean for degenerate rings.
pub fn centroid(ring: &[P2]) -> P2 {
    let n = ring.len();
    if n == 0 {
        return [0.0, 0.0];
    }
    let a = signed_area(ring);
    if a.abs() < 1e-12 {
        let s = ring
            .iter()
            .fold([0.0, 0.0], |acc, p| [acc[0] + p[0], acc[1] + p[1]]);
        return [s[0] / n as f64, s[1] / n as f64];
    }
    let (mut cx, mut cy) = (0.0, 0.0);
    for i in 0..n {
        let p = ring[i];
        let q = ring[(i + 1) % n];
        let cross = p[0] * q[1] - q[0] * p[1];
        cx += (p[0] + q[0]) * cross;
        cy += (p[1] + q[1]) * cross;
    }
    [cx / (6.0 * a), cy / (6.0 * a)]
}

/// Distance from `p` to the segment `a`–`b`, in the points' units (metres locally).
pub fn distance_to_segment(p: P2, a: P2, b: P2) -> f64 {
    distance2_to_segment(p, a, b).sqrt()
}

/// The square of [`distance_to_segment`] (for comparing distances without the root).
pub(crate) fn distance2_to_segment(p: P2, a: P2, b: P2) -> f64 {
    let (q, _) = nearest_on_segment(p, a, b);
    let (ex, ey) = (p[0] - q[0], p[1] - q[1]);
    ex * ex + ey * ey
}

/// The point of segment `a`–`b` nearest to `p`, and its parameter along the segment (0 at
/// `a`, 1 at `b`; 0 for a segment of no length).
pub fn nearest_on_segment(p: P2, a: P2, b: P2) -> (P2, f64) {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    ([a[0] + dx * t, a[1] + dy * t], t)
}

/// Distance from `p` to the nearest edge of an open ring (infinite for an empty one).
pub fn ring_distance(ring: &[P2], p: P2) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| distance_to_segment(p, ring[i], ring[(i + 1) % n]))
        .fold(f64::INFINITY, f64::min)
}

/// Even-odd point-in-ring test for an open ring.
pub fn point_in_ring(p: P2, ring: &[P2]) -> bool {
    let n = ring.len();
    let mut inside = false;
    let mut j = n.wrapping_sub(1);
    for i in 0..n {
        let a = ring[i];
        let b = ring[j];
        if (a[1] > p[1]) != (b[1] > p[1])
            && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0]
        {
            inside = !inside;
        }
        j = i;
    }
    inside
}

fn orient(a: P2, b: P2, c: P2) -> f64 {
    (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
}

fn on_segment(a: P2, b: P2, p: P2) -> bool {
    p[0] >= a[0].min(b[0])
        && p[0] <= a[0].max(b[0])
        && p[1] >= a[1].min(b[1])
        && p[1] <= a[1].max(b[1])
}

/// Whether segments ab and cd touch or cross.
pub fn segments_intersect(a: P2, b: P2, c: P2, d: P2) -> bool {
    let d1 = orient(c, d, a);
    let d2 = orient(c, d, b);
    let d3 = orient(a, b, c);
    let d4 = orient(a, b, d);
    if ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0))
        && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
    {
        return true;
    }
    (d1 == 0.0 && on_segment(c, d, a))
        || (d2 == 0.0 && on_segment(c, d, b))
        || (d3 == 0.0 && on_segment(a, b, c))
        || (d4 == 0.0 && on_segment(a, b, d))
}

/// Finds a pair of non-adjacent edges of an open ring that touch or cross, as edge indices
/// (edge i runs from point i to point i+1). Sweeps edges by x so typical rings cost
/// O(n log n) rather than O(n²).
pub fn self_intersection(ring: &[P2]) -> Option<(usize, usize)> {
    let n = ring.len();
    if n < 4 {
        return None;
    }
    let edge = |i: usize| (ring[i], ring[(i + 1) % n]);
    let mut order: Vec<usize> = (0..n).collect();
    let min_x = |i: usize| {
        let (a, b) = edge(i);
        a[0].min(b[0])
    };
    order.sort_by(|&i, &j| min_x(i).total_cmp(&min_x(j)));
    for (k, &i) in order.iter().enumerate() {
        let (a, b) = edge(i);
        let max_x = a[0].max(b[0]);
        for &j in &order[k + 1..] {
            if min_x(j) > max_x {
                break;
            }
            let adjacent = (i + 1) % n == j || (j + 1) % n == i;
            if adjacent {
                continue;
            }
            let (c, d) = edge(j);
            if segments_intersect(a, b, c, d) {
                return Some((i.min(j), i.max(j)));
            }
        }
    }
    None
}

/// Number of distinct points of an open ring.
pub fn distinct_points(ring: &[P2]) -> usize {
    let mut pts: Vec<P2> = ring.to_vec();
    pts.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    pts.dedup();
    pts.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(s: f64) -> Vec<P2> {
        vec![[0.0, 0.0], [s, 0.0], [s, s], [0.0, s]]
    }

    #[test]
    fn area_and_centroid_of_square() {
        let sq = square(2.0);
        assert_eq!(signed_area(&sq), 4.0);
        assert_eq!(centroid(&sq), [1.0, 1.0]);
    }

    #[test]
    fn holes_subtract_and_exclude() {
        let poly = LocalPolygon {
            exterior: square(10.0),
            holes: vec![vec![[4.0, 4.0], [6.0, 4.0], [6.0, 6.0], [4.0, 6.0]]],
        };
        assert_eq!(poly.area(), 96.0);
        assert!(poly.contains([1.0, 1.0]));
        assert!(!poly.contains([5.0, 5.0]));
        assert!(!poly.contains([11.0, 5.0]));
        let (v, idx) = poly.triangulate();
        assert_eq!(v.len(), 8);
        let tri_area: f64 = idx
            .chunks_exact(3)
            .map(|t| signed_area(&[v[t[0] as usize], v[t[1] as usize], v[t[2] as usize]]).abs())
            .sum();
        assert!((tri_area - 96.0).abs() < 1e-9);
    }

    #[test]
    fn bow_tie_is_self_intersecting() {
        let bow = vec![[0.0, 0.0], [2.0, 2.0], [2.0, 0.0], [0.0, 2.0]];
        assert!(self_intersection(&bow).is_some());
        assert!(self_intersection(&square(1.0)).is_none());
    }

    #[test]
    fn label_point_of_concave_ring_is_inside() {
        // A U shape whose centroid falls in the notch.
        let u = vec![
            [0.0, 0.0],
            [10.0, 0.0],
            [10.0, 10.0],
            [8.0, 10.0],
            [8.0, 2.0],
            [2.0, 2.0],
            [2.0, 10.0],
            [0.0, 10.0],
        ];
        let poly = LocalPolygon {
            exterior: u,
            holes: vec![],
        };
        assert!(poly.contains(poly.label_point()));
    }

    #[test]
    fn projection_round_trips() {
        let proj = Projection::new(Crs::Wgs84, (120.37, 36.09));
        let p = (120.39, 36.1);
        let local = proj.to_local(p);
        assert!((local[0] - 1_798.0).abs() < 5.0, "{local:?}");
        let back = proj.to_file(local);
        assert!((back.0 - p.0).abs() < 1e-9 && (back.1 - p.1).abs() < 1e-9);
    }
}
