//! Reading snapshot files: size limit before reading, UTF-8 check, RON parse with a nesting
//! limit, then validation. Every failure names the file and the place.

use std::fmt;
use std::path::{Path, PathBuf};

use super::model::{OLDEST_SCHEMA_VERSION, SCHEMA_VERSION, Snapshot, schema_supported};
use super::read::{ReadError, read_bytes, utf8};
use super::validate::{Report, validate};

/// Files larger than this are refused before they are read (512 MiB).
pub const DEFAULT_SIZE_LIMIT: u64 = 512 * 1024 * 1024;

/// Deepest nesting of RON values accepted; the schema itself needs fewer than 10 levels.
const RECURSION_LIMIT: usize = 64;

/// Why a snapshot could not be used. Display gives a one-line message with file and place.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: {size} bytes is over the limit of {limit} bytes; refused without reading it")]
    TooLarge { file: String, size: u64, limit: u64 },
    #[error("{file}:{line}:{col}: not UTF-8 text (byte 0x{byte:02x} at offset {offset})")]
    NotUtf8 {
        file: String,
        line: usize,
        col: usize,
        byte: u8,
        offset: usize,
    },
    #[error("{file}:{line}:{col}: {message}")]
    Syntax {
        file: String,
        line: usize,
        col: usize,
        message: String,
    },
    #[error(
        "{file}: unknown schema version {found} (this build reads versions {OLDEST_SCHEMA_VERSION}–{SCHEMA_VERSION})"
    )]
    Schema { file: String, found: u32 },
    #[error("{file}: {}", InvalidSummary(report))]
    Invalid { file: String, report: Report },
}

impl From<ReadError> for LoadError {
    /// The read path's errors keep their messages: I/O, too large and not UTF-8.
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Io { file, source } => Self::Io { file, source },
            ReadError::TooLarge { file, size, limit } => Self::TooLarge { file, size, limit },
            ReadError::NotUtf8 {
                file,
                line,
                col,
                byte,
                offset,
            } => Self::NotUtf8 {
                file,
                line,
                col,
                byte,
                offset,
            },
        }
    }
}

struct InvalidSummary<'a>(&'a Report);

impl fmt::Display for InvalidSummary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors = self.0.errors().count();
        let warnings = self.0.warnings().count();
        write!(
            f,
            "invalid snapshot: {errors} error(s), {warnings} warning(s)"
        )?;
        if let Some(first) = self.0.errors().next() {
            write!(f, "; first: {first}")?;
        }
        Ok(())
    }
}

/// A snapshot that passed validation, with the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub snapshot: Snapshot,
    pub report: Report,
    /// Where it came from (a path, or `<embedded demo>`).
    pub origin: String,
}

/// Reads, parses and validates a snapshot file of at most `size_limit` bytes. Errors: `Io`
/// and `TooLarge` from [`read_bytes`], then those of [`load_bytes`] (`NotUtf8`, `Syntax`,
/// `Schema`, `Invalid`).
pub fn load_file(path: &Path, size_limit: u64) -> Result<Loaded, LoadError> {
    let bytes = read_bytes(path, size_limit)?;
    load_bytes(&path.display().to_string(), &bytes, size_limit)
}

/// Parses and validates snapshot bytes; `file` names them in messages.
pub fn load_bytes(file: &str, bytes: &[u8], size_limit: u64) -> Result<Loaded, LoadError> {
    let snapshot = parse_bytes(file, bytes, size_limit)?;
    let report = validate(&snapshot);
    if report.has_errors() {
        return Err(LoadError::Invalid {
            file: file.to_string(),
            report,
        });
    }
    Ok(Loaded {
        snapshot,
        report,
        origin: file.to_string(),
    })
}

/// Parses snapshot bytes without semantic validation. Errors: `TooLarge` over `size_limit`
/// bytes, `NotUtf8`, then those of [`parse_str`].
pub fn parse_bytes(file: &str, bytes: &[u8], size_limit: u64) -> Result<Snapshot, LoadError> {
    if bytes.len() as u64 > size_limit {
        return Err(LoadError::TooLarge {
            file: file.to_string(),
            size: bytes.len() as u64,
            limit: size_limit,
        });
    }
    let text = utf8(file, bytes)?;
    parse_str(file, text)
}

/// Parses snapshot text without semantic validation.
pub fn parse_str(file: &str, text: &str) -> Result<Snapshot, LoadError> {
    // A UTF-8 byte-order mark (what Windows editors write) is not part of the text.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let options = ron::Options::default().with_recursion_limit(RECURSION_LIMIT);
    match options.from_str::<Snapshot>(text) {
        Ok(s) => Ok(s),
        Err(err) => {
            // A file of another schema version rarely parses as this one: say so instead of
            // reporting the first field that differs.
            if let Ok(header) = options.from_str::<Header>(text)
                && !schema_supported(header.schema)
            {
                return Err(LoadError::Schema {
                    file: file.to_string(),
                    found: header.schema,
                });
            }
            Err(LoadError::Syntax {
                file: file.to_string(),
                line: err.span.start.line,
                col: err.span.start.col,
                message: err.code.to_string(),
            })
        }
    }
}

/// Only the version field, for a helpful message on files of other schema versions.
#[derive(serde::Deserialize)]
struct Header {
    schema: u32,
}

/// Writes a snapshot as pretty RON.
pub fn to_ron(snapshot: &Snapshot) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new()
        .depth_limit(4)
        .indentor("  ".to_string())
        .separate_tuple_members(false)
        .struct_names(false);
    ron::ser::to_string_pretty(snapshot, config)
}

/// Saves a snapshot to `path` atomically: a temporary file beside it, flushed to disk, then
/// renamed over the target, so a crash never leaves half a file under the real name.
pub fn save_atomic(snapshot: &Snapshot, path: &Path) -> Result<(), SaveError> {
    let text = to_ron(snapshot).map_err(|e| SaveError::Encode(e.to_string()))?;
    write_atomic(path, text.as_bytes())
}

/// Writes bytes to `path` atomically (temp file, fsync, rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "snapshot".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let io = |source| SaveError::Io {
        file: path.display().to_string(),
        source,
    };
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}

/// Why a snapshot could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{file}: cannot write: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot encode snapshot: {0}")]
    Encode(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_utf8_names_line_and_column() {
        let bytes = b"(\n  schema: 1,\n  ab\xffcd";
        match parse_bytes("x.ron", bytes, DEFAULT_SIZE_LIMIT) {
            Err(LoadError::NotUtf8 { line, col, .. }) => assert_eq!((line, col), (3, 5)),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn syntax_error_has_place() {
        let err = parse_str(
            "x.ron",
            "(schema: 1, exported_at: \"a\", source: \"b\",\n crs: Nowhere)",
        )
        .err();
        let msg = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.starts_with("x.ron:2:"), "{msg}");
    }

    #[test]
    fn other_schema_version_is_named() {
        let text = "(schema: 7, something_new: [1, 2])";
        let msg = parse_str("y.ron", text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(msg.contains("unknown schema version 7"), "{msg}");
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let mut text = String::from(
            "(schema: 1, exported_at: \"\", source: \"\", crs: Wgs84, regions: [], x: ",
        );
        text.push_str(&"[".repeat(100_000));
        let err = parse_str("deep.ron", &text);
        assert!(err.is_err());
    }

    #[test]
    fn size_limit_refuses_before_parsing() {
        let err = parse_bytes("big.ron", &[b' '; 100], 10);
        assert!(matches!(err, Err(LoadError::TooLarge { size: 100, .. })));
    }
}
