//! What the publish stage reads besides single articles: article lists by agent, ticker and
//! sector, and a cheap generation mark that tells a page cache when articles changed.

use crate::{ArticleRecord, Result, Store};

/// How many articles there are and when the newest revision was written: when this changes,
/// pages that show articles are stale.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ArticleGeneration {
    /// Articles stored.
    pub count: i64,
    /// The newest `updated_at` (RFC 3339), if any.
    pub last_updated: Option<String>,
}

impl Store {
    /// The article generation: one indexed query.
    pub async fn article_generation(&self) -> Result<ArticleGeneration> {
        let (count, last_updated): (i64, Option<String>) =
            sqlx::query_as("SELECT COUNT(*), MAX(updated_at) FROM articles")
                .fetch_one(&self.pool)
                .await?;
        Ok(ArticleGeneration { count, last_updated })
    }

    async fn records(&self, slugs: Vec<String>) -> Result<Vec<ArticleRecord>> {
        let mut out = Vec::with_capacity(slugs.len());
        for slug in slugs {
            if let Some(a) = self.article(&slug).await? {
                out.push(a);
            }
        }
        Ok(out)
    }

    /// The articles of one persona (agent), newest first, at most `limit`.
    pub async fn articles_by_persona(
        &self,
        persona: &str,
        limit: u32,
    ) -> Result<Vec<ArticleRecord>> {
        let slugs = sqlx::query_scalar(
            "SELECT slug FROM articles WHERE persona = $1 \
             ORDER BY published_at DESC, slug LIMIT $2",
        )
        .bind(persona)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        self.records(slugs).await
    }

    /// The articles tagged with `ticker`, newest first, at most `limit`.
    pub async fn articles_by_ticker(&self, ticker: &str, limit: u32) -> Result<Vec<ArticleRecord>> {
        let slugs = sqlx::query_scalar(
            "SELECT a.slug FROM articles a JOIN article_tickers t ON t.slug = a.slug \
             WHERE t.ticker = $1 ORDER BY a.published_at DESC, a.slug LIMIT $2",
        )
        .bind(ticker)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        self.records(slugs).await
    }

    /// The articles whose news event moves `sector` (as indexed by
    /// [`Store::index_article_record`]), newest first, at most `limit`.
    pub async fn articles_in_sector(&self, sector: &str, limit: u32) -> Result<Vec<ArticleRecord>> {
        let slugs = sqlx::query_scalar(
            "SELECT a.slug FROM articles a JOIN article_sectors s ON s.slug = a.slug \
             WHERE s.sector = $1 ORDER BY a.published_at DESC, a.slug LIMIT $2",
        )
        .bind(sector)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        self.records(slugs).await
    }

    /// Every sector some article covers, with its article count, by name.
    pub async fn article_sector_counts(&self) -> Result<Vec<(String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT sector, COUNT(*) FROM article_sectors GROUP BY sector ORDER BY sector",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Every ticker some article is tagged with, by ticker (for the sitemap).
    pub async fn article_ticker_list(&self) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT DISTINCT ticker FROM article_tickers ORDER BY ticker")
            .fetch_all(&self.pool)
            .await?)
    }
}
