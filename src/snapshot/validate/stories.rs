//! Stories: ids and titles, at least one step, captions in both languages, a focus that
//! exists in its table, departments (of the filter and of the ring) that exist, durations
//! positive and finite.

use std::collections::HashSet;

use super::lookup::Lookup;
use super::privacy::check_free_text;
use super::{Report, display_id};
use crate::snapshot::governance::Focus;
use crate::snapshot::model::Snapshot;

pub(super) fn check_stories(s: &Snapshot, l: &Lookup<'_>, r: &mut Report) {
    let mut seen: HashSet<&str> = HashSet::with_capacity(s.stories.len());
    for (i, story) in s.stories.iter().enumerate() {
        let place = format!("stories[{}]", display_id(&story.id, i));
        if story.id.trim().is_empty() {
            r.error(&place, "empty id");
        } else if !seen.insert(story.id.as_str()) {
            r.error(&place, format!("duplicate story id {}", story.id));
        }
        if story.title.trim().is_empty() {
            r.error(&place, "empty Chinese title (`title`)");
        }
        if story.title_en.trim().is_empty() {
            r.error(&place, "empty English title (`title_en`)");
        }
        let story_place = || place.clone();
        check_free_text(r, &story_place, "title", &story.title);
        check_free_text(r, &story_place, "title_en", &story.title_en);
        if story.steps.is_empty() {
            r.error(&place, "a story needs at least one step");
        }
        for (k, step) in story.steps.iter().enumerate() {
            let at = format!("{place}.steps[{k}]");
            if step.caption.trim().is_empty() {
                r.error(&at, "empty Chinese caption (`caption`)");
            }
            if step.caption_en.trim().is_empty() {
                r.error(&at, "empty English caption (`caption_en`)");
            }
            let step_place = || at.clone();
            check_free_text(r, &step_place, "caption", &step.caption);
            check_free_text(r, &step_place, "caption_en", &step.caption_en);
            let (table, exists) = match &step.focus {
                Focus::Region(id) => ("region", l.regions.contains_key(id.as_str())),
                Focus::Grid(id) => ("grid", l.grids.contains_key(id.as_str())),
                Focus::Case(id) => ("case", l.cases.contains(id.as_str())),
                Focus::Building(id) => ("building", l.buildings.contains_key(id.as_str())),
            };
            if !exists {
                r.error(
                    &at,
                    format!("focus: {table} {} does not exist", step.focus.id()),
                );
            }
            let filter = step.filter.iter().flat_map(|f| &f.departments);
            for d in filter {
                if !l.departments.contains(d.as_str()) {
                    r.error(
                        &at,
                        format!("filter.departments: department {d} does not exist"),
                    );
                }
            }
            for d in &step.departments {
                if !l.departments.contains(d.as_str()) {
                    r.error(&at, format!("departments: department {d} does not exist"));
                }
            }
            if !(step.duration_s.is_finite() && step.duration_s > 0.0) {
                r.error(
                    &at,
                    format!(
                        "duration_s must be a positive, finite number of seconds (is {})",
                        step.duration_s
                    ),
                );
            }
        }
    }
}
