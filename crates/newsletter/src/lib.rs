//! marketdesk's newsletter: curated market news, insights and key dates by mail.
//!
//! - Subscriptions with double opt-in: [`Newsletter::sign_up`] records the address and queues
//!   a confirmation mail (limits per address and per network address, counted in the store so
//!   they hold across restarts and web nodes); [`Newsletter::confirm`] follows the signed,
//!   expiring link ([`Tokens`]); [`Newsletter::unsubscribe`] follows the lasting one, and
//!   [`Newsletter::bounce`] takes bounce and complaint reports, suppressing an address past a
//!   threshold.
//! - The digest (`digest.rs`): the top articles since the last issue, the smart-money
//!   highlights of the filings that arrived since (largest insider buys and sells, cluster
//!   buys, notable 13F moves) and the key dates ahead (iCalendar files in the store, the SEC's
//!   13F deadlines), composed (`compose.rs`) into HTML for mail clients and plain text.
//! - Issues: one per cadence and period ([`Period`]: an Eastern date, or an ISO week), composed
//!   once and stored as sent, so the archive shows what readers got.
//! - Sending (`send.rs`): through the send log, at a set rate and concurrency, each mail with
//!   its unsubscribe link in the body and the RFC 8058 `List-Unsubscribe` and
//!   `List-Unsubscribe-Post` headers, optionally DKIM-signed.
//!
//! It owns who gets which mail and what it says. It must not speak HTTP (the web crate serves
//! the forms, links and archive by calling it), read the environment or config files (the
//! binary does), or speak SMTP itself (`marketdesk-mailer`).

mod compose;
mod digest;
mod period;
mod send;
mod token;

use std::{sync::Arc, time::Duration};

use jiff::Timestamp;
use marketdesk_mailer::{Dkim, Mailer, TextMail};
use marketdesk_store::{
    BounceKind, BounceOutcome, Cadence, ConfirmOutcome, ConfirmationLimits, ConfirmationRecord,
    Issue, IssueRecord, SignupOutcome, Store, SubscriberRecord, SubscriberStatus,
};
use serde::Deserialize;

pub use compose::{Brand, Composed, UNSUBSCRIBE_PLACEHOLDER, compose, view_url};
pub use digest::{Digest, DigestArticle, Highlight, HoldingMove, KeyDateLine, gather};
pub use period::Period;
pub use send::SendReport;
pub use token::{ConfirmToken, TokenError, Tokens};

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] marketdesk_store::Error),
    /// The newsroom (signals, 13F) failed.
    #[error(transparent)]
    Newsroom(#[from] marketdesk_newsroom::Error),
    /// Sending needs an SMTP server.
    #[error("no SMTP server configured: set MARKETDESK_SMTP_URL (e.g. smtp://127.0.0.1:2525)")]
    NoSmtp,
    /// A sending task failed.
    #[error("a sending task failed: {0}")]
    Task(String),
}

/// The newsletter's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How the newsletter runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site's name.
    pub site_name: String,
    /// The site's public address, no trailing slash: links in mails point here.
    pub base_url: String,
    /// The sender, e.g. `marketdesk <news@example.com>`.
    pub from: String,
    /// The address of the `mailto:` in `List-Unsubscribe` (a mailbox someone or something
    /// reads); `None` leaves the mailto out.
    pub unsubscribe_mailto: Option<String>,
    /// The sender's postal address, printed in the footer.
    pub postal_address: Option<String>,
    /// Mails per second at most; `None`: as fast as the server takes them.
    pub rate: Option<f64>,
    /// Mails in flight at once (SMTP connections). Default 8.
    pub concurrency: usize,
    /// A confirmation link works this long. Default 48 hours.
    pub confirm_ttl: Duration,
    /// Confirmation mails per address and per network address in a window.
    pub limits: ConfirmationLimits,
    /// Soft bounces that suppress an address. Default 3.
    pub soft_bounce_threshold: u32,
    /// Attempts at one mail before it is recorded as failed. Default 5.
    pub max_attempts: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            site_name: "marketdesk".to_owned(),
            base_url: "http://localhost".to_owned(),
            from: "marketdesk <newsletter@localhost>".to_owned(),
            unsubscribe_mailto: None,
            postal_address: None,
            rate: None,
            concurrency: 8,
            confirm_ttl: Duration::from_secs(48 * 3600),
            limits: ConfirmationLimits {
                per_address: 3,
                per_network: 10,
                window: Duration::from_secs(24 * 3600),
            },
            soft_bounce_threshold: 3,
            max_attempts: 5,
        }
    }
}

/// What following a confirmation link did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmation {
    /// Confirmed now.
    Confirmed(SubscriberRecord),
    /// Already confirmed with that cadence (a second click).
    Already(SubscriberRecord),
    /// The link is too old: sign up again.
    Expired,
    /// Not a link this site made, or for a subscriber no longer here.
    Invalid,
    /// The address is suppressed (it bounced or complained).
    Suppressed,
}

