//! From content lines to key dates: the component tree, each `VEVENT`'s times and text, and
//! recurrences.

use std::collections::BTreeMap;

use jiff::{
    Timestamp,
    civil::{Date, DateTime, Time},
};
use sha2::{Digest, Sha256};

use crate::{
    Calendar, Error, KeyDate, Problem, When,
    lines::{self, Line, Property},
    rrule,
    tz::{Observance, VTimezone, Zone, Zones},
};

/// The most occurrences one recurring event is expanded to.
pub const MAX_OCCURRENCES: usize = 500;

/// Components kept below the document: `VCALENDAR` > `VTIMEZONE` > `STANDARD`. Deeper ones
/// (and a `VALARM`'s insides) are walked but not kept, so nesting depth costs nothing.
const MAX_DEPTH: usize = 3;

/// Text properties a stray unfolded line most likely belongs to.
const TEXT_PROPERTIES: &[&str] = &["SUMMARY", "DESCRIPTION", "LOCATION", "COMMENT", "X-ALT-DESC"];

#[derive(Debug, Default)]
struct Component {
    name: String,
    line: usize,
    props: Vec<Property>,
    children: Vec<Component>,
    keep: bool,
    /// Closed by something other than its `END` (a following `BEGIN` or a parent's `END`).
    unclosed: bool,
    /// Still open when the input ended.
    cut: bool,
}

impl Component {
    fn get(&self, name: &str) -> Option<&Property> {
        self.props.iter().find(|p| p.name == name)
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Property> + 'a {
        self.props.iter().filter(move |p| p.name == name)
    }
}

/// See [`crate::parse`].
pub(crate) fn parse(bytes: &[u8], source: &str) -> Result<Calendar, Error> {
    let mut problems = Vec::new();
    let text = lines::decode(bytes, source, &mut problems)?;
    let lines = lines::unfold(&text);
    let Some(document) = tree(&lines, &mut problems) else {
        return Err(Error::NotICalendar { name: source.to_owned() });
    };

    let calendars: Vec<&Component> =
        document.children.iter().filter(|c| c.name == "VCALENDAR").collect();
    let calendar_property = |name: &str| {
        calendars.iter().find_map(|c| c.get(name)).map(|p| lines::unescape(p.value.trim()))
    };
    let name = calendar_property("X-WR-CALNAME").filter(|n| !n.is_empty());
    let x_wr_timezone = calendar_property("X-WR-TIMEZONE");
    // Lenient: components outside any VCALENDAR (after its END) are read as if inside.
    let components: Vec<&Component> = document
        .children
        .iter()
        .flat_map(|c| if c.name == "VCALENDAR" { c.children.iter().collect() } else { vec![c] })
        .collect();
    let vtimezones = components
        .iter()
        .filter(|c| c.name == "VTIMEZONE")
        .filter_map(|c| {
            Some(VTimezone {
                tzid: lines::unescape(c.get("TZID")?.value.trim()),
                location: c.get("X-LIC-LOCATION").map(|p| p.value.trim().to_owned()),
                observances: c
                    .children
                    .iter()
                    .filter(|o| matches!(o.name.as_str(), "STANDARD" | "DAYLIGHT"))
                    .filter_map(|o| Observance::from_properties(&o.props))
                    .collect(),
            })
        })
        .collect();
    let mut zones = Zones::new(vtimezones, x_wr_timezone.as_deref());

    let mut drafts = Vec::new();
    for event in components.iter().filter(|c| c.name == "VEVENT") {
        match draft(event, source, &mut zones, &mut problems) {
            Ok(d) => drafts.push(d),
            Err(problem) => problems.push(problem),
        }
    }
    // Occurrences replaced (or cancelled) by an event with a RECURRENCE-ID.
    let mut overrides: BTreeMap<&str, Vec<&When>> = BTreeMap::new();
    for d in &drafts {
        if let Some(id) = &d.recurrence_id {
            overrides.entry(d.uid.as_str()).or_default().push(id);
        }
    }
    let mut events: Vec<KeyDate> = Vec::new();
    for d in &drafts {
        if d.cancelled {
            continue;
        }
        let replaced = overrides.get(d.uid.as_str()).map_or(&[][..], |v| v.as_slice());
        for event in occurrences(d, replaced, &mut problems) {
            if events.iter().any(|e| e.uid == event.uid && e.when == event.when) {
                problems
                    .push(Problem::new(d.line, format!("duplicate event {}; skipped", event.uid)));
            } else {
                events.push(event);
            }
        }
    }
    problems.sort_by_key(|p| p.line);
    Ok(Calendar { name, events, problems })
}

