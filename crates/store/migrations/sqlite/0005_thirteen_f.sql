-- 13F reports (13F-HR, 13F-NT and amendments) and their positions, as filed.
CREATE TABLE thirteen_f_reports (
    accession      TEXT PRIMARY KEY,
    form_type      TEXT,
    manager_cik    TEXT,
    manager_name   TEXT,
    report_period  TEXT,
    filed_date     TEXT,
    is_amendment   BOOLEAN,
    amendment_type TEXT,
    -- The cover page as JSON (every field of the report except its positions).
    cover          TEXT NOT NULL,
    source         TEXT NOT NULL,
    ingested_at    TEXT NOT NULL
);
CREATE INDEX thirteen_f_reports_manager ON thirteen_f_reports (manager_cik, report_period);

CREATE TABLE thirteen_f_positions (
    accession             TEXT NOT NULL REFERENCES thirteen_f_reports (accession) ON DELETE CASCADE,
    position              INTEGER NOT NULL,
    cusip                 TEXT,
    name_of_issuer        TEXT,
    title_of_class        TEXT,
    value_usd             BIGINT,
    shares_or_principal   DOUBLE PRECISION,
    share_type            TEXT,
    put_call              TEXT,
    -- The position as JSON, so that it reads back whole.
    document              TEXT NOT NULL,
    PRIMARY KEY (accession, position)
);
CREATE INDEX thirteen_f_positions_cusip ON thirteen_f_positions (cusip);
