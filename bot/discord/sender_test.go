package discord

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eebot/eebot/internal/broadcast"
	"github.com/eebot/eebot/internal/domain"
)

// TestSenderDelivers runs the real outbox sender with the bot as its
// Discord Poster: one post per matching channel, a 429 delays but
// delivers, a 403 is recorded as a refusal (not retried at once), and a
// restart sends nothing twice. It runs in a synctest bubble: the retry
// after the 429 and the sender's polling happen on the bubble's clock.
func TestSenderDelivers(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testSenderDelivers)
}

func testSenderDelivers(t *testing.T) {
	h := newMemHarness(t, moderators)
	ctx := t.Context()
	const (
		ok      = "300000000000000031"
		mention = "300000000000000032"
		limited = "300000000000000033"
		refused = "300000000000000034"
		other   = "300000000000000035" // healthcare only: #437 is French
	)
	for _, s := range []domain.Subscription{
		{Destination: ok}, {Destination: mention, Mention: roleID1}, {Destination: limited}, {Destination: refused},
		{Destination: other, Categories: []domain.Key{"healthcare"}},
	} {
		s.Platform = "discord"
		if _, _, err := h.store.Subscribe(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	h.fake.RateLimitChannel(limited, 1, 200*time.Millisecond)
	h.fake.RefuseChannel(refused, 403)
	if n, err := h.store.Announce(ctx, "437"); err != nil || n != 4 {
		t.Fatalf("Announce = %d, %v", n, err)
	}

	// run runs the sender until wait returns, then stops it; Run returns
	// once the posts in flight are done and recorded.
	run := func(wait func()) {
		t.Helper()
		s := &broadcast.Sender{Outbox: h.store, Posters: map[domain.Platform]broadcast.Poster{"discord": h.bot}, Render: h.bot.eng.RenderPost,
			Poll: 20 * time.Millisecond, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- s.Run(rctx) }()
		wait()
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	sent := func() int {
		c, err := h.store.OutboxCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return c["sent"]
	}
	run(func() {
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		for _, ch := range []string{ok, mention, limited} {
			if _, err := h.fake.AwaitMessages(wctx, ch, 1); err != nil {
				t.Fatalf("no post in %s: %v", ch, err)
			}
		}
		if _, err := h.fake.AwaitRequests(wctx, "POST", "/api/v9/channels/"+refused, 1); err != nil {
			t.Fatalf("no post attempt in %s: %v", refused, err)
		}
	})
	if n := sent(); n != 3 {
		t.Fatalf("%d deliveries recorded as sent, want 3", n)
	}
	counts := h.fake.MessageCounts()
	if counts[ok] != 1 || counts[mention] != 1 || counts[limited] != 1 || counts[refused] != 0 || counts[other] != 0 {
		t.Fatalf("messages per channel %v", counts)
	}
	if n := len(h.fake.Requests("POST", "/api/v9/channels/"+limited)); n != 2 {
		t.Errorf("%d requests to the rate-limited channel, want the 429 and one retry", n)
	}
	var m sentMessage
	h.fake.Messages(mention)[0].JSON(&m)
	if m.Content != "<@&"+roleID1+">" || len(m.Embeds) != 1 || !strings.Contains(m.Embeds[0]["description"].(string), "#437") {
		t.Errorf("mention post %s", h.fake.Messages(mention)[0].Body)
	}
	for _, s := range h.subs(refused) {
		if !strings.Contains(s.LastError, "403") {
			t.Errorf("refusal not recorded: %+v", s)
		}
	}

	// A restart: the sent posts stay sent; nothing is posted again.
	run(func() { time.Sleep(300 * time.Millisecond) }) // on the bubble's clock: 15 polls
	if got := h.fake.MessageCounts(); got[ok] != 1 || got[mention] != 1 || got[limited] != 1 {
		t.Errorf("after a restart %v", got)
	}
	if n := sent(); n != 3 {
		t.Errorf("after a restart %d deliveries recorded as sent, want 3", n)
	}
}
