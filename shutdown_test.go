package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
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
	type question struct {
		chat  int64
		score string // every answer repeats its question's score
	}
	want := map[question]bool{}
	for c := range chats {
		u := faketelegram.User{ID: int64(5000 + c), FirstName: "U"}
		for i := range each {
			q := question{u.ID, fmt.Sprint(300 + i)}
			want[q] = true
			e.tg.PushText(faketelegram.PrivateChat(u), u, "/match "+q.score)
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
	got := map[question]int{}
	score := regexp.MustCompile(`^(\d+) would`)
	for _, c := range e.tg.Calls("sendMessage") {
		m := score.FindStringSubmatch(c.Plain)
		if m == nil || !want[question{c.ChatID, m[1]}] {
			t.Errorf("unexpected answer in chat %d: %.60q", c.ChatID, c.Plain)
			continue
		}
		got[question{c.ChatID, m[1]}]++
	}
	var lost, doubled []string
	for q := range want {
		switch n := got[q]; {
		case n == 0:
			lost = append(lost, fmt.Sprintf("%d:%s", q.chat, q.score))
		case n > 1:
			doubled = append(doubled, fmt.Sprintf("%d:%s", q.chat, q.score))
		}
	}
	t.Logf("after a restart: %d of %d questions never answered, %d answered twice", len(lost), len(want), len(doubled))
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
		dc := e.discord()
		cancel, done := e.launch()
		defer cancel()
		ctx, stop := context.WithTimeout(context.Background(), 30*time.Second)
		defer stop()
		if _, err := dc.AwaitRequests(ctx, "PUT", "/api/v9/applications/", 1); err != nil {
			t.Fatalf("discord did not connect: %v\n%s", err, e.logs.String())
		}
		e.awaitRequests(2) // the first poll is done: it rewrites every draw
		e.tg.PushText(chat, user, "/alert")
		e.waitSent(chat.ID, "I'll message you here for every draw", 1)
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

// stopWithin cancels a run and returns how long it took to exit, failing
// the test when it took longer than limit or exited with another code.
func stopWithin(t *testing.T, e *e2e, cancel func(), done <-chan int, limit time.Duration, code int) time.Duration {
	t.Helper()
	t0 := time.Now()
	cancel()
	select {
	case got := <-done:
		took := time.Since(t0)
		if got != code {
			t.Errorf("exit %d, want %d", got, code)
		}
		if took > limit {
			t.Errorf("exit took %v, want at most %v; log:\n%s", took.Round(time.Millisecond), limit, e.logs.String())
		}
		return took
	case <-time.After(limit + 30*time.Second):
		t.Fatalf("no exit %v after the stop; log:\n%s", limit+30*time.Second, e.logs.String())
		return 0
	}
}

// seed adds a subscription per Telegram chat and announces draw 437 to
// them, before the bot starts.
func (e *e2e) seed(chats ...int64) {
	e.t.Helper()
	db := e.subscribe(chats...)
	defer db.Close()
	if n, err := db.Announce(context.Background(), "437"); err != nil || n != len(chats) {
		e.t.Fatalf("announce: %d, %v", n, err)
	}
}

// subscribe adds a subscription to every draw per Telegram chat, before
// the bot starts, and returns the database open: close it before starting
// the bot.
func (e *e2e) subscribe(chats ...int64) *store.DB {
	e.t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, e.env["DB_PATH"], nil)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, c := range chats {
		if _, _, err := db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: fmt.Sprint(c)}); err != nil {
			db.Close()
			e.t.Fatal(err)
		}
	}
	return db
}

// hangingServer accepts requests and never answers them; got is closed
// once the first request arrived.
func hangingServer(t *testing.T) (url string, got <-chan struct{}) {
	first := make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(first) })
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	return srv.URL, first
}

