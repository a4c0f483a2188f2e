//! Coordinate systems of an export: which one a file is in (its GeoJSON `crs` member, or
//! `--crs`), and positions brought to WGS 84 longitude/latitude in degrees. Projected
//! systems go through `proj4rs` (the proj strings below are EPSG's definitions); GCJ-02 and
//! BD-09 have no EPSG code and use their published formulas (`geo::gcj02`). Positions that
//! are clearly not what was declared — metres given as degrees, latitude and longitude
//! swapped, far outside China — are refused with a hint.

use std::cell::Cell;

use proj4rs::Proj;
use serde_json::Value;

use super::{ImportError, Notes};
use crate::geo::gcj02;

/// The coordinate system an export's positions are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportCrs {
    /// EPSG:4326 (also CRS84, RFC 7946's default): longitude, latitude in degrees.
    Wgs84,
    /// EPSG:4490, CGCS2000 geographic, degrees (within centimetres of WGS 84).
    Cgcs2000,
    /// GCJ-02, the shifted system of Chinese web maps (Amap, Tencent; no EPSG code).
    Gcj02,
    /// BD-09, Baidu's system over GCJ-02 (no EPSG code).
    Bd09,
    /// EPSG:3857 Web Mercator (also 900913, 3785, ESRI 102100), metres.
    WebMercator,
    /// CGCS2000 3-degree Gauss–Krüger, metres: EPSG:4513–4533 (zones 25–45, eastings
    /// prefixed by the zone number) and EPSG:4534–4554 (central meridians 75°E–135°E, no
    /// prefix). Qingdao lies in zone 40 (120°E): EPSG:4528 or 4549.
    GaussKruger { epsg: u16 },
}

/// What `--crs` and a `crs` member may name (for messages).
pub const SUPPORTED: &str = "wgs84 (EPSG:4326, CRS84), cgcs2000 (EPSG:4490), gcj02, bd09, \
     EPSG:3857 (Web Mercator), EPSG:4513–4554 (CGCS2000 3-degree Gauss–Krüger)";

impl ImportCrs {
    /// Reads a name as `--crs` takes it or as GeoJSON's legacy `crs` member and `.prj`
    /// tools write it: `wgs84`, `gcj02`, `EPSG:4528`, `urn:ogc:def:crs:EPSG::3857`,
    /// `urn:ogc:def:crs:OGC:1.3:CRS84`, `http://www.opengis.net/def/crs/EPSG/0/4490`.
    /// Errors: the name is not one of [`SUPPORTED`].
    pub fn parse(name: &str) -> Result<Self, String> {
        let n = name.trim().to_ascii_lowercase();
        let named = match n.as_str() {
            "wgs84"
            | "wgs 84"
            | "crs84"
            | "ogc:crs84"
            | "urn:ogc:def:crs:ogc:1.3:crs84"
            | "urn:ogc:def:crs:ogc::crs84" => Some(Self::Wgs84),
            "cgcs2000" => Some(Self::Cgcs2000),
            "gcj02" | "gcj-02" => Some(Self::Gcj02),
            "bd09" | "bd-09" => Some(Self::Bd09),
            "webmercator" | "web mercator" => Some(Self::WebMercator),
            _ => None,
        };
        if let Some(crs) = named {
            return Ok(crs);
        }
        let code = n
            .contains("epsg")
            .then(|| n.rsplit([':', '/']).next())
            .flatten()
            .and_then(|c| c.parse::<u32>().ok())
            .or_else(|| n.parse::<u32>().ok());
        let unsupported = || format!("{name:?} is not a supported coordinate system ({SUPPORTED})");
        match code {
            Some(4326) => Ok(Self::Wgs84),
            Some(4490) => Ok(Self::Cgcs2000),
            Some(3857 | 900_913 | 3785 | 102_100) => Ok(Self::WebMercator),
            Some(c @ 4513..=4554) => Ok(Self::GaussKruger { epsg: c as u16 }),
            _ => Err(unsupported()),
        }
    }

