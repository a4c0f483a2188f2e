//! Knows which frames were drawn in full. A frame is drawn in full when, after the renderer
//! drew it, every render pipeline it asked for was ready: Bevy skips whatever waits for a
//! pipeline (one still compiling, or whose shader has not loaded yet), so until then parts
//! of the picture are missing. A pipeline created in the frame itself counts as ready:
//! Bevy creates pipelines before it draws, and with synchronous compilation (see
//! `window::window_plugins`) the new one is drawn in that frame, though Bevy keeps its id
//! in the waiting list until the next frame.
//!
//! Screenshots wait for it (`citygrid shot`), and `citygrid bench` times the first full
//! frame after start and checks that a drill's new level is drawn by the end of its
//! transition.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bevy::diagnostic::FrameCount;
use bevy::prelude::*;
use bevy::render::render_resource::{CachedPipelineState, PipelineCache, PipelineDescriptor};
use bevy::render::{Render, RenderApp, RenderSystems};
use bevy::shader::ShaderCacheError;

#[derive(Debug, Default)]
struct Shared {
    /// Main-world frames the renderer has finished, plus one (0: none yet).
    rendered: AtomicU32,
    /// The last finished frame that was drawn in full, plus one (0: none yet).
    full: AtomicU32,
    /// Frames drawn in full, in a row, up to the last finished one.
    full_run: AtomicU64,
    /// When the renderer finished the first frame drawn in full.
    first_full: Mutex<Option<Instant>>,
    /// The last [`HISTORY`] finished frames.
    history: Mutex<VecDeque<Finished>>,
    /// Render pipelines that failed to build, each once: its label and Bevy's error.
    failed: Mutex<Vec<String>>,
    /// Since when, and for how many finished frames, each pipeline (by its id) has waited
    /// for its shader or a shader import.
    waits: Mutex<HashMap<usize, (Instant, u32)>>,
}

/// A frame the renderer finished: which (its [`FrameCount`]), whether in full, and when.
#[derive(Debug, Clone, Copy)]
struct Finished {
    frame: u32,
    full: bool,
    at: Instant,
}

/// Finished frames remembered.
const HISTORY: usize = 120;

/// Shared by the main world and the render world.
#[derive(Resource, Debug, Clone, Default)]
pub struct FrameProbe(Arc<Shared>);

impl FrameProbe {
    /// The last main-world frame (its [`FrameCount`]) the renderer has finished.
    pub fn last_rendered(&self) -> Option<u32> {
        self.0.rendered.load(Ordering::Acquire).checked_sub(1)
    }

    /// The finished frames remembered (the last 120): frame number, drawn in full, when.
    pub fn finished(&self) -> Vec<(u32, bool, Instant)> {
        self.0.history.lock().map_or(Vec::new(), |h| {
            h.iter().map(|f| (f.frame, f.full, f.at)).collect()
        })
    }

    /// The last finished frame that was drawn in full.
    pub fn last_full(&self) -> Option<u32> {
        self.0.full.load(Ordering::Acquire).checked_sub(1)
    }

    /// How many finished frames in a row, up to the last, were drawn in full.
    pub fn full_run(&self) -> u64 {
        self.0.full_run.load(Ordering::Acquire)
    }

    /// Whether a recently finished frame was drawn in full (None: not finished yet, or
    /// too long ago).
    pub fn was_full(&self, frame: u32) -> Option<bool> {
        let history = self.0.history.lock().ok()?;
        history.iter().find(|f| f.frame == frame).map(|f| f.full)
    }

    /// When the renderer finished a recent frame (None: not finished yet, or too long ago).
    pub fn finished_at(&self, frame: u32) -> Option<Instant> {
        let history = self.0.history.lock().ok()?;
        history.iter().find(|f| f.frame == frame).map(|f| f.at)
    }

    /// When the first frame drawn in full was finished.
    pub fn first_full(&self) -> Option<Instant> {
        self.0.first_full.lock().ok().and_then(|t| *t)
    }

    /// The render pipelines that failed to build (a shader that does not compile, or whose
    /// shader or import is still missing after [`SHADER_WAIT`]), each as
    /// "label: error". Bevy logs the error and draws everything else: whatever the
    /// pipeline draws is missing from every frame. Frames still count as drawn in full
    /// (the exhibit goes on and rests as usual); screenshots and benchmarks stop
    /// ([`exit_on_failed_pipelines`]).
    pub fn failed_pipelines(&self) -> Vec<String> {
        self.0.failed.lock().map_or(Vec::new(), |f| f.clone())
    }
}

