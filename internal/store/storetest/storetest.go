// Package storetest opens in-memory stores seeded from the embedded data, for
// tests and benchmarks of every layer.
package storetest

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/eebot/eebot/data"
	"github.com/eebot/eebot/internal/dataset"
	"github.com/eebot/eebot/internal/store"
)

// Now is the clock tests use: noon UTC on the day the embedded snapshot was saved.
func Now() time.Time { return time.Date(2026, 8, 20, 12, 0, 0, 0, time.UTC) }

// Store returns an in-memory store seeded from the embedded data.
func Store(tb testing.TB) *store.DB {
	tb.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(ctx, ":memory:", log)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := dataset.Seed(ctx, db, data.Files, log); err != nil {
		tb.Fatal(err)
	}
	return db
}
