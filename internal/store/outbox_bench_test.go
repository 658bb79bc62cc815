package store

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/eebot/eebot/internal/domain"
)

// The outbox benchmarks run on a bare in-memory store holding one draw and
// n Telegram subscriptions, written with one statement each so that even
// 200,000 subscriptions take a moment. They are in package store to set
// that up and to empty the outbox between iterations.

var benchSizes = []int{1_000, 10_000, 100_000}

// benchDraw is the draw every benchmark posts.
var benchDraw = domain.Draw{Number: "900", Seq: 900, Date: "2026-08-19", Name: "Canadian Experience Class",
	Category: "cec", Type: domain.TypeProgram, Size: 3000, CRS: 510, URL: "https://www.canada.ca/x?q=900"}

// benchStore returns a store with benchDraw and subs subscriptions: in
// memory, or on Postgres with STORETEST_ENGINE=postgres (and
// TEST_DATABASE_URL), to compare the engines.
func benchStore(b *testing.B, subs int) *DB { return benchStoreAt(b, subs, memoryOrPostgres(b)) }

// benchStoreAt is benchStore at a path.
func benchStoreAt(b *testing.B, subs int, path string, opts ...Option) *DB {
	b.Helper()
	ctx := context.Background()
	db, err := Open(ctx, path, slog.New(slog.NewTextHandler(io.Discard, nil)), opts...)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.SaveDraws(ctx, []domain.Draw{benchDraw}, domain.OriginFeed); err != nil {
		b.Fatal(err)
	}
	if _, err := db.w.ExecContext(ctx, `INSERT INTO subscriptions (platform, destination, created_at)
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
		SELECT 'telegram', CAST(100000 + i AS TEXT), '2026-08-01T00:00:00Z' FROM n`, subs); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkEnqueue queues one post of a draw to every subscription (the
// fan-out a new draw or an announcement makes), into an empty outbox.
func BenchmarkEnqueue(b *testing.B) {
	ctx := context.Background()
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("subs=%d", n), func(b *testing.B) {
			db := benchStore(b, n)
			b.ReportAllocs()
			var cpu time.Duration
			for i := 0; i < b.N; i++ {
				c := cpuTime()
				got, err := db.Announce(ctx, benchDraw.Number)
				cpu += cpuTime() - c
				if err != nil || got != n {
					b.Fatalf("queued %d, %v; want %d", got, err, n)
				}
				b.StopTimer()
				if _, err := db.w.ExecContext(ctx, `DELETE FROM deliveries`); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(cpu.Seconds()*1000/float64(b.N), "cpu-ms/op")
		})
	}
}

// BenchmarkClaim claims a batch as the sender does (128 deliveries) from
// an outbox holding pending deliveries, and puts it back untimed.
func BenchmarkClaim(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{1_000, 10_000, 100_000, 200_000} {
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) {
			db := benchStore(b, n)
			if got, err := db.Announce(ctx, benchDraw.Number); err != nil || got != n {
				b.Fatalf("queued %d, %v; want %d", got, err, n)
			}
			now := time.Now()
			var cpu time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				c := cpuTime()
				ds, err := db.ClaimDeliveries(ctx, domain.Telegram, 128, now)
				cpu += cpuTime() - c
				if err != nil || len(ds) != 128 {
					b.Fatalf("claimed %d, %v", len(ds), err)
				}
				b.StopTimer()
				if err := db.Release(ctx, ds); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(cpu.Seconds()*1000/float64(b.N), "cpu-ms/op")
		})
	}
}

// BenchmarkOutboxBytes measures what the outbox takes on disk per post
// made: the growth of a database file by a fan-out whose posts were all
// sent (the rows a compaction-less outbox keeps for ever).
func BenchmarkOutboxBytes(b *testing.B) {
	ctx := context.Background()
	const n = 100_000
	db := benchStoreAt(b, n, b.TempDir()+"/bot.db")
	var grown int64
	for i := 0; i < b.N; i++ {
		start := fileBytes(b, db)
		if got, err := db.Announce(ctx, benchDraw.Number); err != nil || got != n {
			b.Fatalf("queued %d, %v; want %d", got, err, n)
		}
		// As the sender leaves them (a claim draws the nonce where missing).
		if _, err := db.w.ExecContext(ctx, `UPDATE deliveries SET status = 'sent', sent_at = '2026-08-20T12:00:01Z', message_id = 'm' || id,
			nonce = CASE WHEN nonce = '' THEN lower(hex(randomblob(12))) ELSE nonce END WHERE status = 'pending'`); err != nil {
			b.Fatal(err)
		}
		grown += fileBytes(b, db) - start
	}
	b.ReportMetric(float64(grown)/float64(b.N)/n, "bytes/post")
}

// fileBytes is the database file's size after a checkpoint.
func fileBytes(b *testing.B, db *DB) int64 {
	var size int64
	if _, err := db.w.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	if err := db.w.QueryRow(`SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`).Scan(&size); err != nil {
		b.Fatal(err)
	}
	return size
}
