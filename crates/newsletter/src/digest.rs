//! What goes into an issue, read from the store: the top articles of the period, the
//! smart-money highlights of the filings that arrived in it, and the key dates ahead.

use std::collections::HashSet;

use jiff::{SignedDuration, Timestamp, ToSpan};
use marketdesk_core::{eastern, style};
use marketdesk_desks::{
    holdings::{Change, Quarter},
    insider::{Config, Signal, SignalKind},
};
use marketdesk_store::{Cadence, KeyDateRecord, Store};
use marketdesk_writer::{Article, names};
use serde::Serialize;

use crate::{Result, period::Period};

/// The most articles an issue lists.
const TOP_ARTICLES: usize = 8;
/// The most lines in each smart-money list.
const TOP_LINES: usize = 5;

/// An article in the issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DigestArticle {
    /// The headline.
    pub headline: String,
    /// The standfirst.
    pub dek: String,
    /// `/articles/SLUG`.
    pub path: String,
    /// The agent's name.
    pub agent: String,
    /// "2min read".
    pub reading: String,
    /// Tickers it covers.
    pub tickers: Vec<String>,
}

/// One line of the smart-money highlights.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Highlight {
    /// The ticker, where known.
    pub ticker: Option<String>,
    /// The company.
    pub company: String,
    /// Who: "Jensen Huang, CEO", "4 insiders".
    pub who: String,
    /// "$30.5 million".
    pub value: String,
    /// The trade dates: "Dec 1" or "Dec 1-3, 2026".
    pub dates: String,
    /// `/tickers/T` (or the search page when there is no ticker).
    pub path: String,
}

/// A notable 13F change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HoldingMove {
    /// The manager.
    pub manager: String,
    /// The company held.
    pub company: String,
    /// Its ticker, where the CUSIP maps to one.
    pub ticker: Option<String>,
    /// "new position", "sold out", "added 45%", "cut 30%".
    pub change: String,
    /// Value held at quarter end: "$1.2 billion".
    pub value: String,
    /// "2026-Q3".
    pub quarter: String,
    #[serde(skip)]
    weight: f64,
}

/// A key date ahead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyDateLine {
    /// "Wed, Dec 9" (or "Tue, Dec 8 - Wed, Dec 9").
    pub day: String,
    /// "8:30 am ET", for an event at a moment.
    pub time: Option<String>,
    /// What happens.
    pub title: String,
    /// "tentative", when announced so.
    pub note: Option<String>,
    /// A page about it.
    pub url: Option<String>,
}

/// Everything one issue says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Digest {
    /// The period it is for.
    #[serde(skip)]
    pub period: Period,
    /// Articles published from here...
    pub covers_from: Timestamp,
    /// ...to here.
    pub covers_until: Timestamp,
    /// The top articles.
    pub articles: Vec<DigestArticle>,
    /// Largest insider purchases.
    pub buys: Vec<Highlight>,
    /// Largest insider sales.
    pub sells: Vec<Highlight>,
    /// Several insiders buying together.
    pub clusters: Vec<Highlight>,
    /// Notable 13F moves.
    pub moves: Vec<HoldingMove>,
    /// Key dates ahead.
    pub key_dates: Vec<KeyDateLine>,
}

impl Digest {
    /// Whether there is anything to send.
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
            && self.buys.is_empty()
            && self.sells.is_empty()
            && self.clusters.is_empty()
            && self.moves.is_empty()
    }
}

/// How far ahead the key dates look.
fn horizon(cadence: Cadence) -> SignedDuration {
    match cadence {
        Cadence::Daily => SignedDuration::from_hours(24 * 7),
        Cadence::Weekly => SignedDuration::from_hours(24 * 14),
    }
}

/// Reads the digest of `period` covering `[from, until)` from the store.
pub async fn gather(
    store: &Store,
    period: Period,
    from: Timestamp,
    until: Timestamp,
) -> Result<Digest> {
    let articles = top_articles(store, from, until).await?;
    let (buys, sells, clusters) = highlights(store, from, until).await?;
    let moves = holding_moves(store, from, until).await?;
    let key_dates = key_dates(store, until, horizon(period.cadence)).await?;
    Ok(Digest {
        period,
        covers_from: from,
        covers_until: until,
        articles,
        buys,
        sells,
        clusters,
        moves,
        key_dates,
    })
}