/// One bounce or complaint report, as the webhook takes it (a generic JSON body: one object,
/// an array of them, or `{"bounces": [...]}`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BounceReport {
    /// The address that bounced.
    #[serde(alias = "recipient", alias = "address")]
    pub email: String,
    /// `hard`, `soft`, `complaint` or `unsubscribe`.
    #[serde(rename = "type", alias = "kind", alias = "bounce_type")]
    pub kind: String,
    /// The server's words, for the record.
    #[serde(default, alias = "reason", alias = "diagnostic")]
    pub detail: Option<String>,
}

/// What a bounce report did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BounceEffect {
    /// Recorded; the address is still mailed (a soft bounce under the threshold, or not a
    /// subscriber).
    Counted,
    /// The address is suppressed.
    Suppressed,
    /// The address is unsubscribed (a `mailto:` unsubscribe handed on).
    Unsubscribed,
}

/// Why a webhook body was refused.
#[derive(Debug, thiserror::Error)]
pub enum BounceBodyError {
    /// Not JSON of a known shape.
    #[error("bounce body is not a report, a list of reports or {{\"bounces\": [...]}}: {0}")]
    Shape(serde_json::Error),
    /// A report of an unknown type.
    #[error("bounce report {index}: type {kind:?} is not hard, soft, complaint or unsubscribe")]
    Kind {
        /// Its position in the list.
        index: usize,
        /// The type given.
        kind: String,
    },
}

/// Reads a webhook body into reports.
pub fn parse_bounces(body: &[u8]) -> Result<Vec<BounceReport>, BounceBodyError> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Body {
        One(BounceReport),
        Many(Vec<BounceReport>),
        Wrapped { bounces: Vec<BounceReport> },
    }
    let reports = match serde_json::from_slice(body).map_err(BounceBodyError::Shape)? {
        Body::One(r) => vec![r],
        Body::Many(v) | Body::Wrapped { bounces: v } => v,
    };
    for (index, r) in reports.iter().enumerate() {
        if !matches!(
            r.kind.to_ascii_lowercase().as_str(),
            "hard" | "soft" | "complaint" | "unsubscribe"
        ) {
            return Err(BounceBodyError::Kind { index, kind: r.kind.clone() });
        }
    }
    Ok(reports)
}

/// A plausible mail address, trimmed: one `@`, a dotted domain, no spaces or controls, within
/// RFC 5321's lengths, and one lettre can send to.
pub fn valid_email(s: &str) -> Option<String> {
    let s = s.trim();
    let (local, domain) = s.rsplit_once('@')?;
    let ok = !local.is_empty()
        && local.len() <= 64
        && s.len() <= 254
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'))
        && s.parse::<marketdesk_mailer::Address>().is_ok();
    ok.then(|| s.to_owned())
}

/// Instances made by this process, so each has its own name.
static INSTANCES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

struct Inner {
    store: Store,
    options: Options,
    tokens: Tokens,
    mailer: Option<Mailer>,
    dkim: Option<Arc<Dkim>>,
    /// The site's host, for Message-IDs and List-Id.
    host: String,
    clock: Arc<dyn Fn() -> Timestamp + Send + Sync>,
    /// Names this instance's claims on the send log and its lease on confirmation mails.
    instance: String,
}

/// The newsletter over a store. Cheap to clone.
#[derive(Clone)]
pub struct Newsletter {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Newsletter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Newsletter")
            .field("base_url", &self.inner.options.base_url)
            .finish_non_exhaustive()
    }
}

impl Newsletter {
    /// The newsletter over `store`, signing links with `secret`; without a mailer nothing is
    /// sent (mails wait in the store).
    pub fn new(
        store: Store,
        mut options: Options,
        secret: &[u8],
        mailer: Option<Mailer>,
        dkim: Option<Dkim>,
    ) -> Self {
        options.base_url = options.base_url.trim_end_matches('/').to_owned();
        // Message-IDs and List-Id want a domain; an IPv6 literal keeps its brackets.
        let host = url::Url::parse(&options.base_url)
            .ok()
            .and_then(|u| u.host().map(|h| h.to_string()))
            .unwrap_or_else(|| "localhost".to_owned());
        Newsletter {
            inner: Arc::new(Inner {
                store,
                tokens: Tokens::new(secret),
                options,
                mailer,
                dkim: dkim.map(Arc::new),
                host,
                clock: Arc::new(Timestamp::now),
                instance: format!(
                    "{}-{}-{}",
                    std::process::id(),
                    Timestamp::now().as_nanosecond(),
                    INSTANCES.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                ),
            }),
        }
    }

