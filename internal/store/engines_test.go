package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/pgtest"
	"github.com/eebot/eebot/internal/store/storetest"
)

// TestEnginesAgree: on the same data, Postgres answers the reads whose
// order each engine computes its own way as SQLite does — the NOC title
// search (FTS5's bm25 on SQLite, the word table on Postgres) for every
// word and three-letter prefix of every title, in both languages, and
// the draw summaries of every category.
func TestEnginesAgree(t *testing.T) {
	pgtest.Server(t)
	if !pgtest.OnPostgres() {
		t.Skip("runs once, in the Postgres run of the package's tests")
	}
	ctx := context.Background()
	lite, pg := storetest.SQLite(t), storetest.Store(t)
	var nocs []domain.NOC
	for d := range 10 {
		ns, err := lite.SearchNOC(ctx, string(rune('0'+d)), 1000)
		if err != nil {
			t.Fatal(err)
		}
		nocs = append(nocs, ns...)
	}
	if len(nocs) != 516 {
		t.Fatalf("%d unit groups, want NOC 2021's 516", len(nocs))
	}
	queries := map[string]bool{"infirmiere": true, "ingénieur logiciel": true, "truck driver": true, "nurse": true}
	for _, n := range nocs {
		for _, title := range []string{n.TitleEN, n.TitleFR} {
			words := strings.Fields(title)
			if len(words) > 0 {
				queries[words[0]] = true
				if len([]rune(words[0])) > 3 {
					queries[string([]rune(words[0])[:3])] = true
				}
			}
			if len(words) > 1 {
				queries[words[0]+" "+words[1]] = true
			}
		}
	}
	codes := func(ns []domain.NOC) []string {
		out := make([]string, len(ns))
		for i, n := range ns {
			out[i] = n.Code
		}
		return out
	}
	differ := 0
	for q := range queries {
		a, errA := lite.SearchNOC(ctx, q, 10)
		b, errB := pg.SearchNOC(ctx, q, 10)
		if errA != nil || errB != nil {
			t.Fatalf("%q: %v / %v", q, errA, errB)
		}
		if !slices.Equal(codes(a), codes(b)) {
			differ++
			t.Errorf("%q: SQLite %v, Postgres %v", q, codes(a), codes(b))
		}
	}
	t.Logf("%d title searches, %d differ", len(queries), differ)
	cats, err := lite.Categories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cats {
		for _, f := range []domain.DrawFilter{{Category: c.Key}, {Category: c.Key, Version: c.Version}, {Category: c.Key, From: "2025-01-01"}} {
			a, errA := lite.SummarizeDraws(ctx, f)
			b, errB := pg.SummarizeDraws(ctx, f)
			if (errA == nil) != (errB == nil) || a.Draws != b.Draws || a.Invitations != b.Invitations || a.MinCRS != b.MinCRS ||
				a.MedianCRS != b.MedianCRS || a.MaxCRS != b.MaxCRS || a.SumCRS != b.SumCRS ||
				a.Newest.Number != b.Newest.Number || a.Oldest.Number != b.Oldest.Number {
				t.Errorf("%+v: SQLite %+v (%v), Postgres %+v (%v)", f, a, errA, b, errB)
			}
		}
	}
}
