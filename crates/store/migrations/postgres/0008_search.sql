-- Site search and the publish stage's lookups. search_index holds one row per article, company
-- and insider (reporting owner at an issuer); `kind` and `key` say what a row is and where it
-- links. Where SQLite keeps an FTS5 table, PostgreSQL keeps a generated, weighted tsvector under
-- a GIN index: tickers weigh most, then the title, then the body (as SQLite's bm25 weights).
-- The 'simple' configuration lowercases without stemming, as FTS5's unicode61 tokenizer does.
CREATE TABLE search_index (
    kind     TEXT COLLATE "C" NOT NULL,
    key      TEXT COLLATE "C" NOT NULL,
    title    TEXT COLLATE "C",
    body     TEXT COLLATE "C",
    tickers  TEXT COLLATE "C",
    document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', COALESCE(tickers, '')), 'A') ||
        setweight(to_tsvector('simple', COALESCE(title, '')), 'B') ||
        setweight(to_tsvector('simple', COALESCE(body, '')), 'D')
    ) STORED
);
CREATE INDEX search_index_document ON search_index USING GIN (document);
CREATE INDEX search_index_by_key ON search_index (kind, key);

-- The revision of each article the index holds, so a sync re-indexes only what changed.
CREATE TABLE search_articles (
    slug       TEXT COLLATE "C" PRIMARY KEY,
    updated_at TEXT COLLATE "C" NOT NULL
);

-- The sectors a news-event article's fact sheet names, for the sector pages.
CREATE TABLE article_sectors (
    slug   TEXT COLLATE "C" NOT NULL,
    sector TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (slug, sector)
);
CREATE INDEX article_sectors_by_sector ON article_sectors (sector);

-- The site's change check (count and newest updated_at) and per-agent lists.
CREATE INDEX articles_by_update ON articles (updated_at);
CREATE INDEX articles_by_persona ON articles (persona, published_at);
