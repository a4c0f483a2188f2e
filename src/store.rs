//! The snapshot store: the last snapshot a curator accepted lives in the data directory and
//! is where the exhibit starts from; written atomically, so a power cut leaves either the old
//! file or the new one, never half of one.

use std::path::{Path, PathBuf};

use crate::snapshot::load::{SaveError, write_atomic};
use crate::snapshot::{Cache, CacheUse, LoadError, Loaded};

/// File name of the accepted snapshot in the data directory.
pub const ACCEPTED: &str = "snapshot.ron";

/// The store in one data directory.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
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
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
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

    /// Accepts a validated snapshot's bytes as the new current one, atomically.
    pub fn accept(&self, bytes: &[u8]) -> Result<(), SaveError> {
        std::fs::create_dir_all(&self.dir).map_err(|source| SaveError::Io {
            file: self.dir.display().to_string(),
            source,
        })?;
        write_atomic(&self.accepted_path(), bytes)
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
        store.accept(text.as_bytes()).expect("accepted");
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
}
