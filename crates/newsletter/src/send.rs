//! Sending: an issue to its subscribers through the send log, and the confirmation mails.
//!
//! An issue's send log gets one pending row per confirmed subscriber of its cadence before any
//! mail goes out; each mail is marked sent (or failed) the moment the server answers. A run
//! that stops for any reason leaves the rest pending, and the next run sends exactly those:
//! nobody is skipped, and nobody gets the issue twice, but for a crash in the instant between
//! the server's acceptance and the mark (then the copy carries the same Message-ID, which
//! clients use to drop duplicates).

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use jiff::Timestamp;
use marketdesk_mailer::{Mailer, SendError, TextMail};
use marketdesk_store::{Cadence, IssueRecord, SendCounts, SendResult};
use serde::Serialize;
use tokio::{sync::Semaphore, task::JoinHandle, time::Instant};

use crate::{Newsletter, Result, compose::UNSUBSCRIBE_PLACEHOLDER};

/// Subscribers read from the send log at a time.
const BATCH: u32 = 1000;

/// What sending an issue did (or, dry, would do).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SendReport {
    /// Daily or weekly.
    pub cadence: Cadence,
    /// The issue's archive address.
    pub issue: String,
    /// Its subject line.
    pub subject: String,
    /// Nothing was sent or recorded.
    pub dry_run: bool,
    /// Subscribers it went to (or would go to) in this run.
    pub recipients: u64,
    /// Accepted by the server in this run.
    pub sent: u64,
    /// Recorded as failed in this run.
    pub failed: u64,
    /// Skipped in this run (the subscriber left).
    pub skipped: u64,
    /// The issue's whole send log after the run.
    pub log: SendCounts,
    /// Seconds the run took.
    pub seconds: f64,
    /// Why the run stopped before the end of the list, if it did (the rest stays pending).
    pub stopped: Option<String>,
    /// Mails of earlier issues of the cadence, left unfinished by a run cut short, sent first.
    pub earlier_sent: u64,
}

/// Spaces sends out to a rate.
struct Pace {
    every: Option<Duration>,
    next: Instant,
}

impl Pace {
    fn new(per_second: Option<f64>) -> Self {
        // Below one mail an hour is no rate anyone means; it also keeps the interval finite.
        let every = per_second
            .filter(|r| *r > 0.0)
            .map(|r| Duration::from_secs_f64(1.0 / r.max(1.0 / 3600.0)));
        Pace { every, next: Instant::now() }
    }

    async fn wait(&mut self) {
        let Some(every) = self.every else { return };
        let now = Instant::now();
        if self.next > now {
            tokio::time::sleep_until(self.next).await;
        } else {
            // Never save up a burst after a pause.
            self.next = now;
        }
        self.next += every;
    }
}

/// The outcome of one attempt, as the send log records it.
pub(crate) fn result_of(
    sent: std::result::Result<(), SendError>,
    attempts: i64,
    max: u32,
) -> SendResult {
    match sent {
        Ok(()) => SendResult::Sent,
        Err(e) => {
            let tried = u32::try_from(attempts).unwrap_or(u32::MAX).saturating_add(1);
            SendResult::Failed { give_up: e.is_permanent() || tried >= max, error: e.to_string() }
        }
    }
}

