//! The one read path for snapshot and export files: stat, refuse over a size limit, read
//! (never more than the limit, even if the file grows meanwhile), and check UTF-8 with the
//! line and column of the first bad byte.

use std::io::Read;
use std::path::Path;

/// Why the bytes of a file could not be used; Display gives a one-line message that names
/// the file (and the place, for bad UTF-8).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened, statted or read.
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    /// The file holds more bytes than the limit allows (`size` is in bytes, at least what
    /// was seen; `limit` in bytes).
    #[error("{file}: {size} bytes is over the limit of {limit} bytes; refused without reading it")]
    TooLarge { file: String, size: u64, limit: u64 },
    /// The bytes are not UTF-8: 1-based `line` and `col` (in characters), the first bad
    /// `byte` and its `offset` in bytes from the start.
    #[error("{file}:{line}:{col}: not UTF-8 text (byte 0x{byte:02x} at offset {offset})")]
    NotUtf8 {
        file: String,
        line: usize,
        col: usize,
        byte: u8,
        offset: usize,
    },
}

/// Reads the whole file at `path` if it holds at most `limit` bytes (snapshots and exports
/// use [`DEFAULT_SIZE_LIMIT`](super::DEFAULT_SIZE_LIMIT), 512 MiB).
///
/// The size is checked before reading, so a huge file is refused without being read; a file
/// that grows past the limit between that check and the read is refused too, after at most
/// `limit + 1` bytes were read. Errors: [`ReadError::Io`] (missing, unreadable, a folder),
/// [`ReadError::TooLarge`]. Messages name the file as `path.display()` shows it.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = path.display().to_string();
    let io = |source| ReadError::Io {
        file: file.clone(),
        source,
    };
    let handle = std::fs::File::open(path).map_err(io)?;
    let size = handle.metadata().map_err(io)?.len();
    if size > limit {
        return Err(ReadError::TooLarge { file, size, limit });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    handle
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    let read = bytes.len() as u64;
    if read > limit {
        // It grew while being read: say how large it is now, as far as that can be told.
        let now = std::fs::metadata(path).map_or(read, |m| m.len().max(read));
        return Err(ReadError::TooLarge {
            file,
            size: now,
            limit,
        });
    }
    Ok(bytes)
}

/// The bytes as text, or [`ReadError::NotUtf8`] with the place of the first bad byte;
/// `file` names them in the message.
pub fn utf8<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, ReadError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let (line, col) = line_col(&bytes[..offset]);
        ReadError::NotUtf8 {
            file: file.to_string(),
            line,
            col,
            byte: bytes.get(offset).copied().unwrap_or(0),
            offset,
        }
    })
}

/// 1-based line and column (in characters) after the given prefix.
fn line_col(prefix: &[u8]) -> (usize, usize) {
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = prefix
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&prefix[line_start..])
        .chars()
        .count()
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path =
            std::env::temp_dir().join(format!("citygrid-read-{name}-{}", std::process::id()));
        std::fs::write(&path, bytes).expect("write temp file");
        path
    }

    #[test]
    fn reads_a_file_up_to_the_limit() {
        let path = temp_file("ok", b"(schema: 1)");
        let bytes = read_bytes(&path, 11);
        let _ = std::fs::remove_file(&path);
        assert_eq!(bytes.ok().as_deref(), Some(&b"(schema: 1)"[..]));
    }

    #[test]
    fn refuses_a_file_over_the_limit() {
        let path = temp_file("big", &[b' '; 100]);
        let err = read_bytes(&path, 99);
        let _ = std::fs::remove_file(&path);
        assert!(
            matches!(
                err,
                Err(ReadError::TooLarge {
                    size: 100,
                    limit: 99,
                    ..
                })
            ),
            "{err:?}"
        );
    }

    /// A file whose size says nothing (a device, a pipe) or that grows while it is read:
    /// reading stops one byte past the limit.
    #[cfg(unix)]
    #[test]
    fn a_file_growing_past_the_limit_is_refused_after_limit_plus_one_bytes() {
        let err = read_bytes(Path::new("/dev/zero"), 1000);
        assert!(
            matches!(
                err,
                Err(ReadError::TooLarge {
                    size: 1001,
                    limit: 1000,
                    ..
                })
            ),
            "{err:?}"
        );
    }

    #[test]
    fn a_missing_file_is_an_io_error_naming_it() {
        let path = std::env::temp_dir().join("citygrid-read-does-not-exist.ron");
        let msg = read_bytes(&path, 10)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            msg.starts_with(&format!("{}: cannot read: ", path.display())),
            "{msg}"
        );
    }

    #[test]
    fn not_utf8_names_line_column_byte_and_offset() {
        match utf8("x.ron", b"ab\n\xc3\xa9z\xff") {
            Err(ReadError::NotUtf8 {
                line,
                col,
                byte,
                offset,
                ..
            }) => assert_eq!((line, col, byte, offset), (2, 3, 0xff, 6)),
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(utf8("x.ron", "区 ok".as_bytes()).ok(), Some("区 ok"));
    }
}
