//! The snapshot store: the last snapshot a curator accepted lives in the data directory and
//! is where the exhibit starts from; written atomically, so a power cut leaves either the old
//! file or the new one, never half of one. Every accepted snapshot is also kept in the
//! history (`history`), from which any can be rolled back to.

pub mod history;

use std::path::{Path, PathBuf};

pub use history::{DEFAULT_KEEP, Entry, Summary};
use history::{HISTORY_DIR, INDEX, Index};

use crate::snapshot::load::{SaveError, write_atomic};
use crate::snapshot::{Cache, CacheUse, DEFAULT_SIZE_LIMIT, LoadError, Loaded, Time};

/// Why the history could not be read or rolled back.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: the history index is unreadable: {message}")]
    Index { file: String, message: String },
    #[error("{0}")]
    NoSuch(String),
    /// A kept snapshot that no longer loads (the disk changed it): refused, nothing changes.
    #[error("the kept snapshot does not load, nothing was changed: {0}")]
    Load(#[from] LoadError),
    #[error("{0}")]
    Save(#[from] SaveError),
}

/// File name of the accepted snapshot in the data directory.
pub const ACCEPTED: &str = "snapshot.ron";

/// The store in one data directory.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
    /// How many accepted snapshots the history keeps (at least 1).
    keep: usize,
}

/// Where the exhibit's snapshot came from at start.
#[derive(Debug)]
pub enum Startup {
    /// The last accepted snapshot.
    Accepted(Loaded),
    /// The embedded demo: nothing accepted yet, or the accepted file could not be used
    /// (the reason is kept for the log and the curator).
    Demo(Loaded, Option<LoadError>),
}

impl Store {
    /// The store in `dir`, keeping the last [`DEFAULT_KEEP`] accepted snapshots.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            keep: DEFAULT_KEEP,
        }
    }

    /// The same store keeping the last `keep` accepted snapshots (1 at least).
    pub fn with_keep(mut self, keep: usize) -> Self {
        self.keep = keep.max(1);
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn accepted_path(&self) -> PathBuf {
        self.dir.join(ACCEPTED)
    }

    /// The start cache of this data directory (`cache/`).
    pub fn cache(&self) -> Cache {
        Cache::new(self.dir.join("cache"))
    }

    /// The snapshot to start with: the accepted one if it still loads, else the demo; both
    /// through the start cache.
    pub fn startup(&self) -> Result<Startup, LoadError> {
        self.startup_cached().map(|(s, _)| s)
    }

    /// [`Store::startup`], and what the start cache did, for the log.
    pub fn startup_cached(&self) -> Result<(Startup, CacheUse), LoadError> {
        let path = self.accepted_path();
        let cache = self.cache();
        let demo = || crate::demo::load_snapshot_cached(None, &cache);
        if !path.exists() {
            return demo().map(|(d, used)| (Startup::Demo(d, None), used));
        }
        match crate::demo::load_snapshot_cached(Some(&path), &cache) {
            Ok((l, used)) => Ok((Startup::Accepted(l), used)),
            Err(e) => demo().map(|(d, used)| (Startup::Demo(d, Some(e)), used)),
        }
    }

    /// Accepts a validated snapshot's bytes as the new current one and records it in the
    /// history: `source` is the file it came from (its name is kept), `summary` what
    /// validation said. Writes, each atomic, in this order: the snapshot into the history
    /// (once per content), the index (pruned to the last `keep`), the current snapshot;
    /// then snapshots no entry names any more are removed. An unreadable index is moved
    /// aside (`index.ron.unreadable`) and a new one begun: the accept never fails for it.
    pub fn accept(&self, bytes: &[u8], source: &str, summary: Summary) -> Result<Entry, SaveError> {
        self.record(bytes, source, summary, None)
    }

    fn record(
        &self,
        bytes: &[u8],
        source: &str,
        summary: Summary,
        rollback_of: Option<String>,
    ) -> Result<Entry, SaveError> {
        let history = self.history_dir();
        std::fs::create_dir_all(&history).map_err(|source| SaveError::Io {
            file: history.display().to_string(),
            source,
        })?;
        let hash = blake3::hash(bytes).to_hex().to_string();
        let mut index = match self.read_index() {
            Ok(i) => i,
            Err(_) => {
                let index = history.join(INDEX);
                let _ = std::fs::rename(&index, history.join(format!("{INDEX}.unreadable")));
                Index::default()
            }
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let entry = Entry {
            id: history::new_id(now, &hash, &index.entries),
            accepted_at: Time(now),
            source: Path::new(source)
                .file_name()
                .map_or_else(|| source.to_string(), |n| n.to_string_lossy().into_owned()),
            hash,
            summary,
            rollback_of,
        };
        let kept = history.join(entry.file_name());
        if !kept.exists() {
            write_atomic(&kept, bytes)?;
        }
        index.entries.push(entry.clone());
        let drop = index.entries.len().saturating_sub(self.keep);
        index.entries.drain(..drop);
        let text =
            ron::ser::to_string_pretty(&index, ron::ser::PrettyConfig::default()).map_err(|e| {
                SaveError::Io {
                    file: history.join(INDEX).display().to_string(),
                    source: std::io::Error::other(e.to_string()),
                }
            })?;
        write_atomic(&history.join(INDEX), text.as_bytes())?;
        write_atomic(&self.accepted_path(), bytes)?;
        // Snapshots no entry names any more (best effort: a leftover is removed next time).
        if let Ok(files) = std::fs::read_dir(&history) {
            for f in files.flatten() {
                let name = f.file_name().to_string_lossy().into_owned();
                let named = index.entries.iter().any(|e| e.file_name() == name);
                if name.ends_with(".ron") && name != INDEX && !named {
                    let _ = std::fs::remove_file(f.path());
                }
            }
        }
        Ok(entry)
    }

    fn history_dir(&self) -> PathBuf {
        self.dir.join(HISTORY_DIR)
    }

    fn read_index(&self) -> Result<Index, HistoryError> {
        let path = self.history_dir().join(INDEX);
        let file = path.display().to_string();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Index::default()),
            Err(source) => return Err(HistoryError::Io { file, source }),
        };
        ron::from_str(&text).map_err(|e| HistoryError::Index {
            file,
            message: e.to_string(),
        })
    }

    /// The history, newest first. Errors: the index cannot be read.
    pub fn history(&self) -> Result<Vec<Entry>, HistoryError> {
        let mut entries = self.read_index()?.entries;
        entries.reverse();
        Ok(entries)
    }

    /// The id of the history entry that is the current snapshot: the newest whose hash is
    /// the accepted file's (`None` when nothing was accepted, or it is not in the history).
    pub fn current_id(&self) -> Option<String> {
        let bytes = std::fs::read(self.accepted_path()).ok()?;
        let hash = blake3::hash(&bytes).to_hex().to_string();
        self.history()
            .ok()?
            .into_iter()
            .find(|e| e.hash == hash)
            .map(|e| e.id)
    }

    /// Makes the snapshot of history entry `id` (the whole id or a prefix only one has)
    /// current again, after validating it anew; the rollback is itself recorded. Returns
    /// the new entry and the loaded snapshot. Errors: no such entry, its file gone or no
    /// longer valid (nothing changes), or a write failure.
    pub fn rollback(&self, id: &str) -> Result<(Entry, Loaded), HistoryError> {
        let entries = self.history()?;
        let entry = history::find(&entries, id).map_err(HistoryError::NoSuch)?;
        let path = self.history_dir().join(entry.file_name());
        let bytes = crate::snapshot::read_bytes(&path, DEFAULT_SIZE_LIMIT)
            .map_err(|e| HistoryError::Load(e.into()))?;
        let loaded =
            crate::snapshot::load_bytes(&path.display().to_string(), &bytes, DEFAULT_SIZE_LIMIT)?;
        let new = self.record(
            &bytes,
            &rollback_source(entry),
            Summary::of(&loaded),
            Some(entry.id.clone()),
        )?;
        Ok((new, loaded))
    }

    /// The path of a kept snapshot's file (for loading it through the exhibit's checks).
    pub fn kept_path(&self, entry: &Entry) -> PathBuf {
        self.history_dir().join(entry.file_name())
    }

    /// Whether `path` is a snapshot kept in this store's history.
    pub fn is_kept(&self, path: &Path) -> bool {
        path.parent() == Some(self.history_dir().as_path())
    }

    /// Accepts the bytes of a kept snapshot that were loaded and checked elsewhere (curator
    /// mode rolls back on its loading thread): recorded as a rollback to the newest entry
    /// with the same content, or as a plain accept from `source` when none has it.
    pub fn accept_kept(
        &self,
        bytes: &[u8],
        source: &str,
        summary: Summary,
    ) -> Result<Entry, SaveError> {
        let hash = blake3::hash(bytes).to_hex().to_string();
        let kept = self
            .history()
            .ok()
            .and_then(|h| h.into_iter().find(|e| e.hash == hash));
        match kept {
            Some(e) => self.record(bytes, &rollback_source(&e), summary, Some(e.id)),
            None => self.accept(bytes, source, summary),
        }
    }
}

