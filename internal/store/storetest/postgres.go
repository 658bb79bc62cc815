package storetest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/eebot/eebot/data"
	"github.com/eebot/eebot/internal/dataset"
	"github.com/eebot/eebot/internal/pgtest"
	"github.com/eebot/eebot/internal/store"
)

// Postgres returns a store on a Postgres database of its own seeded from
// Files(scale), with opts, or skips tb when no server is set
// (pgtest.Server). Each scale's seeded database is built once per process
// and copied (CREATE DATABASE … TEMPLATE), as the SQLite stores are.
func Postgres(tb testing.TB, scale int, opts ...store.Option) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), PostgresURL(tb, scale), quiet(), opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// PostgresURL returns the URL of a Postgres database of tb's own seeded
// from Files(scale), for tests that open it several times (replicas).
func PostgresURL(tb testing.TB, scale int) string {
	tb.Helper()
	tpl := pgtest.Template(tb, fmt.Sprintf("seeded%d", scale), func(url string) error {
		fsys := fs.FS(data.Files)
		if scale != 1 {
			var err error
			if fsys, err = Files(scale); err != nil {
				return err
			}
		}
		ctx := context.Background()
		db, err := store.Open(ctx, url, quiet())
		if err != nil {
			return err
		}
		return errors.Join(dataset.Seed(ctx, db, fsys, quiet()), db.Close())
	})
	return pgtest.Clone(tb, tpl)
}

// Reopenable is where a test opens an empty database it closes and opens
// again (a restart): a file named name in tb.TempDir(), or in the Postgres
// run of a package's tests (pgtest.Rerun) an empty Postgres database.
func Reopenable(tb testing.TB, name string) string {
	tb.Helper()
	if pgtest.OnPostgres() {
		return pgtest.Database(tb)
	}
	return filepath.Join(tb.TempDir(), name)
}
