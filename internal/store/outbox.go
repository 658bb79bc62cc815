package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/eebot/eebot/internal/domain"
)

// deadAfter is how many permanent refusals in a row mark a destination dead.
const deadAfter = 3

// A delivery's status is pending (due at not_before), sending (claimed),
// sent, dead (its destination refuses the bot), cancelled, or unsure: it
// may have been delivered but no answer said so, and it is not retried.
// sent_at is when it was sent, or when an attempt that may have been
// delivered was made: a pending delivery with a sent_at is MaybeSent.

// signal tells waiters that something happened: each fire closes the
// channel the waiters hold, and the next wait gets a fresh one. Closing
// rather than sending reaches every waiter and never blocks the committer.
type signal struct {
	mu sync.Mutex
	ch chan struct{}
}

func (s *signal) wait() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ch == nil {
		s.ch = make(chan struct{})
	}
	return s.ch
}

func (s *signal) fire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ch != nil {
		close(s.ch)
		s.ch = nil
	}
}

// Queued returns a channel closed once a transaction that queued deliveries
// (Announce, ApplyDraws) has committed. Take it before looking at the
// outbox: a commit after that closes it. Commits by other processes on the
// same database are not seen; the sender's polling covers them.
func (db *DB) Queued() <-chan struct{} { return db.queued.wait() }

