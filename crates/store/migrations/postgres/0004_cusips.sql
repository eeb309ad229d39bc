-- CUSIP to company, for 13F holdings. CUSIPs are assigned per issue (class), so one company can
-- have several; cik/ticker stay NULL where the issuer could not be resolved.
CREATE TABLE cusips (
    cusip          TEXT COLLATE "C" PRIMARY KEY,
    cik            TEXT COLLATE "C",
    ticker         TEXT COLLATE "C",
    issuer_name    TEXT COLLATE "C" NOT NULL,
    title_of_class TEXT COLLATE "C",
    source         TEXT COLLATE "C" NOT NULL
);
CREATE INDEX cusips_cik ON cusips (cik);
