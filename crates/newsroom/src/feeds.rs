//! News feeds over the store: reading feeds (files or conditional GETs), keeping items once,
//! clustering them into events, and the events worth an article.

use std::{
    collections::{BTreeMap, HashMap},
    path::Path,
};

use jiff::{Timestamp, civil::Date};
use marketdesk_desks::news::{Clusterer, analyse, simhash};
use marketdesk_feeds::{
    FeedItem, FeedList, FeedSource,
    fetch::{FeedClient, FetchConfig, FetchOutcome, Validators},
    parse_feed,
};
use marketdesk_linker::Linker;
use marketdesk_store::{FeedItemRecord, Store};
use marketdesk_writer::{EventFacts, NamedCompany, NewsEvent, Report, SectorFact};
use serde::Serialize;

use crate::{Error, Result};

/// What one `ingest feeds` run did.
#[derive(Debug, Default, Serialize)]
pub struct FeedSummary {
    /// Feeds read (fetched or from files).
    pub feeds: usize,
    /// Feeds that answered 304 Not Modified.
    pub not_modified: usize,
    /// Feeds that could not be read or parsed.
    pub failed: usize,
    /// Items newly kept.
    pub new_items: u64,
    /// Items already kept (same GUID or link), in this run or before.
    pub duplicates: usize,
    /// Problems recorded (see `ingest errors`).
    pub problems: usize,
    /// Distinct events among the new items.
    pub new_events: usize,
}

impl std::fmt::Display for FeedSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} feeds read ({} not modified, {} failed): {} new items in {} new events, {} duplicates skipped, {} problems recorded",
            self.feeds,
            self.not_modified,
            self.failed,
            self.new_items,
            self.new_events,
            self.duplicates,
            self.problems
        )
    }
}

/// The key an item is kept under. A GUID that is not a URL is only unique within its feed.
fn item_key(feed: &str, item: &FeedItem) -> String {
    match &item.guid {
        Some(g) if g.starts_with("http://") || g.starts_with("https://") => format!("guid:{g}"),
        Some(g) => format!("guid:{feed}#{g}"),
        None => item.dedup_key(),
    }
}

/// The text an item is clustered and analysed by.
pub fn item_text(title: &str, summary: &str) -> String {
    if summary.is_empty() { title.to_owned() } else { format!("{title} \u{2014} {summary}") }
}

/// Items seen in the last days, so a story reported again today joins yesterday's event.
const CLUSTER_MEMORY_ITEMS: u32 = 20_000;

/// A clusterer that remembers the most recent stored items.
async fn clusterer(store: &Store) -> Result<Clusterer> {
    let mut clusterer = Clusterer::default();
    let mut recent = store.feed_items(None, CLUSTER_MEMORY_ITEMS).await?;
    recent.reverse();
    for r in &recent {
        clusterer.assign(&r.event, &item_text(&r.title, &r.summary));
    }
    Ok(clusterer)
}

/// The feeds to read: a feeds file's entries and the given URLs or paths (a directory gives
/// every file in it).
fn sources(file: Option<&Path>, args: &[String]) -> Result<Vec<FeedSource>> {
    let mut out = Vec::new();
    if let Some(file) = file {
        let text = std::fs::read_to_string(file)
            .map_err(|e| Error::Read { path: file.display().to_string(), source: e })?;
        out.extend(FeedList::from_toml(&text, &file.display().to_string())?.feeds);
    }
    let given = crate::expand_dirs(args, |p| p.extension().is_some_and(|x| x != "md"))?;
    out.extend(given.into_iter().map(|url| FeedSource {
        name: String::new(),
        url,
        category: None,
    }));
    if out.is_empty() {
        return Err(Error::NoFeeds);
    }
    Ok(out)
}

fn file_name(url: &str) -> String {
    url.trim_end_matches('/').rsplit('/').next().unwrap_or(url).to_owned()
}

