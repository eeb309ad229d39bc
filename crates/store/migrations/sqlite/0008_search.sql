-- Site search and the publish stage's lookups. search_index is SQLite FTS5 (the PostgreSQL
-- backend will use a tsvector column instead): one row per article, company and insider
-- (reporting owner at an issuer); `kind` and `key` say what a row is and where it links.
CREATE VIRTUAL TABLE search_index USING fts5(
    kind UNINDEXED,
    key UNINDEXED,
    title,
    body,
    tickers,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- The revision of each article the index holds, so a sync re-indexes only what changed.
CREATE TABLE search_articles (
    slug       TEXT PRIMARY KEY,
    updated_at TEXT NOT NULL
);

-- The sectors a news-event article's fact sheet names, for the sector pages.
CREATE TABLE article_sectors (
    slug   TEXT NOT NULL,
    sector TEXT NOT NULL,
    PRIMARY KEY (slug, sector)
);
CREATE INDEX article_sectors_by_sector ON article_sectors (sector);

-- The site's change check (count and newest updated_at) and per-agent lists.
CREATE INDEX articles_by_update ON articles (updated_at);
CREATE INDEX articles_by_persona ON articles (persona, published_at);
