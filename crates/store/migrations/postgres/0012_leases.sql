-- Leases: which process runs a scheduled job now. A process holds `name` until `expires_s`
-- (Unix seconds) and renews it while it works; another process takes it only once it has
-- expired, so several `marketdesk run` processes over one store run each job once.
CREATE TABLE leases (
    name      TEXT COLLATE "C" PRIMARY KEY,
    holder    TEXT COLLATE "C" NOT NULL,
    expires_s BIGINT NOT NULL,
    taken_at  TEXT COLLATE "C" NOT NULL
);
