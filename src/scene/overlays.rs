//! What the map lays over its regions and buildings, as the visitor or a story step chose
//! it: the governance layers (cases, places, grids) and which cases show (by status and
//! department); and the case figures the regions can be colored by (cases per 10,000
//! residents, closure rate, average handling time).

use crate::geo::P2;
use crate::palette;
use crate::scene::layers::Layers;
use crate::snapshot::governance_index::CaseStats;
use crate::snapshot::index::CityData;
use crate::snapshot::{CaseFilter, PlaceKind, StatusFilter};

/// Which governance layers the map draws, and which cases it keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlays {
    /// Cases: clusters at the district and a subdistrict, dots from the community down.
    pub cases: bool,
    /// Service stations, social organizations' venues and party-member service points
    /// (community and grid level).
    pub places: bool,
    /// Grid (网格) outlines and names (community level).
    pub grids: bool,
    /// Cases kept by status. `Any` keeps every case from the community down; the district
    /// and a subdistrict then cluster the open ones (closed cases are the past: thousands
    /// of them would bury the open ones).
    pub status: StatusFilter,
    /// Department indices kept, ascending; empty: all.
    pub departments: Vec<u32>,
}

impl Default for Overlays {
    fn default() -> Self {
        Overlays {
            cases: true,
            places: true,
            grids: true,
            status: StatusFilter::Any,
            departments: Vec::new(),
        }
    }
}

impl Overlays {
    /// The overlays of a story step's case filter (department ids the snapshot lacks are
    /// left out; the validator refuses them already): every layer on, the filter's status
    /// and departments.
    pub fn of_filter(city: &CityData, filter: &CaseFilter) -> Overlays {
        let mut departments: Vec<u32> = filter
            .departments
            .iter()
            .filter_map(|d| city.index.governance.department_by_id.get(d))
            .map(|&d| d as u32)
            .collect();
        departments.sort_unstable();
        departments.dedup();
        Overlays {
            status: filter.status,
            departments,
            ..Overlays::default()
        }
    }

    /// Whether department `d` (an index, or `NONE`) passes the department filter.
    pub fn keeps_department(&self, d: u32) -> bool {
        self.departments.is_empty() || self.departments.binary_search(&d).is_ok()
    }

    /// Adds department `d` to the filter, or takes it out; taking out the last one keeps
    /// all again.
    pub fn toggle_department(&mut self, d: u32) {
        match self.departments.binary_search(&d) {
            Ok(i) => {
                self.departments.remove(i);
            }
            Err(i) => self.departments.insert(i, d),
        }
    }

    /// Whether case `c` (an index into the snapshot's cases) shows from the community down.
    pub fn keeps(&self, city: &CityData, c: usize) -> bool {
        self.keeps_as(city, c, self.status)
    }

    /// Whether case `c` goes into the clusters of the district and subdistrict views: as
    /// [`Overlays::keeps`], with `Any` taken as the open cases.
    pub fn clusters(&self, city: &CityData, c: usize) -> bool {
        let status = match self.status {
            StatusFilter::Any => StatusFilter::Open,
            other => other,
        };
        self.keeps_as(city, c, status)
    }

    /// [`Overlays::keeps`] with `status` in place of the filter's.
    fn keeps_as(&self, city: &CityData, c: usize, status: StatusFilter) -> bool {
        let gi = &city.index.governance;
        let (Some(case), Some(&d)) = (city.snapshot.cases.get(c), gi.case_department.get(c)) else {
            return false;
        };
        if !self.cases || !self.keeps_department(d) {
            return false;
        }
        match status {
            StatusFilter::Any => true,
            StatusFilter::Open => !case.lifecycle.is_closed(),
            StatusFilter::Closed => case.lifecycle.is_closed(),
            StatusFilter::Overdue => gi.now.is_some_and(|t| case.is_overdue(t)),
        }
    }