/// How a rollback's entry names its source: the original file, marked.
fn rollback_source(entry: &Entry) -> String {
    match &entry.rollback_of {
        Some(_) => entry.source.clone(),
        None => format!("{} (rollback)", entry.source),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_store(name: &str) -> Store {
        let dir =
            std::env::temp_dir().join(format!("citygrid-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Store::new(dir)
    }

    #[test]
    fn starts_from_the_demo_then_from_what_was_accepted() {
        let store = temp_store("accept");
        assert!(matches!(store.startup(), Ok(Startup::Demo(_, None))));
        let mut s = crate::demo::load_demo().expect("demo").snapshot;
        s.source = "accepted by a curator".into();
        let text = crate::snapshot::to_ron(&s).expect("encodes");
        store
            .accept(
                text.as_bytes(),
                "/media/usb/accepted.ron",
                Summary::default(),
            )
            .expect("accepted");
        match store.startup() {
            Ok(Startup::Accepted(l)) => assert_eq!(l.snapshot.source, "accepted by a curator"),
            other => panic!("expected the accepted snapshot, got {other:?}"),
        }
        let _ = std::fs::remove_dir_all(store.dir());
    }

    #[test]
    fn a_broken_accepted_file_falls_back_to_the_demo_with_the_reason() {
        let store = temp_store("broken");
        std::fs::create_dir_all(store.dir()).expect("dir");
        std::fs::write(store.accepted_path(), "(schema: 1, exported_at: ").expect("write");
        match store.startup() {
            Ok(Startup::Demo(_, Some(e))) => {
                assert!(e.to_string().contains("snapshot.ron:1:"), "{e}")
            }
            other => panic!("expected the demo with a reason, got {other:?}"),
        }
        let _ = std::fs::remove_dir_all(store.dir());
    }

    /// The demo's snapshot with its `source` set to tell the versions apart.
    fn version(k: usize) -> (Vec<u8>, Summary) {
        let mut s = crate::demo::load_demo().expect("demo").snapshot;
        s.source = format!("version {k}");
        let summary = Summary {
            regions: s.regions.len(),
            buildings: s.buildings.len(),
            ..Summary::default()
        };
        (
            crate::snapshot::to_ron(&s).expect("encodes").into_bytes(),
            summary,
        )
    }

    #[test]
    fn the_history_keeps_the_last_n_and_rolls_back_to_any() {
        let store = temp_store("history").with_keep(3);
        let mut ids = Vec::new();
        for k in 0..5 {
            let (bytes, summary) = version(k);
            let e = store
                .accept(&bytes, &format!("/media/usb/v{k}.ron"), summary)
                .expect("accepted");
            assert_eq!(e.source, format!("v{k}.ron"));
            ids.push(e.id);
        }
        let h = store.history().expect("reads");
        assert_eq!(
            h.iter().map(|e| e.source.as_str()).collect::<Vec<_>>(),
            ["v4.ron", "v3.ron", "v2.ron"],
            "newest first, the last 3"
        );
        assert_eq!(store.current_id().as_deref(), Some(ids[4].as_str()));
        // Only the kept ones' files remain.
        let files = std::fs::read_dir(store.dir().join(history::HISTORY_DIR))
            .expect("dir")
            .count();
        assert_eq!(files, 3 + 1, "three snapshots and the index");

        // Back to v2: current again, and recorded as a change of its own.
        let (entry, loaded) = store.rollback(&ids[2]).expect("rolls back");
        assert_eq!(loaded.snapshot.source, "version 2");
        assert_eq!(entry.rollback_of.as_deref(), Some(ids[2].as_str()));
        assert_eq!(entry.source, "v2.ron (rollback)");
        match store.startup() {
            Ok(Startup::Accepted(l)) => assert_eq!(l.snapshot.source, "version 2"),
            other => panic!("{other:?}"),
        }
        let h = store.history().expect("reads");
        assert_eq!(h[0].id, entry.id);
        assert_eq!(store.current_id().as_deref(), Some(entry.id.as_str()));
        // Keeping 3, v2's own entry has now gone; its content stays, named by the rollback.
        assert_eq!(
            h.iter().map(|e| e.source.as_str()).collect::<Vec<_>>(),
            ["v2.ron (rollback)", "v4.ron", "v3.ron"]
        );
        assert!(
            store
                .dir()
                .join(history::HISTORY_DIR)
                .join(h[0].file_name())
                .exists()
        );

        // An id no longer kept, and an ambiguous prefix, are refused and change nothing.
        let e = store
            .rollback(&ids[0])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("no snapshot"), "{e}");
        let _ = std::fs::remove_dir_all(store.dir());
    }

    #[test]
    fn a_damaged_kept_snapshot_or_index_loses_nothing() {
        let store = temp_store("damaged");
        let (bytes, summary) = version(0);
        let first = store.accept(&bytes, "v0.ron", summary).expect("accepted");
        let (bytes, summary) = version(1);
        store.accept(&bytes, "v1.ron", summary).expect("accepted");
        // The kept file of v0 rots on disk: the rollback is refused, v1 stays on show.
        let kept = store
            .dir()
            .join(history::HISTORY_DIR)
            .join(first.file_name());
        std::fs::write(&kept, "(schema: 2, regions: [").expect("write");
        let e = store
            .rollback(&first.id)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("does not load, nothing was changed"), "{e}");
        match store.startup() {
            Ok(Startup::Accepted(l)) => assert_eq!(l.snapshot.source, "version 1"),
            other => panic!("{other:?}"),
        }
        // An unreadable index: listing says so; the next accept moves it aside and goes on.
        let index = store.dir().join(history::HISTORY_DIR).join(history::INDEX);
        std::fs::write(&index, "garbage").expect("write");
        let e = store
            .history()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains("index.ron: the history index is unreadable"),
            "{e}"
        );
        let (bytes, summary) = version(2);
        store
            .accept(&bytes, "v2.ron", summary)
            .expect("accepted anyway");
        assert_eq!(store.history().expect("a new index").len(), 1);
        assert!(index.with_file_name("index.ron.unreadable").exists());
        let _ = std::fs::remove_dir_all(store.dir());
    }
}
