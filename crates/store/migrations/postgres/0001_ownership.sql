-- Insider filings (Forms 3, 4, 5), as filed. Dates are ISO text, timestamps RFC 3339 text, so the
-- same statements read the same on PostgreSQL.

CREATE TABLE filings (
    accession                   TEXT COLLATE "C" PRIMARY KEY,
    form_type                   TEXT COLLATE "C" NOT NULL,
    schema_version              TEXT COLLATE "C",
    issuer_cik                  TEXT COLLATE "C" NOT NULL,
    issuer_name                 TEXT COLLATE "C",
    issuer_ticker               TEXT COLLATE "C",
    period_of_report            TEXT COLLATE "C",
    date_of_original_submission TEXT COLLATE "C",
    filed_date                  TEXT COLLATE "C",
    accepted_at                 TEXT COLLATE "C",
    not_subject_to_section16    BOOLEAN,
    no_securities_owned         BOOLEAN,
    form3_holdings_reported     BOOLEAN,
    form4_transactions_reported BOOLEAN,
    aff10b5one                  BOOLEAN,
    remarks                     TEXT COLLATE "C",
    primary_owner_cik           TEXT COLLATE "C",
    -- The amendment that replaces this filing, when one has been ingested.
    superseded_by               TEXT COLLATE "C",
    source                      TEXT COLLATE "C" NOT NULL,
    ingested_at                 TEXT COLLATE "C" NOT NULL
);
CREATE INDEX filings_issuer_period ON filings (issuer_cik, period_of_report);
CREATE INDEX filings_owner ON filings (primary_owner_cik, issuer_cik);

CREATE TABLE reporting_owners (
    accession            TEXT COLLATE "C" NOT NULL REFERENCES filings (accession) ON DELETE CASCADE,
    position             BIGINT NOT NULL,
    owner_cik            TEXT COLLATE "C" NOT NULL,
    name                 TEXT COLLATE "C",
    is_director          BOOLEAN NOT NULL,
    is_officer           BOOLEAN NOT NULL,
    is_ten_percent_owner BOOLEAN NOT NULL,
    is_other             BOOLEAN NOT NULL,
    officer_title        TEXT COLLATE "C",
    other_text           TEXT COLLATE "C",
    PRIMARY KEY (accession, position)
);
CREATE INDEX reporting_owners_cik ON reporting_owners (owner_cik);

CREATE TABLE transactions (
    accession                    TEXT COLLATE "C" NOT NULL REFERENCES filings (accession) ON DELETE CASCADE,
    is_derivative                BOOLEAN NOT NULL,
    position                     BIGINT NOT NULL,
    issuer_cik                   TEXT COLLATE "C" NOT NULL,
    security_title               TEXT COLLATE "C",
    transaction_date             TEXT COLLATE "C",
    deemed_execution_date        TEXT COLLATE "C",
    transaction_form_type        TEXT COLLATE "C",
    transaction_code             TEXT COLLATE "C",
    equity_swap_involved         BOOLEAN,
    transaction_timeliness       TEXT COLLATE "C",
    shares                       DOUBLE PRECISION,
    total_value                  DOUBLE PRECISION,
    price_per_share              DOUBLE PRECISION,
    price_source                 TEXT COLLATE "C",
    price_range_low              DOUBLE PRECISION,
    price_range_high             DOUBLE PRECISION,
    acquired_disposed            TEXT COLLATE "C",
    shares_owned_following       DOUBLE PRECISION,
    value_owned_following        DOUBLE PRECISION,
    direct_or_indirect           TEXT COLLATE "C",
    nature_of_ownership          TEXT COLLATE "C",
    conversion_or_exercise_price DOUBLE PRECISION,
    exercise_date                TEXT COLLATE "C",
    expiration_date              TEXT COLLATE "C",
    underlying_security_title    TEXT COLLATE "C",
    underlying_security_shares   DOUBLE PRECISION,
    underlying_security_value    DOUBLE PRECISION,
    footnote_cites_10b5_1        BOOLEAN NOT NULL,
    -- JSON object: field name -> footnote ids.
    footnotes_by_field           TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (accession, is_derivative, position)
);
CREATE INDEX transactions_issuer_date ON transactions (issuer_cik, transaction_date);

CREATE TABLE holdings (
    accession                    TEXT COLLATE "C" NOT NULL REFERENCES filings (accession) ON DELETE CASCADE,
    is_derivative                BOOLEAN NOT NULL,
    position                     BIGINT NOT NULL,
    security_title               TEXT COLLATE "C",
    transaction_form_type        TEXT COLLATE "C",
    shares_owned_following       DOUBLE PRECISION,
    value_owned_following        DOUBLE PRECISION,
    direct_or_indirect           TEXT COLLATE "C",
    nature_of_ownership          TEXT COLLATE "C",
    conversion_or_exercise_price DOUBLE PRECISION,
    exercise_date                TEXT COLLATE "C",
    expiration_date              TEXT COLLATE "C",
    underlying_security_title    TEXT COLLATE "C",
    underlying_security_shares   DOUBLE PRECISION,
    underlying_security_value    DOUBLE PRECISION,
    footnotes_by_field           TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (accession, is_derivative, position)
);

CREATE TABLE footnotes (
    accession   TEXT COLLATE "C" NOT NULL REFERENCES filings (accession) ON DELETE CASCADE,
    position    BIGINT NOT NULL,
    footnote_id TEXT COLLATE "C" NOT NULL,
    text        TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (accession, position)
);

CREATE TABLE signatures (
    accession      TEXT COLLATE "C" NOT NULL REFERENCES filings (accession) ON DELETE CASCADE,
    position       BIGINT NOT NULL,
    name           TEXT COLLATE "C",
    signature_date TEXT COLLATE "C",
    PRIMARY KEY (accession, position)
);

-- Inputs that failed, one row per source (file, archive entry or URL); a later success clears it.
CREATE TABLE ingest_errors (
    source     TEXT COLLATE "C" PRIMARY KEY,
    accession  TEXT COLLATE "C",
    reason     TEXT COLLATE "C" NOT NULL,
    attempts   BIGINT NOT NULL,
    first_seen TEXT COLLATE "C" NOT NULL,
    last_seen  TEXT COLLATE "C" NOT NULL
);

-- Daily EDGAR indexes fully walked by `ingest edgar --from-edgar`, so a rerun resumes after them.
CREATE TABLE edgar_index_days (
    day          TEXT COLLATE "C" PRIMARY KEY,
    filings      BIGINT NOT NULL,
    completed_at TEXT COLLATE "C" NOT NULL
);
