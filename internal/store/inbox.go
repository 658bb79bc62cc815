package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/eebot/eebot/internal/domain"
)

// KeepInbound stores updates taken from source (say "telegram:123") before
// the platform is told they arrived, and forgets the answered ones below
// confirmed, which the platform will not deliver again. It returns the IDs
// it did not hold already, in the order given: the others were taken
// before, by this run or an earlier one, and are answered from the store.
func (db *DB) KeepInbound(ctx context.Context, source string, confirmed int64, in []domain.Inbound) ([]int64, error) {
	var fresh []int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		fresh = fresh[:0]
		if _, err := tx.ExecContext(ctx, `DELETE FROM inbox WHERE source = $1 AND id < $2 AND answered_at != ''`, source, confirmed); err != nil {
			return err
		}
		add, err := tx.PrepareContext(ctx, `INSERT INTO inbox (source, id, received_at, body) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`)
		if err != nil {
			return err
		}
		defer add.Close()
		for _, u := range in {
			res, err := add.ExecContext(ctx, source, u.ID, stamp(u.At), u.Body)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				fresh = append(fresh, u.ID)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: keep inbound: %w", err)
	}
	return fresh, nil
}

// AnswerInbound marks updates of source answered (or deliberately left
// unanswered: too old), so a restart does not answer them again.
func (db *DB) AnswerInbound(ctx context.Context, source string, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	now := stamp(db.now())
	err := db.tx(ctx, func(tx *sql.Tx) error {
		mark, err := tx.PrepareContext(ctx, `UPDATE inbox SET answered_at = $3 WHERE source = $1 AND id = $2`)
		if err != nil {
			return err
		}
		defer mark.Close()
		for _, id := range ids {
			if _, err := mark.ExecContext(ctx, source, id, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: answer inbound: %w", err)
	}
	return nil
}

// WaitingInbound returns the updates of source not yet answered, oldest
// first.
func (db *DB) WaitingInbound(ctx context.Context, source string) ([]domain.Inbound, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, received_at, body FROM inbox WHERE source = $1 AND answered_at = '' ORDER BY id`, source)
	if err != nil {
		return nil, fmt.Errorf("store: waiting inbound: %w", err)
	}
	defer rows.Close()
	var out []domain.Inbound
	for rows.Next() {
		var (
			u  domain.Inbound
			at string
		)
		if err := rows.Scan(&u.ID, &at, &u.Body); err != nil {
			return nil, fmt.Errorf("store: waiting inbound: %w", err)
		}
		u.At = parseStamp(at)
		if u.At.IsZero() {
			u.At = time.Unix(0, 0)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}
