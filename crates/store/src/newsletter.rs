//! The newsletter: subscribers and their double opt-in, issues as sent, the send log, bounces,
//! and the signing secret every process sharing the store uses for links.
//!
//! Every decision that two requests could race on (a subscription and its rate limits, an
//! issue for a period, a subscriber's place in an issue's send log) is one transaction that
//! writes first, so concurrent callers are serialised by the database, not by luck.

use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;
use sqlx::Row;

use crate::{Error, Result, Store, sql::flag};

/// The PostgreSQL advisory lock that serialises sign-ups (any number unique to this use).
const SIGNUP_LOCK: i64 = 0x6d64_7369_676e;

/// How often a subscriber gets the digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Cadence {
    /// Every day.
    Daily,
    /// Once a week.
    Weekly,
}

impl Cadence {
    /// Both, in sending order.
    pub const ALL: [Cadence; 2] = [Cadence::Daily, Cadence::Weekly];

    /// `daily` or `weekly`.
    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Daily => "daily",
            Cadence::Weekly => "weekly",
        }
    }

    /// Reads `daily` or `weekly`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "daily" => Some(Cadence::Daily),
            "weekly" => Some(Cadence::Weekly),
            _ => None,
        }
    }
}

/// Where a subscription stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SubscriberStatus {
    /// Signed up, confirmation link not yet followed.
    Pending,
    /// Gets the digest.
    Confirmed,
    /// Left.
    Unsubscribed,
    /// Mail to it bounced past the threshold, or it complained: never mailed again.
    Suppressed,
}

impl SubscriberStatus {
    /// The stored and printed name.
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriberStatus::Pending => "pending",
            SubscriberStatus::Confirmed => "confirmed",
            SubscriberStatus::Unsubscribed => "unsubscribed",
            SubscriberStatus::Suppressed => "suppressed",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "pending" => SubscriberStatus::Pending,
            "confirmed" => SubscriberStatus::Confirmed,
            "unsubscribed" => SubscriberStatus::Unsubscribed,
            "suppressed" => SubscriberStatus::Suppressed,
            other => return Err(corrupt("subscribers", "status", other)),
        })
    }
}

fn corrupt(table: &'static str, column: &'static str, value: &str) -> Error {
    Error::Corrupt { table, column, value: value.to_owned() }
}

fn cadence(table: &'static str, s: &str) -> Result<Cadence> {
    Cadence::parse(s).ok_or_else(|| corrupt(table, "cadence", s))
}

fn time(table: &'static str, column: &'static str, s: &str) -> Result<Timestamp> {
    s.parse().map_err(|_| corrupt(table, column, s))
}

fn opt_time(
    table: &'static str,
    column: &'static str,
    s: Option<String>,
) -> Result<Option<Timestamp>> {
    s.map(|s| time(table, column, &s)).transpose()
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// A subscriber as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubscriberRecord {
    /// Its number (signed into its links).
    pub id: i64,
    /// The address as given.
    pub email: String,
    /// How often.
    pub cadence: Cadence,
    /// Where it stands.
    pub status: SubscriberStatus,
    /// Soft bounces counted so far.
    pub bounce_score: i64,
    /// Why it left, when it did.
    pub reason: Option<String>,
    /// Signed up.
    pub created_at: Timestamp,
    /// Confirmed (the latest time).
    pub confirmed_at: Option<Timestamp>,
    /// Last changed.
    pub updated_at: Timestamp,
}

macro_rules! subscriber_select {
    ($rest:literal) => {
        concat!(
            "SELECT id, email, cadence, status, bounce_score, reason, created_at, confirmed_at, \
             updated_at FROM subscribers ",
            $rest
        )
    };
}

fn subscriber(row: &sqlx::any::AnyRow) -> Result<SubscriberRecord> {
    const T: &str = "subscribers";
    let status: String = row.try_get("status")?;
    let c: String = row.try_get("cadence")?;
    let created: String = row.try_get("created_at")?;
    let updated: String = row.try_get("updated_at")?;
    Ok(SubscriberRecord {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        cadence: cadence(T, &c)?,
        status: SubscriberStatus::parse(&status)?,
        bounce_score: row.try_get("bounce_score")?,
        reason: row.try_get("reason")?,
        created_at: time(T, "created_at", &created)?,
        confirmed_at: opt_time(T, "confirmed_at", row.try_get("confirmed_at")?)?,
        updated_at: time(T, "updated_at", &updated)?,
    })
}