// TestExitTimes: a stop exits within exitBudget in every state but one: a
// post being sent, which gets POST_GRACE.
func TestExitTimes(t *testing.T) {
	t.Parallel()
	deadline := func(t *testing.T) context.Context {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		t.Cleanup(cancel)
		return ctx
	}
	t.Run("stopped as it starts", func(t *testing.T) {
		t.Parallel()
		e := newE2E(t)
		cancel, done := e.launch()
		stopWithin(t, e, cancel, done, exitBudget, 0)
	})
	t.Run("telegram hung at start-up", func(t *testing.T) {
		t.Parallel()
		e := newE2E(t)
		e.env["NO_POLL"] = "1"
		e.tg.Hang()
		cancel, done := e.launch()
		if err := e.tg.Wait(deadline(t), func(v faketelegram.View) bool { return v.Hanging() > 0 }); err != nil {
			t.Fatal(err)
		}
		t.Logf("exit in %v", stopWithin(t, e, cancel, done, exitBudget, 0).Round(time.Millisecond))
	})
	t.Run("an answer in flight to a hung Telegram", func(t *testing.T) {
		t.Parallel()
		e := newE2E(t)
		e.env["NO_POLL"] = "1"
		user := faketelegram.User{ID: 77, FirstName: "Ada"}
		e.tg.HangSends(user.ID)
		e.tg.PushText(faketelegram.PrivateChat(user), user, "/cutoff healthcare")
		cancel, done := e.launch()
		if err := e.tg.Wait(deadline(t), func(v faketelegram.View) bool { return v.Hanging() > 0 }); err != nil {
			t.Fatal(err)
		}
		t.Logf("exit in %v", stopWithin(t, e, cancel, done, exitBudget, 0).Round(time.Millisecond))
	})
	t.Run("discord gateway lookup hung", func(t *testing.T) {
		t.Parallel()
		e := newE2E(t)
		e.env["NO_POLL"] = "1"
		url, got := hangingServer(t)
		delete(e.env, "TELEGRAM_BOT_TOKEN")
		e.env["DISCORD_BOT_TOKEN"] = "discord-token"
		e.env["DISCORD_API_URL"] = url + "/api/v9/"
		cancel, done := e.launch()
		select {
		case <-got:
		case <-deadline(t).Done():
			t.Fatal("no gateway lookup")
		}
		t.Logf("exit in %v", stopWithin(t, e, cancel, done, exitBudget, 0).Round(time.Millisecond))
	})
	t.Run("posts queued behind answers", func(t *testing.T) {
		t.Parallel()
		e := newE2E(t)
		e.env["NO_POLL"] = "1"
		var groups []int64
		for i := range 40 {
			groups = append(groups, -1_000_000_000_100-int64(i))
		}
		e.seed(groups...)
		const chats, each = 30, 5 // 150 answers: 5 s at Telegram's 30 messages/s
		for c := range chats {
			u := faketelegram.User{ID: int64(7000 + c), FirstName: "U"}
			for range each {
				e.tg.PushText(faketelegram.PrivateChat(u), u, "/cutoff healthcare")
			}
		}
		cancel, done := e.launch()
		ctx := deadline(t)
		if err := e.tg.Wait(ctx, func(v faketelegram.View) bool { return len(v.Calls("sendMessage")) >= 10 }); err != nil {
			t.Fatal(err)
		}
		took := stopWithin(t, e, cancel, done, exitBudget, 0)
		t.Logf("exit in %v with %d messages sent", took.Round(time.Millisecond), len(e.tg.Calls("sendMessage")))
		// Nothing lost or doubled across a restart.
		cancel, done = e.launch()
		err := e.tg.Wait(ctx, func(v faketelegram.View) bool { return len(v.Calls("sendMessage")) >= chats*each+len(groups) })
		stopWithin(t, e, cancel, done, exitBudget, 0)
		if err != nil {
			t.Fatalf("%d messages, want %d", len(e.tg.Calls("sendMessage")), chats*each+len(groups))
		}
		for _, g := range groups {
			if n := len(e.sentWith(g, "#437")); n != 1 {
				t.Errorf("group %d got %d posts", g, n)
			}
		}
		for c := range chats {
			if n := len(e.tg.Sent(int64(7000 + c))); n != each {
				t.Errorf("chat %d got %d answers, want %d", 7000+c, n, each)
			}
		}
	})
	t.Run("a post in flight gets POST_GRACE", func(t *testing.T) {
		t.Parallel()
		e := newE2E(t)
		e.env["NO_POLL"] = "1"
		e.env["POST_GRACE"] = "1s"
		const chat = -1_000_000_000_200
		e.seed(chat)
		e.tg.HangSends(chat)
		cancel, done := e.launch()
		if err := e.tg.Wait(deadline(t), func(v faketelegram.View) bool { return v.Hanging() > 0 }); err != nil {
			t.Fatal(err)
		}
		took := stopWithin(t, e, cancel, done, time.Second+exitBudget, 0)
		if took < time.Second {
			t.Errorf("exit took %v: the post in flight did not get its grace", took)
		}
		t.Logf("exit in %v", took.Round(time.Millisecond))
		db, err := store.Open(context.Background(), e.env["DB_PATH"], nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if ds, err := db.ClaimDeliveries(context.Background(), domain.Telegram, 10, time.Now().Add(time.Hour)); err != nil || len(ds) != 1 {
			t.Errorf("the post abandoned at the stop is not queued: %+v, %v", ds, err)
		}
	})
}
