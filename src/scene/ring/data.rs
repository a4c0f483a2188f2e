//! What each ring widget shows for the region the map has selected. Values come from the
//! snapshot only: where a metric has no value for the region, the widget shows the
//! district's and says so; where there is no earlier value, no trend is claimed.

pub use super::alerts::{MAX_ALERTS, alerts, alerts_at};
use super::gaps::{fill_gap, ranking};
use super::governance;
use super::layout::Slot;
use crate::scene::format::Lang;
use crate::snapshot::index::CityData;
use crate::snapshot::{MetricKind, WidgetKind};

/// A region's name in both languages.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub region: usize,
    pub zh: String,
    pub en: String,
}

impl Named {
    pub fn of(city: &CityData, region: usize) -> Named {
        let r = &city.snapshot.regions[region];
        Named {
            region,
            zh: r.name.clone(),
            en: r
                .name_en
                .trim_end_matches(" Subdistrict")
                .trim_end_matches(" Community")
                .to_string(),
        }
    }

    pub fn pick(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// One day's value: a bar of a bar widget.
#[derive(Debug, Clone, PartialEq)]
pub struct DayValue {
    /// The day, MM-DD.
    pub day: String,
    pub value: f64,
}

/// One region's row of a heat strip.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatRow {
    pub name: Named,
    /// Its daily values, oldest first.
    pub values: Vec<f64>,
}

/// The body of a widget.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// A number with the day before, if known.
    Kpi {
        value: f64,
        previous: Option<f64>,
        series: Vec<f64>,
    },
    /// A daily series, oldest first, and its first and last dates.
    Series {
        values: Vec<f64>,
        first: String,
        last: String,
    },
    /// The last days as bars, oldest first.
    Bars { days: Vec<DayValue> },
    /// A share out of 100.
    Share { value: f64 },
    /// A value against its target.
    Gauge { value: f64, target: f64 },
    /// Regions by value, highest first; `highlight` is the selected one.
    Ranking {
        entries: Vec<(Named, f64)>,
        highlight: Option<usize>,
    },
    /// Regions × days.
    Heat {
        rows: Vec<HeatRow>,
        highlight: Option<usize>,
        first: String,
        last: String,
    },
    /// Alerts in both languages.
    Ticker { items: Vec<(String, String)> },
    /// A department's cases in the scope, by lifecycle stage (`CaseStats::at_stage`), with
    /// their closure rate, average handling time and overdue count.
    CaseFlow {
        stats: crate::snapshot::governance_index::CaseStats,
    },
    /// Participation figures: (zh label, en label, value) rows, at most four.
    Figures { rows: Vec<(String, String, f64)> },
    /// The snapshot has nothing to show here.
    Empty,
}

/// A widget's title, unit, scope and body.
#[derive(Debug, Clone, PartialEq)]
pub struct WidgetData {
    pub kind: WidgetKind,
    pub title_zh: String,
    pub title_en: String,
    pub unit_zh: String,
    pub unit_en: String,
    pub metric_kind: MetricKind,
    /// The region the numbers are for (the district when the metric has no value for the
    /// selected region).
    pub scope: Named,
    /// Whether the scope is the selected region itself.
    pub exact: bool,
    pub content: Content,
}

/// The name the ring gives what it follows: the region's, or "community + grid" for a grid.
pub fn scope_named(city: &CityData, region: usize, grid: Option<usize>) -> Named {
    let mut named = Named::of(city, region);
    if let Some(g) = grid.and_then(|g| city.snapshot.grids.get(g)) {
        let community = city
            .snapshot
            .regions
            .get(region)
            .map_or("", |r| r.name.as_str());
        let (zh, en) = crate::scene::format::grid_short_names(g, community);
        named.zh = format!("{}{zh}", named.zh);
        named.en = format!("{} {en}", named.en);
    }
    named
}

/// The region the ring follows for a map focus region: buildings follow their community.
pub fn ring_region(city: &CityData, region: usize) -> usize {
    region.min(city.snapshot.regions.len().saturating_sub(1))
}

/// The regions a ranking or heat strip compares.
pub(super) struct Peers {
    /// Indices into the snapshot's regions.
    pub(super) regions: Vec<usize>,
    /// The selected region where it is among them (it is not among its own children).
    pub(super) highlight: Option<usize>,
}

/// Regions to compare the selected one with: its children, or its siblings if it has none.
pub(super) fn peers(city: &CityData, region: usize) -> Peers {
    let children = &city.index.children[region];
    if !children.is_empty() {
        return Peers {
            regions: children.clone(),
            highlight: None,
        };
    }
    match city.index.parent[region] {
        Some(p) => Peers {
            regions: city.index.children[p].clone(),
            highlight: Some(region),
        },
        None => Peers {
            regions: vec![region],
            highlight: Some(region),
        },
    }
}

pub(super) fn month_day(date: &str) -> String {
    date.get(5..10).unwrap_or(date).to_string()
}

