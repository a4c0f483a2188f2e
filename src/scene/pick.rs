//! Picking on the tilted map (issue 17): what a tap at a screen position touches when
//! regions and buildings stand up as prisms. The line of sight through the tap meets the
//! ground at `g = view.to_world(tap)` and, `z` metres up, stands over `g + z · shift`
//! ([`View::height_shift`]); the camera looks down along it, so of all the prisms it meets
//! the one it meets highest is the one seen — a tower's roof wins over the low block behind
//! it. Looking straight down this is the flat map's point-in-polygon test.

use crate::geo::{LocalPolygon, P2, Rect};

use super::view::View;

/// Where the line through `a` and `b` crosses the segment `c`–`d`: the parameter along
/// `a`–`b` (0…1), if they cross.
fn crossing(a: P2, b: P2, c: P2, d: P2) -> Option<f64> {
    let r = [b[0] - a[0], b[1] - a[1]];
    let s = [d[0] - c[0], d[1] - c[1]];
    let den = r[0] * s[1] - r[1] * s[0];
    if den.abs() < 1e-12 {
        return None;
    }
    let q = [c[0] - a[0], c[1] - a[1]];
    let t = (q[0] * s[1] - q[1] * s[0]) / den;
    let u = (q[0] * r[1] - q[1] * r[0]) / den;
    ((0.0..=1.0).contains(&t) && (0.0..=1.0).contains(&u)).then_some(t)
}

/// The highest point (metres above the ground) at which the line of sight through `screen`
/// is inside `footprint` raised to `height`: the height itself when it meets the roof, a
/// wall's height where it meets a wall, `None` when it misses. A height that is not
/// positive and finite is a flat footprint.
pub fn sight_height(
    view: &View,
    screen: [f64; 2],
    footprint: &LocalPolygon,
    height: f64,
) -> Option<f64> {
    let h = if height.is_finite() {
        height.max(0.0)
    } else {
        0.0
    };
    let g = view.to_world(screen);
    let s = view.height_shift();
    let top = [g[0] + h * s[0], g[1] + h * s[1]];
    if footprint.contains(top) {
        return Some(h);
    }
    if h == 0.0 || s == [0.0, 0.0] {
        return None;
    }
    // Top outside: the line leaves the prism at its last crossing of an edge on the way up.
    let rings = std::iter::once(&footprint.exterior).chain(&footprint.holes);
    let mut best: Option<f64> = None;
    for ring in rings {
        let n = ring.len();
        for i in 0..n {
            if let Some(t) = crossing(g, top, ring[i], ring[(i + 1) % n]) {
                best = Some(best.map_or(t, |b: f64| b.max(t)));
            }
        }
    }
    best.map(|t| t * h)
        .or_else(|| footprint.contains(g).then_some(0.0))
}

/// Which of `candidates` (an id, a footprint, its height in metres) a tap at `screen`
/// touches: the one the line of sight meets highest; among equals, the first.
pub fn pick<'a>(
    view: &View,
    screen: [f64; 2],
    candidates: impl IntoIterator<Item = (usize, &'a LocalPolygon, f64)>,
) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (id, footprint, height) in candidates {
        if let Some(z) = sight_height(view, screen, footprint, height)
            && best.is_none_or(|(_, b)| z > b)
        {
            best = Some((id, z));
        }
    }
    best.map(|(id, _)| id)
}

/// Whether a point `height` metres up, seen at `screen`, is hidden by one of `prisms` (a
/// footprint and its height, metres): the line of sight meets one of them higher than the
/// point (half a metre of slack, so a point on a roof is not hidden by that roof). A
/// cluster's count is hidden with its disc this way (`app::map::labels`).
pub fn hidden_behind<'a>(
    view: &View,
    screen: [f64; 2],
    height: f64,
    prisms: impl IntoIterator<Item = (&'a LocalPolygon, f64)>,
) -> bool {
    prisms.into_iter().any(|(footprint, h)| {
        h > height + 0.5
            && sight_height(view, screen, footprint, h).is_some_and(|z| z > height + 0.5)
    })
}

