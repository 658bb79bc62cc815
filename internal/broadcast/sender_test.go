package broadcast_test

import (
	"context"
	"fmt"
	"github.com/eebot/eebot/internal/reply"
	"github.com/eebot/eebot/internal/store/storetest"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/broadcast"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/store"
)

type rateLimited time.Duration

func (r rateLimited) Error() string             { return "429 Too Many Requests" }
func (r rateLimited) RetryAfter() time.Duration { return time.Duration(r) }

type forbidden struct{}

func (forbidden) Error() string   { return "403 Forbidden" }
func (forbidden) Permanent() bool { return true }

// poster records posts per destination and fails as scripted.
type poster struct {
	mu    sync.Mutex
	posts map[string][]string // destination → summaries
	fail  func(dest string, n int) error
	calls map[string]int
	block chan struct{} // when set, each post waits on it
	moved chan struct{} // closed and replaced on every call
}

func newPoster() *poster {
	return &poster{posts: map[string][]string{}, calls: map[string]int{}, moved: make(chan struct{})}
}

// changed returns a channel closed by the next call.
func (p *poster) changed() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.moved
}

func (p *poster) Post(ctx context.Context, dest string, r reply.Reply, mention, nonce string) (string, error) {
	if p.block != nil {
		select {
		case <-p.block:
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	defer func() { close(p.moved); p.moved = make(chan struct{}) }()
	p.calls[dest]++
	if p.fail != nil {
		if err := p.fail(dest, p.calls[dest]); err != nil {
			return "", err
		}
	}
	p.posts[dest] = append(p.posts[dest], r.Summary)
	return fmt.Sprintf("m%d", len(p.posts[dest])), nil
}

func (p *poster) count() (total int, per map[string]int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	per = map[string]int{}
	for d, ps := range p.posts {
		per[d] = len(ps)
		total += len(ps)
	}
	return total, per
}

func setup(t *testing.T, dests int) (*store.DB, *commands.Engine) {
	db := storetest.Store(t)
	for i := range dests {
		if _, _, err := db.Subscribe(context.Background(), domain.Subscription{Platform: domain.Telegram, Destination: fmt.Sprint(-1000 - i)}); err != nil {
			t.Fatal(err)
		}
	}
	return db, commands.New(db, commands.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
}

func sender(db *store.DB, eng *commands.Engine, p broadcast.Poster) *broadcast.Sender {
	return &broadcast.Sender{Outbox: db, Posters: map[string]broadcast.Poster{domain.Telegram: p}, Render: eng.Post,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Workers: 4, Poll: 10 * time.Millisecond}
}

// waitFor waits up to 10 s for cond, checking it after every call to p.
func waitFor(t *testing.T, p *poster, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		moved := p.changed()
		if cond() {
			return
		}
		select {
		case <-moved:
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func TestSenderDeliversEachOnce(t *testing.T) {
	db, eng := setup(t, 20)
	p := newPoster()
	p.fail = func(dest string, n int) error {
		if dest == "-1003" && n <= 2 {
			return rateLimited(20 * time.Millisecond)
		}
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := sender(db, eng, p)
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	if n, err := db.Announce(ctx, "422"); err != nil || n != 20 {
		t.Fatal(n, err)
	}
	s.Wake()
	waitFor(t, p, "20 posts", func() bool { n, _ := p.count(); return n == 20 })
	cancel()
	<-done
	_, per := p.count()
	for d, n := range per {
		if n != 1 {
			t.Errorf("%s got %d posts", d, n)
		}
	}
	if got := p.posts["-1000"][0]; got != "New Healthcare and social services draw #422 on 2026-06-25: CRS cutoff 475, 4,000 invitations (+8 vs #398 (467 on 2026-02-20))." {
		t.Errorf("post text = %q", got)
	}
	if c, _ := db.OutboxCounts(context.Background()); c["sent"] != 20 || len(c) != 1 {
		t.Errorf("outbox = %v", c)
	}
}

func TestSenderMarksRefusingDestinationDead(t *testing.T) {
	db, eng := setup(t, 2)
	p := newPoster()
	p.fail = func(dest string, n int) error {
		if dest == "-1001" {
			return forbidden{}
		}
		return nil
	}
	s := sender(db, eng, p)
	var ticks atomic.Int64 // a clock that jumps 10 minutes per look, so back-offs pass at once
	s.Now = func() time.Time { return time.Now().Add(time.Duration(ticks.Add(1)) * 10 * time.Minute) }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	db.Announce(ctx, "437")
	s.Wake()
	waitFor(t, p, "three refusals", func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.calls["-1001"] >= 3 && len(p.posts["-1000"]) == 1
	})
	cancel() // Run returns once the refusal is recorded
	<-done
	if subs, _ := db.Subscriptions(context.Background(), domain.Telegram, "-1001"); len(subs) != 1 || !subs[0].Dead {
		t.Errorf("the destination is not dead: %+v", subs)
	}
	if _, per := p.count(); per["-1000"] != 1 || per["-1001"] != 0 {
		t.Errorf("posts = %v", per)
	}
	if p.calls["-1001"] != 3 {
		t.Errorf("refused %d times before giving up, want 3", p.calls["-1001"])
	}
}

// Stop the sender in the middle of a fan-out and start another: every
// destination ends with exactly one post.
func TestSenderRestartLosesAndDuplicatesNothing(t *testing.T) {
	db, eng := setup(t, 50)
	p := newPoster()
	p.block = make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	s := sender(db, eng, p)
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	db.Announce(ctx, "437")
	s.Wake()
	for range 10 {
		p.block <- struct{}{}
	}
	waitFor(t, p, "10 posts", func() bool { n, _ := p.count(); return n == 10 })
	cancel() // claimed posts not yet handed to a worker go back to the queue
	close(p.block)
	<-done
	first, _ := p.count()
	s2 := sender(db, eng, p)
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	done2 := make(chan error)
	go func() { done2 <- s2.Run(ctx2) }()
	waitFor(t, p, "50 posts", func() bool { n, _ := p.count(); return n >= 50 })
	cancel2() // posts in flight finish before Run returns
	<-done2
	// All sent and recorded: no sender will post anything again.
	if c, _ := db.OutboxCounts(context.Background()); c["sent"] != 50 || len(c) != 1 {
		t.Errorf("outbox = %v", c)
	}
	total, per := p.count()
	if total != 50 || len(per) != 50 {
		t.Errorf("after restart: %d posts to %d destinations (first run %d)", total, len(per), first)
	}
	for d, n := range per {
		if n != 1 {
			t.Errorf("%s got %d posts", d, n)
		}
	}
}