/// The component tree below a document root, or `None` when there is no `BEGIN:VCALENDAR`.
fn tree(lines: &[Line], problems: &mut Vec<Problem>) -> Option<Component> {
    let mut stack = vec![Component { keep: true, ..Component::default() }];
    let mut seen_calendar = false;
    for line in lines {
        let Some(prop) = lines::split(line) else {
            if !seen_calendar {
                continue;
            }
            let top = stack.last_mut()?;
            match top.props.last_mut().filter(|p| TEXT_PROPERTIES.contains(&p.name.as_str())) {
                Some(prev) => {
                    prev.value.push_str("\\n");
                    prev.value.push_str(&line.text);
                    problems.push(Problem::new(
                        line.number,
                        format!("line is not a property; read as a line break in {}", prev.name),
                    ));
                }
                None => problems.push(Problem::new(line.number, "line is not a property; skipped")),
            }
            continue;
        };
        match prop.name.as_str() {
            "BEGIN" => {
                let name = prop.value.trim().to_ascii_uppercase();
                if !seen_calendar {
                    if name != "VCALENDAR" {
                        continue;
                    }
                    seen_calendar = true;
                }
                // Events do not nest: a BEGIN:VEVENT inside one means its END is missing.
                if name == "VEVENT" && stack.last().is_some_and(|c| c.name == "VEVENT") {
                    close_top(&mut stack, |c| c.unclosed = true);
                }
                let keep = stack.len() <= MAX_DEPTH && stack.iter().all(|c| c.keep);
                stack.push(Component { name, line: line.number, keep, ..Component::default() });
            }
            "END" if seen_calendar => {
                let name = prop.value.trim().to_ascii_uppercase();
                match stack.iter().rposition(|c| c.name == name).filter(|&i| i > 0) {
                    Some(index) => {
                        while stack.len() > index + 1 {
                            close_top(&mut stack, |c| c.unclosed = true);
                        }
                        close_top(&mut stack, |_| {});
                    }
                    None => problems.push(Problem::new(
                        line.number,
                        format!("END:{name} without its BEGIN; ignored"),
                    )),
                }
            }
            _ if seen_calendar => {
                if let Some(top) = stack.last_mut().filter(|c| c.keep) {
                    top.props.push(prop);
                }
            }
            _ => {}
        }
    }
    if !seen_calendar {
        return None;
    }
    while stack.len() > 1 {
        if let Some(top) = stack.last().filter(|c| c.name == "VCALENDAR") {
            problems.push(Problem::new(top.line, "END:VCALENDAR missing (the input ends first)"));
        }
        close_top(&mut stack, |c| c.cut = true);
    }
    stack.pop()
}

/// Pops the innermost open component into its parent (when kept), marking it first.
fn close_top(stack: &mut Vec<Component>, mark: impl FnOnce(&mut Component)) {
    if stack.len() < 2 {
        return;
    }
    if let Some(mut top) = stack.pop() {
        mark(&mut top);
        if let Some(parent) = stack.last_mut().filter(|_| top.keep) {
            parent.children.push(top);
        }
    }
}

