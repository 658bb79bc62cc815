-- Updates taken from a platform and not yet answered. Telegram forgets an
-- update once the bot confirms it, so the bot keeps it here first; a
-- restart answers what a stop left unanswered. Answered rows stay until
-- the platform has confirmed them too (answered_at set), so a redelivered
-- update is recognised and not answered twice.
CREATE TABLE inbox (
	source      TEXT NOT NULL,              -- "telegram:<bot id>"
	id          INTEGER NOT NULL,           -- the platform's update ID
	received_at TEXT NOT NULL,              -- RFC 3339
	body        BLOB NOT NULL,              -- the update as sent (JSON)
	answered_at TEXT NOT NULL DEFAULT '',   -- '' while it waits for an answer
	PRIMARY KEY (source, id)
);