impl Newsletter {
    /// The issue's mail to one subscriber: their unsubscribe link in both parts and in the
    /// RFC 8058 headers, a Message-ID stable for the issue and subscriber.
    pub fn personalise(
        &self,
        issue: &IssueRecord,
        subscriber: i64,
        email: &str,
        now: Timestamp,
    ) -> TextMail {
        let o = &self.inner.options;
        let token = self.inner.tokens.unsubscribe(subscriber);
        let url = format!("{}/newsletter/unsubscribe/{token}", o.base_url);
        let host = self.inner.host.as_str();
        let mut list_unsubscribe = format!("<{url}>");
        if let Some(mailto) = &o.unsubscribe_mailto {
            list_unsubscribe
                .push_str(&format!(", <mailto:{mailto}?subject=unsubscribe%20{token}>"));
        }
        TextMail {
            from: o.from.clone(),
            to: email.to_owned(),
            subject: issue.subject.clone(),
            text: issue.text.replace(UNSUBSCRIBE_PLACEHOLDER, &url),
            html: Some(issue.html.replace(UNSUBSCRIBE_PLACEHOLDER, &{
                let mut escaped = String::new();
                marketdesk_linker::escape_html(&url, &mut escaped);
                escaped
            })),
            date: std::time::SystemTime::try_from(now).ok(),
            message_id: Some(format!("<{}.{subscriber}@{host}>", issue.slug)),
            headers: vec![
                ("List-Unsubscribe".to_owned(), list_unsubscribe),
                ("List-Unsubscribe-Post".to_owned(), "List-Unsubscribe=One-Click".to_owned()),
                (
                    "List-Id".to_owned(),
                    format!(
                        "{} {} <{}.{host}>",
                        o.site_name,
                        issue.cadence.as_str(),
                        issue.cadence.as_str()
                    ),
                ),
            ],
        }
    }

    /// Sends the current issue of `cadence` to every confirmed subscriber who has not had it
    /// (composing and storing the issue first if this period has none). `dry_run`: counts who
    /// would get it, sends and records nothing.
    pub async fn send(
        &self,
        cadence: Cadence,
        now: Timestamp,
        dry_run: bool,
    ) -> Result<SendReport> {
        let started = std::time::Instant::now();
        let store = &self.inner.store;
        if dry_run {
            let existing = self.stored_issue(cadence, now).await?;
            let (issue, subject) = match &existing {
                Some(i) => (i.slug.clone(), i.subject.clone()),
                None => {
                    let i = self.compose_new(cadence, now).await?;
                    (i.slug, i.subject)
                }
            };
            let recipients = store.unsent_count(cadence, existing.as_ref().map(|i| i.id)).await?;
            let log = match &existing {
                Some(i) => store.send_counts(i.id).await?,
                None => SendCounts::default(),
            };
            return Ok(SendReport {
                cadence,
                issue,
                subject,
                dry_run,
                recipients,
                sent: 0,
                failed: 0,
                skipped: 0,
                log,
                seconds: started.elapsed().as_secs_f64(),
                stopped: None,
                earlier_sent: 0,
            });
        }
        let mailer = self.inner.mailer.clone().ok_or(crate::Error::NoSmtp)?;
        // First, issues of this cadence a run left unfinished before its period turned (its
        // subscribers still get it: nobody is skipped); then the current one.
        let week_ago = now.checked_sub(jiff::SignedDuration::from_hours(24 * 7)).unwrap_or(now);
        let current = crate::Period::current(cadence, now).label;
        let mut earlier_sent = 0;
        for earlier in store.unfinished_issues(cadence, week_ago).await? {
            if earlier.period != current {
                let r = self.deliver(Arc::new(earlier), &mailer, started).await?;
                earlier_sent += r.sent;
            }
        }
        let issue = Arc::new(self.current_issue(cadence, now).await?);
        store.queue_issue(&issue, now).await?;
        let mut report = self.deliver(issue, &mailer, started).await?;
        report.earlier_sent = earlier_sent;
        Ok(report)
    }

