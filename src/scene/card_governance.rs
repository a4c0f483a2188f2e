//! The governance cards: a grid's (网格) and a case's (事件), with its lifecycle as a
//! timeline. `scene::card` chooses which card to show.

use super::card::{Card, CardRow, TimelineStep, counted, personal_label, row, words_row};
use crate::scene::format::{self, Lang, Text as Words, text};
use crate::snapshot::index::CityData;

/// A grid's card: its worker (masked unless `full_names`), party branch, the residents and
/// households of its buildings, its party-member households and volunteers, the residents
/// its online platform reaches, and its cases (open, overdue, closed; closure rate and
/// average time from report to closure).
pub(super) fn grid_card(city: &CityData, g: usize, lang: Lang, full_names: bool) -> Card {
    let s = &city.snapshot;
    let gi = &city.index.governance;
    let grid = &s.grids[g];
    let mut rows = Vec::new();
    if !grid.worker.trim().is_empty() {
        rows.push(row(
            personal_label(Words::GridWorker, lang, full_names),
            format::grid_worker_name(&grid.worker, full_names),
        ));
    }
    let branch = lang.pick(&grid.party_branch, &grid.party_branch_en);
    if !branch.trim().is_empty() {
        rows.push(words_row(
            text(Words::PartyBranch, lang),
            branch.to_string(),
        ));
    }
    let (residents, households) = gi
        .buildings_of_grid
        .get(g)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter_map(|&b| s.buildings.get(b))
        .fold((0i64, 0i64), |(r, h), b| {
            (r + b.residents, h + b.households)
        });
    rows.push(row(
        text(Words::ResidentsAndHouseholds, lang),
        format!(
            "{} · {}",
            counted(residents, lang, " 人"),
            counted(households, lang, " 户")
        ),
    ));
    rows.push(row(
        text(Words::PartyHouseholdsVolunteers, lang),
        format!(
            "{} · {}",
            counted(grid.party_member_households, lang, " 户"),
            counted(grid.volunteers, lang, " 人"),
        ),
    ));
    rows.push(row(
        text(Words::ResidentsOnline, lang),
        counted(grid.residents_online, lang, " 人"),
    ));
    let stats = gi.grid_case_stats(g, None);
    if stats.total > 0 {
        // Body size: lines of words and figures, not one figure.
        rows.push(words_row(
            text(Words::Cases, lang),
            case_counts(&stats, lang),
        ));
        rows.push(words_row(
            text(Words::ClosureAndHandling, lang),
            format!(
                "{} · {}",
                stats
                    .closure_rate()
                    .map_or_else(|| "—".to_string(), |r| format!("{:.1}%", r * 100.0)),
                stats
                    .average_handling_s()
                    .map_or_else(|| "—".to_string(), |s| format::duration(s, lang)),
            ),
        ));
    }
    Card {
        title: lang.pick(&grid.name, &grid.name_en).to_string(),
        subtitle: format!(
            "{} · {} {}",
            text(Words::Grid, lang),
            text(Words::GridCode, lang),
            grid.id
        ),
        rows,
        timeline: Vec::new(),
    }
}

/// A case's card: its category, department, source, deadline and status, its description
/// (no personal data: the validator refuses phone and ID numbers in it), and its lifecycle
/// as a timeline — when each stage was reached, how long it took, and which stages came
/// after the deadline. Times in China Standard Time; "now" is the snapshot's `exported_at`.
pub(super) fn case_card(city: &CityData, c: usize, lang: Lang) -> Card {
    use crate::snapshot::lifecycle::Stage;
    let s = &city.snapshot;
    let gi = &city.index.governance;
    let case = &s.cases[c];
    let department = gi
        .case_department
        .get(c)
        .and_then(|&d| s.departments.get(d as usize))
        .map_or(case.department.as_str(), |d| lang.pick(&d.name, &d.name_en));
    let due = case.due();
    let (tier_zh, tier_en) = case.deadline.names();
    let (source_zh, source_en) = case.source.names();
    let overdue = gi.now.is_some_and(|now| case.is_overdue(now));
    let status = match (case.lifecycle.is_closed(), gi.now) {
        (true, _) => lang.pick("已结案", "Closed").to_string(),
        (false, Some(now)) if case.is_overdue(now) => format!(
            "{} {}",
            lang.pick("超期", "Overdue by"),
            format::duration((now.0 - due.0) as f64, lang)
        ),
        (false, _) => {
            let (zh, en) = case.lifecycle.current().names();
            format!("{} · {}", lang.pick("办理中", "Open"), lang.pick(zh, en))
        }
    };
    let mut rows = vec![
        row(text(Words::Department, lang), department.to_string()),
        words_row(
            text(Words::SourceAndDeadline, lang),
            format!(
                "{} · {} {}",
                lang.pick(source_zh, source_en),
                lang.pick(tier_zh, tier_en),
                format::whole_hours(case.deadline.hours(), lang)
            ),
        ),
        CardRow {
            alert: overdue,
            ..row(text(Words::Status, lang), status)
        },
    ];
    let description = lang.pick(&case.description, &case.description_en);
    if !description.trim().is_empty() {
        rows.push(words_row(
            text(Words::Description, lang),
            description.to_string(),
        ));
    }
    let mut timeline = Vec::new();
    let mut before: Option<crate::snapshot::time::Time> = None;
    let mut waiting_marked = false;
    for stage in Stage::ALL {
        let (zh, en) = stage.names();
        let at = case.lifecycle.at(stage);
        let late = match at {
            Some(t) => t > due,
            // The stage the open case waits for, once its deadline has passed.
            None if !waiting_marked => {
                waiting_marked = true;
                !case.lifecycle.is_closed() && gi.now.is_some_and(|now| now > due)
            }
            None => false,
        };
        let took = match (before, at) {
            (Some(b), Some(t)) => format!("+{}", format::duration((t.0 - b.0) as f64, lang)),
            _ => String::new(),
        };
        timeline.push(TimelineStep {
            stage: lang.pick(zh, en).to_string(),
            at: at.map(|t| t.local_short()),
            took,
            late,
        });
        if at.is_some() {
            before = at;
        }
    }
    let category = lang.pick(&case.category, &case.category_en);
    Card {
        title: if category.is_empty() {
            case.category.clone()
        } else {
            category.to_string()
        },
        subtitle: format!("{} · {}", text(Words::Case, lang), case.id),
        rows,
        timeline,
    }
}

