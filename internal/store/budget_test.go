package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/eebot/eebot/internal/store/storetest"
)

// TestReserveSend: slots follow one another an interval apart however the
// sends come (many at once, from several callers), and after a pause the
// next send may go at once.
func TestReserveSend(t *testing.T) {
	ctx := context.Background()
	db := storetest.Store(t)
	t0 := time.Date(2026, 8, 20, 12, 0, 0, 0, time.UTC)
	const every = 34 * time.Millisecond
	for i := range 5 {
		at, err := db.ReserveSend(ctx, "telegram:1", every, t0)
		if err != nil {
			t.Fatal(err)
		}
		if want := t0.Add(time.Duration(i) * every); !at.Equal(want) {
			t.Fatalf("slot %d at %v, want %v", i, at.Sub(t0), want.Sub(t0))
		}
	}
	// Another key is its own rate.
	if at, err := db.ReserveSend(ctx, "telegram:2", every, t0); err != nil || !at.Equal(t0) {
		t.Fatalf("other key: %v %v", at.Sub(t0), err)
	}
	// After a pause longer than the booked time: at once.
	later := t0.Add(time.Second)
	if at, err := db.ReserveSend(ctx, "telegram:1", every, later); err != nil || !at.Equal(later) {
		t.Fatalf("after a pause: %v %v", at.Sub(t0), err)
	}
}
