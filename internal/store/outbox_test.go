package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/store/storetest"
)

func TestSubscribeLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Store(t)
	s1, created, err := db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: "-100", Categories: []domain.Key{"stem", "healthcare", "stem"}, MaxCRS: 480})
	if err != nil || !created || len(s1.Categories) != 2 || s1.Categories[0] != "healthcare" {
		t.Fatalf("subscribe = %+v %v %v", s1, created, err)
	}
	again, created, err := db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: "-100", Categories: []domain.Key{"healthcare", "stem"}, MaxCRS: 480, Priority: 5})
	if err != nil || created || again.ID != s1.ID || again.Priority != 5 {
		t.Fatalf("resubscribe = %+v %v %v", again, created, err)
	}
	db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: "-100"})
	db.Subscribe(ctx, domain.Subscription{Platform: domain.Discord, Destination: "-100"})
	subs, _ := db.Subscriptions(ctx, domain.Telegram, "-100")
	if len(subs) != 2 || subs[0].ID != s1.ID {
		t.Fatalf("subscriptions = %+v", subs)
	}
	if n, _ := db.Unsubscribe(ctx, domain.Telegram, "-100", s1.ID); n != 1 {
		t.Errorf("unsubscribe one = %d", n)
	}
	if n, _ := db.Unsubscribe(ctx, domain.Telegram, "-100", 0); n != 1 {
		t.Errorf("unsubscribe all = %d", n)
	}
	if subs, _ := db.Subscriptions(ctx, "", ""); len(subs) != 1 || subs[0].Platform != domain.Discord {
		t.Errorf("left = %+v", subs)
	}
}

func TestOutboxClaimOrderAndDeadDestinations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Store(t)
	now := time.Now()
	normal, _, _ := db.Subscribe(ctx, domain.Subscription{Platform: domain.Discord, Destination: "normal"})
	vip, _, _ := db.Subscribe(ctx, domain.Subscription{Platform: domain.Discord, Destination: "vip"})
	if err := db.SetPriorityDestinations(ctx, []domain.Destination{{Platform: domain.Discord, ID: "vip"}}); err != nil {
		t.Fatal(err)
	}
	db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: "tg"})
	if n, err := db.Announce(ctx, "437"); err != nil || n != 3 {
		t.Fatalf("announce = %d, %v", n, err)
	}
	ds, err := db.ClaimDeliveries(ctx, domain.Discord, 10, now)
	if err != nil || len(ds) != 2 || ds[0].Sub.ID != vip.ID || ds[1].Sub.ID != normal.ID || ds[0].Attempts != 1 {
		t.Fatalf("claimed = %+v, %v", ds, err)
	}
	if again, _ := db.ClaimDeliveries(ctx, domain.Discord, 10, now); len(again) != 0 {
		t.Fatalf("claimed twice: %+v", again)
	}
	// A restart returns claimed-but-unfinished posts to the queue.
	if n, _ := db.RecoverSending(ctx); n != 2 {
		t.Fatalf("recovered %d", n)
	}
	ds, _ = db.ClaimDeliveries(ctx, domain.Discord, 10, now)
	if len(ds) != 2 {
		t.Fatalf("after recover: %+v", ds)
	}
	db.MarkSent(ctx, domain.Sent{Delivery: ds[0], MessageID: "m1"})
	// Three refusals in a row mark the normal destination dead.
	d := ds[1]
	for i := 1; i <= 3; i++ {
		dead, err := db.MarkRefused(ctx, d, now, "403 Forbidden: Missing Access")
		if err != nil || dead != (i == 3) {
			t.Fatalf("refusal %d: dead=%v err=%v", i, dead, err)
		}
		if i < 3 {
			got, _ := db.ClaimDeliveries(ctx, domain.Discord, 10, now)
			if len(got) != 1 {
				t.Fatalf("retry %d not due: %+v", i, got)
			}
			d = got[0]
		}
	}
	subs, _ := db.Subscriptions(ctx, domain.Discord, "normal")
	if len(subs) != 1 || !subs[0].Dead || subs[0].LastError == "" {
		t.Errorf("dead subscription = %+v", subs)
	}
	counts, _ := db.OutboxCounts(ctx)
	if counts["sent"] != 1 || counts["dead"] != 1 || counts["pending"] != 1 {
		t.Errorf("outbox = %v", counts)
	}
	// A dead destination gets no new posts; resubscribing revives it.
	if n, _ := db.Announce(ctx, "436"); n != 2 {
		t.Errorf("announce to live destinations = %d, want 2", n)
	}
	if s, _, _ := db.Subscribe(ctx, domain.Subscription{Platform: domain.Discord, Destination: "normal"}); s.Dead {
		t.Error("resubscribe did not revive")
	}
	// Retry later: not due yet.
	tg, _ := db.ClaimDeliveries(ctx, domain.Telegram, 1, now)
	db.MarkRetry(ctx, tg[0], now.Add(time.Minute), "429")
	if got, _ := db.ClaimDeliveries(ctx, domain.Telegram, 10, now); len(got) != 1 || got[0].Number != "436" {
		t.Errorf("only the 436 post should be due: %+v", got)
	}
	if got, _ := db.ClaimDeliveries(ctx, domain.Telegram, 10, now.Add(2*time.Minute)); len(got) != 1 || got[0].Number != "437" {
		t.Errorf("437 retry not due after a minute: %+v", got)
	}
}

