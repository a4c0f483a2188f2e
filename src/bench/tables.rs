//! The bench's detailed tables (printed with `--details`): map layers and hit tests, the
//! ring's CPU work, a live swap, and the window rows; each fills its figures of the summary.

use std::path::Path;
use std::time::Instant;

use crate::geo::P2;
use crate::scene::layers::{self, Depth, Figure, Overlays};
use crate::snapshot::index::CityData;

use super::cases::{field, renderer_of, window_line};
use super::{FrameRate, Summary, TransitionCpu, ms, time_ms};

/// Layer building and hit tests on a big snapshot.
pub(super) fn map_table(city: &CityData, sum: &mut Summary, d: &mut String) {
    let street = city.index.children[city.index.district]
        .first()
        .copied()
        .unwrap_or(0);
    let community = city.index.children[street].first().copied().unwrap_or(0);
    line!(d, "| map work (stress snapshot) | ms | what |");
    line!(d, "|---|---|---|");
    let px = 5.0;
    let (mut tris, mut border_tris) = (0, 0);
    let t_district = time_ms(5, || {
        let l = layers::build(
            city,
            Depth::District,
            Figure::Residents,
            false,
            layers::Scale::uniform(px),
            &Overlays::default(),
        );
        tris = l.fills.triangles();
        border_tris = l.lines.triangles();
    });
    line!(
        d,
        "| district layers | {t_district:.2} | {tris} fill and {border_tris} border triangles, outlines drawn to {} px |",
        layers::DRAWN_TOLERANCE_PX
    );
    let t_all = time_ms(3, || {
        tris = layers::build(
            city,
            Depth::District,
            Figure::Residents,
            true,
            layers::Scale::uniform(px),
            &Overlays::default(),
        )
        .buildings
        .triangles();
    });
    line!(
        d,
        "| district + all buildings as meshes | {t_all:.1} | {tris} building triangles, merged into one mesh (shown when zoomed in) |"
    );
    // The picture the district view shows instead, at about the scale a 1080p screen
    // fits the district at (its longer side over ~900 pixels).
    let d_bounds = city.index.region_bounds[city.index.district];
    let mpp = d_bounds.width().max(d_bounds.height()) / 900.0;
    let mut size = (0, 0);
    let t_picture = time_ms(3, || {
        let p = crate::scene::picture::all_buildings(city, mpp);
        size = (p.width, p.height);
    });
    line!(
        d,
        "| district + all buildings as one picture | {t_picture:.1} | {}×{} px, drawn once per snapshot and screen size |",
        size.0,
        size.1
    );
    // The district's open cases as clusters (part of the district layers above): what a
    // drill to the district or a swap recomputes; then with a filter chosen (one
    // department's overdue cases), what a tap on the filter panel recomputes.
    let mut overdue_of_one = Overlays {
        status: crate::snapshot::StatusFilter::Overdue,
        ..Overlays::default()
    };
    overdue_of_one.toggle_department(0);
    for (what, overlays) in [
        ("open cases clustered, district", Overlays::default()),
        (
            "one department's overdue cases clustered, district (filter)",
            overdue_of_one,
        ),
    ] {
        let shown =
            crate::scene::case_layers::clustered_cases(city, city.index.district, &overlays).len();
        let mut counts = 0;
        let t_clusters = time_ms(5, || {
            let mut out = layers::Layers::default();
            crate::scene::case_layers::case_clusters(
                city,
                city.index.district,
                (px, crate::scene::case_layers::DISTRICT_CLUSTER_PX),
                &overlays,
                &|_| 0.0,
                &mut out,
            );
            counts = out.labels.len();
        });
        line!(
            d,
            "| {what} | {t_clusters:.2} | {shown} shown of {} cases, {counts} clusters with a count; within one frame at 60 Hz (16.7 ms) |",
            city.snapshot.cases.len()
        );
    }
    let t_street = time_ms(5, || {
        let _ = layers::build(
            city,
            Depth::Street(street),
            Figure::Residents,
            false,
            layers::Scale::uniform(px / 4.0),
            &Overlays::default(),
        );
    });
    line!(
        d,
        "| subdistrict layers | {t_street:.2} | drill step: rebuilt once per tap |"
    );
    let t_comm = time_ms(5, || {
        tris = layers::build(
            city,
            Depth::Community(community, None),
            Figure::Residents,
            false,
            layers::Scale::uniform(px / 20.0),
            &Overlays::default(),
        )
        .buildings
        .triangles();
    });
    line!(
        d,
        "| community layers | {t_comm:.2} | {tris} building triangles |"
    );
    let bounds = city.index.region_bounds[city.index.district];
    let mut rng = crate::generate::rng::Rng::new(9);
    let points: Vec<P2> = (0..100_000)
        .map(|_| {
            [
                rng.range(bounds.min[0], bounds.max[0]),
                rng.range(bounds.min[1], bounds.max[1]),
            ]
        })
        .collect();
    let mut hits = 0;
    let t_hit = time_ms(3, || {
        hits = points
            .iter()
            .filter(|p| city.index.building_at(**p).is_some())
            .count();
    });
    let hit_us = t_hit * 1000.0 / points.len() as f64;
    sum.hit_us = Some(hit_us);
    line!(
        d,
        "| building hit test | {hit_us:.3} µs each | {hits} of 100,000 random points hit a building |"
    );
    let t_region = time_ms(3, || {
        hits = points
            .iter()
            .filter(|p| {
                city.index
                    .region_at(&city.snapshot, crate::snapshot::Level::Community, **p)
                    .is_some()
            })
            .count();
    });
    line!(
        d,
        "| community hit test | {:.3} µs each | {hits} of 100,000 hit a community |",
        t_region * 1000.0 / points.len() as f64
    );
}

