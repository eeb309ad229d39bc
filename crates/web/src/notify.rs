//! Reply notifications by mail.
//!
//! When a reply becomes visible (accepted without moderation, or approved in the queue) and the
//! comment it answers left an address, the request handler records a pending notification in
//! the store ([`on_visible`]): never for a held, deleted or banned comment, never to the
//! replier about their own comment (same address, or same hashed network address), and at most
//! one per recipient per [`MailOptions::reply_window`] (later replies in the window are
//! recorded as skipped). Mail is sent off the request path by [`send_pending`], which the
//! background task of `serve` runs whenever a notification is recorded (and every
//! [`MailOptions::poll`]), and which tests call directly: it checks again that both comments
//! are still shown, builds a plain-text mail and sends it with `marketdesk-mailer`; 5xx
//! refusals and repeated transient failures are recorded as failed. Without an SMTP server
//! configured nothing is sent and notifications stay pending (logged once).

use std::{
    sync::{Arc, atomic::Ordering},
    time::Duration,
};

use marketdesk_mailer::{Mailer, SendError, SmtpConfig, TextMail};
use marketdesk_store::{CommentRecord, CommentStatus, NotificationRecord, NotificationStatus};

use crate::{Result, views::Inner};

/// How reply notifications are mailed.
#[derive(Debug, Clone)]
pub struct MailOptions {
    /// The SMTP server (`MARKETDESK_SMTP_URL`). `None`: nothing is sent, notifications are
    /// recorded and stay pending until a site with a server runs.
    pub smtp: Option<SmtpConfig>,
    /// The sender. Default `marketdesk <noreply@localhost>`.
    pub from: String,
    /// At most one reply notification per recipient in this long. Default 10 minutes.
    pub reply_window: Duration,
    /// Attempts (each with the mailer's own quick retries) before a notification that keeps
    /// failing transiently is recorded as failed. Default 5.
    pub max_attempts: u32,
    /// How often the background task looks for pending notifications when nothing wakes it
    /// (transient failures are tried again then). Default 60 s.
    pub poll: Duration,
}

impl Default for MailOptions {
    fn default() -> Self {
        MailOptions {
            smtp: None,
            from: "marketdesk <noreply@localhost>".to_owned(),
            reply_window: Duration::from_secs(600),
            max_attempts: 5,
            poll: Duration::from_secs(60),
        }
    }
}

/// What one [`crate::Site::send_notifications`] pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NotificationRun {
    /// Mails the SMTP server accepted.
    pub sent: usize,
    /// Notifications recorded as failed for good.
    pub failed: usize,
    /// Notifications skipped because a comment is no longer shown.
    pub skipped: usize,
    /// Notifications still pending after the pass (no server, or a transient failure).
    pub pending: usize,
}

