//! `citygrid import DIR`: a GIS export — `district.geojson`, `streets.geojson`,
//! `communities.geojson`, `buildings.geojson` (RFC 7946 FeatureCollections of Polygons or
//! MultiPolygons) and `metrics.json`, and when there the governance files `grids.geojson`,
//! `places.geojson` and `cases.csv` — turned into a snapshot. GCJ-02 coordinates are
//! converted to WGS 84. Every problem names its file and feature; nothing is written unless
//! the whole import is valid (see `docs/import-format.md`).

mod archive;
mod coverage;
mod crs;
mod example;
mod geojson;
mod governance;
mod mapping;
mod metrics;
mod number;
mod shapefile;
mod snap_index;
mod table;
mod wkt;

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::snapshot::{
    Crs, DEFAULT_SIZE_LIMIT, Level, ReadError, Report, SCHEMA_VERSION, Snapshot, read_bytes,
    validate,
};

pub use archive::import_zip;
pub use coverage::DEFAULT_SNAP_M;
pub use crs::{ImportCrs, SUPPORTED as SUPPORTED_CRS};
pub use example::{example_snapshot, export_dir};
pub use mapping::{MAPPING_FILE, Mapping, ProposeError, parse_mapping, propose_mapping};
pub use shapefile::encoding_named;

/// What an import noticed and did that its user should know: the coordinate system and
/// text encoding each file was read in, and what was repaired (e.g. repeated vertices
/// dropped), one line each, naming the file.
#[derive(Debug, Default)]
pub struct Notes(RefCell<Vec<String>>);

impl Notes {
    pub(crate) fn add(&self, line: String) {
        self.0.borrow_mut().push(line);
    }

    /// The lines, in the order they were noticed.
    pub fn into_lines(self) -> Vec<String> {
        self.0.into_inner()
    }
}

/// How an export is read: the coordinate system given with `--crs` (over what each file
/// declares; `None`: each file's declaration, else WGS 84), the text encoding of the
/// Shapefiles' attribute tables given with `--encoding` (over their `.cpg`; `None`: the
/// `.cpg`, else UTF-8, else GBK) and the mapping file given with `--mapping` (over the
/// export's own `mapping.ron`; `None`: that, else no mapping); `snap`, from `--snap`, the
/// tolerance in m within which neighbouring regions' outlines are snapped together (`None`:
/// not snapped; slivers and gaps are reported either way).
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub crs: Option<ImportCrs>,
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub mapping: Option<PathBuf>,
    pub snap: Option<f64>,
}

impl From<Option<ImportCrs>> for ImportOptions {
    fn from(crs: Option<ImportCrs>) -> Self {
        Self {
            crs,
            ..Self::default()
        }
    }
}

/// A valid snapshot made from an export, and what the import noticed on the way.
#[derive(Debug)]
pub struct Imported {
    pub snapshot: Snapshot,
    pub notes: Vec<String>,
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

/// An export being read: where its files come from, the coordinate system given with
/// `--crs` (`None`: each file's own declaration, else WGS 84) and the notes so far.
struct Export<'a> {
    src: Source<'a>,
    crs: Option<ImportCrs>,
    encoding: Option<&'static encoding_rs::Encoding>,
    /// The mapping file (empty until read).
    mapping: mapping::Mapping,
    notes: Notes,
}

impl<'a> Export<'a> {
    /// An export read from `src` in each file's declared system and encoding, no mapping.
    fn new(src: Source<'a>) -> Self {
        Export {
            src,
            crs: None,
            encoding: None,
            mapping: mapping::Mapping::default(),
            notes: Notes::default(),
        }
    }

