//! The `hours` section: the hall's opening hours. Outside them the screens are black and
//! the exhibit rests; at opening it wakes into the attract mode (`docs/configuration.md`).
//! Dates and times are the hall's local time, in its IANA time zone (the `jiff` crate, with
//! the time zone database bundled so a kiosk without `tzdata` still knows `Asia/Shanghai`).

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};
use serde::{Deserialize, Serialize};

/// The opening hours as the configuration writes them.
///
/// ```ron
/// hours: Some((
///   time_zone: Some("Asia/Shanghai"),
///   week: [("tue-fri", "09:00-17:30"), ("sat,sun", "09:30-18:00")],
///   closed: ["2027-01-01", "2027-02-16..2027-02-22"],
///   special: [("2027-02-07", "09:00-17:30")],
/// )),
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OpeningHours {
    /// The hall's IANA time zone (`Asia/Shanghai`); default: the PC's own.
    pub time_zone: Option<String>,
    /// Weekly hours: days (`mon-fri`, `sat,sun`, `tue`; `mon`…`sun`) and times
    /// (`09:00-17:30`, 24-hour, `24:00` for midnight at the end). A day may be listed more
    /// than once (a lunch break); days not listed are closed.
    pub week: Vec<(String, String)>,
    /// Dates closed all day (`2027-01-01`), or ranges with both ends included
    /// (`2027-02-16..2027-02-22`): holidays.
    pub closed: Vec<String>,
    /// Dates open with their own hours, over `week` and `closed` (a make-up working day,
    /// 调休, or an evening event): (`2027-02-07`, `09:00-17:30`).
    pub special: Vec<(String, String)>,
}

impl Default for OpeningHours {
    fn default() -> Self {
        Self {
            time_zone: None,
            week: vec![("mon-sun".into(), "09:00-17:00".into())],
            closed: Vec::new(),
            special: Vec::new(),
        }
    }
}

/// Minutes since midnight, from (included) to (excluded).
type Span = (u16, u16);

/// The opening hours, read: what [`Schedule::is_open`] and [`Schedule::next_change`] use.
#[derive(Debug, Clone)]
pub struct Schedule {
    tz: TimeZone,
    /// Per weekday, Monday first.
    week: [Vec<Span>; 7],
    closed: Vec<(Date, Date)>,
    special: Vec<(Date, Span)>,
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn day(s: &str) -> Result<usize, String> {
    let s = s.trim().to_ascii_lowercase();
    DAYS.iter()
        .position(|d| s.starts_with(d))
        .ok_or_else(|| format!("{s:?} is not a day (mon, tue, wed, thu, fri, sat, sun)"))
}

/// `mon-fri`, `sat,sun`, `tue`, `fri-mon` (wrapping): the weekdays, Monday = 0.
fn days(s: &str) -> Result<Vec<usize>, String> {
    let mut out = Vec::new();
    for part in s.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day(a)?, day(b)?);
                let mut d = a;
                loop {
                    out.push(d);
                    if d == b {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            }
            None => out.push(day(part)?),
        }
    }
    Ok(out)
}

