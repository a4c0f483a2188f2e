//! Prisms for the 3D map (issue 17): a footprint raised to a height, its roof flat and its
//! walls shaded by the way they face, into the same merged [`MeshBuffers`] as the flat
//! map (one draw for any number of buildings or regions). No lights are needed: the
//! shading is baked into the vertex colours, so software renderers pay nothing for it.
//!
//! Heights: a building stands `floors × storey` metres (3 m a storey by default, issue 17);
//! a region in the 3D choropleth stands in proportion to its figure ([`figure_height`]).

use crate::geo::{LocalPolygon, P2, signed_area};
use crate::palette::Srgba;

use super::meshes::MeshBuffers;

/// The storey height a building is raised by, metres (issue 17's default).
pub const STOREY_M: f64 = 3.0;

/// Where the light comes from on the plan (unit vector, from the north-west): walls facing
/// it are lit, walls facing away are in shade.
const LIGHT: P2 = [-0.6, 0.8];

/// A wall's brightness (a factor on its colour) by its outward normal on the plan: from
/// 0.45 facing away from the light to 0.95 facing it. Roofs keep their colour (1.0), so
/// neighbouring blocks read apart by their walls.
pub fn wall_shade(normal: P2) -> f32 {
    let d = normal[0] * LIGHT[0] + normal[1] * LIGHT[1];
    (0.7 + 0.25 * d.clamp(-1.0, 1.0)) as f32
}

/// A region's height in the 3D choropleth: `value / max × tallest`, metres; 0 for a value
/// that is missing, negative or not finite, or when `max` is not positive.
pub fn figure_height(value: f64, max: f64, tallest: f64) -> f64 {
    if !(value.is_finite() && max.is_finite() && max > 0.0 && value > 0.0) {
        return 0.0;
    }
    (value / max).min(1.0) * tallest.max(0.0)
}

/// A building's height: `floors × storey` metres (a building without floors stands one
/// storey, so that it is still seen).
pub fn building_height(floors: i64, storey: f64) -> f64 {
    floors.max(1) as f64 * storey
}

fn scaled(c: [f32; 4], k: f32) -> [f32; 4] {
    [c[0] * k, c[1] * k, c[2] * k, c[3]]
}

impl MeshBuffers {
    /// Adds `poly` raised to `height` metres: its roof at that height (holes kept, as a 里院
    /// courtyard's) and a wall on every edge of every ring, each shaded by [`wall_shade`]
    /// and a little darker at its foot. A height that is not positive and finite gives
    /// the flat polygon, as [`MeshBuffers::fill`] does.
    pub fn prism(&mut self, poly: &LocalPolygon, height: f64, color: Srgba) {
        if !(height.is_finite() && height > 0.0) {
            self.fill(poly, color);
            return;
        }
        self.prism_band(poly, (0.0, height, height), color, true);
    }

    /// Adds the part of `poly`'s prism of `height` metres between `from` and `to` metres up:
    /// its walls there, shaded as the whole prism's would be there, and its roof at `to`
    /// when `roof` (the top of a stack of bands; the faces between bands never show). One
    /// floor of a building is such a band (the floor stack's pick, `scene::layers`).
    /// Nothing for an empty or non-finite band.
    pub fn prism_band(
        &mut self,
        poly: &LocalPolygon,
        (from, to, height): (f64, f64, f64),
        color: Srgba,
        roof: bool,
    ) {
        if !(from.is_finite() && to.is_finite() && height.is_finite() && to > from) {
            return;
        }
        let height = height.max(to);
        let (verts, idx) = poly.triangulate();
        if idx.is_empty() {
            return;
        }
        let c = color.linear();
        let z = [from as f32, to as f32];
        // How far up the whole prism each edge of the band is: the walls darken towards
        // the ground.
        let up = [(from / height) as f32, (to / height) as f32];
        if roof {
            let base = self.positions.len() as u32;
            for v in &verts {
                self.positions.push([v[0] as f32, v[1] as f32, z[1]]);
                self.colors.push(c);
            }
            self.indices.extend(idx.iter().map(|i| base + i));
        }
        // Outward normals: the exterior turned counter-clockwise, holes clockwise, so that
        // the solid is on each edge's left and the outside on its right.
        let ccw = signed_area(&poly.exterior) >= 0.0;
        self.walls(&poly.exterior, !ccw, (z, up), c);
        for hole in &poly.holes {
            let hole_ccw = signed_area(hole) >= 0.0;
            self.walls(hole, hole_ccw, (z, up), c);
        }
    }

