//! `citygrid import DIR`: a GIS export — `district.geojson`, `streets.geojson`,
//! `communities.geojson`, `buildings.geojson` (RFC 7946 FeatureCollections of Polygons or
//! MultiPolygons) and `metrics.json`, and when there the governance files `grids.geojson`,
//! `places.geojson` and `cases.csv` — turned into a snapshot. GCJ-02 coordinates are
//! converted to WGS 84. Every problem names its file and feature; nothing is written unless
//! the whole import is valid (see `docs/import-format.md`).

mod example;
mod geojson;
mod governance;
mod metrics;

use std::path::Path;

use serde_json::Value;

use crate::snapshot::{
    Crs, DEFAULT_SIZE_LIMIT, Level, ReadError, Report, SCHEMA_VERSION, Snapshot, read_bytes,
    validate,
};

pub use example::{example_snapshot, export_dir};

/// The coordinate system of the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportCrs {
    Wgs84,
    Cgcs2000,
    Gcj02,
}

impl ImportCrs {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "wgs84" => Some(Self::Wgs84),
            "cgcs2000" => Some(Self::Cgcs2000),
            "gcj02" => Some(Self::Gcj02),
            _ => None,
        }
    }
}

/// Why an export could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}:{line}:{col}: {message}")]
    Json {
        file: String,
        line: usize,
        col: usize,
        message: String,
    },
    #[error("{file}: {place}: {message}")]
    Feature {
        file: String,
        place: String,
        message: String,
    },
    #[error("the imported snapshot is invalid: {} error(s); first: {}", .0.errors().count(), .0.errors().next().map(|i| i.to_string()).unwrap_or_default())]
    Invalid(Report),
}

impl From<ReadError> for ImportError {
    /// A file over the limit is a problem of the file (`FILE: file: N bytes is over the
    /// 512 MiB limit`); bad UTF-8 reads like the JSON error it would otherwise become.
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Io { file, source } => Self::Io { file, source },
            ReadError::TooLarge { file, size, limit } => Self::Feature {
                file,
                place: "file".into(),
                message: format!("{size} bytes is over the {} limit", in_mib(limit)),
            },
            ReadError::NotUtf8 {
                file,
                line,
                col,
                byte,
                offset,
            } => Self::Json {
                file,
                line,
                col,
                message: format!("not UTF-8 text (byte 0x{byte:02x} at offset {offset})"),
            },
        }
    }
}

/// A size limit in bytes as people say it: `512 MiB`, or in bytes where it is no whole
/// number of MiB.
fn in_mib(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// One file of the export: the name to show in messages and its bytes.
struct ExportFile {
    name: String,
    bytes: Vec<u8>,
}

/// Where the export's files come from: a name (`district.geojson`, …) to the file.
type Source<'a> = &'a dyn Fn(&str) -> Result<ExportFile, ImportError>;

/// One file of the export, parsed: the name to show in messages and its JSON.
struct JsonFile {
    name: String,
    value: Value,
}

fn read_file(dir: &Path, name: &str) -> Result<ExportFile, ImportError> {
    let path = dir.join(name);
    let bytes = read_bytes(&path, DEFAULT_SIZE_LIMIT)?;
    Ok(ExportFile {
        name: path.display().to_string(),
        bytes,
    })
}

fn read_json(src: Source, name: &str) -> Result<JsonFile, ImportError> {
    parse_json(src(name)?)
}

/// A file of the export read as JSON; a syntax error names the file, line and column.
fn parse_json(ExportFile { name, bytes }: ExportFile) -> Result<JsonFile, ImportError> {
    let value = serde_json::from_slice(&bytes).map_err(|e| ImportError::Json {
        file: name.clone(),
        line: e.line(),
        col: e.column(),
        message: e.to_string(),
    })?;
    Ok(JsonFile { name, value })
}

/// The file and place (`feature 3 (id …)`, `metrics[2]`) that a problem is reported at.
struct Ctx<'a> {
    file: &'a str,
    place: String,
}