/// Articles first published in the window, those with the most sources (filings or reports)
/// behind them first, then the newest.
async fn top_articles(
    store: &Store,
    from: Timestamp,
    until: Timestamp,
) -> Result<Vec<DigestArticle>> {
    let mut found = Vec::new();
    for record in store.articles(1000).await? {
        if record.published_at < from || record.published_at >= until {
            continue;
        }
        let Ok(article) = serde_json::from_str::<Article>(&record.body) else {
            tracing::warn!(slug = %record.slug, "article JSON does not read; left out of the digest");
            continue;
        };
        found.push(article);
    }
    found.sort_by(|a, b| {
        b.sources.len().cmp(&a.sources.len()).then(b.published_at.cmp(&a.published_at))
    });
    Ok(found
        .into_iter()
        .take(TOP_ARTICLES)
        .map(|a| DigestArticle {
            path: format!("/articles/{}", a.slug),
            reading: marketdesk_writer::reading_label(a.reading_minutes),
            headline: a.headline,
            dek: a.dek,
            agent: a.persona.name,
            tickers: a.tickers,
        })
        .collect())
}

fn date_range(s: &Signal) -> String {
    if s.start_date == s.end_date {
        s.end_date.strftime("%b %-d, %Y").to_string()
    } else if s.start_date.year() == s.end_date.year() && s.start_date.month() == s.end_date.month()
    {
        format!("{}-{}", s.start_date.strftime("%b %-d"), s.end_date.strftime("%-d, %Y"))
    } else {
        format!("{} - {}", s.start_date.strftime("%b %-d"), s.end_date.strftime("%b %-d, %Y"))
    }
}

fn highlight(s: &Signal) -> Highlight {
    let who = match s.insiders.as_slice() {
        [one] if one.role.is_empty() => names::person(&one.name),
        [one] => format!("{}, {}", names::person(&one.name), one.role),
        many => format!("{} insiders", many.len()),
    };
    let company =
        s.issuer_name.as_deref().map_or_else(|| format!("CIK {}", s.issuer_cik), names::company);
    Highlight {
        path: s.ticker.as_ref().map_or_else(|| "/search".to_owned(), |t| format!("/tickers/{t}")),
        ticker: s.ticker.clone(),
        company,
        who,
        value: style::money(s.value_usd),
        dates: date_range(s),
    }
}

/// The insider desk's signals over filings that arrived in the window: the largest buys and
/// sells, and the cluster buys.
async fn highlights(
    store: &Store,
    from: Timestamp,
    until: Timestamp,
) -> Result<(Vec<Highlight>, Vec<Highlight>, Vec<Highlight>)> {
    let arrived: HashSet<String> =
        store.filings_ingested_between(from, until).await?.into_iter().collect();
    if arrived.is_empty() {
        return Ok(Default::default());
    }
    let mut signals =
        marketdesk_newsroom::desk_signals(store, None, None, &Config::default()).await?;
    signals.retain(|s| s.accessions.iter().any(|a| arrived.contains(a)));
    signals.sort_by(|a, b| b.value_usd.total_cmp(&a.value_usd));
    let pick = |kind: SignalKind, n: usize| -> Vec<Highlight> {
        signals.iter().filter(|s| s.kind == kind).take(n).map(highlight).collect()
    };
    Ok((
        pick(SignalKind::Purchase, TOP_LINES),
        pick(SignalKind::Sale, TOP_LINES),
        pick(SignalKind::ClusterBuy, 3),
    ))
}

