//! The demo snapshot embedded in the binary, so the exhibit runs with nothing beside it.

use crate::snapshot::{LoadError, Loaded, load_bytes};

/// The demo snapshot's text: Qingdao Shibei with real names and codes, synthetic geometry and
/// figures. Regenerate with `citygrid generate --demo -o data/shibei-demo.ron`.
pub const DEMO_RON: &str = include_str!("../data/shibei-demo.ron");

/// Name used for the embedded demo in messages.
pub const DEMO_ORIGIN: &str = "<embedded demo>";

/// Parses and validates the embedded demo.
pub fn load_demo() -> Result<Loaded, LoadError> {
    load_bytes(DEMO_ORIGIN, DEMO_RON.as_bytes(), u64::MAX)
}
