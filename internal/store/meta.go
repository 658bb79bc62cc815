package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/eebot/eebot/internal/domain"
)

// Meta keys.
const (
	MetaSnapshot    = "snapshot_date"
	MetaEmbeddedSum = "embedded_sha256"
)

// GetMeta returns a meta value, "" when unset.
func (db *DB) GetMeta(ctx context.Context, key string) (string, error) {
	var v string
	err := db.r.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: meta %s: %w", key, err)
	}
	return v, nil
}

// SetMeta stores a meta value.
func (db *DB) SetMeta(ctx context.Context, key, value string) error {
	_, err := db.w.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("store: set meta %s: %w", key, err)
	}
	return nil
}

// Meta reports the data's freshness.
func (db *DB) Meta(ctx context.Context) (domain.FeedMeta, error) {
	var m domain.FeedMeta
	rows, err := db.r.QueryContext(ctx, `SELECT key, value FROM meta WHERE key IN ($1, $2, $3)`, MetaSnapshot, domain.MetaLastChecked, domain.MetaLastChanged)
	if err != nil {
		return m, fmt.Errorf("store: meta: %w", err)
	}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			rows.Close()
			return m, err
		}
		switch k {
		case MetaSnapshot:
			m.SnapshotDate = v
		case domain.MetaLastChecked:
			m.LastChecked = v
		case domain.MetaLastChanged:
			m.LastChanged = v
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return m, err
	}
	err = db.r.QueryRowContext(ctx, `SELECT coalesce(max(date), '') FROM draws`).Scan(&m.LatestDraw)
	if err != nil {
		return m, fmt.Errorf("store: meta: %w", err)
	}
	return m, nil
}

var _ domain.Store = (*DB)(nil)
