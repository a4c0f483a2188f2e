//! Snapshot history: every snapshot a curator accepted (or rolled back to) is kept in
//! `history/` of the data directory — the last [`DEFAULT_KEEP`] (configurable) — with when it
//! was accepted, the file it came from, its BLAKE3 hash and its validation summary, so a
//! curator can list them (`citygrid history`, curator mode) and go back to any of them in
//! one step (`citygrid rollback ID`). Plain files: each snapshot once, named by its hash
//! (`history/<hash>.ron`), and one index (`history/index.ron`), every write atomic and in an
//! order that leaves a power cut at any moment with a loadable current snapshot and a
//! readable index whose every entry has its file.

use serde::{Deserialize, Serialize};

use crate::snapshot::Time;

/// Folder of the history in the data directory.
pub const HISTORY_DIR: &str = "history";
/// The index file in [`HISTORY_DIR`].
pub const INDEX: &str = "index.ron";
/// How many accepted snapshots are kept when the configuration does not say.
pub const DEFAULT_KEEP: usize = 20;

/// What validation said of an accepted snapshot: its table counts and warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Summary {
    pub regions: usize,
    pub buildings: usize,
    pub grids: usize,
    pub cases: usize,
    pub warnings: usize,
}

impl Summary {
    /// The summary of a loaded (validated) snapshot.
    pub fn of(loaded: &crate::snapshot::Loaded) -> Self {
        let s = &loaded.snapshot;
        Self {
            regions: s.regions.len(),
            buildings: s.buildings.len(),
            grids: s.grids.len(),
            cases: s.cases.len(),
            warnings: loaded.report.warnings().count(),
        }
    }
}

/// One accepted snapshot in the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// `20261130T170812Z-1a2b3c4d`: when (UTC) and the hash's first 8 hex digits; unique.
    pub id: String,
    /// When it was accepted, seconds since 1970 (shown as `2026-11-30T17:08:12+08:00`).
    pub accepted_at: Time,
    /// The file it was accepted from (its name; for a rollback, the entry rolled back to).
    pub source: String,
    /// BLAKE3 of the snapshot's bytes, 64 hex digits; the file is `history/<hash>.ron`.
    pub hash: String,
    pub summary: Summary,
    /// For a rollback: the id of the entry whose snapshot came back.
    #[serde(default)]
    pub rollback_of: Option<String>,
}

impl Entry {
    /// The snapshot's file name in [`HISTORY_DIR`].
    pub fn file_name(&self) -> String {
        format!("{}.ron", self.hash)
    }
}

/// The index file: entries oldest first.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct Index {
    pub(super) entries: Vec<Entry>,
}

/// An id for a snapshot accepted at `now` (UTC seconds) with `hash`, unique among `taken`.
pub(super) fn new_id(now: i64, hash: &str, taken: &[Entry]) -> String {
    let (y, m, d) = crate::snapshot::time::civil_from_days(now.div_euclid(86_400));
    let s = now.rem_euclid(86_400);
    let base = format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z-{}",
        s / 3600,
        s % 3600 / 60,
        s % 60,
        &hash[..8.min(hash.len())]
    );
    let mut id = base.clone();
    let mut k = 1;
    while taken.iter().any(|e| e.id == id) {
        k += 1;
        id = format!("{base}-{k}");
    }
    id
}

/// The entry an id names: the whole id, or a prefix only one entry has (as git takes
/// hashes). Errors say which ids there are, or that the prefix is ambiguous.
pub(super) fn find<'a>(entries: &'a [Entry], id: &str) -> Result<&'a Entry, String> {
    let id = id.trim();
    if id.is_empty() {
        return Err("give the id of a kept snapshot (`citygrid history` lists them)".into());
    }
    if let Some(e) = entries.iter().find(|e| e.id == id) {
        return Ok(e);
    }
    let matching: Vec<&Entry> = entries.iter().filter(|e| e.id.starts_with(id)).collect();
    match matching.as_slice() {
        [one] => Ok(one),
        [] => Err(format!(
            "no snapshot {id:?} in the history ({} kept; `citygrid history` lists them)",
            entries.len()
        )),
        many => Err(format!(
            "{id:?} could be any of {}: give more of it",
            many.iter()
                .map(|e| e.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str) -> Entry {
        Entry {
            id: id.into(),
            accepted_at: Time(0),
            source: "x.ron".into(),
            hash: "ab".repeat(32),
            summary: Summary::default(),
            rollback_of: None,
        }
    }

    #[test]
    fn ids_say_when_and_what_and_stay_unique() {
        let hash = "1a2b3c4d".repeat(8);
        // 2026-11-30 17:08:12 UTC.
        let now =
            crate::snapshot::time::days_from_civil(2026, 11, 30) * 86_400 + 17 * 3600 + 8 * 60 + 12;
        let id = new_id(now, &hash, &[]);
        assert_eq!(id, "20261130T170812Z-1a2b3c4d");
        assert_eq!(new_id(now, &hash, &[entry(&id)]), format!("{id}-2"));
    }

    #[test]
    fn ids_are_found_whole_or_by_an_unambiguous_prefix() {
        let list = [
            entry("20261130T170812Z-1a2b3c4d"),
            entry("20261130T180000Z-99aa00bb"),
        ];
        assert_eq!(
            find(&list, "20261130T18").map(|e| e.id.as_str()),
            Ok("20261130T180000Z-99aa00bb")
        );
        assert!(
            find(&list, "20261130T1")
                .expect_err("ambiguous")
                .contains("could be any of")
        );
        assert!(
            find(&list, "2025")
                .expect_err("none")
                .contains("no snapshot")
        );
    }
}
