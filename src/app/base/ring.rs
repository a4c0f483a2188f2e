//! What the ring shares with the rest of the exhibit: the texture it is drawn into (the
//! panels' strip preview and the hall view show it), its tappable ranking rows, the render
//! layers and the LED wall's window.

use bevy::prelude::*;

use crate::scene::ring::draw::Hotspot;

/// Render layer of the ring's scene.
pub const RING_LAYER: usize = 1;
/// Render layer of the hall view's projected wall.
pub const HALL_LAYER: usize = 2;
/// Size of the texture the ring is drawn into for the preview and the hall view, px: a
/// third of the 7680 × 1080 canvas.
pub const TEXTURE_SIZE: (u32, u32) = (2560, 360);

/// The texture the ring is drawn into.
#[derive(Resource, Clone)]
pub struct RingCanvas(pub Handle<Image>);

/// The strip preview's picture as laid out, physical px (width, height), once the panels
/// have been laid out: the ring's texture is drawn at this size under the map, so the strip
/// shows it pixel for pixel.
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq)]
pub struct StripPixels(pub Option<(u32, u32)>);

/// The ring's ranking rows as drawn now (canvas px), each with the region a tap selects.
#[derive(Resource, Debug, Clone, Default)]
pub struct RingHotspots(pub Vec<Hotspot>);

/// An extra window for the LED wall, if asked for (`--ring-window WxH`, px).
#[derive(Resource, Debug, Clone, Copy)]
pub struct RingWindow(pub Option<(u32, u32)>);

/// The camera that shows the hall view or the ring in the main window (inactive on the map
/// view).
#[derive(Component)]
pub struct ViewCamera;