// A moderator's draw is replaced by the feed's; a material difference is
// posted as a correction, wording alone is not.
func TestModeratorDrawReconciled(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Store(t)
	db.Subscribe(ctx, domain.Subscription{Platform: domain.Discord, Destination: "c"})
	mod := domain.Draw{Number: "438", Seq: 438, Date: "2026-08-25", Name: "Healthcare and Social Services Occupations, 2026-Version 3",
		Category: domain.Healthcare, Version: 3, Type: domain.TypeCategory, Size: 3500, CRS: 470, URL: "https://www.canada.ca/x?q=438"}
	if res, err := db.ApplyDraws(ctx, []domain.Draw{mod}, domain.OriginModerator, "2026-08-25"); err != nil || len(res.Added) != 1 {
		t.Fatal(res, err)
	}
	ds, err := db.ClaimDeliveries(ctx, domain.Discord, 10, time.Now())
	if err != nil || len(ds) != 1 {
		t.Fatal(ds, err)
	}
	db.MarkSent(ctx, domain.Sent{Delivery: ds[0], MessageID: "m"})
	feed := mod
	feed.DrawnRaw, feed.Programs = "August 25, 2026 at 14:02:11 UTC", "Federal Skilled Worker Program, Canadian Experience Class and Federal Skilled Trades Program"
	res, err := db.ApplyDraws(ctx, []domain.Draw{feed}, domain.OriginFeed, "2026-08-25")
	if err != nil || len(res.Updated) != 1 || res.Updated[0].Material() {
		t.Fatalf("wording-only reconcile: %+v %v", res, err)
	}
	if got, _ := db.ClaimDeliveries(ctx, domain.Discord, 10, time.Now()); len(got) != 0 {
		t.Errorf("wording change posted a correction: %+v", got)
	}
	feed.CRS = 471
	res, _ = db.ApplyDraws(ctx, []domain.Draw{feed}, domain.OriginFeed, "2026-08-25")
	if len(res.Updated) != 1 || !res.Updated[0].Material() {
		t.Fatalf("material reconcile: %+v", res)
	}
	got, _ := db.ClaimDeliveries(ctx, domain.Discord, 10, time.Now())
	if len(got) != 1 || got[0].Kind != domain.PostCorrection {
		t.Errorf("correction = %+v", got)
	}
	if d, _ := db.Draw(ctx, "438"); d.Origin != domain.OriginFeed || d.CRS != 471 {
		t.Errorf("438 = %+v", d)
	}
	// A moderator cannot overwrite the feed.
	if res, _ := db.ApplyDraws(ctx, []domain.Draw{mod}, domain.OriginModerator, "2026-08-25"); len(res.Updated) != 0 {
		t.Errorf("moderator overwrote the feed: %+v", res)
	}
}