    /// The same newsletter reading "now" from `clock` when it records sends (tests).
    pub fn with_clock(self, clock: impl Fn() -> Timestamp + Send + Sync + 'static) -> Self {
        let inner = Arc::try_unwrap(self.inner).unwrap_or_else(|arc| Inner {
            store: arc.store.clone(),
            options: arc.options.clone(),
            tokens: arc.tokens.clone(),
            mailer: arc.mailer.clone(),
            dkim: arc.dkim.clone(),
            host: arc.host.clone(),
            clock: Arc::clone(&arc.clock),
            instance: arc.instance.clone(),
        });
        Newsletter { inner: Arc::new(Inner { clock: Arc::new(clock), ..inner }) }
    }

    fn clock(&self) -> Timestamp {
        (self.inner.clock)()
    }

    /// This process's name for its claims and leases in the store, unique among processes.
    pub fn instance(&self) -> &str {
        &self.inner.instance
    }

    /// The options.
    pub fn options(&self) -> &Options {
        &self.inner.options
    }

    /// Whether mail can be sent.
    pub fn can_send(&self) -> bool {
        self.inner.mailer.is_some()
    }

    // -----------------------------------------------------------------------------------------
    // Subscriptions

    /// A sign-up from the form: see [`Store::sign_up`]. `email` must have passed
    /// [`valid_email`].
    pub async fn sign_up(
        &self,
        email: &str,
        cadence: Cadence,
        ip_hash: &str,
        now: Timestamp,
    ) -> Result<SignupOutcome> {
        Ok(self
            .inner
            .store
            .sign_up(email, cadence, ip_hash, now, self.inner.options.limits)
            .await?)
    }

    /// Follows a confirmation link.
    pub async fn confirm(&self, token: &str, now: Timestamp) -> Result<Confirmation> {
        let t = match self.inner.tokens.check_confirm(token, now, self.inner.options.confirm_ttl) {
            Ok(t) => t,
            Err(TokenError::Expired) => return Ok(Confirmation::Expired),
            Err(TokenError::Invalid) => return Ok(Confirmation::Invalid),
        };
        // A link older than the subscriber's last change (an unsubscribe, a newer confirmation)
        // must not undo it: an old mail reopened, or a scanner following links again.
        if let Some(sub) = self.inner.store.subscriber(t.subscriber).await?
            && sub.updated_at.as_second() > t.issued.as_second()
        {
            return Ok(match sub.status {
                SubscriberStatus::Confirmed => Confirmation::Already(sub),
                SubscriberStatus::Suppressed => Confirmation::Suppressed,
                _ => Confirmation::Expired,
            });
        }
        let outcome = self.inner.store.confirm_subscriber(t.subscriber, t.cadence, now).await?;
        let Some(sub) = self.inner.store.subscriber(t.subscriber).await? else {
            return Ok(Confirmation::Invalid);
        };
        Ok(match outcome {
            ConfirmOutcome::Confirmed => Confirmation::Confirmed(sub),
            ConfirmOutcome::AlreadyConfirmed => Confirmation::Already(sub),
            ConfirmOutcome::Suppressed => Confirmation::Suppressed,
            ConfirmOutcome::Unknown => Confirmation::Invalid,
        })
    }

    /// The subscriber an unsubscribe link names, if it is genuine.
    pub async fn unsubscribe_target(&self, token: &str) -> Result<Option<SubscriberRecord>> {
        match self.inner.tokens.check_unsubscribe(token) {
            Ok(id) => Ok(self.inner.store.subscriber(id).await?),
            Err(_) => Ok(None),
        }
    }

    /// Follows an unsubscribe link: the subscriber it names, now unsubscribed (`None` when the
    /// link is not genuine). Following it twice is harmless.
    pub async fn unsubscribe(
        &self,
        token: &str,
        reason: &str,
        now: Timestamp,
    ) -> Result<Option<SubscriberRecord>> {
        let Some(sub) = self.unsubscribe_target(token).await? else { return Ok(None) };
        self.inner.store.unsubscribe(sub.id, reason, now).await?;
        Ok(self.inner.store.subscriber(sub.id).await?)
    }

    /// Records bounce and complaint reports (and `unsubscribe` ones handed on from the
    /// `mailto:` address).
    pub async fn bounce(
        &self,
        reports: &[BounceReport],
        now: Timestamp,
    ) -> Result<Vec<BounceEffect>> {
        let store = &self.inner.store;
        let mut effects = Vec::with_capacity(reports.len());
        for r in reports {
            let kind = match r.kind.to_ascii_lowercase().as_str() {
                "soft" => BounceKind::Soft,
                "complaint" => BounceKind::Complaint,
                "unsubscribe" => {
                    let sub = store.subscriber_by_email(&r.email).await?;
                    if let Some(sub) = sub {
                        store.unsubscribe(sub.id, "unsubscribed by mail", now).await?;
                    }
                    effects.push(BounceEffect::Unsubscribed);
                    continue;
                }
                _ => BounceKind::Hard,
            };
            let threshold = self.inner.options.soft_bounce_threshold;
            let outcome =
                store.record_bounce(&r.email, kind, r.detail.as_deref(), threshold, now).await?;
            effects.push(match outcome {
                BounceOutcome::Suppressed => BounceEffect::Suppressed,
                BounceOutcome::Counted(_) | BounceOutcome::Unknown => BounceEffect::Counted,
            });
        }
        Ok(effects)
    }