/// A time as written: a date, or a local date-time and the zone to read it in (UTC for `Z`).
#[derive(Debug, Clone)]
enum Moment {
    Date(Date),
    Local(DateTime, Zone),
}

impl Moment {
    fn when(&self, extra_days: i64) -> Option<When> {
        match self {
            Moment::Date(start) => {
                let end = rrule::add_days(*start, extra_days)?;
                Some(When::Day { start: *start, end })
            }
            Moment::Local(dt, zone) => zone.to_timestamp(*dt).map(When::At),
        }
    }
}

/// One `VEVENT`, read but not yet expanded.
struct Draft {
    line: usize,
    uid: String,
    template: KeyDate,
    start: Moment,
    /// Days after the first that a whole-day event lasts.
    extra_days: i64,
    rule: Option<(rrule::Rule, usize)>,
    /// An RRULE was there (expanded or not), or RDATEs: occurrences get their start in the UID.
    recurring: bool,
    rdates: Vec<When>,
    exdates: Vec<Moment>,
    recurrence_id: Option<When>,
    cancelled: bool,
}

fn draft(
    event: &Component,
    source: &str,
    zones: &mut Zones,
    problems: &mut Vec<Problem>,
) -> Result<Draft, Problem> {
    if event.cut {
        return Err(Problem::new(event.line, "VEVENT not closed before the input ends; skipped"));
    }
    if event.unclosed {
        problems
            .push(Problem::new(event.line, "END:VEVENT missing; read up to the next component"));
    }
    let Some(dtstart) = event.get("DTSTART") else {
        return Err(Problem::new(event.line, "VEVENT without DTSTART; skipped"));
    };
    let start = time(&dtstart.value, dtstart, zones, problems).map_err(|m| {
        Problem::new(dtstart.line, format!("DTSTART {:?}: {m}; event skipped", dtstart.value))
    })?;
    let summary_raw = event.get("SUMMARY").map_or("", |p| p.value.as_str());
    let summary = one_line(&lines::unescape(summary_raw));
    if summary.is_empty() {
        return Err(Problem::new(event.line, "VEVENT without SUMMARY; skipped"));
    }

    let mut extra_days = 0;
    if let Moment::Date(first) = start {
        if let Some(dtend) = event.get("DTEND") {
            let end = match time(&dtend.value, dtend, zones, problems) {
                Ok(Moment::Date(d)) => Some(d),
                Ok(Moment::Local(dt, _)) => Some(dt.date()),
                Err(m) => {
                    problems.push(Problem::new(dtend.line, format!("DTEND: {m}; ignored")));
                    None
                }
            };
            // Exclusive; an end on or before the start (a common slip) means one day.
            extra_days = end
                .map_or(0, |e| (first.until(e).map_or(0, |s| i64::from(s.get_days())) - 1).max(0));
        } else if let Some(duration) = event.get("DURATION") {
            match duration_days(&duration.value) {
                Some(days) => extra_days = (days - 1).max(0),
                None => problems.push(Problem::new(
                    duration.line,
                    format!("DURATION {:?} not understood; ignored", duration.value),
                )),
            }
        }
    }
    if start.when(extra_days).is_none() {
        return Err(Problem::new(dtstart.line, "DTSTART out of range; event skipped"));
    }

    let text = |name: &str| {
        event
            .get(name)
            .map(|p| lines::unescape(p.value.trim()).trim().to_owned())
            .filter(|t| !t.is_empty())
    };
    let mut categories: Vec<String> = Vec::new();
    for item in event.all("CATEGORIES").flat_map(|p| lines::split_list(&p.value)) {
        let item = item.trim();
        if !item.is_empty() && !categories.iter().any(|c| c == item) {
            categories.push(item.to_owned());
        }
    }
    let status = event.get("STATUS").map(|p| p.value.trim().to_ascii_uppercase());

    let uid = match event.get("UID").map(|p| p.value.trim()).filter(|u| !u.is_empty()) {
        Some(uid) => uid.to_owned(),
        None => hashed_uid(source, dtstart, summary_raw),
    };

    let mut recurring = false;
    let rule = match event.get("RRULE") {
        None => None,
        Some(p) => {
            recurring = true;
            match rrule::parse(&p.value) {
                Ok(rule) => Some((rule, p.line)),
                Err(m) => {
                    problems.push(Problem::new(
                        p.line,
                        format!("RRULE not expanded ({m}); kept the first occurrence"),
                    ));
                    None
                }
            }
        }
    };
    let mut list = |name: &str| -> Vec<Moment> {
        let mut out = Vec::new();
        for p in event.all(name) {
            for value in p.value.split(',').filter(|v| !v.trim().is_empty()) {
                match time(value, p, zones, problems) {
                    Ok(m) => out.push(m),
                    Err(m) => problems.push(Problem::new(p.line, format!("{name}: {m}; ignored"))),
                }
            }
        }
        out
    };
    let rdates: Vec<When> = list("RDATE").iter().filter_map(|m| m.when(extra_days)).collect();
    recurring |= !rdates.is_empty();
    let exdates = list("EXDATE");
    let recurrence_id = list("RECURRENCE-ID").first().and_then(|m| m.when(extra_days));

    let template = KeyDate {
        uid: uid.clone(),
        summary,
        description: text("DESCRIPTION"),
        location: text("LOCATION").map(|l| one_line(&l)),
        url: event.get("URL").map(|p| p.value.trim().to_owned()).filter(|u| !u.is_empty()),
        categories,
        when: When::At(Timestamp::UNIX_EPOCH),
        tentative: status.as_deref() == Some("TENTATIVE"),
        source: source.to_owned(),
    };
    Ok(Draft {
        line: event.line,
        uid,
        template,
        start,
        extra_days,
        rule,
        recurring,
        rdates,
        exdates,
        recurrence_id,
        cancelled: status.as_deref() == Some("CANCELLED"),
    })
}

