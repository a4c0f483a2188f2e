//! The checked file's report lines under its verdict: what the import noticed (its
//! warnings first, highlighted) and the snapshot's validation warnings, a few of each so
//! that the preview and the buttons stay on the panel; the rest are counted (a shell's
//! `citygrid import --dry-run` and `citygrid validate` list them all).

use crate::palette::{self, Srgba};
use crate::snapshot::Report;

/// Lines of the import's notes, and of the snapshot's warnings, shown at most.
const SHOWN: usize = 3;

/// The report's lines, each with its colour: `notes` are the import's (empty for a
/// snapshot file), `report` the snapshot's validation.
pub(super) fn lines(notes: &[String], report: &Report) -> Vec<(String, Srgba)> {
    let more = |n: usize| (format!("… {n} more / 另有 {n} 条"), palette::TEXT_MUTED);
    let mut out = Vec::new();
    let (warned, noted): (Vec<&String>, Vec<&String>) =
        notes.iter().partition(|n| n.starts_with("warning: "));
    for n in warned.into_iter().chain(noted).take(SHOWN) {
        let colour = match n.starts_with("warning: ") {
            true => palette::HIGHLIGHT,
            false => palette::TEXT,
        };
        out.push((format!("导入 / Import: {n}"), colour));
    }
    if notes.len() > SHOWN {
        out.push(more(notes.len() - SHOWN));
    }
    let warnings = report.warnings().count();
    out.push((format!("{warnings} warning(s)"), palette::TEXT_MUTED));
    for i in report.warnings().take(SHOWN) {
        out.push((i.to_string(), palette::TEXT_MUTED));
    }
    if warnings > SHOWN {
        out.push(more(warnings - SHOWN));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_come_first_and_the_rest_is_counted() {
        let notes: Vec<String> = [
            "a.geojson: read as GBK",
            "b.xlsx: figures of 6 region(s) read",
            "warning: streets: the children of 370203 leave a gap of 63.2 km²",
            "c.csv: attributes of 2 building(s) read",
            "d: mapping read",
        ]
        .map(String::from)
        .to_vec();
        let lines = lines(&notes, &Report::default());
        assert_eq!(lines[0].1, palette::HIGHLIGHT);
        assert!(lines[0].0.contains("leave a gap"));
        assert_eq!(lines[3].0, "… 2 more / 另有 2 条");
        assert_eq!(lines[4].0, "0 warning(s)");
        assert_eq!(lines.len(), 5);
    }
}
