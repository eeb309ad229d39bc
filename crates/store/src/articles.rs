//! Articles: one per persona and story, revised only when its facts change.

use jiff::Timestamp;
use sqlx::Row;

use crate::{Error, Result, Store};

/// An article as stored. `body` is the writer's JSON; the store does not read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleRecord {
    /// Its address.
    pub slug: String,
    /// The persona's slug.
    pub persona: String,
    /// What it is about (`insider:0001318605:2020-02-14`).
    pub story: String,
    /// The fact sheet's digest.
    pub digest: String,
    /// 1 for the first version.
    pub revision: u32,
    /// The headline.
    pub headline: String,
    /// First published.
    pub published_at: Timestamp,
    /// This revision written.
    pub updated_at: Timestamp,
    /// Tickers it covers.
    pub tickers: Vec<String>,
    /// The article JSON.
    pub body: String,
}

/// What saving did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// A new article.
    New,
    /// A new revision of an existing one.
    Revised,
}

fn timestamp(column: &'static str, s: String) -> Result<Timestamp> {
    s.parse().map_err(|_| Error::Corrupt { table: "articles", column, value: s })
}

/// The columns `record` reads, in its order (a macro so queries stay static strings).
macro_rules! columns {
    () => {
        "slug, persona, story, digest, revision, headline, published_at, updated_at, body"
    };
}

impl Store {
    /// The article a persona wrote about a story, if any.
    pub async fn article_for_story(
        &self,
        persona: &str,
        story: &str,
    ) -> Result<Option<ArticleRecord>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM articles WHERE persona = $1 AND story = $2"
        ))
        .bind(persona)
        .bind(story)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(Some(self.record(r).await?)),
            None => Ok(None),
        }
    }

    /// Whether `slug` is taken.
    pub async fn slug_taken(&self, slug: &str) -> Result<bool> {
        let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM articles WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?;
        Ok(found.is_some())
    }

    /// Stores a new article, or a new revision of the article with the same slug, with its
    /// revision history and tickers, in one transaction.
    pub async fn save_article(&self, a: &ArticleRecord) -> Result<Saved> {
        let mut tx = self.pool.begin().await?;
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT revision FROM articles WHERE slug = $1")
                .bind(&a.slug)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_some() {
            sqlx::query(
                "UPDATE articles SET digest = $2, revision = $3, headline = $4, updated_at = $5, \
                 body = $6 WHERE slug = $1",
            )
            .bind(&a.slug)
            .bind(&a.digest)
            .bind(i64::from(a.revision))
            .bind(&a.headline)
            .bind(a.updated_at.to_string())
            .bind(&a.body)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM article_tickers WHERE slug = $1")
                .bind(&a.slug)
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query(concat!(
                "INSERT INTO articles (",
                columns!(),
                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
            ))
            .bind(&a.slug)
            .bind(&a.persona)
            .bind(&a.story)
            .bind(&a.digest)
            .bind(i64::from(a.revision))
            .bind(&a.headline)
            .bind(a.published_at.to_string())
            .bind(a.updated_at.to_string())
            .bind(&a.body)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO article_revisions (slug, revision, digest, written_at, body) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&a.slug)
        .bind(i64::from(a.revision))
        .bind(&a.digest)
        .bind(a.updated_at.to_string())
        .bind(&a.body)
        .execute(&mut *tx)
        .await?;
        for t in &a.tickers {
            sqlx::query(
                "INSERT INTO article_tickers (slug, ticker) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(&a.slug)
            .bind(t)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(if exists.is_some() { Saved::Revised } else { Saved::New })
    }

    /// The article at `slug`.
    pub async fn article(&self, slug: &str) -> Result<Option<ArticleRecord>> {
        let row = sqlx::query(concat!("SELECT ", columns!(), " FROM articles WHERE slug = $1"))
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => Ok(Some(self.record(r).await?)),
            None => Ok(None),
        }
    }

    /// Articles, newest first, at most `limit`.
    pub async fn articles(&self, limit: u32) -> Result<Vec<ArticleRecord>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM articles ORDER BY published_at DESC, slug LIMIT $1"
        ))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(self.record(r).await?);
        }
        Ok(out)
    }

    /// Revision bodies of `slug`, oldest first: (revision, written at, body).
    pub async fn article_revisions(&self, slug: &str) -> Result<Vec<(u32, Timestamp, String)>> {
        let rows = sqlx::query(
            "SELECT revision, written_at, body FROM article_revisions WHERE slug = $1 \
             ORDER BY revision",
        )
        .bind(slug)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                let revision: i64 = r.try_get(0)?;
                Ok((
                    u32::try_from(revision).unwrap_or(0),
                    timestamp("written_at", r.try_get(1)?)?,
                    r.try_get(2)?,
                ))
            })
            .collect()
    }

    async fn record(&self, r: sqlx::any::AnyRow) -> Result<ArticleRecord> {
        let slug: String = r.try_get(0)?;
        let tickers: Vec<String> = sqlx::query_scalar(
            "SELECT ticker FROM article_tickers WHERE slug = $1 ORDER BY ticker",
        )
        .bind(&slug)
        .fetch_all(&self.pool)
        .await?;
        let revision: i64 = r.try_get(4)?;
        Ok(ArticleRecord {
            slug,
            persona: r.try_get(1)?,
            story: r.try_get(2)?,
            digest: r.try_get(3)?,
            revision: u32::try_from(revision).unwrap_or(0),
            headline: r.try_get(5)?,
            published_at: timestamp("published_at", r.try_get(6)?)?,
            updated_at: timestamp("updated_at", r.try_get(7)?)?,
            tickers,
            body: r.try_get(8)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(slug: &str, digest: &str, revision: u32) -> ArticleRecord {
        let t: Timestamp = "2025-03-14T16:51:00Z".parse().expect("ts");
        ArticleRecord {
            slug: slug.into(),
            persona: "insider-tracker".into(),
            story: "insider:1318605:2020-02-14".into(),
            digest: digest.into(),
            revision,
            headline: "Elon Musk buys $10.0 million of Tesla stock".into(),
            published_at: t,
            updated_at: t,
            tickers: vec!["TSLA".into()],
            body: "{}".into(),
        }
    }

    async fn articles_are_saved_once_and_revised_in_place(store: Store) {
        assert_eq!(store.save_article(&record("a", "d1", 1)).await.expect("save"), Saved::New);
        let found = store
            .article_for_story("insider-tracker", "insider:1318605:2020-02-14")
            .await
            .expect("query")
            .expect("found");
        assert_eq!(
            (found.digest.as_str(), found.tickers.as_slice()),
            ("d1", &["TSLA".to_owned()][..])
        );
        assert_eq!(store.save_article(&record("a", "d2", 2)).await.expect("save"), Saved::Revised);
        let found = store.article("a").await.expect("query").expect("found");
        assert_eq!((found.revision, found.digest.as_str()), (2, "d2"));
        assert_eq!(store.article_revisions("a").await.expect("revisions").len(), 2);
        assert!(store.slug_taken("a").await.expect("query"));
        assert_eq!(store.articles(10).await.expect("list").len(), 1);
    }

    crate::on_every_backend!(articles_are_saved_once_and_revised_in_place);
}
