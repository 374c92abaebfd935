//! Dates and times as seconds since 1970-01-01T00:00:00 of a clock the caller names, through
//! jiff (the proleptic Gregorian calendar of its `civil` types; no time zone here: the callers
//! that read local times place them in their IANA zone with jiff's bundled database).
//! Years run from −9999 to 9999, jiff's range; beyond it the functions say `None` (or clamp,
//! for formatting).

use jiff::civil::DateTime;
use jiff::tz::Offset;
use jiff::Timestamp;

/// The civil date and time of seconds since 1970-01-01 (None beyond jiff's range).
fn datetime(t: i64) -> Option<DateTime> {
    Timestamp::from_second(t)
        .ok()
        .map(|ts| Offset::UTC.to_datetime(ts))
}

/// Days since 1970-01-01 of a date (None for a date that does not exist).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> Option<i64> {
    seconds_from_civil(y, m, d, 0, 0, 0).map(|s| s.div_euclid(86_400))
}

/// The date (year, month, day) of a number of days since 1970-01-01 (None beyond jiff's range).
pub fn civil_from_days(z: i64) -> Option<(i64, u32, u32)> {
    let dt = datetime(z.checked_mul(86_400)?)?;
    Some((i64::from(dt.year()), dt.month() as u32, dt.day() as u32))
}

/// Seconds since 1970-01-01T00:00:00 of a date and time, if it is a valid one (a leap second,
/// `:60`, is accepted and counts as the next second).
pub fn seconds_from_civil(y: i64, m: u32, d: u32, hh: u32, mm: u32, ss: u32) -> Option<i64> {
    let small = |v: u32| i8::try_from(v).ok();
    let leap = ss == 60;
    let dt = DateTime::new(
        i16::try_from(y).ok()?,
        small(m)?,
        small(d)?,
        small(hh)?,
        small(mm)?,
        small(if leap { 59 } else { ss })?,
        0,
    )
    .ok()?;
    let t = Offset::UTC.to_timestamp(dt).ok()?.as_second();
    Some(t + i64::from(leap))
}

/// Year, month, day, hours, minutes, seconds of a number of seconds since 1970-01-01 (the
/// nearest end of jiff's range beyond it).
pub fn civil_from_seconds(t: i64) -> (i64, u32, u32, u32, u32, u32) {
    let dt = datetime(t).unwrap_or(if t < 0 { DateTime::MIN } else { DateTime::MAX });
    (
        i64::from(dt.year()),
        dt.month() as u32,
        dt.day() as u32,
        dt.hour() as u32,
        dt.minute() as u32,
        dt.second() as u32,
    )
}

/// `YYYY-MM-DDTHH:MM:SS` of a number of seconds since 1970-01-01 (add `Z` for UTC).
pub fn format_seconds(t: i64) -> String {
    let (y, m, d, hh, mm, ss) = civil_from_seconds(t);
    format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_known_dates() {
        // 2023-03-26 is a Sunday, 19442 days after 1970-01-01 (date arithmetic by hand: 53 years
        // of 365 days + 13 leap days = 19358, + 84 days from 1 January to 26 March).
        assert_eq!(days_from_civil(2023, 3, 26), Some(19_442));
        assert_eq!(civil_from_days(19_442), Some((2023, 3, 26)));
        assert_eq!(seconds_from_civil(1970, 1, 1, 0, 0, 0), Some(0));
        assert_eq!(seconds_from_civil(2023, 2, 29, 0, 0, 0), None);
        assert_eq!(seconds_from_civil(2023, 13, 1, 0, 0, 0), None);
        assert_eq!(seconds_from_civil(2023, 1, 1, 24, 0, 0), None);
        // A leap second counts as the next second.
        assert_eq!(
            seconds_from_civil(2016, 12, 31, 23, 59, 60),
            seconds_from_civil(2017, 1, 1, 0, 0, 0)
        );
        assert_eq!(
            seconds_from_civil(2024, 2, 29, 12, 0, 0).map(civil_from_seconds),
            Some((2024, 2, 29, 12, 0, 0))
        );
        for t in [-86_401_i64, 0, 951_782_400, 1_700_000_000] {
            let (y, m, d, hh, mm, ss) = civil_from_seconds(t);
            assert_eq!(seconds_from_civil(y, m, d, hh, mm, ss), Some(t));
        }
        assert_eq!(format_seconds(1_700_000_000), "2023-11-14T22:13:20");
        for days in [-1000i64, 0, 59, 60, 365, 10_957, 19_000, 30_000] {
            let (y, m, d) = civil_from_days(days).unwrap();
            assert_eq!(days_from_civil(y, m, d), Some(days));
        }
        assert_eq!(civil_from_days(19_782), Some((2024, 2, 29)));
        // Beyond jiff's years: None, or the range's end when formatting.
        assert_eq!(civil_from_days(5_000_000), None);
        assert_eq!(seconds_from_civil(20_000, 1, 1, 0, 0, 0), None);
        assert_eq!(format_seconds(i64::MAX), "9999-12-31T23:59:59");
    }
}
