//! Ingest: documents in, parsed in parallel, stored in batches, failures recorded and skipped.

use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use jiff::Timestamp;
use marketdesk_core::{OwnershipFiling, ThirteenF};
use marketdesk_edgar::{
    Document, DocumentKind, SourceError, accession_in_path, detect, parse_ownership,
    parse_thirteen_f,
};
use marketdesk_store::{SourcedFiling, SourcedReport, Store};
use rayon::iter::{ParallelBridge, ParallelIterator};
use serde::Serialize;

/// Filings per store transaction: large enough to amortise the commit, small enough to keep
/// memory flat.
const BATCH: usize = 500;

/// What an ingest did, printed at its end.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub(crate) struct Summary {
    /// Filings read (new or not).
    pub(crate) filings: u64,
    /// Filings newly stored.
    pub(crate) new: u64,
    /// Filings whose accession was already stored.
    pub(crate) already_present: u64,
    /// Transactions newly stored (Forms 3, 4, 5).
    pub(crate) transactions: u64,
    /// 13F positions newly stored.
    pub(crate) positions_13f: u64,
    /// Inputs that failed and were recorded.
    pub(crate) errors: u64,
    /// Filings now superseded by an amendment (whole store).
    pub(crate) superseded: u64,
    /// Wall time.
    pub(crate) seconds: f64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ingested {} filings ({} new, {} already present), {} transactions, {} 13F positions, \
             {} superseded by amendments, {} errors in {:.2} s",
            self.filings,
            self.new,
            self.already_present,
            self.transactions,
            self.positions_13f,
            self.superseded,
            self.errors,
            self.seconds
        )
    }
}

/// A filing of a kind marketdesk reads.
pub(crate) enum ParsedFiling {
    /// Form 3, 4 or 5.
    Ownership(Box<OwnershipFiling>),
    /// 13F-HR or 13F-NT.
    ThirteenF(Box<ThirteenF>),
}

/// One parsed input, or why it failed.
pub(crate) type Parsed = (String, Result<ParsedFiling, String>);

/// Parses a filing of whichever kind its content shows.
pub(crate) fn parse_filing(name: &str, bytes: &[u8]) -> Result<ParsedFiling, String> {
    let parsed = match detect(bytes) {
        DocumentKind::ThirteenF => {
            parse_thirteen_f(name, bytes).map(|r| ParsedFiling::ThirteenF(Box::new(r)))
        }
        _ => parse_ownership(name, bytes).map(|f| ParsedFiling::Ownership(Box::new(f))),
    };
    parsed.map_err(|e| e.to_string())
}

/// Collects parsed filings into batches and writes them; records failures.
pub(crate) struct Ingestor<'s> {
    store: &'s Store,
    batch: Vec<(String, OwnershipFiling)>,
    reports: Vec<(String, ThirteenF)>,
    summary: Summary,
    started: Instant,
    progress: ProgressBar,
}

impl<'s> Ingestor<'s> {
    pub(crate) fn new(store: &'s Store, progress: ProgressBar) -> Self {
        Ingestor {
            store,
            batch: Vec::with_capacity(BATCH),
            reports: Vec::new(),
            summary: Summary::default(),
            started: Instant::now(),
            progress,
        }
    }

    pub(crate) async fn accept(&mut self, (source, result): Parsed) -> anyhow::Result<()> {
        self.progress.inc(1);
        match result {
            Ok(ParsedFiling::Ownership(filing)) => {
                self.batch.push((source, *filing));
                if self.batch.len() >= BATCH {
                    self.flush().await?;
                }
            }
            Ok(ParsedFiling::ThirteenF(report)) => {
                // A 13F can hold thousands of positions: a few make a batch.
                self.reports.push((source, *report));
                if self.reports.len() >= 8 {
                    self.flush().await?;
                }
            }
            Err(reason) => {
                tracing::warn!(%source, %reason, "skipped");
                let accession = accession_in_path(&source).map(|a| a.to_string());
                self.store
                    .record_ingest_error(&source, accession.as_deref(), &reason, Timestamp::now())
                    .await
                    .with_context(|| format!("recording the failure of {source}"))?;
                self.summary.errors += 1;
            }
        }
        Ok(())
    }

    pub(crate) async fn flush(&mut self) -> anyhow::Result<()> {
        if !self.reports.is_empty() {
            let sourced: Vec<SourcedReport<'_>> =
                self.reports.iter().map(|(s, r)| SourcedReport { source: s, report: r }).collect();
            let outcome = self
                .store
                .insert_thirteen_f(&sourced, Timestamp::now())
                .await
                .context("storing 13F reports")?;
            self.summary.filings += sourced.len() as u64;
            self.summary.new += outcome.inserted;
            self.summary.already_present += outcome.already_present;
            self.summary.positions_13f += outcome.positions;
            self.reports.clear();
        }
        if self.batch.is_empty() {
            return Ok(());
        }
        let sourced: Vec<SourcedFiling<'_>> =
            self.batch.iter().map(|(s, f)| SourcedFiling { source: s, filing: f }).collect();
        let outcome = self
            .store
            .insert_ownership(&sourced, Timestamp::now())
            .await
            .context("storing a batch of filings")?;
        self.summary.filings += sourced.len() as u64;
        self.summary.new += outcome.inserted;
        self.summary.already_present += outcome.already_present;
        self.summary.transactions += outcome.transactions;
        self.batch.clear();
        Ok(())
    }

    pub(crate) async fn finish(mut self) -> anyhow::Result<Summary> {
        self.flush().await?;
        self.summary.superseded =
            self.store.resolve_amendments().await.context("resolving amendments")?;
        self.summary.seconds = self.started.elapsed().as_secs_f64();
        self.progress.finish_and_clear();
        Ok(self.summary)
    }
}

/// A counter on stderr when it is a terminal; nothing otherwise.
pub(crate) fn progress(total: Option<u64>, what: &str) -> ProgressBar {
    let bar = match total {
        Some(n) => ProgressBar::new(n).with_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} {msg} ({per_sec}, eta {eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {pos} {msg} ({per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    };
    bar.set_message(what.to_owned());
    bar
}

/// Parses one document with `parse`, naming it by where it came from; a document that could not
/// be read keeps the reason.
pub(crate) fn parse_document<T, E: std::fmt::Display>(
    doc: Result<Document, SourceError>,
    parse: impl Fn(&str, &[u8]) -> Result<T, E>,
) -> (String, Result<T, String>) {
    match doc {
        Ok(d) => {
            let parsed = parse(&d.name, &d.bytes).map_err(|e| e.to_string());
            (d.name, parsed)
        }
        Err(e) => (e.name, Err(e.message)),
    }
}

/// Ingests documents: parsed on every core, stored by one writer.
pub(crate) async fn ingest_documents<I>(store: &Store, docs: I) -> anyhow::Result<Summary>
where
    I: Iterator<Item = Result<Document, SourceError>> + Send + 'static,
{
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Parsed>(BATCH / 2);
    let producer = tokio::task::spawn_blocking(move || {
        docs.par_bridge().for_each_with(tx, |tx, doc| {
            // A closed channel means the writer failed; its error is what gets reported.
            let _ = tx.blocking_send(parse_document(doc, parse_filing));
        });
    });
    let mut ingestor = Ingestor::new(store, progress(None, "filings"));
    while let Some(item) = rx.recv().await {
        ingestor.accept(item).await?;
    }
    producer.await.context("the parser thread failed")?;
    ingestor.finish().await
}
