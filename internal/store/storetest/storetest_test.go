package storetest_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/eebot/eebot/data"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
)

func TestStoreIsSeeded(t *testing.T) {
	ctx := context.Background()
	db := storetest.Store(t)
	if n, err := db.CountDraws(ctx, ""); err != nil || n != 438 {
		t.Fatalf("draws = %d, %v; want 438", n, err)
	}
	if v, err := db.GetMeta(ctx, store.MetaSnapshot); err != nil || v != data.SnapshotDate {
		t.Errorf("snapshot meta = %q, %v", v, err)
	}
	if ns, err := db.SearchNOC(ctx, "nurse", 3); err != nil || len(ns) == 0 {
		t.Errorf("SearchNOC(nurse) = %v, %v (full-text index missing from the copy?)", ns, err)
	}
}

// Stores share nothing: what one test writes, another never sees.
func TestStoresAreIndependent(t *testing.T) {
	ctx := context.Background()
	a, b := storetest.Store(t), storetest.Store(t)
	if _, _, err := a.Subscribe(ctx, domain.Subscription{Platform: domain.Discord, Destination: "c1"}); err != nil {
		t.Fatal(err)
	}
	d, err := a.Draw(ctx, "437")
	if err != nil {
		t.Fatal(err)
	}
	d.Number, d.Seq, d.Date = "438", 438, "2026-08-21"
	if _, err := a.SaveDraws(ctx, []domain.Draw{d}, domain.OriginFeed); err != nil {
		t.Fatal(err)
	}
	if subs, err := b.Subscriptions(ctx, domain.Discord, "c1"); err != nil || len(subs) != 0 {
		t.Errorf("b sees a's subscriptions: %v, %v", subs, err)
	}
	if n, _ := b.CountDraws(ctx, ""); n != 438 {
		t.Errorf("b has %d draws, want 438", n)
	}
	if n, _ := a.CountDraws(ctx, ""); n != 439 {
		t.Errorf("a has %d draws, want 439", n)
	}
	c := storetest.Store(t)
	if n, _ := c.CountDraws(ctx, ""); n != 438 {
		t.Errorf("a later store has %d draws, want 438", n)
	}
}

// Parallel tests open stores at the same time; each still gets its own.
func TestStoreConcurrent(t *testing.T) {
	ctx := context.Background()
	var wg sync.WaitGroup
	dbs := make([]*store.DB, 8)
	for i := range dbs {
		wg.Go(func() { dbs[i] = storetest.Store(t) })
	}
	wg.Wait()
	for i, db := range dbs {
		if _, _, err := db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	for i, db := range dbs {
		for j := range dbs {
			subs, err := db.Subscriptions(ctx, domain.Telegram, fmt.Sprint(j))
			if want := map[bool]int{true: 1, false: 0}[i == j]; err != nil || len(subs) != want {
				t.Errorf("store %d has %d subscriptions for %d, want %d (%v)", i, len(subs), j, want, err)
			}
		}
	}
}

func BenchmarkStore(b *testing.B) {
	storetest.Store(b) // the template, once
	for b.Loop() {
		storetest.Store(b)
	}
}

// SeedFile leaves a database file that store.Open and dataset.Seed take
// as already seeded.
func TestSeedFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bot.db")
	storetest.SeedFile(t, path)
	db, err := store.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n, err := db.CountDraws(ctx, ""); err != nil || n != 438 {
		t.Fatalf("draws = %d, %v; want 438", n, err)
	}
	if v, _ := db.GetMeta(ctx, store.MetaEmbeddedSum); v == "" {
		t.Error("no embedded checksum: dataset.Seed would load everything again")
	}
	if _, _, err := db.Subscribe(ctx, domain.Subscription{Platform: domain.Discord, Destination: "c1"}); err != nil {
		t.Fatalf("the file is not writable: %v", err)
	}
}

// SeedMemory seeds every in-memory database opened while it is in effect,
// each on its own, and none after.
func TestSeedMemory(t *testing.T) {
	ctx := context.Background()
	open := func(t *testing.T) *store.DB {
		db, err := store.Open(ctx, ":memory:", nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	t.Run("in effect", func(t *testing.T) {
		storetest.SeedMemory(t)
		a, b := open(t), open(t)
		if _, _, err := a.Subscribe(ctx, domain.Subscription{Platform: domain.Discord, Destination: "c1"}); err != nil {
			t.Fatal(err)
		}
		for i, db := range []*store.DB{a, b} {
			if n, _ := db.CountDraws(ctx, ""); n != 438 {
				t.Errorf("store %d: %d draws, want 438", i, n)
			}
		}
		if subs, _ := b.Subscriptions(ctx, domain.Discord, "c1"); len(subs) != 0 {
			t.Errorf("b sees a's subscription: %v", subs)
		}
	})
	t.Run("after", func(t *testing.T) {
		if n, _ := open(t).CountDraws(ctx, ""); n != 0 {
			t.Errorf("%d draws in an in-memory store opened after SeedMemory ended", n)
		}
	})
}
