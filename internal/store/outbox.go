package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
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

// The outbox's hot statements; plan_test.go checks their query plans.
const (
	// promoteSQL makes due the retries whose time has come ($1).
	promoteSQL = `UPDATE deliveries SET not_before = '' WHERE status = 'pending' AND not_before != '' AND not_before <= $1`
	// expiredSQL re-queues claims whose lease ended ($1 now) without the
	// claimer recording what became of them: its replica died.
	expiredSQL = `UPDATE deliveries SET status = 'pending' WHERE status = 'sending' AND lease_until != '' AND lease_until < $1`
	// fanOutSQL queues post $1 to the live subscriptions that a filter
	// (appended, on s) selects.
	fanOutSQL = `INSERT INTO deliveries (post_id, subscription_id, platform, priority_dest, priority)
		SELECT $1, s.id, s.platform, CAST(p.platform IS NOT NULL AS INTEGER), s.priority
		FROM subscriptions s LEFT JOIN priority_destinations p ON p.platform = s.platform AND p.destination = s.destination
		WHERE s.dead_at = '' AND `
	// fanOutLastSQL reads the last delivery id, and whether any
	// destination is a priority one.
	fanOutLastSQL = `SELECT (SELECT coalesce(max(id), 0) FROM deliveries), EXISTS (SELECT 1 FROM priority_destinations)`
	// fanOutPlainSQL is fanOutSQL when no destination is a priority one
	// (the usual case): a lookup less per post.
	fanOutPlainSQL = `INSERT INTO deliveries (post_id, subscription_id, platform, priority_dest, priority)
		SELECT $1, s.id, s.platform, 0, s.priority FROM subscriptions s
		WHERE s.dead_at = '' AND `
	// correctionFilter selects, for fanOutSQL, who was or may have been
	// sent a post of draw $2 that was not a correction.
	correctionFilter = `s.id IN (SELECT x.subscription_id FROM posts q
		JOIN deliveries x ON x.id BETWEEN q.first_id AND q.last_id AND x.post_id = q.id
		WHERE q.draw_number = $2 AND q.kind != 'correction' AND (x.status IN ('sent', 'sending', 'unsure') OR x.sent_at != ''))`
)

// claimSQL reads the front of deliveries_ready: $1 platform, $2 limit. On
// Postgres it locks what it reads and skips what another replica's claim
// holds, so two replicas never claim one delivery.
func claimSQL(d dialect) string {
	return `SELECT d.id, p.draw_number, p.kind, p.revision, d.attempts, p.before, coalesce(c.lang, s.lang, ''), d.sent_at != '', s.id IS NULL,
			coalesce(s.id, 0), coalesce(s.platform, ''), coalesce(s.destination, ''), coalesce(s.categories, ''), coalesce(s.max_crs, 0),
			coalesce(s.mention, ''), coalesce(s.priority, 0), coalesce(s.created_by, ''), coalesce(s.created_at, ''), coalesce(s.dead_at, ''),
			coalesce(s.last_error, '')
		FROM deliveries d` + d.indexedBy("deliveries_ready") + `
		` + d.crossJoin() + ` posts p ON p.id = d.post_id
		LEFT JOIN subscriptions s ON s.id = d.subscription_id
		LEFT JOIN chat_settings c ON c.platform = s.platform AND c.destination = s.destination
		WHERE d.platform = $1 AND d.status = 'pending' AND d.not_before = ''
		ORDER BY d.priority_dest DESC, d.priority DESC, d.id LIMIT $2` + d.skipLocked("d")
}

// markSentSQL records sent posts: $1 a JSON list of {i: id, m: message ID}, $2 the time.
func markSentSQL(d dialect) string {
	return `UPDATE deliveries SET status = 'sent', message_id = m.value ->> 'm', sent_at = $2, last_error = ''
		FROM ` + d.objects("$1", "m") + ` WHERE deliveries.id = CAST(m.value ->> 'i' AS BIGINT)`
}

// newPost records a fan-out of a draw (see posts in 0010_outbox_queue.sql)
// and returns its id, or fresh false when the same draw, kind and revision
// was queued before: then nothing is to be queued again. The row is the
// lasting record of the fan-out; compaction never removes it.
func newPost(ctx context.Context, tx *sql.Tx, number string, kind domain.PostKind, revision, before, now string) (id int64, fresh bool, err error) {
	err = tx.QueryRowContext(ctx, `INSERT INTO posts (draw_number, kind, revision, before, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (draw_number, kind, revision) DO NOTHING RETURNING id`, number, kind, revision, before, now).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, err
}

