//! No personal numbers in the v2 tables' free text (case descriptions and categories, place
//! names and services, story titles and captions): a Chinese mobile number, a landline with
//! its area code or an 18-character ID-card number is an error. Digit runs are read across
//! spaces and hyphens and with full-width digits, as people type them; dates (8 digits) are
//! not numbers of a person. Grid workers' names are not checked here: they are masked on
//! screen.

use super::Report;

/// What kind of personal number `text` holds, if any.
pub(super) fn personal_number(text: &str) -> Option<&'static str> {
    let mut run = String::new();
    let mut found = None;
    let mut end = |run: &mut String| {
        found = found.or_else(|| kind(run));
        run.clear();
    };
    for ch in text.chars() {
        let digit = match ch {
            '0'..='9' => Some(ch),
            '０'..='９' => char::from_u32(ch as u32 - '０' as u32 + '0' as u32),
            _ => None,
        };
        match digit {
            Some(d) => run.push(d),
            // Separators inside a run, as in 139 1234 5678, 0532-8288-1234 or (0532) 8288.
            None if !run.is_empty() && matches!(ch, ' ' | '-' | ')' | '\u{3000}' | '－' | '）') =>
                {}
            None if run.len() == 17 && matches!(ch, 'X' | 'x' | 'Ｘ') => {
                run.push('X');
                end(&mut run);
            }
            None => end(&mut run),
        }
    }
    end(&mut run);
    found
}

fn kind(run: &str) -> Option<&'static str> {
    let b = run.as_bytes();
    let mobile = |b: &[u8]| b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]);
    if mobile(b) || (b.len() == 13 && b.starts_with(b"86") && mobile(&b[2..])) {
        Some("a mobile phone number")
    } else if b.first() == Some(&b'0') && (10..=12).contains(&b.len()) {
        Some("a phone number with its area code")
    } else if b.len() == 18 && b[..17].iter().all(u8::is_ascii_digit) {
        Some("an ID-card number")
    } else {
        None
    }
}

/// Errors when `field` of the row at `place` holds a personal number.
pub(super) fn check_free_text(r: &mut Report, place: &dyn Fn() -> String, field: &str, text: &str) {
    if let Some(what) = personal_number(text) {
        r.error(
            place(),
            format!("{field} holds what looks like {what}: the exhibit carries no personal data"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::personal_number;

    #[test]
    fn phone_and_id_numbers_are_found_dates_and_house_numbers_are_not() {
        for text in [
            "联系13912345678",
            "电话 139 1234 5678",
            "电话１３９１２３４５６７８",
            "+86 139-1234-5678",
            "0532-8288-1234",
            "(0532) 82881234",
            "身份证37020319900101123X",
            "370203199001011234",
        ] {
            assert!(personal_number(text).is_some(), "{text}");
        }
        for text in [
            "辽宁路7号楼道堆物",
            "2026年11月",
            "20261103巡查",
            "2026-11-03 巡查",
            "2026-11-03T09:15:00+08:00",
            "12345 热线",
            "3 号楼 2 单元 301",
        ] {
            assert!(personal_number(text).is_none(), "{text}");
        }
    }
}
