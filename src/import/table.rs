//! Tables of an export that the mapping file points at: a CSV file (UTF-8 or GBK, comma,
//! semicolon or tab between cells) or one sheet of a spreadsheet (XLSX, XLS, XLSB, ODS,
//! read by `calamine`). Cells keep what the file holds (a number, a text, a date) and are
//! named as a spreadsheet shows them: `sheet 社区, row 14, column D (常住人口)`.

use std::io::Cursor;

use calamine::{Data, Reader};

use super::{Ctx, Export, ImportError};

/// One cell's content.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell {
    Empty,
    Number(f64),
    Text(String),
    /// A date cell of a spreadsheet, as `YYYY-MM-DD`.
    Date(String),
}

impl Cell {
    /// The cell as text: a number as written (`12`, `12.5`), a date as `YYYY-MM-DD`.
    pub(super) fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Number(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{}", *v as i64),
            Cell::Number(v) => v.to_string(),
            Cell::Text(t) | Cell::Date(t) => t.trim().to_string(),
        }
    }
}

/// A table: its header row and the rows below it.
#[derive(Debug)]
pub(super) struct Table {
    /// The file as messages name it.
    pub(super) file: String,
    /// The sheet, for a spreadsheet.
    pub(super) sheet: Option<String>,
    /// The header texts as written, one per column.
    pub(super) headers: Vec<String>,
    /// The rows below the header; each as long as its line in the file.
    pub(super) rows: Vec<Vec<Cell>>,
    /// The row number of each of `rows` as the file numbers it (from 1): the spreadsheet's
    /// row, or a CSV file's line (blank lines and line breaks inside quotes counted).
    pub(super) row_numbers: Vec<usize>,
    /// The row number of the header.
    pub(super) header_number: usize,
    /// The spreadsheet column number (from 0) of `headers[0]`.
    pub(super) first_col: usize,
}

/// A header as compared: without spaces or line breaks, ASCII parentheses, lower case.
pub(super) fn normalised(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// A column letter as spreadsheets show it: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub(super) fn column_letter(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.iter().rev().map(|b| *b as char).collect()
}