impl Ctx<'_> {
    fn err(&self, message: impl Into<String>) -> ImportError {
        ImportError::Feature {
            file: self.file.to_string(),
            place: self.place.clone(),
            message: message.into(),
        }
    }
}

/// Imports an export folder into a validated snapshot.
pub fn import_dir(dir: &Path, crs: ImportCrs) -> Result<Snapshot, ImportError> {
    import_from(
        &|name| read_file(dir, name),
        &dir.display().to_string(),
        crs,
    )
}

/// Imports an export held in memory: `files` pairs each file name (`district.geojson`, …)
/// with its bytes; a name that is missing is reported as a missing file. The fuzz target
/// calls this.
pub fn import_bytes(files: &[(&str, &[u8])], crs: ImportCrs) -> Result<Snapshot, ImportError> {
    import_from(&in_memory(files), "memory", crs)
}

/// An export held in memory as a [`Source`]: a name not among `files` is a missing file.
fn in_memory<'a>(
    files: &'a [(&'a str, &'a [u8])],
) -> impl Fn(&str) -> Result<ExportFile, ImportError> + 'a {
    move |name: &str| {
        files
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, b)| ExportFile {
                name: n.to_string(),
                bytes: b.to_vec(),
            })
            .ok_or_else(|| ImportError::Io {
                file: name.to_string(),
                source: std::io::ErrorKind::NotFound.into(),
            })
    }
}

fn import_from(src: Source, origin: &str, crs: ImportCrs) -> Result<Snapshot, ImportError> {
    let mut regions = geojson::regions(src, "district.geojson", Level::District, crs)?;
    regions.extend(geojson::regions(
        src,
        "streets.geojson",
        Level::Street,
        crs,
    )?);
    regions.extend(geojson::regions(
        src,
        "communities.geojson",
        Level::Community,
        crs,
    )?);
    let buildings = geojson::buildings(src, crs)?;
    let grids = governance::grids(src, crs)?;
    let communities: Vec<&crate::snapshot::Region> = regions
        .iter()
        .filter(|r| r.level == Level::Community)
        .collect();
    let places = governance::places(src, crs, &grids, &communities)?;
    let cases = governance::cases(src, crs, &grids, &communities)?;
    let metrics_file = metrics::read(src)?;
    let snapshot = Snapshot {
        schema: SCHEMA_VERSION,
        exported_at: metrics_file.exported_at.unwrap_or_else(now_iso),
        source: format!("citygrid import {origin}"),
        crs: match crs {
            ImportCrs::Cgcs2000 => Crs::Cgcs2000,
            ImportCrs::Wgs84 | ImportCrs::Gcj02 => Crs::Wgs84,
        },
        demo: false,
        regions,
        buildings,
        departments: metrics_file.departments,
        metrics: metrics_file.metrics,
        ring: None,
        grids,
        cases,
        places,
        participation: Vec::new(),
        stories: Vec::new(),
    };
    let report = validate(&snapshot);
    if report.has_errors() {
        return Err(ImportError::Invalid(report));
    }
    Ok(snapshot)
}

fn now_iso() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let day = crate::generate::metrics::date_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!("{day}T{:02}:{:02}:{:02}Z", s / 3600, s % 3600 / 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_errors_keep_the_importers_messages() {
        let too_large = ImportError::from(ReadError::TooLarge {
            file: "x/buildings.geojson".into(),
            size: 600 * 1024 * 1024,
            limit: DEFAULT_SIZE_LIMIT,
        });
        assert_eq!(
            too_large.to_string(),
            "x/buildings.geojson: file: 629145600 bytes is over the 512 MiB limit"
        );
        let missing = import_bytes(&[], ImportCrs::Wgs84)
            .err()
            .map(|e| e.to_string());
        assert!(
            missing.is_some_and(|m| m.starts_with("district.geojson: cannot read: ")),
            "a missing file is named"
        );
    }
}