/// What a widget shows for the selected region.
pub fn widget(city: &CityData, slot: &Slot, region: usize) -> WidgetData {
    widget_at(city, slot, region, None)
}

/// What a widget shows for the selected region, or for a grid (网格) of it: metric widgets
/// show the region's values (a grid's community's: metrics stop at the community), the
/// governance widgets the grid's own cases and participation.
pub fn widget_at(city: &CityData, slot: &Slot, region: usize, grid: Option<usize>) -> WidgetData {
    match (slot.kind, slot.metric) {
        (WidgetKind::CaseFlow, _) => governance::case_flow(city, slot.department, region, grid),
        (WidgetKind::Participation, _) => governance::participation(city, region, grid),
        (WidgetKind::Ticker, Some(m)) if m < city.snapshot.metrics.len() => WidgetData {
            // The ticker lists the grid's overdue cases, as the marquee does.
            content: Content::Ticker {
                items: alerts_at(city, region, grid),
            },
            ..metric_widget(city, slot, m, region)
        },
        (_, Some(m)) if m < city.snapshot.metrics.len() => metric_widget(city, slot, m, region),
        (kind, _) => WidgetData {
            kind,
            title_zh: String::new(),
            title_en: String::new(),
            unit_zh: String::new(),
            unit_en: String::new(),
            metric_kind: MetricKind::Count,
            scope: Named::of(city, region),
            exact: true,
            content: Content::Empty,
        },
    }
}

