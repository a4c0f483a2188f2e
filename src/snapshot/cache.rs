//! The start cache: a snapshot that passed validation, kept in binary beside the data so
//! that the next start skips the RON parse and the checks.
//!
//! The RON file stays the source of truth. A cache entry is keyed by the BLAKE3 hash of the
//! snapshot's bytes and by this build (version and commit), so an edited, replaced or
//! re-accepted file, or a new build, simply misses and the entry is written again. An entry
//! that is truncated, corrupted (its payload carries its own BLAKE3 hash) or unreadable is a
//! miss too: the snapshot is then read from its RON as before and nothing is lost. Entries
//! are MessagePack (`rmp-serde`, fields by name, so the model's serde attributes hold).
//!
//! Figures (30,000-building stress snapshot, 31 MB RON, 2-core machine): see
//! `docs/performance.md`, "Start".

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::load::{DEFAULT_SIZE_LIMIT, LoadError, Loaded, load_bytes, write_atomic};
use super::model::Snapshot;
use super::read::{ReadError, read_bytes};
use super::validate::{Issue, Report, Severity};

/// Bumped whenever the layout of an entry changes.
const FORMAT: u32 = 2;
/// First bytes of every entry.
const MAGIC: &[u8; 8] = b"CGSNAPC\0";
/// Entries kept in the folder; older ones are removed when a new one is written.
pub const KEEP: usize = 4;
/// File name extension of entries.
const EXT: &str = "cgsc";

/// What the cache did for one load, for the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheUse {
    /// Read from the cache: no parse, no validation.
    Hit,
    /// Not in the cache (or the entry was unusable, with the reason); read from RON and
    /// written to the cache.
    Written { reason: String },
    /// Read from RON; the entry could not be written (the reason). The load itself is fine.
    NotWritten { reason: String },
}

/// A folder of cache entries, e.g. `<data dir>/cache`.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

/// What an entry holds: the snapshot and the warnings its validation found (errors never
/// reach the cache).
#[derive(Serialize, Deserialize)]
struct Entry {
    snapshot: Snapshot,
    warnings: Vec<(String, String)>,
}

impl Cache {
    /// A cache in `dir`; the folder is created when the first entry is written.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Loads the snapshot whose RON text is `bytes` (named `origin` in messages) from the
    /// cache when there, else parses and validates it like [`load_bytes`] and writes the
    /// entry for next time. Errors: those of [`load_bytes`]; the cache's own failures are
    /// never errors, only a [`CacheUse`] reason.
    pub fn load(
        &self,
        origin: &str,
        bytes: &[u8],
        size_limit: u64,
    ) -> Result<(Loaded, CacheUse), LoadError> {
        self.load_keyed(origin, Key::of(bytes), bytes, size_limit)
    }

    /// [`Cache::load`] for bytes whose key was made when the binary was built (the embedded
    /// demo: `id` is its hash, see `build.rs`), so that a hit never reads them.
    pub fn load_embedded(
        &self,
        origin: &str,
        id: &str,
        bytes: &[u8],
    ) -> Result<(Loaded, CacheUse), LoadError> {
        self.load_keyed(origin, Key::with_hash(id.to_string()), bytes, u64::MAX)
    }

    fn load_keyed(
        &self,
        origin: &str,
        key: Key,
        bytes: &[u8],
        size_limit: u64,
    ) -> Result<(Loaded, CacheUse), LoadError> {
        let path = self.entry_path(&key);
        let reason = match read_entry(&path, &key) {
            Ok(entry) => {
                let report = Report {
                    issues: entry
                        .warnings
                        .into_iter()
                        .map(|(place, message)| Issue {
                            severity: Severity::Warning,
                            place,
                            message,
                        })
                        .collect(),
                };
                let loaded = Loaded {
                    snapshot: entry.snapshot,
                    report,
                    origin: origin.to_string(),
                };
                return Ok((loaded, CacheUse::Hit));
            }
            Err(reason) => reason,
        };
        let loaded = load_bytes(origin, bytes, size_limit)?;
        let used = match self.write(&key, &loaded.snapshot, &loaded.report) {
            Ok(()) => CacheUse::Written { reason },
            Err(e) => CacheUse::NotWritten { reason: e },
        };
        Ok((loaded, used))
    }

    /// Writes the entry of a snapshot that has just been validated from `bytes`, e.g. when a
    /// curator accepts it, so that the next start finds it. Errors: the reason, for the log.
    pub fn store(&self, bytes: &[u8], snapshot: &Snapshot, report: &Report) -> Result<(), String> {
        self.write(&Key::of(bytes), snapshot, report)
    }

