-- Published articles. The body is the writer's JSON (sections, links, fact sheet, sources); the
-- columns beside it are what lists, pages and feeds select and sort on.
CREATE TABLE articles (
    slug         TEXT PRIMARY KEY,
    persona      TEXT NOT NULL,
    -- What the article is about for one persona: one article per story ("insider:CIK:DAY").
    story        TEXT NOT NULL,
    -- A digest of the fact sheet: a new revision only when it changes.
    digest       TEXT NOT NULL,
    revision     INTEGER NOT NULL,
    headline     TEXT NOT NULL,
    published_at TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    body         TEXT NOT NULL,
    UNIQUE (persona, story)
);
CREATE INDEX articles_by_time ON articles (published_at);

-- Every revision ever published, the current one included.
CREATE TABLE article_revisions (
    slug       TEXT NOT NULL REFERENCES articles (slug),
    revision   INTEGER NOT NULL,
    digest     TEXT NOT NULL,
    written_at TEXT NOT NULL,
    body       TEXT NOT NULL,
    PRIMARY KEY (slug, revision)
);

CREATE TABLE article_tickers (
    slug   TEXT NOT NULL REFERENCES articles (slug),
    ticker TEXT NOT NULL,
    PRIMARY KEY (slug, ticker)
);
CREATE INDEX article_tickers_by_ticker ON article_tickers (ticker);
