package broadcast_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/broadcast"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
	"github.com/eebot/eebot/internal/store/storetest"
)

// instant delivers every post at once and closes done at the want-th.
type instant struct {
	n    atomic.Int64
	want int64
	done chan struct{}
}

func (p *instant) Post(ctx context.Context, dest string, r reply.Reply, mention, nonce string) broadcast.Outcome {
	if p.n.Add(1) == p.want {
		close(p.done)
	}
	return broadcast.Outcome{Kind: broadcast.Delivered, MessageID: "m"}
}

// drainWait bounds each wait for the poster: a stall fails the benchmark.
const drainWait = 2 * time.Minute

// BenchmarkDrain posts one draw to n Telegram chats through the sender
// with a poster that answers at once, so the outbox is the bottleneck. The
// clock runs from the commit that queued the posts to the last post; the
// sender runs with its defaults. posts/s is the figure to read.
func BenchmarkDrain(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("subs=%d", n), func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Store(b)
			for i := range n {
				if _, _, err := db.Subscribe(ctx, domain.Subscription{Platform: domain.Telegram, Destination: strconv.Itoa(100_000 + i)}); err != nil {
					b.Fatal(err)
				}
			}
			quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
			eng := commands.New(db, commands.WithLogger(quiet))
			p := &instant{}
			s := &broadcast.Sender{Outbox: db, Posters: map[domain.Platform]broadcast.Poster{domain.Telegram: p},
				Render: eng.RenderPost, Log: quiet}
			sctx, stop := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { done <- s.Run(sctx) }()
			halt := func() {
				stop()
				select {
				case err := <-done:
					if err != nil {
						b.Fatal(err)
					}
				case <-time.After(drainWait):
					b.Fatalf("the sender did not stop within %v", drainWait)
				}
			}
			var took, cpu time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				p.want, p.done = int64(n)*int64(i+1), make(chan struct{})
				if got, err := db.Announce(ctx, "437"); err != nil || got != n {
					halt()
					b.Fatalf("queued %d, %v; want %d", got, err, n)
				}
				b.StartTimer()
				start, startCPU := time.Now(), cpuTime()
				select {
				case <-p.done:
				case <-time.After(drainWait):
					halt()
					c, _ := db.OutboxCounts(ctx)
					b.Fatalf("%d of %d posts within %v (outbox %v)", p.n.Load()-int64(n*i), n, drainWait, c)
				}
				took += time.Since(start)
				cpu += cpuTime() - startCPU
			}
			b.StopTimer()
			halt() // returns once the last sent marks are written
			if c, err := db.OutboxCounts(ctx); err != nil || c["sent"] != n*b.N || p.n.Load() != int64(n*b.N) {
				b.Fatalf("outbox %v, %v, %d posts; want %d sent", c, err, p.n.Load(), n*b.N)
			}
			b.ReportMetric(float64(n*b.N)/took.Seconds(), "posts/s")
			// What the process spent per post, all goroutines together: the
			// sender's cost, which the wall clock hides on a busy machine.
			b.ReportMetric(float64(cpu.Microseconds())/float64(n*b.N), "cpu-µs/post")
		})
	}
}
