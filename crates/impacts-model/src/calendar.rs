//! Proleptic Gregorian calendar arithmetic on seconds since 1970-01-01T00:00:00 (no time zone
//! database: callers say which clock their seconds count).

/// Whether `y` is a leap year.
pub fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days in month `m` (1–12) of year `y`.
pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if is_leap(y) {
                29
            } else {
                28
            }
        }
    }
}

/// Days since 1970-01-01 of a date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month, day) of a number of days since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Seconds since 1970-01-01T00:00:00 of a date and time, if it is a valid one (a leap second,
/// `:60`, is accepted and counts as the next second).
pub fn seconds_from_civil(y: i64, m: u32, d: u32, hh: u32, mm: u32, ss: u32) -> Option<i64> {
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || hh > 23 || mm > 59 || ss > 60
    {
        return None;
    }
    Some(
        days_from_civil(y, m, d) * 86_400
            + i64::from(hh) * 3600
            + i64::from(mm) * 60
            + i64::from(ss),
    )
}

/// Year, month, day, hours, minutes, seconds of a number of seconds since 1970-01-01.
pub fn civil_from_seconds(t: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    (
        y,
        m,
        d,
        (secs / 3600) as u32,
        ((secs / 60) % 60) as u32,
        (secs % 60) as u32,
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
        assert_eq!(days_from_civil(2023, 3, 26), 19_442);
        assert_eq!(civil_from_days(19_442), (2023, 3, 26));
        assert_eq!(seconds_from_civil(1970, 1, 1, 0, 0, 0), Some(0));
        assert_eq!(seconds_from_civil(2023, 2, 29, 0, 0, 0), None);
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
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }
}
