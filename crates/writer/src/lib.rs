//! The writing agents: who writes (personas) and how a reader sees when and how long.
//!
//! - [`Persona`]: an AI writing agent read from TOML (name, slug, tagline, bio, beat, voice);
//!   [`roster`] is the shipped set in `data/personas/`. Personas are always presented as AI
//!   agents and carry no human credentials.
//! - [`FactSheet`]: what an article may state — entities, tickers, numbers with units and as-of
//!   dates, labels, and the sources (EDGAR URLs built from accession numbers).
//! - [`dateline`] writes a time as readers see it, in US Eastern time across daylight saving
//!   ("Friday, Mar 14, 2025 12:51 pm ET"); [`reading_minutes`] counts 230 words a minute.
//!
//! Everything here is pure: no I/O beyond parsing the text it is given, no clock.

mod article;
mod deterministic;
mod facts;
pub mod llm;
pub mod names;
mod news;
mod persona;
#[cfg(test)]
mod testing;
mod verify;

pub use article::{Article, Draft, DraftSection, Link, Section, find_mentions, slugify};
pub use deterministic::{INSIDER_SECTIONS, ap_date, count_words, write_insider};
pub use facts::{
    DateFact, Entity, EventFacts, FactSheet, FilingFootnote, NumberFact, PriceContext, Quote,
    SectorFact, SignalContext, Source, Unit, edgar_filing_url, kind_name,
};
pub use news::{NEWS_SECTIONS, NamedCompany, NewsEvent, Report, bare_headline, write_news};
pub use persona::{Beat, Persona, PersonaError, PersonaRef, Register, SectionRole, Voice, roster};
pub use verify::{ClaimKind, Violation, verify};

use jiff::Timestamp;
use marketdesk_core::eastern;

/// The sections an article about `sheet` has, in order: a news event's or an insider signal's.
pub fn section_roles(sheet: &FactSheet) -> &'static [SectionRole] {
    if sheet.event.is_some() { &NEWS_SECTIONS } else { &INSIDER_SECTIONS }
}

/// The deterministic article for `sheet` (a news event or insider signals) in `persona`'s
/// headings; `None` when there is nothing to write.
pub fn write_deterministic(sheet: &FactSheet, persona: &Persona) -> Option<Draft> {
    if sheet.event.is_some() { write_news(sheet, persona) } else { write_insider(sheet, persona) }
}

/// Words a reader reads in a minute.
pub const WORDS_PER_MINUTE: usize = 230;

/// Minutes to read `words` words, rounded up, at least one.
pub fn reading_minutes(words: usize) -> usize {
    words.div_ceil(WORDS_PER_MINUTE).max(1)
}

/// "2min read".
pub fn reading_label(minutes: usize) -> String {
    format!("{minutes}min read")
}

/// A moment as the dateline shows it: "Friday, Mar 14, 2025 12:51 pm ET".
pub fn dateline(at: Timestamp) -> String {
    format!("{} ET", eastern(at).strftime("%A, %b %-d, %Y %-I:%M %P"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines_are_eastern_across_daylight_saving() {
        let ts = |s: &str| s.parse::<Timestamp>().expect("timestamp");
        // 16:51 UTC on 2025-03-14 is 12:51 EDT: daylight saving began on March 9.
        assert_eq!(dateline(ts("2025-03-14T16:51:00Z")), "Friday, Mar 14, 2025 12:51 pm ET");
        // The same UTC time a week before the change is 11:51 EST.
        assert_eq!(dateline(ts("2025-03-07T16:51:00Z")), "Friday, Mar 7, 2025 11:51 am ET");
        assert_eq!(dateline(ts("2025-11-03T05:05:00Z")), "Monday, Nov 3, 2025 12:05 am ET");
    }

    #[test]
    fn reading_time_rounds_up() {
        assert_eq!(reading_minutes(0), 1);
        assert_eq!(reading_minutes(230), 1);
        assert_eq!(reading_minutes(231), 2);
        assert_eq!(reading_label(reading_minutes(400)), "2min read");
    }
}
