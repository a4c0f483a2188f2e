//! The boundaries a region's outline is snapped to (`coverage::snap`): their vertices and
//! edges in a uniform grid of 25 m cells, so that each query looks at the few edges near a
//! point, however long an edge is.

use std::collections::HashMap;

use crate::geo::{P2, nearest_on_segment};

/// Side of a grid cell, m.
const CELL_M: f64 = 25.0;

type Key = (i64, i64);

/// Vertices and edges to snap to, in local metres.
pub(super) struct Index {
    tolerance: f64,
    vertices: Vec<P2>,
    edges: Vec<(P2, P2)>,
    vertex_cells: HashMap<Key, Vec<u32>>,
    edge_cells: HashMap<Key, Vec<u32>>,
}

fn key(p: P2) -> Key {
    (
        (p[0] / CELL_M).floor() as i64,
        (p[1] / CELL_M).floor() as i64,
    )
}

/// Points along `a`–`b` a quarter cell apart (both ends included).
fn samples(a: P2, b: P2) -> impl Iterator<Item = P2> {
    let len = (b[0] - a[0]).hypot(b[1] - a[1]);
    let n = ((len / (CELL_M / 4.0)).ceil() as usize).clamp(1, 1_000_000);
    (0..=n).map(move |i| {
        let t = i as f64 / n as f64;
        [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]
    })
}

fn dist(a: P2, b: P2) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

impl Index {
    pub(super) fn new(tolerance: f64) -> Self {
        Self {
            tolerance,
            vertices: Vec::new(),
            edges: Vec::new(),
            vertex_cells: HashMap::new(),
            edge_cells: HashMap::new(),
        }
    }

    /// Adds a ring's vertices and edges (closed whether or not its last point repeats the
    /// first).
    pub(super) fn add_ring(&mut self, ring: impl Iterator<Item = P2>) {
        let pts: Vec<P2> = ring.collect();
        let Some(&first) = pts.first() else { return };
        for (k, &p) in pts.iter().enumerate() {
            if !(p[0].is_finite() && p[1].is_finite()) {
                return;
            }
            let b = pts.get(k + 1).copied().unwrap_or(first);
            let v = self.vertices.len() as u32;
            self.vertices.push(p);
            self.vertex_cells.entry(key(p)).or_default().push(v);
            if p == b {
                continue;
            }
            let e = self.edges.len() as u32;
            self.edges.push((p, b));
            let mut last = None;
            for s in samples(p, b) {
                let c = key(s);
                if last != Some(c) {
                    let list = self.edge_cells.entry(c).or_default();
                    if list.last() != Some(&e) {
                        list.push(e);
                    }
                    last = Some(c);
                }
            }
        }
    }

    /// The ids in `cells` around `p` within the tolerance plus a quarter cell.
    fn near(&self, cells: &HashMap<Key, Vec<u32>>, p: P2, out: &mut Vec<u32>) {
        let r = self.tolerance + CELL_M / 4.0;
        let (lo, hi) = (key([p[0] - r, p[1] - r]), key([p[0] + r, p[1] + r]));
        for x in lo.0..=hi.0 {
            for y in lo.1..=hi.1 {
                if let Some(list) = cells.get(&(x, y)) {
                    out.extend_from_slice(list);
                }
            }
        }
    }

    /// Where `p` snaps to: the nearest vertex within the tolerance, else the nearest edge
    /// point within it.
    fn target(&self, p: P2, buf: &mut Vec<u32>) -> Option<P2> {
        buf.clear();
        self.near(&self.vertex_cells, p, buf);
        let vertex = buf
            .iter()
            .map(|&v| self.vertices[v as usize])
            .map(|q| (dist(p, q), q))
            .filter(|(d, _)| *d <= self.tolerance)
            .min_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, q)) = vertex {
            return Some(q);
        }
        buf.clear();
        self.near(&self.edge_cells, p, buf);
        buf.iter()
            .map(|&e| self.edges[e as usize])
            .map(|(a, b)| nearest_on_segment(p, a, b).0)
            .map(|q| (dist(p, q), q))
            .filter(|(d, _)| *d <= self.tolerance)
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, q)| q)
    }

    /// Snaps a ring in place (see `coverage::snap`); returns (vertices moved, vertices
    /// inserted).
    pub(super) fn snap_ring(&self, ring: &mut Vec<P2>) -> (usize, usize) {
        if self.vertices.is_empty() {
            return (0, 0);
        }
        let mut buf = Vec::new();
        let mut moved = 0;
        for p in ring.iter_mut() {
            if let Some(q) = self.target(*p, &mut buf)
                && dist(*p, q) > 1e-9
            {
                *p = q;
                moved += 1;
            }
        }
        let mut out: Vec<P2> = Vec::with_capacity(ring.len());
        let mut inserted = 0;
        let n = ring.len();
        for k in 0..n {
            let (a, b) = (ring[k], ring[(k + 1) % n]);
            out.push(a);
            if k + 1 == n && a == ring[0] {
                continue;
            }
            buf.clear();
            for s in samples(a, b) {
                self.near(&self.vertex_cells, s, &mut buf);
            }
            buf.sort_unstable();
            buf.dedup();
            let mut on: Vec<(f64, P2)> = buf
                .iter()
                .map(|&v| self.vertices[v as usize])
                .filter_map(|q| {
                    let (s, t) = nearest_on_segment(q, a, b);
                    (dist(q, s) <= self.tolerance
                        && dist(q, a) > 1e-6
                        && dist(q, b) > 1e-6
                        && t > 0.0
                        && t < 1.0)
                        .then_some((t, q))
                })
                .collect();
            on.sort_by(|x, y| x.0.total_cmp(&y.0));
            on.dedup_by(|x, y| x.1 == y.1);
            inserted += on.len();
            out.extend(on.into_iter().map(|(_, q)| q));
        }
        *ring = out;
        (moved, inserted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_boundary_digitised_twice_becomes_one() {
        // The reference: x = 0 from y = 0 to 100 with a vertex at y = 50.
        let mut index = Index::new(0.5);
        index.add_ring(
            [
                [0.0, 0.0],
                [0.0, 50.0],
                [0.0, 100.0],
                [-10.0, 100.0],
                [-10.0, 0.0],
            ]
            .into_iter(),
        );
        // The neighbour: 0.3 m off, without the vertex at y = 50.
        let mut ring = vec![[0.3, 0.0], [10.0, 0.0], [10.0, 100.0], [0.2, 100.0]];
        let (moved, inserted) = index.snap_ring(&mut ring);
        assert_eq!(moved, 2);
        assert_eq!(inserted, 1);
        assert_eq!(
            ring,
            vec![
                [0.0, 0.0],
                [10.0, 0.0],
                [10.0, 100.0],
                [0.0, 100.0],
                [0.0, 50.0]
            ]
        );
    }

    #[test]
    fn what_lies_beyond_the_tolerance_stays() {
        let mut index = Index::new(0.5);
        index.add_ring([[0.0, 0.0], [0.0, 100.0], [-10.0, 100.0]].into_iter());
        let mut ring = vec![[2.0, 0.0], [10.0, 0.0], [10.0, 100.0], [2.0, 100.0]];
        let before = ring.clone();
        assert_eq!(index.snap_ring(&mut ring), (0, 0));
        assert_eq!(ring, before);
    }
}
