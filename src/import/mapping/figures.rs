//! Region figures and building attributes from the mapping's tables, and what the region
//! figures count.

use std::collections::HashMap;

use super::super::number::{read_count, read_number};
use super::super::table::{self, Cell, Table};
use super::super::{Export, ImportError};
use super::{BuildingTable, FiguresCount, Mapping, RegionTable, TableRef};
use crate::snapshot::{Building, BuildingUse, Figures, Level, Region};

/// Units a figure's cells may carry after the number.
const PEOPLE: [&str; 2] = ["人", "口"];
const HOUSEHOLDS: [&str; 1] = ["户"];
const BUILDINGS: [&str; 4] = ["栋", "幢", "座", "个"];
const AREA: [&str; 5] = ["平方米", "㎡", "m²", "m2", "平米"];
const FLOORS: [&str; 1] = ["层"];

/// Texts that begin a total row (skipped): 合计, 总计, 小计, Total, Sum.
const TOTALS: [&str; 5] = ["合计", "总计", "小计", "total", "sum"];

/// Whether a key cell (lower case) names a total row: it begins with one of [`TOTALS`]
/// (`合计`, `小计（辽宁路街道）`, `Total`).
pub(super) fn is_total(lower: &str) -> bool {
    TOTALS.iter().any(|t| lower.starts_with(t))
}

/// Reads the mapping's table `t`.
/// Errors: as [`table::read`]; a missing file says that the mapping names it.
pub(super) fn read_table(ex: &Export, t: &TableRef) -> Result<Table, ImportError> {
    table::read(ex, &t.file, t.sheet.as_deref(), t.header_row).map_err(|e| match e {
        ImportError::Io { file, source } if source.kind() == std::io::ErrorKind::NotFound => {
            ImportError::Io {
                file,
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "not found: the mapping names this file; is it in the export, under this name?",
                ),
            }
        }
        other => other,
    })
}

/// Finds regions by a table's key cell: an id, else a name (Chinese or English; `全区`
/// is the district).
pub(super) struct RegionKeys<'r> {
    by_id: HashMap<&'r str, usize>,
    by_name: HashMap<String, Option<usize>>,
    district: Option<usize>,
}

impl<'r> RegionKeys<'r> {
    pub(super) fn new(regions: &'r [Region]) -> Self {
        let mut by_name: HashMap<String, Option<usize>> = HashMap::new();
        for (i, r) in regions.iter().enumerate() {
            for n in [r.name.trim(), r.name_en.trim()] {
                by_name
                    .entry(n.to_lowercase())
                    .and_modify(|e| {
                        if *e != Some(i) {
                            *e = None;
                        }
                    })
                    .or_insert(Some(i));
            }
        }
        Self {
            by_id: regions
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id.as_str(), i))
                .collect(),
            by_name,
            district: regions.iter().position(|r| r.level == Level::District),
        }
    }

    /// The region a key cell names: `Ok(None)` for an empty cell or a total row. Errors:
    /// no region has that id or name, or two regions share the name.
    pub(super) fn find(&self, key: &str) -> Result<Option<usize>, String> {
        let key = key.trim();
        let lower = key.to_lowercase();
        if key.is_empty() {
            return Ok(None);
        }
        if let Some(i) = self.by_id.get(key) {
            return Ok(Some(*i));
        }
        match self.by_name.get(&lower) {
            Some(Some(i)) => Ok(Some(*i)),
            Some(None) => Err(format!(
                "`{key}` is the name of more than one region: give the table an id column"
            )),
            None if key == "全区" || lower == "district" => {
                self.district.map(Some).ok_or_else(|| "no district".into())
            }
            None if is_total(&lower) => Ok(None),
            None => Err(format!("`{key}` is no region's id or name in the layers")),
        }
    }
}

