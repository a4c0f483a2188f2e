//! The snapshot store: the last snapshot a curator accepted lives in the data directory and
//! is where the exhibit starts from; written atomically, so a power cut leaves either the old
//! file or the new one, never half of one.

use std::path::{Path, PathBuf};

use crate::snapshot::load::{SaveError, write_atomic};
use crate::snapshot::{DEFAULT_SIZE_LIMIT, LoadError, Loaded, load_file};

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

    /// The snapshot to start with: the accepted one if it still loads, else the demo.
    pub fn startup(&self) -> Result<Startup, LoadError> {
        let path = self.accepted_path();
        if !path.exists() {
            return crate::demo::load_demo().map(|d| Startup::Demo(d, None));
        }
        match load_file(&path, DEFAULT_SIZE_LIMIT) {
            Ok(l) => Ok(Startup::Accepted(l)),
            Err(e) => crate::demo::load_demo().map(|d| Startup::Demo(d, Some(e))),
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
