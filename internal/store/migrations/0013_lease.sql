-- leases: who holds a named lease (the fleet's leader, "main") and until
-- when. A holder renews its row every few seconds; anyone may take a row
-- whose expires_at has passed. Times are fixed-width RFC 3339 UTC with
-- nanoseconds (lease.go), so comparing the text compares the times.
CREATE TABLE leases (
	name       TEXT PRIMARY KEY,
	holder     TEXT NOT NULL,  -- the replica's ID (REPLICA_ID)
	expires_at TEXT NOT NULL   -- 2006-01-02T15:04:05.000000000Z
);
