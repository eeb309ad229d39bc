//! Site search: one full-text index over articles (headline, dek, body, names, tickers),
//! companies (name, every symbol) and insiders (reporting owners, with the issuers they file
//! for), kept current as articles are saved.
//!
//! The one module whose SQL differs by backend: on SQLite the index is an FTS5 table (compiled
//! into the bundled SQLite), on PostgreSQL a generated, weighted `tsvector` under a GIN index.
//! Readers never write query syntax: [`Store::search`] turns the words a reader typed into a
//! prefix query for either.

use serde_json::Value;
use sqlx::Row;

use crate::{ArticleRecord, Backend, Result, Store};

/// Serialises the index's writers: each deletes a key's rows, then inserts them anew, so two at
/// once (a node's change check indexing the article its writer is indexing) would both insert.
const SEARCH_LOCK: i64 = 0x6d64_7365_6172;

/// What a search hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SearchKind {
    /// An article: `key` is its slug.
    Article,
    /// A listed company: `key` is its CIK, `tickers` its symbols (main first).
    Company,
    /// An insider (a reporting owner) at one issuer: `key` is the owner's CIK, `tickers` the
    /// issuer's ticker when known.
    Insider,
}

impl SearchKind {
    fn as_str(self) -> &'static str {
        match self {
            SearchKind::Article => "article",
            SearchKind::Company => "company",
            SearchKind::Insider => "insider",
        }
    }
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    /// What it is.
    pub kind: SearchKind,
    /// Slug or CIK (see [`SearchKind`]).
    pub key: String,
    /// Headline, company name or insider name.
    pub title: String,
    /// A few words of the body around the match; the matched words are wrapped in
    /// [`MATCH_START`] and [`MATCH_END`] (plain text otherwise: escape it before showing).
    pub snippet: String,
    /// Tickers, main first.
    pub tickers: Vec<String>,
}

/// Marks the start of a matched word in [`SearchHit::snippet`] (a private-use character).
pub const MATCH_START: char = '\u{E000}';
/// Marks the end of a matched word in [`SearchHit::snippet`].
pub const MATCH_END: char = '\u{E001}';

/// What a full rebuild indexed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SearchCounts {
    /// Articles.
    pub articles: u64,
    /// Companies.
    pub companies: u64,
    /// Insider and issuer pairs.
    pub insiders: u64,
}

/// The words (letters and digits) a reader typed, at most eight; nothing else of the input
/// reaches the query, so no search syntax can be injected.
fn query_words(input: &str) -> Vec<&str> {
    input.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(8).collect()
}

/// The words as an FTS5 query: each quoted, as a prefix, all required.
fn fts_query(words: &[&str]) -> String {
    words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" ")
}

/// The words as a PostgreSQL `tsquery`: each quoted, as a prefix, all required.
fn tsquery(words: &[&str]) -> String {
    words.iter().map(|w| format!("'{w}':*")).collect::<Vec<_>>().join(" & ")
}

/// The text of an article body (the writer's JSON, as `marketdesk show --json` documents it)
/// that search reads: dek, section headings and paragraphs, and the names on its fact sheet.
fn article_text(body: &Value) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if let Some(dek) = body.get("dek").and_then(Value::as_str) {
        parts.push(dek);
    }
    for s in body.get("sections").and_then(Value::as_array).into_iter().flatten() {
        if let Some(h) = s.get("heading").and_then(Value::as_str) {
            parts.push(h);
        }
        for p in s.get("paragraphs").and_then(Value::as_array).into_iter().flatten() {
            if let Some(p) = p.as_str() {
                parts.push(p);
            }
        }
    }
    let entities = body.pointer("/fact_sheet/entities").and_then(Value::as_array);
    for e in entities.into_iter().flatten() {
        for key in ["display", "name"] {
            if let Some(n) = e.get(key).and_then(Value::as_str) {
                parts.push(n);
            }
        }
    }
    parts.join("\n")
}

/// The sectors a news-event article's fact sheet names.
fn article_sectors(body: &Value) -> Vec<String> {
    let sectors = body.pointer("/fact_sheet/event/sectors").and_then(Value::as_array);
    let mut out: Vec<String> = sectors
        .into_iter()
        .flatten()
        .filter_map(|s| s.get("sector").and_then(Value::as_str))
        .map(str::to_owned)
        .collect();
    out.sort();
    out.dedup();
    out
}

