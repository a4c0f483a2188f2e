//! Where each widget sits on the panoramic ring: department sectors side by side over the
//! span (301° in the hall), each in its department's color with a heading, widgets in rows
//! inside them. Taken from the snapshot's ring layout when it has one, else automatic.

use crate::snapshot::{MetricKind, Snapshot, WidgetKind};

/// The hall's ring screen spans this many degrees.
pub const DEFAULT_SPAN_DEG: f64 = 301.0;
/// Gap between department sectors, degrees.
const SECTOR_GAP_DEG: f64 = 1.2;
// The automatic layout places at most MAX_AUTO_WIDGETS (3 rows of 32 columns, each column
// about 9° of the 301° ring, 80 pixels of the 2560-pixel canvas) of at most
// MAX_AUTO_DEPARTMENTS: a command center exporting thousands of metrics gets a readable
// ring, not thousands of slivers.
pub use crate::snapshot::model::{MAX_AUTO_DEPARTMENTS, MAX_AUTO_WIDGETS};

/// One widget's place.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub kind: WidgetKind,
    /// Index into the snapshot's metrics; `None` for the governance kinds (`CaseFlow`,
    /// `Participation`), which show their department's cases or the participation figures.
    pub metric: Option<usize>,
    /// Index into the snapshot's departments.
    pub department: usize,
    pub angle_deg: f64,
    pub width_deg: f64,
    pub row: u32,
    /// Rows it spans down from `row` (≥ 1): the last widget of a short last column fills
    /// the column.
    pub rows: u32,
}

/// A department's stretch of the ring.
#[derive(Debug, Clone, PartialEq)]
pub struct Sector {
    pub department: usize,
    pub start_deg: f64,
    pub end_deg: f64,
}

/// The whole ring.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub span_deg: f64,
    pub rows: u32,
    pub sectors: Vec<Sector>,
    pub slots: Vec<Slot>,
}

/// The widget that suits a metric, given how many of its department's metrics of the same
/// kind came before (so a department's widgets vary).
fn auto_kind(s: &Snapshot, metric: usize, counts_before: usize) -> WidgetKind {
    let m = &s.metrics[metric];
    match m.kind {
        MetricKind::Percent if m.target.is_some() && counts_before.is_multiple_of(2) => {
            WidgetKind::Gauge
        }
        MetricKind::Percent => WidgetKind::Donut,
        MetricKind::Index | MetricKind::Amount => WidgetKind::Sparkline,
        MetricKind::Count => {
            let heat = !m.series_by_region.is_empty();
            // A stock that barely moves (parking spaces, cameras) reads best as a number.
            let (lo, hi) = m
                .series
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
                    (a.min(x.1), b.max(x.1))
                });
            if m.series.len() >= 2 && hi > 0.0 && (hi - lo) / hi < 0.05 {
                return WidgetKind::Kpi;
            }
            match counts_before % 4 {
                0 => WidgetKind::Kpi,
                1 => WidgetKind::Ranking,
                2 if heat => WidgetKind::HeatStrip,
                2 => WidgetKind::Bars,
                _ => WidgetKind::Bars,
            }
        }
    }
}

/// Lays out the ring for a snapshot: its own layout if it has one, else automatic.
pub fn layout(s: &Snapshot, span_deg: f64) -> Layout {
    match &s.ring {
        Some(ring) => from_snapshot(s, ring),
        None => automatic(s, span_deg),
    }
}

fn from_snapshot(s: &Snapshot, ring: &crate::snapshot::RingLayout) -> Layout {
    let mut slots: Vec<Slot> = ring
        .widgets
        .iter()
        .filter_map(|w| {
            let (metric, department) = if w.kind.is_governance() {
                (None, s.departments.iter().position(|d| d.id == w.metric)?)
            } else {
                let metric = s.metrics.iter().position(|m| m.id == w.metric)?;
                let department = s
                    .departments
                    .iter()
                    .position(|d| d.id == s.metrics[metric].department)?;
                (Some(metric), department)
            };
            Some(Slot {
                kind: w.kind,
                metric,
                department,
                angle_deg: w.angle_deg,
                width_deg: w.width_deg,
                row: w.row,
                rows: 1,
            })
        })
        .collect();
    slots.sort_by(|a, b| a.angle_deg.total_cmp(&b.angle_deg).then(a.row.cmp(&b.row)));
    let mut sectors: Vec<Sector> = Vec::new();
    for slot in &slots {
        let end = slot.angle_deg + slot.width_deg;
        match sectors.last_mut() {
            Some(sec) if sec.department == slot.department => sec.end_deg = sec.end_deg.max(end),
            _ => sectors.push(Sector {
                department: slot.department,
                start_deg: slot.angle_deg,
                end_deg: end,
            }),
        }
    }
    Layout {
        span_deg: ring.span_deg,
        rows: ring.rows.max(1),
        sectors,
        slots,
    }
}