/// How many confirmation mails may go out, and in what window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfirmationLimits {
    /// At most this many confirmation mails to one address...
    pub per_address: u32,
    /// ...and this many asked for from one (hashed) network address...
    pub per_network: u32,
    /// ...in this long.
    pub window: Duration,
}

/// What a sign-up led to. The web answers every case but `NetworkLimited` alike, so the form
/// tells nobody whether an address is subscribed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignupOutcome {
    /// A confirmation mail is queued (its number).
    Queued(i64),
    /// Already confirmed with that cadence: nothing to send.
    AlreadyConfirmed,
    /// The address is suppressed: nothing is sent to it.
    Suppressed,
    /// The address had its confirmation mails for the window.
    AddressLimited,
    /// The network address asked for too many in the window.
    NetworkLimited,
}

/// A confirmation mail waiting to go out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmationRecord {
    /// Its number.
    pub id: i64,
    /// Who it goes to.
    pub subscriber_id: i64,
    /// The address.
    pub email: String,
    /// The cadence the link confirms.
    pub cadence: Cadence,
    /// Failed attempts so far.
    pub attempts: i64,
    /// When it was asked for (the link expires counting from here).
    pub created_at: Timestamp,
}

/// What following a confirmation link did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmOutcome {
    /// Now confirmed (or the cadence changed).
    Confirmed,
    /// It already was, with that cadence.
    AlreadyConfirmed,
    /// The address is suppressed and stays so.
    Suppressed,
    /// No such subscriber.
    Unknown,
}

/// A bounce or complaint report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BounceKind {
    /// Permanent: the address does not exist.
    Hard,
    /// Temporary: a full mailbox, a greylisting server.
    Soft,
    /// The reader marked the mail as spam.
    Complaint,
}

impl BounceKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            BounceKind::Hard => "hard",
            BounceKind::Soft => "soft",
            BounceKind::Complaint => "complaint",
        }
    }
}

/// What a bounce report did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BounceOutcome {
    /// The address is not a subscriber (the report is kept anyway).
    Unknown,
    /// Counted; the subscriber's score now.
    Counted(i64),
    /// The address is now suppressed (or already was).
    Suppressed,
}

/// A stored newsletter issue: its number and what was composed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssueRecord {
    /// Its number.
    pub id: i64,
    /// The issue.
    #[serde(flatten)]
    pub issue: Issue,
}

impl std::ops::Deref for IssueRecord {
    type Target = Issue;
    fn deref(&self) -> &Issue {
        &self.issue
    }
}

macro_rules! issue_select {
    ($rest:literal) => {
        concat!(
            "SELECT id, cadence, period, slug, subject, summary, html, text, covers_from, \
             covers_until, created_at FROM newsletter_issues ",
            $rest
        )
    };
}

fn issue(row: &sqlx::any::AnyRow) -> Result<IssueRecord> {
    const T: &str = "newsletter_issues";
    let c: String = row.try_get("cadence")?;
    let get = |column: &'static str| -> Result<Timestamp> {
        let s: String = row.try_get(column)?;
        time(T, column, &s)
    };
    Ok(IssueRecord {
        id: row.try_get("id")?,
        issue: Issue {
            cadence: cadence(T, &c)?,
            period: row.try_get("period")?,
            slug: row.try_get("slug")?,
            subject: row.try_get("subject")?,
            summary: row.try_get("summary")?,
            html: row.try_get("html")?,
            text: row.try_get("text")?,
            covers_from: get("covers_from")?,
            covers_until: get("covers_until")?,
            created_at: get("created_at")?,
        },
    })
}

