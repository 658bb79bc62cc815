package telegram

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/reply"
)

// benchScale speeds Telegram's limits up for the benchmark.
const benchScale = 100

// BenchmarkSendQueue posts N messages to M chats through the queue against
// a fake that enforces Telegram's limits at benchScale× speed, and reports
// the elapsed time as a ratio of the ideal time those limits allow
// ("x-ideal", must stay within 1.05) and the 429s the bot caused.
func BenchmarkSendQueue(b *testing.B) {
	for _, tc := range []struct {
		name            string
		private, groups int // chats of each kind
		perChat         int // messages per chat
	}{
		{"private-bound/20x50", 20, 0, 50},
		{"group-bound/10g+10p", 10, 10, 20},
		{"global-bound/300x5", 300, 0, 5},
	} {
		b.Run(tc.name, func(b *testing.B) {
			lim := DefaultLimits().Scaled(benchScale)
			n := (tc.private + tc.groups) * tc.perChat
			// The ideal time: the binding limit, with evenly spaced sends.
			ideal := time.Duration(float64(n-1) / lim.Global * float64(time.Second))
			ideal = max(ideal, time.Duration(float64(tc.perChat-1)/lim.PerChat*float64(time.Second)))
			if tc.groups > 0 {
				ideal = max(ideal, time.Duration(float64(tc.perChat-1)/(lim.Group/60)*float64(time.Second)))
			}
			var total time.Duration
			floods := 0
			b.ReportAllocs()
			for range b.N {
				b.StopTimer()
				srv := faketelegram.New()
				// Bursts of two (twenty overall, 6.7ms at 100×) absorb sends that left the
				// queue on time but arrive a little apart.
				srv.EnforceLimits(faketelegram.Limits{PerChat: lim.PerChat, PerChatBurst: 2, Group: lim.Group, GroupBurst: 2, Global: lim.Global, GlobalBurst: 20})
				bot, err := New(Config{Token: srv.Token(), Endpoint: srv.Endpoint(), HTTPClient: srv.Client(), PollTimeout: time.Second,
					Limits: lim, SkipMenu: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, commands.New(nil))
				if err != nil {
					b.Fatal(err)
				}
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan error, 1)
				go func() { done <- bot.Run(ctx) }()
				// Every wait below has a deadline: a stall fails the benchmark.
				postCtx, cancelPosts := context.WithTimeout(ctx, time.Minute)
				var chats []int64
				for i := range tc.private {
					chats = append(chats, int64(10_000+i))
				}
				for i := range tc.groups {
					chats = append(chats, int64(-10_000-i))
				}
				r := reply.Reply{Title: "New draw", Summary: "#437 on 2026-08-19: CRS 382, 5,000 invitations."}
				// Run is polling.
				if err := srv.Wait(postCtx, func(v faketelegram.View) bool { return v.Polling() > 0 }); err != nil {
					b.Fatalf("Run is not polling: %v", err)
				}

				b.StartTimer()
				t0 := time.Now()
				var wg sync.WaitGroup
				errs := make(chan error, n)
				for k := range tc.perChat {
					for _, c := range chats {
						wg.Add(1)
						go func() {
							defer wg.Done()
							if _, err := bot.Post(postCtx, c, r); err != nil {
								errs <- fmt.Errorf("message %d to %d: %w", k, c, err)
							}
						}()
					}
				}
				wg.Wait()
				total += time.Since(t0)
				b.StopTimer()

				cancelPosts()
				close(errs)
				for err := range errs {
					b.Fatal(err)
				}
				if got := len(srv.Calls("sendMessage")); got != n {
					b.Fatalf("%d messages delivered, want %d", got, n)
				}
				floods += srv.FloodErrors()
				cancel()
				select {
				case <-done:
				case <-time.After(30 * time.Second):
					b.Fatal("Run did not stop within 30 s")
				}
				srv.Close()
				b.StartTimer()
			}
			ratio := float64(total) / float64(b.N) / float64(ideal)
			b.ReportMetric(ratio, "x-ideal")
			b.ReportMetric(float64(floods)/float64(b.N), "429s/op")
			b.ReportMetric(float64(n)/(float64(total)/float64(b.N)/float64(time.Second)), "msgs/s")
			if floods > 0 {
				b.Errorf("the bot caused %d 429s", floods)
			}
			if ratio > 1.05 {
				b.Errorf("took %.3f× the ideal %v", ratio, ideal)
			}
		})
	}
}

// BenchmarkGlobalWindow sends messages to private chats in real time over
// loopback and checks what the fake saw arrive against the global limit
// counted strictly: the busiest sliding window of one (scaled) second. It
// reports that ("max/window", the limit is 30), the messages that arrived
// over the limit in their window ("over/op") and the throughput as a share
// of the limit ("%-of-limit", target ≥ 97). It runs at Telegram's real
// limits (1,000 messages, 33 s) and at 10× (5,000 messages, 17 s); at the
// 100× of the other benchmarks a second is 10 ms, close to the scheduling
// jitter of a busy machine.
func BenchmarkGlobalWindow(b *testing.B) {
	for _, tc := range []struct {
		name           string
		scale          float64
		chats, perChat int
	}{
		{"real/1000", 1, 100, 10},
		{"10x/5000", 10, 500, 10},
	} {
		b.Run(tc.name, func(b *testing.B) { benchGlobalWindow(b, tc.scale, tc.chats, tc.perChat) })
	}
}

func benchGlobalWindow(b *testing.B, scale float64, chats, perChat int) {
	lim := DefaultLimits().Scaled(scale)
	n := chats * perChat
	var busiest, over int
	var share float64
	b.ReportAllocs()
	for range b.N {
		b.StopTimer()
		srv := faketelegram.New()
		bot, err := New(Config{Token: srv.Token(), Endpoint: srv.Endpoint(), HTTPClient: srv.Client(), PollTimeout: time.Second,
			Limits: lim, SkipMenu: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, commands.New(nil))
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- bot.Run(ctx) }()
		postCtx, cancelPosts := context.WithTimeout(ctx, time.Minute)
		if err := srv.Wait(postCtx, func(v faketelegram.View) bool { return v.Polling() > 0 }); err != nil {
			b.Fatalf("Run is not polling: %v", err)
		}
		r := reply.Reply{Title: "New draw", Summary: "#437 on 2026-08-19: CRS 382, 5,000 invitations."}
		b.StartTimer()
		var wg sync.WaitGroup
		for i := range chats {
			wg.Go(func() {
				for range perChat {
					if _, err := bot.Post(postCtx, int64(10_000+i), r); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		b.StopTimer()
		cancelPosts()
		calls := srv.Calls("sendMessage")
		if len(calls) != n {
			b.Fatalf("%d messages delivered, want %d", len(calls), n)
		}
		busiest = max(busiest, faketelegram.Busiest(calls, lim.Window))
		for i := 30; i < len(calls); i++ {
			if calls[i].At.Sub(calls[i-30].At) < lim.Window {
				over++
			}
		}
		span := calls[len(calls)-1].At.Sub(calls[0].At)
		share += float64(n-1) / span.Seconds() / lim.Global * 100
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			b.Fatal("Run did not stop within 30 s")
		}
		srv.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(busiest), "max/window")
	b.ReportMetric(float64(over)/float64(b.N), "over/op")
	b.ReportMetric(share/float64(b.N), "%-of-limit")
}
