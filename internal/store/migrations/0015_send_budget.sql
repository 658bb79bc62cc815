-- The platforms' rates as the whole fleet spends them (ReserveSend): the
-- next free slot of each, in Unix nanoseconds. (Used on Postgres, where
-- several replicas send; one SQLite bot paces itself.)
CREATE TABLE send_budget (
	key  TEXT PRIMARY KEY,
	next INTEGER NOT NULL
);