/// Reads one feed: `Some((bytes, charset))`, or `None` when it is unchanged or failed (the
/// failure is recorded).
async fn read(
    store: &Store,
    client: &FeedClient,
    source: &FeedSource,
    summary: &mut FeedSummary,
    now: Timestamp,
) -> Result<Option<(Vec<u8>, Option<String>)>> {
    let location = source.url.as_str();
    if !source.is_http() {
        let path = location.strip_prefix("file://").unwrap_or(location);
        return match std::fs::read(path) {
            Ok(bytes) => {
                store.record_feed_fetch(location, "read", None, None, now).await?;
                Ok(Some((bytes, None)))
            }
            Err(e) => {
                summary.failed += 1;
                let reason = format!("cannot read {path}: {e}");
                store.record_feed_fetch(location, &reason, None, None, now).await?;
                store.record_ingest_error(&format!("feed:{location}"), None, &reason, now).await?;
                Ok(None)
            }
        };
    }
    let stored = store.feed(location).await?.unwrap_or_default();
    let validators = Validators { etag: stored.etag, last_modified: stored.last_modified };
    match client.fetch(location, &validators).await {
        Ok(FetchOutcome::NotModified) => {
            summary.not_modified += 1;
            store.record_feed_fetch(location, "304", None, None, now).await?;
            Ok(None)
        }
        Ok(FetchOutcome::Fetched(f)) => {
            store
                .record_feed_fetch(
                    location,
                    "200",
                    f.etag.as_deref(),
                    f.last_modified.as_deref(),
                    now,
                )
                .await?;
            Ok(Some((f.bytes, f.charset)))
        }
        Err(e) => {
            summary.failed += 1;
            let reason = e.to_string();
            store.record_feed_fetch(location, &reason, None, None, now).await?;
            store.record_ingest_error(&format!("feed:{location}"), None, &reason, now).await?;
            Ok(None)
        }
    }
}

/// `ingest feeds [--file FEEDS] [URL_OR_PATH...]`.
pub async fn ingest_feeds(
    store: &Store,
    file: Option<&Path>,
    args: &[String],
    user_agent: &str,
    now: Timestamp,
) -> Result<FeedSummary> {
    let sources = sources(file, args)?;
    let client =
        FeedClient::new(FetchConfig::new(user_agent.to_owned())).map_err(Error::FeedClient)?;
    let mut clusterer = clusterer(store).await?;
    let mut summary = FeedSummary::default();
    for source in &sources {
        let location = source.url.as_str();
        // Feeds named on the command line are known by their own title.
        let name = Some(source.name.as_str()).filter(|n| !n.is_empty());
        store.upsert_feed(location, name, source.category.as_deref()).await?;
        let Some((bytes, charset)) = read(store, &client, source, &mut summary, now).await? else {
            continue;
        };
        summary.feeds += 1;
        let parsed = match parse_feed(&bytes, location, charset.as_deref()) {
            Ok(p) => p,
            Err(e) => {
                summary.failed += 1;
                store
                    .record_ingest_error(&format!("feed:{location}"), None, &e.to_string(), now)
                    .await?;
                continue;
            }
        };
        if name.is_none() {
            let title = parsed.title.clone().unwrap_or_else(|| file_name(location));
            store.upsert_feed(location, Some(&title), None).await?;
        }
        for (n, p) in parsed.problems.iter().enumerate() {
            summary.problems += 1;
            // Numbered so that two problems with one item are both kept, and a re-run of the
            // same feed records the same problems again instead of new ones.
            store
                .record_ingest_error(&format!("feed:{location}#{n}"), None, &p.to_string(), now)
                .await?;
        }
        summary.new_events +=
            keep(store, location, &parsed.items, &mut clusterer, &mut summary, now).await?;
    }
    Ok(summary)
}

