//! Stories (案例): a curator's steps through the district, played from the screen by a
//! visitor or a docent ("案例" / "Stories"), from the command line (`--story ID --step N`)
//! or by the attract mode between its tours. Each step moves the map to its focus (a case
//! opens its card), filters the cases, brings its departments forward on the ring and shows
//! its caption; next, previous and end by touch. Played by the attract mode, a step lasts
//! its `duration_s`; otherwise the story waits for a touch. Its end puts the visitor's
//! filters back and leaves the map where the story left it. Runs headless.

use bevy::prelude::*;

use crate::app::base::sets::ApplyRequests;
use crate::app::base::{
    AppSystems, Chooser, City, MapOverlays, MapRequest, Playing, RingForward, SelectedCase,
    StoryPlay,
};
use crate::scene::layers::Overlays;
use crate::snapshot::index::CityData;

/// Seconds into the current step (for steps that advance by themselves).
#[derive(Resource, Debug, Clone, Copy, PartialEq, Default)]
pub struct StepClock(pub f64);

/// Stories (headless as well as windowed). `start` plays a story from a step at once
/// (`--story`), waiting for touches.
pub fn plugin(app: &mut App, start: Option<(usize, usize)>) {
    let playing = start.and_then(|(story, step)| {
        let city = app.world().resource::<City>().0.clone();
        let steps = city.snapshot.stories.get(story)?.steps.len();
        (step < steps).then(|| Playing {
            story,
            step,
            auto: false,
            saved: Overlays::default(),
            visit: 0,
        })
    });
    app.insert_resource(StoryPlay(playing))
        .init_resource::<StepClock>()
        .add_systems(
            Update,
            (story_requests, advance, apply_step)
                .chain()
                .in_set(AppSystems::Apply)
                .before(ApplyRequests),
        );
}

/// Starts, steps through and ends stories on request; a new snapshot ends the story on
/// show (its indices mean nothing in the new one).
fn story_requests(
    mut requests: MessageReader<MapRequest>,
    city: Res<City>,
    mut play: ResMut<StoryPlay>,
    mut overlays: ResMut<MapOverlays>,
    mut chooser: ResMut<Chooser>,
) {
    if city.is_changed() && !city.is_added() {
        // A new snapshot: its departments are others; the story, the filters and the
        // open chooser belonged to the old one.
        play.0 = None;
        overlays.set_if_neq(MapOverlays::default());
        chooser.set_if_neq(Chooser::None);
        requests.clear();
        return;
    }
    for r in requests.read() {
        match *r {
            MapRequest::StartStory(story) if steps_of(&city.0, story) > 0 => {
                let saved = match &play.0 {
                    Some(p) => p.saved.clone(),
                    None => overlays.0.clone(),
                };
                play.0 = Some(Playing {
                    story,
                    step: 0,
                    auto: false,
                    saved,
                    visit: 0,
                });
                chooser.set_if_neq(Chooser::None);
            }
            MapRequest::StoryStep(0) => {
                // Back to the step on show (the visitor wandered off on the map).
                if let Some(p) = &mut play.0 {
                    p.visit = p.visit.wrapping_add(1);
                }
            }
            MapRequest::StoryStep(delta) => {
                let Some(p) = &play.0 else { continue };
                let steps = steps_of(&city.0, p.story);
                let to = p.step as i64 + i64::from(delta);
                if to < 0 {
                    continue;
                }
                if to as usize >= steps {
                    end(&mut play, &mut overlays);
                } else if let Some(p) = &mut play.0 {
                    // Stepped by hand (a docent's show control): it waits from now on.
                    p.step = to as usize;
                    p.auto = false;
                }
            }
            MapRequest::EndStory => end(&mut play, &mut overlays),
            _ => {}
        }
    }
}

/// Ends the story on show, putting the visitor's layers and filters back.
fn end(play: &mut ResMut<StoryPlay>, overlays: &mut ResMut<MapOverlays>) {
    if let Some(saved) = play.end() {
        overlays.set_if_neq(MapOverlays(saved));
    }
}

fn steps_of(city: &CityData, story: usize) -> usize {
    city.snapshot
        .stories
        .get(story)
        .map_or(0, |s| s.steps.len())
}

/// Steps that advance by themselves: the next after the step's `duration_s`, the end after
/// the last.
fn advance(
    time: Res<Time<Real>>,
    city: Res<City>,
    mut play: ResMut<StoryPlay>,
    mut overlays: ResMut<MapOverlays>,
    mut clock: ResMut<StepClock>,
    mut shown: Local<Option<(usize, usize)>>,
) {
    let now = play.0.as_ref().map(|p| (p.story, p.step));
    if now != *shown {
        *shown = now;
        clock.0 = 0.0;
    }
    let Some(p) = play.0.as_ref().filter(|p| p.auto) else {
        return;
    };
    let Some(step) = p.step_of(&city.0.snapshot) else {
        return;
    };
    // Real seconds: at rest the attract mode wakes about once a second, and an eased
    // animation step (capped per frame) would stretch every step.
    clock.0 += time.delta_secs_f64();
    if clock.0 < step.duration_s {
        return;
    }
    if p.step + 1 < steps_of(&city.0, p.story) {
        if let Some(p) = &mut play.0 {
            p.step += 1;
        }
    } else {
        end(&mut play, &mut overlays);
    }
}

/// Puts a new step on show: the map moves to its focus (a case: its grid, with its card),
/// its filter replaces the cases shown, the ring brings its departments forward. Nothing
/// while no story plays, except that the ring lets its departments go.
fn apply_step(
    play: Res<StoryPlay>,
    city: Res<City>,
    mut overlays: ResMut<MapOverlays>,
    mut forward: ResMut<RingForward>,
    mut requests: MessageWriter<MapRequest>,
    mut case: ResMut<SelectedCase>,
    mut applied: Local<Option<(usize, usize, u32)>>,
) {
    let now = play.0.as_ref().map(|p| (p.story, p.step, p.visit));
    if now == *applied {
        return;
    }
    *applied = now;
    let Some(step) = play.0.as_ref().and_then(|p| p.step_of(&city.0.snapshot)) else {
        forward.set_if_neq(RingForward::default());
        return;
    };
    let city = &*city.0;
    let step_overlays = match &step.filter {
        Some(f) => Overlays::of_filter(city, f),
        None => Overlays::default(),
    };
    overlays.set_if_neq(MapOverlays(step_overlays));
    let mut departments: Vec<usize> = step
        .departments
        .iter()
        .filter_map(|d| city.index.governance.department_by_id.get(d).copied())
        .collect();
    departments.sort_unstable();
    departments.dedup();
    forward.set_if_neq(RingForward(departments));
    // The card of a case a step before (or the visitor's) closes; a case step opens its own.
    case.set_if_neq(SelectedCase(None));
    for r in crate::app::base::state::step_requests(city, &step.focus) {
        requests.write(r);
    }
}
