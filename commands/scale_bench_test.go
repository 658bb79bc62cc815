package commands_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/dataset"
	"github.com/eebot/eebot/internal/ircc"
	"github.com/eebot/eebot/internal/reply"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
)

// scaleQuestions are what BenchmarkScale asks at each feed size. A
// "history …" entry with a page of -1 asks for its last page.
var scaleQuestions = []struct {
	name, args string
	page       int
}{
	{"last healthcare cutoff", "", 0},
	{"cutoff healthcare", "", 0},
	{"eligible 33109", "", 0},
	{"is 33109 eligible", "", 0},
	{"eligible nurse", "", 0},
	{"noc nurse", "", 0},
	{"categories", "", 0},
	{"history", "healthcare", 1},
	{"history", "healthcare", -1},
	{"history", "all", -1},
	{"stats", "", 0},
	{"stats healthcare 2025", "", 0},
	{"draws", "", 0},
	{"next", "", 0},
	{"pool", "", 0},
	{"match 470 healthcare", "", 0},
	{"about", "", 0},
}

// BenchmarkScale measures the bot on synthetic feeds of 1x, 10x and 100x
// the real one (storetest.Feed): parsing the feed, seeding a database file
// from it (and the file's size), and answering each command on that file
// in-process, with p50 and p99. Answers about the recent past are the same
// at every size; only the history behind them grows.
func BenchmarkScale(b *testing.B) { scaleBench(b, true) }

// BenchmarkScaleQueries is BenchmarkScale's answers with every draw read
// from the database (store.WithoutResultCache): what the first answer
// after a write costs.
func BenchmarkScaleQueries(b *testing.B) { scaleBench(b, false) }

func scaleBench(b *testing.B, cached bool) {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, scale := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("x%d", scale), func(b *testing.B) {
			feed, err := storetest.Feed(scale)
			if err != nil {
				b.Fatal(err)
			}
			b.Run("parse", func(b *testing.B) {
				if !cached {
					b.Skip("BenchmarkScale parses")
				}
				b.SetBytes(int64(len(feed)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := ircc.Parse(feed); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("seed", func(b *testing.B) {
				if !cached {
					b.Skip("BenchmarkScale seeds")
				}
				fsys, err := storetest.Files(scale)
				if err != nil {
					b.Fatal(err)
				}
				dir := b.TempDir()
				var size int64
				n := 0
				b.ReportAllocs()
				for b.Loop() {
					n++
					path := filepath.Join(dir, strconv.Itoa(n)+".db")
					db, err := store.Open(ctx, path, log)
					if err != nil {
						b.Fatal(err)
					}
					if err := dataset.Seed(ctx, db, fsys, log); err != nil {
						b.Fatal(err)
					}
					if err := db.Close(); err != nil {
						b.Fatal(err)
					}
					fi, err := os.Stat(path)
					if err != nil {
						b.Fatal(err)
					}
					size = fi.Size()
					os.Remove(path)
				}
				b.ReportMetric(float64(size)/(1<<20), "db-MiB")
			})
			var opts []store.Option
			if !cached {
				opts = append(opts, store.WithoutResultCache())
			}
			e := commands.New(storetest.FileStore(b, scale, opts...), commands.WithClock(storetest.Now), commands.WithLogger(log))
			for _, q := range scaleQuestions {
				ask := func() reply.Reply { return e.Ask(ctx, q.name, commands.Caller{}) }
				name := q.name
				if q.args != "" || q.page != 0 {
					page := q.page
					if page < 0 {
						first := e.Command(ctx, q.name, q.args, 1, commands.Caller{})
						if first.Pager == nil {
							b.Fatalf("%s %s: no pages: %s", q.name, q.args, first.Title)
						}
						page = first.Pager.Pages
					}
					ask = func() reply.Reply { return e.Command(ctx, q.name, q.args, page, commands.Caller{}) }
					name = fmt.Sprintf("%s %s page %d", q.name, q.args, page)
					if q.page < 0 {
						name = fmt.Sprintf("%s %s last page", q.name, q.args)
					}
				}
				b.Run(name, func(b *testing.B) {
					ask() // the first question builds the question reader's vocabulary
					b.ReportAllocs()
					lat := make(latencies, 0, b.N)
					for b.Loop() {
						start := time.Now()
						r := ask()
						lat = append(lat, time.Since(start))
						if r.Status != reply.StatusOK {
							b.Fatalf("%s: %v %s", name, r.Status, r.Summary)
						}
					}
					lat.report(b)
				})
			}
		})
	}
}

// BenchmarkConcurrent answers "last healthcare cutoff" from 32 goroutines
// at once, on an in-memory store and on a database file, and reports
// answers per second.
func BenchmarkConcurrent(b *testing.B) {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, kind := range []string{"memory", "file"} {
		b.Run(kind, func(b *testing.B) {
			db := storetest.Store(b)
			if kind == "file" {
				db = storetest.FileStore(b, 1)
			}
			e := commands.New(db, commands.WithClock(storetest.Now), commands.WithLogger(log))
			e.Ask(ctx, "last healthcare cutoff", commands.Caller{}) // builds the question reader's vocabulary
			b.SetParallelism(max(1, 32/runtime.GOMAXPROCS(0)))
			b.ReportAllocs()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if r := e.Ask(ctx, "last healthcare cutoff", commands.Caller{}); r.Status != reply.StatusOK {
						b.Errorf("%v %s", r.Status, r.Summary)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "answers/s")
		})
	}
}
