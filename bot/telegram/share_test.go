package telegram

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eebot/eebot/internal/broadcast"
	"github.com/eebot/eebot/internal/reply"
)

// TestAlertsUnderQuestionFlood: 20,000 answers to questions from 1,000
// users wait in the queue (11 minutes of Telegram's 30 messages a second)
// when a draw is posted to 300 groups. Answers still go first, but while
// both wait every fifth global slot is a post's, so the alerts are out
// within a minute, not after the flood. It runs in a synctest bubble at
// Telegram's real limits; the delays are the bubble's.
func TestAlertsUnderQuestionFlood(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const users, questions, alerts = 1_000, 20_000, 300
		h := startMem(t, nil, func(c *Config) { c.Limits = DefaultLimits() })
		start := time.Now()
		answer := reply.Reply{Title: "CRS 475", Summary: "Healthcare, Jun 25, 2026"}
		for i := range questions {
			h.bot.reply(context.Background(), int64(100_000+i%users), answer, 0)
		}
		// Alerts still queued after two minutes give up.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		p := h.bot.Broadcaster()
		var wg sync.WaitGroup
		failed := make(chan broadcast.Outcome, alerts)
		for i := range alerts {
			wg.Go(func() {
				if o := p.Post(ctx, strconv.Itoa(-7000-i), note(i), "", ""); o.Kind != broadcast.Delivered {
					failed <- o
				}
			})
		}
		wg.Wait()
		close(failed)
		if o, ok := <-failed; ok {
			t.Errorf("%d alerts not delivered: %+v", len(failed)+1, o)
		}

		var posts, answers []time.Duration // delays since the flood began
		for _, c := range h.srv.Calls("sendMessage") {
			if c.ChatID < 0 {
				posts = append(posts, c.At.Sub(start))
			} else {
				answers = append(answers, c.At.Sub(start))
			}
		}
		if len(posts) == 0 {
			t.Fatalf("no alert out after %v, while %d answers went out", time.Since(start), len(answers))
		}
		last := slices.Max(posts)
		t.Logf("%d alerts: first after %v, last after %v; %d answers sent meanwhile", len(posts), slices.Min(posts), last, len(answers))
		if len(posts) != alerts || last > time.Minute {
			t.Errorf("%d of %d alerts out, the last after %v: want all within a minute", len(posts), alerts, last)
		}
		// Answers keep at least four slots in five.
		if len(answers) < 4*len(posts) {
			t.Errorf("%d answers for %d alerts: answers lost their share", len(answers), len(posts))
		}
	})
}
