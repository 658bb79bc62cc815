package telegram

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eebot/eebot/bot/telegram/faketelegram"
)

// checkWindows fails t when the calls break one of Telegram's limits in any
// sliding window: 30 messages in a second overall, 1 in a second per chat,
// 20 in a minute per group. It returns the busiest second overall.
func checkWindows(t *testing.T, calls []faketelegram.Call, second time.Duration) int {
	t.Helper()
	perChat := map[int64][]faketelegram.Call{}
	for _, c := range calls {
		perChat[c.ChatID] = append(perChat[c.ChatID], c)
	}
	busiest := faketelegram.Busiest(calls, second)
	if busiest > 30 {
		t.Errorf("%d messages in one second, over the 30 allowed", busiest)
	}
	// The margin for network jitter is kept too.
	if n := faketelegram.Busiest(calls, second+DefaultLimits().Jitter*second/time.Second); n > 30 {
		t.Errorf("%d messages in one second and the jitter margin", n)
	}
	for id, cs := range perChat {
		if n := faketelegram.Busiest(cs, second); n > 1 {
			t.Errorf("chat %d: %d messages in one second", id, n)
		}
		if n := faketelegram.Busiest(cs, 60*second); id < 0 && n > 20 {
			t.Errorf("group %d: %d messages in one minute", id, n)
		}
	}
	return busiest
}

// TestGlobalWindow sends 3,000 messages to 290 private chats and 50 groups
// at Telegram's real limits in a synctest bubble, where timers fire exactly
// on time and the fake sees each call at the instant it leaves: no sliding
// second holds more than 30 messages, no chat more than one a second, no
// group more than 20 a minute, and the queue keeps at least 97 % of the
// global rate.
func TestGlobalWindow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Groups get few messages: 20 a minute each would make the tail group-bound.
		const private, groups, perPrivate, perGroup = 290, 50, 10, 2
		h := startMem(t, nil, func(c *Config) { c.Limits = DefaultLimits() })
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
		defer cancel()
		var wg sync.WaitGroup
		for i := range private + groups {
			chat := int64(20_000 + i)
			if i >= private {
				chat = -chat
			}
			n := perPrivate
			if chat < 0 {
				n = perGroup
			}
			wg.Go(func() {
				for k := range n {
					if _, err := h.bot.Post(ctx, chat, note(k)); err != nil {
						t.Errorf("chat %d: %v", chat, err)
						return
					}
				}
			})
		}
		wg.Wait()
		calls := h.srv.Calls("sendMessage")
		busiest := checkWindows(t, calls, time.Second)
		span := calls[len(calls)-1].At.Sub(calls[0].At)
		rate := float64(len(calls)-1) / span.Seconds()
		t.Logf("%d messages in %v: %.2f/s (%.1f %% of 30/s); busiest second %d", len(calls), span, rate, rate/30*100, busiest)
		if rate < 0.97*30 {
			t.Errorf("%.2f messages/s, under 97 %% of 30", rate)
		}
	})
}

// TestBucketWindowWithLateTimers: a sender whose timers fire up to Slack
// late (as Go's do) keeps its schedule without ever putting more than the
// limit in one window, and without falling under 97 % of the rate; and
// messages that reach Telegram up to Jitter later than they left still
// never do.
func TestBucketWindowWithLateTimers(t *testing.T) {
	lim := DefaultLimits()
	b := newBucket(lim.Global, lim.GlobalBurst, lim.Slack, lim.Window, lim.Jitter)
	rng := rand.New(rand.NewPCG(1, 2))
	t0 := time.Date(2026, 8, 20, 12, 0, 0, 0, time.UTC)
	now := t0
	var calls, arrivals []faketelegram.Call
	for range 20_000 {
		now = latest(now, b.readyAt()).Add(time.Duration(rng.Int64N(int64(lim.Slack) + 1)))
		b.take(now)
		calls = append(calls, faketelegram.Call{At: now})
		arrivals = append(arrivals, faketelegram.Call{At: now.Add(time.Duration(rng.Int64N(int64(lim.Jitter) + 1)))})
	}
	slices.SortFunc(arrivals, func(a, b faketelegram.Call) int { return a.At.Compare(b.At) })
	if n := faketelegram.Busiest(arrivals, time.Second); n > 30 {
		t.Errorf("with up to %v of network jitter, %d messages reached Telegram in one second", lim.Jitter, n)
	}
	busiest := faketelegram.Busiest(calls, time.Second)
	over := 0
	for i := range calls {
		if i >= 30 && calls[i].At.Sub(calls[i-30].At) < time.Second {
			over++
		}
	}
	rate := float64(len(calls)-1) / now.Sub(t0).Seconds()
	t.Logf("20,000 sends: busiest second %d, %d sends over 30 in their window, %.2f/s (%.1f %%)", busiest, over, rate, rate/30*100)
	if busiest > 30 || rate < 0.97*30 {
		t.Errorf("busiest second %d (%d sends over), %.2f/s: want at most 30 and at least 29.1/s", busiest, over, rate)
	}
}