    /// The confirmation mail of a queued confirmation.
    pub fn confirmation_mail(&self, c: &ConfirmationRecord) -> TextMail {
        let o = &self.inner.options;
        // The link's 48 hours count from when the mail goes out (it may wait out an outage).
        let token = self.inner.tokens.confirm(c.subscriber_id, c.cadence, self.clock());
        let link = format!("{}/newsletter/confirm/{token}", o.base_url);
        let hours = o.confirm_ttl.as_secs() / 3600;
        let text = format!(
            "Please confirm that you want the {cadence} newsletter of {site}:\n\n\
             {link}\n\n\
             The link works for {hours} hours; following it confirms at once.\n\n\
             If you did not ask for this, ignore this mail: without the click you get nothing \
             more from us.\n\n\
             --\n{site}, {base}/\n",
            cadence = c.cadence.as_str(),
            site = o.site_name,
            base = o.base_url,
        );
        TextMail {
            from: o.from.clone(),
            to: c.email.clone(),
            subject: format!("Confirm your {} subscription", o.site_name),
            text,
            html: None,
            date: std::time::SystemTime::try_from(self.clock()).ok(),
            message_id: Some(format!("<confirm.{}@{}>", c.id, self.inner.host)),
            headers: Vec::new(),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Issues

    fn brand(&self) -> Brand {
        let o = &self.inner.options;
        Brand {
            site_name: o.site_name.clone(),
            base_url: o.base_url.clone(),
            postal_address: o.postal_address.clone(),
        }
    }

    async fn stored_issue(&self, cadence: Cadence, now: Timestamp) -> Result<Option<IssueRecord>> {
        Ok(self.inner.store.issue(cadence, &Period::current(cadence, now).label).await?)
    }

    /// Where the next issue of `cadence` starts: where the last one ended, or one period back.
    async fn covers_from(&self, cadence: Cadence, now: Timestamp) -> Result<Timestamp> {
        Ok(match self.inner.store.latest_issue(cadence).await? {
            Some(last) => last.covers_until,
            None => now.checked_sub(Period::lookback(cadence)).unwrap_or(now),
        })
    }

    /// The issue of `cadence` for the period of `now` as it would be composed now, without
    /// storing it (the stored one, when it exists).
    pub async fn preview(&self, cadence: Cadence, now: Timestamp) -> Result<Preview> {
        let (issue, stored) = match self.stored_issue(cadence, now).await? {
            Some(record) => (record.issue, true),
            None => (self.compose_new(cadence, now).await?, false),
        };
        Ok(Preview {
            slug: issue.slug,
            stored,
            composed: Composed {
                subject: issue.subject,
                summary: issue.summary,
                html: issue.html,
                text: issue.text,
            },
        })
    }

    /// The current issue of `cadence`: the stored one for the period of `now`, or a new one
    /// composed from what arrived since the last issue, stored.
    pub async fn current_issue(&self, cadence: Cadence, now: Timestamp) -> Result<IssueRecord> {
        if let Some(issue) = self.stored_issue(cadence, now).await? {
            return Ok(issue);
        }
        let issue = self.compose_new(cadence, now).await?;
        Ok(self.inner.store.save_issue(&issue).await?)
    }

    /// The issue of `cadence` for the period of `now`, composed from what arrived since the
    /// last issue (not stored).
    async fn compose_new(&self, cadence: Cadence, now: Timestamp) -> Result<Issue> {
        let period = Period::current(cadence, now);
        let from = self.covers_from(cadence, now).await?;
        let (slug, label) = (period.slug.clone(), period.label.clone());
        let digest = gather(&self.inner.store, period, from, now).await?;
        let c = compose(&digest, &slug, &self.brand());
        Ok(Issue {
            cadence,
            period: label,
            slug,
            subject: c.subject,
            summary: c.summary,
            html: c.html,
            text: c.text,
            covers_from: from,
            covers_until: now,
            created_at: now,
        })
    }
}

/// An issue as it would go out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// Its archive address.
    pub slug: String,
    /// Whether it is already stored (it goes out as stored).
    pub stored: bool,
    /// Subject and parts.
    pub composed: Composed,
}
