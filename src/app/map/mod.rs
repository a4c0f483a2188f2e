//! The drill-down map: `logic` holds the view's easing and focus changes, `input` turns
//! touches, the mouse and keys into gestures and requests (both run headless), `render`
//! turns them into the camera and layer meshes, with the all-buildings picture in
//! `buildings` and the labels in `labels`.

mod blocks;
mod blocks_picture;
mod buildings;
mod input;
mod labels;
pub mod logic;
pub mod pick3d;
pub mod render;
mod solid;

pub use input::{CASE_TOUCH_PX, case_hit, hit};
pub use logic::{TRANSITION_SECONDS, plugin as logic_plugin};
pub use render::plugin as render_plugin;
