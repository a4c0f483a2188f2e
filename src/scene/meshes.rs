//! Merged mesh buffers for the map: one buffer holds many polygons with per-vertex colors,
//! so a level with 30,000 buildings is one draw, not 30,000 entities.

use crate::geo::{LocalPolygon, P2};
use crate::palette::Srgba;

/// Positions, linear vertex colors and triangle indices, ready for a GPU mesh.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeshBuffers {
    pub positions: Vec<[f32; 3]>,
    pub colors: Vec<[f32; 4]>,
    pub indices: Vec<u32>,
}

impl MeshBuffers {
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    pub fn triangles(&self) -> usize {
        self.indices.len() / 3
    }

    /// Raises the vertices from `start` on to `z` metres (a border onto its region's roof).
    pub fn lift(&mut self, start: usize, z: f64) {
        for p in self.positions.iter_mut().skip(start) {
            p[2] = z as f32;
        }
    }

    /// Adds a filled polygon.
    pub fn fill(&mut self, poly: &LocalPolygon, color: Srgba) {
        let (verts, idx) = poly.triangulate();
        if idx.is_empty() {
            return;
        }
        let base = self.positions.len() as u32;
        let c = color.linear();
        for v in &verts {
            self.positions.push([v[0] as f32, v[1] as f32, 0.0]);
            self.colors.push(c);
        }
        self.indices.extend(idx.iter().map(|i| base + i));
    }

    /// Adds the outline of a closed ring as a band `width` wide centred on the edges,
    /// with mitred corners (bevelled where the corner is very sharp).
    pub fn stroke(&mut self, ring: &[P2], width: f64, color: Srgba) {
        let n = ring.len();
        if n < 2 || width.is_nan() || width <= 0.0 {
            return;
        }
        let c = color.linear();
        let half = width * 0.5;
        let normal = |a: P2, b: P2| {
            let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
            let len = dx.hypot(dy);
            if len < 1e-12 {
                [0.0, 0.0]
            } else {
                [-dy / len, dx / len]
            }
        };
        let base = self.positions.len() as u32;
        for i in 0..n {
            let prev = ring[(i + n - 1) % n];
            let cur = ring[i];
            let next = ring[(i + 1) % n];
            let (n0, n1) = (normal(prev, cur), normal(cur, next));
            let mut m = [n0[0] + n1[0], n0[1] + n1[1]];
            let len = m[0].hypot(m[1]);
            let miter = if len < 1e-9 {
                m = n1;
                half
            } else {
                m = [m[0] / len, m[1] / len];
                let cos = m[0] * n1[0] + m[1] * n1[1];
                (half / cos.max(0.25)).min(half * 4.0)
            };
            for s in [1.0, -1.0] {
                self.positions.push([
                    (cur[0] + m[0] * miter * s) as f32,
                    (cur[1] + m[1] * miter * s) as f32,
                    0.0,
                ]);
                self.colors.push(c);
            }
        }
        for i in 0..n as u32 {
            let j = (i + 1) % n as u32;
            let (a, b, cc, d) = (
                base + 2 * i,
                base + 2 * i + 1,
                base + 2 * j,
                base + 2 * j + 1,
            );
            self.indices.extend_from_slice(&[a, b, cc, b, d, cc]);
        }
    }

    /// Adds the outlines of a polygon (exterior and holes).
    pub fn stroke_polygon(&mut self, poly: &LocalPolygon, width: f64, color: Srgba) {
        self.stroke(&poly.exterior, width, color);
        for h in &poly.holes {
            self.stroke(h, width, color);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_and_stroke_produce_valid_indices() {
        let poly = LocalPolygon {
            exterior: vec![[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]],
            holes: vec![],
        };
        let mut m = MeshBuffers::default();
        m.fill(&poly, Srgba::rgb(255, 0, 0));
        assert_eq!(m.triangles(), 2);
        m.stroke_polygon(&poly, 1.0, Srgba::rgb(0, 0, 255));
        assert_eq!(m.triangles(), 2 + 8);
        assert!(m.indices.iter().all(|&i| (i as usize) < m.positions.len()));
        assert_eq!(m.positions.len(), m.colors.len());
        // A square's mitred outline reaches exactly half the width past the corner.
        let max_x = m.positions.iter().map(|p| p[0]).fold(f32::MIN, f32::max);
        assert!((max_x - 10.5).abs() < 1e-4, "{max_x}");
    }
}
