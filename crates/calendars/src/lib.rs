//! The key-dates source: iCalendar files (RFC 5545 `.ics`) read into the dates of the
//! newsletter's "Key dates" section, and the SEC filing deadlines computed from the rules.
//!
//! - [`parse`] reads one `.ics` file into a [`Calendar`] of [`KeyDate`]s (summary, description,
//!   location, URL, categories, [`When`], tentative or not). It fails ([`Error`]) only when the
//!   bytes are not a calendar at all; a bad event is skipped and listed as a [`Problem`] with
//!   its line, and the rest is read. `STATUS:CANCELLED` events are dropped.
//! - [`deadlines`] computes Form 13F deadlines and the US federal holidays that move them.
//!
//! # Why a parser of our own
//!
//! The `icalendar` crate was the alternative. Published calendars break the RFC in ways a
//! key-dates reader must survive (LF endings, no `DTSTAMP`, blank lines, lines far over 75
//! octets, `TZID`s that name no zone, truncated downloads), and what they need read is small:
//! line unfolding, `name;params:value`, TEXT escapes, and the date properties of `VEVENT`.
//! A few hundred lines written for tolerance (like the feeds crate's reader) record what they
//! work around per line, which a general model does not, and add no dependency.
//!
//! # Times
//!
//! - `DTSTART;VALUE=DATE` gives [`When::Day`]: `DTEND` (a date) is exclusive, so the last day
//!   is the day before it; without `DTEND`, `DURATION` in days; without either, one day.
//! - A date-time gives [`When::At`], its start; `DTEND` and `DURATION` of timed events are not
//!   kept (a key date is when something happens).
//! - `Z` is UTC. A `TZID` is read, in this order, as: an IANA name in jiff's bundled tz
//!   database (also at the end of a path such as `/mozilla.org/.../America/New_York`); a
//!   well-known non-IANA name (`US-Eastern`, `US/Eastern`, Windows names such as `Eastern
//!   Standard Time`) through an alias table; the calendar's own `VTIMEZONE` of that name (its
//!   `X-LIC-LOCATION` if that is an IANA name, else its yearly `STANDARD`/`DAYLIGHT` rules,
//!   evaluated directly). The alias table comes before the file's rules because the tz
//!   database knows a zone's history, which a `VTIMEZONE` with one rule per observance does
//!   not. A name none of these resolve is reported once, and its times are read as floating.
//! - Floating times (neither `Z` nor `TZID`) are read in `X-WR-TIMEZONE` when it resolves,
//!   else in America/New_York: the product is about US markets, and US release calendars
//!   that omit the zone mean Eastern time.
//!
//! # Recurrence
//!
//! `RRULE` with `FREQ` DAILY, WEEKLY, MONTHLY or YEARLY, `INTERVAL`, `COUNT`, `UNTIL`,
//! `BYMONTH`, `BYMONTHDAY` and `BYDAY` is expanded, at most [`MAX_OCCURRENCES`] occurrences
//! per event (a problem says when that limit cut a series short), in the event's local time,
//! so an 8:30 a.m. ET release stays at 8:30 across DST. `RDATE` adds occurrences, `EXDATE`
//! removes them, and an event with a `RECURRENCE-ID` replaces (or, cancelled, removes) the
//! occurrence it names. Each occurrence's UID is the event's with `/` and its start appended
//! (`abc@x/20260115`, `abc@x/20260115T133000Z`), so every key date has its own. Other rule
//! parts (`BYSETPOS`, `BYWEEKNO`, `BYYEARDAY`, sub-daily frequencies) are not expanded: a
//! problem says so and the first occurrence is kept.
//!
//! # Must not
//!
//! Parsing is a pure function of the bytes: no I/O, no clock, no global state, and it never
//! panics (property-tested on arbitrary bytes and on truncations of the fixtures). This crate
//! knows nothing about the store, the writer or other marketdesk crates, and has no network or
//! async dependency: reading files and fetching URLs are the caller's business (the newsroom
//! fetches calendar URLs with the feeds crate's HTTP client).

#![warn(missing_docs)]

pub mod deadlines;
mod error;
mod lines;
mod model;
mod parse;
mod rrule;
mod tz;

pub use error::Error;
pub use model::{Calendar, KeyDate, Problem, When};
pub use parse::MAX_OCCURRENCES;

/// Reads an iCalendar file; `source` (a path or URL) is put on every event and error.
///
/// Fails only when the input is not an iCalendar file (no `BEGIN:VCALENDAR`) or not text
/// (NUL bytes, outside a UTF-16 file with a byte-order mark); invalid UTF-8 is replaced and
/// reported. Everything else is read as far as it can be, and each thing worked around or
/// skipped is a [`Problem`] with its line.
pub fn parse(bytes: &[u8], source: &str) -> Result<Calendar, Error> {
    parse::parse(bytes, source)
}
