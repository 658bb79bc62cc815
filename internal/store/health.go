package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Ping checks that the database answers a query (readiness).
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.r.QueryRowContext(ctx, `SELECT 1 FROM meta LIMIT 1`).Scan(&one); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// OutboxBacklog returns how many posts are not sent yet (pending, or being
// sent) and when the oldest of them was queued (zero when none), for
// metrics.
func (db *DB) OutboxBacklog(ctx context.Context) (int, time.Time, error) {
	var (
		n      int
		oldest sql.NullString
	)
	err := db.r.QueryRowContext(ctx, `SELECT count(*), min(p.created_at) FROM deliveries d JOIN posts p ON p.id = d.post_id WHERE d.status IN ('pending', 'sending')`).Scan(&n, &oldest)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("store: outbox backlog: %w", err)
	}
	return n, parseStamp(oldest.String), nil
}

// LatestDrawNumber returns the numeric part of the newest stored draw's
// number (437 for "437"), 0 when none is stored, for metrics.
func (db *DB) LatestDrawNumber(ctx context.Context) (int, error) {
	var seq int
	err := db.r.QueryRowContext(ctx, `SELECT seq FROM draws ORDER BY date DESC, seq DESC, number DESC LIMIT 1`).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: latest draw: %w", err)
	}
	return seq, nil
}
