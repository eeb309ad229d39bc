//! `marketdesk run`: the always-on newsroom in one process. Jobs on their own schedules, each
//! run under a lease in the store so that any number of `run` processes over one store do
//! each job once at a time:
//!
//! - `edgar-current` (every `[run] edgar_current_secs`, 20 s): EDGAR's current-filings feed for
//!   Forms 3, 4 and 5; new accessions fetched, parsed and stored, then articles written.
//! - `edgar-index` (every `[run] edgar_index_minutes`, 30): the daily form indexes of the last
//!   few business days, so nothing the current feed missed (or a downtime) is lost.
//! - `feeds` (every `[run] feeds_minutes`, 15): the feeds file, by conditional GET; then the
//!   news desk's articles.
//! - `newsletter` (every minute): from `[newsletter] send_at` (Eastern, 07:00) each day the
//!   daily issue, and in each week the weekly one, to whoever has not had it (the send log
//!   makes a repeat harmless, the lease makes it single).
//!
//! Jobs run on their own tasks, side by side. The website is served alongside. SIGTERM or
//! Ctrl-C stops taking new jobs and gives those in flight 30 s before abandoning them (their
//! work is committed as it goes, so nothing is lost: the next start resumes from the store),
//! and stops the site.

use std::{process::ExitCode, sync::Arc, time::Duration};

use anyhow::Context;
use jiff::Timestamp;
use marketdesk_core::eastern;
use marketdesk_edgar::fetch::EdgarClient;
use marketdesk_store::{Cadence, Store};
use tokio::sync::watch;

use crate::{config::Config, ingest::Ingestor};

/// What `run` was asked to do.
pub(crate) struct RunOptions {
    /// Where the site listens; `None`: no site.
    pub(crate) addr: Option<std::net::SocketAddr>,
    /// EDGAR, when a User-Agent is configured.
    pub(crate) edgar: Option<EdgarClient>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Job {
    EdgarCurrent,
    EdgarIndex,
    Feeds,
    Newsletter,
}

impl Job {
    fn name(self) -> &'static str {
        match self {
            Job::EdgarCurrent => "edgar-current",
            Job::EdgarIndex => "edgar-index",
            Job::Feeds => "feeds",
            Job::Newsletter => "newsletter",
        }
    }
}

/// How long a job's lease lasts unless renewed. A pass renews it every third of this while it
/// runs, so a pass of any length keeps it, and a process that dies frees its jobs for another
/// `run` within this time.
const LEASE_TTL: Duration = Duration::from_secs(60);

/// A process's name for its leases: host, process id and start time.
fn holder() -> String {
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    format!("{}:{}:{}", host.trim(), std::process::id(), Timestamp::now().as_millisecond())
}

/// The accession and CIK of a current-feed entry, from its index link
/// (`.../Archives/edgar/data/CIK/NODASHES/ACCESSION-index.htm`): the filing's text path.
fn filing_path(link: &str) -> Option<String> {
    let rest = link.split("/Archives/edgar/data/").nth(1)?;
    let mut parts = rest.split('/');
    let cik = parts.next()?.trim_start_matches('0');
    let folder = parts.next()?;
    let accession = parts.next()?.strip_suffix("-index.htm")?;
    let ok = !cik.is_empty()
        && cik.bytes().all(|b| b.is_ascii_digit())
        && marketdesk_core::Accession::parse(accession).is_ok();
    ok.then(|| format!("Archives/edgar/data/{cik}/{folder}/{accession}.txt"))
}

/// The current-feed request for one form type.
fn current_feed_path(form: &str) -> String {
    format!(
        "cgi-bin/browse-edgar?action=getcurrent&type={form}&company=&dateb=&owner=include&start=0&count=100&output=atom"
    )
}

/// Waits that double after each failed pass (from 2 minutes up to an hour) and reset after a
/// good one, so an SMTP outage does not spend every row's few attempts in its first minutes.
#[derive(Debug, Default)]
struct Backoff {
    until: Option<tokio::time::Instant>,
    wait: Duration,
}

impl Backoff {
    const FIRST: Duration = Duration::from_secs(120);
    const MOST: Duration = Duration::from_secs(3600);

    fn ready(&self, now: tokio::time::Instant) -> bool {
        self.until.is_none_or(|u| now >= u)
    }