impl Table {
    /// Where problems of this table are reported: the file, and the sheet for a spreadsheet.
    pub(super) fn at(&self, place: String) -> Ctx<'_> {
        Ctx {
            file: &self.file,
            place: match &self.sheet {
                Some(s) => format!("sheet {s}, {place}"),
                None => place,
            },
        }
    }

    /// The index of the column headed `name` (compared as [`normalised`]). Errors: no such
    /// column, naming the headers the table has.
    pub(super) fn column(&self, name: &str) -> Result<usize, ImportError> {
        let want = normalised(name);
        self.headers
            .iter()
            .position(|h| normalised(h) == want)
            .ok_or_else(|| {
                self.at(format!("header row {}", self.header_number))
                    .err(format!(
                        "has no column `{name}`; its columns are {}",
                        self.headers
                            .iter()
                            .filter(|h| !h.trim().is_empty())
                            .map(|h| {
                                format!("`{}`", h.split_whitespace().collect::<Vec<_>>().join(" "))
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
            })
    }

    /// The cell of row `i` (of `rows`) in column `col`.
    pub(super) fn cell(&self, i: usize, col: usize) -> &Cell {
        self.rows
            .get(i)
            .and_then(|r| r.get(col))
            .unwrap_or(&Cell::Empty)
    }

    /// Where the cell of row `i`, column `col` is reported:
    /// `row 14, column D (常住人口)`, or `row 14, column `常住人口`` in a CSV file.
    pub(super) fn cell_at(&self, i: usize, col: usize) -> Ctx<'_> {
        let header = self.headers.get(col).map_or(String::new(), |h| {
            h.split_whitespace().collect::<Vec<_>>().join(" ")
        });
        let row = self.row_numbers.get(i).copied().unwrap_or(0);
        self.at(match self.sheet {
            Some(_) => format!(
                "row {row}, column {} ({header})",
                column_letter(self.first_col + col)
            ),
            None => format!("row {row}, column `{header}`"),
        })
    }
}

/// Whether a file name is a spreadsheet `calamine` reads.
pub(super) fn is_spreadsheet(name: &str) -> bool {
    let lower = name.to_lowercase();
    [".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// Reads table `name` of the export: a CSV file, or `sheet` (default: the first) of a
/// spreadsheet. `header_row` (from 1) is where the column names stand; by default the
/// first row with at least two non-empty cells (a title row above the header, one merged
/// cell, is skipped). Errors: the file is missing or unreadable, the sheet does not exist
/// (naming the sheets there are), no header row.
pub(super) fn read(
    ex: &Export,
    name: &str,
    sheet: Option<&str>,
    header_row: Option<usize>,
) -> Result<Table, ImportError> {
    let file = (ex.src)(name)?;
    let label = file.name.clone();
    let (sheet, grid, numbers, first_col) = if is_spreadsheet(name) {
        let (sheet, grid, (r0, c0)) = spreadsheet(&label, file.bytes, sheet)?;
        let numbers = (r0 + 1..r0 + 1 + grid.len()).collect();
        (Some(sheet), grid, numbers, c0)
    } else {
        let (_, text) = ex.text(file)?;
        let (grid, numbers) = csv_cells(&label, &text)?;
        (None, grid, numbers, 0)
    };
    let at = |place: &str| Ctx {
        file: &label,
        place: match &sheet {
            Some(s) => format!("sheet {s}, {place}"),
            None => place.to_string(),
        },
    };
    let header_index = match header_row {
        Some(r) => numbers.iter().position(|n| *n == r).ok_or_else(|| {
            at(&format!("row {r}")).err("the mapping's `header_row` is no filled row of the table")
        })?,
        None => grid
            .iter()
            .position(|row| row.iter().filter(|c| **c != Cell::Empty).count() >= 2)
            .ok_or_else(|| at("header row").err("no row with two or more column names"))?,
    };
    let mut rows = grid;
    let body = rows.split_off(header_index + 1);
    let headers = rows
        .pop()
        .unwrap_or_default()
        .iter()
        .map(Cell::text)
        .collect();
    Ok(Table {
        file: label,
        sheet,
        headers,
        rows: body,
        row_numbers: numbers.get(header_index + 1..).unwrap_or_default().to_vec(),
        header_number: numbers.get(header_index).copied().unwrap_or(0),
        first_col,
    })
}

/// The cells of a CSV text, with each row's line number (from 1); the delimiter is the one
/// of `,` `;` tab found most on the first ten non-empty lines (`,` where they tie), so a
/// title line above the header does not decide it.
fn csv_cells(file: &str, text: &str) -> Result<(Vec<Vec<Cell>>, Vec<usize>), ImportError> {
    let head: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(10)
        .collect();
    let count = |d: u8| -> usize {
        head.iter()
            .map(|l| l.bytes().filter(|b| *b == d).count())
            .sum()
    };
    let delimiter = [b';', b'\t']
        .into_iter()
        .filter(|d| count(*d) > count(b','))
        .max_by_key(|d| count(*d))
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let (mut out, mut lines) = (Vec::new(), Vec::new());
    for row in reader.records() {
        let row = row.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            Ctx {
                file,
                place: format!("line {line}"),
            }
            .err(e.to_string())
        })?;
        // The reader's line for a record after blank lines is the first blank line's:
        // counted here from the record's first byte instead.
        let bytes = text.as_bytes();
        let mut start = row
            .position()
            .map_or(0, |p| p.byte() as usize)
            .min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        lines.push(bytes[..start].iter().filter(|b| **b == b'\n').count() + 1);
        out.push(
            row.iter()
                .map(|t| match t.trim() {
                    "" => Cell::Empty,
                    t => Cell::Text(t.to_string()),
                })
                .collect(),
        );
    }
    Ok((out, lines))
}

/// A sheet's name, its cells and the (row, column) of its first cell, from 0.
type Sheet = (String, Vec<Vec<Cell>>, (usize, usize));

/// The cells of `sheet` (default: the first) of a spreadsheet's bytes.
fn spreadsheet(file: &str, bytes: Vec<u8>, sheet: Option<&str>) -> Result<Sheet, ImportError> {
    let at = |place: &str, message: String| ImportError::Feature {
        file: file.to_string(),
        place: place.to_string(),
        message,
    };
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        at(
            "file",
            format!("not a spreadsheet calamine can read (XLSX, XLS, XLSB, ODS): {e}"),
        )
    })?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| normalised(n) == normalised(s))
            .cloned()
            .ok_or_else(|| {
                at(
                    "file",
                    format!(
                        "has no sheet `{s}`; its sheets are {}",
                        names
                            .iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| at("file", "has no sheet".into()))?,
    };
    let sheet_at = format!("sheet {name}");
    let cells = match &mut book {
        // Cell by cell: a stray cell at XFD1048576 must not make the reader allocate the
        // whole sheet's grid.
        calamine::Sheets::Xlsx(x) => {
            let mut r = x
                .worksheet_cells_reader(&name)
                .map_err(|e| at(&sheet_at, format!("cannot be read: {e}")))?;
            stream(|| r.next_cell()).map_err(|e| at(&sheet_at, e))?
        }
        calamine::Sheets::Xlsb(x) => {
            let mut r = x
                .worksheet_cells_reader(&name)
                .map_err(|e| at(&sheet_at, format!("cannot be read: {e}")))?;
            stream(|| r.next_cell()).map_err(|e| at(&sheet_at, e))?
        }
        other => {
            let range = other
                .worksheet_range(&name)
                .map_err(|e| at(&sheet_at, format!("cannot be read: {e}")))?;
            range
                .used_cells()
                .map(|(r, c, d)| ((r as u32, c as u32), d.clone()))
                .collect()
        }
    };
    let (grid, start) = grid_of(cells).map_err(|e| at(&sheet_at, e))?;
    Ok((name, grid, start))
}

/// At most this many filled cells are read from one sheet.
const MAX_CELLS: usize = 2_000_000;
/// At most this many cells (filled or not) in the rectangle a sheet's cells span.
const MAX_SPAN: u64 = 2_000_000;

/// A sheet's filled cells, one at a time. Errors: the reader's, or more than
/// [`MAX_CELLS`].
fn stream<'a, E: std::fmt::Display>(
    mut next: impl FnMut() -> Result<Option<calamine::Cell<calamine::DataRef<'a>>>, E>,
) -> Result<Vec<((u32, u32), Data)>, String> {
    let mut out = Vec::new();
    while let Some(cell) = next().map_err(|e| format!("cannot be read: {e}"))? {
        if matches!(cell.get_value(), calamine::DataRef::Empty) {
            continue;
        }
        if out.len() == MAX_CELLS {
            return Err(format!(
                "has more than {MAX_CELLS} filled cells: give the table its own, smaller sheet"
            ));
        }
        out.push((cell.get_position(), Data::from(cell.get_value().clone())));
    }
    Ok(out)
}

