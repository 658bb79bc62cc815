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
	err := db.rd.getMeta.QueryRowContext(ctx, key).Scan(&v)
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
	db.changes.changed()
	if err != nil {
		return fmt.Errorf("store: set meta %s: %w", key, err)
	}
	return nil
}

// Meta reports the data's freshness. Nearly every answer says it ("data as
// of"), and it changes only when this DB writes draws or meta, so it is
// read once after each such write.
func (db *DB) Meta(ctx context.Context) (domain.FeedMeta, error) {
	db.sync(ctx)
	at := db.changes.n.Load()
	if c := db.changes.meta.Load(); c != nil && c.at == at {
		return c.m, nil
	}
	var m domain.FeedMeta
	err := db.rd.meta.QueryRowContext(ctx, MetaSnapshot, domain.MetaLastChecked, domain.MetaLastChanged).
		Scan(&m.SnapshotDate, &m.LastChecked, &m.LastChanged, &m.LatestDraw)
	if err != nil {
		return m, fmt.Errorf("store: meta: %w", err)
	}
	db.changes.meta.Store(&cachedMeta{at: at, m: m})
	return m, nil
}

var _ domain.Store = (*DB)(nil)
