-- Insider filings (Forms 3, 4, 5), as filed. Dates are ISO text, timestamps RFC 3339 text, so the
-- same statements read the same on PostgreSQL.

CREATE TABLE filings (
    accession                   TEXT PRIMARY KEY,
    form_type                   TEXT NOT NULL,
    schema_version              TEXT,
    issuer_cik                  TEXT NOT NULL,
    issuer_name                 TEXT,
    issuer_ticker               TEXT,
    period_of_report            TEXT,
    date_of_original_submission TEXT,
    filed_date                  TEXT,
    accepted_at                 TEXT,
    not_subject_to_section16    BOOLEAN,
    no_securities_owned         BOOLEAN,
    form3_holdings_reported     BOOLEAN,
    form4_transactions_reported BOOLEAN,
    aff10b5one                  BOOLEAN,
    remarks                     TEXT,
    primary_owner_cik           TEXT,
    -- The amendment that replaces this filing, when one has been ingested.
    superseded_by               TEXT,
    source                      TEXT NOT NULL,
    ingested_at                 TEXT NOT NULL
);
CREATE INDEX filings_issuer_period ON filings (issuer_cik, period_of_report);
CREATE INDEX filings_owner ON filings (primary_owner_cik, issuer_cik);

CREATE TABLE reporting_owners (
    accession            TEXT NOT NULL REFERENCES filings (accession) ON DELETE CASCADE,
    position             INTEGER NOT NULL,
    owner_cik            TEXT NOT NULL,
    name                 TEXT,
    is_director          BOOLEAN NOT NULL,
    is_officer           BOOLEAN NOT NULL,
    is_ten_percent_owner BOOLEAN NOT NULL,
    is_other             BOOLEAN NOT NULL,
    officer_title        TEXT,
    other_text           TEXT,
    PRIMARY KEY (accession, position)
);
CREATE INDEX reporting_owners_cik ON reporting_owners (owner_cik);

CREATE TABLE transactions (
    accession                    TEXT NOT NULL REFERENCES filings (accession) ON DELETE CASCADE,
    is_derivative                BOOLEAN NOT NULL,
    position                     INTEGER NOT NULL,
    issuer_cik                   TEXT NOT NULL,
    security_title               TEXT,
    transaction_date             TEXT,
    deemed_execution_date        TEXT,
    transaction_form_type        TEXT,
    transaction_code             TEXT,
    equity_swap_involved         BOOLEAN,
    transaction_timeliness       TEXT,
    shares                       DOUBLE PRECISION,
    total_value                  DOUBLE PRECISION,
    price_per_share              DOUBLE PRECISION,
    price_source                 TEXT,
    price_range_low              DOUBLE PRECISION,
    price_range_high             DOUBLE PRECISION,
    acquired_disposed            TEXT,
    shares_owned_following       DOUBLE PRECISION,
    value_owned_following        DOUBLE PRECISION,
    direct_or_indirect           TEXT,
    nature_of_ownership          TEXT,
    conversion_or_exercise_price DOUBLE PRECISION,
    exercise_date                TEXT,
    expiration_date              TEXT,
    underlying_security_title    TEXT,
    underlying_security_shares   DOUBLE PRECISION,
    underlying_security_value    DOUBLE PRECISION,
    footnote_cites_10b5_1        BOOLEAN NOT NULL,
    -- JSON object: field name -> footnote ids.
    footnotes_by_field           TEXT NOT NULL,
    PRIMARY KEY (accession, is_derivative, position)
);
CREATE INDEX transactions_issuer_date ON transactions (issuer_cik, transaction_date);

CREATE TABLE holdings (
    accession                    TEXT NOT NULL REFERENCES filings (accession) ON DELETE CASCADE,
    is_derivative                BOOLEAN NOT NULL,
    position                     INTEGER NOT NULL,
    security_title               TEXT,
    transaction_form_type        TEXT,
    shares_owned_following       DOUBLE PRECISION,
    value_owned_following        DOUBLE PRECISION,
    direct_or_indirect           TEXT,
    nature_of_ownership          TEXT,
    conversion_or_exercise_price DOUBLE PRECISION,
    exercise_date                TEXT,
    expiration_date              TEXT,
    underlying_security_title    TEXT,
    underlying_security_shares   DOUBLE PRECISION,
    underlying_security_value    DOUBLE PRECISION,
    footnotes_by_field           TEXT NOT NULL,
    PRIMARY KEY (accession, is_derivative, position)
);

CREATE TABLE footnotes (
    accession   TEXT NOT NULL REFERENCES filings (accession) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    footnote_id TEXT NOT NULL,
    text        TEXT NOT NULL,
    PRIMARY KEY (accession, position)
);

CREATE TABLE signatures (
    accession      TEXT NOT NULL REFERENCES filings (accession) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    name           TEXT,
    signature_date TEXT,
    PRIMARY KEY (accession, position)
);

-- Inputs that failed, one row per source (file, archive entry or URL); a later success clears it.
CREATE TABLE ingest_errors (
    source     TEXT PRIMARY KEY,
    accession  TEXT,
    reason     TEXT NOT NULL,
    attempts   INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL
);

-- Daily EDGAR indexes fully walked by `ingest edgar --from-edgar`, so a rerun resumes after them.
CREATE TABLE edgar_index_days (
    day          TEXT PRIMARY KEY,
    filings      INTEGER NOT NULL,
    completed_at TEXT NOT NULL
);