    /// The system as a report names it: `EPSG:4528 (CGCS2000 / 3-degree Gauss–Krüger zone 40)`.
    pub fn label(&self) -> String {
        match *self {
            Self::Wgs84 => "WGS 84 (EPSG:4326)".into(),
            Self::Cgcs2000 => "CGCS2000 (EPSG:4490)".into(),
            Self::Gcj02 => "GCJ-02".into(),
            Self::Bd09 => "BD-09".into(),
            Self::WebMercator => "EPSG:3857 (Web Mercator)".into(),
            Self::GaussKruger { epsg } => {
                let (cm, prefix) = gauss_kruger(epsg);
                match prefix {
                    Some(zone) => format!(
                        "EPSG:{epsg} (CGCS2000 / 3-degree Gauss–Krüger zone {zone}, {cm}°E)"
                    ),
                    None => format!("EPSG:{epsg} (CGCS2000 / 3-degree Gauss–Krüger CM {cm}°E)"),
                }
            }
        }
    }

    /// The system's name as [`ImportCrs::parse`] reads it back (`EPSG:4549`, `gcj02`).
    pub fn code(&self) -> String {
        match *self {
            Self::Wgs84 => "EPSG:4326".into(),
            Self::Cgcs2000 => "EPSG:4490".into(),
            Self::Gcj02 => "gcj02".into(),
            Self::Bd09 => "bd09".into(),
            Self::WebMercator => "EPSG:3857".into(),
            Self::GaussKruger { epsg } => format!("EPSG:{epsg}"),
        }
    }

    /// Whether positions are metres (projected) rather than degrees.
    pub fn is_projected(&self) -> bool {
        matches!(self, Self::WebMercator | Self::GaussKruger { .. })
    }

    /// The EPSG proj string of a projected system (`None` for degrees).
    fn proj_string(&self) -> Option<String> {
        match *self {
            Self::WebMercator => Some(
                "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 \
                 +units=m +no_defs"
                    .into(),
            ),
            Self::GaussKruger { epsg } => {
                let (cm, prefix) = gauss_kruger(epsg);
                let x0 = prefix.map_or(0, |zone| zone as u64 * 1_000_000) + 500_000;
                Some(format!(
                    "+proj=tmerc +lat_0=0 +lon_0={cm} +k=1 +x_0={x0} +y_0=0 +ellps=GRS80 \
                     +units=m +no_defs"
                ))
            }
            _ => None,
        }
    }
}

/// Central meridian (degrees east) and zone prefix of a CGCS2000 3-degree Gauss–Krüger
/// code (EPSG:4513–4533 zones 25–45 with the prefix, 4534–4554 without).
fn gauss_kruger(epsg: u16) -> (u16, Option<u16>) {
    if epsg <= 4533 {
        let zone = 25 + epsg.saturating_sub(4513);
        (zone * 3, Some(zone))
    } else {
        (75 + 3 * epsg.saturating_sub(4534), None)
    }
}

/// The legacy `crs` member of a GeoJSON file (GeoJSON 2008; RFC 7946 dropped it, GIS tools
/// still write it): `{"type": "name", "properties": {"name": "EPSG:3857"}}` or
/// `{"type": "EPSG", "properties": {"code": 3857}}`. `None` when absent. Errors: a member
/// that names no system, or one not [`SUPPORTED`] — never silently taken as WGS 84.
pub(super) fn declared(file: &str, v: &Value) -> Result<Option<ImportCrs>, ImportError> {
    let err = |message: String| ImportError::Feature {
        file: file.to_string(),
        place: "`crs` member".into(),
        message,
    };
    let Some(member) = v.get("crs").filter(|c| !c.is_null()) else {
        return Ok(None);
    };
    let props = member.get("properties");
    let name = props
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            props
                .and_then(|p| p.get("code"))
                .and_then(Value::as_u64)
                .map(|c| format!("EPSG:{c}"))
        })
        .ok_or_else(|| err(format!("names no coordinate system: {member}")))?;
    ImportCrs::parse(&name).map(Some).map_err(err)
}

