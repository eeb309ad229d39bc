-- Reply notifications: one row per reply that someone is told about by mail, so a restart
-- never sends one twice and never drops one. `comment_id` is the reply; `recipient` is the
-- address left on the comment it answers. `status` is 'pending' (to send), 'sent', 'failed'
-- (refused for good, or given up after repeated transient failures) or 'skipped' (rate
-- limited or no longer visible; `error` says why). `created_s` is `created_at` in Unix
-- seconds, for the per-recipient rate window.
CREATE TABLE comment_notifications (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id BIGINT NOT NULL UNIQUE REFERENCES comments (id),
    recipient  TEXT NOT NULL,
    status     TEXT NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0,
    error      TEXT,
    created_at TEXT NOT NULL,
    created_s  BIGINT NOT NULL,
    updated_at TEXT NOT NULL,
    sent_at    TEXT
);
CREATE INDEX comment_notifications_by_status ON comment_notifications (status, id);
CREATE INDEX comment_notifications_by_recipient ON comment_notifications (recipient, created_s);
