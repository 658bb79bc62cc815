package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/store/storetest"
)

// What readiness and metrics read: a ping, the outbox backlog (pending and
// being sent, and the oldest's age), the newest draw's number.
func TestHealthQueries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Store(t)
	if err := db.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if n, oldest, err := db.OutboxBacklog(ctx); err != nil || n != 0 || !oldest.IsZero() {
		t.Fatalf("empty outbox: %d %v %v", n, oldest, err)
	}
	if n, err := db.LatestDrawNumber(ctx); err != nil || n != 437 {
		t.Fatalf("latest draw %d %v, want 437", n, err)
	}
	before := time.Now().Add(-time.Second)
	db.Subscribe(ctx, domain.Subscription{Platform: domain.Discord, Destination: "a"})
	db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: "b"})
	if n, err := db.Announce(ctx, "437"); err != nil || n != 2 {
		t.Fatalf("announce = %d, %v", n, err)
	}
	if _, err := db.ClaimDeliveries(ctx, domain.Discord, 10, time.Now()); err != nil { // one being sent
		t.Fatal(err)
	}
	n, oldest, err := db.OutboxBacklog(ctx)
	if err != nil || n != 2 || oldest.Before(before) || oldest.After(time.Now()) {
		t.Errorf("backlog %d since %v (%v), want 2 since just now", n, oldest, err)
	}
	db.Close()
	if db.Ping(ctx) == nil {
		t.Error("a closed database pings")
	}
}