    fn entry_path(&self, key: &Key) -> PathBuf {
        let short: String = key.hash_hex.chars().take(32).collect();
        self.dir.join(format!("snapshot-{short}.{EXT}"))
    }

    fn write(&self, key: &Key, snapshot: &Snapshot, report: &Report) -> Result<(), String> {
        let entry = EntryRef {
            snapshot,
            warnings: report
                .warnings()
                .map(|w| (w.place.as_str(), w.message.as_str()))
                .collect(),
        };
        let payload = rmp_serde::to_vec_named(&entry).map_err(|e| format!("encoding: {e}"))?;
        let mut out = Vec::with_capacity(payload.len() + 128);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT.to_le_bytes());
        let build = key.build.as_bytes();
        out.extend_from_slice(&(build.len() as u32).to_le_bytes());
        out.extend_from_slice(build);
        let hash = key.hash_hex.as_bytes();
        out.extend_from_slice(&(hash.len() as u32).to_le_bytes());
        out.extend_from_slice(hash);
        out.extend_from_slice(blake3::hash(&payload).as_bytes());
        out.extend_from_slice(&payload);
        fs::create_dir_all(&self.dir).map_err(|e| format!("{}: {e}", self.dir.display()))?;
        let path = self.entry_path(key);
        write_atomic(&path, &out).map_err(|e| e.to_string())?;
        self.prune(&path);
        Ok(())
    }

    /// Keeps the [`KEEP`] newest entries (`keep` among them), removes the rest.
    fn prune(&self, keep: &Path) {
        let Ok(dir) = fs::read_dir(&self.dir) else {
            return;
        };
        let mut entries: Vec<(std::time::SystemTime, PathBuf)> = dir
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == EXT) && p != keep)
            .filter_map(|p| Some((fs::metadata(&p).ok()?.modified().ok()?, p)))
            .collect();
        entries.sort_by_key(|e| std::cmp::Reverse(e.0));
        for (_, p) in entries.into_iter().skip(KEEP.saturating_sub(1)) {
            let _ = fs::remove_file(p);
        }
    }
}

/// The borrowed form of [`Entry`], for writing without a copy.
#[derive(Serialize)]
struct EntryRef<'a> {
    snapshot: &'a Snapshot,
    warnings: Vec<(&'a str, &'a str)>,
}

/// What an entry is keyed by: the snapshot's bytes and this build.
struct Key {
    /// BLAKE3 of the RON bytes, 64 hex digits (or the embedded demo's build-time id).
    hash_hex: String,
    /// `version commit format`.
    build: String,
}

impl Key {
    fn of(bytes: &[u8]) -> Self {
        Self::with_hash(blake3::hash(bytes).to_hex().to_string())
    }

    fn with_hash(hash_hex: String) -> Self {
        Self {
            hash_hex,
            build: format!(
                "{} {} {FORMAT}",
                env!("CARGO_PKG_VERSION"),
                env!("CITYGRID_COMMIT")
            ),
        }
    }
}

/// Reads and checks one entry. Errors: why it cannot be used, one line.
fn read_entry(path: &Path, key: &Key) -> Result<Entry, String> {
    // Through the one read path, with the snapshots' own size limit: an entry is smaller
    // than the RON it was made from.
    let data = match read_bytes(path, DEFAULT_SIZE_LIMIT) {
        Ok(d) => d,
        Err(ReadError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            return Err("not cached yet".into());
        }
        Err(e) => return Err(format!("{e}; reading the RON instead")),
    };
    let bad = |what: &str| format!("{}: {what}; reading the RON instead", path.display());
    let rest = data
        .strip_prefix(MAGIC)
        .ok_or_else(|| bad("not a cache entry"))?;
    let (format, rest) = take(rest, 4).ok_or_else(|| bad("truncated"))?;
    if format != FORMAT.to_le_bytes() {
        return Err(bad("older cache format"));
    }
    let (len, rest) = take(rest, 4).ok_or_else(|| bad("truncated"))?;
    let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
    let (build, rest) = take(rest, len).ok_or_else(|| bad("truncated"))?;
    if build != key.build.as_bytes() {
        return Err(bad("written by another build"));
    }
    let (len, rest) = take(rest, 4).ok_or_else(|| bad("truncated"))?;
    let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
    let (hash, rest) = take(rest, len).ok_or_else(|| bad("truncated"))?;
    if hash != key.hash_hex.as_bytes() {
        return Err(bad("for other snapshot bytes"));
    }
    let (sum, payload) = take(rest, 32).ok_or_else(|| bad("truncated"))?;
    if blake3::hash(payload).as_bytes() != sum {
        return Err(bad("damaged (checksum differs)"));
    }
    rmp_serde::from_slice(payload).map_err(|e| bad(&format!("cannot decode: {e}")))
}

