package discord

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eebot/eebot/internal/broadcast"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/store"
)

// TestSenderDelivers runs the real outbox sender with the bot as its
// Discord Poster: one post per matching channel, a 429 delays but
// delivers, a 403 is recorded as a refusal (not retried at once), and a
// restart sends nothing twice.
func TestSenderDelivers(t *testing.T) {
	t.Parallel()
	h := newHarness(t, moderators)
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
		{Destination: other, Categories: []string{"healthcare"}},
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

	// run runs a sender until cond holds, checking it each time the sender
	// has looked at the outbox (every Poll at least).
	run := func(what string, cond func(looks int64) bool) {
		t.Helper()
		out := &watched{DB: h.store, looked: make(chan struct{}, 1)}
		s := &broadcast.Sender{Outbox: out, Posters: map[domain.Platform]broadcast.Poster{"discord": h.bot}, Render: h.bot.eng.RenderPost,
			Poll: 20 * time.Millisecond, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- s.Run(rctx) }()
		timeout := time.After(10 * time.Second)
	wait:
		for !cond(out.looks.Load()) {
			select {
			case <-out.looked:
			case <-timeout:
				t.Errorf("timed out waiting for %s", what)
				break wait
			}
		}
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
	run("3 posts sent", func(int64) bool { return sent() == 3 })
	counts := h.fake.MessageCounts()
	if counts[ok] != 1 || counts[mention] != 1 || counts[limited] != 1 || counts[refused] != 0 || counts[other] != 0 {
		t.Fatalf("messages per channel %v", counts)
	}
	if n := len(h.fake.Requests("POST", "/api/v9/channels/"+limited)); n != 2 {
		t.Errorf("%d requests to the rate-limited channel, want the 429 and one retry", n)
	}
	var m sentMessage
	h.fake.Messages(mention)[0].JSON(&m)
	if m.Content != "<@&"+roleID1+">" || len(m.Embeds) != 1 || !strings.Contains(m.Embeds[0]["title"].(string), "437") {
		t.Errorf("mention post %s", h.fake.Messages(mention)[0].Body)
	}
	for _, s := range h.subs(refused) {
		if !strings.Contains(s.LastError, "403") {
			t.Errorf("refusal not recorded: %+v", s)
		}
	}

	// A restart: the sent posts stay sent; nothing is posted again, however
	// often the sender looks (the refused post waits out its back-off).
	run("two looks at the outbox", func(looks int64) bool { return looks >= 2 })
	if got := h.fake.MessageCounts(); got[ok] != 1 || got[mention] != 1 || got[limited] != 1 {
		t.Errorf("after a restart %v", got)
	}
}

// watched is the store, telling the test each time the sender has looked
// for due posts.
type watched struct {
	*store.DB
	looked chan struct{}
	looks  atomic.Int64
}

func (w *watched) ClaimDeliveries(ctx context.Context, platform domain.Platform, limit int, now time.Time) ([]domain.Delivery, error) {
	ds, err := w.DB.ClaimDeliveries(ctx, platform, limit, now)
	w.looks.Add(1)
	select {
	case w.looked <- struct{}{}:
	default:
	}
	return ds, err
}
