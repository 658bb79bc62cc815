package main

import (
	"context"
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
	db   *store.DB
	srv  *faketelegram.Server
	eng  *commands.Engine
	stop func()
}

func newFanout(b *testing.B, subscribers int) *fanout {
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
	lim := telegram.DefaultLimits().Scaled(fanScale)
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
	return &fanout{db: db, srv: srv, eng: eng, stop: func() {
		stopSender()
		<-senderDone
		stopBot()
		<-botDone
		srv.Close()
		db.Close()
	}}
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
		f := newFanout(b, n)
		time.Sleep(50 * time.Millisecond) // the bot is polling
		b.StartTimer()
		start := time.Now()
		r := f.eng.Command(context.Background(), "announce", "post 437", 0, commands.Caller{Moderator: true})
		if r.Status != reply.StatusOK {
			b.Fatal(r.Summary)
		}
		// Watch the fake, not the store: polling the outbox would compete with
		// the sender for the database.
		for deadline := time.Now().Add(5 * time.Minute); f.srv.Count("sendMessage") < n; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				c, _ := f.db.OutboxCounts(context.Background())
				b.Fatalf("fan-out stalled: %v, %d messages at the fake", c, len(f.srv.Calls("sendMessage")))
			}
		}
		total += time.Since(start)
		b.StopTimer()
		time.Sleep(50 * time.Millisecond) // the last sent marks are written
		if got, rec := len(f.srv.Calls("sendMessage")), f.sent(b); got != n || rec != n {
			b.Fatalf("%d messages, %d recorded as sent, want %d", got, rec, n)
		}
		floods += f.srv.FloodErrors()
		f.stop()
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
		for deadline := time.Now().Add(30 * time.Second); f.srv.Count("sendMessage") == 0; time.Sleep(200 * time.Microsecond) {
			if time.Now().After(deadline) {
				c, _ := f.db.OutboxCounts(context.Background())
				d, err := f.db.Draw(context.Background(), "438")
				b.Fatalf("no post within 30 s: outbox %v, draw 438 %+v %v", c, d, err)
			}
		}
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
