//! The live snapshot swap as the rest of the exhibit sees it: the requests (load a file,
//! apply or cancel what waits) and the status (what became of the last load, what waits for
//! a curator's approval). The swap feature does the work; the curator's screen shows it.

use std::path::PathBuf;
use std::sync::Arc;

use bevy::prelude::*;

use crate::snapshot::Report;
use crate::snapshot::index::CityData;

/// Ask for a snapshot file to be loaded; `apply` swaps it in when it is valid.
#[derive(Message, Debug, Clone, PartialEq)]
pub struct LoadSnapshot {
    pub path: PathBuf,
    pub apply: bool,
}

/// A curator's decision on the snapshot waiting for approval.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decide {
    Apply,
    Cancel,
}

/// Size of the preview picture of a snapshot waiting for approval, px.
pub const PREVIEW_SIZE: (u32, u32) = (480, 300);

/// A checked snapshot waiting for a curator's approval, with a picture of its map.
#[derive(Debug, Clone)]
pub struct Pending {
    pub path: PathBuf,
    pub city: Arc<CityData>,
    /// The file's bytes, stored as they are when it is applied.
    pub bytes: Vec<u8>,
    /// RGBA pixels, [`PREVIEW_SIZE`] (empty when none was drawn).
    pub preview: Vec<u8>,
    /// For an export folder or zip: what its import noticed and repaired (the coordinate
    /// system and encoding it read, repeated vertices dropped), one line each.
    pub notes: Vec<String>,
}

/// What became of the last load.
#[derive(Debug, Clone)]
pub enum LoadOutcome {
    /// Valid and on show.
    Applied { file: String, report: Report },
    /// Valid, waiting for a curator's approval.
    Ready { file: String, report: Report },
    /// Refused; the running snapshot stays.
    Refused {
        file: String,
        message: String,
        report: Option<Report>,
    },
}

/// The swap's status: loads in flight, the last outcome, what waits for approval.
#[derive(Resource, Debug, Default)]
pub struct Swapper {
    /// Loads handed to the loader and not finished yet.
    pub in_flight: usize,
    /// The latest outcome, for the curator screen and the tests.
    pub last: Option<LoadOutcome>,
    /// A valid snapshot waiting for approval.
    pub pending: Option<Pending>,
}

impl Swapper {
    /// Whether a load is still running.
    pub fn busy(&self) -> bool {
        self.in_flight > 0
    }
}
