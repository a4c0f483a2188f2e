//! The ring's texts at the size they are shown, and the calm motion of a wall that is
//! never still: the alerts marquee, pulsing latest values and a slow light sweep.

use bevy::camera::visibility::RenderLayers;
use bevy::prelude::*;
use bevy::sprite::Anchor;
use bevy::text::FontHinting;
use bevy::window::PrimaryWindow;

use super::logic::RingState;
use super::render::RingPulse;
use crate::app::base::ring::{
    RING_LAYER, RingSlice, RingWindow, ShowClock, StripPixels, TEXTURE_SIZE,
};
use crate::app::base::theme;
use crate::app::base::{City, CurrentLang, MainView};
use crate::palette;
use crate::scene::format::Lang;
use crate::scene::labels;
use crate::scene::ring::data;
use crate::scene::ring::draw::{CANVAS, TICKER};

/// Size of the marquee's text, canvas px.
const MARQUEE_FONT: f32 = 28.0;
/// Marquee speed, canvas px per second.
const MARQUEE_SPEED: f64 = 90.0;

#[derive(Component)]
pub(super) struct Marquee {
    offset: f64,
}
/// The light sweeping the heading band.
#[derive(Component)]
pub(super) struct Sweep;

/// Glyph pixels per canvas pixel: the ring's texts are laid out on the 7680 × 1080 canvas
/// but drawn where they land, in the 2560 × 360 texture or on the LED wall's window. Their
/// glyphs are made at that size (crisp, and a ninth of the atlas space in the texture) and
/// the text scaled back up to canvas units.
#[derive(Resource, Clone, Copy)]
pub(super) struct RingTextScale(f32);

impl RingTextScale {
    /// For the ring drawn into a texture of `texture` px and into each of `windows` (pixel
    /// sizes: the LED wall's window, the main window when it shows the ring), the largest
    /// of them.
    pub(super) fn new(texture: (u32, u32), windows: impl IntoIterator<Item = (u32, u32)>) -> Self {
        let fit =
            |(w, h): (u32, u32)| (w as f32 / CANVAS[0] as f32).min(h as f32 / CANVAS[1] as f32);
        Self(windows.into_iter().map(fit).fold(fit(texture), f32::max))
    }

    /// The font, hinting and transform scale of a text `size` canvas pixels high.
    pub(super) fn font(self, size: f32) -> RingFont {
        RingFont {
            font: TextFont::from_font_size(theme::text_px(size * self.0)),
            // Hinted, as the panels' texts are: legible at the texture's small sizes, and
            // sizes the panels also use share their glyph atlases.
            hinting: FontHinting::Enabled,
            scale: Vec3::splat(self.0.recip()),
        }
    }
}

/// How a ring text of a given canvas size is drawn: its font at the size it lands on, its
/// hinting, and the transform scale back to canvas units.
pub(super) struct RingFont {
    pub(super) font: TextFont,
    pub(super) hinting: FontHinting,
    pub(super) scale: Vec3,
}

/// Keeps the ring's glyphs at the size they are shown: the main window showing the ring
/// itself (the LED wall's own machine) draws them larger than the texture does.
pub(super) fn follow_text_scale(
    view: Res<State<MainView>>,
    ring_window: Option<Res<RingWindow>>,
    slice: Res<RingSlice>,
    window: Option<Single<&Window, With<PrimaryWindow>>>,
    strip: Res<StripPixels>,
    mut scale: ResMut<RingTextScale>,
    mut ring: ResMut<RingState>,
    mut marquee: Query<(&mut TextFont, &mut Transform), With<Marquee>>,
) {
    // The main window showing the ring itself, or the hall view's texture; under the map,
    // the strip's texture.
    // An output showing a slice shows the canvas that much larger.
    let zoom = slice.zoom(ring.layout.span_deg);
    let zoomed = |(w, h): (u32, u32)| ((w as f64 * zoom).round() as u32, h);
    let main = window.and_then(|w| match view.get() {
        MainView::Ring => Some(zoomed((w.physical_width(), w.physical_height()))),
        MainView::Hall => Some(super::hall::hall_text_size(
            ring.layout.span_deg,
            [w.width(), w.height()],
        )),
        MainView::Map => None,
    });
    let texture = strip.0.unwrap_or(TEXTURE_SIZE);
    let now = RingTextScale::new(
        texture,
        ring_window
            .and_then(|r| r.0)
            .map(zoomed)
            .into_iter()
            .chain(main),
    );
    if now.0 == scale.0 {
        return;
    }
    *scale = now;
    ring.redraw = true;
    let RingFont {
        font, scale: to, ..
    } = now.font(MARQUEE_FONT);
    for (mut f, mut t) in &mut marquee {
        f.font_size = font.font_size;
        t.scale = to;
    }
}

