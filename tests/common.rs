//! Shared helpers for the integration tests.
#![allow(dead_code)]

use citygrid::generate::{Options, generate};
use citygrid::snapshot::{Level, Snapshot};

/// A small valid snapshot: the district, its first subdistrict and that one's communities,
/// their buildings, and three metrics.
pub fn tiny() -> Snapshot {
    let mut s = generate(&Options {
        seed: 5,
        buildings: 400,
        owners_per_household: 0.05,
        command_center: None,
    });
    let street = s
        .regions
        .iter()
        .find(|r| r.level == Level::Street)
        .map(|r| r.id.clone())
        .unwrap_or_default();
    s.regions.retain(|r| {
        r.level == Level::District || r.id == street || r.parent.as_deref() == Some(street.as_str())
    });
    let keep: Vec<String> = s.regions.iter().map(|r| r.id.clone()).collect();
    s.buildings.retain(|b| keep.contains(&b.community));
    s.metrics.truncate(3);
    for m in &mut s.metrics {
        m.by_region.retain(|k, _| keep.contains(k));
        m.series_by_region.retain(|k, _| keep.contains(k));
    }
    s
}

/// The text of a snapshot.
pub fn ron(s: &Snapshot) -> String {
    citygrid::snapshot::to_ron(s).expect("snapshot encodes")
}
