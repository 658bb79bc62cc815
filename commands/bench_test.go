package commands_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/commands/commandstest"
	"github.com/eebot/eebot/data"
	"github.com/eebot/eebot/internal/dataset"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/ircc"
	"github.com/eebot/eebot/internal/reply"
	"github.com/eebot/eebot/internal/store"
)

// latencies records each iteration's duration and reports p50 and p99.
type latencies []time.Duration

func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	slices.Sort(l)
	b.ReportMetric(float64(l[len(l)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(l[len(l)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkCommand answers each command in-process (target p99 ≤ 1 ms).
func BenchmarkCommand(b *testing.B) {
	e := commandstest.New(b)
	ctx := context.Background()
	for _, q := range []string{
		"eligible 33109", "eligible nurse", "cutoff healthcare", "draws", "history healthcare",
		"pool", "match 470 healthcare", "noc nurse", "categories", "about", "is 33109 eligible", "last healthcare cutoff",
	} {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			lat := make(latencies, 0, b.N)
			for b.Loop() {
				start := time.Now()
				r := e.Ask(ctx, q, commands.Caller{})
				lat = append(lat, time.Since(start))
				if r.Status != reply.StatusOK {
					b.Fatalf("%q: %v %s", q, r.Status, r.Summary)
				}
			}
			lat.report(b)
		})
	}
}

// BenchmarkStartup measures start-up from the embedded files to the first
// answer on an in-memory store (target ≤ 150 ms).
func BenchmarkStartup(b *testing.B) {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	b.ReportAllocs()
	for b.Loop() {
		db, err := store.Open(ctx, ":memory:", log)
		if err != nil {
			b.Fatal(err)
		}
		if err := dataset.Seed(ctx, db, data.Files, log); err != nil {
			b.Fatal(err)
		}
		if r := commands.New(db, commands.WithLogger(log)).Ask(ctx, "last healthcare cutoff", commands.Caller{}); r.Status != reply.StatusOK {
			b.Fatal(r.Summary)
		}
		db.Close()
	}
}

// BenchmarkRefetchPerCommand is what some bots do for every question:
// download the whole feed, parse it and scan for the answer. Served from
// loopback, so it is a lower bound on the real cost; compare it with
// BenchmarkCommand/cutoff_healthcare.
func BenchmarkRefetchPerCommand(b *testing.B) {
	feed, err := data.Files.ReadFile(data.IRCCFeed)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(feed) }))
	defer srv.Close()
	client := &http.Client{Timeout: 10 * time.Second} // a stall fails the benchmark
	b.ReportAllocs()
	lat := make(latencies, 0, b.N)
	for b.Loop() {
		start := time.Now()
		resp, err := client.Get(srv.URL)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		draws, err := ircc.Parse(body)
		if err != nil {
			b.Fatal(err)
		}
		var found *domain.Draw
		for i := range draws {
			if draws[i].Category == domain.Healthcare {
				found = &draws[i]
				break
			}
		}
		lat = append(lat, time.Since(start))
		if found == nil || found.Number != "422" {
			b.Fatal("latest healthcare draw not found")
		}
	}
	lat.report(b)
}
