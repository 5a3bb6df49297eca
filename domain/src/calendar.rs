//! The programme's calendar: Chongqing keeps Beijing time (UTC+8, no daylight saving), and the
//! notice's periods ("一个月内", natural days) are counted on that calendar.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// Beijing time, UTC+8 (8 hours is within `FixedOffset`'s range; the fallback is unreachable).
pub fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or(FixedOffset::east_opt(0).unwrap_or_else(|| Utc.fix()))
}

use chrono::Offset;

/// The calendar day in Chongqing at an instant.
pub fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&beijing()).date_naive()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    #[test]
    fn the_day_turns_at_midnight_beijing_time() {
        let just_before = chrono::Utc
            .with_ymd_and_hms(2024, 2, 29, 15, 59, 59)
            .unwrap();
        let midnight = chrono::Utc.with_ymd_and_hms(2024, 2, 29, 16, 0, 0).unwrap();
        assert_eq!(super::local_day(just_before).to_string(), "2024-02-29");
        assert_eq!(super::local_day(midnight).to_string(), "2024-03-01");
    }
}
