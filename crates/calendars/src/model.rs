//! The key-date model: plain serde data, the same whether it came from a file or a rule.

use jiff::{Timestamp, civil::Date};
use serde::{Deserialize, Serialize};

/// When a key date happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum When {
    /// Whole days, as calendars write them (`VALUE=DATE`): no time, no zone.
    Day {
        /// The first day.
        start: Date,
        /// The last day, inclusive (iCalendar's `DTEND` is exclusive; this is one day less).
        end: Date,
    },
    /// An instant.
    At(Timestamp),
}

/// One dated thing worth telling readers about: a release, a meeting, a deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyDate {
    /// The event's `UID`; an occurrence of a recurring event gets `/` and its start appended;
    /// without a `UID`, a stable hash of the source, `DTSTART` and `SUMMARY`.
    pub uid: String,
    /// The title, unescaped, on one line.
    pub summary: String,
    /// The description, unescaped; line breaks kept.
    pub description: Option<String>,
    /// Where, unescaped.
    pub location: Option<String>,
    /// The event's `URL`.
    pub url: Option<String>,
    /// `CATEGORIES`, every list in the event, in order, without duplicates.
    pub categories: Vec<String>,
    /// When.
    pub when: When,
    /// `STATUS:TENTATIVE`: the date may still move.
    pub tentative: bool,
    /// The file path or URL the event came from, as the caller named it.
    pub source: String,
}

/// What [`parse`](crate::parse) read from one iCalendar file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Calendar {
    /// `X-WR-CALNAME`.
    pub name: Option<String>,
    /// The events, in file order (occurrences of a recurring event together).
    pub events: Vec<KeyDate>,
    /// What was wrong and how it was handled (an event skipped, a zone guessed).
    pub problems: Vec<Problem>,
}

/// Something wrong in the input, and what was done about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The 1-based line of the source file (the first physical line of a folded line).
    pub line: usize,
    /// What was wrong and what was done.
    pub message: String,
}

impl Problem {
    pub(crate) fn new(line: usize, message: impl Into<String>) -> Self {
        Problem { line, message: message.into() }
    }
}
