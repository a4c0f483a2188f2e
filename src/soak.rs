//! The soak: the exhibit's logic (map, ring, kiosk, swap, curator; no rendering) driven by
//! random touch sequences from a fixed seed — taps, drags, pinches, five-finger chaos,
//! language toggles, idle timeouts and snapshot swaps — checking after every sequence that
//! the state is valid, and measuring memory growth after warm-up.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bevy::input::InputPlugin;
use bevy::input::touch::{TouchInput, TouchPhase};
use bevy::prelude::*;

use crate::app::base::swap::{LoadSnapshot, Swapper};
use crate::app::kiosk::Idle;
use crate::app::ring::RingState;
use crate::app::{AppOptions, City, Focus, MapRequest, MapView, add_exhibit};
use crate::generate::rng::Rng;
use crate::snapshot::index::CityData;

/// What a soak found.
#[derive(Debug, Clone)]
pub struct SoakReport {
    pub sequences: usize,
    pub updates: usize,
    pub swaps: usize,
    pub seconds: f64,
    /// Highest resident memory in the first half after warm-up (10%–50% of the sequences)
    /// and in the second half, MiB: a leak keeps climbing, a plateau does not.
    pub rss_warm_mib: Option<f64>,
    pub rss_end_mib: Option<f64>,
}

impl SoakReport {
    /// Growth of resident memory after warm-up, percent.
    pub fn growth_percent(&self) -> Option<f64> {
        match (self.rss_warm_mib, self.rss_end_mib) {
            (Some(a), Some(b)) if a > 0.0 => Some((b / a - 1.0) * 100.0),
            _ => None,
        }
    }
}

fn touch(app: &mut App, id: u64, phase: TouchPhase, x: f64, y: f64) {
    app.world_mut().write_message(TouchInput {
        phase,
        position: Vec2::new(x as f32, y as f32),
        window: Entity::PLACEHOLDER,
        force: None,
        id,
    });
}

/// Checks the invariants of the exhibit's state.
fn check(app: &App) -> Result<(), String> {
    let city = &app.world().resource::<City>().0;
    let focus = *app.world().resource::<Focus>();
    let ok = match focus {
        Focus::District => true,
        Focus::Street(r) | Focus::Community(r) => r < city.snapshot.regions.len(),
        Focus::Grid(g) => g < city.snapshot.grids.len(),
        Focus::Building(b) => b < city.snapshot.buildings.len(),
    };
    if !ok {
        return Err(format!("focus {focus:?} points outside the snapshot"));
    }
    let v = app.world().resource::<MapView>().view;
    if !(v.scale.is_finite() && v.scale > 0.0 && v.center[0].is_finite() && v.center[1].is_finite())
    {
        return Err(format!("map view is not finite: {v:?}"));
    }
    let ring = app.world().resource::<RingState>();
    if ring.region != usize::MAX && ring.region >= city.snapshot.regions.len() {
        return Err(format!("ring region {} outside the snapshot", ring.region));
    }
    if ring.anims.len() != ring.layout.slots.len() {
        return Err("ring animations and widgets disagree".into());
    }
    if ring.anims.iter().any(|a| !a.shown.is_finite()) {
        return Err("a ring value is not finite".into());
    }
    Ok(())
}

