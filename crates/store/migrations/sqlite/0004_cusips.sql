-- CUSIP to company, for 13F holdings. CUSIPs are assigned per issue (class), so one company can
-- have several; cik/ticker stay NULL where the issuer could not be resolved.
CREATE TABLE cusips (
    cusip          TEXT PRIMARY KEY,
    cik            TEXT,
    ticker         TEXT,
    issuer_name    TEXT NOT NULL,
    title_of_class TEXT,
    source         TEXT NOT NULL
);
CREATE INDEX cusips_cik ON cusips (cik);
