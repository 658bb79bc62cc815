package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/eebot/eebot/data"
	"github.com/eebot/eebot/internal/dataset"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
)

func TestSeededCounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Store(t)
	n, err := db.CountDraws(ctx, "")
	if err != nil || n != 438 {
		t.Fatalf("draws = %d, %v; want 438", n, err)
	}
	for cat, want := range map[domain.Key]int{domain.Healthcare: 15, domain.CEC: 67, domain.PNP: 111, domain.French: 36, domain.NoProgram: 167, domain.Researchers: 0} {
		if n, _ := db.CountDraws(ctx, cat); n != want {
			t.Errorf("CountDraws(%s) = %d, want %d", cat, n, want)
		}
	}
	cats, err := db.Categories(ctx)
	if err != nil || len(cats) != 21 {
		t.Fatalf("categories = %d, %v; want 21", len(cats), err)
	}
	total := 0
	for _, c := range cats {
		total += c.NOCCount
	}
	if total != 255 {
		t.Errorf("category NOC rows = %d, want 255", total)
	}
}

func TestDrawsNewestFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Store(t)
	ds, err := db.Draws(ctx, domain.DrawFilter{Category: domain.Healthcare, Limit: 2})
	if err != nil || len(ds) != 2 {
		t.Fatal(ds, err)
	}
	if ds[0].Number != "422" || ds[0].CRS != 475 || ds[0].Size != 4000 || ds[0].Date != "2026-06-25" || ds[0].Version != 3 {
		t.Errorf("latest healthcare = %+v", ds[0])
	}
	if ds[1].Number != "398" || ds[1].CRS != 467 {
		t.Errorf("previous healthcare = %+v", ds[1])
	}
	d, err := db.Draw(ctx, "91b")
	if err != nil || d.Category != domain.PNP {
		t.Errorf("91b = %+v, %v", d, err)
	}
	if _, err := db.Draw(ctx, "9999"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("missing draw err = %v", err)
	}
}

func TestDistributions(t *testing.T) {
	t.Parallel()
	db := storetest.Store(t)
	ds, err := db.Distributions(context.Background(), 2)
	if err != nil || len(ds) != 2 {
		t.Fatal(ds, err)
	}
	if ds[0].Number != "437" || ds[0].Dist.AsOf != "2026-08-16" || ds[0].Dist.Total != 226859 || len(ds[0].Dist.Bands) != 15 {
		t.Errorf("latest snapshot = %+v %+v", ds[0], ds[0].Dist)
	}
	if ds[1].Dist.AsOf == ds[0].Dist.AsOf {
		t.Errorf("snapshots not distinct: %s", ds[1].Dist.AsOf)
	}
}

func TestSearchNOC(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Store(t)
	tests := []struct {
		q     string
		first string
		min   int
	}{
		{"331", "33100", 5},
		{"33109", "33109", 1},
		{"nurse", "", 3},
		{"registered nurses", "31301", 1},
		{"infirmier", "", 1},
		{`"); DROP TABLE noc; --`, "", 0},
		{"*", "", 0},
	}
	for _, tc := range tests {
		got, err := db.SearchNOC(ctx, tc.q, 25)
		if err != nil {
			t.Errorf("SearchNOC(%q): %v", tc.q, err)
			continue
		}
		if len(got) < tc.min || (tc.first != "" && (len(got) == 0 || got[0].Code != tc.first)) {
			t.Errorf("SearchNOC(%q) = %v", tc.q, got)
		}
	}
	if _, err := db.NOC(ctx, "99999"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("NOC(99999) err = %v", err)
	}
}

// Re-seeding the same files changes nothing, and a draw a live feed added
// after the snapshot survives a restart on a file database.
func TestSeedIdempotentKeepsLaterDraws(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bot.db")
	// A file as store.Open and dataset.Seed leave it (storetest seeds it
	// that way once per test process).
	storetest.SeedFile(t, path)
	db, err := store.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := dataset.Seed(ctx, db, data.Files, nil); err != nil { // the same files: nothing to do
		t.Fatal(err)
	}
	latest, _ := db.Draw(ctx, "437")
	next := latest
	next.Number, next.Seq, next.Date, next.CRS = "438", 438, "2026-08-21", 500
	res, err := db.SaveDraws(ctx, []domain.Draw{next}, domain.OriginFeed)
	if err != nil || len(res.Added) != 1 {
		t.Fatal(res, err)
	}
	// A later feed corrects an old draw; re-seeding must not revert it.
	fixed := latest
	fixed.CRS = 383
	if res, err := db.SaveDraws(ctx, []domain.Draw{fixed}, domain.OriginFeed); err != nil || len(res.Updated) != 1 {
		t.Fatal(res, err)
	}
	db.Close()
	db, err = store.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetMeta(ctx, store.MetaEmbeddedSum, "force-reseed"); err != nil {
		t.Fatal(err)
	}
	if err := dataset.Seed(ctx, db, data.Files, nil); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.CountDraws(ctx, ""); n != 439 {
		t.Errorf("draws after reseed = %d, want 439", n)
	}
	if d, _ := db.Draw(ctx, "437"); d.CRS != 383 || d.Origin != domain.OriginFeed {
		t.Errorf("437 after reseed = CRS %d from %s, want the feed's 383", d.CRS, d.Origin)
	}
	res, err = db.SaveDraws(ctx, []domain.Draw{latest}, domain.OriginSnapshot)
	if err != nil || len(res.Added)+len(res.Updated) != 0 {
		t.Errorf("embedded overwrote feed data: %+v %v", res, err)
	}
}
