package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/eebot/eebot/data"
	"github.com/eebot/eebot/internal/dataset"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
)

// Every filter selects what reading all the draws and filtering them in Go
// would, in the same order, on a store of twice the real history.
func TestDrawFilters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.StoreAt(t, 2)
	all, err := db.Draws(ctx, domain.DrawFilter{})
	if err != nil || len(all) != 876 {
		t.Fatalf("%d draws, %v", len(all), err)
	}
	for _, f := range []domain.DrawFilter{
		{},
		{Category: domain.Healthcare},
		{Category: domain.Healthcare, Version: 1},
		{Category: domain.Healthcare, Version: 3, Limit: 1},
		{Category: domain.Healthcare, Version: 9},
		{Category: domain.STEM, Version: 2, Oldest: true},
		{From: "2025-01-01", To: "2025-12-31"},
		{Category: domain.CEC, From: "2024-01-01"},
		{Category: domain.CEC, To: "2015-01-30", Limit: 7, Offset: 3},
		{To: "2015-01-30", Oldest: true, Limit: 10, Offset: 400},
		{Oldest: true, Limit: 10},
		{Limit: 10, Offset: 870},
		{Category: domain.PNP, From: "2026-08-20"},
	} {
		var want []domain.Draw
		for _, d := range all {
			if (f.Category == "" || d.Category == f.Category) && (f.Category == "" || f.Version == 0 || d.Version == f.Version) &&
				(f.From == "" || d.Date >= f.From) && (f.To == "" || d.Date <= f.To) {
				want = append(want, d)
			}
		}
		n, err := db.CountDrawsIn(ctx, f)
		if err != nil || n != len(want) {
			t.Errorf("CountDrawsIn(%+v) = %d, %v; want %d", f, n, err, len(want))
		}
		for range 2 {
			if s, err := db.SummarizeDraws(ctx, f); err != nil || !sameSummary(s, summarize(want)) {
				t.Errorf("SummarizeDraws(%+v) = %+v, %v; want %+v", f, s, err, summarize(want))
			}
		}
		if f.Oldest {
			slices.Reverse(want)
		}
		want = want[min(f.Offset, len(want)):]
		if f.Limit > 0 {
			want = want[:min(f.Limit, len(want))]
		}
		for range 2 { // the second from the results kept, when small
			got, err := db.Draws(ctx, f)
			if err != nil || !slices.EqualFunc(got, want, func(a, b domain.Draw) bool { return a.Number == b.Number }) {
				t.Errorf("Draws(%+v) = %d draws, %v; want %d", f, len(got), err, len(want))
			}
		}
		for range 2 {
			dates, err := db.DrawDates(ctx, f)
			if err != nil || !slices.EqualFunc(dates, want, func(d string, w domain.Draw) bool { return d == w.Date }) {
				t.Errorf("DrawDates(%+v) = %d dates, %v; want %d", f, len(dates), err, len(want))
			}
		}
	}
}

// summarize is SummarizeDraws in Go, over draws newest first.
func summarize(ds []domain.Draw) domain.DrawSummary {
	var s domain.DrawSummary
	if len(ds) == 0 {
		return s
	}
	crs := make([]int, len(ds))
	for i, d := range ds {
		crs[i] = d.CRS
		s.Invitations += d.Size
		s.SumCRS += d.CRS
	}
	slices.Sort(crs)
	n := len(crs)
	s.Draws, s.MinCRS, s.MaxCRS = n, crs[0], crs[n-1]
	s.MedianCRS = crs[n/2]
	if n%2 == 0 {
		s.MedianCRS = (crs[n/2-1] + crs[n/2]) / 2
	}
	s.Newest, s.Oldest = ds[0], ds[n-1]
	return s
}

func sameSummary(a, b domain.DrawSummary) bool {
	return a.Draws == b.Draws && a.Invitations == b.Invitations && a.MinCRS == b.MinCRS && a.MedianCRS == b.MedianCRS &&
		a.MaxCRS == b.MaxCRS && a.SumCRS == b.SumCRS && a.Newest.Number == b.Newest.Number && a.Oldest.Number == b.Oldest.Number
}