/// The key column of a region table: `id`, else `name`. Errors: neither given.
pub(super) fn key_column(
    t: &Table,
    id: Option<&str>,
    name: Option<&str>,
    what: &str,
) -> Result<usize, ImportError> {
    match (id, name) {
        (Some(c), _) | (None, Some(c)) => t.column(c),
        (None, None) => Err(t.at("mapping".into()).err(format!(
            "{what} needs an `id` or `name` column to find each row's region"
        ))),
    }
}

/// Applies the mapping's region and building tables to the layers read, then what the
/// region figures count (see [`FiguresCount`]). Notes say what came from where.
pub(in super::super) fn apply(
    ex: &Export,
    mapping: &Mapping,
    regions: &mut [Region],
    buildings: &mut [Building],
) -> Result<(), ImportError> {
    if let Some(bt) = &mapping.buildings {
        building_table(ex, bt, buildings)?;
    }
    let mut given: Vec<[Option<f64>; 4]> = regions
        .iter()
        .map(|r| match r.figures {
            Some(f) => [
                Some(f.residential_buildings as f64),
                Some(f.floor_area_m2),
                Some(f.residents as f64),
                Some(f.households as f64),
            ],
            None => [None; 4],
        })
        .collect();
    for rt in &mapping.regions {
        region_table(ex, rt, regions, &mut given)?;
    }
    if mapping.regions.is_empty() && mapping.figures_count == FiguresCount::Residential {
        return Ok(());
    }
    let sums = building_sums(regions, buildings);
    let mut from_buildings = 0;
    let mut all_differ: Vec<String> = Vec::new();
    for (i, r) in regions.iter_mut().enumerate() {
        let [b, a, res, h] = given[i];
        if b.is_none() && a.is_none() && res.is_none() && h.is_none() {
            continue;
        }
        let (all, residential) = sums[i];
        let counts_all = mapping.figures_count == FiguresCount::AllBuildings;
        if counts_all
            && let (Some(b), Some(a)) = (b, a)
            && ((b - all.residential_buildings as f64).abs() > 0.5
                || (a - all.floor_area_m2).abs() > 0.5 + 1e-9 * a.abs())
        {
            all_differ.push(format!(
                "{} gives {b} buildings, {a:.0} m²; its buildings {}, {:.0} m²",
                r.id, all.residential_buildings, all.floor_area_m2
            ));
        }
        let (b, a) = if counts_all { (None, None) } else { (b, a) };
        if b.is_none() || a.is_none() {
            from_buildings += 1;
        }
        r.figures = Some(Figures {
            residential_buildings: b.map_or(residential.residential_buildings, |v| v as i64),
            floor_area_m2: a.unwrap_or(residential.floor_area_m2),
            residents: res.map_or(residential.residents, |v| v as i64),
            households: h.map_or(residential.households, |v| v as i64),
        });
    }
    if mapping.figures_count == FiguresCount::AllBuildings {
        ex.notes.add(format!(
            "mapping: the regions' `buildings` and `floor_area_m2` count all buildings \
             (figures_count: AllBuildings); the exhibit shows residential buildings, so for \
             {from_buildings} region(s) those two are the sums of the residential buildings \
             in the buildings layer; residents and households are as given"
        ));
        if let Some(first) = all_differ.first() {
            ex.notes.add(format!(
                "mapping: {} region(s) give other totals of all buildings than the buildings \
                 layer has, e.g. {first}",
                all_differ.len()
            ));
        }
    } else if from_buildings > 0 {
        ex.notes.add(format!(
            "mapping: {from_buildings} region(s) have no residential buildings or floor area \
             in the tables: those are the sums of the residential buildings in the buildings \
             layer"
        ));
    }
    Ok(())
}

