//! What `parse` does with broken, cancelled, recurring and oddly zoned events.

use marketdesk_calendars::{Calendar, Error, When, parse};

fn read(text: &str) -> Calendar {
    parse(text.as_bytes(), "test.ics").expect("calendar")
}

fn at(when: &When) -> String {
    match when {
        When::At(t) => t.to_string(),
        When::Day { start, end } => format!("{start}..{end}"),
    }
}

#[test]
fn a_broken_event_is_a_problem_with_its_line_and_the_rest_is_read() {
    let calendar = read(
        "BEGIN:VCALENDAR\n\
         BEGIN:VEVENT\nUID:a\nDTSTART:20260101T120000Z\nSUMMARY:First\nEND:VEVENT\n\
         BEGIN:VEVENT\nUID:b\nDTSTART:2026-13-45\nSUMMARY:Bad date\nEND:VEVENT\n\
         BEGIN:VEVENT\nUID:c\nSUMMARY:No start\nEND:VEVENT\n\
         BEGIN:VEVENT\nUID:d\nDTSTART;VALUE=DATE:20260102\nEND:VEVENT\n\
         BEGIN:VEVENT\nUID:e\nDTSTART:20260103T120000Z\nSUMMARY:Last\nEND:VEVENT\n\
         END:VCALENDAR\n",
    );
    let uids: Vec<&str> = calendar.events.iter().map(|e| e.uid.as_str()).collect();
    assert_eq!(uids, ["a", "e"]);
    let problems: Vec<(usize, &str)> =
        calendar.problems.iter().map(|p| (p.line, p.message.as_str())).collect();
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert_eq!(problems[0].0, 9);
    assert!(problems[0].1.starts_with("DTSTART \"2026-13-45\""), "{}", problems[0].1);
    assert_eq!(problems[1], (12, "VEVENT without DTSTART; skipped"));
    assert_eq!(problems[2], (16, "VEVENT without SUMMARY; skipped"));
}

#[test]
fn not_a_calendar_is_an_error() {
    assert!(matches!(parse(b"<html></html>", "x"), Err(Error::NotICalendar { .. })));
    assert!(matches!(parse(b"", "x"), Err(Error::NotICalendar { .. })));
    assert!(matches!(parse(b"BEGIN:VCALENDAR\0", "x"), Err(Error::NotText { .. })));
    let empty = read("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
    assert!(empty.events.is_empty() && empty.problems.is_empty());
}

#[test]
fn cancelled_tentative_escapes_and_missing_uid() {
    let text = "BEGIN:VCALENDAR\n\
        BEGIN:VEVENT\nUID:gone\nSTATUS:CANCELLED\nDTSTART:20260101T120000Z\nSUMMARY:Gone\nEND:VEVENT\n\
        BEGIN:VEVENT\nSTATUS:tentative\nDTSTART;VALUE=DATE:20260105\nDURATION:P3D\n\
        SUMMARY:Semi\\;colon\\, comma\\nand a\n  folded line\nLOCATION:Room\\, 2\n\
        CATEGORIES:A\\,B,C\nCATEGORIES:C,D\nEND:VEVENT\nEND:VCALENDAR";
    let calendar = read(text);
    assert_eq!(calendar.events.len(), 1);
    let event = &calendar.events[0];
    assert!(event.tentative);
    assert_eq!(event.summary, "Semi;colon, comma and a folded line");
    assert_eq!(event.location.as_deref(), Some("Room, 2"));
    assert_eq!(event.categories, ["A,B", "C", "D"]);
    assert_eq!(at(&event.when), "2026-01-05..2026-01-07");
    assert!(event.uid.ends_with("@marketdesk-calendars"));
    // Stable across reads, different for another source.
    assert_eq!(read(text).events[0].uid, event.uid);
    let other = parse(text.as_bytes(), "other.ics").expect("calendar");
    assert_ne!(other.events[0].uid, event.uid);
}

#[test]
fn weekly_rule_keeps_local_time_across_dst_with_exdate_and_override() {
    let calendar = read(
        "BEGIN:VCALENDAR\n\
         BEGIN:VEVENT\nUID:claims\nSUMMARY:Jobless claims\n\
         DTSTART;TZID=America/New_York:20260226T083000\nRRULE:FREQ=WEEKLY;COUNT=4\n\
         EXDATE;TZID=America/New_York:20260305T083000\nEND:VEVENT\n\
         BEGIN:VEVENT\nUID:claims\nRECURRENCE-ID;TZID=America/New_York:20260312T083000\n\
         DTSTART;TZID=America/New_York:20260313T083000\nSUMMARY:Jobless claims (moved)\nEND:VEVENT\n\
         END:VCALENDAR\n",
    );
    assert!(calendar.problems.is_empty(), "{:?}", calendar.problems);
    let got: Vec<(String, String)> =
        calendar.events.iter().map(|e| (e.uid.clone(), at(&e.when))).collect();
    assert_eq!(
        got,
        [
            ("claims/20260226T133000Z".into(), "2026-02-26T13:30:00Z".into()),
            ("claims/20260319T123000Z".into(), "2026-03-19T12:30:00Z".into()),
            ("claims/20260312T123000Z".into(), "2026-03-13T12:30:00Z".into()),
        ]
    );
}

#[test]
fn rules_until_unsupported_and_unbounded() {
    let calendar = read(
        "BEGIN:VCALENDAR\n\
         BEGIN:VEVENT\nUID:m\nSUMMARY:Monthly\nDTSTART;VALUE=DATE:20260115\n\
         RRULE:FREQ=MONTHLY;UNTIL=20260415\nEND:VEVENT\n\
         BEGIN:VEVENT\nUID:s\nSUMMARY:Setpos\nDTSTART;VALUE=DATE:20260130\n\
         RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1\nEND:VEVENT\n\
         BEGIN:VEVENT\nUID:d\nSUMMARY:Daily\nDTSTART:20260101T000000Z\nRRULE:FREQ=DAILY\nEND:VEVENT\n\
         END:VCALENDAR\n",
    );
    let count = |uid: &str| calendar.events.iter().filter(|e| e.uid.starts_with(uid)).count();
    assert_eq!(
        (count("m/"), count("s/"), count("d/")),
        (4, 1, marketdesk_calendars::MAX_OCCURRENCES)
    );
    let lines: Vec<usize> = calendar.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [12, 18], "{:?}", calendar.problems);
    assert!(
        calendar.problems[0].message.starts_with("RRULE not expanded (BYSETPOS not supported)")
    );
}

