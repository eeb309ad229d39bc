//! `ingest edgar --from-edgar`: walk EDGAR's daily form indexes and fetch every Form 3, 4 and 5.
//!
//! Resumable: filings are committed in batches as they arrive, accessions already stored are not
//! fetched again, and a day is marked complete only once every filing on it was stored or
//! recorded as failed, so a rerun after an interruption picks up where the last one stopped.

use std::collections::BTreeMap;

use anyhow::Context;
use jiff::{Timestamp, civil::Date};
use marketdesk_edgar::{
    fetch::{EdgarClient, FetchError},
    index::{business_days, daily_form_index_path, is_tracked_form, parse_index},
};
use marketdesk_store::Store;
use tokio::task::JoinSet;

use crate::ingest::{Ingestor, Parsed, Summary, progress};

/// How an online ingest ended.
pub(crate) enum Ending {
    /// Every day in the range was walked.
    Complete,
    /// Stopped early (interrupted, or EDGAR refused us); a rerun resumes.
    Stopped(String),
}

pub(crate) struct Range {
    pub(crate) since: Date,
    pub(crate) until: Date,
}

/// Walks the days of `range` not yet completed.
pub(crate) async fn ingest_from_edgar(
    store: &Store,
    client: &EdgarClient,
    range: Range,
    concurrency: usize,
    today: Date,
) -> anyhow::Result<(Summary, Ending)> {
    let done = store.completed_index_days().await?;
    let days: Vec<Date> =
        business_days(range.since, range.until).into_iter().filter(|d| !done.contains(d)).collect();
    let mut ingestor = Ingestor::new(store, progress(None, "filings fetched"));
    let mut ending = Ending::Complete;
    // One listener for the whole walk, not one per finished fetch.
    let interrupted = tokio::signal::ctrl_c();
    tokio::pin!(interrupted);

    'days: for day in days {
        let index_path = daily_form_index_path(day);
        let index = match client.get(&index_path).await {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                // No index: a holiday, or a day EDGAR has not finished yet.
                if day < today {
                    store.complete_index_day(day, 0, Timestamp::now()).await?;
                }
                continue;
            }
            Err(e) if e.is_fatal() => {
                ending = Ending::Stopped(e.to_string());
                break;
            }
            Err(e) => {
                let url = client.url(&index_path);
                ingestor.accept((url, Err(format!("daily index: {e}")))).await?;
                continue;
            }
        };
        let text = String::from_utf8_lossy(&index);
        let (entries, bad_lines) = parse_index(&text);
        for bad in bad_lines {
            tracing::warn!(index = %index_path, line = bad.line, text = %bad.text, "unreadable index line");
        }
        // One row per filer role: keep each accession once.
        let mut wanted: BTreeMap<String, String> = BTreeMap::new();
        for e in entries.iter().filter(|e| is_tracked_form(&e.form_type)) {
            if let Some(a) = e.accession() {
                wanted.entry(a.to_string()).or_insert_with(|| e.file_name.clone());
            }
        }
        let accessions: Vec<&str> = wanted.keys().map(String::as_str).collect();
        let stored = store.existing_accessions(&accessions).await?;
        let todo: Vec<String> =
            wanted.iter().filter(|(a, _)| !stored.contains(*a)).map(|(_, f)| f.clone()).collect();
        tracing::info!(%day, filings = wanted.len(), to_fetch = todo.len(), "daily index");

        let mut pending = todo.into_iter();
        let mut running: JoinSet<Result<Parsed, FetchError>> = JoinSet::new();
        let mut transient_failures = false;
        loop {
            while running.len() < concurrency {
                let Some(file) = pending.next() else { break };
                let client = client.clone();
                running.spawn(async move {
                    let path = format!("Archives/{file}");
                    let url = client.url(&path);
                    match client.get(&path).await? {
                        Some(bytes) => {
                            let parsed = crate::ingest::parse_filing(&url, &bytes);
                            Ok((url, parsed))
                        }
                        None => Ok((url, Err("not found on EDGAR (404)".to_owned()))),
                    }
                });
            }
            let next = tokio::select! {
                next = running.join_next() => next,
                _ = &mut interrupted => {
                    running.abort_all();
                    ending = Ending::Stopped("interrupted".to_owned());
                    break 'days;
                }
            };
            let Some(joined) = next else { break };
            match joined.context("a fetch task failed")? {
                Ok(item) => ingestor.accept(item).await?,
                Err(e) if e.is_fatal() => {
                    running.abort_all();
                    ending = Ending::Stopped(e.to_string());
                    break 'days;
                }
                Err(e) => {
                    transient_failures = true;
                    let source = match &e {
                        FetchError::Status { url, .. } | FetchError::Transport { url, .. } => {
                            url.clone()
                        }
                        other => other.to_string(),
                    };
                    ingestor.accept((source, Err(e.to_string()))).await?;
                }
            }
        }
        ingestor.flush().await?;
        // Network failures may succeed next time, so such a day stays open for a rerun.
        if !transient_failures {
            store.complete_index_day(day, wanted.len() as i64, Timestamp::now()).await?;
        }
    }
    let summary = ingestor.finish().await?;
    Ok((summary, ending))
}
