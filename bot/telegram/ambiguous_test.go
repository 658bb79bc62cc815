package telegram

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/broadcast"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
	"github.com/eebot/eebot/internal/testlog"
)

// TestBroadcasterLostAnswer: an answer that leaves the post possibly
// delivered (a 502 after Telegram took the message, a call that times out
// after it was written) is reported Ambiguous after one call, never re-sent
// by the queue; a connection refused before anything was written is a
// clear failure, retried. It runs in a synctest bubble: the client's
// timeout passes on the bubble's clock.
func TestBroadcasterLostAnswer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := startMem(t, nil, func(c *Config) {
			c.HTTPClient = &http.Client{Transport: c.HTTPClient.Transport, Timeout: 5 * time.Second}
		})
		p := h.bot.Broadcaster()
		ctx := ctxT(t)
		for _, tc := range []struct {
			name  string
			chat  int64
			fault faketelegram.Fault
		}{
			{"502 after delivering", -5001, faketelegram.LostAnswer},
			{"500 after delivering", -5002, faketelegram.Fault{Code: 500, Delivered: true}},
			{"timeout after delivering", -5003, faketelegram.Fault{Hang: true}},
		} {
			h.srv.Script("sendMessage", tc.chat, 10, tc.fault)
			o := p.Post(ctx, strconv.FormatInt(tc.chat, 10), note(1), "", "n")
			if o.Kind != broadcast.Ambiguous || o.Err == nil {
				t.Errorf("%s: %+v, want %v", tc.name, o, broadcast.Ambiguous)
			}
			if n := len(h.srv.Sent(tc.chat)); n != 1 {
				t.Errorf("%s: %d copies delivered, want 1", tc.name, n)
			}
		}
		if !strings.Contains(h.logs.String(), "no clear answer") {
			t.Errorf("ambiguous sends are not logged:\n%s", h.logs)
		}
	})
}

// notifying is the store, waking the test whenever the sender looks for
// work (every Poll at least).
type notifying struct {
	*store.DB
	events chan struct{}
}

func (n *notifying) ClaimDeliveries(ctx context.Context, platform domain.Platform, limit int, now time.Time) ([]domain.Delivery, error) {
	defer func() {
		select {
		case n.events <- struct{}{}:
		default:
		}
	}()
	return n.DB.ClaimDeliveries(ctx, platform, limit, now)
}

// TestSenderUnder5xxStorm runs the outbox sender through the bot against a
// fake that delivers each message and then answers 502: for a third of the
// groups on every call (a storm), for a third on the first call only. No
// group gets more than two copies of the draw: an unanswered post is
// retried once, then kept as unsure. It runs in a synctest bubble at
// Telegram's real limits.
func TestSenderUnder5xxStorm(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const groups = 300
		db := storetest.Store(t)
		ctx := context.Background()
		eng := commands.New(db, commands.WithClock(storetest.Now), commands.WithLogger(slog.New(slog.DiscardHandler)))
		h := startMem(t, eng, func(c *Config) { c.Limits = DefaultLimits() })
		chat := func(i int) int64 { return int64(-6000 - i) }
		for i := range groups {
			if _, _, err := db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: strconv.FormatInt(chat(i), 10)}); err != nil {
				t.Fatal(err)
			}
			switch i % 3 {
			case 0:
				h.srv.Script("sendMessage", chat(i), 1000, faketelegram.LostAnswer)
			case 1:
				h.srv.Script("sendMessage", chat(i), 1, faketelegram.LostAnswer)
			}
		}
		logs := &testlog.Buffer{}
		out := &notifying{DB: db, events: make(chan struct{}, 1)}
		s := &broadcast.Sender{Outbox: out, Posters: map[domain.Platform]broadcast.Poster{domain.Telegram: h.bot.Broadcaster()},
			Render: eng.RenderPost, Log: slog.New(slog.NewTextHandler(logs, nil)), Poll: time.Second}
		sctx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- s.Run(sctx) }()
		if n, err := db.Announce(ctx, "437"); err != nil || n != groups {
			t.Fatal(n, err)
		}
		// Wait until nothing is left to send, for at most an hour of the
		// bubble's time (the sender's back-offs reach minutes).
		timeout := time.After(time.Hour)
		settled := func() bool {
			c, err := db.OutboxCounts(ctx)
			return err == nil && c["pending"] == 0 && c["sending"] == 0
		}
	wait:
		for {
			synctest.Wait()
			if settled() {
				break
			}
			select {
			case <-out.events:
			case <-timeout:
				t.Error("the outbox did not settle within an hour")
				break wait
			}
		}
		stop()
		if err := <-done; err != nil {
			t.Fatal(err)
		}

		copies := map[int]int{} // copies → groups
		worst, wrong := 0, 0
		for i := range groups {
			n := len(h.srv.Sent(chat(i)))
			copies[n]++
			worst = max(worst, n)
			want := 2
			if i%3 == 2 {
				want = 1
			}
			if n != want {
				if wrong++; wrong <= 6 {
					t.Errorf("group %d (%s): %d copies, want %d", i, []string{"storm", "one 502", "no fault"}[i%3], n, want)
				}
			}
		}
		t.Logf("copies per group: %v (worst %d)", copies, worst)
		c, _ := db.OutboxCounts(ctx)
		if c["sent"] != 2*groups/3 || c["unsure"] != groups/3 {
			t.Errorf("outbox %v, want %d sent and %d unsure", c, 2*groups/3, groups/3)
		}
		if got := strings.Count(logs.String(), `msg="post may have been delivered`); got != 2*groups/3+groups/3 {
			t.Errorf("%d ambiguous answers logged, want %d", got, groups)
		}
		if !strings.Contains(logs.String(), fmt.Sprintf("ambiguous_total=%d", groups)) {
			t.Errorf("the log does not count ambiguous answers")
		}
	})
}

// TestEditRetriedAfter5xx: an edit is safe to repeat (a repeat is "not
// modified", a success), so a page turn answered 502 is still retried.
func TestEditRetriedAfter5xx(t *testing.T) {
	h := start(t, nil, nil)
	chat := faketelegram.PrivateChat(alice)
	c := h.ask(chat, alice, "/history healthcare")
	h.srv.Script("editMessageText", chat.ID, 1, faketelegram.Fault{Code: 502})
	h.srv.PushCallback(chat, alice, c.MessageID, "pg:history:2:healthcare")
	if _, err := h.srv.WaitCalls(ctxT(t), "editMessageText", 1); err != nil {
		t.Fatalf("the edit was not retried: %v (rejected %+v)", err, h.srv.Rejected("editMessageText"))
	}
}
