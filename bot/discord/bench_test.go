package discord

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eebot/eebot/bot/discord/fakediscord"
	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/broadcast"
)

// benchWait bounds every wait of the benchmarks: a lost answer fails the
// benchmark instead of hanging it.
const benchWait = 10 * time.Second

// BenchmarkInteractionLatency measures, through the fake Discord and the real
// discordgo session, the time from pushing an INTERACTION_CREATE dispatch on
// the gateway to the fake having received the bot's callback: websocket
// read, decode, engine, render, REST callback. It reports p50/p99/max.
func BenchmarkInteractionLatency(b *testing.B) {
	cases := []struct {
		name string
		in   func() fakediscord.Interaction
	}{
		{"cutoff", func() fakediscord.Interaction { return slash("cutoff", str("category", "healthcare")) }},
		{"eligible", func() fakediscord.Interaction { return slash("eligible", str("noc", "33109")) }},
		{"history", func() fakediscord.Interaction { return slash("history", str("category", "healthcare")) }},
		{"autocomplete", func() fakediscord.Interaction {
			return fakediscord.Interaction{Type: fakediscord.TypeAutocomplete, Name: "eligible",
				Options: []fakediscord.Option{{Name: "noc", Value: "nurse", Focused: true}}}
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			h := newHarness(b, nil)
			h.start()
			lat := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				in := c.in()
				in.ID = fakediscord.NextID()
				ctx, cancel := context.WithTimeout(context.Background(), benchWait)
				t0 := time.Now()
				if _, err := h.fake.Push(in); err != nil {
					b.Fatal(err)
				}
				cb, err := h.fake.AwaitCallback(ctx, in.ID)
				cancel()
				if err != nil {
					b.Fatalf("no callback for interaction %s within %v: %v\nlogs:\n%s", in.ID, benchWait, err, h.logs)
				}
				lat = append(lat, cb.At.Sub(t0))
			}
			b.StopTimer()
			slices.Sort(lat)
			q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
			b.ReportMetric(q(0.50), "p50-ms")
			b.ReportMetric(q(0.99), "p99-ms")
			b.ReportMetric(q(1), "max-ms")
		})
	}
}

// BenchmarkInteractionBurst is the same measurement with 32 interactions in
// flight at once, as when many members use the bot together.
func BenchmarkInteractionBurst(b *testing.B) {
	h := newHarness(b, nil)
	h.start()
	const inFlight = 32
	lat := make([]time.Duration, b.N)
	sem := make(chan struct{}, inFlight)
	errs := make(chan error, inFlight)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sem <- struct{}{}
		go func(i int) {
			defer func() { <-sem }()
			in := slash("cutoff", str("category", "healthcare"))
			in.ID = fakediscord.NextID()
			ctx, cancel := context.WithTimeout(context.Background(), benchWait)
			defer cancel()
			t0 := time.Now()
			if _, err := h.fake.Push(in); err != nil {
				errs <- err
				return
			}
			cb, err := h.fake.AwaitCallback(ctx, in.ID)
			if err != nil {
				errs <- fmt.Errorf("no callback for interaction %s within %v: %w", in.ID, benchWait, err)
				return
			}
			lat[i] = cb.At.Sub(t0)
		}(i)
	}
	for range inFlight {
		sem <- struct{}{}
	}
	b.StopTimer()
	select {
	case err := <-errs:
		b.Fatal(err)
	default:
	}
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(q(1), "max-ms")
}

// BenchmarkPostFanout posts one draw card to many channels through Post,
// 32 at a time, against the fake enforcing Discord's limits sped up 10×
// (global 500/s), with the bot paced at the same scaled rate. It reports
// the achieved time against the ideal (channels / rate) and the 429s seen.
func BenchmarkPostFanout(b *testing.B) {
	const (
		scale    = 10
		channels = 1000
		workers  = 32
	)
	rate := fakediscord.DiscordLimits(scale).GlobalPerSecond * scale
	h := newHarness(b, func(c *Config) { c.PostRate = rate })
	reply := h.bot.eng.Command(context.Background(), "cutoff", "healthcare", 0, commands.Caller{})
	var overhead []float64
	limited := 0
	for i := 0; i < b.N; i++ {
		h.fake.EnforceLimits(fakediscord.DiscordLimits(scale))
		_, before := h.fake.Limited()
		jobs := make(chan int)
		var wg sync.WaitGroup
		var failed atomic.Int64
		// The fan-out has a deadline: a stall fails the benchmark.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		start := time.Now()
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range jobs {
					ch := fmt.Sprintf("8%05d%012d", i, j)
					for {
						o := h.bot.Post(ctx, ch, reply, "", fmt.Sprintf("n%d", j))
						if o.Kind == broadcast.RateLimited && ctx.Err() == nil {
							// Back off as the outbox sender does.
							t := time.NewTimer(o.RetryAfter)
							select {
							case <-t.C:
							case <-ctx.Done():
								t.Stop()
							}
							continue
						}
						if o.Kind != broadcast.Delivered {
							failed.Add(1)
						}
						break
					}
				}
			}()
		}
		for j := range channels {
			jobs <- j
		}
		close(jobs)
		wg.Wait()
		took := time.Since(start)
		cancel()
		if failed.Load() > 0 {
			b.Fatalf("%d posts failed (deadline: %v)", failed.Load(), ctx.Err())
		}
		ideal := time.Duration(float64(channels-1) / rate * float64(time.Second))
		overhead = append(overhead, 100*(took.Seconds()/ideal.Seconds()-1))
		_, after := h.fake.Limited()
		limited += after - before
	}
	b.ReportMetric(slices.Max(overhead), "worst-%over-ideal")
	b.ReportMetric(float64(limited)/float64(b.N), "429s/op")
}
