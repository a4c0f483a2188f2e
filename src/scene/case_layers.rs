//! The map's governance layers (schema v2): a community's grids and its cases one by one,
//! the open cases of the district or a subdistrict as clusters, and the open case's mark.
//! `scene::layers` calls them for the depth on show.

use crate::geo::P2;
use crate::palette;
use crate::scene::layers::{Layers, MapLabel, Overlays, Scale};
use crate::scene::meshes::MeshBuffers;
use crate::snapshot::index::CityData;

/// A community's grids (网格) and cases (事件), when the snapshot has them: each grid's
/// outline as a thin line on the ground (under the buildings, so it reads along the
/// streets) with its name as a label, and every case of the last 30 days as a dot in its
/// department's color at its place — open cases bright with a light rim, overdue ones with
/// a red rim, closed ones small and dim. `height_at` gives the height (m) a dot stands at:
/// on the 3D map, the roof of the building a case is in; 0 on the ground. Grid outlines
/// are `scale.px` wide, dots sized in `scale.marker`.
pub(super) fn governance_layer(
    city: &CityData,
    community: usize,
    scale: Scale,
    overlays: &Overlays,
    height_at: &dyn Fn(P2) -> f64,
    out: &mut Layers,
) {
    let (px, marker) = (scale.px, scale.marker);
    let s = &city.snapshot;
    let gi = &city.index.governance;
    let grids = if overlays.grids {
        gi.grids_of.get(community).map_or(&[][..], Vec::as_slice)
    } else {
        &[][..]
    };
    for &g in grids {
        for poly in gi.grid_shapes.get(g).map_or(&[][..], Vec::as_slice) {
            out.fills
                .stroke_polygon(poly, 1.2 * px, palette::ACCENT.with_alpha(120));
        }
        let (Some(grid), Some(main)) = (
            s.grids.get(g),
            gi.grid_shapes
                .get(g)
                .and_then(|shapes| shapes.iter().max_by(|a, b| a.area().total_cmp(&b.area()))),
        ) else {
            continue;
        };
        // The community is named in the breadcrumbs: "第3网格", "Grid 3" are enough here.
        let (zh, en) = crate::scene::format::grid_short_names(grid, &s.regions[community].name);
        out.labels.push(MapLabel {
            height: 0.0,
            anchor: main.label_point(),
            alternates: main.interior_points(&[0.3, 0.7]),
            zh: zh.to_string(),
            en: en.to_string(),
            priority: 0.5,
            count: None,
        });
    }
    let now = gi.now;
    let cases = gi
        .cases_of_region
        .get(community)
        .map_or(&[][..], Vec::as_slice);
    for &c in cases {
        let c = c as usize;
        if !overlays.keeps(city, c) {
            continue;
        }
        let (Some(case), Some(&at)) = (s.cases.get(c), gi.case_points.get(c)) else {
            continue;
        };
        let color = gi
            .case_department
            .get(c)
            .and_then(|&d| s.departments.get(d as usize))
            .and_then(|d| palette::Srgba::from_hex(&d.color))
            .unwrap_or(palette::ACCENT);
        let closed = case.lifecycle.is_closed();
        let overdue = now.is_some_and(|t| case.is_overdue(t));
        let (radius, rim) = match (closed, overdue) {
            (true, _) => (3.5, None),
            (false, true) => (6.0, Some(palette::ALERT)),
            (false, false) => (5.5, Some(palette::TEXT)),
        };
        let start = out.highlight.positions.len();
        if let Some(rim) = rim {
            out.highlight.fill(&dot(at, (radius + 1.5) * marker), rim);
        }
        let fill = if closed { color.with_alpha(200) } else { color };
        out.highlight.fill(&dot(at, radius * marker), fill);
        lift_above(out, start, height_at(at), px);
    }
}

/// Lifts what was added to the highlight layer from `start` onto a roof `h` metres high, a
/// pixel above it (nothing when `h` is 0: the flat map).
fn lift_above(out: &mut Layers, start: usize, h: f64, px: f64) {
    if h > 0.0 {
        out.highlight.lift(start, h + px);
    }
}

/// Spacing of case clusters on the district view, marker px: about two fingers apart.
pub const DISTRICT_CLUSTER_PX: f64 = 128.0;
/// Spacing of case clusters on a subdistrict's view, marker px.
pub const STREET_CLUSTER_PX: f64 = 72.0;