/// The window rows (need a display; under Xvfb the renderer is lavapipe): the start, 1,000
/// drills, and frame rates per view.
pub(super) fn render_table(stress: &str, sum: &mut Summary, d: &mut String) {
    line!(
        d,
        "| window | first full frame ms | RSS / PSS after start MiB | RSS / PSS after drills MiB | transition CPU p50 / p95 ms | late frames (worst) |"
    );
    line!(d, "|---|---|---|---|---|---|");
    // Starts go through a start cache of their own, as the exhibit's do: the first start
    // writes it, the next ones read it.
    let cache = std::env::temp_dir().join(format!("citygrid-bench-cache-{}", std::process::id()));
    let cache_arg = cache.display().to_string();
    let env = [("CITYGRID_BENCH_CACHE", cache_arg.as_str())];
    for (label, args, stress_case) in [
        (
            "demo, first start (writes the start cache)",
            vec!["bench", "--case", "startup"],
            false,
        ),
        (
            "demo, start from the start cache",
            vec!["bench", "--case", "startup"],
            false,
        ),
        (
            "stress, first start (writes the start cache)",
            vec!["bench", "--case", "startup", "--file", stress],
            false,
        ),
        (
            "stress, start from the start cache and 1,000 drills",
            vec!["bench", "--case", "drills", "--file", stress],
            true,
        ),
    ] {
        let Some(l) = window_line(&args, &env, "startup=") else {
            line!(d, "| {label} | failed | | | | |");
            continue;
        };
        sum.renderer = Some(renderer_of(&l));
        if stress_case {
            sum.rss_start = Some(field(&l, "rss_start"));
            sum.rss_after_drills = Some(field(&l, "rss_after"));
            sum.drills = Some(field(&l, "drills"));
            sum.transition_cpu = Some(TransitionCpu {
                p50: field(&l, "transition_cpu50"),
                p95: field(&l, "transition_cpu95"),
            });
            sum.late_frames = Some(field(&l, "late_max"));
            line!(
                d,
                "| {label} | {:.0} | {:.0} / {:.0} | {:.0} / {:.0} | {:.1} / {:.1} | {:.0} of {:.0} watched drills |",
                field(&l, "startup"),
                field(&l, "rss_start"),
                field(&l, "pss_start"),
                field(&l, "rss_after"),
                field(&l, "pss_after"),
                field(&l, "transition_cpu50"),
                field(&l, "transition_cpu95"),
                field(&l, "late_max"),
                field(&l, "watched"),
            );
        } else {
            if label.starts_with("demo, start from") {
                sum.startup_ms = Some(field(&l, "startup"));
            }
            line!(
                d,
                "| {label} | {:.0} | {:.0} / {:.0} | | | |",
                field(&l, "startup"),
                field(&l, "rss_start"),
                field(&l, "pss_start"),
            );
        }
    }
    let _ = std::fs::remove_dir_all(&cache);
    if let Some(l) = window_line(&["bench", "--case", "floor"], &[], "floor_rss=") {
        let (rss, pss, p50) = (
            field(&l, "floor_rss"),
            field(&l, "floor_pss"),
            field(&l, "floor_p50"),
        );
        sum.floor_rss = Some(rss);
        line!(
            d,
            "| bare Bevy window of this build, nothing drawn (the renderer's floor; frame p50 {p50:.1} ms) | | {rss:.0} / {pss:.0} | | | |"
        );
    }
    line!(d);
    line!(
        d,
        "| window, stress snapshot | fps | frame p50 ms | frame p95 ms | exhibit CPU p50 ms/frame |"
    );
    line!(d, "|---|---|---|---|---|");
    for (label, case, msaa, view) in [
        ("district, all buildings, MSAA off", "fps-all", "0", "map"),
        ("district, all buildings, MSAA 4×", "fps-all", "1", "map"),
        ("district, all buildings, FXAA", "fps-all", "fxaa", "map"),
        (
            "district, all buildings in 3D, MSAA off",
            "fps-all",
            "0",
            "map3d",
        ),
        (
            "district, all buildings in 3D, MSAA 4×",
            "fps-all",
            "1",
            "map3d",
        ),
        (
            "district, all buildings in 3D, FXAA",
            "fps-all",
            "fxaa",
            "map3d",
        ),
        (
            "district as a visitor first sees it (no buildings), MSAA off",
            "fps-district",
            "0",
            "map",
        ),
        ("drilling in and out, MSAA off", "fps-drill", "0", "map"),
        (
            "hall view of the ring (texture drawn every frame)",
            "fps-all",
            "0",
            "hall",
        ),
        (
            "ring canvas in the window (the LED output)",
            "fps-all",
            "0",
            "ring",
        ),
    ] {
        let (view, three_d) = match view {
            "map3d" => ("map", "1"),
            v => (v, "0"),
        };
        let line = window_line(
            &["bench", "--case", case, "--file", stress],
            &[
                ("CITYGRID_BENCH_MSAA", msaa),
                ("CITYGRID_BENCH_VIEW", view),
                ("CITYGRID_BENCH_3D", three_d),
            ],
            "fps=",
        );
        match line {
            Some(l) => {
                if case == "fps-all" && view == "map" && msaa == "0" && three_d == "0" {
                    sum.fps_all = Some(FrameRate {
                        fps: field(&l, "fps"),
                        p50_ms: field(&l, "p50"),
                    });
                }
                line!(
                    d,
                    "| {label} | {:.1} | {:.1} | {:.1} | {:.2} |",
                    field(&l, "fps"),
                    field(&l, "p50"),
                    field(&l, "p95"),
                    field(&l, "cpu50"),
                );
            }
            None => line!(d, "| {label} | failed | | | |"),
        }
    }
}

