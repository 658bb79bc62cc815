package leader

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/testlog"
)

// faulty is a replica's view of the shared store, which a test can break:
// fail makes every call fail, hang makes AcquireLease block (ignoring its
// context, as a stuck connection might) until hang is closed, and crashed
// makes ReleaseLease do nothing, as when the process is killed.
type faulty struct {
	Store
	mu      sync.Mutex
	fail    error
	hang    chan struct{}
	crashed bool
	until   time.Time // the expiry of the last lease this replica got
}

func (f *faulty) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, string, time.Time, error) {
	f.mu.Lock()
	fail, hang := f.fail, f.hang
	f.mu.Unlock()
	if hang != nil {
		<-hang
	}
	if fail != nil {
		return false, "", time.Time{}, fail
	}
	held, leader, until, err := f.Store.AcquireLease(ctx, name, holder, ttl)
	if held {
		f.mu.Lock()
		f.until = until
		f.mu.Unlock()
	}
	return held, leader, until, err
}

func (f *faulty) ReleaseLease(ctx context.Context, name, holder string) error {
	f.mu.Lock()
	fail, crashed := f.fail, f.crashed
	f.mu.Unlock()
	if crashed {
		return nil
	}
	if fail != nil {
		return fail
	}
	return f.Store.ReleaseLease(ctx, name, holder)
}

func (f *faulty) set(fn func(f *faulty)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

func (f *faulty) leaseUntil() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.until
}

// fleet is n replicas electing on one store, each running work while it
// leads. It fails the test whenever two replicas lead, or two run their
// work, at once.
type fleet struct {
	t      *testing.T
	log    *testlog.Buffer
	es     []*Elector
	stores []*faulty
	stop   []context.CancelFunc
	done   []chan struct{}

	leading atomic.Int32 // replicas that say they lead
	working atomic.Int32 // replicas running their work
	mu      sync.Mutex
	starts  []int             // work started, by replica
	workCtx []context.Context // the context of each replica's latest work
}

func newFleet(t *testing.T, s Store, n int) *fleet {
	f := &fleet{t: t, log: &testlog.Buffer{}, starts: make([]int, n), workCtx: make([]context.Context, n)}
	for i := range n {
		fs := &faulty{Store: s}
		e := &Elector{Store: fs, ID: fmt.Sprintf("replica-%d", i), Log: slog.New(slog.NewTextHandler(f.log, nil))}
		e.OnChange = func(leading bool) {
			if !leading {
				f.leading.Add(-1)
				return
			}
			if n := f.leading.Add(1); n > 1 {
				t.Errorf("%s leads at %s while another does", e.ID, time.Now().Format(time.TimeOnly))
			}
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			var wg sync.WaitGroup
			wg.Go(func() { e.WhileLeading(ctx, func(ctx context.Context) { f.work(ctx, i) }) })
			if err := e.Run(ctx); err != nil {
				t.Error(err)
			}
			wg.Wait()
		}()
		f.es = append(f.es, e)
		f.stores = append(f.stores, fs)
		f.stop = append(f.stop, cancel)
		f.done = append(f.done, done)
	}
	return f
}

// work is what a leader does: here, it holds the "working" count until
// its context ends.
func (f *fleet) work(ctx context.Context, i int) {
	if n := f.working.Add(1); n > 1 {
		f.t.Errorf("replica-%d works at %s while another does", i, time.Now().Format(time.TimeOnly))
	}
	f.mu.Lock()
	f.starts[i]++
	f.workCtx[i] = ctx
	f.mu.Unlock()
	<-ctx.Done()
	f.working.Add(-1)
}

func (f *fleet) workStarts(i int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.starts[i]
}

// leader returns the index of the one replica that leads, -1 when none;
// it fails the test when more than one does.
func (f *fleet) leader() int {
	f.t.Helper()
	who := -1
	for i, e := range f.es {
		if e.Leading() {
			if who >= 0 {
				f.t.Fatalf("replica-%d and replica-%d both lead", who, i)
			}
			who = i
		}
	}
	return who
}

// stopAll stops every replica still running and waits for them.
func (f *fleet) stopAll() {
	for i := range f.es {
		f.stop[i]()
		<-f.done[i]
	}
}

// advance lets d pass on the bubble's clock, then waits for every
// goroutine to settle.
func advance(d time.Duration) {
	t := time.NewTimer(d)
	<-t.C
	synctest.Wait()
}

// waitLeader advances in steps of 100 ms until a replica other than not
// leads, for at most max; it returns it and the time it took.
func (f *fleet) waitLeader(not int, max time.Duration) (int, time.Duration) {
	f.t.Helper()
	t0 := time.Now()
	for time.Since(t0) <= max {
		if l := f.leader(); l >= 0 && l != not {
			return l, time.Since(t0)
		}
		advance(100 * time.Millisecond)
	}
	f.t.Fatalf("no replica (other than %d) leads within %s\n%s", not, max, f.log.String())
	return -1, 0
}

