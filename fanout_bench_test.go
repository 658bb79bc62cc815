package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/telegram"
	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/data"
	"github.com/eebot/eebot/internal/broadcast"
	"github.com/eebot/eebot/internal/dataset"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/poll"
	"github.com/eebot/eebot/internal/poll/ircctest"
	"github.com/eebot/eebot/internal/reply"
	"github.com/eebot/eebot/internal/store"
)

// fanScale speeds Telegram's limits up so a 10,000-destination fan-out
// (333 s at the real 30 messages/s) runs in seconds.
const fanScale = 100

// fanN is the number of destinations of the fan-out benchmark.
var fanN = envInt("FAN_N", 10_000)

// fanout is a store with subscribers, a Telegram bot on a limit-enforcing
// fake, and a sender draining the outbox through it.
type fanout struct {
	db     *store.DB
	srv    *faketelegram.Server
	sender *broadcast.Sender
	eng    *commands.Engine
	halt   func() // stops the sender, then the bot
	close  func() // closes the fake and the store
}

// stop halts the sender and the bot and closes everything.
func (f *fanout) stop() {
	f.halt()
	f.close()
}

// fanWait bounds the benchmarks' waits that have no deadline of their own.
const fanWait = 30 * time.Second

// await waits up to d for cond on the fake, failing the benchmark after.
func (f *fanout) await(b *testing.B, what string, d time.Duration, cond func(faketelegram.View) bool) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if err := f.srv.Wait(ctx, cond); err != nil {
		c, _ := f.db.OutboxCounts(context.Background())
		b.Fatalf("%s: %v (outbox %v, %d messages at the fake)", what, err, c, f.srv.Count("sendMessage"))
	}
}

func newFanout(b *testing.B, subscribers int) *fanout { return newFanoutAt(b, subscribers, fanScale) }

// newFanoutAt is newFanout with Telegram's limits sped up scale times.
func newFanoutAt(b *testing.B, subscribers int, scale float64) *fanout {
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := store.Open(ctx, ":memory:", quiet)
	if err != nil {
		b.Fatal(err)
	}
	if err := dataset.Seed(ctx, db, data.Files, quiet); err != nil {
		b.Fatal(err)
	}
	for i := range subscribers {
		if _, _, err := db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: strconv.Itoa(100_000 + i)}); err != nil {
			b.Fatal(err)
		}
	}
	srv := faketelegram.New()
	lim := telegram.DefaultLimits().Scaled(scale)
	// Bursts as in the bot's own queue benchmark: at 100× speed the global
	// bucket of 20 is 6.7 ms, which absorbs sends that left the queue on time
	// but reach the fake a little bunched.
	srv.EnforceLimits(faketelegram.Limits{PerChat: lim.PerChat, PerChatBurst: 2, Group: lim.Group, GroupBurst: 2, Global: lim.Global, GlobalBurst: 20})
	eng := commands.New(db, commands.WithLogger(quiet))
	bot, err := telegram.New(telegram.Config{Token: srv.Token(), Endpoint: srv.Endpoint(), HTTPClient: srv.Client(),
		PollTimeout: time.Second, Limits: lim, SkipMenu: true, Logger: quiet, Workers: 32}, eng)
	if err != nil {
		b.Fatal(err)
	}
	// As main wires it: the store's commits wake the sender; nobody else does.
	sender := &broadcast.Sender{Outbox: db, Posters: map[domain.Platform]broadcast.Poster{domain.Telegram: bot.Broadcaster()}, Render: eng.RenderPost,
		Log: quiet, Workers: envInt("FAN_WORKERS", 64)}
	// Shut down as main does: the sender first (its posts in flight finish
	// while the bot still runs), then the bot.
	botCtx, stopBot := context.WithCancel(ctx)
	sendCtx, stopSender := context.WithCancel(ctx)
	botDone, senderDone := make(chan struct{}), make(chan struct{})
	go func() { bot.Run(botCtx); close(botDone) }()
	go func() { sender.Run(sendCtx); close(senderDone) }()
	wait := func(done <-chan struct{}, what string) {
		select {
		case <-done:
		case <-time.After(fanWait):
			b.Fatalf("the %s did not stop within %v", what, fanWait)
		}
	}
	f := &fanout{db: db, srv: srv, sender: sender, eng: eng, halt: func() {
		stopSender()
		wait(senderDone, "sender")
		stopBot()
		wait(botDone, "bot")
	}, close: func() {
		srv.Close()
		db.Close()
	}}
	f.await(b, "the bot is not polling", fanWait, func(v faketelegram.View) bool { return v.Polling() > 0 })
	return f
}

