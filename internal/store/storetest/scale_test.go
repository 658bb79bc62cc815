package storetest_test

import (
	"context"
	"testing"

	"github.com/eebot/eebot/data"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/ircc"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
)

// A synthetic feed reads as cleanly as the real one: scale times the
// rounds, the same oddities scale times over and no new ones, every copy
// before the first real round.
func TestFeedScale(t *testing.T) {
	real, err := data.Files.ReadFile(data.IRCCFeed)
	if err != nil {
		t.Fatal(err)
	}
	want, realWarns, err := ircc.ParseReport(real)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, w := range realWarns {
		kinds[w.Field] = true
	}
	for _, scale := range []int{1, 10} {
		feed, err := storetest.Feed(scale)
		if err != nil {
			t.Fatal(err)
		}
		draws, warns, err := ircc.ParseReport(feed)
		if err != nil {
			t.Fatalf("scale %d: %v", scale, err)
		}
		if len(draws) != scale*len(want) {
			t.Errorf("scale %d: %d draws, want %d", scale, len(draws), scale*len(want))
		}
		for i, d := range draws[len(want):] {
			w := want[i%len(want)]
			if d.Date >= "2015-01-31" || d.Date < "2001-01-01" {
				t.Errorf("scale %d: copy of %s dated %s", scale, w.Number, d.Date)
			}
			if d.Category != w.Category || d.Version != w.Version || d.CRS != w.CRS || d.Size != w.Size ||
				(d.Dist == nil) != (w.Dist == nil) || d.URL != domain.RoundURL(d.Number) && d.URL == w.URL {
				t.Errorf("scale %d: %s is not a copy of %s: %+v", scale, d.Number, w.Number, d)
			}
			if d.DrawnAt.IsZero() != w.DrawnAt.IsZero() || d.TieBreak.IsZero() != w.TieBreak.IsZero() {
				t.Errorf("scale %d: %s lost a time of %s", scale, d.Number, w.Number)
			}
		}
		for _, w := range warns {
			if !kinds[w.Field] {
				t.Errorf("scale %d: new oddity %v", scale, w)
			}
		}
		if len(warns) > scale*len(realWarns) {
			t.Errorf("scale %d: %d warnings, want at most %d", scale, len(warns), scale*len(realWarns))
		}
	}
}

// A scaled store answers about the recent past as the real one does, in
// memory and on a file. (Scale 2: seeding under the race detector is slow.)
func TestStoreAt(t *testing.T) {
	ctx := context.Background()
	for _, db := range []*store.DB{storetest.StoreAt(t, 2), storetest.FileStore(t, 2)} {
		if n, err := db.CountDraws(ctx, ""); err != nil || n != 876 {
			t.Fatalf("draws = %d, %v", n, err)
		}
		ds, err := db.Draws(ctx, domain.DrawFilter{Category: domain.Healthcare, Limit: 1})
		if err != nil || len(ds) != 1 || ds[0].Number != "422" {
			t.Fatalf("latest healthcare draw = %v, %v", ds, err)
		}
	}
}
