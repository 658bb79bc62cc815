package store

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A lease goes to the first asker, is renewed only by its holder, is taken
// over once expired (at its expiry, not a tick later), and a release lets
// the next asker take it at once; a release by someone else does nothing.
func TestLease(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var now atomic.Pointer[time.Time]
	set := func(t time.Time) { now.Store(&t) }
	t0 := time.Date(2026, 8, 20, 12, 0, 0, 123, time.UTC)
	set(t0)
	db, err := Open(ctx, memoryOrPostgres(t), nil, WithClock(func() time.Time { return *now.Load() }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const ttl = 10 * time.Second
	try := func(holder string, wantHeld bool, wantLeader string, wantUntil time.Time) {
		t.Helper()
		held, leader, until, err := db.AcquireLease(ctx, "main", holder, ttl)
		if err != nil || held != wantHeld || leader != wantLeader || !until.Equal(wantUntil) {
			t.Fatalf("%s at %s: held %v leader %q until %s, %v; want %v %q %s",
				holder, now.Load().Sub(t0), held, leader, until, err, wantHeld, wantLeader, wantUntil)
		}
	}
	try("a", true, "a", t0.Add(ttl))
	set(t0.Add(time.Second))
	try("b", false, "a", t0.Add(ttl))
	set(t0.Add(3 * time.Second))
	try("a", true, "a", t0.Add(3*time.Second+ttl)) // renewed
	set(t0.Add(3*time.Second + ttl - time.Nanosecond))
	try("b", false, "a", t0.Add(3*time.Second+ttl)) // a nanosecond before expiry
	set(t0.Add(3*time.Second + ttl))
	try("b", true, "b", t0.Add(3*time.Second+2*ttl)) // expired: taken over
	try("a", false, "b", t0.Add(3*time.Second+2*ttl))

	// Another lease name is independent.
	if held, leader, _, err := db.AcquireLease(ctx, "other", "a", ttl); err != nil || !held || leader != "a" {
		t.Fatalf("other lease: %v %q %v", held, leader, err)
	}

	if err := db.ReleaseLease(ctx, "main", "a"); err != nil { // not a's
		t.Fatal(err)
	}
	try("a", false, "b", t0.Add(3*time.Second+2*ttl))
	if err := db.ReleaseLease(ctx, "main", "b"); err != nil {
		t.Fatal(err)
	}
	try("a", true, "a", t0.Add(3*time.Second+2*ttl)) // at once, long before b's expiry

	if _, _, _, err := db.AcquireLease(ctx, "main", "", ttl); err == nil {
		t.Error("empty holder accepted")
	}
	if _, _, _, err := db.AcquireLease(ctx, "main", "a", 0); err == nil {
		t.Error("zero ttl accepted")
	}
}

// Stamps compare as text in the order of their times, whatever the
// fraction of the second (RFC 3339 with trimmed zeros would not:
// "…:05Z" > "…:05.5Z").
func TestLeaseLayoutOrders(t *testing.T) {
	t.Parallel()
	base := time.Date(2026, 8, 20, 12, 0, 5, 0, time.UTC)
	ds := []time.Duration{0, time.Nanosecond, 500 * time.Millisecond, time.Second - 1, time.Second, 10 * time.Second}
	for i := 1; i < len(ds); i++ {
		a, b := base.Add(ds[i-1]).Format(leaseLayout), base.Add(ds[i]).Format(leaseLayout)
		if len(a) != len(b) || a >= b {
			t.Errorf("%q >= %q", a, b)
		}
	}
	// A zone other than UTC is converted before stamping.
	if s := base.In(time.FixedZone("EDT", -4*3600)).UTC().Format(leaseLayout); s != "2026-08-20T12:00:05.000000000Z" {
		t.Errorf("stamp %q", s)
	}
}

// Replicas racing for a free lease on a file database: exactly one wins,
// and every one of them is told who.
func TestLeaseRace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "lease.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const n = 8
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		winners []string
		leaders = map[string]bool{}
	)
	for i := range n {
		wg.Go(func() {
			me := string(rune('a' + i))
			held, leader, _, err := db.AcquireLease(ctx, "main", me, time.Minute)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if held {
				winners = append(winners, me)
			}
			leaders[leader] = true
		})
	}
	wg.Wait()
	if len(winners) != 1 || len(leaders) != 1 || !leaders[winners[0]] {
		t.Fatalf("winners %v, leaders seen %v", winners, leaders)
	}
}
