package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/pgtest"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
)

// replicas opens n stores on one seeded Postgres database, as n replicas
// of the bot would, named r0, r1…
func replicas(t *testing.T, n int, opts ...store.Option) (string, []*store.DB) {
	t.Helper()
	pgtest.Server(t)
	if !pgtest.OnPostgres() {
		t.Skip("runs once, in the Postgres run of the package's tests")
	}
	url := storetest.PostgresURL(t, 1)
	out := make([]*store.DB, n)
	for i := range out {
		db, err := store.Open(context.Background(), url, nil, append([]store.Option{store.WithHolder(fmt.Sprintf("r%d", i))}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		out[i] = db
	}
	return url, out
}

// TestFleetClaimsNeverOverlap: four replicas drain one outbox at once;
// every post is claimed by exactly one of them, once.
func TestFleetClaimsNeverOverlap(t *testing.T) {
	ctx := context.Background()
	_, rs := replicas(t, 4)
	const subs = 400
	for i := range subs {
		if _, _, err := rs[i%4].Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: fmt.Sprint(-1000 - i)}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := rs[0].Announce(ctx, "437"); err != nil || n != subs {
		t.Fatalf("announce: %d, %v", n, err)
	}
	var mu sync.Mutex
	claimed := map[int64]string{}
	var wg sync.WaitGroup
	for i, r := range rs {
		wg.Go(func() {
			for {
				ds, err := r.ClaimDeliveries(ctx, domain.Telegram, 16, time.Now())
				if err != nil {
					t.Error(err)
					return
				}
				if len(ds) == 0 {
					return
				}
				sent := make([]domain.Sent, len(ds))
				mu.Lock()
				for j, d := range ds {
					if by, ok := claimed[d.ID]; ok {
						t.Errorf("delivery %d claimed by r%d after %s", d.ID, i, by)
					}
					claimed[d.ID] = fmt.Sprintf("r%d", i)
					sent[j] = domain.Sent{Delivery: d, MessageID: "m"}
				}
				mu.Unlock()
				if err := r.MarkSent(ctx, sent...); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	counts, err := rs[0].OutboxCounts(ctx)
	if err != nil || len(claimed) != subs || counts["sent"] != subs || len(counts) != 1 {
		t.Fatalf("claimed %d of %d, outbox %v %v", len(claimed), subs, counts, err)
	}
	per := map[string]int{}
	for _, by := range claimed {
		per[by]++
	}
	t.Logf("claims per replica: %v", per)
}

// TestFleetClaimLease: a replica's claims are taken back by a peer only
// once their lease has ended, never at the peer's start; the replica
// itself, restarted under its name, takes them back at once.
func TestFleetClaimLease(t *testing.T) {
	ctx := context.Background()
	url, rs := replicas(t, 2, store.WithClaimLease(time.Minute))
	a, b := rs[0], rs[1]
	for i := range 20 {
		if _, _, err := a.Subscribe(ctx, domain.Subscription{Platform: domain.Discord, Destination: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.Announce(ctx, "437"); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	held, err := a.ClaimDeliveries(ctx, domain.Discord, 10, now)
	if err != nil || len(held) != 10 {
		t.Fatalf("a claimed %d, %v", len(held), err)
	}
	// a dies holding 10. b starts: a's claims are still a's.
	if n, err := b.RecoverSending(ctx); err != nil || n != 0 {
		t.Fatalf("b's start took back %d of a's live claims (%v)", n, err)
	}
	rest, err := b.ClaimDeliveries(ctx, domain.Discord, 100, now.Add(30*time.Second))
	if err != nil || len(rest) != 10 {
		t.Fatalf("b claimed %d, want the 10 unclaimed (%v)", len(rest), err)
	}
	mine := map[int64]bool{}
	for _, d := range held {
		mine[d.ID] = true
	}
	for _, d := range rest {
		if mine[d.ID] {
			t.Fatalf("b claimed %d, which a holds", d.ID)
		}
	}
	// After the lease: b takes them.
	late, err := b.ClaimDeliveries(ctx, domain.Discord, 100, now.Add(61*time.Second))
	if err != nil || len(late) != 10 {
		t.Fatalf("after the lease b claimed %d, want a's 10 (%v)", len(late), err)
	}
	for _, d := range late {
		if !mine[d.ID] || d.Attempts != 2 {
			t.Fatalf("late claim %+v: want one of a's, second attempt", d)
		}
	}
	// b dies too; restarted under its name, it takes its 20 back at once.
	again := reopen(t, url, "r1")
	if n, err := again.RecoverSending(ctx); err != nil || n != 20 {
		t.Fatalf("restarted b took back %d of its 20 claims (%v)", n, err)
	}
}

// reopen opens the database at url again under holder's name.
func reopen(t *testing.T, url, holder string) *store.DB {
	t.Helper()
	again, err := store.Open(context.Background(), url, nil, store.WithHolder(holder))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { again.Close() })
	return again
}

// TestFleetLeaseRace: replicas on their own connections race for a free
// lease; exactly one wins and each is told who.
func TestFleetLeaseRace(t *testing.T) {
	ctx := context.Background()
	_, rs := replicas(t, 3)
	type result struct {
		held   bool
		leader string
	}
	results := make([]result, len(rs))
	var wg sync.WaitGroup
	for i, r := range rs {
		wg.Go(func() {
			held, leader, _, err := r.AcquireLease(ctx, "main", fmt.Sprintf("r%d", i), 10*time.Second)
			if err != nil {
				t.Error(err)
			}
			results[i] = result{held, leader}
		})
	}
	wg.Wait()
	winners := 0
	for i, r := range results {
		if r.held {
			winners++
		}
		if r.leader != results[0].leader || r.held != (r.leader == fmt.Sprintf("r%d", i)) {
			t.Errorf("r%d: %+v, r0 sees %+v", i, r, results[0])
		}
	}
	if winners != 1 {
		t.Fatalf("%d replicas hold the lease: %+v", winners, results)
	}
}
