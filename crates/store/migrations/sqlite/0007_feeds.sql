-- News feeds and the items kept from them. Problems with a feed or an item go to ingest_errors.
CREATE TABLE feeds (
    -- The feed's URL, or the path it was read from.
    location        TEXT PRIMARY KEY,
    name            TEXT,
    category        TEXT,
    -- Validators for the next conditional GET.
    etag            TEXT,
    last_modified   TEXT,
    last_fetched_at TEXT,
    -- "200", "304", or the error that ended the last fetch.
    last_status     TEXT
);

CREATE TABLE feed_items (
    -- "guid:..." or "link:..." or "hash:...": an item is kept once however many feeds carry it.
    item_key     TEXT PRIMARY KEY,
    feed         TEXT NOT NULL REFERENCES feeds (location),
    guid         TEXT,
    link         TEXT,
    title        TEXT NOT NULL,
    published_at TEXT,
    -- The offset the feed gave with the time, e.g. "-04:00".
    published_offset TEXT,
    summary      TEXT NOT NULL,
    author       TEXT,
    first_seen_at TEXT NOT NULL,
    -- Near-duplicates across outlets share an event: the item_key of its first item.
    event        TEXT NOT NULL,
    -- The item's SimHash, as a signed 64-bit integer.
    simhash      BIGINT NOT NULL
);
CREATE INDEX feed_items_by_link ON feed_items (link);
CREATE INDEX feed_items_by_feed ON feed_items (feed, published_at);
CREATE INDEX feed_items_by_event ON feed_items (event);
CREATE INDEX feed_items_by_seen ON feed_items (first_seen_at);