// fanOut queues post to every live subscription that filter (SQL on s,
// with args from $2) selects, in one statement: a fan-out to 100,000
// destinations is one insert writing a row and an entry of
// deliveries_ready per destination, nothing else. Each row gets the keys
// the claim orders by; its nonce is drawn at its first claim. The rows
// take consecutive ids, recorded on the post as its range.
//
// On Postgres another replica's fan-out may take ids between these (its
// moderator's announcement): every use of the range also filters on the
// post, so the range only has to cover the post's rows, and it does, ids
// being handed out in increasing order.
func fanOut(ctx context.Context, tx *sql.Tx, post int64, filter string, args ...any) (int, error) {
	var last int64
	var priority bool
	if err := tx.QueryRowContext(ctx, fanOutLastSQL).Scan(&last, &priority); err != nil {
		return 0, err
	}
	insert := fanOutPlainSQL
	if priority {
		insert = fanOutSQL
	}
	res, err := tx.ExecContext(ctx, insert+filter+` ORDER BY s.id`, append([]any{post}, args...)...)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	// Every id above last is this insert's: one writer, in this transaction.
	_, err = tx.ExecContext(ctx, `UPDATE posts SET first_id = $2 + 1, last_id = (SELECT coalesce(max(id), 0) FROM deliveries), queued = $3
		WHERE id = $1`, post, last, n)
	return int(n), err
}

// enqueue queues a post of draw d to every live subscription that wants it
// and returns how many it queued. The filter is domain.Subscription.Matches
// in SQL: categories is a sorted comma list. A fan-out of the same draw,
// kind and revision queued before, compacted or not, queues nothing.
func enqueue(ctx context.Context, tx *sql.Tx, dl dialect, d domain.Draw, kind domain.PostKind, revision, now string) (int, error) {
	post, fresh, err := newPost(ctx, tx, d.Number, kind, revision, "", now)
	if err == nil && fresh {
		var n int
		n, err = fanOut(ctx, tx, post, `(s.categories = '' OR `+dl.contains(`',' || s.categories || ','`, `',' || CAST($2 AS TEXT) || ','`)+`)
			AND (s.max_crs = 0 OR CAST($3 AS INTEGER) <= s.max_crs)`, d.Category, d.CRS)
		if err == nil {
			return n, nil
		}
	}
	if err != nil {
		return 0, fmt.Errorf("enqueue %s: %w", d.Number, err)
	}
	return 0, nil
}

// enqueueCorrection posts a correction wherever the draw was already posted
// (or is being posted, or may have been), so nobody is left with the old
// values. It returns how many it queued. A draw whose delivery rows were
// compacted gets none: who saw it is no longer known, and its posts are
// older than the retention (CompactOutbox).
func enqueueCorrection(ctx context.Context, tx *sql.Tx, c domain.Correction, now string) (int, error) {
	var compacted bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM posts WHERE draw_number = $1 AND compacted_at != '')`,
		c.New.Number).Scan(&compacted); err != nil || compacted {
		return 0, err
	}
	post, fresh, err := newPost(ctx, tx, c.New.Number, domain.PostCorrection, now, domain.Changes(c.Old, c.New), now)
	if err != nil || !fresh {
		return 0, err
	}
	return fanOut(ctx, tx, post, correctionFilter, c.New.Number)
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
		n, err = enqueue(ctx, tx, db.d, d, domain.PostAnnounce, now, now)
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
// again: the one window for a duplicate (see README).
//
// On SQLite every claim it finds is a stopped process's, never a live
// one's: Open refuses a file another DB holds (ErrInUse), so no other
// process is sending from this outbox. On Postgres other replicas are, so
// it takes back only this replica's own claims (the same holder id before
// a restart) and those whose lease has ended; the claim takes back the
// rest as their leases end (expiredSQL).
func (db *DB) RecoverSending(ctx context.Context) (int, error) {
	query, args := `UPDATE deliveries SET status = 'pending' WHERE status = 'sending'`, []any{}
	if db.d.pg {
		query += ` AND (claimed_by = $1 OR lease_until < $2)`
		args = []any{db.holder, stamp(db.now())}
	}
	res, err := db.w.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("store: recover: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// ClaimDeliveries marks up to limit due deliveries of a platform as sending
// and returns them, priority destinations first, oldest first.
//
// Its cost does not grow with the queue: retries whose time has come are
// made due (an index range over the waiting ones, usually empty), and the
// batch is the front of deliveries_ready, which is in the claim's order,
// so nothing is sorted. A delivery claimed for the first time gets its
// nonce here; later attempts keep it. Deliveries to a destination that
// died (or a subscription removed) since they were queued are dropped as
// the claim meets them, marked dead (cancelled): MarkRefused and
// MarkDestinationGone mark the subscription, not each of its posts.
func (db *DB) ClaimDeliveries(ctx context.Context, platform domain.Platform, limit int, now time.Time) ([]domain.Delivery, error) {
	var out []domain.Delivery
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, promoteSQL, stamp(now)); err != nil {
			return err
		}
		if db.d.pg {
			if _, err := tx.ExecContext(ctx, expiredSQL, stamp(now)); err != nil {
				return err
			}
		}
		for {
			batch, dropped, err := db.claimBatch(ctx, tx, platform, limit, now)
			if err != nil || len(batch) > 0 || dropped == 0 {
				out = batch
				return err
			}
			// A batch of only dropped posts: the next may have live ones.
		}
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim: %w", err)
	}
	return out, nil
}

// claimBatch claims the front of deliveries_ready and reports how many
// deliveries of dead or removed subscriptions it dropped instead.
func (db *DB) claimBatch(ctx context.Context, tx *sql.Tx, platform domain.Platform, limit int, now time.Time) ([]domain.Delivery, int, error) {
	rows, err := tx.QueryContext(ctx, claimSQL(db.d), platform, limit)
	if err != nil {
		return nil, 0, err
	}
	var out []domain.Delivery
	var dead, gone []int64
	for rows.Next() {
		var d domain.Delivery
		var removed bool
		sub, err := scanSub(prefixScanner{rows, []any{&d.ID, &d.Number, &d.Kind, &d.Revision, &d.Attempts, &d.Before, &d.Lang, &d.MaybeSent, &removed}})
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		switch {
		case removed:
			gone = append(gone, d.ID)
		case sub.Dead:
			dead = append(dead, d.ID)
		default:
			d.Sub = sub
			out = append(out, d)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	for _, drop := range []struct {
		status string
		ids    []int64
	}{{"dead", dead}, {"cancelled", gone}} {
		if len(drop.ids) == 0 {
			continue
		}
		list, _ := json.Marshal(drop.ids)
		if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET status = $2, last_error = 'destination gone'
			WHERE id IN (SELECT CAST(value AS BIGINT) FROM `+db.d.values("$1", "j")+`)`, string(list), drop.status); err != nil {
			return nil, 0, err
		}
	}
	if len(out) == 0 {
		return nil, len(dead) + len(gone), nil
	}
	ids := make([]int64, len(out))
	at := make(map[int64]int, len(out))
	for i := range out {
		out[i].Attempts++
		ids[i] = out[i].ID
		at[out[i].ID] = i
	}
	list, _ := json.Marshal(ids)
	rows, err = tx.QueryContext(ctx, `UPDATE deliveries SET status = 'sending', attempts = attempts + 1,
			nonce = CASE WHEN nonce = '' THEN `+db.d.nonce()+` ELSE nonce END, claimed_by = $2, lease_until = $3
		WHERE id IN (SELECT CAST(value AS BIGINT) FROM `+db.d.values("$1", "j")+`) RETURNING id, nonce`,
		string(list), db.holder, stamp(now.Add(db.claimLease)))
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var nonce string
		if err := rows.Scan(&id, &nonce); err != nil {
			return nil, 0, err
		}
		if i, ok := at[id]; ok {
			out[i].Nonce = nonce
		}
	}
	return out, len(dead) + len(gone), rows.Err()
}

