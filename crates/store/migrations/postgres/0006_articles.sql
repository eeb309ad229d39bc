-- Published articles. The body is the writer's JSON (sections, links, fact sheet, sources); the
-- columns beside it are what lists, pages and feeds select and sort on.
CREATE TABLE articles (
    slug         TEXT COLLATE "C" PRIMARY KEY,
    persona      TEXT COLLATE "C" NOT NULL,
    -- What the article is about for one persona: one article per story ("insider:CIK:DAY").
    story        TEXT COLLATE "C" NOT NULL,
    -- A digest of the fact sheet: a new revision only when it changes.
    digest       TEXT COLLATE "C" NOT NULL,
    revision     BIGINT NOT NULL,
    headline     TEXT COLLATE "C" NOT NULL,
    published_at TEXT COLLATE "C" NOT NULL,
    updated_at   TEXT COLLATE "C" NOT NULL,
    body         TEXT COLLATE "C" NOT NULL,
    UNIQUE (persona, story)
);
CREATE INDEX articles_by_time ON articles (published_at);

-- Every revision ever published, the current one included.
CREATE TABLE article_revisions (
    slug       TEXT COLLATE "C" NOT NULL REFERENCES articles (slug),
    revision   BIGINT NOT NULL,
    digest     TEXT COLLATE "C" NOT NULL,
    written_at TEXT COLLATE "C" NOT NULL,
    body       TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (slug, revision)
);

CREATE TABLE article_tickers (
    slug   TEXT COLLATE "C" NOT NULL REFERENCES articles (slug),
    ticker TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (slug, ticker)
);
CREATE INDEX article_tickers_by_ticker ON article_tickers (ticker);
