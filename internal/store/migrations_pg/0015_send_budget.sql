-- The platforms' rates as the whole fleet spends them (ReserveSend): the
-- next free slot of each, in Unix nanoseconds.
CREATE TABLE send_budget (
	key  TEXT COLLATE "C" PRIMARY KEY,
	next BIGINT NOT NULL
);
