//! Instants from the schedulers' clocks.
//!
//! sacct prints the cluster's local time without its zone; SWF gives local time with its offset;
//! sacct's JSON gives UNIX time. Per-job outputs give instants in UTC: local times are placed in
//! the center's IANA time zone (the center file's `time_zone`, or the run's option) with the
//! bundled time-zone database. In the repeated hour of autumn a local time is ambiguous: the
//! earlier instant is taken (the "compatible" rule of RFC 5545 and Temporal).

use jiff::tz::TimeZone;

use crate::record::{Clock, Timestamp};

/// Converts the times of records to UTC, one local hour's offset cached.
pub struct Clocks {
    zone: Option<TimeZone>,
    /// The last local hour converted and its offset (seconds to subtract).
    cache: Option<(i64, i64)>,
}

impl Clocks {
    /// Clocks in `zone` (None: local times taken as UTC, the caller warns).
    pub fn new(zone: Option<TimeZone>) -> Clocks {
        Clocks { zone, cache: None }
    }

    /// True when local times have no zone to be placed in.
    pub fn zone_unknown(&self) -> bool {
        self.zone.is_none()
    }

    /// A record's time in UTC seconds; None beyond the years −9999 to 9999 (the caller warns).
    pub fn utc(&mut self, t: Option<Timestamp>, clock: Clock) -> Option<i64> {
        let t = t?.0;
        let utc = match clock {
            Clock::Utc => Some(t),
            Clock::Offset(east) => t.checked_sub(east),
            Clock::Local => t.checked_sub(self.offset(t)),
        }?;
        // Instants the calendar cannot write (beyond the years −9999 to 9999) are no time.
        jiff::Timestamp::from_second(utc).is_ok().then_some(utc)
    }

    /// The offset of local seconds `t` from UTC in the zone (0 without one).
    fn offset(&mut self, t: i64) -> i64 {
        let Some(zone) = &self.zone else {
            return 0;
        };
        let hour = t.div_euclid(3600);
        if let Some((h, off)) = self.cache {
            if h == hour {
                return off;
            }
        }
        let off = local_offset(zone, t).unwrap_or(0);
        self.cache = Some((hour, off));
        off
    }
}

/// The offset (local − UTC, seconds) of a local time, as seconds since 1970 of the local clock.
fn local_offset(zone: &TimeZone, local: i64) -> Option<i64> {
    let civil = TimeZone::UTC.to_datetime(jiff::Timestamp::from_second(local).ok()?);
    let utc = zone.to_timestamp(civil).ok()?.as_second();
    Some(local - utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(s: &str) -> Timestamp {
        crate::record::parse_time(s).unwrap().unwrap()
    }

    #[test]
    fn paris_local_times_become_utc_instants_across_daylight_saving() {
        let mut c = Clocks::new(Some(TimeZone::get("Europe/Paris").unwrap()));
        // Winter: UTC+1. 2024-01-15T12:00:00 local is 11:00Z (date -u -d '2024-01-15 12:00 CET').
        let w = c
            .utc(Some(local("2024-01-15T12:00:00")), Clock::Local)
            .unwrap();
        assert_eq!(w, local("2024-01-15T11:00:00").0);
        // Summer: UTC+2.
        let s = c
            .utc(Some(local("2024-07-15T12:00:00")), Clock::Local)
            .unwrap();
        assert_eq!(s, local("2024-07-15T10:00:00").0);
        // The repeated hour of 2024-10-27 (02:00–03:00 twice): the earlier instant, UTC+2.
        let a = c
            .utc(Some(local("2024-10-27T02:30:00")), Clock::Local)
            .unwrap();
        assert_eq!(a, local("2024-10-27T00:30:00").0);
        // The skipped hour of 2024-03-31 (02:00–03:00 does not exist): moved forward, 01:30Z.
        let g = c
            .utc(Some(local("2024-03-31T02:30:00")), Clock::Local)
            .unwrap();
        assert_eq!(g, local("2024-03-31T01:30:00").0);
    }

    #[test]
    fn utc_and_offset_clocks_need_no_zone() {
        let mut c = Clocks::new(None);
        assert!(c.zone_unknown());
        assert_eq!(c.utc(Some(Timestamp(100)), Clock::Utc), Some(100));
        assert_eq!(c.utc(Some(Timestamp(3700)), Clock::Offset(3600)), Some(100));
        assert_eq!(c.utc(Some(Timestamp(100)), Clock::Local), Some(100));
        assert_eq!(c.utc(None, Clock::Utc), None);
        // A corrupt UNIX time (year 31 million) is no instant, rather than a year the calendar
        // cannot write.
        assert_eq!(
            c.utc(Some(Timestamp(1_000_000_000_000_000)), Clock::Utc),
            None
        );
        assert_eq!(
            c.utc(Some(Timestamp(253_402_128_000)), Clock::Utc),
            Some(253_402_128_000)
        );
    }
}