/// Per region, the sums over the buildings under it: (all buildings, residential only;
/// residents and households of all in both).
fn building_sums(regions: &[Region], buildings: &[Building]) -> Vec<(Figures, Figures)> {
    let index: HashMap<&str, usize> = regions
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let parent: Vec<Option<usize>> = regions
        .iter()
        .map(|r| r.parent.as_deref().and_then(|p| index.get(p).copied()))
        .collect();
    let mut sums = vec![(Figures::default(), Figures::default()); regions.len()];
    for b in buildings {
        let mut cur = index.get(b.community.as_str()).copied();
        // Bounded against a parent loop (validation refuses those later).
        for _ in 0..8 {
            let Some(r) = cur else { break };
            let (all, res) = &mut sums[r];
            for f in [&mut *all, &mut *res] {
                f.residents = f.residents.saturating_add(b.residents);
                f.households = f.households.saturating_add(b.households);
            }
            all.residential_buildings += 1;
            all.floor_area_m2 += b.floor_area_m2;
            if b.usage.is_residential() {
                res.residential_buildings += 1;
                res.floor_area_m2 += b.floor_area_m2;
            }
            cur = parent[r];
        }
    }
    sums
}

/// One region table's figures into `given` (per region: buildings, floor area, residents,
/// households).
fn region_table(
    ex: &Export,
    rt: &RegionTable,
    regions: &[Region],
    given: &mut [[Option<f64>; 4]],
) -> Result<(), ImportError> {
    let t = read_table(ex, &rt.table)?;
    let key = key_column(
        &t,
        rt.id.as_deref(),
        rt.name.as_deref(),
        "a `regions` table",
    )?;
    let keys = RegionKeys::new(regions);
    let columns: Vec<(usize, usize, &[&str], bool)> = [
        (0, &rt.buildings, &BUILDINGS[..], true),
        (1, &rt.floor_area_m2, &AREA[..], false),
        (2, &rt.residents, &PEOPLE[..], true),
        (3, &rt.households, &HOUSEHOLDS[..], true),
    ]
    .into_iter()
    .filter_map(|(slot, col, units, count)| {
        col.as_deref()
            .map(|c| t.column(c).map(|k| (slot, k, units, count)))
    })
    .collect::<Result<_, _>>()?;
    // Without an id in its row, a region is found by its name where the table has both.
    let name_col = match (&rt.id, &rt.name) {
        (Some(_), Some(n)) => Some(t.column(n)?),
        _ => None,
    };
    let (mut read, mut totals, mut others) = (0, 0, 0);
    let mut seen: HashMap<usize, usize> = HashMap::new();
    for i in 0..t.rows.len() {
        let mut at = key;
        if t.cell(i, key).text().is_empty()
            && let Some(n) = name_col
        {
            at = n;
        }
        let key_text = t.cell(i, at).text();
        let Some(r) = keys.find(&key_text).map_err(|m| t.cell_at(i, at).err(m))? else {
            if is_total(&key_text.to_lowercase()) {
                totals += 1;
            } else if t.rows[i].iter().any(|c| *c != Cell::Empty) {
                others += 1;
            }
            continue;
        };
        if let Some(first) = seen.insert(r, t.row_numbers.get(i).copied().unwrap_or(0)) {
            return Err(t.cell_at(i, key).err(format!(
                "a second row for region {} (the first is row {first})",
                regions[r].id
            )));
        }
        for &(slot, col, units, count) in &columns {
            let text = t.cell(i, col).text();
            let v = if count {
                read_count(&text, units).map(|v| v.map(|v| v as f64))
            } else {
                read_number(&text, units)
            };
            let v = v.map_err(|m| t.cell_at(i, col).err(m))?;
            if v.is_some_and(|v| v < 0.0) {
                return Err(t.cell_at(i, col).err(format!("`{text}` is negative")));
            }
            if v.is_some() {
                given[r][slot] = v;
            }
        }
        read += 1;
    }
    ex.notes.add(format!(
        "{}: figures of {read} region(s) read{}{}",
        table_name(&t),
        match totals {
            0 => String::new(),
            n => format!("; {n} total row(s) skipped"),
        },
        match others {
            0 => String::new(),
            n => format!("; {n} row(s) without a region id or name skipped (notes?)"),
        }
    ));
    Ok(())
}

