package broadcast_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/broadcast"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
	"github.com/eebot/eebot/internal/testlog"
)

// The tests run in synctest bubbles: the sender's clock, tickers, back-offs
// and rate-limit waits are the bubble's, so minutes of retries pass at once
// and always in the same order. They wait for events (a post, a look at the
// outbox), never for wall-clock time.

func rateLimited(d time.Duration) broadcast.Outcome {
	return broadcast.Outcome{Kind: broadcast.RateLimited, RetryAfter: d, Err: errors.New("429 Too Many Requests")}
}

var forbidden = broadcast.Outcome{Kind: broadcast.Gone, Err: errors.New("403 Forbidden")}

// poster records posts per destination and fails as scripted.
type poster struct {
	mu     sync.Mutex
	posts  map[string][]string // destination → summaries
	fail   func(dest string, n int) (broadcast.Outcome, bool)
	calls  map[string][]time.Time // destination → when each attempt came
	block  chan struct{}          // when set, each post waits on it
	events chan struct{}          // a post was attempted or the outbox looked at
}

func newPoster(events chan struct{}) *poster {
	return &poster{posts: map[string][]string{}, calls: map[string][]time.Time{}, events: events}
}

func (p *poster) Post(ctx context.Context, dest string, r reply.Reply, mention, nonce string) broadcast.Outcome {
	if p.block != nil {
		select {
		case <-p.block:
		case <-ctx.Done():
			return broadcast.Outcome{Kind: broadcast.Transient, Err: ctx.Err()}
		}
	}
	defer notify(p.events)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls[dest] = append(p.calls[dest], time.Now())
	if p.fail != nil {
		if o, failed := p.fail(dest, len(p.calls[dest])); failed {
			if o.Kind == broadcast.Ambiguous { // delivered, but the answer was lost
				p.posts[dest] = append(p.posts[dest], r.Summary)
			}
			return o
		}
	}
	p.posts[dest] = append(p.posts[dest], r.Summary)
	return broadcast.Outcome{Kind: broadcast.Delivered, MessageID: fmt.Sprintf("m%d", len(p.posts[dest]))}
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

func (p *poster) attempts(dest string) []time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]time.Time(nil), p.calls[dest]...)
}

// watched is the store, telling the test each time the sender looks for work
// (every Poll at least), so a test waiting on the outbox's state wakes.
type watched struct {
	*store.DB
	events chan struct{}
}

func (w *watched) ClaimDeliveries(ctx context.Context, platform domain.Platform, limit int, now time.Time) ([]domain.Delivery, error) {
	defer notify(w.events)
	return w.DB.ClaimDeliveries(ctx, platform, limit, now)
}

// notify wakes a waiting test without ever blocking the sender.
func notify(events chan struct{}) {
	select {
	case events <- struct{}{}:
	default:
	}
}

