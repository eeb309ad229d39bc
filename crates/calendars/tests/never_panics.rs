//! `parse` never panics: arbitrary bytes, truncations of every fixture, and fixtures with
//! bytes changed.

use proptest::prelude::*;

const FIXTURES: &[&[u8]] = &[
    include_bytes!("../fixtures/fomc.ics"),
    include_bytes!("../fixtures/us-economic-releases-2026.ics"),
    include_bytes!("../fixtures/bls-excerpt.ics"),
    include_bytes!("../fixtures/earnings-tracker-excerpt.ics"),
    include_bytes!("../fixtures/jin10-excerpt.ics"),
    include_bytes!("../fixtures/earnings-ics-excerpt.ics"),
];

/// Lines that stress the parser when spliced into a calendar.
const NASTY: &[&str] = &[
    "BEGIN:VEVENT",
    "END:VEVENT",
    "BEGIN:VALARM",
    "END:VCALENDAR",
    "DTSTART:99991231T235959Z",
    "DTSTART;VALUE=DATE:00000101",
    "DTEND;VALUE=DATE:99991231",
    "DURATION:P99999999999W",
    "RRULE:FREQ=DAILY;INTERVAL=2147483647",
    "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-31,31;BYDAY=-5SU",
    "RRULE:FREQ=MONTHLY;BYDAY=-53MO;UNTIL=99991231",
    "EXDATE;TZID=Nowhere:20260101T000000,x",
    "RDATE;VALUE=DATE:20260101,99991231",
    "RECURRENCE-ID:20260101T000000Z",
    " continued",
    "\t",
    "X;P=\"",
    "SUMMARY:\\",
];

proptest! {
    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = marketdesk_calendars::parse(&bytes, "fuzz");
        let mut calendar = b"BEGIN:VCALENDAR\n".to_vec();
        calendar.extend_from_slice(&bytes);
        let _ = marketdesk_calendars::parse(&calendar, "fuzz");
    }

    #[test]
    fn truncated_fixtures(index in 0..FIXTURES.len(), cut in 0.0..1.0f64) {
        let bytes = FIXTURES[index];
        let at = ((bytes.len() as f64) * cut) as usize;
        let _ = marketdesk_calendars::parse(&bytes[..at.min(bytes.len())], "fuzz");
    }

    #[test]
    fn fixtures_with_changed_bytes(
        index in 0..FIXTURES.len(),
        edits in proptest::collection::vec((0.0..1.0f64, any::<u8>()), 1..16),
    ) {
        let mut bytes = FIXTURES[index].to_vec();
        for (at, byte) in edits {
            let at = ((bytes.len() as f64) * at) as usize;
            if let Some(b) = bytes.get_mut(at) {
                *b = byte;
            }
        }
        let _ = marketdesk_calendars::parse(&bytes, "fuzz");
    }

    #[test]
    fn fixtures_with_nasty_lines(
        index in 0..FIXTURES.len(),
        inserts in proptest::collection::vec((0.0..1.0f64, 0..NASTY.len()), 1..8),
    ) {
        let text = String::from_utf8_lossy(FIXTURES[index]).into_owned();
        let mut lines: Vec<&str> = text.lines().collect();
        for (at, which) in inserts {
            let at = ((lines.len() as f64) * at) as usize;
            lines.insert(at.min(lines.len()), NASTY[which]);
        }
        let _ = marketdesk_calendars::parse(lines.join("\r\n").as_bytes(), "fuzz");
    }
}