/// The cases of `region` (the district or a subdistrict) that `overlays` clusters (the open
/// ones unless the filter asks for closed or overdue ones) as clusters
/// (`scene::clusters`) of cells `cell_px` marker px wide at `px` metres per marker px
/// ([`Scale::marker`]): a disc in
/// the color of the department with at least 3 in 5 of its cases (the accent color when
/// none has), its area growing with the count (radius 5–20 px), with a light rim — red
/// where one of its cases is past its deadline — and the count as a label (placed before
/// the regions' names, which move aside). Closed cases show from the community down, each as
/// its own dot. Nothing without open cases. `height_at` gives the height (m) a disc
/// stands at: on the 3D map, the roof of the raised region under it; 0 on the ground.
pub fn case_clusters(
    city: &CityData,
    region: usize,
    (px, cell_px): (f64, f64),
    overlays: &Overlays,
    height_at: &dyn Fn(P2) -> f64,
    out: &mut Layers,
) {
    let s = &city.snapshot;
    let gi = &city.index.governance;
    let cases: Vec<u32> = clustered_cases(city, region, overlays);
    if cases.is_empty() {
        return;
    }
    let cases = &cases;
    let cell = crate::scene::clusters::cell_for_scale(px, cell_px);
    let clusters =
        crate::scene::clusters::cluster(&gi.case_points, &gi.case_department, cases, cell);
    // Overdue cases per cell, keyed as `cluster` keys its cells.
    let key = |p: P2| ((p[1] / cell).floor() as i64, (p[0] / cell).floor() as i64);
    let mut overdue = std::collections::HashSet::new();
    if let Some(now) = gi.now {
        for &c in cases {
            let (Some(case), Some(&p)) = (s.cases.get(c as usize), gi.case_points.get(c as usize))
            else {
                continue;
            };
            if case.is_overdue(now) {
                overdue.insert(key(p));
            }
        }
    }
    for c in clusters {
        let main = c
            .departments
            .first()
            .copied()
            .unwrap_or((NONE_DEPARTMENT, 0));
        let color = if main.1 * 5 >= c.count * 3 {
            s.departments
                .get(main.0 as usize)
                .and_then(|d| palette::Srgba::from_hex(&d.color))
                .unwrap_or(palette::ACCENT)
        } else {
            palette::ACCENT
        };
        // A disc with a count is wide enough for its digits (a small label's height).
        let radius = (5.0 + 1.8 * f64::from(c.count).sqrt())
            .clamp(if c.count > 1 { 10.0 } else { 0.0 }, 20.0);
        // The cluster's cell is the cell of any of its cases, its first one's say.
        let late = gi
            .case_points
            .get(c.first as usize)
            .is_some_and(|&p| overdue.contains(&key(p)));
        let rim = if late {
            palette::ALERT
        } else {
            palette::TEXT.with_alpha(200)
        };
        let start = out.highlight.positions.len();
        out.highlight
            .fill(&disc(c.centre, (radius + 1.5) * px, 28), rim);
        let disc_color = color.with_alpha(220);
        out.highlight
            .fill(&disc(c.centre, radius * px, 28), disc_color);
        // On the 3D map, on its region's roof.
        let h = height_at(c.centre);
        lift_above(out, start, h, px);
        if c.count > 1 {
            out.labels.push(MapLabel {
                height: h,
                anchor: c.centre,
                alternates: Vec::new(),
                zh: c.count.to_string(),
                en: c.count.to_string(),
                // Before the regions' names (their priority is their area in m², under
                // 1e12): a disc without its count says nothing, a name can move to another
                // place in its region.
                priority: 1e12 + f64::from(c.count),
                count: Some(ink_on(disc_color)),
            });
        }
    }
}

/// The ink a count reads in on a disc of `ground` over the map's background: the
/// background's dark blue where it stands out (contrast ≥ 4.5, WCAG AA), else white.
fn ink_on(ground: palette::Srgba) -> palette::Srgba {
    let ground = palette::BACKGROUND.mix(ground.with_alpha(255), f32::from(ground.3) / 255.0);
    if palette::BACKGROUND.contrast(ground) >= 4.5 {
        palette::BACKGROUND
    } else {
        palette::TEXT
    }
}

/// A department index no department has (`scene::clusters` counts such cases under it).
const NONE_DEPARTMENT: u32 = crate::snapshot::governance_index::NONE;

/// The cases of `region` the district and subdistrict views cluster under `overlays`
/// (indices into the snapshot's cases): with the default overlays, those not yet closed.
pub fn clustered_cases(city: &CityData, region: usize, overlays: &Overlays) -> Vec<u32> {
    city.index
        .governance
        .cases_of_region
        .get(region)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .copied()
        .filter(|&c| overlays.clusters(city, c as usize))
        .collect()
}