fn clock(s: &str) -> Result<u16, String> {
    let bad = || format!("{s:?} is not a time like 09:30");
    let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if m >= 60 || h > 24 || (h == 24 && m > 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// `09:00-17:30`: the span, from before to.
fn span(s: &str) -> Result<Span, String> {
    let (a, b) = s
        .split_once('-')
        .ok_or_else(|| format!("{s:?} is not hours like 09:00-17:30"))?;
    let (a, b) = (clock(a)?, clock(b)?);
    if a >= b {
        return Err(format!(
            "{s:?}: the hall opens before it closes (hours past midnight: two entries)"
        ));
    }
    Ok((a, b))
}

fn date(s: &str) -> Result<Date, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a date like 2027-01-01"))
}

impl Schedule {
    /// Reads the configuration's form. Errors: the field (`hours.week`, …) and what is
    /// wrong in it (a day, a time, a date, a time zone not in the database).
    pub fn new(h: &OpeningHours) -> Result<Schedule, (&'static str, String)> {
        let tz = match &h.time_zone {
            Some(name) => TimeZone::get(name).map_err(|e| {
                (
                    "hours.time_zone",
                    format!("{name:?} is not a time zone like Asia/Shanghai ({e})"),
                )
            })?,
            None => TimeZone::system(),
        };
        let mut week: [Vec<Span>; 7] = Default::default();
        if h.week.is_empty() && h.special.is_empty() {
            return Err((
                "hours.week",
                "lists no hours: the hall would never open".into(),
            ));
        }
        for (d, t) in &h.week {
            let t = span(t).map_err(|e| ("hours.week", e))?;
            for d in days(d).map_err(|e| ("hours.week", e))? {
                week[d].push(t);
            }
        }
        let mut closed = Vec::new();
        for c in &h.closed {
            let range = match c.split_once("..") {
                Some((a, b)) => (date(a), date(b)),
                None => (date(c), date(c)),
            };
            let (a, b) = match range {
                (Ok(a), Ok(b)) => (a, b),
                (Err(e), _) | (_, Err(e)) => return Err(("hours.closed", e)),
            };
            if a > b {
                return Err(("hours.closed", format!("{c:?} ends before it starts")));
            }
            closed.push((a, b));
        }
        let mut special = Vec::new();
        for (d, t) in &h.special {
            special.push((
                date(d).map_err(|e| ("hours.special", e))?,
                span(t).map_err(|e| ("hours.special", e))?,
            ));
        }
        Ok(Schedule {
            tz,
            week,
            closed,
            special,
        })
    }

    /// The spans a date is open, minutes since midnight: its special hours if it has
    /// any, else none when closed, else its weekday's.
    fn spans(&self, d: Date) -> Vec<Span> {
        let special: Vec<Span> = self
            .special
            .iter()
            .filter(|(sd, _)| *sd == d)
            .map(|(_, s)| *s)
            .collect();
        if !special.is_empty() {
            return special;
        }
        if self.closed.iter().any(|(a, b)| *a <= d && d <= *b) {
            return Vec::new();
        }
        self.week[d.weekday().to_monday_zero_offset() as usize].clone()
    }

    fn local(&self, t: Timestamp) -> ZonedDateTime {
        t.to_zoned_datetime(self.tz.clone())
    }

    /// Whether the hall is open at `t`.
    pub fn is_open(&self, t: Timestamp) -> bool {
        let z = self.local(t);
        let minute = z.hour() as u16 * 60 + z.minute() as u16;
        self.spans(z.date())
            .iter()
            .any(|(a, b)| *a <= minute && minute < *b)
    }

    /// The first moment after `t` when the hall opens or closes (within 400 days; `None`
    /// past that: always open or always closed).
    pub fn next_change(&self, t: Timestamp) -> Option<Timestamp> {
        let now = self.is_open(t);
        let mut d = self.local(t).date();
        for _ in 0..400 {
            let mut edges: Vec<u16> = self.spans(d).iter().flat_map(|(a, b)| [*a, *b]).collect();
            edges.push(0);
            edges.sort_unstable();
            for m in edges {
                let at = if m >= 24 * 60 {
                    d.tomorrow().ok()?.at(0, 0, 0, 0)
                } else {
                    d.at((m / 60) as i8, (m % 60) as i8, 0, 0)
                };
                if let Ok(ts) = self.tz.to_timestamp(at)
                    && ts > t
                    && self.is_open(ts) != now
                {
                    return Some(ts);
                }
            }
            d = d.tomorrow().ok()?;
        }
        None
    }

    /// The time zone's name, for the log.
    pub fn zone_name(&self) -> &str {
        self.tz.iana_name().unwrap_or("the PC's time zone")
    }
}

/// A civil time (`2027-01-05T09:00`) in a time zone, as an instant (for tests).
#[cfg(test)]
fn at(tz: &str, s: &str) -> Timestamp {
    let dt: jiff::civil::DateTime = s.parse().unwrap_or_default();
    TimeZone::get(tz)
        .and_then(|z| z.to_timestamp(dt))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hall() -> Schedule {
        Schedule::new(&OpeningHours {
            time_zone: Some("Asia/Shanghai".into()),
            week: vec![
                ("tue-fri".into(), "09:00-12:00".into()),
                ("tue-fri".into(), "13:30-17:30".into()),
                ("sat,sun".into(), "09:30-24:00".into()),
            ],
            closed: vec!["2027-01-01".into(), "2027-02-16..2027-02-22".into()],
            special: vec![("2027-02-20".into(), "10:00-15:00".into())],
        })
        .unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn the_week_holidays_and_special_days_decide() {
        let s = hall();
        let sh = |t: &str| at("Asia/Shanghai", t);
        // 2027-01-05 is a Tuesday; 2027-01-04 a Monday.
        assert!(s.is_open(sh("2027-01-05T09:00")));
        assert!(!s.is_open(sh("2027-01-05T08:59")));
        assert!(!s.is_open(sh("2027-01-05T12:30")), "lunch");
        assert!(s.is_open(sh("2027-01-05T17:29")));
        assert!(!s.is_open(sh("2027-01-05T17:30")));
        assert!(!s.is_open(sh("2027-01-04T10:00")), "Mondays closed");
        assert!(s.is_open(sh("2027-01-09T23:59")), "Saturday to midnight");
        assert!(!s.is_open(sh("2027-01-01T10:00")), "a holiday (a Friday)");
        assert!(!s.is_open(sh("2027-02-18T10:00")), "inside a closed range");
        assert!(s.is_open(sh("2027-02-20T10:00")), "a special day inside it");
        assert!(!s.is_open(sh("2027-02-20T09:45")));
        // The same instant in UTC is 8 hours earlier: 01:00Z is 09:00 in Shanghai.
        assert!(s.is_open(at("UTC", "2027-01-05T01:00")));
    }

    #[test]
    fn the_next_change_is_the_next_opening_or_closing() {
        let s = hall();
        let sh = |t: &str| at("Asia/Shanghai", t);
        assert_eq!(
            s.next_change(sh("2027-01-05T10:00")),
            Some(sh("2027-01-05T12:00"))
        );
        assert_eq!(
            s.next_change(sh("2027-01-05T12:00")),
            Some(sh("2027-01-05T13:30"))
        );
        // Monday night → Tuesday morning; Saturday closes at midnight (Sunday opens at
        // 09:30).
        assert_eq!(
            s.next_change(sh("2027-01-04T20:00")),
            Some(sh("2027-01-05T09:00"))
        );
        assert_eq!(
            s.next_change(sh("2027-01-09T20:00")),
            Some(sh("2027-01-10T00:00"))
        );
        // Over the holiday week (closed from Tuesday the 16th): the special Saturday.
        assert_eq!(
            s.next_change(sh("2027-02-15T20:00")),
            Some(sh("2027-02-20T10:00"))
        );
        let never = Schedule::new(&OpeningHours {
            closed: vec!["2000-01-01..2100-12-31".into()],
            ..OpeningHours::default()
        })
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert!(!never.is_open(Timestamp::now()));
        assert_eq!(never.next_change(Timestamp::now()), None);
    }

    #[test]
    fn mistakes_name_the_field_and_the_entry() {
        for (h, field, says) in [
            (
                OpeningHours {
                    week: vec![("mon-fry".into(), "09:00-17:00".into())],
                    ..OpeningHours::default()
                },
                "hours.week",
                "\"fry\" is not a day",
            ),
            (
                OpeningHours {
                    week: vec![("mon".into(), "17:00-09:00".into())],
                    ..OpeningHours::default()
                },
                "hours.week",
                "opens before it closes",
            ),
            (
                OpeningHours {
                    week: vec![("mon".into(), "9-17".into())],
                    ..OpeningHours::default()
                },
                "hours.week",
                "not a time",
            ),
            (
                OpeningHours {
                    closed: vec!["2027-02-30".into()],
                    ..OpeningHours::default()
                },
                "hours.closed",
                "not a date",
            ),
            (
                OpeningHours {
                    time_zone: Some("Shibei/Qingdao".into()),
                    ..OpeningHours::default()
                },
                "hours.time_zone",
                "not a time zone",
            ),
            (
                OpeningHours {
                    week: Vec::new(),
                    ..OpeningHours::default()
                },
                "hours.week",
                "never open",
            ),
        ] {
            let e = Schedule::new(&h).err().unwrap_or_default();
            assert_eq!(e.0, field, "{e:?}");
            assert!(e.1.contains(says), "{e:?}");
        }
    }
}