impl Store {
    /// Indexes a saved article: its headline, dek, body and fact-sheet names, its tickers, and
    /// the sectors of a news event (for the sector pages). Call it after
    /// [`Store::save_article`]; [`Store::sync_search`] catches up on any article saved without
    /// it.
    pub async fn index_article_record(&self, a: &ArticleRecord) -> Result<()> {
        let body: Value = serde_json::from_str(&a.body).unwrap_or(Value::Null);
        let text = article_text(&body);
        let sectors = article_sectors(&body);
        let mut tx = self.begin_serialized(SEARCH_LOCK).await?;
        sqlx::query("DELETE FROM search_index WHERE kind = 'article' AND key = $1")
            .bind(&a.slug)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO search_index (kind, key, title, body, tickers) \
             VALUES ('article', $1, $2, $3, $4)",
        )
        .bind(&a.slug)
        .bind(&a.headline)
        .bind(&text)
        .bind(a.tickers.join(" "))
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM article_sectors WHERE slug = $1")
            .bind(&a.slug)
            .execute(&mut *tx)
            .await?;
        for s in &sectors {
            sqlx::query(
                "INSERT INTO article_sectors (slug, sector) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(&a.slug)
            .bind(s)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO search_articles (slug, updated_at) VALUES ($1, $2) \
             ON CONFLICT (slug) DO UPDATE SET updated_at = excluded.updated_at",
        )
        .bind(&a.slug)
        .bind(a.updated_at.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Indexes every article that is new or revised since it was last indexed (another process
    /// may have written it); returns how many.
    pub async fn sync_search(&self) -> Result<u64> {
        let stale: Vec<String> = sqlx::query_scalar(
            "SELECT a.slug FROM articles a LEFT JOIN search_articles s ON s.slug = a.slug \
             WHERE s.slug IS NULL OR s.updated_at <> a.updated_at ORDER BY a.slug",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut n = 0;
        for slug in stale {
            if let Some(a) = self.article(&slug).await? {
                self.index_article_record(&a).await?;
                n += 1;
            }
        }
        Ok(n)
    }

    /// Rebuilds the whole index: companies of the reference list, insiders of the filings in
    /// force, and every article.
    pub async fn rebuild_search(&self) -> Result<SearchCounts> {
        let mut tx = self.begin_serialized(SEARCH_LOCK).await?;
        sqlx::query("DELETE FROM search_index").execute(&mut *tx).await?;
        sqlx::query("DELETE FROM search_articles").execute(&mut *tx).await?;
        sqlx::query("DELETE FROM article_sectors").execute(&mut *tx).await?;
        // Companies: the name, and every symbol with the main one first.
        let companies = sqlx::query(
            "INSERT INTO search_index (kind, key, title, body, tickers) \
             SELECT 'company', c.cik, c.name, \
                    COALESCE((SELECT string_agg(s.exchange, ' ') FROM securities s \
                              WHERE s.cik = c.cik), ''), \
                    TRIM(COALESCE(c.main_ticker, '') || ' ' || \
                         COALESCE((SELECT string_agg(s.ticker, ' ') FROM securities s \
                                   WHERE s.cik = c.cik \
                                     AND s.ticker <> COALESCE(c.main_ticker, '')), '')) \
             FROM companies c WHERE EXISTS (SELECT 1 FROM securities s WHERE s.cik = c.cik)",
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        // Insiders: one row per owner and issuer, with the issuer's listed ticker.
        let insiders = sqlx::query(
            "INSERT INTO search_index (kind, key, title, body, tickers) \
             SELECT 'insider', o.owner_cik, MAX(o.name), \
                    COALESCE(MAX(c.name), MAX(f.issuer_name), '') || ' ' || \
                    COALESCE(MAX(o.officer_title), ''), \
                    COALESCE(MAX(c.main_ticker), MAX(f.issuer_ticker), '') \
             FROM reporting_owners o JOIN filings f ON f.accession = o.accession \
             LEFT JOIN companies c ON c.cik = f.issuer_cik \
             WHERE f.superseded_by IS NULL AND o.name IS NOT NULL \
             GROUP BY o.owner_cik, f.issuer_cik",
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        let articles = self.sync_search().await?;
        Ok(SearchCounts { articles, companies, insiders })
    }

    /// Hits of one kind for the words a reader typed (each word a prefix, all required), best
    /// first, at most `limit`.
    pub async fn search(
        &self,
        query: &str,
        kind: SearchKind,
        limit: u32,
    ) -> Result<Vec<SearchHit>> {
        let words = query_words(query);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let (sql, terms) = match self.backend {
            Backend::Sqlite => (
                "SELECT key, title, \
                        snippet(search_index, 3, char(57344), char(57345), '…', 16), tickers \
                 FROM search_index WHERE search_index MATCH $1 AND kind = $2 \
                 ORDER BY bm25(search_index, 0.0, 0.0, 10.0, 1.0, 20.0), key LIMIT $3",
                fts_query(&words),
            ),
            // The snippet is cut from the few best rows only: ts_headline reparses the body.
            // It marks any of the words (the match needs all of them, but some may be only in
            // the title or tickers), as FTS5's snippet does.
            Backend::Postgres => (
                "SELECT key, title, ts_headline('simple', COALESCE(body, ''), \
                        to_tsquery('simple', replace($1, ' & ', ' | ')), \
                        'StartSel=\u{E000}, StopSel=\u{E001}, MaxWords=16, MinWords=6, \
                         ShortWord=1, MaxFragments=1, FragmentDelimiter=…'), \
                        COALESCE(tickers, '') \
                 FROM (SELECT key, title, body, tickers, q, \
                              ts_rank('{0.1, 0.2, 0.5, 1.0}', document, q) AS rank \
                       FROM search_index, to_tsquery('simple', $1) AS q \
                       WHERE document @@ q AND kind = $2 \
                       ORDER BY rank DESC, key LIMIT $3) AS best \
                 ORDER BY rank DESC, key",
                tsquery(&words),
            ),
        };
        let rows = sqlx::query(sql)
            .bind(&terms)
            .bind(kind.as_str())
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let tickers: String = r.try_get(3)?;
                Ok(SearchHit {
                    kind,
                    key: r.try_get(0)?,
                    title: r.try_get(1)?,
                    snippet: r.try_get(2)?,
                    tickers: tickers.split_whitespace().map(str::to_owned).collect(),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    fn record(slug: &str, headline: &str, tickers: &[&str], body: &str) -> ArticleRecord {
        let t: Timestamp = "2025-03-14T16:51:00Z".parse().expect("ts");
        ArticleRecord {
            slug: slug.into(),
            persona: "insider-tracker".into(),
            story: format!("insider:{slug}"),
            digest: "d".into(),
            revision: 1,
            headline: headline.into(),
            published_at: t,
            updated_at: t,
            tickers: tickers.iter().map(|t| (*t).to_owned()).collect(),
            body: body.into(),
        }
    }

    #[test]
    fn reader_words_become_a_safe_prefix_query() {
        assert_eq!(fts_query(&query_words("tsla")), "\"tsla\"*");
        let words = query_words("Musk \"OR\" NEAR(x");
        assert_eq!(fts_query(&words), "\"Musk\"* \"OR\"* \"NEAR\"* \"x\"*");
        assert_eq!(tsquery(&words), "'Musk':* & 'OR':* & 'NEAR':* & 'x':*");
        assert_eq!(query_words(" -*\"() "), Vec::<&str>::new());
    }

    async fn articles_are_found_by_ticker_words_and_sector(store: Store) {
        let body = r#"{"dek": "A big purchase.", "sections": [{"heading": "What happened",
            "paragraphs": ["Elon Musk bought shares of Tesla."]}],
            "fact_sheet": {"entities": [{"display": "Tesla, Inc.", "name": "TESLA INC"}],
                           "event": {"sectors": [{"sector": "Defense/Aerospace"}]}}}"#;
        let a = record("musk-buys", "Musk buys $10 million", &["TSLA"], body);
        store.save_article(&a).await.expect("save");
        store.save_article(&record("other", "Nothing here", &["AAPL"], "{}")).await.expect("save");
        // Saved without the hook: the sync catches up, once.
        assert_eq!(store.sync_search().await.expect("sync"), 2);
        assert_eq!(store.sync_search().await.expect("sync"), 0);
        let hits = store.search("tsla", SearchKind::Article, 10).await.expect("search");
        assert_eq!(hits.iter().map(|h| h.key.as_str()).collect::<Vec<_>>(), ["musk-buys"]);
        assert_eq!(hits[0].tickers, ["TSLA"]);
        let hits = store.search("bought", SearchKind::Article, 10).await.expect("search");
        assert!(hits[0].snippet.contains("\u{E000}bought\u{E001}"), "{:?}", hits[0].snippet);
        // A word found only in the tickers still finds the article; the body's word is marked.
        let hits = store.search("tsla bought", SearchKind::Article, 10).await.expect("search");
        assert_eq!(hits.iter().map(|h| h.key.as_str()).collect::<Vec<_>>(), ["musk-buys"]);
        assert!(hits[0].snippet.contains("\u{E000}bought\u{E001}"), "{:?}", hits[0].snippet);
        assert_eq!(store.search("\"", SearchKind::Article, 10).await.expect("search"), []);
        let sectors = store.articles_in_sector("Defense/Aerospace", 10).await.expect("sector");
        assert_eq!(sectors.len(), 1);
        let counts = store.rebuild_search().await.expect("rebuild");
        assert_eq!(counts.articles, 2);
        assert_eq!(store.search("musk", SearchKind::Article, 10).await.expect("s").len(), 1);
    }

    crate::on_every_backend!(articles_are_found_by_ticker_words_and_sector);
}
