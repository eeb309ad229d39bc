-- The newsletter: subscribers, the confirmation mails of the double opt-in, the issues as sent,
-- the send log (one row per issue and subscriber, written before the mail goes out, so a
-- restart neither sends an issue twice nor skips anyone), bounce reports, and the key dates
-- read from iCalendar files. Times are RFC 3339 text; `*_s` columns are the same instant in
-- Unix seconds, for windows.

-- `email_key` is the address in lower case: one subscription per address. `status` is
-- 'pending' (waiting for the confirmation click), 'confirmed', 'unsubscribed' or 'suppressed'
-- (bounced past the threshold, or a complaint). `bounce_score` counts soft bounces; hard ones
-- and complaints suppress at once. `reason` says why an address left.
CREATE TABLE subscribers (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    email        TEXT NOT NULL,
    email_key    TEXT NOT NULL UNIQUE,
    cadence      TEXT NOT NULL,
    status       TEXT NOT NULL,
    bounce_score BIGINT NOT NULL DEFAULT 0,
    reason       TEXT,
    ip_hash      TEXT,
    created_at   TEXT NOT NULL,
    confirmed_at TEXT,
    updated_at   TEXT NOT NULL
);
CREATE INDEX subscribers_by_status ON subscribers (status, cadence, id);

-- Confirmation mails: the send log of the double opt-in and the record the per-address and
-- per-network limits count. `status`: 'pending', 'sent', 'failed'.
CREATE TABLE newsletter_confirmations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    subscriber_id BIGINT NOT NULL REFERENCES subscribers (id),
    cadence       TEXT NOT NULL,
    ip_hash       TEXT NOT NULL,
    status        TEXT NOT NULL,
    attempts      BIGINT NOT NULL DEFAULT 0,
    error         TEXT,
    created_at    TEXT NOT NULL,
    created_s     BIGINT NOT NULL,
    sent_at       TEXT
);
CREATE INDEX newsletter_confirmations_by_subscriber
    ON newsletter_confirmations (subscriber_id, created_s);
CREATE INDEX newsletter_confirmations_by_ip ON newsletter_confirmations (ip_hash, created_s);
CREATE INDEX newsletter_confirmations_by_status ON newsletter_confirmations (status, id);

-- An issue as composed once and then sent as is: `period` is the Eastern date of a daily
-- issue or the ISO week of a weekly one. `html` and `text` hold a placeholder where each
-- subscriber's unsubscribe address goes.
CREATE TABLE newsletter_issues (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    cadence      TEXT NOT NULL,
    period       TEXT NOT NULL,
    slug         TEXT NOT NULL UNIQUE,
    subject      TEXT NOT NULL,
    summary      TEXT NOT NULL,
    html         TEXT NOT NULL,
    text         TEXT NOT NULL,
    covers_from  TEXT NOT NULL,
    covers_until TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (cadence, period)
);

-- The send log: 'pending' (to send, also after a transient failure), 'sent', 'failed'
-- (refused for good, or given up on), 'skipped' (the subscriber left before it went out).
CREATE TABLE newsletter_sends (
    issue_id      BIGINT NOT NULL REFERENCES newsletter_issues (id),
    subscriber_id BIGINT NOT NULL REFERENCES subscribers (id),
    status        TEXT NOT NULL,
    attempts      BIGINT NOT NULL DEFAULT 0,
    error         TEXT,
    updated_at    TEXT NOT NULL,
    sent_at       TEXT,
    PRIMARY KEY (issue_id, subscriber_id)
);
CREATE INDEX newsletter_sends_by_status ON newsletter_sends (issue_id, status, subscriber_id);

-- Bounce and complaint reports received by the webhook, kept as received.
CREATE TABLE newsletter_bounces (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    email_key   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    detail      TEXT,
    received_at TEXT NOT NULL
);
CREATE INDEX newsletter_bounces_by_email ON newsletter_bounces (email_key, id);

-- Key dates from iCalendar files or URLs: each source's events are replaced as a whole on
-- every read, so a cancelled event goes. All-day events run from Eastern midnight to Eastern
-- midnight after their last day.
CREATE TABLE key_dates (
    source      TEXT NOT NULL,
    uid         TEXT NOT NULL,
    summary     TEXT NOT NULL,
    description TEXT,
    location    TEXT,
    url         TEXT,
    categories  TEXT NOT NULL,
    all_day     BOOLEAN NOT NULL,
    tentative   BOOLEAN NOT NULL,
    starts_at   TEXT NOT NULL,
    starts_s    BIGINT NOT NULL,
    ends_s      BIGINT NOT NULL,
    PRIMARY KEY (source, uid)
);
CREATE INDEX key_dates_by_time ON key_dates (starts_s);
