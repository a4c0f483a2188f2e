//! Schema v2's governance tables: grids (网格) under the communities, cases (事件) from
//! report to closure, places where residents are served, participation per community and
//! curator-authored stories. All optional: a v1 file has none and loads unchanged.
//! `docs/snapshot-format.md` is the reference.

use std::fmt;

use serde::{Deserialize, Serialize};

pub use super::lifecycle::{DeadlineTier, Lifecycle, Stage};
use super::model::{Point, Polygon, Snapshot};
use super::time::Time;

/// A grid (网格): the smallest unit of community governance, looked after by one grid
/// worker. Grids tile their community.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grid {
    /// The community code plus 3 digits (`370203005001003`).
    pub id: String,
    /// Id of a region of level `Community`.
    pub community: String,
    /// Chinese name (`科技街社区第3网格`).
    pub name: String,
    /// English name (`Keji Street Community, Grid 3`).
    pub name_en: String,
    /// Outline as a multipolygon, in the snapshot's crs.
    pub outline: Vec<Polygon>,
    /// The grid worker's name: personal data, masked on screen (张**) like owners.
    #[serde(default)]
    pub worker: String,
    /// The grid's party branch (党支部), in Chinese; may be empty.
    #[serde(default)]
    pub party_branch: String,
    /// The same in English.
    #[serde(default)]
    pub party_branch_en: String,
    /// Party-member households (党员中心户) in the grid: a count, never points.
    #[serde(default)]
    pub party_member_households: i64,
    /// Registered volunteers.
    #[serde(default)]
    pub volunteers: i64,
    /// Residents the grid reaches through the online platform (互联社区).
    #[serde(default)]
    pub residents_online: i64,
}

/// Where a case was first reported from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CaseSource {
    /// 网格员巡查 — a grid worker on patrol.
    Patrol,
    /// 12345 热线 — the citizens' hotline.
    Hotline,
    /// 视频监控 — a camera's automatic or operator detection.
    Camera,
    /// 随手拍 — residents' app.
    App,
}

impl CaseSource {
    /// Every source, in file order.
    pub const ALL: [CaseSource; 4] = [Self::Patrol, Self::Hotline, Self::Camera, Self::App];

    /// (Chinese, English) display names.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Self::Patrol => ("网格巡查", "Grid patrol"),
            Self::Hotline => ("12345热线", "12345 hotline"),
            Self::Camera => ("视频监控", "Camera"),
            Self::App => ("居民随手拍", "Residents' app"),
        }
    }
}

/// One city-management case (事件), from report to closure. Carries no personal data about
/// reporters or residents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Unique id as the command center numbers cases (`SB202611030042`).
    pub id: String,
    /// The department handling it (a `departments` id).
    pub department: String,
    /// The command center's category, in Chinese (`占道经营`).
    pub category: String,
    /// The same in English (`Street vending`); may be empty.
    #[serde(default)]
    pub category_en: String,
    pub source: CaseSource,
    /// Where it happened, in the snapshot's crs; must lie inside `region`.
    pub location: Point,
    /// The community or grid the location lies in (a region id or a grid id).
    pub region: String,
    /// The building the case was snapped to, when the command center did so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub building: Option<String>,
    pub lifecycle: Lifecycle,
    pub deadline: DeadlineTier,
    /// Short description in Chinese, without personal data.
    pub description: String,
    /// The same in English.
    pub description_en: String,
}

impl Case {
    /// When the case is due: reported + the tier's hours.
    pub fn due(&self) -> Time {
        self.lifecycle
            .reported_at()
            .plus_hours(self.deadline.hours())
    }

    /// Open (not closed) and past its deadline at `now`.
    pub fn is_overdue(&self, now: Time) -> bool {
        !self.lifecycle.is_closed() && now > self.due()
    }
}

/// Kinds of places where residents are served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PlaceKind {
    /// 社区服务站 / 党群服务中心.
    ServiceStation,
    /// A social organization's venue (社会组织).
    SocialOrganization,
    /// 党员服务点.
    PartyServicePoint,
}

impl PlaceKind {
    /// (Chinese, English) display names.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Self::ServiceStation => ("社区服务站", "Service station"),
            Self::SocialOrganization => ("社会组织", "Social organization"),
            Self::PartyServicePoint => ("党员服务点", "Party-member service point"),
        }
    }
}

/// A place where residents are served.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    /// Unique id.
    pub id: String,
    pub kind: PlaceKind,
    pub name: String,
    pub name_en: String,
    /// Where it is, in the snapshot's crs; must lie inside `region`.
    pub point: Point,
    /// The community or grid it lies in (a region id or a grid id).
    pub region: String,
    /// Short names of the services offered (`助老餐`, `法律咨询`).
    #[serde(default)]
    pub services: Vec<String>,
}

/// How residents of one community take part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participation {
    /// Id of a region of level `Community`.
    pub community: String,
    /// Members of the community's online platform (互联社区).
    pub platform_members: i64,
    /// Households the platform reaches.
    pub households_reached: i64,
    /// Social organizations active in the community.
    pub organizations: i64,
    /// Service items offered to residents.
    pub service_items: i64,
}

/// What a story step puts in focus.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Focus {
    /// A region id (district, subdistrict or community).
    Region(String),
    /// A grid id.
    Grid(String),
    /// A case id.
    Case(String),
    /// A building id.
    Building(String),
}

impl Focus {
    /// The id named, whatever its table.
    pub fn id(&self) -> &str {
        match self {
            Self::Region(s) | Self::Grid(s) | Self::Case(s) | Self::Building(s) => s,
        }
    }
}

/// Cases a filter keeps by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum StatusFilter {
    /// Every case.
    #[default]
    Any,
    /// Not closed.
    Open,
    /// Closed.
    Closed,
    /// Open and past its deadline at the snapshot's `exported_at`.
    Overdue,
}

/// Which cases the map shows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFilter {
    /// Department ids to show; empty: all.
    #[serde(default)]
    pub departments: Vec<String>,
    #[serde(default)]
    pub status: StatusFilter,
}

impl CaseFilter {
    /// Whether the filter keeps `case` at instant `now` (the snapshot's `exported_at`).
    pub fn keeps(&self, case: &Case, now: Time) -> bool {
        let status = match self.status {
            StatusFilter::Any => true,
            StatusFilter::Open => !case.lifecycle.is_closed(),
            StatusFilter::Closed => case.lifecycle.is_closed(),
            StatusFilter::Overdue => case.is_overdue(now),
        };
        status && (self.departments.is_empty() || self.departments.contains(&case.department))
    }
}

/// One step of a story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoryStep {
    pub caption: String,
    pub caption_en: String,
    /// What the map moves to.
    pub focus: Focus,
    /// Which cases the map shows during the step; all when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<CaseFilter>,
    /// Department ids the ring brings forward.
    #[serde(default)]
    pub departments: Vec<String>,
    /// How long the step shows when played on its own, seconds (positive, finite).
    pub duration_s: f64,
}

/// A curator-authored story: steps that move the map, filter the cases and bring
/// departments forward on the ring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Story {
    pub id: String,
    pub title: String,
    pub title_en: String,
    pub steps: Vec<StoryStep>,
}

/// How many rows each table of a snapshot has (what `citygrid validate` reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TableCounts {
    pub regions: usize,
    pub buildings: usize,
    pub departments: usize,
    pub metrics: usize,
    pub grids: usize,
    pub cases: usize,
    pub places: usize,
    pub participation: usize,
    pub stories: usize,
}