// waitFor waits until cond holds, checking it whenever the bubble is idle
// after an event. An hour of the bubble's time without it fails the test.
func waitFor(t *testing.T, events <-chan struct{}, what string, cond func() bool) {
	t.Helper()
	timeout := time.After(time.Hour)
	for {
		synctest.Wait() // whatever the last event started has finished
		if cond() {
			return
		}
		select {
		case <-events:
		case <-timeout:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// waitUntil is waitFor that reports a timeout (after d of the bubble's
// time) instead of failing.
func waitUntil(events <-chan struct{}, d time.Duration, cond func() bool) bool {
	timeout := time.After(d)
	for {
		synctest.Wait()
		if cond() {
			return true
		}
		select {
		case <-events:
		case <-timeout:
			return false
		}
	}
}

type fixture struct {
	db     *store.DB
	out    *watched
	p      *poster
	events chan struct{}
	s      *broadcast.Sender
}

// setup subscribes dests Telegram chats (-1000, -1001, …) and builds a
// sender posting through a scripted poster. Call it inside the bubble.
func setup(t *testing.T, dests int) *fixture {
	db := storetest.Store(t)
	for i := range dests {
		if _, _, err := db.Subscribe(context.Background(), domain.Subscription{Platform: domain.Telegram, Destination: fmt.Sprint(-1000 - i)}); err != nil {
			t.Fatal(err)
		}
	}
	f := &fixture{db: db, events: make(chan struct{}, 1)}
	f.out = &watched{DB: db, events: f.events}
	f.p = newPoster(f.events)
	f.s = f.sender()
	return f
}

func (f *fixture) sender() *broadcast.Sender {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	eng := commands.New(f.db, commands.WithLogger(quiet))
	return &broadcast.Sender{Outbox: f.out, Posters: map[domain.Platform]broadcast.Poster{domain.Telegram: f.p}, Render: eng.RenderPost,
		Log: quiet, Workers: 4, Poll: time.Second}
}

// run starts s and returns a function that stops it and waits for Run; a
// test that ends early stops it too, or the bubble would not end.
func run(t *testing.T, s *broadcast.Sender) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	stop = sync.OnceFunc(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	t.Cleanup(stop)
	return stop
}

// TestSenderDeliversEachOnce: the commit that queues posts wakes the sender
// (nobody calls it), a rate-limited post waits and is delivered, and every
// destination gets exactly one post.
func TestSenderDeliversEachOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := setup(t, 20)
		f.p.fail = func(dest string, n int) (broadcast.Outcome, bool) {
			return rateLimited(20 * time.Millisecond), dest == "-1003" && n <= 2
		}
		ctx := context.Background()
		stop := run(t, f.s)
		synctest.Wait() // the sender is idle, waiting for work
		if n, err := f.db.Announce(ctx, "422"); err != nil || n != 20 {
			t.Fatal(n, err)
		}
		// No time passes in Wait, so no poll: only the commit's signal can
		// have woken the sender. All but the rate-limited post went out.
		synctest.Wait()
		if got, _ := f.p.count(); got < 19 {
			t.Errorf("the commit did not wake the sender: %d posts", got)
		}
		waitFor(t, f.events, "20 posts", func() bool { n, _ := f.p.count(); return n == 20 })
		stop()
		_, per := f.p.count()
		for d, n := range per {
			if n != 1 {
				t.Errorf("%s got %d posts", d, n)
			}
		}
		if got := f.p.posts["-1000"][0]; got != "#422 · Jun 25, 2026 · ▲8 vs the previous healthcare draw (467, Feb 20, 2026)\nTie-break: May 21, 2026 12:14:09 UTC" {
			t.Errorf("post text = %q", got)
		}
		if c, _ := f.db.OutboxCounts(ctx); c["sent"] != 20 || len(c) != 1 {
			t.Errorf("outbox = %v", c)
		}
	})
}

// TestSenderWaits: a rate limit is waited out as the platform asked, a
// transient failure (or an outcome that says too little) backs off, and each
// is then delivered.
func TestSenderWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := setup(t, 4)
		first := map[string]struct {
			outcome broadcast.Outcome
			wait    time.Duration
		}{
			"-1000": {rateLimited(time.Minute), time.Minute},
			"-1001": {broadcast.Outcome{Kind: broadcast.Transient, Err: errors.New("502 Bad Gateway")}, 2 * time.Second},
			"-1002": {broadcast.Outcome{}, 2 * time.Second},                            // the zero outcome is a transient failure
			"-1003": {broadcast.Outcome{Kind: broadcast.RateLimited}, 2 * time.Second}, // no wait given: back off
		}
		f.p.fail = func(dest string, n int) (broadcast.Outcome, bool) { return first[dest].outcome, n == 1 }
		ctx := context.Background()
		stop := run(t, f.s)
		f.db.Announce(ctx, "437")
		waitFor(t, f.events, "the retries", func() bool { n, _ := f.p.count(); return n == 4 })
		stop()
		// The sender looks every Poll: each retry comes within one of its wait.
		for dest, want := range first {
			at := f.p.attempts(dest)
			if len(at) != 2 || at[1].Sub(at[0]) < want.wait || at[1].Sub(at[0]) > want.wait+f.s.Poll {
				t.Errorf("%s: attempts at %v, want a retry %v after the first", dest, at, want.wait)
			}
		}
		if c, _ := f.db.OutboxCounts(ctx); c["sent"] != 4 || len(c) != 1 {
			t.Errorf("outbox = %v", c)
		}
	})
}

