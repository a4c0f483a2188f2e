//! What the card beside the map says about the selection, as plain text in zh or en: a
//! region's official figures (residential buildings, floor area, residents, households); a
//! grid's (网格) worker, party branch, people, participation and cases; or a building's
//! floors, use, area, residents, households, year and owners. Owners and grid workers are
//! masked (张**) unless the curator's configuration allows full names. The panels draw it.

use crate::scene::format::{self, Lang, Text as Words, text};

pub use governance::case_counts;

use super::card_governance as governance;
use crate::snapshot::index::CityData;

/// What the card is about: a region or a building (indices into the snapshot's tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardSubject {
    Region(usize),
    /// A grid: an index into the snapshot's `grids`.
    Grid(usize),
    /// A case: an index into the snapshot's `cases`.
    Case(usize),
    Building(usize),
}

/// One figure on the card.
#[derive(Debug, Clone, PartialEq)]
pub struct CardRow {
    /// What it is ("常住人口", "Residents").
    pub label: String,
    /// Its value with its unit, formatted for the language.
    pub value: String,
    /// A long value (the owners' list): drawn at body size, wrapping.
    pub long: bool,
    /// A value that needs attention (an overdue case's status): drawn in the alert color.
    pub alert: bool,
}

/// One stage of a case's lifecycle on its card.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineStep {
    /// The stage's name ("派遣", "Dispatched").
    pub stage: String,
    /// When it was reached, China Standard Time ("11-03 09:12"); `None` when not yet.
    pub at: Option<String>,
    /// Time from the stage before ("+2.3 小时"); empty for the first and for stages not
    /// reached.
    pub took: String,
    /// Reached after the case's deadline, or (for the first stage not reached of an open
    /// case) the deadline has passed while waiting for it.
    pub late: bool,
}

/// The card's words.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub title: String,
    /// Level and code for a region; use and id for a building.
    pub subtitle: String,
    pub rows: Vec<CardRow>,
    /// A case's lifecycle, stage by stage (empty on other cards).
    pub timeline: Vec<TimelineStep>,
}

/// Owners listed by name on a building's card; the rest are counted.
pub const OWNERS_SHOWN: usize = 8;

/// The card for `subject`. A building id that is not in the snapshot shows the district.
pub fn card(city: &CityData, subject: CardSubject, lang: Lang, full_names: bool) -> Card {
    match subject {
        CardSubject::Building(b) if b < city.snapshot.buildings.len() => {
            building_card(city, b, lang, full_names)
        }
        CardSubject::Building(_) => region_card(city, city.index.district, lang),
        CardSubject::Grid(g) if g < city.snapshot.grids.len() => {
            governance::grid_card(city, g, lang, full_names)
        }
        CardSubject::Grid(_) => region_card(city, city.index.district, lang),
        CardSubject::Case(c) if c < city.snapshot.cases.len() => {
            governance::case_card(city, c, lang)
        }
        CardSubject::Case(_) => region_card(city, city.index.district, lang),
        CardSubject::Region(r) => region_card(city, r, lang),
    }
}

/// A count with its Chinese unit ("1,234 人"; "1,234" in English).
pub(super) fn counted(n: i64, lang: Lang, zh_unit: &'static str) -> String {
    format!("{}{}", format::count(n, lang), unit(lang, zh_unit))
}

/// The rows every card ends its figures with: floor area, residents, households.
fn people_rows(floor_area_m2: f64, residents: i64, households: i64, lang: Lang) -> [CardRow; 3] {
    [
        row(
            text(Words::FloorArea, lang),
            format::area(floor_area_m2, lang),
        ),
        row(
            text(Words::Residents, lang),
            counted(residents, lang, " 人"),
        ),
        row(
            text(Words::Households, lang),
            counted(households, lang, " 户"),
        ),
    ]
}

/// A row whose value is a line of words rather than one figure: drawn at body size,
/// wrapping.
pub(super) fn words_row(label: impl Into<String>, value: String) -> CardRow {
    CardRow {
        long: true,
        ..row(label, value)
    }
}

/// The heading of a row naming people (owners, a grid worker): "产权人（已脱敏）" /
/// "Owners (masked)" while names are masked (full-width brackets in Chinese, plain ones in
/// English), the word alone when the configuration shows them in full.
pub(super) fn personal_label(word: Words, lang: Lang, full_names: bool) -> String {
    let (w, masked) = (text(word, lang), text(Words::OwnersMasked, lang));
    match (full_names, lang) {
        (true, _) => w.to_string(),
        (false, Lang::Zh) => format!("{w}（{masked}）"),
        (false, Lang::En) => format!("{w} ({masked})"),
    }
}

pub(super) fn row(label: impl Into<String>, value: String) -> CardRow {
    CardRow {
        label: label.into(),
        value,
        long: false,
        alert: false,
    }
}