    fn failed(&mut self, now: tokio::time::Instant) {
        self.wait = if self.wait.is_zero() { Self::FIRST } else { (self.wait * 2).min(Self::MOST) };
        self.until = Some(now + self.wait);
    }

    fn succeeded(&mut self) {
        *self = Backoff::default();
    }
}

struct Runner {
    /// The newsletter job's wait after a pass the SMTP server cut short.
    mail_backoff: std::sync::Mutex<Backoff>,
    store: Store,
    config: Arc<Config>,
    holder: String,
    edgar: Option<EdgarClient>,
    newsletter: Option<marketdesk_newsletter::Newsletter>,
    metrics: marketdesk_web::Metrics,
    shutdown: watch::Receiver<bool>,
}

impl Runner {
    fn every(&self, job: Job) -> Duration {
        let r = &self.config.run;
        match job {
            Job::EdgarCurrent => Duration::from_secs(r.edgar_current_secs.max(1)),
            Job::EdgarIndex => Duration::from_secs(r.edgar_index_minutes.max(1) * 60),
            Job::Feeds => Duration::from_secs(r.feeds_minutes.max(1) * 60),
            Job::Newsletter => Duration::from_secs(r.newsletter_check_secs.max(1)),
        }
    }

    fn stopping(&self) -> bool {
        *self.shutdown.borrow()
    }

    /// Runs `job` if this process gets its lease; returns whether it ran.
    async fn tick(&self, job: Job) -> anyhow::Result<bool> {
        let work = async {
            match job {
                Job::EdgarCurrent => self.edgar_current().await,
                Job::EdgarIndex => self.edgar_index().await,
                Job::Feeds => self.feeds().await,
                Job::Newsletter => self.newsletter().await,
            }
        };
        let Some(result) =
            self.store.under_lease(job.name(), &self.holder, LEASE_TTL, work).await?
        else {
            return Ok(false);
        };
        self.metrics
            .counter(
                &format!("marketdesk_job_{}_runs_total", job.name().replace('-', "_")),
                "Passes of the job run by this process.",
            )
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        result.map(|()| true)
    }

    async fn write(&self) -> anyhow::Result<()> {
        let summary = crate::write(&self.store, None, None, self.config.writer.min_score).await?;
        tracing::info!(%summary, "articles written");
        Ok(())
    }

    async fn edgar_current(&self) -> anyhow::Result<()> {
        let Some(client) = &self.edgar else { return Ok(()) };
        let mut paths = Vec::new();
        for form in ["4", "5", "3"] {
            let feed = current_feed_path(form);
            let Some(bytes) = client.get(&feed).await? else { continue };
            match marketdesk_feeds::parse_feed(&bytes, &client.url(&feed), None) {
                Ok(parsed) => paths.extend(
                    parsed.items.iter().filter_map(|i| i.link.as_deref().and_then(filing_path)),
                ),
                Err(e) => {
                    self.store
                        .record_ingest_error(
                            &client.url(&feed),
                            None,
                            &e.to_string(),
                            Timestamp::now(),
                        )
                        .await?;
                }
            }
        }
        paths.sort();
        paths.dedup();
        let accessions: Vec<String> = paths
            .iter()
            .filter_map(|p| {
                p.rsplit('/').next().and_then(|f| f.strip_suffix(".txt")).map(str::to_owned)
            })
            .collect();
        let refs: Vec<&str> = accessions.iter().map(String::as_str).collect();
        let stored = self.store.existing_accessions(&refs).await?;
        let mut ingestor = Ingestor::new(&self.store, crate::ingest::progress(Some(0), "filings"));
        let mut new = 0;
        for (path, accession) in paths.iter().zip(&accessions) {
            if stored.contains(accession) || self.stopping() {
                continue;
            }
            let url = client.url(path);
            let parsed = match client.get(path).await {
                Ok(Some(bytes)) => crate::ingest::parse_filing(&url, &bytes),
                Ok(None) => Err("not found on EDGAR (404)".to_owned()),
                Err(e) if e.is_fatal() => return Err(e.into()),
                Err(e) => Err(e.to_string()),
            };
            ingestor.accept((url, parsed)).await?;
            new += 1;
        }
        let summary = ingestor.finish().await?;
        self.metrics
            .counter("marketdesk_edgar_requests_total", "Requests this process made to EDGAR.")
            .store(client.requests(), std::sync::atomic::Ordering::Relaxed);
        if new > 0 {
            tracing::info!(%summary, "current filings");
            self.write().await?;
        }
        Ok(())
    }

