//! The drill-down map: `logic` holds the view, input and focus changes (runs headless),
//! `render` turns them into meshes, labels and the camera.

pub mod logic;
pub mod render;
