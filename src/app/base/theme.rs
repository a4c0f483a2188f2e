//! Look and feel: the CJK font (embedded, made the default for every text) and the
//! conversion of palette colors into Bevy's.

use bevy::prelude::*;
use bevy::text::Font;

use crate::palette::Srgba;

/// WenQuanYi Micro Hei: Chinese, Latin and digits in one face (Apache-2.0, see
/// `assets/fonts/LICENSE-wqy-microhei.txt`). Embedded so the exhibit needs nothing beside it.
const CJK_FONT: &[u8] = include_bytes!("../../../assets/fonts/wqy-microhei.ttc");

/// A palette color as a Bevy color.
pub fn color(c: Srgba) -> Color {
    Color::srgba_u8(c.0, c.1, c.2, c.3)
}

/// The pixel sizes glyphs are drawn at, across the panels, the map's labels and the ring.
/// Each size a text is drawn at gets glyph atlases of its own (a 1 MiB texture, kept in main
/// memory as well), so computed sizes are snapped down to these. Every pixel up to 18 (a
/// pixel is a large step there, and the ring's texture draws its texts at a third of their
/// canvas size), then the house sizes and the ring's canvas sizes, so that an LED wall
/// drawing the canvas 1:1 shows each text at exactly the size it was fitted at.
const TEXT_SIZES: [f32; 28] = [
    4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 20.0, 22.0,
    26.0, 28.0, 30.0, 34.0, 36.0, 40.0, 48.0, 56.0, 64.0, 68.0, 76.0,
];

/// `size` snapped down to [`TEXT_SIZES`].
pub fn text_px(size: f32) -> f32 {
    crate::scene::labels::snap_down(&TEXT_SIZES, size)
}

/// Font sizes in logical pixels, from the hall's viewing distance (1–2 m from a 55" panel).
/// Each is one of [`TEXT_SIZES`].
pub mod size {
    pub const TITLE: f32 = 34.0;
    pub const HEADING: f32 = 30.0;
    pub const BODY: f32 = 22.0;
    pub const FIGURE: f32 = 34.0;
    pub const SMALL: f32 = 18.0;
    pub const LABEL: f32 = 20.0;
    pub const BUTTON: f32 = 22.0;
}

/// Where the panels stand, logical pixels at UI scale 1 (1920 × 1080).
pub mod layout {
    /// The gap between a panel and the window's edge.
    pub const MARGIN: f32 = 24.0;
    /// The width of the right-hand column: the card above, the legend below.
    pub const COLUMN_WIDTH: f32 = 420.0;
    /// How far from the window's right edge the bottom rows (the ring's strip, the bottom
    /// bar) end: clear of the right-hand column, with a margin between.
    pub const CLEAR_OF_COLUMN: f32 = MARGIN + COLUMN_WIDTH + MARGIN;
}

/// Installs the embedded CJK font as the default font of every text.
pub fn plugin(app: &mut App) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_house_sizes_are_drawn_sizes() {
        for s in [
            size::TITLE,
            size::HEADING,
            size::BODY,
            size::FIGURE,
            size::SMALL,
            size::LABEL,
            size::BUTTON,
            size::TITLE * 2.0,
        ] {
            assert_eq!(text_px(s), s, "{s} is not one of the drawn sizes");
        }
        for s in crate::scene::ring::draw::FONT_SIZES {
            assert_eq!(
                text_px(s),
                s,
                "the ring's {s} is not one of the drawn sizes"
            );
        }
    }
}