/// The ground rectangle the line of sight through `screen` runs over below `max_height`
/// metres: where a spatial index finds the candidates for [`pick`].
pub fn sight_bounds(view: &View, screen: [f64; 2], max_height: f64) -> Rect {
    let g = view.to_world(screen);
    let s = view.height_shift();
    let h = if max_height.is_finite() {
        max_height.max(0.0)
    } else {
        0.0
    };
    let mut r = Rect::EMPTY;
    r.include(g);
    r.include([g[0] + h * s[0], g[1] + h * s[1]]);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(x0: f64, y0: f64, w: f64, d: f64) -> LocalPolygon {
        LocalPolygon {
            exterior: vec![[x0, y0], [x0 + w, y0], [x0 + w, y0 + d], [x0, y0 + d]],
            holes: vec![],
        }
    }

    fn view(tilt: f64) -> View {
        View {
            center: [5.0, 40.0],
            scale: 0.25,
            viewport: [1280.0, 720.0],
            tilt: 0.0,
            heading: 0.0,
        }
        .posed(tilt, 0.0)
    }

    #[test]
    fn a_towers_roof_wins_over_the_low_block_behind_it() {
        // Looking north and down at 45°: a 60 m tower in front (south), a 3 m block behind.
        let tower = block(0.0, 0.0, 10.0, 10.0);
        let low = block(0.0, 60.0, 10.0, 10.0);
        let v = view(std::f64::consts::FRAC_PI_4);
        let candidates = || [(1, &low, 3.0), (2, &tower, 60.0)];
        // A tap on the tower's roof, where the ground seen behind it is the low block.
        let on_roof = v.to_screen3([5.0, 8.0], 60.0);
        assert!(low.contains(v.to_world(on_roof)));
        assert_eq!(pick(&v, on_roof, candidates()), Some(2));
        assert_eq!(sight_height(&v, on_roof, &tower, 60.0), Some(60.0));
        // Just above the roof's far edge the tap misses the tower and finds the block.
        let past = v.to_screen3([5.0, 11.0], 60.0);
        assert_eq!(pick(&v, past, candidates()), Some(1));
        // The block's roof, seen through the tower, is hidden; the tower's own roof is not.
        let prisms = || [(&low, 3.0), (&tower, 60.0)];
        assert!(!hidden_behind(&v, on_roof, 60.0, prisms()));
        let near = v.to_screen3([5.0, 61.0], 3.0);
        assert!(hidden_behind(&v, near, 3.0, prisms()), "behind the tower");
        let far = v.to_screen3([5.0, 69.0], 3.0);
        assert!(!hidden_behind(&v, far, 3.0, prisms()), "seen past its top");
        // A tap on the tower's south wall, 20 m up.
        let wall = v.to_screen3([5.0, 0.0], 20.0);
        let z = sight_height(&v, wall, &tower, 60.0).unwrap_or(-1.0);
        assert!((z - 20.0).abs() < 1e-6, "{z}");
        assert_eq!(pick(&v, wall, candidates()), Some(2));
    }

    #[test]
    fn looking_straight_down_picking_is_the_flat_maps() {
        let a = block(0.0, 0.0, 10.0, 10.0);
        let b = block(20.0, 0.0, 10.0, 10.0);
        let v = view(0.0);
        let at = v.to_screen([25.0, 5.0]);
        assert_eq!(pick(&v, at, [(0, &a, 30.0), (1, &b, 3.0)]), Some(1));
        let nowhere = v.to_screen([15.0, 5.0]);
        assert_eq!(pick(&v, nowhere, [(0, &a, 30.0), (1, &b, 3.0)]), None);
        // Flat regions: the first that contains the point.
        assert_eq!(pick(&v, at, [(7, &b, 0.0), (8, &b, 0.0)]), Some(7));
        assert_eq!(pick(&v, at, [(7, &b, f64::NAN)]), Some(7));
    }

    #[test]
    fn the_sight_bounds_cover_the_line_of_sight() {
        let v = view(std::f64::consts::FRAC_PI_4);
        let at = v.to_screen3([5.0, 8.0], 60.0);
        let r = sight_bounds(&v, at, 100.0);
        assert!(r.contains([5.0, 8.0]));
        assert!(r.contains(v.to_world(at)));
    }
}