/// Runs `sequences` random sequences. `swap_files` are snapshot files (valid or not) to
/// swap in now and then.
pub fn run(sequences: usize, seed: u64, swap_files: &[&Path]) -> Result<SoakReport, String> {
    let loaded = crate::demo::load_demo().map_err(|e| e.to_string())?;
    let city = Arc::new(CityData::new(loaded.snapshot));
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, InputPlugin));
    add_exhibit(&mut app, &AppOptions::new(city, "soak".into()));
    app.update();
    let mut rng = Rng::new(seed);
    let start = Instant::now();
    let (w, h) = (1920.0, 1080.0);
    let mut updates = 0usize;
    let mut swaps = 0usize;
    let mut rss_first: Option<f64> = None;
    let mut rss_second: Option<f64> = None;
    let (warm_at, half) = ((sequences / 10).max(1), (sequences / 2).max(2));
    for n in 0..sequences {
        if n >= warm_at && n % 50 == 0 {
            let rss = crate::process::rss_mib();
            let slot = if n < half {
                &mut rss_first
            } else {
                &mut rss_second
            };
            if let Some(r) = rss {
                *slot = Some(slot.map_or(r, |m: f64| m.max(r)));
            }
        }
        let kind = rng.weighted(&[40.0, 20.0, 12.0, 4.0, 6.0, 3.0, 1.0, 14.0]);
        let id0 = (n as u64 % 1000) * 10;
        match kind {
            0 => {
                // Tap, sometimes on a panel, sometimes off screen.
                let (x, y) = (rng.range(-50.0, w + 50.0), rng.range(-50.0, h + 50.0));
                touch(&mut app, id0, TouchPhase::Started, x, y);
                app.update();
                touch(&mut app, id0, TouchPhase::Ended, x, y);
            }
            1 => {
                let (mut x, mut y) = (rng.range(0.0, w), rng.range(0.0, h));
                touch(&mut app, id0, TouchPhase::Started, x, y);
                for _ in 0..rng.int(1, 6) {
                    x += rng.range(-120.0, 120.0);
                    y += rng.range(-120.0, 120.0);
                    touch(&mut app, id0, TouchPhase::Moved, x, y);
                    app.update();
                    updates += 1;
                }
                touch(&mut app, id0, TouchPhase::Ended, x, y);
            }
            2 => {
                let (cx, cy) = (rng.range(200.0, w - 200.0), rng.range(200.0, h - 200.0));
                let mut d = rng.range(20.0, 300.0);
                touch(&mut app, id0, TouchPhase::Started, cx - d, cy);
                touch(&mut app, id0 + 1, TouchPhase::Started, cx + d, cy);
                for _ in 0..rng.int(1, 5) {
                    d *= rng.range(0.5, 1.8);
                    touch(&mut app, id0, TouchPhase::Moved, cx - d, cy);
                    touch(&mut app, id0 + 1, TouchPhase::Moved, cx + d, cy);
                    app.update();
                    updates += 1;
                }
                touch(&mut app, id0, TouchPhase::Ended, cx - d, cy);
                touch(&mut app, id0 + 1, TouchPhase::Canceled, cx + d, cy);
            }
            3 => {
                // Five fingers at once, lifted in any order, some never properly.
                for f in 0..5 {
                    touch(
                        &mut app,
                        id0 + f,
                        TouchPhase::Started,
                        rng.range(0.0, w),
                        rng.range(0.0, h),
                    );
                }
                for _ in 0..3 {
                    for f in 0..5 {
                        touch(
                            &mut app,
                            id0 + f,
                            TouchPhase::Moved,
                            rng.range(0.0, w),
                            rng.range(0.0, h),
                        );
                    }
                    app.update();
                    updates += 1;
                }
                for f in 0..5 {
                    let phase = if rng.chance(0.8) {
                        TouchPhase::Ended
                    } else {
                        TouchPhase::Canceled
                    };
                    touch(
                        &mut app,
                        id0 + f,
                        phase,
                        rng.range(0.0, w),
                        rng.range(0.0, h),
                    );
                }
            }
            4 => {
                app.world_mut().write_message(MapRequest::ToggleLang);
            }
            5 => {
                app.world_mut().resource_mut::<Idle>().seconds = 1e6;
            }
            6 if !swap_files.is_empty() => {
                let file = swap_files[rng.int(0, swap_files.len() as i64 - 1) as usize];
                app.world_mut().write_message(LoadSnapshot {
                    path: file.to_path_buf(),
                    apply: true,
                });
                swaps += 1;
            }
            _ => {
                app.world_mut().write_message(MapRequest::Back);
            }
        }
        app.update();
        updates += 1;
        check(&app).map_err(|e| format!("after sequence {n}: {e}"))?;
    }
    // Let the last swaps land.
    let deadline = Instant::now() + Duration::from_secs(30);
    while app.world().resource::<Swapper>().busy() && Instant::now() < deadline {
        app.update();
        std::thread::sleep(Duration::from_millis(5));
    }
    app.update();
    check(&app)?;
    Ok(SoakReport {
        sequences,
        updates,
        swaps,
        seconds: start.elapsed().as_secs_f64(),
        rss_warm_mib: rss_first,
        rss_end_mib: rss_second,
    })
}
