//! The snapshot file format, schema v2: serde types for the RON export of a city command center
//! (v2 adds the optional governance tables of `governance`; v1 files load unchanged).
//!
//! Tables are flat and id-keyed like a database export. Every optional field has a serde
//! default so that older or hand-written files stay short; `docs/snapshot-format.md` is the
//! reference for curators and the command center's exporters.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::governance::{Case, Grid, Participation, Place, Story};

/// The schema version this build writes (and the newest it reads).
pub const SCHEMA_VERSION: u32 = 2;

/// The oldest schema version this build reads: v1 files are v2 files without the governance
/// tables.
pub const OLDEST_SCHEMA_VERSION: u32 = 1;

/// Whether this build reads files of schema version `v`.
pub fn schema_supported(v: u32) -> bool {
    (OLDEST_SCHEMA_VERSION..=SCHEMA_VERSION).contains(&v)
}

/// A point as written in the file: (x, y) = (longitude, latitude) in degrees for the
/// geographic reference systems, (east, north) in metres for [`Crs::Metres`].
pub type Point = (f64, f64);

/// One complete export of the command center.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Schema version of the file; this build reads 1 and 2 and writes [`SCHEMA_VERSION`].
    pub schema: u32,
    /// When the command center exported the data (ISO 8601, e.g. `2026-11-27T18:00:00+08:00`).
    pub exported_at: String,
    /// Who exported it (system name, department).
    pub source: String,
    /// The coordinate reference system of every point in the file.
    pub crs: Crs,
    /// Synthetic data: the exhibit shows a "demo data" badge while this is set.
    #[serde(default)]
    pub demo: bool,
    pub regions: Vec<Region>,
    #[serde(default)]
    pub buildings: Vec<Building>,
    #[serde(default)]
    pub departments: Vec<Department>,
    #[serde(default)]
    pub metrics: Vec<Metric>,
    /// Placement of the panoramic ring's widgets; automatic when absent.
    #[serde(default)]
    pub ring: Option<RingLayout>,
    /// v2: grids (网格) under the communities; they tile their community.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grids: Vec<Grid>,
    /// v2: cases (事件) from report to closure.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<Case>,
    /// v2: service stations, social organizations' venues, party-member service points.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<Place>,
    /// v2: participation figures, at most one row per community.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participation: Vec<Participation>,
    /// v2: curator-authored stories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stories: Vec<Story>,
}

/// Coordinate reference systems a snapshot may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Crs {
    /// WGS 84 longitude/latitude in degrees (EPSG:4326).
    Wgs84,
    /// China Geodetic Coordinate System 2000 longitude/latitude in degrees (EPSG:4490).
    Cgcs2000,
    /// GCJ-02 ("Mars coordinates") longitude/latitude in degrees, as used by Chinese web maps.
    Gcj02,
    /// A projected system in metres (east, north).
    Metres,
}

impl Crs {
    /// True for the longitude/latitude systems.
    pub fn is_geographic(self) -> bool {
        !matches!(self, Crs::Metres)
    }
}

/// Administrative level of a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Level {
    /// 区 — the district, root of the hierarchy.
    District,
    /// 街道 — a subdistrict.
    Street,
    /// 社区 — a community (residents' committee).
    Community,
}

impl Level {
    /// The level whose regions have this level as parent.
    pub fn child(self) -> Option<Level> {
        match self {
            Level::District => Some(Level::Street),
            Level::Street => Some(Level::Community),
            Level::Community => None,
        }
    }
}

/// A polygon: one exterior ring and any number of holes. Rings are closed as in GeoJSON: the
/// last point repeats the first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Polygon {
    pub exterior: Vec<Point>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holes: Vec<Vec<Point>>,
}

/// Figures a region or building carries (official statistics for regions).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Number of residential buildings.
    pub residential_buildings: i64,
    /// Total floor area of residential buildings, m².
    pub floor_area_m2: f64,
    pub residents: i64,
    pub households: i64,
}