/// Whether a file's `crs` member was made from a Shapefile's `.prj` (`shapefile::layer`
/// marks it so), for the report.
fn from_prj(v: &Value) -> bool {
    v.pointer("/crs/properties/from_prj")
        .and_then(Value::as_bool)
        == Some(true)
}

/// China's extent with a margin, longitude and latitude in degrees: positions outside it
/// are refused as a coordinate-system mistake.
const CHINA: ([f64; 2], [f64; 2]) = ([72.0, 136.0], [3.0, 54.0]);

fn in_china(lon: f64, lat: f64) -> bool {
    (CHINA.0[0]..=CHINA.0[1]).contains(&lon) && (CHINA.1[0]..=CHINA.1[1]).contains(&lat)
}

/// How one file's positions are read: its system, the projection built once for it, and
/// the consecutive repeated vertices dropped (reported when it is done with).
pub(super) struct Coords<'a> {
    crs: ImportCrs,
    proj: Option<(Proj, Proj)>,
    file: String,
    notes: &'a Notes,
    dropped: Cell<usize>,
    first_drop: std::cell::RefCell<Option<String>>,
}

impl<'a> Coords<'a> {
    /// The reader for `file` (whose JSON is `v`, `Value::Null` for a CSV): `given` (from
    /// `--crs`) when there is one, else the file's declared `crs` member, else WGS 84.
    /// A declaration overridden by `--crs`, and any system other than WGS 84, goes into
    /// the notes.
    pub(super) fn for_file(
        file: &str,
        v: &Value,
        given: Option<ImportCrs>,
        notes: &'a Notes,
    ) -> Result<Self, ImportError> {
        let declared = declared(file, v)?;
        let crs = given.or(declared).unwrap_or(ImportCrs::Wgs84);
        match (given, declared) {
            (Some(g), Some(d)) if g != d => notes.add(format!(
                "{file}: declares {} but --crs {} was given and used",
                d.label(),
                g.label()
            )),
            _ if crs != ImportCrs::Wgs84 => notes.add(format!(
                "{file}: positions in {}{}, converted to WGS 84",
                crs.label(),
                if declared.is_some() && given.is_none() {
                    if from_prj(v) {
                        " (its .prj)"
                    } else {
                        " (its `crs` member)"
                    }
                } else {
                    ""
                }
            )),
            _ => {}
        }
        let proj = match crs.proj_string() {
            None => None,
            Some(def) => {
                let build = |d: &str| {
                    Proj::from_proj_string(d).map_err(|e| ImportError::Feature {
                        file: file.to_string(),
                        place: "coordinate system".into(),
                        message: format!("{}: {e}", crs.label()),
                    })
                };
                Some((build(&def)?, build("+proj=longlat +ellps=WGS84 +no_defs")?))
            }
        };
        Ok(Self {
            crs,
            proj,
            file: file.to_string(),
            notes,
            dropped: Cell::new(0),
            first_drop: Default::default(),
        })
    }

