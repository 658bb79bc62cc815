// Package leader elects one replica of the bot's fleet to poll IRCC and run
// periodic work, through a lease row in the shared database (store's
// AcquireLease): the leader renews the lease every few seconds, another
// replica takes it over once it has expired. A row, rather than a session
// advisory lock, works through connection pools and transaction-mode
// poolers, and on SQLite, where the one instance simply leads.
//
// With the defaults (a 10 s lease, renewed every 3 s, tried every 2 s by
// the others) a leader that dies is replaced within 12 s. A leader that
// cannot renew (the database unreachable) stops acting as leader Margin
// before its lease could expire, so two replicas never act as leader at
// once, provided the replicas' clocks agree to well under Margin.
package leader

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Store keeps the lease (store.DB implements it).
type Store interface {
	// AcquireLease takes or renews the lease name for holder, until ttl
	// from now, when it is free, expired or holder's already; it reports
	// who holds it afterwards and until when.
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (held bool, leader string, until time.Time, err error)
	// ReleaseLease gives the lease up if holder holds it.
	ReleaseLease(ctx context.Context, name, holder string) error
}

// Defaults.
const (
	DefaultName = "main"
	DefaultTTL  = 10 * time.Second
)

// releaseTimeout bounds the release of the lease at a stop, and the wait
// for the work done while leading to stop before it.
const releaseTimeout = time.Second

// Elector runs the election for one replica. Set the fields, then call
// Run; the other methods are safe from any goroutine, before and during
// Run.
type Elector struct {
	Store Store
	// Name is the lease's name (DefaultName when empty).
	Name string
	// ID is this replica's (REPLICA_ID); required, and unique in the fleet.
	ID string
	// TTL is how long a lease lasts unless renewed (DefaultTTL when 0).
	TTL time.Duration
	// Renew is how often the leader renews (TTL*3/10 when 0: 3 s).
	Renew time.Duration
	// Retry is how often a follower tries to take the lease (TTL/5 when
	// 0: 2 s); a dead leader is replaced within TTL+Retry.
	Retry time.Duration
	// Margin is how long before its lease expires a leader that could not
	// renew stops acting as leader (TTL/5 when 0: 2 s). Work run by
	// WhileLeading has that long to stop.
	Margin time.Duration
	// Now is the clock (time.Now when nil); timers run on the time
	// package's, so it must advance with it.
	Now func() time.Time
	Log *slog.Logger
	// OnChange, when set, is called each time this replica starts or stops
	// leading, from Run's goroutine, just before work started by
	// WhileLeading starts or is told to stop.
	OnChange func(leading bool)

	mu      sync.Mutex
	leading bool
	leader  string        // the holder as last seen; "" when unknown
	changed chan struct{} // closed at each change of leading, then replaced
	stopped bool          // Run has returned: no more work starts
	active  sync.WaitGroup
}

// result is one attempt at the lease.
type result struct {
	start  time.Time // when the attempt began, by Now
	held   bool
	leader string
	until  time.Time
	err    error
}

func (e *Elector) init() error {
	if e.Store == nil || e.ID == "" {
		return errors.New("leader: Store and ID are required")
	}
	if e.Name == "" {
		e.Name = DefaultName
	}
	if e.TTL == 0 {
		e.TTL = DefaultTTL
	}
	if e.Renew == 0 {
		e.Renew = e.TTL * 3 / 10
	}
	if e.Retry == 0 {
		e.Retry = e.TTL / 5
	}
	if e.Margin == 0 {
		e.Margin = e.TTL / 5
	}
	if e.Now == nil {
		e.Now = time.Now
	}
	if e.Log == nil {
		e.Log = slog.Default()
	}
	// A renewal must come before the leader would step down.
	if e.TTL < 0 || e.Renew <= 0 || e.Retry <= 0 || e.Margin < 0 || e.Renew+e.Margin >= e.TTL {
		return fmt.Errorf("leader: want 0 < Renew (%s) and Renew + Margin (%s) < TTL (%s), Retry (%s) > 0", e.Renew, e.Margin, e.TTL, e.Retry)
	}
	return nil
}

// Leading reports whether this replica leads now.
func (e *Elector) Leading() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.leading
}

// Leader is the replica that leads, as last seen: this one's ID while it
// leads, "" when unknown (before the first attempt, or after one failed).
func (e *Elector) Leader() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.leader
}

// set records an attempt's outcome; it reports whether leading changed.
// Only Run's goroutine calls it. OnChange hears of a change before it
// takes effect: before work starts, and before it is told to stop.
func (e *Elector) set(leading bool, leader string) bool {
	e.mu.Lock()
	changed := leading != e.leading
	e.mu.Unlock()
	if changed && e.OnChange != nil {
		e.OnChange(leading)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.leading, e.leader = leading, leader
	if changed && e.changed != nil {
		close(e.changed)
		e.changed = nil
	}
	return changed
}

// Run takes part in the election until ctx ends, then stops leading, waits
// (up to a second) for the work WhileLeading runs to stop, and releases
// the lease so another replica can take it at once. It returns an error
// only for a bad configuration.
func (e *Elector) Run(ctx context.Context) error {
	if err := e.init(); err != nil {
		e.markStopped()
		return err
	}
	results := make(chan result, 1)
	inflight := false
	next := time.NewTimer(0) // the first attempt at once
	defer next.Stop()
	demote := time.NewTimer(time.Hour)
	demote.Stop()
	defer demote.Stop()
	failing := false // errors since the last answer, logged once
	// mayHold: the last answer gave this replica the lease (it may still
	// hold it after stepping down for want of renewals), so a stop
	// releases it.
	mayHold := false
	for {
		select {
		case <-ctx.Done():
			e.stop(ctx, mayHold, inflight, results)
			return nil
		case <-next.C:
			inflight = true
			go e.attempt(ctx, results)
		case r := <-results:
			inflight = false
			now := e.Now()
			switch {
			case r.err != nil:
				if !failing {
					e.Log.Warn("leader: cannot reach the lease", "err", r.err, "leading", e.Leading())
				}
				failing = true
				// A leader keeps leading until demote fires, and retries
				// meanwhile at the follower's pace.
				next.Reset(e.Retry)
				continue
			case failing:
				e.Log.Info("leader: the lease is reachable again")
				failing = false
			}
			mayHold = r.held
			// Act as leader no later than the lease lasts, counted from
			// the start of the attempt that renewed it, less Margin.
			deadline := r.start.Add(e.TTL)
			if r.until.Before(deadline) {
				deadline = r.until
			}
			deadline = deadline.Add(-e.Margin)
			if r.held && deadline.After(now) {
				if e.set(true, e.ID) {
					e.Log.Info("leader: this replica leads", "replica", e.ID, "lease_until", r.until)
				}
				demote.Reset(deadline.Sub(now))
				next.Reset(e.Renew)
				continue
			}
			demote.Stop()
			if r.held { // renewed, but too late to count on
				r.leader = ""
			}
			if e.set(false, r.leader) {
				e.Log.Info("leader: another replica leads", "replica", e.ID, "leader", r.leader)
			}
			next.Reset(e.Retry)
		case <-demote.C:
			e.Log.Warn("leader: could not renew the lease: no longer leading, before it expires", "replica", e.ID)
			e.set(false, "")
		}
	}
}

// attempt tries for the lease once, bounded by Renew, and sends the
// outcome to results. The caller's timers go on meanwhile: a store that
// hangs does not keep a leader leading past its deadline.
func (e *Elector) attempt(ctx context.Context, results chan<- result) {
	ctx, cancel := context.WithTimeout(ctx, e.Renew)
	defer cancel()
	r := result{start: e.Now()}
	r.held, r.leader, r.until, r.err = e.Store.AcquireLease(ctx, e.Name, e.ID, e.TTL)
	results <- r
}

// stop ends Run: no more work starts, the running work is told to stop
// and waited for, then the lease is released.
func (e *Elector) stop(ctx context.Context, mayHold, inflight bool, results <-chan result) {
	e.set(false, "")
	e.markStopped()
	wait, cancel := context.WithTimeout(context.Background(), releaseTimeout)
	defer cancel()
	done := make(chan struct{})
	go func() { e.active.Wait(); close(done) }()
	select {
	case <-done:
	case <-wait.Done():
		e.Log.Warn("leader: work still running after a stop; releasing the lease anyway")
	}
	if inflight { // its outcome could be a renewal that came after the release
		select {
		case r := <-results:
			mayHold = mayHold || r.held
		case <-wait.Done():
		}
	}
	if !mayHold {
		return
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancel()
	if err := e.Store.ReleaseLease(rctx, e.Name, e.ID); err != nil {
		e.Log.Warn("leader: could not release the lease: another replica leads once it expires", "err", err)
		return
	}
	e.Log.Info("leader: released the lease", "replica", e.ID)
}

// markStopped keeps work from starting again, and wakes the WhileLeading
// that wait to lead, so they return.
func (e *Elector) markStopped() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stopped = true
	if e.changed != nil {
		close(e.changed)
		e.changed = nil
	}
}

// WhileLeading runs fn each time this replica starts leading, with a
// context cancelled when it stops (at the latest Margin before the lease
// could expire) or when ctx ends; fn must return promptly then. It returns
// once ctx has ended (or Run has returned) and fn has returned.
func (e *Elector) WhileLeading(ctx context.Context, fn func(context.Context)) {
	for {
		ok, changed := e.startWork()
		if changed == nil {
			return // Run has returned
		}
		if !ok {
			select {
			case <-changed:
				continue
			case <-ctx.Done():
				return
			}
		}
		wctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			fn(wctx)
		}()
		select {
		case <-changed:
		case <-ctx.Done():
		}
		cancel()
		<-done
		e.active.Done()
		if ctx.Err() != nil {
			return
		}
	}
}

// startWork counts a run of work (in e.active) when this replica leads,
// and returns a channel closed at the next change of leadership; a nil one
// once Run has returned.
func (e *Elector) startWork() (ok bool, changed <-chan struct{}) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stopped {
		return false, nil
	}
	if e.changed == nil {
		e.changed = make(chan struct{})
	}
	if e.leading {
		e.active.Add(1)
	}
	return e.leading, e.changed
}