    async fn edgar_index(&self) -> anyhow::Result<()> {
        let Some(client) = &self.edgar else { return Ok(()) };
        let today = eastern(Timestamp::now()).date();
        let since = today.checked_sub(jiff::Span::new().days(5)).unwrap_or(today);
        let range = crate::edgar_online::Range { since, until: today };
        let (summary, _) = crate::edgar_online::ingest_from_edgar(
            &self.store,
            client,
            range,
            self.config.edgar.concurrency,
            today,
        )
        .await?;
        if summary.new > 0 {
            tracing::info!(%summary, "daily indexes");
            self.write().await?;
        }
        Ok(())
    }

    async fn feeds(&self) -> anyhow::Result<()> {
        let Some(file) = &self.config.feeds.file else { return Ok(()) };
        let agent = self.config.feeds.user_agent();
        let summary = marketdesk_newsroom::ingest_feeds(
            &self.store,
            Some(file),
            &[],
            &agent,
            Timestamp::now(),
        )
        .await?;
        if summary.new_items > 0 {
            tracing::info!(%summary, "feeds");
            self.write().await?;
        }
        Ok(())
    }

    async fn newsletter(&self) -> anyhow::Result<()> {
        let Some(n) = &self.newsletter else { return Ok(()) };
        let backoff =
            || self.mail_backoff.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if !backoff().ready(tokio::time::Instant::now()) {
            return Ok(());
        }
        let now = Timestamp::now();
        let local = eastern(now);
        let send_at = self.config.newsletter.send_at()?;
        if local.time() < send_at {
            return Ok(());
        }
        // Each day from `send_at` the day's issue, and the week's (an ISO week, so it first goes
        // out on Monday); later runs reach only those who have not had them yet.
        for cadence in Cadence::ALL {
            let report = n.send(cadence, now, false).await?;
            if let Some(why) = &report.stopped {
                let mut b = backoff();
                b.failed(tokio::time::Instant::now());
                tracing::warn!(wait_secs = b.wait.as_secs(), "newsletter paused: {why}");
                return Ok(());
            }
            backoff().succeeded();
            if report.recipients > 0 {
                tracing::info!(
                    cadence = cadence.as_str(),
                    sent = report.sent,
                    failed = report.failed,
                    "newsletter"
                );
            }
        }
        Ok(())
    }
}

/// Waits for Ctrl-C or SIGTERM, then says so on `tx`.
async fn signals(tx: watch::Sender<bool>) {
    marketdesk_web::shutdown_signal().await;
    tracing::info!("stopping: finishing the job in flight");
    let _ = tx.send(true);
}