/// The open case's mark on the map: a ring in the selection's color around its dot, `px`
/// metres per marker pixel ([`Scale::marker`]). Empty for an index outside the snapshot.
pub fn case_marker(city: &CityData, case: usize, px: f64) -> MeshBuffers {
    let mut out = MeshBuffers::default();
    if let Some(&at) = city.index.governance.case_points.get(case) {
        out.stroke_polygon(&dot(at, 11.0 * px), 3.0 * px, palette::HIGHLIGHT);
    }
    out
}

/// A round dot of `radius` (m) around `at`, as a 12-sided polygon.
fn dot(at: P2, radius: f64) -> crate::geo::LocalPolygon {
    disc(at, radius, 12)
}

/// A disc of `radius` (m) around `at`, as a polygon of `sides` sides.
fn disc(at: P2, radius: f64, sides: u32) -> crate::geo::LocalPolygon {
    crate::scene::overlays::polygon(at, radius, sides, 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::layers::{Depth, Figure, Scale, build};

    #[test]
    fn a_community_shows_its_grids_and_cases() {
        let city = CityData::new(crate::demo::load_demo().expect("demo").snapshot);
        let gi = &city.index.governance;
        let community = (0..city.snapshot.regions.len())
            .find(|&r| {
                gi.grids_of.get(r).is_some_and(|g| g.len() > 2)
                    && gi.cases_of_region.get(r).is_some_and(|c| c.len() > 3)
            })
            .expect("the demo has a community with grids and cases");
        let with = build(
            &city,
            Depth::Community(community, None),
            Figure::Residents,
            false,
            Scale::uniform(1.0),
            &Overlays::default(),
        );
        let grid_labels = with
            .labels
            .iter()
            .filter(|l| l.zh.ends_with("网格"))
            .count();
        assert_eq!(grid_labels, gi.grids_of[community].len());
        // Each case is a dot of 12 triangles' worth of vertices (open ones with a rim too).
        let cases = gi.cases_of_region[community].len();
        assert!(
            with.highlight.positions.len() >= cases * 12,
            "{}",
            with.highlight.positions.len()
        );
        // Without governance tables the community looks as before.
        let mut plain = crate::demo::load_demo().expect("demo").snapshot;
        plain.grids.clear();
        plain.cases.clear();
        for b in &mut plain.buildings {
            b.grid = None;
        }
        let plain = CityData::new(plain);
        let without = build(
            &plain,
            Depth::Community(community, None),
            Figure::Residents,
            false,
            Scale::uniform(1.0),
            &Overlays::default(),
        );
        assert!(without.highlight.positions.len() < with.highlight.positions.len());
        assert_eq!(without.labels.len() + grid_labels, with.labels.len());
    }

    #[test]
    fn the_district_and_a_subdistrict_show_their_open_cases_as_clusters_that_add_up() {
        let city = CityData::new(crate::demo::load_demo().expect("demo").snapshot);
        let gi = &city.index.governance;
        let district = city.index.district;
        let street = city.index.children[district][0];
        for (depth, region, px) in [
            (Depth::District, district, 6.0),
            (Depth::Street(street), street, 1.5),
        ] {
            let layers = build(
                &city,
                depth,
                Figure::Residents,
                false,
                Scale::uniform(px),
                &Overlays::default(),
            );
            let open = clustered_cases(&city, region, &Overlays::default());
            let cases = open.len();
            assert!(cases > 0);
            assert!(
                cases < gi.cases_of_region[region].len(),
                "closed ones are left out"
            );
            // Every case is in one cluster: the labelled counts plus the single cases
            // (discs without a label) make the region's cases.
            let cell = crate::scene::clusters::cell_for_scale(
                px,
                if region == district {
                    DISTRICT_CLUSTER_PX
                } else {
                    STREET_CLUSTER_PX
                },
            );
            let clusters =
                crate::scene::clusters::cluster(&gi.case_points, &gi.case_department, &open, cell);
            let total: u32 = clusters.iter().map(|c| c.count).sum();
            assert_eq!(total as usize, cases);
            let labelled: u32 = layers
                .labels
                .iter()
                .filter_map(|l| l.zh.parse::<u32>().ok())
                .sum();
            let singles = clusters.iter().filter(|c| c.count == 1).count() as u32;
            assert_eq!(labelled + singles, total);
            // Fewer discs than cases: clustered, not one dot each.
            assert!(clusters.len() < cases, "{} clusters", clusters.len());
        }
    }
}