/// The ring's CPU work per frame with 7 departments × 8 metrics = 56 widgets: the widget
/// data for a new selection (once per tap) and a full redraw (every frame while values
/// ease and lines draw in; idle frames redraw nothing).
pub(super) fn ring_table(sum: &mut Summary, d: &mut String) {
    use crate::scene::ring::{data, draw, layout};
    let Ok(loaded) = crate::demo::load_demo() else {
        return;
    };
    let mut s = loaded.snapshot;
    // Pad every department to 8 metrics by repeating its own.
    let mut extra = Vec::new();
    for d in &s.departments {
        let own: Vec<&crate::snapshot::Metric> =
            s.metrics.iter().filter(|m| m.department == d.id).collect();
        for k in own.len()..8 {
            if let Some(m) = own.get(k % own.len().max(1)) {
                let mut m = (*m).clone();
                m.id = format!("{}.copy{k}", m.id);
                extra.push(m);
            }
        }
    }
    s.metrics.extend(extra);
    let city = CityData::new(s);
    let l = layout::automatic(&city.snapshot, layout::DEFAULT_SPAN_DEG);
    let street = city.index.children[city.index.district]
        .first()
        .copied()
        .unwrap_or(0);
    let mut widgets = Vec::new();
    let t_data = time_ms(9, || {
        widgets = l
            .slots
            .iter()
            .map(|slot| data::widget(&city, slot, street))
            .collect();
    });
    let anims: Vec<draw::WidgetAnim> = widgets
        .iter()
        .map(|w| draw::WidgetAnim {
            reveal: 0.5,
            shown: draw::primary_value(w),
        })
        .collect();
    let depts = draw::department_styles(&city.snapshot);
    let mut tris = 0;
    let mut texts = 0;
    let t_draw = time_ms(9, || {
        let f = draw::draw(
            &l,
            &depts,
            &widgets,
            &anims,
            crate::scene::format::Lang::Zh,
            ("辽宁路街道", "Liaoning Road"),
            &[],
        );
        tris = f.mesh.triangles();
        texts = f.texts.len();
    });
    sum.ring_ms = Some(t_draw);
    line!(d, "| ring, {} widgets | ms | what |", l.slots.len());
    line!(d, "|---|---|---|");
    line!(
        d,
        "| widget data for a new selection | {t_data:.2} | once per tap |"
    );
    line!(
        d,
        "| redraw of every widget | {t_draw:.2} | {tris} triangles, {texts} texts; each frame while animating (0.9 s after a tap) |"
    );
}