    /// Adds `poly` raised to `height` metres in `colors.0`, with the band from `band.0` to
    /// `band.1` metres up in `colors.1` (a building's picked floor, `scene::layers`): three
    /// stacked [`MeshBuffers::prism_band`]s making one solid, so nothing z-fights.
    pub fn banded_prism(
        &mut self,
        poly: &LocalPolygon,
        height: f64,
        (lo, hi): (f64, f64),
        colors: (Srgba, Srgba),
    ) {
        let top = hi >= height;
        let bands = [
            (0.0, lo, colors.0, false),
            (lo, hi.min(height), colors.1, top),
            (hi, height, colors.0, !top),
        ];
        for (from, to, c, roof) in bands {
            self.prism_band(poly, (from, to, height), c, roof);
        }
    }

    /// Adds `poly`'s roof alone at `height` metres, with no walls: a building too small on
    /// screen for its walls to show (the level of detail of every building at once).
    pub fn roof(&mut self, poly: &LocalPolygon, height: f64, color: Srgba) {
        let start = self.positions.len();
        self.fill(poly, color);
        if height.is_finite() && height > 0.0 {
            self.lift(start, height);
        }
    }

    /// The walls of one ring from `z[0]` up to `z[1]` metres, which are the fractions `up`
    /// of the whole prism's height; `reversed`: the ring runs the other way round from the
    /// one whose right side is outside. 20% darker at the ground than at the roof.
    fn walls(&mut self, ring: &[P2], reversed: bool, (z, up): ([f32; 2], [f32; 2]), c: [f32; 4]) {
        let n = ring.len();
        if n < 2 {
            return;
        }
        for i in 0..n {
            let (mut a, mut b) = (ring[i], ring[(i + 1) % n]);
            if reversed {
                std::mem::swap(&mut a, &mut b);
            }
            let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
            let len = dx.hypot(dy);
            if len < 1e-9 {
                continue;
            }
            // The right of a → b is outside.
            let k = wall_shade([dy / len, -dx / len]);
            let at = |u: f32| k * (0.8 + 0.2 * u);
            let (top, foot) = (scaled(c, at(up[1])), scaled(c, at(up[0])));
            let base = self.positions.len() as u32;
            for (p, zz, col) in [
                (a, z[0], foot),
                (b, z[0], foot),
                (b, z[1], top),
                (a, z[1], top),
            ] {
                self.positions.push([p[0] as f32, p[1] as f32, zz]);
                self.colors.push(col);
            }
            self.indices
                .extend([base, base + 1, base + 2, base, base + 2, base + 3]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, s: f64) -> Vec<P2> {
        vec![[x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s]]
    }

    #[test]
    fn every_face_of_a_prism_is_counter_clockwise_seen_from_outside() {
        // The 3D map culls back faces (`app::map::solid`): a face wound the other way would
        // vanish. A clockwise exterior and a counter-clockwise hole, the ways round a file
        // may give them.
        let mut exterior = square(0.0, 0.0, 30.0);
        exterior.reverse();
        let poly = LocalPolygon {
            exterior,
            holes: vec![square(10.0, 10.0, 10.0)],
        };
        for banded in [false, true] {
            let mut m = MeshBuffers::default();
            if banded {
                m.banded_prism(
                    &poly,
                    12.0,
                    (3.0, 6.0),
                    (Srgba::rgb(200, 160, 80), Srgba::rgb(60, 200, 240)),
                );
            } else {
                m.prism(&poly, 12.0, Srgba::rgb(200, 160, 80));
            }
            for t in m.indices.chunks(3) {
                let [a, b, c] = [0, 1, 2].map(|i| m.positions[t[i] as usize].map(f64::from));
                let (u, v) = (
                    [b[0] - a[0], b[1] - a[1], b[2] - a[2]],
                    [c[0] - a[0], c[1] - a[1], c[2] - a[2]],
                );
                let n = [
                    u[1] * v[2] - u[2] * v[1],
                    u[2] * v[0] - u[0] * v[2],
                    u[0] * v[1] - u[1] * v[0],
                ];
                if n[2].abs() > 1e-9 {
                    assert!(n[2] > 0.0, "a roof faces down: {a:?} {b:?} {c:?}");
                    continue;
                }
                // A wall: a step along its normal from its middle leaves the solid.
                let mid = [(a[0] + b[0] + c[0]) / 3.0, (a[1] + b[1] + c[1]) / 3.0];
                let len = n[0].hypot(n[1]);
                let step = |k: f64| [mid[0] + k * n[0] / len, mid[1] + k * n[1] / len];
                assert!(!poly.contains(step(0.5)), "a wall faces in at {mid:?}");
                assert!(poly.contains(step(-0.5)), "a wall faces in at {mid:?}");
            }
        }
    }

    #[test]
    fn a_banded_block_is_one_solid_in_three_bands_shaded_as_the_whole() {
        let poly = LocalPolygon {
            exterior: square(0.0, 0.0, 10.0),
            holes: vec![],
        };
        let (body, band) = (Srgba::rgb(200, 160, 80), Srgba::rgb(60, 200, 240));
        let mut m = MeshBuffers::default();
        m.banded_prism(&poly, 15.0, (6.0, 9.0), (body, band));
        // One roof, four walls in each of three bands.
        assert_eq!(m.triangles(), 2 + 3 * 4 * 2);
        let mut zs: Vec<f32> = m.positions.iter().map(|p| p[2]).collect();
        zs.sort_by(f32::total_cmp);
        zs.dedup();
        assert_eq!(zs, [0.0, 6.0, 9.0, 15.0], "no gap, no overlap");
        // The band's colour only between 6 and 9 m.
        let b = band.linear();
        for (p, c) in m.positions.iter().zip(&m.colors) {
            let k = c[2] / b[2];
            if (0..3).all(|i| (c[i] - b[i] * k).abs() < 1e-4) {
                assert!(p[2] == 6.0 || p[2] == 9.0, "band colour at {p:?}");
            }
        }
        // Shaded as the unbanded block: the same colour at the same height on each wall.
        let mut whole = MeshBuffers::default();
        whole.prism(&poly, 15.0, body);
        let top_of = |m: &MeshBuffers| {
            m.positions
                .iter()
                .zip(&m.colors)
                .filter(|(p, _)| p[2] == 15.0 && p[0] == 10.0 && p[1] == 0.0)
                .map(|(_, c)| c[0])
                .fold(0.0f32, f32::max)
        };
        assert!((top_of(&m) - top_of(&whole)).abs() < 1e-6);
    }

    #[test]
    fn a_block_has_a_roof_at_its_height_and_four_shaded_walls() {
        let mut m = MeshBuffers::default();
        let poly = LocalPolygon {
            exterior: square(0.0, 0.0, 10.0),
            holes: vec![],
        };
        m.prism(&poly, 18.0, Srgba::rgb(120, 160, 200));
        assert_eq!(m.triangles(), 2 + 4 * 2);
        assert!(m.positions.iter().all(|p| p[2] == 0.0 || p[2] == 18.0));
        assert_eq!(m.positions[..4].iter().filter(|p| p[2] == 18.0).count(), 4);
        // The wall facing north-west (the light) is brighter than the one facing south-east.
        let brightness = |i: usize| m.colors[4 + i * 4 + 2][2];
        let (south, east, north, west) =
            (brightness(0), brightness(1), brightness(2), brightness(3));
        assert!(
            north > south && west > east,
            "{north} {south} {west} {east}"
        );
        // The same footprint given clockwise is shaded the same.
        let mut cw = MeshBuffers::default();
        let mut ring = square(0.0, 0.0, 10.0);
        ring.reverse();
        cw.prism(
            &LocalPolygon {
                exterior: ring,
                holes: vec![],
            },
            18.0,
            Srgba::rgb(120, 160, 200),
        );
        let mut a: Vec<f32> = m.colors.iter().map(|c| c[2]).collect();
        let mut b: Vec<f32> = cw.colors.iter().map(|c| c[2]).collect();
        a.sort_by(f32::total_cmp);
        b.sort_by(f32::total_cmp);
        assert_eq!(a, b);
    }

    #[test]
    fn a_courtyard_keeps_its_hole_and_walls_inside_it() {
        let mut m = MeshBuffers::default();
        let poly = LocalPolygon {
            exterior: square(0.0, 0.0, 30.0),
            holes: vec![square(10.0, 10.0, 10.0)],
        };
        m.prism(&poly, 9.0, Srgba::rgb(200, 180, 150));
        assert_eq!(m.triangles(), 8 + 8 * 2);
        // No roof triangle covers the courtyard's middle.
        for t in m.indices.chunks(3) {
            let [a, b, c] = [t[0], t[1], t[2]].map(|i| m.positions[i as usize]);
            if a[2] == 9.0 && b[2] == 9.0 && c[2] == 9.0 {
                let cx = (a[0] + b[0] + c[0]) / 3.0;
                let cy = (a[1] + b[1] + c[1]) / 3.0;
                assert!(!(cx > 10.0 && cx < 20.0 && cy > 10.0 && cy < 20.0));
            }
        }
        // Every wall (outer and courtyard) has the solid on its left and the open air on
        // its right, so each is shaded by the way it really faces.
        let roof_vertices = 8;
        for wall in m.positions[roof_vertices..].chunks(4) {
            let (a, b) = (wall[0], wall[1]);
            let (dx, dy) = ((b[0] - a[0]) as f64, (b[1] - a[1]) as f64);
            let len = dx.hypot(dy);
            let n = [dy / len, -dx / len];
            let mid = [((a[0] + b[0]) / 2.0) as f64, ((a[1] + b[1]) / 2.0) as f64];
            assert!(!poly.contains([mid[0] + 0.1 * n[0], mid[1] + 0.1 * n[1]]));
            assert!(poly.contains([mid[0] - 0.1 * n[0], mid[1] - 0.1 * n[1]]));
        }
    }

    #[test]
    fn heights_come_from_floors_and_figures() {
        assert_eq!(building_height(6, STOREY_M), 18.0);
        assert_eq!(building_height(0, STOREY_M), 3.0);
        assert_eq!(figure_height(50.0, 100.0, 800.0), 400.0);
        assert_eq!(figure_height(150.0, 100.0, 800.0), 800.0);
        for bad in [f64::NAN, -1.0, f64::INFINITY] {
            assert_eq!(figure_height(bad, 100.0, 800.0), 0.0);
        }
        assert_eq!(figure_height(5.0, 0.0, 800.0), 0.0);
        // Not positive: flat.
        let mut m = MeshBuffers::default();
        let poly = LocalPolygon {
            exterior: square(0.0, 0.0, 10.0),
            holes: vec![],
        };
        m.prism(&poly, f64::NAN, Srgba::rgb(1, 2, 3));
        assert_eq!(m.triangles(), 2);
    }
}