/// The marquee: the selected region's alerts, or a calm line when there are none.
pub(super) fn rebuild_marquee(
    mut commands: Commands,
    city: Res<City>,
    lang: Res<CurrentLang>,
    ring: Res<RingState>,
    marquees: Query<Entity, With<Marquee>>,
    text_scale: Res<RingTextScale>,
    mut shown: Local<Option<(usize, Option<usize>, Lang, usize)>>,
) {
    // Keyed by region, grid, language and snapshot (a swapped-in snapshot has new alerts).
    let key = (
        ring.region,
        ring.grid,
        lang.0,
        std::sync::Arc::as_ptr(&city.0) as usize,
    );
    if ring.widgets.is_empty() || *shown == Some(key) {
        return;
    }
    *shown = Some(key);
    for e in &marquees {
        commands.entity(e).despawn();
    }
    let region = ring.region;
    let name = data::scope_named(&city.0, region, ring.grid);
    let mut items: Vec<String> = data::alerts_at(&city.0, region, ring.grid)
        .into_iter()
        .map(|(zh, en)| lang.0.pick(&zh, &en).to_string())
        .collect();
    let head = format!(
        "{} · {}",
        name.pick(lang.0),
        lang.0.pick("城市运行态势", "City operations")
    );
    if items.is_empty() {
        items.push(
            lang.0
                .pick("各项指标运行平稳", "All indicators normal")
                .to_string(),
        );
    }
    items.insert(0, head);
    let mut x = 0.0;
    for item in items {
        let w = labels::text_size(&item, MARQUEE_FONT as f64)[0] + 160.0;
        let RingFont {
            font,
            hinting,
            scale,
        } = text_scale.font(MARQUEE_FONT);
        commands.spawn((
            Name::new("Ring marquee item"),
            Marquee { offset: x },
            Text2d::new(item),
            font,
            hinting,
            TextColor(theme::color(palette::TEXT)),
            Anchor::CENTER_LEFT,
            Transform::from_xyz(0.0, (TICKER * 0.5 - CANVAS[1] * 0.5) as f32, 2.0)
                .with_scale(scale),
            RenderLayers::layer(RING_LAYER),
        ));
        x += w;
    }
    commands.insert_resource(MarqueeLength(x.max(CANVAS[0])));
}

/// The marquee's length, canvas px (at least the canvas's width).
#[derive(Resource)]
pub(super) struct MarqueeLength(f64);

/// The calm motion of a wall that is never still: pulsing latest values, the alerts
/// marquee, and a slow light sweeping the headings.
pub(super) fn idle_motion(
    time: Res<Time<Real>>,
    clock: Res<ShowClock>,
    length: Option<Res<MarqueeLength>>,
    mut pulses: Query<(&RingPulse, &mut Transform), (Without<Marquee>, Without<Sweep>)>,
    mut marquee: Query<(&Marquee, &mut Transform), (Without<RingPulse>, Without<Sweep>)>,
    mut sweep: Query<&mut Transform, (With<Sweep>, Without<RingPulse>, Without<Marquee>)>,
) {
    let t = clock.seconds(&time);
    for (p, mut tr) in &mut pulses {
        let s = 1.0 + 0.35 * ((t * 2.4 + p.0 as f64).sin() * 0.5 + 0.5);
        tr.scale = Vec3::splat(s as f32);
    }
    if let Some(len) = length {
        // Items run right to left and come round again, one after the other.
        let total = len.0 + CANVAS[0];
        for (m, mut tr) in &mut marquee {
            let x = (m.offset + CANVAS[0] - t * MARQUEE_SPEED).rem_euclid(total) - len.0;
            tr.translation.x = (x - CANVAS[0] * 0.5) as f32;
        }
    }
    for mut tr in &mut sweep {
        let period = 14.0;
        let x = (t / period).fract() * (CANVAS[0] + 1400.0) - 700.0;
        tr.translation.x = (x - CANVAS[0] * 0.5) as f32;
    }
}