func TestSenderMarksRefusingDestinationDead(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := setup(t, 2)
		f.p.fail = func(dest string, n int) (broadcast.Outcome, bool) { return forbidden, dest == "-1001" }
		ctx := context.Background()
		stop := run(t, f.s)
		defer stop()
		f.db.Announce(ctx, "437")
		waitFor(t, f.events, "the destination to die", func() bool {
			subs, _ := f.db.Subscriptions(ctx, domain.Telegram, "-1001")
			return len(subs) == 1 && subs[0].Dead
		})
		if _, per := f.p.count(); per["-1000"] != 1 || per["-1001"] != 0 {
			t.Errorf("posts = %v", per)
		}
		if n := len(f.p.attempts("-1001")); n != 3 {
			t.Errorf("refused %d times before giving up, want 3", n)
		}
	})
}

// TestSenderFollowsMovedDestination: a destination with a new ID (a
// Telegram group that became a supergroup) is moved, and the post retried
// there at once.
func TestSenderFollowsMovedDestination(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := setup(t, 2)
		f.p.fail = func(dest string, n int) (broadcast.Outcome, bool) {
			return broadcast.Outcome{Kind: broadcast.Moved, MovedTo: "-100999", Err: errors.New("group upgraded")}, dest == "-1001"
		}
		ctx := context.Background()
		stop := run(t, f.s)
		f.db.Announce(ctx, "437")
		waitFor(t, f.events, "the post to the new ID", func() bool { _, per := f.p.count(); return per["-100999"] == 1 })
		stop()
		if _, per := f.p.count(); per["-1000"] != 1 || per["-1001"] != 0 || len(per) != 2 {
			t.Errorf("posts = %v", per)
		}
		// Retried at once: at the sender's next look, not after a back-off.
		if wait := f.p.attempts("-100999")[0].Sub(f.p.attempts("-1001")[0]); wait > f.s.Poll {
			t.Errorf("the moved post waited %v", wait)
		}
		old, _ := f.db.Subscriptions(ctx, domain.Telegram, "-1001")
		moved, _ := f.db.Subscriptions(ctx, domain.Telegram, "-100999")
		if len(old) != 0 || len(moved) != 1 || moved[0].Dead {
			t.Errorf("subscriptions: old %+v, moved %+v", old, moved)
		}
		if c, _ := f.db.OutboxCounts(ctx); c["sent"] != 2 || len(c) != 1 {
			t.Errorf("outbox = %v", c)
		}
	})
}

// Stop the sender in the middle of a fan-out and start another: every
// destination ends with exactly one post.
func TestSenderRestartLosesAndDuplicatesNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := setup(t, 50)
		f.p.block = make(chan struct{})
		ctx := context.Background()
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- f.s.Run(runCtx) }()
		f.db.Announce(ctx, "437")
		for range 10 {
			f.p.block <- struct{}{}
		}
		waitFor(t, f.events, "10 posts", func() bool { n, _ := f.p.count(); return n == 10 })
		cancel() // claimed posts not yet handed to a worker go back to the queue
		close(f.p.block)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		first, _ := f.p.count()
		stop := run(t, f.sender())
		waitFor(t, f.events, "50 posts, all recorded", func() bool {
			c, _ := f.db.OutboxCounts(ctx)
			return c["sent"] == 50
		})
		stop()
		total, per := f.p.count()
		if total != 50 || len(per) != 50 {
			t.Errorf("after restart: %d posts to %d destinations (first run %d)", total, len(per), first)
		}
		for d, n := range per {
			if n != 1 {
				t.Errorf("%s got %d posts", d, n)
			}
		}
		if c, _ := f.db.OutboxCounts(ctx); c["sent"] != 50 || len(c) != 1 {
			t.Errorf("outbox = %v", c)
		}
	})
}

var lostAnswer = broadcast.Outcome{Kind: broadcast.Ambiguous, Err: errors.New("502 Bad Gateway")}

