//! The panoramic ring in Bevy: `logic` keeps its widgets' data and animations following the
//! map's selection (headless); `render` draws its scene on render layer 1 into a texture
//! (the touchscreen's strip preview and the hall view) or to the LED wall's window;
//! `motion` keeps its texts at the size they are shown and runs its calm motion; `hall`
//! is the hall view, the ring seen from the hall's centre.

mod hall;
mod logic;
mod motion;
mod render;

use bevy::prelude::*;

use crate::app::base::pace::ambient_motion;
use crate::app::base::sets::RingDraw;
use crate::app::base::{AppSystems, MainView};

pub use hall::HallYaw;
pub use logic::{RingState, plugin as logic_plugin};

/// Drawing the ring, the hall view and the LED window (windowed app).
pub fn render_plugin(app: &mut App) {
    app.init_resource::<crate::app::base::ring::RingHotspots>()
        .init_resource::<crate::app::base::ring::StripPixels>()
        .init_resource::<hall::CanvasRefit>()
        .init_resource::<hall::HallInput>()
        .add_systems(Startup, render::setup)
        .add_systems(
            Update,
            (
                motion::follow_text_scale,
                motion::rebuild_marquee,
                render::redraw,
                motion::idle_motion.run_if(ambient_motion),
                (hall::hall_drag, hall::hall_mesh)
                    .chain()
                    .run_if(in_state(MainView::Hall)),
                hall::skip_input.run_if(not(in_state(MainView::Hall))),
                hall::fit_canvas,
                render::throttle_canvas,
                render::fit_led_outputs,
            )
                .chain()
                .in_set(AppSystems::Animate)
                .in_set(RingDraw),
        );
}
