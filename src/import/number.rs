//! Numbers as spreadsheets and hand-made tables hold them: as text with thousands
//! separators (`1,234`), full-width digits (`１２３`, what Chinese input methods type), a unit
//! (`12.5%`, `350人`, `1,200㎡`) or a Chinese scale word (`1.2万` = 12,000). Read when the
//! reading is unambiguous, refused with the reason otherwise.

/// Texts that mean "no value" in Chinese and English statistical tables.
const PLACEHOLDERS: [&str; 10] = ["-", "--", "—", "——", "–", "/", "n/a", "na", "无", "暂无"];

/// Reads one cell's text as a number.
///
/// `units` are the unit words the column may carry after the number (`["人"]` for
/// residents, `["%"]` for a percentage); the longest one that ends the text is dropped.
/// `万` (10⁴) and `亿` (10⁸) after the number scale it, unless the unit itself holds them
/// (a metric in 万元 keeps `12.5万元` as 12.5). Full-width digits, signs, point, comma and
/// percent sign read as their ASCII forms; a comma must separate thousands (`1,234,567`),
/// since `1,5` could be 1.5 or 15.
///
/// Returns `Ok(None)` for an empty cell or a placeholder (`-`, `—`, `/`, `无`, `N/A`).
/// Errors: the reason, in words for the curator (the caller names the cell).
pub(crate) fn read_number(text: &str, units: &[&str]) -> Result<Option<f64>, String> {
    let ascii: String = text
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '．' | '。' => Some('.'),
            '，' => Some(','),
            '－' | '−' => Some('-'),
            '＋' => Some('+'),
            '％' => Some('%'),
            '\u{3000}' | '\u{a0}' | '\u{202f}' => None,
            c => Some(c),
        })
        .collect();
    let mut s = ascii.trim();
    if s.is_empty() || PLACEHOLDERS.contains(&s.to_lowercase().as_str()) {
        return Ok(None);
    }
    let unit = units
        .iter()
        .copied()
        .filter(|u| !u.is_empty() && s.ends_with(u))
        .max_by_key(|u| u.len());
    if let Some(u) = unit {
        s = s[..s.len() - u.len()].trim_end();
    }
    let mut scale = 1.0;
    if unit.is_none_or(|u| !u.contains(['万', '亿'])) {
        if let Some(rest) = s.strip_suffix('万') {
            (s, scale) = (rest.trim_end(), 1e4);
        } else if let Some(rest) = s.strip_suffix('亿') {
            (s, scale) = (rest.trim_end(), 1e8);
        }
    }
    if s.contains(',') && !thousands_grouped(s) {
        return Err(format!(
            "`{text}` has a comma that does not group thousands ({} or {}?): write the \
             number without it",
            s.replacen(',', ".", 1).replace(',', ""),
            s.replace(',', "")
        ));
    }
    let plain: String = s.chars().filter(|c| *c != ',').collect();
    match plain.parse::<f64>() {
        Ok(v) if v.is_finite() && plain.bytes().any(|b| b.is_ascii_digit()) => Ok(Some(v * scale)),
        _ => Err(match units {
            [] => format!("`{text}` is not a number"),
            _ => format!(
                "`{text}` is not a number (with or without {})",
                units
                    .iter()
                    .map(|u| format!("`{u}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
    }
}

/// Whether the commas of `s` (sign and decimals aside) group its whole part by thousands.
fn thousands_grouped(s: &str) -> bool {
    let digits = s.trim_start_matches(['-', '+']);
    let whole = digits.split('.').next().unwrap_or("");
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
        && !digits.split('.').nth(1).is_some_and(|d| d.contains(','))
}

/// A count (residents, households, buildings, floors) from a cell's text: as
/// [`read_number`], then a whole number ≥ 0 below 10¹⁵.
pub(crate) fn read_count(text: &str, units: &[&str]) -> Result<Option<i64>, String> {
    match read_number(text, units)? {
        None => Ok(None),
        Some(v) => whole(v)
            .map(Some)
            .ok_or_else(|| format!("`{text}` is not a whole number ≥ 0")),
    }
}

/// `v` as a whole number ≥ 0 below 10¹⁵, if it is one (to within rounding of `1.2万`).
pub(crate) fn whole(v: f64) -> Option<i64> {
    let r = v.round();
    ((v - r).abs() < 1e-6 && (0.0..1e15).contains(&r)).then_some(r as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_tables_write_them() {
        let n = |t: &str, u: &[&str]| read_number(t, u);
        assert_eq!(n("1234", &[]), Ok(Some(1234.0)));
        assert_eq!(n(" 1,234 ", &[]), Ok(Some(1234.0)));
        assert_eq!(n("1,234,567.5", &[]), Ok(Some(1_234_567.5)));
        assert_eq!(n("-1,234", &[]), Ok(Some(-1234.0)));
        assert_eq!(n("１２３", &[]), Ok(Some(123.0)));
        assert_eq!(n("１，２３４．５", &[]), Ok(Some(1234.5)));
        assert_eq!(n("12.5%", &["%"]), Ok(Some(12.5)));
        assert_eq!(n("１２.５％", &["%"]), Ok(Some(12.5)));
        assert_eq!(n("350人", &["人"]), Ok(Some(350.0)));
        assert_eq!(n("1,200 ㎡", &["㎡", "平方米"]), Ok(Some(1200.0)));
        assert_eq!(n("1.2万", &["人"]), Ok(Some(12_000.0)));
        assert_eq!(n("1.2万人", &["人"]), Ok(Some(12_000.0)));
        assert_eq!(n("3亿", &[]), Ok(Some(3e8)));
        assert_eq!(
            n("12.5万元", &["万元"]),
            Ok(Some(12.5)),
            "the unit holds 万"
        );
        for empty in ["", "  ", "-", "—", "/", "无", "N/A"] {
            assert_eq!(n(empty, &[]), Ok(None), "{empty:?}");
        }
    }

    #[test]
    fn ambiguous_numbers_are_refused_with_the_reason() {
        let n = |t: &str, u: &[&str]| read_number(t, u);
        for t in ["1,5", "12,34", "1,2345", "1.234,5", ",123"] {
            let e = n(t, &[]).err().unwrap_or_default();
            assert!(e.contains("does not group thousands"), "{t}: {e}");
        }
        let e = n("12.5%", &["人"]).err().unwrap_or_default();
        assert!(
            e.contains("`12.5%` is not a number") && e.contains("`人`"),
            "{e}"
        );
        assert!(n("about 12", &[]).is_err());
        assert!(n("NaN", &[]).is_err());
        assert!(n("inf", &[]).is_err());
        assert!(n("%", &["%"]).is_err());
    }

    #[test]
    fn counts_are_whole() {
        assert_eq!(read_count("1,234户", &["户"]), Ok(Some(1234)));
        assert_eq!(read_count("1.25万", &[]), Ok(Some(12_500)));
        assert!(read_count("12.5", &[]).is_err());
        assert!(read_count("-3", &[]).is_err());
    }
}