/// The events a draft stands for: itself, or its occurrences less those excluded or
/// `replaced` by a RECURRENCE-ID event.
fn occurrences(d: &Draft, replaced: &[&When], problems: &mut Vec<Problem>) -> Vec<KeyDate> {
    let event = |when: When, uid: String| KeyDate { uid, when, ..d.template.clone() };
    if let Some(id) = &d.recurrence_id {
        return d
            .start
            .when(d.extra_days)
            .map(|w| event(w, occurrence_uid(&d.uid, id)))
            .into_iter()
            .collect();
    }
    let mut whens: Vec<When> = Vec::new();
    match (&d.rule, &d.start) {
        (None, start) => whens.extend(start.when(d.extra_days)),
        (Some((rule, line)), Moment::Date(first)) => {
            let until = rule.until.as_deref().and_then(crate::tz::parse_local).map(|u| u.date());
            let (days, cut) =
                rrule::expand(rule, first.to_datetime(Time::midnight()), MAX_OCCURRENCES, |o| {
                    until.is_some_and(|u| o.date() > u)
                });
            if cut {
                problems.push(limit_problem(*line));
            }
            whens.extend(days.iter().filter_map(|o| Moment::Date(o.date()).when(d.extra_days)));
        }
        (Some((rule, line)), Moment::Local(first, zone)) => {
            let until = rule.until.as_deref().map(str::trim);
            let until_utc = until
                .filter(|u| u.ends_with(['Z', 'z']))
                .and_then(crate::tz::parse_local)
                .and_then(|u| jiff::tz::Offset::UTC.to_timestamp(u).ok());
            let until_local = until.filter(|_| until_utc.is_none()).and_then(|u| {
                parse_datetime(u).or_else(|| parse_date(u).map(|d| d.to_datetime(Time::MAX)))
            });
            let (starts, cut) =
                rrule::expand(rule, *first, MAX_OCCURRENCES, |o| match (until_utc, until_local) {
                    (Some(u), _) => zone.to_timestamp(o).is_none_or(|t| t > u),
                    (None, Some(u)) => o > u,
                    (None, None) => false,
                });
            if cut {
                problems.push(limit_problem(*line));
            }
            whens.extend(starts.iter().filter_map(|o| zone.to_timestamp(*o)).map(When::At));
        }
    }
    whens.extend(d.rdates.iter().cloned());
    whens.retain(|w| !replaced.contains(&w) && !d.exdates.iter().any(|x| excludes(x, w)));
    whens.sort_by_key(sort_key);
    whens.dedup();
    whens
        .into_iter()
        .map(|w| {
            let uid = if d.recurring { occurrence_uid(&d.uid, &w) } else { d.uid.clone() };
            event(w, uid)
        })
        .collect()
}