/// The metrics the automatic layout shows per department (indices into the snapshot's
/// metrics, in snapshot order): all of them while they fit in [`MAX_AUTO_WIDGETS`], else an
/// equal share each (a small department keeps all its own and leaves the rest to the
/// others), preferring metrics with values per region — they follow the map's selection.
pub fn automatic_choice(s: &Snapshot) -> Vec<Vec<usize>> {
    let mut per_dept: Vec<Vec<usize>> = s
        .departments
        .iter()
        .map(|d| {
            s.metrics
                .iter()
                .enumerate()
                .filter(|(_, m)| m.department == d.id)
                .map(|(i, _)| i)
                .collect()
        })
        .collect();
    let mut shown = 0;
    for metrics in &mut per_dept {
        if shown >= MAX_AUTO_DEPARTMENTS {
            metrics.clear();
        } else if !metrics.is_empty() {
            shown += 1;
        }
    }
    let total: usize = per_dept.iter().map(Vec::len).sum();
    if total <= MAX_AUTO_WIDGETS {
        return per_dept;
    }
    // Deal one widget at a time to each department that has metrics left.
    let mut take = vec![0usize; per_dept.len()];
    let mut budget = MAX_AUTO_WIDGETS;
    while budget > 0 {
        let mut dealt = false;
        for (d, metrics) in per_dept.iter().enumerate() {
            if budget > 0 && take[d] < metrics.len() {
                take[d] += 1;
                budget -= 1;
                dealt = true;
            }
        }
        if !dealt {
            break;
        }
    }
    for (metrics, n) in per_dept.iter_mut().zip(take) {
        let mut preferred = metrics.clone();
        // Stable: within each group, snapshot order.
        preferred.sort_by_key(|&m| s.metrics[m].by_region.is_empty());
        preferred.truncate(n);
        preferred.sort_unstable();
        *metrics = preferred;
    }
    per_dept
}