/// What a metric's widget shows for the selected region.
fn metric_widget(city: &CityData, slot: &Slot, metric: usize, region: usize) -> WidgetData {
    let s = &city.snapshot;
    let m = &s.metrics[metric];
    let district = city.index.district;
    let own = city.index.metric_value(region, metric);
    let (scope, exact, value) = match own {
        Some(v) => (region, true, Some(v)),
        None => (
            district,
            region == district,
            city.index
                .metric_value(district, metric)
                .or_else(|| m.series.last().map(|x| x.1)),
        ),
    };
    let region_series = m.series_by_region.get(&s.regions[scope].id);
    let series: Vec<f64> = match region_series {
        Some(v) => v.clone(),
        None if scope == district => m.series.iter().map(|x| x.1).collect(),
        None => Vec::new(),
    };
    let previous = (series.len() >= 2).then(|| series[series.len() - 2]);
    let first = m.series.first().map(|x| x.0.clone()).unwrap_or_default();
    let last = m.series.last().map(|x| x.0.clone()).unwrap_or_default();
    let content = match (slot.kind, value) {
        (WidgetKind::Ticker, _) => Content::Ticker {
            items: alerts_at(city, region, None),
        },
        (WidgetKind::Ranking, _) => ranking(city, metric, region, 1).unwrap_or(Content::Empty),
        (WidgetKind::HeatStrip, _) => {
            let Peers { regions, highlight } = peers(city, region);
            let mut rows: Vec<HeatRow> = regions
                .iter()
                .filter_map(|&r| {
                    m.series_by_region.get(&s.regions[r].id).map(|v| HeatRow {
                        name: Named::of(city, r),
                        values: v.clone(),
                    })
                })
                .collect();
            if rows.is_empty() && !series.is_empty() {
                rows.push(HeatRow {
                    name: Named::of(city, scope),
                    values: series.clone(),
                });
            }
            rows.sort_by(|a, b| {
                let last = |v: &Vec<f64>| v.last().copied().unwrap_or(0.0);
                last(&b.values).total_cmp(&last(&a.values))
            });
            if let Some(h) = highlight
                && let Some(pos) = rows.iter().position(|row| row.name.region == h)
                && pos >= 8
            {
                let e = rows.remove(pos);
                rows.truncate(7);
                rows.push(e);
            }
            rows.truncate(8);
            if rows.is_empty() {
                Content::Empty
            } else {
                Content::Heat {
                    rows,
                    highlight,
                    first,
                    last,
                }
            }
        }
        (_, None) => Content::Empty,
        (WidgetKind::Kpi, Some(v)) => Content::Kpi {
            value: v,
            previous,
            series,
        },
        (WidgetKind::Sparkline, Some(_)) if series.len() >= 2 => Content::Series {
            values: series,
            first,
            last,
        },
        (WidgetKind::Sparkline, Some(v)) => Content::Kpi {
            value: v,
            previous: None,
            series: Vec::new(),
        },
        (WidgetKind::Bars, Some(v)) => {
            let days: Vec<DayValue> = if series.len() >= 2 {
                let dates: Vec<String> = m.series.iter().map(|x| month_day(&x.0)).collect();
                let n = series.len().min(dates.len());
                let start = n.saturating_sub(7);
                (start..n)
                    .map(|i| DayValue {
                        day: dates[i].clone(),
                        value: series[i],
                    })
                    .collect()
            } else {
                vec![DayValue {
                    day: month_day(&last),
                    value: v,
                }]
            };
            Content::Bars { days }
        }
        (WidgetKind::CaseFlow | WidgetKind::Participation, _) => Content::Empty,
        (WidgetKind::Donut, Some(v)) => Content::Share {
            value: v.clamp(0.0, 100.0),
        },
        (WidgetKind::Gauge, Some(v)) => Content::Gauge {
            value: v,
            target: m.target.unwrap_or(100.0),
        },
    };
    // Exports often hold a daily series for the district only and one value per
    // subdistrict: never an empty panel or a one-bar chart while something true can be shown.
    let gap = match &content {
        Content::Empty => !matches!(slot.kind, WidgetKind::CaseFlow | WidgetKind::Participation),
        Content::Bars { days } => days.len() < 2,
        _ => false,
    };
    let (content, scope, exact) = if gap {
        fill_gap(
            city,
            slot.kind,
            metric,
            region,
            value.map(|v| (v, scope, exact)),
        )
        .unwrap_or((content, scope, exact))
    } else {
        (content, scope, exact)
    };
    WidgetData {
        kind: slot.kind,
        title_zh: m.name.clone(),
        title_en: m.name_en.clone(),
        unit_zh: m.unit.clone(),
        unit_en: m.unit_en.clone(),
        metric_kind: m.kind,
        scope: Named::of(city, scope),
        exact,
        content,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::ring::layout::{DEFAULT_SPAN_DEG, automatic};

    #[test]
    fn alerts_are_few_and_worst_first() {
        use crate::generate::{Options, generate};
        use crate::snapshot::MetricKind;
        // A command center's thousands of metrics, a third of them short of a target:
        // the ticker still carries a dozen.
        let mut s = generate(&Options::stress(300, 1));
        for m in s.metrics.iter_mut().step_by(3) {
            m.kind = MetricKind::Percent;
            m.target = Some(f64::MAX);
        }
        let stress = CityData::new(s);
        let a = alerts(&stress, stress.index.district);
        assert_eq!(a.len(), MAX_ALERTS);
        // Three percentages below their targets: the largest shortfall comes first.
        let mut s = city().snapshot;
        s.metrics.truncate(3);
        for (m, v) in s.metrics.iter_mut().zip([90.0, 50.0, 70.0]) {
            m.kind = MetricKind::Percent;
            m.target = Some(100.0);
            m.by_region.clear();
            m.series = vec![("2026-11-27".into(), v)];
        }
        let city = CityData::new(s);
        let a = alerts(&city, city.index.district);
        let order: Vec<bool> = ["50.0%", "70.0%", "90.0%"]
            .iter()
            .zip(&a)
            .map(|(v, (zh, _))| zh.contains(v))
            .collect();
        assert_eq!(order, vec![true, true, true], "{a:?}");
    }

    fn city() -> CityData {
        CityData::new(crate::demo::load_demo().map(|l| l.snapshot).expect("demo"))
    }

    #[test]
    fn selecting_a_region_changes_the_values() {
        let city = city();
        let layout = automatic(&city.snapshot, DEFAULT_SPAN_DEG);
        let street = city.index.region_by_id["370203005"];
        let mut changed = 0;
        for slot in &layout.slots {
            let a = widget(&city, slot, city.index.district);
            let b = widget(&city, slot, street);
            assert_eq!(a.scope.region, city.index.district);
            if b.exact {
                assert_eq!(b.scope.region, street);
            }
            if a.content != b.content {
                changed += 1;
            }
        }
        assert!(
            changed >= layout.slots.len() * 3 / 4,
            "{changed} of {} changed",
            layout.slots.len()
        );
    }

    #[test]
    fn ranking_lists_children_and_keeps_the_selection() {
        let city = city();
        let layout = automatic(&city.snapshot, DEFAULT_SPAN_DEG);
        let slot = layout
            .slots
            .iter()
            .find(|s| s.kind == WidgetKind::Ranking)
            .expect("a ranking");
        let Content::Ranking { entries, highlight } =
            widget(&city, slot, city.index.district).content
        else {
            panic!("ranking content");
        };
        assert_eq!(entries.len(), 5);
        assert!(
            entries.windows(2).all(|w| w[0].1 >= w[1].1),
            "highest first"
        );
        assert_eq!(highlight, None);
        // A community has no children: it is ranked among its siblings, and always shown.
        for &c in &city.index.children[city.index.region_by_id["370203016"]] {
            let Content::Ranking { entries, highlight } = widget(&city, slot, c).content else {
                panic!("ranking content");
            };
            assert_eq!(highlight, Some(c));
            assert!(entries.iter().any(|(n, _)| n.region == c));
        }
    }

    #[test]
    fn no_trend_is_invented() {
        let city = city();
        let layout = automatic(&city.snapshot, DEFAULT_SPAN_DEG);
        let community = city.index.children[city.index.region_by_id["370203005"]][0];
        for slot in layout.slots.iter().filter(|s| s.kind == WidgetKind::Kpi) {
            if let Content::Kpi {
                previous, series, ..
            } = widget(&city, slot, community).content
            {
                // Communities have no daily series in the demo: no previous day, no line.
                assert!(previous.is_none() && series.is_empty());
            }
        }
    }
}
