package poll_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eebot/eebot/internal/poll"
)

// OnPoll hears of every poll Run makes: when it ended, its error, and the
// wait Run chose next (the interval, or a back-off), which readiness uses
// to tell a stuck poller from one backing off.
func TestRunOnPoll(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		feed := &bareFeed{body: []byte("<html>maintenance</html>")}
		type call struct {
			failed bool
			next   time.Duration
		}
		var (
			mu    sync.Mutex
			calls []call
		)
		start := time.Now()
		p := &poll.Poller{URL: "http://feed.test/feed.json", Client: &http.Client{Transport: feed}, Store: &memStore{},
			Log:      slog.New(slog.NewTextHandler(io.Discard, nil)),
			Now:      func() time.Time { return now.AddDate(0, 0, 4).Add(time.Since(start)) }, // a Saturday
			Business: 5 * time.Minute, OffHours: 5 * time.Minute,
			OnPoll: func(_ time.Time, err error, next time.Duration) {
				mu.Lock()
				calls = append(calls, call{err != nil, next})
				mu.Unlock()
			}}
		done := make(chan struct{})
		go func() { p.Run(ctx); close(done) }()
		time.Sleep(16 * time.Minute)
		synctest.Wait()
		mu.Lock()
		got := append([]call(nil), calls...)
		mu.Unlock()
		want := []call{{true, 5 * time.Minute}, {true, 10 * time.Minute}, {true, 20 * time.Minute}}
		if len(got) != len(want) {
			t.Fatalf("OnPoll calls %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("OnPoll calls %v, want %v", got, want)
			}
		}
		cancel()
		<-done
	})
}
