package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/telegram/faketelegram"
)

// exitBudget is how long a stop may take when no post is in flight.
const exitBudget = 2 * time.Second

// TestSIGTERMUnderBurstLosesNoQuestion: a burst of questions is queued, the
// bot is stopped while answering it, and a restart answers the rest: every
// question gets exactly one answer, and the stop takes under exitBudget.
// Telegram's limits (30 messages/s, 1 per chat) bound the pace, so the
// burst is small: BURST_CHATS private chats × BURST_EACH questions (20 × 4),
// stopped after BURST_STOP_AFTER answers (15).
func TestSIGTERMUnderBurstLosesNoQuestion(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	e.env["NO_POLL"] = "1"
	chats, each, stopAfter := envInt("BURST_CHATS", 20), envInt("BURST_EACH", 4), envInt("BURST_STOP_AFTER", 15)
	want := map[string]int64{} // the score each question carries → its chat
	for c := range chats {
		u := faketelegram.User{ID: int64(5000 + c), FirstName: "U"}
		for i := range each {
			score := fmt.Sprint(300 + c*each + i) // every answer repeats its question's score
			want[score] = u.ID
			e.tg.PushText(faketelegram.PrivateChat(u), u, "/match "+score)
		}
	}
	stop := e.start()
	answered := func(v faketelegram.View) int { return len(v.Calls("sendMessage")) }
	// Telegram's global limit is 30 messages/s.
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(len(want))*time.Second/30+20*time.Second)
	defer cancel()
	if err := e.tg.Wait(ctx, func(v faketelegram.View) bool { return answered(v) >= stopAfter }); err != nil {
		t.Fatalf("no answers: %v\n%s", err, e.logs.String())
	}
	t0 := time.Now()
	if code := stop(); code != 0 {
		t.Fatalf("exit %d\n%s", code, e.logs.String())
	}
	took := time.Since(t0)
	first := len(e.tg.Calls("sendMessage"))
	t.Logf("stopped after %d of %d answers in %v; %d updates unconfirmed at Telegram", first, len(want), took, e.tg.Pending())
	if took > exitBudget {
		t.Errorf("stop took %v, want under %v", took, exitBudget)
	}

	stop = e.start()
	err := e.tg.Wait(ctx, func(v faketelegram.View) bool { return answered(v) >= len(want) })
	stop()
	got := map[string]int{}
	score := regexp.MustCompile(`^(\d+) would`)
	for _, c := range e.tg.Calls("sendMessage") {
		m := score.FindStringSubmatch(c.Plain)
		if m == nil || want[m[1]] != c.ChatID {
			t.Errorf("unexpected answer in chat %d: %.60q", c.ChatID, c.Plain)
			continue
		}
		got[m[1]]++
	}
	var lost, doubled []string
	for s := range want {
		switch n := got[s]; {
		case n == 0:
			lost = append(lost, s)
		case n > 1:
			doubled = append(doubled, s)
		}
	}
	if err != nil || len(lost) > 0 || len(doubled) > 0 {
		t.Fatalf("after a restart: %d of %d questions never answered, %d answered twice (%v)\nlost: %s",
			len(lost), len(want), len(doubled), err, strings.Join(lost, " "))
	}
}
