package poll_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/poll"
	"github.com/eebot/eebot/internal/poll/ircctest"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
	"github.com/eebot/eebot/internal/testlog"
)

// bareFeed serves a body with no ETag or Last-Modified, as some servers
// do, in memory, and counts the requests.
type bareFeed struct {
	mu       sync.Mutex
	body     []byte
	requests atomic.Int64
	at       []time.Time
}

func (f *bareFeed) set(b []byte) {
	f.mu.Lock()
	f.body = b
	f.mu.Unlock()
}

func (f *bareFeed) RoundTrip(r *http.Request) (*http.Response, error) {
	f.requests.Add(1)
	f.mu.Lock()
	body := f.body
	f.at = append(f.at, time.Now())
	f.mu.Unlock()
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(body)), Request: r}, nil
}

// validations counts how often the poller validated a parsed feed.
type validations struct {
	*store.DB
	n atomic.Int64
}

func (v *validations) Draws(ctx context.Context, f domain.DrawFilter) ([]domain.Draw, error) {
	v.n.Add(1)
	return v.DB.Draws(ctx, f)
}

// A bad feed served without validators is parsed and checked once: the
// polls after it see the same bytes (by their SHA-256) and reject them
// without parsing again, until the body changes.
func TestPollSkipsUnchangedBadFeed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rounds, err := ircctest.Rounds(snapshot(t))
	if err != nil {
		t.Fatal(err)
	}
	db := &validations{DB: storetest.Store(t)}
	feed := &bareFeed{body: ircctest.Encode(rounds[1:])} // #437 missing
	p := newPoller(t, db.DB, "http://feed.test/ee_rounds_123_en.json")
	p.Store, p.Client = db, &http.Client{Transport: feed}
	for i := range 3 {
		_, err := p.Once(ctx)
		var rej *poll.Rejected
		if !errorsAs(err, &rej) || !strings.Contains(err.Error(), "known draw #437 is missing") {
			t.Fatalf("poll %d: %v", i+1, err)
		}
	}
	if n := db.n.Load(); n != 1 {
		t.Errorf("the same bad feed was parsed and validated %d times in 3 polls, want once", n)
	}
	// A draw dated in the future may stop being so: judged at every poll.
	feed.set(withDraw438(t, ircctest.Round{"drawDate": "2026-09-30", "drawDateFull": "September 30, 2026"}))
	for range 2 {
		if _, err := p.Once(ctx); err == nil || !strings.Contains(err.Error(), "in the future") {
			t.Fatalf("future draw: %v", err)
		}
	}
	if n := db.n.Load(); n != 3 {
		t.Errorf("a feed with a future draw was validated %d times in 2 polls", n-1)
	}
	feed.set(withDraw438(t, nil))
	if res, err := p.Once(ctx); err != nil || len(res.Saved.Added) != 1 {
		t.Fatalf("good feed after a bad one: %+v, %v", res, err)
	}
	if n := feed.requests.Load(); n != 6 {
		t.Errorf("%d requests", n)
	}
}

// Repeated bad feeds are polled less often, not more: the interval,
// doubling, up to an hour, one log line per step; a good feed brings the
// normal interval back. Failed fetches (network) still retry sooner.
func TestRunBacksOffOnBadFeeds(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		feed := &bareFeed{body: []byte("<html>maintenance</html>")}
		var logs testlog.Buffer
		start := time.Now()
		p := &poll.Poller{URL: "http://feed.test/feed.json", Client: &http.Client{Transport: feed}, Store: &memStore{},
			Log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
			// A Saturday in Toronto: the off-hours interval throughout.
			Now:      func() time.Time { return now.AddDate(0, 0, 4).Add(time.Since(start)) },
			Business: 5 * time.Minute, OffHours: 5 * time.Minute}
		done := make(chan struct{})
		go func() { p.Run(ctx); close(done) }()
		time.Sleep(6 * time.Hour)
		synctest.Wait()
		feed.mu.Lock()
		at := append([]time.Time(nil), feed.at...)
		feed.mu.Unlock()
		var gaps []time.Duration
		for i := 1; i < len(at); i++ {
			gaps = append(gaps, at[i].Sub(at[i-1]))
		}
		want := []time.Duration{5 * time.Minute, 10 * time.Minute, 20 * time.Minute, 40 * time.Minute, time.Hour, time.Hour, time.Hour, time.Hour}
		if len(gaps) != len(want) {
			t.Fatalf("%d polls of a bad feed in 6 h, gaps %v; want %v", len(at), gaps, want)
		}
		for i := range want {
			if gaps[i] != want[i] {
				t.Errorf("gaps %v, want %v", gaps, want)
				break
			}
		}
		if n := strings.Count(logs.String(), "level=WARN"); n != 5 {
			t.Errorf("%d warnings for 5 back-off steps:\n%s", n, logs.String())
		}
		// Fixed: the next poll takes it, and the interval is normal again.
		feed.set(ircctest.Encode([]ircctest.Round{{"drawNumber": "1", "drawDate": "2015-01-31", "drawName": "No Program Specified", "drawSize": "779", "drawCRS": "886"}}))
		time.Sleep(time.Hour + 5*time.Minute)
		synctest.Wait()
		feed.mu.Lock()
		at = feed.at
		n := len(at)
		last := at[n-1].Sub(at[n-2])
		feed.mu.Unlock()
		if last != 5*time.Minute || !strings.Contains(logs.String(), "feed poll recovered") {
			t.Errorf("after recovery: last gap %v\n%s", last, logs.String())
		}
		cancel()
		<-done
	})
}

// Run reports every poll to OnPoll, with what became of it.
func TestRunReportsPolls(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		feed := &bareFeed{body: []byte("<html>maintenance</html>")}
		var mu sync.Mutex
		var errs []error
		start := time.Now()
		p := &poll.Poller{URL: "http://feed.test/feed.json", Client: &http.Client{Transport: feed}, Store: &memStore{},
			Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Business: 5 * time.Minute, OffHours: 5 * time.Minute,
			Now: func() time.Time { return now.Add(time.Since(start)) },
			OnPoll: func(_ time.Time, err error, _ time.Duration) {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}}
		done := make(chan struct{})
		go func() { p.Run(ctx); close(done) }()
		synctest.Wait()
		feed.set(ircctest.Encode([]ircctest.Round{{"drawNumber": "1", "drawDate": "2015-01-31", "drawName": "No Program Specified", "drawSize": "779", "drawCRS": "886"}}))
		time.Sleep(5*time.Minute + time.Second)
		synctest.Wait()
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		var rej *poll.Rejected
		if len(errs) != 2 || !errorsAs(errs[0], &rej) || errs[1] != nil {
			t.Fatalf("OnPoll saw %v, want a rejected feed, then a good one", errs)
		}
	})
}

// memStore is the poller's Store in memory, for tests in a synctest bubble.
type memStore struct {
	mu   sync.Mutex
	meta map[string]string
}

func (m *memStore) Draws(context.Context, domain.DrawFilter) ([]domain.Draw, error) { return nil, nil }

func (m *memStore) ApplyDraws(_ context.Context, ds []domain.Draw, _ domain.Origin, _ string) (domain.SaveResult, error) {
	return domain.SaveResult{}, nil
}

func (m *memStore) GetMeta(_ context.Context, k string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.meta[k], nil
}

func (m *memStore) SetMeta(_ context.Context, k, v string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.meta == nil {
		m.meta = map[string]string{}
	}
	m.meta[k] = v
	return nil
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }
