package main

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/discord/fakediscord"
	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/store"
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

// launch runs the bot until cancel is called; done yields run's exit code.
func (e *e2e) launch() (cancel func(), done <-chan int) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan int, 1)
	go func() { ch <- run(ctx, nil, strings.NewReader(""), &bytes.Buffer{}, e.logs, env(e.env)) }()
	return cancel, ch
}

// lines returns the log lines containing every one of want.
func (e *e2e) lines(want ...string) []string {
	var out []string
	for _, l := range strings.Split(e.logs.String(), "\n") {
		ok := l != ""
		for _, w := range want {
			ok = ok && strings.Contains(l, w)
		}
		if ok {
			out = append(out, l)
		}
	}
	return out
}

// TestRevokedTelegramToken: a token revoked while the bot runs stops the
// Telegram side with one log line. Alone, the process exits 1; beside
// Discord, Discord keeps answering and a later stop exits 0.
func TestRevokedTelegramToken(t *testing.T) {
	t.Parallel()
	user := faketelegram.User{ID: 42, FirstName: "Ada"}
	chat := faketelegram.PrivateChat(user)
	t.Run("alone", func(t *testing.T) {
		t.Parallel()
		e := newE2E(t)
		e.env["NO_POLL"] = "1"
		cancel, done := e.launch()
		defer cancel()
		e.tg.PushText(chat, user, "/cutoff healthcare")
		e.waitSent(chat.ID, "Healthcare", 1)
		e.tg.RevokeToken()
		select {
		case code := <-done:
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
		case <-time.After(15 * time.Second):
			t.Fatalf("still running 15 s after the token was revoked:\n%s", e.logs.String())
		}
		errs := e.lines("level=ERROR")
		if len(errs) != 1 || !strings.Contains(errs[0], "401") || !strings.Contains(errs[0], "TELEGRAM_BOT_TOKEN") || len(e.lines("level=WARN")) != 0 {
			t.Errorf("want one error line naming the 401 and TELEGRAM_BOT_TOKEN, and no warnings:\n%s", e.logs.String())
		}
	})
	t.Run("beside discord", func(t *testing.T) {
		t.Parallel()
		e := newE2E(t)
		dc := fakediscord.Start(t)
		e.env["DISCORD_BOT_TOKEN"] = dc.Token
		e.env["DISCORD_API_URL"] = dc.APIURL
		e.env["DISCORD_GUILD_ID"] = fakediscord.GuildID
		cancel, done := e.launch()
		defer cancel()
		ctx, stop := context.WithTimeout(context.Background(), 30*time.Second)
		defer stop()
		if _, err := dc.AwaitRequests(ctx, "PUT", "/api/v9/applications/", 1); err != nil {
			t.Fatalf("discord did not connect: %v\n%s", err, e.logs.String())
		}
		e.awaitRequests(2) // the first poll is done: it rewrites every draw
		e.tg.PushText(chat, user, "/subscribe")
		e.waitSent(chat.ID, "will get a post", 1)
		const channel = "300000000000000011"
		interact := func(in fakediscord.Interaction, want string) {
			t.Helper()
			id, err := dc.Push(in)
			if err != nil {
				t.Fatal(err)
			}
			if cb, err := dc.AwaitCallback(ctx, id); err != nil || !strings.Contains(string(cb.Raw), want) {
				t.Fatalf("discord: %v %s", err, cb.Raw)
			}
		}
		interact(fakediscord.Interaction{Name: "subscribe", ChannelID: channel, Permissions: fakediscord.PermManageChannels}, "will get a post")
		e.tg.RevokeToken()
		e.waitLog("TELEGRAM_BOT_TOKEN", 1)
		interact(fakediscord.Interaction{Name: "cutoff", Options: []fakediscord.Option{{Name: "category", Value: "stem"}}}, "STEM")
		// A new draw reaches Discord; Telegram's post waits in the outbox,
		// untried, for a start with a good token.
		e.feed.Set(newDraw(t, "471"))
		if _, err := dc.AwaitMessages(ctx, channel, 1); err != nil {
			t.Fatalf("no Discord post: %v\n%s", err, e.logs.String())
		}
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("exit %d, want 0", code)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("did not stop")
		}
		if errs := e.lines("level=ERROR"); len(errs) != 1 || !strings.Contains(errs[0], "platform=telegram") {
			t.Errorf("want one error line, about telegram:\n%s", e.logs.String())
		}
		db, err := store.Open(ctx, e.env["DB_PATH"], nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ds, err := db.ClaimDeliveries(ctx, domain.Telegram, 10, time.Now().Add(time.Hour))
		if err != nil || len(ds) != 1 || ds[0].Attempts != 1 {
			t.Errorf("telegram deliveries: %+v, %v; want one, never tried", ds, err)
		}
	})
}
