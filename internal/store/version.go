package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/eebot/eebot/internal/domain"
)

// DrawsVersion is a token of the stored draws of some categories (all for
// none): it changes when one is added or any value of one changes, so a
// chart drawn from them can be reused while it stays the same. One
// aggregate query, much cheaper than reading the draws.
func (db *DB) DrawsVersion(ctx context.Context, keys []domain.Key) (string, error) {
	q := `SELECT count(*), coalesce(max(updated_at), ''), coalesce(max(date), ''), coalesce(sum(crs), 0), coalesce(sum(size), 0),
		coalesce(sum(version), 0), coalesce(sum(dist_total), 0) FROM draws`
	args := make([]any, len(keys))
	if len(keys) > 0 {
		ph := make([]string, len(keys))
		for i, k := range keys {
			ph[i], args[i] = fmt.Sprintf("$%d", i+1), string(k)
		}
		q += ` WHERE category IN (` + strings.Join(ph, ", ") + `)`
	}
	var n, crs, size, version, dist int64
	var updated, newest string
	if err := db.r.QueryRowContext(ctx, q, args...).Scan(&n, &updated, &newest, &crs, &size, &version, &dist); err != nil {
		return "", fmt.Errorf("store: draws version: %w", err)
	}
	return fmt.Sprintf("%d/%s/%s/%d/%d/%d/%d", n, updated, newest, crs, size, version, dist), nil
}