func memStore(t *testing.T) *store.DB {
	db, err := store.Open(context.Background(), ":memory:", slog.New(slog.NewTextHandler(&testlog.Buffer{}, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// Three replicas: one leads and works, the others follow and say who
// leads; it stays so for minutes. A clean stop hands over within a
// follower's retry (2 s); a killed leader (no release) is replaced once its
// lease expired, within TTL + retry (12 s, under the 15 s asked). Never two
// lead or work at once.
func TestOneLeads(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db := memStore(t)
		defer db.Close()
		f := newFleet(t, db, 3)
		defer f.stopAll()
		synctest.Wait()
		first := f.leader()
		if first < 0 {
			t.Fatalf("nobody leads at the start\n%s", f.log.String())
		}
		for range 600 { // 5 minutes
			advance(500 * time.Millisecond)
			if l := f.leader(); l != first {
				t.Fatalf("leader %d, want %d throughout\n%s", l, first, f.log.String())
			}
		}
		for i, e := range f.es {
			if e.Leader() != f.es[first].ID {
				t.Errorf("replica-%d says %q leads, want %q", i, e.Leader(), f.es[first].ID)
			}
		}
		if n := f.workStarts(first); n != 1 || f.working.Load() != 1 {
			t.Errorf("the leader started its work %d times, %d running", n, f.working.Load())
		}

		// A clean stop releases the lease: a follower takes it at its
		// next try.
		f.stop[first]()
		<-f.done[first]
		second, took := f.waitLeader(first, 15*time.Second)
		t.Logf("clean stop: replica-%d leads %s later", second, took)
		if took > 2*time.Second+100*time.Millisecond { // a retry, seen at the next step
			t.Errorf("took %s after a clean stop, want within the follower's retry (2 s)", took)
		}
		if !strings.Contains(f.log.String(), "released the lease") {
			t.Error("no release logged")
		}

		// A kill: no release; the lease must expire first.
		advance(time.Second + 300*time.Millisecond) // between renewals
		until := f.stores[second].leaseUntil()
		f.stores[second].set(func(f *faulty) { f.crashed = true })
		f.stop[second]()
		<-f.done[second]
		killed := time.Now()
		third, took := f.waitLeader(second, 15*time.Second)
		t.Logf("kill: replica-%d leads %s later (the lease had %s to run)", third, took, until.Sub(killed))
		if took > DefaultTTL+2*time.Second || time.Now().Before(until) {
			t.Errorf("took %s after a kill, lease until %s: want after it expires, and within 12 s", took, until.Sub(killed))
		}
		if f.es[third].Leader() != f.es[third].ID || f.working.Load() != 1 {
			t.Errorf("leader %q, %d working", f.es[third].Leader(), f.working.Load())
		}
	})
}

// A leader whose store fails keeps leading while its lease lasts, but
// stops (and its work's context ends) Margin before the lease expires,
// before another replica takes it over. Once its store is back it follows,
// and leads and works again after the new leader stops.
func TestStoreFailsLeaderStepsDown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db := memStore(t)
		defer db.Close()
		f := newFleet(t, db, 2)
		defer f.stopAll()
		synctest.Wait()
		first := f.leader()
		advance(4 * time.Second)
		broken := errors.New("connection refused")
		f.stores[first].set(func(f *faulty) { f.fail = broken })
		until := f.stores[first].leaseUntil()
		workCtx := f.workCtx[first]

		for time.Now().Before(until.Add(-DefaultTTL / 5)) {
			if !f.es[first].Leading() || workCtx.Err() != nil {
				t.Fatalf("stopped leading %s before the lease's expiry, want %s", time.Until(until), DefaultTTL/5)
			}
			advance(100 * time.Millisecond)
		}
		if f.es[first].Leading() || workCtx.Err() == nil || f.working.Load() != 0 {
			t.Fatalf("still leading (or working) %s before the lease expires", time.Until(until))
		}
		if f.leader() >= 0 {
			t.Fatal("another leads before the lease expired")
		}
		second, _ := f.waitLeader(first, 15*time.Second)
		if time.Now().Before(until) || time.Now().After(until.Add(2*time.Second+100*time.Millisecond)) {
			t.Errorf("taken over %s after the expiry, want within the retry", time.Since(until))
		}
		if !strings.Contains(f.log.String(), "could not renew the lease") || strings.Count(f.log.String(), "cannot reach the lease") != 1 {
			t.Errorf("log:\n%s", f.log.String())
		}

		f.stores[first].set(func(f *faulty) { f.fail = nil })
		advance(3 * time.Second)
		if f.leader() != second || f.es[first].Leader() != f.es[second].ID {
			t.Fatalf("after the store is back: leader %d, replica-%d sees %q", f.leader(), first, f.es[first].Leader())
		}
		f.stop[second]()
		<-f.done[second]
		if l, _ := f.waitLeader(second, 3*time.Second); l != first || f.workStarts(first) != 2 {
			t.Fatalf("leader %d, work started %d times", l, f.workStarts(first))
		}
	})
}