// SetPriorityDestinations replaces the destinations served first.
func (db *DB) SetPriorityDestinations(ctx context.Context, dests []domain.Destination) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM priority_destinations`); err != nil {
			return err
		}
		for _, d := range dests {
			if _, err := tx.ExecContext(ctx, `INSERT INTO priority_destinations (platform, destination) VALUES ($1, $2) ON CONFLICT DO NOTHING`, d.Platform, d.ID); err != nil {
				return err
			}
		}
		// Posts not yet sent move to their destination's new place in line.
		for _, open := range []string{`status = 'pending' AND not_before = ''`, `status = 'pending' AND not_before != ''`, `status = 'sending'`} {
			if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET priority_dest = 1 - priority_dest
				WHERE `+open+` AND priority_dest != CAST(EXISTS (SELECT 1 FROM subscriptions s JOIN priority_destinations p
					ON p.platform = s.platform AND p.destination = s.destination WHERE s.id = deliveries.subscription_id) AS INTEGER)`); err != nil {
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

// MarkSent records delivered posts, in one transaction of two statements
// however many there are, and resets their destinations' failure counts.
func (db *DB) MarkSent(ctx context.Context, sent ...domain.Sent) error {
	if len(sent) == 0 {
		return nil
	}
	type mark struct {
		ID  int64  `json:"i"`
		Msg string `json:"m"`
		Sub int64  `json:"s"`
	}
	marks := make([]mark, len(sent))
	for i, s := range sent {
		marks[i] = mark{s.Delivery.ID, s.MessageID, s.Delivery.Sub.ID}
	}
	list, err := json.Marshal(marks)
	if err != nil {
		return err
	}
	now := stamp(db.now())
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, markSentSQL(db.d), string(list), now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE subscriptions SET failures = 0, last_error = ''
			WHERE id IN (SELECT CAST(m.value ->> 's' AS BIGINT) FROM `+db.d.objects("$1", "m")+`) AND failures > 0`, string(list))
		return err
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
// the destination is marked dead: this delivery with it, and its other
// pending posts as the claim meets them (ClaimDeliveries). Until then the
// delivery is retried at notBefore. It reports whether it died.
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
		_, err := tx.ExecContext(ctx, `UPDATE deliveries SET status='dead', last_error=$2 WHERE id=$1`, d.ID, reason)
		return err
	})
	return dead, err
}

// Release returns claimed deliveries that were never attempted (shutdown).
func (db *DB) Release(ctx context.Context, ds []domain.Delivery) error {
	for _, d := range ds {
		if _, err := db.w.ExecContext(ctx, `UPDATE deliveries SET status='pending', attempts=CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END
			WHERE id=$1 AND status='sending'`, d.ID); err != nil {
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