fn limit_problem(line: usize) -> Problem {
    Problem::new(line, format!("RRULE expanded to its first {MAX_OCCURRENCES} occurrences only"))
}

/// Does EXDATE `x` remove the occurrence at `w`? A date removes the day; a time, the instant.
fn excludes(x: &Moment, w: &When) -> bool {
    match (x, w) {
        (Moment::Date(x), When::Day { start, .. }) => x == start,
        (Moment::Local(dt, _), When::Day { start, .. }) => dt.date() == *start,
        (Moment::Local(dt, zone), When::At(t)) => zone.to_timestamp(*dt) == Some(*t),
        (Moment::Date(x), When::At(t)) => Zone::new_york()
            .to_timestamp(x.to_datetime(Time::midnight()))
            .is_some_and(|s| s <= *t && t.duration_since(s) < jiff::SignedDuration::from_hours(24)),
    }
}

/// The order events are listed in: by start, whole days at midnight UTC.
pub(crate) fn sort_key(w: &When) -> Timestamp {
    match w {
        When::At(t) => *t,
        When::Day { start, .. } => jiff::tz::Offset::UTC
            .to_timestamp(start.to_datetime(Time::midnight()))
            .unwrap_or(Timestamp::MIN),
    }
}

/// An occurrence's UID: the series' UID, `/`, and its start (`20260115` or `20260115T133000Z`).
fn occurrence_uid(uid: &str, when: &When) -> String {
    match when {
        When::Day { start, .. } => format!("{uid}/{}", start.strftime("%Y%m%d")),
        When::At(t) => format!("{uid}/{}", t.strftime("%Y%m%dT%H%M%SZ")),
    }
}

/// A UID for an event without one, stable across reads of the same source.
fn hashed_uid(source: &str, dtstart: &Property, summary: &str) -> String {
    let mut hash = Sha256::new();
    for part in [
        source,
        &dtstart.params.iter().map(|(n, v)| format!(";{n}={v}")).collect::<String>(),
        dtstart.value.trim(),
        summary,
    ] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    let hex: String = hash.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("{hex}@marketdesk-calendars")
}

/// Line breaks and runs of white space as single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A DATE or DATE-TIME value of `prop` (its `VALUE` and `TZID` parameters apply).
fn time(
    value: &str,
    prop: &Property,
    zones: &mut Zones,
    problems: &mut Vec<Problem>,
) -> Result<Moment, String> {
    let value = value.trim();
    // ISO 8601 punctuation is a common slip; the basic form is all digits and 'T'.
    let cleaned: String = value.chars().filter(|c| !matches!(c, '-' | ':')).collect();
    let as_date =
        prop.param("VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE")) || cleaned.len() == 8;
    if as_date {
        return cleaned
            .get(..8)
            .and_then(parse_date)
            .map(Moment::Date)
            .ok_or_else(|| "not a date".to_owned());
    }
    let (body, utc) = match cleaned.strip_suffix(['Z', 'z']) {
        Some(body) => (body, true),
        None => (cleaned.as_str(), false),
    };
    let dt = parse_datetime(body).ok_or("not a date-time")?;
    let zone = if utc {
        Zone::Tz(jiff::tz::TimeZone::UTC)
    } else if let Some(tzid) = prop.param("TZID").filter(|t| !t.trim().is_empty()) {
        zones.resolve(tzid, prop.line, problems)
    } else {
        zones.floating()
    };
    Ok(Moment::Local(dt, zone))
}

