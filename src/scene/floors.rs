//! A building's floor stack (issue 17): one slab per floor, top floor first, with the
//! floor's figures where the snapshot has them (`Building::floor_detail`, counts only) and
//! else the building's totals spread evenly over its floors — said so on screen, never
//! passed off as per-floor data.

use crate::scene::format::Lang;
use crate::snapshot::Building;

/// Where a stack's figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The snapshot's figures per floor (some floors may have none).
    PerFloor,
    /// No figures per floor: the building's totals divided by its floors.
    Spread,
}

/// One floor's figures: households, residents and empty dwellings (whole counts from the
/// snapshot, or fractions when spread).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FloorValues {
    /// Households living on the floor (a count; a fraction when spread).
    pub households: f64,
    /// Residents living on the floor (a count; a fraction when spread).
    pub residents: f64,
    /// `None` when spread: a building's total of empty dwellings is not in the snapshot.
    pub vacant_units: Option<f64>,
}

/// One slab.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FloorRow {
    /// 1 = the ground floor (一层).
    pub floor: i64,
    /// `None`: the snapshot lists other floors of this building but not this one.
    pub values: Option<FloorValues>,
}

/// A building's floors, top floor first.
#[derive(Debug, Clone, PartialEq)]
pub struct FloorStack {
    /// One row per floor, the top floor first (at most [`MAX_FLOORS`]).
    pub rows: Vec<FloorRow>,
    /// Whether the figures are the snapshot's per floor or the totals spread.
    pub source: Source,
    /// The largest of the floors' households plus empty dwellings (for the bars' scale; at
    /// least 1).
    pub widest: f64,
}

/// The most floors a stack shows (and a pick or a band reaches), from the ground floor.
pub const MAX_FLOORS: i64 = 200;

/// The floor stack of `b`.
pub fn floor_stack(b: &Building) -> FloorStack {
    let floors = b.floors.clamp(1, MAX_FLOORS);
    let rows: Vec<FloorRow> = if b.floor_detail.is_empty() {
        let k = floors as f64;
        let values = FloorValues {
            households: b.households.max(0) as f64 / k,
            residents: b.residents.max(0) as f64 / k,
            vacant_units: None,
        };
        (1..=floors)
            .rev()
            .map(|floor| FloorRow {
                floor,
                values: Some(values),
            })
            .collect()
    } else {
        (1..=floors)
            .rev()
            .map(|floor| FloorRow {
                floor,
                values: b
                    .floor_detail
                    .iter()
                    .find(|f| f.floor == floor)
                    .map(|f| FloorValues {
                        households: f.households.max(0) as f64,
                        residents: f.residents.max(0) as f64,
                        vacant_units: Some(f.vacant_units.max(0) as f64),
                    }),
            })
            .collect()
    };
    let widest = rows
        .iter()
        .filter_map(|r| r.values)
        .map(|v| v.households + v.vacant_units.unwrap_or(0.0))
        .fold(1.0f64, f64::max);
    FloorStack {
        rows,
        source: if b.floor_detail.is_empty() {
            Source::Spread
        } else {
            Source::PerFloor
        },
        widest,
    }
}

/// A floor's name: 12层 / 12F.
pub fn floor_name(floor: i64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{floor}层"),
        Lang::En => format!("{floor}F"),
    }
}

/// A floor's figures in one line, e.g. `8户 · 20人 · 空置1套` / `8 households · 20 residents
/// · 1 empty`; spread figures with one decimal and ≈.
pub fn floor_figures(v: &FloorValues, source: Source, lang: Lang) -> String {
    let n = |x: f64| match source {
        Source::PerFloor => format!("{x:.0}"),
        Source::Spread => format!("≈{x:.1}"),
    };
    let mut parts = match lang {
        Lang::Zh => vec![
            format!("{}户", n(v.households)),
            format!("{}人", n(v.residents)),
        ],
        Lang::En => vec![
            format!("{} households", n(v.households)),
            format!("{} residents", n(v.residents)),
        ],
    };
    if let Some(e) = v.vacant_units {
        parts.push(match lang {
            Lang::Zh => format!("空置{e:.0}套"),
            Lang::En => format!("{e:.0} empty"),
        });
    }
    parts.join(" · ")
}

/// What the stack's figures are, for the line under its title.
pub fn source_note(source: Source, lang: Lang) -> &'static str {
    match source {
        Source::PerFloor => lang.pick(
            "分层数据 · 来自快照",
            "Figures per floor, from the snapshot",
        ),
        Source::Spread => lang.pick(
            "无分层数据 · 总数按层平均",
            "No figures per floor: totals spread evenly",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::FloorFigures;

    fn building(floors: i64, detail: Vec<FloorFigures>) -> Building {
        Building {
            id: "3702030050010001".into(),
            community: "370203005001".into(),
            name: String::new(),
            name_en: String::new(),
            footprint: crate::snapshot::Polygon {
                exterior: vec![],
                holes: vec![],
            },
            floors,
            usage: crate::snapshot::BuildingUse::Residential,
            floor_area_m2: 1000.0,
            residents: 60,
            households: 24,
            year_built: None,
            owners: Default::default(),
            grid: None,
            floor_detail: detail,
        }
    }

    #[test]
    fn without_detail_the_totals_are_spread_and_said_to_be() {
        let s = floor_stack(&building(6, vec![]));
        assert_eq!(s.source, Source::Spread);
        assert_eq!(
            s.rows.iter().map(|r| r.floor).collect::<Vec<_>>(),
            [6, 5, 4, 3, 2, 1],
            "top floor first"
        );
        let v = s.rows[0].values.expect("spread values");
        assert_eq!(
            (v.households, v.residents, v.vacant_units),
            (4.0, 10.0, None)
        );
        assert_eq!(
            floor_figures(&v, s.source, Lang::Zh),
            "≈4.0户 · ≈10.0人",
            "spread figures are marked"
        );
        assert!(source_note(s.source, Lang::En).contains("spread"));
    }

    #[test]
    fn with_detail_each_floor_has_its_own_figures_or_none() {
        let f = |floor, households, residents, vacant_units| FloorFigures {
            floor,
            households,
            residents,
            vacant_units,
        };
        let s = floor_stack(&building(3, vec![f(1, 0, 0, 2), f(3, 10, 25, 1)]));
        assert_eq!(s.source, Source::PerFloor);
        assert_eq!(s.rows[1].floor, 2);
        assert_eq!(s.rows[1].values, None, "floor 2 is not listed");
        let top = s.rows[0].values.expect("floor 3");
        assert_eq!(
            floor_figures(&top, s.source, Lang::En),
            "10 households · 25 residents · 1 empty"
        );
        assert_eq!(s.widest, 11.0);
        assert_eq!(floor_name(3, Lang::Zh), "3层");
    }
}