/// A unit after a number in Chinese only (" 人"); English labels carry the meaning.
fn unit(lang: Lang, zh: &'static str) -> &'static str {
    if lang == Lang::Zh { zh } else { "" }
}

fn building_card(city: &CityData, b: usize, lang: Lang, full_names: bool) -> Card {
    let x = &city.snapshot.buildings[b];
    let name = lang.pick(&x.name, &x.name_en);
    let title = if name.is_empty() {
        x.id.clone()
    } else {
        name.to_string()
    };
    let subtitle = format!("{} · {}", format::use_name(x.usage, lang), x.id);
    let mut rows = vec![row(
        text(Words::Floors, lang),
        format!("{}{}", x.floors, unit(lang, " 层")),
    )];
    rows.extend(people_rows(
        x.floor_area_m2,
        x.residents,
        x.households,
        lang,
    ));
    if let Some(y) = x.year_built {
        rows.push(row(
            text(Words::YearBuilt, lang),
            format!("{y}{}", unit(lang, " 年")),
        ));
    }
    if !x.owners.is_empty() {
        let shown: Vec<String> = x
            .owners
            .iter()
            .take(OWNERS_SHOWN)
            .map(|o| {
                if full_names {
                    o.to_string()
                } else {
                    format::mask_name(o)
                }
            })
            .collect();
        let mut list = shown.join(lang.pick("、", ", "));
        if x.owners.len() > shown.len() {
            list.push_str(&match lang {
                Lang::Zh => format!(" 等{}人", x.owners.len()),
                Lang::En => format!(" and {} more", x.owners.len() - shown.len()),
            });
        }
        rows.push(words_row(
            personal_label(Words::Owners, lang, full_names),
            list,
        ));
    }
    Card {
        title,
        subtitle,
        rows,
        timeline: Vec::new(),
    }
}

fn region_card(city: &CityData, r: usize, lang: Lang) -> Card {
    let region = &city.snapshot.regions[r];
    let f = city.figures(r);
    Card {
        title: lang.pick(&region.name, &region.name_en).to_string(),
        subtitle: format!(
            "{} · {} {}",
            format::level_name(region.level, lang),
            text(Words::Code, lang),
            region.id
        ),
        rows: std::iter::once(row(
            text(Words::ResidentialBuildings, lang),
            counted(f.residential_buildings, lang, " 栋"),
        ))
        .chain(people_rows(
            f.floor_area_m2,
            f.residents,
            f.households,
            lang,
        ))
        .collect(),
        timeline: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{Options, generate};

    fn city() -> CityData {
        CityData::new(generate(&Options {
            seed: 3,
            buildings: 300,
            owners_per_household: 1.0,
            command_center: None,
        }))
    }

    #[test]
    fn a_region_card_shows_its_official_figures() {
        let city = city();
        let d = city.index.district;
        let zh = card(&city, CardSubject::Region(d), Lang::Zh, false);
        assert_eq!(zh.title, city.snapshot.regions[d].name);
        assert!(zh.subtitle.contains(&city.snapshot.regions[d].id));
        assert_eq!(zh.rows.len(), 4);
        let residents = city.figures(d).residents;
        assert_eq!(
            zh.rows[2].value,
            format!("{} 人", format::count(residents, Lang::Zh))
        );
        let en = card(&city, CardSubject::Region(d), Lang::En, false);
        assert_eq!(en.rows[2].label, "Residents");
        assert!(
            !en.rows[2].value.contains('人'),
            "no Chinese unit in English"
        );
    }

    #[test]
    fn owners_are_masked_unless_full_names_are_allowed() {
        let city = city();
        let b = city
            .snapshot
            .buildings
            .iter()
            .position(|b| b.owners.len() > OWNERS_SHOWN)
            .expect("a building with many owners");
        let owners: Vec<String> = city.snapshot.buildings[b]
            .owners
            .iter()
            .map(|o| o.to_string())
            .collect();
        let masked = card(&city, CardSubject::Building(b), Lang::Zh, false);
        let last = masked.rows.last().expect("rows");
        assert!(last.long, "the owners' list wraps");
        assert!(last.label.contains(text(Words::OwnersMasked, Lang::Zh)));
        assert!(
            owners.iter().all(|o| !last.value.contains(o.as_str())),
            "no full name shows: {}",
            last.value
        );
        assert!(last.value.contains(&format!("等{}人", owners.len())));
        assert_eq!(last.label, "产权人（已脱敏）");
        let en = card(&city, CardSubject::Building(b), Lang::En, false);
        assert_eq!(en.rows.last().expect("rows").label, "Owners (masked)");
        let full = card(&city, CardSubject::Building(b), Lang::En, true);
        let last = full.rows.last().expect("rows");
        assert!(last.value.contains(owners[0].as_str()));
        assert!(
            last.value
                .ends_with(&format!("and {} more", owners.len() - OWNERS_SHOWN))
        );
    }

    #[test]
    fn a_missing_building_shows_the_district() {
        let city = city();
        let c = card(&city, CardSubject::Building(usize::MAX), Lang::En, false);
        assert_eq!(
            c,
            card(
                &city,
                CardSubject::Region(city.index.district),
                Lang::En,
                false
            )
        );
    }
}