/// Splits off the first `n` bytes.
fn take(bytes: &[u8], n: usize) -> Option<(&[u8], &[u8])> {
    (bytes.len() >= n).then(|| bytes.split_at(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> Cache {
        let dir =
            std::env::temp_dir().join(format!("citygrid-cache-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        Cache::new(dir)
    }

    fn demo_bytes() -> &'static [u8] {
        crate::demo::DEMO_RON.as_bytes()
    }

    #[test]
    fn a_second_load_is_a_hit_and_equal_to_the_ron() {
        let cache = temp("hit");
        let (first, used) = cache.load("demo", demo_bytes(), u64::MAX).expect("loads");
        assert!(matches!(used, CacheUse::Written { .. }), "{used:?}");
        let (second, used) = cache.load("demo", demo_bytes(), u64::MAX).expect("loads");
        assert_eq!(used, CacheUse::Hit);
        assert_eq!(second.snapshot, first.snapshot);
        assert_eq!(second.report, first.report);
        assert_eq!(second.origin, "demo");
        let _ = fs::remove_dir_all(cache.dir());
    }

    #[test]
    fn changed_bytes_miss_and_damaged_entries_are_read_from_ron() {
        let cache = temp("damaged");
        let (_, _) = cache.load("demo", demo_bytes(), u64::MAX).expect("loads");
        let path = cache.entry_path(&Key::of(demo_bytes()));
        // Flip one byte of the payload.
        let mut data = fs::read(&path).expect("entry written");
        let last = data.len() - 10;
        data[last] ^= 0xff;
        fs::write(&path, &data).expect("writes");
        let (loaded, used) = cache.load("demo", demo_bytes(), u64::MAX).expect("loads");
        match used {
            CacheUse::Written { reason } => assert!(reason.contains("damaged"), "{reason}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(loaded.snapshot.regions.len(), 160);
        // Truncated.
        fs::write(&path, &data[..40]).expect("writes");
        let (_, used) = cache.load("demo", demo_bytes(), u64::MAX).expect("loads");
        assert!(matches!(used, CacheUse::Written { ref reason } if reason.contains("truncated")));
        // Other bytes: another entry, the first still there.
        let mut other = crate::demo::load_demo().expect("demo").snapshot;
        other.source = "edited".into();
        let text = crate::snapshot::to_ron(&other).expect("ron");
        let (l, used) = cache
            .load("edited", text.as_bytes(), u64::MAX)
            .expect("loads");
        assert!(matches!(used, CacheUse::Written { .. }));
        assert_eq!(l.snapshot.source, "edited");
        let (_, used) = cache.load("demo", demo_bytes(), u64::MAX).expect("loads");
        assert_eq!(used, CacheUse::Hit);
        let _ = fs::remove_dir_all(cache.dir());
    }

    #[test]
    fn invalid_snapshots_are_refused_and_never_cached() {
        let cache = temp("invalid");
        let err = cache.load("bad.ron", b"(schema: 1,", u64::MAX);
        assert!(err.is_err());
        assert!(fs::read_dir(cache.dir()).is_err(), "nothing written");
    }

    #[test]
    fn an_unwritable_folder_still_loads() {
        // A file where the folder should be.
        let cache = temp("unwritable");
        fs::write(cache.dir(), b"not a folder").expect("writes");
        let (loaded, used) = cache.load("demo", demo_bytes(), u64::MAX).expect("loads");
        assert!(matches!(used, CacheUse::NotWritten { .. }), "{used:?}");
        assert_eq!(loaded.snapshot.regions.len(), 160);
        let _ = fs::remove_file(cache.dir());
    }

    #[test]
    fn only_the_newest_entries_are_kept() {
        let cache = temp("prune");
        let base = crate::demo::load_demo().expect("demo").snapshot;
        for i in 0..(KEEP + 2) {
            let mut s = base.clone();
            s.source = format!("export {i}");
            let text = crate::snapshot::to_ron(&s).expect("ron");
            cache.load("x", text.as_bytes(), u64::MAX).expect("loads");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let n = fs::read_dir(cache.dir()).expect("dir").count();
        assert_eq!(n, KEEP);
        let _ = fs::remove_dir_all(cache.dir());
    }
}