    /// Sends `issue` to the pending rows of its send log.
    async fn deliver(
        &self,
        issue: Arc<IssueRecord>,
        mailer: &Mailer,
        started: std::time::Instant,
    ) -> Result<SendReport> {
        let store = &self.inner.store;
        let mut report = SendReport {
            cadence: issue.cadence,
            issue: issue.slug.clone(),
            subject: issue.subject.clone(),
            dry_run: false,
            recipients: 0,
            sent: 0,
            failed: 0,
            skipped: 0,
            log: SendCounts::default(),
            seconds: 0.0,
            stopped: None,
            earlier_sent: 0,
        };
        // Consecutive transient failures: past a few rounds of connections the server is down
        // or refusing us, and trying every remaining subscriber would only take long.
        let failing = Arc::new(AtomicUsize::new(0));
        let give_up_after = 4 * self.inner.options.concurrency.max(1);
        let slots = Arc::new(Semaphore::new(self.inner.options.concurrency.max(1)));
        let mut pace = Pace::new(self.inner.options.rate);
        // Detached tasks, not a JoinSet: if this future is dropped (a shutdown), the mails in
        // flight still finish and are recorded instead of being cut off after the server took
        // them.
        let mut tasks: Vec<JoinHandle<Result<SendResult>>> = Vec::new();
        let mut after = 0;
        // Claims last long enough for a batch at the configured rate (and at least 10 minutes).
        let claim_secs = match self.inner.options.rate {
            Some(r) if r > 0.0 => (2.0 * f64::from(BATCH) / r).max(600.0) as i64,
            _ => 600,
        };
        let mut batches = 0u64;
        loop {
            batches += 1;
            let claim = format!("{}-{}-{batches}", self.inner.instance, issue.id);
            let at = self.clock();
            let until = at.as_second().saturating_add(claim_secs);
            let batch = store.claim_sends(issue.id, after, BATCH, &claim, at, until).await?;
            let Some(last) = batch.last() else { break };
            after = last.subscriber_id;
            for p in batch {
                if failing.load(Ordering::Relaxed) >= give_up_after {
                    report.stopped = Some(format!(
                        "{give_up_after} mails in a row failed; the SMTP server seems down or \
                         refusing: the rest stay pending for the next run"
                    ));
                    break;
                }
                if !p.confirmed {
                    let skipped = SendResult::Skipped("unsubscribed before it was sent".to_owned());
                    store.finish_send(issue.id, p.subscriber_id, &skipped, self.clock()).await?;
                    report.skipped += 1;
                    continue;
                }
                pace.wait().await;
                let Ok(permit) = Arc::clone(&slots).acquire_owned().await else { break };
                for done in take_finished(&mut tasks) {
                    tally(&mut report, done.await)?;
                }
                let (me, mailer, issue) = (self.clone(), mailer.clone(), Arc::clone(&issue));
                let failing = Arc::clone(&failing);
                tasks.push(tokio::spawn(async move {
                    let _permit = permit;
                    let result =
                        me.send_one(&mailer, &issue, p.subscriber_id, &p.email, p.attempts).await;
                    // Any failure counts: a server refusing every message (relaying denied) is
                    // as broken as one not answering.
                    match &result {
                        SendResult::Failed { .. } => failing.fetch_add(1, Ordering::Relaxed),
                        _ => failing.swap(0, Ordering::Relaxed),
                    };
                    me.inner
                        .store
                        .finish_send(issue.id, p.subscriber_id, &result, me.clock())
                        .await?;
                    Ok(result)
                }));
                report.recipients += 1;
            }
            if report.stopped.is_some() {
                break;
            }
        }
        for task in tasks {
            tally(&mut report, task.await)?;
        }
        report.log = store.send_counts(issue.id).await?;
        report.seconds = started.elapsed().as_secs_f64();
        tracing::info!(
            issue = %report.issue, sent = report.sent, failed = report.failed,
            pending = report.log.pending, "newsletter issue sent"
        );
        Ok(report)
    }

    async fn send_one(
        &self,
        mailer: &Mailer,
        issue: &IssueRecord,
        subscriber: i64,
        email: &str,
        attempts: i64,
    ) -> SendResult {
        let mail = self.personalise(issue, subscriber, email, self.clock());
        let message = match mail.build_signed(self.inner.dkim.as_deref()) {
            Ok(m) => m,
            Err(e) => return SendResult::Failed { error: e.to_string(), give_up: true },
        };
        let result =
            result_of(mailer.send(&message).await, attempts, self.inner.options.max_attempts);
        if let SendResult::Failed { error, give_up } = &result {
            tracing::warn!(issue = %issue.slug, subscriber, give_up, "newsletter mail: {error}");
        }
        result
    }

