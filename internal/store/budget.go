package store

import (
	"context"
	"fmt"
	"time"
)

// ReserveSend takes the next slot of a rate that every replica sharing the
// database spends together (key names it: a bot's global message rate),
// one send per interval, and returns when that send may go: now, or later
// when the fleet's sends so far have booked the time up to then. A slot
// taken is spent whether or not the send happens.
//
// It is one statement on one row (a "theoretical arrival time" kept as
// Unix nanoseconds), so replicas never take the same slot; sends spaced
// at least interval apart put at most one interval's share of the rate in
// any window. Replicas' clocks must agree to well under interval for the
// spacing to hold as the platform sees it (NTP does, to a millisecond).
func (db *DB) ReserveSend(ctx context.Context, key string, interval time.Duration, now time.Time) (time.Time, error) {
	var next int64
	err := db.w.QueryRowContext(ctx, `INSERT INTO send_budget (key, next) VALUES ($1, CAST($2 AS BIGINT) + CAST($3 AS BIGINT))
		ON CONFLICT (key) DO UPDATE SET next = `+db.d.greatest(`send_budget.next`, `CAST($2 AS BIGINT)`)+` + CAST($3 AS BIGINT)
		RETURNING next`, key, now.UnixNano(), int64(interval)).Scan(&next)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: reserve send %s: %w", key, err)
	}
	return time.Unix(0, next-int64(interval)), nil
}

// Shared reports whether other processes may share this database (a
// Postgres one), so that what must hold for the whole fleet (the
// platforms' rates) is kept in it.
func (db *DB) Shared() bool { return db.d.pg }