/// Frame times of the exhibit's logic (map, ring, kiosk, swap; no rendering) while a
/// 30,000-building snapshot is loaded, checked and swapped in: the load runs on a worker
/// thread, so only the swap itself lands in a frame.
pub(super) fn swap_table(stress: &Path, d: &mut String) {
    use bevy::prelude::*;
    let Ok(demo) = crate::demo::load_demo() else {
        return;
    };
    let city = std::sync::Arc::new(CityData::new(demo.snapshot));
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, bevy::input::InputPlugin));
    crate::app::add_exhibit(&mut app, &crate::app::AppOptions::new(city, "bench".into()));
    app.update();
    app.world_mut()
        .write_message(crate::app::base::swap::LoadSnapshot {
            path: stress.to_path_buf(),
            apply: true,
        });
    let mut frames: Vec<f64> = Vec::new();
    let start = Instant::now();
    let mut swapped_at = None;
    let mut swap_ms = f64::NAN;
    while start.elapsed().as_secs_f64() < 30.0 {
        let t = Instant::now();
        app.update();
        frames.push(ms(t));
        let buildings = app
            .world()
            .resource::<crate::app::City>()
            .0
            .snapshot
            .buildings
            .len();
        if buildings > 20_000 && swapped_at.is_none() {
            swapped_at = Some(frames.len());
            swap_ms = ms(start);
        }
        if let Some(at) = swapped_at
            && frames.len() > at + 60
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(4));
    }
    let worst = frames.iter().cloned().fold(0.0f64, f64::max);
    let swap_frame = swapped_at
        .and_then(|i| frames.get(i - 1))
        .copied()
        .unwrap_or(f64::NAN);
    line!(
        d,
        "| live swap of the stress snapshot (logic, headless) | ms | target |"
    );
    line!(d, "|---|---|---|");
    line!(
        d,
        "| request to swapped in (load, check, index on a worker thread) | {swap_ms:.0} | frames go on meanwhile |"
    );
    line!(d, "| the frame that swaps it in | {swap_frame:.1} | ≤ 50 |");
    line!(
        d,
        "| worst frame during the whole swap ({} frames) | {worst:.1} | ≤ 50 |",
        frames.len()
    );
}