/// Keeps the items not kept before (by key and by link); returns how many new events began.
async fn keep(
    store: &Store,
    feed: &str,
    items: &[FeedItem],
    clusterer: &mut Clusterer,
    summary: &mut FeedSummary,
    now: Timestamp,
) -> Result<usize> {
    let keys: Vec<String> = items.iter().map(|i| item_key(feed, i)).collect();
    let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let links: Vec<&str> = items.iter().filter_map(|i| i.link.as_deref()).collect();
    let (mut known_keys, mut known_links) = store.known_feed_items(&key_refs, &links).await?;
    let mut records = Vec::new();
    let mut new_events = 0;
    for (item, key) in items.iter().zip(keys) {
        let seen_link = item.link.as_ref().is_some_and(|l| known_links.contains(l));
        if known_keys.contains(&key) || seen_link {
            summary.duplicates += 1;
            continue;
        }
        known_keys.insert(key.clone());
        if let Some(l) = &item.link {
            known_links.insert(l.clone());
        }
        let text = item_text(&item.title, &item.summary);
        let event = clusterer.assign(&key, &text).to_owned();
        if event == key {
            new_events += 1;
        }
        records.push(FeedItemRecord {
            simhash: simhash(&text),
            item_key: key,
            feed: feed.to_owned(),
            guid: item.guid.clone(),
            link: item.link.clone(),
            title: item.title.clone(),
            published_at: item.published,
            published_offset: item.published_zoned().map(|z| z.offset().to_string()),
            summary: item.summary.clone(),
            author: item.author.clone(),
            first_seen_at: now,
            event,
        });
    }
    summary.new_items += store.insert_feed_items(&records).await?;
    Ok(new_events)
}

/// How many of the newest items the writer looks at for events.
const EVENT_WINDOW_ITEMS: u32 = 5_000;

/// The news events among the newest kept items (published or first seen on or after `since`)
/// whose first report moves at least one sector, oldest event first.
pub async fn events(store: &Store, linker: &Linker, since: Option<Date>) -> Result<Vec<NewsEvent>> {
    let mut items = store.feed_items(None, EVENT_WINDOW_ITEMS).await?;
    items.reverse();
    let day = |t: Timestamp| marketdesk_core::eastern(t).date();
    items.retain(|i| since.is_none_or(|d| day(i.published_at.unwrap_or(i.first_seen_at)) >= d));
    let mut by_event: BTreeMap<&str, Vec<&FeedItemRecord>> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for i in &items {
        let group = by_event.entry(i.event.as_str()).or_default();
        if group.is_empty() {
            order.push(i.event.as_str());
        }
        group.push(i);
    }
    let mut outlet_names: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    for key in order {
        let Some(reports) = by_event.get(key) else { continue };
        let Some(lead) = reports.first() else { continue };
        let text = item_text(&lead.title, &lead.summary);
        let analysis = analyse(&text);
        if analysis.sectors.is_empty() {
            continue;
        }
        let mut outlets = Vec::new();
        let mut written = Vec::new();
        for r in reports {
            let name = match outlet_names.get(&r.feed) {
                Some(n) => n.clone(),
                None => {
                    let n = store
                        .feed(&r.feed)
                        .await?
                        .and_then(|f| f.name)
                        .unwrap_or_else(|| file_name(&r.feed));
                    outlet_names.insert(r.feed.clone(), n.clone());
                    n
                }
            };
            if !outlets.contains(&name) {
                outlets.push(name.clone());
            }
            written.push(Report {
                outlet: name,
                title: r.title.clone(),
                link: r.link.clone(),
                published_at: r.published_at,
                summary: r.summary.clone(),
            });
        }
        let mut companies: Vec<NamedCompany> = Vec::new();
        for m in linker.link(&text) {
            if !companies.iter().any(|c| c.ticker == m.ticker) {
                companies.push(NamedCompany { name: m.text, ticker: m.ticker, cik: m.cik });
            }
        }
        let topic =
            serde_json::to_value(analysis.topic)?.as_str().unwrap_or("other").replace('_', " ");
        out.push(NewsEvent {
            key: key.to_owned(),
            reports: written,
            facts: EventFacts {
                topic,
                sectors: analysis
                    .sectors
                    .iter()
                    .map(|s| SectorFact {
                        sector: s.sector.name().to_owned(),
                        direction: s.direction.as_str().to_owned(),
                        why: s.why.clone(),
                        companies: s
                            .companies
                            .iter()
                            .map(|c| (c.name.clone(), c.ticker.clone()))
                            .collect(),
                    })
                    .collect(),
                places: analysis.countries,
                organisations: analysis.organisations,
                outlets,
            },
            companies,
            people: analysis.people,
        });
    }
    Ok(out)
}
