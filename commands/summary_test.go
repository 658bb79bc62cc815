package commands

import (
	"context"
	"testing"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/store/storetest"
)

// stats adds up a period's draws in SQL exactly as summarize does in Go
// over the draws the period holds.
func TestSummarizeInMatchesSummarize(t *testing.T) {
	ctx := context.Background()
	db := storetest.StoreAt(t, 2)
	e := New(db, WithClock(storetest.Now))
	for _, key := range append([]domain.Key{""}, domain.CategoryKeys()...) {
		all, err := db.Draws(ctx, domain.DrawFilter{Category: key})
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range []string{"ever", "2025", "2023-05", "since 2020", "last 12 months", "this year", "last year", "2015"} {
			per, ok := parsePeriod(text, storetest.Now())
			if !ok {
				t.Fatalf("period %q", text)
			}
			var ds []domain.Draw
			for _, d := range all {
				if per.holds(d.Date) {
					ds = append(ds, d)
				}
			}
			got, err := e.summarizeIn(ctx, key, per)
			if err != nil {
				t.Fatal(err)
			}
			var want summary
			if len(ds) > 0 {
				want = summarize(ds)
			}
			if got.draws != want.draws || got.invitations != want.invitations || got.lo != want.lo || got.med != want.med ||
				got.mean != want.mean || got.hi != want.hi || got.first.Number != want.first.Number || got.last.Number != want.last.Number {
				t.Errorf("%q %s: SQL %+v, Go %+v", key, text, got, want)
			}
		}
	}
}
