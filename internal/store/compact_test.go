package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/eebot/eebot/internal/domain"
)

// clock is a settable clock for WithClock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func testDraw(number, date string, crs int) domain.Draw {
	return domain.Draw{Number: number, Seq: 900, Date: date, Name: "Canadian Experience Class", Category: "cec",
		Type: domain.TypeProgram, Size: 3000, CRS: crs, URL: "https://www.canada.ca/x?q=" + number}
}

// TestCompactOutbox: compaction deletes the ended delivery rows of old
// draws' posts and nothing a sender still needs, and afterwards neither a
// new-draw fan-out nor a correction of a compacted draw posts again.
func TestCompactOutbox(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 7, 2, 12, 0, 0, 0, time.UTC)}
	db, err := Open(ctx, ":memory:", nil, WithClock(clk.now))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := range 3 {
		if _, _, err := db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: fmt.Sprint(-100 - i)}); err != nil {
			t.Fatal(err)
		}
	}
	old := testDraw("900", "2026-07-01", 510)
	if _, err := db.ApplyDraws(ctx, []domain.Draw{old}, domain.OriginFeed, "2026-06-25"); err != nil {
		t.Fatal(err)
	}
	ds, err := db.ClaimDeliveries(ctx, domain.Telegram, 10, clk.now())
	if err != nil || len(ds) != 3 {
		t.Fatalf("claimed %d, %v", len(ds), err)
	}
	// Two are sent; the third keeps failing and is still pending a month on.
	if err := db.MarkSent(ctx, domain.Sent{Delivery: ds[0], MessageID: "m0"}, domain.Sent{Delivery: ds[1], MessageID: "m1"}); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkRetry(ctx, ds[2], clk.now().Add(60*24*time.Hour), "500"); err != nil {
		t.Fatal(err)
	}

	// Within the retention nothing goes.
	clk.add(20 * 24 * time.Hour)
	if n, err := db.CompactOutbox(ctx, 30*24*time.Hour); err != nil || n != 0 {
		t.Fatalf("compacted %d, %v within the retention", n, err)
	}
	// A recent draw, posted now, is not touched later either.
	recent := testDraw("901", "2026-07-22", 500)
	if _, err := db.ApplyDraws(ctx, []domain.Draw{recent}, domain.OriginFeed, "2026-07-15"); err != nil {
		t.Fatal(err)
	}
	clk.add(11 * 24 * time.Hour)
	n, err := db.CompactOutbox(ctx, 30*24*time.Hour)
	if err != nil || n != 2 {
		t.Fatalf("compacted %d, %v; want the 2 sent rows of draw 900", n, err)
	}
	if c, _ := db.OutboxCounts(ctx); c["sent"] != 0 || c["pending"] != 4 {
		t.Errorf("outbox after compaction = %v; want the pending 900 post and the three 901 posts", c)
	}
	if n, err := db.CompactOutbox(ctx, 30*24*time.Hour); err != nil || n != 0 {
		t.Errorf("second compaction: %d, %v", n, err)
	}

	// Exactly-once: the fan-out of draw 900 is never queued again, even if
	// the draw came back as new, and its correction goes nowhere.
	err = db.tx(ctx, func(tx *sql.Tx) error {
		n, err := enqueue(ctx, tx, db.d, old, domain.PostNew, "", stamp(clk.now()))
		if n != 0 {
			t.Errorf("re-queued %d new-draw posts of a compacted draw", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	fixed := old
	fixed.CRS = 511
	res, err := db.ApplyDraws(ctx, []domain.Draw{fixed}, domain.OriginFeed, "2026-07-25")
	if err != nil || len(res.Updated) != 1 {
		t.Fatalf("correction: %+v, %v", res, err)
	}
	if c, _ := db.OutboxCounts(ctx); c["pending"] != 4 {
		t.Errorf("outbox after a correction of a compacted draw = %v; want nothing queued", c)
	}
	// The kept delivery still goes out once, and is recorded.
	clk.add(60 * 24 * time.Hour)
	ds, err = db.ClaimDeliveries(ctx, domain.Telegram, 10, clk.now())
	if err != nil || len(ds) != 4 {
		t.Fatalf("claimed %d, %v; want the 900 retry and the three 901 posts", len(ds), err)
	}
	if err := db.MarkSent(ctx, domain.Sent{Delivery: ds[0], MessageID: "m"}); err != nil {
		t.Fatal(err)
	}
}

// TestCompactionKeepsTheFileBounded: with a post a week and a 30-day
// retention, the file stops growing once compaction has freed pages for
// the next fan-outs to reuse.
func TestCompactionKeepsTheFileBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a few thousand rows a week for half a year")
	}
	t.Parallel()
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)}
	db, err := Open(ctx, t.TempDir()+"/bot.db", nil, WithClock(clk.now))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.w.ExecContext(ctx, `INSERT INTO subscriptions (platform, destination, created_at)
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
		SELECT 'telegram', 100000 + i, '2026-01-01T00:00:00Z' FROM n`); err != nil {
		t.Fatal(err)
	}
	var sizes []int64
	for week := range 26 {
		d := testDraw(fmt.Sprint(900+week), clk.now().Format("2006-01-02"), 500)
		if _, err := db.ApplyDraws(ctx, []domain.Draw{d}, domain.OriginFeed, d.Date); err != nil {
			t.Fatal(err)
		}
		if _, err := db.w.ExecContext(ctx, `UPDATE deliveries SET status = 'sent', sent_at = $1, nonce = 'n', message_id = '12345'
			WHERE status = 'pending'`, stamp(clk.now())); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CompactOutbox(ctx, 30*24*time.Hour); err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, pages(t, db))
		clk.add(7 * 24 * time.Hour)
	}
	t.Logf("pages week by week: %v", sizes)
	if grown := sizes[25] - sizes[12]; grown > sizes[12]/10 {
		t.Errorf("the file grew from %d to %d pages between weeks 13 and 26: %v", sizes[12], sizes[25], sizes)
	}
}

// pages is the size of the database file in pages, after a checkpoint.
func pages(t testing.TB, db *DB) int64 {
	t.Helper()
	var n int64
	if _, err := db.w.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	if err := db.w.QueryRow(`PRAGMA page_count`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