/// "办理中 12 · 超期 2 · 已结案 140" / "12 open · 2 overdue · 140 closed".
pub fn case_counts(stats: &crate::snapshot::governance_index::CaseStats, lang: Lang) -> String {
    let (open, overdue, closed) = (stats.open(), stats.overdue, stats.closed());
    match lang {
        Lang::Zh => format!("办理中 {open} · 超期 {overdue} · 已结案 {closed}"),
        Lang::En => format!("{open} open · {overdue} overdue · {closed} closed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::card::{CardSubject, card};

    fn demo() -> CityData {
        CityData::new(crate::demo::load_demo().expect("demo").snapshot)
    }

    #[test]
    fn a_grid_card_masks_its_worker_and_adds_up_its_buildings_and_cases() {
        let city = demo();
        let g = city.index.governance.grid_by_id["370203005001002"];
        let grid = &city.snapshot.grids[g];
        let zh = card(&city, CardSubject::Grid(g), Lang::Zh, false);
        assert_eq!(zh.title, grid.name);
        assert!(zh.subtitle.contains(&grid.id));
        let worker = &zh.rows[0];
        assert!(worker.label.contains("已脱敏"), "{worker:?}");
        assert_eq!(worker.value, format::mask_name(&grid.worker));
        assert!(
            !zh.rows
                .iter()
                .any(|r| r.value.contains(grid.worker.as_str()))
        );
        let residents: i64 = city.index.governance.buildings_of_grid[g]
            .iter()
            .map(|&b| city.snapshot.buildings[b].residents)
            .sum();
        assert!(zh.rows.iter().any(|r| {
            r.value
                .starts_with(&format!("{} 人 · ", format::count(residents, Lang::Zh)))
        }));
        let stats = city.index.governance.grid_case_stats(g, None);
        assert!(stats.total > 0, "the demo's grid has cases");
        assert!(
            zh.rows
                .iter()
                .any(|r| r.value == case_counts(&stats, Lang::Zh))
        );
        let full = card(&city, CardSubject::Grid(g), Lang::En, true);
        assert_eq!(full.rows[0].value, grid.worker.trim());
        assert!(full.timeline.is_empty());
    }

    #[test]
    fn a_case_card_shows_its_lifecycle_and_marks_what_came_late() {
        let city = demo();
        let gi = &city.index.governance;
        let now = gi.now.expect("the demo has exported_at");
        // An open case past its deadline.
        let c = gi.case_by_id["SB202611250062"];
        let case = &city.snapshot.cases[c];
        assert!(case.is_overdue(now));
        let zh = card(&city, CardSubject::Case(c), Lang::Zh, false);
        assert_eq!(zh.title, case.category);
        assert!(zh.subtitle.contains(&case.id));
        let status = zh.rows.iter().find(|r| r.alert).expect("an alert row");
        assert!(status.value.starts_with("超期"), "{status:?}");
        assert_eq!(zh.timeline.len(), 6);
        let reached = zh.timeline.iter().filter(|s| s.at.is_some()).count();
        assert_eq!(reached, case.lifecycle.current() as usize + 1);
        // The stage it waits for is marked late; the ones reached before the deadline not.
        assert!(zh.timeline[reached].late);
        assert!(zh.timeline[reached + 1..].iter().all(|s| !s.late));
        assert!(zh.timeline[0].took.is_empty());
        assert!(zh.timeline[1].took.starts_with('+'));
        // A case closed in time: nothing late, status closed, in English.
        let ok = (0..city.snapshot.cases.len())
            .find(|&i| {
                let x = &city.snapshot.cases[i];
                x.lifecycle.is_closed()
                    && x.lifecycle.at(crate::snapshot::lifecycle::Stage::Closed) <= Some(x.due())
            })
            .expect("a case closed in time");
        let en = card(&city, CardSubject::Case(ok), Lang::En, false);
        assert!(en.timeline.iter().all(|s| s.at.is_some() && !s.late));
        assert!(en.rows.iter().any(|r| r.value == "Closed" && !r.alert));
        // An index outside the table shows the district.
        assert_eq!(
            card(&city, CardSubject::Case(usize::MAX), Lang::En, false).title,
            card(
                &city,
                CardSubject::Region(city.index.district),
                Lang::En,
                false
            )
            .title
        );
    }
}
