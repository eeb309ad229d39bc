-- State the web nodes share, so any number of `serve` processes behave as one site: admin
-- sessions (the keyed digest of the cookie's token, never the token) and the hits that rate
-- limits count (comments per address and per article, admin logins), in milliseconds.
CREATE TABLE admin_sessions (
    token_digest TEXT PRIMARY KEY,
    expires_s    BIGINT NOT NULL
);

CREATE TABLE rate_hits (
    key   TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX rate_hits_by_key ON rate_hits (key, at_ms);
