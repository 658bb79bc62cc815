package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
)

// TestCRSSessions: answers survive a reopen (a restart), expire, and are
// forgotten with the kept profile.
func TestCRSSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := storetest.Reopenable(t, "crs.db")
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	db, err := store.Open(ctx, path, nil, store.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	const tg = domain.Telegram
	if err := db.SaveCRSSession(ctx, tg, "42", `[{"k":"age","v":"29"}]`, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveCRSSession(ctx, tg, "43", `[]`, time.Minute); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = store.Open(ctx, path, nil, store.WithClock(clock)); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if a, ok, err := db.CRSSession(ctx, tg, "42"); err != nil || !ok || a != `[{"k":"age","v":"29"}]` {
		t.Fatalf("after a reopen: %q %v %v", a, ok, err)
	}
	if _, ok, _ := db.CRSSession(ctx, domain.Discord, "42"); ok {
		t.Error("another platform's user sees the session")
	}
	now = now.Add(2 * time.Minute)
	if _, ok, _ := db.CRSSession(ctx, tg, "43"); ok {
		t.Error("an expired session is returned")
	}
	if err := db.SaveCRSSession(ctx, tg, "42", `[{"k":"age","v":"30"}]`, time.Hour); err != nil {
		t.Fatal(err)
	}
	if a, _, _ := db.CRSSession(ctx, tg, "42"); a != `[{"k":"age","v":"30"}]` {
		t.Errorf("not replaced: %q", a)
	}
	if err := db.SaveCRSProfile(ctx, tg, "42", "age=30 education=phd english=9", 480); err != nil {
		t.Fatal(err)
	}
	if p, s, ok, err := db.CRSProfile(ctx, tg, "42"); err != nil || !ok || s != 480 || p != "age=30 education=phd english=9" {
		t.Errorf("profile %q %d %v %v", p, s, ok, err)
	}
	if n, err := db.ForgetCRS(ctx, tg, "42"); err != nil || n != 2 {
		t.Errorf("forgot %d, %v; want 2", n, err)
	}
	if _, _, ok, _ := db.CRSProfile(ctx, tg, "42"); ok {
		t.Error("profile kept after forget")
	}
	if _, ok, _ := db.CRSSession(ctx, tg, "42"); ok {
		t.Error("session kept after forget")
	}
}
