//! Instants as the command center writes them (ISO 8601 with an offset,
//! `2026-11-03T09:15:00+08:00`), held as seconds since the Unix epoch: 8 bytes per stage of a
//! case instead of a 25-byte string, compared and subtracted without parsing again.
//!
//! A small parser for exactly this form rather than a date crate: the snapshot needs no time
//! zones, calendars or formatting beyond it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The offset instants are written back in: China Standard Time, +08:00, in seconds.
pub const WRITE_OFFSET_S: i64 = 8 * 3600;

/// An instant: seconds since 1970-01-01T00:00:00Z. In the file an ISO 8601 string with an
/// offset: `YYYY-MM-DDThh:mm[:ss[.fff]]` then `Z` or `±hh:mm` (fractions of a second are
/// dropped). Written back as `YYYY-MM-DDThh:mm:ss+08:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(pub i64);

impl Time {
    /// Parses the ISO 8601 form above; `None` for anything else (no offset, a month 13,
    /// February 30, an hour 24…).
    pub fn parse(s: &str) -> Option<Time> {
        let b = s.as_bytes();
        let num = |from: usize, len: usize| -> Option<i64> {
            let part = b.get(from..from + len)?;
            let mut v = 0i64;
            for c in part {
                if !c.is_ascii_digit() {
                    return None;
                }
                v = v * 10 + i64::from(c - b'0');
            }
            Some(v)
        };
        let at = |i: usize, c: u8| b.get(i) == Some(&c);
        if !(at(4, b'-') && at(7, b'-') && (at(10, b'T') || at(10, b' ')) && at(13, b':')) {
            return None;
        }
        let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
        let (hour, minute) = (num(11, 2)?, num(14, 2)?);
        let mut i = 16;
        let mut second = 0;
        if at(i, b':') {
            second = num(i + 1, 2)?;
            i += 3;
            if at(i, b'.') {
                i += 1;
                let start = i;
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                if i == start {
                    return None;
                }
            }
        }
        let offset = match b.get(i) {
            Some(b'Z') if b.len() == i + 1 => 0,
            Some(&sign @ (b'+' | b'-')) if b.len() == i + 6 && at(i + 3, b':') => {
                let (h, m) = (num(i + 1, 2)?, num(i + 4, 2)?);
                if h > 23 || m > 59 {
                    return None;
                }
                let o = h * 3600 + m * 60;
                if sign == b'-' { -o } else { o }
            }
            _ => return None,
        };
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
        {
            return None;
        }
        let days = days_from_civil(year, month, day);
        Some(Time(
            days * 86_400 + hour * 3600 + minute * 60 + second - offset,
        ))
    }

    /// Seconds since the epoch.
    pub fn seconds(self) -> i64 {
        self.0
    }

    /// This instant plus `hours` hours.
    pub fn plus_hours(self, hours: u32) -> Time {
        Time(self.0 + i64::from(hours) * 3600)
    }

    /// Month, day and minute in China Standard Time, for cards: `MM-DD hh:mm`.
    pub fn local_short(self) -> String {
        let local = self.0 + WRITE_OFFSET_S;
        let (_, m, d) = civil_from_days(local.div_euclid(86_400));
        let s = local.rem_euclid(86_400);
        format!("{m:02}-{d:02} {:02}:{:02}", s / 3600, s % 3600 / 60)
    }
}

impl fmt::Display for Time {
    /// `YYYY-MM-DDThh:mm:ss+08:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let local = self.0 + WRITE_OFFSET_S;
        let (y, m, d) = civil_from_days(local.div_euclid(86_400));
        let s = local.rem_euclid(86_400);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+08:00",
            s / 3600,
            s % 3600 / 60,
            s % 60
        )
    }
}

impl Serialize for Time {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Time;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ISO 8601 date-time with offset, e.g. \"2026-11-03T09:15:00+08:00\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Time, E> {
                Time::parse(v).ok_or_else(|| {
                    E::custom(format!(
                        "{v:?} is not an ISO 8601 date-time with offset (YYYY-MM-DDThh:mm:ss+08:00)"
                    ))
                })
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_command_centers_form() {
        let t = Time::parse("2026-11-03T09:15:00+08:00");
        // 2026-11-03T01:15:00Z.
        assert_eq!(t, Some(Time(20_760 * 86_400 + 3600 + 15 * 60)));
        assert_eq!(t, Time::parse("2026-11-03T01:15:00Z"));
        assert_eq!(t, Time::parse("2026-11-03T01:15Z"));
        assert_eq!(t, Time::parse("2026-11-02T20:15:00.250-05:00"));
        assert_eq!(Time::parse("1970-01-01T00:00:00Z"), Some(Time(0)));
        assert_eq!(Time::parse("1969-12-31T23:59:59Z"), Some(Time(-1)));
        assert_eq!(
            Time::parse("2024-02-29T12:00:00+08:00").map(|t| t.0 % 86_400),
            Some(4 * 3600)
        );
    }

    #[test]
    fn refuses_what_is_not_exactly_that_form() {
        for bad in [
            "",
            "2026-11-03",
            "2026-11-03T09:15:00",
            "2026-11-03T09:15:00+8:00",
            "2026-11-03T09:15:00+08:00 ",
            "2026-13-03T09:15:00Z",
            "2026-02-29T09:15:00Z",
            "2026-11-31T09:15:00Z",
            "2026-11-03T24:00:00Z",
            "2026-11-03T09:60:00Z",
            "2026-11-03T09:15:61Z",
            "2026-11-03T09:15:00.Z",
            "2026-11-03T09:15:00+24:00",
            "２０２６-11-03T09:15:00Z",
            "2026-11-03T09:15:00ZZ",
        ] {
            assert_eq!(Time::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn writes_china_standard_time_and_reads_it_back() {
        let t = Time::parse("2026-11-03T01:15:30Z").unwrap_or(Time(0));
        assert_eq!(t.to_string(), "2026-11-03T09:15:30+08:00");
        assert_eq!(Time::parse(&t.to_string()), Some(t));
        let text = ron::to_string(&t).unwrap_or_default();
        assert_eq!(text, "\"2026-11-03T09:15:30+08:00\"");
        assert_eq!(ron::from_str::<Time>(&text).ok(), Some(t));
        assert!(ron::from_str::<Time>("\"yesterday\"").is_err());
        assert!(ron::from_str::<Time>("42").is_err());
        // Every day of four centuries round-trips.
        for day in (-146_097..146_097).step_by(7) {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
    }
}