// TestSenderAmbiguousRetriedOnce: a post that may have been delivered (the
// scripted poster delivers it, then loses the answer) is retried once, and
// a second unclear answer ends it as unsure: at most two copies, whatever
// clear failures come between and across a restart. Each unclear answer is
// counted in the log.
func TestSenderAmbiguousRetriedOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := setup(t, 5)
		script := map[string][]broadcast.Outcome{ // attempts in order; past the end, delivered
			"-1000": {lostAnswer, lostAnswer, lostAnswer},                          // a storm
			"-1001": {lostAnswer},                                                  // one lost answer
			"-1002": {lostAnswer, rateLimited(time.Minute), lostAnswer},            // a clear refusal between
			"-1003": {{Kind: broadcast.Transient}, lostAnswer, {}, {}, lostAnswer}, // clear failures do not count
		}
		f.p.fail = func(dest string, n int) (broadcast.Outcome, bool) {
			if n > len(script[dest]) {
				return broadcast.Outcome{}, false
			}
			return script[dest][n-1], true
		}
		logs := &testlog.Buffer{}
		f.s.Log = slog.New(slog.NewTextHandler(logs, nil))
		ctx := context.Background()
		stop := run(t, f.s)
		f.db.Announce(ctx, "437")
		settled := func() bool {
			c, _ := f.db.OutboxCounts(ctx)
			return c["pending"] == 0 && c["sending"] == 0
		}
		waitFor(t, f.events, "the outbox to settle", settled)
		stop()
		_, per := f.p.count()
		want := map[string]int{"-1000": 2, "-1001": 2, "-1002": 2, "-1003": 2, "-1004": 1}
		for d, n := range want {
			if per[d] != n {
				t.Errorf("%s: %d copies, want %d (attempts %d)", d, per[d], n, len(f.p.attempts(d)))
			}
		}
		if n := len(f.p.attempts("-1002")); n != 3 {
			t.Errorf("-1002: %d attempts, want 3 (the 429 is retried)", n)
		}
		if c, _ := f.db.OutboxCounts(ctx); c["sent"] != 2 || c["unsure"] != 3 {
			t.Errorf("outbox = %v, want 2 sent and 3 unsure", c)
		}
		if !strings.Contains(logs.String(), "ambiguous_total=7") {
			t.Errorf("7 unclear answers, not counted in the log:\n%s", logs)
		}
	})
}

// TestSenderAmbiguousAcrossRestart: the one retry is remembered in the
// outbox, so a restart between the unclear answer and the retry does not
// earn another.
func TestSenderAmbiguousAcrossRestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := setup(t, 1)
		f.p.fail = func(string, int) (broadcast.Outcome, bool) { return lostAnswer, true }
		ctx := context.Background()
		stop := run(t, f.s)
		f.db.Announce(ctx, "437")
		waitFor(t, f.events, "the first attempt", func() bool { return len(f.p.attempts("-1000")) == 1 })
		stop()
		stop = run(t, f.sender())
		waitFor(t, f.events, "the outbox to settle", func() bool {
			c, _ := f.db.OutboxCounts(ctx)
			return c["unsure"] == 1
		})
		stop()
		if n := len(f.p.attempts("-1000")); n != 2 {
			t.Errorf("%d attempts across a restart, want 2", n)
		}
	})
}

// fullDisk is the store with a disk that can fill up: while full, recording
// sent posts fails as SQLite does (SQLITE_FULL).
type fullDisk struct {
	*watched
	mu    sync.Mutex
	full  bool
	fails int
}

var errFull = errors.New("database or disk is full (13)")

func (f *fullDisk) setFull(full bool) {
	f.mu.Lock()
	f.full = full
	f.mu.Unlock()
	notify(f.events)
}

func (f *fullDisk) MarkSent(ctx context.Context, sent ...domain.Sent) error {
	f.mu.Lock()
	full := f.full
	if full {
		f.fails++
	}
	f.mu.Unlock()
	defer notify(f.events)
	if full {
		return errFull
	}
	return f.watched.MarkSent(ctx, sent...)
}