/// For screenshots and benchmarks: ends the app with an error, naming the pipelines, once
/// one failed to build. Their figures and pictures would be of a frame with parts missing,
/// and a wait for a frame drawn in full would never end. (The exhibit itself goes on with
/// what it can draw; Bevy has logged the error.)
pub fn exit_on_failed_pipelines(
    probe: Res<FrameProbe>,
    mut exit: MessageWriter<AppExit>,
    mut done: Local<bool>,
) {
    if *done {
        return;
    }
    let failed = probe.failed_pipelines();
    if failed.is_empty() {
        return;
    }
    *done = true;
    error!(
        "{} render pipeline(s) failed to build, so parts of the picture are missing; \
         stopping without a shot or a figure: {}",
        failed.len(),
        failed.join("; ")
    );
    exit.write(AppExit::error());
}

/// How long a pipeline may wait for its shader or a shader import before it counts as
/// failed. The exhibit's shaders are embedded in the binary and load within milliseconds, so
/// one still missing after this long names something that does not exist — a misspelled
/// `#import` — and Bevy would retry it, and a shot or a bench would wait for it, forever.
pub const SHADER_WAIT: Duration = Duration::from_secs(10);

/// Frames a pipeline must also have waited in before it counts as failed: at rest frames
/// come seconds apart, and a chain of imports may take a few frames to resolve.
pub const SHADER_WAIT_FRAMES: u32 = 30;

/// Whether a pipeline in `state` has waited for its shader or a shader import for
/// [`SHADER_WAIT`] or longer by `now` and over [`SHADER_WAIT_FRAMES`] finished frames, as
/// "…: still missing after N s …". `waits` keeps when each pipeline (by `id`) began to wait
/// and for how many frames; a pipeline in any other state is forgotten there.
fn waited_too_long(
    waits: &mut HashMap<usize, (Instant, u32)>,
    id: usize,
    state: &CachedPipelineState,
    now: Instant,
) -> Option<String> {
    // Bevy turns a missing shader or import back into `Queued` on the next frame and tries
    // again, so a waiting pipeline is seen in either state. (`Creating` is compiling: Bevy
    // answers a missing shader with `Err` at once.)
    let waiting = matches!(
        state,
        CachedPipelineState::Queued
            | CachedPipelineState::Err(
                ShaderCacheError::ShaderNotLoaded(_)
                    | ShaderCacheError::ShaderImportNotYetAvailable
            )
    );
    if !waiting {
        waits.remove(&id);
        return None;
    }
    let (since, frames) = waits.entry(id).or_insert((now, 0));
    *frames = frames.saturating_add(1);
    (now.saturating_duration_since(*since) >= SHADER_WAIT && *frames > SHADER_WAIT_FRAMES).then(
        || {
            format!(
                "its shader or a shader import is still missing after {} s (a misspelled \
             #import, or a shader that does not exist?)",
                SHADER_WAIT.as_secs()
            )
        },
    )
}

/// Why a pipeline in this state will never draw, if it will not: Bevy keeps retrying one
/// whose shader or shader import has not loaded yet (see [`SHADER_WAIT`] for when that
/// counts as failed), and gives up on the others.
pub fn pipeline_failure(state: &CachedPipelineState) -> Option<String> {
    match state {
        CachedPipelineState::Err(
            ShaderCacheError::ShaderNotLoaded(_) | ShaderCacheError::ShaderImportNotYetAvailable,
        ) => None,
        CachedPipelineState::Err(e) => Some(e.to_string()),
        _ => None,
    }
}

/// Adds the probe to the main world and its recorder to the render world (if there is one).
pub fn plugin(app: &mut App) {
    let probe = FrameProbe::default();
    app.insert_resource(probe.clone());
    if let Some(render_app) = app.get_sub_app_mut(RenderApp) {
        render_app
            .insert_resource(probe)
            .add_systems(Render, record.in_set(RenderSystems::Cleanup));
    }
}

