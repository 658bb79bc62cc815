-- What became of each preview of a moderator's announcement. Its Post and
-- Cancel buttons carry the preview's id, so a second press, a replayed one
-- or a Post after Cancel finds the row instead of posting again. The row is
-- written in the transaction that queues the posts, whose revision is the
-- preview id.
CREATE TABLE announcements (
	preview_id   TEXT PRIMARY KEY,
	draw_number  TEXT NOT NULL,
	status       TEXT NOT NULL,              -- 'posted' or 'cancelled'
	destinations INTEGER NOT NULL DEFAULT 0, -- posts the press queued
	platform     TEXT NOT NULL DEFAULT '',   -- who pressed
	user_id      TEXT NOT NULL DEFAULT '',
	at           TEXT NOT NULL               -- RFC 3339, when pressed
);
CREATE INDEX announcements_draw ON announcements (draw_number, at);