// TestQueuedSignalsCommits: Queued's channel closes once a commit that
// queued posts is done (an announcement, a new draw, a correction), and not
// for one that queued nothing.
func TestQueuedSignalsCommits(t *testing.T) {
	ctx := context.Background()
	db := storetest.Store(t)
	closed := func(ch <-chan struct{}) bool {
		select {
		case <-ch:
			return true
		default:
			return false
		}
	}
	q := db.Queued()
	if n, err := db.Announce(ctx, "437"); err != nil || n != 0 || closed(q) {
		t.Fatalf("announce to nobody: %d %v, signalled %v", n, err, closed(q))
	}
	db.Subscribe(ctx, domain.Subscription{Platform: domain.Discord, Destination: "c"})
	if n, err := db.Announce(ctx, "437"); err != nil || n != 1 || !closed(q) {
		t.Fatalf("announce: %d %v, signalled %v", n, err, closed(q))
	}
	if q = db.Queued(); closed(q) {
		t.Fatal("the next channel is already closed")
	}

	mod := domain.Draw{Number: "438", Seq: 438, Date: "2026-08-25", Name: "Healthcare and Social Services Occupations, 2026-Version 3",
		Category: domain.Healthcare, Version: 3, Type: domain.TypeCategory, Size: 3500, CRS: 470, URL: "https://www.canada.ca/x?q=438"}
	if _, err := db.ApplyDraws(ctx, []domain.Draw{mod}, domain.OriginModerator, "2026-08-25"); err != nil || !closed(q) {
		t.Fatalf("new draw: %v, signalled %v", err, closed(q))
	}
	ds, _ := db.ClaimDeliveries(ctx, domain.Discord, 10, time.Now())
	for _, d := range ds {
		db.MarkSent(ctx, domain.Sent{Delivery: d, MessageID: "m"})
	}
	q = db.Queued()
	if _, err := db.ApplyDraws(ctx, []domain.Draw{mod}, domain.OriginModerator, "2026-08-25"); err != nil || closed(q) {
		t.Fatalf("unchanged draw: %v, signalled %v", err, closed(q))
	}
	feed := mod
	feed.CRS = 471
	if _, err := db.ApplyDraws(ctx, []domain.Draw{feed}, domain.OriginFeed, "2026-08-25"); err != nil || !closed(q) {
		t.Fatalf("correction: %v, signalled %v", err, closed(q))
	}
}

// TestOutboxMaybeSent: a delivery whose attempt may have been delivered is
// claimed again with MaybeSent set, keeps it through clear failures and a
// restart, and ends as unsure; a correction goes wherever the post may be.
func TestOutboxMaybeSent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Store(t)
	now := time.Now()
	db.Subscribe(ctx, domain.Subscription{Platform: domain.Discord, Destination: "unsure"})
	db.Subscribe(ctx, domain.Subscription{Platform: domain.Discord, Destination: "retried"})
	mod := domain.Draw{Number: "438", Seq: 438, Date: "2026-08-25", Name: "Healthcare and Social Services Occupations, 2026-Version 3",
		Category: domain.Healthcare, Version: 3, Type: domain.TypeCategory, Size: 3500, CRS: 470, URL: "https://www.canada.ca/x?q=438"}
	if _, err := db.ApplyDraws(ctx, []domain.Draw{mod}, domain.OriginModerator, "2026-08-25"); err != nil {
		t.Fatal(err)
	}
	ds, _ := db.ClaimDeliveries(ctx, domain.Discord, 10, now)
	if len(ds) != 2 || ds[0].MaybeSent || ds[1].MaybeSent {
		t.Fatalf("claimed = %+v", ds)
	}
	for _, d := range ds {
		if err := db.MarkMaybeSent(ctx, d, now, "502 Bad Gateway"); err != nil {
			t.Fatal(err)
		}
	}
	ds, _ = db.ClaimDeliveries(ctx, domain.Discord, 10, now)
	if len(ds) != 2 || !ds[0].MaybeSent || !ds[1].MaybeSent {
		t.Fatalf("claimed after an unclear answer = %+v", ds)
	}
	// A clear failure and a restart keep the mark.
	db.MarkRetry(ctx, ds[1], now, "429")
	db.RecoverSending(ctx)
	ds, _ = db.ClaimDeliveries(ctx, domain.Discord, 10, now)
	if len(ds) != 2 || !ds[0].MaybeSent || !ds[1].MaybeSent {
		t.Fatalf("claimed after a retry and a restart = %+v", ds)
	}
	if err := db.MarkUnsure(ctx, ds[0], "502 Bad Gateway"); err != nil {
		t.Fatal(err)
	}
	db.MarkRetry(ctx, ds[1], now.Add(time.Hour), "429")
	if c, _ := db.OutboxCounts(ctx); c["unsure"] != 1 || c["pending"] != 1 {
		t.Errorf("outbox = %v", c)
	}
	// Both may show the old values: both get the correction.
	feed := mod
	feed.CRS = 471
	if _, err := db.ApplyDraws(ctx, []domain.Draw{feed}, domain.OriginFeed, "2026-08-25"); err != nil {
		t.Fatal(err)
	}
	got, _ := db.ClaimDeliveries(ctx, domain.Discord, 10, now)
	if len(got) != 2 || got[0].Kind != domain.PostCorrection || got[1].Kind != domain.PostCorrection {
		t.Errorf("corrections = %+v", got)
	}
}

