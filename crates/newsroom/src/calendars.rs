//! Key dates: iCalendar files or URLs read into the store, each source replaced as a whole so a
//! cancelled event goes; every problem recorded as an ingest error (`calendar:SOURCE#LINE`).

use jiff::{Timestamp, ToSpan, civil::Date};
use marketdesk_calendars::{KeyDate, When};
use marketdesk_core::NEW_YORK;
use marketdesk_feeds::fetch::{FeedClient, FetchConfig, FetchOutcome, Validators};
use marketdesk_store::{KeyDateRecord, Store};
use serde::Serialize;

use crate::{Error, Result};

/// Eastern midnight at the start of `day`.
fn eastern_midnight(day: Date) -> Timestamp {
    // The zone is bundled (core's tzdb-bundle-always), so this does not fail in practice.
    day.in_tz(NEW_YORK).map_or(Timestamp::UNIX_EPOCH, |z| z.timestamp())
}

/// A key date as the store keeps it: whole days from Eastern midnight to Eastern midnight after
/// the last day.
pub fn key_date_record(d: &KeyDate) -> KeyDateRecord {
    let (all_day, starts_at, ends_at) = match &d.when {
        When::Day { start, end } => (
            true,
            eastern_midnight(*start),
            eastern_midnight(end.checked_add(1.day()).unwrap_or(*end)),
        ),
        When::At(at) => (false, *at, *at),
    };
    KeyDateRecord {
        source: d.source.clone(),
        uid: d.uid.clone(),
        summary: d.summary.clone(),
        description: d.description.clone(),
        location: d.location.clone(),
        url: d.url.clone(),
        categories: d.categories.clone(),
        all_day,
        tentative: d.tentative,
        starts_at,
        ends_at,
    }
}

/// A calendar URL's body, through the feeds' HTTP client (User-Agent, timeout, body limit).
async fn fetch(url: &str, user_agent: &str) -> std::result::Result<Vec<u8>, String> {
    let client = FeedClient::new(FetchConfig::new(user_agent)).map_err(|e| e.to_string())?;
    match client.fetch(url, &Validators::default()).await.map_err(|e| e.to_string())? {
        FetchOutcome::Fetched(f) => Ok(f.bytes),
        // Unreachable without validators; read as "nothing new".
        FetchOutcome::NotModified => Err(format!("{url}: 304 Not Modified without validators")),
    }
}

/// What reading one calendar did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CalendarSummary {
    /// The file or URL.
    pub source: String,
    /// Its `X-WR-CALNAME`.
    pub name: Option<String>,
    /// Events stored for it now.
    pub events: u64,
    /// Problems recorded (events skipped, zones guessed).
    pub problems: usize,
    /// Why nothing was read, when nothing was.
    pub error: Option<String>,
}

/// Reads the calendar at `source` (an `http(s)://` URL or a file path) into the store. A
/// calendar that cannot be read at all is recorded and reported, never fatal.
pub async fn ingest_calendar(
    store: &Store,
    source: &str,
    user_agent: &str,
    now: Timestamp,
) -> Result<CalendarSummary> {
    let mut summary = CalendarSummary { source: source.to_owned(), ..CalendarSummary::default() };
    let bytes = if source.starts_with("http://") || source.starts_with("https://") {
        fetch(source, user_agent).await
    } else {
        std::fs::read(source).map_err(|e| format!("cannot read {source}: {e}"))
    };
    let calendar =
        bytes.and_then(|b| marketdesk_calendars::parse(&b, source).map_err(|e| e.to_string()));
    let calendar = match calendar {
        Ok(c) => c,
        Err(reason) => {
            store.record_ingest_error(&format!("calendar:{source}"), None, &reason, now).await?;
            summary.error = Some(reason);
            return Ok(summary);
        }
    };
    for p in &calendar.problems {
        store
            .record_ingest_error(&format!("calendar:{source}#{}", p.line), None, &p.message, now)
            .await?;
    }
    let records: Vec<KeyDateRecord> = calendar.events.iter().map(key_date_record).collect();
    summary.events = store.replace_key_dates(source, &records).await.map_err(Error::from)?;
    summary.name = calendar.name;
    summary.problems = calendar.problems.len();
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped calendars read into a store, then the window the digest asks for.
    #[tokio::test]
    async fn stored_key_dates_in_a_window_across_the_spring_dst_change() {
        let store = marketdesk_store::testing::store_under_test().await;
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/calendars");
        for file in ["us-economic-releases-2026.ics", "fomc.ics"] {
            let s = ingest_calendar(&store, &format!("{dir}/{file}"), "test", Timestamp::now())
                .await
                .expect("ingest");
            assert!(s.error.is_none() && s.events > 0, "{s:?}");
        }
        let window = |from: &str, hours: i64| {
            let store = store.clone();
            let from: Timestamp = from.parse().expect("ts");
            async move {
                let until = from.checked_add(jiff::SignedDuration::from_hours(hours)).expect("ts");
                store.key_dates_between(from, until).await.expect("window")
            }
        };
        // A week from New York midnight on Thursday, March 5, 2026; DST starts Sunday the 8th.
        let week = window("2026-03-05T05:00:00Z", 24 * 7).await;
        let week: Vec<&str> = week.iter().map(|d| d.summary.as_str()).collect();
        assert_eq!(
            week,
            ["Employment Situation for February 2026", "Consumer Price Index for February 2026"]
        );
        let fortnight = window("2026-03-05T05:00:00Z", 24 * 14).await;
        let fortnight: Vec<&str> = fortnight.iter().map(|d| d.summary.as_str()).collect();
        assert_eq!(
            fortnight,
            [
                "Employment Situation for February 2026",
                "Consumer Price Index for February 2026",
                "FOMC meeting"
            ]
        );
        // The FOMC meeting of Dec 8-9 still counts on the afternoon of its second day; the
        // next morning's CPI is within the 24 hours.
        let day = window("2026-12-09T19:00:00Z", 24).await;
        let day: Vec<&str> = day.iter().map(|d| d.uid.as_str()).collect();
        assert_eq!(
            day,
            [
                "fomc-20261208@key-dates.market-newsdesk",
                "bls-cpi-november-2026@key-dates.market-newsdesk"
            ]
        );
    }

    #[test]
    fn whole_days_run_from_eastern_midnight_to_the_midnight_after() {
        let d = KeyDate {
            uid: "fomc".to_owned(),
            summary: "FOMC meeting".to_owned(),
            description: None,
            location: None,
            url: None,
            categories: vec![],
            when: When::Day {
                start: jiff::civil::date(2026, 12, 8),
                end: jiff::civil::date(2026, 12, 9),
            },
            tentative: false,
            source: "fomc.ics".to_owned(),
        };
        let r = key_date_record(&d);
        assert!(r.all_day);
        assert_eq!(r.starts_at.to_string(), "2026-12-08T05:00:00Z");
        assert_eq!(r.ends_at.to_string(), "2026-12-10T05:00:00Z");
    }
}
