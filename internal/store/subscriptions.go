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
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM subscriptions WHERE platform=$1 AND destination=$2 AND categories=$3 AND max_crs=$4`,
			s.Platform, s.Destination, domain.JoinKeys(cats), s.MaxCRS).Scan(&n); err != nil {
			return err
		}
		created = n == 0
		var err error
		out, err = scanSub(tx.QueryRowContext(ctx, `INSERT INTO subscriptions
			(platform, destination, categories, max_crs, mention, priority, created_by, created_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
			ON CONFLICT (platform, destination, categories, max_crs) DO UPDATE SET
				mention = excluded.mention, priority = excluded.priority, dead_at = '', failures = 0, last_error = ''
			RETURNING `+subCols,
			s.Platform, s.Destination, domain.JoinKeys(cats), s.MaxCRS, s.Mention, s.Priority, s.CreatedBy, stamp(db.now())))
		return err
	})
	if err != nil {
		return out, false, fmt.Errorf("store: subscribe: %w", err)
	}
	return out, created, nil
}

// Unsubscribe removes one subscription of a destination by ID, or all of
// them when id is 0, with their pending posts. It returns how many it removed.
func (db *DB) Unsubscribe(ctx context.Context, platform domain.Platform, destination string, id int64) (int, error) {
	q := `DELETE FROM subscriptions WHERE platform=$1 AND destination=$2`
	args := []any{platform, destination}
	if id != 0 {
		q += ` AND id=$3`
		args = append(args, id)
	}
	res, err := db.w.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("store: unsubscribe: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
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
	_, err := db.w.ExecContext(ctx, `UPDATE OR REPLACE subscriptions SET destination=$3 WHERE platform=$1 AND destination=$2`, platform, from, to)
	if err != nil {
		return fmt.Errorf("store: move destination: %w", err)
	}
	return nil
}

// MarkDestinationGone stops posts to a destination the platform says the bot
// has left (kicked, blocked): its subscriptions are marked dead and their
// pending posts dropped. Subscribing again revives them.
func (db *DB) MarkDestinationGone(ctx context.Context, platform domain.Platform, destination, reason string) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET dead_at=$3, last_error=$4
			WHERE platform=$1 AND destination=$2 AND dead_at=''`, platform, destination, stamp(db.now()), reason); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE deliveries SET status='dead', last_error=$3
			WHERE status='pending' AND subscription_id IN (SELECT id FROM subscriptions WHERE platform=$1 AND destination=$2)`,
			platform, destination, reason)
		return err
	})
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
