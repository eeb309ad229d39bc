//! News feeds and their items: each item kept once (by GUID, else link), with the event it was
//! clustered into.

use std::collections::HashSet;

use jiff::Timestamp;
use serde::Serialize;
use sqlx::Row;

use crate::{Error, Result, Store, sql::Statement};

/// A feed as configured and last fetched.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FeedRecord {
    /// URL or path.
    pub location: String,
    /// Its name in the feeds file.
    pub name: Option<String>,
    /// Its category in the feeds file.
    pub category: Option<String>,
    /// ETag of the last 200.
    pub etag: Option<String>,
    /// Last-Modified of the last 200.
    pub last_modified: Option<String>,
    /// When it was last fetched (RFC 3339).
    pub last_fetched_at: Option<String>,
    /// "200", "304" or the error.
    pub last_status: Option<String>,
}

/// One kept item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedItemRecord {
    /// `guid:…`, `link:…` or `hash:…`.
    pub item_key: String,
    /// The feed it was first seen in.
    pub feed: String,
    /// Its GUID.
    pub guid: Option<String>,
    /// Its link.
    pub link: Option<String>,
    /// Its title.
    pub title: String,
    /// Publication time, UTC.
    pub published_at: Option<Timestamp>,
    /// The offset the feed wrote ("-04:00").
    pub published_offset: Option<String>,
    /// Plain-text summary.
    pub summary: String,
    /// Author.
    pub author: Option<String>,
    /// When marketdesk first saw it.
    pub first_seen_at: Timestamp,
    /// The event (cluster) it belongs to: the key of the event's first item.
    pub event: String,
    /// SimHash of its text.
    pub simhash: u64,
}

fn timestamp(column: &'static str, s: String) -> Result<Timestamp> {
    s.parse().map_err(|_| Error::Corrupt { table: "feed_items", column, value: s })
}

impl Store {
    /// Adds or updates a feed's name and category.
    pub async fn upsert_feed(
        &self,
        location: &str,
        name: Option<&str>,
        category: Option<&str>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO feeds (location, name, category) VALUES ($1, $2, $3) \
             ON CONFLICT (location) DO UPDATE SET \
                 name = COALESCE(excluded.name, feeds.name), \
                 category = COALESCE(excluded.category, feeds.category)",
        )
        .bind(location)
        .bind(name)
        .bind(category)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The feed at `location`.
    pub async fn feed(&self, location: &str) -> Result<Option<FeedRecord>> {
        let row = sqlx::query(
            "SELECT location, name, category, etag, last_modified, last_fetched_at, last_status \
             FROM feeds WHERE location = $1",
        )
        .bind(location)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(FeedRecord {
                location: r.try_get(0)?,
                name: r.try_get(1)?,
                category: r.try_get(2)?,
                etag: r.try_get(3)?,
                last_modified: r.try_get(4)?,
                last_fetched_at: r.try_get(5)?,
                last_status: r.try_get(6)?,
            })
        })
        .transpose()
    }

    /// Records a fetch: its status, and the validators when the feed sent new ones.
    pub async fn record_feed_fetch(
        &self,
        location: &str,
        status: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE feeds SET last_status = $2, last_fetched_at = $3, \
                 etag = COALESCE($4, etag), last_modified = COALESCE($5, last_modified) \
             WHERE location = $1",
        )
        .bind(location)
        .bind(status)
        .bind(now.to_string())
        .bind(etag)
        .bind(last_modified)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Which of `keys` and `links` are already stored: (keys present, links present).
    pub async fn known_feed_items(
        &self,
        keys: &[&str],
        links: &[&str],
    ) -> Result<(HashSet<String>, HashSet<String>)> {
        let mut known_keys = HashSet::new();
        for chunk in keys.chunks(500) {
            let mut q =
                Statement::new(self.backend, "SELECT item_key FROM feed_items WHERE item_key IN (");
            q.list(chunk.iter().copied()).push(")");
            for r in q.query()?.fetch_all(&self.pool).await? {
                known_keys.insert(r.try_get(0)?);
            }
        }
        let mut known_links = HashSet::new();
        for chunk in links.chunks(500) {
            let mut q = Statement::new(self.backend, "SELECT link FROM feed_items WHERE link IN (");
            q.list(chunk.iter().copied()).push(")");
            for r in q.query()?.fetch_all(&self.pool).await? {
                known_links.insert(r.try_get(0)?);
            }
        }
        Ok((known_keys, known_links))
    }

    /// Stores items not stored yet (by key), in one transaction; returns how many were new.
    pub async fn insert_feed_items(&self, items: &[FeedItemRecord]) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        let mut inserted = 0;
        for chunk in items.chunks(200) {
            let mut q = Statement::new(
                self.backend,
                "INSERT INTO feed_items (item_key, feed, guid, link, title, published_at, \
                 published_offset, summary, author, first_seen_at, event, simhash) ",
            );
            q.values(chunk, |b, i| {
                b.bind(&i.item_key)
                    .bind(&i.feed)
                    .bind(&i.guid)
                    .bind(&i.link)
                    .bind(&i.title)
                    .bind(i.published_at.map(|t| t.to_string()))
                    .bind(&i.published_offset)
                    .bind(&i.summary)
                    .bind(&i.author)
                    .bind(i.first_seen_at.to_string())
                    .bind(&i.event)
                    .bind(i.simhash as i64);
            });
            q.push(" ON CONFLICT (item_key) DO NOTHING");
            inserted += q.query()?.execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
        Ok(inserted)
    }

    /// Stored items, newest first (by publication, else first sight), of one feed when given.
    pub async fn feed_items(&self, feed: Option<&str>, limit: u32) -> Result<Vec<FeedItemRecord>> {
        let rows = sqlx::query(
            "SELECT item_key, feed, guid, link, title, published_at, published_offset, summary, \
                 author, first_seen_at, event, simhash FROM feed_items \
             WHERE ($1 IS NULL OR feed = $1) \
             ORDER BY COALESCE(published_at, first_seen_at) DESC, item_key LIMIT $2",
        )
        .bind(feed)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(item).collect()
    }

    /// The items of one event, oldest first.
    pub async fn event_items(&self, event: &str) -> Result<Vec<FeedItemRecord>> {
        let rows = sqlx::query(
            "SELECT item_key, feed, guid, link, title, published_at, published_offset, summary, \
                 author, first_seen_at, event, simhash FROM feed_items WHERE event = $1 \
             ORDER BY COALESCE(published_at, first_seen_at), item_key",
        )
        .bind(event)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(item).collect()
    }

    /// (item key, event, simhash) of items first seen at or after `since`, for rebuilding the
    /// clusterer's recent memory.
    pub async fn recent_item_hashes(&self, since: Timestamp) -> Result<Vec<(String, String, u64)>> {
        let rows = sqlx::query(
            "SELECT item_key, event, simhash FROM feed_items WHERE first_seen_at >= $1 \
             ORDER BY first_seen_at, item_key",
        )
        .bind(since.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                let h: i64 = r.try_get(2)?;
                Ok((r.try_get(0)?, r.try_get(1)?, h as u64))
            })
            .collect()
    }
}

