package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/eebot/eebot/internal/domain"
)

// A personal alert is a subscriptions row (see 0012_alerts.sql) with an
// owner and domain.AlertPriority: it fans out, is claimed, rate-limited,
// retried and marked dead exactly as a channel's subscription is, and its
// posts come after every channel's because the claim orders by priority.

const alertCols = `id, platform, owner, destination, categories, max_crs, lang, created_at, dead_at, last_error`

func scanAlert(s scanner) (domain.Alert, error) {
	var a domain.Alert
	var cats, created, dead string
	err := s.Scan(&a.ID, &a.Platform, &a.Owner, &a.Destination, &cats, &a.MaxCRS, &a.Lang, &created, &dead, &a.LastError)
	a.Categories = domain.SplitKeys(cats)
	a.CreatedAt = parseStamp(created)
	a.Dead = dead != ""
	return a, err
}

// AddAlert stores a person's alert, or updates the identical one (same
// private chat, categories and cutoff): its language and owner are the
// new ones. created is false for the latter. Alerts of that chat the
// platform had refused (the person blocked the bot) are revived.
func (db *DB) AddAlert(ctx context.Context, a domain.Alert) (domain.Alert, bool, error) {
	if a.Owner == "" || a.Destination == "" {
		return domain.Alert{}, false, errors.New("store: add alert: no owner or destination")
	}
	cats := slices.Clone(a.Categories)
	slices.Sort(cats)
	cats = slices.Compact(cats)
	var created bool
	var out domain.Alert
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var priority int
		err := tx.QueryRowContext(ctx, `SELECT priority FROM subscriptions WHERE platform=$1 AND destination=$2 AND categories=$3 AND max_crs=$4`,
			a.Platform, a.Destination, domain.JoinKeys(cats), a.MaxCRS).Scan(&priority)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		created = errors.Is(err, sql.ErrNoRows)
		// They wrote from this chat, so it takes the bot's posts again (they
		// unblocked it): every alert of theirs there comes back, not only
		// this one; what was queued before they died is dropped, as the
		// claim would have dropped it. The outbox is read only when some
		// died, which is rare.
		var dead int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM subscriptions WHERE platform = $1 AND destination = $2 AND dead_at != ''`,
			a.Platform, a.Destination).Scan(&dead); err != nil {
			return err
		}
		if dead > 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET status = 'dead', last_error = 'destination gone'
				WHERE status = 'pending' AND subscription_id IN (SELECT id FROM subscriptions WHERE platform = $1 AND destination = $2 AND dead_at != '')`,
				a.Platform, a.Destination); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET dead_at = '', failures = 0, last_error = ''
				WHERE platform = $1 AND destination = $2 AND dead_at != ''`, a.Platform, a.Destination); err != nil {
				return err
			}
		}
		out, err = scanAlert(tx.QueryRowContext(ctx, `INSERT INTO subscriptions
			(platform, destination, categories, max_crs, priority, created_by, created_at, owner, lang)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $6, $8)
			ON CONFLICT (platform, destination, categories, max_crs) DO UPDATE SET
				priority = excluded.priority, owner = excluded.owner, lang = excluded.lang, mention = '',
				dead_at = '', failures = 0, last_error = ''
			RETURNING `+alertCols,
			a.Platform, a.Destination, domain.JoinKeys(cats), a.MaxCRS, domain.AlertPriority, a.Owner, stamp(db.now()), a.Lang))
		if err != nil || created {
			return err
		}
		if priority != domain.AlertPriority {
			// A private chat subscribed before alerts existed: its posts
			// not yet sent now wait behind the channels'.
			err = reprioritize(ctx, tx, out.ID, domain.AlertPriority)
		}
		return err
	})
	if err != nil {
		return out, false, fmt.Errorf("store: add alert: %w", err)
	}
	return out, created, nil
}

// Alerts lists a person's alerts on a platform, oldest first.
func (db *DB) Alerts(ctx context.Context, platform domain.Platform, owner string) ([]domain.Alert, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+alertCols+` FROM subscriptions WHERE platform = $1 AND owner = $2 AND owner != '' ORDER BY id`,
		platform, owner)
	if err != nil {
		return nil, fmt.Errorf("store: alerts: %w", err)
	}
	defer rows.Close()
	var out []domain.Alert
	for rows.Next() {
		a, err := scanAlert(rows)
		if err != nil {
			return nil, fmt.Errorf("store: alerts: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// RemoveAlerts removes one of a person's alerts by ID, or all of them when
// id is 0, with their posts sent or not (as Unsubscribe does). It returns
// how many it removed; another person's alert is never touched.
func (db *DB) RemoveAlerts(ctx context.Context, platform domain.Platform, owner string, id int64) (int, error) {
	if owner == "" {
		return 0, nil
	}
	var n int
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		_, n, err = dropSubscriptions(ctx, tx, `SELECT id FROM subscriptions WHERE platform = $1 AND owner = $2 AND ($3 = 0 OR id = $3)`,
			platform, owner, id)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: remove alerts: %w", err)
	}
	return n, nil
}