// A store that hangs, ignoring contexts, does not keep a leader leading:
// it steps down Margin before its lease expires all the same.
func TestStoreHangsLeaderStepsDown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db := memStore(t)
		defer db.Close()
		f := newFleet(t, db, 1)
		synctest.Wait()
		if f.leader() != 0 {
			t.Fatal("a lone replica does not lead")
		}
		advance(time.Second)
		hang := make(chan struct{})
		f.stores[0].set(func(f *faulty) { f.hang = hang })
		until := f.stores[0].leaseUntil()
		advance(time.Until(until) - DefaultTTL/5 - time.Millisecond)
		if !f.es[0].Leading() {
			t.Fatal("stepped down too early")
		}
		advance(time.Millisecond)
		if f.es[0].Leading() || f.working.Load() != 0 {
			t.Fatalf("still leading %s before the lease expires, with the store hanging", time.Until(until))
		}
		f.stores[0].set(func(f *faulty) { f.hang = nil })
		close(hang)
		advance(3 * time.Second)
		if !f.es[0].Leading() || f.workStarts(0) != 2 {
			t.Fatalf("after the store answers again: leading %v, work started %d times", f.es[0].Leading(), f.workStarts(0))
		}
		f.stopAll()
	})
}

// On a database file, as the bot runs with SQLite: two electors through
// one store (the file admits one process), one leads, a stop hands over.
func TestFileStore(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "eebot.db"), slog.New(slog.NewTextHandler(&testlog.Buffer{}, nil)))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		f := newFleet(t, db, 2)
		defer f.stopAll()
		synctest.Wait()
		first := f.leader()
		if first < 0 {
			t.Fatal("nobody leads")
		}
		advance(time.Minute)
		if f.leader() != first {
			t.Fatal("the leader changed")
		}
		f.stop[first]()
		<-f.done[first]
		if _, took := f.waitLeader(first, 3*time.Second); took > 2*time.Second+100*time.Millisecond {
			t.Errorf("handover took %s", took)
		}
	})
}

// Work started while leading stops when Run ends, before the lease is
// released; WhileLeading returns once Run has, even with its own context
// still live, and does not start work after.
func TestStopOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db := memStore(t)
		defer db.Close()
		var events []string
		var mu sync.Mutex
		note := func(s string) { mu.Lock(); events = append(events, s); mu.Unlock() }
		rec := &recorder{Store: db, note: note}
		e := &Elector{Store: rec, ID: "a", Log: slog.New(slog.NewTextHandler(&testlog.Buffer{}, nil))}
		ctx, cancel := context.WithCancel(context.Background())
		ran := make(chan error)
		go func() { ran <- e.Run(ctx) }()
		wl := make(chan struct{})
		go func() {
			defer close(wl)
			e.WhileLeading(context.Background(), func(ctx context.Context) {
				note("work")
				<-ctx.Done()
				note("work stopped")
			})
		}()
		advance(time.Minute)
		cancel()
		if err := <-ran; err != nil {
			t.Fatal(err)
		}
		<-wl
		e.WhileLeading(context.Background(), func(context.Context) { t.Error("work started after Run returned") })
		mu.Lock()
		defer mu.Unlock()
		if got := strings.Join(events, ", "); got != "work, work stopped, release" {
			t.Errorf("events: %s", got)
		}
		if e.Leading() || e.Leader() != "" {
			t.Errorf("after the stop: leading %v, leader %q", e.Leading(), e.Leader())
		}
	})
}

type recorder struct {
	Store
	note func(string)
}

func (r *recorder) ReleaseLease(ctx context.Context, name, holder string) error {
	r.note("release")
	return r.Store.ReleaseLease(ctx, name, holder)
}

// Settings that could let a lease expire between renewals are refused.
func TestConfig(t *testing.T) {
	db := memStore(t)
	defer db.Close()
	for _, e := range []*Elector{
		{Store: db},
		{ID: "a"},
		{Store: db, ID: "a", TTL: 5 * time.Second, Renew: 4 * time.Second},
		{Store: db, ID: "a", TTL: 5 * time.Second, Retry: -time.Second},
	} {
		if err := e.Run(context.Background()); err == nil {
			t.Errorf("%+v: no error", e)
		}
	}
	e := &Elector{Store: db, ID: "a"}
	if err := e.init(); err != nil || e.TTL != 10*time.Second || e.Renew != 3*time.Second || e.Retry != 2*time.Second || e.Margin != 2*time.Second {
		t.Errorf("defaults: %v %+v", err, e)
	}
}