/// `YYYYMMDD`.
pub(crate) fn parse_date(text: &str) -> Option<Date> {
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i16 = text[0..4].parse().ok()?;
    let month: i8 = text[4..6].parse().ok()?;
    let day: i8 = text[6..8].parse().ok()?;
    Date::new(year, month, day).ok()
}

/// `YYYYMMDDTHHMMSS` (seconds optional, a fraction ignored, a leap second read as :59).
pub(crate) fn parse_datetime(text: &str) -> Option<DateTime> {
    let (date, time) = text.split_once(['T', 't'])?;
    let date = parse_date(date)?;
    let time = time.split_once(['.', ',']).map_or(time, |(whole, _)| whole);
    if !(time.len() == 4 || time.len() == 6) || !time.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hour: i8 = time[0..2].parse().ok()?;
    let minute: i8 = time[2..4].parse().ok()?;
    let second: i8 = time.get(4..6).map_or(Some(0), |s| s.parse().ok())?.min(59);
    Time::new(hour, minute, second, 0).ok().map(|t| date.to_datetime(t))
}

/// Whole days of a DURATION (`P2D`, `P1W`, `PT0M` is 0); `None` when not a duration.
fn duration_days(text: &str) -> Option<i64> {
    let text = text.trim();
    let (negative, rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let rest = rest.strip_prefix(['P', 'p'])?;
    let (date_part, time_part) = rest.split_once(['T', 't']).unwrap_or((rest, ""));
    let mut days: i64 = 0;
    let mut number = String::new();
    for c in date_part.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: i64 = number.parse().ok()?;
        number.clear();
        days = days.checked_add(match c.to_ascii_uppercase() {
            'W' => n.checked_mul(7)?,
            'D' => n,
            _ => return None,
        })?;
    }
    if !number.is_empty() || (date_part.is_empty() && time_part.is_empty()) {
        return None;
    }
    if !time_part
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c.to_ascii_uppercase(), 'H' | 'M' | 'S'))
    {
        return None;
    }
    Some(if negative { -days } else { days })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_times_and_durations() {
        assert_eq!(parse_date("20261208"), Date::new(2026, 12, 8).ok());
        assert_eq!(parse_date("20261308"), None);
        assert_eq!(parse_date("2026120"), None);
        assert_eq!(
            parse_datetime("20260109T083000").map(|d| d.to_string()).as_deref(),
            Some("2026-01-09T08:30:00")
        );
        assert_eq!(
            parse_datetime("20260109T0830").map(|d| d.to_string()).as_deref(),
            Some("2026-01-09T08:30:00")
        );
        assert_eq!(parse_datetime("20261231T235960").map(|d| d.second()), Some(59));
        assert_eq!(parse_datetime("20260109T083"), None);
        assert_eq!(parse_datetime("20260109T250000"), None);
        assert_eq!(duration_days("P1D"), Some(1));
        assert_eq!(duration_days("P2W"), Some(14));
        assert_eq!(duration_days("PT0M"), Some(0));
        assert_eq!(duration_days("P1DT12H"), Some(1));
        assert_eq!(duration_days("-P1D"), Some(-1));
        assert_eq!(duration_days("P"), None);
        assert_eq!(duration_days("1D"), None);
        assert_eq!(duration_days("P1X"), None);
    }

    #[test]
    fn one_line_collapses_white_space() {
        assert_eq!(one_line(" a\n b\t\tc "), "a b c");
    }
}
