-- Daily price bars per ticker, as exported by quote services (not prices quoted in filings).
CREATE TABLE daily_bars (
    ticker TEXT COLLATE "C" NOT NULL,
    day    TEXT COLLATE "C" NOT NULL,
    open   DOUBLE PRECISION,
    high   DOUBLE PRECISION,
    low    DOUBLE PRECISION,
    close  DOUBLE PRECISION NOT NULL,
    volume BIGINT,
    -- Where the bar came from: a file path or a provider URL.
    source TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (ticker, day)
);