// TestOutboxKeysFollowChanges: the claim's order follows priority
// destinations and subscription priorities changed after posts were
// queued, and dead or removed destinations' posts are dropped as the claim
// meets them, however many come first.
func TestOutboxKeysFollowChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Store(t)
	now := time.Now()
	for _, d := range []string{"a", "b", "c", "d", "e", "f"} {
		if _, _, err := db.Subscribe(ctx, domain.Subscription{Platform: domain.Discord, Destination: d}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := db.Announce(ctx, "437"); err != nil || n != 6 {
		t.Fatalf("announce = %d, %v", n, err)
	}
	if err := db.SetPriorityDestinations(ctx, []domain.Destination{{Platform: domain.Discord, ID: "e"}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Subscribe(ctx, domain.Subscription{Platform: domain.Discord, Destination: "d", Priority: 5}); err != nil {
		t.Fatal(err)
	}
	// a and b are gone, c unsubscribed: the first claim meets them first.
	if err := db.MarkDestinationGone(ctx, domain.Discord, "a", "kicked"); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkDestinationGone(ctx, domain.Discord, "b", "kicked"); err != nil {
		t.Fatal(err)
	}
	if n, err := db.Unsubscribe(ctx, domain.Discord, "c", 0); err != nil || n != 1 {
		t.Fatalf("unsubscribe = %d, %v", n, err)
	}
	var order []string
	for {
		ds, err := db.ClaimDeliveries(ctx, domain.Discord, 1, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) == 0 {
			break
		}
		order = append(order, ds[0].Sub.Destination)
		if ds[0].Nonce == "" {
			t.Errorf("%s claimed without a nonce", ds[0].Sub.Destination)
		}
	}
	if fmt.Sprint(order) != "[e d f]" {
		t.Errorf("claimed %v; want the priority destination, the priority subscription, then the rest", order)
	}
	if c, _ := db.OutboxCounts(ctx); c["dead"] != 2 || c["sending"] != 3 || len(c) != 2 {
		t.Errorf("outbox = %v; want 2 dead (c's row went with it) and 3 sending", c)
	}
	// Revived, a dead destination gets new posts, not the ones dropped.
	if s, _, err := db.Subscribe(ctx, domain.Subscription{Platform: domain.Discord, Destination: "a"}); err != nil || s.Dead {
		t.Fatalf("revive = %+v, %v", s, err)
	}
	if n, err := db.Announce(ctx, "436"); err != nil || n != 4 {
		t.Errorf("announce after the revival = %d, %v; want a, d, e and f", n, err)
	}
}

// TestOutboxNoncesStay: a delivery's nonce, drawn at its first claim, is the
// same on every later attempt, and differs between deliveries.
func TestOutboxNoncesStay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Store(t)
	now := time.Now()
	db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: "1"})
	db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: "2"})
	db.Announce(ctx, "437")
	first, _ := db.ClaimDeliveries(ctx, domain.Telegram, 10, now)
	if len(first) != 2 || first[0].Nonce == "" || first[0].Nonce == first[1].Nonce {
		t.Fatalf("claimed %+v", first)
	}
	db.MarkRetry(ctx, first[0], now, "429")
	db.RecoverSending(ctx)
	again, _ := db.ClaimDeliveries(ctx, domain.Telegram, 10, now)
	if len(again) != 2 || again[0].Nonce != first[0].Nonce || again[1].Nonce != first[1].Nonce {
		t.Errorf("nonces changed: %q %q, then %q %q", first[0].Nonce, first[1].Nonce, again[0].Nonce, again[1].Nonce)
	}
}