impl Snapshot {
    /// The number of rows of every table.
    pub fn table_counts(&self) -> TableCounts {
        TableCounts {
            regions: self.regions.len(),
            buildings: self.buildings.len(),
            departments: self.departments.len(),
            metrics: self.metrics.len(),
            grids: self.grids.len(),
            cases: self.cases.len(),
            places: self.places.len(),
            participation: self.participation.len(),
            stories: self.stories.len(),
        }
    }
}

impl fmt::Display for TableCounts {
    /// `160 regions, 10000 buildings, 10 departments, 46 metrics, 890 grids, 3000 cases,
    /// 560 places, 137 participation, 1 stories`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} regions, {} buildings, {} departments, {} metrics, {} grids, {} cases, {} places, {} participation, {} stories",
            self.regions,
            self.buildings,
            self.departments,
            self.metrics,
            self.grids,
            self.cases,
            self.places,
            self.participation,
            self.stories
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Time {
        Time::parse(s).unwrap_or(Time(0))
    }

    #[test]
    fn lifecycle_reads_and_writes_stages_reached() {
        let text = r#"(reported: "2026-11-03T09:15:00+08:00", registered: Some("2026-11-03T09:40:00+08:00"))"#;
        let l: Lifecycle = ron::from_str(text).unwrap_or(Lifecycle::reported(Time(0)));
        assert_eq!(l.reported_at(), t("2026-11-03T09:15:00+08:00"));
        assert_eq!(
            l.at(Stage::Registered),
            Some(t("2026-11-03T09:40:00+08:00"))
        );
        assert_eq!(l.at(Stage::Dispatched), None);
        assert_eq!(l.current(), Stage::Registered);
        assert!(!l.is_closed());
        assert_eq!(l.handling_s(), None);
        let again = ron::to_string(&l).unwrap_or_default();
        assert!(!again.contains("dispatched"), "{again}");
        assert_eq!(ron::from_str::<Lifecycle>(&again).ok(), Some(l));
        assert_eq!(std::mem::size_of::<Lifecycle>(), 48);
        assert!(
            ron::from_str::<Lifecycle>("(registered: Some(\"2026-11-03T09:40:00+08:00\"))")
                .is_err()
        );
    }

    #[test]
    fn overdue_means_open_past_the_tiers_hours() {
        let mut l = Lifecycle::reported(t("2026-11-03T09:00:00+08:00"));
        let mut case = Case {
            id: "c".into(),
            department: "fire".into(),
            category: "消防通道".into(),
            category_en: String::new(),
            source: CaseSource::Patrol,
            location: (0.0, 0.0),
            region: "r".into(),
            building: None,
            lifecycle: l,
            deadline: DeadlineTier::Urgent,
            description: "d".into(),
            description_en: "d".into(),
        };
        assert_eq!(case.due(), t("2026-11-03T11:00:00+08:00"));
        assert!(!case.is_overdue(t("2026-11-03T11:00:00+08:00")));
        assert!(case.is_overdue(t("2026-11-03T11:00:01+08:00")));
        l.set(Stage::Closed, Some(t("2026-11-03T12:00:00+08:00")));
        case.lifecycle = l;
        assert!(!case.is_overdue(t("2026-11-04T00:00:00+08:00")));
        assert_eq!(case.lifecycle.handling_s(), Some(3 * 3600));
        let now = t("2026-11-04T00:00:00+08:00");
        let filter = |departments: &[&str], status| CaseFilter {
            departments: departments.iter().map(|d| d.to_string()).collect(),
            status,
        };
        assert!(filter(&[], StatusFilter::Closed).keeps(&case, now));
        assert!(!filter(&[], StatusFilter::Open).keeps(&case, now));
        assert!(!filter(&["police"], StatusFilter::Any).keeps(&case, now));
        assert!(filter(&["police", "fire"], StatusFilter::Any).keeps(&case, now));
        case.lifecycle.set(Stage::Closed, None);
        assert!(filter(&["fire"], StatusFilter::Overdue).keeps(&case, now));
    }
}
