-- The company reference list (SEC company_tickers_exchange): one row per CIK, and every symbol
-- of it with its exchange and kind (common, class, unit, warrant, right, preferred, ...).
CREATE TABLE companies (
    cik                     TEXT PRIMARY KEY,
    name                    TEXT NOT NULL,
    -- The first NYSE/Nasdaq/Cboe symbol; NULL when OTC-only or unlisted.
    main_ticker             TEXT,
    -- Position in the SEC's market-cap ordered list, 0 = largest.
    size_rank               INTEGER,
    exchange_traded_product BOOLEAN NOT NULL
);
CREATE INDEX companies_main_ticker ON companies (main_ticker);

CREATE TABLE securities (
    ticker   TEXT NOT NULL,
    cik      TEXT NOT NULL REFERENCES companies (cik) ON DELETE CASCADE,
    exchange TEXT NOT NULL,
    kind     TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (ticker, cik)
);
CREATE INDEX securities_cik ON securities (cik);

-- Where the loaded reference list came from, and when; with the SEC documents themselves
-- (company_tickers_exchange.json and the size-ordered company_tickers.json), from which the
-- linker is built.
CREATE TABLE reference_loads (
    id            INTEGER PRIMARY KEY,
    source        TEXT NOT NULL,
    companies     INTEGER NOT NULL,
    loaded_at     TEXT NOT NULL,
    exchange_list BLOB NOT NULL,
    size_order    BLOB
);
