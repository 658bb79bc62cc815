package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/eebot/eebot/internal/domain"
)

const subCols = `id, platform, destination, categories, max_crs, mention, priority, created_by, created_at, dead_at, last_error`

func scanSub(s scanner) (domain.Subscription, error) {
	var sub domain.Subscription
	var cats, created, dead string
	err := s.Scan(&sub.ID, &sub.Platform, &sub.Destination, &cats, &sub.MaxCRS, &sub.Mention, &sub.Priority,
		&sub.CreatedBy, &created, &dead, &sub.LastError)
	sub.Categories = domain.SplitKeys(cats)
	sub.CreatedAt = parseStamp(created)
	sub.Dead = dead != ""
	return sub, err
}

// Subscribe stores a subscription, or revives and updates the identical one
// (same destination, categories and cutoff). created is false for the latter.
func (db *DB) Subscribe(ctx context.Context, s domain.Subscription) (domain.Subscription, bool, error) {
	cats := slices.Clone(s.Categories)
	slices.Sort(cats)
	cats = slices.Compact(cats)
	var created bool
	var out domain.Subscription
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var deadAt string
		var priority int
		err := tx.QueryRowContext(ctx, `SELECT dead_at, priority FROM subscriptions WHERE platform=$1 AND destination=$2 AND categories=$3 AND max_crs=$4`,
			s.Platform, s.Destination, domain.JoinKeys(cats), s.MaxCRS).Scan(&deadAt, &priority)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		created = errors.Is(err, sql.ErrNoRows)
		out, err = scanSub(tx.QueryRowContext(ctx, `INSERT INTO subscriptions
			(platform, destination, categories, max_crs, mention, priority, created_by, created_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
			ON CONFLICT (platform, destination, categories, max_crs) DO UPDATE SET
				mention = excluded.mention, priority = excluded.priority, dead_at = '', failures = 0, last_error = ''
			RETURNING `+subCols,
			s.Platform, s.Destination, domain.JoinKeys(cats), s.MaxCRS, s.Mention, s.Priority, s.CreatedBy, stamp(db.now())))
		if err != nil || created {
			return err
		}
		// These read the whole outbox (no index leads with the
		// subscription), so they run only in the rare cases that need them.
		if deadAt != "" {
			// Revived: what was queued before it died is dropped, as
			// ClaimDeliveries would have dropped it.
			if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET status = 'dead', last_error = 'destination gone'
				WHERE subscription_id = $1 AND status = 'pending'`, out.ID); err != nil {
				return err
			}
		}
		if priority != out.Priority {
			err = reprioritize(ctx, tx, out.ID, out.Priority)
		}
		return err
	})
	if err != nil {
		return out, false, fmt.Errorf("store: subscribe: %w", err)
	}
	return out, created, nil
}

// Unsubscribe removes one subscription of a destination by ID, or all of
// them when id is 0, with their posts (dropSubscriptions). It returns how
// many it removed.
func (db *DB) Unsubscribe(ctx context.Context, platform domain.Platform, destination string, id int64) (int, error) {
	var n int
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		_, n, err = dropSubscriptions(ctx, tx, `SELECT id FROM subscriptions WHERE platform=$1 AND destination=$2 AND ($3 = 0 OR id=$3)`,
			platform, destination, id)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: unsubscribe: %w", err)
	}
	return n, nil
}

// reprioritize gives a subscription's posts not yet sent its new priority,
// which is their place in the claim's order.
func reprioritize(ctx context.Context, tx *sql.Tx, sub int64, priority int) error {
	_, err := tx.ExecContext(ctx, `UPDATE deliveries SET priority = $2
		WHERE subscription_id = $1 AND status IN ('pending', 'sending')`, sub, priority)
	return err
}

// dropSubscriptions deletes the subscriptions that which (a SELECT of ids,
// with args) selects, and their deliveries, sent or not: deliveries have
// no foreign key to cascade (see 0010_outbox_queue.sql), subscription IDs
// can be reused, and a new subscription must not inherit them. It returns
// how many deliveries and subscriptions it deleted.
func dropSubscriptions(ctx context.Context, tx *sql.Tx, which string, args ...any) (deliveries, subs int, err error) {
	if deliveries, err = exec(ctx, tx, `DELETE FROM deliveries WHERE subscription_id IN (`+which+`)`, args...); err != nil {
		return 0, 0, err
	}
	subs, err = exec(ctx, tx, `DELETE FROM subscriptions WHERE id IN (`+which+`)`, args...)
	return deliveries, subs, err
}

// Subscriptions lists a destination's subscriptions, or every one on a
// platform when destination is "", or everywhere when both are "".
func (db *DB) Subscriptions(ctx context.Context, platform domain.Platform, destination string) ([]domain.Subscription, error) {
	q := `SELECT ` + subCols + ` FROM subscriptions WHERE ($1 = '' OR platform = $1) AND ($2 = '' OR destination = $2) ORDER BY priority DESC, id`
	rows, err := db.r.QueryContext(ctx, q, platform, destination)
	if err != nil {
		return nil, fmt.Errorf("store: subscriptions: %w", err)
	}
	defer rows.Close()
	var out []domain.Subscription
	for rows.Next() {
		s, err := scanSub(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// MoveDestination follows a chat that changed its ID (a Telegram group
// upgraded to a supergroup).
func (db *DB) MoveDestination(ctx context.Context, platform domain.Platform, from, to string) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		// A subscription the move replaces (the same filters at the new
		// ID) takes its deliveries with it, as Unsubscribe does.
		replaced := `SELECT t.id FROM subscriptions f JOIN subscriptions t ON t.platform = f.platform AND t.destination = $3
			AND t.categories = f.categories AND t.max_crs = f.max_crs WHERE f.platform = $1 AND f.destination = $2`
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (`+replaced+`) AS r`, platform, from, to).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			if _, _, err := dropSubscriptions(ctx, tx, replaced, platform, from, to); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET destination=$3 WHERE platform=$1 AND destination=$2`, platform, from, to); err != nil {
			return err
		}
		// Its posts not yet sent are served first or not as the new ID is.
		var moved bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM priority_destinations WHERE platform=$1 AND destination=$2)
			!= EXISTS (SELECT 1 FROM priority_destinations WHERE platform=$1 AND destination=$3)`, platform, from, to).Scan(&moved); err != nil || !moved {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE deliveries SET priority_dest = 1 - priority_dest
			WHERE status IN ('pending', 'sending') AND subscription_id IN (SELECT id FROM subscriptions WHERE platform=$1 AND destination=$2)`, platform, to)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: move destination: %w", err)
	}
	return nil
}

// MarkDestinationGone stops posts to a destination the platform says the bot
// has left (kicked, blocked): its subscriptions are marked dead, and their
// pending posts are dropped as the claim meets them (ClaimDeliveries), so
// a fan-out with many gone chats does not read the outbox for each.
// Subscribing again revives them.
func (db *DB) MarkDestinationGone(ctx context.Context, platform domain.Platform, destination, reason string) error {
	_, err := db.w.ExecContext(ctx, `UPDATE subscriptions SET dead_at=$3, last_error=$4
		WHERE platform=$1 AND destination=$2 AND dead_at=''`, platform, destination, stamp(db.now()), reason)
	if err != nil {
		return fmt.Errorf("store: destination gone: %w", err)
	}
	return nil
}

// ChatLanguage returns the language a destination's managers chose, "" when
// they chose none.
func (db *DB) ChatLanguage(ctx context.Context, platform domain.Platform, destination string) (string, error) {
	var lang string
	err := db.r.QueryRowContext(ctx, `SELECT lang FROM chat_settings WHERE platform=$1 AND destination=$2`, platform, destination).Scan(&lang)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return lang, err
}

// SetChatLanguage records a destination's language; "" forgets it.
func (db *DB) SetChatLanguage(ctx context.Context, platform domain.Platform, destination, lang string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		if lang == "" {
			_, err := tx.ExecContext(ctx, `DELETE FROM chat_settings WHERE platform=$1 AND destination=$2`, platform, destination)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO chat_settings (platform, destination, lang) VALUES ($1, $2, $3)
			ON CONFLICT (platform, destination) DO UPDATE SET lang = excluded.lang`, platform, destination, lang)
		return err
	})
}