// enqueue adds one delivery of draw d per live subscription that wants it,
// in one statement (a fan-out to thousands is one insert). The filter is
// domain.Subscription.Matches in SQL: categories is a sorted comma list.
func enqueue(ctx context.Context, tx *sql.Tx, d domain.Draw, kind domain.PostKind, revision, now string) (int, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO deliveries (subscription_id, draw_number, kind, revision, nonce, created_at)
		SELECT s.id, $1, $2, $3, lower(hex(randomblob(12))), $4 FROM subscriptions s
		WHERE s.dead_at = ''
			AND (s.categories = '' OR instr(',' || s.categories || ',', ',' || $5 || ',') > 0)
			AND (s.max_crs = 0 OR $6 <= s.max_crs)
		ORDER BY s.id
		ON CONFLICT DO NOTHING`, d.Number, kind, revision, now, d.Category, d.CRS)
	if err != nil {
		return 0, fmt.Errorf("enqueue %s: %w", d.Number, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// enqueueCorrection posts a correction wherever the draw was already posted
// (or is being posted), so nobody is left with the old values. It returns
// how many it queued.
func enqueueCorrection(ctx context.Context, tx *sql.Tx, c domain.Correction, now string) (int, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO deliveries (subscription_id, draw_number, kind, revision, nonce, created_at, before)
		SELECT DISTINCT x.subscription_id, x.draw_number, 'correction', $2, lower(hex(randomblob(12))), $2, $3
		FROM deliveries x JOIN subscriptions s ON s.id = x.subscription_id
		WHERE x.draw_number = $1 AND (x.status IN ('sent', 'sending', 'unsure') OR x.sent_at != '') AND x.kind != 'correction' AND s.dead_at = ''
		ON CONFLICT DO NOTHING`, c.New.Number, now, domain.Changes(c.Old, c.New))
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// Announce enqueues a post of a draw to every matching live subscription
// and returns how many posts it queued. Each call is a new announcement
// (its own revision): tests and benchmarks use it; a moderator's presses go
// through PostAnnouncement, which posts once per preview.
func (db *DB) Announce(ctx context.Context, number string) (int, error) {
	d, err := db.Draw(ctx, number)
	if err != nil {
		return 0, err
	}
	var n int
	err = db.tx(ctx, func(tx *sql.Tx) error {
		now := db.now().UTC().Format(time.RFC3339Nano)
		n, err = enqueue(ctx, tx, d, domain.PostAnnounce, now, now)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: announce %s: %w", number, err)
	}
	if n > 0 {
		db.queued.fire()
	}
	return n, nil
}

// RecoverSending returns deliveries a stopped process had claimed to the
// queue. A post whose platform call succeeded just before the stop is sent
// again: the one window for a duplicate (see README). Every claim it finds
// is a stopped process's, never a live one's: Open refuses a file another
// DB holds (ErrInUse), so no other process is sending from this outbox.
func (db *DB) RecoverSending(ctx context.Context) (int, error) {
	res, err := db.w.ExecContext(ctx, `UPDATE deliveries SET status = 'pending' WHERE status = 'sending'`)
	if err != nil {
		return 0, fmt.Errorf("store: recover: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// ClaimDeliveries marks up to limit due deliveries of a platform as sending
// and returns them, priority destinations first, oldest first.
func (db *DB) ClaimDeliveries(ctx context.Context, platform domain.Platform, limit int, now time.Time) ([]domain.Delivery, error) {
	var out []domain.Delivery
	err := db.tx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, `SELECT d.id, d.draw_number, d.kind, d.revision, d.attempts, d.nonce, d.before, coalesce(c.lang, ''), d.sent_at != '',
			s.id, s.platform, s.destination, s.categories, s.max_crs, s.mention, s.priority, s.created_by, s.created_at, s.dead_at, s.last_error
			FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
			LEFT JOIN priority_destinations p ON p.platform = s.platform AND p.destination = s.destination
			LEFT JOIN chat_settings c ON c.platform = s.platform AND c.destination = s.destination
			WHERE d.status = 'pending' AND d.not_before <= $1 AND s.platform = $2 AND s.dead_at = ''
			ORDER BY p.platform IS NOT NULL DESC, s.priority DESC, d.id LIMIT $3`, stamp(now), platform, limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			var d domain.Delivery
			sub, err := scanSub(prefixScanner{rows, []any{&d.ID, &d.Number, &d.Kind, &d.Revision, &d.Attempts, &d.Nonce, &d.Before, &d.Lang, &d.MaybeSent}})
			if err != nil {
				rows.Close()
				return err
			}
			d.Sub = sub
			out = append(out, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(out) == 0 {
			return nil
		}
		ids := make([]int64, len(out))
		for i := range out {
			out[i].Attempts++
			ids[i] = out[i].ID
		}
		list, _ := json.Marshal(ids)
		_, err = tx.ExecContext(ctx, `UPDATE deliveries SET status='sending', attempts=attempts+1
			WHERE id IN (SELECT value FROM json_each($1))`, string(list))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim: %w", err)
	}
	return out, nil
}

// SetPriorityDestinations replaces the destinations served first.
func (db *DB) SetPriorityDestinations(ctx context.Context, dests []domain.Destination) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM priority_destinations`); err != nil {
			return err
		}
		for _, d := range dests {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO priority_destinations (platform, destination) VALUES ($1, $2)`, d.Platform, d.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

// prefixScanner scans leading columns into extra targets before the rest.
type prefixScanner struct {
	s     scanner
	first []any
}

func (p prefixScanner) Scan(dest ...any) error { return p.s.Scan(append(p.first, dest...)...) }

// MarkSent records delivered posts, in one transaction, and resets their
// destinations' failure counts.
func (db *DB) MarkSent(ctx context.Context, sent ...domain.Sent) error {
	if len(sent) == 0 {
		return nil
	}
	now := stamp(db.now())
	return db.tx(ctx, func(tx *sql.Tx) error {
		mark, err := tx.PrepareContext(ctx, `UPDATE deliveries SET status='sent', message_id=$2, sent_at=$3, last_error='' WHERE id=$1`)
		if err != nil {
			return err
		}
		defer mark.Close()
		reset, err := tx.PrepareContext(ctx, `UPDATE subscriptions SET failures=0, last_error='' WHERE id=$1 AND failures > 0`)
		if err != nil {
			return err
		}
		defer reset.Close()
		for _, s := range sent {
			if _, err := mark.ExecContext(ctx, s.Delivery.ID, s.MessageID, now); err != nil {
				return err
			}
			if _, err := reset.ExecContext(ctx, s.Delivery.Sub.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

// MarkRetry puts a delivery back in the queue, due at notBefore.
func (db *DB) MarkRetry(ctx context.Context, d domain.Delivery, notBefore time.Time, reason string) error {
	_, err := db.w.ExecContext(ctx, `UPDATE deliveries SET status='pending', not_before=$2, last_error=$3 WHERE id=$1`,
		d.ID, stamp(notBefore), reason)
	return err
}

// MarkMaybeSent puts back in the queue, due at notBefore, a delivery whose
// attempt got no clear answer: it may have been delivered. sent_at keeps
// the first such attempt's time, so the next claim reports MaybeSent.
func (db *DB) MarkMaybeSent(ctx context.Context, d domain.Delivery, notBefore time.Time, reason string) error {
	_, err := db.w.ExecContext(ctx, `UPDATE deliveries SET status='pending', not_before=$2, last_error=$3,
		sent_at=CASE WHEN sent_at='' THEN $4 ELSE sent_at END WHERE id=$1`,
		d.ID, stamp(notBefore), reason, stamp(db.now()))
	return err
}

// MarkUnsure ends a delivery that may have been delivered but never got a
// clear answer: it is kept as unsure and not retried.
func (db *DB) MarkUnsure(ctx context.Context, d domain.Delivery, reason string) error {
	_, err := db.w.ExecContext(ctx, `UPDATE deliveries SET status='unsure', last_error=$2,
		sent_at=CASE WHEN sent_at='' THEN $3 ELSE sent_at END WHERE id=$1`,
		d.ID, reason, stamp(db.now()))
	return err
}

// MarkRefused records a permanent refusal (403/404). After deadAfter in a row
// the destination is marked dead and its pending posts are dropped; until
// then the delivery is retried at notBefore. It reports whether it died.
func (db *DB) MarkRefused(ctx context.Context, d domain.Delivery, notBefore time.Time, reason string) (bool, error) {
	var dead bool
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var failures int
		if err := tx.QueryRowContext(ctx, `UPDATE subscriptions SET failures=failures+1, last_error=$2 WHERE id=$1 RETURNING failures`,
			d.Sub.ID, reason).Scan(&failures); err != nil {
			return err
		}
		if failures < deadAfter {
			_, err := tx.ExecContext(ctx, `UPDATE deliveries SET status='pending', not_before=$2, last_error=$3 WHERE id=$1`, d.ID, stamp(notBefore), reason)
			return err
		}
		dead = true
		if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET dead_at=$2 WHERE id=$1`, d.Sub.ID, stamp(db.now())); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE deliveries SET status='dead', last_error=$2 WHERE subscription_id=$1 AND status IN ('pending','sending')`, d.Sub.ID, reason)
		return err
	})
	return dead, err
}

// Release returns claimed deliveries that were never attempted (shutdown).
func (db *DB) Release(ctx context.Context, ds []domain.Delivery) error {
	for _, d := range ds {
		if _, err := db.w.ExecContext(ctx, `UPDATE deliveries SET status='pending', attempts=max(attempts-1, 0) WHERE id=$1 AND status='sending'`, d.ID); err != nil {
			return err
		}
	}
	return nil
}

// OutboxCounts reports deliveries by status (tests read it).
func (db *DB) OutboxCounts(ctx context.Context) (map[string]int, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT status, count(*) FROM deliveries GROUP BY status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}
