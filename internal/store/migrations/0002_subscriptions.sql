-- Destinations that asked for new-draw posts.
CREATE TABLE subscriptions (
	id          INTEGER PRIMARY KEY,
	platform    TEXT NOT NULL,               -- "discord", "telegram"
	destination TEXT NOT NULL,               -- channel ID or chat ID, as text
	categories  TEXT NOT NULL DEFAULT '',    -- comma-separated keys, sorted; '' = every draw
	max_crs     INTEGER NOT NULL DEFAULT 0,  -- 0 = any cutoff
	mention     TEXT NOT NULL DEFAULT '',    -- e.g. a Discord role ID to ping; never @everyone
	priority    INTEGER NOT NULL DEFAULT 0,  -- higher first
	created_by  TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	dead_at     TEXT NOT NULL DEFAULT '',    -- set after repeated 403/404
	failures    INTEGER NOT NULL DEFAULT 0,  -- consecutive permanent failures
	last_error  TEXT NOT NULL DEFAULT '',
	UNIQUE (platform, destination, categories, max_crs)
);
CREATE INDEX subscriptions_destination ON subscriptions (platform, destination);

-- The outbox: one row per post to make. A row is written in the same
-- transaction as the draw (or correction) that causes it.
CREATE TABLE deliveries (
	id              INTEGER PRIMARY KEY,
	subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
	draw_number     TEXT NOT NULL REFERENCES draws (number),
	kind            TEXT NOT NULL,              -- "new", "correction", "announce"
	revision        TEXT NOT NULL DEFAULT '',   -- distinguishes successive corrections
	status          TEXT NOT NULL DEFAULT 'pending', -- pending, sending, sent, dead, cancelled
	attempts        INTEGER NOT NULL DEFAULT 0,
	not_before      TEXT NOT NULL DEFAULT '',   -- RFC 3339; '' = now
	message_id      TEXT NOT NULL DEFAULT '',
	nonce           TEXT NOT NULL,              -- idempotency key sent to platforms that honour one
	created_at      TEXT NOT NULL,
	sent_at         TEXT NOT NULL DEFAULT '',
	last_error      TEXT NOT NULL DEFAULT '',
	UNIQUE (draw_number, subscription_id, kind, revision)
);
CREATE INDEX deliveries_due ON deliveries (status, not_before);

