//! The hall's configuration: one documented RON file (`docs/configuration.md`). Missing
//! fields take their defaults; unknown fields, wrong types and values out of range stop
//! startup with a message naming the file, the place and the field.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

mod console;
mod hours;
mod osc;
mod pin;
pub use console::ConsoleConfig;
pub use hours::{OpeningHours, Schedule};
pub use osc::OscConfig;
pub use pin::PinHash;

/// Whether owner names are shown in full. Personal data: masked unless the hall's staff
/// explicitly choose otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum OwnerNames {
    #[default]
    Masked,
    Full,
}

/// The touchscreen's physical size, for touch targets of a real size.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Screen {
    /// Diagonal in inches.
    pub diagonal_in: f64,
    pub width_px: u32,
    pub height_px: u32,
}

impl Default for Screen {
    fn default() -> Self {
        Self {
            diagonal_in: 55.0,
            width_px: 1920,
            height_px: 1080,
        }
    }
}

impl Screen {
    /// Pixels per millimetre.
    pub fn px_per_mm(&self) -> f64 {
        let diag_px = (self.width_px as f64).hypot(self.height_px as f64);
        diag_px / (self.diagonal_in * 25.4)
    }

    /// Smallest touch target in pixels: 15 mm.
    pub fn min_target_px(&self) -> f64 {
        (15.0 * self.px_per_mm()).ceil()
    }
}

/// The ring's screen.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RingConfig {
    /// Angular span, degrees.
    pub span_deg: f64,
    /// A window of this size for the LED wall, if any.
    pub window: Option<(u32, u32)>,
}

impl Default for RingConfig {
    fn default() -> Self {
        Self {
            span_deg: 301.0,
            window: None,
        }
    }
}

/// How often the exhibit draws. It draws when something on screen changes (a touch, a
/// transition, values easing, a swap) and otherwise rests: at rest the touchscreen wakes
/// every [`PaceConfig::rest_wait_s`] for its clocks, or, with ambient motion on, draws the
/// ring's calm motion (sweep, pulses, ticker) at [`PaceConfig::ambient_fps`]. The LED wall's
/// window always moves smoothly.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PaceConfig {
    /// The ring's ambient motion on the touchscreen (its strip preview, the hall view and
    /// the attract mode's invitation).
    pub ambient: bool,
    /// Frames per second of that motion while nothing else moves (1–60).
    pub ambient_fps: f64,
    /// At rest, the longest time between two frames, seconds (0.5–60): the idle clock and
    /// the watch folder are looked at this often.
    pub rest_wait_s: f64,
}

impl Default for PaceConfig {
    fn default() -> Self {
        Self {
            ambient: true,
            ambient_fps: 1.5,
            rest_wait_s: 5.0,
        }
    }
}

/// Everything the hall's staff can set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Language at start and after every idle reset: "zh" or "en".
    pub language: String,
    /// Seconds without a touch before the attract mode starts (10–86400).
    pub idle_timeout_s: f64,
    /// Run the attract mode when idle (else only reset).
    pub attract: bool,
    /// In the attract mode, play the snapshot's stories (one after each tour of the
    /// subdistricts, in turn), each step for its own `duration_s`.
    pub attract_stories: bool,
    /// The attract tour shows the map in 3D (issue 17), turning a little at each stop. Off
    /// by default: each 3D frame costs more under a software renderer.
    pub attract_3d: bool,
    /// The height of one storey on the 3D map, metres (2–6): a building stands its floors
    /// times this.
    pub storey_m: f64,
    /// Fullscreen, no cursor, no exit shortcuts.
    pub kiosk: bool,
    /// The curator PIN's salted hash, made with `citygrid pin`.
    pub pin_hash: Option<String>,
    /// Where new snapshots arrive (file sync, USB copies).
    pub watch_folder: Option<PathBuf>,
    /// Apply a valid new snapshot from the watch folder without a curator's approval.
    pub auto_apply: bool,
    pub owner_names: OwnerNames,
    pub screen: Screen,
    /// Keep every control in the lower part of the screen, within a wheelchair user's reach.
    pub reach_mode: bool,
    pub ring: RingConfig,
    pub pace: PaceConfig,
    /// How many accepted snapshots the history keeps for rollback (1–1000).
    pub history_keep: usize,
    /// Show control over Open Sound Control (`docs/osc.md`); off when absent (the default).
    pub osc: Option<OscConfig>,
    /// Opening hours: outside them the screens are black and the exhibit rests; absent
    /// (the default): always open.
    pub hours: Option<OpeningHours>,
    /// The docent's web console (`docs/console.md`); off when absent (the default).
    pub console: Option<ConsoleConfig>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            language: "zh".into(),
            idle_timeout_s: 60.0,
            attract: true,
            attract_stories: true,
            attract_3d: false,
            storey_m: crate::scene::extrude::STOREY_M,
            kiosk: false,
            pin_hash: None,
            watch_folder: None,
            auto_apply: false,
            owner_names: OwnerNames::Masked,
            screen: Screen::default(),
            reach_mode: false,
            ring: RingConfig::default(),
            pace: PaceConfig::default(),
            history_keep: crate::store::DEFAULT_KEEP,
            osc: None,
            hours: None,
            console: None,
        }
    }
}

/// Why a configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}:{line}:{col}: {message}")]
    Syntax {
        file: String,
        line: usize,
        col: usize,
        message: String,
    },
    #[error("{file}: field `{field}`: {message}")]
    Field {
        file: String,
        field: &'static str,
        message: String,
    },
}