/// A district, subdistrict or community.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Region {
    /// Statistical division code: 6 digits district, +3 subdistrict, +3 community.
    pub id: String,
    /// The parent region's id; `None` only for the district.
    #[serde(default)]
    pub parent: Option<String>,
    pub level: Level,
    /// Chinese name.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// Outline as a multipolygon.
    pub outline: Vec<Polygon>,
    /// Official figures; when absent the exhibit shows the sums of the region's buildings.
    #[serde(default)]
    pub figures: Option<Figures>,
}

/// What a building is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BuildingUse {
    Residential,
    /// Shops below, flats above; counts as residential.
    Mixed,
    Commercial,
    Office,
    /// Schools, clinics, community centres.
    Public,
    Industrial,
}

impl BuildingUse {
    /// Whether the building counts towards residential figures.
    pub fn is_residential(self) -> bool {
        matches!(self, BuildingUse::Residential | BuildingUse::Mixed)
    }
}

/// One building.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Building {
    /// The community code plus 4 digits.
    pub id: String,
    pub community: String,
    /// Street address or local name shown on the building card, in Chinese.
    #[serde(default)]
    pub name: String,
    /// The same in English.
    #[serde(default)]
    pub name_en: String,
    pub footprint: Polygon,
    pub floors: i64,
    #[serde(rename = "use")]
    pub usage: BuildingUse,
    pub floor_area_m2: f64,
    #[serde(default)]
    pub residents: i64,
    #[serde(default)]
    pub households: i64,
    #[serde(default)]
    pub year_built: Option<i32>,
    /// Owners of record (personal data: masked on screen unless configured otherwise).
    #[serde(default)]
    pub owners: Names,
    /// v2: id of the grid the building belongs to (a grid of the building's community).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid: Option<String>,
    /// Optional figures per floor (the 3D map's floor stack, issue 17): counts only, never
    /// unit-level or personal data. Floors without an entry have no figures of their own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub floor_detail: Vec<FloorFigures>,
}

/// One floor's figures (counts only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FloorFigures {
    /// The floor, 1 (ground floor, as counted in China: 一层) … the building's `floors`.
    pub floor: i64,
    /// Households living on the floor.
    #[serde(default)]
    pub households: i64,
    /// Residents living on the floor.
    #[serde(default)]
    pub residents: i64,
    /// Dwellings standing empty on the floor.
    #[serde(default)]
    pub vacant_units: i64,
}

/// A list of short strings kept in one allocation; in the file, a plain list of strings.
///
/// A big export's 440,000 owner names as `Vec<String>` are 440,000 allocations, ~25 MiB;
/// packed like this they take ~6 MiB.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Names {
    text: String,
    /// Where each name ends in `text`.
    ends: Vec<u32>,
}

impl Names {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..end)
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get(i).unwrap_or_default())
    }

    /// Appends a name. A list is limited to 4 GiB of text; beyond that names are dropped
    /// (no snapshot comes near: the file limit is far lower).
    pub fn push(&mut self, name: &str) {
        let end = self.text.len() + name.len();
        if let Ok(end) = u32::try_from(end) {
            self.text.push_str(name);
            self.ends.push(end);
        }
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

impl<S: AsRef<str>> FromIterator<S> for Names {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut out = Names::default();
        for s in iter {
            out.push(s.as_ref());
        }
        out.shrink_to_fit();
        out
    }
}

impl std::fmt::Debug for Names {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Names {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Names;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of names")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Names, A::Error> {
                let mut out = Names::default();
                while seq.next_element_seed(PushName(&mut out))?.is_some() {}
                out.shrink_to_fit();
                Ok(out)
            }
        }
        /// Reads one name straight into the list, without a `String` of its own.
        struct PushName<'a>(&'a mut Names);
        impl<'de> serde::de::DeserializeSeed<'de> for PushName<'_> {
            type Value = ();
            fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
                d.deserialize_str(self)
            }
        }
        impl<'de> serde::de::Visitor<'de> for PushName<'_> {
            type Value = ();
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a name (a string)")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
                self.0.push(v);
                Ok(())
            }
        }
        deserializer.deserialize_seq(Visitor)
    }
}

/// A department of the command center, with its color on the ring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Department {
    pub id: String,
    pub name: String,
    pub name_en: String,
    /// `#rrggbb`.
    pub color: String,
}

