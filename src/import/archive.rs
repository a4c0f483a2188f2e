//! An export folder as a `.zip` (how curators carry it on a USB stick): its files read in
//! memory — wherever they sit in the archive, by their names — and imported as the folder
//! would be. Zip bombs and junk are refused with the archive and the entry named.

use std::io::{Cursor, Read};
use std::path::Path;

use super::{ExportFile, ImportError, ImportOptions, Imported, import_from};
use crate::snapshot::{DEFAULT_SIZE_LIMIT, read_bytes};

/// Imports the export zipped in `path` (see [`super::import_dir`] for `options`). Errors:
/// the archive cannot be read, two entries share a file name, the files unpack to more
/// than 512 MiB, or what the folder's import refuses (named `ARCHIVE.zip:streets.geojson`).
pub fn import_zip(path: &Path, options: impl Into<ImportOptions>) -> Result<Imported, ImportError> {
    let label = path.display().to_string();
    let err = |place: &str, message: String| ImportError::Feature {
        file: label.clone(),
        place: place.to_string(),
        message,
    };
    let bytes = read_bytes(path, DEFAULT_SIZE_LIMIT)?;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| err("archive", format!("not a readable zip: {e}")))?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut unpacked: u64 = 0;
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| err(&format!("entry {i}"), format!("cannot be read: {e}")))?;
        if entry.is_dir() {
            continue;
        }
        let Ok(name) = entry.name().map(|n| n.to_string()) else {
            continue;
        };
        let base = name.rsplit(['/', '\\']).next().unwrap_or(&name).to_string();
        // Hidden files and macOS's resource forks are no part of the export.
        if base.is_empty() || base.starts_with('.') || name.contains("__MACOSX") {
            continue;
        }
        if files.iter().any(|(n, _)| n.eq_ignore_ascii_case(&base)) {
            return Err(err(
                &name,
                format!("a second file named {base}: keep one export per archive"),
            ));
        }
        let left = DEFAULT_SIZE_LIMIT.saturating_sub(unpacked);
        let mut data = Vec::new();
        (&mut entry)
            .take(left + 1)
            .read_to_end(&mut data)
            .map_err(|e| err(&name, format!("cannot be unpacked: {e}")))?;
        unpacked += data.len() as u64;
        if unpacked > DEFAULT_SIZE_LIMIT {
            return Err(err(
                &name,
                format!(
                    "the archive unpacks to more than {} MiB",
                    DEFAULT_SIZE_LIMIT / (1024 * 1024)
                ),
            ));
        }
        files.push((base, data));
    }
    let source = |name: &str| -> Result<ExportFile, ImportError> {
        files
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(n, b)| ExportFile {
                name: format!("{label}:{n}"),
                bytes: b.clone(),
            })
            .ok_or_else(|| ImportError::Io {
                file: format!("{label}:{name}"),
                source: std::io::ErrorKind::NotFound.into(),
            })
    };
    import_from(&source, &label, options.into())
}
