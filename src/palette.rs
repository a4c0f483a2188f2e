//! Every color of the exhibit, named by what it is for, as sRGB bytes. The Bevy side turns
//! them into `Color`; the scene side into linear vertex colors. A test checks that text
//! colors keep a 4.5:1 contrast against the backgrounds they sit on.

/// An sRGB color with alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Srgba(pub u8, pub u8, pub u8, pub u8);

impl Srgba {
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Self(r, g, b, 255)
    }

    pub const fn with_alpha(self, a: u8) -> Self {
        Self(self.0, self.1, self.2, a)
    }

    /// Linear RGBA floats, as vertex colors need them.
    pub fn linear(self) -> [f32; 4] {
        let f = |c: u8| {
            let c = c as f32 / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        [f(self.0), f(self.1), f(self.2), self.3 as f32 / 255.0]
    }

    /// Mixes towards `other` by `t` in sRGB space.
    pub fn mix(self, other: Srgba, t: f32) -> Srgba {
        let t = t.clamp(0.0, 1.0);
        let m = |a: u8, b: u8| (a as f32 + (b as f32 - a as f32) * t).round() as u8;
        Srgba(
            m(self.0, other.0),
            m(self.1, other.1),
            m(self.2, other.2),
            m(self.3, other.3),
        )
    }

    /// WCAG relative luminance.
    pub fn luminance(self) -> f32 {
        let [r, g, b, _] = self.linear();
        0.2126 * r + 0.7152 * g + 0.0722 * b
    }

    /// WCAG contrast ratio between two opaque colors.
    pub fn contrast(self, other: Srgba) -> f32 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// Parses `#rrggbb`.
    pub fn from_hex(s: &str) -> Option<Srgba> {
        crate::snapshot::validate::parse_color(s).map(|[r, g, b]| Srgba::rgb(r, g, b))
    }
}

/// The window behind the map.
pub const BACKGROUND: Srgba = Srgba::rgb(0x07, 0x0e, 0x1c);
/// Card and bar panels.
pub const PANEL: Srgba = Srgba::rgb(0x0f, 0x1b, 0x31);
pub const PANEL_BORDER: Srgba = Srgba::rgb(0x25, 0x4a, 0x78);
pub const BUTTON: Srgba = Srgba::rgb(0x17, 0x2c, 0x4d);
pub const BUTTON_PRESSED: Srgba = Srgba::rgb(0x25, 0x4a, 0x78);
pub const BUTTON_ACTIVE: Srgba = Srgba::rgb(0x1c, 0x6e, 0xa4);
pub const TEXT: Srgba = Srgba::rgb(0xea, 0xf2, 0xff);
pub const TEXT_MUTED: Srgba = Srgba::rgb(0x9d, 0xb4, 0xd0);
pub const ACCENT: Srgba = Srgba::rgb(0x4c, 0xd4, 0xff);
/// The demo-data badge.
pub const DEMO_BADGE: Srgba = Srgba::rgb(0xff, 0xc8, 0x57);
pub const DEMO_BADGE_TEXT: Srgba = Srgba::rgb(0x2a, 0x1c, 0x00);

/// Region borders on the map.
pub const BORDER: Srgba = Srgba::rgb(0x8f, 0xe3, 0xff);
/// The district's outer edge.
pub const DISTRICT_EDGE: Srgba = Srgba::rgb(0x4c, 0xd4, 0xff);
/// The selected region or building.
pub const HIGHLIGHT: Srgba = Srgba::rgb(0xff, 0xd1, 0x66);
/// Regions outside the focus, drawn quietly for context.
pub const CONTEXT_FILL: Srgba = Srgba::rgb(0x12, 0x22, 0x3c);
pub const CONTEXT_BORDER: Srgba = Srgba::rgb(0x2b, 0x4d, 0x75);
/// The ground of a focused community, under its buildings.
pub const COMMUNITY_GROUND: Srgba = Srgba::rgb(0x14, 0x2a, 0x47);

/// An overdue case's rim on the map: past its deadline and still open.
pub const ALERT: Srgba = Srgba::rgb(0xff, 0x4d, 0x4f);

