//! Snapshot → what the screen needs, in plain Rust: the view (camera fitting and easing),
//! touch gestures, merged mesh buffers, label placement, text formatting in zh/en, and what
//! the card and the legend say.
//! Nothing here depends on Bevy, so it is tested and benchmarked without a window.

pub mod card;
pub mod card_governance;
pub mod case_layers;
pub mod clusters;
pub mod extrude;
pub mod figure;
pub mod floors;
pub mod format;
pub mod gesture;
pub mod labels;
pub mod layers;
pub mod legend;
pub mod meshes;
pub mod overlays;
pub mod pick;
pub mod picture;
pub mod preview;
pub mod raised;
pub mod ring;
pub mod view;
