//! Reader comments: kept in order of arrival, threaded by parent, moderated by status; bans by
//! hashed address; the admin password hash.

use jiff::Timestamp;
use serde::Serialize;
use sqlx::Row;

use crate::{Error, Result, Store};

/// Whether a comment is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CommentStatus {
    /// Shown on the article.
    Approved,
    /// Waiting in the moderation queue.
    Pending,
    /// Removed by a moderator (kept, never shown).
    Deleted,
}

impl CommentStatus {
    fn as_str(self) -> &'static str {
        match self {
            CommentStatus::Approved => "approved",
            CommentStatus::Pending => "pending",
            CommentStatus::Deleted => "deleted",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        match s {
            "approved" => Ok(CommentStatus::Approved),
            "pending" => Ok(CommentStatus::Pending),
            "deleted" => Ok(CommentStatus::Deleted),
            other => {
                Err(Error::Corrupt { table: "comments", column: "status", value: other.to_owned() })
            }
        }
    }
}

/// A comment to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComment {
    /// The article's slug.
    pub slug: String,
    /// The comment it answers, if any.
    pub parent_id: Option<i64>,
    /// The name shown.
    pub name: String,
    /// For reply notifications; never shown.
    pub email: Option<String>,
    /// The Markdown source.
    pub body: String,
    /// A keyed hash of the poster's address.
    pub ip_hash: String,
    /// Shown at once, or held for moderation.
    pub status: CommentStatus,
    /// When it was posted.
    pub created_at: Timestamp,
}

/// A stored comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommentRecord {
    /// Its number, increasing in order of arrival.
    pub id: i64,
    /// The article's slug.
    pub slug: String,
    /// The comment it answers, if any.
    pub parent_id: Option<i64>,
    /// The name shown.
    pub name: String,
    /// Never shown.
    pub email: Option<String>,
    /// The Markdown source.
    pub body: String,
    /// A keyed hash of the poster's address.
    pub ip_hash: String,
    /// Whether it is shown.
    pub status: CommentStatus,
    /// How often readers reported it.
    pub reports: i64,
    /// When it was posted.
    pub created_at: Timestamp,
}

/// `SELECT <every column> FROM comments <rest>`, as one literal.
macro_rules! select {
    ($rest:literal) => {
        concat!(
            "SELECT id, slug, parent_id, name, email, body, ip_hash, status, reports, created_at \
             FROM comments ",
            $rest
        )
    };
}

fn record(row: &sqlx::any::AnyRow) -> Result<CommentRecord> {
    let created: String = row.try_get("created_at")?;
    let created_at = created.parse().map_err(|_| Error::Corrupt {
        table: "comments",
        column: "created_at",
        value: created.clone(),
    })?;
    let status: String = row.try_get("status")?;
    Ok(CommentRecord {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        parent_id: row.try_get("parent_id")?,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        body: row.try_get("body")?,
        ip_hash: row.try_get("ip_hash")?,
        status: CommentStatus::parse(&status)?,
        reports: row.try_get("reports")?,
        created_at,
    })
}

const ADMIN_PASSWORD: &str = "admin_password_hash";

impl Store {
    /// Stores a comment (committed when this returns) and gives its id. A `parent_id` that is
    /// not a comment on the same article is dropped (the comment becomes top-level).
    pub async fn add_comment(&self, c: &NewComment) -> Result<i64> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO comments \
             (slug, parent_id, name, email, body, ip_hash, status, reports, created_at) \
             VALUES ($1, (SELECT id FROM comments WHERE id = $2 AND slug = $1), \
                     $3, $4, $5, $6, $7, 0, $8) RETURNING id",
        )
        .bind(&c.slug)
        .bind(c.parent_id)
        .bind(&c.name)
        .bind(&c.email)
        .bind(&c.body)
        .bind(&c.ip_hash)
        .bind(c.status.as_str())
        .bind(c.created_at.to_string())
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// One comment.
    pub async fn comment(&self, id: i64) -> Result<Option<CommentRecord>> {
        let row = sqlx::query(select!("WHERE id = $1")).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(record).transpose()
    }

    /// The approved comments of an article, oldest first.
    pub async fn comments(&self, slug: &str) -> Result<Vec<CommentRecord>> {
        let rows = sqlx::query(select!("WHERE slug = $1 AND status = 'approved' ORDER BY id"))
            .bind(slug)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(record).collect()
    }

    /// The moderation queue: pending comments and reported approved ones, oldest first, at most
    /// `limit`.
    pub async fn comment_queue(&self, limit: u32) -> Result<Vec<CommentRecord>> {
        let rows = sqlx::query(select!(
            "WHERE status = 'pending' OR (status = 'approved' AND reports > 0) \
             ORDER BY id LIMIT $1"
        ))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(record).collect()
    }

    /// Sets a comment's status (approving also clears its reports). Whether it exists.
    pub async fn set_comment_status(&self, id: i64, status: CommentStatus) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE comments SET status = $1, \
             reports = CASE WHEN $1 = 'approved' THEN 0 ELSE reports END WHERE id = $2",
        )
        .bind(status.as_str())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Counts a reader's report of a shown comment. Whether it is a shown comment on `slug`.
    pub async fn report_comment(&self, slug: &str, id: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE comments SET reports = reports + 1 \
             WHERE id = $1 AND slug = $2 AND status = 'approved'",
        )
        .bind(id)
        .bind(slug)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Bans a hashed address and deletes every comment posted from it.
    pub async fn ban_ip_hash(&self, ip_hash: &str, at: Timestamp) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO comment_bans (ip_hash, created_at) VALUES ($1, $2) \
             ON CONFLICT (ip_hash) DO NOTHING",
        )
        .bind(ip_hash)
        .bind(at.to_string())
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE comments SET status = 'deleted' WHERE ip_hash = $1")
            .bind(ip_hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether a hashed address is banned.
    pub async fn is_banned(&self, ip_hash: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM comment_bans WHERE ip_hash = $1")
            .bind(ip_hash)
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// Stores the admin password hash (a PHC string), replacing any before.
    pub async fn set_admin_password_hash(&self, phc: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO site_settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(ADMIN_PASSWORD)
        .bind(phc)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The admin password hash, if one was set.
    pub async fn admin_password_hash(&self) -> Result<Option<String>> {
        let v = sqlx::query_scalar("SELECT value FROM site_settings WHERE key = $1")
            .bind(ADMIN_PASSWORD)
            .fetch_optional(&self.pool)
            .await?;
        Ok(v)
    }
}
