-- 13F reports (13F-HR, 13F-NT and amendments) and their positions, as filed.
CREATE TABLE thirteen_f_reports (
    accession      TEXT COLLATE "C" PRIMARY KEY,
    form_type      TEXT COLLATE "C",
    manager_cik    TEXT COLLATE "C",
    manager_name   TEXT COLLATE "C",
    report_period  TEXT COLLATE "C",
    filed_date     TEXT COLLATE "C",
    is_amendment   BOOLEAN,
    amendment_type TEXT COLLATE "C",
    -- The cover page as JSON (every field of the report except its positions).
    cover          TEXT COLLATE "C" NOT NULL,
    source         TEXT COLLATE "C" NOT NULL,
    ingested_at    TEXT COLLATE "C" NOT NULL
);
CREATE INDEX thirteen_f_reports_manager ON thirteen_f_reports (manager_cik, report_period);

CREATE TABLE thirteen_f_positions (
    accession             TEXT COLLATE "C" NOT NULL REFERENCES thirteen_f_reports (accession) ON DELETE CASCADE,
    position              BIGINT NOT NULL,
    cusip                 TEXT COLLATE "C",
    name_of_issuer        TEXT COLLATE "C",
    title_of_class        TEXT COLLATE "C",
    value_usd             BIGINT,
    shares_or_principal   DOUBLE PRECISION,
    share_type            TEXT COLLATE "C",
    put_call              TEXT COLLATE "C",
    -- The position as JSON, so that it reads back whole.
    document              TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (accession, position)
);
CREATE INDEX thirteen_f_positions_cusip ON thirteen_f_positions (cusip);
