package chart

import (
	"context"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/store/storetest"
)

func benchData(tb testing.TB) (Cutoffs, Pool, i18n.Printer) {
	db := storetest.Store(tb)
	ctx := context.Background()
	words, err := i18n.Load()
	if err != nil {
		tb.Fatal(err)
	}
	p := words.Printer(i18n.FR)
	var c Cutoffs
	for _, k := range []domain.Key{domain.CEC, domain.French, domain.Healthcare} {
		ds, err := db.Draws(ctx, domain.DrawFilter{Category: k})
		if err != nil {
			tb.Fatal(err)
		}
		c.Series = append(c.Series, Series{Key: k, Name: p.T("cat." + string(k)), Draws: ds})
	}
	c.Title = "PEC, francophones, santé"
	snaps, err := db.Distributions(ctx, 2)
	if err != nil {
		tb.Fatal(err)
	}
	return c, Pool{Title: "Bassin", Subtitle: "depuis", Current: *snaps[0].Dist, Previous: snaps[1].Dist}, p
}

// bench renders b.N charts and reports the median wall time of one and
// the process's CPU time per render (what the render costs, whatever else
// the machine is running).
func bench(b *testing.B, render func() ([]byte, error)) {
	if _, err := render(); err != nil { // fonts load on first use
		b.Fatal(err)
	}
	var took []time.Duration
	cpu0 := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		if _, err := render(); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2])/1e6, "median-ms")
	b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(len(took)), "cpu-ms/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkCutoffs(b *testing.B) {
	c, _, p := benchData(b)
	bench(b, func() ([]byte, error) { return c.Render(p) })
}

func BenchmarkPool(b *testing.B) {
	_, c, p := benchData(b)
	bench(b, func() ([]byte, error) { return c.Render(p) })
}
