//! Time zones named by `TZID`: IANA names through jiff's (bundled) database, well-known
//! non-IANA names through an alias table, otherwise the calendar's own `VTIMEZONE` rules.

use std::collections::{BTreeMap, BTreeSet};

use jiff::{
    Timestamp,
    civil::{Date, DateTime, Time},
    tz::{Offset, TimeZone},
};

use crate::{Problem, lines::Property, rrule};

/// The zone every US market time is told in, and the fallback for times with no usable zone.
pub(crate) const NEW_YORK: &str = "America/New_York";

/// Names seen in the wild that are not IANA names (or are legacy links), and what they mean.
/// Windows names come from Outlook and Exchange exports.
const ALIASES: &[(&str, &str)] = &[
    ("US-Eastern", "America/New_York"),
    ("US/Eastern", "America/New_York"),
    ("Eastern", "America/New_York"),
    ("Eastern Standard Time", "America/New_York"),
    ("Eastern Time (US & Canada)", "America/New_York"),
    ("US-Central", "America/Chicago"),
    ("US/Central", "America/Chicago"),
    ("Central Standard Time", "America/Chicago"),
    ("Central Time (US & Canada)", "America/Chicago"),
    ("US-Mountain", "America/Denver"),
    ("US/Mountain", "America/Denver"),
    ("Mountain Standard Time", "America/Denver"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("US-Pacific", "America/Los_Angeles"),
    ("US/Pacific", "America/Los_Angeles"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("Pacific Time (US & Canada)", "America/Los_Angeles"),
    ("GMT Standard Time", "Europe/London"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Romance Standard Time", "Europe/Paris"),
    ("China Standard Time", "Asia/Shanghai"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("India Standard Time", "Asia/Kolkata"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("UTC", "UTC"),
    ("GMT", "UTC"),
    ("Z", "UTC"),
];

/// A zone a local time can be read in.
#[derive(Debug, Clone)]
pub(crate) enum Zone {
    /// From the tz database.
    Tz(TimeZone),
    /// From a `VTIMEZONE` in the file that names no known zone.
    Rules(VTimezone),
}

impl Zone {
    pub(crate) fn new_york() -> Zone {
        Zone::Tz(TimeZone::get(NEW_YORK).unwrap_or(TimeZone::UTC))
    }

    /// The instant `dt` names here; a time in a spring-forward gap is read with the offset
    /// before the gap (RFC 5545 §3.3.5), which is jiff's "compatible" choice too.
    pub(crate) fn to_timestamp(&self, dt: DateTime) -> Option<Timestamp> {
        match self {
            Zone::Tz(tz) => tz.to_timestamp(dt).ok(),
            Zone::Rules(rules) => rules.offset_at(dt).to_timestamp(dt).ok(),
        }
    }
}

/// A `VTIMEZONE`: its `TZID`, its `X-LIC-LOCATION` (an IANA name some producers add) and its
/// observances.
#[derive(Debug, Clone, Default)]
pub(crate) struct VTimezone {
    pub(crate) tzid: String,
    pub(crate) location: Option<String>,
    pub(crate) observances: Vec<Observance>,
}

/// A `STANDARD` or `DAYLIGHT` block: from `start` (local time, old offset), and again each
/// year by `rule` or on each `rdates`, the offset becomes `offset_to`.
#[derive(Debug, Clone)]
pub(crate) struct Observance {
    pub(crate) start: DateTime,
    pub(crate) offset_from: Offset,
    pub(crate) offset_to: Offset,
    pub(crate) rule: Option<rrule::Rule>,
    pub(crate) until: Option<DateTime>,
    pub(crate) rdates: Vec<DateTime>,
}

impl Observance {
    /// Reads an observance's properties; `None` without a start or offsets.
    pub(crate) fn from_properties(props: &[Property]) -> Option<Observance> {
        let get = |name: &str| props.iter().find(|p| p.name == name).map(|p| p.value.trim());
        let start = parse_local(get("DTSTART")?)?;
        let offset_from = parse_offset(get("TZOFFSETFROM")?)?;
        let offset_to = parse_offset(get("TZOFFSETTO")?)?;
        let rule = get("RRULE").and_then(|r| rrule::parse(r).ok());
        let until = rule.as_ref().and_then(|r| r.until.as_deref()).and_then(parse_local);
        let rdates = props
            .iter()
            .filter(|p| p.name == "RDATE")
            .flat_map(|p| p.value.split(','))
            .filter_map(|v| parse_local(v.trim()))
            .collect();
        Some(Observance { start, offset_from, offset_to, rule, until, rdates })
    }

    /// The latest onset at or before `dt`.
    fn last_onset(&self, dt: DateTime) -> Option<DateTime> {
        let mut best = (self.start <= dt).then_some(self.start);
        let mut consider = |onset: DateTime| {
            if onset >= self.start && onset <= dt && best.is_none_or(|b| onset > b) {
                best = Some(onset);
            }
        };
        for &rdate in &self.rdates {
            consider(rdate);
        }
        if let Some(rule) = self.rule.as_ref().filter(|r| r.freq == rrule::Freq::Yearly) {
            let months = if rule.by_month.is_empty() {
                vec![self.start.month()]
            } else {
                rule.by_month.clone()
            };
            for year in [dt.year() - 1, dt.year()] {
                if rule.count.is_some_and(|c| i64::from(year - self.start.year()) >= i64::from(c)) {
                    continue;
                }
                for &month in &months {
                    for day in rrule::days_in(rule, year, month, self.start.day()) {
                        let onset = day.to_datetime(self.start.time());
                        if self.until.is_none_or(|u| onset <= u) {
                            consider(onset);
                        }
                    }
                }
            }
        }
        best
    }
}

impl VTimezone {
    /// The offset in force at local time `dt`: that of the observance with the latest onset
    /// at or before it (before every onset, the first observance's old offset).
    fn offset_at(&self, dt: DateTime) -> Offset {
        let latest = self
            .observances
            .iter()
            .filter_map(|o| o.last_onset(dt).map(|onset| (onset, o.offset_to)))
            .max_by_key(|&(onset, _)| onset);
        match latest {
            Some((_, offset)) => offset,
            None => self
                .observances
                .iter()
                .min_by_key(|o| o.start)
                .map_or(Offset::UTC, |o| o.offset_from),
        }
    }
}

/// `-0500`, `+0530`, `+013045`.
fn parse_offset(text: &str) -> Option<Offset> {
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => (1, text),
    };
    if !(digits.len() == 4 || digits.len() == 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| digits.get(r).and_then(|s| s.parse::<i32>().ok());
    let seconds = n(0..2)? * 3600 + n(2..4)? * 60 + n(4..6).unwrap_or(0);
    Offset::from_seconds(sign * seconds).ok()
}

/// A DATE-TIME or DATE value as a civil date-time, ignoring a trailing `Z` (used for
/// `VTIMEZONE` onsets, which are local, and their `UNTIL`, close enough at a day's scale).
pub(crate) fn parse_local(text: &str) -> Option<DateTime> {
    let text = text.trim().trim_end_matches(['Z', 'z']);
    crate::parse::parse_datetime(text)
        .or_else(|| crate::parse::parse_date(text).map(|d: Date| d.to_datetime(Time::midnight())))
}

/// Resolves `TZID`s for one calendar, reporting each unknown name once.
#[derive(Debug)]
pub(crate) struct Zones {
    vtimezones: BTreeMap<String, VTimezone>,
    floating: Zone,
    reported: BTreeSet<String>,
}

impl Zones {
    /// `x_wr_timezone` is the calendar's `X-WR-TIMEZONE`, used for floating times.
    pub(crate) fn new(vtimezones: Vec<VTimezone>, x_wr_timezone: Option<&str>) -> Zones {
        let vtimezones = vtimezones.into_iter().map(|v| (v.tzid.clone(), v)).collect();
        let mut zones = Zones { vtimezones, floating: Zone::new_york(), reported: BTreeSet::new() };
        if let Some(zone) = x_wr_timezone.and_then(|name| zones.known(name)) {
            zones.floating = zone;
        }
        zones
    }

    /// The zone for times with neither `Z` nor `TZID`.
    pub(crate) fn floating(&self) -> Zone {
        self.floating.clone()
    }

    /// The zone `tzid` names; when nothing does, the floating zone, with a problem (once per
    /// name) at `line`.
    pub(crate) fn resolve(&mut self, tzid: &str, line: usize, problems: &mut Vec<Problem>) -> Zone {
        if let Some(zone) = self.known(tzid) {
            return zone;
        }
        if self.reported.insert(tzid.to_owned()) {
            problems.push(Problem::new(
                line,
                format!("unknown time zone {tzid:?} (no IANA name, alias or VTIMEZONE); read in the calendar's default zone"),
            ));
        }
        self.floating()
    }

    fn known(&self, tzid: &str) -> Option<Zone> {
        let tzid = tzid.trim();
        if let Some(tz) = iana(tzid) {
            return Some(Zone::Tz(tz));
        }
        if let Some(v) = self.vtimezones.get(tzid) {
            if let Some(tz) = v.location.as_deref().and_then(iana) {
                return Some(Zone::Tz(tz));
            }
            if !v.observances.is_empty() {
                return Some(Zone::Rules(v.clone()));
            }
        }
        None
    }
}

/// An IANA zone for `name`: the name itself, an alias, or the IANA name at the end of a path
/// (`/mozilla.org/20050126_1/America/New_York`).
fn iana(name: &str) -> Option<TimeZone> {
    if name.is_empty() {
        return None;
    }
    if let Some(&(_, target)) = ALIASES.iter().find(|(alias, _)| alias.eq_ignore_ascii_case(name)) {
        return TimeZone::get(target).ok();
    }
    if let Ok(tz) = TimeZone::get(name) {
        return Some(tz);
    }
    let mut rest = name;
    while let Some((_, tail)) = rest.split_once('/') {
        if (tail.contains('/') || tail.chars().next().is_some_and(char::is_uppercase))
            && let Ok(tz) = TimeZone::get(tail)
        {
            return Some(tz);
        }
        rest = tail;
    }
    None
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::lines::{Line, split};

    fn props(text: &str) -> Vec<Property> {
        crate::lines::unfold(text).iter().filter_map(|l: &Line| split(l)).collect()
    }

    fn us_eastern_rules() -> VTimezone {
        let daylight = props(
            "DTSTART:20070311T020000\nTZOFFSETFROM:-0500\nTZOFFSETTO:-0400\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
        );
        let standard = props(
            "DTSTART:20071104T020000\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
        );
        VTimezone {
            tzid: "Custom/Eastern".into(),
            location: None,
            observances: [daylight, standard]
                .iter()
                .filter_map(|p| Observance::from_properties(p))
                .collect(),
        }
    }

    #[test]
    fn vtimezone_rules_agree_with_the_tz_database() {
        let rules = Zone::Rules(us_eastern_rules());
        let ny = Zone::new_york();
        let mut day = date(2008, 1, 1);
        while day < date(2030, 1, 1) {
            for hour in [0, 1, 3, 8, 12, 23] {
                let dt = day.at(hour, 30, 0, 0);
                assert_eq!(rules.to_timestamp(dt), ny.to_timestamp(dt), "{dt}");
            }
            day = day.tomorrow().expect("day");
        }
        // Before the first onset: the first observance's old offset.
        let early = date(2000, 1, 1).at(12, 0, 0, 0);
        assert_eq!(rules.to_timestamp(early).expect("ts").to_string(), "2000-01-01T17:00:00Z");
    }

    #[test]
    fn names_resolve_by_iana_alias_path_and_vtimezone() {
        let mut problems = Vec::new();
        let custom = VTimezone { tzid: "My Zone".into(), ..us_eastern_rules() };
        let located = VTimezone {
            tzid: "Tokyo-ish".into(),
            location: Some("Asia/Tokyo".into()),
            observances: Vec::new(),
        };
        let mut zones = Zones::new(vec![custom, located], Some("US-Eastern"));
        let dt = date(2026, 7, 1).at(12, 0, 0, 0);
        let utc = |zones: &mut Zones, name: &str, problems: &mut Vec<Problem>| {
            zones.resolve(name, 3, problems).to_timestamp(dt).expect("ts").to_string()
        };
        for name in [
            "America/New_York",
            "US-Eastern",
            "US/Eastern",
            "Eastern Standard Time",
            "/mozilla.org/20050126_1/America/New_York",
            "My Zone",
        ] {
            assert_eq!(utc(&mut zones, name, &mut problems), "2026-07-01T16:00:00Z", "{name}");
        }
        assert_eq!(utc(&mut zones, "Tokyo-ish", &mut problems), "2026-07-01T03:00:00Z");
        assert_eq!(utc(&mut zones, "Europe/London", &mut problems), "2026-07-01T11:00:00Z");
        assert!(problems.is_empty(), "{problems:?}");

        // Unknown: the floating zone (here X-WR-TIMEZONE's), reported once.
        assert_eq!(utc(&mut zones, "Mars/Olympus", &mut problems), "2026-07-01T16:00:00Z");
        assert_eq!(utc(&mut zones, "Mars/Olympus", &mut problems), "2026-07-01T16:00:00Z");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 3);

        let floating = Zones::new(Vec::new(), Some("Europe/Paris")).floating();
        assert_eq!(floating.to_timestamp(dt).expect("ts").to_string(), "2026-07-01T10:00:00Z");
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("-0500").map(|o| o.seconds()), Some(-5 * 3600));
        assert_eq!(parse_offset("+0530").map(|o| o.seconds()), Some(5 * 3600 + 1800));
        assert_eq!(parse_offset("+013045").map(|o| o.seconds()), Some(3600 + 1800 + 45));
        assert_eq!(parse_offset("-05"), None);
        assert_eq!(parse_offset("-05:00"), None);
    }
}