// TestSenderDiskFull: posts the platform accepted while the disk was full
// are kept in memory and recorded once it frees, never sent again; a
// restart after that sends nothing twice. Stopping while the disk is still
// full keeps them too, for the same Sender's next Run.
func TestSenderDiskFull(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := setup(t, 20)
		disk := &fullDisk{watched: f.out}
		disk.setFull(true)
		f.s.Outbox = disk
		ctx := context.Background()
		stop := run(t, f.s)
		f.db.Announce(ctx, "437")
		waitFor(t, f.events, "20 posts", func() bool { n, _ := f.p.count(); return n == 20 })
		// Minutes pass with the disk full: the marks are retried, nothing is re-sent.
		time.Sleep(10 * time.Minute) // the bubble's clock: 600 polls of the sender
		synctest.Wait()
		disk.mu.Lock()
		fails := disk.fails
		disk.mu.Unlock()
		if n, _ := f.p.count(); n != 20 || fails < 5 {
			t.Errorf("%d posts and %d failed marks while the disk was full, want 20 and the marks retried", n, fails)
		}
		disk.setFull(false)
		if !waitUntil(f.events, time.Hour, func() bool { c, _ := f.db.OutboxCounts(ctx); return c["sent"] == 20 }) {
			c, _ := f.db.OutboxCounts(ctx)
			t.Errorf("an hour after the disk freed, outbox = %v, want 20 sent", c)
		}
		stop()
		stop = run(t, f.sender()) // a restart: RecoverSending finds nothing to re-queue
		time.Sleep(time.Minute)
		synctest.Wait()
		stop()
		if total, per := f.p.count(); total != 20 || len(per) != 20 {
			t.Fatalf("%d posts to %d destinations, want 20 to 20", total, len(per))
		}

		// Stopped while the disk is full: the next Run records them first.
		disk.setFull(true)
		s := f.sender()
		s.Outbox = disk
		stop = run(t, s)
		f.db.Announce(ctx, "436")
		waitFor(t, f.events, "the posts of 436", func() bool { n, _ := f.p.count(); return n == 40 })
		stop()
		disk.setFull(false)
		stop = run(t, s)
		waitFor(t, f.events, "the marks to be recorded", func() bool {
			c, _ := f.db.OutboxCounts(ctx)
			return c["sent"] == 40
		})
		stop()
		if total, _ := f.p.count(); total != 40 {
			t.Errorf("%d posts of two draws to 20 destinations, want 40", total)
		}
	})
}

// TestSenderStopHandsBackUnstartedPosts: at a stop, the posts claimed but
// not yet started, and those the platform refused because it was stopping
// too, go back to the queue as they were: due at once at the next start,
// with no attempt counted and no back-off.
func TestSenderStopHandsBackUnstartedPosts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := setup(t, 50)
		f.p.block = make(chan struct{})
		var stopping sync.Mutex
		stopped := false
		f.p.fail = func(string, int) (broadcast.Outcome, bool) {
			stopping.Lock()
			defer stopping.Unlock()
			return broadcast.Outcome{Kind: broadcast.Transient, Err: errors.New("telegram: stopping; post not sent")}, stopped
		}
		ctx := context.Background()
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- f.s.Run(runCtx) }()
		f.db.Announce(ctx, "437")
		for range 10 {
			f.p.block <- struct{}{}
		}
		waitFor(t, f.events, "10 posts", func() bool { n, _ := f.p.count(); return n == 10 })
		synctest.Wait() // the workers are blocked on the next posts, the buffer full
		cancel()
		stopping.Lock()
		stopped = true
		stopping.Unlock()
		close(f.p.block)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		waitFor(t, f.events, "10 recorded", func() bool { c, _ := f.db.OutboxCounts(ctx); return c["sent"] == 10 })
		if c, _ := f.db.OutboxCounts(ctx); c["pending"] != 40 || len(c) != 2 {
			t.Errorf("outbox = %v, want 10 sent and 40 pending", c)
		}
		due, err := f.db.ClaimDeliveries(ctx, domain.Telegram, 100, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if len(due) != 40 {
			t.Errorf("%d posts due at once after the stop, want 40 (the others were pushed back)", len(due))
		}
		for _, d := range due {
			if d.Attempts != 1 { // this claim's own attempt
				t.Errorf("%s: attempts %d after the stop, want none counted", d.Sub.Destination, d.Attempts-1)
			}
		}
	})
}