/// How a metric's values are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MetricKind {
    /// Whole things: cases, inspections, vehicles. Children add up to their parent.
    Count,
    /// A share in percent (0–100).
    Percent,
    /// A score or index without unit arithmetic.
    Index,
    /// A measured amount (tonnes, µg/m³, minutes…).
    Amount,
}

/// One indicator of one department.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    pub id: String,
    pub department: String,
    /// Grouping within the department (the command center's data category).
    #[serde(default)]
    pub category: String,
    pub name: String,
    pub name_en: String,
    /// Unit in Chinese (起, 件, %, 辆…), may be empty.
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub unit_en: String,
    pub kind: MetricKind,
    /// Dated series for the whole district, oldest first: (`YYYY-MM-DD`, value).
    #[serde(default)]
    pub series: Vec<(String, f64)>,
    /// Latest value per region id.
    #[serde(default)]
    pub by_region: BTreeMap<String, f64>,
    /// Daily values per region id, aligned with the dates of `series` (optional; feeds the
    /// ring's region × day heat strips).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub series_by_region: BTreeMap<String, Vec<f64>>,
    /// Target value, e.g. for a gauge.
    #[serde(default)]
    pub target: Option<f64>,
}

/// Widget kinds of the panoramic ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WidgetKind {
    Kpi,
    Sparkline,
    Bars,
    Donut,
    Gauge,
    Ranking,
    HeatStrip,
    Ticker,
    /// A department's cases (事件) from report to closure in the selected region or grid:
    /// counts per lifecycle stage, closure rate, average handling time, overdue. In a
    /// snapshot's own layout its `metric` names the department's id.
    CaseFlow,
    /// Residents and organizations taking part (互联社区 platform members, households
    /// reached, social organizations, service items) in the selected region. In a
    /// snapshot's own layout its `metric` names the department whose sector holds it.
    Participation,
}

impl WidgetKind {
    /// Whether the widget shows governance tables (cases, participation) rather than a
    /// metric.
    pub fn is_governance(self) -> bool {
        matches!(self, WidgetKind::CaseFlow | WidgetKind::Participation)
    }
}

/// The most widgets the ring shows when a snapshot has no layout of its own: 3 rows of 32
/// columns, each about 9° of the 301° ring.
pub const MAX_AUTO_WIDGETS: usize = 96;
/// The most departments the ring shows when a snapshot has no layout of its own.
pub const MAX_AUTO_DEPARTMENTS: usize = 32;

/// A hand-made placement of the ring's widgets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RingLayout {
    /// Angular span of the ring screen, degrees (the hall's is 301).
    pub span_deg: f64,
    /// Rows of widgets, top to bottom.
    #[serde(default = "default_rows")]
    pub rows: u32,
    pub widgets: Vec<RingWidget>,
}

fn default_rows() -> u32 {
    2
}

/// One widget on the ring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RingWidget {
    pub kind: WidgetKind,
    /// The metric's id; for `CaseFlow` and `Participation`, a department's id.
    pub metric: String,
    /// Start angle, degrees from the left edge of the span.
    pub angle_deg: f64,
    pub width_deg: f64,
    /// Row, 0 at the top.
    #[serde(default)]
    pub row: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_and_write_as_a_plain_list() {
        let names: Names = ron::from_str(r#"["王建国", "Li \"Lei\"", "", "赵\u{4e00}"]"#)
            .expect("a list of strings");
        assert_eq!(names.len(), 4);
        let all: Vec<&str> = names.iter().collect();
        assert_eq!(all, ["王建国", "Li \"Lei\"", "", "赵一"]);
        assert_eq!(names.get(4), None);
        let again: Names = ron::from_str(&ron::to_string(&names).expect("encodes")).expect("reads");
        assert_eq!(again, names);
        assert_eq!(
            format!("{names:?}"),
            r#"["王建国", "Li \"Lei\"", "", "赵一"]"#
        );
    }

    #[test]
    fn names_refuse_what_is_not_a_list_of_strings() {
        for bad in ["[1, 2]", r#""王建国""#, "[[\"a\"]]"] {
            assert!(ron::from_str::<Names>(bad).is_err(), "{bad}");
        }
    }
}