// What the store keeps between writes (meta, counts, categories) is read
// again after each write of its own, on a file and in memory.
func TestCachesFollowWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, db := range []*store.DB{storetest.Store(t), storetest.FileStore(t, 1)} {
		m, err := db.Meta(ctx)
		if err != nil || m.LatestDraw != "2026-08-19" || m.LastChecked != "" || m.SnapshotDate != data.SnapshotDate {
			t.Fatalf("meta = %+v, %v", m, err)
		}
		if n, _ := db.CountDraws(ctx, domain.Healthcare); n != 15 {
			t.Fatalf("healthcare draws = %d", n)
		}
		latest := domain.DrawFilter{Category: domain.Healthcare, Limit: 2}
		ds, err := db.Draws(ctx, latest)
		if err != nil || len(ds) != 2 || ds[0].Number != "422" || ds[0].Dist == nil {
			t.Fatalf("latest healthcare draws = %v, %v", ds, err)
		}
		ds[0].CRS, ds[0].Dist.Total = 1, 1 // a caller's changes stay its own
		if ds, _ := db.Draws(ctx, latest); ds[0].CRS == 1 || ds[0].Dist.Total == 1 {
			t.Error("a caller's change reached the kept draws")
		}
		if m, _ := db.LatestDraws(ctx, []domain.Key{domain.Healthcare}); m[domain.Healthcare].Number != "422" {
			t.Fatalf("latest draws = %v", m)
		}
		if err := db.SetMeta(ctx, domain.MetaLastChecked, "2026-08-21T10:00:00Z"); err != nil {
			t.Fatal(err)
		}
		if m, _ := db.Meta(ctx); m.LastChecked != "2026-08-21T10:00:00Z" {
			t.Errorf("meta after SetMeta = %+v", m)
		}
		d, err := db.Draw(ctx, "422")
		if err != nil {
			t.Fatal(err)
		}
		d.Number, d.Seq, d.Date = "438", 438, "2026-08-21"
		if _, err := db.ApplyDraws(ctx, []domain.Draw{d}, domain.OriginFeed, ""); err != nil {
			t.Fatal(err)
		}
		if m, _ := db.Meta(ctx); m.LatestDraw != "2026-08-21" {
			t.Errorf("newest draw after a write = %s", m.LatestDraw)
		}
		if n, _ := db.CountDraws(ctx, domain.Healthcare); n != 16 {
			t.Errorf("healthcare draws after a write = %d", n)
		}
		if ds, _ := db.Draws(ctx, latest); len(ds) != 2 || ds[0].Number != "438" || ds[1].Number != "422" {
			t.Errorf("latest healthcare draws after a write = %v", ds)
		}
		if m, _ := db.LatestDraws(ctx, []domain.Key{domain.Healthcare}); m[domain.Healthcare].Number != "438" {
			t.Errorf("latest draws after a write = %v", m)
		}
		cats, err := db.Categories(ctx)
		if err != nil || len(cats) != 21 {
			t.Fatalf("categories = %d, %v", len(cats), err)
		}
		cats[0].Name = "changed by a caller"
		if again, _ := db.Categories(ctx); again[0].Name == cats[0].Name {
			t.Error("a caller's change reached the kept categories")
		}
		ref, err := dataset.ReadReference(data.Files)
		if err != nil {
			t.Fatal(err)
		}
		if ns, _ := db.SearchNOC(ctx, "33109", 1); len(ns) != 1 {
			t.Fatalf("SearchNOC(33109) = %v", ns)
		}
		ref.NOCs = slices.DeleteFunc(ref.NOCs, func(n domain.NOC) bool { return n.Code == "33109" })
		gone := ref.Categories[20]
		ref.Categories = ref.Categories[:20]
		ref.Eligibility = slices.DeleteFunc(ref.Eligibility, func(e store.CategoryNOC) bool {
			return domain.Key(e.Key) == gone.Key && e.Version == gone.Version
		})
		if err := db.LoadReference(ctx, ref); err != nil {
			t.Fatal(err)
		}
		if cats, _ := db.Categories(ctx); len(cats) != 20 {
			t.Errorf("categories after LoadReference = %d, want 20", len(cats))
		}
		if ns, _ := db.SearchNOC(ctx, "33109", 1); len(ns) != 0 {
			t.Errorf("SearchNOC(33109) after LoadReference = %v", ns)
		}
	}
}

