//! A cheaper fragment stage for Bevy UI's nodes (`ui_shader.wgsl`). Bevy's own samples the
//! node's texture for every pixel — a white texel for plain backgrounds and borders — and
//! measures every pixel's distance to a rounded, inset box, also for glyphs, which are
//! square and have no inset. On a software renderer those two are most of the panels' and
//! texts' cost (docs/performance.md, "Cheaper pixels"). Ours samples only textured nodes,
//! at level 0 — the same as `textureSample` for every texture the exhibit shows in its UI
//! (glyph atlases, the ring's strip, the curator's preview: one mip level, the same filter
//! for minifying and magnifying); a mipmapped image in an `ImageNode` would need Bevy's
//! sampling back —, takes the square box's distance directly,
//! and leaves every other case to Bevy's own functions, which it imports: the picture is
//! the same, pixel for pixel. The vertex stage, inputs and bindings are Bevy's
//! (`bevy_ui::ui_node`, Bevy 0.19.1, pinned in Cargo.toml).
//!
//! Since then the large areas — panels' and buttons' backgrounds, the ring's strip — are
//! drawn by pipelines of their own (`fill.rs`); this shader still draws glyphs, rims, and
//! the small swatches and bars.
//!
//! On a GPU the branches skip work for whole groups of pixels. llvmpipe runs eight pixels
//! at a time and only masks lanes at an `if`, so there every pixel runs every branch; what
//! this shader saves there is the sampling without derivatives (docs/performance.md,
//! "Where the rest of the district's frame goes").

use bevy::asset::{AssetPath, embedded_asset, embedded_path};
use bevy::prelude::*;
use bevy::render::RenderApp;
use bevy::render::RenderStartup;
use bevy::ui_render::{UiPipeline, init_ui_pipeline};

/// Points Bevy's UI pipeline at `ui_shader.wgsl` before anything is drawn.
pub fn plugin(app: &mut App) {
    embedded_asset!(app, "ui_shader.wgsl");
    if let Some(render_app) = app.get_sub_app_mut(RenderApp) {
        render_app.add_systems(RenderStartup, use_our_shader.after(init_ui_pipeline));
    }
}

fn use_our_shader(mut pipeline: ResMut<UiPipeline>, assets: Res<AssetServer>) {
    pipeline.shader = assets
        .load(AssetPath::from_path_buf(embedded_path!("ui_shader.wgsl")).with_source("embedded"));
}