func (f *fanout) sent(b *testing.B) int {
	c, err := f.db.OutboxCounts(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return c["sent"]
}

// BenchmarkFanOut10k posts one draw to 10,000 Telegram chats through the
// outbox, the sender and the bot's send queue, against a fake that enforces
// Telegram's limits at fanScale× speed. x-ideal is the time taken over the
// ideal the global limit allows (target ≤ 1.05); 429s must stay at 0.
func BenchmarkFanOut10k(b *testing.B) {
	n := fanN
	ideal := time.Duration(float64(n-1) / (30 * fanScale) * float64(time.Second))
	var total time.Duration
	floods := 0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f := newFanout(b, n) // returns once the bot is polling
		b.StartTimer()
		start := time.Now()
		r := f.eng.Command(context.Background(), "announce", "post 437 "+fmt.Sprintf("%016x", i+1), 0, commands.Caller{Moderator: true})
		if r.Status != reply.StatusOK {
			b.Fatal(r.Summary)
		}
		// Watch the fake, not the store: polling the outbox would compete with
		// the sender for the database.
		f.await(b, "fan-out stalled", 5*time.Minute, func(v faketelegram.View) bool { return v.Count("sendMessage") >= n })
		total += time.Since(start)
		b.StopTimer()
		f.halt() // the sender returns once the last sent marks are written
		if got, rec := len(f.srv.Calls("sendMessage")), f.sent(b); got != n || rec != n {
			b.Fatalf("%d messages, %d recorded as sent, want %d", got, rec, n)
		}
		floods += f.srv.FloodErrors()
		f.close()
	}
	b.ReportMetric(float64(total)/float64(b.N)/float64(ideal), "x-ideal")
	b.ReportMetric(float64(floods)/float64(b.N), "429s/op")
	b.ReportMetric(float64(n)/(total.Seconds()/float64(b.N)), "posts/s")
}

// BenchmarkFeedChangeToFirstPost measures from the moment a poll sees a
// changed feed to the first post reaching Telegram (the poll interval comes
// on top; target: under 1 s).
func BenchmarkFeedChangeToFirstPost(b *testing.B) {
	snap, err := data.Files.ReadFile(data.IRCCFeed)
	if err != nil {
		b.Fatal(err)
	}
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f := newFanout(b, 100)
		srv := ircctest.New(snap)
		p := &poll.Poller{URL: srv.URL, Client: &http.Client{Timeout: 5 * time.Second}, Store: f.db,
			Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		if _, err := p.Once(context.Background()); err != nil {
			b.Fatal(err)
		}
		today := time.Now().UTC()
		row, _ := ircctest.NewDraw(snap, "438", ircctest.Round{"drawDate": today.Format("2006-01-02"), "drawDateFull": today.Format("January 2, 2006")})
		feed, _ := ircctest.Prepend(snap, row)
		srv.Set(feed)
		b.StartTimer()
		start := time.Now()
		if _, err := p.Once(context.Background()); err != nil {
			b.Fatal(err)
		}
		f.await(b, "no post within 30 s", 30*time.Second, func(v faketelegram.View) bool { return v.Count("sendMessage") > 0 })
		total += time.Since(start)
		b.StopTimer()
		srv.Close()
		f.stop()
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms-to-first-post")
}

func envInt(k string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(k)); err == nil {
		return n
	}
	return def
}