/// Places on the map (shape and color both tell them apart): a community service
/// station (square).
pub const PLACE_STATION: Srgba = Srgba::rgb(0x6e, 0xe7, 0xb7);
/// A social organization's venue (diamond).
pub const PLACE_ORGANIZATION: Srgba = Srgba::rgb(0xc4, 0xa7, 0xff);
/// A party-member service point (triangle).
pub const PLACE_PARTY: Srgba = Srgba::rgb(0xff, 0x8a, 0x65);

/// The ring's sky, above the panels (fading into the background).
pub const RING_TOP: Srgba = Srgba::rgb(0x0b, 0x1a, 0x33);
/// Trend arrows on the ring: rising and falling (neutral hues: a rise is not always good).
pub const TREND_UP: Srgba = Srgba::rgb(0xff, 0xa2, 0x6b);
pub const TREND_DOWN: Srgba = Srgba::rgb(0x6b, 0xd3, 0xff);

/// Choropleth ramp, low to high.
pub const RAMP: [Srgba; 5] = [
    Srgba::rgb(0x0f, 0x27, 0x48),
    Srgba::rgb(0x12, 0x3a, 0x68),
    Srgba::rgb(0x16, 0x4f, 0x8a),
    Srgba::rgb(0x18, 0x5b, 0x9c),
    Srgba::rgb(0x1c, 0x6c, 0xb2),
];

/// Residential buildings, low-rise to high-rise.
pub const RESIDENTIAL_LOW: Srgba = Srgba::rgb(0x3a, 0x7c, 0xb8);
pub const RESIDENTIAL_HIGH: Srgba = Srgba::rgb(0xb5, 0xec, 0xff);
/// Other buildings, low-rise to high-rise.
pub const OTHER_LOW: Srgba = Srgba::rgb(0xa8, 0x6a, 0x3a);
pub const OTHER_HIGH: Srgba = Srgba::rgb(0xff, 0xc9, 0x85);

/// A value's color on the choropleth ramp, `t` in 0..=1.
pub fn ramp(t: f64) -> Srgba {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (RAMP.len() - 1) as f64;
    let i = (x.floor() as usize).min(RAMP.len() - 2);
    RAMP[i].mix(RAMP[i + 1], (x - i as f64) as f32)
}

/// A building's color: hue by use, lightness by floors (1 → 33+).
pub fn building(residential: bool, floors: i64) -> Srgba {
    let t = ((floors.max(1) as f32).ln() / 33f32.ln()).clamp(0.0, 1.0);
    if residential {
        RESIDENTIAL_LOW.mix(RESIDENTIAL_HIGH, t)
    } else {
        OTHER_LOW.mix(OTHER_HIGH, t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_readable_on_every_panel() {
        for bg in [BACKGROUND, PANEL, BUTTON, BUTTON_PRESSED, BUTTON_ACTIVE] {
            assert!(
                TEXT.contrast(bg) >= 4.5,
                "text on {bg:?}: {}",
                TEXT.contrast(bg)
            );
        }
        for bg in [BACKGROUND, PANEL, RING_TOP] {
            assert!(TEXT_MUTED.contrast(bg) >= 4.5, "muted on {bg:?}");
            assert!(ACCENT.contrast(bg) >= 4.5, "accent on {bg:?}");
            assert!(HIGHLIGHT.contrast(bg) >= 4.5, "highlight on {bg:?}");
            assert!(TREND_UP.contrast(bg) >= 4.5, "trend up on {bg:?}");
            assert!(TREND_DOWN.contrast(bg) >= 4.5, "trend down on {bg:?}");
            assert!(TEXT.contrast(bg) >= 4.5, "text on {bg:?}");
        }
        assert!(DEMO_BADGE_TEXT.contrast(DEMO_BADGE) >= 4.5);
    }

    #[test]
    fn map_labels_are_readable_on_every_ramp_color() {
        // Labels are white with a dark shadow; the ramp stays dark enough for white text.
        for c in RAMP {
            assert!(TEXT.contrast(c) >= 4.5, "{c:?}: {}", TEXT.contrast(c));
        }
    }
}