/// The rectangle of cells from the first filled row and column to the last, and the
/// (row, column) of its first cell, from 0. Errors: a rectangle over [`MAX_SPAN`] cells
/// (a stray cell far from the table), named by its corners.
fn grid_of(cells: Vec<((u32, u32), Data)>) -> Result<(Vec<Vec<Cell>>, (usize, usize)), String> {
    let Some(r0) = cells.iter().map(|((r, _), _)| *r).min() else {
        return Ok((Vec::new(), (0, 0)));
    };
    let c0 = cells.iter().map(|((_, c), _)| *c).min().unwrap_or(0);
    let r1 = cells.iter().map(|((r, _), _)| *r).max().unwrap_or(r0);
    let c1 = cells.iter().map(|((_, c), _)| *c).max().unwrap_or(c0);
    let (rows, cols) = (u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1);
    if rows * cols > MAX_SPAN {
        return Err(format!(
            "has cells from {}{} to {}{} ({rows} rows × {cols} columns), more than a table \
             needs: a stray value far from the table? Delete it, or copy the table to a \
             sheet of its own",
            column_letter(c0 as usize),
            r0 + 1,
            column_letter(c1 as usize),
            r1 + 1
        ));
    }
    let mut grid = vec![vec![Cell::Empty; cols as usize]; rows as usize];
    for ((r, c), d) in cells {
        grid[(r - r0) as usize][(c - c0) as usize] = cell_of(&d);
    }
    Ok((grid, (r0 as usize, c0 as usize)))
}

fn cell_of(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            Cell::Date(format!("{y:04}-{m:02}-{d:02}"))
        }
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) => Cell::Date(s.chars().take(10).collect()),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Text(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_spreadsheets_do() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(3), "D");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn headers_compare_without_spaces_and_width() {
        assert_eq!(normalised(" 常住人口（人）\n"), normalised("常住人口(人)"));
        assert_eq!(normalised("Residents"), "residents");
    }
}
