//! What the map's legend says, as plain text in zh or en: the figure the regions are
//! colored by and the values at both ends of the color ramp, with their units.

use crate::scene::format::{self, Lang};
use crate::scene::layers::{Figure, Legend};
use crate::snapshot::index::CityData;

/// The legend's words.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendText {
    /// The figure's name ("常住人口", or a department metric's name).
    pub title: String,
    /// The value at the ramp's low end.
    pub low: String,
    /// The value at the ramp's high end.
    pub high: String,
}

/// The legend's words for `legend`.
pub fn legend_text(city: &CityData, legend: Legend, lang: Lang) -> LegendText {
    LegendText {
        title: legend.figure.name(city, lang),
        low: legend_value(city, legend.figure, legend.min, lang),
        high: legend_value(city, legend.figure, legend.max, lang),
    }
}

/// A value of `figure` as the legend writes it: floor area in m² / 万m², a metric with its
/// unit (whole numbers grouped, others to one decimal), counts grouped.
pub fn legend_value(city: &CityData, figure: Figure, v: f64, lang: Lang) -> String {
    match figure {
        Figure::FloorArea => format::area(v, lang),
        Figure::Metric(m) => {
            let unit = city
                .snapshot
                .metrics
                .get(m)
                .map(|x| lang.pick(&x.unit, &x.unit_en).to_string())
                .unwrap_or_default();
            let n = if v.fract().abs() < 1e-9 && v.abs() < 1e15 {
                format::count(v as i64, lang)
            } else {
                format!("{v:.1}")
            };
            format!("{n} {unit}").trim().to_string()
        }
        Figure::Cases(c) => {
            let (zh, en) = c.units();
            match c {
                crate::scene::layers::CaseFigure::ClosureRate => format!("{v:.1}%"),
                _ => format!("{v:.1} {}", lang.pick(zh, en)),
            }
        }
        _ => format::count(v.round() as i64, lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{Options, generate};

    #[test]
    fn values_carry_their_units() {
        let city = CityData::new(generate(&Options {
            seed: 4,
            buildings: 200,
            owners_per_household: 0.0,
            command_center: None,
        }));
        assert_eq!(
            legend_value(&city, Figure::Residents, 12345.4, Lang::En),
            format::count(12345, Lang::En)
        );
        assert_eq!(
            legend_value(&city, Figure::FloorArea, 2.5e6, Lang::Zh),
            format::area(2.5e6, Lang::Zh)
        );
        let m = city
            .snapshot
            .metrics
            .iter()
            .position(|m| !m.unit_en.is_empty())
            .expect("a metric with a unit");
        let unit = &city.snapshot.metrics[m].unit_en;
        assert_eq!(
            legend_value(&city, Figure::Metric(m), 3.75, Lang::En),
            format!("3.8 {unit}").trim().to_string()
        );
        let whole = legend_value(&city, Figure::Metric(m), 1200.0, Lang::En);
        assert!(whole.starts_with(&format::count(1200, Lang::En)), "{whole}");
        let t = legend_text(
            &city,
            Legend {
                figure: Figure::Households,
                min: 10.0,
                max: 20.0,
            },
            Lang::En,
        );
        assert_eq!(t.low, "10");
        assert_eq!(t.high, "20");
        assert_eq!(t.title, Figure::Households.name(&city, Lang::En));
    }
}