fn item(r: sqlx::any::AnyRow) -> Result<FeedItemRecord> {
    let published: Option<String> = r.try_get(5)?;
    let simhash: i64 = r.try_get(11)?;
    Ok(FeedItemRecord {
        item_key: r.try_get(0)?,
        feed: r.try_get(1)?,
        guid: r.try_get(2)?,
        link: r.try_get(3)?,
        title: r.try_get(4)?,
        published_at: published.map(|p| timestamp("published_at", p)).transpose()?,
        published_offset: r.try_get(6)?,
        summary: r.try_get(7)?,
        author: r.try_get(8)?,
        first_seen_at: timestamp("first_seen_at", r.try_get(9)?)?,
        event: r.try_get(10)?,
        simhash: simhash as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(key: &str, link: &str, event: &str) -> FeedItemRecord {
        FeedItemRecord {
            item_key: key.into(),
            feed: "fixtures/feeds/a.xml".into(),
            guid: None,
            link: Some(link.into()),
            title: format!("title {key}"),
            published_at: "2026-08-01T12:00:00Z".parse().ok(),
            published_offset: Some("+00:00".into()),
            summary: String::new(),
            author: None,
            first_seen_at: "2026-08-02T00:00:00Z".parse().expect("ts"),
            event: event.into(),
            simhash: u64::MAX - 1,
        }
    }

    async fn items_are_kept_once_with_their_event(store: Store) {
        store.upsert_feed("fixtures/feeds/a.xml", Some("A"), None).await.expect("feed");
        let items =
            [record("link:x", "https://x", "link:x"), record("link:y", "https://y", "link:x")];
        assert_eq!(store.insert_feed_items(&items).await.expect("insert"), 2);
        assert_eq!(store.insert_feed_items(&items).await.expect("insert"), 0);
        let (keys, links) =
            store.known_feed_items(&["link:x", "link:z"], &["https://y"]).await.expect("known");
        assert!(keys.contains("link:x") && !keys.contains("link:z") && links.contains("https://y"));
        let event = store.event_items("link:x").await.expect("event");
        assert_eq!(event.len(), 2);
        assert_eq!(event[0].simhash, u64::MAX - 1);
        store
            .record_feed_fetch(
                "fixtures/feeds/a.xml",
                "200",
                Some("\"e1\""),
                None,
                Timestamp::UNIX_EPOCH,
            )
            .await
            .expect("fetch");
        store
            .record_feed_fetch("fixtures/feeds/a.xml", "304", None, None, Timestamp::UNIX_EPOCH)
            .await
            .expect("fetch");
        let feed = store.feed("fixtures/feeds/a.xml").await.expect("feed").expect("found");
        assert_eq!(
            (feed.etag.as_deref(), feed.last_status.as_deref()),
            (Some("\"e1\""), Some("304"))
        );
    }

    crate::on_every_backend!(items_are_kept_once_with_their_event);
}
