package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
)

// TestInbox: updates kept survive a reopen until answered; a redelivered
// update is not fresh; answered ones are forgotten once confirmed.
func TestInbox(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := storetest.Reopenable(t, "inbox.db")
	db, err := store.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 8, 20, 14, 0, 0, 0, time.UTC)
	in := func(ids ...int64) []domain.Inbound {
		var out []domain.Inbound
		for _, id := range ids {
			out = append(out, domain.Inbound{ID: id, At: at, Body: fmt.Appendf(nil, `{"update_id":%d}`, id%10)})
		}
		return out
	}
	const src = "telegram:1"
	fresh, err := db.KeepInbound(ctx, src, 0, in(11, 12, 13))
	if err != nil || !slices.Equal(fresh, []int64{11, 12, 13}) {
		t.Fatalf("fresh = %v, %v", fresh, err)
	}
	if err := db.AnswerInbound(ctx, src, 12); err != nil {
		t.Fatal(err)
	}
	// Another bot's inbox is its own.
	if fresh, _ := db.KeepInbound(ctx, "telegram:2", 0, in(12)); !slices.Equal(fresh, []int64{12}) {
		t.Errorf("another source: fresh = %v", fresh)
	}
	db.Close()

	db, err = store.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	waiting, err := db.WaitingInbound(ctx, src)
	if err != nil || len(waiting) != 2 || waiting[0].ID != 11 || waiting[1].ID != 13 || !waiting[0].At.Equal(at) || string(waiting[1].Body) != `{"update_id":3}` {
		t.Fatalf("waiting after reopen = %+v, %v", waiting, err)
	}
	// Telegram redelivers 12 and 13 (never confirmed) with a new 14: only 14 is fresh.
	if fresh, err := db.KeepInbound(ctx, src, 12, in(12, 13, 14)); err != nil || !slices.Equal(fresh, []int64{14}) {
		t.Errorf("redelivered: fresh = %v, %v", fresh, err)
	}
	// Confirmed past 13: the answered 12 is forgotten, the unanswered 11 and 13 are not.
	if err := db.AnswerInbound(ctx, src, 13); err != nil {
		t.Fatal(err)
	}
	if fresh, _ := db.KeepInbound(ctx, src, 15, in(12, 15)); !slices.Equal(fresh, []int64{12, 15}) {
		t.Errorf("after confirming: fresh = %v, want 12 again (forgotten) and 15", fresh)
	}
	waiting, _ = db.WaitingInbound(ctx, src)
	var ids []int64
	for _, w := range waiting {
		ids = append(ids, w.ID)
	}
	if !slices.Equal(ids, []int64{11, 12, 14, 15}) {
		t.Errorf("waiting = %v", ids)
	}
}
