package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/store/storetest"
)

// One preview is posted at most once, however many presses arrive and
// however they interleave; a cancelled preview is never posted; a posted
// one is not cancelled.
func TestAnnouncementOncePerPreview(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Store(t)
	db.Subscribe(ctx, domain.Subscription{Platform: domain.Discord, Destination: "c1"})
	db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: "-5"})
	at := time.Date(2026, 8, 20, 12, 0, 0, 0, time.UTC)
	press := domain.Announcement{PreviewID: "0123456789abcdef", Number: "437", Platform: domain.Discord, UserID: "9", At: at}

	// Ten presses at once: one queues the posts, nine find its record.
	var wg sync.WaitGroup
	var mu sync.Mutex
	fresh := 0
	for range 10 {
		wg.Go(func() {
			rec, ok, err := db.PostAnnouncement(ctx, press)
			if err != nil || rec.Destinations != 2 || rec.Cancelled || !rec.At.Equal(at) || rec.UserID != "9" {
				t.Errorf("press: %+v %v", rec, err)
			}
			mu.Lock()
			defer mu.Unlock()
			if ok {
				fresh++
			}
		})
	}
	wg.Wait()
	if c, _ := db.OutboxCounts(ctx); fresh != 1 || c["pending"] != 2 {
		t.Fatalf("%d fresh presses, outbox %v; want 1 and 2 pending", fresh, c)
	}
	if rec, ok, err := db.CancelAnnouncement(ctx, press); err != nil || ok || rec.Cancelled || rec.Destinations != 2 {
		t.Errorf("cancel after post: %+v %v %v", rec, ok, err)
	}

	// Cancelled first: its Post does nothing.
	other := domain.Announcement{PreviewID: "fedcba9876543210", Number: "436", At: at.Add(time.Minute)}
	if rec, ok, err := db.CancelAnnouncement(ctx, other); err != nil || !ok || !rec.Cancelled {
		t.Errorf("cancel: %+v %v %v", rec, ok, err)
	}
	if rec, ok, err := db.PostAnnouncement(ctx, other); err != nil || ok || !rec.Cancelled || rec.Destinations != 0 {
		t.Errorf("post after cancel: %+v %v %v", rec, ok, err)
	}
	if c, _ := db.OutboxCounts(ctx); c["pending"] != 2 {
		t.Errorf("outbox %v", c)
	}

	// Another preview of the same draw is another announcement.
	again := press
	again.PreviewID, again.At = "00000000000000aa", at.Add(time.Hour)
	if rec, ok, err := db.PostAnnouncement(ctx, again); err != nil || !ok || rec.Destinations != 2 {
		t.Errorf("second preview: %+v %v %v", rec, ok, err)
	}
	list, err := db.Announcements(ctx, "437")
	if err != nil || len(list) != 2 || list[0].PreviewID != again.PreviewID || list[1].PreviewID != press.PreviewID {
		t.Errorf("announcements = %+v, %v", list, err)
	}
	if list, _ := db.Announcements(ctx, "436"); len(list) != 0 {
		t.Errorf("cancelled ones listed: %+v", list)
	}
	if _, _, err := db.PostAnnouncement(ctx, domain.Announcement{PreviewID: "1111111111111111", Number: "9999"}); err == nil {
		t.Error("an unknown draw was announced")
	}
}
