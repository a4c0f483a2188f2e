//! The entry points of the fuzz targets in `fuzz/` (cargo-fuzz), kept here so that the
//! regression test (`tests/fuzz_regressions.rs`) runs every input a fuzzer ever crashed on
//! through exactly the same code.
//!
//! Each takes arbitrary bytes and must return without panicking, whatever they hold: a bad
//! input ends in an error value; a good one goes on through everything a curator's load
//! feeds — the index, the map layers of every level, the preview picture and the ring.

use crate::geo::P2;
use crate::import::{ImportCrs, import_bytes};
use crate::scene::format::Lang;
use crate::scene::layers::{self, Depth, Figure};
use crate::scene::preview;
use crate::scene::ring::{data, draw, layout};
use crate::snapshot::index::CityData;
use crate::snapshot::{Level, Snapshot, load};

/// The size limit the snapshot target parses under (the exhibit's own is larger; inputs
/// this big are not interesting to a fuzzer).
const LIMIT: u64 = 16 * 1024 * 1024;

/// Snapshot bytes → parse → validate → index → every derived view.
pub fn snapshot_input(bytes: &[u8]) {
    if let Ok(loaded) = load::load_bytes("fuzz.ron", bytes, LIMIT) {
        exercise(loaded.snapshot);
    }
}

/// The bytes that separate the import target's files: never part of UTF-8 text, so a
/// separator can't turn up inside a JSON file the fuzzer writes.
pub const IMPORT_SEPARATOR: u8 = 0xFF;

/// The import target's files in the order its input holds them.
pub const IMPORT_FILES: [&str; 5] = [
    "district.geojson",
    "streets.geojson",
    "communities.geojson",
    "buildings.geojson",
    "metrics.json",
];

/// GIS export bytes → import → every derived view. The first byte picks the coordinate
/// system; the rest is up to five files, in the order of [`IMPORT_FILES`], separated by
/// [`IMPORT_SEPARATOR`]; files past the last are missing.
pub fn import_input(bytes: &[u8]) {
    let Some((&first, rest)) = bytes.split_first() else {
        return;
    };
    let crs = [
        None,
        Some(ImportCrs::Cgcs2000),
        Some(ImportCrs::Gcj02),
        Some(ImportCrs::WebMercator),
        Some(ImportCrs::GaussKruger { epsg: 4549 }),
        Some(ImportCrs::Bd09),
    ][first as usize % 6];
    let files: Vec<(&str, &[u8])> = IMPORT_FILES
        .iter()
        .copied()
        .zip(rest.split(|b| *b == IMPORT_SEPARATOR))
        .collect();
    if let Ok(imported) = import_bytes(&files, crs) {
        exercise(imported.snapshot);
    }
}

/// Joins an export's files into one import-target input (to make seeds and regressions).
pub fn import_input_from(crs: u8, files: &[Vec<u8>]) -> Vec<u8> {
    let mut out = vec![crs];
    for (i, f) in files.iter().enumerate() {
        if i > 0 {
            out.push(IMPORT_SEPARATOR);
        }
        out.extend_from_slice(f);
    }
    out
}

/// Everything the exhibit derives from a snapshot that passed validation.
fn exercise(snapshot: Snapshot) {
    let city = CityData::new(snapshot);
    let idx = &city.index;
    let s = &city.snapshot;
    let first = |level: Level| s.regions.iter().position(|r| r.level == level);
    let mut figures = vec![
        Figure::Residents,
        Figure::ResidentialBuildings,
        Figure::FloorArea,
        Figure::Households,
    ];
    figures.extend(Figure::metric_choices(&city));
    figures.extend(Figure::case_choices(&city));
    let mut depths = vec![Depth::District];
    depths.extend(first(Level::Street).map(Depth::Street));
    if let Some(c) = first(Level::Community) {
        depths.push(Depth::Community(c, None));
        let building = idx.buildings_of.get(c).and_then(|b| b.first().copied());
        depths.push(Depth::Community(c, building));
    }
    for depth in depths {
        for &figure in &figures {
            let l = layers::build(
                &city,
                depth,
                figure,
                false,
                layers::Scale::uniform(2.0),
                &Default::default(),
            );
            let _ = l.labels.len();
        }
    }
    let _ = layers::build(
        &city,
        Depth::District,
        Figure::Residents,
        true,
        layers::Scale::uniform(2.0),
        &Default::default(),
    );
    let _ = preview::render(&city, 64, 48);
    for r in 0..s.regions.len() {
        let _ = idx.ancestry(r);
        let _ = city.figures(r);
        let centre: P2 = idx.region_bounds[r].center();
        for level in [Level::Street, Level::Community] {
            let _ = idx.region_at(s, level, centre);
        }
        let _ = idx.building_at(centre);
    }
    let ring = layout::layout(s, layout::DEFAULT_SPAN_DEG);
    let departments = draw::department_styles(s);
    for region in [
        Some(idx.district),
        first(Level::Street),
        first(Level::Community),
    ]
    .into_iter()
    .flatten()
    {
        let scope = data::ring_region(&city, region);
        let widgets: Vec<_> = ring
            .slots
            .iter()
            .map(|slot| data::widget(&city, slot, scope))
            .collect();
        let anims: Vec<_> = widgets
            .iter()
            .map(|w| draw::WidgetAnim {
                reveal: 0.5,
                shown: draw::primary_value(w),
            })
            .collect();
        let name = data::Named::of(&city, scope);
        for lang in [Lang::Zh, Lang::En] {
            let _ = draw::draw(
                &ring,
                &departments,
                &widgets,
                &anims,
                lang,
                (&name.zh, &name.en),
                &[0],
            );
        }
        let _ = data::alerts(&city, scope);
    }
}