#[test]
fn floating_times_unknown_zones_and_vtimezone_rules() {
    let calendar = read(
        "BEGIN:VCALENDAR\nX-WR-TIMEZONE:Europe/London\n\
         BEGIN:VTIMEZONE\nTZID:Exchange Time\n\
         BEGIN:STANDARD\nDTSTART:16010101T000000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0100\nEND:STANDARD\n\
         END:VTIMEZONE\n\
         BEGIN:VEVENT\nUID:f\nSUMMARY:Floating\nDTSTART:20260701T090000\nEND:VEVENT\n\
         BEGIN:VEVENT\nUID:u\nSUMMARY:Unknown\nDTSTART;TZID=Mars/Base:20260701T090000\nEND:VEVENT\n\
         BEGIN:VEVENT\nUID:v\nSUMMARY:Custom\nDTSTART;TZID=\"Exchange Time\":20260701T090000\n\
         BEGIN:VALARM\nTRIGGER:-PT15M\nDESCRIPTION:not this\nEND:VALARM\nEND:VEVENT\n\
         END:VCALENDAR\n",
    );
    let got: Vec<String> = calendar.events.iter().map(|e| at(&e.when)).collect();
    assert_eq!(got, ["2026-07-01T08:00:00Z", "2026-07-01T08:00:00Z", "2026-07-01T08:00:00Z"]);
    assert_eq!(calendar.events[2].description, None);
    assert_eq!(calendar.problems.len(), 1);
    assert_eq!(calendar.problems[0].line, 19);

    // Without X-WR-TIMEZONE, floating times are New York's.
    let ny = read(
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:f\nSUMMARY:F\nDTSTART:20260701T090000\nEND:VEVENT\n",
    );
    assert_eq!(at(&ny.events[0].when), "2026-07-01T13:00:00Z");
    // ... and the missing END:VCALENDAR is reported.
    assert_eq!(ny.problems.len(), 1);
}

#[test]
fn truncation_and_missing_ends() {
    let calendar = read(
        "BEGIN:VCALENDAR\n\
         BEGIN:VEVENT\nUID:a\nSUMMARY:No end\nDTSTART:20260101T120000Z\n\
         BEGIN:VEVENT\nUID:b\nSUMMARY:Fine\nDTSTART:20260102T120000Z\nEND:VEVENT\n\
         a stray line\n\
         END:VTODO\n\
         BEGIN:VEVENT\nUID:c\nSUMMARY:Cut",
    );
    let uids: Vec<&str> = calendar.events.iter().map(|e| e.uid.as_str()).collect();
    assert_eq!(uids, ["a", "b"]);
    let problems: Vec<usize> = calendar.problems.iter().map(|p| p.line).collect();
    assert_eq!(problems, [1, 2, 11, 12, 13], "{:?}", calendar.problems);
}
