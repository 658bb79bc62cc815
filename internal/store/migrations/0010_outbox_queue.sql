-- The outbox, rebuilt so that queueing a fan-out, claiming a batch and
-- keeping the file bounded cost the same at 100,000 posts as at 1,000.
--
-- posts: one row per fan-out (a new draw, a correction, an announcement),
-- written in the transaction that queues its deliveries. Its unique key is
-- what keeps a post from being queued twice: a second fan-out of the same
-- draw, kind and revision finds the row and queues nothing. It outlives
-- its deliveries: CompactOutbox removes old delivery rows, never posts.
CREATE TABLE posts (
	id           INTEGER PRIMARY KEY,
	draw_number  TEXT NOT NULL,
	kind         TEXT NOT NULL,              -- "new", "correction", "announce"
	revision     TEXT NOT NULL DEFAULT '',   -- distinguishes successive corrections and announcements
	before       TEXT NOT NULL DEFAULT '',   -- a correction's old values ("crs=469;size=2850")
	created_at   TEXT NOT NULL,              -- RFC 3339
	first_id     INTEGER NOT NULL DEFAULT 0, -- its deliveries have ids first_id..last_id (one insert made them)
	last_id      INTEGER NOT NULL DEFAULT 0,
	queued       INTEGER NOT NULL DEFAULT 0, -- deliveries queued
	compacted_at TEXT NOT NULL DEFAULT '',   -- when CompactOutbox last removed its delivery rows
	UNIQUE (draw_number, kind, revision)
);
INSERT INTO posts (draw_number, kind, revision, before, created_at, first_id, last_id, queued)
	SELECT draw_number, kind, revision, max(before), min(created_at), min(id), max(id), count(*)
	FROM deliveries GROUP BY draw_number, kind, revision ORDER BY min(id);

-- deliveries: one row per destination of a post. Each carries the keys the
-- sender's claim orders by (the platform, whether the destination is a
-- priority one, the subscription's priority), copied when it is queued and
-- kept current for posts not yet sent by SetPriorityDestinations, Subscribe
-- and MoveDestination, so that deliveries_ready holds exactly the due
-- posts in the claim's order and no claim sorts anything. A pending post is
-- due when not_before is ''; one waiting for a retry has its time there,
-- and the claim clears it once the time has come.
--
-- Only the row and deliveries_ready are written per post queued: no unique
-- index (posts' key stands for it), no foreign keys (checked per row they
-- cost a lookup each; Unsubscribe and MoveDestination delete a removed
-- subscription's rows themselves, and the claim drops the rows of dead
-- destinations it meets), and the nonce is drawn at the first claim.
-- AUTOINCREMENT: ids are never reused, so a post's id range stays its own.
CREATE TABLE deliveries_new (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	post_id         INTEGER NOT NULL,           -- posts (id)
	subscription_id INTEGER NOT NULL,           -- subscriptions (id)
	status          TEXT NOT NULL DEFAULT 'pending', -- pending, sending, sent, dead, cancelled, unsure
	platform        TEXT NOT NULL,              -- the subscription's platform
	priority_dest   INTEGER NOT NULL DEFAULT 0, -- 1: a PRIORITY_DESTINATIONS destination
	priority        INTEGER NOT NULL DEFAULT 0, -- the subscription's priority
	attempts        INTEGER NOT NULL DEFAULT 0,
	not_before      TEXT NOT NULL DEFAULT '',   -- RFC 3339; '' = due now
	message_id      TEXT NOT NULL DEFAULT '',
	nonce           TEXT NOT NULL DEFAULT '',   -- idempotency key for platforms that honour one; drawn at the first claim
	sent_at         TEXT NOT NULL DEFAULT '',
	last_error      TEXT NOT NULL DEFAULT ''
);
INSERT INTO deliveries_new (id, post_id, subscription_id, status, platform, priority_dest, priority,
		attempts, not_before, message_id, nonce, sent_at, last_error)
	SELECT d.id, p.id, d.subscription_id, d.status, s.platform,
		EXISTS (SELECT 1 FROM priority_destinations x WHERE x.platform = s.platform AND x.destination = s.destination), s.priority,
		d.attempts, d.not_before, d.message_id, d.nonce, d.sent_at, d.last_error
	FROM deliveries d JOIN posts p ON p.draw_number = d.draw_number AND p.kind = d.kind AND p.revision = d.revision
	JOIN subscriptions s ON s.id = d.subscription_id
	ORDER BY d.id;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;

-- Due posts in the claim's order: the claim reads its batch off the front.
CREATE INDEX deliveries_ready ON deliveries (platform, priority_dest DESC, priority DESC, id)
	WHERE status = 'pending' AND not_before = '';
-- Posts waiting for a retry, by when it is due.
CREATE INDEX deliveries_waiting ON deliveries (not_before) WHERE status = 'pending' AND not_before != '';
-- Claimed posts, for RecoverSending at start.
CREATE INDEX deliveries_sending ON deliveries (id) WHERE status = 'sending';
