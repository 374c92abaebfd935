//! ReFrame's times: RFC 3339 with an offset (`+01:00` or `+0100`), or a local time without a
//! zone (ReFrame 4's default `job_completion_time`), or Unix seconds.

/// A time as UTC seconds, and whether it carried no zone (then read as UTC).
pub(crate) fn parse(text: &str) -> Option<(i64, bool)> {
    let t = text.trim();
    if t.is_empty() || t == "null" || t == "None" {
        return None;
    }
    if let Ok(ts) = t.parse::<jiff::Timestamp>() {
        return Some((ts.as_second(), false));
    }
    if let Ok(ts) = jiff::Timestamp::strptime("%Y-%m-%dT%H:%M:%S%z", t) {
        return Some((ts.as_second(), false));
    }
    if let Ok(dt) = t.parse::<jiff::civil::DateTime>() {
        let ts = jiff::tz::TimeZone::UTC.to_timestamp(dt).ok()?;
        return Some((ts.as_second(), true));
    }
    None
}

/// Unix seconds (a float, as ReFrame writes `job_completion_time_unix`).
pub(crate) fn unix(text: &str) -> Option<i64> {
    let x: f64 = text.trim().parse().ok()?;
    x.is_finite().then_some(x.floor() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_local_times() {
        // 2020-09-30T14:23:17Z is 1601475797 s (date -u -d 2020-09-30T14:23:17 +%s).
        assert_eq!(
            parse("2020-09-30T15:23:17+01:00"),
            Some((1_601_475_797, false))
        );
        assert_eq!(
            parse("2020-09-30T15:23:17+0100"),
            Some((1_601_475_797, false))
        );
        assert_eq!(parse("2020-09-30T14:23:17"), Some((1_601_475_797, true)));
        assert_eq!(parse("None"), None);
        assert_eq!(unix("1601475797.758"), Some(1_601_475_797));
    }
}
