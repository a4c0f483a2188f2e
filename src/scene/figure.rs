//! What the map's regions are coloured by: a figure of the snapshot's (residents, buildings,
//! floor area, households), a command center's metric, or a case figure. Plain Rust.

use crate::scene::format::Lang;
use crate::scene::overlays::{CaseFigure, Overlays};
use crate::snapshot::Figures;
use crate::snapshot::index::CityData;

/// What the map's regions are colored by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Figure {
    #[default]
    Residents,
    ResidentialBuildings,
    FloorArea,
    Households,
    /// A metric with values per region (index into the snapshot's metrics).
    Metric(usize),
    /// A figure of the region's cases, over the departments the filter keeps.
    Cases(CaseFigure),
}

impl Figure {
    /// The figure's value for a region, if it has one.
    pub fn value(self, city: &CityData, region: usize) -> Option<f64> {
        self.value_with(city, region, &Overlays::default())
    }

    /// The figure's value for a region; case figures count the departments `overlays`
    /// keeps.
    pub fn value_with(self, city: &CityData, region: usize, overlays: &Overlays) -> Option<f64> {
        let f: Figures = city.figures(region);
        match self {
            Figure::Residents => Some(f.residents as f64),
            Figure::ResidentialBuildings => Some(f.residential_buildings as f64),
            Figure::FloorArea => Some(f.floor_area_m2),
            Figure::Households => Some(f.households as f64),
            Figure::Metric(m) => city.index.metric_value(region, m),
            Figure::Cases(c) => c.value(city, region, overlays),
        }
    }

    /// The figure's name.
    pub fn name(self, city: &CityData, lang: Lang) -> String {
        use crate::scene::format::{Text, text};
        match self {
            Figure::Residents => text(Text::Residents, lang).into(),
            Figure::ResidentialBuildings => text(Text::ResidentialBuildings, lang).into(),
            Figure::FloorArea => text(Text::FloorArea, lang).into(),
            Figure::Households => text(Text::Households, lang).into(),
            Figure::Metric(m) => city
                .snapshot
                .metrics
                .get(m)
                .map(|x| lang.pick(&x.name, &x.name_en).to_string())
                .unwrap_or_default(),
            Figure::Cases(c) => {
                let (zh, en) = c.names();
                lang.pick(zh, en).to_string()
            }
        }
    }

    /// Case figures that can color the map: all three when the snapshot has cases.
    pub fn case_choices(city: &CityData) -> Vec<Figure> {
        if city.snapshot.cases.is_empty() {
            return Vec::new();
        }
        CaseFigure::ALL.into_iter().map(Figure::Cases).collect()
    }

    /// Metrics that can color the map: those with a value for every subdistrict.
    pub fn metric_choices(city: &CityData) -> Vec<Figure> {
        let streets = &city.index.children[city.index.district];
        (0..city.snapshot.metrics.len())
            .filter(|&m| {
                !streets.is_empty()
                    && streets
                        .iter()
                        .all(|&s| city.index.metric_value(s, m).is_some())
            })
            .map(Figure::Metric)
            .collect()
    }
}
