//! Reply notifications: the send log of the mails that tell a commenter someone answered them.
//! One row per reply (so a reply is never notified twice), written before any mail is sent and
//! updated after, so a restart picks up exactly the pending ones.

use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;
use sqlx::Row;

use crate::{Error, Result, Store};

/// Where a notification stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NotificationStatus {
    /// Waiting to be sent (also after a transient failure).
    Pending,
    /// Accepted by the SMTP server.
    Sent,
    /// Refused for good, or given up on after repeated transient failures.
    Failed,
    /// Not sent on purpose (rate limited, or the reply is no longer shown); `error` says why.
    Skipped,
}

impl NotificationStatus {
    fn as_str(self) -> &'static str {
        match self {
            NotificationStatus::Pending => "pending",
            NotificationStatus::Sent => "sent",
            NotificationStatus::Failed => "failed",
            NotificationStatus::Skipped => "skipped",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        match s {
            "pending" => Ok(NotificationStatus::Pending),
            "sent" => Ok(NotificationStatus::Sent),
            "failed" => Ok(NotificationStatus::Failed),
            "skipped" => Ok(NotificationStatus::Skipped),
            other => Err(Error::Corrupt {
                table: "comment_notifications",
                column: "status",
                value: other.to_owned(),
            }),
        }
    }
}

/// A recorded notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotificationRecord {
    /// Its number.
    pub id: i64,
    /// The reply it tells about.
    pub comment_id: i64,
    /// The address it goes to (left on the comment the reply answers).
    pub recipient: String,
    /// Where it stands.
    pub status: NotificationStatus,
    /// Send attempts that failed so far, or 1 once sent at the first try.
    pub attempts: i64,
    /// The last failure, or why it was skipped.
    pub error: Option<String>,
    /// When it was recorded.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// When the server accepted it.
    pub sent_at: Option<Timestamp>,
}

/// `SELECT <every column> FROM comment_notifications <rest>`, as one literal.
macro_rules! select {
    ($rest:literal) => {
        concat!(
            "SELECT id, comment_id, recipient, status, attempts, error, created_at, updated_at, \
             sent_at FROM comment_notifications ",
            $rest
        )
    };
}

fn time(row: &sqlx::any::AnyRow, column: &'static str) -> Result<Option<Timestamp>> {
    let v: Option<String> = row.try_get(column)?;
    v.map(|s| {
        s.parse().map_err(|_| Error::Corrupt { table: "comment_notifications", column, value: s })
    })
    .transpose()
}

fn record(row: &sqlx::any::AnyRow) -> Result<NotificationRecord> {
    let status: String = row.try_get("status")?;
    let required = |column| {
        time(row, column)?.ok_or(Error::Corrupt {
            table: "comment_notifications",
            column,
            value: "NULL".to_owned(),
        })
    };
    Ok(NotificationRecord {
        id: row.try_get("id")?,
        comment_id: row.try_get("comment_id")?,
        recipient: row.try_get("recipient")?,
        status: NotificationStatus::parse(&status)?,
        attempts: row.try_get("attempts")?,
        error: row.try_get("error")?,
        created_at: required("created_at")?,
        updated_at: required("updated_at")?,
        sent_at: time(row, "sent_at")?,
    })
}

/// Serialises the queueing of reply notifications (see [`Store::queue_notification`]).
const NOTIFY_LOCK: i64 = 0x6d64_6e6f_7469;

impl Store {
    /// Records that reply `comment_id` is to be told to `recipient` (committed when this
    /// returns): pending, or skipped when a pending or sent notification to the same address
    /// (case-insensitive) was recorded less than `window` before `at`. One statement, under the
    /// store's lock for it, so concurrent replies (on any node) cannot both slip through the
    /// window. `None` when the reply already
    /// has a notification (it is never notified twice).
    pub async fn queue_notification(
        &self,
        comment_id: i64,
        recipient: &str,
        at: Timestamp,
        window: Duration,
    ) -> Result<Option<NotificationRecord>> {
        let since = at.as_second().saturating_sub(i64::try_from(window.as_secs()).unwrap_or(0));
        let skipped = format!(
            "rate limited: at most one reply notification per recipient every {} s",
            window.as_secs()
        );
        let mut tx = self.begin_serialized(NOTIFY_LOCK).await?;
        let row = sqlx::query(
            "INSERT INTO comment_notifications \
             (comment_id, recipient, status, attempts, error, created_at, created_s, updated_at) \
             SELECT $1, $2, \
               CASE WHEN w.n > 0 THEN 'skipped' ELSE 'pending' END, 0, \
               CASE WHEN w.n > 0 THEN $3 END, $4, $5, $4 \
             FROM (SELECT COUNT(*) AS n FROM comment_notifications \
                   WHERE LOWER(recipient) = LOWER($2) AND status IN ('pending', 'sent') \
                     AND created_s > $6) AS w \
             WHERE true \
             ON CONFLICT (comment_id) DO NOTHING \
             RETURNING id, comment_id, recipient, status, attempts, error, created_at, \
                       updated_at, sent_at",
        )
        .bind(comment_id)
        .bind(recipient)
        .bind(skipped)
        .bind(at.to_string())
        .bind(at.as_second())
        .bind(since)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        row.as_ref().map(record).transpose()
    }

    /// Pending notifications, oldest first, at most `limit`.
    pub async fn pending_notifications(&self, limit: u32) -> Result<Vec<NotificationRecord>> {
        let rows = sqlx::query(select!("WHERE status = 'pending' ORDER BY id LIMIT $1"))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(record).collect()
    }

    /// Every notification, oldest first.
    pub async fn notifications(&self) -> Result<Vec<NotificationRecord>> {
        let rows = sqlx::query(select!("ORDER BY id")).fetch_all(&self.pool).await?;
        rows.iter().map(record).collect()
    }

    /// The notification of a reply, if it has one.
    pub async fn notification_for(&self, comment_id: i64) -> Result<Option<NotificationRecord>> {
        let row = sqlx::query(select!("WHERE comment_id = $1"))
            .bind(comment_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(record).transpose()
    }

    /// Marks a pending notification sent. Whether it was pending.
    pub async fn mark_notification_sent(&self, id: i64, at: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE comment_notifications SET status = 'sent', attempts = attempts + 1, \
             error = NULL, updated_at = $1, sent_at = $1 WHERE id = $2 AND status = 'pending'",
        )
        .bind(at.to_string())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Records a failed attempt of a pending notification: it stays pending to be tried again,
    /// or becomes failed when `give_up`. Whether it was pending.
    pub async fn mark_notification_failed(
        &self,
        id: i64,
        error: &str,
        give_up: bool,
        at: Timestamp,
    ) -> Result<bool> {
        let status = if give_up { NotificationStatus::Failed } else { NotificationStatus::Pending };
        let done = sqlx::query(
            "UPDATE comment_notifications SET status = $1, attempts = attempts + 1, error = $2, \
             updated_at = $3 WHERE id = $4 AND status = 'pending'",
        )
        .bind(status.as_str())
        .bind(error)
        .bind(at.to_string())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Marks a pending notification skipped, saying why. Whether it was pending.
    pub async fn mark_notification_skipped(
        &self,
        id: i64,
        reason: &str,
        at: Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE comment_notifications SET status = 'skipped', error = $1, updated_at = $2 \
             WHERE id = $3 AND status = 'pending'",
        )
        .bind(reason)
        .bind(at.to_string())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }
}