/// Whether `reply` was written by the author of `parent`.
fn same_author(reply: &CommentRecord, parent: &CommentRecord) -> bool {
    let same_mail = match (&reply.email, &parent.email) {
        (Some(a), Some(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
        _ => false,
    };
    same_mail || reply.ip_hash == parent.ip_hash
}

/// The address to tell about `reply`, when it is a shown reply to a shown comment that left
/// one, by someone else.
fn recipient(reply: &CommentRecord, parent: &CommentRecord) -> Option<String> {
    if reply.status != CommentStatus::Approved || parent.status != CommentStatus::Approved {
        return None;
    }
    let to = parent.email.as_deref().map(str::trim).filter(|e| !e.is_empty())?;
    (!same_author(reply, parent)).then(|| to.to_owned())
}

/// Records the notification for comment `id`, which just became visible, if it is a reply
/// someone is to be told about, and wakes the sender. Failures are logged, never shown: the
/// comment itself is already stored.
pub(crate) async fn on_visible(s: &Inner, id: i64) {
    if let Err(e) = queue(s, id).await {
        tracing::error!(comment = id, "recording the reply notification failed: {e}");
    }
}

async fn queue(s: &Inner, id: i64) -> Result<()> {
    let Some(reply) = s.store.comment(id).await? else { return Ok(()) };
    let Some(parent_id) = reply.parent_id else { return Ok(()) };
    let Some(parent) = s.store.comment(parent_id).await? else { return Ok(()) };
    let Some(to) = recipient(&reply, &parent) else { return Ok(()) };
    if s.store.is_banned(&reply.ip_hash).await? {
        return Ok(());
    }
    let window = s.options.mail.reply_window;
    match s.store.queue_notification(id, &to, s.now(), window).await? {
        Some(n) if n.status == NotificationStatus::Skipped => {
            tracing::info!(comment = id, "reply notification skipped: rate limited");
        }
        Some(_) => s.mail_wake.notify_one(),
        None => {}
    }
    Ok(())
}

/// Removes line breaks and other control characters (names go into a header).
fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().trim().to_owned()
}

/// The mail for a notification.
async fn compose(
    s: &Inner,
    n: &NotificationRecord,
    reply: &CommentRecord,
    parent: &CommentRecord,
) -> Result<TextMail> {
    let headline = s.store.article(&reply.slug).await?.map(|a| a.headline);
    let name = one_line(&reply.name);
    let article = s.url(&format!("/articles/{}", reply.slug));
    let on = headline.map_or_else(|| "an article".to_owned(), |h| format!("\"{}\"", one_line(&h)));
    let minutes = s.options.mail.reply_window.as_secs().div_ceil(60);
    let text = format!(
        "{name} replied to your comment on {on} on {site}:\n\n\
         {body}\n\n\
         Read it and answer: {article}#c{id}\n\n\
         --\n\
         Why you got this mail: you left this address with your comment at \
         {article}#c{parent_id} on {site}, for reply notifications. At most one such mail is \
         sent to you every {minutes} minutes; the address is never shown.\n",
        site = s.site_name,
        body = reply.body.trim(),
        id = reply.id,
        parent_id = parent.id,
    );
    Ok(TextMail {
        from: s.options.mail.from.clone(),
        to: n.recipient.clone(),
        subject: format!("{name} replied to your comment on {}", s.site_name),
        text,
        html: None,
        date: std::time::SystemTime::try_from(s.now()).ok(),
        ..TextMail::default()
    })
}

/// Sends the pending notifications once (one pass at a time in this process, and under a store
/// lease across every node, so two nodes never mail the same reply; see the module doc).
pub(crate) async fn send_pending(s: &Inner) -> Result<NotificationRun> {
    let _one_at_a_time = s.mail_lock.lock().await;
    let mut run = NotificationRun::default();
    let Some(mailer) = &s.mailer else {
        run.pending = s.store.pending_notifications(u32::MAX).await?.len();
        if run.pending > 0 && !s.mail_warned.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                pending = run.pending,
                "no SMTP server configured (MARKETDESK_SMTP_URL): reply notifications stay \
                 pending and are not sent"
            );
        }
        return Ok(run);
    };
    let pass = async {
        for n in s.store.pending_notifications(500).await? {
            match send_one(s, mailer, &n).await? {
                NotificationStatus::Sent => run.sent += 1,
                NotificationStatus::Failed => run.failed += 1,
                NotificationStatus::Skipped => run.skipped += 1,
                NotificationStatus::Pending => run.pending += 1,
            }
        }
        Ok(run)
    };
    let lease = Duration::from_secs(300);
    let holder = s.newsletter.instance();
    match s.store.under_lease("reply-notifications", holder, lease, pass).await? {
        Some(sent) => sent,
        // Another node is sending them.
        None => Ok(NotificationRun::default()),
    }
}

async fn send_one(
    s: &Inner,
    mailer: &Mailer,
    n: &NotificationRecord,
) -> Result<NotificationStatus> {
    let now = s.now();
    let reply = s.store.comment(n.comment_id).await?;
    let parent = match reply.as_ref().and_then(|r| r.parent_id) {
        Some(p) => s.store.comment(p).await?,
        None => None,
    };
    let (Some(reply), Some(parent)) = (reply, parent) else {
        s.store.mark_notification_skipped(n.id, "the reply is gone", now).await?;
        return Ok(NotificationStatus::Skipped);
    };
    if recipient(&reply, &parent).is_none() || s.store.is_banned(&reply.ip_hash).await? {
        let why = "the reply or the comment it answers is no longer shown";
        s.store.mark_notification_skipped(n.id, why, now).await?;
        return Ok(NotificationStatus::Skipped);
    }
    let message = match compose(s, n, &reply, &parent).await?.build() {
        Ok(m) => m,
        Err(e) => {
            s.store.mark_notification_failed(n.id, &e.to_string(), true, now).await?;
            tracing::warn!(notification = n.id, "reply notification cannot be built: {e}");
            return Ok(NotificationStatus::Failed);
        }
    };
    match mailer.send(&message).await {
        Ok(()) => {
            s.store.mark_notification_sent(n.id, s.now()).await?;
            tracing::info!(notification = n.id, comment = n.comment_id, "reply notification sent");
            Ok(NotificationStatus::Sent)
        }
        Err(e) => {
            let attempts = u32::try_from(n.attempts).unwrap_or(u32::MAX).saturating_add(1);
            let give_up =
                matches!(e, SendError::Permanent { .. }) || attempts >= s.options.mail.max_attempts;
            s.store.mark_notification_failed(n.id, &e.to_string(), give_up, s.now()).await?;
            tracing::warn!(notification = n.id, attempts, give_up, "reply notification: {e}");
            Ok(if give_up { NotificationStatus::Failed } else { NotificationStatus::Pending })
        }
    }
}

/// The background sender `serve` runs (reply notifications and newsletter confirmation
/// mails): a pass whenever one is recorded, and every
/// [`MailOptions::poll`] for transient failures. Never returns; `serve` aborts it.
pub(crate) async fn run(s: Arc<Inner>) {
    loop {
        if let Err(e) = send_pending(&s).await {
            tracing::error!("sending reply notifications: {e}");
        }
        if let Err(e) = s.newsletter.send_confirmations().await {
            tracing::error!("sending newsletter confirmation mails: {e}");
        }
        tokio::select! {
            () = s.mail_wake.notified() => {},
            () = tokio::time::sleep(s.options.mail.poll) => {},
        }
    }
}