/// A newsletter issue as composed and sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// Daily or weekly.
    pub cadence: Cadence,
    /// The Eastern date (`2026-12-07`) or ISO week (`2026-W50`).
    pub period: String,
    /// Its address in the archive.
    pub slug: String,
    /// The subject line.
    pub subject: String,
    /// One line for the archive and its feed.
    pub summary: String,
    /// The HTML part, with the unsubscribe placeholder.
    pub html: String,
    /// The text part, with the unsubscribe placeholder.
    pub text: String,
    /// Articles published from here...
    pub covers_from: Timestamp,
    /// ...to here are in it.
    pub covers_until: Timestamp,
    /// Composed.
    pub created_at: Timestamp,
}

/// One subscriber's place in an issue's send log, with what a sender needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSend {
    /// The subscriber.
    pub subscriber_id: i64,
    /// Their address.
    pub email: String,
    /// Whether they are still confirmed (else the send is skipped).
    pub confirmed: bool,
    /// Failed attempts so far.
    pub attempts: i64,
}

/// How an issue's send log stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SendCounts {
    /// Still to send (including mails being sent now).
    pub pending: u64,
    /// Accepted by the SMTP server.
    pub sent: u64,
    /// Refused for good, or given up on.
    pub failed: u64,
    /// Not sent: the subscriber left first.
    pub skipped: u64,
}

/// How a send ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendResult {
    /// Accepted by the server.
    Sent,
    /// Failed; `give_up` records it as failed, else it stays pending.
    Failed {
        /// Why.
        error: String,
        /// No more attempts.
        give_up: bool,
    },
    /// Not sent on purpose.
    Skipped(String),
}

/// A key date as stored (see `marketdesk-calendars` for where they come from).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyDateRecord {
    /// The file or URL it was read from.
    pub source: String,
    /// Its UID there.
    pub uid: String,
    /// What happens.
    pub summary: String,
    /// More about it.
    pub description: Option<String>,
    /// Where.
    pub location: Option<String>,
    /// A page about it.
    pub url: Option<String>,
    /// Its categories.
    pub categories: Vec<String>,
    /// A day (or days) rather than a moment.
    pub all_day: bool,
    /// Announced as tentative.
    pub tentative: bool,
    /// When it starts (an all-day event: Eastern midnight of its first day).
    pub starts_at: Timestamp,
    /// When it ends (an all-day event: Eastern midnight after its last day; a moment: itself).
    pub ends_at: Timestamp,
}

impl Store {
    // -----------------------------------------------------------------------------------------
    // Settings

