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
    /// then the files of the entries pruned now are removed where no kept entry names them.
    /// The snapshot on show before, when the history does not have it, is kept first. An
    /// unparsable index is moved aside (`index.ron.unreadable`, its files left alone) and
    /// a new one begun; an index that cannot be read at all is left as it is and the
    /// snapshot accepted without an entry.
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
        let (mut index, index_whole) = match self.read_index() {
            Ok(i) => (i, true),
            Err(HistoryError::Index { .. }) => {
                // Unparsable: set aside (never overwritten), and begin a new one.
                let index = history.join(INDEX);
                let aside = history.join(format!("{INDEX}.unreadable"));
                std::fs::rename(&index, &aside).map_err(|source| SaveError::Io {
                    file: index.display().to_string(),
                    source,
                })?;
                (Index::default(), false)
            }
            // Unreadable (permissions, a failing disk): accept without touching the history.
            Err(_) => return self.accept_without_history(bytes, source, summary),
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        // The snapshot on show before the history began (or before an index was lost)
        // is kept first, so that it can be rolled back to.
        if let Ok(current) = std::fs::read(self.accepted_path()) {
            let hash = hash_of(&current);
            if !index.entries.iter().any(|e| e.hash == hash)
                && let Ok(loaded) = crate::snapshot::load_bytes(
                    &self.accepted_path().display().to_string(),
                    &current,
                    DEFAULT_SIZE_LIMIT,
                )
            {
                let before = Entry {
                    id: history::new_id(now, &hash, &index.entries),
                    accepted_at: Time(now),
                    source: format!("{ACCEPTED} (on show before)"),
                    hash,
                    summary: Summary::of(&loaded),
                    rollback_of: None,
                };
                self.keep_file(&before, &current)?;
                index.entries.push(before);
            }
        }
        let hash = hash_of(bytes);
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
        self.keep_file(&entry, bytes)?;
        index.entries.push(entry.clone());
        let drop = index.entries.len().saturating_sub(self.keep);
        let dropped: Vec<Entry> = index.entries.drain(..drop).collect();
        let text =
            ron::ser::to_string_pretty(&index, ron::ser::PrettyConfig::default()).map_err(|e| {
                SaveError::Io {
                    file: history.join(INDEX).display().to_string(),
                    source: std::io::Error::other(e.to_string()),
                }
            })?;
        write_atomic(&history.join(INDEX), text.as_bytes())?;
        write_atomic(&self.accepted_path(), bytes)?;
        // The files of the entries pruned now, where no kept entry names them any more
        // (only those: a file this index does not know is never removed).
        if index_whole {
            for e in dropped {
                if !index.entries.iter().any(|k| k.hash == e.hash) {
                    let _ = std::fs::remove_file(history.join(e.file_name()));
                }
            }
        }
        Ok(entry)
    }

    /// The current snapshot written without a history entry (the history could not be
    /// read; the accept must not fail for it).
    fn accept_without_history(
        &self,
        bytes: &[u8],
        source: &str,
        summary: Summary,
    ) -> Result<Entry, SaveError> {
        write_atomic(&self.accepted_path(), bytes)?;
        let hash = hash_of(bytes);
        Ok(Entry {
            id: history::new_id(0, &hash, &[]),
            accepted_at: Time(0),
            source: source.to_string(),
            hash,
            summary,
            rollback_of: None,
        })
    }

    /// Writes a kept snapshot's file unless a whole one is there (one that rotted on disk,
    /// its hash no longer its name, is written again).
    fn keep_file(&self, entry: &Entry, bytes: &[u8]) -> Result<(), SaveError> {
        let kept = self.history_dir().join(entry.file_name());
        let whole = std::fs::read(&kept).is_ok_and(|b| hash_of(&b) == entry.hash);
        if whole {
            Ok(())
        } else {
            write_atomic(&kept, bytes)
        }
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
        let hash = self.current_hash()?;
        self.history()
            .ok()?
            .into_iter()
            .find(|e| e.hash == hash)
            .map(|e| e.id)
    }

    /// The BLAKE3 hash (hex) of the snapshot on show (`None`: nothing accepted).
    pub fn current_hash(&self) -> Option<String> {
        std::fs::read(self.accepted_path())
            .ok()
            .map(|b| hash_of(&b))
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
        let hash = hash_of(bytes);
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

/// BLAKE3 of bytes as 64 hex digits.
fn hash_of(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// How a rollback's entry names its source: the original file, marked.
fn rollback_source(entry: &Entry) -> String {
    match &entry.rollback_of {
        Some(_) => entry.source.clone(),
        None => format!("{} (rollback)", entry.source),
    }
}

#[cfg(test)]
mod tests;