/// `marketdesk run [--addr A | --no-serve]`.
pub(crate) async fn run(
    store: Store,
    config: Config,
    opts: RunOptions,
) -> anyhow::Result<ExitCode> {
    let config = Arc::new(config);
    let (tx, mut shutdown) = watch::channel(false);
    tokio::spawn(signals(tx.clone()));
    let mut site = crate::newsletter::site_options(&store, &config).await?;
    let metrics = marketdesk_web::Metrics::default();
    site.metrics = metrics.clone();
    // Bound before any job starts: a port in use stops `run` here, not a site missing later.
    let listener = match opts.addr {
        Some(addr) => Some(marketdesk_web::bind(addr).await?),
        None => None,
    };
    if let (None, Some(listener)) = (&site.base_url, &listener) {
        site.base_url = Some(format!("http://{}", listener.local_addr()?));
    }
    let newsletter = if site.mail.smtp.is_some() {
        Some(marketdesk_web::newsletter(store.clone(), &site)?)
    } else {
        tracing::warn!("no SMTP server (MARKETDESK_SMTP_URL): the newsletter job does nothing");
        None
    };
    if opts.edgar.is_none() {
        tracing::warn!(
            "no EDGAR User-Agent ([edgar] user_agent or MARKETDESK_EDGAR_USER_AGENT): EDGAR is not polled"
        );
    }
    let runner = Arc::new(Runner {
        mail_backoff: std::sync::Mutex::default(),
        store: store.clone(),
        config: Arc::clone(&config),
        holder: holder(),
        edgar: opts.edgar,
        newsletter,
        metrics,
        shutdown: shutdown.clone(),
    });
    let mut web = listener.map(|listener| {
        let (store, site) = (store.clone(), site.clone());
        tokio::spawn(async move { marketdesk_web::serve(store, listener, site).await })
    });
    tracing::info!(holder = %runner.holder, "newsroom running");
    let jobs = [Job::EdgarCurrent, Job::EdgarIndex, Job::Feeds, Job::Newsletter];
    let start = tokio::time::Instant::now();
    let mut due = [start; 4];
    // Each job on its own task, so a long pass (an issue to many subscribers) holds up no
    // other job (EDGAR keeps being polled); a job still at it when due again is skipped.
    let mut running: [Option<tokio::task::JoinHandle<()>>; 4] = Default::default();
    let mut failure = None;
    loop {
        let (i, next) = due
            .iter()
            .enumerate()
            .min_by_key(|(_, t)| **t)
            .map(|(i, t)| (i, *t))
            .context("no jobs")?;
        tokio::select! {
            () = tokio::time::sleep_until(next) => {},
            _ = shutdown.changed() => break,
            served = site_stopped(&mut web) => {
                web = None;
                // The site ends cleanly only on the stop signal, which may reach it first. One
                // that failed leaves a newsroom not running as asked: stop, and say why.
                failure = match served {
                    Ok(Ok(())) => None,
                    Ok(Err(e)) => Some(anyhow::Error::new(e).context("the site stopped")),
                    Err(e) => Some(anyhow::Error::new(e).context("the site's task failed")),
                };
                let _ = tx.send(true);
                break;
            }
        }
        if runner.stopping() {
            break;
        }
        let job = jobs[i];
        due[i] = tokio::time::Instant::now() + runner.every(job);
        if running[i].as_ref().is_some_and(|h| !h.is_finished()) {
            continue;
        }
        let r = Arc::clone(&runner);
        running[i] = Some(tokio::spawn(async move {
            if let Err(e) = r.tick(job).await {
                tracing::error!(job = job.name(), "job failed: {e:#}");
            }
        }));
    }
    // Jobs in flight finish (each commits as it goes); one that takes too long is abandoned:
    // what it did is stored, and its claims and lease expire for the next start.
    for (job, task) in jobs.iter().zip(running) {
        let Some(mut task) = task else { continue };
        if tokio::time::timeout(Duration::from_secs(30), &mut task).await.is_err() {
            tracing::warn!(job = job.name(), "still running 30 s after the stop: abandoned");
            task.abort();
        }
    }
    if let Some(web) = web {
        // serve stops on the same signal; wait for its requests in flight.
        match tokio::time::timeout(Duration::from_secs(15), web).await {
            Ok(Ok(Err(e))) => tracing::error!("the site stopped with an error: {e}"),
            Ok(_) => {}
            Err(_) => tracing::warn!("the site did not stop within 15 s"),
        }
    }
    store.close().await;
    match failure {
        Some(e) => Err(e),
        None => Ok(ExitCode::SUCCESS),
    }
}

/// Resolves when the site's task ends; never when there is no site.
async fn site_stopped(
    web: &mut Option<tokio::task::JoinHandle<marketdesk_web::Result<()>>>,
) -> Result<marketdesk_web::Result<()>, tokio::task::JoinError> {
    match web {
        Some(task) => task.await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_an_hour_and_resets() {
        let t0 = tokio::time::Instant::now();
        let mut b = Backoff::default();
        assert!(b.ready(t0));
        b.failed(t0);
        assert!(!b.ready(t0 + Duration::from_secs(119)) && b.ready(t0 + Duration::from_secs(120)));
        for _ in 0..10 {
            b.failed(t0);
        }
        assert_eq!(b.wait, Backoff::MOST);
        b.succeeded();
        assert!(b.ready(t0));
        b.failed(t0);
        assert_eq!(b.wait, Backoff::FIRST);
    }

    #[test]
    fn current_feed_links_give_filing_paths() {
        assert_eq!(
            filing_path("https://www.sec.gov/Archives/edgar/data/1318605/000110465925012345/0001104659-25-012345-index.htm").as_deref(),
            Some("Archives/edgar/data/1318605/000110465925012345/0001104659-25-012345.txt")
        );
        assert_eq!(filing_path("https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany"), None);
        assert_eq!(filing_path("https://www.sec.gov/Archives/edgar/data/x/1/2-index.htm"), None);
    }
}