    /// The file's bytes, or `None` when the export has no such file.
    fn optional(&self, name: &str) -> Result<Option<ExportFile>, ImportError> {
        match (self.src)(name) {
            Ok(f) => Ok(Some(f)),
            Err(ImportError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// A JSON file of the export; for a layer (`streets.geojson`) its Shapefile
    /// (`streets.shp`, …) where there is no GeoJSON.
    fn json(&self, name: &str) -> Result<JsonFile, ImportError> {
        match self.optional_json(name)? {
            Some(f) => Ok(f),
            None => Err(ImportError::Io {
                file: self.name_of(name),
                source: match name.strip_suffix(".geojson") {
                    Some(stem) => std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        format!("not found, nor {stem}.shp"),
                    ),
                    None => std::io::ErrorKind::NotFound.into(),
                },
            }),
        }
    }

    /// As [`Export::json`], `None` when the export has neither.
    /// A layer's properties are renamed as the mapping's `properties` say.
    fn optional_json(&self, name: &str) -> Result<Option<JsonFile>, ImportError> {
        let mut found = match self.optional(name)? {
            Some(f) => Some(self.parse_json(f)?),
            None => match name.strip_suffix(".geojson") {
                Some(stem) => shapefile::layer(self, stem)?,
                None => None,
            },
        };
        if let Some(f) = found.as_mut().filter(|_| name.ends_with(".geojson")) {
            self.mapping.rename_properties(&mut f.value);
        }
        Ok(found)
    }

    /// The name a missing file is reported by (its path for a folder).
    fn name_of(&self, name: &str) -> String {
        match (self.src)(name) {
            Err(ImportError::Io { file, .. }) => file,
            _ => name.to_string(),
        }
    }

    /// A file of the export as text: UTF-8 without a byte-order mark (one is dropped), or
    /// GBK/GB18030 where the bytes are not UTF-8 but decode as that (noted). Errors: text
    /// that is neither, naming the first bad byte's line and column.
    fn text(
        &self,
        ExportFile { name, bytes }: ExportFile,
    ) -> Result<(String, String), ImportError> {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        match crate::snapshot::read::utf8(&name, body) {
            Ok(text) => Ok((name, text.to_string())),
            Err(not_utf8) => {
                match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(body)
                {
                    Some(text) => {
                        let sample: String =
                            text.chars().filter(|c| !c.is_ascii()).take(12).collect();
                        self.notes.add(format!(
                            "{name}: not UTF-8; read as GBK (GB18030), its first non-ASCII text \
                             \"{sample}\" — if that is not legible, the file is in another \
                             encoding: save it as UTF-8"
                        ));
                        Ok((name, text.into_owned()))
                    }
                    None => {
                        let mut e = ImportError::from(not_utf8);
                        if let ImportError::Json { message, .. } = &mut e {
                            message.push_str(", nor GBK: save the file as UTF-8");
                        }
                        Err(e)
                    }
                }
            }
        }
    }

    /// A file of the export read as JSON (see [`Export::text`]); a syntax error names the
    /// file, line and column.
    fn parse_json(&self, file: ExportFile) -> Result<JsonFile, ImportError> {
        let (name, text) = self.text(file)?;
        let value = serde_json::from_str(&text).map_err(|e| ImportError::Json {
            file: name.clone(),
            line: e.line(),
            col: e.column(),
            message: e.to_string(),
        })?;
        Ok(JsonFile { name, value })
    }

    /// How positions of `file` (JSON `v`; `Value::Null` for a table) are read.
    fn coords(&self, file: &str, v: &Value) -> Result<crs::Coords<'_>, ImportError> {
        crs::Coords::for_file(file, v, self.crs, &self.notes)
    }
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

/// Imports an export folder into a validated snapshot. `crs` (from `--crs`) overrides what
/// each file declares; `None` reads each file in its declared system, else WGS 84.
pub fn import_dir(dir: &Path, options: impl Into<ImportOptions>) -> Result<Imported, ImportError> {
    import_from(
        &|name| read_file(dir, name),
        &dir.display().to_string(),
        options.into(),
    )
}

/// Imports an export held in memory: `files` pairs each file name (`district.geojson`, …)
/// with its bytes; a name that is missing is reported as a missing file. The fuzz target
/// calls this.
pub fn import_bytes(
    files: &[(&str, &[u8])],
    options: impl Into<ImportOptions>,
) -> Result<Imported, ImportError> {
    import_from(&in_memory(files), "memory", options.into())
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

fn import_from(
    src: Source,
    origin: &str,
    ImportOptions {
        crs,
        encoding,
        mapping: mapping_file,
        snap,
    }: ImportOptions,
) -> Result<Imported, ImportError> {
    let mut ex = Export {
        crs,
        encoding,
        ..Export::new(src)
    };
    let given = match &mapping_file {
        Some(path) => Some(ExportFile {
            name: path.display().to_string(),
            bytes: read_bytes(path, DEFAULT_SIZE_LIMIT)?,
        }),
        None => None,
    };
    ex.mapping = mapping::read(&ex, given)?;
    let mut regions = geojson::regions(&ex, "district.geojson", Level::District)?;
    regions.extend(geojson::regions(&ex, "streets.geojson", Level::Street)?);
    regions.extend(geojson::regions(
        &ex,
        "communities.geojson",
        Level::Community,
    )?);
    if let Some(tolerance) = snap {
        let (moved, inserted, kept) = coverage::snap(&mut regions, tolerance);
        ex.notes.add(format!(
            "--snap {tolerance} m: {moved} vertices moved onto a neighbour's or the parent's \
             boundary, {inserted} inserted{}",
            match kept {
                0 => String::new(),
                n => format!(
                    "; {n} ring(s) left as they were, since snapping made them cross themselves"
                ),
            }
        ));
    }
    coverage::check(
        &regions,
        snap.unwrap_or(coverage::DEFAULT_SNAP_M),
        snap.is_some(),
        &ex.notes,
    );
    let mut buildings = geojson::buildings(&ex)?;
    mapping::apply_figures(&ex, &ex.mapping, &mut regions, &mut buildings)?;
    let grids = governance::grids(&ex)?;
    let communities: Vec<&crate::snapshot::Region> = regions
        .iter()
        .filter(|r| r.level == Level::Community)
        .collect();
    let places = governance::places(&ex, &grids, &communities)?;
    let cases = governance::cases(&ex, &grids, &communities)?;
    let mut metrics_file = metrics::read(
        &ex,
        ex.mapping.metrics_json.as_ref(),
        !ex.mapping.departments.is_empty(),
        &regions,
    )?;
    mapping::apply_metric_tables(
        &ex,
        &ex.mapping,
        &regions,
        &mut metrics_file.departments,
        &mut metrics_file.metrics,
    )?;
    let snapshot = Snapshot {
        schema: SCHEMA_VERSION,
        exported_at: metrics_file.exported_at.unwrap_or_else(now_iso),
        source: format!("citygrid import {origin}"),
        // Every position was converted to WGS 84 longitude/latitude; a CGCS2000 export
        // (within centimetres of it) keeps its name.
        crs: match crs {
            Some(ImportCrs::Cgcs2000 | ImportCrs::GaussKruger { .. }) => Crs::Cgcs2000,
            _ => Crs::Wgs84,
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
    Ok(Imported {
        snapshot,
        notes: ex.notes.into_lines(),
    })
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
        let missing = import_bytes(&[], None).err().map(|e| e.to_string());
        assert!(
            missing.is_some_and(|m| m.starts_with("district.geojson: cannot read: ")),
            "a missing file is named"
        );
    }
}
