//! The key dates in a window of days, as a reader in New York counts days.

use jiff::{Span, Timestamp, civil::Date, tz::TimeZone};

use crate::{KeyDate, When, tz::NEW_YORK};

/// The events whose instant, or whose run of whole days (in America/New_York), overlaps
/// `[from, from + days)`, where `days` counts calendar days in New York (so a window across a
/// DST change is 23 or 25 hours longer or shorter than `days × 24` h). Sorted by start (a
/// whole day starts at New York midnight), then summary and UID. Empty when `days <= 0`.
pub fn upcoming(events: &[KeyDate], from: Timestamp, days: i64) -> Vec<&KeyDate> {
    if days <= 0 {
        return Vec::new();
    }
    let tz = TimeZone::get(NEW_YORK).unwrap_or(TimeZone::UTC);
    let to = Span::new()
        .try_days(days)
        .ok()
        .and_then(|span| from.to_zoned_datetime(tz.clone()).checked_add(span).ok())
        .map_or(Timestamp::MAX, |z| z.timestamp());
    let midnight =
        |d: Date| d.to_zoned_datetime(tz.clone()).map_or(Timestamp::MAX, |z| z.timestamp());
    let mut hits: Vec<(Timestamp, &KeyDate)> = events
        .iter()
        .filter_map(|e| match e.when {
            When::At(t) => (from <= t && t < to).then_some((t, e)),
            When::Day { start, end } => {
                let begins = midnight(start);
                let ends = end.tomorrow().map_or(Timestamp::MAX, midnight);
                (begins < to && ends > from).then_some((begins, e))
            }
        })
        .collect();
    hits.sort_by(|a, b| (a.0, &a.1.summary, &a.1.uid).cmp(&(b.0, &b.1.summary, &b.1.uid)));
    hits.into_iter().map(|(_, e)| e).collect()
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn event(uid: &str, when: When) -> KeyDate {
        KeyDate {
            uid: uid.into(),
            summary: uid.into(),
            description: None,
            location: None,
            url: None,
            categories: Vec::new(),
            when,
            tentative: false,
            source: "test".into(),
        }
    }

    fn ts(text: &str) -> Timestamp {
        text.parse().expect("timestamp")
    }

    fn uids(events: Vec<&KeyDate>) -> Vec<&str> {
        events.iter().map(|e| e.uid.as_str()).collect()
    }

    #[test]
    fn instants_are_half_open_and_day_ranges_overlap() {
        let events = [
            event("late", When::At(ts("2026-12-09T19:00:00Z"))),
            event("fomc", When::Day { start: date(2026, 12, 8), end: date(2026, 12, 9) }),
            event("before", When::At(ts("2026-12-01T04:59:59Z"))),
            event("at-from", When::At(ts("2026-12-01T05:00:00Z"))),
            event("at-to", When::At(ts("2026-12-08T05:00:00Z"))),
            event("month", When::Day { start: date(2026, 11, 1), end: date(2026, 12, 31) }),
            event("nov-30", When::Day { start: date(2026, 11, 30), end: date(2026, 11, 30) }),
        ];
        // A week from New York midnight on Dec 1 (EST, UTC-5).
        let from = ts("2026-12-01T05:00:00Z");
        assert_eq!(uids(upcoming(&events, from, 7)), ["month", "at-from"]);
        assert_eq!(uids(upcoming(&events, from, 8)), ["month", "at-from", "at-to", "fomc"]);
        assert_eq!(uids(upcoming(&events, from, 9)), ["month", "at-from", "at-to", "fomc", "late"]);
        assert!(upcoming(&events, from, 0).is_empty());
        assert!(upcoming(&events, from, -3).is_empty());
        assert_eq!(upcoming(&events, from, i64::MAX).len(), 5);
        // From mid-afternoon on Nov 30: that day still overlaps; the window ends 24 h later.
        assert_eq!(
            uids(upcoming(&events, ts("2026-11-30T20:00:00Z"), 1)),
            ["month", "nov-30", "before", "at-from"]
        );
    }

    #[test]
    fn windows_count_new_york_days_across_dst() {
        // DST ends Sunday 2026-11-01: the 7 days from Oct 29 00:00 EDT end Nov 5 00:00 EST,
        // 169 hours later.
        let from = ts("2026-10-29T04:00:00Z");
        let events = [
            event("last-minute", When::At(ts("2026-11-05T04:59:59Z"))),
            event("next-day", When::At(ts("2026-11-05T05:00:00Z"))),
            event("nov-5", When::Day { start: date(2026, 11, 5), end: date(2026, 11, 5) }),
            event("nov-4", When::Day { start: date(2026, 11, 4), end: date(2026, 11, 4) }),
        ];
        assert_eq!(uids(upcoming(&events, from, 7)), ["nov-4", "last-minute"]);
        // DST starts 2026-03-08: 7 days from Mar 5 00:00 EST end Mar 12 00:00 EDT, 167 hours.
        let from = ts("2026-03-05T05:00:00Z");
        let events = [
            event("in", When::At(ts("2026-03-12T03:59:59Z"))),
            event("out", When::At(ts("2026-03-12T04:00:00Z"))),
        ];
        assert_eq!(uids(upcoming(&events, from, 7)), ["in"]);
    }
}