    /// Case figures of `region` over the departments kept (all when none is chosen).
    pub fn region_stats(&self, city: &CityData, region: usize) -> CaseStats {
        let gi = &city.index.governance;
        if self.departments.is_empty() {
            return gi.region_case_stats(region, None);
        }
        let mut s = CaseStats::default();
        for &d in &self.departments {
            s.merge(&gi.region_case_stats(region, Some(d as usize)));
        }
        s
    }
}

/// A case figure the regions can be colored by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseFigure {
    /// Cases reported per 10,000 residents over the snapshot's cases (万人案件量, the usual
    /// measure of a grid platform's load).
    PerTenThousand,
    /// Closed ÷ all, percent.
    ClosureRate,
    /// Mean hours from report to closure over the closed cases.
    HandlingHours,
}

impl CaseFigure {
    /// All of them, in the order the figure button cycles through.
    pub const ALL: [CaseFigure; 3] = [
        CaseFigure::PerTenThousand,
        CaseFigure::ClosureRate,
        CaseFigure::HandlingHours,
    ];

    /// (Chinese, English) name.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            CaseFigure::PerTenThousand => ("万人案件量", "Cases per 10k residents"),
            CaseFigure::ClosureRate => ("结案率", "Closure rate"),
            CaseFigure::HandlingHours => ("平均办理时长", "Average handling time"),
        }
    }

    /// (Chinese, English) unit as the legend writes it.
    pub fn units(self) -> (&'static str, &'static str) {
        match self {
            CaseFigure::PerTenThousand => ("件/万人", "per 10k"),
            CaseFigure::ClosureRate => ("%", "%"),
            CaseFigure::HandlingHours => ("小时", "h"),
        }
    }

    /// The figure for `region` over the departments `overlays` keeps; `None` where it has
    /// no meaning (no residents, no cases, no closed case).
    pub fn value(self, city: &CityData, region: usize, overlays: &Overlays) -> Option<f64> {
        let stats = overlays.region_stats(city, region);
        match self {
            CaseFigure::PerTenThousand => {
                let residents = city.figures(region).residents;
                (residents > 0).then(|| f64::from(stats.total) * 1e4 / residents as f64)
            }
            CaseFigure::ClosureRate => stats.closure_rate().map(|r| r * 100.0),
            CaseFigure::HandlingHours => stats.average_handling_s().map(|s| s / 3600.0),
        }
    }
}

/// The places of `community` (service stations, organizations' venues, party-member
/// service points) as markers the size of a fingertip's aim: a square for a station, a
/// diamond for an organization, a triangle for a party point, each with a dark rim (the
/// legend names them; names would crowd the grids' and buildings'). `px` is metres per
/// marker pixel (`layers::Scale::marker`: screen pixels × the UI scale).
pub(super) fn places_layer(city: &CityData, community: usize, px: f64, out: &mut Layers) {
    let gi = &city.index.governance;
    let places = gi
        .places_of_region
        .get(community)
        .map_or(&[][..], Vec::as_slice);
    for &p in places {
        let (Some(place), Some(&at)) = (
            city.snapshot.places.get(p as usize),
            gi.place_points.get(p as usize),
        ) else {
            continue;
        };
        let (sides, turn, color) = place_style(place.kind);
        out.highlight
            .fill(&polygon(at, 9.0 * px, sides, turn), palette::BACKGROUND);
        out.highlight
            .fill(&polygon(at, 7.0 * px, sides, turn), color);
    }
}

/// How a place of `kind` is drawn: (sides, turn in radians, color). Shared with the legend.
pub fn place_style(kind: PlaceKind) -> (u32, f64, palette::Srgba) {
    use std::f64::consts::FRAC_PI_4;
    match kind {
        PlaceKind::ServiceStation => (4, FRAC_PI_4, palette::PLACE_STATION),
        PlaceKind::SocialOrganization => (4, 0.0, palette::PLACE_ORGANIZATION),
        PlaceKind::PartyServicePoint => (3, std::f64::consts::FRAC_PI_2, palette::PLACE_PARTY),
    }
}