/// A table as the report names it: `FILE` or `FILE, sheet S`.
pub(super) fn table_name(t: &Table) -> String {
    match &t.sheet {
        Some(s) => format!("{}, sheet {s}", t.file),
        None => t.file.clone(),
    }
}

/// What a building is used for, from a cell: Chinese or English.
fn usage_of(text: &str) -> Option<BuildingUse> {
    let t = text.trim().to_lowercase();
    Some(match t.as_str() {
        "住宅" | "居住" | "residential" => BuildingUse::Residential,
        "商住" | "商住两用" | "mixed" => BuildingUse::Mixed,
        "商业" | "商铺" | "commercial" => BuildingUse::Commercial,
        "办公" | "写字楼" | "office" => BuildingUse::Office,
        "公共" | "公建" | "公共服务" | "public" => BuildingUse::Public,
        "工业" | "厂房" | "industrial" => BuildingUse::Industrial,
        _ => return None,
    })
}

/// The building table's values over the layer's.
fn building_table(
    ex: &Export,
    bt: &BuildingTable,
    buildings: &mut [Building],
) -> Result<(), ImportError> {
    let t = read_table(ex, &bt.table)?;
    let key = t.column(&bt.id)?;
    let col = |c: &Option<String>| c.as_deref().map(|c| t.column(c)).transpose();
    let (name, floors, area, residents, households, usage, year) = (
        col(&bt.name)?,
        col(&bt.floors)?,
        col(&bt.floor_area_m2)?,
        col(&bt.residents)?,
        col(&bt.households)?,
        col(&bt.usage)?,
        col(&bt.year_built)?,
    );
    let index: HashMap<String, usize> = buildings
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id.clone(), i))
        .collect();
    let mut read = 0;
    for i in 0..t.rows.len() {
        let id = t.cell(i, key).text();
        if id.is_empty() {
            continue;
        }
        let b = index.get(&id).copied().ok_or_else(|| {
            t.cell_at(i, key)
                .err(format!("`{id}` is no building id of the buildings layer"))
        })?;
        let count = |c: Option<usize>, units: &[&str]| -> Result<Option<i64>, ImportError> {
            c.map(|c| read_count(&t.cell(i, c).text(), units).map_err(|m| t.cell_at(i, c).err(m)))
                .transpose()
                .map(Option::flatten)
        };
        let b = &mut buildings[b];
        if let Some(c) = name.filter(|c| !t.cell(i, *c).text().is_empty()) {
            b.name = t.cell(i, c).text();
        }
        if let Some(v) = count(floors, &FLOORS)? {
            b.floors = v;
        }
        if let Some(c) = area {
            let text = t.cell(i, c).text();
            match read_number(&text, &AREA).map_err(|m| t.cell_at(i, c).err(m))? {
                Some(v) if v >= 0.0 => b.floor_area_m2 = v,
                Some(_) => return Err(t.cell_at(i, c).err(format!("`{text}` is negative"))),
                None => {}
            }
        }
        if let Some(v) = count(residents, &PEOPLE)? {
            b.residents = v;
        }
        if let Some(v) = count(households, &HOUSEHOLDS)? {
            b.households = v;
        }
        if let Some(c) = usage {
            let text = t.cell(i, c).text();
            if !text.is_empty() {
                b.usage = usage_of(&text).ok_or_else(|| {
                    t.cell_at(i, c).err(format!(
                        "`{text}` is not 住宅/residential, 商住/mixed, 商业/commercial, \
                         办公/office, 公共/public or 工业/industrial"
                    ))
                })?;
            }
        }
        if let Some(v) = count(year, &["年"])? {
            b.year_built = Some(
                i32::try_from(v)
                    .ok()
                    .filter(|y| (1000..=2200).contains(y))
                    .ok_or_else(|| {
                        let c = year.unwrap_or(0);
                        t.cell_at(i, c).err(format!("`{v}` is not a year"))
                    })?,
            );
        }
        read += 1;
    }
    ex.notes.add(format!(
        "{}: attributes of {read} building(s) read",
        table_name(&t)
    ));
    Ok(())
}
