package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"
)

// MinOutboxRetention is the shortest retention CompactOutbox accepts: the
// window in which the poller still posts a new draw (poll.Poller's
// NotifyWindow, 7 days by the draw's date).
const MinOutboxRetention = 7 * 24 * time.Hour

// compactChunk is how many ids one transaction of CompactOutbox covers, so
// the writer is never held for long (the sender and commands wait on it).
const compactChunk = 10_000

// CompactOutbox deletes the delivery rows that no longer serve anything, so
// the database stays bounded: those of posts queued more than retention
// ago (at least MinOutboxRetention) of draws dated before that too, which
// ended (sent, dead, cancelled or unsure). Deliveries still pending or
// being sent are kept, whatever their age. It returns how many it deleted.
//
// Exactly-once survives it, because a delivery row is not what keeps a
// post from going out twice:
//
//   - A post's row in posts (draw, kind, revision) is: every fan-out writes
//     it in the transaction that queues its deliveries, and a second fan-out
//     of the same key finds it and queues nothing (newPost). Compaction
//     never deletes posts rows; it stamps them compacted_at, in the
//     transaction of the first rows it deletes. A new-draw post of a
//     compacted draw can therefore never be queued again, even if the draw
//     came back as new; besides, the draw row itself is never deleted, and
//     the draw is older than the 7-day window the poller posts in.
//   - An announcement is recorded per preview in announcements, which is
//     not compacted: a replayed press still finds it.
//   - A correction is queued for the destinations whose delivery rows show
//     they saw the draw. Once those rows are gone nobody is known to have
//     seen it, so a draw with a compacted post gets no correction at all
//     (enqueueCorrection): never a second post of the draw, at worst no
//     correction of one older than the retention.
//   - Rows a sender may still act on (pending, sending) are never deleted,
//     so MarkSent, Release and RecoverSending find what they claimed.
func (db *DB) CompactOutbox(ctx context.Context, retention time.Duration) (int, error) {
	retention = max(retention, MinOutboxRetention)
	now := db.now()
	cutoff := now.Add(-retention)
	type post struct{ id, first, last int64 }
	var posts []post
	rows, err := db.r.QueryContext(ctx, `SELECT id, first_id, last_id FROM posts
		WHERE created_at < $1 AND first_id <= last_id
			AND NOT EXISTS (SELECT 1 FROM draws WHERE number = posts.draw_number AND date >= $2)
		ORDER BY id`, stamp(cutoff), cutoff.UTC().Format("2006-01-02"))
	if err != nil {
		return 0, fmt.Errorf("store: compact outbox: %w", err)
	}
	for rows.Next() {
		var p post
		if err := rows.Scan(&p.id, &p.first, &p.last); err != nil {
			rows.Close()
			return 0, fmt.Errorf("store: compact outbox: %w", err)
		}
		posts = append(posts, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("store: compact outbox: %w", err)
	}
	deleted := 0
	for _, p := range posts {
		for lo := p.first; lo <= p.last; lo += compactChunk {
			hi := min(lo+compactChunk-1, p.last)
			err := db.tx(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `UPDATE posts SET compacted_at = $2 WHERE id = $1`, p.id, stamp(now)); err != nil {
					return err
				}
				res, err := tx.ExecContext(ctx, `DELETE FROM deliveries WHERE id BETWEEN $1 AND $2 AND post_id = $3
					AND status IN ('sent', 'dead', 'cancelled', 'unsure')`, lo, hi, p.id)
				if err != nil {
					return err
				}
				n, _ := res.RowsAffected()
				deleted += int(n)
				if hi < p.last {
					return nil
				}
				// Done: what is left of the post (deliveries still open)
				// is all the next compaction has to look at.
				_, err = tx.ExecContext(ctx, `UPDATE posts SET first_id = coalesce(
					(SELECT min(id) FROM deliveries WHERE id BETWEEN $2 AND $3 AND post_id = $1), $3 + 1) WHERE id = $1`, p.id, p.first, p.last)
				return err
			})
			if err != nil {
				return deleted, fmt.Errorf("store: compact outbox: %w", err)
			}
		}
	}
	return deleted, nil
}

// RunCompaction compacts the outbox (CompactOutbox) at once and then every
// interval until ctx ends, logging what it removed.
func (db *DB) RunCompaction(ctx context.Context, retention, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		start := time.Now()
		n, err := db.CompactOutbox(ctx, retention)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("outbox compaction failed", "err", err, "deleted", n)
		case n > 0:
			log.Info("compacted the outbox", "deleted", n, "retention", retention, "took", time.Since(start).Round(time.Millisecond))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