/// A regular polygon of `sides` around `at`, corners `radius` (m) out, the first at angle
/// `turn` (radians).
pub fn polygon(at: P2, radius: f64, sides: u32, turn: f64) -> crate::geo::LocalPolygon {
    let exterior = (0..sides)
        .map(|k| {
            let a = turn + f64::from(k) * std::f64::consts::TAU / f64::from(sides);
            [at[0] + radius * a.cos(), at[1] + radius * a.sin()]
        })
        .collect();
    crate::geo::LocalPolygon {
        exterior,
        holes: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> CityData {
        CityData::new(crate::demo::load_demo().expect("demo").snapshot)
    }

    #[test]
    fn filters_keep_by_status_and_department() {
        let city = demo();
        let n = city.snapshot.cases.len();
        assert!(n > 100);
        let all = Overlays::default();
        let kept = |o: &Overlays| (0..n).filter(|&c| o.keeps(&city, c)).count();
        assert_eq!(kept(&all), n);
        let by = |status| Overlays {
            status,
            ..Overlays::default()
        };
        let (open, closed, overdue) = (
            kept(&by(StatusFilter::Open)),
            kept(&by(StatusFilter::Closed)),
            kept(&by(StatusFilter::Overdue)),
        );
        assert_eq!(open + closed, n);
        assert!(overdue > 0 && overdue < open, "{overdue} overdue of {open}");
        // One department's cases, then two: they add up.
        let gi = &city.index.governance;
        let count = |d: u32| gi.case_department.iter().filter(|&&x| x == d).count();
        let mut one = Overlays::default();
        one.toggle_department(0);
        assert_eq!(kept(&one), count(0));
        one.toggle_department(1);
        assert_eq!(kept(&one), count(0) + count(1));
        one.toggle_department(0);
        one.toggle_department(1);
        assert_eq!(kept(&one), n, "taking the last out keeps all again");
        let off = Overlays {
            cases: false,
            ..Overlays::default()
        };
        assert_eq!(kept(&off), 0);
        // The clusters take "any" as the open ones.
        assert_eq!((0..n).filter(|&c| all.clusters(&city, c)).count(), open);
    }

    #[test]
    fn a_story_filter_names_departments_by_id() {
        let city = demo();
        let d = &city.snapshot.departments;
        let filter = CaseFilter {
            departments: vec![d[2].id.clone(), d[0].id.clone(), "nobody".into()],
            status: StatusFilter::Closed,
        };
        let o = Overlays::of_filter(&city, &filter);
        assert_eq!(o.departments, vec![0, 2]);
        assert_eq!(o.status, StatusFilter::Closed);
        assert!(o.cases && o.places && o.grids);
    }

    #[test]
    fn case_figures_follow_the_department_filter() {
        let city = demo();
        let district = city.index.district;
        let all = Overlays::default();
        let stats = city.index.governance.region_case_stats(district, None);
        let per = CaseFigure::PerTenThousand
            .value(&city, district, &all)
            .expect("residents");
        let residents = city.figures(district).residents as f64;
        assert!((per - f64::from(stats.total) * 1e4 / residents).abs() < 1e-9);
        let rate = CaseFigure::ClosureRate
            .value(&city, district, &all)
            .expect("cases");
        assert!(rate > 50.0 && rate <= 100.0, "{rate}");
        let hours = CaseFigure::HandlingHours
            .value(&city, district, &all)
            .expect("closed cases");
        assert!(hours > 0.0 && hours < 24.0 * 30.0, "{hours}");
        let mut one = Overlays::default();
        one.toggle_department(0);
        let fewer = CaseFigure::PerTenThousand
            .value(&city, district, &one)
            .expect("residents");
        assert!(fewer < per);
    }
}