    /// Sends the pending confirmation mails once. (sent, failed, still pending).
    pub async fn send_confirmations(&self) -> Result<(u64, u64, u64)> {
        let Some(mailer) = &self.inner.mailer else {
            return Ok((
                0,
                0,
                self.inner.store.pending_confirmations(u32::MAX).await?.len() as u64,
            ));
        };
        // One sender at a time across every process over the store (each web node runs one).
        let store = &self.inner.store;
        let lease = "newsletter-confirmations";
        let ttl = Duration::from_secs(300);
        if !store.try_lease(lease, &self.inner.instance, ttl, self.clock()).await? {
            return Ok((0, 0, 0));
        }
        let (mut sent, mut failed, mut pending) = (0, 0, 0);
        for c in store.pending_confirmations(500).await? {
            let result = match self.confirmation_mail(&c).build() {
                Ok(m) => {
                    result_of(mailer.send(&m).await, c.attempts, self.inner.options.max_attempts)
                }
                Err(e) => SendResult::Failed { error: e.to_string(), give_up: true },
            };
            match &result {
                SendResult::Sent => sent += 1,
                SendResult::Failed { give_up: true, .. } | SendResult::Skipped(_) => failed += 1,
                SendResult::Failed { give_up: false, .. } => pending += 1,
            }
            if let SendResult::Failed { error, .. } = &result {
                tracing::warn!(confirmation = c.id, "confirmation mail: {error}");
            }
            store.finish_confirmation(c.id, &result, self.clock()).await?;
        }
        store.release_lease(lease, &self.inner.instance).await?;
        Ok((sent, failed, pending))
    }
}

/// The finished tasks, taken out of `tasks`.
fn take_finished<T>(tasks: &mut Vec<JoinHandle<T>>) -> Vec<JoinHandle<T>> {
    let (done, running) = std::mem::take(tasks).into_iter().partition(JoinHandle::is_finished);
    *tasks = running;
    done
}

fn tally(
    report: &mut SendReport,
    done: std::result::Result<Result<SendResult>, tokio::task::JoinError>,
) -> Result<()> {
    match done.map_err(|e| crate::Error::Task(e.to_string()))?? {
        SendResult::Sent => report.sent += 1,
        SendResult::Failed { give_up: true, .. } => report.failed += 1,
        SendResult::Failed { give_up: false, .. } | SendResult::Skipped(_) => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn pace_spaces_sends_without_saving_up_bursts() {
        let mut pace = Pace::new(Some(10.0));
        let start = Instant::now();
        for _ in 0..5 {
            pace.wait().await;
        }
        // The first goes at once, then one every 100 ms.
        assert_eq!(start.elapsed(), Duration::from_millis(400));
        tokio::time::sleep(Duration::from_secs(5)).await;
        let resumed = Instant::now();
        pace.wait().await;
        pace.wait().await;
        assert_eq!(resumed.elapsed(), Duration::from_millis(100));
    }

    #[test]
    fn failures_are_given_up_on_when_permanent_or_tried_enough() {
        let transient = || Err(SendError::Transient { attempts: 3, message: "421".to_owned() });
        assert!(matches!(result_of(transient(), 0, 5), SendResult::Failed { give_up: false, .. }));
        assert!(matches!(result_of(transient(), 4, 5), SendResult::Failed { give_up: true, .. }));
        let permanent =
            Err(SendError::Permanent { code: Some("550".to_owned()), message: "no".to_owned() });
        assert!(matches!(result_of(permanent, 0, 5), SendResult::Failed { give_up: true, .. }));
        assert_eq!(result_of(Ok(()), 0, 5), SendResult::Sent);
    }
}
