//! What operations watch: how much is stored, how fresh it is, and where the mail stands,
//! counted in the store so every web node reports the same figures.

use jiff::Timestamp;

use crate::{Result, Store};

/// Counts for `/metrics`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpsCounts {
    /// Insider filings stored.
    pub filings: i64,
    /// 13F reports stored.
    pub thirteen_f_reports: i64,
    /// When the newest filing or 13F report was ingested.
    pub last_ingest: Option<Timestamp>,
    /// Feed items kept.
    pub feed_items: i64,
    /// Inputs recorded as failed.
    pub ingest_errors: i64,
    /// Articles stored.
    pub articles: i64,
    /// When the newest article revision was written.
    pub last_article: Option<Timestamp>,
    /// Newsletter mails by send-log status (`pending`, `sent`, `failed`, `skipped`).
    pub newsletter_mails: Vec<(String, i64)>,
    /// Confirmation mails by status.
    pub confirmation_mails: Vec<(String, i64)>,
    /// Reply notifications by status.
    pub reply_mails: Vec<(String, i64)>,
    /// Subscribers by status.
    pub subscribers: Vec<(String, i64)>,
    /// This process's connections to the store.
    pub connections: crate::PoolStatus,
}

fn parse(s: Option<String>) -> Option<Timestamp> {
    s.and_then(|s| s.parse().ok())
}

impl Store {
    /// The counts operations watch; a handful of indexed or small-table queries.
    pub async fn ops_counts(&self) -> Result<OpsCounts> {
        let scalar = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql).fetch_one(&self.pool);
        let by_status =
            |sql: &'static str| sqlx::query_as::<_, (String, i64)>(sql).fetch_all(&self.pool);
        let (filings, last_filing): (i64, Option<String>) =
            sqlx::query_as("SELECT COUNT(*), MAX(ingested_at) FROM filings")
                .fetch_one(&self.pool)
                .await?;
        let (reports, last_report): (i64, Option<String>) =
            sqlx::query_as("SELECT COUNT(*), MAX(ingested_at) FROM thirteen_f_reports")
                .fetch_one(&self.pool)
                .await?;
        let generation = self.article_generation().await?;
        Ok(OpsCounts {
            filings,
            thirteen_f_reports: reports,
            last_ingest: parse(last_filing).max(parse(last_report)),
            feed_items: scalar("SELECT COUNT(*) FROM feed_items").await?,
            ingest_errors: scalar("SELECT COUNT(*) FROM ingest_errors").await?,
            articles: generation.count,
            last_article: parse(generation.last_updated),
            newsletter_mails: by_status(
                "SELECT status, COUNT(*) FROM newsletter_sends GROUP BY status ORDER BY status",
            )
            .await?,
            confirmation_mails: by_status(
                "SELECT status, COUNT(*) FROM newsletter_confirmations GROUP BY status ORDER BY status",
            )
            .await?,
            reply_mails: by_status(
                "SELECT status, COUNT(*) FROM comment_notifications GROUP BY status ORDER BY status",
            )
            .await?,
            subscribers: by_status("SELECT status, COUNT(*) FROM subscribers GROUP BY status ORDER BY status")
                .await?,
            connections: self.pool_status(),
        })
    }
}
