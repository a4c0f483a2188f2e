//! Shibei's real divisions, from the reference tables in data/reference (NBS 2023 codes
//! and names, with their English names), and the old town's streets.

const SUBDISTRICTS_CSV: &str = include_str!("../../data/reference/shibei_subdistricts_2023.csv");
const COMMUNITIES_CSV: &str = include_str!("../../data/reference/shibei_communities_2023.csv");

/// A subdistrict of the reference table.
pub(super) struct StreetRow {
    pub(super) code: String,
    pub(super) name: String,
    pub(super) english: String,
}

/// A community of the reference table; `street` is its subdistrict's code.
pub(super) struct CommunityRow {
    pub(super) code: String,
    pub(super) name: String,
    pub(super) street: String,
    pub(super) name_en: String,
}

/// Shibei's subdistricts and communities, in the tables' order.
pub(super) fn reference() -> (Vec<StreetRow>, Vec<CommunityRow>) {
    let rows = |csv: &'static str| {
        csv.lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.split(',').map(str::to_string).collect::<Vec<_>>())
            .collect::<Vec<_>>()
    };
    let streets = rows(SUBDISTRICTS_CSV)
        .into_iter()
        .filter(|c| c.len() >= 5)
        .map(|c| StreetRow {
            code: c[0].clone(),
            name: c[1].clone(),
            english: c[3].clone(),
        })
        .collect();
    let communities = rows(COMMUNITIES_CSV)
        .into_iter()
        .filter(|c| c.len() >= 5)
        .map(|c| CommunityRow {
            code: c[0].clone(),
            name: c[1].replace("社区居委会", "社区").replace("居委会", ""),
            street: c[2].clone(),
            name_en: c[4].clone(),
        })
        .collect();
    (streets, communities)
}

/// Streets of the old town around the harbour, where the 里院 courtyard houses stand.
pub(super) const OLD_TOWN: [&str; 7] = [
    "370203005",
    "370203008",
    "370203011",
    "370203019",
    "370203020",
    "370203021",
    "370203022",
];
