//! The demo snapshot embedded in the binary, so the exhibit runs with nothing beside it.

use std::path::Path;

use crate::snapshot::{
    Cache, CacheUse, DEFAULT_SIZE_LIMIT, LoadError, Loaded, load_bytes, load_file, read_bytes,
};

/// The demo snapshot's text: Qingdao Shibei with real names and codes, synthetic geometry and
/// figures. Regenerate with `citygrid generate --demo -o data/shibei-demo.ron`.
pub const DEMO_RON: &str = include_str!("../data/shibei-demo.ron");

/// Name used for the embedded demo in messages.
pub const DEMO_ORIGIN: &str = "<embedded demo>";

/// Parses and validates the embedded demo.
pub fn load_demo() -> Result<Loaded, LoadError> {
    load_bytes(DEMO_ORIGIN, DEMO_RON.as_bytes(), u64::MAX)
}

/// Loads the snapshot to show: the given file (refused over [`DEFAULT_SIZE_LIMIT`]), else
/// the embedded demo.
pub fn load_snapshot(file: Option<&Path>) -> Result<Loaded, LoadError> {
    match file {
        Some(f) => load_file(f, DEFAULT_SIZE_LIMIT),
        None => load_demo(),
    }
}

/// [`load_snapshot`] through the start cache (see [`Cache`]): what the exhibit does at
/// start. The cache's own failures are never errors, only the [`CacheUse`] to log.
pub fn load_snapshot_cached(
    file: Option<&Path>,
    cache: &Cache,
) -> Result<(Loaded, CacheUse), LoadError> {
    match file {
        Some(f) => {
            let bytes = read_bytes(f, DEFAULT_SIZE_LIMIT)?;
            cache.load(&f.display().to_string(), &bytes, DEFAULT_SIZE_LIMIT)
        }
        None => cache.load_embedded(DEMO_ORIGIN, env!("CITYGRID_DEMO_HASH"), DEMO_RON.as_bytes()),
    }
}