    /// A position of this file as WGS 84 (longitude, latitude) in degrees. Errors (a
    /// message for the caller's place): not numbers, degrees out of range (with a hint when
    /// they look like metres), a projection failure, eastings without or with a zone prefix
    /// the system does not have, swapped axes, or a place far outside China.
    pub(super) fn to_wgs84(&self, x: f64, y: f64) -> Result<(f64, f64), String> {
        if !(x.is_finite() && y.is_finite()) {
            return Err(format!("position ({x}, {y}) is not a pair of numbers"));
        }
        let swapped = || {
            format!(
                "position ({x}, {y}) has latitude and longitude swapped: positions are \
                 [longitude, latitude]"
            )
        };
        let (lon, lat) = match &self.proj {
            None => {
                if !in_china(x, y) && in_china(y, x) {
                    return Err(swapped());
                }
                if !((-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y)) {
                    let hint = if x.abs() > 1000.0 || y.abs() > 1000.0 {
                        "; these look like projected metres: declare the system (a `crs` member \
                         in GeoJSON, a .prj beside a Shapefile) or give --crs (EPSG:4528 or \
                         4549 for CGCS2000 Gauss–Krüger at 120°E, EPSG:3857 for Web Mercator)"
                    } else {
                        ""
                    };
                    return Err(format!(
                        "position ({x}, {y}) is not a longitude/latitude in {}{hint}",
                        self.crs.label()
                    ));
                }
                match self.crs {
                    ImportCrs::Gcj02 => gcj02::to_wgs84(x, y),
                    ImportCrs::Bd09 => {
                        let (gx, gy) = gcj02::bd09_to_gcj02(x, y);
                        gcj02::to_wgs84(gx, gy)
                    }
                    _ => (x, y),
                }
            }
            Some((from, to)) => {
                if let ImportCrs::GaussKruger { epsg } = self.crs {
                    check_prefix(epsg, x, y)?;
                }
                let mut p = (x, y, 0.0);
                proj4rs::transform::transform(from, to, &mut p).map_err(|e| {
                    format!(
                        "position ({x}, {y}) cannot be converted from {}: {e}",
                        self.crs.label()
                    )
                })?;
                (p.0.to_degrees(), p.1.to_degrees())
            }
        };
        if !in_china(lon, lat) {
            return Err(format!(
                "position ({x}, {y}) read as {} lies at ({lon:.4}, {lat:.4}), far outside \
                 China: is the coordinate system right?",
                self.crs.label()
            ));
        }
        Ok((lon, lat))
    }

    /// Counts a repeated vertex dropped at `place` (the first place is reported).
    pub(super) fn dropped_repeat(&self, place: &str) {
        self.dropped.set(self.dropped.get() + 1);
        self.first_drop
            .borrow_mut()
            .get_or_insert_with(|| place.to_string());
    }
}

impl Drop for Coords<'_> {
    fn drop(&mut self) {
        let n = self.dropped.get();
        if n > 0 {
            let first = self.first_drop.borrow().clone().unwrap_or_default();
            self.notes.add(format!(
                "{}: {n} repeated vertex(es) dropped (consecutive duplicates; the first at {first})",
                self.file
            ));
        }
    }
}

/// An easting that does not fit the zone prefix of its system: a hint to the right code,
/// read from the value (its prefix names its zone), or to swapped axes (Chinese surveys
/// write the northing, X, first: 2–6 million metres here).
fn check_prefix(epsg: u16, x: f64, y: f64) -> Result<(), String> {
    let (cm, prefix) = gauss_kruger(epsg);
    let lead = (x / 1_000_000.0).floor() as i64;
    let y_is_easting = y < 1_000_000.0 || (25_000_000.0..46_000_000.0).contains(&y);
    if (2..=6).contains(&lead) && y_is_easting {
        return Err(format!(
            "position ({x}, {y}) looks like northing first (the survey convention X = north): \
             positions are written easting first"
        ));
    }
    let zone_of_value = (25..=45).contains(&lead).then_some(lead as u16);
    match (prefix, zone_of_value) {
        (Some(zone), Some(z)) if z != zone => Err(format!(
            "easting {x} is in zone {z} ({z}xxxxxx m), not EPSG:{epsg}'s zone {zone}: \
             use EPSG:{}",
            4513 + (z - 25)
        )),
        (Some(zone), None) => Err(format!(
            "easting {x} lacks zone {zone}'s prefix ({zone}xxxxxx m) that EPSG:{epsg} has: \
             for eastings without the prefix use EPSG:{}",
            4534 + (cm - 75) / 3
        )),
        (None, Some(z)) => Err(format!(
            "easting {x} carries zone {z}'s prefix, which EPSG:{epsg} does not have: use \
             EPSG:{}",
            4513 + (z - 25)
        )),
        (None, None) if x >= 1_000_000.0 => Err(format!(
            "easting {x} is no 3-degree Gauss–Krüger easting (0–1,000,000 m, or with a zone \
             prefix 25–45)"
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
#[path = "crs_tests.rs"]
mod tests;