/// Every department's metrics (at most [`MAX_AUTO_WIDGETS`], see [`automatic_choice`]),
/// sectors as wide as their columns, widgets filled column by column. Balanced for 3–12
/// departments with 2–12 metrics each: more widgets, more rows.
pub fn automatic(s: &Snapshot, span_deg: f64) -> Layout {
    let choice = automatic_choice(s);
    let governance = super::governance::governance_slots(s, &choice);
    let per_dept: Vec<Vec<(WidgetKind, Option<usize>)>> = choice
        .into_iter()
        .zip(governance)
        .map(|(metrics, extra)| {
            let mut items: Vec<(WidgetKind, Option<usize>)> = Vec::new();
            let mut seen = [0usize; 4];
            for m in metrics {
                let kind_index = s.metrics[m].kind as usize;
                items.push((auto_kind(s, m, seen[kind_index]), Some(m)));
                seen[kind_index] += 1;
            }
            items.extend(extra.into_iter().map(|k| (k, None)));
            items
        })
        .collect();
    let total: usize = per_dept.iter().map(Vec::len).sum();
    let rows: u32 = if total <= 64 { 2 } else { 3 };
    let r = rows as usize;
    let columns: Vec<usize> = per_dept.iter().map(|m| m.len().div_ceil(r)).collect();
    let total_columns: usize = columns.iter().sum();
    let used: Vec<usize> = (0..per_dept.len()).filter(|&d| columns[d] > 0).collect();
    let gaps = used.len().saturating_sub(1) as f64 * SECTOR_GAP_DEG;
    let column_deg = if total_columns == 0 {
        0.0
    } else {
        ((span_deg - gaps) / total_columns as f64).max(0.0)
    };
    let mut sectors = Vec::new();
    let mut slots = Vec::new();
    let mut angle = 0.0;
    for (n, &d) in used.iter().enumerate() {
        if n > 0 {
            angle += SECTOR_GAP_DEG;
        }
        let start = angle;
        let items = &per_dept[d];
        for (k, &(kind, metric)) in items.iter().enumerate() {
            let col = k / r;
            let row = (k % r) as u32;
            // The last column of a department may be short: its last widget fills it.
            let rows = if k + 1 == items.len() { rows - row } else { 1 };
            slots.push(Slot {
                kind,
                metric,
                department: d,
                angle_deg: start + col as f64 * column_deg,
                width_deg: column_deg,
                row,
                rows,
            });
        }
        angle = start + columns[d] as f64 * column_deg;
        sectors.push(Sector {
            department: d,
            start_deg: start,
            end_deg: angle,
        });
    }
    Layout {
        span_deg,
        rows,
        sectors,
        slots,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{Options, generate};
    use crate::snapshot::{Department, Metric};

    fn with_departments(n_depts: usize, n_metrics: usize) -> Snapshot {
        let mut s = generate(&Options {
            seed: 1,
            buildings: 50,
            owners_per_household: 0.0,
            command_center: None,
        });
        s.departments = (0..n_depts)
            .map(|d| Department {
                id: format!("d{d}"),
                name: format!("部门{d}"),
                name_en: format!("Dept {d}"),
                color: "#336699".into(),
            })
            .collect();
        // Metrics alone: no case flows, no participation widget.
        s.cases.clear();
        s.participation.clear();
        let template = s.metrics[0].clone();
        s.metrics = (0..n_depts * n_metrics)
            .map(|i| Metric {
                id: format!("m{i}"),
                department: format!("d{}", i / n_metrics),
                ..template.clone()
            })
            .collect();
        s
    }

    fn check(l: &Layout, expected: usize) {
        assert_eq!(l.slots.len(), expected);
        for s in &l.slots {
            assert!(s.angle_deg >= -1e-9, "{s:?}");
            assert!(
                s.angle_deg + s.width_deg <= l.span_deg + 1e-9,
                "{s:?} leaves the span"
            );
            assert!(s.width_deg > 0.0 && s.rows >= 1 && s.row + s.rows <= l.rows);
        }
        for (i, a) in l.slots.iter().enumerate() {
            for b in &l.slots[i + 1..] {
                let overlap = a.row < b.row + b.rows
                    && b.row < a.row + a.rows
                    && a.angle_deg < b.angle_deg + b.width_deg - 1e-9
                    && b.angle_deg < a.angle_deg + a.width_deg - 1e-9;
                assert!(!overlap, "{a:?} overlaps {b:?}");
            }
        }
        for w in l.sectors.windows(2) {
            assert!(w[0].end_deg <= w[1].start_deg + 1e-9, "sectors overlap");
        }
    }

    #[test]
    fn balanced_for_every_size_in_range() {
        for d in 3..=12 {
            for m in 2..=12 {
                let s = with_departments(d, m);
                let l = automatic(&s, DEFAULT_SPAN_DEG);
                check(&l, (d * m).min(MAX_AUTO_WIDGETS));
                // Equal departments get equal sectors (within a column when the cap
                // splits the widgets unevenly).
                let widths: Vec<f64> = l.sectors.iter().map(|x| x.end_deg - x.start_deg).collect();
                let (lo, hi) = widths
                    .iter()
                    .fold((f64::MAX, 0.0f64), |(a, b), w| (a.min(*w), b.max(*w)));
                let column = l.slots.first().map_or(0.0, |x| x.width_deg);
                let slack = if d * m <= MAX_AUTO_WIDGETS {
                    0.0
                } else {
                    column
                };
                assert!(hi - lo < slack + 1e-6, "{d}×{m}: {widths:?}");
                // The span is used, not left empty.
                let end = l.sectors.last().map_or(0.0, |x| x.end_deg);
                assert!(
                    (end - DEFAULT_SPAN_DEG).abs() < 1e-6,
                    "{d}×{m} ends at {end}"
                );
            }
        }
    }

    #[test]
    fn thousands_of_metrics_make_a_readable_ring() {
        // A command center exporting 3,000 metrics over 40 departments.
        let mut s = with_departments(40, 75);
        // Department 0's last metric alone has values per region: it is preferred.
        for m in &mut s.metrics {
            m.by_region.clear();
        }
        s.metrics[74].by_region.insert("x".into(), 1.0);
        let l = automatic(&s, DEFAULT_SPAN_DEG);
        check(&l, MAX_AUTO_WIDGETS);
        assert_eq!(l.sectors.len(), MAX_AUTO_DEPARTMENTS);
        assert_eq!(l.rows, 3);
        for slot in &l.slots {
            assert!(slot.width_deg > 8.0, "{slot:?} is a sliver");
        }
        let first: Vec<usize> = l
            .slots
            .iter()
            .filter(|x| x.department == 0)
            .filter_map(|x| x.metric)
            .collect();
        assert_eq!(first, vec![0, 1, 74]);
        // A department with few metrics keeps them all; the others share the rest.
        let mut s = with_departments(4, 60);
        s.metrics
            .retain(|m| m.department != "d0" || m.id == "m0" || m.id == "m1");
        let l = automatic(&s, DEFAULT_SPAN_DEG);
        let count = |d: usize| l.slots.iter().filter(|x| x.department == d).count();
        assert_eq!(count(0), 2);
        assert_eq!(count(1) + count(2) + count(3), MAX_AUTO_WIDGETS - 2);
    }

    #[test]
    fn demo_layout_is_stable_and_in_department_order() {
        let s = crate::demo::load_demo().map(|l| l.snapshot).expect("demo");
        let a = automatic(&s, DEFAULT_SPAN_DEG);
        let b = automatic(&s, DEFAULT_SPAN_DEG);
        assert_eq!(a, b);
        let with_cases: std::collections::HashSet<&str> =
            s.cases.iter().map(|c| c.department.as_str()).collect();
        check(&a, s.metrics.len() + with_cases.len() + 1);
        let order: Vec<usize> = a.sectors.iter().map(|x| x.department).collect();
        // Departments with metrics or cases take a sector, in the snapshot's order: those
        // with cases alone (city management, law enforcement, market) too.
        let shown: Vec<usize> = (0..s.departments.len())
            .filter(|&d| {
                let id = &s.departments[d].id;
                s.metrics.iter().any(|m| m.department == *id) || with_cases.contains(id.as_str())
            })
            .collect();
        assert_eq!(shown.len(), 10);
        assert_eq!(order, shown);
        // The participation widget sits with civil affairs (民政).
        let p = a
            .slots
            .iter()
            .find(|x| x.kind == WidgetKind::Participation)
            .expect("participation");
        assert!(s.departments[p.department].name.contains("民政"));
        assert!(
            a.slots
                .iter()
                .all(|x| x.metric.is_some() != x.kind.is_governance())
        );
        // Every kind the data supports appears.
        for kind in [
            WidgetKind::Kpi,
            WidgetKind::Sparkline,
            WidgetKind::Gauge,
            WidgetKind::Donut,
            WidgetKind::Ranking,
            WidgetKind::HeatStrip,
        ] {
            assert!(a.slots.iter().any(|x| x.kind == kind), "{kind:?} missing");
        }
    }

    #[test]
    fn snapshot_layout_is_used_as_given() {
        let mut s = crate::demo::load_demo().map(|l| l.snapshot).expect("demo");
        s.ring = Some(crate::snapshot::RingLayout {
            span_deg: 120.0,
            rows: 1,
            widgets: vec![
                crate::snapshot::RingWidget {
                    kind: WidgetKind::Gauge,
                    metric: "fire.hazards_fixed".into(),
                    angle_deg: 10.0,
                    width_deg: 20.0,
                    row: 0,
                },
                crate::snapshot::RingWidget {
                    kind: WidgetKind::Ticker,
                    metric: "police.calls".into(),
                    angle_deg: 40.0,
                    width_deg: 30.0,
                    row: 0,
                },
            ],
        });
        assert!(!crate::snapshot::validate(&s).has_errors());
        let l = layout(&s, DEFAULT_SPAN_DEG);
        assert_eq!(l.span_deg, 120.0);
        check(&l, 2);
        assert_eq!(l.sectors.len(), 2);
        assert_eq!(l.slots[1].kind, WidgetKind::Ticker);
    }
}