    /// The value stored under `name`, setting it to `fresh()` first when there is none (the
    /// first process to ask wins; every later one reads its value).
    pub async fn setting_or_init(
        &self,
        name: &str,
        fresh: impl FnOnce() -> String,
    ) -> Result<String> {
        sqlx::query(
            "INSERT INTO site_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
        )
        .bind(name)
        .bind(fresh())
        .execute(&self.pool)
        .await?;
        let v: String = sqlx::query_scalar("SELECT value FROM site_settings WHERE key = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await?;
        Ok(v)
    }

    // -----------------------------------------------------------------------------------------
    // Subscribers

    /// A sign-up: records the address (pending, when new) and queues a confirmation mail for
    /// `cadence` unless it is already confirmed with that cadence, suppressed, or over a limit.
    /// An unsubscribed address stays unsubscribed until its new link is followed.
    pub async fn sign_up(
        &self,
        email: &str,
        cadence: Cadence,
        ip_hash: &str,
        at: Timestamp,
        limits: ConfirmationLimits,
    ) -> Result<SignupOutcome> {
        let key = email.to_lowercase();
        // The counts below must not change under us: the insert comes first.
        let mut tx = self.begin_serialized(SIGNUP_LOCK).await?;
        sqlx::query(
            "INSERT INTO subscribers (email, email_key, cadence, status, ip_hash, created_at, \
             updated_at) VALUES ($1, $2, $3, 'pending', $4, $5, $5) \
             ON CONFLICT (email_key) DO UPDATE SET updated_at = subscribers.updated_at",
        )
        .bind(email)
        .bind(&key)
        .bind(cadence.as_str())
        .bind(ip_hash)
        .bind(at.to_string())
        .execute(&mut *tx)
        .await?;
        let row = sqlx::query(subscriber_select!("WHERE email_key = $1"))
            .bind(&key)
            .fetch_one(&mut *tx)
            .await?;
        let sub = subscriber(&row)?;
        let since = at.as_second().saturating_sub(secs(limits.window));
        let by_network: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM newsletter_confirmations WHERE ip_hash = $1 AND created_s > $2",
        )
        .bind(ip_hash)
        .bind(since)
        .fetch_one(&mut *tx)
        .await?;
        // Before anything about the address: the answer to a limited network must not depend on
        // whether the address is subscribed.
        if by_network >= i64::from(limits.per_network) {
            return Ok(SignupOutcome::NetworkLimited);
        }
        match sub.status {
            SubscriberStatus::Suppressed => return Ok(SignupOutcome::Suppressed),
            SubscriberStatus::Confirmed if sub.cadence == cadence => {
                return Ok(SignupOutcome::AlreadyConfirmed);
            }
            _ => {}
        }
        let by_address: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM newsletter_confirmations \
             WHERE subscriber_id = $1 AND created_s > $2",
        )
        .bind(sub.id)
        .bind(since)
        .fetch_one(&mut *tx)
        .await?;
        if by_address >= i64::from(limits.per_address) {
            return Ok(SignupOutcome::AddressLimited);
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO newsletter_confirmations \
             (subscriber_id, cadence, ip_hash, status, created_at, created_s) \
             VALUES ($1, $2, $3, 'pending', $4, $5) RETURNING id",
        )
        .bind(sub.id)
        .bind(cadence.as_str())
        .bind(ip_hash)
        .bind(at.to_string())
        .bind(at.as_second())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(SignupOutcome::Queued(id))
    }

    /// Follows a confirmation link for subscriber `id` with `cadence`.
    pub async fn confirm_subscriber(
        &self,
        id: i64,
        cadence: Cadence,
        at: Timestamp,
    ) -> Result<ConfirmOutcome> {
        let Some(sub) = self.subscriber(id).await? else { return Ok(ConfirmOutcome::Unknown) };
        match sub.status {
            SubscriberStatus::Suppressed => return Ok(ConfirmOutcome::Suppressed),
            SubscriberStatus::Confirmed if sub.cadence == cadence => {
                return Ok(ConfirmOutcome::AlreadyConfirmed);
            }
            _ => {}
        }
        let done = sqlx::query(
            "UPDATE subscribers SET status = 'confirmed', cadence = $1, confirmed_at = $2, \
             updated_at = $2, reason = NULL WHERE id = $3 AND status <> 'suppressed'",
        )
        .bind(cadence.as_str())
        .bind(at.to_string())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(if done.rows_affected() > 0 {
            ConfirmOutcome::Confirmed
        } else {
            ConfirmOutcome::Suppressed
        })
    }

    /// Unsubscribes `id`, saying why. Whether it was subscribed (pending or confirmed).
    pub async fn unsubscribe(&self, id: i64, reason: &str, at: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE subscribers SET status = 'unsubscribed', reason = $1, updated_at = $2 \
             WHERE id = $3 AND status IN ('pending', 'confirmed')",
        )
        .bind(reason)
        .bind(at.to_string())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// A subscriber by number.
    pub async fn subscriber(&self, id: i64) -> Result<Option<SubscriberRecord>> {
        let row = sqlx::query(subscriber_select!("WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(subscriber).transpose()
    }

    /// A subscriber by address (any case).
    pub async fn subscriber_by_email(&self, email: &str) -> Result<Option<SubscriberRecord>> {
        let row = sqlx::query(subscriber_select!("WHERE email_key = $1"))
            .bind(email.to_lowercase())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(subscriber).transpose()
    }

    /// Every subscriber, in sign-up order.
    pub async fn subscribers(&self) -> Result<Vec<SubscriberRecord>> {
        let rows = sqlx::query(subscriber_select!("ORDER BY id")).fetch_all(&self.pool).await?;
        rows.iter().map(subscriber).collect()
    }

    /// Adds confirmed subscribers in one transaction (an import, or a benchmark's list);
    /// addresses already present are left as they are. How many were added.
    pub async fn import_subscribers(
        &self,
        list: &[(String, Cadence)],
        at: Timestamp,
    ) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        let at = at.to_string();
        let mut added = 0;
        for (email, cadence) in list {
            added += sqlx::query(
                "INSERT INTO subscribers (email, email_key, cadence, status, created_at, \
                 confirmed_at, updated_at) VALUES ($1, $2, $3, 'confirmed', $4, $4, $4) \
                 ON CONFLICT (email_key) DO NOTHING",
            )
            .bind(email)
            .bind(email.to_lowercase())
            .bind(cadence.as_str())
            .bind(&at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        tx.commit().await?;
        Ok(added)
    }

    /// Confirmation mails still to send, oldest first.
    pub async fn pending_confirmations(&self, limit: u32) -> Result<Vec<ConfirmationRecord>> {
        const T: &str = "newsletter_confirmations";
        let rows = sqlx::query(
            "SELECT c.id, c.subscriber_id, s.email, c.cadence, c.attempts, c.created_at \
             FROM newsletter_confirmations c JOIN subscribers s ON s.id = c.subscriber_id \
             WHERE c.status = 'pending' ORDER BY c.id LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let c: String = row.try_get("cadence")?;
                let created: String = row.try_get("created_at")?;
                Ok(ConfirmationRecord {
                    id: row.try_get("id")?,
                    subscriber_id: row.try_get("subscriber_id")?,
                    email: row.try_get("email")?,
                    cadence: cadence(T, &c)?,
                    attempts: row.try_get("attempts")?,
                    created_at: time(T, "created_at", &created)?,
                })
            })
            .collect()
    }

    /// Records how sending confirmation mail `id` went.
    pub async fn finish_confirmation(
        &self,
        id: i64,
        result: &SendResult,
        at: Timestamp,
    ) -> Result<()> {
        let (status, error) = match result {
            SendResult::Sent => ("sent", None),
            SendResult::Failed { error, give_up: true } => ("failed", Some(error.as_str())),
            SendResult::Failed { error, give_up: false } => ("pending", Some(error.as_str())),
            SendResult::Skipped(why) => ("failed", Some(why.as_str())),
        };
        sqlx::query(
            "UPDATE newsletter_confirmations SET status = $1, error = $2, \
             attempts = attempts + 1, sent_at = CASE WHEN $1 = 'sent' THEN $3 END \
             WHERE id = $4 AND status = 'pending'",
        )
        .bind(status)
        .bind(error)
        .bind(at.to_string())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a bounce or complaint for `email`: a hard bounce or a complaint suppresses the
    /// address at once; soft bounces add one to its score and suppress it at `soft_threshold`.
    pub async fn record_bounce(
        &self,
        email: &str,
        kind: BounceKind,
        detail: Option<&str>,
        soft_threshold: u32,
        at: Timestamp,
    ) -> Result<BounceOutcome> {
        let key = email.trim().to_lowercase();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO newsletter_bounces (email_key, kind, detail, received_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&key)
        .bind(kind.as_str())
        .bind(detail)
        .bind(at.to_string())
        .execute(&mut *tx)
        .await?;
        let add = i64::from(kind == BounceKind::Soft);
        let reason = match kind {
            BounceKind::Hard => "hard bounce".to_owned(),
            BounceKind::Complaint => "spam complaint".to_owned(),
            BounceKind::Soft => format!("{soft_threshold} soft bounces"),
        };
        let row: Option<(i64, String)> = sqlx::query_as(
            "UPDATE subscribers SET bounce_score = bounce_score + $1, updated_at = $2, \
               status = CASE WHEN $3 OR bounce_score + $1 >= $4 THEN 'suppressed' ELSE status END, \
               reason = CASE WHEN status <> 'suppressed' AND ($3 OR bounce_score + $1 >= $4) \
                             THEN $5 ELSE reason END \
             WHERE email_key = $6 RETURNING bounce_score, status",
        )
        .bind(add)
        .bind(at.to_string())
        .bind(kind != BounceKind::Soft)
        .bind(i64::from(soft_threshold.max(1)))
        .bind(reason)
        .bind(&key)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(match row {
            None => BounceOutcome::Unknown,
            Some((_, status)) if status == "suppressed" => BounceOutcome::Suppressed,
            Some((score, _)) => BounceOutcome::Counted(score),
        })
    }

    // -----------------------------------------------------------------------------------------
    // Issues and the send log

    /// Stores an issue unless one exists for its cadence and period; either way returns the
    /// stored one (so two senders racing agree on one issue).
    pub async fn save_issue(&self, new: &Issue) -> Result<IssueRecord> {
        sqlx::query(
            "INSERT INTO newsletter_issues (cadence, period, slug, subject, summary, html, text, \
             covers_from, covers_until, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (cadence, period) DO NOTHING",
        )
        .bind(new.cadence.as_str())
        .bind(&new.period)
        .bind(&new.slug)
        .bind(&new.subject)
        .bind(&new.summary)
        .bind(&new.html)
        .bind(&new.text)
        .bind(new.covers_from.to_string())
        .bind(new.covers_until.to_string())
        .bind(new.created_at.to_string())
        .execute(&self.pool)
        .await?;
        self.issue(new.cadence, &new.period)
            .await?
            .ok_or_else(|| corrupt("newsletter_issues", "period", &new.period))
    }

    /// The issue of a cadence for a period.
    pub async fn issue(&self, cadence: Cadence, period: &str) -> Result<Option<IssueRecord>> {
        let row = sqlx::query(issue_select!("WHERE cadence = $1 AND period = $2"))
            .bind(cadence.as_str())
            .bind(period)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(issue).transpose()
    }

    /// An issue by its archive address.
    pub async fn issue_by_slug(&self, slug: &str) -> Result<Option<IssueRecord>> {
        let row = sqlx::query(issue_select!("WHERE slug = $1"))
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(issue).transpose()
    }

    /// The latest issue of a cadence.
    pub async fn latest_issue(&self, cadence: Cadence) -> Result<Option<IssueRecord>> {
        let row = sqlx::query(issue_select!(
            "WHERE cadence = $1 ORDER BY covers_until DESC, id DESC LIMIT 1"
        ))
        .bind(cadence.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(issue).transpose()
    }

    /// Issues of `cadence` composed since `since` whose send log still has rows to send,
    /// oldest first.
    pub async fn unfinished_issues(
        &self,
        cadence: Cadence,
        since: Timestamp,
    ) -> Result<Vec<IssueRecord>> {
        let rows = sqlx::query(issue_select!(
            "WHERE cadence = $1 AND created_at >= $2 AND EXISTS (SELECT 1 FROM newsletter_sends n \
             WHERE n.issue_id = newsletter_issues.id AND n.status IN ('pending', 'sending')) \
             ORDER BY created_at, id"
        ))
        .bind(cadence.as_str())
        .bind(since.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(issue).collect()
    }

    /// The newest issues of both cadences, at most `limit`.
    pub async fn issues(&self, limit: u32) -> Result<Vec<IssueRecord>> {
        let rows = sqlx::query(issue_select!("ORDER BY created_at DESC, id DESC LIMIT $1"))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(issue).collect()
    }

    /// Puts every confirmed subscriber of the issue's cadence who is not in its send log yet
    /// into it, pending. How many were added.
    pub async fn queue_issue(&self, issue: &IssueRecord, at: Timestamp) -> Result<u64> {
        let done = sqlx::query(
            "INSERT INTO newsletter_sends (issue_id, subscriber_id, status, updated_at) \
             SELECT $1, id, 'pending', $2 FROM subscribers \
             WHERE status = 'confirmed' AND cadence = $3 \
             ON CONFLICT (issue_id, subscriber_id) DO NOTHING",
        )
        .bind(issue.id)
        .bind(at.to_string())
        .bind(issue.cadence.as_str())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// Confirmed subscribers of `cadence` who have no sent or failed entry for `issue` (the
    /// issue may not be stored yet: `None`).
    pub async fn unsent_count(&self, cadence: Cadence, issue: Option<i64>) -> Result<u64> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM subscribers s WHERE s.status = 'confirmed' AND s.cadence = $1 \
             AND NOT EXISTS (SELECT 1 FROM newsletter_sends n WHERE n.issue_id = $2 \
                 AND n.subscriber_id = s.id AND n.status IN ('sent', 'failed'))",
        )
        .bind(cadence.as_str())
        .bind(issue.unwrap_or(-1))
        .fetch_one(&self.pool)
        .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Claims for `claim` (unique to the caller) the next pending sends of an issue after
    /// subscriber `after`, in subscriber order, at most `limit`, until `until` (Unix seconds):
    /// they become 'sending' and no other sender takes them before the claim expires. Rows
    /// claimed by a sender that expired are taken over. One statement, so two senders never
    /// claim the same row.
    pub async fn claim_sends(
        &self,
        issue_id: i64,
        after: i64,
        limit: u32,
        claim: &str,
        at: Timestamp,
        until: i64,
    ) -> Result<Vec<PendingSend>> {
        sqlx::query(
            "UPDATE newsletter_sends SET status = 'sending', claim = $1, claim_until = $2 \
             WHERE issue_id = $3 AND subscriber_id IN ( \
               SELECT subscriber_id FROM newsletter_sends WHERE issue_id = $3 \
                 AND subscriber_id > $4 \
                 AND (status = 'pending' OR (status = 'sending' AND claim_until < $5)) \
               ORDER BY subscriber_id LIMIT $6) \
               AND (status = 'pending' OR (status = 'sending' AND claim_until < $5))",
        )
        .bind(claim)
        .bind(until)
        .bind(issue_id)
        .bind(after)
        .bind(at.as_second())
        .bind(i64::from(limit))
        .execute(&self.pool)
        .await?;
        let rows = sqlx::query(
            "SELECT n.subscriber_id, s.email, s.status, n.attempts FROM newsletter_sends n \
             JOIN subscribers s ON s.id = n.subscriber_id \
             WHERE n.issue_id = $1 AND n.status = 'sending' AND n.claim = $2 \
             ORDER BY n.subscriber_id",
        )
        .bind(issue_id)
        .bind(claim)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let status: String = row.try_get("status")?;
                Ok(PendingSend {
                    subscriber_id: row.try_get("subscriber_id")?,
                    email: row.try_get("email")?,
                    confirmed: status == "confirmed",
                    attempts: row.try_get("attempts")?,
                })
            })
            .collect()
    }

    /// Records how sending `issue_id` to `subscriber_id` went (only a pending entry changes).
    pub async fn finish_send(
        &self,
        issue_id: i64,
        subscriber_id: i64,
        result: &SendResult,
        at: Timestamp,
    ) -> Result<()> {
        let (status, error, tried) = match result {
            SendResult::Sent => ("sent", None, 1),
            SendResult::Failed { error, give_up } => {
                (if *give_up { "failed" } else { "pending" }, Some(error.as_str()), 1)
            }
            SendResult::Skipped(why) => ("skipped", Some(why.as_str()), 0),
        };
        sqlx::query(
            "UPDATE newsletter_sends SET status = $1, error = $2, attempts = attempts + $3, \
             updated_at = $4, sent_at = CASE WHEN $1 = 'sent' THEN $4 END, claim = NULL, \
             claim_until = NULL \
             WHERE issue_id = $5 AND subscriber_id = $6 AND status IN ('pending', 'sending')",
        )
        .bind(status)
        .bind(error)
        .bind(tried)
        .bind(at.to_string())
        .bind(issue_id)
        .bind(subscriber_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The send log of an issue, counted.
    pub async fn send_counts(&self, issue_id: i64) -> Result<SendCounts> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT status, COUNT(*) FROM newsletter_sends WHERE issue_id = $1 GROUP BY status",
        )
        .bind(issue_id)
        .fetch_all(&self.pool)
        .await?;
        let mut c = SendCounts::default();
        for (status, n) in rows {
            let n = u64::try_from(n).unwrap_or(0);
            match status.as_str() {
                "pending" | "sending" => c.pending += n,
                "sent" => c.sent = n,
                "failed" => c.failed = n,
                "skipped" => c.skipped = n,
                other => return Err(corrupt("newsletter_sends", "status", other)),
            }
        }
        Ok(c)
    }

    // -----------------------------------------------------------------------------------------
    // What arrived in a window

    /// Insider filings ingested in `[from, until)`: their accession numbers.
    pub async fn filings_ingested_between(
        &self,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT accession FROM filings WHERE ingested_at >= $1 AND ingested_at < $2 \
             ORDER BY accession",
        )
        .bind(from.to_string())
        .bind(until.to_string())
        .fetch_all(&self.pool)
        .await?)
    }

    /// Managers whose 13F reports were ingested in `[from, until)`, with the latest quarter
    /// (report period) they reported then.
    pub async fn thirteen_f_ingested_between(
        &self,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<(String, String)>> {
        Ok(sqlx::query_as(
            "SELECT manager_cik, MAX(report_period) FROM thirteen_f_reports \
             WHERE ingested_at >= $1 AND ingested_at < $2 AND manager_cik IS NOT NULL \
               AND report_period IS NOT NULL GROUP BY manager_cik ORDER BY manager_cik",
        )
        .bind(from.to_string())
        .bind(until.to_string())
        .fetch_all(&self.pool)
        .await?)
    }

    // -----------------------------------------------------------------------------------------
    // Key dates

    /// Replaces the key dates read from `source` with `dates` (one transaction). How many are
    /// stored for it now.
    pub async fn replace_key_dates(&self, source: &str, dates: &[KeyDateRecord]) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM key_dates WHERE source = $1")
            .bind(source)
            .execute(&mut *tx)
            .await?;
        let mut n = 0;
        for d in dates {
            n += sqlx::query(
                "INSERT INTO key_dates (source, uid, summary, description, location, url, \
                 categories, all_day, tentative, starts_at, starts_s, ends_s) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                 ON CONFLICT (source, uid) DO NOTHING",
            )
            .bind(source)
            .bind(&d.uid)
            .bind(&d.summary)
            .bind(&d.description)
            .bind(&d.location)
            .bind(&d.url)
            .bind(serde_json::to_string(&d.categories).unwrap_or_else(|_| "[]".to_owned()))
            .bind(d.all_day)
            .bind(d.tentative)
            .bind(d.starts_at.to_string())
            .bind(d.starts_at.as_second())
            .bind(d.ends_at.as_second())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        tx.commit().await?;
        Ok(n)
    }

    /// Key dates that overlap `[from, until)`, earliest first.
    pub async fn key_dates_between(
        &self,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<KeyDateRecord>> {
        const T: &str = "key_dates";
        let rows = sqlx::query(
            "SELECT source, uid, summary, description, location, url, categories, \
             CAST(all_day AS INTEGER) AS all_day, CAST(tentative AS INTEGER) AS tentative, \
             starts_at, starts_s, ends_s FROM key_dates \
             WHERE starts_s < $1 AND (ends_s > $2 OR (ends_s = starts_s AND starts_s >= $2)) \
             ORDER BY starts_s, summary",
        )
        .bind(until.as_second())
        .bind(from.as_second())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let starts: String = row.try_get("starts_at")?;
                let cats: String = row.try_get("categories")?;
                let ends_s: i64 = row.try_get("ends_s")?;
                Ok(KeyDateRecord {
                    source: row.try_get("source")?,
                    uid: row.try_get("uid")?,
                    summary: row.try_get("summary")?,
                    description: row.try_get("description")?,
                    location: row.try_get("location")?,
                    url: row.try_get("url")?,
                    categories: serde_json::from_str(&cats)
                        .map_err(|_| corrupt(T, "categories", &cats))?,
                    all_day: flag(row, "all_day")?,
                    tentative: flag(row, "tentative")?,
                    starts_at: time(T, "starts_at", &starts)?,
                    ends_at: Timestamp::from_second(ends_s)
                        .map_err(|_| corrupt(T, "ends_s", &ends_s.to_string()))?,
                })
            })
            .collect()
    }
}
