package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkCompaction fans a draw out to every subscription of a database
// file, marks every post sent, lets the retention pass and compacts. It
// reports the file before, what compaction leaves in use, and the file
// once a second fan-out has been written: freed pages are reused, so the
// file stays bounded by the retention.
func BenchmarkCompaction(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("subs=%d", n), func(b *testing.B) {
			clk := &clock{t: time.Date(2026, 8, 20, 12, 0, 0, 0, time.UTC)}
			db := benchStoreAt(b, n, b.TempDir()+"/bot.db", WithClock(clk.now))
			fanOutSent := func() {
				if got, err := db.Announce(ctx, benchDraw.Number); err != nil || got != n {
					b.Fatalf("queued %d, %v; want %d", got, err, n)
				}
				if _, err := db.w.ExecContext(ctx, `UPDATE deliveries SET status = 'sent', sent_at = $1, nonce = lower(hex(randomblob(12))),
					message_id = 'm' || id WHERE status = 'pending'`, stamp(clk.now())); err != nil {
					b.Fatal(err)
				}
			}
			var before, live, refilled float64
			var deleted int
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				fanOutSent()
				before += float64(fileBytes(b, db))
				clk.add(31 * 24 * time.Hour)
				b.StartTimer()
				got, err := db.CompactOutbox(ctx, 30*24*time.Hour)
				if err != nil || got < n {
					b.Fatalf("compacted %d, %v; want at least %d", got, err, n)
				}
				deleted += got
				b.StopTimer()
				live += float64(liveBytes(b, db))
				fanOutSent()
				refilled += float64(fileBytes(b, db))
				b.StartTimer()
			}
			mb := float64(b.N) * (1 << 20)
			b.ReportMetric(before/mb, "MB-before")
			b.ReportMetric(live/mb, "MB-live-after")
			b.ReportMetric(refilled/mb, "MB-file-refilled")
			b.ReportMetric(float64(deleted)/float64(b.N), "rows/op")
		})
	}
}

// liveBytes is what the database's pages in use hold, free pages left out.
func liveBytes(b *testing.B, db *DB) int64 {
	var size int64
	if err := db.w.QueryRow(`SELECT (page_count - freelist_count) * page_size
		FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()`).Scan(&size); err != nil {
		b.Fatal(err)
	}
	return size
}
