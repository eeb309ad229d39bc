-- Reader comments on articles. `id` orders them (oldest first); `parent_id` makes threads.
-- `status` is 'approved' (shown), 'pending' (awaiting moderation) or 'deleted' (kept for the
-- record, never shown). `email` is never shown; `ip_hash` is a keyed hash, never the address.
CREATE TABLE comments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    slug       TEXT NOT NULL,
    parent_id  BIGINT REFERENCES comments (id),
    name       TEXT NOT NULL,
    email      TEXT,
    body       TEXT NOT NULL,
    ip_hash    TEXT NOT NULL,
    status     TEXT NOT NULL,
    reports    BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX comments_by_article ON comments (slug, status, id);
CREATE INDEX comments_by_status ON comments (status, id);

-- Commenters banned by the moderators, by hashed address.
CREATE TABLE comment_bans (
    ip_hash    TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
);

-- Site settings such as the admin password hash (argon2, PHC string).
CREATE TABLE site_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