/// Largest configuration file read (it is a few hundred bytes).
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

impl Config {
    /// Reads and checks a configuration file (through the snapshots' read path, at most
    /// 1 MiB).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        use crate::snapshot::{ReadError, read_bytes};
        let bytes = read_bytes(path, MAX_CONFIG_BYTES).map_err(|e| match e {
            ReadError::Io { file, source } => ConfigError::Io { file, source },
            ReadError::TooLarge { file, size, .. } => ConfigError::Syntax {
                file,
                line: 1,
                col: 1,
                message: format!("{size} bytes is not a configuration file"),
            },
            ReadError::NotUtf8 {
                file, line, col, ..
            } => ConfigError::Syntax {
                file,
                line,
                col,
                message: "not UTF-8 text".into(),
            },
        })?;
        Config::parse(&path.display().to_string(), &bytes)
    }

    /// Parses and checks configuration text; `file` names it in messages.
    pub fn parse(file: &str, bytes: &[u8]) -> Result<Config, ConfigError> {
        let text = std::str::from_utf8(bytes).map_err(|e| ConfigError::Syntax {
            file: file.to_string(),
            line: bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1,
            col: 1,
            message: "not UTF-8 text".into(),
        })?;
        let config: Config = ron::Options::default()
            .with_recursion_limit(32)
            .from_str(text)
            .map_err(|e| ConfigError::Syntax {
                file: file.to_string(),
                line: e.span.start.line,
                col: e.span.start.col,
                message: e.code.to_string(),
            })?;
        config.check(file)?;
        Ok(config)
    }

    /// Checks every field's range and form (after the command line changed some, too);
    /// `file` names the configuration in messages. Errors: the first field found wrong.
    pub fn check(&self, file: &str) -> Result<(), ConfigError> {
        let field = |field: &'static str, message: String| ConfigError::Field {
            file: file.to_string(),
            field,
            message,
        };
        if !matches!(self.language.as_str(), "zh" | "en") {
            return Err(field(
                "language",
                format!("{:?} is not \"zh\" or \"en\"", self.language),
            ));
        }
        if !(10.0..=86_400.0).contains(&self.idle_timeout_s) {
            return Err(field(
                "idle_timeout_s",
                format!("{} is outside 10–86400 seconds", self.idle_timeout_s),
            ));
        }
        if !(2.0..=6.0).contains(&self.storey_m) {
            return Err(field(
                "storey_m",
                format!("{} is outside 2–6 metres", self.storey_m),
            ));
        }
        if !(1..=1000).contains(&self.history_keep) {
            return Err(field(
                "history_keep",
                format!("{} is outside 1–1000 snapshots", self.history_keep),
            ));
        }
        if let Some(osc) = &self.osc {
            osc.check().map_err(|(f, m)| field(f, m))?;
        }
        if let Some(c) = &self.console {
            c.check().map_err(|(f, m)| field(f, m))?;
        }
        if let Some(h) = &self.hours {
            Schedule::new(h).map_err(|(f, m)| field(f, m))?;
        }
        if let Some(h) = &self.pin_hash
            && PinHash::parse(h).is_none()
        {
            return Err(field(
                "pin_hash",
                "is not a hash made by `citygrid pin` ($argon2id$…, or an older blake3:<salt>:<hash>)".into(),
            ));
        }
        let s = &self.screen;
        if !(s.diagonal_in.is_finite() && (7.0..=400.0).contains(&s.diagonal_in)) {
            return Err(field(
                "screen.diagonal_in",
                format!("{} inches is not plausible", s.diagonal_in),
            ));
        }
        if !(320..=16_384).contains(&s.width_px) || !(240..=16_384).contains(&s.height_px) {
            return Err(field(
                "screen",
                format!("{}×{} px is not a screen size", s.width_px, s.height_px),
            ));
        }
        if !(self.ring.span_deg.is_finite()
            && self.ring.span_deg > 30.0
            && self.ring.span_deg <= 360.0)
        {
            return Err(field(
                "ring.span_deg",
                format!("{} is outside (30, 360]", self.ring.span_deg),
            ));
        }
        if let Some((w, h)) = self.ring.window
            && (!(320..=16_384).contains(&w) || !(120..=16_384).contains(&h))
        {
            return Err(field(
                "ring.window",
                format!("{w}×{h} px is not a window size"),
            ));
        }
        if !(1.0..=60.0).contains(&self.pace.ambient_fps) {
            return Err(field(
                "pace.ambient_fps",
                format!(
                    "{} is outside 1–60 frames per second",
                    self.pace.ambient_fps
                ),
            ));
        }
        if !(0.5..=60.0).contains(&self.pace.rest_wait_s) {
            return Err(field(
                "pace.rest_wait_s",
                format!("{} is outside 0.5–60 seconds", self.pace.rest_wait_s),
            ));
        }
        Ok(())
    }
}

/// Where the exhibit keeps its accepted snapshot and logs: `$XDG_DATA_HOME/citygrid`, else
/// `~/.local/share/citygrid`.
pub fn default_data_dir() -> PathBuf {
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(x).join("citygrid");
    }
    match std::env::var_os("HOME") {
        Some(home) => PathBuf::from(home).join(".local/share/citygrid"),
        None => PathBuf::from("citygrid-data"),
    }
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
