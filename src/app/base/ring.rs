//! What the ring shares with the rest of the exhibit: the texture it is drawn into (the
//! panels' strip preview and the hall view show it), its tappable ranking rows, the render
//! layers and the LED wall's window.

use bevy::camera::ScalingMode;
use bevy::prelude::*;

use crate::scene::ring::draw::{CANVAS, Hotspot};

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

/// The slice of the ring's canvas this process draws on its LED outputs (the main window's
/// ring view and the LED window): degrees of the ring's span, from..to (`--ring-slice`).
/// Three processes showing 0..100.33, 100.33..200.67 and 200.67..301 of a 301° ring draw
/// one canvas across three outputs. `None`: the whole canvas.
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq)]
pub struct RingSlice(pub Option<[f64; 2]>);

impl RingSlice {
    /// The slice on the canvas for a span of `span_deg`: its width (canvas px, of
    /// `CANVAS[0]`) and its centre's x (canvas px, 0 at the canvas's centre). Clamped to
    /// the canvas; a slice with nothing left is the whole canvas.
    pub fn frame(&self, span_deg: f64) -> (f64, f64) {
        let w = CANVAS[0];
        let Some([from, to]) = self.0 else {
            return (w, 0.0);
        };
        let span = span_deg.max(1.0);
        let (a, b) = ((from / span).clamp(0.0, 1.0), (to / span).clamp(0.0, 1.0));
        if b - a < 1e-6 {
            return (w, 0.0);
        }
        (w * (b - a), ((a + b) * 0.5 - 0.5) * w)
    }

    /// How much larger than the whole canvas's an output's pixels make the canvas: the
    /// whole width over the slice's (1 without a slice).
    pub fn zoom(&self, span_deg: f64) -> f64 {
        CANVAS[0] / self.frame(span_deg).0
    }

    /// The projection and x position of a camera that shows this process's slice: the
    /// slice fills the output (`Fixed`: an output of the slice's proportions shows it
    /// undistorted, as the hall's LED controllers are set up); without a slice the whole
    /// canvas fits the output (`AutoMin`).
    pub fn camera(&self, span_deg: f64) -> (Projection, f32) {
        let (w, x) = self.frame(span_deg);
        let scaling_mode = if self.0.is_some() {
            ScalingMode::Fixed {
                width: w as f32,
                height: CANVAS[1] as f32,
            }
        } else {
            ScalingMode::AutoMin {
                min_width: CANVAS[0] as f32,
                min_height: CANVAS[1] as f32,
            }
        };
        (
            Projection::Orthographic(OrthographicProjection {
                scaling_mode,
                ..OrthographicProjection::default_2d()
            }),
            x as f32,
        )
    }
}

/// A camera that shows the ring's canvas on an LED output: it shows [`RingSlice`].
#[derive(Component)]
pub struct LedOutput;

/// The time the ring's calm motion (sweep, pulses, marquee) follows, seconds: the wall
/// clock's (Unix time) where [`ShowClock::wall`], so that the hall's processes — each
/// drawing its slice, on one PC or several kept in time by NTP — move in step across the
/// seams; else the app's own clock (screenshots, which step it).
#[derive(Resource, Debug, Clone, Copy)]
pub struct ShowClock {
    pub wall: bool,
}

impl ShowClock {
    /// Seconds on the show clock now (`time`: the app's real time).
    pub fn seconds(&self, time: &Time<Real>) -> f64 {
        if self.wall {
            // Seconds of the UTC day: f64 keeps its precision, and every process jumps
            // together at midnight UTC (08:00 in China, before most halls open; elsewhere
            // a jump of the marquee once a day, on every screen at once).
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0.0, |d| {
                    (d.as_secs() % 86_400) as f64 + f64::from(d.subsec_nanos()) * 1e-9
                })
        } else {
            time.elapsed_secs_f64()
        }
    }
}

/// The camera that shows the hall view or the ring in the main window (inactive on the map
/// view).
#[derive(Component)]
pub struct ViewCamera;
