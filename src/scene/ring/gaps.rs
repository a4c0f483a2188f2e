//! Widgets on data as command centers export it — a daily series for the district only and
//! one value per subdistrict is common: what a widget shows instead of an empty panel or a
//! bar chart of one bar (`data::metric_widget` asks for it).

use super::data::{Content, DayValue, Named, Peers, month_day, peers};
use crate::snapshot::WidgetKind;
use crate::snapshot::index::CityData;

/// The selected region ranked among its peers on a metric (the top five, the selection
/// kept in view); `None` with fewer than `at_least` peers holding a value.
pub(super) fn ranking(
    city: &CityData,
    metric: usize,
    region: usize,
    at_least: usize,
) -> Option<Content> {
    ranking_among(city, metric, peers(city, region), at_least)
}

/// As [`ranking`], among the given regions.
fn ranking_among(
    city: &CityData,
    metric: usize,
    Peers { regions, highlight }: Peers,
    at_least: usize,
) -> Option<Content> {
    let mut entries: Vec<(Named, f64)> = regions
        .iter()
        .filter_map(|&r| {
            city.index
                .metric_value(r, metric)
                .map(|v| (Named::of(city, r), v))
        })
        .collect();
    if entries.len() < at_least.max(1) {
        return None;
    }
    entries.sort_by(|a, b| b.1.total_cmp(&a.1));
    // Keep the selected region in view even when it is not in the top five.
    if let Some(h) = highlight
        && let Some(pos) = entries.iter().position(|(n, _)| n.region == h)
        && pos >= 5
    {
        let e = entries.remove(pos);
        entries.truncate(4);
        entries.push(e);
    }
    entries.truncate(5);
    Some(Content::Ranking { entries, highlight })
}

/// What a widget shows instead of nothing (or of a single bar) for `region`: the region
/// ranked among its peers when two or more of them have the value; else the district's
/// daily series (as bars for a bar widget), labelled as the district's; else the value as
/// a number (`value`: with the region it is of and whether that is the selection). Returns
/// the content with its scope and whether that scope is the selection.
pub(super) fn fill_gap(
    city: &CityData,
    kind: WidgetKind,
    metric: usize,
    region: usize,
    value: Option<(f64, usize, bool)>,
) -> Option<(Content, usize, bool)> {
    let m = &city.snapshot.metrics[metric];
    let district = city.index.district;
    // Its parts ranked (a subdistrict's communities) where they have values, else the
    // region among its siblings (the subdistrict among the district's others).
    if let Some(r) = ranking(city, metric, region, 2) {
        return Some((r, region, true));
    }
    if let Some(parent) = city.index.parent[region] {
        let siblings = Peers {
            regions: city.index.children[parent].clone(),
            highlight: Some(region),
        };
        if let Some(r) = ranking_among(city, metric, siblings, 2) {
            return Some((r, region, true));
        }
    }
    if m.series.len() >= 2 {
        let values: Vec<f64> = m.series.iter().map(|x| x.1).collect();
        let first = m.series.first().map(|x| x.0.clone()).unwrap_or_default();
        let last = m.series.last().map(|x| x.0.clone()).unwrap_or_default();
        let content = if kind == WidgetKind::Bars {
            let start = m.series.len().saturating_sub(7);
            Content::Bars {
                days: m.series[start..]
                    .iter()
                    .map(|(d, v)| DayValue {
                        day: month_day(d),
                        value: *v,
                    })
                    .collect(),
            }
        } else {
            Content::Series {
                values,
                first,
                last,
            }
        };
        return Some((content, district, region == district));
    }
    value.map(|(v, scope, exact)| {
        (
            Content::Kpi {
                value: v,
                previous: None,
                series: Vec::new(),
            },
            scope,
            exact,
        )
    })
}

#[cfg(test)]
mod tests {
    use crate::scene::ring::data::{Content, widget};
    use crate::scene::ring::layout::{DEFAULT_SPAN_DEG, automatic};
    use crate::snapshot::index::CityData;
    use crate::snapshot::{Snapshot, WidgetKind};

    /// The demo as command centers often export it.
    fn as_exported() -> Snapshot {
        let mut s = crate::demo::load_demo().expect("demo").snapshot;
        crate::generate::metrics::as_commonly_exported(&mut s);
        s
    }

    #[test]
    fn a_subdistrict_never_gets_an_empty_panel_or_a_one_bar_chart() {
        let city = CityData::new(as_exported());
        let layout = automatic(&city.snapshot, DEFAULT_SPAN_DEG);
        let street = city.index.children[city.index.district][0];
        let mut ranked = 0;
        for region in [street, city.index.children[street][0]] {
            for slot in &layout.slots {
                if matches!(slot.kind, WidgetKind::CaseFlow | WidgetKind::Participation) {
                    continue;
                }
                let w = widget(&city, slot, region);
                match &w.content {
                    Content::Empty => panic!("{} is empty", w.title_en),
                    Content::Bars { days } => {
                        assert!(days.len() >= 2, "{}: {} bar(s)", w.title_en, days.len())
                    }
                    Content::Ranking { entries, .. } => {
                        assert!(entries.len() >= 2);
                        ranked += 1;
                    }
                    Content::Series { .. } if w.scope.region == city.index.district => {
                        // The district's trend, said to be the district's.
                        assert!(!w.exact || region == city.index.district, "{}", w.title_en);
                    }
                    _ => {}
                }
            }
        }
        assert!(
            ranked > 0,
            "the subdistrict is ranked among its peers somewhere"
        );
    }
}
