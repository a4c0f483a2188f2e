//! Look and feel: the CJK font (embedded, made the default for every text) and the
//! conversion of palette colors into Bevy's.

use bevy::prelude::*;
use bevy::text::Font;

use crate::palette::Srgba;

/// WenQuanYi Micro Hei: Chinese, Latin and digits in one face (Apache-2.0, see
/// `assets/fonts/LICENSE-wqy-microhei.txt`). Embedded so the exhibit needs nothing beside it.
const CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttc");

/// A palette color as a Bevy color.
pub fn color(c: Srgba) -> Color {
    Color::srgba_u8(c.0, c.1, c.2, c.3)
}

/// Font sizes in logical pixels, from the hall's viewing distance (1–2 m from a 55" panel).
pub mod size {
    pub const TITLE: f32 = 34.0;
    pub const HEADING: f32 = 30.0;
    pub const BODY: f32 = 22.0;
    pub const FIGURE: f32 = 34.0;
    pub const SMALL: f32 = 18.0;
    pub const LABEL: f32 = 20.0;
    pub const BUTTON: f32 = 22.0;
}

pub(crate) fn plugin(app: &mut App) {
    let mut fonts = app.world_mut().resource_mut::<Assets<Font>>();
    if let Err(e) = fonts.insert(
        AssetId::<Font>::default(),
        Font {
            // The embedded bytes in place: no 5 MB copy on the heap.
            data: linebender_resource_handle::Blob::new(std::sync::Arc::new(CJK_FONT)),
            alias: String::new(),
        },
    ) {
        error!("cannot install the CJK font: {e}");
    }
}