/// The largest changes in the 13F reports that arrived in the window: new positions, exits,
/// and the biggest adds and cuts, by value.
async fn holding_moves(
    store: &Store,
    from: Timestamp,
    until: Timestamp,
) -> Result<Vec<HoldingMove>> {
    let mut moves = Vec::new();
    for (cik, period) in store.thirteen_f_ingested_between(from, until).await? {
        let (Ok(cik), Some(quarter)) =
            (marketdesk_core::Cik::parse(&cik), period.parse().ok().map(Quarter::of))
        else {
            continue;
        };
        let Some(mq) = marketdesk_newsroom::manager_quarter(store, cik, Some(quarter)).await?
        else {
            continue;
        };
        let manager = mq.name.as_deref().map_or_else(|| format!("CIK {cik}"), names::company);
        let mut mine = Vec::new();
        for c in &mq.changes {
            if c.holding.put_call.is_some() {
                continue;
            }
            let value = c.holding.value_usd.unwrap_or(0) as f64;
            let (change, weight) = match (c.change, c.shares_delta_pct) {
                (Change::New, _) => ("new position".to_owned(), value),
                (Change::Exit, _) => ("sold out".to_owned(), value),
                (Change::Increase, Some(p)) if p >= 25.0 => {
                    (format!("added {p:.0}%"), value * p / 100.0)
                }
                (Change::Decrease, Some(p)) if p <= -25.0 => {
                    (format!("cut {:.0}%", -p), value * -p / 100.0)
                }
                _ => continue,
            };
            let ticker = store.cusip(&c.holding.cusip).await?.and_then(|r| r.ticker);
            mine.push(HoldingMove {
                manager: manager.clone(),
                company: c
                    .holding
                    .issuer_name
                    .as_deref()
                    .map_or_else(|| c.holding.cusip.clone(), names::company),
                ticker,
                change,
                value: c
                    .holding
                    .value_usd
                    .map_or_else(|| "--".to_owned(), |v| style::money(v as f64)),
                quarter: mq.period.to_string(),
                weight,
            });
        }
        mine.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        moves.extend(mine.into_iter().take(2));
    }
    moves.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    moves.truncate(TOP_LINES);
    Ok(moves)
}

/// The stored key dates and the SEC's 13F deadlines in the `ahead` after `from`.
async fn key_dates(
    store: &Store,
    from: Timestamp,
    ahead: SignedDuration,
) -> Result<Vec<KeyDateLine>> {
    let until = from.checked_add(ahead).unwrap_or(from);
    let mut dates = store.key_dates_between(from, until).await?;
    let today = eastern(from).date();
    let last = today.checked_add(ahead.as_hours().div_euclid(24).days()).unwrap_or(today);
    for d in marketdesk_calendars::deadlines::thirteen_f(today, last) {
        let record = marketdesk_newsroom::key_date_record(&d);
        if record.starts_at < until && record.ends_at > from {
            dates.push(record);
        }
    }
    dates.sort_by(|a, b| a.starts_at.cmp(&b.starts_at).then(a.summary.cmp(&b.summary)));
    Ok(dates.iter().map(key_date_line).collect())
}

fn key_date_line(d: &KeyDateRecord) -> KeyDateLine {
    let start = eastern(d.starts_at);
    let (day, time) = if d.all_day {
        // All-day events end at Eastern midnight after their last day.
        let last = eastern(d.ends_at).date().yesterday().unwrap_or(start.date());
        let first = start.date().strftime("%a, %b %-d").to_string();
        if last > start.date() {
            (format!("{first} - {}", last.strftime("%a, %b %-d")), None)
        } else {
            (first, None)
        }
    } else {
        (
            start.strftime("%a, %b %-d").to_string(),
            Some(format!("{} ET", start.strftime("%-I:%M %P"))),
        )
    };
    KeyDateLine {
        day,
        time,
        title: d.summary.clone(),
        note: d.tentative.then(|| "tentative".to_owned()),
        // Calendars come from anywhere: only web links go into the mail.
        url: d.url.clone().filter(|u| u.starts_with("https://") || u.starts_with("http://")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    fn record(summary: &str, all_day: bool, start: &str, end: &str) -> KeyDateRecord {
        KeyDateRecord {
            source: "test".to_owned(),
            uid: summary.to_owned(),
            summary: summary.to_owned(),
            description: None,
            location: None,
            url: None,
            categories: vec![],
            all_day,
            tentative: false,
            starts_at: at(start),
            ends_at: at(end),
        }
    }

    #[test]
    fn key_date_lines_read_in_eastern_time() {
        // FOMC Dec 8-9, 2026: Eastern midnight is 05:00 UTC in December.
        let fomc = key_date_line(&record(
            "FOMC meeting",
            true,
            "2026-12-08T05:00:00Z",
            "2026-12-10T05:00:00Z",
        ));
        assert_eq!(fomc.day, "Tue, Dec 8 - Wed, Dec 9");
        assert_eq!(fomc.time, None);
        // CPI at 8:30 am EDT is 12:30 UTC in April.
        let cpi =
            key_date_line(&record("CPI", false, "2026-04-10T12:30:00Z", "2026-04-10T12:30:00Z"));
        assert_eq!((cpi.day.as_str(), cpi.time.as_deref()), ("Fri, Apr 10", Some("8:30 am ET")));
    }
}