// LatestDraws finds, in one statement, the draw Draws finds first for each
// key; a key without draws is left out.
func TestLatestDraws(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.StoreAt(t, 2)
	keys := append(domain.CategoryKeys(), domain.ProgramKeys()...)
	got, err := db.LatestDraws(ctx, append(keys, "no-such-key"))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		ds, err := db.Draws(ctx, domain.DrawFilter{Category: k, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		d, ok := got[k]
		if ok != (len(ds) == 1) || ok && d.Number != ds[0].Number {
			t.Errorf("%s: latest %v %v, want %v", k, d.Number, ok, ds)
		}
	}
	if len(got) == 0 || got["no-such-key"].Number != "" {
		t.Errorf("latest draws = %d", len(got))
	}
	if none, err := db.LatestDraws(ctx, nil); err != nil || len(none) != 0 {
		t.Errorf("no keys: %v, %v", none, err)
	}
}

// Each code's listings come in the order of their versions' start dates,
// and add up to the categories' NOC counts.
func TestEligibilityOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Store(t)
	cats, err := db.Categories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, c := range cats {
		want += c.NOCCount
	}
	got := 0
	for d := range 10 {
		ns, err := db.SearchNOC(ctx, string(rune('0'+d)), 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range ns {
			el, err := db.Eligibility(ctx, n.Code)
			if err != nil {
				t.Fatal(err)
			}
			got += len(el)
			for i := 1; i < len(el); i++ {
				a, b := el[i-1].Category, el[i].Category
				if a.EffectiveFrom > b.EffectiveFrom || a.EffectiveFrom == b.EffectiveFrom && (a.Key > b.Key || a.Key == b.Key && a.Version >= b.Version) {
					t.Errorf("%s: %s v%d before %s v%d", n.Code, a.Key, a.Version, b.Key, b.Version)
				}
			}
		}
	}
	if got != want || got == 0 {
		t.Errorf("%d listings, want %d", got, want)
	}
}

// Readers racing a writer never keep a result from before a write as
// current after it: once a write has returned, every read sees it.
func TestCachesUnderConcurrentWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.FileStore(t, 1)
	newest := domain.DrawFilter{Category: domain.Healthcare, Limit: 1}
	done := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				db.Draws(ctx, newest)
				db.Meta(ctx)
				db.CountDraws(ctx, domain.Healthcare)
			}
		}()
	}
	d, err := db.Draw(ctx, "422")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		d.Number, d.Seq, d.Date = fmt.Sprint(438+i), 438+i, fmt.Sprintf("2026-09-%02d", 1+i)
		if _, err := db.ApplyDraws(ctx, []domain.Draw{d}, domain.OriginFeed, ""); err != nil {
			t.Fatal(err)
		}
		ds, err := db.Draws(ctx, newest)
		if err != nil || len(ds) != 1 || ds[0].Number != d.Number {
			t.Fatalf("after writing %s: newest %v, %v", d.Number, ds, err)
		}
		if m, _ := db.Meta(ctx); m.LatestDraw != d.Date {
			t.Fatalf("after writing %s: newest date %s", d.Number, m.LatestDraw)
		}
		if n, _ := db.CountDraws(ctx, domain.Healthcare); n != 16+i {
			t.Fatalf("after writing %s: %d healthcare draws", d.Number, n)
		}
	}
	close(done)
	wg.Wait()
}
