//! citygrid: a touchscreen exhibit for a city-governance experience hall — a drill-down map
//! and a panoramic ring of department widgets over snapshots exported by a city command
//! center.
//!
//! Layers, dependencies pointing down only:
//! - [`cli`]: the commands (run, validate, generate, shot, bench).
//! - [`app`]: the Bevy plugins (map, ui, automation).
//! - [`scene`]: snapshot → render-ready data (meshes, labels, camera fitting, gestures).
//! - [`snapshot`], [`geo`], [`generate`], [`import`], [`store`]: the data core, plain Rust;
//!   built alone with `--no-default-features` (the fuzz targets in `fuzz/` do).

#[cfg(feature = "exhibit")]
pub mod app;
#[cfg(feature = "exhibit")]
pub mod bench;
#[cfg(feature = "exhibit")]
pub mod cli;
pub mod config;
pub mod demo;
pub mod fuzzing;
pub mod generate;
pub mod geo;
pub mod hall;
pub mod import;
pub mod palette;
pub mod process;
pub mod scene;
pub mod snapshot;
#[cfg(feature = "exhibit")]
pub mod soak;
pub mod store;

/// Version and commit of this build.
pub fn build_id() -> String {
    format!(
        "{} ({})",
        env!("CARGO_PKG_VERSION"),
        env!("CITYGRID_COMMIT")
    )
}