/// Runs after the renderer has submitted the frame.
fn record(probe: Res<FrameProbe>, cache: Res<PipelineCache>, frame: Option<Res<FrameCount>>) {
    let Some(frame) = frame else {
        return;
    };
    let shared = &probe.0;
    let pipelines: Vec<_> = cache.pipelines().collect();
    let now = Instant::now();
    let mut given_up = Vec::new();
    for (id, p) in pipelines.iter().enumerate() {
        let waited = shared
            .waits
            .lock()
            .ok()
            .and_then(|mut waits| waited_too_long(&mut waits, id, &p.state, now));
        if waited.is_some() {
            given_up.push(id);
        }
        let Some(why) = pipeline_failure(&p.state).or(waited) else {
            continue;
        };
        let label = match &p.descriptor {
            PipelineDescriptor::RenderPipelineDescriptor(d) => d.label.clone(),
            PipelineDescriptor::ComputePipelineDescriptor(d) => d.label.clone(),
        };
        let line = format!(
            "{}: {why}",
            label.as_deref().unwrap_or("an unnamed pipeline")
        );
        if let Ok(mut list) = shared.failed.lock()
            && !list.contains(&line)
        {
            list.push(line);
        }
    }
    // Waiting ids whose pipeline is in fact ready (created this frame, before the draw), or
    // that waited too long and count as failed, are not waited for.
    let waiting = cache
        .waiting_pipelines()
        .filter(|&id| {
            !given_up.contains(&id)
                && !pipelines
                    .get(id)
                    .is_some_and(|p| matches!(p.state, CachedPipelineState::Ok(_)))
        })
        .count();
    let full = waiting == 0 && !pipelines.is_empty();
    if full {
        if let Ok(mut first) = shared.first_full.lock() {
            first.get_or_insert_with(Instant::now);
        }
        shared.full.store(frame.0 + 1, Ordering::Release);
        shared.full_run.fetch_add(1, Ordering::AcqRel);
    } else {
        shared.full_run.store(0, Ordering::Release);
    }
    if let Ok(mut history) = shared.history.lock() {
        if history.len() == HISTORY {
            history.pop_front();
        }
        history.push_back(Finished {
            frame: frame.0,
            full,
            at: Instant::now(),
        });
    }
    shared.rendered.store(frame.0 + 1, Ordering::Release);
}

#[cfg(test)]
mod tests {
    use super::*;
    use bevy::asset::AssetId;

    #[test]
    fn a_shader_that_does_not_compile_is_a_failure_and_one_still_loading_is_not() {
        let broken = CachedPipelineState::Err(ShaderCacheError::CreateShaderModule(
            "expected expression, found '}'".into(),
        ));
        let why = pipeline_failure(&broken);
        assert!(
            why.as_deref()
                .is_some_and(|w| w.contains("expected expression"))
        );
        for waiting in [
            CachedPipelineState::Queued,
            CachedPipelineState::Err(ShaderCacheError::ShaderNotLoaded(AssetId::default())),
            CachedPipelineState::Err(ShaderCacheError::ShaderImportNotYetAvailable),
        ] {
            assert_eq!(pipeline_failure(&waiting), None);
        }
    }

    #[test]
    fn a_shader_import_missing_for_ten_seconds_is_a_failure() {
        let missing = CachedPipelineState::Err(ShaderCacheError::ShaderImportNotYetAvailable);
        let mut waits = HashMap::new();
        let t0 = Instant::now();
        assert_eq!(waited_too_long(&mut waits, 3, &missing, t0), None);
        assert_eq!(
            waited_too_long(&mut waits, 3, &missing, t0 + SHADER_WAIT / 2),
            None
        );
        // Ten seconds over few frames (at rest): not yet.
        assert_eq!(
            waited_too_long(&mut waits, 3, &missing, t0 + SHADER_WAIT),
            None
        );
        for _ in 0..SHADER_WAIT_FRAMES {
            let _ = waited_too_long(&mut waits, 3, &missing, t0 + SHADER_WAIT / 2);
        }
        let why = waited_too_long(&mut waits, 3, &missing, t0 + SHADER_WAIT);
        assert!(why.is_some_and(|w| w.contains("still missing after 10 s")));
        // Bevy sets it back to `Queued` to retry: the clock runs on.
        assert!(
            waited_too_long(
                &mut waits,
                3,
                &CachedPipelineState::Queued,
                t0 + SHADER_WAIT
            )
            .is_some()
        );
        // Another pipeline has its own clock; one that got its shader is forgotten.
        assert_eq!(
            waited_too_long(&mut waits, 4, &missing, t0 + SHADER_WAIT),
            None
        );
        let broken = CachedPipelineState::Err(ShaderCacheError::CreateShaderModule("x".into()));
        assert_eq!(waited_too_long(&mut waits, 3, &broken, t0), None);
        assert!(!waits.contains_key(&3));
        assert!(waits.contains_key(&4));
    }
}
