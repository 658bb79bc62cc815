package telegram

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eebot/eebot/bot/telegram/faketelegram"
	"github.com/eebot/eebot/internal/store"
)

// TestFleetSharesTheGlobalRate: three replicas' queues, each pacing itself
// at Telegram's 30 messages a second, send 300 messages each to their own
// chats at once. Booking the rate in one store (Config.Fleet) keeps the
// three together at 30 in any second as Telegram would count them;
// without it they would send 90 a second.
func TestFleetSharesTheGlobalRate(t *testing.T) {
	for _, shared := range []bool{true, false} {
		t.Run(map[bool]string{true: "shared", false: "alone"}[shared], func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				db, err := store.Open(context.Background(), ":memory:", slog.New(slog.NewTextHandler(io.Discard, nil)))
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				var mu sync.Mutex
				var calls []faketelegram.Call
				send := func(j *job, p outMsg, chatID int64) (int, error) {
					mu.Lock()
					defer mu.Unlock()
					calls = append(calls, faketelegram.Call{At: time.Now(), ChatID: chatID})
					return len(calls), nil
				}
				log := slog.New(slog.NewTextHandler(io.Discard, nil))
				stop := make(chan struct{})
				var running sync.WaitGroup
				var left sync.WaitGroup
				for r := range 3 {
					q := newQueue(DefaultLimits(), 8, send, "123456:secret", log)
					if shared {
						q.fleet = db
					}
					running.Go(func() { q.run(stop) })
					for i := range 300 {
						left.Add(1)
						q.add(&job{chatID: int64(r*10_000 + i), parts: []outMsg{{}}, priority: prioBulk,
							done: func([]int, error) { left.Done() }})
					}
				}
				left.Wait()
				close(stop)
				running.Wait()
				slices.SortFunc(calls, func(a, b faketelegram.Call) int { return a.At.Compare(b.At) })
				busiest := faketelegram.Busiest(calls, time.Second)
				span := calls[len(calls)-1].At.Sub(calls[0].At)
				t.Logf("%d messages from 3 replicas in %v, busiest second %d", len(calls), span, busiest)
				switch {
				case shared && busiest > 30:
					t.Errorf("sharing the rate, %d messages in one second", busiest)
				case shared && span > 31*time.Second:
					t.Errorf("sharing the rate, 900 messages took %v (ideal 30 s)", span)
				case !shared && busiest < 60:
					t.Errorf("alone, the three sent only %d in a second: the test shows nothing", busiest)
				}
			})
		})
	}
}
