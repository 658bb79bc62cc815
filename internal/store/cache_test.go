package store

import (
	"context"
	"path/filepath"
	"testing"
)

// Every connection to a file, the writer's and the readers', has the
// bounded page cache.
func TestCacheSize(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "bot.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var w, r int
	if err := db.w.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&w); err != nil {
		t.Fatal(err)
	}
	if err := db.r.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&r); err != nil {
		t.Fatal(err)
	}
	if w != cacheSize || r != cacheSize {
		t.Errorf("cache_size: writer %d, reader %d, want %d", w, r, cacheSize)
	}
}
