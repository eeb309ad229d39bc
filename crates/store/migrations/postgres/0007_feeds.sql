-- News feeds and the items kept from them. Problems with a feed or an item go to ingest_errors.
CREATE TABLE feeds (
    -- The feed's URL, or the path it was read from.
    location        TEXT COLLATE "C" PRIMARY KEY,
    name            TEXT COLLATE "C",
    category        TEXT COLLATE "C",
    -- Validators for the next conditional GET.
    etag            TEXT COLLATE "C",
    last_modified   TEXT COLLATE "C",
    last_fetched_at TEXT COLLATE "C",
    -- "200", "304", or the error that ended the last fetch.
    last_status     TEXT COLLATE "C"
);

CREATE TABLE feed_items (
    -- "guid:..." or "link:..." or "hash:...": an item is kept once however many feeds carry it.
    item_key     TEXT COLLATE "C" PRIMARY KEY,
    feed         TEXT COLLATE "C" NOT NULL REFERENCES feeds (location),
    guid         TEXT COLLATE "C",
    link         TEXT COLLATE "C",
    title        TEXT COLLATE "C" NOT NULL,
    published_at TEXT COLLATE "C",
    -- The offset the feed gave with the time, e.g. "-04:00".
    published_offset TEXT COLLATE "C",
    summary      TEXT COLLATE "C" NOT NULL,
    author       TEXT COLLATE "C",
    first_seen_at TEXT COLLATE "C" NOT NULL,
    -- Near-duplicates across outlets share an event: the item_key of its first item.
    event        TEXT COLLATE "C" NOT NULL,
    -- The item's SimHash, as a signed 64-bit integer.
    simhash      BIGINT NOT NULL
);
CREATE INDEX feed_items_by_link ON feed_items (link);
CREATE INDEX feed_items_by_feed ON feed_items (feed, published_at);
CREATE INDEX feed_items_by_event ON feed_items (event);
CREATE INDEX feed_items_by_seen ON feed_items (first_seen_at);
